//! Temporal smoothing on sequences made from the real photographs: a still shot with
//! deterministic sensor noise, then the same shot moving sideways a few pixels per frame.
//! Smoothing must at least halve the mask's frame-to-frame change while still, and follow
//! the motion at once (the smoothed mask stays with the raw model mask of the same frame).

use crate::common;

use backdrop_core::metrics::{iou, mean_abs_change};
use backdrop_core::{Options, Processor, TemporalConfig};
use image::{Rgba, RgbaImage};

const STILL_FRAMES: usize = 12;
const MOVING_FRAMES: usize = 10;
/// Pixels the picture moves per frame.
const SPEED: i64 = 4;
/// Standard deviation of the added noise, in 8-bit levels.
const NOISE_SIGMA: f64 = 3.0;

/// Deterministic noise: xorshift64, four uniforms summed (close to Gaussian).
struct Noise(u64);

impl Noise {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn sample(&mut self) -> f64 {
        let sum: f64 = (0..4).map(|_| self.uniform()).sum();
        // Four uniforms have variance 1/3.
        (sum - 2.0) * NOISE_SIGMA / (1.0f64 / 3.0).sqrt()
    }
}

/// The photo shifted right by `dx` pixels (edge replicated), plus noise.
fn frame(img: &RgbaImage, dx: i64, noise: &mut Noise) -> RgbaImage {
    let (w, h) = img.dimensions();
    RgbaImage::from_fn(w, h, |x, y| {
        let sx = (x as i64 - dx).clamp(0, w as i64 - 1) as u32;
        let p = img.get_pixel(sx, y).0;
        let mut q = [0u8; 4];
        for c in 0..3 {
            q[c] = (p[c] as f64 + noise.sample()).round().clamp(0.0, 255.0) as u8;
        }
        q[3] = 255;
        Rgba(q)
    })
}

fn sequence(img: &RgbaImage, seed: u64) -> Vec<RgbaImage> {
    let mut noise = Noise(seed);
    let mut frames: Vec<RgbaImage> = (0..STILL_FRAMES)
        .map(|_| frame(img, 0, &mut noise))
        .collect();
    frames.extend((1..=MOVING_FRAMES as i64).map(|i| frame(img, i * SPEED, &mut noise)));
    frames
}

fn masks(p: &mut Processor, frames: &[RgbaImage]) -> Vec<Vec<u8>> {
    frames.iter().map(|f| common::run(p, f).1).collect()
}

fn still_flicker(masks: &[Vec<u8>]) -> f64 {
    let changes: Vec<f64> = (1..STILL_FRAMES)
        .map(|t| mean_abs_change(&masks[t], &masks[t - 1]).unwrap())
        .collect();
    changes.iter().sum::<f64>() / changes.len() as f64
}

/// The lowest IoU, over the moving frames, of `masks` with the raw masks.
fn worst_moving_iou(masks: &[Vec<u8>], raw: &[Vec<u8>]) -> f64 {
    (STILL_FRAMES..STILL_FRAMES + MOVING_FRAMES)
        .map(|t| iou(&masks[t], &raw[t]).unwrap())
        .fold(1.0, f64::min)
}

#[test]
fn smoothing_halves_still_flicker_and_follows_motion() {
    let mut raw_p = common::processor(Options {
        temporal_smoothing: 0.0,
        ..Options::default()
    });
    let mut ours_p = common::processor(Options::default());
    let mut mediapipe_p = common::processor(Options::default());
    mediapipe_p.set_temporal_config(TemporalConfig::mediapipe(0.9));
    let mut ratios = Vec::new();
    for (i, prefix) in ["10-", "12-", "14-", "07-", "16-"].iter().enumerate() {
        let frames = sequence(&common::photo(prefix), 0x9e37_79b9_7f4a_7c15 ^ i as u64);
        for p in [&mut raw_p, &mut ours_p, &mut mediapipe_p] {
            p.reset();
        }
        let raw = masks(&mut raw_p, &frames);
        let ours = masks(&mut ours_p, &frames);
        let mediapipe = masks(&mut mediapipe_p, &frames);
        let (raw_f, ours_f, mp_f) = (
            still_flicker(&raw),
            still_flicker(&ours),
            still_flicker(&mediapipe),
        );
        let (ours_iou, mp_iou) = (
            worst_moving_iou(&ours, &raw),
            worst_moving_iou(&mediapipe, &raw),
        );
        eprintln!(
            "{prefix}: still flicker raw {:.6}, ours {:.6} ({:.1}%), MediaPipe rule {:.6} ({:.1}%); \
             worst moving IoU with raw: ours {ours_iou:.4}, MediaPipe rule {mp_iou:.4}",
            raw_f,
            ours_f,
            100.0 * ours_f / raw_f,
            mp_f,
            100.0 * mp_f / raw_f
        );
        assert!(
            raw_f > 0.0,
            "{prefix}: the noise makes the raw mask flicker"
        );
        assert!(
            ours_f <= 0.5 * raw_f,
            "{prefix}: still flicker {ours_f} vs raw {raw_f}"
        );
        assert!(ours_iou >= 0.9, "{prefix}: moving IoU {ours_iou}");
        // Against MediaPipe's rule at the same strength: as steady when still, closer
        // to the current frame when moving.
        assert!(
            ours_f <= mp_f * 1.05,
            "{prefix}: still flicker {ours_f} vs MediaPipe rule {mp_f}"
        );
        assert!(
            ours_iou > mp_iou,
            "{prefix}: moving IoU {ours_iou} vs MediaPipe rule {mp_iou}"
        );
        ratios.push(ours_f / raw_f);
    }
    eprintln!(
        "mean still-flicker ratio {:.2}",
        ratios.iter().sum::<f64>() / ratios.len() as f64
    );
}
