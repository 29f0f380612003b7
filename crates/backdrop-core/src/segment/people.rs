//! "Only me" (`people: main`): of the people the model finds, keep the caller and treat
//! everyone else as background.
//!
//! Works on the model's own mask (e.g. 256 × 144), once per inference, so it costs a
//! fraction of a millisecond. A person is a connected region of the mask at 0.5 (8-way
//! connectivity). The caller is chosen once, as the region with the best score of size and
//! closeness to the frame's centre, and then followed from inference to inference by
//! overlap with where the caller was (a memory that can grow by only one model pixel per
//! inference, so someone who touches the caller for a moment is not adopted as the caller).
//! Regions close to the caller (a hand or an arm the mask cut off the body) stay with it.
//!
//! It never fails open: every region that is not the caller's is cleared, with its soft
//! edge; when no region lies on the caller (the caller left, or the model lost them), the
//! whole mask is cleared for up to [`LOST_INFERENCES`] inferences before a caller is
//! chosen anew, so the person behind is not shown the moment the caller ducks away.
//!
//! Two people whose masks touch are one region to the model and stay one here: there is no
//! cut between them to make.

use crate::input::letterbox::Letterbox;

/// A pixel at or above this is inside a person's region.
const CORE: f32 = 0.5;
/// Model pixels around the caller's regions whose soft edge (values below [`CORE`]) is kept.
const HALO_PX: usize = 2;
/// Model pixels around the caller within which another region counts as the caller's
/// (most of it must lie within this distance).
const NEAR_PX: usize = 6;
/// The share of a region that must lie near the caller for it to be the caller's.
const NEAR_SHARE: f32 = 0.5;
/// How far the caller's memory can grow per inference, in model pixels.
const FOLLOW_PX: usize = 1;
/// Inferences with no region on the caller before a caller is chosen anew.
pub const LOST_INFERENCES: u32 = 15;

/// The state of "only me" for one stream: which region is the caller.
#[derive(Debug, Default)]
pub struct MainPerson {
    width: usize,
    height: usize,
    /// Region number per pixel (0 = not a person), then the kept pixels.
    labels: Vec<u32>,
    stack: Vec<u32>,
    regions: Vec<Region>,
    /// Where the caller was at the last inference (1) or not (0); `None` before a caller is
    /// chosen.
    memory: Option<Vec<u8>>,
    lost: u32,
    keep: Vec<u8>,
    near: Vec<u8>,
    scratch: Scratch,
}

#[derive(Clone, Copy, Debug, Default)]
struct Region {
    area: u32,
    sum_x: u64,
    sum_y: u64,
    /// Pixels of the region near the caller's memory.
    near: u32,
    /// Pixels of the region in the caller's memory itself.
    on: u32,
    kept: bool,
}

/// The part of the model's input that shows the frame (the rest is letterbox padding), in
/// model pixels: where "the centre of the frame" is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Content {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Content {
    /// Where the frame lies in the model's input of `letterbox`.
    pub fn of(letterbox: &Letterbox) -> Self {
        Content {
            x: letterbox.offset_x,
            y: letterbox.offset_y,
            width: letterbox.frame_width as f64 / letterbox.scale,
            height: letterbox.frame_height as f64 / letterbox.scale,
        }
    }
}

impl MainPerson {
    /// Forgets the caller (a new stream, a new frame size or model).
    pub fn reset(&mut self) {
        self.memory = None;
        self.lost = 0;
    }

    /// Whether a caller is being followed.
    pub fn has_caller(&self) -> bool {
        self.memory.is_some()
    }

