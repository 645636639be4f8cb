#!/usr/bin/env bash
# Writes .br and .gz next to the built JS, WASM and CSS (the server serves them as they are,
# instead of compressing on every request).   scripts/compress-site.sh [site dir, default target/site]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v brotli >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq brotli >/dev/null; }
site="${1:-target/site}"
for f in "$site"/pkg/*.wasm "$site"/pkg/*.js "$site"/pkg/*.css "$site"/vendor/*.js; do
  [[ -f "$f" ]] || continue
  brotli -f -q 11 -o "$f.br" "$f"
  gzip -f -9 -k "$f"
done
