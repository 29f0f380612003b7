#!/usr/bin/env bash
# Builds everything the demo and the tests need: the ONNX models, both wasm builds
# (SIMD and the fallback without it) and the npm package. Prints the size of each artefact.
#
#   bash scripts/build.sh           # everything
#   bash scripts/build.sh wasm      # only the wasm package
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PKG_DIR="$REPO_ROOT/www/pkg"

build_models() {
    bash "$REPO_ROOT/models/build.sh"
}

# The fake-camera clip of the end-to-end tests, made from one of the models' test
# photographs (a person before a plain blue wall; see models/IMAGES.md).
build_fixtures() {
    local photo="$REPO_ROOT/models/build/images/12-webcam-blue-wall.png"
    local out="$REPO_ROOT/tests/fixtures/build/person-640x480.y4m"
    local maker="$REPO_ROOT/tests/fixtures/make_y4m.py"
    if ! { [ -f "$out" ] && [ "$out" -nt "$photo" ] && [ "$out" -nt "$maker" ]; }; then
        log "making ${out#"$REPO_ROOT"/}"
        mkdir -p "$(dirname "$out")"
        "$REPO_ROOT/models/.venv/bin/python" "$maker" "$photo" "$out" --size 640x480
    fi
    # What the native core computes, for the browser tests to compare the wasm build with.
    log "native reference data for the wasm tests"
    cargo run -q -p backdrop-wasm --example make_reference -- "$REPO_ROOT/tests/fixtures/build/wasm-reference"
}

# wasm-opt features: what rustc enables by default for wasm32 today, plus SIMD for that build.
wasm_opt_features() {
    local f=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
        --enable-sign-ext --enable-reference-types --enable-multivalue)
    [ "$1" = simd ] && f+=(--enable-simd)
    echo "${f[@]}"
}

build_wasm_variant() {
    local variant=$1 wasm out_name
    log "building wasm ($variant) with $WASM_TOOLCHAIN"
    wasm_cargo "$variant" build --release -p backdrop-wasm
    wasm="$CARGO_TARGET_DIR/wasm-$variant/wasm32-unknown-unknown/release/backdrop_wasm.wasm"
    out_name="backdrop_$variant"
    # wasm-opt takes minutes on a module this size: only when cargo made a new one.
    if [ "$PKG_DIR/${out_name}_bg.wasm" -nt "$wasm" ] && [ "$PKG_DIR/${out_name}.js" -nt "$wasm" ]; then
        return 0
    fi
    local staging="$CARGO_TARGET_DIR/wasm-$variant/bindgen"
    wasm-bindgen --target web --out-dir "$staging" --out-name "$out_name" "$wasm"
    # shellcheck disable=SC2046
    "$WASM_OPT" -O3 $(wasm_opt_features "$variant") -o "$PKG_DIR/${out_name}_bg.wasm" "$staging/${out_name}_bg.wasm"
    # The JS glue last: its date marks the variant as complete.
    cp "$staging/${out_name}_bg.wasm.d.ts" "$staging/${out_name}.d.ts" "$staging/${out_name}.js" "$PKG_DIR/"
}

build_wasm() {
    ensure_wasm_toolchain
    ensure_wasm_bindgen_cli
    ensure_wasm_opt
    mkdir -p "$PKG_DIR"
    build_wasm_variant simd
    build_wasm_variant nosimd
}

build_package() {
    ensure_node_deps "$REPO_ROOT/www"
    # The package carries the models, so every asset resolves next to it.
    mkdir -p "$PKG_DIR/models"
    cp -u "$REPO_ROOT"/models/build/selfie_general.onnx "$REPO_ROOT"/models/build/selfie_landscape.onnx "$PKG_DIR/models/"
    log "building the npm package (tsc)"
    (cd "$REPO_ROOT/www" && npm run --silent build)
}

print_sizes() {
    log "artefacts"
    local f
    for f in "$PKG_DIR"/*.wasm "$PKG_DIR"/*.js "$PKG_DIR"/models/*.onnx "$REPO_ROOT"/www/dist/*.js; do
        [ -f "$f" ] || continue
        printf '  %-48s %9s bytes  %7s gzip\n' "${f#"$REPO_ROOT"/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
    done
}

what=${1:-all}
case "$what" in
    all) build_models; build_fixtures; build_wasm; build_package ;;
    models) build_models; build_fixtures ;;
    wasm) build_wasm ;;
    package) build_package ;;
    *) die "unknown target '$what' (expected all, models, wasm or package)" ;;
esac
print_sizes
