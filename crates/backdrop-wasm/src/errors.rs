//! Rust errors become JS `Error`s whose message carries the whole context chain.

use wasm_bindgen::JsError;

pub fn to_js(error: anyhow::Error) -> JsError {
    JsError::new(&format!("{error:#}"))
}
