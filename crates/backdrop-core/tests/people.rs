//! "Only me" (`people: main`) on real photographs: of the test photographs with several
//! people, and of a sequence in which a second person comes in behind the caller, `main`
//! keeps the caller's mask as `all` has it and clears everyone else.

use crate::common;

use backdrop_core::{Options, People, Processor};
use image::imageops::{overlay, resize, FilterType};
use image::RgbaImage;

/// The photographs with more than one person (models/IMAGES.md).
const GROUPS: [&str; 5] = ["03-", "04-", "06-", "09-", "16-"];
/// At most this share of the others' `all` mask may remain under `main`.
const MAX_OTHERS_KEPT: f64 = 0.02;
/// The caller's mask under `main` against `all`, on the caller's region.
const MIN_CALLER_IOU: f64 = 0.98;

fn options(people: People) -> Options {
    Options {
        people,
        ..Options::default()
    }
}

fn mask_of(p: &mut Processor, img: &RgbaImage) -> Vec<u8> {
    common::run(p, img).1
}

/// The 8-connected regions of `mask >= 128`, as one label per pixel (0 = none).
fn regions(mask: &[u8], width: usize, height: usize) -> (Vec<u32>, u32) {
    let mut labels = vec![0u32; mask.len()];
    let mut count = 0;
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if labels[start] != 0 || mask[start] < 128 {
            continue;
        }
        count += 1;
        labels[start] = count;
        stack.push(start);
        while let Some(i) = stack.pop() {
            let (x, y) = (i % width, i / width);
            for ny in y.saturating_sub(1)..(y + 2).min(height) {
                for nx in x.saturating_sub(1)..(x + 2).min(width) {
                    let j = ny * width + nx;
                    if labels[j] == 0 && mask[j] >= 128 {
                        labels[j] = count;
                        stack.push(j);
                    }
                }
            }
        }
    }
    (labels, count)
}

/// Splits the `all` mask into the caller's regions (those `main` kept most of) and the
/// others, and measures `main` against them: (others kept share, caller IoU, others' area).
fn compare(all: &[u8], main: &[u8], width: usize, height: usize) -> (f64, f64, f64) {
    let (labels, count) = regions(all, width, height);
    let mut kept = vec![(0f64, 0f64); count as usize + 1];
    for i in 0..all.len() {
        let l = labels[i] as usize;
        kept[l].0 += all[i] as f64;
        kept[l].1 += main[i].min(all[i]) as f64;
    }
    let caller = |l: u32| l > 0 && kept[l as usize].1 >= 0.5 * kept[l as usize].0;
    let (mut others_all, mut others_main) = (0.0, 0.0);
    let (mut inter, mut union) = (0.0, 0.0);
    for i in 0..all.len() {
        let (a, m) = (all[i] as f64, main[i] as f64);
        if labels[i] > 0 && !caller(labels[i]) {
            others_all += a;
            others_main += m;
        } else if labels[i] > 0 {
            inter += a.min(m);
            union += a.max(m);
        }
    }
    let share = if others_all > 0.0 {
        others_main / others_all
    } else {
        0.0
    };
    (share, inter / union.max(1.0), others_all / 255.0)
}

