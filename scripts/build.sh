#!/usr/bin/env bash
# Builds what the demo and the tests need: the ONNX models, both wasm builds (SIMD and the
# fallback without it), the npm package, and for the tests the native test binaries, the
# native reference data of the wasm tests and the wasm test binaries. Prints the size of
# each artefact.
#
#   bash scripts/build.sh           # everything the tests need (scripts/test.sh runs this)
#   bash scripts/build.sh demo      # only what the demo page needs (scripts/demo.sh)
#   bash scripts/build.sh wasm      # only the wasm package
#   bash scripts/build.sh package   # only the TypeScript package
#
# Each Rust crate graph is compiled once per target and variant: the native test build
# also makes the reference data (its example), and each wasm variant's package and its
# browser test share one feature set (see crates/backdrop-wasm/Cargo.toml). The three Rust
# builds run side by side: much of a tract build is one long single-threaded rustc, so two
# at once keep both cores busy.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKG_DIR="$REPO_ROOT/www/pkg"
REFERENCE_DIR="$REPO_ROOT/tests/fixtures/build/wasm-reference"
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/backdrop-build.XXXXXX")

build_models() {
    step "models: Python tools, MediaPipe's TFLite graphs to ONNX, test photographs" "about 1 min on a new machine, a second when up to date"
    bash "$REPO_ROOT/models/build.sh"
}

# The fake-camera clip of the end-to-end tests, made from one of the models' test
# photographs (a person before a plain blue wall; see models/IMAGES.md).
build_clip() {
    local photo="$REPO_ROOT/models/build/images/12-webcam-blue-wall.png"
    local out="$REPO_ROOT/tests/fixtures/build/person-640x480.y4m"
    local maker="$REPO_ROOT/tests/fixtures/make_y4m.py"
    if ! { [ -f "$out" ] && [ "$out" -nt "$photo" ] && [ "$out" -nt "$maker" ]; }; then
        log "making ${out#"$REPO_ROOT"/}"
        mkdir -p "$(dirname "$out")"
        "$REPO_ROOT/models/.venv/bin/python" "$maker" "$photo" "$out" --size 640x480
    fi
}

# The native test binaries (what `cargo test --workspace --exclude backdrop-bench` then runs without compiling),
# and with them the example that writes what the native core computes, for the browser
# tests to compare the wasm build with.
build_native() {
    cargo test -q --workspace --exclude backdrop-bench --no-run
    "$CARGO_TARGET_DIR/debug/examples/make_reference" "$REFERENCE_DIR"
}

# Runs cargo for one wasm variant: the library (the package's module) and, with `tests`,
# the browser test binary too (it embeds the native reference data, so it comes after
# build_native). Prints where the module is.
cargo_wasm() {
    local variant=$1 what=$2 targets=(--lib)
    [ "$what" = tests ] && targets+=(--test browser)
    (cd "$REPO_ROOT/crates/backdrop-wasm" && wasm_cargo "$variant" build -q --release -p backdrop-wasm "${targets[@]}")
}

# wasm-bindgen's glue for one variant into www/pkg, when the module changed. No wasm-opt:
# measured on the SIMD module (node, the same V8 as Chromium, alternating runs),
# binaryen's -O3 changed the whole 640x480 and 1280x720 path by less than the run-to-run
# noise (±3%) and the code section by 6%, for 2 to 7 minutes per variant on 2 cores. The
# name section (3 MB of function names) is left out; panics still print their message.
bindgen_variant() {
    local variant=$1 wasm out_name staging stamp want
    wasm="$CARGO_TARGET_DIR/wasm-$variant/wasm32-unknown-unknown/release/backdrop_wasm.wasm"
    out_name="backdrop_$variant"
    stamp="$PKG_DIR/.$out_name.sha256"
    want="$(sha256sum "$wasm" | cut -d' ' -f1) $(wasm_bindgen_version)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$PKG_DIR/${out_name}_bg.wasm" ] &&
        [ -f "$PKG_DIR/$out_name.js" ]; then
        return 0
    fi
    # Staged in this run's temporary folder, then copied whole into www/pkg.
    staging=$(mktemp -d "$LOG_DIR/bindgen-$variant.XXXXXX")
    wasm-bindgen --target web --remove-name-section --out-dir "$staging" --out-name "$out_name" "$wasm"
    mkdir -p "$PKG_DIR"
    cp "$staging/${out_name}_bg.wasm" "$staging/${out_name}_bg.wasm.d.ts" "$staging/$out_name.d.ts" "$staging/$out_name.js" "$PKG_DIR/"
    echo "$want" > "$stamp"
}

