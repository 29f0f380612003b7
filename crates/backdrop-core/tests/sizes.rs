//! Any frame size, odd and tiny included, any aspect ratio, both pixel formats, and
//! size changes in the middle of a stream.

use crate::common;

use backdrop_core::input::color::rgba_to_i420;
use backdrop_core::input::frame::chroma_size;
use backdrop_core::metrics::iou;
use backdrop_core::{
    BackgroundImage, Fill, Frame, I420Frame, Mode, ModelChoice, NoClock, Options, Refinement,
    RgbaFrame, YuvColorSpace,
};
use image::imageops::{resize, FilterType};
use image::RgbaImage;

/// The packed I420 bytes of an RGBA image.
fn to_i420(img: &RgbaImage) -> Vec<u8> {
    let (w, h) = img.dimensions();
    let (cw, ch) = chroma_size(w, h);
    let (yl, cl) = ((w * h) as usize, (cw * ch) as usize);
    let mut buf = vec![0u8; yl + 2 * cl];
    let (y, uv) = buf.split_at_mut(yl);
    let (u, v) = uv.split_at_mut(cl);
    rgba_to_i420(
        &RgbaFrame::packed(img.as_raw(), w, h).unwrap(),
        YuvColorSpace::default(),
        y,
        u,
        v,
    )
    .unwrap();
    buf
}

#[test]
fn odd_and_tiny_sizes_work_in_every_mode_and_format() {
    let photo = common::photo("12-");
    let bg = common::photo("08-");
    let background = BackgroundImage::new(bg.as_raw().clone(), bg.width(), bg.height()).unwrap();
    let mut p = common::processor(Options::default());
    p.set_background_image(Some(background));
    let modes = [
        (Mode::Blur, Fill::Transparent),
        (Mode::Replace, Fill::Transparent),
        (Mode::Remove, Fill::Transparent),
        (Mode::Remove, Fill::Color([0, 255, 0, 255])),
    ];
    let refinements = [
        Refinement::GuidedFilter,
        Refinement::JointBilateral,
        Refinement::Bilinear,
    ];
    for (w, h) in [
        (1, 1),
        (2, 3),
        (3, 2),
        (17, 9),
        (9, 17),
        (255, 257),
        (641, 479),
    ] {
        let img = resize(&photo, w, h, FilterType::Triangle);
        let i420 = to_i420(&img);
        for (i, &(mode, fill)) in modes.iter().enumerate() {
            let refinement = refinements[i % refinements.len()];
            p.set_options(Options {
                mode,
                fill,
                refinement,
                blur_strength: 1.0,
                ..Options::default()
            })
            .unwrap();
            let mut out = vec![0u8; (w * h * 4) as usize];
            p.process(common::frame(&img), &mut out, &NoClock)
                .unwrap_or_else(|e| panic!("{w}x{h} {mode:?} RGBA: {e:#}"));
            assert_eq!(p.mask().len(), (w * h) as usize);
            assert_eq!(p.mask_size(), (w, h));
            let frame = Frame::I420(I420Frame::packed(&i420, w, h).unwrap());
            p.process(frame, &mut out, &NoClock)
                .unwrap_or_else(|e| panic!("{w}x{h} {mode:?} I420: {e:#}"));
        }
    }
}

#[test]
fn size_change_mid_stream_restarts_cleanly() {
    let a = common::photo("11-"); // 642x484
    let b = common::photo("03-"); // 1280x720
    let c = resize(&a, 641, 479, FilterType::Triangle);
    let mut stream = common::processor(Options::default());
    for (i, img) in [&a, &a, &b, &b, &c, &a].into_iter().enumerate() {
        let (out, mask) = common::run(&mut stream, img);
        assert_eq!(out.len(), img.as_raw().len());
        assert_eq!(stream.mask_size(), img.dimensions());
        // After a size change the stream has no history: it must give exactly what a
        // new processor gives for that frame.
        if i == 0 || i == 2 || i == 4 || i == 5 {
            let mut fresh = common::processor(Options::default());
            let (fresh_out, fresh_mask) = common::run(&mut fresh, img);
            assert!(
                mask == fresh_mask && out == fresh_out,
                "frame {i} differs from a fresh processor's"
            );
        }
    }
}

