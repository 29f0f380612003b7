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

/// The stages [`Timings`] measures, by the names callers show them under, in the order
/// of [`Timings::values`].
pub const TIMING_NAMES: [&str; 5] = ["preprocess", "inference", "refine", "composite", "total"];

impl Timings {
    /// The milliseconds of each stage in the order of [`TIMING_NAMES`].
    pub fn values(&self) -> [f64; 5] {
        [
            self.preprocess_ms,
            self.inference_ms,
            self.refine_ms,
            self.composite_ms,
            self.total_ms,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_follow_the_names() {
        let t = Timings {
            preprocess_ms: 1.0,
            inference_ms: 2.0,
            refine_ms: 3.0,
            composite_ms: 4.0,
            total_ms: 10.0,
        };
        assert_eq!(t.values(), [1.0, 2.0, 3.0, 4.0, 10.0]);
        assert_eq!(TIMING_NAMES.len(), t.values().len());
    }
}
