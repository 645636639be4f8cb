#!/usr/bin/env bash
# Course benchmarks on a release build, 50 connections, at 1k and at 20k courses (about 10 lessons
# each: 200k lessons at the big size), on SQLite and PostgreSQL: the catalog page with a search term
# and two filters, the catalog data endpoint, a course page, and the player page of an enrolled
# learner. Also the generator's rate, the server's memory under load, and the WASM size.
# Usage: scripts/bench-courses.sh [seconds per run] [courses for the big run]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
need_wrk
scripts/setup.sh
DUR="${1:-10}"
BIG="${2:-20000}"
PORT=3331
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
RUN_LABEL_WIDTH=38

build_release
scripts/compress-site.sh
BIN="$CARGO_TARGET_DIR/release/tutorium"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn LIMIT_LOGIN_PER_IP=100000

print_wasm_sizes target/site

# "программирование", in a catalog query with two filters.
Q='q=%D0%BF%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B8%D1%80%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&category=programming&level=beginner'
cat > "$WORK/catalog.lua" <<'LUA'
wrk.method = "POST"
wrk.body   = '{"query":{"q":"программирование","category":"programming","level":"beginner","language":"","price":"","duration":"","rating":"","sort":"","after":""}}'
wrk.headers["Content-Type"] = "application/json"
LUA

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

bench() { # name url courses
  local name=$1 url=$2 courses=$3
  echo "== $name, $courses courses"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  DATA_DIR="$WORK/data" DATABASE_URL="$url" "$BIN" seed --users 10000 --posts 0 --courses "$courses" --lessons 10 \
    | tee "$WORK/seed.txt" | sed 's/^/  /'
  local email; email=$(grep -o 'seed-[0-9a-f]*-0@seed.tutorium.local' "$WORK/seed.txt" | head -1)
  start_server "$url"
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
  stop_server
}

for courses in 1000 "$BIG"; do
  for backend in sqlite postgres; do
    if [[ $backend == sqlite ]]; then
      url="sqlite://$WORK/data/bench.db"
    else
      pg_create_db tutorium_courses_bench
      url=$(pg_db_url tutorium_courses_bench)
    fi
    bench "$backend" "$url" "$courses"
  done
done
pg_drop_db tutorium_courses_bench || true
