#!/usr/bin/env bash
# Builds Daraja and starts it on SQLite in demo mode, with the demo users and
# a generated demo history. Prints the address and the demo sign-ins.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export RUSTFLAGS="--cfg erase_components"
cargo leptos build
export DARAJA_DEMO=1
export DARAJA_DATABASE_URL="${DARAJA_DATABASE_URL:-sqlite://data/demo.sqlite?mode=rwc}"
export LEPTOS_SITE_ROOT=target/site
addr="${DARAJA_ADDR:-127.0.0.1:3000}"
export DARAJA_ADDR="$addr"
cat <<INFO

  Daraja (demo mode) starting on  http://$addr
  Database: $DARAJA_DATABASE_URL

  Demo sign-ins (password for all: daraja-demo-2026):
    admin@daraja.uz          administrator
    methodologist@daraja.uz  methodologist
    reviewer@daraja.uz       reviewer
    publisher@daraja.uz      publisher
    cdo@daraja.uz            CDO of the Statistics Agency
    district@daraja.uz       officer of Asaka district (Andijan region)
    viewer@daraja.uz         viewer

INFO
exec target/debug/daraja
