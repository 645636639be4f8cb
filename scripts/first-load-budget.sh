#!/usr/bin/env bash
# The first-load budget of every public route (what a visitor's browser fetches before the page
# is interactive: WASM + JS, and CSS, as transferred with brotli), checked against
# scripts/first-load-budget.json. Bytes are deterministic, so this is a test, not a benchmark.
#
# Builds the browser bundle as it is served (release, split into page groups) into target/site-budget,
# serves it with the server binary the browser tests were built with (LEPTOS_SITE_ROOT decides
# which site a server serves) on a fresh database with the demo data, and opens each route in
# Chromium (scripts/first-load.js). A release server build would take as long again for the same
# bytes.   scripts/first-load-budget.sh [--slow]   (--slow also reports slow-phone hydration)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

SITE=target/site-budget
BIN="$CARGO_TARGET_DIR/debug/tutorium"
echo "[budget] release WASM, split (cargo leptos build --release --split --frontend-only)"
LEPTOS_SITE_ROOT=$SITE cargo leptos build --release --split --frontend-only 2>&1 | tail -1
scripts/compress-site.sh "$SITE"
[[ -x "$BIN" ]] || { echo "[budget] $BIN is missing: run 'cargo leptos build --split' first" >&2; exit 1; }

DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
export DATABASE_URL="sqlite://$DATA/budget.db?mode=rwc" DATA_DIR="$DATA" LEPTOS_SITE_ROOT="$SITE" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" PUBLIC_URL="http://127.0.0.1:$PORT" PAYMENTS_SANDBOX=true RUST_LOG=warn
"$BIN" demo >/dev/null
"$BIN" serve >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# The sitemap leaves certificates out: take the demo graduate's.
CERT=$(python3 -c "import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute('SELECT code FROM certificates LIMIT 1').fetchone(); print(r[0] if r else '')" "$DATA/budget.db")
node scripts/first-load.js "http://127.0.0.1:$PORT" --budget scripts/first-load-budget.json \
  --json target/first-load.json "$@" ${CERT:+/certificates/$CERT}
