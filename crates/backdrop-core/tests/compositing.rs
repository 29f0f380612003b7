//! The three modes on the real photographs: what must hold exactly where the mask is
//! pure person (255) or pure background (0).

use crate::common;

use backdrop_core::composite::blur::BlurCompositor;
use backdrop_core::composite::remove::RemoveCompositor;
use backdrop_core::composite::replace::ReplaceCompositor;
use backdrop_core::{BackgroundImage, Fill, Mode, Options, RgbaFrame};
use image::imageops::{resize, FilterType};
use image::{Rgba, RgbaImage};

const GREEN: [u8; 4] = [0, 177, 64, 255];

#[test]
fn remove_paints_pure_background_and_keeps_pure_person() {
    let mut p = common::processor(Options {
        mode: Mode::Remove,
        fill: Fill::Color(GREEN),
        ..Options::default()
    });
    let (mut zeros, mut fulls, mut total) = (0usize, 0usize, 0usize);
    for (name, img) in common::photos() {
        p.reset();
        let (out, mask) = common::run(&mut p, &img);
        let (mut z, mut f) = (0, 0);
        for ((o, i), &m) in out
            .chunks_exact(4)
            .zip(img.as_raw().chunks_exact(4))
            .zip(&mask)
        {
            match m {
                0 => {
                    assert_eq!(o, GREEN, "{name}: background pixel not the fill colour");
                    z += 1;
                }
                255 => {
                    assert_eq!(o, i, "{name}: person pixel changed");
                    f += 1;
                }
                _ => {}
            }
        }
        eprintln!(
            "{name}: {:.1}% pure background, {:.1}% pure person",
            pct(z, mask.len()),
            pct(f, mask.len())
        );
        (zeros, fulls, total) = (zeros + z, fulls + f, total + mask.len());
    }
    // The checks above covered most pixels, of both kinds.
    assert!(
        pct(zeros, total) > 30.0 && pct(fulls, total) > 20.0,
        "{zeros} {fulls} of {total}"
    );
    assert!(pct(zeros + fulls, total) > 90.0);
}

fn pct(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of as f64
}

/// Transparent keeps the person and hides the room twice: alpha is the mask, and the
/// colours are premultiplied by it, so a consumer that drops alpha (a video encoder) sees
/// black behind the person, never the room's pixels.
#[test]
fn remove_with_transparency_puts_the_mask_in_alpha() {
    let mut p = common::processor(Options {
        mode: Mode::Remove,
        fill: Fill::Transparent,
        ..Options::default()
    });
    for (name, img) in common::photos() {
        let (out, mask) = common::run(&mut p, &img);
        for ((o, i), &m) in out
            .chunks_exact(4)
            .zip(img.as_raw().chunks_exact(4))
            .zip(&mask)
        {
            assert_eq!(o[3], m, "{name}: alpha is the mask");
            if m == 255 {
                assert_eq!(&o[..3], &i[..3], "{name}: the person's colours are kept");
            }
            for c in 0..3 {
                // Premultiplied: at most the frame's colour scaled by the mask (+1 rounding).
                let most = (i[c] as u32 * m as u32).div_ceil(255) as u8;
                assert!(o[c] <= most, "{name}: colour {} above {most} at alpha {m}", o[c]);
            }
            if m == 0 {
                assert_eq!(&o[..3], &[0, 0, 0], "{name}: no background colour where alpha is 0");
            }
        }
    }
}

