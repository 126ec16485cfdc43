#!/usr/bin/env bash
# fetch-httplib-source.sh [CACHE_DIR]: print the path of cpp-httplib's full
# single header (httplib.h) of the version Debian installed, fetching Debian's
# source package once into CACHE_DIR (default ~/.cache/kargo-token).
#
# Why: Debian's libcpp-httplib-dev ships a split header plus a shared library;
# a static release build needs the whole header, which only the source package
# has. apt-get runs with a private source list, list and cache directories, so
# the machine's apt configuration and state are left untouched.
set -euo pipefail
cache=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/kargo-token}
version=$(dpkg-query -W -f='${Version}' libcpp-httplib-dev 2>/dev/null) || {
  echo "fetch-httplib-source: libcpp-httplib-dev is not installed; run tests/install-deps.sh first" >&2
  exit 1
}
src="$cache/cpp-httplib-$version"
if [ -s "$src/httplib.h" ]; then
  echo "$src/httplib.h"
  exit 0
fi
for tool in apt-get dpkg-source; do
  command -v "$tool" >/dev/null || {
    echo "fetch-httplib-source: $tool is missing (apt-get install -y --no-install-recommends dpkg-dev)" >&2
    exit 1
  }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/kt-httplib.XXXXXX")
trap 'rm -rf "$work"' EXIT
mirror=$(bash "$(dirname "$0")/debian-mirror.sh")
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
{
  echo "deb-src [signed-by=$keyring] $mirror bookworm main"
  echo "deb-src [signed-by=$keyring] $mirror bookworm-updates main"
  echo "deb-src [signed-by=$keyring] ${mirror%/debian}/debian-security bookworm-security main"
} >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
          -o Dir::State::status=/var/lib/dpkg/status -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq >&2
(cd "$work" && apt-get "${apt_opts[@]}" source -qq "cpp-httplib=$version" >&2)
header=$(find "$work" -maxdepth 2 -name httplib.h -path '*cpp-httplib-*' | head -n1)
if [ -z "$header" ] || ! grep -q 'class ClientImpl' "$header"; then
  echo "fetch-httplib-source: the source package of cpp-httplib $version has no full httplib.h" >&2
  exit 1
fi
mkdir -p "$src"
cp "$header" "$(dirname "$header")/LICENSE" "$src/"
echo "$src/httplib.h"
