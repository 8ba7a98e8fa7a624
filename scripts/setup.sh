#!/usr/bin/env bash
# Installs what building and testing Daraja needs on a machine that has only
# Rust, Node and Python: the wasm target, cargo-leptos, wasm-bindgen-cli and,
# with --test, Chromium (Debian), the Playwright packages (npm), numpy +
# pandas (PyPI) for the reference scorer and moto (PyPI) as the S3 server of
# the object-store test; with --bench, wrk and nginx for
# the public page benchmark. Each step is skipped when already
# done. Versions are pinned where they must match (see ../shared/TOOLCHAIN.md).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0 want_bench=0
[[ "${1:-}" == "--test" ]] && want_test=1
[[ "${1:-}" == "--bench" ]] && want_bench=1

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
if ! cargo leptos --version 2>/dev/null | grep -q '0.3.10'; then
  say "installing cargo-leptos 0.3.10 (about 12 minutes on 2 cores)"
  cargo install cargo-leptos --version 0.3.10 --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q '0.2.130'; then
  say "installing wasm-bindgen-cli 0.2.130"
  # Not --locked: its published lock pins a crate the registry no longer serves.
  cargo install wasm-bindgen-cli --version 0.2.130
fi

if [[ $want_test == 1 ]]; then
  # Chromium for the browser suite; LibreOffice (Calc) so the exports suite
  # proves every generated workbook opens (tests/it/libreoffice.rs).
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v soffice >/dev/null || missing+=(libreoffice-calc)
  if (( ${#missing[@]} )); then
    say "installing ${missing[*]} from Debian"
    if [[ $(id -u) == 0 ]]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if [[ ! -d end2end/node_modules/@playwright/test || ! -d end2end/node_modules/jszip || ! -d end2end/node_modules/axe-core || ! -d end2end/node_modules/@svg-maps/uzbekistan ]]; then
    say "installing the Playwright packages (no browser download)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
  if ! cargo fuzz --version 2>/dev/null | grep -q '0.13'; then
    say "installing cargo-fuzz 0.13 for the fuzz targets (scripts/fuzz.sh)"
    cargo install cargo-fuzz --version '^0.13' --locked
  fi
  if ! python3 -c 'import numpy, pandas' 2>/dev/null; then
    say "installing numpy and pandas for the reference scorer"
    python3 -m pip install --quiet numpy pandas
  fi
  if ! python3 -c 'import moto.server' 2>/dev/null; then
    say "installing moto's S3 server for the object-store tests"
    python3 -m pip install --quiet 'moto[server]>=5,<6'
  fi
  if ! st --version 2>/dev/null | grep -q '4\.'; then
    say "installing schemathesis 4 for the API's contract run"
    python3 -m pip install --quiet 'schemathesis>=4.32,<5'
  fi
fi

if [[ $want_bench == 1 ]]; then
  # wrk and nginx (Debian) for the public page benchmark
  # (scripts/bench-public-page.sh).
  missing=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  if (( ${#missing[@]} )); then
    say "installing ${missing[*]} from Debian"
    if [[ $(id -u) == 0 ]]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
