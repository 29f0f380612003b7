#!/usr/bin/env bash
# Installs Backdrop's "Remove background" into a Galene web client (its static/ folder):
#
#   bash galene-patch/install.sh STATIC_DIR
#
# 1. recognises the Galene version by the sha256 of the files the patch touches or relies
#    on (galene-static.sha256), and refuses any other tree, saying which file differs;
# 2. copies the built npm package (www/dist and www/pkg, or BACKDROP_PACKAGE=DIR holding
#    dist/ and pkg/, e.g. node_modules/backdrop-video) and our background image into
#    STATIC_DIR/third-party/backdrop/, and backdrop-filters.js into STATIC_DIR;
# 3. applies that version's diff, galene-VERSION.diff (the script include, the side-menu
#    checkbox, tsconfig.json).
#
# Running it again is harmless: a patched tree is recognised, left as it is, and only the
# copied assets are replaced by the current ones.
#
#   bash galene-patch/install.sh --uninstall STATIC_DIR
#
# reverses the diff and removes what step 2 copied: the files are then byte for byte
# Galene's own again (checked against the pins).
#
#   bash galene-patch/install.sh --pin VERSION PRISTINE_STATIC_DIR
#
# is the maintainer's command for a new Galene version (after writing galene-VERSION.diff
# and its "version" line in galene-static.sha256): it checks that the diff applies exactly
# to an untouched static/ folder and prints the version's pin lines.
set -euo pipefail

PATCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PINS="$PATCH_DIR/galene-static.sha256"
# The files of Galene's client that backdrop-filters.js calls into; the ones a version has
# are pinned ("checked") even where the diff leaves them alone.
RELIED_ON=(galene.js protocol.js filter.js settings.js)

