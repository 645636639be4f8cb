#!/usr/bin/env bash
# Course benchmarks on a release build, 50 connections, at 1k and at 20k courses (about 10 lessons
# each: 200k lessons at the big size), on SQLite and PostgreSQL: the catalog page with a search term
# and two filters, the catalog data endpoint, a course page, and the player page of an enrolled
# learner. Also the generator's rate, the server's memory under load, and the WASM size.
# Usage: scripts/bench-courses.sh [seconds per run] [courses for the big run]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
scripts/setup.sh
DUR="${1:-10}"
BIG="${2:-20000}"
PORT=3331
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
command -v brotli >/dev/null || { apt-get install -y -qq brotli; }

cargo leptos build --release 2>&1 | tail -1
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn LIMIT_LOGIN_PER_IP=100000

for f in target/site/pkg/tutorium.wasm target/site/pkg/tutorium.js; do
  raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
  printf '%-32s raw %8d  gzip %8d  brotli %8d bytes\n' "$f" "$raw" "$gz" "$br"
done

# "программирование", in a catalog query with two filters.
Q='q=%D0%BF%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B8%D1%80%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&category=programming&level=beginner'
cat > "$WORK/catalog.lua" <<'LUA'
wrk.method = "POST"
wrk.body   = '{"query":{"q":"программирование","category":"programming","level":"beginner","language":"","price":"","duration":"","rating":"","sort":"","after":""}}'
wrk.headers["Content-Type"] = "application/json"
LUA

rss() { ps -o rss= -p "$1" | awk '{print int($1/1024)}'; }
run() { # label url [extra wrk args...]
  local label=$1 url=$2; shift 2
  local maxf="$WORK/max"; echo 0 > "$maxf"
  ( while true; do r=$(rss "$SERVER"); m=$(cat "$maxf"); ((r > m)) && echo "$r" > "$maxf"; sleep 0.25; done ) &
  local sampler=$!
  local out; out=$(wrk -t2 -c50 -d"${DUR}s" --latency "$@" "$url")
  kill $sampler 2>/dev/null || true
  printf '  %-38s %8s req/s  p50 %8s  p99 %8s  peak RSS %s MiB%s\n' "$label" \
    "$(echo "$out" | awk '/Requests\/sec/{print $2}')" "$(echo "$out" | awk '$1=="50%"{print $2}')" \
    "$(echo "$out" | awk '$1=="99%"{print $2}')" "$(cat "$maxf")" \
    "$(echo "$out" | awk '/Non-2xx/{print "  NON-2xx: " $4}')"
}

start() {
  DATA_DIR="$WORK/data" DATABASE_URL="$1" "$BIN" serve >"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && return; sleep 0.05; done
  echo "server did not start" >&2; cat "$WORK/server.log" >&2; exit 1
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

bench() { # name url courses
  local name=$1 url=$2 courses=$3
  echo "== $name, $courses courses"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  DATA_DIR="$WORK/data" DATABASE_URL="$url" "$BIN" seed --users 10000 --posts 0 --courses "$courses" --lessons 10 \
    | tee "$WORK/seed.txt" | sed 's/^/  /'
  local email; email=$(grep -o 'seed-[0-9a-f]*-0@seed.tutorium.local' "$WORK/seed.txt" | head -1)
  start "$url"
  curl -s -c "$WORK/jar" -o /dev/null --data-urlencode "email=$email" -d "password=seed-password-2026" "$BASE/api/accounts/login"
  local cookie; cookie=$(awk '/tutorium_session/{print $7}' "$WORK/jar")
  local matches; matches=$(curl -s -H 'Content-Type: application/json' --data-binary @<(sed -n "s/^wrk.body   = '\(.*\)'$/\1/p" "$WORK/catalog.lua") \
    "$BASE/api/courses/catalog" | json 'd["total"]')
  echo "  catalog query matches $matches courses"
  local slug; slug=$(curl -s -H 'Content-Type: application/json' -d '{"query":{"q":"","category":"","level":"","language":"","price":"","duration":"","rating":"","sort":"","after":""}}' \
    "$BASE/api/courses/catalog" | json 'd["items"][0]["slug"]')
  # The learner enrolls in a free course and opens its last lesson.
  local free; free=$(curl -s -H 'Content-Type: application/json' -d '{"query":{"q":"","category":"","level":"","language":"","price":"free","duration":"","rating":"","sort":"","after":""}}' \
    "$BASE/api/courses/catalog" | json 'd["items"][0]["id"], d["items"][0]["slug"]' | tr -d '(),'"'")
  local free_id=${free%% *} free_slug=${free##* }
  curl -s -o /dev/null -H "Cookie: tutorium_session=$cookie" -d "course=$free_id" "$BASE/api/courses/enroll"
  local lesson; lesson=$(curl -s -H "Cookie: tutorium_session=$cookie" -d "slug=$free_slug" "$BASE/api/courses/get" | json 'd["sections"][-1]["lessons"][-1]["id"]')
  local code; code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: tutorium_session=$cookie" "$BASE/learn/$free_slug/$lesson")
  echo "  player page /learn/$free_slug/$lesson: HTTP $code"
  run "catalog page: search + 2 filters (SSR)" "$BASE/courses?$Q"
  run "catalog data (search + 2 filters)" "$BASE/api/courses/catalog" -s "$WORK/catalog.lua"
  run "a course page (SSR)" "$BASE/courses/$slug"
  run "player page, enrolled learner (SSR)" "$BASE/learn/$free_slug/$lesson" -H "Cookie: tutorium_session=$cookie"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

PG_ADMIN="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
for courses in 1000 "$BIG"; do
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then
      url="sqlite://$WORK/data/bench.db"
    else
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS tutorium_courses_bench" 2>/dev/null
      psql "$PG_ADMIN" -qc "CREATE DATABASE tutorium_courses_bench"
      url="${PG_ADMIN%/*}/tutorium_courses_bench"
    fi
    bench "$backend" "$url" "$courses"
  done
done
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS tutorium_courses_bench" 2>/dev/null || true
