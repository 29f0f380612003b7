//! Temporal smoothing of the refined mask against flicker.
//!
//! MediaPipe's `SegmentationSmoothingCalculator` blends each pixel with the previous
//! mask by `ratio * uncertainty(p)`, the uncertainty growing with the binary entropy of
//! the current probability `p`: confident pixels never smooth, uncertain ones lag.
//! Here the weight of the previous mask is
//! `strength * (still_floor + (1 - still_floor) * uncertainty(p)) * still(pixel)`:
//! - `still` is 1 where the frame did not change since the previous one and falls to 0
//!   where it did (absolute grey difference on the model's grid, averaged over 3x3
//!   cells against noise, then dilated), so
//!   anything that moves follows the current model output at once;
//! - where the image is still, even confident pixels lean on the past
//!   (`still_floor`), which removes the flicker that sensor noise causes there.

use crate::box_blur::{box_blur, max_filter};
use crate::sampling::grid::{ExpandedGrid, LinearGridSampler};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TemporalConfig {
    /// Largest weight of the previous mask, in [0, 1). 0 disables smoothing.
    pub strength: f32,
    /// Fraction of `strength` applied to confident pixels where the image is still.
    pub still_floor: f32,
    /// Gate by frame difference; without it, moving regions lag like still ones.
    pub motion_gate: bool,
}

impl TemporalConfig {
    /// Backdrop's default: lean on the past where nothing moves, never where something does.
    pub fn with_strength(strength: f32) -> Self {
        Self {
            strength,
            still_floor: 0.6,
            motion_gate: true,
        }
    }

    /// MediaPipe's rule (selfie segmentation uses a ratio of 0.9), for comparison.
    pub fn mediapipe(ratio: f32) -> Self {
        Self {
            strength: ratio,
            still_floor: 0.0,
            motion_gate: false,
        }
    }
}

/// Grey differences (on [0, 1]) below this count as noise, above `MOTION_FULL` as motion.
const MOTION_START: f32 = 4.0 / 255.0;
const MOTION_FULL: f32 = 12.0 / 255.0;

#[derive(Clone, Debug)]
pub struct TemporalSmoother {
    config: TemporalConfig,
    /// `strength` and `strength * still_floor`, clamped.
    strength: f32,
    floor: f32,
    has_history: bool,
    previous_mask: Vec<f32>,
    previous_guide: Vec<f32>,
    stillness: Vec<f32>,
    stillness_rows: ExpandedGrid,
    stillness_row: Vec<f32>,
    scratch: Vec<f32>,
}

/// MediaPipe's uncertainty: `1 - (1 - H(p))^2`, H the binary entropy in bits.
pub fn uncertainty(p: f32) -> f32 {
    let p = p.clamp(0.0, 1.0) as f64;
    let h = |x: f64| if x <= 0.0 { 0.0 } else { -x * x.log2() };
    let entropy = h(p) + h(1.0 - p);
    (1.0 - (1.0 - entropy).powi(2)) as f32
}

/// [`uncertainty`] as a polynomial in `s = (2p - 1)^2`, for the per-pixel loop:
/// a least-squares fit of degree 4 with `u(s = 0) = 1`, at most 0.037 off.
#[inline]
pub fn approximate_uncertainty(p: f32) -> f32 {
    const C: [f32; 4] = [0.067_937, -1.109_128, 1.268_429, -1.190_076];
    let s = (2.0 * p - 1.0) * (2.0 * p - 1.0);
    (1.0 + s * (C[0] + s * (C[1] + s * (C[2] + s * C[3])))).clamp(0.0, 1.0)
}

impl TemporalSmoother {
    pub fn new(config: TemporalConfig) -> Self {
        let mut s = Self {
            config,
            strength: 0.0,
            floor: 0.0,
            has_history: false,
            previous_mask: Vec::new(),
            previous_guide: Vec::new(),
            stillness: Vec::new(),
            stillness_rows: ExpandedGrid::default(),
            stillness_row: Vec::new(),
            scratch: Vec::new(),
        };
        s.set_config(config);
        s
    }

