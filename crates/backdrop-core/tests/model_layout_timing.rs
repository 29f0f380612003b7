//! Measures tract's load + optimise time and run time of the selfie segmentation
//! models in both external layouts: the shipped NCHW files and the NHWC variants
//! that `bash models/build.sh` writes to models/build/layout-variants/. The
//! figures back the layout choice recorded in models/MODELS.md.
//!
//! A measurement, not a check, so it is ignored by default:
//! `cargo test -p backdrop-core --test model_layout_timing -- --ignored --nocapture`

use anyhow::{ensure, Context, Result};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tract_onnx::prelude::*;

const WARM_UP_RUNS: usize = 3;
const TIMED_RUNS: usize = 30;
const ROUNDS: usize = 3;

fn models_build_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/build")
}

struct Timing {
    load: Duration,
    median_run: Duration,
    fastest_run: Duration,
}

fn measure(path: &Path) -> Result<Timing> {
    ensure!(path.exists(), "{} does not exist; run `bash models/build.sh` first", path.display());
    let started = Instant::now();
    let model = tract_onnx::onnx()
        .model_for_path(path)
        .with_context(|| format!("loading {}", path.display()))?
        .into_optimized()?
        .into_runnable()?;
    let load = started.elapsed();
    let fact = model.model().input_fact(0)?;
    let shape = fact.shape.as_concrete().context("model input shape is not fixed")?.to_vec();
    // A mid-grey frame: the run time of these convolutional graphs does not depend on pixel values.
    let input: TValue = Tensor::from_shape(&shape, &vec![0.5f32; shape.iter().product()])?.into();
    for _ in 0..WARM_UP_RUNS {
        model.run(tvec!(input.clone()))?;
    }
    let mut runs = Vec::with_capacity(TIMED_RUNS);
    for _ in 0..TIMED_RUNS {
        let started = Instant::now();
        model.run(tvec!(input.clone()))?;
        runs.push(started.elapsed());
    }
    runs.sort();
    Ok(Timing { load, median_run: runs[TIMED_RUNS / 2], fastest_run: runs[0] })
}

#[test]
#[ignore = "a measurement: run with --ignored --nocapture"]
fn nchw_and_nhwc_models_load_and_run_times() -> Result<()> {
    let build = models_build_dir();
    let files = [
        ("general", "NCHW", build.join("selfie_general.onnx")),
        ("general", "NHWC", build.join("layout-variants/selfie_general.nhwc.onnx")),
        ("landscape", "NCHW", build.join("selfie_landscape.onnx")),
        ("landscape", "NHWC", build.join("layout-variants/selfie_landscape.nhwc.onnx")),
    ];
    for round in 1..=ROUNDS {
        for (model, layout, path) in &files {
            let t = measure(path)?;
            eprintln!(
                "round {round}  {model:9} {layout}  load + optimise {:7.1?}  run median {:7.2?}  fastest {:7.2?}",
                t.load, t.median_run, t.fastest_run
            );
        }
    }
    Ok(())
}
