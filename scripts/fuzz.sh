#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a bounded time each:
# libFuzzer with AddressSanitizer, built by cargo-fuzz on the stable
# toolchain (RUSTC_BOOTSTRAP lets stable rustc take the -Z flags it needs).
#
#   scripts/fuzz.sh                 # every target, DARAJA_FUZZ_SECONDS each (default 30)
#   DARAJA_FUZZ_SECONDS=3600 scripts/fuzz.sh formula
#
# Inputs it finds interesting go to fuzz/corpus/TARGET (not committed); the
# committed seeds are fuzz/seeds/TARGET and, for methodology files, the
# shipped methodologies. A crash stops the run with the input saved under
# fuzz/artifacts/TARGET; make it a regression test beside the code it broke.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${DARAJA_FUZZ_SECONDS:-30}
targets=("$@")
(( ${#targets[@]} )) || targets=(methodology_file formula excel_import csv_import)

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: run scripts/setup.sh --test" >&2; exit 1; }

# Fuzz builds need their own flags; the app's cfg does not apply here.
unset RUSTFLAGS
export RUSTC_BOOTSTRAP=1
# One target dir with the workspace (cached between runs; `target` may be a link).
target_dir="$(pwd)/target/fuzz"

for t in "${targets[@]}"; do
  seeds=()
  [[ -d fuzz/seeds/$t ]] && seeds+=("fuzz/seeds/$t")
  [[ $t == methodology_file ]] && seeds+=(seeds/methodologies)
  mkdir -p "fuzz/corpus/$t"
  echo "==> fuzz $t for ${seconds}s"
  log="fuzz/corpus/$t.log"
  status=0
  cargo fuzz run --fuzz-dir fuzz --target-dir "$target_dir" "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 \
    > "$log" 2>&1 || status=$?
  if (( status != 0 )); then
    tail -80 "$log" | cut -c1-300
    echo "fuzz target $t failed (exit $status): the input is under fuzz/artifacts/$t" >&2
    exit 1
  fi
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|INFO: seed corpus)" "$log" | tr '\n' ' '
  echo
done
