//! The whole path of one frame, owning every buffer it needs: after the first frame
//! of a given size, processing allocates nothing of its own (a size or model change
//! reallocates once).
//!
//! frame → RGBA (I420 converted) → letterboxed model input → model → mask on the
//! model's grid → refined full-resolution mask (guided upsampling, temporal smoothing,
//! edge softness) → composited output.

use crate::bilinear::{GridMapping, GridSampler};
use crate::color::{i420_to_rgba, luma};
use crate::composite::blur::BlurCompositor;
use crate::composite::remove::remove_background;
use crate::composite::replace::{BackgroundImage, ReplaceCompositor};
use crate::edge_softness::EdgeSoftness;
use crate::frame::{Frame, RgbaFrame};
use crate::guided_filter::GuidedFilter;
use crate::joint_bilateral::JointBilateral;
use crate::letterbox::Letterbox;
use crate::model::Segmenter;
use crate::options::{Mode, ModelChoice, Options, Refinement};
use crate::resize::Resampler;
use crate::temporal::{TemporalConfig, TemporalSmoother};
use crate::timings::{Clock, Timings};
use anyhow::{bail, ensure, Context, Result};

/// Frames at least this much wider than tall use the landscape model under `Auto`.
pub const LANDSCAPE_MIN_ASPECT: f64 = 1.5;

/// Guided filter window radius and regularisation on the model's grid.
const GUIDED_RADIUS: usize = 2;
const GUIDED_EPS: f32 = 1e-3;
/// Joint bilateral spatial sigma (grid pixels) and range sigma (grey in [0, 1]).
const BILATERAL_SIGMA_SPATIAL: f32 = 1.0;
const BILATERAL_SIGMA_RANGE: f32 = 0.1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ModelKind {
    General,
    Landscape,
}

/// Everything that depends on the frame size and the model in use.
struct Geometry {
    frame_size: (u32, u32),
    model: ModelKind,
    letterbox: Letterbox,
    resampler: Resampler,
    mapping: GridMapping,
    sampler: GridSampler,
}

pub struct Processor {
    general: Option<Segmenter>,
    landscape: Option<Segmenter>,
    options: Options,
    background: Option<BackgroundImage>,
    background_id: u64,
    geometry: Option<Geometry>,
    rgba: Vec<u8>,
    model_rgb: Vec<f32>,
    grid_guide: Vec<f32>,
    grid_mask: Vec<f32>,
    guided: GuidedFilter,
    bilateral: JointBilateral,
    temporal: TemporalSmoother,
    softness: EdgeSoftness,
    mask_row: Vec<f32>,
    mask: Vec<u8>,
    blur: BlurCompositor,
    replace: ReplaceCompositor,
}

impl std::fmt::Debug for Processor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Processor")
            .field("general", &self.general)
            .field("landscape", &self.landscape)
            .field("options", &self.options)
            .field("frame_size", &self.mask_size())
            .finish_non_exhaustive()
    }
}

impl Processor {
    /// A processor over one or both models (at least one).
    pub fn new(general: Option<Segmenter>, landscape: Option<Segmenter>) -> Result<Self> {
        ensure!(
            general.is_some() || landscape.is_some(),
            "a processor needs at least one model"
        );
        let options = Options::default();
        Ok(Self {
            general,
            landscape,
            options,
            background: None,
            background_id: 0,
            geometry: None,
            rgba: Vec::new(),
            model_rgb: Vec::new(),
            grid_guide: Vec::new(),
            grid_mask: Vec::new(),
            guided: GuidedFilter::new(GUIDED_RADIUS, GUIDED_EPS),
            bilateral: JointBilateral::new(BILATERAL_SIGMA_SPATIAL, BILATERAL_SIGMA_RANGE),
            temporal: TemporalSmoother::new(TemporalConfig::with_strength(
                options.temporal_smoothing,
            )),
            softness: EdgeSoftness::new(options.edge_softness),
            mask_row: Vec::new(),
            mask: Vec::new(),
            blur: BlurCompositor::default(),
            replace: ReplaceCompositor::default(),
        })
    }

