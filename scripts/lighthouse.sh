#!/usr/bin/env bash
# Lighthouse (mobile profile: simulated slow 4G, CPU ×4, Moto G power screen) on each public page
# of a running Tutorium, offline with Debian's Chromium; prints the performance score, LCP, TBT
# and Speed Index per page and keeps the reports in target/lighthouse/.
#   scripts/lighthouse.sh http://127.0.0.1:3000 [/path …]
# Without paths it measures the public pages scripts/first-load.js picks from the site (home,
# catalog, feed, tutors, log-in, sign-up, a course, its lesson, a profile, a post, a tag). Run it
# against a release server with the demo data (scripts/run.sh) for figures worth reporting.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
BASE="${1:-http://127.0.0.1:3000}"; BASE="${BASE%/}"
shift || true
LH_DIR="$TOOLS_DIR/lighthouse"
if [[ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]]; then
  echo "[lighthouse] installing lighthouse 12 from npm into $LH_DIR (one time)"
  mkdir -p "$LH_DIR"
  npm install --silent --no-audit --no-fund --prefix "$LH_DIR" lighthouse@12 >/dev/null
fi
paths=("$@")
if ((${#paths[@]} == 0)); then
  mapfile -t paths < <(node scripts/first-load.js "$BASE" --list | cut -f2)
fi
mkdir -p target/lighthouse
printf '%-40s %6s %9s %9s %9s\n' page score LCP TBT SI
for p in "${paths[@]}"; do
  name=$(tr '/' '_' <<<"${p#/}"); name=${name:-home}
  CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" "$LH_DIR/node_modules/.bin/lighthouse" "$BASE$p" \
    --quiet --only-categories=performance --output=json --output-path="target/lighthouse/$name.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking" >/dev/null 2>&1 ||
    { printf '%-40s failed\n' "$p"; continue; }
  node -e '
    const r = require(process.argv[1]); const a = r.audits;
    const ms = (k) => (a[k].numericValue / 1000).toFixed(2) + " s";
    console.log(process.argv[2].padEnd(40), String(Math.round(r.categories.performance.score * 100)).padStart(6),
      ms("largest-contentful-paint").padStart(9), (Math.round(a["total-blocking-time"].numericValue) + " ms").padStart(9),
      ms("speed-index").padStart(9));' "$PWD/target/lighthouse/$name.json" "$p"
done
