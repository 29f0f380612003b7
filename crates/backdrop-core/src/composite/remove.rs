//! Remove: the background becomes a solid colour, or transparent (output alpha = mask).

use super::{mix_row, spread_mask};
use crate::frame::RgbaFrame;
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
    /// (`mask`: 255 = person). With a colour, every channel (alpha included) blends
    /// the frame and the colour by the mask; with `Transparent`, colours are kept and
    /// alpha is scaled by the mask.
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
        // Transparent: colour bytes always the frame's (weight 255), alpha by the mask.
        let rgb = matches!(fill, Fill::Transparent).then_some(255);
        for (y, (out_row, mask_row)) in out
            .chunks_exact_mut(w * 4)
            .zip(mask.chunks_exact(w))
            .enumerate()
        {
            spread_mask(mask_row, rgb, None, &mut self.weights);
            mix_row(frame.row(y), &self.fill_row, &self.weights, out_row);
        }
    }
}
