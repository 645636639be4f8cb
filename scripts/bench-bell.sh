#!/usr/bin/env bash
# What idle notification streams cost (the bell's `GET /api/notifications/stream`, server-sent
# events), on a release build, on PostgreSQL and on SQLite: one learner signs up, then N streams
# with that session stay open while nothing happens. After 5 s to settle, for S seconds: queries
# per second the database receives (PostgreSQL: transactions of its database in
# pg_stat_database; SQLite has no server-side counter), the server's CPU time per second, and the
# streams still open at the end; each beside the same server without streams (the job worker
# polls too). One line per backend (scripts/bell_streams.py holds the streams).
# Usage: scripts/bench-bell.sh [streams, default 1000] [seconds, default 30]
# Another build: BIN=/path/to/tutorium LEPTOS_SITE_ROOT=/path/to/target/site scripts/bench-bell.sh
# (with BIN set nothing is built).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
STREAMS="${1:-1000}"
SECS="${2:-30}"
PORT=3333
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

if [[ -z "${BIN:-}" ]]; then
  scripts/setup.sh
  build_release
  BIN="$CARGO_TARGET_DIR/release/tutorium"
fi
[[ -x "$BIN" ]] || { echo "no server binary at $BIN" >&2; exit 1; }
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn
# Each stream is a socket in the server and in the client (both inherit this).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[[ $(ulimit -n) == unlimited ]] || ((STREAMS + 100 <= $(ulimit -n))) || echo "warning: ulimit -n is $(ulimit -n), less than $STREAMS streams need" >&2

echo "== $STREAMS idle notification streams of one learner, ${SECS} s window after 5 s to settle"
echo "   server $BIN, site $LEPTOS_SITE_ROOT"

bell() { # label database-url [pg database]
  local label=$1 url=$2 db=${3:-}
  rm -rf "$WORK/data" "$WORK/jar"; mkdir -p "$WORK/data"
  start_server "$url"
  local code; code=$(curl -s -c "$WORK/jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "email=bell-bench@bench.tutorium.local" \
    --data-urlencode "password=correct horse battery staple" \
    --data-urlencode "display_name=Bell Bench" -d "role=student" "$BASE/api/accounts/signup")
  local cookie; cookie=$(awk '/tutorium_session/{print $7}' "$WORK/jar")
  if [[ -z "$cookie" ]]; then
    echo "sign-up gave no session cookie (HTTP $code)" >&2; cat "$WORK/server.log" >&2; exit 1
  fi
  local pg=()
  [[ -n "$db" ]] && pg=(--pg-admin "$PG_ADMIN" --db "$db")
  python3 scripts/bell_streams.py --base "$BASE" --cookie "$cookie" --pid "$SERVER" --label "$label" \
    --streams "$STREAMS" --seconds "$SECS" --settle 5 "${pg[@]}" | tee "$WORK/result.txt" | grep -v '^json '
  grep '^json ' "$WORK/result.txt" > "$WORK/$label.json" || true
  stop_server
}

if pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_create_db tutorium_bell_bench
  bell postgres "$(pg_db_url tutorium_bell_bench)" tutorium_bell_bench
  pg_drop_db tutorium_bell_bench || true
else
  echo "PostgreSQL is not running on 127.0.0.1:5432: skipping its half" >&2
fi
bell sqlite "sqlite://$WORK/data/bench.db"
# Machine-readable figures, when asked for: BELL_JSON=file.
if [[ -n "${BELL_JSON:-}" ]]; then cat "$WORK"/*.json > "$BELL_JSON"; fi
