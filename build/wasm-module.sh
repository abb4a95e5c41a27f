#!/bin/sh
# What the wasm kernel build scripts share (main/engine/**/wasm/build-*.sh): compile one C
# file to a wasm32 + SIMD128 module linked against an imported memory, and print a module as
# a TypeScript constant. Sourced, not run; needs clang and wasm-ld (Debian: clang-14, lld-14).
CLANG=${CLANG:-$(command -v clang-14 || command -v clang)}
LLD=${WASM_LD:-$(command -v wasm-ld-14 || command -v wasm-ld)}
# A private scratch folder, so that two builds at once do not overwrite each other's files.
WASM_TMP=$(mktemp -d)
trap 'rm -rf "$WASM_TMP"' EXIT

# wasm_compile SOURCE.c OUT.wasm "CFLAGS" "LDFLAGS"
wasm_compile() {
  # shellcheck disable=SC2086 # the flag lists are meant to split
  "$CLANG" --target=wasm32 -O3 -msimd128 -nostdlib -ffreestanding -fno-builtin $3 -c "$1" -o "$2.o"
  # shellcheck disable=SC2086
  "$LLD" --no-entry --import-memory --export-dynamic --strip-all -z stack-size=0 --initial-memory=65536 $4 "$2.o" -o "$2"
}

# wasm_constant NAME MODULE.wasm: `export const NAME = '<base64>';`
wasm_constant() {
  printf "export const %s =\n  '" "$1"
  base64 -w 0 "$2"
  echo "';"
}
