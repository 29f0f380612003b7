//! The whole path of one frame, owning every buffer it needs: after the first frame
//! of a given size, processing allocates nothing of its own (a size or model change
//! reallocates once).
//!
//! frame → RGBA (I420 converted) → letterboxed model input → model → mask on the
//! model's grid (only the caller's region with `people: main`) → refined full-resolution mask (guided upsampling, temporal smoothing,
//! edge softness) → composited output.
//!
//! The options in effect are `Options::effective()` of those set (the quality tier's
//! overrides applied).
//!
//! With `Options::inference_interval` above 1 the model runs on every n-th frame only;
//! the other frames skip the model and refine its last mask against their own pixels, so
//! every output frame is still composited from the current frame.

use crate::composite::blur::BlurCompositor;
use crate::composite::remove::RemoveCompositor;
use crate::composite::replace::{BackgroundImage, ReplaceCompositor};
use crate::input::color::i420_to_rgba;
use crate::input::frame::{Frame, RgbaFrame};
use crate::input::preprocess::Preprocessor;
use crate::options::{Fill, Mode, ModelChoice, OptionError, Options, People};
use crate::refine::temporal::TemporalConfig;
use crate::refine::MaskRefiner;
use crate::segment::people::{Content, MainPerson};
use crate::segment::Segmenter;
use crate::timings::{Clock, Timings};
use anyhow::{bail, ensure, Context, Result};
use std::sync::Arc;

/// Frames at least this much wider than tall use the landscape model under `Auto`.
pub const LANDSCAPE_MIN_ASPECT: f64 = 1.5;

/// The two models a processor can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    /// 256×256, for any frame.
    General,
    /// 256×144, for wide frames (and the cheaper quality tiers).
    Landscape,
}

impl ModelKind {
    pub const fn name(self) -> &'static str {
        match self {
            ModelKind::General => "general",
            ModelKind::Landscape => "landscape",
        }
    }

    pub fn from_name(name: &str) -> Result<Self> {
        match name {
            "general" => Ok(ModelKind::General),
            "landscape" => Ok(ModelKind::Landscape),
            _ => bail!("unknown model '{name}': expected 'general' or 'landscape'"),
        }
    }

    const fn other(self) -> Self {
        match self {
            ModelKind::General => ModelKind::Landscape,
            ModelKind::Landscape => ModelKind::General,
        }
    }

    /// The model that options (as they run: [`Options::effective`]) want for a frame of
    /// `size` (`None`: not known yet, which `auto` answers with the general model, right
    /// for every shape).
    pub fn wanted(run: &Options, size: Option<(u32, u32)>) -> Self {
        match run.model {
            ModelChoice::General => ModelKind::General,
            ModelChoice::Landscape => ModelKind::Landscape,
            ModelChoice::Auto => match size {
                Some((w, h)) if h > 0 && w as f64 / h as f64 >= LANDSCAPE_MIN_ASPECT => ModelKind::Landscape,
                _ => ModelKind::General,
            },
        }
    }
}

/// What the compositing stage does with this frame, decided (and checked) once per frame.
enum Effect {
    Blur(f32),
    Remove(Fill),
    Replace {
        background: Arc<BackgroundImage>,
        light_wrap: f32,
    },
}

/// Everything that depends on the frame size and the model in use.
struct Geometry {
    frame_size: (u32, u32),
    model: ModelKind,
    preprocessor: Preprocessor,
}

pub struct Processor {
    general: Option<Segmenter>,
    landscape: Option<Segmenter>,
    /// As set by the caller.
    options: Options,
    /// What runs: `options.effective()`.
    run: Options,
    /// Shared with the frame being processed (a reference count, not a copy).
    background: Option<Arc<BackgroundImage>>,
    background_id: u64,
    geometry: Option<Geometry>,
    /// The model the last frame wanted but that is not loaded (it ran the other one).
    missing: Option<ModelKind>,
    /// I420 frames converted to RGBA.
    rgba: Vec<u8>,
    grid_mask: Vec<f32>,
    /// `grid_mask` holds a model output for the current geometry.
    grid_mask_valid: bool,
    /// Which region of the model's mask is the caller (`people: main`).
    main_person: MainPerson,
    /// Frames processed since the model last ran.
    frames_since_inference: u32,
    inferred_last_frame: bool,
    refiner: MaskRefiner,
    blur: BlurCompositor,
    remove: RemoveCompositor,
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
            run: options.effective(),
            background: None,
            background_id: 0,
            geometry: None,
            missing: None,
            rgba: Vec::new(),
            grid_mask: Vec::new(),
            grid_mask_valid: false,
            main_person: MainPerson::default(),
            frames_since_inference: 0,
            inferred_last_frame: false,
            refiner: MaskRefiner::new(
                TemporalConfig::with_strength(options.temporal_smoothing),
                options.edge_softness,
            ),
            blur: BlurCompositor::default(),
            remove: RemoveCompositor::default(),
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

