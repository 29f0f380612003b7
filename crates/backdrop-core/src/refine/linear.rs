//! `Refinement::Bilinear`: the model's mask upsampled linearly on both axes, ignoring
//! the frame. The baseline the edge-aware refinements are measured against, and the
//! cheapest refinement (the lower quality tiers use it).

use crate::sampling::grid::{ExpandedGrid, LinearGridSampler};

#[derive(Clone, Debug, Default)]
pub struct LinearUpsampler {
    rows: ExpandedGrid,
}

impl LinearUpsampler {
    /// Takes this frame's grid mask (rows of `width` values in [0, 1]).
    pub fn fit(&mut self, mask: &[f32], width: usize, sampler: &LinearGridSampler) {
        self.rows.expand(mask, width, 1, sampler);
    }

    /// Row `y` of the upsampled mask, clamped to [0, 1].
    pub fn apply_row(&self, y: usize, sampler: &LinearGridSampler, out: &mut [f32]) {
        self.rows.row(&sampler.y, y, out);
        for o in out.iter_mut() {
            *o = o.clamp(0.0, 1.0);
        }
    }
}
