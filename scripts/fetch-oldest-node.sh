#!/usr/bin/env bash
# Fetches the oldest Node.js the packages' `engines` allow (from the npm registry's node-linux-<arch>
# package) into ${PROGRUN_CACHE:-.cache}/node/v<version>-linux-<arch>, where the packed-package tests
# run the packages under it. Idempotent; prints the node binary's path.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(node -p "require('$repo_root/packages/uapi/package.json').engines.node.match(/\\d+\\.\\d+\\.\\d+/)[0]")
arch=$(node -p process.arch)
dir="${PROGRUN_CACHE:-$repo_root/.cache}/node/v$version-linux-$arch"
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  npm pack --silent "node-linux-$arch@$version" --pack-destination "$tmp" >/dev/null
  mkdir -p "$dir"
  tar xzf "$tmp"/node-linux-"$arch"-"$version".tgz -C "$dir" --strip-components=1 package/bin/node package/LICENSE
fi
echo "$dir/bin/node"
