#!/usr/bin/env bash
# The README's test command: installs what is missing, builds everything, then runs the
# four test layers and prints their pass counts.
#
#   bash scripts/test.sh                 # all layers
#   bash scripts/test.sh native e2e      # some of: native wasm package e2e
#
# 1. native:  cargo test --workspace --exclude backdrop-bench (core engine, CLI, model fidelity)
# 2. wasm:    wasm-bindgen-test in headless Chromium through chromedriver, for the SIMD
#             build and the fallback build
# 3. package: the npm package's own unit tests (www/src/**/*.test.ts) with node --test, no
#             browser: the frame gate, the quality controller, options, worker restarts
# 4. e2e:     Playwright (playwright-core + Debian's Chromium) against pages served on
#             localhost, with a fake camera fed from a .y4m of a real person
#
# Every layer runs even when an earlier one failed; the exit status is non-zero when any did.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

layers=("$@")
[ ${#layers[@]} -gt 0 ] || layers=(native wasm package e2e)
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/backdrop-test.XXXXXX")
declare -A summary=()
total_pass=0
total_fail=0
failed_layers=()

# Runs one layer, teeing its output; records "N passed, M failed" from the runner's lines.
run_layer() {
    local name=$1 parser=$2; shift 2
    local log="$LOG_DIR/$name.log" status pass fail start=$SECONDS
    step "layer: $name"
    set +e
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    set -e
    read -r pass fail < <("$parser" "$log")
    if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi # a build error is a failure too
    summary[$name]="$pass passed, $fail failed (exit $status) in $(((SECONDS - start) / 60)) min $(((SECONDS - start) % 60)) s"
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    [ "$status" -eq 0 ] || failed_layers+=("$name")
}

cargo_counts() {
    awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
         END { print p + 0, f + 0 }' "$1"
}

node_counts() {
    awk '/^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$1"
}

native_layer() {
    cargo test --workspace --exclude backdrop-bench
}

wasm_layer() {
    local variant
    export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
    export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
    export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-600}
    local status=0
    for variant in simd nosimd; do
        log "wasm-bindgen-test ($variant build) in $BACKDROP_CHROMIUM"
        # The same targets as scripts/build.sh builds, so nothing is compiled here.
        (cd "$REPO_ROOT/crates/backdrop-wasm" && wasm_cargo "$variant" test --release -p backdrop-wasm --test browser) || status=1
    done
    return $status
}

package_layer() {
    (cd "$REPO_ROOT/www" && npm test)
}

e2e_layer() {
    (cd "$REPO_ROOT/tests" && npm test)
}

bash "$REPO_ROOT/scripts/setup.sh"
bash "$REPO_ROOT/scripts/build.sh"

for layer in "${layers[@]}"; do
    case "$layer" in
        native) run_layer "1 native (cargo test --workspace --exclude backdrop-bench)" cargo_counts native_layer ;;
        wasm) run_layer "2 wasm in Chromium (wasm-bindgen-test, simd + fallback)" cargo_counts wasm_layer ;;
        package) run_layer "3 package (node --test, the npm package unit tests)" node_counts package_layer ;;
        e2e) run_layer "4 end to end (Playwright + Chromium, puppeteer-core + Firefox, fake camera)" node_counts e2e_layer ;;
        *) die "unknown layer '$layer' (expected native, wasm, package or e2e)" ;;
    esac
done

step "summary (logs in $LOG_DIR)"
for layer in "${!summary[@]}"; do printf '  layer %s: %s\n' "$layer" "${summary[$layer]}"; done | sort
echo "total: $total_pass passed, $total_fail failed"
if [ ${#failed_layers[@]} -gt 0 ]; then
    die "failed: ${failed_layers[*]}"
fi
