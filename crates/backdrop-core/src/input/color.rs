//! Colour conversions: I420 to RGBA for the frame path, RGBA to I420 for writers of
//! YUV video, and the luma used as the grey guide of mask refinement.

use crate::input::frame::{chroma_size, I420Frame, RgbaFrame};
use anyhow::{ensure, Result};

/// The RGB→YUV matrix a YUV frame was encoded with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum YuvMatrix {
    /// ITU-R BT.601 (SMPTE 170M): SD cameras, JPEG.
    #[default]
    Bt601,
    /// ITU-R BT.709: HD cameras.
    Bt709,
}

/// Whether Y spans 16..=235 and chroma 16..=240 (limited, "TV") or all of 0..=255.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum YuvRange {
    #[default]
    Limited,
    Full,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct YuvColorSpace {
    pub matrix: YuvMatrix,
    pub range: YuvRange,
}

impl YuvColorSpace {
    /// (Kr, Kb) of the matrix; Kg = 1 - Kr - Kb.
    fn kr_kb(self) -> (f64, f64) {
        match self.matrix {
            YuvMatrix::Bt601 => (0.299, 0.114),
            YuvMatrix::Bt709 => (0.2126, 0.0722),
        }
    }

    /// (Y offset, Y scale to 0..255, chroma scale to ±127.5).
    fn range_terms(self) -> (i32, f64, f64) {
        match self.range {
            YuvRange::Limited => (16, 255.0 / 219.0, 255.0 / 224.0),
            YuvRange::Full => (0, 1.0, 1.0),
        }
    }
}

const FIXED_SHIFT: u32 = 16;
const FIXED_ONE: f64 = (1u32 << FIXED_SHIFT) as f64;
const FIXED_HALF: i32 = 1 << (FIXED_SHIFT - 1);

/// YUV→RGB coefficients in 16.16 fixed point.
struct YuvToRgb {
    y_offset: i32,
    y: i32,
    r_v: i32,
    g_u: i32,
    g_v: i32,
    b_u: i32,
}

impl YuvToRgb {
    fn new(cs: YuvColorSpace) -> Self {
        let (kr, kb) = cs.kr_kb();
        let kg = 1.0 - kr - kb;
        let (y_offset, ys, cs_) = cs.range_terms();
        let fixed = |v: f64| (v * FIXED_ONE).round() as i32;
        Self {
            y_offset,
            y: fixed(ys),
            r_v: fixed(2.0 * (1.0 - kr) * cs_),
            g_u: fixed(2.0 * kb * (1.0 - kb) / kg * cs_),
            g_v: fixed(2.0 * kr * (1.0 - kr) / kg * cs_),
            b_u: fixed(2.0 * (1.0 - kb) * cs_),
        }
    }

    /// One pixel, written plainly: the reference the row conversion is tested against.
    #[cfg(test)]
    fn rgb(&self, y: u8, u: u8, v: u8) -> [u8; 3] {
        let y = (y as i32 - self.y_offset) * self.y + FIXED_HALF;
        let u = u as i32 - 128;
        let v = v as i32 - 128;
        let clamp = |x: i32| (x >> FIXED_SHIFT).clamp(0, 255) as u8;
        [
            clamp(y + self.r_v * v),
            clamp(y - self.g_u * u - self.g_v * v),
            clamp(y + self.b_u * u),
        ]
    }
}

/// Converts an I420 frame into packed RGBA (alpha 255). `out` must hold exactly
/// `width * height * 4` bytes.
pub fn i420_to_rgba(frame: &I420Frame, out: &mut [u8]) -> Result<()> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    ensure!(
        out.len() == w * h * 4,
        "RGBA output holds {} bytes but a {w}x{h} frame needs {}",
        out.len(),
        w * h * 4
    );
    let c = YuvToRgb::new(frame.color_space());
    let pixel = |l: u8, r_term: i32, g_term: i32, b_term: i32| -> [u8; 4] {
        let l = (l as i32 - c.y_offset) * c.y + FIXED_HALF;
        let to_byte = |v: i32| (v >> FIXED_SHIFT).clamp(0, 255) as u32;
        let word = to_byte(l + r_term)
            | to_byte(l - g_term) << 8
            | to_byte(l + b_term) << 16
            | 0xff00_0000;
        word.to_le_bytes()
    };
    for (y, out_row) in out.chunks_exact_mut(w * 4).enumerate() {
        let luma = frame.y_row(y);
        let (u_row, v_row) = frame.uv_rows(y / 2);
        // Two pixels per chroma sample; the last one alone when the width is odd.
        let pairs = out_row
            .chunks_mut(8)
            .zip(luma.chunks(2))
            .zip(u_row.iter().zip(v_row));
        for ((out, l), (&u, &v)) in pairs {
            let (u, v) = (u as i32 - 128, v as i32 - 128);
            let (r_term, g_term, b_term) = (c.r_v * v, c.g_u * u + c.g_v * v, c.b_u * u);
            for (px, &l) in out.chunks_exact_mut(4).zip(l) {
                px.copy_from_slice(&pixel(l, r_term, g_term, b_term));
            }
        }
    }
    Ok(())
}

