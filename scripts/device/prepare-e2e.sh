#!/usr/bin/env bash
# Compiles every end-to-end case ahead of time for a GPU machine without LLVM:
# writes build-device/ with vm-gpu-exec, the cases (programs, inputs,
# expected outputs) and one artifact per case (cuda.vmgpu, for
# $VMGPU_CUDA_CHIP; unset: vm-gpu-compile's default chip, the one the
# vm-to-nvvm pipeline uses). $VMGPU_COMPILE_ARGS adds vm-gpu-compile
# options, e.g. --cuda-ptx.
# Then `run` it there with scripts/device/run-e2e.sh (see docs/gpu-path.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${VMGPU_BUILD_DIR:-build}
CHIP=${VMGPU_CUDA_CHIP:-}
OUT=build-device
PYTHON=${VMGPU_PYTHON:-/usr/bin/python3}

rm -rf "$OUT"
mkdir -p "$OUT/bin"
cp "$BUILD/bin/vm-gpu-exec" "$OUT/bin/"
strip "$OUT/bin/vm-gpu-exec"
"$PYTHON" test/e2e/gen_cases.py "$OUT/cases" >/dev/null
cp test/e2e/run_cases.py test/e2e/vmcase.py scripts/device/run-e2e.sh "$OUT/" 2>/dev/null || true

compile_one() {
  local dir=$1
  "$BUILD/bin/vm-gpu-compile" "$dir/prog.mlir" --entry main --target cuda ${VMGPU_COMPILE_ARGS:-} \
    ${CHIP:+--chip "$CHIP"} -o "$dir/cuda.vmgpu" 2>"$dir/compile.log" || true
}
export -f compile_one
export BUILD CHIP VMGPU_COMPILE_ARGS
find "$OUT/cases" -mindepth 1 -maxdepth 1 -type d -print0 |
  xargs -0 -n 1 -P "${VMGPU_JOBS:-2}" bash -c 'compile_one "$0"'
echo "artifacts: $(find "$OUT/cases" -name cuda.vmgpu | wc -l) of $(ls "$OUT/cases" | wc -l) cases"
du -sh "$OUT"
