//! Fidelity of our ONNX conversion of MediaPipe's selfie segmentation models.
//!
//! `bash models/build.sh` runs the official TFLite interpreter on the ORIGINAL
//! graphs for every test photograph and saves the exact input tensors and the
//! outputs (models/build/fidelity/). This test runs the same inputs through
//! our ONNX files with tract and requires, per image and model:
//! max |Δ| ≤ 1e-3 on the probabilities, and IoU ≥ 0.995 of the masks
//! thresholded at 0.5. It prints the figures per image, plus the tract load +
//! optimise time and the mean run time of each model.
//!
//! Run: `cargo test -p backdrop-core --test model_fidelity -- --nocapture`

use anyhow::{bail, ensure, Context, Result};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tract_onnx::prelude::*;

const MAX_ABS_DIFF: f32 = 1e-3;
const MIN_IOU: f64 = 0.995;
const THRESHOLD: f32 = 0.5;

/// One image through one model, as listed in `fidelity/manifest.tsv`.
struct Case {
    onnx: PathBuf,
    image: String,
    input: PathBuf,
    expected: PathBuf,
    height: usize,
    width: usize,
}

struct Figures {
    max_abs_diff: f32,
    iou: f64,
    /// Pixels on different sides of the threshold in the two masks.
    flipped: usize,
}

fn models_build_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/build")
}

fn missing(what: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "fidelity data missing: {} does not exist; run `bash models/build.sh` from the repository root first",
        what.display()
    )
}

/// Reads the manifest: model name → its cases, in file order.
fn read_manifest(build: &Path) -> Result<BTreeMap<String, Vec<Case>>> {
    let fidelity = build.join("fidelity");
    let path = fidelity.join("manifest.tsv");
    if !path.exists() {
        return Err(missing(&path));
    }
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    ensure!(
        header == "model\tonnx\timage\tinput\texpected\theight\twidth",
        "{}: unexpected header {header:?}",
        path.display()
    );
    let mut models: BTreeMap<String, Vec<Case>> = BTreeMap::new();
    for (number, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [model, onnx, image, input, expected, height, width] = fields[..] else {
            bail!(
                "{} line {}: expected 7 tab-separated fields, got {line:?}",
                path.display(),
                number + 2
            );
        };
        let size = |s: &str| -> Result<usize> {
            s.parse()
                .with_context(|| format!("{} line {}: bad size {s:?}", path.display(), number + 2))
        };
        models.entry(model.to_string()).or_default().push(Case {
            onnx: build.join(onnx),
            image: image.to_string(),
            input: fidelity.join(input),
            expected: fidelity.join(expected),
            height: size(height)?,
            width: size(width)?,
        });
    }
    ensure!(!models.is_empty(), "{} lists no cases", path.display());
    Ok(models)
}