    /// Clears everyone but the caller from `mask` (`width` × `height`, row-major, values
    /// in [0, 1]); `content` is where the frame lies in it.
    pub fn apply(&mut self, mask: &mut [f32], width: usize, height: usize, content: Content) {
        let n = width * height;
        debug_assert_eq!(mask.len(), n);
        if (width, height) != (self.width, self.height) {
            self.width = width;
            self.height = height;
            self.reset();
        }
        self.labels.resize(n, 0);
        self.keep.resize(n, 0);
        self.near.resize(n, 0);
        self.scratch.rows.resize(n, 0);
        self.label(mask);

        if let Some(memory) = &self.memory {
            // Near the caller: the memory widened by NEAR_PX.
            self.near.copy_from_slice(memory);
            dilate(&mut self.near, &mut self.scratch, width, height, NEAR_PX);
            for (i, &label) in self.labels.iter().enumerate() {
                if label > 0 {
                    let r = &mut self.regions[label as usize - 1];
                    r.near += self.near[i] as u32;
                    r.on += memory[i] as u32;
                }
            }
            let best_on = self.regions.iter().map(|r| r.on).max().unwrap_or(0);
            if best_on == 0 {
                // Nobody where the caller was: show no one for a while, then choose anew.
                self.lost += 1;
                if self.lost < LOST_INFERENCES {
                    mask.fill(0.0);
                    return;
                }
                self.reset();
            } else {
                self.lost = 0;
                for r in &mut self.regions {
                    r.kept = r.on == best_on || r.near as f32 >= NEAR_SHARE * r.area as f32;
                }
            }
        }
        if self.memory.is_none() {
            if !self.choose(content) {
                mask.fill(0.0);
                return;
            }
        }

        // The kept regions' pixels.
        for (k, &label) in self.keep.iter_mut().zip(&self.labels) {
            *k = (label > 0 && self.regions[label as usize - 1].kept) as u8;
        }
        // The memory follows the caller: the kept pixels, but no further than FOLLOW_PX
        // beyond where the caller was.
        let memory = match self.memory.take() {
            Some(mut memory) => {
                dilate(&mut memory, &mut self.scratch, width, height, FOLLOW_PX);
                for (m, &k) in memory.iter_mut().zip(&self.keep) {
                    *m &= k;
                }
                memory
            }
            None => self.keep.clone(),
        };
        self.memory = Some(memory);

        // Clear the rest: the other regions and every soft edge not around the caller.
        self.near.copy_from_slice(&self.keep);
        dilate(&mut self.near, &mut self.scratch, width, height, HALO_PX);
        for ((m, &label), &near) in mask.iter_mut().zip(&self.labels).zip(&self.near) {
            let other = label > 0 && !self.regions[label as usize - 1].kept;
            if other || near == 0 {
                *m = 0.0;
            }
        }
    }

    /// Chooses the caller among the regions: the best product of area and closeness to
    /// the centre, with the regions near it. False when there is no region.
    fn choose(&mut self, content: Content) -> bool {
        let (cx, cy) = (content.x + content.width / 2.0, content.y + content.height / 2.0);
        let reach = (content.width.powi(2) + content.height.powi(2)).sqrt() / 2.0;
        let score = |r: &Region| {
            let x = r.sum_x as f64 / r.area as f64 + 0.5;
            let y = r.sum_y as f64 / r.area as f64 + 0.5;
            let distance = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() / reach;
            r.area as f64 * (1.0 - distance).max(0.05)
        };
        let Some(best) = (0..self.regions.len())
            .max_by(|&a, &b| score(&self.regions[a]).total_cmp(&score(&self.regions[b])))
        else {
            return false;
        };
        // The regions near the chosen one go with it (an arm the mask cut off the body).
        let chosen = best as u32 + 1;
        for (n, &label) in self.near.iter_mut().zip(&self.labels) {
            *n = (label == chosen) as u8;
        }
        dilate(&mut self.near, &mut self.scratch, self.width, self.height, NEAR_PX);
        for r in &mut self.regions {
            r.near = 0;
        }
        for (&label, &near) in self.labels.iter().zip(&self.near) {
            if label > 0 {
                self.regions[label as usize - 1].near += near as u32;
            }
        }
        for (i, r) in self.regions.iter_mut().enumerate() {
            r.kept = i == best || r.near as f32 >= NEAR_SHARE * r.area as f32;
        }
        true
    }

