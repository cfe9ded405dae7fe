#!/usr/bin/env bash
# A Debian root made with debootstrap, cached and reused:
#
#   packages/syscall/prebuild/debian-root.sh NAME SUITE [--arch-too ARCH] [PACKAGE...]
#
# prints the root's path once it holds SUITE's minbase plus PACKAGE... (and, with --arch-too, the
# packages written PACKAGE:ARCH of that foreign architecture). The root lives under
# $PROGRUN_ROOTS (default ~/.cache/progrun/roots), outside every checkout; a root is rebuilt only
# when the request (suite, mirror, packages) changes. Packages come from the mirror the machine's
# own apt sources use (debian-mirror.sh).
set -euo pipefail

usage="usage: debian-root.sh NAME SUITE [--arch-too ARCH] [PACKAGE...]"
name=${1:?$usage}
suite=${2:?$usage}
shift 2
foreign=
if [ "${1:-}" = --arch-too ]; then
  foreign=${2:?$usage}
  shift 2
fi
[ "$(id -u)" -eq 0 ] || { echo "debian-root.sh: debootstrap and chroot need root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debian-root.sh: debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

mirror=$("$(dirname "${BASH_SOURCE[0]}")/debian-mirror.sh")

roots=${PROGRUN_ROOTS:-${XDG_CACHE_HOME:-$HOME/.cache}/progrun/roots}
root=$roots/$name
native=() cross=()
for pkg in "$@"; do
  case $pkg in *:*) cross+=("$pkg") ;; *) native+=("$pkg") ;; esac
done
request="$suite $mirror foreign=$foreign ${native[*]} | ${cross[*]}"

if [ -f "$root/.progrun-root" ] && [ "$(cat "$root/.progrun-root")" = "$request" ]; then
  echo "$root"
  exit 0
fi

in_root() { "$(dirname "${BASH_SOURCE[0]}")/in-root.sh" "$1" -- DEBIAN_FRONTEND=noninteractive "${@:2}"; }

echo "debian-root.sh: making the $suite root $name (minutes; cached afterwards) from $mirror" >&2
rm -rf "$root.new"
mkdir -p "$roots"
include=$(IFS=,; echo "${native[*]}")
debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$root.new" "$mirror" >&2
if [ -n "$foreign" ]; then
  in_root "$root.new" dpkg --add-architecture "$foreign"
  in_root "$root.new" apt-get -q update >&2
  in_root "$root.new" apt-get -q install -y --no-install-recommends "${cross[@]}" >&2
fi
in_root "$root.new" apt-get clean
echo "$request" >"$root.new/.progrun-root"
rm -rf "$root"
mv "$root.new" "$root"
echo "$root"
