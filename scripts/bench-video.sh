#!/usr/bin/env bash
# Video benchmarks (figures for the video issue's notes), on a release build:
#   transcoding speed of a 60 s 720p source (whole ladder and per rendition); upload throughput
#   on loopback; time to first frame in headless Chromium at 4 Mbit/s; Range serving throughput
#   and memory for a 1 GB file with 50 concurrent readers, beside nginx serving the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/lib/bench.sh
need_wrk
scripts/setup.sh --test
need_cmd nginx nginx-light >/dev/null
DUR="${1:-15}"
WORK=$(mktemp -d)
PORT=3320
BASE="http://127.0.0.1:$PORT"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== release build"
build_release
scripts/compress-site.sh
cargo build -q --release -p server --example transcode_bench
BIN="$CARGO_TARGET_DIR/release/tutorium"

echo "== source: 60 s of 1280x720 (testsrc2 + sine), H.264 CRF 18 + AAC 192k"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=30:duration=60 \
  -f lavfi -i sine=frequency=440:sample_rate=48000:duration=60 -c:v libx264 -preset veryfast -crf 18 \
  -c:a aac -b:a 192k -movflags +faststart "$WORK/src60.mp4"
ls -la "$WORK/src60.mp4" | awk '{print "   " $5 " bytes"}'

echo "== transcoding (the app's ffmpeg arguments)"
"$CARGO_TARGET_DIR/release/examples/transcode_bench" "$WORK/src60.mp4" veryfast

echo "== server (SQLite, release)"
export DATA_DIR="$WORK/data" DATABASE_URL="sqlite://$WORK/data/bench.db" LEPTOS_SITE_ROOT=target/site \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn LIMIT_LOGIN_PER_IP=100000
"$BIN" demo >/dev/null
"$BIN" serve >"$WORK/server.log" 2>&1 &
SERVER=$!
wait_healthz 300 0.05 || true
JAR="$WORK/cookies"
curl -s -c "$JAR" -o /dev/null -d 'email=anna.petrova%40demo.tutorium.local&password=demo-password-2026' "$BASE/api/accounts/login"

tus_upload() { # file -> prints the Location path
  local f=$1 len; len=$(stat -c %s "$f")
  curl -s -b "$JAR" -D - -o /dev/null -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $len" "$BASE/api/videos/uploads" |
    tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}'
}

echo "== upload throughput on loopback (1 GiB in one PATCH)"
head -c 1073741824 /dev/urandom > "$WORK/big.bin"
LOC=$(tus_upload "$WORK/big.bin")
START=$(date +%s.%N)
curl -s -b "$JAR" -o /dev/null -X PATCH -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
  -H 'Content-Type: application/offset+octet-stream' -T "$WORK/big.bin" "$BASE$LOC"
END=$(date +%s.%N)
python3 -c "print(f'   1024 MiB in {$END-$START:.1f} s = {1024/($END-$START):.0f} MiB/s (the random bytes are then refused as not a video)')"

echo "== upload, transcode and first frame of the 60 s source"
LOC=$(tus_upload "$WORK/src60.mp4")
ID=${LOC##*/}
T0=$(date +%s.%N)
curl -s -b "$JAR" -o /dev/null -X PATCH -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
  -H 'Content-Type: application/offset+octet-stream' -T "$WORK/src60.mp4" "$BASE$LOC"
until curl -s -b "$JAR" -d "id=$ID" "$BASE/api/videos/progress" | grep -q '"Ready"'; do sleep 0.5; done
T1=$(date +%s.%N)
python3 -c "print(f'   upload complete to ready (probe, ladder, HLS, poster, thumbnails, storing): {$T1-$T0:.1f} s = {60/($T1-$T0):.2f}x real time')"
curl -s -b "$JAR" -o /dev/null -d "id=$ID&public=true" "$BASE/api/videos/visibility"
(cd end2end && node bench/first-frame.mjs "$BASE/videos/$ID" 4000 5)

echo "== Range serving: 1 GiB file, 50 connections, random 1 MiB ranges"
mkdir -p "$DATA_DIR/media/bench"
cp "$WORK/big.bin" "$DATA_DIR/media/bench/big.bin"
cat > "$WORK/range.lua" <<'LUA'
math.randomseed(os.time())
request = function()
  local s = math.random(0, 1073741824 - 1048576)
  return wrk.format("GET", nil, {["Range"] = "bytes=" .. s .. "-" .. (s + 1048575)})
end
LUA
measure() { # name url pid
  local maxf="$WORK/max-$1"
  rss_sampler "$3" "$maxf" 0.2
  local sampler=$RSS_SAMPLER
  echo "-- $1 (RSS before: $(rss "$3") MiB)"
  wrk -t2 -c50 -d"${DUR}s" --latency -s "$WORK/range.lua" "$2" | grep -E "Requests/sec|Transfer/sec|99%|50%|Non-2xx"
  kill $sampler 2>/dev/null || true
  echo "   peak RSS during the run: $(cat "$maxf") MiB"
}
measure tutorium "$BASE/media/bench/big.bin" "$SERVER"
stop_server

mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
user root;
worker_processes 2;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen 127.0.0.1:3321; root $DATA_DIR/media; }
}
CONF
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
sleep 0.5
NGINX_MASTER=$(cat "$WORK/nginx/nginx.pid")
NGINX_WORKER=$(pgrep -P "$NGINX_MASTER" | head -1)
measure "nginx (one worker of two shown)" "http://127.0.0.1:3321/bench/big.bin" "$NGINX_WORKER"
nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" -s stop
