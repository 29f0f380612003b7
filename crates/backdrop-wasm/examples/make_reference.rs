//! Writes what the native core computes for one real photograph, so the browser tests
//! (`tests/browser.rs`, compiled for wasm32) can check that the wasm build computes the
//! same. Run by `scripts/build.sh` after the models are built:
//!
//!     cargo run --release -p backdrop-wasm --example make_reference -- OUT_DIR
//!
//! OUT_DIR receives:
//! - `landscape.native.f32`: the landscape model's raw output (tract, native) for the
//!   fidelity input tensor of the test photograph;
//! - `photo.rgba`: the photograph as packed RGBA, after an 8-byte header (width,
//!   height as little-endian u32);
//! - `mask.<model>.u8`: the refined mask the Processor gives for the photograph in
//!   remove mode, with the model forced to `general` and to `landscape`.

use anyhow::{Context, Result};
use backdrop_core::{Fill, Frame, Mode, ModelChoice, NoClock, Options, Processor, RgbaFrame, Segmenter};
use std::path::{Path, PathBuf};

pub const PHOTO: &str = "12-webcam-blue-wall";

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {} (run `bash models/build.sh` first)", path.display()))
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
}

fn main() -> Result<()> {
    let out: PathBuf = std::env::args().nth(1).context("usage: make_reference OUT_DIR")?.into();
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/build");
    std::fs::create_dir_all(&out)?;
    let general = read(&models.join("selfie_general.onnx"))?;
    let landscape = read(&models.join("selfie_landscape.onnx"))?;

    // Raw model output on the fidelity input tensor (in the model's own layout).
    let mut segmenter = Segmenter::from_onnx_bytes(&landscape)?;
    let input = f32s(&read(&models.join(format!("fidelity/landscape/{PHOTO}.input.f32")))?);
    let planar = backdrop_wasm_reference::nhwc_to_planar(&input);
    let (w, h) = segmenter.input_size();
    let mut probability = vec![0f32; (w * h) as usize];
    segmenter.run(&planar, &mut probability)?;
    let bytes: Vec<u8> = probability.iter().flat_map(|p| p.to_le_bytes()).collect();
    std::fs::write(out.join("landscape.native.f32"), bytes)?;

    // The whole path on the photograph.
    let photo = image::open(models.join(format!("images/{PHOTO}.png")))?.to_rgba8();
    let (pw, ph) = photo.dimensions();
    let mut header = Vec::with_capacity(8 + photo.len());
    header.extend_from_slice(&pw.to_le_bytes());
    header.extend_from_slice(&ph.to_le_bytes());
    header.extend_from_slice(photo.as_raw());
    std::fs::write(out.join("photo.rgba"), header)?;
    let mut processor = Processor::from_onnx_bytes(Some(&general), Some(&landscape))?;
    let mut output = vec![0u8; photo.len()];
    for (name, model) in [("general", ModelChoice::General), ("landscape", ModelChoice::Landscape)] {
        let options = Options { mode: Mode::Remove, model, fill: Fill::Color([0, 255, 0, 255]), ..Options::default() };
        processor.set_options(options)?;
        processor.reset();
        let frame = RgbaFrame::packed(photo.as_raw(), pw, ph)?;
        processor.process(Frame::Rgba(frame), &mut output, &NoClock)?;
        std::fs::write(out.join(format!("mask.{name}.u8")), processor.mask())?;
    }
    println!("wrote reference data for {PHOTO} to {}", out.display());
    Ok(())
}

/// Shared with the browser tests through `#[path]`.
#[path = "../tests/reference/layout.rs"]
mod backdrop_wasm_reference;
