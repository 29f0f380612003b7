//! Separable box blur over interleaved f32 channels with running sums (cost
//! independent of the radius), edges replicated. Three passes approximate a Gaussian.

/// Box radius per pass so that `passes` passes have standard deviation `sigma`
/// (a box of width `2r+1` has variance `((2r+1)^2 - 1) / 12`).
pub fn radius_for_sigma(sigma: f32, passes: usize) -> usize {
    let width = (12.0 * sigma * sigma / passes as f32 + 1.0).sqrt();
    ((width - 1.0) / 2.0).round().max(0.0) as usize
}

/// Blurs `data` (`width x height` pixels of `C` interleaved channels) in place with a
/// `(2*radius+1)` square box. `scratch` grows to the needed size once and is reused.
pub fn box_blur<const C: usize>(
    data: &mut [f32],
    width: usize,
    height: usize,
    radius: usize,
    scratch: &mut Vec<f32>,
) {
    debug_assert_eq!(data.len(), width * height * C);
    if radius == 0 || data.is_empty() {
        return;
    }
    let row_len = width * C;
    scratch.resize(row_len * (height + 1), 0.0);
    let (rows_out, acc) = scratch.split_at_mut(row_len * height);
    let norm = 1.0 / (2 * radius + 1) as f32;

    // Horizontal: each row through a running sum, written into `rows_out`.
    for (row, out) in data
        .chunks_exact(row_len)
        .zip(rows_out.chunks_exact_mut(row_len))
    {
        let at = |x: isize, c: usize| row[(x.clamp(0, width as isize - 1) as usize) * C + c];
        let mut sum = [0.0f32; C];
        for (c, s) in sum.iter_mut().enumerate() {
            for dx in -(radius as isize)..=(radius as isize) {
                *s += at(dx, c);
            }
        }
        for x in 0..width {
            for c in 0..C {
                out[x * C + c] = sum[c] * norm;
                sum[c] +=
                    at(x as isize + radius as isize + 1, c) - at(x as isize - radius as isize, c);
            }
        }
    }

    // Vertical: a running sum of whole rows, written back into `data`.
    let row_at = |y: isize| {
        let y = y.clamp(0, height as isize - 1) as usize;
        y * row_len..(y + 1) * row_len
    };
    acc.fill(0.0);
    for dy in -(radius as isize)..=(radius as isize) {
        for (a, &v) in acc.iter_mut().zip(&rows_out[row_at(dy)]) {
            *a += v;
        }
    }
    for y in 0..height {
        for (o, &a) in data[y * row_len..(y + 1) * row_len]
            .iter_mut()
            .zip(acc.iter())
        {
            *o = a * norm;
        }
        let (add, sub) = (
            row_at(y as isize + radius as isize + 1),
            row_at(y as isize - radius as isize),
        );
        for ((a, &p), &m) in acc.iter_mut().zip(&rows_out[add]).zip(&rows_out[sub]) {
            *a += p - m;
        }
    }
}

/// Replaces every value of a `width x height` single-channel grid by the maximum over
/// its `(2*radius+1)` square neighbourhood (dilation), edges replicated.
pub fn max_filter(
    data: &mut [f32],
    width: usize,
    height: usize,
    radius: usize,
    scratch: &mut Vec<f32>,
) {
    if radius == 0 || data.is_empty() {
        return;
    }
    scratch.resize(data.len(), 0.0);
    for (row, out) in data
        .chunks_exact(width)
        .zip(scratch.chunks_exact_mut(width))
    {
        for (x, o) in out.iter_mut().enumerate() {
            let lo = x.saturating_sub(radius);
            let hi = (x + radius).min(width - 1);
            *o = row[lo..=hi].iter().copied().fold(f32::MIN, f32::max);
        }
    }
    for y in 0..height {
        let lo = y.saturating_sub(radius);
        let hi = (y + radius).min(height - 1);
        for x in 0..width {
            data[y * width + x] = (lo..=hi)
                .map(|yy| scratch[yy * width + x])
                .fold(f32::MIN, f32::max);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_stays_constant_and_impulse_spreads_evenly() {
        let mut scratch = Vec::new();
        let mut flat = vec![3.0f32; 5 * 4 * 2];
        box_blur::<2>(&mut flat, 5, 4, 2, &mut scratch);
        assert!(flat.iter().all(|&v| (v - 3.0).abs() < 1e-6));

        let mut impulse = vec![0.0f32; 7 * 7];
        impulse[3 * 7 + 3] = 9.0;
        box_blur::<1>(&mut impulse, 7, 7, 1, &mut scratch);
        for y in 0..7 {
            for x in 0..7 {
                let inside = (2..=4).contains(&x) && (2..=4).contains(&y);
                let want = if inside { 1.0 } else { 0.0 };
                assert!((impulse[y * 7 + x] - want).abs() < 1e-6, "({x},{y})");
            }
        }
    }

    #[test]
    fn radius_matches_sigma() {
        assert_eq!(radius_for_sigma(0.0, 3), 0);
        // Three boxes of radius 3 (width 7): variance 3 * 48 / 12 = 12, sigma ~3.46.
        assert_eq!(radius_for_sigma(3.46, 3), 3);
    }

    #[test]
    fn max_filter_dilates() {
        let mut scratch = Vec::new();
        let mut g = vec![0.0f32; 5 * 3];
        g[5 + 4] = 1.0;
        max_filter(&mut g, 5, 3, 1, &mut scratch);
        let ones: Vec<usize> = (0..15).filter(|&i| g[i] == 1.0).collect();
        assert_eq!(ones, vec![3, 4, 8, 9, 13, 14]);
    }
}
