//! The wasm build in headless Chromium (`bash scripts/test.sh wasm`), once with SIMD and
#![cfg(target_arch = "wasm32")]
//! once without. The reference data are what the native core computes for the same real
//! photograph (`examples/make_reference.rs`, run by scripts/build.sh) and what the
//! official TFLite interpreter computes (models/build/fidelity).

use backdrop_core::{Segmenter, FIELDS, QUALITY_TIERS, TIMING_NAMES};
use backdrop_wasm::{build_info, check_options, default_options, option_fields, quality_tiers, timing_names, Processor};
use js_sys::{Array, Object, RangeError, Reflect, TypeError};
use wasm_bindgen::{JsCast, JsValue};
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
    processor.set_options(&record(&[("mode", "remove".into()), ("color", "#00ff00".into())])).unwrap();
    for (model, expected) in [("general", MASK_GENERAL), ("landscape", MASK_LANDSCAPE)] {
        processor.set_options(&record(&[("model", model.into())])).unwrap();
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
    assert!(processor.set_options(&record(&[("mode", "sparkle".into())])).is_err());
    assert!(processor.set_options(&record(&[("blurStrength", 2.0.into())])).is_err());
    assert!(processor.set_options(&record(&[("color", "#12".into())])).is_err());
    // A model that is not loaded: the frame runs the loaded one, and the processor asks for it.
    let general = record(&[("model", "general".into())]);
    processor.set_options(&general).unwrap();
    processor.process_rgba(&[0; 64], 4, 4, 16).expect("the landscape model runs meanwhile");
    assert_eq!(processor.model_in_use().as_deref(), Some("landscape"));
    assert_eq!(processor.missing_model().as_deref(), Some("general"));
    assert!(processor.load_model("sparkle", GENERAL).is_err(), "an unknown model name");
    assert!(processor.load_model("general", &[1, 2, 3]).is_err(), "bytes that are not ONNX");
    processor.process_rgba(&[0; 64], 4, 4, 16).expect("still the landscape model after a failed load");
    processor.load_model("general", GENERAL).expect("the general model loads");
    processor.process_rgba(&[0; 64], 4, 4, 16).unwrap();
    assert_eq!(processor.model_in_use().as_deref(), Some("general"));
    assert_eq!(processor.missing_model(), None);
    processor.set_options(&record(&[("model", "auto".into()), ("mode", "replace".into())])).unwrap();
    assert!(processor.process_rgba(&[0; 64], 4, 4, 16).is_err(), "replace without an image");
    // After errors the processor still works.
    processor.set_options(&record(&[("mode", "blur".into())])).unwrap();
    processor.process_rgba(&[128; 64], 4, 4, 16).expect("a valid frame after errors");
    // The zero-copy path: fill the view, then process without another call in between.
    processor.input_buffer(64).fill(128, 0, 64);
    processor.process_rgba_input(4, 4, 16).expect("the zero-copy input path");
    assert_eq!(processor.output_bytes().len(), 64);
}

/// A plain JS object from (name, value) pairs.
fn record(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in pairs {
        Reflect::set(&object, &JsValue::from_str(name), value).unwrap();
    }
    object.into()
}

fn get(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(name)).unwrap()
}

fn message(error: &JsValue) -> String {
    get(error, "message").as_string().unwrap()
}

fn same_record(a: &JsValue, b: &JsValue) -> bool {
    FIELDS.iter().all(|f| get(a, f.name) == get(b, f.name))
}

#[wasm_bindgen_test]
fn default_options_are_the_cores_table() {
    let defaults: JsValue = default_options().into();
    assert_eq!(Object::keys(defaults.unchecked_ref::<Object>()).length() as usize, FIELDS.len());
    assert_eq!(get(&defaults, "mode").as_string().unwrap(), "blur");
    assert_eq!(get(&defaults, "color").as_string().unwrap(), "#00b140");
    assert_eq!(get(&defaults, "temporalSmoothing").as_f64().unwrap(), 0.9);
    assert_eq!(get(&defaults, "edgeSoftness").as_f64().unwrap(), 0.3, "shortest decimal, not the f32's expansion");
    assert_eq!(get(&defaults, "lightWrap").as_f64().unwrap(), 0.3);
    assert_eq!(get(&defaults, "qualityTier").as_f64().unwrap(), 0.0);
    let fields = option_fields();
    assert_eq!(fields.length() as usize, FIELDS.len());
    let quality = fields.iter().find(|f| get(f, "name") == "qualityTier").unwrap();
    assert_eq!(get(&quality, "kind").as_string().unwrap(), "integer");
    assert_eq!(get(&quality, "max").as_f64().unwrap(), 4.0);
    let mode = fields.iter().find(|f| get(f, "name") == "mode").unwrap();
    let choices: Array = get(&mode, "choices").unchecked_into();
    assert_eq!(choices.join(",").as_string().unwrap(), "blur,replace,remove");
}

