#!/usr/bin/env bash
# An arm64 Debian bookworm sysroot holding Debian's nodejs:arm64 and the libraries it needs, to run
# arm64 Node.js on this machine under qemu-user-static:
#
#   sysroot=$(packages/syscall/prebuild/arm64-node.sh)
#   qemu-aarch64-static -L "$sysroot" "$sysroot/usr/bin/node" script.js
#
# debootstrap's first stage (--foreign) fetches the packages without running any arm64 code; their
# .debs are then unpacked into the sysroot with dpkg-deb -x (nothing is configured, nothing touches
# this machine's own system). Cached under $PROGRUN_ROOTS like the other roots.
set -euo pipefail

[ "$(id -u)" -eq 0 ] || { echo "arm64-node.sh: debootstrap needs root" >&2; exit 1; }
roots=${PROGRUN_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/progrun/roots}
root=$roots/bookworm-arm64-node
mirror=$("$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh")

if [ -x "$root/usr/bin/node" ] && [ -f "$root/.progrun-root" ]; then
  echo "$root"
  exit 0
fi
echo "arm64-node.sh: making the arm64 bookworm sysroot with nodejs (minutes; cached afterwards)" >&2
rm -rf "$root.new"
mkdir -p "$roots"
debootstrap --foreign --arch=arm64 --variant=minbase --include=nodejs bookworm "$root.new" "$mirror" >&2
for deb in "$root.new"/var/cache/apt/archives/*.deb; do
  dpkg-deb -x "$deb" "$root.new"
done
rm -rf "$root.new/var/cache/apt/archives"
echo "bookworm arm64 nodejs $mirror" >"$root.new/.progrun-root"
rm -rf "$root"
mv "$root.new" "$root"
echo "$root"
