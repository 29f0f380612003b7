//! Backdrop's engine: person segmentation, mask refinement and compositing for video
//! frames, in pure Rust (no threads, clock or filesystem, so it builds for
//! `wasm32-unknown-unknown` unchanged).
//!
//! [`Processor`] runs the whole path of a frame; each stage is its own module, in the
//! order a frame goes through them:
//! [`frame`] → [`color`] → [`preprocess`] ([`letterbox`] + [`resize`]) → [`model`] →
//! [`refine`] ([`guided_filter`] or [`joint_bilateral`] over [`bilinear`] sampling, then
//! [`temporal`] and [`edge_softness`]) → [`composite`]. [`metrics`] scores masks;
//! [`options`] and [`timings`] are what callers set and get back.

pub mod bilinear;
pub mod box_blur;
pub mod color;
pub mod composite;
pub mod edge_softness;
pub mod frame;
pub mod guided_filter;
pub mod joint_bilateral;
pub mod letterbox;
pub mod metrics;
pub mod model;
pub mod options;
pub mod preprocess;
pub mod processor;
pub mod refine;
pub mod resize;
pub mod round;
pub mod temporal;
pub mod timings;

pub use color::{YuvColorSpace, YuvMatrix, YuvRange};
pub use composite::replace::BackgroundImage;
pub use frame::{Frame, I420Frame, Plane, RgbaFrame};
pub use model::{Layout, Segmenter};
pub use options::{Fill, Mode, ModelChoice, Options, Refinement};
pub use processor::Processor;
pub use temporal::TemporalConfig;
pub use timings::{Clock, NoClock, Timings};

/// The crate version.
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
