//! Separable resampling of RGBA images without aliasing: area averaging (box filter
//! over each output pixel's footprint) when shrinking, linear interpolation when
//! enlarging. Source coordinates outside the image replicate its edge pixels, which
//! is how letterbox padding is filled.

use crate::frame::RgbaFrame;
use anyhow::{ensure, Result};

/// For every output sample along one axis, the contiguous run of input samples it
/// reads and their weights (summing to 1).
#[derive(Clone, Debug, Default)]
pub struct AxisWeights {
    start: Vec<u32>,
    /// `weights[offsets[j]..offsets[j+1]]` belong to output sample `j`.
    offsets: Vec<u32>,
    weights: Vec<f32>,
}

impl AxisWeights {
    /// Output sample `j` covers input `[origin + j*scale, origin + (j+1)*scale)`;
    /// `scale` is input samples per output sample.
    pub fn new(src_len: usize, dst_len: usize, origin: f64, scale: f64) -> Self {
        assert!(
            src_len > 0 && scale > 0.0,
            "resampling axis needs input samples and a positive scale"
        );
        let mut axis = AxisWeights {
            start: Vec::with_capacity(dst_len),
            offsets: Vec::with_capacity(dst_len + 1),
            weights: Vec::new(),
        };
        let last = (src_len - 1) as i64;
        let clamp = |k: i64| k.clamp(0, last) as usize;
        axis.offsets.push(0);
        for j in 0..dst_len {
            let first = axis.weights.len();
            let push = |axis: &mut AxisWeights, k: usize, w: f64| {
                let start = if axis.weights.len() == first {
                    axis.start.push(k as u32);
                    axis.weights.push(0.0);
                    k
                } else {
                    axis.start[j] as usize
                };
                let slot = first + (k - start);
                while axis.weights.len() <= slot {
                    axis.weights.push(0.0);
                }
                axis.weights[slot] += w as f32;
            };
            if scale >= 1.0 {
                let lo = origin + j as f64 * scale;
                let hi = lo + scale;
                let mut k = lo.floor() as i64;
                while (k as f64) < hi {
                    let overlap = (hi.min(k as f64 + 1.0) - lo.max(k as f64)).max(0.0);
                    if overlap > 0.0 {
                        push(&mut axis, clamp(k), overlap / scale);
                    }
                    k += 1;
                }
            } else {
                let centre = origin + (j as f64 + 0.5) * scale - 0.5;
                let k0 = centre.floor();
                let t = centre - k0;
                push(&mut axis, clamp(k0 as i64), 1.0 - t);
                push(&mut axis, clamp(k0 as i64 + 1), t);
            }
            axis.offsets.push(axis.weights.len() as u32);
        }
        axis
    }

    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    #[inline]
    pub fn taps(&self, j: usize) -> (usize, &[f32]) {
        let range = self.offsets[j] as usize..self.offsets[j + 1] as usize;
        (self.start[j] as usize, &self.weights[range])
    }
}

/// Resamples a `src_width x src_height` RGBA image to `dst_width x dst_height`, one
/// output row at a time (vertical pass first, so each input row is read once per
/// output row that covers it, contiguously).
#[derive(Clone, Debug)]
pub struct Resampler {
    src_width: usize,
    src_height: usize,
    x: AxisWeights,
    y: AxisWeights,
    column_sums: Vec<f32>,
    row: Vec<f32>,
}

impl Resampler {
    /// `origin_*` and `scale_*` are as in [`AxisWeights::new`], per axis.
    pub fn new(
        (src_width, src_height): (u32, u32),
        (dst_width, dst_height): (u32, u32),
        (origin_x, origin_y): (f64, f64),
        (scale_x, scale_y): (f64, f64),
    ) -> Self {
        let (sw, sh) = (src_width as usize, src_height as usize);
        Self {
            src_width: sw,
            src_height: sh,
            x: AxisWeights::new(sw, dst_width as usize, origin_x, scale_x),
            y: AxisWeights::new(sh, dst_height as usize, origin_y, scale_y),
            column_sums: vec![0.0; sw * 4],
            row: vec![0.0; dst_width as usize * 4],
        }
    }

