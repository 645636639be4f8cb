#!/usr/bin/env bash
# Feed benchmarks on a release build, at 100k people with 1M posts and at 10k posts, on SQLite and
# PostgreSQL, 50 connections: the Following page (SSR, signed in), the Popular page, a post page,
# the feed data endpoint that infinite scroll calls, and the feed page's bytes as a static file.
# Also the data generator's rate and the server's memory under load.
# Usage: scripts/bench-feed.sh [seconds per run] [posts for the big run]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
need_wrk
scripts/setup.sh
DUR="${1:-10}"
BIG="${2:-1000000}"
PORT=3330
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"; rm -f target/site/bench-feed.html' EXIT

build_release
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn LIMIT_LOGIN_PER_IP=100000

cat > "$WORK/feed.lua" <<'LUA'
wrk.method = "POST"
wrk.body   = "tab=popular&cursor="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

bench() { # name url posts
  local name=$1 url=$2 posts=$3
  echo "== $name, $posts posts"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  local users=$(( posts >= 100000 ? 100000 : 10000 ))
  DATA_DIR="$WORK/data" DATABASE_URL="$url" "$BIN" seed --users "$users" --posts "$posts" | tee "$WORK/seed.txt" | sed 's/^/  /'
  # The first seeded person (a tutor who follows others) reads the Following tab.
  local email; email=$(grep -o 'seed-[0-9a-f]*-0@seed.tutorium.local' "$WORK/seed.txt" | head -1)
  start_server "$url"
  curl -s -c "$WORK/jar" -o /dev/null --data-urlencode "email=$email" -d "password=seed-password-2026" "$BASE/api/accounts/login"
  local cookie; cookie=$(awk '/tutorium_session/{print $7}' "$WORK/jar")
  local post; post=$(curl -s -d 'tab=popular&cursor=' "$BASE/api/feed/list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
  curl -s -H "Cookie: tutorium_session=$cookie" "$BASE/feed?tab=following" > target/site/bench-feed.html
  echo "  following page: $(stat -c %s target/site/bench-feed.html) bytes, $(grep -o '<article' target/site/bench-feed.html | wc -l) posts"
  stop_server
  start_server "$url"
  run "Following page (SSR, signed in)" "$BASE/feed?tab=following" -H "Cookie: tutorium_session=$cookie"
  run "Popular page (SSR)" "$BASE/feed?tab=popular"
  run "a post page (SSR)" "$BASE/posts/$post"
  run "feed data (infinite scroll)" "$BASE/api/feed/list" -s "$WORK/feed.lua"
  run "Following page bytes, static file" "$BASE/bench-feed.html"
  stop_server
}

for posts in 10000 "$BIG"; do
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then
      url="sqlite://$WORK/data/bench.db"
    else
      pg_create_db tutorium_feed_bench
      url=$(pg_db_url tutorium_feed_bench)
    fi
    bench "$backend" "$url" "$posts"
  done
done
pg_drop_db tutorium_feed_bench || true
