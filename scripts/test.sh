#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests on SQLite,
# the database suites again on PostgreSQL (TEST_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/postgres when a server answers there),
# and the browser suite against a freshly built demo server.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --test
export RUSTFLAGS="--cfg erase_components"
export CARGO_TERM_COLOR=never
# setup.sh installed LibreOffice: the workbook check must run, not skip.
export DARAJA_REQUIRE_LIBREOFFICE=1

echo "==> cargo fmt --check"
cargo fmt --all --check
echo "==> cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings

echo "==> the methodology engine builds for the browser (wasm32, no threads)"
cargo build -q -p methodology --no-default-features --target wasm32-unknown-unknown

echo "==> tests on SQLite"
env -u TEST_DATABASE_URL cargo test --workspace

pg="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if [[ "$pg" == postgres* ]] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  echo "==> database tests on PostgreSQL ($pg)"
  # Every test makes its own database; drop those of earlier runs first.
  if command -v psql >/dev/null; then
    psql "$pg" -Atc "select datname from pg_database where datname like 'daraja_test_%'" \
      | while read -r db; do psql "$pg" -qc "drop database if exists \"$db\"" >/dev/null; done
  fi
  TEST_DATABASE_URL="$pg" cargo test -p server -p service
else
  echo "==> PostgreSQL not reachable: database tests ran on SQLite only" >&2
  [[ "${CI:-}" == "true" ]] && { echo "CI requires PostgreSQL" >&2; exit 1; }
fi

# The parsers of what people upload, under libFuzzer for a bounded time
# (DARAJA_FUZZ_SECONDS each; a long run: DARAJA_FUZZ_SECONDS=3600).
echo "==> fuzz targets"
DARAJA_FUZZ_SECONDS="${DARAJA_FUZZ_SECONDS:-20}" ./scripts/fuzz.sh

echo "==> browser tests"
cargo leptos build
dbdir=$(mktemp -d)
# One address plays every user of the browser suite: sign-in throttling per
# address (default 30 a minute) is tested in the server suite instead.
export DARAJA_DEMO=1 DARAJA_DATABASE_URL="sqlite://$dbdir/e2e.sqlite?mode=rwc" DARAJA_ADDR=127.0.0.1:3300 DARAJA_LOG=warn LEPTOS_SITE_ROOT=target/site DARAJA_SIGN_IN_PER_MINUTE=6000
target/debug/daraja > "$dbdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
export DARAJA_URL=http://127.0.0.1:3300 XDG_CONFIG_HOME="$dbdir/xdg" XDG_CACHE_HOME="$dbdir/xdg"
if ! (cd end2end && npx playwright test); then
  echo "--- server log ---"; tail -50 "$dbdir/server.log"
  exit 1
fi
echo "browser suite: all passed"

# The API against its own OpenAPI document, with schemathesis' default
# checks (no 5xx, every response as documented, schema-valid requests
# accepted and invalid ones refused): once as the public, once as an
# admin. Seeded, so a failure reproduces; SCHEMATHESIS_EXAMPLES for more.
echo "==> API contract (schemathesis)"
admin=$(curl -sf -X POST "$DARAJA_URL/api/v1/auth/token" -H 'content-type: application/json' \
  -d '{"email":"admin@daraja.uz","password":"daraja-demo-2026"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
examples="${SCHEMATHESIS_EXAMPLES:-30}"
for who in public admin; do
  auth=()
  [[ $who == admin ]] && auth=(-H "Authorization: Bearer $admin" --exclude-path /api/v1/auth/sign-out)
  if ! st run "$DARAJA_URL/api/openapi.json" --max-examples "$examples" --seed 2026 "${auth[@]}" \
      > "$dbdir/schemathesis-$who.log" 2>&1; then
    cat "$dbdir/schemathesis-$who.log"
    echo "--- server log ---"; tail -50 "$dbdir/server.log"
    exit 1
  fi
  grep -E "passed|failed" "$dbdir/schemathesis-$who.log" | tail -3
done
echo "API contract: no failures"

# Deadline day (issue 8): signed-in officers loading forms, autosaving and
# reading the public pages against the real binary; fails on any error or
# lost save. Short here; the BENCHMARKS.md figures are 500 users for 300 s
# on a release build (DARAJA_LOAD_USERS, DARAJA_LOAD_SECONDS).
echo "==> deadline day (load, short)"
kill $server 2>/dev/null || true
cargo build -q -p server --bin daraja --example deadline_day
load=(--users "${DARAJA_LOAD_USERS:-100}" --seconds "${DARAJA_LOAD_SECONDS:-20}")
target/debug/examples/deadline_day "${load[@]}"
if [[ "$pg" == postgres* ]] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  # Two instances on one PostgreSQL behind a loopback proxy.
  target/debug/examples/deadline_day "${load[@]}" --postgres "$pg" --instances 2
fi
echo "deadline day: no errors, no lost save"
