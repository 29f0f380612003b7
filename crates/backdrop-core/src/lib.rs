//! Backdrop's engine: person segmentation, mask refinement and compositing for video
//! frames, in pure Rust (no threads, clock or filesystem, so it builds for
//! `wasm32-unknown-unknown` unchanged).
//!
//! [`Processor`] runs the whole path of a frame; the folders follow that path:
//!
//! | module | what a frame goes through there |
//! | --- | --- |
//! | [`input`] | frame formats ([`input::frame`]), I420 → RGBA ([`input::color`]), the model's input ([`input::preprocess`], placed by [`input::letterbox`]) |
//! | [`segment`] | the model: loading, inference ([`Segmenter`]), and our plan for its resize nodes ([`segment::linear_resize`]) |
//! | [`refine`] | the mask to frame resolution: guided filter, joint bilateral or plain bilinear, then temporal smoothing and the edge-softness ramp |
//! | [`composite`] | the output: blur, replace or remove |
//!
//! Shared by the stages: [`sampling`] (the one per-axis tap table, area resampling,
//! linear grid sampling), [`box_blur`] and [`round`]. [`options`] is what callers set
//! (one table of fields, the quality tiers), [`timings`] what they get back, [`metrics`]
//! scores masks.

pub mod box_blur;
pub mod composite;
pub mod input;
pub mod metrics;
pub mod options;
pub mod processor;
pub mod refine;
pub mod round;
pub mod sampling;
pub mod segment;
pub mod timings;

pub use composite::replace::BackgroundImage;
pub use input::color::{YuvColorSpace, YuvMatrix, YuvRange};
pub use input::frame::{Frame, I420Frame, Plane, RgbaFrame};
pub use options::{
    Fill, Mode, ModelChoice, OptionError, OptionErrorKind, Options, People, QualityTier, Refinement,
    Value,
    FIELDS, QUALITY_TIERS,
};
pub use processor::{ModelKind, Processor};
pub use refine::temporal::TemporalConfig;
pub use segment::{Layout, Segmenter};
pub use timings::{Clock, NoClock, Timings, TIMING_NAMES};