    pub fn config(&self) -> TemporalConfig {
        self.config
    }

    pub fn set_config(&mut self, config: TemporalConfig) {
        self.config = config;
        self.strength = config.strength.clamp(0.0, 0.99);
        self.floor = config.still_floor.clamp(0.0, 1.0);
    }

    /// Forgets the past (after a size or model change, or a cut).
    pub fn reset(&mut self) {
        self.has_history = false;
    }

    /// Starts a frame: `guide` is this frame's grey on the model's grid (in [0, 1]),
    /// `sampler` maps the full-resolution mask onto that grid.
    pub fn begin_frame(
        &mut self,
        guide: &[f32],
        grid_width: usize,
        grid_height: usize,
        sampler: &LinearGridSampler,
    ) {
        let pixels = sampler.x.len() * sampler.y.len();
        let same_grid =
            self.previous_guide.len() == guide.len() && self.previous_mask.len() == pixels;
        if !same_grid {
            self.has_history = false;
            self.previous_mask.resize(pixels, 0.0);
        }
        self.stillness.resize(guide.len(), 1.0);
        // Sized now, so that the first frame with history does not allocate.
        self.scratch.resize(guide.len() + grid_width, 0.0);
        if self.has_history && self.config.motion_gate {
            for ((s, &g), &p) in self
                .stillness
                .iter_mut()
                .zip(guide)
                .zip(&self.previous_guide)
            {
                *s = (g - p).abs();
            }
            // Averaging first keeps noise from reading as motion; dilating then makes
            // the neighbourhood of a moving edge follow it too.
            box_blur::<1>(
                &mut self.stillness,
                grid_width,
                grid_height,
                1,
                &mut self.scratch,
            );
            max_filter(
                &mut self.stillness,
                grid_width,
                grid_height,
                1,
                &mut self.scratch,
            );
            for s in self.stillness.iter_mut() {
                *s = ((MOTION_FULL - *s) / (MOTION_FULL - MOTION_START)).clamp(0.0, 1.0);
            }
        } else {
            self.stillness.fill(1.0);
        }
        self.previous_guide.clear();
        self.previous_guide.extend_from_slice(guide);
        self.stillness_rows
            .expand(&self.stillness, grid_width, 1, sampler);
        self.stillness_row.resize(sampler.x.len(), 1.0);
    }

    /// Smooths row `y` of the full-resolution mask in place and remembers it.
    pub fn apply_row(&mut self, mask_row: &mut [f32], y: usize, sampler: &LinearGridSampler) {
        let start = y * mask_row.len();
        let previous = &mut self.previous_mask[start..start + mask_row.len()];
        if !self.has_history || self.strength <= 0.0 {
            previous.copy_from_slice(mask_row);
            return;
        }
        self.stillness_rows
            .row(&sampler.y, y, &mut self.stillness_row);
        let (strength, floor) = (self.strength, self.floor);
        for ((q, prev), &still) in mask_row
            .iter_mut()
            .zip(previous.iter_mut())
            .zip(&self.stillness_row)
        {
            let w = strength * (floor + (1.0 - floor) * approximate_uncertainty(*q)) * still;
            *q += (*prev - *q) * w;
            *prev = *q;
        }
    }

    /// Marks the frame complete: the next one is smoothed against it.
    pub fn end_frame(&mut self) {
        self.has_history = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approximation_stays_close() {
        for i in 0..=1000 {
            let p = i as f32 / 1000.0;
            assert!(
                (approximate_uncertainty(p) - uncertainty(p)).abs() < 0.04,
                "{p}"
            );
        }
    }

    #[test]
    fn uncertainty_peaks_at_one_half() {
        assert_eq!(uncertainty(0.0), 0.0);
        assert_eq!(uncertainty(1.0), 0.0);
        assert!((uncertainty(0.5) - 1.0).abs() < 1e-6);
        assert!(uncertainty(0.2) > uncertainty(0.05));
    }
}
