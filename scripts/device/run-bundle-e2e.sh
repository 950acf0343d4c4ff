#!/usr/bin/env bash
# Runs the whole end-to-end suite with the bundled vm-gpu-run (scripts/bundle)
# on this machine's GPU: each case is compiled and run by vm-gpu-run
# --device cuda --no-fallback, so a case that cannot run on the GPU fails
# instead of passing on the CPU. Needs python3 with NumPy and the CUDA
# toolkit (ptxas, libdevice); no LLVM. From the repository root:
#
#   scripts/device/run-bundle-e2e.sh BUNDLE.tar.xz [--large] [run_cases.py arguments]
#
# --large also writes and runs the cases with inputs of gigabytes
# (gen_cases.py --large).
set -euo pipefail
bundle=$(realpath "$1")
shift
gen_args=()
if [ "${1:-}" = --large ]; then
  gen_args=(--large)
  shift
fi
. "$(dirname "${BASH_SOURCE[0]}")/unpack-bundle.sh"
unpack_bundle "$bundle"
echo "bundle: $(cat "$work/vmgpu/README" | head -1)"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
python3 test/e2e/gen_cases.py "$work/cases" "${gen_args[@]}" >/dev/null
python3 test/e2e/run_cases.py --vm-gpu-run "$runner" --device cuda "$work/cases" "$@"
