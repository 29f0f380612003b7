#!/usr/bin/env bash
# Installs what Backdrop's build and tests need and is missing; skips what is there.
# Called by demo.sh and test.sh; safe to run on its own, any number of times.
#
# Installs: Debian's chromium + chromium-driver, iproute2 and patch (Galene tests);
# wasm-opt (binaryen 116, from crates.io); a wasm32 Rust
# toolchain (rustup's target, or Debian's rustc-web route); wasm-bindgen-cli at exactly
# the wasm-bindgen crate's version; the npm dependencies from the committed lock files;
# Go (for the Galene tests). The Python virtual environment for the model tools is made
# by models/build.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

have cargo || die "Rust is missing: install it from rustup (https://rustup.rs) or Debian's cargo, then run again"
have python3 || ensure_apt python3 python3-venv
python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt python3-venv
ensure_apt iproute2 patch
ensure_chromium
ensure_wasm_toolchain
ensure_wasm_bindgen_cli
ensure_wasm_opt
ensure_node_deps "$REPO_ROOT/www" "$REPO_ROOT/tests"
ensure_go
log "set-up complete (wasm toolchain: $WASM_TOOLCHAIN)"