    /// Adds (or replaces) one model; frames that want it use it from the next one on.
    pub fn add_model(&mut self, kind: ModelKind, segmenter: Segmenter) {
        match kind {
            ModelKind::General => self.general = Some(segmenter),
            ModelKind::Landscape => self.landscape = Some(segmenter),
        }
    }

    pub fn has_model(&self, kind: ModelKind) -> bool {
        match kind {
            ModelKind::General => self.general.is_some(),
            ModelKind::Landscape => self.landscape.is_some(),
        }
    }

    /// The model the last frame wanted (its options and shape) but that is not loaded:
    /// that frame ran the other one. `None` when it ran the one it wanted.
    pub fn missing_model(&self) -> Option<ModelKind> {
        self.missing
    }

    /// The model the last frame ran.
    pub fn model_in_use(&self) -> Option<ModelKind> {
        self.geometry.as_ref().map(|g| g.model)
    }

    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The settings that run: [`Processor::options`] with the quality tier applied.
    pub fn effective_options(&self) -> &Options {
        &self.run
    }

    /// Changes options; takes effect with the next frame. Invalid values are rejected
    /// and leave the current options in place.
    pub fn set_options(&mut self, options: Options) -> Result<(), OptionError> {
        options.validate()?;
        self.refiner.set_edge_softness(options.edge_softness);
        if options.temporal_smoothing != self.options.temporal_smoothing {
            let config = TemporalConfig::with_strength(options.temporal_smoothing);
            self.refiner.set_temporal_config(config);
        }
        if options.people != self.options.people {
            // The next frame runs the model, so no frame shows a mask of the other rule
            // (above all: not everyone's mask, kept from before `main` was chosen).
            self.grid_mask_valid = false;
            self.main_person.reset();
        }
        self.options = options;
        self.run = options.effective();
        Ok(())
    }