    pub fn dst_size(&self) -> (usize, usize) {
        (self.x.len(), self.y.len())
    }

    /// Calls `sink(y, row)` for every output row, `row` holding `dst_width` RGBA
    /// pixels as f32 in 0..=255.
    pub fn run(&mut self, src: &RgbaFrame, mut sink: impl FnMut(usize, &[f32])) -> Result<()> {
        ensure!(
            src.width() as usize == self.src_width && src.height() as usize == self.src_height,
            "resampler built for {}x{} input got a {}x{} frame",
            self.src_width,
            self.src_height,
            src.width(),
            src.height()
        );
        for j in 0..self.y.len() {
            let (start, weights) = self.y.taps(j);
            self.column_sums.fill(0.0);
            for (k, &w) in weights.iter().enumerate() {
                let src_row = src.row(start + k);
                for (acc, &v) in self.column_sums.iter_mut().zip(src_row) {
                    *acc += v as f32 * w;
                }
            }
            for (i, out) in self.row.chunks_exact_mut(4).enumerate() {
                let (start, weights) = self.x.taps(i);
                let mut px = [0.0f32; 4];
                for (k, &w) in weights.iter().enumerate() {
                    let s = &self.column_sums[(start + k) * 4..(start + k) * 4 + 4];
                    for c in 0..4 {
                        px[c] += s[c] * w;
                    }
                }
                out.copy_from_slice(&px);
            }
            sink(j, &self.row);
        }
        Ok(())
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
        let a = AxisWeights::new(10, 4, 0.0, 2.5);
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
        let a = AxisWeights::new(4, 6, -2.0, 1.0);
        assert_eq!(a.taps(0), (0, &[1.0][..]));
        assert_eq!(a.taps(1), (0, &[1.0][..]));
        assert_eq!(a.taps(2), (0, &[1.0][..]));
        assert_eq!(a.taps(5), (3, &[1.0][..]));
        // Straddling the edge: the outside part counts for the edge pixel.
        let b = AxisWeights::new(4, 2, -1.0, 2.0);
        assert_eq!(b.taps(0), (0, &[1.0][..]));
        assert_eq!(b.taps(1), (1, &[0.5, 0.5][..]));
    }

    #[test]
    fn enlarging_interpolates_linearly() {
        let a = AxisWeights::new(2, 4, 0.0, 0.5);
        // Output centres at input 0.25-0.5 = -0.25 (clamped), 0.25, 0.75, 1.25.
        assert_eq!(a.taps(0), (0, &[1.0][..]));
        assert_eq!(a.taps(1), (0, &[0.75, 0.25][..]));
        assert_eq!(a.taps(2), (0, &[0.25, 0.75][..]));
        assert_eq!(a.taps(3), (1, &[1.0][..]));
    }

    #[test]
    fn uniform_image_stays_uniform_and_stripes_average_out() {
        // 6x2 of alternating black/white columns shrunk to 3x1: every output is mid-grey.
        let mut data = Vec::new();
        for _ in 0..2 {
            for x in 0..6 {
                let v = if x % 2 == 0 { 0 } else { 255 };
                data.extend_from_slice(&[v, v, v, 255]);
            }
        }
        let src = RgbaFrame::packed(&data, 6, 2).unwrap();
        let mut r = Resampler::new((6, 2), (3, 1), (0.0, 0.0), (2.0, 2.0));
        let mut rows = Vec::new();
        r.run(&src, |_, row| rows.extend_from_slice(row)).unwrap();
        for px in rows.chunks_exact(4) {
            assert!(
                (px[0] - 127.5).abs() < 1e-3 && (px[3] - 255.0).abs() < 1e-3,
                "{px:?}"
            );
        }
    }
}
