#!/usr/bin/env bash
# Benchmark: daraja-score bench vs shared/bench/scoring/reference.py on the
# same generated workload, whole process each (load, score, 1,000 Monte
# Carlo draws, write). Checks that both outputs are byte-identical, then
# prints wall time and peak RSS per run and the medians.
#
#   cli/bench/run.sh [RUNS] [generate.py options…]   (default: 5 runs, 10,000 × 300, 1,000 draws)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-5}"; shift || true
ref=../shared/bench/scoring
wl=$(mktemp -d)
trap 'rm -rf "$wl"' EXIT
python3 "$ref/generate.py" "$wl" "$@" >/dev/null
RUSTFLAGS="--cfg erase_components" cargo build --release -q -p daraja-cli
bin=target/release/daraja-score
measure() { # label, command…
  local label=$1; shift
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$wl/time" "$@" >/dev/null 2>"$wl/err" || { cat "$wl/err"; exit 1; }
    read -r secs kib < "$wl/time"
    echo "$label run $i: ${secs}s, peak RSS $((kib / 1024)) MiB"
    echo "$secs $kib" >> "$wl/$label.times"
  done
  sort -n "$wl/$label.times" | awk -v l="$label" '{a[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "%s median: %.2fs, peak RSS %d MiB\n", l, a[i], m[i]/1024}'
}
measure reference python3 "$ref/reference.py" "$wl" "$wl/reference.csv"
measure daraja "$bin" bench "$wl" "$wl/daraja.csv"
cmp "$wl/reference.csv" "$wl/daraja.csv" && echo "outputs byte-identical ($(wc -l < "$wl/daraja.csv") lines)"
