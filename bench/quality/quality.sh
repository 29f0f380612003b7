#!/usr/bin/env bash
# The mask quality evaluation (issue 20): Backdrop's masks and MediaPipe's raw model against
# a matting reference (Robust Video Matting) on the test photographs and a real webcam clip.
# Builds what is missing (the models, the native CLI, this folder's Python environment),
# fetches the reference and the clip into bench/quality/build/ (gitignored), and writes
# docs/quality.json and docs/QUALITY.md.
#
#   bash bench/quality/quality.sh           # everything (about 15 minutes on 2 cores once built)
#   bash bench/quality/quality.sh --quick   # 4 photographs, 50 clip frames, written to
#                                           # bench/quality/build/ (docs/ untouched)
#
# BACKDROP_CLI=PATH uses that `backdrop` binary instead of building one.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

HERE="$REPO_ROOT/bench/quality"
BUILD="$HERE/build"
VENV="$HERE/.venv"
PY="$VENV/bin/python"

quick=()
json="$REPO_ROOT/docs/quality.json"
page="$REPO_ROOT/docs/QUALITY.md"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=(--quick); json="$BUILD/quality.json"; page="$BUILD/QUALITY.md" ;;
        *) die "unknown option '$1' (expected --quick)" ;;
    esac
    shift
done

step "models: bash models/build.sh" "about 1 min on a new machine, a second when up to date"
bash "$REPO_ROOT/models/build.sh"

if [ -n "${BACKDROP_CLI:-}" ]; then
    [ -x "$BACKDROP_CLI" ] || die "BACKDROP_CLI=$BACKDROP_CLI is not an executable"
    cli=$BACKDROP_CLI
else
    step "the native CLI: cargo build -p backdrop-cli (dev profile)" "about 25 min from nothing, seconds when up to date"
    have cargo || die "cargo is not installed: run bash scripts/setup.sh"
    cargo build -q -p backdrop-cli
    cli="$CARGO_TARGET_DIR/debug/backdrop"
fi
[ -x "$cli" ] || die "no backdrop binary at $cli"

# This folder's own environment, reinstalled only when requirements.txt changes.
want=$(sha256sum "$HERE/requirements.txt" | cut -d' ' -f1)
if [[ ! -x "$PY" || ! -f "$VENV/.stamp" || "$(cat "$VENV/.stamp")" != "$want" ]]; then
    step "Python environment bench/quality/.venv from bench/quality/requirements.txt" "about 30 s"
    have python3 || die "python3 is not installed"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
    echo "$want" > "$VENV/.stamp"
fi

step "evaluating (reference, MediaPipe raw, every Backdrop configuration)" "about 15 min on 2 cores; --quick about 2 min"
mkdir -p "$BUILD"
(cd "$HERE" && "$PY" evaluate.py --repo "$REPO_ROOT" --cli "$cli" --cache "$BUILD/cache" --json "$json" \
    "${quick[@]}")
(cd "$HERE" && "$PY" report.py "$json" "$page")
log "wrote ${json#"$REPO_ROOT"/} and ${page#"$REPO_ROOT"/}"
