#!/usr/bin/env bash
# Benchmark of the national workbook: Rust (daraja-exports, release) vs
# Python XlsxWriter (constant_memory), same synthetic cells; plus the report
# card generation time.
#
# Usage: exports/bench/run.sh [ENTITIES] [INDICATORS]   (default 10000 300)
# Needs: cargo, python3 with xlsxwriter (pip install xlsxwriter),
#        hyperfine (apt-get install hyperfine) or GNU time as a fallback.
set -euo pipefail

N="${1:-10000}"
M="${2:-300}"
RUNS=3
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target-exports}"
OUT="$(mktemp -d /tmp/daraja-bench.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

echo "== build (release)"
(cd "$ROOT" && cargo build --release -j 2 -p daraja-exports --example national_bench)
BIN="$CARGO_TARGET_DIR/release/examples/national_bench"
PY="python3 $HERE/xlsxwriter_baseline.py"
RUST_CMD="$BIN $N $M $OUT/rust.xlsx"
PY_CMD="$PY $N $M $OUT/python.xlsx"

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"
echo "== wall time, $RUNS runs each ($N entities × $M indicators)"
if command -v hyperfine >/dev/null; then
    hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT/hyperfine.json" \
        -n rust "$RUST_CMD" -n python "$PY_CMD"
    python3 - "$OUT/hyperfine.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rust, py = results["rust"]["median"], results["python"]["median"]
print(f"median wall: rust {rust:.2f} s, python {py:.2f} s, speed-up {py / rust:.1f}x")
PY
else
    for name in rust python; do
        cmd="$RUST_CMD"; [ "$name" = python ] && cmd="$PY_CMD"
        for _ in $(seq "$RUNS"); do
            /usr/bin/time -f "%e" $cmd 2>&1 >/dev/null | tail -1
        done | sort -n | sed -n "2p" | sed "s/^/median wall $name (s): /"
    done
fi

echo "== max RSS (GNU time -v), $RUNS runs each, median"
for name in rust python; do
    cmd="$RUST_CMD"; [ "$name" = python ] && cmd="$PY_CMD"
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -v $cmd 2>&1 >/dev/null | awk -F': ' '/Maximum resident/{print $2}'
    done | sort -n | sed -n "2p" | awk -v n="$name" '{printf "median max RSS %s: %.0f MiB\n", n, $1/1024}'
done
ls -l "$OUT"/rust.xlsx "$OUT"/python.xlsx | awk '{printf "file %s: %.1f MiB\n", $NF, $5/1048576}'

echo "== report card ($M indicators; median of 21 in-process runs after warm-up)"
"$BIN" 200 "$M" "$OUT/small.xlsx" --card "$OUT/card.xlsx" 2>&1 | grep "report card"
