//! What this wasm module was built with, so the page can show it and tests can check it.

use wasm_bindgen::prelude::*;

/// Facts about the running build.
#[wasm_bindgen]
pub struct BuildInfo {
    simd: bool,
}

#[wasm_bindgen]
impl BuildInfo {
    /// True when compiled with `+simd128` (the fast build); false for the fallback.
    #[wasm_bindgen(getter)]
    pub fn simd(&self) -> bool {
        self.simd
    }

    /// The package version (the workspace shares one version).
    #[wasm_bindgen(getter)]
    pub fn version(&self) -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }
}

#[wasm_bindgen(js_name = buildInfo)]
pub fn build_info() -> BuildInfo {
    BuildInfo { simd: cfg!(target_feature = "simd128") }
}