/// Reads a raw little-endian f32 file holding exactly `len` values.
fn read_f32(path: &Path, len: usize) -> Result<Vec<f32>> {
    if !path.exists() {
        return Err(missing(path));
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    ensure!(
        bytes.len() == len * 4,
        "{} holds {} bytes, expected {} f32 values ({} bytes)",
        path.display(),
        bytes.len(),
        len,
        len * 4
    );
    Ok(bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

/// The model's input shape, as `[1, 3, H, W]` (NCHW) or `[1, H, W, 3]` (NHWC).
fn input_shape(model: &TypedRunnableModel) -> Result<Vec<usize>> {
    let fact = model.model().input_fact(0)?;
    let shape = fact
        .shape
        .as_concrete()
        .context("model input shape is not fixed")?
        .to_vec();
    Ok(shape)
}

/// Builds the model's input tensor from an NHWC RGB buffer.
fn input_tensor(nhwc: &[f32], shape: &[usize], height: usize, width: usize) -> Result<Tensor> {
    match *shape {
        [1, h, w, 3] if (h, w) == (height, width) => Ok(Tensor::from_shape(shape, nhwc)?),
        [1, 3, h, w] if (h, w) == (height, width) => {
            let mut planar = vec![0f32; nhwc.len()];
            for (pixel, rgb) in nhwc.chunks_exact(3).enumerate() {
                for (c, v) in rgb.iter().enumerate() {
                    planar[c * height * width + pixel] = *v;
                }
            }
            Ok(Tensor::from_shape(shape, &planar)?)
        }
        _ => bail!("model input shape {shape:?} does not fit a {height}x{width} RGB image"),
    }
}

fn compare(actual: &[f32], expected: &[f32]) -> Figures {
    let max_abs_diff = actual
        .iter()
        .zip(expected)
        .map(|(a, e)| (a - e).abs())
        .fold(0f32, f32::max);
    let (mut intersection, mut union) = (0usize, 0usize);
    for (a, e) in actual.iter().zip(expected) {
        let (a, e) = (*a > THRESHOLD, *e > THRESHOLD);
        intersection += (a && e) as usize;
        union += (a || e) as usize;
    }
    // Two empty masks agree perfectly.
    let iou = if union == 0 {
        1.0
    } else {
        intersection as f64 / union as f64
    };
    Figures {
        max_abs_diff,
        iou,
        flipped: union - intersection,
    }
}

#[test]
fn onnx_models_match_the_tflite_reference_on_real_photographs() -> Result<()> {
    let models = read_manifest(&models_build_dir())?;
    let mut failures = Vec::new();
    for (name, cases) in &models {
        let onnx = &cases[0].onnx;
        if !onnx.exists() {
            return Err(missing(onnx));
        }
        let started = Instant::now();
        let model = tract_onnx::onnx()
            .model_for_path(onnx)
            .with_context(|| format!("loading {}", onnx.display()))?
            .into_optimized()
            .with_context(|| format!("optimising {}", onnx.display()))?
            .into_runnable()?;
        let load_time = started.elapsed();
        let shape = input_shape(&model)?;
        eprintln!(
            "{name}: {} input {shape:?}, tract load + optimise {load_time:.1?}",
            onnx.display()
        );

        let mut run_time = Duration::ZERO;
        for case in cases {
            let pixels = case.height * case.width;
            let input = input_tensor(
                &read_f32(&case.input, pixels * 3)?,
                &shape,
                case.height,
                case.width,
            )?;
            let expected = read_f32(&case.expected, pixels)?;
            let started = Instant::now();
            let outputs = model.run(tvec!(input.into()))?;
            run_time += started.elapsed();
            // [1, H, W, 1] and [1, 1, H, W] share one memory order.
            let actual = outputs[0].to_plain_array_view::<f32>()?;
            let actual = actual
                .as_slice()
                .context("model output is not contiguous")?;
            ensure!(
                actual.len() == pixels,
                "{name}: output has {} values, expected {pixels}",
                actual.len()
            );
            let figures = compare(actual, &expected);
            let ok = figures.max_abs_diff <= MAX_ABS_DIFF && figures.iou >= MIN_IOU;
            eprintln!(
                "  {name:9} {:28} max|Δ| {:.2e}  IoU {:.5} ({} of {pixels} mask pixels flipped)  {}",
                case.image,
                figures.max_abs_diff,
                figures.iou,
                figures.flipped,
                if ok { "ok" } else { "FAIL" }
            );
            if !ok {
                failures.push(format!(
                    "{name}/{}: max|Δ| {:.2e} (limit {MAX_ABS_DIFF:.0e}), IoU {:.5} (limit {MIN_IOU})",
                    case.image, figures.max_abs_diff, figures.iou
                ));
            }
        }
        eprintln!(
            "{name}: mean run time {:.2?} over {} images",
            run_time / cases.len() as u32,
            cases.len()
        );
    }
    ensure!(
        failures.is_empty(),
        "{} cases differ from the TFLite reference:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}
