#!/usr/bin/env bash
# Runs a command chrooted in a Debian root (see debian-root.sh):
#
#   packages/syscall/prebuild/in-root.sh ROOT [--bind HOST:INSIDE]... [--ro-bind HOST:INSIDE]... [--kernel] -- COMMAND...
#
# /proc and /dev are mounted, and with --kernel also /sys and a bpffs on /sys/fs/bpf (what loading and
# running BPF programs needs). Everything is mounted in a private mount namespace, so every mount ends
# with the command, however it ends: nothing is left mounted on the host and the cached root stays clean.
# The environment is reset to PATH, HOME=/root and LC_ALL=C, plus any NAME=VALUE given before COMMAND.
set -euo pipefail

usage="usage: in-root.sh ROOT [--bind HOST:INSIDE]... [--ro-bind HOST:INSIDE]... [--kernel] -- [NAME=VALUE]... COMMAND..."
root=${1:?$usage}
shift
binds=() kernel=0
while [ $# -gt 0 ]; do
  case $1 in
    --bind) binds+=("rw:${2:?$usage}"); shift 2 ;;
    --ro-bind) binds+=("ro:${2:?$usage}"); shift 2 ;;
    --kernel) kernel=1; shift ;;
    --) shift; break ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
[ -d "$root/usr" ] || { echo "in-root.sh: $root is not a root filesystem" >&2; exit 1; }

exec unshare --mount --propagation private bash -euc '
  root=$1 kernel=$2 nbinds=$3
  shift 3
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  if [ "$kernel" = 1 ]; then
    mount -t sysfs sysfs "$root/sys"
    mount -t bpf bpf "$root/sys/fs/bpf"
  fi
  for ((i = 0; i < nbinds; i++)); do
    spec=$1
    shift
    mode=${spec%%:*} rest=${spec#*:}
    host=${rest%%:*} inside=$root/${rest#*:}
    if [ -d "$host" ]; then mkdir -p "$inside"; else mkdir -p "$(dirname "$inside")"; : >>"$inside"; fi
    mount --bind "$host" "$inside"
    [ "$mode" = rw ] || mount -o remount,bind,ro "$inside"
  done
  exec chroot "$root" env -i PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C "$@"
' in-root "$root" "$kernel" "${#binds[@]}" "${binds[@]}" "$@"
