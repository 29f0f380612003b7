//! Blur: the background blurred, the person sharp and without a halo.
//!
//! The blur is normalised and weighted by the background mask: at reduced resolution it
//! accumulates `colour * (1 - mask)` and `(1 - mask)`, blurs both (three box passes ≈ a
//! Gaussian) and divides, so person pixels do not bleed into the blurred background.
//! The result is upsampled bilinearly and blended with the sharp frame by the mask.

use super::{mix_row, spread_mask, to_bytes};
use crate::box_blur::{box_blur, radius_for_sigma};
use crate::input::frame::RgbaFrame;
use crate::sampling::grid::{ExpandedGrid, GridMapping, LinearGridSampler};

/// Gaussian sigma, in frame pixels, at strength 1: this fraction of the longer side.
pub const SIGMA_PER_LONG_SIDE: f32 = 1.0 / 32.0;
/// Weight of person pixels in the background average, so a cell with no background
/// still has a (person-coloured) value instead of 0/0.
const PERSON_WEIGHT: f32 = 1e-3;
const PASSES: usize = 3;

#[derive(Clone, Debug, Default)]
pub struct BlurCompositor {
    /// (width, height, reduction factor) the buffers are laid out for.
    layout: (usize, usize, usize),
    grid_width: usize,
    grid_height: usize,
    sums: Vec<f32>,
    /// Blurred background colour per cell (RGBA, alpha unused), then expanded across.
    background: Vec<f32>,
    background_rows: ExpandedGrid,
    scratch: Vec<f32>,
    row: Vec<f32>,
    background_bytes: Vec<u8>,
    weights: Vec<u8>,
    sampler: LinearGridSampler,
}

impl BlurCompositor {
    /// Blurs the background of `frame` (`mask`: 255 = person) with `strength` in [0, 1]
    /// into packed RGBA `out`. Alpha is the frame's.
    pub fn apply(&mut self, frame: &RgbaFrame, mask: &[u8], strength: f32, out: &mut [u8]) {
        let (w, h) = (frame.width() as usize, frame.height() as usize);
        let sigma = strength.clamp(0.0, 1.0) * w.max(h) as f32 * SIGMA_PER_LONG_SIDE;
        if sigma < 0.25 {
            for (y, out_row) in out.chunks_exact_mut(w * 4).enumerate() {
                out_row.copy_from_slice(frame.row(y));
            }
            return;
        }
        // Work at a resolution where sigma is 3 to 6 cells.
        let factor = ((sigma / 3.0) as usize).max(1);
        self.layout_for(w, h, factor);
        let (gw, gh) = (self.grid_width, self.grid_height);

        self.sums.fill(0.0);
        for y in 0..h {
            let sums_row = &mut self.sums[(y / factor) * gw * 4..(y / factor + 1) * gw * 4];
            let pixels = frame
                .row(y)
                .chunks(factor * 4)
                .zip(mask[y * w..(y + 1) * w].chunks(factor));
            for (cell, (px, m)) in sums_row.chunks_exact_mut(4).zip(pixels) {
                // Summed locally: the cell is written once, not once per pixel.
                let mut sum = [0.0f32; 4];
                for (p, &m) in px.chunks_exact(4).zip(m) {
                    let weight = (255 - m) as f32 * (1.0 / 255.0) + PERSON_WEIGHT;
                    sum[0] += p[0] as f32 * weight;
                    sum[1] += p[1] as f32 * weight;
                    sum[2] += p[2] as f32 * weight;
                    sum[3] += weight;
                }
                for (c, s) in cell.iter_mut().zip(sum) {
                    *c += s;
                }
            }
        }
        let radius = radius_for_sigma(sigma / factor as f32, PASSES);
        for _ in 0..PASSES {
            box_blur::<4>(&mut self.sums, gw, gh, radius, &mut self.scratch);
        }
        for (bg, s) in self
            .background
            .chunks_exact_mut(4)
            .zip(self.sums.chunks_exact(4))
        {
            let inv = 1.0 / s[3];
            bg.copy_from_slice(&[s[0] * inv, s[1] * inv, s[2] * inv, 0.0]);
        }
        self.background_rows
            .expand(&self.background, gw, 4, &self.sampler);

        self.weights.resize(w * 4, 0);
        self.background_bytes.resize(w * 4, 0);
        for (y, out_row) in out.chunks_exact_mut(w * 4).enumerate() {
            self.background_rows.row(&self.sampler.y, y, &mut self.row);
            to_bytes(&self.row, &mut self.background_bytes);
            // Alpha weight 255: the output keeps the frame's alpha.
            spread_mask(
                &mask[y * w..(y + 1) * w],
                None,
                Some(255),
                &mut self.weights,
            );
            mix_row(frame.row(y), &self.background_bytes, &self.weights, out_row);
        }
    }

    fn layout_for(&mut self, w: usize, h: usize, factor: usize) {
        if self.layout == (w, h, factor) {
            return;
        }
        self.layout = (w, h, factor);
        self.grid_width = w.div_ceil(factor);
        self.grid_height = h.div_ceil(factor);
        let cells = self.grid_width * self.grid_height;
        self.sums.resize(cells * 4, 0.0);
        self.background.resize(cells * 4, 0.0);
        self.row.resize(w * 4, 0.0);
        self.sampler = LinearGridSampler::new(&GridMapping {
            grid_width: self.grid_width as u32,
            grid_height: self.grid_height as u32,
            dst_width: w as u32,
            dst_height: h as u32,
            origin_x: 0.0,
            origin_y: 0.0,
            scale: 1.0 / factor as f64,
        });
    }
}
