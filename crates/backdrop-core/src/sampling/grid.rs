//! Linear (bilinear, one axis after the other) sampling of a low-resolution grid at
//! every pixel of a larger image: per output row, blend the grid rows around it; per
//! output pixel, blend the grid columns around it. Both axes are [`AxisTaps::linear`].

use super::taps::AxisTaps;

/// How the pixels of a `dst_width x dst_height` image map onto a `grid_width x
/// grid_height` grid: pixel `(x, y)` covers grid
/// `[origin_x + x * scale, origin_x + (x + 1) * scale)` (and likewise for `y`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridMapping {
    pub grid_width: u32,
    pub grid_height: u32,
    pub dst_width: u32,
    pub dst_height: u32,
    pub origin_x: f64,
    pub origin_y: f64,
    pub scale: f64,
}

/// Both axes' linear taps for a [`GridMapping`].
#[derive(Clone, Debug, Default)]
pub struct LinearGridSampler {
    pub x: AxisTaps,
    pub y: AxisTaps,
}

impl LinearGridSampler {
    pub fn new(m: &GridMapping) -> Self {
        Self {
            x: AxisTaps::linear(
                m.grid_width as usize,
                m.dst_width as usize,
                m.origin_x,
                m.scale,
            ),
            y: AxisTaps::linear(
                m.grid_height as usize,
                m.dst_height as usize,
                m.origin_y,
                m.scale,
            ),
        }
    }
}

/// A grid whose rows were interpolated across to the output width once per frame (a
/// grid row is shared by many output rows), so that every output row is a contiguous
/// blend of two of them: cheap, and vectorisable.
#[derive(Clone, Debug, Default)]
pub struct ExpandedGrid {
    row_len: usize,
    rows: Vec<f32>,
}

impl ExpandedGrid {
    /// Expands `grid` (rows of `grid_width * channels` interleaved values) along the
    /// sampler's x axis; only the grid rows its y axis reads (letterbox padding is never
    /// read back).
    pub fn expand(
        &mut self,
        grid: &[f32],
        grid_width: usize,
        channels: usize,
        sampler: &LinearGridSampler,
    ) {
        let (axis_x, axis_y) = (&sampler.x, &sampler.y);
        let grid_row_len = grid_width * channels;
        let grid_rows = grid.len() / grid_row_len;
        self.row_len = axis_x.len() * channels;
        self.rows.resize(grid_rows * self.row_len, 0.0);
        let used = axis_y.span();
        let src_rows = grid
            .chunks_exact(grid_row_len)
            .skip(used.start)
            .take(used.len());
        let dst_rows = self.rows.chunks_exact_mut(self.row_len).skip(used.start);
        for (src, dst) in src_rows.zip(dst_rows) {
            for (x, out) in dst.chunks_exact_mut(channels).enumerate() {
                let (start, weights) = axis_x.taps(x);
                out.fill(0.0);
                for (k, &w) in weights.iter().enumerate() {
                    let s = &src[(start + k) * channels..(start + k + 1) * channels];
                    for (o, &v) in out.iter_mut().zip(s) {
                        *o += v * w;
                    }
                }
            }
        }
    }

    /// Output row `y`: the blend of the expanded rows around it.
    #[inline]
    pub fn row(&self, axis_y: &AxisTaps, y: usize, out: &mut [f32]) {
        blend_rows(&self.rows, self.row_len, axis_y, y, out);
    }
}

/// Fills `out` with output row `y` of `axis_y` blended from `rows` (each `row_len`
/// values long).
#[inline]
pub fn blend_rows(rows: &[f32], row_len: usize, axis_y: &AxisTaps, y: usize, out: &mut [f32]) {
    let n = row_len;
    let (start, weights) = axis_y.taps(y);
    let row = |k: usize| &rows[(start + k) * n..(start + k + 1) * n];
    match *weights {
        [w] => {
            for (o, &a) in out.iter_mut().zip(row(0)) {
                *o = a * w;
            }
        }
        [w0, w1] => {
            for ((o, &a), &b) in out.iter_mut().zip(row(0)).zip(row(1)) {
                *o = a * w0 + b * w1;
            }
        }
        _ => {
            out.fill(0.0);
            for (k, &w) in weights.iter().enumerate() {
                for (o, &a) in out.iter_mut().zip(row(k)) {
                    *o += a * w;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expanded_grid_matches_direct_bilinear() {
        // A 3x2 grid of 2 channels sampled onto 7x5.
        let grid: Vec<f32> = (0..12).map(|v| (v * v) as f32).collect();
        let map = GridMapping {
            grid_width: 3,
            grid_height: 2,
            dst_width: 7,
            dst_height: 5,
            origin_x: 0.1,
            origin_y: -0.2,
            scale: 0.4,
        };
        let s = LinearGridSampler::new(&map);
        let mut e = ExpandedGrid::default();
        e.expand(&grid, 3, 2, &s);
        let mut row = vec![0.0; 14];
        let mut vertical = vec![0.0; 6];
        for y in 0..5 {
            e.row(&s.y, y, &mut row);
            blend_rows(&grid, 6, &s.y, y, &mut vertical);
            for x in 0..7 {
                // The textbook formula at the pixel's grid position.
                let pos = (0.1 + (x as f64 + 0.5) * 0.4 - 0.5).clamp(0.0, 2.0);
                let (i0, t) = (pos.floor() as usize, (pos - pos.floor()) as f32);
                let i1 = (i0 + 1).min(2);
                for c in 0..2 {
                    let (a, b) = (vertical[i0 * 2 + c], vertical[i1 * 2 + c]);
                    let direct = a + (b - a) * t;
                    assert!((row[x * 2 + c] - direct).abs() < 1e-3, "({x},{y},{c})");
                }
            }
        }
    }

    #[test]
    fn single_sample_grid_is_constant() {
        let a = AxisTaps::linear(1, 3, 0.0, 0.3);
        assert_eq!(a.width(), 1);
        for j in 0..3 {
            assert_eq!(a.taps(j), (0, &[1.0][..]));
        }
    }
}
