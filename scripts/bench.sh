#!/usr/bin/env bash
# Benchmarks of a release build (figures reported in the issue notes):
#   server start to ready on an empty database; profile page req/s and p99 with 50 connections
#   (wrk) on SQLite and on PostgreSQL, against the same bytes served as a static file by the same
#   server; password hashes per second; profile page latency while 20 log-ins run.
#   WASM size raw/gzip/brotli.
# Usage: scripts/bench.sh [seconds per wrk run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
scripts/setup.sh
need_wrk
need_brotli
DUR="${1:-15}"
PORT=3300
BASE="http://127.0.0.1:$PORT"

echo "== release build"
build_release
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn
export LIMIT_LOGIN_PER_IP=1000000 LIMIT_LOGIN_PER_ACCOUNT=1000000

echo "== WASM size (release)"
print_wasm_sizes target/site

echo "== password hashing"
cargo run -q --release -p server --example hash_bench 40

# Polls every 10 ms: the start-to-ready figure depends on it.
wait_ready() { wait_healthz 600 0.01; }

LOGIN_LUA=$(mktemp --suffix=.lua)
cat > "$LOGIN_LUA" <<'LUA'
wrk.method = "POST"
wrk.body   = "email=anna.petrova%40demo.tutorium.local&password=demo-password-2026"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

run_backend() {
  local name=$1 url=$2
  local data; data=$(mktemp -d)
  echo
  echo "== $name"
  local t0; t0=$(date +%s%N)
  DATA_DIR="$data" DATABASE_URL="$url" "$BIN" serve >"$data/server.log" 2>&1 &
  local pid=$!
  wait_ready
  echo "start to ready on an empty database: $(( ($(date +%s%N) - t0) / 1000000 )) ms (process start, migrations, first /healthz answer)"
  DATA_DIR="$data" DATABASE_URL="$url" "$BIN" demo >/dev/null
  curl -s "$BASE/u/anna-petrova" > target/site/bench-profile.html
  echo "profile page: $(stat -c %s target/site/bench-profile.html) bytes"
  # Restart so that the static copy of the page is among the site's files the server holds.
  kill "$pid"; wait "$pid" 2>/dev/null || true
  DATA_DIR="$data" DATABASE_URL="$url" "$BIN" serve >"$data/server.log" 2>&1 &
  pid=$!
  wait_ready
  echo "-- profile page (SSR, 50 connections)"
  wrk -t2 -c50 -d"${DUR}s" --latency "$BASE/u/anna-petrova" | grep -E "Requests/sec|Latency|99%|50%|Non-2xx"
  echo "-- the same bytes as a static file (50 connections)"
  wrk -t2 -c50 -d"${DUR}s" --latency "$BASE/bench-profile.html" | grep -E "Requests/sec|Latency|99%|50%|Non-2xx"
  echo "-- profile page (10 connections) while 20 log-ins run at once"
  wrk -t1 -c20 -d"$((DUR + 4))s" -s "$LOGIN_LUA" "$BASE/api/accounts/login" > "$data/logins.txt" &
  local lp=$!
  sleep 2
  wrk -t1 -c10 -d"${DUR}s" --latency "$BASE/u/anna-petrova" | grep -E "Requests/sec|99%|50%|Non-2xx"
  wait $lp || true
  echo "   log-ins in that time: $(grep -E 'Requests/sec' "$data/logins.txt")"
  echo "-- profile page (10 connections), no log-ins"
  wrk -t1 -c10 -d"${DUR}s" --latency "$BASE/u/anna-petrova" | grep -E "Requests/sec|99%|50%|Non-2xx"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f target/site/bench-profile.html
  rm -rf "$data"
}

run_backend "SQLite" "sqlite://$(mktemp -d)/bench.db"

if pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_create_db tutorium_bench
  run_backend "PostgreSQL" "$(pg_db_url tutorium_bench)"
  pg_drop_db tutorium_bench
else
  echo "PostgreSQL is not running on 127.0.0.1:5432: skipping its half" >&2
fi
rm -f "$LOGIN_LUA"
