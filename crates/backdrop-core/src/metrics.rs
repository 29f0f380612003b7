//! Scores of a predicted mask against a reference, and of a mask sequence's stability.
//! Masks are 8-bit (255 = person); a pixel counts as person at 128 and above.

use anyhow::{ensure, Result};

const PERSON: u8 = 128;

fn check_sizes(a: &[u8], b: &[u8], width: usize, height: usize) -> Result<()> {
    ensure!(
        a.len() == width * height && b.len() == width * height,
        "masks hold {} and {} pixels, expected {width}x{height} = {}",
        a.len(),
        b.len(),
        width * height
    );
    Ok(())
}

/// Intersection over union of the person regions (1 when both are empty).
pub fn iou(pred: &[u8], reference: &[u8]) -> Result<f64> {
    ensure!(
        pred.len() == reference.len(),
        "masks hold {} and {} pixels",
        pred.len(),
        reference.len()
    );
    let (mut inter, mut union) = (0u64, 0u64);
    for (&p, &r) in pred.iter().zip(reference) {
        let (p, r) = (p >= PERSON, r >= PERSON);
        inter += (p && r) as u64;
        union += (p || r) as u64;
    }
    Ok(if union == 0 {
        1.0
    } else {
        inter as f64 / union as f64
    })
}

/// Person pixels with a 4-neighbour that is not person (image borders do not count).
fn boundary(mask: &[u8], width: usize, height: usize) -> Vec<bool> {
    let person = |x: usize, y: usize| mask[y * width + x] >= PERSON;
    let mut b = vec![false; width * height];
    for y in 0..height {
        for x in 0..width {
            if !person(x, y) {
                continue;
            }
            let outside = (x > 0 && !person(x - 1, y))
                || (x + 1 < width && !person(x + 1, y))
                || (y > 0 && !person(x, y - 1))
                || (y + 1 < height && !person(x, y + 1));
            b[y * width + x] = outside;
        }
    }
    b
}

/// Marks every pixel within `radius` (chessboard distance) of a marked one.
fn dilate(marks: &[bool], width: usize, height: usize, radius: usize) -> Vec<bool> {
    let mut rows = vec![false; marks.len()];
    for y in 0..height {
        for x in 0..width {
            let lo = x.saturating_sub(radius);
            let hi = (x + radius).min(width - 1);
            rows[y * width + x] = marks[y * width + lo..=y * width + hi].iter().any(|&m| m);
        }
    }
    let mut out = vec![false; marks.len()];
    for y in 0..height {
        let lo = y.saturating_sub(radius);
        let hi = (y + radius).min(height - 1);
        for x in 0..width {
            out[y * width + x] = (lo..=hi).any(|yy| rows[yy * width + x]);
        }
    }
    out
}

/// Boundary F-score: the harmonic mean of the fraction of predicted boundary pixels
/// within `tolerance` pixels of a reference boundary pixel (precision) and the
/// reverse (recall). 1 when neither mask has a boundary, 0 when only one has.
pub fn boundary_f_score(
    pred: &[u8],
    reference: &[u8],
    width: usize,
    height: usize,
    tolerance: usize,
) -> Result<f64> {
    check_sizes(pred, reference, width, height)?;
    let (pb, rb) = (
        boundary(pred, width, height),
        boundary(reference, width, height),
    );
    let (pn, rn) = (
        pb.iter().filter(|&&b| b).count(),
        rb.iter().filter(|&&b| b).count(),
    );
    if pn == 0 || rn == 0 {
        return Ok(if pn == rn { 1.0 } else { 0.0 });
    }
    let (pd, rd) = (
        dilate(&pb, width, height, tolerance),
        dilate(&rb, width, height, tolerance),
    );
    let precision = pb.iter().zip(&rd).filter(|(&b, &d)| b && d).count() as f64 / pn as f64;
    let recall = rb.iter().zip(&pd).filter(|(&b, &d)| b && d).count() as f64 / rn as f64;
    Ok(if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    })
}

/// Mean absolute per-pixel change between two masks, in [0, 1] (flicker when the
/// masks are consecutive frames).
pub fn mean_abs_change(a: &[u8], b: &[u8]) -> Result<f64> {
    ensure!(
        a.len() == b.len() && !a.is_empty(),
        "masks hold {} and {} pixels",
        a.len(),
        b.len()
    );
    let sum: u64 = a.iter().zip(b).map(|(&x, &y)| x.abs_diff(y) as u64).sum();
    Ok(sum as f64 / (a.len() as f64 * 255.0))
}

/// Mean of [`mean_abs_change`] over consecutive masks of a sequence (0 for fewer than 2).
pub fn flicker<M: AsRef<[u8]>>(masks: &[M]) -> Result<f64> {
    if masks.len() < 2 {
        return Ok(0.0);
    }
    let mut total = 0.0;
    for pair in masks.windows(2) {
        total += mean_abs_change(pair[0].as_ref(), pair[1].as_ref())?;
    }
    Ok(total / (masks.len() - 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(width: usize, x0: usize, x1: usize) -> Vec<u8> {
        let mut m = vec![0u8; width * width];
        for y in x0..x1 {
            for x in x0..x1 {
                m[y * width + x] = 255;
            }
        }
        m
    }

    #[test]
    fn iou_and_boundary_of_shifted_squares() {
        let a = square(20, 5, 15);
        let b = square(20, 6, 16);
        // 9x9 overlap over 100 + 100 - 81.
        assert!((iou(&a, &b).unwrap() - 81.0 / 119.0).abs() < 1e-12);
        assert_eq!(boundary_f_score(&a, &a, 20, 20, 0).unwrap(), 1.0);
        assert_eq!(boundary_f_score(&a, &b, 20, 20, 1).unwrap(), 1.0);
        assert!(boundary_f_score(&a, &b, 20, 20, 0).unwrap() < 0.5);
        assert_eq!(boundary_f_score(&a, &vec![0; 400], 20, 20, 2).unwrap(), 0.0);
        assert_eq!(iou(&[0, 0], &[0, 0]).unwrap(), 1.0);
    }

    #[test]
    fn flicker_averages_consecutive_changes() {
        let masks = [vec![0u8, 0], vec![255, 0], vec![255, 0]];
        assert!((flicker(&masks).unwrap() - 0.25).abs() < 1e-12);
        assert!(mean_abs_change(&[1], &[1, 2]).is_err());
    }
}
