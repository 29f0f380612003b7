//! Shared test data: the real models and photographs `bash models/build.sh` produces.
//! Missing files fail the test with the command that makes them; nothing is skipped.
#![allow(dead_code)]

pub mod synthetic_onnx;

use backdrop_core::{Frame, NoClock, Options, Processor, RgbaFrame};
use image::RgbaImage;
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn models_dir() -> PathBuf {
    repo_root().join("models/build")
}

fn read_built(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}. Run `bash models/build.sh` to build the models and test images.",
            path.display()
        )
    })
}

pub fn general_model() -> Vec<u8> {
    read_built(&models_dir().join("selfie_general.onnx"))
}

pub fn landscape_model() -> Vec<u8> {
    read_built(&models_dir().join("selfie_landscape.onnx"))
}

/// A processor over both real models, with `options`.
pub fn processor(options: Options) -> Processor {
    let mut p = Processor::from_onnx_bytes(Some(&general_model()), Some(&landscape_model()))
        .expect("loading the real models");
    p.set_options(options).expect("valid options");
    p
}

/// Every photograph of people in `models/build/images`, as (file stem, RGBA image),
/// sorted by name. Fails unless there are at least 12.
pub fn photos() -> Vec<(String, RgbaImage)> {
    let dir = models_dir().join("images");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "cannot list {}: {e}. Run `bash models/build.sh` to extract the test photographs.",
            dir.display()
        )
    });
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 12,
        "{} holds {} photographs, expected at least 12. Run `bash models/build.sh`.",
        dir.display(),
        paths.len()
    );
    paths
        .iter()
        .map(|p| {
            let img =
                image::open(p).unwrap_or_else(|e| panic!("cannot decode {}: {e}", p.display()));
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                img.to_rgba8(),
            )
        })
        .collect()
}

/// One photograph by file stem prefix, e.g. `photo("01-")`.
pub fn photo(prefix: &str) -> RgbaImage {
    photos()
        .into_iter()
        .find(|(name, _)| name.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!(
                "no photograph named {prefix}* in models/build/images; run `bash models/build.sh`"
            )
        })
        .1
}

pub fn frame(img: &RgbaImage) -> Frame<'_> {
    Frame::Rgba(RgbaFrame::packed(img.as_raw(), img.width(), img.height()).unwrap())
}

/// Processes `img`, returning (output RGBA, mask).
pub fn run(p: &mut Processor, img: &RgbaImage) -> (Vec<u8>, Vec<u8>) {
    let mut out = vec![0u8; img.as_raw().len()];
    p.process(frame(img), &mut out, &NoClock)
        .expect("processing a photograph");
    (out, p.mask().to_vec())
}

/// Downscales by an integer-free box average so the long side is at most `max_side`.
pub fn shrink(img: &RgbaImage, max_side: u32) -> RgbaImage {
    let s = (max_side as f64 / img.width().max(img.height()) as f64).min(1.0);
    let (w, h) = (
        ((img.width() as f64 * s).round() as u32).max(1),
        ((img.height() as f64 * s).round() as u32).max(1),
    );
    image::imageops::resize(img, w, h, image::imageops::FilterType::Triangle)
}
