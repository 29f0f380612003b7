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
    wasm-bindgen --target web --out-dir "$PKG_DIR" --out-name "$out_name" "$wasm"
    # shellcheck disable=SC2046
    wasm-opt -O3 $(wasm_opt_features "$variant") -o "$PKG_DIR/${out_name}_bg.wasm" "$PKG_DIR/${out_name}_bg.wasm"
}

build_wasm() {
    ensure_wasm_toolchain
    ensure_wasm_bindgen_cli
    ensure_apt binaryen
    mkdir -p "$PKG_DIR"
    build_wasm_variant simd
    build_wasm_variant nosimd
}

build_package() {
    ensure_node_deps "$REPO_ROOT/www"
    log "building the npm package (tsc)"
    (cd "$REPO_ROOT/www" && npm run --silent build)
}

print_sizes() {
    log "artefacts"
    local f
    for f in "$PKG_DIR"/*.wasm "$PKG_DIR"/*.js "$REPO_ROOT"/models/build/*.onnx; do
        [ -f "$f" ] || continue
        printf '  %-48s %9s bytes  %7s gzip\n' "${f#"$REPO_ROOT"/}" "$(stat -c %s "$f")" "$(gzip -9c "$f" | wc -c)"
    done
}

what=${1:-all}
case "$what" in
    all) build_models; build_wasm; build_package ;;
    models) build_models ;;
    wasm) build_wasm ;;
    package) build_package ;;
    *) die "unknown target '$what' (expected all, models, wasm or package)" ;;
esac
print_sizes
