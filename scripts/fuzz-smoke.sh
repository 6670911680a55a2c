#!/usr/bin/env bash
# Fuzz smoke run, for CI (.ci/run) and by hand:
#  (a) replays the committed corpora (fuzz/corpus/<target>/*) through the targets' code as a
#      normal test (crate/tests/fuzz_corpus.rs; it also runs in `cargo test --workspace`);
#  (b) fuzzes each target for FUZZ_SECONDS (default 20) with cargo-fuzz, installing it when
#      missing. cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP=1 lets the stable compiler take
#      them. Optimized builds with debug assertions (-O -a: overflow checks on), as in the long
#      runs: a debug build fuzzes a degenerate fit (e.g. `x ~ + (x + 1 || id)`) at 6 inputs/s and
#      trips the per-input timeout. New inputs go to a scratch directory, so the committed corpus stays as
#      it is; a crash leaves its input in fuzz/artifacts/<target>/ and fails the script.
# Long runs (minutes per target, corpus growth): see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test -p lagmix --test fuzz_corpus

seconds=${FUZZ_SECONDS:-20}
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz-smoke: installing cargo-fuzz"
  cargo install cargo-fuzz
fi
export RUSTC_BOOTSTRAP=1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd fuzz
cargo fuzz build -O -a
for target in csv_reader formula_parser pipeline workbook_reader sav_reader; do
  mkdir -p "$scratch/$target"
  echo "fuzz-smoke: $target for ${seconds}s"
  # Workbooks are zip archives of XML parts: their seeds are kilobytes, not lines.
  max_len=1024
  case $target in workbook_reader | sav_reader) max_len=16384 ;; esac
  status=0
  cargo fuzz run -O -a "$target" "$scratch/$target" "corpus/$target" -- \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -print_final_stats=1 \
    >"$scratch/$target.log" 2>&1 || status=$?
  grep -E '^stat::(number_of_executed_units|new_units_added)' "$scratch/$target.log" || true
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$scratch/$target.log"
    echo "fuzz-smoke: $target failed (exit $status); the input is in fuzz/artifacts/$target/"
    exit 1
  fi
done
echo "fuzz-smoke: ok"
