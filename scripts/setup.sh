#!/usr/bin/env bash
# Installs what building and running Tutorium needs, idempotently and without downloading
# anything from outside the package registries (crates.io, npm, PyPI, Debian).
#   scripts/setup.sh          toolchain for building and running
#   scripts/setup.sh --test   also what the tests need (Chromium, Playwright, SMTP sink, PostgreSQL client)
# Everything installed is reused by later runs; a step is skipped when its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

want_test=0
[[ "${1:-}" == "--test" ]] && want_test=1

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
  fi
}

# --- Rust ------------------------------------------------------------------------------------
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy rustfmt

# Debian packages the build and the media pipeline use (pkg-config and a C compiler for -sys crates).
apt_install pkg-config gcc g++ make curl ca-certificates brotli

# --- cargo-leptos 0.3.11 -------------------------------------------------------------------------
# Built from the registry source with two crates of its lockfile held back or moved on:
# cargo-util-schemas 0.14.1 (0.14.2 needs rustc >= 1.96) and wasm_split_cli_support 0.2.4 (0.2.3
# leaves every data segment in the main WASM module when splitting, cargo-leptos#679; it needs
# rayon 1.12).
# It is a build orchestrator, so it is compiled at opt-level 1 without LTO: about half the time of
# its own release profile on 2 cores. TOOL_PROFILE is reused for wasm-bindgen-cli below.
TOOL_PROFILE=(CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=0 CARGO_PROFILE_RELEASE_STRIP=true)
CARGO_LEPTOS_VERSION=0.3.11
CARGO_LEPTOS_STAMP="$TOOLS_DIR/cargo-leptos-$CARGO_LEPTOS_VERSION.patched"
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION" || [[ ! -f "$CARGO_LEPTOS_STAMP" ]]; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (one time, several minutes on 2 cores)"
  crate=$(ls "$CARGO_HOME_DIR"/registry/cache/*/cargo-leptos-$CARGO_LEPTOS_VERSION.crate 2>/dev/null | head -1 || true)
  if [[ -z "$crate" ]]; then
    # Downloads the crate into cargo's cache; the build itself stops early on the rustc check.
    cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --target-dir "$TOOLS_DIR/build" \
      >/dev/null 2>&1 || true
    crate=$(ls "$CARGO_HOME_DIR"/registry/cache/*/cargo-leptos-$CARGO_LEPTOS_VERSION.crate 2>/dev/null | head -1 || true)
  fi
  [[ -n "$crate" ]] || { echo "cargo-leptos $CARGO_LEPTOS_VERSION could not be downloaded from crates.io" >&2; exit 1; }
  work="$TOOLS_DIR/src/cargo-leptos-patched"
  mkdir -p "$TOOLS_DIR/src"
  rm -rf "$work" "$TOOLS_DIR/src/cargo-leptos-$CARGO_LEPTOS_VERSION"
  tar -xzf "$crate" -C "$TOOLS_DIR/src"
  mv "$TOOLS_DIR/src/cargo-leptos-$CARGO_LEPTOS_VERSION" "$work"
  grep -q '^\[workspace\]' "$work/Cargo.toml" || printf '\n[workspace]\n' >> "$work/Cargo.toml"
  (cd "$work" &&
    cargo update -p cargo-util-schemas --precise 0.14.1 &&
    cargo update -p rayon --precise 1.12.0 &&
    cargo update -p wasm_split_cli_support --precise 0.2.4 &&
    env "${TOOL_PROFILE[@]}" cargo install --path . --locked --force --target-dir "$TOOLS_DIR/build")
  touch "$CARGO_LEPTOS_STAMP"
fi

# --- wasm-bindgen CLI: must equal the wasm-bindgen in Cargo.lock --------------------------------
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WB_VERSION"; then
  log "installing wasm-bindgen-cli $WB_VERSION (~3 min)"
  env "${TOOL_PROFILE[@]}" cargo install wasm-bindgen-cli --version "$WB_VERSION" --force --target-dir "$TOOLS_DIR/build"
fi

# --- Node.js and npm (Debian's) when the machine has none -------------------------------------------
command -v npm >/dev/null 2>&1 || apt_install nodejs npm

# --- wasm-opt (npm binaryen; Debian's 108 produces WASM that never hydrates) ---------------------
if [[ ! -x tools/node_modules/.bin/wasm-opt || ! -f tools/node_modules/hls.js/dist/hls.min.js ]]; then
  log "npm install (tools: binaryen, hls.js)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
fi
# hls.js plays the HLS ladder in browsers without native HLS; served from /vendor/.
mkdir -p public/vendor
cmp -s tools/node_modules/hls.js/dist/hls.min.js public/vendor/hls.min.js ||
  cp tools/node_modules/hls.js/dist/hls.min.js public/vendor/hls.min.js

# ffmpeg/ffprobe check and transcode uploaded videos.
apt_install ffmpeg

if ((want_test)); then
  # poppler-utils: pdftotext/pdftoppm read the certificate PDFs in the tests.
  apt_install chromium postgresql-client python3-venv poppler-utils
  # SMTP sink for tests that talk real SMTP.
  # SMTP sink and S3-compatible server (moto) for the tests.
  if [[ ! -x "$TOOLS_DIR/venv/bin/python" ]] || ! "$TOOLS_DIR/venv/bin/python" -c 'import aiosmtpd, moto.server' 2>/dev/null; then
    log "python venv with aiosmtpd and moto[server]"
    python3 -m venv "$TOOLS_DIR/venv"
    "$TOOLS_DIR/venv/bin/pip" install -q 'aiosmtpd==1.4.6' 'moto[server]==5.2.5'
  fi
  if [[ ! -d end2end/node_modules/@playwright/test ]]; then
    log "npm install (end2end: Playwright, no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
log "tools ready"