/// Converts RGBA into packed I420 planes (alpha ignored; chroma is the mean of each
/// 2x2 block). Plane lengths must match the frame's Y and chroma sizes exactly.
pub fn rgba_to_i420(
    frame: &RgbaFrame,
    color_space: YuvColorSpace,
    y_out: &mut [u8],
    u_out: &mut [u8],
    v_out: &mut [u8],
) -> Result<()> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    let (cw, ch) = chroma_size(frame.width(), frame.height());
    let (cw, ch) = (cw as usize, ch as usize);
    ensure!(
        y_out.len() == w * h && u_out.len() == cw * ch && v_out.len() == cw * ch,
        "I420 planes hold {}/{}/{} bytes but a {w}x{h} frame needs {}/{}/{}",
        y_out.len(),
        u_out.len(),
        v_out.len(),
        w * h,
        cw * ch,
        cw * ch
    );
    let (kr, kb) = color_space.kr_kb();
    let kg = 1.0 - kr - kb;
    let (y_offset, ys, cs) = color_space.range_terms();
    let luma = |r: f64, g: f64, b: f64| kr * r + kg * g + kb * b;
    let to_u8 = |v: f64| v.round().clamp(0.0, 255.0) as u8;
    for y in 0..h {
        let row = frame.row(y);
        for x in 0..w {
            let p = &row[x * 4..x * 4 + 3];
            let l = luma(p[0] as f64, p[1] as f64, p[2] as f64);
            y_out[y * w + x] = to_u8(y_offset as f64 + l / ys);
        }
    }
    for cy in 0..ch {
        for cx in 0..cw {
            let mut sum = [0.0f64; 3];
            let mut n = 0.0;
            for y in (2 * cy)..(2 * cy + 2).min(h) {
                let row = frame.row(y);
                for x in (2 * cx)..(2 * cx + 2).min(w) {
                    for c in 0..3 {
                        sum[c] += row[x * 4 + c] as f64;
                    }
                    n += 1.0;
                }
            }
            let [r, g, b] = sum.map(|s| s / n);
            let l = luma(r, g, b);
            u_out[cy * cw + cx] = to_u8(128.0 + (b - l) / (2.0 * (1.0 - kb)) / cs);
            v_out[cy * cw + cx] = to_u8(128.0 + (r - l) / (2.0 * (1.0 - kr)) / cs);
        }
    }
    Ok(())
}

/// BT.601 luma of an sRGB pixel, in 0..=255 (as f32). Used as the grey guide.
#[inline]
pub fn luma(r: f32, g: f32, b: f32) -> f32 {
    0.299 * r + 0.587 * g + 0.114 * b
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::frame::Plane;

    #[test]
    fn limited_range_extremes_map_to_black_and_white() {
        let c = YuvToRgb::new(YuvColorSpace::default());
        assert_eq!(c.rgb(16, 128, 128), [0, 0, 0]);
        assert_eq!(c.rgb(235, 128, 128), [255, 255, 255]);
        assert_eq!(c.rgb(126, 128, 128), [128, 128, 128]);
        let full = YuvToRgb::new(YuvColorSpace {
            matrix: YuvMatrix::Bt709,
            range: YuvRange::Full,
        });
        assert_eq!(full.rgb(77, 128, 128), [77, 77, 77]);
    }

    #[test]
    fn row_conversion_matches_the_per_pixel_formula() {
        // 5x3 (odd) frame with varied samples, both colour spaces.
        let data: Vec<u8> = (0..5 * 3 + 2 * 3 * 2)
            .map(|i| (i * 37 % 256) as u8)
            .collect();
        for cs in [
            YuvColorSpace::default(),
            YuvColorSpace {
                matrix: YuvMatrix::Bt709,
                range: YuvRange::Full,
            },
        ] {
            let frame = I420Frame::packed(&data, 5, 3).unwrap().with_color_space(cs);
            let mut out = vec![0u8; 5 * 3 * 4];
            i420_to_rgba(&frame, &mut out).unwrap();
            let c = YuvToRgb::new(cs);
            for y in 0..3 {
                let (u, v) = frame.uv_rows(y / 2);
                for x in 0..5 {
                    let want = c.rgb(frame.y_row(y)[x], u[x / 2], v[x / 2]);
                    assert_eq!(
                        &out[(y * 5 + x) * 4..(y * 5 + x) * 4 + 4],
                        &[want[0], want[1], want[2], 255]
                    );
                }
            }
        }
    }

    #[test]
    fn rgba_i420_round_trip_is_close_for_flat_colours() {
        // 3x3 (odd) frame of one colour per 2x2 chroma block is representable exactly.
        for cs in [
            YuvColorSpace::default(),
            YuvColorSpace {
                matrix: YuvMatrix::Bt709,
                range: YuvRange::Full,
            },
        ] {
            let colour = [200u8, 40, 90, 255];
            let rgba: Vec<u8> = colour.iter().copied().cycle().take(3 * 3 * 4).collect();
            let frame = RgbaFrame::packed(&rgba, 3, 3).unwrap();
            let (mut y, mut u, mut v) = (vec![0; 9], vec![0; 4], vec![0; 4]);
            rgba_to_i420(&frame, cs, &mut y, &mut u, &mut v).unwrap();
            let yuv = I420Frame::new(
                3,
                3,
                Plane::new(&y, 3),
                Plane::new(&u, 2),
                Plane::new(&v, 2),
            )
            .unwrap()
            .with_color_space(cs);
            let mut back = vec![0u8; 36];
            i420_to_rgba(&yuv, &mut back).unwrap();
            for px in back.chunks_exact(4) {
                for c in 0..3 {
                    assert!(
                        (px[c] as i32 - colour[c] as i32).abs() <= 2,
                        "{px:?} vs {colour:?} ({cs:?})"
                    );
                }
                assert_eq!(px[3], 255);
            }
        }
    }
}
