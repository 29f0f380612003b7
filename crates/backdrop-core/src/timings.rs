//! Per-stage timings of one frame, measured with a clock the caller supplies (the core
//! has no clock of its own: wasm passes `performance.now()`, native `Instant`).

/// A monotonic clock in milliseconds.
pub trait Clock {
    fn now_ms(&self) -> f64;
}

impl<F: Fn() -> f64> Clock for F {
    fn now_ms(&self) -> f64 {
        self()
    }
}

/// A clock that always reads 0, for callers that do not want timings.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

/// Milliseconds spent in each stage of one `Processor::process` call.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Colour conversion, resize to the model input, normalisation.
    pub preprocess_ms: f64,
    pub inference_ms: f64,
    /// Upsampling, temporal smoothing, edge softness.
    pub refine_ms: f64,
    pub composite_ms: f64,
    pub total_ms: f64,
}
