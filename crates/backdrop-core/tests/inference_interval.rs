//! `Options::inference_interval`: the model runs on every n-th frame only, and the frames
//! between reuse its last mask while refining and compositing their own pixels. Adaptive
//! quality in the npm package relies on it to keep the frame rate on slow machines.

mod common;
#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use backdrop_core::{Mode, ModelChoice, NoClock, Options, Processor};
use counting_alloc::allocations_during;
use image::RgbaImage;

fn options(interval: u32) -> Options {
    Options {
        mode: Mode::Remove,
        model: ModelChoice::General,
        inference_interval: interval,
        ..Options::default()
    }
}

fn process(p: &mut Processor, img: &RgbaImage) -> (Vec<u8>, Vec<u8>, bool) {
    let (out, mask) = common::run(p, img);
    (out, mask, p.inferred_last_frame())
}

#[test]
fn the_model_runs_on_every_nth_frame() {
    let img = common::shrink(&common::photo("03-"), 320);
    for interval in 1..=4u32 {
        let mut p = common::processor(options(interval));
        let inferred: Vec<bool> = (0..9).map(|_| process(&mut p, &img).2).collect();
        let expected: Vec<bool> = (0..9).map(|i| i % interval as usize == 0).collect();
        assert_eq!(inferred, expected, "interval {interval}");
    }
}

#[test]
fn a_reused_mask_matches_inference_on_an_identical_frame() {
    // The same frame twice: the second frame's model output would equal the first's, so
    // reusing it must give exactly what running the model again gives (temporal
    // smoothing included: both processors carry the same history).
    let img = common::shrink(&common::photo("05-"), 400);
    let mut every = common::processor(options(1));
    let mut reuse = common::processor(options(2));
    for frame in 0..2 {
        let (out_a, mask_a, inferred_a) = process(&mut every, &img);
        let (out_b, mask_b, inferred_b) = process(&mut reuse, &img);
        assert!(inferred_a);
        assert_eq!(inferred_b, frame == 0);
        assert_eq!(mask_a, mask_b, "frame {frame}: masks differ");
        assert_eq!(out_a, out_b, "frame {frame}: composites differ");
    }
}

#[test]
fn skipped_frames_composite_their_own_pixels() {
    // A different frame while the model is skipped: the mask comes from the previous
    // frame's model output, but the person's pixels in the output are the new frame's.
    let a = common::shrink(&common::photo("03-"), 320);
    let b = image::imageops::resize(
        &common::photo("08-"),
        a.width(),
        a.height(),
        image::imageops::FilterType::Triangle,
    );
    let mut p = common::processor(Options {
        temporal_smoothing: 0.0,
        ..options(3)
    });
    let (_, mask_a, _) = process(&mut p, &a);
    let (out_b, mask_b, inferred) = process(&mut p, &b);
    assert!(!inferred, "the second frame reuses the model mask");
    // Refinement is guided by the new frame, so the mask may move a little, not much.
    let same = mask_a
        .iter()
        .zip(&mask_b)
        .filter(|(x, y)| (**x >= 128) == (**y >= 128))
        .count();
    assert!(
        same as f64 > 0.9 * mask_a.len() as f64,
        "reused mask strays: {same} of {} pixels agree",
        mask_a.len()
    );
    let person = mask_b
        .iter()
        .position(|&m| m == 255)
        .expect("a person pixel");
    assert_eq!(
        &out_b[person * 4..person * 4 + 3],
        &b.as_raw()[person * 4..person * 4 + 3],
        "fully-person pixels show the current frame"
    );
}

#[test]
fn a_size_model_change_or_reset_forces_inference() {
    let big = common::shrink(&common::photo("03-"), 320);
    let small = common::shrink(&big, 200);
    let mut p = common::processor(options(4));
    assert!(process(&mut p, &big).2);
    assert!(!process(&mut p, &big).2);
    assert!(process(&mut p, &small).2, "a new size infers");
    assert!(!process(&mut p, &small).2);
    p.set_options(Options {
        model: ModelChoice::Landscape,
        ..options(4)
    })
    .unwrap();
    assert!(process(&mut p, &small).2, "a new model infers");
    assert!(!process(&mut p, &small).2);
    p.reset();
    assert!(process(&mut p, &small).2, "reset infers");
    assert_eq!(p.mask().len(), (small.width() * small.height()) as usize);
}

#[test]
fn a_failed_frame_does_not_leave_a_stale_mask_for_another_size() {
    let img = common::shrink(&common::photo("03-"), 320);
    let mut p = common::processor(options(4));
    process(&mut p, &img);
    let mut wrong = vec![0u8; 12];
    assert!(p
        .process(common::frame(&img), &mut wrong, &NoClock)
        .is_err());
    // The next good frame continues the schedule (the failed call changed nothing).
    assert!(!process(&mut p, &img).2);
}

#[test]
fn frames_that_skip_the_model_allocate_nothing_once_warm() {
    let img = common::shrink(&common::photo("03-"), 320);
    let mut p = common::processor(options(3));
    let mut out = vec![0u8; img.as_raw().len()];
    let frame = common::frame(&img);
    // Warm: one inferring frame, one skipping frame (tract allocates while inferring).
    for _ in 0..3 {
        p.process(frame, &mut out, &NoClock).unwrap();
    }
    let mut skipped = Vec::new();
    for _ in 0..6 {
        let n = allocations_during(|| {
            p.process(frame, &mut out, &NoClock).unwrap();
        });
        if !p.inferred_last_frame() {
            skipped.push(n);
        }
    }
    assert_eq!(skipped, vec![0; 4], "frames without inference allocated");
}
