//! No allocation per frame in steady state: after one frame of a given size, every
//! stage of Backdrop's own (conversion, preprocessing, refinement, compositing) runs
//! without touching the allocator. (Inference allocates inside tract; that count is
//! printed, not asserted.)

mod common;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use backdrop_core::composite::blur::BlurCompositor;
use backdrop_core::composite::remove::RemoveCompositor;
use backdrop_core::composite::replace::ReplaceCompositor;
use backdrop_core::input::color::i420_to_rgba;
use backdrop_core::input::preprocess::Preprocessor;
use backdrop_core::refine::MaskRefiner;
use backdrop_core::{
    BackgroundImage, Fill, I420Frame, Options, Refinement, RgbaFrame, Segmenter, TemporalConfig,
};
use counting_alloc::allocations_during;

#[test]
fn stages_do_not_allocate_once_warm() {
    let photo = image::imageops::resize(
        &common::photo("12-"),
        641,
        479,
        image::imageops::FilterType::Triangle,
    );
    let (w, h) = photo.dimensions();
    let frame = RgbaFrame::packed(photo.as_raw(), w, h).unwrap();
    let bg = common::photo("08-");
    let background = BackgroundImage::new(bg.as_raw().clone(), bg.width(), bg.height()).unwrap();
    let mut segmenter = Segmenter::from_onnx_bytes(&common::general_model()).unwrap();
    let (mw, mh) = segmenter.input_size();

    let mut pre = Preprocessor::new((w, h), (mw, mh));
    let mut grid_mask = vec![0.0f32; (mw * mh) as usize];
    let mut refiner = MaskRefiner::new(TemporalConfig::with_strength(0.9), 0.3);
    refiner.set_geometry(pre.letterbox());
    let i420 = vec![128u8; (w * h + 2 * w.div_ceil(2) * h.div_ceil(2)) as usize];
    let i420 = I420Frame::packed(&i420, w, h).unwrap();
    let (mut blur, mut replace, mut remove) = (
        BlurCompositor::default(),
        ReplaceCompositor::default(),
        RemoveCompositor::default(),
    );
    let mut rgba = vec![0u8; (w * h * 4) as usize];
    let mut out = vec![0u8; (w * h * 4) as usize];
    let mut mask = vec![0u8; (w * h) as usize];

    let mut frame_path = |refinement: Refinement| {
        i420_to_rgba(&i420, &mut rgba).unwrap();
        pre.run(&frame).unwrap();
        segmenter.run(pre.model_input(), &mut grid_mask).unwrap();
        refiner.refine(&frame, pre.guide(), &grid_mask, refinement);
        mask.copy_from_slice(refiner.mask());
        blur.apply(&frame, &mask, 0.7, &mut out);
        replace
            .apply(&frame, &mask, &background, 1, 0.3, &mut out)
            .unwrap();
        remove.apply(&frame, &mask, Fill::Color([1, 2, 3, 255]), &mut out);
        remove.apply(&frame, &mask, Fill::Transparent, &mut out);
    };
    for refinement in [
        Refinement::GuidedFilter,
        Refinement::JointBilateral,
        Refinement::Bilinear,
    ] {
        frame_path(refinement);
    }
    // Warm: only inference may allocate now.
    for refinement in [
        Refinement::GuidedFilter,
        Refinement::JointBilateral,
        Refinement::Bilinear,
    ] {
        let n = allocations_during(|| {
            i420_to_rgba(&i420, &mut rgba).unwrap();
            pre.run(&frame).unwrap();
        });
        assert_eq!(n, 0, "conversion and preprocessing allocated");
        let inference =
            allocations_during(|| segmenter.run(pre.model_input(), &mut grid_mask).unwrap());
        eprintln!("{refinement:?}: tract allocated {inference} times during inference");
        let n = allocations_during(|| refiner.refine(&frame, pre.guide(), &grid_mask, refinement));
        assert_eq!(n, 0, "{refinement:?} refinement allocated");
        mask.copy_from_slice(refiner.mask());
        let n = allocations_during(|| {
            blur.apply(&frame, &mask, 0.7, &mut out);
            replace
                .apply(&frame, &mask, &background, 1, 0.3, &mut out)
                .unwrap();
            remove.apply(&frame, &mask, Fill::Color([1, 2, 3, 255]), &mut out);
            remove.apply(&frame, &mask, Fill::Transparent, &mut out);
        });
        assert_eq!(n, 0, "compositing allocated");
    }
}

#[test]
fn the_processor_allocates_only_inside_inference() {
    let img = common::photo("03-");
    let mut p = common::processor(Options::default());
    common::run(&mut p, &img);
    let mut out = vec![0u8; img.as_raw().len()];
    let frame = common::frame(&img);
    let whole: Vec<usize> = (0..4)
        .map(|_| {
            allocations_during(|| {
                p.process(frame, &mut out, &backdrop_core::NoClock).unwrap();
            })
        })
        .collect();
    let mut segmenter = Segmenter::from_onnx_bytes(&common::landscape_model()).unwrap();
    let (mw, mh) = segmenter.input_size();
    let (rgb, mut mask) = (
        vec![0.5f32; (mw * mh * 3) as usize],
        vec![0.0f32; (mw * mh) as usize],
    );
    segmenter.run(&rgb, &mut mask).unwrap();
    let inference: Vec<usize> = (0..4)
        .map(|_| allocations_during(|| segmenter.run(&rgb, &mut mask).unwrap()))
        .collect();
    eprintln!("warm frames: {whole:?} allocations; inference alone: {inference:?}");
    assert_eq!(
        whole, inference,
        "everything but inference must be allocation-free"
    );
}
