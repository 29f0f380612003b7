//! Replace: the background becomes an image, scaled to cover the frame (centred crop,
//! no distortion) once and cached until the frame size or the image changes. A light
//! wrap lets the new background's light spill a little onto the person's edges, which
//! hides the seam.

use super::blur::BlurCompositor;
use super::{lerp_bytes, mix_row, spread_mask};
use crate::box_blur::box_blur;
use crate::input::frame::RgbaFrame;
use crate::round::round_to_byte;
use crate::sampling::grid::{ExpandedGrid, GridMapping, LinearGridSampler};
use crate::sampling::resample::Resampler;
use anyhow::{ensure, Result};

/// A background picture, RGBA8 packed.
#[derive(Clone, Debug)]
pub struct BackgroundImage {
    rgba: Vec<u8>,
    width: u32,
    height: u32,
}

impl BackgroundImage {
    pub fn new(rgba: Vec<u8>, width: u32, height: u32) -> Result<Self> {
        RgbaFrame::packed(&rgba, width, height)
            .map_err(|e| e.context("invalid background image"))?;
        Ok(Self {
            rgba,
            width,
            height,
        })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn as_frame(&self) -> RgbaFrame<'_> {
        RgbaFrame::packed(&self.rgba, self.width, self.height).expect("validated at construction")
    }
}

/// Blur of the background that light wrap mixes in, relative to the frame's longer side.
const WRAP_BLUR_STRENGTH: f32 = 0.8;
/// The person mask is blurred on a grid this many times smaller than the longer side.
const WRAP_GRID_LONG_SIDE: usize = 128;
const WRAP_RADIUS: usize = 2;

#[derive(Clone, Debug, Default)]
pub struct ReplaceCompositor {
    /// (frame width, frame height, background id) the cache holds.
    cached: Option<(u32, u32, u64)>,
    fitted: Vec<u8>,
    fitted_blurred: Vec<u8>,
    wrap_layout: (usize, usize, usize),
    grid_width: usize,
    grid_height: usize,
    mask_grid: Vec<f32>,
    mask_rows: ExpandedGrid,
    weights: Vec<u8>,
    person: Vec<u8>,
    wrap: Vec<f32>,
    counts: Vec<f32>,
    scratch: Vec<f32>,
    row: Vec<f32>,
    sampler: LinearGridSampler,
}

impl ReplaceCompositor {
    /// Replaces the background of `frame` (`mask`: 255 = person) by `background` into
    /// packed RGBA `out`. `background_id` identifies the image for the cache: pass a
    /// new one whenever the image changes. `light_wrap` is in [0, 1].
    pub fn apply(
        &mut self,
        frame: &RgbaFrame,
        mask: &[u8],
        background: &BackgroundImage,
        background_id: u64,
        light_wrap: f32,
        out: &mut [u8],
    ) -> Result<()> {
        let (w, h) = (frame.width() as usize, frame.height() as usize);
        ensure!(
            mask.len() == w * h && out.len() == w * h * 4,
            "mask or output size does not match the frame"
        );
        self.fit_background(frame.width(), frame.height(), background, background_id)?;
        let light_wrap = light_wrap.clamp(0.0, 1.0);
        if light_wrap > 0.0 {
            self.blur_mask(mask, w, h);
        }
        self.weights.resize(w * 4, 0);
        self.person.resize(w * 4, 0);
        self.wrap.resize(w * 4, 0.0);
        for (y, out_row) in out.chunks_exact_mut(w * 4).enumerate() {
            let bg_row = &self.fitted[y * w * 4..(y + 1) * w * 4];
            let fg_row = frame.row(y);
            spread_mask(&mask[y * w..(y + 1) * w], None, None, &mut self.weights);
            let person = if light_wrap > 0.0 {
                // Light wrap: where little of the surroundings is person, mix in some
                // of the blurred background (colour bytes only).
                self.mask_rows.row(&self.sampler.y, y, &mut self.row);
                for (t, &around) in self.wrap.chunks_exact_mut(4).zip(&self.row) {
                    let v = light_wrap * (1.0 - around).max(0.0);
                    t.copy_from_slice(&[v, v, v, 0.0]);
                }
                let bg_blur_row = &self.fitted_blurred[y * w * 4..(y + 1) * w * 4];
                lerp_bytes(fg_row, bg_blur_row, &self.wrap, &mut self.person);
                &self.person[..]
            } else {
                fg_row
            };
            mix_row(person, bg_row, &self.weights, out_row);
        }
        Ok(())
    }

