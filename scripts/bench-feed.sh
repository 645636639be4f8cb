#!/usr/bin/env bash
# Feed benchmarks on a release build, at 100k people with 1M posts and at 10k posts, on SQLite and
# PostgreSQL, 50 connections: the Following page (SSR, signed in), the Popular page, a post page,
# the feed data endpoint that infinite scroll calls, and the feed page's bytes as a static file.
# Also the data generator's rate and the server's memory under load.
# Usage: scripts/bench-feed.sh [seconds per run] [posts for the big run]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
scripts/setup.sh
DUR="${1:-10}"
BIG="${2:-1000000}"
PORT=3330
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"; rm -f target/site/bench-feed.html' EXIT

cargo leptos build --release 2>&1 | tail -1
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn LIMIT_LOGIN_PER_IP=100000

cat > "$WORK/feed.lua" <<'LUA'
wrk.method = "POST"
wrk.body   = "tab=popular&cursor="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

rss() { ps -o rss= -p "$1" | awk '{print int($1/1024)}'; }
run() { # label url [extra wrk args...]
  local label=$1 url=$2; shift 2
  local maxf="$WORK/max"; echo 0 > "$maxf"
  ( while true; do r=$(rss "$SERVER"); m=$(cat "$maxf"); ((r > m)) && echo "$r" > "$maxf"; sleep 0.25; done ) &
  local sampler=$!
  local out; out=$(wrk -t2 -c50 -d"${DUR}s" --latency "$@" "$url")
  kill $sampler 2>/dev/null || true
  printf '  %-34s %8s req/s  p50 %8s  p99 %8s  peak RSS %s MiB%s\n' "$label" \
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

bench() { # name url posts
  local name=$1 url=$2 posts=$3
  echo "== $name, $posts posts"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  local users=$(( posts >= 100000 ? 100000 : 10000 ))
  DATA_DIR="$WORK/data" DATABASE_URL="$url" "$BIN" seed --users "$users" --posts "$posts" | tee "$WORK/seed.txt" | sed 's/^/  /'
  # The first seeded person (a tutor who follows others) reads the Following tab.
  local email; email=$(grep -o 'seed-[0-9a-f]*-0@seed.tutorium.local' "$WORK/seed.txt" | head -1)
  start "$url"
  curl -s -c "$WORK/jar" -o /dev/null --data-urlencode "email=$email" -d "password=seed-password-2026" "$BASE/api/accounts/login"
  local cookie; cookie=$(awk '/tutorium_session/{print $7}' "$WORK/jar")
  local post; post=$(curl -s -d 'tab=popular&cursor=' "$BASE/api/feed/list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  curl -s -H "Cookie: tutorium_session=$cookie" "$BASE/feed?tab=following" > target/site/bench-feed.html
  echo "  following page: $(stat -c %s target/site/bench-feed.html) bytes, $(grep -o '<article' target/site/bench-feed.html | wc -l) posts"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  start "$url"
  run "Following page (SSR, signed in)" "$BASE/feed?tab=following" -H "Cookie: tutorium_session=$cookie"
  run "Popular page (SSR)" "$BASE/feed?tab=popular"
  run "a post page (SSR)" "$BASE/posts/$post"
  run "feed data (infinite scroll)" "$BASE/api/feed/list" -s "$WORK/feed.lua"
  run "Following page bytes, static file" "$BASE/bench-feed.html"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
}

PG_ADMIN="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
for posts in 10000 "$BIG"; do
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then
      url="sqlite://$WORK/data/bench.db"
    else
      psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS tutorium_feed_bench" 2>/dev/null
      psql "$PG_ADMIN" -qc "CREATE DATABASE tutorium_feed_bench"
      url="${PG_ADMIN%/*}/tutorium_feed_bench"
    fi
    bench "$backend" "$url" "$posts"
  done
done
psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS tutorium_feed_bench" 2>/dev/null || true