die() { printf 'galene-patch: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'galene-patch: %s\n' "$*" >&2; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

diff_of() { printf '%s/galene-%s.diff' "$PATCH_DIR" "$1"; }

# The versions galene-static.sha256 knows, one a line.
versions() { awk '$1 == "version" { print $2 }' "$PINS"; }

# describe VERSION: the version's description, for messages.
describe() {
    awk -v v="$1" '$1 == "version" && $2 == v { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$PINS"
}

supported() {
    local v list=()
    while read -r v; do list+=("$(describe "$v")"); done < <(versions)
    local IFS=';'
    printf '%s' "${list[*]}" | sed 's/;/; /g'
}

# pins VERSION: "state file sha256" lines of the version.
pins() { awk -v v="$1" '$1 == "pin" && $2 == v { print $3, $4, $5 }' "$PINS"; }

# pinned VERSION STATE FILE: the pinned sha256, or nothing.
pinned() { pins "$1" | awk -v s="$2" -v f="$3" '$1 == s && $2 == f { print $3 }'; }

# The files a diff touches, in order.
touched_files() { sed -n 's#^+++ b/\([^[:space:]]*\).*#\1#p' "$1"; }

# match VERSION STATIC: prints "original" or "patched" when STATIC is that version (every
# pinned file as pinned, the touched ones all original or all patched), else prints the
# reasons it is not, one a line, and fails.
match() {
    local version=$1 static=$2 state file hash have reasons=() states=()
    while read -r state file hash; do
        [ "$state" = patched ] && continue
        if [ ! -f "$static/$file" ]; then
            reasons+=("$file is missing")
            continue
        fi
        have=$(sha "$static/$file")
        if [ "$have" = "$hash" ]; then
            [ "$state" = original ] && states+=(original)
        elif [ "$state" = original ] && [ "$have" = "$(pinned "$version" patched "$file")" ]; then
            states+=(patched)
        else
            reasons+=("$file differs (sha256 $have)")
        fi
    done < <(pins "$version")
    if [ ${#reasons[@]} -gt 0 ]; then
        printf '%s\n' "${reasons[@]}"
        return 1
    fi
    for state in "${states[@]}"; do
        if [ "$state" != "${states[0]}" ]; then
            echo "partly patched: $(touched_files "$(diff_of "$version")" | tr '\n' ' ')are ${states[*]}"
            return 1
        fi
    done
    echo "${states[0]}"
}

# identify STATIC: sets VERSION and STATE (original or patched), or dies saying why no
# supported version matches.
identify() {
    local static=$1 version result report=""
    [ -d "$static" ] || die "$static is not a directory (expected Galene's static/ folder)"
    [ -f "$static/galene.html" ] ||
        die "$static does not look like Galene's static/ folder (no galene.html)"
    while read -r version; do
        if result=$(match "$version" "$static"); then
            VERSION=$version
            STATE=$result
            return
        fi
        case "$result" in
            "partly patched"*) die "$static is $(describe "$version"), $result: restore Galene's own files and run again" ;;
        esac
        report+=$'\n'"  not $(describe "$version"): $(printf '%s' "$result" | paste -sd ';' - | sed 's/;/; /g')"
    done < <(versions)
    die "$static is not a Galene version this patch supports, or has local changes:$report"$'\n'"Supported, unmodified: $(supported). See galene-patch/README.md to port the patch."
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
    mkdir -p "$static/third-party"
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

# apply_diff STATIC VERSION [-R]
apply_diff() {
    local static=$1 diff
    diff=$(diff_of "$2")
    shift 2
    patch -p1 -d "$static" --fuzz=0 --no-backup-if-mismatch --reject-file=- -s --dry-run "$@" < "$diff" >/dev/null ||
        die "$(basename "$diff") does not apply to $static"
    patch -p1 -d "$static" --fuzz=0 --no-backup-if-mismatch --reject-file=- -s "$@" < "$diff"
}

install_into() {
    local static=$1 package
    identify "$static"
    package=$(find_package)
    copy_assets "$static" "$package"
    if [ "$STATE" = patched ]; then
        say "$static is $(describe "$VERSION") and already patched; assets updated"
    else
        apply_diff "$static" "$VERSION"
        [ "$(match "$VERSION" "$static")" = patched ] ||
            die "$static is not as expected after patching"
        say "patched $static: $(describe "$VERSION")"
    fi
    say "installed Backdrop into $static (assets in third-party/backdrop/)"
}

uninstall_from() {
    local static=$1
    identify "$static"
    if [ "$STATE" = patched ]; then
        apply_diff "$static" "$VERSION" -R
        [ "$(match "$VERSION" "$static")" = original ] ||
            die "$static is not Galene's own after reversing the diff"
    fi
    rm -rf "$static/third-party/backdrop" "$static/backdrop-filters.js"
    # third-party/ is Galene's own in every supported version: keep it.
    if [ "$STATE" = patched ]; then
        say "uninstalled Backdrop from $static: $(describe "$VERSION") as shipped"
    else
        say "$static was not patched: $(describe "$VERSION"); removed any copied assets"
    fi
}

# Prints the pin lines of VERSION from a pristine static/ folder, after checking that the
# version's diff applies to it exactly.
pin() {
    local version=$1 static=$2 diff file work
    diff=$(diff_of "$version")
    [ -f "$diff" ] || die "no $diff"
    [ -n "$(describe "$version")" ] ||
        die "add a line 'version $version DESCRIPTION' to galene-static.sha256 first"
    [ -d "$static" ] || die "$static is not a directory"
    PIN_WORK=$(mktemp -d)
    trap 'rm -rf "$PIN_WORK"' EXIT
    work=$PIN_WORK
    mapfile -t touched < <(touched_files "$diff")
    for file in "${touched[@]}"; do
        [ -f "$static/$file" ] || die "$static/$file is missing"
        mkdir -p "$work/$(dirname "$file")"
        cp "$static/$file" "$work/$file"
        printf 'pin %s original %s %s\n' "$version" "$file" "$(sha "$static/$file")"
    done
    apply_diff "$work" "$version"
    for file in "${touched[@]}"; do
        printf 'pin %s patched %s %s\n' "$version" "$file" "$(sha "$work/$file")"
    done
    for file in "${RELIED_ON[@]}"; do
        [ -f "$static/$file" ] || continue
        printf '%s\n' "${touched[@]}" | grep -qxF "$file" && continue
        printf 'pin %s checked %s %s\n' "$version" "$file" "$(sha "$static/$file")"
    done
}

case "${1:-}" in
    --pin) [ $# -eq 3 ] || die "usage: install.sh --pin VERSION PRISTINE_STATIC_DIR"; pin "$2" "$3" ;;
    --uninstall) [ $# -eq 2 ] || die "usage: install.sh --uninstall STATIC_DIR"; uninstall_from "$2" ;;
    "" | -h | --help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; [ $# -eq 1 ] ;;
    -*) die "unknown option $1 (see install.sh --help)" ;;
    *) [ $# -eq 1 ] || die "usage: install.sh STATIC_DIR"; install_into "$1" ;;
esac
