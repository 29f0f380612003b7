//! Which upsampling refines the model's mask best, measured against a known truth: the
//! person of each photograph (the pixels its mask marks as pure person) pasted onto a
//! background made of another photograph cut into 16-pixel blocks and shuffled (natural
//! colours and texture, no recognisable people). The pasted region is exactly the true
//! mask of the composite, and its outline is where the picture changes, so edge-aware
//! upsampling should land on it.

use crate::common;

use backdrop_core::metrics::{boundary_f_score, iou};
use backdrop_core::{Frame, Options, Refinement, RgbaFrame};
use image::imageops::{resize, FilterType};
use image::RgbaImage;
use std::time::Instant;

const BLOCK: u32 = 16;

/// `img` cut into BLOCK x BLOCK tiles put back in a deterministic pseudo-random order.
fn shuffled_blocks(img: &RgbaImage, seed: u64) -> RgbaImage {
    let (w, h) = img.dimensions();
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let mut order: Vec<u32> = (0..bw * bh).collect();
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for i in (1..order.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        order.swap(i, (x % (i as u64 + 1)) as usize);
    }
    RgbaImage::from_fn(w, h, |px, py| {
        let src = order[((py / BLOCK) * bw + px / BLOCK) as usize];
        let (sx, sy) = (
            (src % bw) * BLOCK + px % BLOCK,
            (src / bw) * BLOCK + py % BLOCK,
        );
        *img.get_pixel(sx.min(w - 1), sy.min(h - 1))
    })
}

const REFINEMENTS: [Refinement; 3] = [
    Refinement::Bilinear,
    Refinement::GuidedFilter,
    Refinement::JointBilateral,
];

/// Scores (IoU, boundary F at 2 px, refine ms) per refinement, summed over the photos.
#[test]
fn guided_upsampling_beats_bilinear_on_composites_with_a_known_mask() {
    let photos = common::photos();
    let mut p = common::processor(Options {
        temporal_smoothing: 0.0,
        edge_softness: 0.0,
        ..Options::default()
    });
    let mut totals = [(0.0f64, 0.0f64, 0.0f64); 3];
    let mut count = 0;
    for (i, (name, img)) in photos.iter().enumerate() {
        let (w, h) = img.dimensions();
        let (_, mask) = common::run(&mut p, img);
        let person: Vec<bool> = mask.iter().map(|&m| m == 255).collect();
        let share = person.iter().filter(|&&b| b).count() as f64 / person.len() as f64;
        if !(0.1..=0.7).contains(&share) {
            eprintln!(
                "{name}: skipped, person covers {:.0}% of the picture",
                100.0 * share
            );
            continue;
        }
        let (_, other) = &photos[(i + 5) % photos.len()];
        let backdrop = shuffled_blocks(&resize(other, w, h, FilterType::Triangle), i as u64);
        let composite = RgbaImage::from_fn(w, h, |x, y| {
            if person[(y * w + x) as usize] {
                *img.get_pixel(x, y)
            } else {
                *backdrop.get_pixel(x, y)
            }
        });
        let truth: Vec<u8> = person.iter().map(|&b| if b { 255 } else { 0 }).collect();
        let mut line = format!("{name:<24}");
        for (k, refinement) in REFINEMENTS.into_iter().enumerate() {
            p.set_options(Options {
                refinement,
                ..*p.options()
            })
            .unwrap();
            let mut out = vec![0u8; composite.as_raw().len()];
            let frame = Frame::Rgba(RgbaFrame::packed(composite.as_raw(), w, h).unwrap());
            let start = Instant::now();
            let clock = move || start.elapsed().as_secs_f64() * 1000.0;
            let timings = p.process(frame, &mut out, &clock).unwrap();
            let score = iou(p.mask(), &truth).unwrap();
            let bf = boundary_f_score(p.mask(), &truth, w as usize, h as usize, 2).unwrap();
            totals[k].0 += score;
            totals[k].1 += bf;
            totals[k].2 += timings.refine_ms;
            line += &format!("  {refinement:?}: IoU {score:.4} BF {bf:.4}");
        }
        eprintln!("{line}");
        count += 1;
    }
    assert!(count >= 8, "only {count} usable photographs");
    let n = count as f64;
    for (k, refinement) in REFINEMENTS.iter().enumerate() {
        let (iou_sum, bf_sum, ms) = totals[k];
        eprintln!(
            "mean over {count}: {refinement:?}: IoU {:.4}, boundary F@2px {:.4}, refine {:.2} ms",
            iou_sum / n,
            bf_sum / n,
            ms / n
        );
    }
    let (bilinear, guided, bilateral) = (totals[0], totals[1], totals[2]);
    assert!(
        guided.1 > bilinear.1,
        "guided filter boundary F {} vs bilinear {}",
        guided.1 / n,
        bilinear.1 / n
    );
    assert!(
        guided.0 >= bilinear.0,
        "guided filter IoU {} vs bilinear {}",
        guided.0 / n,
        bilinear.0 / n
    );
    assert!(
        bilateral.1 > bilinear.1,
        "joint bilateral boundary F {} vs bilinear {}",
        bilateral.1 / n,
        bilinear.1 / n
    );
}