#[test]
fn blur_of_a_uniform_image_is_unchanged() {
    // Through the whole path, whatever the model makes of a flat frame.
    let mut p = common::processor(Options {
        mode: Mode::Blur,
        blur_strength: 1.0,
        ..Options::default()
    });
    for (w, h, colour) in [
        (640, 480, [90, 140, 200, 255]),
        (1280, 720, [255, 255, 255, 255]),
        (33, 17, [3, 0, 7, 255]),
    ] {
        let img = RgbaImage::from_pixel(w, h, Rgba(colour));
        let (out, _) = common::run(&mut p, &img);
        assert!(out == *img.as_raw(), "{w}x{h} {colour:?}");
    }
    // With the real masks of the photographs.
    let mut blur = BlurCompositor::default();
    for (name, img) in common::photos() {
        let (_, mask) = common::run(&mut p, &img);
        let flat = RgbaImage::from_pixel(img.width(), img.height(), Rgba([201, 13, 77, 255]));
        let mut out = vec![0u8; flat.as_raw().len()];
        blur.apply(&rgba(&flat), &mask, 1.0, &mut out);
        assert!(out == *flat.as_raw(), "{name}");
    }
}

fn rgba(img: &RgbaImage) -> RgbaFrame<'_> {
    RgbaFrame::packed(img.as_raw(), img.width(), img.height()).unwrap()
}

#[test]
fn an_all_person_mask_returns_the_input() {
    let bg = common::photo("08-");
    let background = BackgroundImage::new(bg.as_raw().clone(), bg.width(), bg.height()).unwrap();
    let (mut blur, mut replace) = (BlurCompositor::default(), ReplaceCompositor::default());
    let mut remove = RemoveCompositor::default();
    for (name, img) in common::photos() {
        let frame = rgba(&img);
        let mask = vec![255u8; (img.width() * img.height()) as usize];
        let mut out = vec![0u8; img.as_raw().len()];
        blur.apply(&frame, &mask, 1.0, &mut out);
        assert!(out == *img.as_raw(), "{name}: blur");
        replace
            .apply(&frame, &mask, &background, 1, 1.0, &mut out)
            .unwrap();
        assert!(out == *img.as_raw(), "{name}: replace");
        remove.apply(&frame, &mask, Fill::Color(GREEN), &mut out);
        assert!(out == *img.as_raw(), "{name}: remove");
    }
}

#[test]
fn replace_takes_background_pixels_from_the_image() {
    let mut p = common::processor(Options {
        mode: Mode::Replace,
        light_wrap: 0.5,
        ..Options::default()
    });
    let source = common::photo("08-");
    for (name, img) in common::photos() {
        let (w, h) = img.dimensions();
        // The expected background at frame size ...
        let expected = resize(&source, w, h, FilterType::Triangle);
        // ... given as a picture twice as large with extra columns on both sides that
        // cover-fitting must crop away: every 2x2 block is one expected pixel, so the
        // area-averaged fit reproduces `expected` exactly.
        let margin = 7;
        let big = RgbaImage::from_fn(2 * w + 4 * margin, 2 * h, |x, y| {
            if x < 2 * margin || x >= 2 * w + 2 * margin {
                Rgba([255, 0, 255, 255])
            } else {
                *expected.get_pixel((x - 2 * margin) / 2, y / 2)
            }
        });
        for background in [expected.clone(), big] {
            let (bw, bh) = background.dimensions();
            p.set_background_image(Some(
                BackgroundImage::new(background.into_raw(), bw, bh).unwrap(),
            ));
            let (out, mask) = common::run(&mut p, &img);
            let mut checked = 0;
            for ((o, e), &m) in out
                .chunks_exact(4)
                .zip(expected.as_raw().chunks_exact(4))
                .zip(&mask)
            {
                if m == 0 {
                    assert_eq!(o, e, "{name} ({bw} wide background)");
                    checked += 1;
                }
            }
            assert!(checked > 0, "{name}: no pure background pixel");
        }
    }
}

/// Paints every person pixel (mask ≥ 128) magenta.
fn paint_person(img: &RgbaImage, mask: &[u8]) -> RgbaImage {
    let mut out = img.clone();
    for (px, &m) in out.pixels_mut().zip(mask) {
        if m >= 128 {
            *px = Rgba([255, 0, 255, 255]);
        }
    }
    out
}

