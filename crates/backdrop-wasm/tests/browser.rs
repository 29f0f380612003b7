//! Runs in headless Chromium through chromedriver (`scripts/test.sh wasm`).

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn build_info_reports_the_simd_feature_it_was_built_with() {
    let info = backdrop_wasm::build_info();
    assert_eq!(info.simd(), cfg!(target_feature = "simd128"));
    assert_eq!(info.version(), env!("CARGO_PKG_VERSION"));
}
