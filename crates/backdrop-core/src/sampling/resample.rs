//! Separable resampling of RGBA images without aliasing, over [`AxisTaps::area`]: area
//! averaging (box filter over each output pixel's footprint) when shrinking, linear
//! interpolation when enlarging. Source coordinates outside the image replicate its edge
//! pixels, which is how letterbox padding is filled.

use super::taps::AxisTaps;
use crate::input::frame::RgbaFrame;
use anyhow::{ensure, Result};

/// Resamples a `src_width x src_height` RGBA image to `dst_width x dst_height`, one
/// output row at a time (vertical pass first, so each input row is read once per
/// output row that covers it, contiguously).
#[derive(Clone, Debug)]
pub struct Resampler {
    src_width: usize,
    src_height: usize,
    x: AxisTaps,
    y: AxisTaps,
    column_sums: Vec<f32>,
    row: Vec<f32>,
}

impl Resampler {
    /// `origin_*` and `scale_*` are as in [`AxisTaps::area`], per axis.
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
            x: AxisTaps::area(sw, dst_width as usize, origin_x, scale_x),
            y: AxisTaps::area(sh, dst_height as usize, origin_y, scale_y),
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
            // Zero weights pad runs shorter than the longest: skipping them skips a row.
            for (k, &w) in weights.iter().enumerate().filter(|(_, &w)| w != 0.0) {
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
