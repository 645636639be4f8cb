#!/usr/bin/env bash
# Quiz benchmarks on a release build, on SQLite and PostgreSQL: the exam start storm (1,000
# learners starting one final exam at the same moment: latencies, errors) and a submission burst
# (200 of them submitting at once: req/s, p99), plus certificate PDFs per second.
# Usage: scripts/bench-quizzes.sh [learners] [submitters]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
scripts/setup.sh
LEARNERS="${1:-1000}"
SUBMITTERS="${2:-200}"
PORT=3332
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
build_release
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn
ulimit -n 65536 2>/dev/null || true

bench() { # name url
  echo "== $1"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  DATA_DIR="$WORK/data" DATABASE_URL="$2" "$BIN" seed --users $((LEARNERS + 50)) --posts 0 --courses 1 --lessons 3 | tail -1 | sed 's/^/  /'
  DATA_DIR="$WORK/data" DATABASE_URL="$2" "$BIN" seed-exam --learners "$LEARNERS" --out "$WORK/tokens" | sed 's/^/  /'
  DATA_DIR="$WORK/data" DATABASE_URL="$2" "$BIN" serve >"$WORK/server.log" 2>&1 &
  local server=$!
  wait_healthz 600 0.05 || true
  python3 scripts/exam_storm.py "$BASE" "$WORK/tokens" "$SUBMITTERS"
  echo "  server peak RSS: $(awk '/VmHWM/{print int($2/1024)}' /proc/$server/status) MiB"
  kill "$server"; wait "$server" 2>/dev/null || true
}

bench sqlite "sqlite://$WORK/data/bench.db"
pg_create_db tutorium_quiz_bench
bench postgres "$(pg_db_url tutorium_quiz_bench)"
pg_drop_db tutorium_quiz_bench || true

echo "== certificate PDFs (release, one core)"
cargo test --release -p app --features ssr --lib certificates::pdf::tests::bench_render -- --ignored --nocapture 2>&1 | grep -iE "per second|/s|ms" | sed 's/^/  /'
