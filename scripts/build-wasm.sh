#!/usr/bin/env bash
# Builds the wasm bindings and generates www/pkg (wasm-bindgen's --target web output): the main
# module (lagmix_wasm) and the workbook and SPSS readers (lagmix_readers_wasm), which the worker
# loads only when such a file is opened.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${LAGMIX_WASM_PROFILE:-release}
cargo build --profile "$profile" --target wasm32-unknown-unknown -p lagmix-wasm -p lagmix-readers-wasm
target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
dir=$profile; [ "$profile" = "dev" ] && dir=debug
for module in lagmix_wasm lagmix_readers_wasm; do
  wasm-bindgen --target web --out-dir www/pkg "$target_dir/wasm32-unknown-unknown/$dir/$module.wasm"
done
echo "build-wasm: www/pkg ready ($(du -k www/pkg/lagmix_wasm_bg.wasm | cut -f1) KiB wasm, readers $(du -k www/pkg/lagmix_readers_wasm_bg.wasm | cut -f1) KiB)"