# Runs the named functions side by side, each with its output in a log; fails with the
# end of the log of any that failed.
in_parallel() {
    local name pid status=0
    local -A running=()
    for name in "$@"; do
        "$name" > "$LOG_DIR/$name.log" 2>&1 &
        running[$!]=$name
    done
    # Each one as it ends, so the times say which took longest.
    while [ ${#running[@]} -gt 0 ]; do
        if wait -n -p pid "${!running[@]}"; then
            log "[$(elapsed)] ${running[$pid]} done"
        else
            status=1
            warn "${running[$pid]} failed; the end of its log ($LOG_DIR/${running[$pid]}.log):"
            tail -n 40 "$LOG_DIR/${running[$pid]}.log" >&2
        fi
        unset "running[$pid]"
    done
    return $status
}

wasm_simd_lib() { cargo_wasm simd lib; }
wasm_nosimd_lib() { cargo_wasm nosimd lib; }
# wasm-bindgen-cli is only needed once a module is built, so on a new machine it compiles
# beside the wasm build instead of before it.
bindgen_cli() { ensure_wasm_bindgen_cli; }

build_wasm() {
    ensure_wasm_toolchain
    step "Rust: both wasm variants (tract for wasm32, with and without SIMD) side by side" \
        "about 12 min on a new 2-core machine with wasm-bindgen-cli, seconds when up to date"
    in_parallel wasm_simd_lib wasm_nosimd_lib bindgen_cli || die "the wasm build failed"
    bindgen_variant simd
    bindgen_variant nosimd
}

# Everything the tests need from Rust, in as few passes over the cores as the
# dependencies allow: the native tests and both wasm libraries side by side, then the
# wasm browser tests (they embed the native reference data).
build_rust_for_tests() {
    ensure_wasm_toolchain
    step "Rust: native tests, both wasm variants and wasm-bindgen-cli, side by side" \
        "about 20 min on a new 2-core machine, seconds when up to date"
    in_parallel build_native wasm_simd_lib wasm_nosimd_lib bindgen_cli || die "the Rust build failed"
    bindgen_variant simd
    bindgen_variant nosimd
    step "Rust: the wasm browser tests of both variants" "about 3 min on a new machine"
    in_parallel wasm_simd_tests wasm_nosimd_tests || die "the wasm test build failed"
}
wasm_simd_tests() { cargo_wasm simd tests; }
wasm_nosimd_tests() { cargo_wasm nosimd tests; }

build_package() {
    step "the npm package (tsc) with its models"
    ensure_node_deps "$REPO_ROOT/www"
    # The package carries the models, so every asset resolves next to it.
    mkdir -p "$PKG_DIR/models"
    cp -u "$REPO_ROOT"/models/build/selfie_general.onnx "$REPO_ROOT"/models/build/selfie_landscape.onnx "$PKG_DIR/models/"
    # From empty: tsc never deletes the output of a source file that moved or went.
    rm -rf "$REPO_ROOT/www/dist"
    (cd "$REPO_ROOT/www" && npm run --silent build)
}

print_sizes() {
    [ -d "$PKG_DIR" ] || return 0
    log "artefacts (raw, gzip -9, brotli), and what a start downloads for its first frame"
    node "$REPO_ROOT/scripts/sizes.mjs"
}

what=${1:-all}
case "$what" in
    all) build_models; build_clip; build_rust_for_tests; build_package ;;
    demo) build_models; build_wasm; build_package ;;
    models) build_models; build_clip ;;
    wasm) build_wasm ;;
    package) build_package ;;
    *) die "unknown target '$what' (expected all, demo, models, wasm or package)" ;;
esac
print_sizes
rm -rf "$LOG_DIR"
