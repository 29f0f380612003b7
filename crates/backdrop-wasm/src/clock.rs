//! The core's clock, read from `performance.now()` (a global in windows and workers).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

pub struct PerformanceClock;

impl backdrop_core::Clock for PerformanceClock {
    fn now_ms(&self) -> f64 {
        performance_now()
    }
}
