#!/usr/bin/env bash
# `npm run prebuilds`: the prebuilt addons packages/syscall/prebuilds/linux-{x64,arm64}/progrun_syscall.napi.glibc.node.
#
# Built inside a Debian bullseye root (glibc 2.31, so the binaries load on Debian 11, Ubuntu 20.04 and
# anything newer), x64 with bullseye's g++ and arm64 with its cross g++. libbpf and libelf are built
# from Debian bookworm's source packages, as position-independent static archives (Debian ships only
# non-PIC ones), and linked in with bullseye's libz.a; their symbols stay hidden inside the addon.
# The addon's NEEDED list is then glibc's libraries and the C++ runtime only (check.sh verifies it).
# Needs root (debootstrap, chroot); the root and the libraries are cached under $PROGRUN_ROOTS.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pkg=$(dirname "$here")
repo=$(cd "$pkg/../.." && pwd)
export PROGRUN_ROOTS=${PROGRUN_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/progrun/roots}

# Nothing to do when both binaries exist and were made from the sources the checkout holds now.
digest=$(node "$here/sources-digest.mjs")
if [ "${1:-}" != --force ] && [ "$(cat "$pkg/prebuilds/sources.sha256" 2>/dev/null)" = "$digest" ] &&
  [ -f "$pkg/prebuilds/linux-x64/progrun_syscall.napi.glibc.node" ] &&
  [ -f "$pkg/prebuilds/linux-arm64/progrun_syscall.napi.glibc.node" ]; then
  echo "prebuild: prebuilds/ is current (sources $digest); --force rebuilds" >&2
  exit 0
fi

root=$("$here/debian-root.sh" bullseye-build bullseye --arch-too arm64 \
  g++ make cmake pkg-config zlib1g-dev dpkg-dev xz-utils bzip2 g++-aarch64-linux-gnu zlib1g-dev:arm64)
mirror=$(sed -n 's/^deb \([^ ]*\) .*/\1/p' "$root/etc/apt/sources.list" | head -1)

# Debian bookworm's source packages: the .dsc pinned by digest, the rest checked by dpkg-source against it.
sources=(
  "pool/main/libb/libbpf/libbpf_1.1.2-0+deb12u1.dsc 96f81dad2d5f1505ac8c3630249c77f7fcb9ab2f429c4386b2eee2149b7a8c4b"
  "pool/main/libb/libbpf/libbpf_1.1.2.orig.tar.gz b50ab60637fb713db78aa98e6ca911ddf13c0799d498a1f6ec03ebffc7dca588"
  "pool/main/libb/libbpf/libbpf_1.1.2-0+deb12u1.debian.tar.xz e6032912c142c414d5b01257078e86d77f195e0474fba24fbb360a6a78f252b6"
  "pool/main/e/elfutils/elfutils_0.188-2.1.dsc 2e73c5bfe9d0ddbf837742d638c43b049590ae1de8f6e3d9c2740c28e2550760"
  "pool/main/e/elfutils/elfutils_0.188.orig.tar.bz2 fb8b0e8d0802005b9a309c60c1d8de32dd2951b56f0c3a3cb56d21ce01595dff"
  "pool/main/e/elfutils/elfutils_0.188.orig.tar.bz2.asc 061bb59801b8a23de4b129acb242210889be2c25b43ad2bcc2eb04966a1823e6"
  "pool/main/e/elfutils/elfutils_0.188-2.1.debian.tar.xz dac77dc13f8f3bb2c541d631faf75216fc6640a359143a4545129ee096bc35ff"
)
src=$root/progrun/sources
mkdir -p "$src"
for entry in "${sources[@]}"; do
  path=${entry% *} sum=${entry#* }
  file=$src/$(basename "$path")
  if ! echo "$sum  $file" | sha256sum -c --status 2>/dev/null; then
    curl -fsSL --retry 3 -o "$file.part" "$mirror/$path"
    echo "$sum  $file.part" | sha256sum -c --quiet
    mv "$file.part" "$file"
  fi
done

in_root() { "$here/in-root.sh" "$root" "$@"; }

# libelf (elfutils) and libbpf for one target, installed under /progrun/deps/ARCH once per script version.
deps_stamp=$(sha256sum <"$here/build-deps.sh" | cut -c1-16)
for arch in x64 arm64; do
  if [ "$(cat "$root/progrun/deps/$arch/.stamp" 2>/dev/null)" != "$deps_stamp" ]; then
    echo "prebuild: libelf and libbpf for linux-$arch (minutes; cached afterwards)" >&2
    in_root --ro-bind "$here/build-deps.sh:/progrun/build-deps.sh" -- bash /progrun/build-deps.sh "$arch" >&2
    echo "$deps_stamp" >"$root/progrun/deps/$arch/.stamp"
  fi
done

# The addon, from a clean build directory each time (what is compiled is what the checkout holds).
headers=$(cd "$repo" && node -p "require('path').dirname(require.resolve('node-api-headers/package.json'))")
addon_api=$(cd "$repo" && node -p "require('path').dirname(require.resolve('node-addon-api/package.json'))")
for arch in x64 arm64; do
  echo "prebuild: the addon for linux-$arch" >&2
  out=$pkg/prebuilds/linux-$arch
  rm -rf "$root/progrun/addon/$arch" "$out" "$pkg/prebuilds/sources.sha256"
  mkdir -p "$root/progrun/addon/$arch" "$out"
  in_root --ro-bind "$pkg/CMakeLists.txt:/progrun/syscall/CMakeLists.txt" \
    --ro-bind "$pkg/native:/progrun/syscall/native" \
    --ro-bind "$headers:/progrun/node-api-headers" --ro-bind "$addon_api:/progrun/node-addon-api" \
    --ro-bind "$here/build-addon.sh:/progrun/build-addon.sh" \
    -- bash /progrun/build-addon.sh "$arch" >&2
  cp "$root/progrun/addon/$arch/progrun_syscall.node" "$out/progrun_syscall.napi.glibc.node"
  "$here/check.sh" "$out/progrun_syscall.napi.glibc.node"
done
echo "$digest" >"$pkg/prebuilds/sources.sha256"
echo "prebuild: $(cd "$pkg" && ls prebuilds/*/*.node | tr '\n' ' ')" >&2
