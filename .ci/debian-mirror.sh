#!/usr/bin/env bash
# debian-mirror.sh: print the Debian mirror this machine's apt uses (deb822
# or one-line sources), else http://deb.debian.org/debian.
mirror=$(grep -rhoE '^(URIs:|deb)[[:space:]]+https?://[^[:space:]]+/debian([[:space:]]|$)' \
           /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null | awk 'NR == 1 {print $2}')
echo "${mirror:-http://deb.debian.org/debian}"
