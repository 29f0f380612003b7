//! wasm-bindgen glue over `backdrop-core`. Thin by design: every decision about pixels
//! lives in the core, which is tested natively; this crate only moves typed arrays and
//! numbers across the boundary and turns Rust errors into JS `Error`s (option errors into
//! `TypeError` and `RangeError`).
//!
//! Not published on its own: the npm package in `www/` is what people use.

mod build_info;
mod clock;
mod errors;
mod options;
mod processor;
mod timings;

pub use build_info::{build_info, BuildInfo};
pub use options::{check_options, default_options, option_fields, quality_tiers, timing_names, wanted_model};
pub use processor::Processor;
pub use timings::Timings;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: panics (bugs, never user input) reach the
/// browser console with a Rust backtrace instead of "unreachable executed".
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
