#!/usr/bin/env bash
# The benchmark command (issue 8): installs and builds what is missing, runs the native
# stage benchmarks, then measures Backdrop, MediaPipe's runtimes and onnxruntime-web in
# headless Chromium on the same frames and writes docs/performance.json,
# docs/PERFORMANCE.md and docs/performance.svg.
#
#   bash scripts/bench.sh               # everything (≈ 15 minutes on 2 cores)
#   bash scripts/bench.sh --quick       # fewer frames and shorter native benches
#   bash scripts/bench.sh --no-native   # keep criterion's last native numbers
#   bash scripts/bench.sh --only simd   # only configurations whose id contains "simd"
#   bash scripts/bench.sh --first-frame # only the cold start, Backdrop's and MediaPipe's, kept
#                                       # beside the other results already in docs/performance.json
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

quick=() native=1 only=()
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=(--quick) ;;
        --no-native) native=0 ;;
        --only) only=(--only "$2"); shift ;;
        --first-frame) only=(--only first-frame --merge); native=0 ;;
        *) die "unknown option '$1' (expected --quick, --no-native, --only ID or --first-frame)" ;;
    esac
    shift
done

bash "$REPO_ROOT/scripts/setup.sh"
bash "$REPO_ROOT/scripts/build.sh"
ensure_node_deps "$REPO_ROOT/bench"
# MediaPipe Tasks needs normalisation metadata in the .tflite files; the solution's lack it.
mkdir -p "$REPO_ROOT/bench/build"
for tflite in selfie_segmentation selfie_segmentation_landscape; do
    src="$REPO_ROOT/bench/node_modules/@mediapipe/selfie_segmentation/$tflite.tflite"
    dst="$REPO_ROOT/bench/build/$tflite.tflite"
    [ "$dst" -nt "$src" ] && [ "$dst" -nt "$REPO_ROOT/bench/tflite_metadata.py" ] ||
        "$REPO_ROOT/models/.venv/bin/python" "$REPO_ROOT/bench/tflite_metadata.py" "$src" "$dst"
done

if [ "$native" -eq 1 ]; then
    log "native stage benchmarks (cargo bench -p backdrop-bench --bench stages)"
    if [ ${#quick[@]} -gt 0 ]; then
        cargo bench -q -p backdrop-bench --bench stages -- --warm-up-time 1 --measurement-time 1 >/dev/null
    else
        cargo bench -q -p backdrop-bench --bench stages >/dev/null
    fi
    log "inference per op (cargo bench -p backdrop-bench --bench model_ops)"
    cargo bench -q -p backdrop-bench --bench model_ops >"$CARGO_TARGET_DIR/model_ops.txt"
fi

log "browser benchmarks in headless Chromium"
node "$REPO_ROOT/bench/run.mjs" "${quick[@]}" "${only[@]}" --out "$REPO_ROOT/docs/performance.json"
node "$REPO_ROOT/bench/report.mjs" "$REPO_ROOT/docs/performance.json"