#[wasm_bindgen_test]
fn check_options_validates_without_a_processor() {
    let checked = check_options(&record(&[("mode", "remove".into()), ("lightWrap", 0.7.into())])).unwrap();
    let checked: JsValue = checked.into();
    assert_eq!(get(&checked, "mode").as_string().unwrap(), "remove");
    assert_eq!(get(&checked, "lightWrap").as_f64().unwrap(), 0.7);
    assert_eq!(get(&checked, "blurStrength").as_f64().unwrap(), 0.5, "the rest are the defaults");
    let cases: [(JsValue, bool, &str); 7] = [
        (record(&[("qualityTier", 5.into())]), false, "qualityTier must be an integer from 0 to 4, got 5"),
        (record(&[("blurStrength", (-1).into())]), false, "blurStrength must be a number from 0 to 1, got -1"),
        (record(&[("mode", "sepia".into())]), true, "unknown mode 'sepia': mode must be one of blur, replace, remove"),
        (record(&[("edgeSoftness", "0.5".into())]), true, "edgeSoftness must be a number from 0 to 1, got '0.5'"),
        (record(&[("lightWrap", true.into())]), true, "lightWrap must be a number from 0 to 1, got the boolean true"),
        (record(&[("sparkle", 1.into())]), true, "unknown option 'sparkle'"),
        (JsValue::from_str("blur"), true, "options must be an object"),
    ];
    for (input, type_error, expected) in cases {
        let error = check_options(&input).unwrap_err();
        assert_eq!(error.is_instance_of::<TypeError>(), type_error, "{expected}");
        assert_eq!(error.is_instance_of::<RangeError>(), !type_error, "{expected}");
        let m = message(&error);
        assert!(m.contains(expected), "{m}");
    }
}

#[wasm_bindgen_test]
fn quality_tiers_and_timing_names_come_from_the_core() {
    let tiers = quality_tiers();
    assert_eq!(tiers.length() as usize, QUALITY_TIERS.len());
    for (tier, expected) in tiers.iter().zip(QUALITY_TIERS) {
        assert_eq!(get(&tier, "name").as_string().unwrap(), expected.name);
        assert_eq!(get(&tier, "description").as_string().unwrap(), expected.description);
    }
    let names: Vec<String> = timing_names().iter().map(|n| n.as_string().unwrap()).collect();
    assert_eq!(names, TIMING_NAMES);
    assert_eq!(names, ["preprocess", "inference", "refine", "composite", "total"]);
}

#[wasm_bindgen_test]
fn set_options_is_all_or_nothing_and_names_the_field() {
    let (w, h, rgba) = photo();
    let mut processor = Processor::new(None, Some(LANDSCAPE.to_vec())).expect("model loads");
    let before: JsValue = processor.options().into();
    // A valid change and an invalid one: neither applies.
    let error = processor
        .set_options(&record(&[("blurStrength", 0.9.into()), ("temporalSmoothing", 0.99.into())]))
        .unwrap_err();
    assert!(error.is_instance_of::<RangeError>());
    assert!(message(&error).contains("temporalSmoothing"), "{}", message(&error));
    assert!(same_record(&processor.options().into(), &before));
    let error = processor.set_options(&record(&[("mode", "remove".into()), ("colour", "#000000".into())])).unwrap_err();
    assert!(error.is_instance_of::<TypeError>());
    assert!(message(&error).contains("'colour'"), "{}", message(&error));
    assert!(same_record(&processor.options().into(), &before));

    processor
        .set_options(&record(&[("mode", "remove".into()), ("color", "#00ff00".into()), ("qualityTier", 4.into())]))
        .unwrap();
    let set: JsValue = processor.options().into();
    assert_eq!(get(&set, "mode").as_string().unwrap(), "remove");
    assert_eq!(get(&set, "model").as_string().unwrap(), "auto");
    let effective: JsValue = processor.effective_options().into();
    assert_eq!(get(&effective, "model").as_string().unwrap(), "landscape");
    assert_eq!(get(&effective, "refinement").as_string().unwrap(), "bilinear");
    assert_eq!(get(&effective, "inferenceInterval").as_f64().unwrap(), 3.0);
    // The changes run: remove with the colour, the model on every 3rd frame.
    for frame in 0..3 {
        processor.process_rgba(rgba, w, h, w as usize * 4).expect("a real frame processes");
        assert_eq!(processor.inferred_last_frame(), frame == 0, "frame {frame}");
    }
    let (mask, output) = (processor.mask_bytes(), processor.output_bytes());
    let background = mask.iter().zip(output.chunks_exact(4)).filter(|(m, _)| **m == 0);
    assert!(background.clone().count() > (w * h / 10) as usize);
    assert!(background.into_iter().all(|(_, px)| px == [0, 255, 0, 255]));
    let values = processor.timing_values().to_vec();
    let timings = processor.timings();
    assert_eq!(values, [timings.preprocess_ms, timings.inference_ms, timings.refine_ms, timings.composite_ms, timings.total_ms]);
    assert!(values[4] > 0.0);
    // A later change keeps the earlier ones.
    processor.set_options(&record(&[("blurStrength", 0.25.into())])).unwrap();
    assert_eq!(get(&processor.options().into(), "blurStrength").as_f64().unwrap(), 0.25);
    assert_eq!(get(&processor.options().into(), "qualityTier").as_f64().unwrap(), 4.0);
}

fn web_sys_log(message: &str) {
    wasm_bindgen_test::console_log!("{message}");
}
