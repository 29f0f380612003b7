//! The one per-axis tap table every resampling in the core reads: for each output sample
//! along one axis, a contiguous run of input samples and their weights.
//!
//! Every constructor places output sample `d` with the same formula, [`centre`]; they
//! differ only in which interpolation turns that position into weights:
//! [`AxisTaps::area`] (box over the output sample's footprint, linear when enlarging),
//! [`AxisTaps::linear`] (the two neighbours), [`AxisTaps::gaussian`] (four neighbours
//! weighted by a Gaussian of their distance), and [`AxisTaps::linear_at`] for positions
//! computed elsewhere (the ONNX `Resize` coordinate rules).
//!
//! Every output sample has the same number of taps ([`AxisTaps::width`]): shorter runs
//! are padded with zero weights, so inner loops have a fixed trip count and never read
//! outside the input. Input coordinates outside the input replicate its edge samples.

use std::ops::Range;

/// Input coordinate of output sample `d`'s centre, input sample `i` being centred at
/// `i` (so `-0.5` is the input's left edge): output sample `d` covers input
/// `[origin + d * scale, origin + (d + 1) * scale)`, `scale` input samples per output
/// sample.
#[inline]
pub fn centre(origin: f64, scale: f64, d: usize) -> f64 {
    origin + (d as f64 + 0.5) * scale - 0.5
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AxisTaps {
    /// Taps per output sample.
    width: usize,
    /// First input sample of each output sample's run.
    start: Vec<u32>,
    /// `weights[j * width..(j + 1) * width]` belong to output sample `j`.
    weights: Vec<f32>,
    /// The input samples any non-zero weight reads.
    span: Range<usize>,
}

// Weights are finite (sums of products of finite numbers), so equality is total.
impl Eq for AxisTaps {}

/// Collects one output sample's taps (input index, weight) before they are laid out.
struct Run {
    taps: Vec<(usize, f32)>,
}

impl Run {
    /// Adds `w` to input sample `k` (taps on the same sample merge).
    fn add(&mut self, k: usize, w: f32) {
        match self.taps.iter_mut().find(|(i, _)| *i == k) {
            Some((_, total)) => *total += w,
            None => self.taps.push((k, w)),
        }
    }
}

impl AxisTaps {
    /// Builds the table from each output sample's taps (`fill` adds them to a [`Run`]).
    fn build(src_len: usize, dst_len: usize, mut fill: impl FnMut(usize, &mut Run)) -> Self {
        assert!(src_len > 0, "a resampling axis needs input samples");
        let mut runs = Vec::with_capacity(dst_len);
        for j in 0..dst_len {
            let mut run = Run { taps: Vec::new() };
            fill(j, &mut run);
            run.taps.sort_by_key(|&(k, _)| k);
            runs.push(run.taps);
        }
        let extent = |taps: &[(usize, f32)]| match (taps.first(), taps.last()) {
            (Some(&(first, _)), Some(&(last, _))) => last - first + 1,
            _ => 1,
        };
        let width = runs
            .iter()
            .map(|r| extent(r))
            .max()
            .unwrap_or(1)
            .min(src_len);
        let mut axis = AxisTaps {
            width,
            start: Vec::with_capacity(dst_len),
            weights: vec![0.0; dst_len * width],
            span: usize::MAX..0,
        };
        for (j, taps) in runs.iter().enumerate() {
            let first = taps.first().map_or(0, |&(k, _)| k);
            let start = first.min(src_len - width);
            axis.start.push(start as u32);
            for &(k, w) in taps {
                axis.weights[j * width + (k - start)] = w;
                if w != 0.0 {
                    axis.span.start = axis.span.start.min(k);
                    axis.span.end = axis.span.end.max(k + 1);
                }
            }
        }
        if axis.span.start > axis.span.end {
            axis.span = 0..0;
        }
        axis
    }

    /// Area averaging when shrinking (`scale >= 1`): each output sample averages the
    /// input samples its footprint covers, by overlap; linear interpolation between the
    /// two nearest input samples when enlarging. For resizing images without aliasing.
    pub fn area(src_len: usize, dst_len: usize, origin: f64, scale: f64) -> Self {
        assert!(scale > 0.0, "a resampling axis needs a positive scale");
        let last = (src_len.max(1) - 1) as i64;
        let clamp = |k: i64| k.clamp(0, last) as usize;
        Self::build(src_len, dst_len, |j, run| {
            if scale >= 1.0 {
                let lo = origin + j as f64 * scale;
                let hi = lo + scale;
                let mut k = lo.floor() as i64;
                while (k as f64) < hi {
                    let overlap = (hi.min(k as f64 + 1.0) - lo.max(k as f64)).max(0.0);
                    if overlap > 0.0 {
                        run.add(clamp(k), (overlap / scale) as f32);
                    }
                    k += 1;
                }
            } else {
                let pos = centre(origin, scale, j);
                let k0 = pos.floor();
                let t = pos - k0;
                run.add(clamp(k0 as i64), (1.0 - t) as f32);
                run.add(clamp(k0 as i64 + 1), t as f32);
            }
        })
    }

    /// Linear interpolation between the two input samples around each output sample's
    /// centre; centres beyond the first or last input sample take that sample.
    pub fn linear(src_len: usize, dst_len: usize, origin: f64, scale: f64) -> Self {
        Self::linear_at(src_len, (0..dst_len).map(|d| centre(origin, scale, d)))
    }

    /// [`AxisTaps::linear`] at the given input positions, one per output sample.
    pub fn linear_at(src_len: usize, positions: impl ExactSizeIterator<Item = f64>) -> Self {
        let last = (src_len.max(1) - 1) as f64;
        let positions: Vec<f64> = positions.collect();
        Self::build(src_len, positions.len(), |j, run| {
            let pos = positions[j].clamp(0.0, last);
            let i0 = pos.floor();
            let t = (pos - i0) as f32;
            let i1 = (i0 + 1.0).min(last);
            run.add(i0 as usize, 1.0 - t);
            run.add(i1 as usize, t);
        })
    }

    /// The four input samples around each output sample's centre (clamped to the
    /// input), weighted by `exp(-distance² / 2σ²)` in input samples, not normalised.
    pub fn gaussian(src_len: usize, dst_len: usize, origin: f64, scale: f64, sigma: f64) -> Self {
        let last = (src_len.max(1) - 1) as i64;
        Self::build(src_len, dst_len, |j, run| {
            let pos = centre(origin, scale, j).clamp(0.0, last as f64);
            let base = pos.floor() as i64 - 1;
            for i in base..base + 4 {
                let dist = pos - i as f64;
                run.add(
                    i.clamp(0, last) as usize,
                    (-(dist * dist) / (2.0 * sigma * sigma)).exp() as f32,
                );
            }
        })
    }

    /// Output samples.
    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// Taps per output sample (the same for all).
    pub fn width(&self) -> usize {
        self.width
    }

    /// Output sample `j`'s first input sample and its [`AxisTaps::width`] weights.
    #[inline]
    pub fn taps(&self, j: usize) -> (usize, &[f32]) {
        let w = self.width;
        (self.start[j] as usize, &self.weights[j * w..(j + 1) * w])
    }

    /// The input samples any output sample reads with a non-zero weight.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(w: &[f32]) -> f32 {
        w.iter().sum()
    }

    #[test]
    fn area_weights_cover_the_footprint() {
        // 10 -> 4: each output pixel averages 2.5 input pixels.
        let a = AxisTaps::area(10, 4, 0.0, 2.5);
        assert_eq!(a.taps(0), (0, &[0.4, 0.4, 0.2][..]));
        let (s, w) = a.taps(1);
        assert_eq!(s, 2);
        assert_eq!(w, &[0.2, 0.4, 0.4]);
        for j in 0..4 {
            assert!((sum(a.taps(j).1) - 1.0).abs() < 1e-6);
        }
    }

    #[test]
    fn outside_the_source_replicates_the_edge() {
        // Output pixels left of the source read only pixel 0.
        let a = AxisTaps::area(4, 6, -2.0, 1.0);
        assert_eq!(a.taps(0), (0, &[1.0][..]));
        assert_eq!(a.taps(1), (0, &[1.0][..]));
        assert_eq!(a.taps(2), (0, &[1.0][..]));
        assert_eq!(a.taps(5), (3, &[1.0][..]));
        // Straddling the edge: the outside part counts for the edge pixel (runs are
        // padded with zero weights to the longest one).
        let b = AxisTaps::area(4, 2, -1.0, 2.0);
        assert_eq!(b.taps(0), (0, &[1.0, 0.0][..]));
        assert_eq!(b.taps(1), (1, &[0.5, 0.5][..]));
    }

    #[test]
    fn enlarging_interpolates_linearly() {
        let a = AxisTaps::area(2, 4, 0.0, 0.5);
        // Output centres at input 0.25-0.5 = -0.25 (clamped), 0.25, 0.75, 1.25.
        assert_eq!(a.taps(0), (0, &[1.0, 0.0][..]));
        assert_eq!(a.taps(1), (0, &[0.75, 0.25][..]));
        assert_eq!(a.taps(2), (0, &[0.25, 0.75][..]));
        assert_eq!(a.taps(3), (0, &[0.0, 1.0][..]));
    }

    #[test]
    fn twice_larger_grid_samples_quarter_positions() {
        let a = AxisTaps::linear(2, 4, 0.0, 0.5);
        let taps: Vec<_> = (0..4).map(|j| a.taps(j)).collect();
        assert_eq!(
            taps,
            [
                (0, &[1.0, 0.0][..]),
                (0, &[0.75, 0.25][..]),
                (0, &[0.25, 0.75][..]),
                (0, &[0.0, 1.0][..]),
            ]
        );
        assert_eq!(a.span(), 0..2);
    }

    #[test]
    fn linear_and_area_agree_when_enlarging() {
        for (src, dst, origin, scale) in [(5, 13, 0.2, 0.37), (3, 7, -0.4, 0.5)] {
            let (l, a) = (
                AxisTaps::linear(src, dst, origin, scale),
                AxisTaps::area(src, dst, origin, scale),
            );
            for j in 0..dst {
                let value = |t: &AxisTaps| {
                    let (s, w) = t.taps(j);
                    w.iter()
                        .enumerate()
                        .map(|(k, w)| (s + k) as f32 * w)
                        .sum::<f32>()
                };
                assert!((value(&l) - value(&a)).abs() < 1e-5, "{j}");
            }
        }
    }

    #[test]
    fn gaussian_taps_are_the_four_neighbours_merged_at_the_edges() {
        let g = AxisTaps::gaussian(6, 24, 0.0, 0.25, 1.0);
        assert_eq!(g.width(), 4);
        // Output 0 sits at input -0.375, clamped to 0: neighbours -1, 0, 1, 2, the first
        // merged into sample 0.
        let (s, w) = g.taps(0);
        assert_eq!(s, 0);
        let e = |d: f64| (-(d * d) / 2.0).exp() as f32;
        assert_eq!(w, &[e(1.0) + e(0.0), e(1.0), e(2.0), 0.0]);
        // Past the last sample the window slides back inside the input.
        let (s, w) = g.taps(23);
        assert_eq!(s, 2);
        assert_eq!(w[3], e(0.0) + e(1.0) + e(2.0));
    }
}
