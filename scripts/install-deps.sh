#!/usr/bin/env bash
# Install everything mmulab needs to build, run and test on Debian 12.
# Debian packages only; safe to run again (apt-get skips what is there).
set -euo pipefail

PKGS=(
  meson ninja-build pkg-config gcc gcc-multilib binutils python3
  libsdl2-dev libsdl2-ttf-dev fonts-dejavu-core   # the window and its font
  libcapstone-dev                                  # disassembly, length checks
  libelf-dev                                       # ELF/Multiboot loading, symbols
  libcriterion-dev                                 # unit tests
  zlib1g-dev                                       # compressed conformance corpus
)
# The reference emulator for differential tests (used by
# the test suite when present).
OPTIONAL=(qemu-system-x86 gnuplot-nox)   # gnuplot: bench/run.py charts

missing=()
for p in "${PKGS[@]}" "${OPTIONAL[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
