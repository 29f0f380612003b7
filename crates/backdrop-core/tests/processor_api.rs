//! The Processor's contract with its callers: options may change between any two frames
//! and take effect at once, and every call reports per-stage timings from the caller's clock.

use crate::common;

use backdrop_core::{
    BackgroundImage, Fill, Mode, ModelChoice, Options, Processor, Refinement, Timings,
};
use image::RgbaImage;
use std::cell::Cell;

fn background(prefix: &str) -> BackgroundImage {
    let img = common::photo(prefix);
    BackgroundImage::new(img.as_raw().clone(), img.width(), img.height()).unwrap()
}

/// Options (and background) per frame; temporal smoothing off so that each frame depends
/// on its own options only.
fn schedule() -> Vec<(Options, &'static str)> {
    let base = Options {
        temporal_smoothing: 0.0,
        ..Options::default()
    };
    vec![
        (
            Options {
                mode: Mode::Blur,
                blur_strength: 0.2,
                ..base
            },
            "08-",
        ),
        (
            Options {
                mode: Mode::Blur,
                blur_strength: 1.0,
                edge_softness: 0.9,
                ..base
            },
            "08-",
        ),
        (
            Options {
                mode: Mode::Replace,
                light_wrap: 0.0,
                ..base
            },
            "08-",
        ),
        (
            Options {
                mode: Mode::Replace,
                ..base
            },
            "15-",
        ),
        (
            Options {
                mode: Mode::Remove,
                fill: Fill::Color([9, 8, 7, 255]),
                model: ModelChoice::General,
                ..base
            },
            "15-",
        ),
        (
            Options {
                mode: Mode::Remove,
                fill: Fill::Transparent,
                model: ModelChoice::Landscape,
                ..base
            },
            "15-",
        ),
        (
            Options {
                mode: Mode::Blur,
                refinement: Refinement::JointBilateral,
                ..base
            },
            "15-",
        ),
        (
            Options {
                mode: Mode::Replace,
                refinement: Refinement::Bilinear,
                edge_softness: 0.0,
                ..base
            },
            "08-",
        ),
    ]
}

#[test]
fn options_change_between_frames_and_apply_at_once() {
    let img = common::photo("12-");
    let mut stream = common::processor(Options::default());
    let mut current_bg = "";
    for (i, (options, bg)) in schedule().into_iter().enumerate() {
        stream.set_options(options).unwrap();
        if bg != current_bg {
            stream.set_background_image(Some(background(bg)));
            current_bg = bg;
        }
        let (out, mask) = common::run(&mut stream, &img);
        let mut fresh = common::processor(options);
        fresh.set_background_image(Some(background(bg)));
        let (fresh_out, fresh_mask) = common::run(&mut fresh, &img);
        assert!(
            mask == fresh_mask,
            "frame {i}: mask differs from a fresh processor's with the same options"
        );
        assert!(
            out == fresh_out,
            "frame {i}: output differs from a fresh processor's with the same options"
        );
    }
}

#[test]
fn softness_widens_the_edge() {
    let img = common::photo("14-");
    let mut p = common::processor(Options {
        temporal_smoothing: 0.0,
        ..Options::default()
    });
    let mut last = 0;
    for softness in [0.0, 0.3, 0.6, 1.0] {
        p.set_options(Options {
            edge_softness: softness,
            ..*p.options()
        })
        .unwrap();
        let (_, mask) = common::run(&mut p, &img);
        let partial = mask.iter().filter(|&&m| m != 0 && m != 255).count();
        eprintln!("softness {softness}: {partial} partial mask pixels");
        assert!(
            partial > last,
            "softness {softness}: {partial} partial pixels, not more than {last}"
        );
        last = partial;
    }
}

