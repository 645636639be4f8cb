# shellcheck shell=bash
# Helpers shared by the benchmark scripts (scripts/bench*.sh). Sourced after scripts/env.sh, from
# the repository root:
#   source scripts/env.sh
#   source scripts/lib/bench.sh
# Sourcing only defines functions and PG_ADMIN; nothing runs. The helpers read these globals of
# the sourcing script where they say so: BASE (http://127.0.0.1:PORT), BIN (the tutorium binary),
# WORK (a scratch directory), DUR (seconds per wrk run), SERVER (the server's pid, set by
# start_server).

# The PostgreSQL server the benchmarks create their databases on (its `postgres` database).
PG_ADMIN="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# Installs a Debian package quietly when its command is missing: need_cmd COMMAND [PACKAGE].
need_cmd() {
  local cmd=$1 pkg=${2:-$1}
  command -v "$cmd" >/dev/null && return 0
  apt-get update -qq || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg"
}
need_wrk() { need_cmd wrk; }
need_brotli() { need_cmd brotli; }

# `cargo leptos build --release --split`, showing only its last line (the build fails the script).
build_release() {
  cargo leptos build --release --split 2>&1 | tail -1
}

# Raw, gzip -9 and brotli -q 11 sizes of the JS/WASM bundle: print_wasm_sizes [site root].
print_wasm_sizes() {
  local site=${1:-target/site} f raw gz br
  need_brotli
  for f in "$site/pkg/tutorium.wasm" "$site/pkg/tutorium.js"; do
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
    printf '%-32s raw %8d  gzip %8d  brotli %8d bytes\n' "$f" "$raw" "$gz" "$br"
  done
}

# Resident memory of a process in MiB: rss PID.
rss() { ps -o rss= -p "$1" | awk '{print int($1/1024)}'; }

# Samples the RSS of PID every INTERVAL seconds (default 0.25) in the background and keeps the
# peak (MiB) in FILE: rss_sampler PID FILE [INTERVAL]. The sampler's pid is left in RSS_SAMPLER
# (stop it with `kill "$RSS_SAMPLER"`); read the peak with `cat FILE`.
rss_sampler() {
  local pid=$1 maxf=$2 every=${3:-0.25}
  echo 0 > "$maxf"
  ( while true; do r=$(rss "$pid"); m=$(cat "$maxf"); ((r > m)) && echo "$r" > "$maxf"; sleep "$every"; done ) &
  RSS_SAMPLER=$!
}

# Runs wrk (2 threads, 50 connections, DUR seconds) on URL and prints one line: req/s, p50, p99
# and the server's peak RSS meanwhile: run LABEL URL [extra wrk args...]. Uses DUR, WORK and
# SERVER; RUN_LABEL_WIDTH (default 34) is the width of the label column.
run() {
  local label=$1 url=$2; shift 2
  local maxf="$WORK/max"
  rss_sampler "$SERVER" "$maxf"
  local sampler=$RSS_SAMPLER
  local out; out=$(wrk -t2 -c50 -d"${DUR}s" --latency "$@" "$url")
  kill $sampler 2>/dev/null || true
  printf '  %-*s %8s req/s  p50 %8s  p99 %8s  peak RSS %s MiB%s\n' "${RUN_LABEL_WIDTH:-34}" "$label" \
    "$(echo "$out" | awk '/Requests\/sec/{print $2}')" "$(echo "$out" | awk '$1=="50%"{print $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}')" "$(cat "$maxf")" \
    "$(echo "$out" | awk '/Non-2xx/{print "  NON-2xx: " $4}')"
}

# Waits until BASE/healthz answers: wait_healthz [TRIES, default 600] [INTERVAL s, default 0.05].
# Returns 1 when it never did.
wait_healthz() {
  local tries=${1:-600} every=${2:-0.05}
  for _ in $(seq 1 "$tries"); do
    curl -sf "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep "$every"
  done
  return 1
}

# Starts `BIN serve` on DATABASE_URL with DATA_DIR=WORK/data and its log in WORK/server.log, sets
# SERVER to its pid and waits for /healthz; exits the script with the log when it does not come
# up in 30 s: start_server DATABASE_URL.
start_server() {
  DATA_DIR="$WORK/data" DATABASE_URL="$1" "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  wait_healthz 600 0.05 && return
  echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

# Stops the server start_server started.
stop_server() {
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

# PostgreSQL bench databases on PG_ADMIN's server. pg_create_db NAME drops NAME if it is there and
# creates it empty; pg_drop_db NAME drops it; pg_db_url NAME prints its URL. Notices ("does not
# exist, skipping") are not shown; errors are (and return non-zero).
pg_quiet() { PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql "$PG_ADMIN" -qc "$1"; }
pg_drop_db() { pg_quiet "DROP DATABASE IF EXISTS \"$1\""; }
pg_create_db() { pg_drop_db "$1" && pg_quiet "CREATE DATABASE \"$1\""; }
pg_db_url() { echo "${PG_ADMIN%/*}/$1"; }
