#!/usr/bin/env bash
# bench/real-programs.sh DIR -- the real programs of `bench/run compile-large --real`, from npm (the
# registry this project may fetch from), into DIR once: prints each module's path, one a line.
#
# Large modules of other languages and toolchains than the corpora's (yosys is C++ through wasi-sdk):
# Go (esbuild), Rust through wasm-bindgen (swc, biome), C with a 20 MB data section (ruby with its
# standard library). Issue 40 is judged on a program the project does not have as well; these check
# that a gain on yosys is no gain on yosys alone. Each version is pinned and each module's SHA-256
# checked, so every run compiles the same bytes; a mismatch stops with one line.
set -euo pipefail
dir=${1:?usage: bench/real-programs.sh DIR}
mkdir -p "$dir"
command -v npm >/dev/null || { echo "bench/real-programs.sh: npm is needed to fetch the real programs (apt install npm)" >&2; exit 1; }
# package@version | module inside the package | SHA-256 of the module
programs=(
  "esbuild-wasm@0.28.2|package/esbuild.wasm|b1831a5c0f6cf688034fb94d0419812f165ea316a3380d3fc00a151e562d2eaf"
  "@swc/wasm@1.16.18|package/wasm_bg.wasm|67659614a2ca8504a8b33f4e3f261489bd9b700dd12058894b22788a3c61eda5"
  "@ruby/3.3-wasm-wasi@2.10.1|package/dist/ruby+stdlib.wasm|d6e3e863076a6bf7a8dd11870a9a68e84c2e76b3df41121ab090621e76953593"
  "@biomejs/wasm-nodejs@2.5.14|package/biome_wasm_bg.wasm|898927f0cd131b7679810555c75a4814eb8fe85d067fbf40ac24d8fa3f306554"
)
for entry in "${programs[@]}"; do
  IFS='|' read -r package inner digest <<<"$entry"
  unpacked="$dir/$(echo "$package" | tr '@/' '__')"
  module="$unpacked/$inner"
  if [ ! -f "$module" ]; then
    rm -rf "$unpacked" && mkdir -p "$unpacked"
    tarball=$(cd "$unpacked" && npm pack --silent "$package" 2>/dev/null | tail -1) \
      || { echo "bench/real-programs.sh: npm pack $package failed" >&2; exit 1; }
    tar -xzf "$unpacked/$tarball" -C "$unpacked" "$inner" && rm -f "$unpacked/$tarball"
  fi
  actual=$(sha256sum "$module" | cut -d' ' -f1)
  if [ "$actual" != "$digest" ]; then
    echo "bench/real-programs.sh: $module: SHA-256 $actual, pinned $digest" >&2
    exit 1
  fi
  echo "$module"
done