#[test]
fn timings_come_from_the_callers_clock() {
    let img: RgbaImage = common::photo("01-");
    let mut p = common::processor(Options::default());
    let mut out = vec![0u8; img.as_raw().len()];
    // A clock that advances one millisecond per reading: one reading per stage boundary.
    let ticks = Cell::new(0.0);
    let clock = || {
        ticks.set(ticks.get() + 1.0);
        ticks.get()
    };
    let t = p.process(common::frame(&img), &mut out, &clock).unwrap();
    let one = Timings {
        preprocess_ms: 1.0,
        inference_ms: 1.0,
        refine_ms: 1.0,
        composite_ms: 1.0,
        total_ms: 4.0,
    };
    assert_eq!(t, one);

    let start = std::time::Instant::now();
    let wall = move || start.elapsed().as_secs_f64() * 1000.0;
    let t = p.process(common::frame(&img), &mut out, &wall).unwrap();
    let sum = t.preprocess_ms + t.inference_ms + t.refine_ms + t.composite_ms;
    eprintln!("{t:?}");
    assert!(t.inference_ms > 0.0 && t.refine_ms > 0.0 && t.composite_ms > 0.0);
    assert!((sum - t.total_ms).abs() < 1e-9);
}

#[test]
fn processor_with_one_model_uses_it_for_every_shape() {
    let general = backdrop_core::Segmenter::from_onnx_bytes(&common::general_model()).unwrap();
    let mut p = Processor::new(Some(general), None).unwrap();
    let img = common::photo("03-"); // 16:9 would pick landscape if it were loaded
    common::run(&mut p, &img);
    assert_eq!(p.model_input_size(), Some((256, 256)));
}

#[test]
fn a_model_that_is_not_loaded_is_reported_and_used_once_added() {
    use backdrop_core::{ModelChoice, ModelKind, Options, Segmenter};
    let general = Segmenter::from_onnx_bytes(&common::general_model()).unwrap();
    let mut p = Processor::new(Some(general), None).unwrap();
    let wide = common::photo("03-");
    common::run(&mut p, &wide);
    // `auto` wants the landscape model at 16:9; until it is there the general one runs.
    assert_eq!(p.missing_model(), Some(ModelKind::Landscape));
    assert_eq!(p.model_input_size(), Some((256, 256)));
    assert_eq!(p.model_in_use(), Some(ModelKind::General));
    // So does an explicit choice of it, and the quality tiers that run it.
    for options in [
        Options { model: ModelChoice::Landscape, ..Options::default() },
        Options { quality_tier: 1, ..Options::default() },
    ] {
        p.set_options(options).unwrap();
        common::run(&mut p, &common::photo("01-"));
        assert_eq!(p.missing_model(), Some(ModelKind::Landscape), "{options:?}");
        assert_eq!(p.model_input_size(), Some((256, 256)));
    }
    p.set_options(Options::default()).unwrap();
    common::run(&mut p, &common::photo("01-"));
    assert_eq!(p.missing_model(), None, "a square photo wants the general model");

    let landscape = Segmenter::from_onnx_bytes(&common::landscape_model()).unwrap();
    p.add_model(ModelKind::Landscape, landscape);
    assert!(p.has_model(ModelKind::Landscape));
    common::run(&mut p, &wide);
    assert_eq!(p.missing_model(), None);
    assert_eq!(p.model_input_size(), Some((256, 144)));
    assert_eq!(p.model_in_use(), Some(ModelKind::Landscape));
}

#[test]
fn the_wanted_model_follows_the_options_and_the_shape() {
    use backdrop_core::{ModelChoice, ModelKind, Options};
    let auto = Options::default().effective();
    assert_eq!(ModelKind::wanted(&auto, None), ModelKind::General);
    assert_eq!(ModelKind::wanted(&auto, Some((640, 480))), ModelKind::General);
    assert_eq!(ModelKind::wanted(&auto, Some((1280, 720))), ModelKind::Landscape);
    assert_eq!(ModelKind::wanted(&auto, Some((720, 1280))), ModelKind::General);
    assert_eq!(ModelKind::wanted(&auto, Some((10, 0))), ModelKind::General);
    let tier1 = Options { quality_tier: 1, ..Options::default() }.effective();
    assert_eq!(ModelKind::wanted(&tier1, Some((640, 480))), ModelKind::Landscape);
    let general = Options { model: ModelChoice::General, ..Options::default() }.effective();
    assert_eq!(ModelKind::wanted(&general, Some((1280, 720))), ModelKind::General);
    for kind in [ModelKind::General, ModelKind::Landscape] {
        assert_eq!(ModelKind::from_name(kind.name()).unwrap(), kind);
    }
    let m = ModelKind::from_name("auto").unwrap_err().to_string();
    assert!(m.contains("'auto'") && m.contains("'general' or 'landscape'"), "{m}");
}
