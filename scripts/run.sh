#!/usr/bin/env bash
# Sets up what is missing, builds a release, adds demo data to an empty platform, and serves
# Tutorium at http://127.0.0.1:3000 on the embedded default: data/tutorium.db and data/media.
# Settings come from the environment or .env (see .env.example).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
echo "[run] building the release (the first build takes a while on 2 cores)"
cargo leptos build --release --split
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
# The demo run sells its paid course through the sandbox provider (no money moves; every page
# says so). `tutorium serve` alone keeps it off.
export PAYMENTS_SANDBOX="${PAYMENTS_SANDBOX:-true}"
"$BIN" demo --if-empty
echo "[run] serving on http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}  (Ctrl-C stops)"
exec "$BIN" serve
