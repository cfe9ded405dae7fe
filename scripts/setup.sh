#!/usr/bin/env bash
# Prepare a fresh Debian bookworm machine (as root) to build, test and run progrun.
# Idempotent: on a machine already set up it installs nothing and only re-checks the build.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n==> %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "setup.sh: run as root (it installs Debian packages)" >&2; exit 1; }
grep -q 'VERSION_CODENAME=bookworm' /etc/os-release ||
  echo "setup.sh: warning: written for Debian bookworm; continuing" >&2

step "System packages (bookworm only)"
mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' scripts/system-packages.txt)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all ${#packages[@]} present"
fi

step "virtme-ng (trixie's .deb through a private apt configuration)"
if command -v vng >/dev/null 2>&1; then
  echo "vng $(vng --version 2>/dev/null | head -1) present"
else
  deb=$(scripts/private-apt.sh trixie "${PROGRUN_CACHE:-$repo_root/.cache}/debs/trixie" virtme-ng)
  dpkg -i "$deb"
fi

step "Kernel source for the ported BPF selftests (sid's newest, tools/ only, cached outside the repository)"
scripts/kernel-source.sh

step "npm dependencies"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.progrun-setup-lock-sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_hash" ]; then
  echo "node_modules matches package-lock.json"
else
  npm ci
  echo "$lock_hash" >"$stamp"
fi

step "The oldest Node.js in engines (the packed-package tests run under it)"
scripts/fetch-oldest-node.sh

step "Build"
npm run build

step "Prebuilt addons (a Debian bullseye root the first time; nothing when the addon's sources are unchanged)"
npm run prebuilds
