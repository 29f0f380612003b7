#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds what the demo needs (the
# models, both wasm builds, the package; not the tests) and serves the demo on localhost,
# printing its URL. PORT=N picks the port (default 8000; 0 = any free one).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$REPO_ROOT/scripts/setup.sh" demo
bash "$REPO_ROOT/scripts/build.sh" demo
exec node "$REPO_ROOT/scripts/serve.mjs" --port "${PORT:-8000}"
