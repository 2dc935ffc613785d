#!/usr/bin/env bash
# Rebuilds benchmarks/modules/big_validator.wasm: magic_validator plus ~4,000
# generated functions, over 1 MB of code, for the cold-start benchmark (S6).
# Needs python3 and the toolchain of examples/modules/build.sh (clang 14, lld,
# wasi-libc, libclang-rt-14-dev-wasm32). Deterministic.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_big_validator.py" "${FUNCTIONS:-4000}" > "$tmp/big_validator.c"
"$CC" --target=wasm32-wasi -std=c11 -O1 -Wall -Wextra -Werror -mexec-model=reactor \
  -I "$here/../../examples/modules/src" -Wl,--strip-all -Wl,--stack-first \
  -o "$here/big_validator.wasm" "$tmp/big_validator.c"
echo "built benchmarks/modules/big_validator.wasm ($(stat -c %s "$here/big_validator.wasm") bytes)"
