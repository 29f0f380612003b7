//! Golden outputs: a few photographs, downscaled, through every mode, compared with the
//! PNGs committed in `tests/golden/` within a per-pixel tolerance and a mean-error bound
//! (inference may differ in the last bits between CPUs). After an intended change,
//! regenerate them with `BACKDROP_UPDATE_GOLDEN=1 cargo test -p backdrop-core --test engine golden::`
//! and look at the new pictures before committing them.

use crate::common;

use backdrop_core::{BackgroundImage, Fill, Mode, Options, People};
use image::{DynamicImage, GrayImage, RgbaImage};
use std::path::PathBuf;

/// Largest difference allowed on any channel of any pixel, in 8-bit levels.
const MAX_PIXEL_ERROR: u8 = 40;
/// Largest mean absolute difference over all channels and pixels.
const MAX_MEAN_ERROR: f64 = 0.5;
const MAX_SIDE: u32 = 256;
const PHOTOS: [&str; 3] = ["01-", "12-", "16-"];

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn updating() -> bool {
    std::env::var_os("BACKDROP_UPDATE_GOLDEN").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file `name`, or rewrites it when updating.
fn check(name: &str, actual: DynamicImage) -> Option<String> {
    let path = golden_dir().join(name);
    if updating() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        actual.save(&path).unwrap();
        return None;
    }
    let expected = match image::open(&path) {
        Ok(img) => img,
        Err(e) => {
            return Some(format!(
                "{}: {e}; run `BACKDROP_UPDATE_GOLDEN=1 cargo test -p backdrop-core --test engine golden::`",
                path.display()
            ))
        }
    };
    if expected.color() != actual.color()
        || expected.width() != actual.width()
        || expected.height() != actual.height()
    {
        return Some(format!(
            "{name}: golden is {:?} {}x{}",
            expected.color(),
            expected.width(),
            expected.height()
        ));
    }
    let (e, a) = (expected.as_bytes(), actual.as_bytes());
    let worst = e
        .iter()
        .zip(a)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0);
    let mean = e
        .iter()
        .zip(a)
        .map(|(x, y)| x.abs_diff(*y) as f64)
        .sum::<f64>()
        / e.len() as f64;
    eprintln!("{name}: max error {worst}, mean error {mean:.4}");
    (worst > MAX_PIXEL_ERROR || mean > MAX_MEAN_ERROR)
        .then(|| format!("{name}: max error {worst} (limit {MAX_PIXEL_ERROR}), mean {mean:.4} (limit {MAX_MEAN_ERROR})"))
}

#[test]
fn outputs_match_the_golden_files() {
    let bg = common::shrink(&common::photo("08-"), 2 * MAX_SIDE);
    let background = BackgroundImage::new(bg.as_raw().clone(), bg.width(), bg.height()).unwrap();
    let mut p = common::processor(Options::default());
    p.set_background_image(Some(background));
    // Everyone the model finds: 16- has three people, and the golden files lock the
    // compositing; which people are kept has its own tests (tests/people.rs).
    let base = Options {
        people: People::All,
        ..Options::default()
    };
    let modes = [
        (
            "blur",
            Options {
                mode: Mode::Blur,
                blur_strength: 0.6,
                ..base
            },
        ),
        (
            "replace",
            Options {
                mode: Mode::Replace,
                ..base
            },
        ),
        (
            "remove",
            Options {
                mode: Mode::Remove,
                fill: Fill::Color([0, 177, 64, 255]),
                ..base
            },
        ),
    ];
    let mut failures = Vec::new();
    for prefix in PHOTOS {
        let img = common::shrink(&common::photo(prefix), MAX_SIDE);
        let (w, h) = img.dimensions();
        for (mode, options) in modes {
            p.set_options(options).unwrap();
            p.reset();
            let (out, mask) = common::run(&mut p, &img);
            let out = DynamicImage::ImageRgba8(RgbaImage::from_raw(w, h, out).unwrap());
            failures.extend(check(&format!("{prefix}{mode}.png"), out));
            if mode == "blur" {
                let mask = DynamicImage::ImageLuma8(GrayImage::from_raw(w, h, mask).unwrap());
                failures.extend(check(&format!("{prefix}mask.png"), mask));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
