#!/usr/bin/env bash
# Prints the Debian mirror the machine's own apt sources use (the first non-security deb.debian.org-
# style URI), or $PROGRUN_DEBIAN_MIRROR, or deb.debian.org: the roots are made from it, so no other
# source is ever added to the system.
set -euo pipefail

mirror=${PROGRUN_DEBIAN_MIRROR:-$(
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ' || true
)}
echo "${mirror:-http://deb.debian.org/debian}"
