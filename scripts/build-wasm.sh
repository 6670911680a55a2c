#!/usr/bin/env bash
# Builds the wasm bindings and generates www/pkg (wasm-bindgen's --target web output): the main
# module (lagmix_wasm) and the workbook and SPSS readers (lagmix_readers_wasm), which the worker
# loads only when such a file is opened; then the vendored npm libraries and the single offline
# file dist/lagmix.html (scripts/build-offline.mjs).
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

# The page's npm libraries (Observable Plot) bundled into www/vendor/, then the single offline
# file (dist/lagmix.html, copied to www/lagmix.html), made from www/pkg and www/vendor.
if [ ! -d node_modules/esbuild ] || [ ! -d node_modules/@observablehq/plot ]; then
  echo "build-wasm: the page's npm packages are not installed yet: npm install"
  npm install --no-audit --no-fund
fi
node scripts/vendor.mjs
node scripts/build-offline.mjs
