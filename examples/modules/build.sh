#!/usr/bin/env bash
# Rebuilds every WebAssembly module in examples/modules from its source.
#
# Needs these Debian 12 (bookworm) packages - this script installs nothing:
#
#   apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt
#
#   clang, lld                  C compiler and wasm-ld linker (clang 14)
#   wasi-libc                   C library for wasm32-wasi (/usr/lib/wasm32-wasi)
#   libclang-rt-14-dev-wasm32   compiler-rt builtins for wasm32
#   wabt                        wat2wasm, for the hand-written hostile modules
#
# Usage: examples/modules/build.sh      (from any directory; CC=... overrides clang)
#
# The build is deterministic: unchanged sources give byte-identical modules.
#   src/*.c           -> *.wasm          the four magic example modules
#   hostile/src/*.wat -> hostile/*.wasm  modules for sandbox / error tests
#   hostile/src/*.c   -> hostile/*.wasm
#   plus hostile/not_wasm.wasm (text) and hostile/truncated.wasm (40 bytes of
#   magic_validator.wasm).
#   kubewarden/src/*.c -> kubewarden/*.wasm  Kubewarden test policies, by
#   kubewarden/build.sh (which also needs Node.js)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-clang}"

# ---- check the toolchain -------------------------------------------------
missing=()
command -v "$CC" >/dev/null 2>&1 || missing+=("clang (compiler '$CC' not found)")
command -v wasm-ld >/dev/null 2>&1 || missing+=("lld (wasm-ld not found)")
command -v wat2wasm >/dev/null 2>&1 || missing+=("wabt (wat2wasm not found)")
if command -v "$CC" >/dev/null 2>&1; then
  libc="$("$CC" --target=wasm32-wasi -print-file-name=libc.a 2>/dev/null || true)"
  [[ "$libc" == /* && -f "$libc" ]] || missing+=("wasi-libc (no libc.a for wasm32-wasi)")
  rt="$("$CC" --target=wasm32-wasi -print-libgcc-file-name 2>/dev/null || true)"
  [[ "$rt" == /* && -f "$rt" ]] || missing+=("libclang-rt-14-dev-wasm32 (no compiler-rt builtins for wasm32)")
fi
if ((${#missing[@]})); then
  echo "build.sh: missing build tools:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Install them with:  sudo apt-get install -y clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt" >&2
  exit 1
fi

# ---- C modules -----------------------------------------------------------
# Reactor modules (no main): the host calls _initialize once, then the export.
# --stack-first puts the 64 KiB C stack below the data, so a stack overflow
# traps instead of silently overwriting static data.
# The example modules are built for speed (-O2: they are what the benchmarks
# measure, and a third bigger than -Oz; -mbulk-memory: memcpy and memset become
# single memory.copy / memory.fill instructions, which the host runs as array
# copies); the hostile modules for size (-Oz), which also keeps deliberate
# patterns such as deep recursion as written.
CFLAGS=(--target=wasm32-wasi -std=c11 -Wall -Wextra -Werror -mexec-model=reactor
        -I "$here/src" -Wl,--strip-all -Wl,--stack-first)

build_c() { # "optimisation flags" source output
  # shellcheck disable=SC2086 # $1 holds several flags
  "$CC" $1 "${CFLAGS[@]}" -o "$3" "$2"
  echo "built $(realpath --relative-to="$here" "$3") ($(stat -c %s "$3") bytes)"
}

for src in "$here"/src/*.c; do
  build_c "-O2 -mbulk-memory" "$src" "$here/$(basename "${src%.c}").wasm"
done
for src in "$here"/hostile/src/*.c; do
  build_c -Oz "$src" "$here/hostile/$(basename "${src%.c}").wasm"
done

# ---- WAT modules ---------------------------------------------------------
for src in "$here"/hostile/src/*.wat; do
  out="$here/hostile/$(basename "${src%.wat}").wasm"
  wat2wasm "$src" -o "$out"
  echo "built $(realpath --relative-to="$here" "$out") ($(stat -c %s "$out") bytes)"
done

# ---- files that are deliberately not valid modules -------------------------
printf 'this is not a wasm module\n' >"$here/hostile/not_wasm.wasm"
head -c 40 "$here/magic_validator.wasm" >"$here/hostile/truncated.wasm"
echo "built hostile/not_wasm.wasm, hostile/truncated.wasm"

# ---- Kubewarden test policies ---------------------------------------------
"$here/kubewarden/build.sh"
