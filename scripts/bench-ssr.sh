#!/usr/bin/env bash
# Server rendering against its own data (issue 13), on a release build, 50 connections, on SQLite
# and PostgreSQL, with `Accept-Encoding: br, gzip` as browsers send it. For every public page:
#   the page (SSR), its data endpoint(s) (the server functions the page calls, one after another
#   on each connection: a page's worth of data per "request"), and the page's bytes as a static
#   file of the same server;
# req/s, p50, p99 and the server's CPU per request (user + system time of the server process
# over the run, divided by the requests wrk counted). Each page is measured rendered every time
# (PAGE_CACHE_MS=0) and as the server runs by default (visitors' pages served again while nothing
# is written: server/src/page_cache.rs); a table at the end sets both beside the data endpoint. Data: `tutorium seed` (10k people, 10k posts,
# 20k courses of ~10 lessons) plus the demo (a certificate, free preview lessons).
# The feed's other tabs (For you, Following) are for signed-in people: a visitor's feed is Popular.
# Usage: scripts/bench-ssr.sh [seconds per run, default 10] [courses, default 20000] [backend...]
#   e.g. scripts/bench-ssr.sh 5 2000 sqlite
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
need_wrk
scripts/setup.sh
DUR="${1:-10}"
COURSES="${2:-20000}"
shift $(( $# < 2 ? $# : 2 ))
BACKENDS=("${@:-sqlite}")
(($# == 0)) && BACKENDS=(sqlite postgres)
PORT=3332
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"; rm -rf target/site/bench-ssr' EXIT
ENC=(-H "Accept-Encoding: br, gzip")

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then build_release; scripts/compress-site.sh; fi
BIN="${BENCH_BIN:-$CARGO_TARGET_DIR/release/tutorium}"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn PAYMENTS_SANDBOX=true

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# CPU time (user + system, in clock ticks) the server has used so far.
ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
HZ=$(getconf CLK_TCK)

# measure LABEL CALLS URL [wrk args]: one line, and the req/s in LAST_RPS. CALLS is how many
# requests make one unit (a page's data may be several calls): req/s and CPU are per unit.
measure() {
  local label=$1 per=$2 url=$3; shift 3
  local t0; t0=$(ticks)
  local out; out=$(wrk -t2 -c50 -d"${DUR}s" --latency "${ENC[@]}" "$@" "$url")
  local t1; t1=$(ticks)
  local n; n=$(echo "$out" | awk '/requests in/{print $1}')
  LAST_RPS=$(echo "$out" | awk -v per="$per" '/Requests\/sec/{printf "%.0f", $2 / per}')
  LAST_CPU=$(python3 -c "print(f'{($t1-$t0)/$HZ*1000*$per/max($n,1):.2f}')")
  LAST_P50=$(echo "$out" | awk '$1=="50%"{print $2}')
  LAST_P99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf '  %-30s %9s req/s  p50 %8s  p99 %8s  CPU %5s ms/req%s\n' "$label" "$LAST_RPS" \
    "$LAST_P50" "$LAST_P99" "$LAST_CPU" "$(echo "$out" | awk '/Non-2xx/{print "  NON-2xx: " $NF}')"
  LAST_ROW="$LAST_RPS $LAST_P50 $LAST_P99 $LAST_CPU"
}

# A wrk script that sends the given server-function calls in turn ("PATH|BODY|CONTENT-TYPE" each,
# form-encoded when the type is left out): data_script FILE CALL...
data_script() {
  local file=$1; shift
  python3 - "$@" >"$file" <<'PY'
import json, sys
print("local calls = {")
for c in sys.argv[1:]:
    path, body, *t = c.split("|")
    ctype = t[0] if t and t[0] else "application/x-www-form-urlencoded"
    # A JSON string is a valid Lua string literal here (no \u escapes with ensure_ascii off).
    print("  {path=%s, body=%s, ctype=%s}," % tuple(json.dumps(x, ensure_ascii=False) for x in (path, body, ctype)))
print("""}
local i = 0
request = function()
  i = i % #calls + 1
  local c = calls[i]
  return wrk.format("POST", c.path, {["Content-Type"] = c.ctype, ["Accept-Encoding"] = "br, gzip"}, c.body)
end""")
PY
}

# One row of a query on the bench database, its columns separated by spaces: sql_row URL QUERY.
sql_row() {
  if [[ $1 == sqlite* ]]; then
    python3 -c 'import sqlite3, sys; print(*sqlite3.connect(sys.argv[1].split("://", 1)[1].split("?")[0]).execute(sys.argv[2]).fetchone())' "$1" "$2"
  else
    psql "$1" -tA -F ' ' -c "$2"
  fi
}

# A session of a demo account (its cookie's value): session_of EMAIL.
session_of() {
  curl -s -o /dev/null -D - -d "email=$1&password=demo-password-2026" "$BASE/api/accounts/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: tutorium_session=\([^;]*\).*/\1/p' | head -1
}

catalog_body() { # q category level
  printf '{"query":{"q":"%s","category":"%s","level":"%s","language":"","price":"","duration":"","rating":"","sort":"","after":""}}' "$@"
}

bench() { # backend url
  local name=$1 url=$2
  echo "== $name: seeding $COURSES courses, 10k people, 10k posts, and the demo"
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  DATA_DIR="$WORK/data" DATABASE_URL="$url" RUST_LOG=error "$BIN" seed --users 10000 --posts 10000 --courses "$COURSES" --lessons 10 | sed 's/^/  /'
  DATA_DIR="$WORK/data" DATABASE_URL="$url" RUST_LOG=error "$BIN" demo >/dev/null
  start_server "$url"
  local cat_all cat_q course pslug lesson handle post tag cert
  cat_all=$(catalog_body "" "" "")
  cat_q=$(catalog_body "программирование" programming beginner)
  course=$(curl -s -H 'Content-Type: application/json' -d "$cat_all" "$BASE/api/courses/catalog" | json 'd["items"][0]["slug"]')
  # A free preview lesson of a published course.
  read -r pslug lesson < <(sql_row "$url" "SELECT c.slug, l.id FROM lessons l JOIN courses c ON c.id = l.course_id \
    WHERE l.free_preview = 1 AND c.status = 'published' ORDER BY l.id LIMIT 1")
  handle=anna-petrova
  post=$(curl -s -d 'tab=popular&cursor=' "$BASE/api/feed/list" | json 'd["items"][0]["id"]')
  tag=math
  cert=$(sql_row "$url" "SELECT code FROM certificates LIMIT 1")
  # page label | page path | data calls (PATH|BODY|TYPE, space-free bodies)
  local -a pages=(
    "home|/|/api/profiles/tutors|subject=&after=;/api/courses/catalog|$cat_all|application/json"
    "catalog|/courses|/api/courses/catalog|$cat_all|application/json"
    "catalog, query + filters|/courses?q=%D0%BF%D1%80%D0%BE%D0%B3%D1%80%D0%B0%D0%BC%D0%BC%D0%B8%D1%80%D0%BE%D0%B2%D0%B0%D0%BD%D0%B8%D0%B5&category=programming&level=beginner|/api/courses/catalog|$cat_q|application/json"
    "course|/courses/$course|/api/courses/get|slug=$course"
    "lesson preview|/learn/$pslug/$lesson|/api/courses/lesson|slug=$pslug&lesson=$lesson"
    "profile|/u/$handle|/api/profiles/get|handle=$handle;/api/feed/user|handle=$handle&cursor=;/api/courses/by-tutor|handle=$handle"
    "post|/posts/$post|/api/feed/post|id=$post;/api/feed/comments|post=$post&parent=0&cursor=&newest=false"
    "feed, Popular|/feed?tab=popular|/api/feed/list|tab=popular&cursor="
    "tag|/tags/$tag|/api/feed/tag|tag=$tag&cursor="
    "certificate|/certificates/$cert|/api/certificates/verify|code=$cert"
  )
  # Static copies of the pages, served by the same server (it loads the site's files at start).
  mkdir -p target/site/bench-ssr
  local i=0 p
  for p in "${pages[@]}"; do
    IFS='|' read -r label path _ <<<"$p"
    curl -s "$BASE$path" >"target/site/bench-ssr/$i.html"
    echo "  $label: $path, $(stat -c %s "target/site/bench-ssr/$i.html") bytes"
    i=$((i + 1))
  done
  stop_server
  PAGE_CACHE_MS=0 start_server "$url"
  i=0
  local -a rendered=() data=() static=() cached=()
  printf '  %-30s\n' "(each: page rendered every time, its data, the same bytes as a static file)"
  for p in "${pages[@]}"; do
    IFS='|' read -r label path rest <<<"$p"
    echo " $label"
    measure "page, rendered" 1 "$BASE$path"
    rendered+=("$LAST_ROW")
    IFS=';' read -r -a calls <<<"$rest"
    data_script "$WORK/data.lua" "${calls[@]}"
    measure "data (${#calls[@]} call$( ((${#calls[@]} > 1)) && echo s || true))" "${#calls[@]}" "$BASE/" -s "$WORK/data.lua"
    data+=("$LAST_ROW")
    measure "static file" 1 "$BASE/bench-ssr/$i.html"
    static+=("$LAST_ROW")
    i=$((i + 1))
  done
  # Signed-in pages (rendered for each person, never kept): a graduate's and a tutor's, each beside
  # the same address opened by a visitor (the catalog where a visitor has no such page).
  local learner tutor player preview
  learner=$(session_of alex.kim@demo.tutorium.local)
  tutor=$(session_of anna.petrova@demo.tutorium.local)
  # A lesson of a course the learner is enrolled in, a free preview if there is one (then a visitor
  # can open the same address).
  read -r player preview < <(sql_row "$url" "SELECT '/learn/' || c.slug || '/' || l.id, l.free_preview \
    FROM enrollments e JOIN users u ON u.id = e.user_id JOIN courses c ON c.id = e.course_id \
    JOIN lessons l ON l.course_id = c.id WHERE u.email = 'alex.kim@demo.tutorium.local' \
    AND c.status = 'published' ORDER BY l.free_preview DESC, c.id, l.id LIMIT 1")
  [[ -n $learner && -n $tutor && -n $player ]] || { echo "no demo sessions or enrolment" >&2; exit 1; }
  local enrolled; enrolled=$(echo "$player" | cut -d/ -f3)
  local player_visitor=/courses
  [[ $preview == 1 ]] && player_visitor=$player
  # label | path | session | the visitor's address
  local -a signed=(
    "catalog|/courses|$learner|/courses"
    "course, enrolled|/courses/$enrolled|$learner|/courses/$enrolled"
    "feed, Popular|/feed?tab=popular|$learner|/feed?tab=popular"
    "player (a lesson)|$player|$learner|$player_visitor"
    "My learning|/learning|$learner|/courses"
    "studio: courses|/studio/courses|$tutor|/courses"
    "studio: videos|/studio/videos|$tutor|/courses"
  )
  local -a signed_rows=() visitor_rows=()
  printf '  %-30s\n' "(signed-in pages, rendered for each person; the visitor's address beside)"
  for p in "${signed[@]}"; do
    IFS='|' read -r label path cookie vpath <<<"$p"
    measure "$label, signed in" 1 "$BASE$path" -H "Cookie: tutorium_session=$cookie"
    signed_rows+=("$LAST_ROW")
    measure "$vpath, visitor" 1 "$BASE$vpath"
    visitor_rows+=("$LAST_ROW")
  done
  stop_server
  start_server "$url"
  printf '  %-30s\n' "(each page as the server runs by default: visitors' pages kept until a write)"
  for p in "${pages[@]}"; do
    IFS='|' read -r label path _ <<<"$p"
    measure "$label" 1 "$BASE$path"
    cached+=("$LAST_ROW")
  done
  stop_server
  echo
  echo "  $name: req/s, p50 / p99, server CPU ms per request; page / data = req/s ratio"
  printf '  | %-26s | %-28s | %-28s | %-28s | %8s | %8s | %8s |\n' page "rendered" "kept (default)" "data endpoint" static "rendered/data" "kept/data"
  printf '  |%s|\n' "---|---|---|---|---|---|---"
  i=0
  for p in "${pages[@]}"; do
    IFS='|' read -r label _ <<<"$p"
    python3 - "$label" "${rendered[$i]}" "${cached[$i]}" "${data[$i]}" "${static[$i]}" <<'PY'
import sys
label, *rows = sys.argv[1:]
r, c, d, s = (x.split() for x in rows)
cell = lambda x: f"{x[0]} ({x[1]} / {x[2]}) {x[3]} ms"
print(f"  | {label:26s} | {cell(r):28s} | {cell(c):28s} | {cell(d):28s} | {s[0]:>8s} | {float(r[0]) / float(d[0]):8.2f} | {float(c[0]) / float(d[0]):8.2f} |")
PY
    i=$((i + 1))
  done
  echo
  echo "  $name, signed in: beside a visitor opening the same address (rendered, no page kept)"
  printf '  | %-22s | %-30s | %-30s | %-30s | %8s |\n' page "signed in" "visitor's address" "visitor" "signed/visitor CPU"
  printf '  |%s|\n' "---|---|---|---|---"
  i=0
  for p in "${signed[@]}"; do
    IFS='|' read -r label _ _ vpath <<<"$p"
    python3 - "$label" "${signed_rows[$i]}" "$vpath" "${visitor_rows[$i]}" <<'PY'
import sys
label, row, vpath, vrow = sys.argv[1:]
r, v = row.split(), vrow.split()
cell = lambda x: f"{x[0]} ({x[1]} / {x[2]}) {x[3]} ms"
print(f"  | {label:22s} | {cell(r):30s} | {vpath[:30]:30s} | {cell(v):30s} | {float(r[3]) / float(v[3]):8.2f} |")
PY
    i=$((i + 1))
  done
}

for backend in "${BACKENDS[@]}"; do
  if [[ $backend == sqlite ]]; then
    bench SQLite "sqlite://$WORK/data/bench.db"
  else
    pg_create_db tutorium_ssr_bench
    bench PostgreSQL "$(pg_db_url tutorium_ssr_bench)"
    pg_drop_db tutorium_ssr_bench || true
  fi
done
