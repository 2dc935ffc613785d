#!/usr/bin/env bash
# Builds and runs the native unit test / fuzzer of src/k8s_wasm_guest.h with
# AddressSanitizer + UndefinedBehaviorSanitizer (needs clang and, on Debian,
# libclang-rt-14-dev). Not needed to build the modules.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"${CC:-clang}" -std=c11 -g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
  -I "$here/../src" -o "$out/helper_test" "$here/helper_test.c"
"$out/helper_test"
