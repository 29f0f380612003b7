//! Where inference time goes: each model's optimised tract plan run node by node, timing
//! every node, then the time per op kind and the slowest nodes. Measures only.
//!
//!     cargo bench -p backdrop-bench --bench model_ops
//!
//! Needs `bash models/build.sh` (the ONNX models).

#[path = "../../backdrop-core/tests/common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::collections::HashMap;
use std::io::Cursor;
use std::time::{Duration, Instant};
use tract_onnx::prelude::*;

const RUNS: usize = 30;
const WARMUP: usize = 3;

/// Profiles the model as tract optimises it, or (`ours`) as `Segmenter` plans it.
fn profile(name: &str, bytes: &[u8], ours: bool) -> TractResult<()> {
    let model = tract_onnx::onnx().model_for_read(&mut Cursor::new(bytes))?;
    let shape: Vec<usize> = model
        .input_fact(0)?
        .shape
        .as_concrete_finite()?
        .unwrap()
        .to_vec();
    let mut typed = model
        .with_input_fact(0, f32::fact(&shape).into())?
        .into_optimized()?;
    if ours {
        backdrop_core::segment::linear_resize::replace_resizes(&mut typed)?;
    }
    let plan = typed.into_runnable()?;
    let name = format!(
        "{name} ({})",
        if ours {
            "as Segmenter plans it"
        } else {
            "tract's plan"
        }
    );
    let mut state = plan.spawn()?;
    let input: TValue = Tensor::zero::<f32>(&shape)?.into();
    let mut per_node: HashMap<usize, Duration> = HashMap::new();
    let mut total = Duration::ZERO;
    for run in 0..WARMUP + RUNS {
        let start = Instant::now();
        let mut times: Vec<(usize, Duration)> = Vec::new();
        state.run_plan_with_eval(tvec!(input.clone()), |ctx, op_state, node, inputs| {
            let t = Instant::now();
            let out = tract_onnx::tract_core::plan::eval(ctx, op_state, node, inputs);
            times.push((node.id, t.elapsed()));
            out
        })?;
        if run >= WARMUP {
            total += start.elapsed();
            for (id, t) in times {
                *per_node.entry(id).or_default() += t;
            }
        }
    }
    let model = plan.model();
    let mut per_op: HashMap<String, (Duration, usize)> = HashMap::new();
    for (&id, &t) in &per_node {
        let entry = per_op
            .entry(model.node(id).op().name().to_string())
            .or_default();
        entry.0 += t;
        entry.1 += 1;
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3 / RUNS as f64;
    println!(
        "\n{name} {shape:?}: {:.2} ms per run ({} nodes), mean of {RUNS}",
        ms(total),
        model.nodes().len()
    );
    let mut ops: Vec<_> = per_op.into_iter().collect();
    ops.sort_by(|a, b| b.1 .0.cmp(&a.1 .0));
    println!("  {:<28} {:>8} {:>6} {:>6}", "op", "ms", "%", "nodes");
    for (op, (t, n)) in &ops {
        println!(
            "  {op:<28} {:>8.3} {:>5.1}% {n:>6}",
            ms(*t),
            100.0 * t.as_secs_f64() / total.as_secs_f64()
        );
    }
    let mut nodes: Vec<_> = per_node.into_iter().collect();
    nodes.sort_by(|a, b| b.1.cmp(&a.1));
    println!("  slowest nodes:");
    for (id, t) in nodes.iter().take(12) {
        let node = model.node(*id);
        let out = &node.outputs[0].fact;
        println!(
            "  {:>8.3} ms  #{id} {} {:?}",
            ms(*t),
            node.op().name(),
            out.shape
        );
    }
    Ok(())
}

fn main() -> TractResult<()> {
    // `cargo bench` passes --bench; nothing else to parse.
    for ours in [false, true] {
        profile("general", &common::general_model(), ours)?;
        profile("landscape", &common::landscape_model(), ours)?;
    }
    Ok(())
}
