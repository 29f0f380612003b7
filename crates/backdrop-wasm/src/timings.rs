//! Per-stage timings of one frame, as a JS object with camelCase getters.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
#[derive(Clone, Copy)]
pub struct Timings {
    #[wasm_bindgen(js_name = preprocessMs)]
    pub preprocess_ms: f64,
    #[wasm_bindgen(js_name = inferenceMs)]
    pub inference_ms: f64,
    #[wasm_bindgen(js_name = refineMs)]
    pub refine_ms: f64,
    #[wasm_bindgen(js_name = compositeMs)]
    pub composite_ms: f64,
    #[wasm_bindgen(js_name = totalMs)]
    pub total_ms: f64,
}

impl From<backdrop_core::Timings> for Timings {
    fn from(t: backdrop_core::Timings) -> Self {
        Timings {
            preprocess_ms: t.preprocess_ms,
            inference_ms: t.inference_ms,
            refine_ms: t.refine_ms,
            composite_ms: t.composite_ms,
            total_ms: t.total_ms,
        }
    }
}
