//! Remove: the background becomes a solid colour, or transparent (output alpha = mask,
//! colours premultiplied by it, so the background is black where the alpha is dropped).

use super::{mix_row, spread_mask};
use crate::input::frame::RgbaFrame;
use crate::options::Fill;

#[derive(Clone, Debug, Default)]
pub struct RemoveCompositor {
    /// One row of the fill (the colour, or transparent black), for the row mixer.
    fill_row: Vec<u8>,
    fill_for: Option<(usize, Fill)>,
    weights: Vec<u8>,
}

impl RemoveCompositor {
    /// Writes `frame` with its background replaced by `fill` into packed RGBA `out`
    /// (`mask`: 255 = person): every channel (alpha included) blends the frame and the
    /// fill by the mask. `Transparent` is the fill (0, 0, 0, 0): alpha is the mask and the
    /// colours are premultiplied by it, never the background's own, because a consumer
    /// that ignores alpha (a video encoder does) would otherwise send the room.
    pub fn apply(&mut self, frame: &RgbaFrame, mask: &[u8], fill: Fill, out: &mut [u8]) {
        let w = frame.width() as usize;
        if self.fill_for != Some((w, fill)) {
            let colour = match fill {
                Fill::Color(c) => c,
                Fill::Transparent => [0; 4],
            };
            self.fill_row.clear();
            self.fill_row
                .extend(colour.iter().copied().cycle().take(w * 4));
            self.weights.resize(w * 4, 0);
            self.fill_for = Some((w, fill));
        }
        for (y, (out_row, mask_row)) in out
            .chunks_exact_mut(w * 4)
            .zip(mask.chunks_exact(w))
            .enumerate()
        {
            spread_mask(mask_row, None, None, &mut self.weights);
            mix_row(frame.row(y), &self.fill_row, &self.weights, out_row);
        }
    }
}