/// Background pixels (mask 0) within `radius` pixels of a person pixel.
fn near_person(mask: &[u8], w: usize, h: usize, radius: usize) -> Vec<bool> {
    let person: Vec<bool> = mask.iter().map(|&m| m >= 128).collect();
    let mut rows = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            rows[y * w + x] =
                (x.saturating_sub(radius)..=(x + radius).min(w - 1)).any(|xx| person[y * w + xx]);
        }
    }
    (0..w * h)
        .map(|i| {
            let (x, y) = (i % w, i / w);
            mask[i] == 0
                && (y.saturating_sub(radius)..=(y + radius).min(h - 1)).any(|yy| rows[yy * w + x])
        })
        .collect()
}

/// The person's colours do not leak into the blurred background: repainting the
/// person barely changes the background next to it, unlike with a plain blur.
#[test]
fn blurred_background_has_no_halo_of_the_person() {
    let mut p = common::processor(Options {
        mode: Mode::Remove,
        ..Options::default()
    });
    let mut blur = BlurCompositor::default();
    let (mut ours_total, mut plain_total) = (0.0, 0.0);
    for (name, img) in common::photos() {
        let (w, h) = (img.width() as usize, img.height() as usize);
        let (_, mask) = common::run(&mut p, &img);
        let painted = paint_person(&img, &mask);
        let band = near_person(&mask, w, h, w.max(h) / 32);
        let no_person = vec![0u8; w * h];
        let mut outputs = Vec::new();
        for (frame, m) in [
            (&img, &mask),
            (&painted, &mask),
            (&img, &no_person),
            (&painted, &no_person),
        ] {
            let mut out = vec![0u8; frame.as_raw().len()];
            blur.apply(&rgba(frame), m, 1.0, &mut out);
            outputs.push(out);
        }
        let change = |a: &[u8], b: &[u8]| {
            let (mut sum, mut n) = (0u64, 0u64);
            for (i, _) in band.iter().enumerate().filter(|(_, &b)| b) {
                sum += (0..3)
                    .map(|c| a[i * 4 + c].abs_diff(b[i * 4 + c]) as u64)
                    .sum::<u64>();
                n += 3;
            }
            if n == 0 {
                0.0
            } else {
                sum as f64 / n as f64
            }
        };
        let ours = change(&outputs[0], &outputs[1]);
        let plain = change(&outputs[2], &outputs[3]);
        eprintln!("{name}: background next to the person changes by {ours:.2} (mask-weighted) vs {plain:.2} (plain blur)");
        ours_total += ours;
        plain_total += plain;
        assert!(ours <= 0.2 * plain + 0.5, "{name}: {ours} vs {plain}");
    }
    assert!(
        ours_total < 0.1 * plain_total,
        "{ours_total} vs {plain_total}"
    );
}

#[test]
fn blur_strength_scales_the_blur() {
    // Background detail (mean absolute difference between horizontal neighbours,
    // over pure background) falls as the strength grows.
    let img = common::photo("12-");
    let mut p = common::processor(Options {
        mode: Mode::Blur,
        ..Options::default()
    });
    let mut last = f64::MAX;
    for strength in [0.0, 0.25, 0.5, 1.0] {
        p.set_options(Options {
            mode: Mode::Blur,
            blur_strength: strength,
            ..Options::default()
        })
        .unwrap();
        let (out, mask) = common::run(&mut p, &img);
        let w = img.width() as usize;
        let (mut sum, mut n) = (0u64, 0u64);
        for i in 0..mask.len() - 1 {
            if mask[i] == 0 && mask[i + 1] == 0 && (i + 1) % w != 0 {
                sum += (0..3)
                    .map(|c| out[i * 4 + c].abs_diff(out[i * 4 + 4 + c]) as u64)
                    .sum::<u64>();
                n += 3;
            }
        }
        let detail = sum as f64 / n as f64;
        eprintln!("strength {strength}: background detail {detail:.3}");
        if strength == 0.0 {
            assert!(out == *img.as_raw(), "strength 0 leaves the frame as it is");
        }
        assert!(detail < last, "strength {strength}: {detail} >= {last}");
        last = detail;
    }
}
