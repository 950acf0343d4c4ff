#!/usr/bin/env bash
# Issue 12's program on the GPU through the bundled vm-gpu-run: the max over
# dim 0 of a 40001x3 f32 tensor, with --device cuda --no-fallback. Prints the
# exit status, the number of kernel launches (VMGPU_TRACE_GPU=1; 40,001
# before the fix) and compute-sanitizer's verdict when it is installed. From
# the repository root, on the GPU machine:
#
#   scripts/device/reduction-check.sh BUNDLE.tar.xz
set -uo pipefail
bundle=$(realpath "$1")
work=$(mktemp -d)
tar -C "$work" -xJf "$bundle"
run="$work/vmgpu/bin/vm-gpu-run"
python3 test/e2e/gen_cases.py "$work/cases" --filter issue12 >/dev/null
case_dir="$work/cases/colreduce_issue12_max_f32_40001x3"
args=("$case_dir/prog.mlir" --entry main --device cuda --no-fallback
      --input "$case_dir/in0.npy" --output-dir "$work/out" --metrics-json "$work/metrics.json")
VMGPU_TRACE_GPU=1 "$run" "${args[@]}" 2>"$work/trace.txt"
echo "vm-gpu-run exit status: $?"
echo "kernel launches: $(grep -c ' launch ' "$work/trace.txt")"
python3 - "$work/out/out0.npy" "$case_dir/expected/out0.npy" <<'PY'
import sys, numpy as np
got, want = np.load(sys.argv[1]), np.load(sys.argv[2])
print("result equals numpy's max:", bool(np.array_equal(got, want)), got)
PY
if command -v compute-sanitizer >/dev/null; then
  compute-sanitizer --print-limit 5 "$run" "${args[@]}" 2>&1 | tail -3
fi
