#!/usr/bin/env bash
# Rebuilds the small single-purpose Kubewarden test policies in
# examples/modules/kubewarden (see README.md, "Single-purpose policies"):
#
#   unique_ingress.wasm  context-aware: kubernetes/list_resources_all on
#                        networking.k8s.io/v1 Ingress; rejects a duplicate host
#   image_digest.wasm    oci/v1/manifest_digest of every container image; its
#                        metadata declares no hostCapabilities
#
# Both are waPC guests in the Rust style (wapc_init, no WASI imports). Needs
# clang, lld, wasi-libc, libclang-rt-14-dev-wasm32 and Node.js (for
# add-metadata.mjs); installs nothing. Deterministic.
#
# Usage: examples/modules/kubewarden/build-single-purpose.sh   (from any directory)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
NODE="${NODE:-node}"

missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=("clang (compiler '$CC' not found)")
command -v wasm-ld >/dev/null 2>&1 || missing+=("lld (wasm-ld not found)")
command -v "$NODE" >/dev/null 2>&1 || missing+=("Node.js ('$NODE' not found; needed by add-metadata.mjs)")
if ((${#missing[@]})); then
  echo "kubewarden/build-single-purpose.sh: missing build tools:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi

CFLAGS=(--target=wasm32-wasi -std=c11 -Os -Wall -Wextra -Werror
        -I "$here/src" -I "$here/../src" -Wl,--strip-all -Wl,--stack-first
        -nostartfiles -Wl,--no-entry)

for name in unique_ingress image_digest; do
  out="$here/$name.wasm"
  "$CC" "${CFLAGS[@]}" -o "$out" "$here/src/$name.c" "$here/src/wapc.c"
  "$NODE" "$here/add-metadata.mjs" "$out" "$here/metadata-${name//_/-}.json"
  echo "built $(realpath --relative-to="$here/.." "$out") ($(stat -c %s "$out") bytes)"
done
