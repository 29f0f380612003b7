//! Blur: the background blurred, the person sharp and without a halo.
//!
//! The blur is normalised and weighted by the background mask: at reduced resolution it
//! accumulates `colour * (1 - mask)` and `(1 - mask)`, blurs both (three box passes ≈ a
//! Gaussian) and divides, so person pixels do not bleed into the blurred background.
//! The result is upsampled bilinearly and blended with the sharp frame by the mask.

use super::mix;
use crate::bilinear::{grid_row, GridMapping, GridSampler};
use crate::box_blur::{box_blur, radius_for_sigma};
use crate::frame::RgbaFrame;

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
    background: Vec<f32>,
    scratch: Vec<f32>,
    row: Vec<f32>,
    sampler: GridSampler,
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
                for (p, &m) in px.chunks_exact(4).zip(m) {
                    let weight = (255 - m) as f32 * (1.0 / 255.0) + PERSON_WEIGHT;
                    cell[0] += p[0] as f32 * weight;
                    cell[1] += p[1] as f32 * weight;
                    cell[2] += p[2] as f32 * weight;
                    cell[3] += weight;
                }
            }
        }
        let radius = radius_for_sigma(sigma / factor as f32, PASSES);
        for _ in 0..PASSES {
            box_blur::<4>(&mut self.sums, gw, gh, radius, &mut self.scratch);
        }
        for (bg, s) in self
            .background
            .chunks_exact_mut(3)
            .zip(self.sums.chunks_exact(4))
        {
            let inv = 1.0 / s[3];
            bg.copy_from_slice(&[s[0] * inv, s[1] * inv, s[2] * inv]);
        }

        let ax = &self.sampler.x;
        for (y, out_row) in out.chunks_exact_mut(w * 4).enumerate() {
            grid_row(&self.background, gw * 3, &self.sampler.y, y, &mut self.row);
            let pixels = out_row
                .chunks_exact_mut(4)
                .zip(frame.row(y).chunks_exact(4));
            for (x, ((o, p), &m)) in pixels.zip(&mask[y * w..(y + 1) * w]).enumerate() {
                let (i0, i1, t) = (ax.i0[x] as usize * 3, ax.i1[x] as usize * 3, ax.t[x]);
                for c in 0..3 {
                    let bg = self.row[i0 + c] + (self.row[i1 + c] - self.row[i0 + c]) * t;
                    o[c] = mix(p[c], (bg + 0.5) as u8, m);
                }
                o[3] = p[3];
            }
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
        self.background.resize(cells * 3, 0.0);
        self.row.resize(self.grid_width * 3, 0.0);
        self.sampler = GridSampler::new(&GridMapping {
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
