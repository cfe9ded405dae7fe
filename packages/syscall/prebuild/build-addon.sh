#!/usr/bin/env bash
# Inside the bullseye build root (run by build.sh): the addon for ARCH (x64 or arm64) from the sources
# bound at /progrun/syscall, against /progrun/deps/ARCH, into /progrun/addon/ARCH/progrun_syscall.node.
set -euo pipefail

arch=${1:?usage: build-addon.sh x64|arm64}
case $arch in
  x64) triplet=x86_64-linux-gnu cross=() ;;
  arm64) triplet=aarch64-linux-gnu
    cross=(-DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++) ;;
  *) echo "build-addon.sh: unknown arch $arch" >&2; exit 2 ;;
esac
build=/progrun/addon/$arch
export PKG_CONFIG_LIBDIR=/progrun/deps/$arch/lib/pkgconfig:/usr/lib/$triplet/pkgconfig:/usr/share/pkgconfig
cmake -S /progrun/syscall -B "$build" "${cross[@]}" -DCMAKE_BUILD_TYPE=Release -DPROGRUN_STATIC_LIBBPF=ON \
  -DCMAKE_JS_INC="/progrun/node-api-headers/include;/progrun/node-addon-api" \
  -DCMAKE_CXX_FLAGS="-ffile-prefix-map=/progrun/syscall=." >/dev/null
cmake --build "$build" -j"$(nproc)"
# No symbol table or debug info: a smaller download, and no build-machine paths.
"$triplet-strip" --strip-unneeded "$build/progrun_syscall.node"