#[test]
fn i420_input_matches_rgba_input() {
    for prefix in ["01-", "12-", "16-"] {
        let img = common::photo(prefix);
        let (w, h) = img.dimensions();
        let mut p = common::processor(Options {
            temporal_smoothing: 0.0,
            ..Options::default()
        });
        let (_, rgba_mask) = common::run(&mut p, &img);
        let i420 = to_i420(&img);
        let mut out = vec![0u8; (w * h * 4) as usize];
        p.process(
            Frame::I420(I420Frame::packed(&i420, w, h).unwrap()),
            &mut out,
            &NoClock,
        )
        .unwrap();
        let score = iou(p.mask(), &rgba_mask).unwrap();
        eprintln!("{prefix} I420 vs RGBA mask IoU {score:.4}");
        assert!(score >= 0.97, "{prefix}: IoU {score}");
    }
}

#[test]
fn auto_picks_the_model_by_aspect_ratio() {
    let photo = common::photo("03-");
    let mut p = common::processor(Options::default());
    for ((w, h), want) in [
        ((1280, 720), (256, 144)),
        ((640, 480), (256, 256)),
        ((360, 640), (256, 256)),
    ] {
        let img = resize(&photo, w, h, FilterType::Triangle);
        common::run(&mut p, &img);
        assert_eq!(p.model_input_size(), Some(want), "{w}x{h}");
    }
    p.set_options(Options {
        model: ModelChoice::General,
        ..Options::default()
    })
    .unwrap();
    common::run(&mut p, &photo);
    assert_eq!(p.model_input_size(), Some((256, 256)));
    p.set_options(Options {
        model: ModelChoice::Landscape,
        ..Options::default()
    })
    .unwrap();
    let portrait = resize(&photo, 360, 640, FilterType::Triangle);
    common::run(&mut p, &portrait);
    assert_eq!(p.model_input_size(), Some((256, 144)));
}

/// `img` with `left`/`top` columns/rows added before it and enough after it to reach
/// `width x height`, all replicating the nearest edge pixel.
fn pad_replicating(img: &RgbaImage, width: u32, height: u32, left: u32, top: u32) -> RgbaImage {
    let (w, h) = img.dimensions();
    RgbaImage::from_fn(width, height, |x, y| {
        let sx = (x as i64 - left as i64).clamp(0, w as i64 - 1) as u32;
        let sy = (y as i64 - top as i64).clamp(0, h as i64 - 1) as u32;
        *img.get_pixel(sx, sy)
    })
}

/// Frames whose aspect ratio differs from the model's are letterboxed, never stretched:
/// the mask of a frame equals (within resampling) the mask of the same frame padded by
/// edge replication to the model's aspect ratio, where no letterbox is needed.
#[test]
fn other_aspect_ratios_are_letterboxed_not_stretched() {
    let cases = [
        ("03-", ModelChoice::General, (256u32, 256u32)), // 16:9 in a square model
        ("06-", ModelChoice::Landscape, (256, 144)),     // 4:3 in a 16:9 model
        ("08-", ModelChoice::General, (256, 256)),       // portrait in a square model
        ("14-", ModelChoice::Landscape, (256, 144)),     // 3:4 portrait in a 16:9 model
        ("12-", ModelChoice::General, (256, 256)),       // 5:4 in a square model
    ];
    for (prefix, choice, (mw, mh)) in cases {
        let img = common::photo(prefix);
        let (w, h) = img.dimensions();
        let mut p = common::processor(Options {
            model: choice,
            temporal_smoothing: 0.0,
            ..Options::default()
        });
        let (_, mask) = common::run(&mut p, &img);
        let (pw, ph) = if w * mh > h * mw {
            (w, (w as f64 * mh as f64 / mw as f64).round() as u32)
        } else {
            ((h as f64 * mw as f64 / mh as f64).round() as u32, h)
        };
        let (left, top) = ((pw - w) / 2, (ph - h) / 2);
        let padded = pad_replicating(&img, pw, ph, left, top);
        let (_, padded_mask) = common::run(&mut p, &padded);
        let inner: Vec<u8> = (top..top + h)
            .flat_map(|y| (left..left + w).map(move |x| (y * pw + x) as usize))
            .map(|i| padded_mask[i])
            .collect();
        let score = iou(&mask, &inner).unwrap();
        eprintln!("{prefix} {w}x{h} vs padded {pw}x{ph} ({choice:?}): mask IoU {score:.4}");
        assert!(score >= 0.97, "{prefix} {choice:?}: IoU {score}");
    }
}
