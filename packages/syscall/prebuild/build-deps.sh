#!/usr/bin/env bash
# Inside the bullseye build root (run by build.sh): libelf and libbpf for ARCH (x64 or arm64) from the
# Debian source packages in /progrun/sources, as static archives of position-independent code (they
# go into a shared object), with their headers and pkg-config files, under /progrun/deps/ARCH. libbpf also
# installs the kernel UAPI headers it carries (linux/bpf.h of Linux 6.1): bullseye's are 5.10's, which
# lack fields the addon sets. The addon reads them first.
set -euo pipefail

arch=${1:?usage: build-deps.sh x64|arm64}
case $arch in
  x64) triplet=x86_64-linux-gnu cc=gcc ;;
  arm64) triplet=aarch64-linux-gnu cc=aarch64-linux-gnu-gcc ;;
  *) echo "build-deps.sh: unknown arch $arch" >&2; exit 2 ;;
esac
prefix=/progrun/deps/$arch
work=/progrun/work/$arch
rm -rf "$prefix" "$work"
mkdir -p "$prefix/lib/pkgconfig" "$prefix/include" "$work"
cd "$work"
# Paths inside the objects name the sources, not this directory: the archives are reproducible.
cflags="-O2 -fPIC -ffile-prefix-map=$work=. -g0"

dpkg-source --no-check -x /progrun/sources/elfutils_0.188-2.1.dsc elfutils >/dev/null
(
  cd elfutils
  ./configure --host="$triplet" CC="$cc" CFLAGS="$cflags" --disable-debuginfod --disable-libdebuginfod \
    --without-bzlib --without-lzma --without-zstd --disable-nls >/dev/null
  make -C lib -j"$(nproc)" >/dev/null
  make -C libelf -j"$(nproc)" libelf_pic.a >/dev/null
)
# libelf_pic.a and the helpers from lib/ it calls, as one archive.
"$triplet-ar" -M <<MRI
create $prefix/lib/libelf.a
addlib elfutils/libelf/libelf_pic.a
addlib elfutils/lib/libeu.a
save
end
MRI
cp elfutils/libelf/libelf.h elfutils/libelf/gelf.h elfutils/libelf/nlist.h "$prefix/include/"
cat >"$prefix/lib/pkgconfig/libelf.pc" <<PC
Name: libelf
Description: elfutils libelf 0.188 (Debian bookworm source, static, PIC)
Version: 0.188
Cflags: -I$prefix/include
Libs: -L$prefix/lib -lelf
Requires.private: zlib
PC

dpkg-source --no-check -x /progrun/sources/libbpf_1.1.2-0+deb12u1.dsc libbpf >/dev/null
mkdir -p "$work/libbpf-obj"
PKG_CONFIG_LIBDIR=$prefix/lib/pkgconfig:/usr/lib/$triplet/pkgconfig \
  make -C libbpf/src -j"$(nproc)" CC="$cc" AR="$triplet-ar" CFLAGS="$cflags -I$prefix/include" \
  BUILD_STATIC_ONLY=1 OBJDIR="$work/libbpf-obj" PREFIX="$prefix" LIBDIR="$prefix/lib" \
  DESTDIR= install install_uapi_headers >/dev/null
rm -rf "$work"
