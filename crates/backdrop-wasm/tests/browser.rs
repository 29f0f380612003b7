//! The wasm build in headless Chromium (`bash scripts/test.sh wasm`), once with SIMD and
#![cfg(target_arch = "wasm32")]
//! once without. The reference data are what the native core computes for the same real
//! photograph (`examples/make_reference.rs`, run by scripts/build.sh) and what the
//! official TFLite interpreter computes (models/build/fidelity).

use backdrop_core::Segmenter;
use backdrop_wasm::{build_info, Processor};
use wasm_bindgen_test::*;

#[path = "reference/layout.rs"]
mod layout;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! build_file {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../", $path))
    };
}

const GENERAL: &[u8] = build_file!("models/build/selfie_general.onnx");
const LANDSCAPE: &[u8] = build_file!("models/build/selfie_landscape.onnx");
const LANDSCAPE_INPUT: &[u8] = build_file!("models/build/fidelity/landscape/12-webcam-blue-wall.input.f32");
const LANDSCAPE_TFLITE: &[u8] = build_file!("models/build/fidelity/landscape/12-webcam-blue-wall.expected.f32");
const LANDSCAPE_NATIVE: &[u8] = build_file!("tests/fixtures/build/wasm-reference/landscape.native.f32");
const PHOTO: &[u8] = build_file!("tests/fixtures/build/wasm-reference/photo.rgba");
const MASK_GENERAL: &[u8] = build_file!("tests/fixtures/build/wasm-reference/mask.general.u8");
const MASK_LANDSCAPE: &[u8] = build_file!("tests/fixtures/build/wasm-reference/mask.landscape.u8");

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f32::max)
}

fn photo() -> (u32, u32, &'static [u8]) {
    let w = u32::from_le_bytes(PHOTO[0..4].try_into().unwrap());
    let h = u32::from_le_bytes(PHOTO[4..8].try_into().unwrap());
    (w, h, &PHOTO[8..])
}

#[wasm_bindgen_test]
fn build_info_reports_the_simd_feature_it_was_built_with() {
    let info = build_info();
    assert_eq!(info.simd(), cfg!(target_feature = "simd128"));
    assert_eq!(info.version(), env!("CARGO_PKG_VERSION"));
}

/// A real photograph through the landscape model in tract, in the browser: the same
/// probabilities as tract natively and as the official TFLite interpreter.
#[wasm_bindgen_test]
fn landscape_model_in_wasm_matches_native_tract_and_tflite() {
    let mut segmenter = Segmenter::from_onnx_bytes(LANDSCAPE).expect("the landscape model loads in wasm");
    let planar = layout::nhwc_to_planar(&f32s(LANDSCAPE_INPUT));
    let (w, h) = segmenter.input_size();
    let mut probability = vec![0f32; (w * h) as usize];
    segmenter.run(&planar, &mut probability).expect("the model runs");
    let native = max_abs_diff(&probability, &f32s(LANDSCAPE_NATIVE));
    let tflite = max_abs_diff(&probability, &f32s(LANDSCAPE_TFLITE));
    web_sys_log(&format!("landscape model, wasm vs native tract: max |d| = {native:e}; vs TFLite: {tflite:e}"));
    assert!(native <= 1e-4, "wasm and native tract differ by {native}");
    assert!(tflite <= 1e-3, "wasm tract and TFLite differ by {tflite}");
}

/// The JS-facing Processor gives the native core's mask on the same photograph. Stated
/// tolerance: every mask byte within 2 of native (float rounding in SIMD kernels), and the
/// mean absolute difference below 0.05.
#[wasm_bindgen_test]
fn processor_mask_matches_the_native_core() {
    let (w, h, rgba) = photo();
    let mut processor = Processor::new(Some(GENERAL.to_vec()), Some(LANDSCAPE.to_vec())).expect("models load");
    processor.set_mode("remove").unwrap();
    processor.set_fill("#00ff00").unwrap();
    for (model, expected) in [("general", MASK_GENERAL), ("landscape", MASK_LANDSCAPE)] {
        processor.set_model(model).unwrap();
        processor.reset();
        processor.process_rgba(rgba, w, h, w as usize * 4).expect("a real frame processes");
        let mask = processor.mask_bytes().to_vec();
        assert_eq!(mask.len(), expected.len());
        let worst = mask.iter().zip(expected).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        let mean = mask.iter().zip(expected).map(|(a, b)| a.abs_diff(*b) as f64).sum::<f64>() / mask.len() as f64;
        web_sys_log(&format!("{model}: mask vs native: max |d| = {worst}, mean = {mean:.4}"));
        assert!(worst <= 2 && mean < 0.05, "{model}: max {worst}, mean {mean}");
        // Remove mode: where the mask is 0 the output is exactly the colour.
        let output = processor.output_bytes();
        let background = mask.iter().zip(output.chunks_exact(4)).filter(|(m, _)| **m == 0);
        let mut count = 0;
        for (_, px) in background {
            assert_eq!(px, [0, 255, 0, 255]);
            count += 1;
        }
        assert!(count > (w * h / 10) as usize, "{model}: only {count} background pixels");
    }
    let timings = processor.timings();
    assert!(timings.total_ms > 0.0 && timings.inference_ms > 0.0);
}

#[wasm_bindgen_test]
fn bad_input_gives_errors_not_panics() {
    assert!(Processor::new(None, None).is_err(), "no model at all");
    assert!(Processor::new(Some(vec![1, 2, 3]), None).is_err(), "bytes that are not ONNX");
    let mut processor = Processor::new(None, Some(LANDSCAPE.to_vec())).unwrap();
    assert!(processor.process_rgba(&[0; 16], 4, 4, 16).is_err(), "buffer too short");
    assert!(processor.process_rgba(&[0; 64], 4, 4, 8).is_err(), "stride below width * 4");
    assert!(processor.process_rgba(&[], 0, 0, 0).is_err(), "zero size");
    assert!(processor.set_mode("sparkle").is_err());
    assert!(processor.set_blur_strength(2.0).is_err());
    assert!(processor.set_fill("#12").is_err());
    assert!(processor.set_model("general").is_ok(), "choosing is fine; processing then fails");
    assert!(processor.process_rgba(&[0; 64], 4, 4, 16).is_err(), "general model not loaded");
    processor.set_model("auto").unwrap();
    processor.set_mode("replace").unwrap();
    assert!(processor.process_rgba(&[0; 64], 4, 4, 16).is_err(), "replace without an image");
    // After errors the processor still works.
    processor.set_mode("blur").unwrap();
    processor.process_rgba(&[128; 64], 4, 4, 16).expect("a valid frame after errors");
    // The zero-copy path: fill the view, then process without another call in between.
    processor.input_buffer(64).fill(128, 0, 64);
    processor.process_rgba_input(4, 4, 16).expect("the zero-copy input path");
    assert_eq!(processor.output_bytes().len(), 64);
}

fn web_sys_log(message: &str) {
    wasm_bindgen_test::console_log!("{message}");
}
