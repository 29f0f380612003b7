//! The last stage: the output frame from the input frame and the 8-bit mask (255 =
//! person). Each mode is one module; all write packed RGBA into the caller's buffer.

pub mod blur;
pub mod remove;
pub mod replace;

use crate::round::round_to_byte;

/// `fg * m + bg * (1 - m)` on 8-bit values with `m` in 0..=255, rounded. Exact at the
/// ends: `m = 255` gives `fg`, `m = 0` gives `bg`.
#[cfg(test)]
fn mix(fg: u8, bg: u8, m: u8) -> u8 {
    let m = m as u32;
    ((fg as u32 * m + bg as u32 * (255 - m) + 127) / 255) as u8
}

// Row helpers: every compositor reduces to flat loops over the bytes of a row, which the
// compiler vectorises (native SIMD, wasm simd128), instead of per-pixel code.

/// [`mix`] byte by byte: `out[i] = mix(fg[i], bg[i], weights[i])`, in 16-bit arithmetic
/// (`x / 255 == (x + 1 + (x >> 8)) >> 8` for every `x` that can occur here).
#[inline]
pub(crate) fn mix_row(fg: &[u8], bg: &[u8], weights: &[u8], out: &mut [u8]) {
    for (((o, &f), &b), &w) in out.iter_mut().zip(fg).zip(bg).zip(weights) {
        let x = f as u16 * w as u16 + b as u16 * (255 - w) as u16 + 127;
        *o = ((x + 1 + (x >> 8)) >> 8) as u8;
    }
}

/// Per-byte weights for [`mix_row`] from a row of the mask: each pixel's mask value, or
/// a fixed weight for the colour bytes (`rgb`) and/or the alpha byte (`alpha`).
#[inline]
pub(crate) fn spread_mask(mask_row: &[u8], rgb: Option<u8>, alpha: Option<u8>, out: &mut [u8]) {
    for (o, &m) in out.chunks_exact_mut(4).zip(mask_row) {
        let c = rgb.unwrap_or(m);
        o.copy_from_slice(&[c, c, c, alpha.unwrap_or(m)]);
    }
}

/// Rounds values in 0..=255 to bytes.
#[inline]
pub(crate) fn to_bytes(src: &[f32], out: &mut [u8]) {
    for (o, &v) in out.iter_mut().zip(src) {
        *o = round_to_byte(v);
    }
}

/// `out = round(a + (b - a) * t)` byte by byte, `t` in [0, 1].
#[inline]
pub(crate) fn lerp_bytes(a: &[u8], b: &[u8], t: &[f32], out: &mut [u8]) {
    for (((o, &x), &y), &t) in out.iter_mut().zip(a).zip(b).zip(t) {
        *o = round_to_byte(x as f32 + (y as f32 - x as f32) * t);
    }
}

#[cfg(test)]
mod tests {
    use super::{mix, mix_row};

    #[test]
    fn mix_is_exact_at_the_ends_and_rounds_between() {
        for fg in [0u8, 1, 77, 255] {
            for bg in [0u8, 200, 255] {
                assert_eq!(mix(fg, bg, 255), fg);
                assert_eq!(mix(fg, bg, 0), bg);
            }
        }
        assert_eq!(mix(255, 0, 128), 128);
    }

    #[test]
    fn row_mix_equals_scalar_mix_everywhere() {
        let all: Vec<u8> = (0..=255).collect();
        let mut out = [0u8; 256];
        for fg in 0..=255u8 {
            for w in 0..=255u8 {
                mix_row(&[fg; 256], &all, &[w; 256], &mut out);
                for bg in 0..=255u8 {
                    assert_eq!(out[bg as usize], mix(fg, bg, w), "{fg} {bg} {w}");
                }
            }
        }
    }
}
