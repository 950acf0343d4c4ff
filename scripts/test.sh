#!/usr/bin/env bash
# test.sh: builds vmgpu and runs its whole test suite (`check-vmgpu`).
#
# check-vmgpu is one lit run over every tier: the FileCheck tests under test/,
# the GoogleTest binaries in <build>/test/unit and the end-to-end numerical
# tests. Exits non-zero when the build or any test fails.
#
# Environment: as build.sh (VMGPU_BUILD_DIR, VMGPU_JOBS, ...); CI=true only
# changes the banner.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${VMGPU_BUILD_DIR:-build}"

if [ "${CI:-}" = true ]; then
  echo "=== vmgpu CI: $(git rev-parse --short HEAD 2>/dev/null || echo 'no git') on $(uname -srm), $(nproc) cores"
else
  echo "=== vmgpu tests"
fi

start=$SECONDS
status=0
scripts/build.sh || status=$?
if [ "$status" -ne 0 ]; then
  echo "=== FAILED: the build failed (exit $status) after $((SECONDS - start)) s" >&2
  exit "$status"
fi

jobs_args=()
if [ -n "${VMGPU_JOBS:-}" ]; then
  jobs_args=(-j "$VMGPU_JOBS")
fi
ninja -C "$build_dir" "${jobs_args[@]}" check-vmgpu || status=$?
if [ "$status" -ne 0 ]; then
  echo "=== FAILED: check-vmgpu failed (exit $status) after $((SECONDS - start)) s" >&2
  exit "$status"
fi
echo "=== PASSED: build and check-vmgpu in $((SECONDS - start)) s"
