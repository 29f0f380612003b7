//! Nothing here: the benchmarks are in `benches/`, run with `cargo bench -p backdrop-bench`.
