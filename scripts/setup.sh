#!/usr/bin/env bash
# Installs what `npm start` / `npm test` need and is missing; safe to run any number of times.
# Needs Rust (rustup + cargo) already installed. With CHROMIUM_NEEDED=1 it also installs Debian's
# chromium for the browser tests (apt-get; needs root). No tool ever downloads a browser itself.
# With R_NEEDED=1 it installs Debian's R with lme4, lmerTest, pbkrtest and jsonlite, which the test of the
# exported R scripts runs (crate/tests/r_scripts.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  say "cargo not found: install Rust first (https://rustup.rs)"; exit 1
fi

if command -v rustup >/dev/null 2>&1; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
fi

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate pinned in Cargo.toml.
pinned=$(sed -n 's/^wasm-bindgen *= *"=\{0,1\}\([0-9][0-9.]*\)".*/\1/p' Cargo.toml | head -n1)
if [ -z "$pinned" ]; then
  say "could not read the pinned wasm-bindgen version from Cargo.toml"; exit 1
fi
installed=$( (wasm-bindgen --version 2>/dev/null || true) | awk '{print $2}')
if [ "$installed" != "$pinned" ]; then
  say "installing wasm-bindgen-cli $pinned (found: ${installed:-none})"
  cargo install wasm-bindgen-cli --version "$pinned"  # --locked fails against this registry mirror
fi

# Also when package-lock.json is newer than the installed tree (a dependency was added).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm install"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi

if [ "${CHROMIUM_NEEDED:-0}" = "1" ] && [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  say "installing chromium (apt-get)"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y chromium
fi

r_ready() { command -v Rscript >/dev/null 2>&1 && Rscript -e 'suppressPackageStartupMessages({library(lmerTest); library(pbkrtest); library(jsonlite)})' >/dev/null 2>&1; }
if [ "${R_NEEDED:-0}" = "1" ] && ! r_ready; then
  say "installing R with lme4, lmerTest, pbkrtest and jsonlite (apt-get)"
  sudo_cmd=""
  if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null 2>&1; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends r-base-core r-cran-lmertest r-cran-pbkrtest r-cran-jsonlite
fi
