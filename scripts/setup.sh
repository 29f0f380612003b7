#!/usr/bin/env bash
# Installs what Backdrop's build and tests need and is missing; skips what is there.
# Called by demo.sh and test.sh; safe to run on its own, any number of times.
#
# Installs: Debian's chromium + chromium-driver and firefox-esr, iproute2 and patch
# (Galene tests); a wasm32 Rust toolchain (rustup's target, or Debian's rustc-web route);
# the npm dependencies from the committed lock files; Go (for the Galene tests). The
# Python virtual environment for the model tools is made by models/build.sh, and
# wasm-bindgen-cli by scripts/build.sh (compiled side by side with the wasm build, whose
# long single-threaded tract compile leaves a core free for it).
#
#   bash scripts/setup.sh         # what the tests need
#   bash scripts/setup.sh demo    # only what building and serving the demo needs
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for_tests=1
[ "${1:-}" = demo ] && for_tests=0

step "set-up: what is missing of Debian packages, the wasm toolchain, npm dependencies" "about 2 min on a new machine, seconds after"
have cargo || die "Rust is missing: install it from rustup (https://rustup.rs) or Debian's cargo, then run again"
have python3 || ensure_apt python3 python3-venv
python3 -c 'import venv, ensurepip' 2>/dev/null || ensure_apt python3-venv
ensure_wasm_toolchain
ensure_node_deps "$REPO_ROOT/www"
if [ "$for_tests" -eq 1 ]; then
    ensure_apt iproute2 patch
    ensure_browsers
    ensure_node_deps "$REPO_ROOT/tests"
    ensure_go
fi
log "set-up complete (wasm toolchain: $WASM_TOOLCHAIN)"
