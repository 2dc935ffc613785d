#!/usr/bin/env bash
# Rebuilds the Kubewarden test policies in examples/modules/kubewarden.
#
# Needs clang, lld, wasi-libc and libclang-rt-14-dev-wasm32 (see
# ../build.sh) plus Node.js (for add-metadata.mjs). Installs nothing.
#
# Usage: examples/modules/kubewarden/build.sh   (from any directory; CC=... overrides clang)
# Also run by examples/modules/build.sh. Deterministic: unchanged sources give
# byte-identical modules.
#
#   policy_wapc_start.wasm   waPC, TinyGo style: _start registers the handlers
#                            and ends with proc_exit(0); metadata (kubewarden-wapc)
#   policy_wapc_init.wasm    waPC, Rust style: wapc_init registers the handlers;
#                            no _start, no _initialize; metadata (kubewarden-wapc)
#   policy_wapc_nometa.wasm  policy_wapc_start.wasm without the metadata section
#   policy_wasi.wasm         Kubewarden WASI execution mode (argv, stdin/stdout,
#                            host.call); metadata (wasi)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
NODE="${NODE:-node}"

missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=("clang (compiler '$CC' not found)")
command -v wasm-ld >/dev/null 2>&1 || missing+=("lld (wasm-ld not found)")
command -v "$NODE" >/dev/null 2>&1 || missing+=("Node.js ('$NODE' not found; needed by add-metadata.mjs)")
if ((${#missing[@]})); then
  echo "kubewarden/build.sh: missing build tools:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

# --stack-first: a stack overflow traps instead of overwriting static data.
CFLAGS=(--target=wasm32-wasi -std=c11 -O2 -Wall -Wextra -Werror
        -I "$here/src" -I "$here/../src" -Wl,--strip-all -Wl,--stack-first)
policy="$here/src/policy.c"

report() { echo "built $(realpath --relative-to="$here/.." "$1") ($(stat -c %s "$1") bytes)"; }

# TinyGo style: a command module; main() registers the handlers, then exit(0)
"$CC" "${CFLAGS[@]}" -DKWP_REGISTER_IN_START -o "$here/policy_wapc_nometa.wasm" "$policy" "$here/src/wapc.c"
cp "$here/policy_wapc_nometa.wasm" "$here/policy_wapc_start.wasm"
"$NODE" "$here/add-metadata.mjs" "$here/policy_wapc_start.wasm" "$here/metadata-wapc.json"

# Rust style: like a Rust cdylib, no start function at all (no crt1, so no
# _initialize); wapc_init registers the handlers.
"$CC" "${CFLAGS[@]}" -nostartfiles -Wl,--no-entry -o "$here/policy_wapc_init.wasm" "$policy" "$here/src/wapc.c"
"$NODE" "$here/add-metadata.mjs" "$here/policy_wapc_init.wasm" "$here/metadata-wapc.json"

# WASI execution mode: a command module with main(argc, argv)
"$CC" "${CFLAGS[@]}" -o "$here/policy_wasi.wasm" "$policy" "$here/src/wasi.c"
"$NODE" "$here/add-metadata.mjs" "$here/policy_wasi.wasm" "$here/metadata-wasi.json"

for f in policy_wapc_start policy_wapc_init policy_wapc_nometa policy_wasi; do
  report "$here/$f.wasm"
done