#[test]
fn on_group_photographs_main_keeps_the_caller_and_clears_the_others() {
    let mut failures = Vec::new();
    let mut with_others = 0;
    for prefix in GROUPS {
        let img = common::photo(prefix);
        let (w, h) = (img.width() as usize, img.height() as usize);
        let all = mask_of(&mut common::processor(options(People::All)), &img);
        let main = mask_of(&mut common::processor(options(People::Main)), &img);
        let (share, iou, others_area) = compare(&all, &main, w, h);
        println!(
            "{prefix}: others {others_area:.0} px under all, {:.2} % of it kept; caller IoU {iou:.4}",
            share * 100.0
        );
        // Someone apart from the caller (a separate region of the mask, not a speck) must be
        // there for the photograph to count: people whose masks touch are one region.
        let apart = others_area > 0.001 * (w * h) as f64;
        with_others += apart as usize;
        if apart && share > MAX_OTHERS_KEPT {
            failures.push(format!("{prefix}: {:.2} % of the others kept", share * 100.0));
        }
        if iou < MIN_CALLER_IOU {
            failures.push(format!("{prefix}: caller IoU {iou:.4}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        with_others >= 1,
        "only {with_others} group photographs have another person apart from the caller"
    );
}

/// The caller (12-, one person before a wall) and a second person further back (14-, cut
/// out by its own `all` mask, at a third of the height) walking in from the left edge in
/// the free space above the caller's shoulder, never touching them. Returns the frames,
/// where the visitor is in each (their alpha), and a test of whether a pixel shows only the
/// caller (away from where the visitor ever is).
fn sequence(frames: usize) -> (Vec<RgbaImage>, Vec<Vec<u8>>, impl Fn(usize, usize) -> bool) {
    let base = common::shrink(&common::photo("12-"), 480);
    let (w, h) = (base.width() as usize, base.height() as usize);
    let caller = mask_of(&mut common::processor(options(People::All)), &base);
    // The caller's top edge per column.
    let top: Vec<usize> = (0..w)
        .map(|x| (0..h).find(|&y| caller[y * w + x] >= 128).unwrap_or(h))
        .collect();
    let (vh, gap) = (h / 3, h / 20);
    let free = top.iter().take_while(|&&t| t > vh + 2 * gap).count();
    let visitor = common::shrink(&common::photo("14-"), 480);
    let visitor_mask = mask_of(&mut common::processor(options(People::All)), &visitor);
    let mut cutout = visitor.clone();
    for (px, &m) in cutout.pixels_mut().zip(&visitor_mask) {
        px.0[3] = m;
    }
    let vw = (cutout.width() as f64 * vh as f64 / cutout.height() as f64) as usize;
    let cutout = resize(&cutout, vw as u32, vh as u32, FilterType::Triangle);
    // From half outside the left edge to a gap before the caller.
    let (first, last) = (-(vw as i64) / 2, free as i64 - (gap + vw) as i64);
    assert!(
        last > first,
        "no room above the caller's shoulder in 12- ({free} free columns)"
    );
    let mut images = Vec::new();
    let mut pasted = Vec::new();
    for t in 0..frames {
        let x = first + (last - first) * t as i64 / (frames as i64 - 1);
        let mut img = base.clone();
        overlay(&mut img, &cutout, x, gap as i64);
        let mut alone = RgbaImage::new(base.width(), base.height());
        overlay(&mut alone, &cutout, x, gap as i64);
        pasted.push(alone.pixels().map(|p| p.0[3]).collect());
        images.push(img);
    }
    let caller_only = move |x: usize, y: usize| x >= free || y >= vh + 2 * gap;
    (images, pasted, caller_only)
}

#[test]
fn a_second_person_coming_in_behind_the_caller_is_never_shown() {
    let (images, pasted, caller_only) = sequence(40);
    let (w, h) = (images[0].width() as usize, images[0].height() as usize);
    let mut all = common::processor(options(People::All));
    let mut main = common::processor(options(People::Main));
    let mut worst_share: f64 = 0.0;
    let mut worst_iou: f64 = 1.0;
    for (t, (img, visitor)) in images.iter().zip(&pasted).enumerate() {
        let m_all = mask_of(&mut all, img);
        let m_main = mask_of(&mut main, img);
        // The visitor's mask: where the visitor was pasted (no caller there).
        let (mut v_all, mut v_main) = (0.0, 0.0);
        for i in 0..w * h {
            if visitor[i] >= 128 {
                v_all += m_all[i] as f64;
                v_main += m_main[i] as f64;
            }
        }
        assert!(v_all > 0.0, "frame {t}: the model does not see the visitor at all");
        let share = v_main / v_all;
        // The caller: `all` where only the caller is.
        let (mut inter, mut union) = (0.0, 0.0);
        for i in 0..w * h {
            if caller_only(i % w, i / w) {
                inter += m_all[i].min(m_main[i]) as f64;
                union += m_all[i].max(m_main[i]) as f64;
            }
        }
        let iou = inter / union.max(1.0);
        worst_share = worst_share.max(share);
        worst_iou = worst_iou.min(iou);
        assert!(
            share <= MAX_OTHERS_KEPT,
            "frame {t}: {:.2} % of the visitor shown",
            share * 100.0
        );
        assert!(iou >= MIN_CALLER_IOU, "frame {t}: caller IoU {iou:.4}");
    }
    println!(
        "visitor: at most {:.2} % shown; caller IoU at least {worst_iou:.4}",
        worst_share * 100.0
    );
}

/// What "only me" costs per inference, on the landscape model's grid (256 × 144) of a
/// photograph of three people: printed, not asserted (a measurement, not a gate).
#[test]
fn cost_per_inference_is_printed() {
    use backdrop_core::input::letterbox::Letterbox;
    use backdrop_core::segment::people::{Content, MainPerson};
    let img = common::photo("16-");
    let all = mask_of(&mut common::processor(options(People::All)), &img);
    let small = image::GrayImage::from_raw(img.width(), img.height(), all).unwrap();
    let (gw, gh) = (256u32, 144u32);
    let grid: Vec<f32> = resize(&small, gw, gh, FilterType::Triangle)
        .as_raw()
        .iter()
        .map(|&v| v as f32 / 255.0)
        .collect();
    let content = Content::of(&Letterbox::fit(gw, gh, gw, gh));
    let mut people = MainPerson::default();
    let mut mask = grid.clone();
    people.apply(&mut mask, gw as usize, gh as usize, content);
    let runs = 200;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        mask.copy_from_slice(&grid);
        people.apply(&mut mask, gw as usize, gh as usize, content);
    }
    let us = start.elapsed().as_secs_f64() * 1e6 / runs as f64;
    println!("people main on a 256x144 grid: {us:.0} µs per inference (mean of {runs})");
    assert!(people.has_caller());
}