    /// Loads the models from ONNX bytes (either may be absent, not both).
    pub fn from_onnx_bytes(general: Option<&[u8]>, landscape: Option<&[u8]>) -> Result<Self> {
        let general = general
            .map(Segmenter::from_onnx_bytes)
            .transpose()
            .context("loading the general model")?;
        let landscape = landscape
            .map(Segmenter::from_onnx_bytes)
            .transpose()
            .context("loading the landscape model")?;
        Self::new(general, landscape)
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Changes options; takes effect with the next frame. Invalid values are rejected
    /// and leave the current options in place.
    pub fn set_options(&mut self, options: Options) -> Result<()> {
        options.validate()?;
        if options.edge_softness != self.softness.softness() {
            self.softness = EdgeSoftness::new(options.edge_softness);
        }
        if options.temporal_smoothing != self.options.temporal_smoothing {
            self.temporal
                .set_config(TemporalConfig::with_strength(options.temporal_smoothing));
        }
        self.options = options;
        Ok(())
    }

    /// Overrides the temporal smoothing rule (for experiments; `set_options` resets it
    /// to Backdrop's rule when `temporal_smoothing` changes).
    pub fn set_temporal_config(&mut self, config: TemporalConfig) {
        self.temporal.set_config(config);
    }

    /// Sets (or clears) the image `Mode::Replace` puts behind the person.
    pub fn set_background_image(&mut self, image: Option<BackgroundImage>) {
        self.background = image;
        self.background_id += 1;
    }

    /// Forgets the previous frames (temporal smoothing restarts), e.g. after a cut.
    pub fn reset(&mut self) {
        self.temporal.reset();
    }

    /// The refined mask of the last processed frame, one byte per pixel (255 = person),
    /// row-major, `mask_size()` wide and high. Empty before the first frame.
    pub fn mask(&self) -> &[u8] {
        &self.mask
    }

    pub fn mask_size(&self) -> (u32, u32) {
        self.geometry.as_ref().map_or((0, 0), |g| g.frame_size)
    }

    /// Input size of the model the last frame used, e.g. (256, 144).
    pub fn model_input_size(&self) -> Option<(u32, u32)> {
        self.geometry
            .as_ref()
            .map(|g| (g.letterbox.model_width, g.letterbox.model_height))
    }

    /// Processes one frame into `output` (packed RGBA, exactly `width * height * 4`
    /// bytes), returning how long each stage took according to `clock`.
    pub fn process(
        &mut self,
        frame: Frame<'_>,
        output: &mut [u8],
        clock: &dyn Clock,
    ) -> Result<Timings> {
        let start = clock.now_ms();
        let (w, h) = (frame.width(), frame.height());
        let pixels = w as usize * h as usize;
        ensure!(
            output.len() == pixels * 4,
            "output buffer holds {} bytes but a {w}x{h} RGBA frame needs {}",
            output.len(),
            pixels * 4
        );
        ensure!(
            self.options.mode != Mode::Replace || self.background.is_some(),
            "replace mode needs a background image: call set_background_image first"
        );
        self.update_geometry(w, h)?;

        // The I420 conversion buffer is taken out of `self` while the frame borrows it.
        let mut rgba_buf = std::mem::take(&mut self.rgba);
        let result = self.process_rgba(frame, &mut rgba_buf, output, clock, start);
        self.rgba = rgba_buf;
        result
    }

    fn process_rgba(
        &mut self,
        frame: Frame<'_>,
        rgba_buf: &mut Vec<u8>,
        output: &mut [u8],
        clock: &dyn Clock,
        start: f64,
    ) -> Result<Timings> {
        let rgba = match frame {
            Frame::Rgba(f) => f,
            Frame::I420(f) => {
                rgba_buf.resize(f.width() as usize * f.height() as usize * 4, 0);
                i420_to_rgba(&f, rgba_buf)?;
                RgbaFrame::packed(rgba_buf, f.width(), f.height())?
            }
        };
        self.preprocess(&rgba)?;
        let preprocessed = clock.now_ms();

        let kind = self.geometry.as_ref().context("geometry is set")?.model;
        let segmenter = match kind {
            ModelKind::General => self.general.as_mut(),
            ModelKind::Landscape => self.landscape.as_mut(),
        }
        .context("chosen model is loaded")?;
        segmenter.run(&self.model_rgb, &mut self.grid_mask)?;
        let inferred = clock.now_ms();

        self.refine(&rgba);
        let refined = clock.now_ms();

        self.composite(&rgba, output)?;
        let composited = clock.now_ms();
        Ok(Timings {
            preprocess_ms: preprocessed - start,
            inference_ms: inferred - preprocessed,
            refine_ms: refined - inferred,
            composite_ms: composited - refined,
            total_ms: composited - start,
        })
    }

    fn choose_model(&self, w: u32, h: u32) -> Result<ModelKind> {
        let (has_general, has_landscape) = (self.general.is_some(), self.landscape.is_some());
        Ok(match self.options.model {
            ModelChoice::General if has_general => ModelKind::General,
            ModelChoice::Landscape if has_landscape => ModelKind::Landscape,
            ModelChoice::General => bail!("the general model was asked for but was not loaded"),
            ModelChoice::Landscape => bail!("the landscape model was asked for but was not loaded"),
            ModelChoice::Auto => {
                let wide = w as f64 / h as f64 >= LANDSCAPE_MIN_ASPECT;
                if has_landscape && (wide || !has_general) {
                    ModelKind::Landscape
                } else {
                    ModelKind::General
                }
            }
        })
    }

    fn update_geometry(&mut self, w: u32, h: u32) -> Result<()> {
        let model = self.choose_model(w, h)?;
        if let Some(g) = &self.geometry {
            if g.frame_size == (w, h) && g.model == model {
                return Ok(());
            }
        }
        let segmenter = match model {
            ModelKind::General => self.general.as_ref(),
            ModelKind::Landscape => self.landscape.as_ref(),
        }
        .context("chosen model is loaded")?;
        let (mw, mh) = segmenter.input_size();
        let letterbox = Letterbox::fit(w, h, mw, mh);
        let resampler = Resampler::new(
            (w, h),
            (mw, mh),
            (letterbox.frame_origin_x(), letterbox.frame_origin_y()),
            (letterbox.scale, letterbox.scale),
        );
        let mapping = GridMapping {
            grid_width: mw,
            grid_height: mh,
            dst_width: w,
            dst_height: h,
            origin_x: letterbox.offset_x,
            origin_y: letterbox.offset_y,
            scale: letterbox.inverse_scale(),
        };
        let grid = mw as usize * mh as usize;
        self.model_rgb.resize(grid * 3, 0.0);
        self.grid_guide.resize(grid, 0.0);
        self.grid_mask.resize(grid, 0.0);
        self.mask_row.resize(w as usize, 0.0);
        self.mask.resize(w as usize * h as usize, 0);
        self.temporal.reset();
        self.geometry = Some(Geometry {
            frame_size: (w, h),
            model,
            letterbox,
            resampler,
            sampler: GridSampler::new(&mapping),
            mapping,
        });
        Ok(())
    }

    /// Letterboxes the frame into the model input (planar RGB in [0, 1]) and keeps its
    /// grey version on the same grid as the refinement guide.
    fn preprocess(&mut self, rgba: &RgbaFrame) -> Result<()> {
        let geometry = self.geometry.as_mut().context("geometry is set")?;
        let grid = self.grid_guide.len();
        let mw = geometry.letterbox.model_width as usize;
        let (r_plane, rest) = self.model_rgb.split_at_mut(grid);
        let (g_plane, b_plane) = rest.split_at_mut(grid);
        let guide = &mut self.grid_guide;
        geometry.resampler.run(rgba, |y, row| {
            let range = y * mw..(y + 1) * mw;
            let planes = r_plane[range.clone()]
                .iter_mut()
                .zip(&mut g_plane[range.clone()])
                .zip(&mut b_plane[range.clone()])
                .zip(&mut guide[range]);
            for ((((r, g), b), grey), px) in planes.zip(row.chunks_exact(4)) {
                let scale = 1.0 / 255.0;
                (*r, *g, *b) = (px[0] * scale, px[1] * scale, px[2] * scale);
                *grey = luma(px[0], px[1], px[2]) * scale;
            }
        })
    }

    /// From the model's mask to the full-resolution 8-bit mask.
    fn refine(&mut self, rgba: &RgbaFrame) {
        let Some(geometry) = self.geometry.as_ref() else {
            return;
        };
        let (gw, gh) = (
            geometry.mapping.grid_width as usize,
            geometry.mapping.grid_height as usize,
        );
        let w = rgba.width() as usize;
        match self.options.refinement {
            Refinement::GuidedFilter => self.guided.fit(&self.grid_guide, &self.grid_mask, gw, gh),
            Refinement::Bilinear => self.guided.fit_unguided(&self.grid_mask, gw),
            Refinement::JointBilateral => {
                self.bilateral
                    .prepare(&self.grid_guide, &self.grid_mask, &geometry.mapping)
            }
        }
        self.temporal
            .begin_frame(&self.grid_guide, gw, gh, self.mask.len());
        for (y, mask_out) in self.mask.chunks_exact_mut(w).enumerate() {
            let frame_row = rgba.row(y);
            match self.options.refinement {
                Refinement::GuidedFilter | Refinement::Bilinear => {
                    self.guided
                        .apply_row(frame_row, y, &geometry.sampler, &mut self.mask_row)
                }
                Refinement::JointBilateral => {
                    self.bilateral.apply_row(frame_row, y, &mut self.mask_row)
                }
            }
            self.temporal
                .apply_row(&mut self.mask_row, y, &geometry.sampler);
            self.softness.apply_row(&self.mask_row, mask_out);
        }
        self.temporal.end_frame();
    }

    fn composite(&mut self, rgba: &RgbaFrame, output: &mut [u8]) -> Result<()> {
        match self.options.mode {
            Mode::Blur => self
                .blur
                .apply(rgba, &self.mask, self.options.blur_strength, output),
            Mode::Remove => remove_background(rgba, &self.mask, self.options.fill, output),
            Mode::Replace => {
                let background = self
                    .background
                    .as_ref()
                    .context("replace mode needs a background image")?;
                self.replace.apply(
                    rgba,
                    &self.mask,
                    background,
                    self.background_id,
                    self.options.light_wrap,
                    output,
                )?;
            }
        }
        Ok(())
    }
}
