#!/usr/bin/env bash
# Installs Backdrop's "Remove background" into a Galene web client (its static/ folder):
#
#   bash galene-patch/install.sh STATIC_DIR
#
# 1. copies the built npm package (www/dist and www/pkg, or BACKDROP_PACKAGE=DIR holding
#    dist/ and pkg/, e.g. node_modules/backdrop-video) and our background image into
#    STATIC_DIR/third-party/backdrop/;
# 2. copies backdrop-filters.js into STATIC_DIR;
# 3. applies galene-static.diff (script include, the side-menu checkbox, tsconfig.json).
#
# Re-running it is harmless: an already patched file is recognised and left alone, and the
# copied assets are replaced by the current ones. Before changing anything it checks the
# sha256 of every file the diff touches against galene-static.sha256, and refuses a Galene
# version or a locally modified file it was not made for.
#
#   bash galene-patch/install.sh --pin PRISTINE_STATIC_DIR > galene-patch/galene-static.sha256
#
# is the maintainer's command for a new Galene version (after updating the diff): it checks
# that the diff applies exactly to an untouched static/ folder and prints the pin file.
set -euo pipefail

PATCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIFF="$PATCH_DIR/galene-static.diff"
PINS="$PATCH_DIR/galene-static.sha256"
# The Galene version galene-static.sha256 was made for, for the messages.
GALENE_VERSION="github.com/jech/galene@v0.0.0-20260621160059-da062e782e78"

die() { printf 'galene-patch: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'galene-patch: %s\n' "$*" >&2; }

# The files the diff touches, in order.
touched_files() {
    sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$DIFF"
}

# pinned STATE FILE: the pinned sha256 of FILE in STATE (original or patched).
pinned() {
    awk -v state="$1" -v file="$2" '!/^#/ && $2 == state && $3 == file { print $1 }' "$PINS"
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# Applies the diff to a copy of a pristine static/ folder and prints the pin file.
pin() {
    local static=$1 file
    [ -d "$static" ] || die "$static is not a directory"
    PIN_WORK=$(mktemp -d)
    trap 'rm -rf "$PIN_WORK"' EXIT
    local work=$PIN_WORK
    echo "# sha256 of the files galene-static.diff touches, in Galene's static/ folder:"
    echo "# 'original' as Galene ships them, 'patched' after the diff. Made by install.sh --pin."
    while read -r file; do
        [ -f "$static/$file" ] || die "$static/$file is missing"
        mkdir -p "$work/$(dirname "$file")"
        cp "$static/$file" "$work/$file"
        printf '%s  original  %s\n' "$(sha "$static/$file")" "$file"
    done < <(touched_files)
    patch -p1 -d "$work" --fuzz=0 --no-backup-if-mismatch -s < "$DIFF" ||
        die "galene-static.diff does not apply exactly to $static"
    while read -r file; do
        printf '%s  patched   %s\n' "$(sha "$work/$file")" "$file"
    done < <(touched_files)
}

# Prints "original", "patched" or "unknown" for one file of STATIC.
file_state() {
    local static=$1 file=$2 have original patched
    [ -f "$static/$file" ] || { echo missing; return; }
    have=$(sha "$static/$file")
    original=$(pinned original "$file")
    patched=$(pinned patched "$file")
    [ -n "$original" ] && [ -n "$patched" ] || die "galene-static.sha256 has no pin for $file"
    if [ "$have" = "$original" ]; then echo original
    elif [ "$have" = "$patched" ]; then echo patched
    else echo unknown
    fi
}

find_package() {
    local package=${BACKDROP_PACKAGE:-$PATCH_DIR/../www}
    [ -f "$package/dist/index.js" ] ||
        die "no built Backdrop package: $package/dist/index.js is missing (run bash scripts/build.sh, or set BACKDROP_PACKAGE to a folder holding dist/ and pkg/)"
    compgen -G "$package/pkg/*.wasm" >/dev/null ||
        die "no wasm in $package/pkg (run bash scripts/build.sh)"
    [ -d "$package/pkg/models" ] ||
        die "no models in $package/pkg/models (run bash scripts/build.sh)"
    (cd "$package" && pwd)
}

copy_assets() {
    local static=$1 package=$2 dest="$1/third-party/backdrop" staging
    staging=$(mktemp -d "$static/third-party/.backdrop.XXXXXX")
    cp -R "$package/dist" "$staging/dist"
    cp -R "$package/pkg" "$staging/pkg"
    mkdir "$staging/galene"
    cp "$PATCH_DIR/background.png" "$staging/galene/background.png"
    chmod -R a+rX "$staging"
    # Replace the whole folder, so that files of an older build do not linger.
    rm -rf "$dest"
    mv "$staging" "$dest"
    install -m 0644 "$PATCH_DIR/backdrop-filters.js" "$static/backdrop-filters.js"
}

install_into() {
    local static=$1 package file state states=()
    [ -d "$static" ] || die "$static is not a directory (expected Galene's static/ folder)"
    [ -f "$static/galene.html" ] && [ -f "$static/filter.js" ] ||
        die "$static does not look like Galene's static/ folder (no galene.html or filter.js)"

    # Check everything before changing anything.
    while read -r file; do
        state=$(file_state "$static" "$file")
        case "$state" in
            original | patched) states+=("$state") ;;
            missing) die "$static/$file is missing: is this Galene's static/ folder?" ;;
            *) die "$static/$file is not the file this patch was made for (sha256 $(sha "$static/$file")): this patch is for $GALENE_VERSION, unmodified. Use that version's static/ folder, or see galene-patch/README.md to port the patch." ;;
        esac
    done < <(touched_files)
    for state in "${states[@]}"; do
        [ "$state" = "${states[0]}" ] ||
            die "$static is partly patched ($(touched_files | tr '\n' ' ')are ${states[*]}): restore the original files and run again"
    done

    package=$(find_package)
    mkdir -p "$static/third-party"
    copy_assets "$static" "$package"
    if [ "${states[0]}" = patched ]; then
        say "$static is already patched; assets updated"
    else
        patch -p1 -d "$static" --fuzz=0 --no-backup-if-mismatch -s < "$DIFF" ||
            die "galene-static.diff failed to apply to $static"
        while read -r file; do
            [ "$(file_state "$static" "$file")" = patched ] ||
                die "$static/$file is not as expected after patching"
        done < <(touched_files)
        say "patched $static"
    fi
    say "installed Backdrop into $static (assets in third-party/backdrop/)"
}

case "${1:-}" in
    --pin) [ $# -eq 2 ] || die "usage: install.sh --pin PRISTINE_STATIC_DIR"; pin "$2" ;;
    "" | -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; [ $# -eq 1 ] ;;
    *) [ $# -eq 1 ] || die "usage: install.sh STATIC_DIR"; install_into "$1" ;;
esac
