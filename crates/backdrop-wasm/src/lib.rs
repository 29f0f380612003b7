use wasm_bindgen::prelude::*;
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String { backdrop_core::version().to_string() }
