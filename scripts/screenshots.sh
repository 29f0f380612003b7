#!/usr/bin/env bash
# Regenerates the demo screenshots in docs/screenshots/ (shown in the README's Demo
# section): installs what is missing, builds, then runs the demo's end-to-end tests with
# BACKDROP_SCREENSHOTS set, so the tests save one small JPEG per mode as they check it.
# A normal test run never writes there.
#
#   bash scripts/screenshots.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

bash "$REPO_ROOT/scripts/setup.sh"
bash "$REPO_ROOT/scripts/build.sh"

out=docs/screenshots
mkdir -p "$REPO_ROOT/$out"
log "demo tests, saving screenshots to $out/"
(cd "$REPO_ROOT/tests" && BACKDROP_SCREENSHOTS=$out node --test --test-concurrency=1 e2e/demo-page.test.mjs e2e/demo-video-file.test.mjs)
for f in "$REPO_ROOT/$out"/*.jpg; do
    size=$(stat -c %s "$f")
    [ "$size" -le 153600 ] || die "$f is $size bytes: keep screenshots at most 150 kB"
    printf '  %-40s %6d kB\n' "${f#"$REPO_ROOT"/}" $((size / 1024))
done
