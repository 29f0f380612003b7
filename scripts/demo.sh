#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds everything and serves the
# demo on localhost, printing its URL. PORT=N picks the port (default 8000; 0 = any free one).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$REPO_ROOT/scripts/setup.sh"
bash "$REPO_ROOT/scripts/build.sh"
exec node "$REPO_ROOT/scripts/serve.mjs" --port "${PORT:-8000}"