    /// Numbers the 8-connected regions of `mask >= CORE` into `labels` (from 1) and
    /// measures them into `regions`.
    fn label(&mut self, mask: &[f32]) {
        let (w, h) = (self.width, self.height);
        self.labels.fill(0);
        self.regions.clear();
        for start in 0..w * h {
            if self.labels[start] != 0 || mask[start] < CORE {
                continue;
            }
            let label = self.regions.len() as u32 + 1;
            let mut region = Region::default();
            self.labels[start] = label;
            self.stack.clear();
            self.stack.push(start as u32);
            while let Some(i) = self.stack.pop() {
                let i = i as usize;
                let (x, y) = (i % w, i / w);
                region.area += 1;
                region.sum_x += x as u64;
                region.sum_y += y as u64;
                for ny in y.saturating_sub(1)..(y + 2).min(h) {
                    for nx in x.saturating_sub(1)..(x + 2).min(w) {
                        let j = ny * w + nx;
                        if self.labels[j] == 0 && mask[j] >= CORE {
                            self.labels[j] = label;
                            self.stack.push(j as u32);
                        }
                    }
                }
            }
            self.regions.push(region);
        }
    }
}

/// Reused buffers of [`dilate`].
#[derive(Debug, Default)]
struct Scratch {
    rows: Vec<u8>,
    columns: Vec<u16>,
}

