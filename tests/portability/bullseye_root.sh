#!/usr/bin/env bash
# bullseye_root.sh ROOT: make sure ROOT is a Debian 11 (bullseye, glibc 2.31)
# root made by debootstrap, creating it on the first run (~100 MB from the
# Debian mirror the machine uses) and reusing it afterwards. Keep ROOT outside
# the clone (the portability test uses /var/cache/kargo-token/bullseye-amd64).
# Exit 77 (CTest skip) where the root cannot be made here: not root, no
# debootstrap or chroot, or no route to the mirror.
set -euo pipefail
root=${1:?usage: bullseye_root.sh ROOT}
skip() { echo "SKIP: $*"; exit 77; }

if [ -f "$root/.kt-root-complete" ]; then
  exit 0
fi
[ "$(id -u)" = 0 ] || skip "making a debootstrap root and chroot into it needs root"
command -v chroot >/dev/null || skip "chroot is missing"
command -v debootstrap >/dev/null ||
  skip "debootstrap is missing (apt-get install -y --no-install-recommends debootstrap)"

mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9  # one debootstrap at a time; the others then find the finished root
if [ -f "$root/.kt-root-complete" ]; then
  exit 0
fi
mirror=$(bash "$(dirname "$0")/../../.ci/debian-mirror.sh")
partial="$root.partial"
rm -rf "$partial"
echo "bullseye_root: debootstrap --variant=minbase bullseye $root from $mirror (first run only)"
if ! debootstrap --variant=minbase bullseye "$partial" "$mirror" >"$root.debootstrap.log" 2>&1; then
  tail -n 5 "$root.debootstrap.log"
  rm -rf "$partial"
  if grep -qiE 'Failed getting release file|Temporary failure resolving|Could not resolve|Connection refused|Network is unreachable' \
       "$root.debootstrap.log"; then
    skip "the Debian mirror $mirror is unreachable; debootstrap log: $root.debootstrap.log"
  fi
  echo "FAIL: debootstrap failed; see $root.debootstrap.log" >&2
  exit 1
fi
rm -rf "$root"
mv "$partial" "$root"
date -u +%FT%TZ >"$root/.kt-root-complete"
