#!/usr/bin/env bash
# check-static.sh BINARY...: fail loudly unless every BINARY is a static
# x86-64 ELF that needs nothing but the kernel: no program interpreter
# (PT_INTERP) and no NEEDED shared library.
set -euo pipefail
status=0
for bin in "$@"; do
  if [ ! -f "$bin" ]; then
    echo "check-static: $bin: no such file (did the build produce it?)" >&2
    status=1
    continue
  fi
  header=$(readelf -h "$bin" 2>&1) || { echo "check-static: $bin: not an ELF file" >&2; status=1; continue; }
  if ! grep -q 'Machine:.*X86-64' <<<"$header"; then
    echo "check-static: $bin: not an x86-64 binary" >&2
    status=1
  fi
  interp=$(readelf -lW "$bin" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
  if [ -n "$interp" ] || readelf -lW "$bin" | grep -qw INTERP; then
    echo "check-static: $bin: still needs a dynamic loader (${interp:-PT_INTERP}); link it with -static-pie" >&2
    status=1
  fi
  needed=$(readelf -dW "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
  if [ -n "$needed" ]; then
    echo "check-static: $bin: still needs shared libraries: $needed- link their static archives (shared/static_link.cmake)" >&2
    status=1
  fi
done
exit "$status"