    /// Applies named changes (names from `options::FIELDS`) all at once: if any is
    /// invalid, none applies and the error names it.
    pub fn change_options<'a>(
        &mut self,
        changes: impl IntoIterator<Item = (&'a str, &'a crate::options::Value)>,
    ) -> Result<(), OptionError> {
        let next = self.options.with_changes(changes)?;
        self.set_options(next)
    }

    /// Overrides the temporal smoothing rule (for experiments; `set_options` resets it
    /// to Backdrop's rule when `temporal_smoothing` changes).
    pub fn set_temporal_config(&mut self, config: TemporalConfig) {
        self.refiner.set_temporal_config(config);
    }

    /// Sets (or clears) the image `Mode::Replace` puts behind the person.
    pub fn set_background_image(&mut self, image: Option<BackgroundImage>) {
        self.background = image.map(Arc::new);
        self.background_id += 1;
    }

    /// Forgets the previous frames (temporal smoothing restarts), e.g. after a cut.
    pub fn reset(&mut self) {
        self.refiner.reset();
        self.grid_mask_valid = false;
        self.main_person.reset();
    }

    /// Whether the model ran for the last processed frame (false when it reused the
    /// previous model mask, see `Options::inference_interval`).
    pub fn inferred_last_frame(&self) -> bool {
        self.inferred_last_frame
    }

    /// The refined mask of the last processed frame, one byte per pixel (255 = person),
    /// row-major, `mask_size()` wide and high. Empty before the first frame.
    pub fn mask(&self) -> &[u8] {
        self.refiner.mask()
    }

    pub fn mask_size(&self) -> (u32, u32) {
        self.geometry.as_ref().map_or((0, 0), |g| g.frame_size)
    }

    /// Input size of the model the last frame used, e.g. (256, 144).
    pub fn model_input_size(&self) -> Option<(u32, u32)> {
        self.geometry.as_ref().map(|g| {
            let letterbox = g.preprocessor.letterbox();
            (letterbox.model_width, letterbox.model_height)
        })
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
        let effect = match self.run.mode {
            Mode::Blur => Effect::Blur(self.run.blur_strength),
            Mode::Remove => Effect::Remove(self.run.fill),
            Mode::Replace => Effect::Replace {
                background: self.background.clone().context(
                    "replace mode needs a background image: call set_background_image first",
                )?,
                light_wrap: self.run.light_wrap,
            },
        };
        let model = self.choose_model(w, h);
        self.update_geometry(w, h, model)?;

        // The I420 conversion buffer is taken out of `self` while the frame borrows it.
        let mut rgba_buf = std::mem::take(&mut self.rgba);
        let result = self.process_rgba(frame, &mut rgba_buf, &effect, output, clock, start);
        self.rgba = rgba_buf;
        result
    }

    fn process_rgba(
        &mut self,
        frame: Frame<'_>,
        rgba_buf: &mut Vec<u8>,
        effect: &Effect,
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
        let geometry = self.geometry.as_mut().context("geometry is set")?;
        geometry.preprocessor.run(&rgba)?;
        let preprocessed = clock.now_ms();

        let infer =
            !self.grid_mask_valid || self.frames_since_inference + 1 >= self.run.inference_interval;
        self.inferred_last_frame = infer;
        if infer {
            let segmenter = segmenter(&mut self.general, &mut self.landscape, geometry.model)?;
            self.grid_mask_valid = false;
            segmenter.run(geometry.preprocessor.model_input(), &mut self.grid_mask)?;
            if self.run.people == People::Main {
                let lb = geometry.preprocessor.letterbox();
                let (w, h) = (lb.model_width as usize, lb.model_height as usize);
                self.main_person
                    .apply(&mut self.grid_mask, w, h, Content::of(lb));
            }
            self.grid_mask_valid = true;
            self.frames_since_inference = 0;
        } else {
            self.frames_since_inference += 1;
        }
        let inferred = clock.now_ms();

        self.refiner.refine(
            &rgba,
            geometry.preprocessor.guide(),
            &self.grid_mask,
            self.run.refinement,
        );
        let refined = clock.now_ms();

        self.composite(&rgba, effect, output)?;
        let composited = clock.now_ms();
        Ok(Timings {
            preprocess_ms: preprocessed - start,
            inference_ms: inferred - preprocessed,
            refine_ms: refined - inferred,
            composite_ms: composited - refined,
            total_ms: composited - start,
        })
    }

    /// The model for this frame: the one the options want, or while it is not loaded the
    /// other one (so a processor started with one model runs at once, and the caller
    /// adds the other when [`Processor::missing_model`] asks for it).
    fn choose_model(&mut self, w: u32, h: u32) -> ModelKind {
        let wanted = ModelKind::wanted(&self.run, Some((w, h)));
        if self.has_model(wanted) {
            self.missing = None;
            wanted
        } else {
            self.missing = Some(wanted);
            wanted.other()
        }
    }

    fn update_geometry(&mut self, w: u32, h: u32, model: ModelKind) -> Result<()> {
        if let Some(g) = &self.geometry {
            if g.frame_size == (w, h) && g.model == model {
                return Ok(());
            }
        }
        let model_size = segmenter(&mut self.general, &mut self.landscape, model)?.input_size();
        let preprocessor = Preprocessor::new((w, h), model_size);
        self.grid_mask
            .resize(model_size.0 as usize * model_size.1 as usize, 0.0);
        self.refiner.set_geometry(preprocessor.letterbox());
        self.grid_mask_valid = false;
        self.main_person.reset();
        self.geometry = Some(Geometry {
            frame_size: (w, h),
            model,
            preprocessor,
        });
        Ok(())
    }

    fn composite(&mut self, rgba: &RgbaFrame, effect: &Effect, output: &mut [u8]) -> Result<()> {
        let mask = self.refiner.mask();
        match effect {
            Effect::Blur(strength) => self.blur.apply(rgba, mask, *strength, output),
            Effect::Remove(fill) => self.remove.apply(rgba, mask, *fill, output),
            Effect::Replace {
                background,
                light_wrap,
            } => {
                let id = self.background_id;
                self.replace
                    .apply(rgba, mask, background, id, *light_wrap, output)?;
            }
        }
        Ok(())
    }
}

/// The loaded model of `kind` (the one place that looks it up; `choose_model` only picks
/// loaded ones).
fn segmenter<'a>(
    general: &'a mut Option<Segmenter>,
    landscape: &'a mut Option<Segmenter>,
    kind: ModelKind,
) -> Result<&'a mut Segmenter> {
    match kind {
        ModelKind::General => general.as_mut(),
        ModelKind::Landscape => landscape.as_mut(),
    }
    .context("the chosen model is loaded")
}
