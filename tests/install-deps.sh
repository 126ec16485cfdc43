#!/usr/bin/env bash
# install-deps.sh: installs the Debian 12 packages the build and tests need,
# and only those that are missing (apt-get runs only if something is missing).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libyaml-cpp-dev libcli11-dev
  libgtest-dev libgmock-dev
  python3 python3-kubernetes openssl
  ccache wrk python3-yaml
  debootstrap dpkg-dev strace binutils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
