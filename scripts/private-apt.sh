#!/usr/bin/env bash
# Download Debian packages from any suite without touching the system's apt sources.
#
#   scripts/private-apt.sh SUITE DEST_DIR PACKAGE...
#
# Each suite gets its own apt state (sources list, package lists, cache, empty dpkg
# status) under $PROGRUN_CACHE/apt/SUITE, passed to apt with -o Dir::... options.
# Packages are fetched with `apt-get download` only: nothing is installed and the
# system's sources stay bookworm-only (adding trixie there would upgrade half the system).
# The .deb paths are printed, one a line. A package already in DEST_DIR is not fetched again.
set -euo pipefail

suite=${1:?usage: private-apt.sh SUITE DEST_DIR PACKAGE...}
dest=${2:?usage: private-apt.sh SUITE DEST_DIR PACKAGE...}
shift 2
[ $# -gt 0 ] || { echo "private-apt.sh: no package named" >&2; exit 2; }

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${PROGRUN_CACHE:-$repo_root/.cache}/apt/$suite
mirror=${PROGRUN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p "$cache/etc/preferences.d" "$cache/lists/partial" "$cache/archives/partial" "$dest"
: >"$cache/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$cache/etc/sources.list"

apt_opts=(
  -o "Dir::Etc::SourceList=$cache/etc/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$cache/etc/preferences.d"
  -o "Dir::State::Lists=$cache/lists"
  -o "Dir::State::Status=$cache/status"
  -o "Dir::Cache=$cache"
  -o "Dir::Cache::Archives=$cache/archives"
  -o "APT::Architecture=amd64"
  -o "Acquire::Languages=none"
  -o "Debug::NoLocking=true"
  -o "APT::Sandbox::User=root"
)

# Lists older than a day are refreshed; otherwise a re-run stays offline.
if [ -z "$(find "$cache/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 -print -quit)" ]; then
  apt-get "${apt_opts[@]}" -q update >&2
fi

for pkg in "$@"; do
  version=$(apt-cache "${apt_opts[@]}" policy "$pkg" | awk '/Candidate:/ {print $2}')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    echo "private-apt.sh: $pkg is not in $suite" >&2
    exit 1
  fi
  file_version=${version//:/%3a}
  deb="$dest/${pkg}_${file_version}_amd64.deb"
  [ -f "$deb" ] || deb="$dest/${pkg}_${file_version}_all.deb"
  if [ ! -f "$deb" ]; then
    (cd "$dest" && apt-get "${apt_opts[@]}" -q download "$pkg=$version" >&2)
    deb=$(ls "$dest/${pkg}_${file_version}_"*.deb)
  fi
  echo "$deb"
done
