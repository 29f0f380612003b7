# Shared helpers for Backdrop's scripts. Source it; do not run it.
#
# Every `ensure_*` function installs what is missing and returns at once when it is
# already there, so the README's two commands can run again and again.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# One place for everything the scripts download or build outside the repository's
# gitignored folders: the Rust build output, the tools they install, Galene. Deleting it is
# always safe: it only makes the next run slower.
export BACKDROP_CACHE=${BACKDROP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backdrop}
# One Cargo target directory per checkout, kept outside it (deleting the checkout's build
# output is never needed to get a clean clone): ~/.cache/backdrop/target/NAME-HASH, HASH
# from the checkout's path. Not one for every checkout: cargo names a workspace crate's
# output by its path inside the workspace, not on the machine, and judges it up to date by
# comparing times, so two checkouts sharing one directory would run each other's code.
BACKDROP_CHECKOUT_KEY="$(basename "$REPO_ROOT")-$(printf '%s' "$REPO_ROOT" | sha256sum | cut -c1-8)"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$BACKDROP_CACHE/target/$BACKDROP_CHECKOUT_KEY}
# Tools the scripts install (wasm-bindgen-cli) live in the cache too, not in ~/.cargo/bin.
BACKDROP_TOOLS=$BACKDROP_CACHE/tools
export PATH=$BACKDROP_TOOLS/bin:$PATH

# The wasm-bindgen CLI must match the `wasm-bindgen` crate exactly; read the version
# from Cargo.lock so there is one source of truth.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$REPO_ROOT/Cargo.lock"
}

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }

# Progress on a first run: every step says what it does and how long it takes on a new
# 2-core machine, with the time since the command started ([mm:ss]).
export BACKDROP_T0=${BACKDROP_T0:-$(date +%s)}
elapsed() { local s=$(($(date +%s) - BACKDROP_T0)); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
step() {
    local what=$1 cost=${2:-}
    printf '\033[1;34m==>\033[0m [%s] %s%s\n' "$(elapsed)" "$what" "${cost:+ ($cost)}" >&2
}
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif have sudo; then sudo "$@"
    else die "need root to run: $* (install sudo or run as root)"
    fi
}

# Installs the named Debian packages that are not installed yet.
ensure_apt() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    have apt-get || die "missing packages ${missing[*]} and no apt-get: install them by hand"
    log "installing Debian packages: ${missing[*]}"
    if [ ! -f "$BACKDROP_CACHE/apt-updated" ] || [ -n "$(find "$BACKDROP_CACHE/apt-updated" -mmin +720 2>/dev/null)" ]; then
        as_root apt-get update -q >/dev/null
        mkdir -p "$BACKDROP_CACHE" && touch "$BACKDROP_CACHE/apt-updated"
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# Decides how to build for wasm32-unknown-unknown and sets WASM_CARGO, WASM_RUSTC and
# WASM_BUILD_STD. rustup's target is used where it is installed or can be added; otherwise
# Debian's rustc-web toolchain builds the standard library itself (-Zbuild-std).
ensure_wasm_toolchain() {
    [ -n "${WASM_CARGO:-}" ] && return 0
    if have rustup && { rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
        timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1; }; then
        WASM_CARGO=cargo
        WASM_RUSTC=$(rustup which rustc)
        WASM_BUILD_STD=()
        WASM_TOOLCHAIN="rustup $("$WASM_RUSTC" --version | cut -d' ' -f2)"
    else
        ensure_apt rustc-web cargo-web rust-web-src lld-22 rust-web-llvm
        WASM_CARGO=/usr/bin/cargo
        WASM_RUSTC=/usr/bin/rustc
        WASM_BUILD_STD=(-Zbuild-std=std,panic_abort)
        WASM_TOOLCHAIN="debian rustc-web $("$WASM_RUSTC" --version | cut -d' ' -f2) with -Zbuild-std"
    fi
    export WASM_CARGO WASM_RUSTC WASM_TOOLCHAIN
}

# Runs cargo for wasm32 with one of the two feature sets: `simd` or `nosimd`.
# Each variant has its own target directory so switching does not rebuild the other.
# `-Zpanic-abort-tests`: test targets keep the profile's `panic = "abort"` instead of
# forcing unwinding on every crate, so the browser tests reuse the package's compiled
# crates instead of building tract a second time (panics trap on wasm32 either way).
# The wasm target features live here and only here; www/src/features.ts mirrors the list
# for feature detection in the browser.
wasm_cargo() {
    local variant=$1; shift
    local features
    case "$variant" in
        simd) features="+simd128" ;;
        nosimd) features="-simd128" ;;
        *) die "unknown wasm variant '$variant' (expected simd or nosimd)" ;;
    esac
    ensure_wasm_toolchain
    local cmd=$1; shift
    RUSTC="$WASM_RUSTC" RUSTC_BOOTSTRAP=1 \
        RUSTFLAGS="-C target-feature=$features ${BACKDROP_EXTRA_RUSTFLAGS:-}" \
        CARGO_TARGET_DIR="$CARGO_TARGET_DIR/wasm-$variant" \
        "$WASM_CARGO" "$cmd" --target wasm32-unknown-unknown "${WASM_BUILD_STD[@]}" -Zpanic-abort-tests "$@"
}

ensure_wasm_bindgen_cli() {
    local want
    want=$(wasm_bindgen_version)
    [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
    if have wasm-bindgen && [ "$(wasm-bindgen --version | cut -d' ' -f2)" = "$want" ] &&
        have wasm-bindgen-test-runner; then
        return 0
    fi
    step "installing wasm-bindgen-cli $want into $BACKDROP_TOOLS" "about 3.5 min on a new 2-core machine, once"
    # Its own lock file first; where the registry lacks a version it pins (seen: a newer
    # webpki-roots than this registry serves), the newest compatible versions instead.
    cargo install -q --locked wasm-bindgen-cli --version "$want" --root "$BACKDROP_TOOLS" 2>/dev/null ||
        cargo install -q wasm-bindgen-cli --version "$want" --root "$BACKDROP_TOOLS"
}

# The browsers the tests drive, from Debian (never a downloaded browser).
ensure_browsers() {
    ensure_apt chromium chromium-driver firefox-esr
}

ensure_node_deps() {
    local dir
    have node && have npm || ensure_apt nodejs npm
    for dir in "$@"; do
        # `npm ci` only when the lock file changed since the last install.
        if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
            [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
            log "npm ci in ${dir#"$REPO_ROOT"/}"
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
        fi
    done
}

ensure_go() {
    have go && return 0
    [ -x /usr/local/go/bin/go ] && { export PATH=$PATH:/usr/local/go/bin; return 0; }
    ensure_apt golang-go
}

# Chromium's flags for headless use as root on a machine without network; shared by
# every layer that starts a browser (also read by tests/lib/browser.mjs through this env).
export BACKDROP_CHROMIUM=${BACKDROP_CHROMIUM:-/usr/bin/chromium}
