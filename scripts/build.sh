#!/usr/bin/env bash
# build.sh: sets the machine up (setup.sh), configures once, and builds vmgpu.
#
#   scripts/build.sh                 build everything
#   scripts/build.sh vm-gpu-opt ...  build only the named ninja targets
#
# Environment:
#   VMGPU_BUILD_DIR    build directory, relative to the repository (default: build)
#   VMGPU_JOBS         parallel jobs for ninja (default: ninja's own choice)
#   VMGPU_CMAKE_ARGS   extra arguments for the first configure (e.g. -DVMGPU_ENABLE_CUDA=OFF)
#   VMGPU_SKIP_SETUP=1 do not run setup.sh (packages installed some other way)
#
# The configure step runs only when the build directory has no build.ninja:
# after that, ninja re-runs cmake by itself whenever a CMakeLists.txt changes.

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build_dir="${VMGPU_BUILD_DIR:-build}"

if [ "${VMGPU_SKIP_SETUP:-0}" != 1 ]; then
  scripts/setup.sh
fi

# The tests and examples use NumPy; some machines put a python3 without it
# first on PATH (pyenv), so hand cmake the first one that has it.
pick_python() {
  local candidate
  for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import numpy' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -f "$build_dir/build.ninja" ]; then
  echo "build: configuring $build_dir"
  cmake_args=(
    -G Ninja -S . -B "$build_dir"
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
    -DCMAKE_BUILD_TYPE=Release
    -DLLVM_USE_LINKER=lld
  )
  if command -v ccache >/dev/null 2>&1; then
    cmake_args+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  if python="$(pick_python)"; then
    cmake_args+=("-DPython3_EXECUTABLE=$python")
  else
    echo "build: warning: no python3 with NumPy found; tests that need it will fail" >&2
  fi
  # shellcheck disable=SC2206  # VMGPU_CMAKE_ARGS is a word list on purpose
  cmake_args+=(${VMGPU_CMAKE_ARGS:-})
  CC=clang-22 CXX=clang++-22 cmake "${cmake_args[@]}"
fi

ninja_args=(-C "$build_dir")
if [ -n "${VMGPU_JOBS:-}" ]; then
  ninja_args+=(-j "$VMGPU_JOBS")
fi
echo "build: ninja ${ninja_args[*]} $*"
ninja "${ninja_args[@]}" "$@"
