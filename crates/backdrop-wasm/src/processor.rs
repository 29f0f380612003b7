//! `Processor` for JavaScript: the core's whole frame path behind a flat API of typed
//! arrays, numbers and strings.
//!
//! Zero-copy use: `inputBuffer(n)` hands out a view of wasm memory to fill (for example
//! with `VideoFrame.copyTo`), `processRgbaInput` / `processI420Input` process it, and
//! `output()` is a view of the composited RGBA frame. Views are valid until the next call
//! into this processor (wasm memory may grow and detach them); copy what you keep.
//!
//! Options: `setOptions({...})` with any of the fields of `optionFields()`, applied all at
//! once or not at all; the background image has its own call (it is pixels).

use anyhow::Context;
use backdrop_core::{BackgroundImage, Frame, I420Frame, ModelKind, Options, RgbaFrame, Segmenter};
use js_sys::{Float64Array, Object, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::clock::PerformanceClock;
use crate::errors::to_js;
use crate::options::{to_record, with_record};
use crate::timings::Timings;

#[wasm_bindgen]
pub struct Processor {
    core: backdrop_core::Processor,
    input: Vec<u8>,
    output: Vec<u8>,
    timings: backdrop_core::Timings,
    panic_on_next_frame: bool,
}

#[wasm_bindgen]
impl Processor {
    /// Loads the models from ONNX bytes; either may be `undefined`, not both.
    #[wasm_bindgen(constructor)]
    pub fn new(general: Option<Vec<u8>>, landscape: Option<Vec<u8>>) -> Result<Processor, JsError> {
        let core = backdrop_core::Processor::from_onnx_bytes(general.as_deref(), landscape.as_deref())
            .map_err(to_js)?;
        Ok(Processor {
            core,
            input: Vec::new(),
            output: Vec::new(),
            timings: Default::default(),
            panic_on_next_frame: false,
        })
    }

    /// Loads one more model from ONNX bytes (`kind`: "general" or "landscape"); frames
    /// that want it use it from the next one on.
    #[wasm_bindgen(js_name = loadModel)]
    pub fn load_model(&mut self, kind: &str, bytes: &[u8]) -> Result<(), JsError> {
        let kind = ModelKind::from_name(kind).map_err(to_js)?;
        let segmenter = Segmenter::from_onnx_bytes(bytes)
            .with_context(|| format!("loading the {} model", kind.name()))
            .map_err(to_js)?;
        self.core.add_model(kind, segmenter);
        Ok(())
    }

    /// The model the last frame wanted but that is not loaded ("general" or
    /// "landscape"; it ran the other one), or `undefined`: load it with `loadModel`.
    #[wasm_bindgen(js_name = missingModel)]
    pub fn missing_model(&self) -> Option<String> {
        self.core.missing_model().map(|kind| kind.name().to_owned())
    }

    /// The model the last frame ran ("general" or "landscape"), `undefined` before the first.
    #[wasm_bindgen(js_name = modelInUse)]
    pub fn model_in_use(&self) -> Option<String> {
        self.core.model_in_use().map(|kind| kind.name().to_owned())
    }

    /// A view of `byteLength` bytes of wasm memory to write the next frame into.
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&mut self, byte_length: usize) -> Uint8Array {
        self.input.resize(byte_length, 0);
        // SAFETY: the view is handed straight to JS, which must not keep it across
        // calls that may allocate (documented above); `self.input` outlives it.
        unsafe { Uint8Array::view(&self.input) }
    }

    /// Processes the RGBA frame in the input buffer (`stride` bytes per row).
    #[wasm_bindgen(js_name = processRgbaInput)]
    pub fn process_rgba_input(&mut self, width: u32, height: u32, stride: usize) -> Result<(), JsError> {
        let input = std::mem::take(&mut self.input);
        let result = RgbaFrame::new(&input, width, height, stride).and_then(|f| self.run(Frame::Rgba(f)));
        self.input = input;
        result.map_err(to_js)
    }

    /// Processes the packed I420 frame in the input buffer (Y, then U, then V; chroma
    /// planes `ceil(width / 2)` × `ceil(height / 2)`).
    #[wasm_bindgen(js_name = processI420Input)]
    pub fn process_i420_input(&mut self, width: u32, height: u32) -> Result<(), JsError> {
        let input = std::mem::take(&mut self.input);
        let result = I420Frame::packed(&input, width, height).and_then(|f| self.run(Frame::I420(f)));
        self.input = input;
        result.map_err(to_js)
    }

    /// Copies `data` in and processes it as RGBA; convenient when the pixels already sit
    /// in a JS array (an `ImageData`, say).
    #[wasm_bindgen(js_name = processRgba)]
    pub fn process_rgba(&mut self, data: &[u8], width: u32, height: u32, stride: usize) -> Result<(), JsError> {
        RgbaFrame::new(data, width, height, stride)
            .and_then(|f| self.run(Frame::Rgba(f)))
            .map_err(to_js)
    }

    /// The composited RGBA frame of the last `process*` call (a view, see above).
    pub fn output(&self) -> Uint8Array {
        // SAFETY: as for `inputBuffer`.
        unsafe { Uint8Array::view(&self.output) }
    }

    /// The refined mask of the last frame, one byte per pixel, 255 = person (a view).
    pub fn mask(&self) -> Uint8Array {
        // SAFETY: as for `inputBuffer`.
        unsafe { Uint8Array::view(self.core.mask()) }
    }

    /// Milliseconds per stage of the last frame.
    pub fn timings(&self) -> Timings {
        Timings::from(self.timings)
    }

    /// Milliseconds per stage of the last frame, in the order of `timingNames()`.
    #[wasm_bindgen(js_name = timingValues)]
    pub fn timing_values(&self) -> Float64Array {
        Float64Array::from(&self.timings.values()[..])
    }

    /// Changes any of the options (a plain object of numbers and strings, the names of
    /// `optionFields()`), from the next frame. Every change is checked before any
    /// applies: on an error nothing changes and it throws a `TypeError` (an unknown
    /// option, a value of the wrong type, an unknown name or colour) or a `RangeError` (a
    /// number out of range), whose message names the option.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, changes: &JsValue) -> Result<(), JsValue> {
        let next = with_record(self.core.options(), changes)?;
        self.core.set_options(next).map_err(crate::options::to_js_error)
    }

    /// Every option as set, as a plain object.
    pub fn options(&self) -> Object {
        to_record(self.core.options())
    }

    /// The options that run: those set with the quality tier's overrides applied.
    #[wasm_bindgen(js_name = effectiveOptions)]
    pub fn effective_options(&self) -> Object {
        to_record(self.core.effective_options())
    }

    /// The image `replace` puts behind the person: packed RGBA, `width` × `height`.
    #[wasm_bindgen(js_name = setBackgroundImage)]
    pub fn set_background_image(&mut self, rgba: Vec<u8>, width: u32, height: u32) -> Result<(), JsError> {
        let image = BackgroundImage::new(rgba, width, height).map_err(to_js)?;
        self.core.set_background_image(Some(image));
        Ok(())
    }

    #[wasm_bindgen(js_name = clearBackgroundImage)]
    pub fn clear_background_image(&mut self) {
        self.core.set_background_image(None);
    }

    /// Whether the model ran for the last processed frame.
    #[wasm_bindgen(js_name = inferredLastFrame)]
    pub fn inferred_last_frame(&self) -> bool {
        self.core.inferred_last_frame()
    }

    /// Forgets earlier frames (temporal smoothing restarts), e.g. after a source change.
    pub fn reset(&mut self) {
        self.core.reset();
    }

    /// For fault tests only: the next `process*` call panics halfway through the frame (a
    /// wasm trap; this module is built with `panic = "abort"`), so a test can show that a
    /// trap fails closed. The package's worker calls it only on a page that asked for test
    /// hooks (www/src/worker/test-hooks.ts).
    #[wasm_bindgen(js_name = testPanicOnNextFrame)]
    pub fn test_panic_on_next_frame(&mut self) {
        self.panic_on_next_frame = true;
    }
}

/// Rust-side access, for tests and other Rust callers: plain slices, no views.
impl Processor {
    pub fn output_bytes(&self) -> &[u8] {
        &self.output
    }

    pub fn mask_bytes(&self) -> &[u8] {
        self.core.mask()
    }

    fn run(&mut self, frame: Frame<'_>) -> anyhow::Result<()> {
        self.output.resize(frame.width() as usize * frame.height() as usize * 4, 0);
        if std::mem::take(&mut self.panic_on_next_frame) {
            panic!("test hook: a panic in the middle of a {}x{} frame", frame.width(), frame.height());
        }
        self.timings = self.core.process(frame, &mut self.output, &PerformanceClock)?;
        Ok(())
    }

    /// The options as set (for Rust callers and tests).
    pub fn core_options(&self) -> &Options {
        self.core.options()
    }
}
