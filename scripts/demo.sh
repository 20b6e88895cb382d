#!/usr/bin/env bash
# Install dependencies, build, and launch mmulab on the bundled kernel.
# A window opens when a display is available; otherwise the run is headless
# with the guest console on stdout. Extra arguments go to mmulab.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec build/emu/mmulab "$@"