    fn fit_background(
        &mut self,
        w: u32,
        h: u32,
        background: &BackgroundImage,
        id: u64,
    ) -> Result<()> {
        if self.cached == Some((w, h, id)) {
            return Ok(());
        }
        let (bw, bh) = (background.width() as f64, background.height() as f64);
        let scale = (bw / w as f64).min(bh / h as f64);
        let origin = ((bw - w as f64 * scale) / 2.0, (bh - h as f64 * scale) / 2.0);
        let mut resampler = Resampler::new(
            (background.width(), background.height()),
            (w, h),
            origin,
            (scale, scale),
        );
        let row_len = w as usize * 4;
        self.fitted.resize(row_len * h as usize, 0);
        let fitted = &mut self.fitted;
        resampler.run(&background.as_frame(), |y, row| {
            for (o, &v) in fitted[y * row_len..(y + 1) * row_len].iter_mut().zip(row) {
                *o = round_to_byte(v);
            }
        })?;
        // The light-wrap source: the fitted background, blurred (an empty mask makes
        // the blur compositor a plain blur).
        self.fitted_blurred.resize(self.fitted.len(), 0);
        let no_person = vec![0u8; w as usize * h as usize];
        BlurCompositor::default().apply(
            &RgbaFrame::packed(&self.fitted, w, h)?,
            &no_person,
            WRAP_BLUR_STRENGTH,
            &mut self.fitted_blurred,
        );
        self.cached = Some((w, h, id));
        Ok(())
    }

    /// The mask averaged on a coarse grid and blurred: how much of a pixel's
    /// surroundings is person.
    fn blur_mask(&mut self, mask: &[u8], w: usize, h: usize) {
        let factor = (w.max(h) / WRAP_GRID_LONG_SIDE).max(1);
        if self.wrap_layout != (w, h, factor) {
            self.wrap_layout = (w, h, factor);
            self.grid_width = w.div_ceil(factor);
            self.grid_height = h.div_ceil(factor);
            let cells = self.grid_width * self.grid_height;
            self.mask_grid.resize(cells, 0.0);
            self.counts.resize(cells, 0.0);
            self.row.resize(w, 0.0);
            self.sampler = LinearGridSampler::new(&GridMapping {
                grid_width: self.grid_width as u32,
                grid_height: self.grid_height as u32,
                dst_width: w as u32,
                dst_height: h as u32,
                origin_x: 0.0,
                origin_y: 0.0,
                scale: 1.0 / factor as f64,
            });
            self.counts.fill(0.0);
            for y in 0..h {
                for x in 0..w {
                    self.counts[(y / factor) * self.grid_width + x / factor] += 1.0;
                }
            }
        }
        self.mask_grid.fill(0.0);
        let gw = self.grid_width;
        for (y, mask_row) in mask.chunks_exact(w).enumerate() {
            let grid_row = &mut self.mask_grid[(y / factor) * gw..(y / factor + 1) * gw];
            for (cell, m) in grid_row.iter_mut().zip(mask_row.chunks(factor)) {
                *cell += m.iter().map(|&v| v as u32).sum::<u32>() as f32;
            }
        }
        for (cell, &n) in self.mask_grid.iter_mut().zip(&self.counts) {
            *cell /= n * 255.0;
        }
        for _ in 0..2 {
            box_blur::<1>(
                &mut self.mask_grid,
                gw,
                self.grid_height,
                WRAP_RADIUS,
                &mut self.scratch,
            );
        }
        self.mask_rows.expand(&self.mask_grid, gw, 1, &self.sampler);
    }
}
