#!/usr/bin/env bash
# Download and cache the newest kernel source the Debian archive serves (sid's `linux` source package),
# keeping only what the kernel's BPF selftests need: `tools/` (libbpf, the UAPI copies, the selftests and
# their BPF programs) and libbpf's generated helper declarations. Idempotent: a version already extracted
# is not fetched again.
#
#   scripts/kernel-source.sh            # prints the cached source directory, e.g. ~/.cache/progrun/kernel-src/7.2.8
#
# The version comes from sid's Sources index read through a private apt configuration (its own state under
# the cache; the system's apt sources are never touched). Only the upstream `.orig.tar.xz` is downloaded,
# from the pool of the mirror the system's apt sources use. Nothing of the kernel is ever committed.
set -euo pipefail

cache_root=${PROGRUN_KERNEL_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/progrun/kernel-src}
suite=${PROGRUN_KERNEL_SRC_SUITE:-sid}

# The mirror of the system's sources (deb822 or one-line format); deb.debian.org when none is readable.
system_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | grep -v security | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
mirror=${PROGRUN_DEBIAN_MIRROR:-$(system_mirror)}
mirror=${mirror%/}

apt_state=$cache_root/apt-$suite
mkdir -p "$apt_state/etc/preferences.d" "$apt_state/lists/partial" "$apt_state/archives/partial"
: >"$apt_state/status"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" >"$apt_state/etc/sources.list"
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_state/etc/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_state/etc/preferences.d"
  -o "Dir::State::Lists=$apt_state/lists"
  -o "Dir::State::Status=$apt_state/status"
  -o "Dir::Cache=$apt_state"
  -o "Dir::Cache::Archives=$apt_state/archives"
  -o "Acquire::Languages=none"
  -o "Debug::NoLocking=true"
  -o "APT::Sandbox::User=root"
)
# A day-old index is refreshed; otherwise a re-run stays offline.
if [ -z "$(find "$apt_state/lists" -maxdepth 1 -name '*Sources*' -mmin -1440 -print -quit)" ]; then
  apt-get "${apt_opts[@]}" -q update >&2
fi

# The highest version of `linux` in the suite whose upstream tarball the mirror serves (Debian's 7.2.8-1 has
# linux_7.2.8.orig.tar.xz; an rc is 7.3~rc7). The index can list versions the pool no longer (or not yet)
# holds, so each is asked for, newest first.
stanzas=$(apt-cache "${apt_opts[@]}" showsrc --only-source linux)
debian_version=
for v in $(awk '/^Package: / {p = $2} /^Version: / && p == "linux" {print $2}' <<<"$stanzas" | sort -Vr); do
  u=${v#*:}
  u=${u%-*}
  if [ -f "$cache_root/${u//\~/-}/.complete" ] ||
    curl -fsIL -o /dev/null "$mirror/pool/main/l/linux/linux_${u}.orig.tar.xz"; then
    debian_version=$v
    break
  fi
  echo "kernel-source.sh: $suite lists linux $v, the mirror does not serve its tarball; trying older" >&2
done
[ -n "$debian_version" ] || { echo "kernel-source.sh: no linux source tarball of $suite on $mirror" >&2; exit 1; }
stanza=$(awk -v RS= -v v="$debian_version" '$0 ~ "\nVersion: " v "\n" && /^Package: linux\n/' <<<"$stanzas")
upstream=${debian_version#*:}
upstream=${upstream%-*}
orig=linux_${upstream}.orig.tar.xz
expected=$(awk -v f="$orig" '/^Checksums-Sha256:/ {on = 1; next} /^[^ ]/ {on = 0} on && $3 == f {print $1; exit}' <<<"$stanza")
[ -n "$expected" ] || { echo "kernel-source.sh: linux $debian_version lists no $orig" >&2; exit 1; }

dir=$cache_root/${upstream//\~/-}
if [ ! -f "$dir/.complete" ]; then
  tarball=$cache_root/$orig
  if [ ! -f "$tarball" ]; then
    echo "downloading $mirror/pool/main/l/linux/$orig" >&2
    curl -fsSL --retry 3 -o "$tarball.partial" "$mirror/pool/main/l/linux/$orig"
    actual=$(sha256sum "$tarball.partial" | cut -d' ' -f1)
    [ "$expected" = "$actual" ] || { echo "kernel-source.sh: $orig sha256 $actual, the index says $expected" >&2; exit 1; }
    mv "$tarball.partial" "$tarball"
  fi
  rm -rf "$dir.partial"
  mkdir -p "$dir.partial"
  # The tarball's top directory is linux-<upstream>/; only tools/ is kept, and the script that writes
  # libbpf's bpf_helper_defs.h from the UAPI header's helper documentation (the kernel's build generates
  # that header; the tarball does not hold it).
  tar -xJf "$tarball" -C "$dir.partial" --strip-components=1 --wildcards --no-wildcards-match-slash \
    'linux-*/tools' 'linux-*/scripts/bpf_doc.py'
  python3 "$dir.partial/scripts/bpf_doc.py" --header --file "$dir.partial/tools/include/uapi/linux/bpf.h" \
    >"$dir.partial/tools/lib/bpf/bpf_helper_defs.h"
  echo "$debian_version" >"$dir.partial/.debian-version"
  touch "$dir.partial/.complete"
  rm -rf "$dir"
  mv "$dir.partial" "$dir"
  rm -f "$tarball"
fi
echo "$dir"