/// Grows the set pixels (1) of `map` by `radius` pixels (a square), in place.
fn dilate(map: &mut [u8], scratch: &mut Scratch, width: usize, height: usize, radius: usize) {
    let Scratch { rows: scratch, columns: counts } = scratch;
    if radius == 0 {
        return;
    }
    // Rows into scratch, then columns back into map; each pass keeps a running count of
    // the set pixels in its window, so it is linear in the pixels, whatever the radius.
    for (row, out) in map.chunks_exact(width).zip(scratch.chunks_exact_mut(width)) {
        let mut count = 0u32;
        for &v in &row[..radius.min(width)] {
            count += v as u32;
        }
        for x in 0..width {
            if x + radius < width {
                count += row[x + radius] as u32;
            }
            if x > radius {
                count -= row[x - radius - 1] as u32;
            }
            out[x] = (count > 0) as u8;
        }
    }
    // Columns, a row at a time: one count per column.
    counts.clear();
    counts.resize(width, 0);
    for y in 0..radius.min(height) {
        for (c, &v) in counts.iter_mut().zip(&scratch[y * width..(y + 1) * width]) {
            *c += v as u16;
        }
    }
    for y in 0..height {
        if y + radius < height {
            let add = &scratch[(y + radius) * width..(y + radius + 1) * width];
            for (c, &v) in counts.iter_mut().zip(add) {
                *c += v as u16;
            }
        }
        if y > radius {
            let sub = &scratch[(y - radius - 1) * width..(y - radius) * width];
            for (c, &v) in counts.iter_mut().zip(sub) {
                *c -= v as u16;
            }
        }
        for (m, &c) in map[y * width..(y + 1) * width].iter_mut().zip(counts.iter()) {
            *m = (c > 0) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: usize = 64;
    const H: usize = 48;

    fn content() -> Content {
        Content { x: 0.0, y: 0.0, width: W as f64, height: H as f64 }
    }

    /// A mask with filled rectangles (x0, y0, x1, y1) at 1 and a soft 0.3 rim around each.
    fn mask(rects: &[(usize, usize, usize, usize)]) -> Vec<f32> {
        let mut m = vec![0.0; W * H];
        for &(x0, y0, x1, y1) in rects {
            for y in y0.saturating_sub(1)..(y1 + 1).min(H) {
                for x in x0.saturating_sub(1)..(x1 + 1).min(W) {
                    let inside = (x0..x1).contains(&x) && (y0..y1).contains(&y);
                    let v = if inside { 1.0 } else { 0.3 };
                    m[y * W + x] = f32::max(m[y * W + x], v);
                }
            }
        }
        m
    }

    fn area(m: &[f32], rect: (usize, usize, usize, usize)) -> f32 {
        let (x0, y0, x1, y1) = rect;
        (y0..y1).flat_map(|y| (x0..x1).map(move |x| (x, y))).map(|(x, y)| m[y * W + x]).sum()
    }

    #[test]
    fn keeps_the_large_central_person_and_clears_the_other_with_its_edge() {
        let caller = (22, 10, 42, 48);
        let other = (2, 20, 10, 40);
        let mut m = mask(&[caller, other]);
        let before = m.clone();
        let mut people = MainPerson::default();
        people.apply(&mut m, W, H, content());
        assert_eq!(area(&m, caller), area(&before, caller));
        assert_eq!(area(&m, (1, 19, 11, 41)), 0.0, "the other person and their soft edge");
    }

    #[test]
    fn follows_the_caller_when_someone_larger_comes_in() {
        let mut people = MainPerson::default();
        let caller = (26, 10, 38, 48);
        people.apply(&mut mask(&[caller]), W, H, content());
        // Someone bigger and as central walks in beside the caller, the caller moves a bit.
        for step in 0..10 {
            let caller = (26 - step / 3, 10, 38 - step / 3, 48);
            let other = (44, 0, 64, 48);
            let mut m = mask(&[caller, other]);
            let before = m.clone();
            people.apply(&mut m, W, H, content());
            assert_eq!(area(&m, caller), area(&before, caller), "step {step}");
            assert_eq!(area(&m, other), 0.0, "step {step}");
        }
    }

    #[test]
    fn a_hand_cut_off_the_body_stays_with_the_caller() {
        let body = (24, 20, 40, 48);
        let hand = (42, 12, 46, 18);
        let mut m = mask(&[body, hand]);
        let before = m.clone();
        MainPerson::default().apply(&mut m, W, H, content());
        assert_eq!(area(&m, hand), area(&before, hand));
    }

    #[test]
    fn someone_who_touched_the_caller_for_a_moment_is_not_adopted() {
        let mut people = MainPerson::default();
        let caller = (24, 10, 36, 48);
        people.apply(&mut mask(&[caller]), W, H, content());
        // Touching for three inferences: one region.
        for _ in 0..3 {
            people.apply(&mut mask(&[caller, (36, 14, 52, 48)]), W, H, content());
        }
        // Apart again: the other one is cleared.
        let other = (48, 14, 60, 48);
        let mut m = mask(&[caller, other]);
        people.apply(&mut m, W, H, content());
        assert_eq!(area(&m, other), 0.0);
        assert!(area(&m, caller) > 0.0);
    }

    #[test]
    fn when_the_caller_is_lost_no_one_is_shown_for_a_while_then_a_caller_is_chosen() {
        let mut people = MainPerson::default();
        people.apply(&mut mask(&[(24, 10, 36, 48)]), W, H, content());
        let other = (2, 10, 12, 48);
        for i in 0..LOST_INFERENCES - 1 {
            let mut m = mask(&[other]);
            people.apply(&mut m, W, H, content());
            assert!(m.iter().all(|&v| v == 0.0), "inference {i}");
        }
        let mut m = mask(&[other]);
        people.apply(&mut m, W, H, content());
        assert!(area(&m, other) > 0.0, "chosen anew after {LOST_INFERENCES}");
    }

    #[test]
    fn an_empty_mask_stays_empty() {
        let mut m = vec![0.2; W * H];
        MainPerson::default().apply(&mut m, W, H, content());
        assert!(m.iter().all(|&v| v == 0.0));
    }

    #[test]
    fn dilation_grows_by_the_radius() {
        let mut map = vec![0u8; W * H];
        map[20 * W + 30] = 1;
        let mut scratch = Scratch { rows: vec![0; W * H], columns: Vec::new() };
        dilate(&mut map, &mut scratch, W, H, 2);
        let set: Vec<(usize, usize)> =
            (0..W * H).filter(|&i| map[i] == 1).map(|i| (i % W, i / W)).collect();
        assert_eq!(set.len(), 25);
        assert!(set.iter().all(|&(x, y)| (28..=32).contains(&x) && (18..=22).contains(&y)));
    }
}
