//! Remove: the background becomes a solid colour, or transparent (output alpha = mask).

use super::mix;
use crate::frame::RgbaFrame;
use crate::options::Fill;

/// Writes `frame` with its background replaced by `fill` into packed RGBA `out`.
/// With a colour, every channel (alpha included) blends the frame and the colour by
/// the mask; with `Transparent`, colours are kept and alpha is scaled by the mask.
pub fn remove_background(frame: &RgbaFrame, mask: &[u8], fill: Fill, out: &mut [u8]) {
    let w = frame.width() as usize;
    for (y, (out_row, mask_row)) in out
        .chunks_exact_mut(w * 4)
        .zip(mask.chunks_exact(w))
        .enumerate()
    {
        let in_row = frame.row(y);
        let pixels = out_row
            .chunks_exact_mut(4)
            .zip(in_row.chunks_exact(4))
            .zip(mask_row);
        match fill {
            Fill::Color(colour) => {
                for ((o, i), &m) in pixels {
                    for c in 0..4 {
                        o[c] = mix(i[c], colour[c], m);
                    }
                }
            }
            Fill::Transparent => {
                for ((o, i), &m) in pixels {
                    o[..3].copy_from_slice(&i[..3]);
                    o[3] = mix(i[3], 0, m);
                }
            }
        }
    }
}
