#!/usr/bin/env bash
# Checks prebuilt addons: packages/syscall/prebuild/check.sh FILE.node...
#   - the highest glibc symbol version they need is at most 2.31 (Debian 11, Ubuntu 20.04), and
#   - they need (NEEDED) only glibc's libraries and the C++ runtime: libbpf, libelf and zlib are inside.
# Reads the dynamic symbol table with readelf, which reads any architecture's ELF (objdump -T shows
# the same versions for the host's own).
set -euo pipefail

floor=2.31
allowed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux-(x86-64|aarch64)\.so\.[12])$'
[ $# -gt 0 ] || { echo "usage: check.sh FILE.node..." >&2; exit 2; }
status=0
for file in "$@"; do
  highest=$(readelf --dyn-syms -W "$file" | grep -oE '@GLIBC_[0-9]+(\.[0-9]+)+' | cut -d_ -f2 | sort -uV | tail -1)
  needed=$(readelf -d "$file" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  extra=$(grep -vE "$allowed" <<<"$needed" || true)
  if [ "$(printf '%s\n%s\n' "$highest" "$floor" | sort -V | tail -1)" != "$floor" ]; then
    echo "$file: needs GLIBC_$highest, above the floor $floor" >&2
    status=1
  fi
  if [ -n "$extra" ]; then
    echo "$file: needs libraries that are neither glibc nor the C++ runtime: $(echo $extra)" >&2
    status=1
  fi
  echo "$file: highest GLIBC_$highest; NEEDED $(echo $needed)"
done
exit $status
