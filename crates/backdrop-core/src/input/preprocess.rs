//! From a frame to the model's input: letterboxed to the model's size and aspect ratio
//! (area-averaged, edges replicated into the padding), as planar RGB in [0, 1], plus the
//! frame's grey on the same grid, which later guides the mask's refinement.

use crate::input::color::luma;
use crate::input::frame::RgbaFrame;
use crate::input::letterbox::Letterbox;
use crate::sampling::resample::Resampler;
use anyhow::Result;

#[derive(Clone, Debug)]
pub struct Preprocessor {
    letterbox: Letterbox,
    resampler: Resampler,
    rgb: Vec<f32>,
    guide: Vec<f32>,
}

impl Preprocessor {
    /// Sets everything up for `frame_size` frames and a `model_size` input.
    pub fn new(frame_size: (u32, u32), model_size: (u32, u32)) -> Self {
        let letterbox = Letterbox::fit(frame_size.0, frame_size.1, model_size.0, model_size.1);
        let resampler = Resampler::new(
            frame_size,
            model_size,
            (letterbox.frame_origin_x(), letterbox.frame_origin_y()),
            (letterbox.scale, letterbox.scale),
        );
        let grid = model_size.0 as usize * model_size.1 as usize;
        Self {
            letterbox,
            resampler,
            rgb: vec![0.0; grid * 3],
            guide: vec![0.0; grid],
        }
    }

    pub fn letterbox(&self) -> &Letterbox {
        &self.letterbox
    }

    /// Fills [`Preprocessor::model_input`] and [`Preprocessor::guide`] from `frame`.
    pub fn run(&mut self, frame: &RgbaFrame) -> Result<()> {
        let grid = self.guide.len();
        let mw = self.letterbox.model_width as usize;
        let (r_plane, rest) = self.rgb.split_at_mut(grid);
        let (g_plane, b_plane) = rest.split_at_mut(grid);
        let guide = &mut self.guide;
        self.resampler.run(frame, |y, row| {
            let range = y * mw..(y + 1) * mw;
            let planes = r_plane[range.clone()]
                .iter_mut()
                .zip(&mut g_plane[range.clone()])
                .zip(&mut b_plane[range.clone()])
                .zip(&mut guide[range]);
            const SCALE: f32 = 1.0 / 255.0;
            for ((((r, g), b), grey), px) in planes.zip(row.chunks_exact(4)) {
                (*r, *g, *b) = (px[0] * SCALE, px[1] * SCALE, px[2] * SCALE);
                *grey = luma(px[0], px[1], px[2]) * SCALE;
            }
        })
    }

    /// Planar R, G, B of the model's input, each `model_width * model_height`.
    pub fn model_input(&self) -> &[f32] {
        &self.rgb
    }

    /// Grey (BT.601 luma) of the model's input, in [0, 1].
    pub fn guide(&self) -> &[f32] {
        &self.guide
    }
}
