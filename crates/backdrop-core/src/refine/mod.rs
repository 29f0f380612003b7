//! From the model's low-resolution probability to the frame's 8-bit mask, one
//! full-resolution row at a time: upsampling ([`guided_filter`] and [`joint_bilateral`]
//! are edge-aware, [`linear`] is plain bilinear), [`temporal`] smoothing, then the
//! [`edge_softness`] ramp.

pub mod edge_softness;
pub mod guided_filter;
pub mod joint_bilateral;
pub mod linear;
pub mod temporal;

use crate::input::frame::RgbaFrame;
use crate::input::letterbox::Letterbox;
use crate::options::Refinement;
use crate::sampling::grid::{GridMapping, LinearGridSampler};
use edge_softness::EdgeSoftness;
use guided_filter::GuidedFilter;
use joint_bilateral::JointBilateral;
use linear::LinearUpsampler;
use temporal::{TemporalConfig, TemporalSmoother};

/// Guided filter window radius and regularisation on the model's grid: the best boundary
/// F-score of the sweep r ∈ 1..=4, eps ∈ {1e-4, 3e-4, 1e-3, 3e-3, 1e-2} in
/// `tests/refinement.rs` (r = 1: 0.604 at 3e-4, 0.601 at 1e-3; r = 2: 0.600 to 0.589).
const GUIDED_RADIUS: usize = 1;
const GUIDED_EPS: f32 = 3e-4;
/// Joint bilateral spatial sigma (grid pixels) and range sigma (grey in [0, 1]).
const BILATERAL_SIGMA_SPATIAL: f32 = 1.0;
const BILATERAL_SIGMA_RANGE: f32 = 0.1;

#[derive(Clone, Debug)]
pub struct MaskRefiner {
    mapping: Option<GridMapping>,
    sampler: LinearGridSampler,
    guided: GuidedFilter,
    bilateral: JointBilateral,
    linear: LinearUpsampler,
    temporal: TemporalSmoother,
    softness: EdgeSoftness,
    row: Vec<f32>,
    mask: Vec<u8>,
}

impl MaskRefiner {
    pub fn new(temporal: TemporalConfig, edge_softness: f32) -> Self {
        Self {
            mapping: None,
            sampler: LinearGridSampler::default(),
            guided: GuidedFilter::new(GUIDED_RADIUS, GUIDED_EPS),
            bilateral: JointBilateral::new(BILATERAL_SIGMA_SPATIAL, BILATERAL_SIGMA_RANGE),
            linear: LinearUpsampler::default(),
            temporal: TemporalSmoother::new(temporal),
            softness: EdgeSoftness::new(edge_softness),
            row: Vec::new(),
            mask: Vec::new(),
        }
    }

    /// Prepares for frames placed in the model input by `letterbox` (reallocates and
    /// forgets the past only when it changes).
    pub fn set_geometry(&mut self, letterbox: &Letterbox) {
        let mapping = GridMapping {
            grid_width: letterbox.model_width,
            grid_height: letterbox.model_height,
            dst_width: letterbox.frame_width,
            dst_height: letterbox.frame_height,
            origin_x: letterbox.offset_x,
            origin_y: letterbox.offset_y,
            scale: letterbox.inverse_scale(),
        };
        if self.mapping == Some(mapping) {
            return;
        }
        self.sampler = LinearGridSampler::new(&mapping);
        self.mapping = Some(mapping);
        self.row.resize(letterbox.frame_width as usize, 0.0);
        self.mask.resize(
            letterbox.frame_width as usize * letterbox.frame_height as usize,
            0,
        );
        self.temporal.reset();
    }

    pub fn set_edge_softness(&mut self, softness: f32) {
        if softness != self.softness.softness() {
            self.softness = EdgeSoftness::new(softness);
        }
    }

    pub fn set_temporal_config(&mut self, config: TemporalConfig) {
        self.temporal.set_config(config);
    }

    pub fn reset(&mut self) {
        self.temporal.reset();
    }

    /// Refines `grid_mask` (the model's output, on the same grid as `grid_guide`, the
    /// grey model input) into the full-resolution mask of `frame`. Does nothing before
    /// [`MaskRefiner::set_geometry`].
    pub fn refine(
        &mut self,
        frame: &RgbaFrame,
        grid_guide: &[f32],
        grid_mask: &[f32],
        refinement: Refinement,
    ) {
        let Some(mapping) = self.mapping else { return };
        let (gw, gh) = (mapping.grid_width as usize, mapping.grid_height as usize);
        match refinement {
            Refinement::GuidedFilter => {
                self.guided
                    .fit(grid_guide, grid_mask, gw, gh, &self.sampler)
            }
            Refinement::Bilinear => self.linear.fit(grid_mask, gw, &self.sampler),
            Refinement::JointBilateral => self.bilateral.prepare(grid_guide, grid_mask, &mapping),
        }
        self.temporal.begin_frame(grid_guide, gw, gh, &self.sampler);
        let w = mapping.dst_width as usize;
        for (y, mask_row) in self.mask.chunks_exact_mut(w).enumerate() {
            let frame_row = frame.row(y);
            match refinement {
                Refinement::GuidedFilter => {
                    self.guided
                        .apply_row(frame_row, y, &self.sampler, &mut self.row)
                }
                Refinement::Bilinear => self.linear.apply_row(y, &self.sampler, &mut self.row),
                Refinement::JointBilateral => self.bilateral.apply_row(frame_row, y, &mut self.row),
            }
            self.temporal.apply_row(&mut self.row, y, &self.sampler);
            self.softness.apply_row(&self.row, mask_row);
        }
        self.temporal.end_frame();
    }

    /// The last refined mask (255 = person), row-major at frame size.
    pub fn mask(&self) -> &[u8] {
        &self.mask
    }
}
