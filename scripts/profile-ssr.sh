#!/usr/bin/env bash
# Where a running server's CPU time goes while it serves one URL (issue 13): samples the server
# with `perf record` (call stacks from DWARF; the release build carries line tables when built
# with CARGO_PROFILE_RELEASE_DEBUG=line-tables-only) while wrk loads the URL with 50 connections
# and `Accept-Encoding: br, gzip`, then prints the share of each phase of a request (HTTP,
# session, database, rendering, reactive system, hydration data, JSON, escaping, compression,
# allocation) and the top functions (scripts/lib/perf_breakdown.py).
# Usage: scripts/profile-ssr.sh URL [seconds, default 8] [more wrk args...]
#   e.g. scripts/profile-ssr.sh http://127.0.0.1:3332/courses
# The server is the process listening on the URL's port. Needs perf (Debian: linux-perf).
set -euo pipefail
cd "$(dirname "$0")/.."
URL=$1
DUR=${2:-8}
shift $(( $# < 2 ? $# : 2 ))
command -v perf >/dev/null || { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf; }
command -v wrk >/dev/null || { apt-get update -qq || true; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
PORT=$(python3 -c "import sys, urllib.parse as u; p=u.urlparse(sys.argv[1]); print(p.port or 80)" "$URL")
PID=$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
[[ -n "$PID" ]] || { echo "nothing listens on port $PORT" >&2; exit 1; }
OUT=$(mktemp -d)
[[ -n "${PROFILE_KEEP:-}" ]] && echo "perf data in $OUT" || trap 'rm -rf "$OUT"' EXIT
# Warm up (caches, connections), then sample.
wrk -t2 -c50 -d2s -H "Accept-Encoding: br, gzip" "$@" "$URL" >/dev/null
wrk -t2 -c50 -d"$((DUR + 1))s" --latency -H "Accept-Encoding: br, gzip" "$@" "$URL" >"$OUT/wrk.txt" &
WRK=$!
sleep 0.5
perf record -q -F 499 --call-graph dwarf,32768 -p "$PID" -o "$OUT/perf.data" -- sleep "$DUR" 2>/dev/null
wait $WRK
grep -E "Requests/sec|50%|99%" "$OUT/wrk.txt" | sed 's/^ */  /'
perf script -i "$OUT/perf.data" -F comm,tid,ip,sym,dso 2>/dev/null | python3 scripts/lib/perf_breakdown.py
