#!/usr/bin/env bash
# Installs what the tests need and runs every check and test:
#   formatting, clippy (server and WASM builds), the WASM bundle's dependency check,
#   unit tests, HTTP integration tests on SQLite and on PostgreSQL (real SMTP to a local sink),
#   Playwright end-to-end tests in Debian's Chromium against a fresh server, and the first-load
#   byte budget of every public route.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh --test

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy: server build (ssr) and its tests"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings

step "clippy: browser build (wasm32, hydrate)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "the WASM bundle has no server-only crates"
for crate in sqlx argon2 lettre object_store image tokio axum; do
  found=$(cargo tree -p frontend --target wasm32-unknown-unknown -e normal -i "$crate" 2>/dev/null || true)
  if [[ -n "$found" ]]; then
    echo "server-only crate '$crate' is in the WASM dependency tree:" >&2
    echo "$found" >&2
    exit 1
  fi
done
echo "ok: none of sqlx, argon2, lettre, object_store, image, tokio, axum"

step "PostgreSQL on 127.0.0.1:5432"
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  else
    echo "PostgreSQL is not installed: installing it from Debian" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
# Databases left by interrupted runs (unused ones; several at a time, as one by one is slow).
psql "$TEST_POSTGRES_URL" -Atc "SELECT datname FROM pg_database d WHERE datname LIKE 'tutorium_t_%' \
    AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)" 2>/dev/null |
  xargs -r -P 4 -I{} psql "$TEST_POSTGRES_URL" -qc 'DROP DATABASE IF EXISTS "{}"' >/dev/null 2>&1 || true

step "SMTP sink on a free port (aiosmtpd)"
SMTP_DIR=$(mktemp -d)
SMTP_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$TOOLS_DIR/venv/bin/python" scripts/smtp_sink.py --port "$SMTP_PORT" --dir "$SMTP_DIR" &
SMTP_PID=$!
trap 'kill $SMTP_PID 2>/dev/null || true; rm -rf "$SMTP_DIR"' EXIT
for _ in $(seq 1 50); do (echo > /dev/tcp/127.0.0.1/$SMTP_PORT) 2>/dev/null && break; sleep 0.1; done
export TEST_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" TEST_SMTP_DIR="$SMTP_DIR"

step "S3-compatible server on a free port (moto)"
S3_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
"$TOOLS_DIR/venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT" >/dev/null 2>&1 &
S3_PID=$!
trap 'kill $SMTP_PID $S3_PID 2>/dev/null || true; rm -rf "$SMTP_DIR"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$S3_PORT/" >/dev/null 2>&1 && break; sleep 0.1; done
export TEST_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"

step "unit tests"
cargo test -p app --features ssr

step "integration tests (SQLite and PostgreSQL)"
cargo test -p server

step "build for the browser tests (cargo leptos build, into target/site-e2e)"
# A debug site of its own: target/site is what the release server of scripts/run.sh serves, and
# a 29 MB debug WASM there would be sent to visitors.
LEPTOS_SITE_ROOT=target/site-e2e cargo leptos build --split

step "end-to-end tests (Playwright, Debian Chromium)"
(cd end2end && CARGO_TARGET_DIR="$CARGO_TARGET_DIR" npx playwright test)

step "first-load budget of every public route (release WASM, split)"
scripts/first-load-budget.sh

step "all tests passed in $(( $(date +%s) - started )) s"
