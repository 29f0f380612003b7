//! Time of each stage of the frame path, and of the whole path, at 640x480 and 1280x720
//! on a real photograph. Measures only; asserts nothing about time.
//!
//!     cargo bench -p backdrop-bench --bench stages
//!
//! Needs `bash models/build.sh` (models and photographs).

#[path = "../../backdrop-core/tests/common/mod.rs"]
mod common;

use backdrop_core::composite::blur::BlurCompositor;
use backdrop_core::composite::remove::RemoveCompositor;
use backdrop_core::composite::replace::ReplaceCompositor;
use backdrop_core::input::color::{i420_to_rgba, rgba_to_i420};
use backdrop_core::input::frame::chroma_size;
use backdrop_core::input::preprocess::Preprocessor;
use backdrop_core::refine::MaskRefiner;
use backdrop_core::segment::people::{Content, MainPerson};
use backdrop_core::{
    BackgroundImage, Fill, Frame, I420Frame, Mode, NoClock, Options, Refinement, RgbaFrame,
    Segmenter, TemporalConfig, YuvColorSpace,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use image::imageops::{resize, FilterType};
use std::time::Duration;

const SIZES: [(u32, u32); 2] = [(640, 480), (1280, 720)];

fn i420_of(img: &image::RgbaImage) -> Vec<u8> {
    let (w, h) = img.dimensions();
    let (cw, ch) = chroma_size(w, h);
    let (yl, cl) = ((w * h) as usize, (cw * ch) as usize);
    let mut buf = vec![0u8; yl + 2 * cl];
    let (y, uv) = buf.split_at_mut(yl);
    let (u, v) = uv.split_at_mut(cl);
    let frame = RgbaFrame::packed(img.as_raw(), w, h).unwrap();
    rgba_to_i420(&frame, YuvColorSpace::default(), y, u, v).unwrap();
    buf
}

fn stages(c: &mut Criterion) {
    let photo = common::photo("12-");
    let bg_photo = common::photo("08-");
    let background = BackgroundImage::new(
        bg_photo.as_raw().clone(),
        bg_photo.width(),
        bg_photo.height(),
    )
    .unwrap();
    let mut general = Segmenter::from_onnx_bytes(&common::general_model()).unwrap();
    let mut landscape = Segmenter::from_onnx_bytes(&common::landscape_model()).unwrap();

    for (w, h) in SIZES {
        let size = format!("{w}x{h}");
        let img = resize(&photo, w, h, FilterType::Triangle);
        let frame = RgbaFrame::packed(img.as_raw(), w, h).unwrap();
        let i420 = i420_of(&img);
        let i420_frame = I420Frame::packed(&i420, w, h).unwrap();
        // The model `ModelChoice::Auto` picks for this aspect ratio.
        let segmenter = if w * 2 >= h * 3 {
            &mut landscape
        } else {
            &mut general
        };
        let model_size = segmenter.input_size();
        let mut group = c.benchmark_group(format!("stages/{size}"));

        let mut rgba_buf = vec![0u8; (w * h * 4) as usize];
        group.bench_function("i420_to_rgba", |b| {
            b.iter(|| i420_to_rgba(&i420_frame, &mut rgba_buf).unwrap())
        });

        let mut pre = Preprocessor::new((w, h), model_size);
        group.bench_function("preprocess", |b| b.iter(|| pre.run(&frame).unwrap()));

        let mut grid_mask = vec![0.0f32; (model_size.0 * model_size.1) as usize];
        let model_name = format!("inference_{}x{}", model_size.0, model_size.1);
        group.bench_function(model_name.as_str(), |b| {
            b.iter(|| segmenter.run(pre.model_input(), &mut grid_mask).unwrap())
        });

        // "Only me" (`people: main`): the caller's region of the model's mask, as after
        // each inference.
        let content = Content::of(pre.letterbox());
        let (mw, mh) = (model_size.0 as usize, model_size.1 as usize);
        let mut people = MainPerson::default();
        let mut people_mask = grid_mask.clone();
        group.bench_function("people_main", |b| {
            b.iter(|| {
                people_mask.copy_from_slice(&grid_mask);
                people.apply(&mut people_mask, mw, mh, content)
            })
        });

        let mut refiner = MaskRefiner::new(TemporalConfig::with_strength(0.9), 0.3);
        refiner.set_geometry(pre.letterbox());
        for (name, refinement) in [
            ("guided", Refinement::GuidedFilter),
            ("bilateral", Refinement::JointBilateral),
            ("bilinear", Refinement::Bilinear),
        ] {
            group.bench_function(BenchmarkId::new("refine", name), |b| {
                b.iter(|| refiner.refine(&frame, pre.guide(), &grid_mask, refinement))
            });
        }
        refiner.refine(&frame, pre.guide(), &grid_mask, Refinement::GuidedFilter);
        let mask = refiner.mask().to_vec();

        let mut out = vec![0u8; (w * h * 4) as usize];
        let mut blur = BlurCompositor::default();
        for strength in [0.5f32, 1.0] {
            group.bench_function(BenchmarkId::new("composite_blur", strength), |b| {
                b.iter(|| blur.apply(&frame, &mask, strength, &mut out))
            });
        }
        let mut replace = ReplaceCompositor::default();
        group.bench_function("composite_replace", |b| {
            b.iter(|| {
                replace
                    .apply(&frame, &mask, &background, 1, 0.3, &mut out)
                    .unwrap()
            })
        });
        group.bench_function("composite_remove", |b| {
            let mut remove = RemoveCompositor::default();
            b.iter(|| remove.apply(&frame, &mask, Fill::Color([0, 177, 64, 255]), &mut out))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("whole_path/{size}"));
        let mut p = common::processor(Options::default());
        p.set_background_image(Some(background.clone()));
        for mode in [Mode::Blur, Mode::Replace, Mode::Remove] {
            p.set_options(Options {
                mode,
                ..Options::default()
            })
            .unwrap();
            group.bench_function(
                BenchmarkId::new("rgba", format!("{mode:?}").to_lowercase()),
                |b| b.iter(|| p.process(Frame::Rgba(frame), &mut out, &NoClock).unwrap()),
            );
        }
        p.set_options(Options::default()).unwrap();
        group.bench_function(BenchmarkId::new("i420", "blur"), |b| {
            b.iter(|| {
                p.process(Frame::I420(i420_frame), &mut out, &NoClock)
                    .unwrap()
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
