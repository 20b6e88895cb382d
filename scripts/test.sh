#!/usr/bin/env bash
# Build and run every test: the normal build, then the ASan+UBSan build.
# Usage: scripts/test.sh            (installs dependencies first)
#        SKIP_DEPS=1 scripts/test.sh
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SKIP_DEPS:-}" ]; then
  scripts/install-deps.sh || { echo "mmulab: installing dependencies failed" >&2; exit 1; }
fi

total_pass=0
total_fail=0
status=0

# run_suite NAME BUILDDIR [meson setup options...]
run_suite() {
  local name=$1 dir=$2; shift 2
  echo "=== $name build ($dir) ==="
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; status=1; return; }
  fi
  if ! ninja -C "$dir" >"$dir.ninja.log" 2>&1; then
    tail -50 "$dir.ninja.log"; echo "mmulab: $name build failed"; status=1; return
  fi
  echo "=== $name tests ==="
  meson test -C "$dir" --print-errorlogs --num-processes 2 2>&1 | tee "$dir.test.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=1
  # meson's summary: "Ok: N", "Fail: N", "Expected Fail", "Skipped", "Timeout".
  local ok fail to
  ok=$(grep -E '^Ok:' "$dir.test.log" | awk '{print $2}' | tail -1)
  fail=$(grep -E '^Fail:' "$dir.test.log" | awk '{print $2}' | tail -1)
  to=$(grep -E '^Timeout:' "$dir.test.log" | awk '{print $2}' | tail -1)
  total_pass=$((total_pass + ${ok:-0}))
  total_fail=$((total_fail + ${fail:-0} + ${to:-0}))
}

run_suite "release" build
run_suite "asan+ubsan" build-asan -Db_sanitize=address,undefined -Db_lundef=false

echo
echo "$total_pass passed, $total_fail failed"
exit $status
