#!/usr/bin/env bash
# Which kernels cuBLASLt runs for vmgpu's library GEMMs and for the cuBLAS
# peer (PyTorch's mm with an f32 result) on the same problem, with their
# times (ncu, gpu__time_duration), to tell an algorithm choice from other
# overheads. From the repository root on the GPU machine:
#
#   benchmarks/device/library_gemm_kernels.sh ARTIFACT_DIR OUTDIR [WORKLOAD...]
#
# WORKLOAD names artifacts of benchmarks/bench.py --compile-artifacts
# (default: gemm_bf16_4096_lib gemm_f16_4096_lib), square GEMMs of 2-byte
# inputs with f32 results; N is read from the name.
set -uo pipefail
artifacts=${1:?usage: library_gemm_kernels.sh ARTIFACT_DIR OUTDIR [WORKLOAD...]}
out=${2:?usage: library_gemm_kernels.sh ARTIFACT_DIR OUTDIR [WORKLOAD...]}
shift 2
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(gemm_bf16_4096_lib gemm_f16_4096_lib)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
metrics=gpu__time_duration.sum
for workload in "${workloads[@]}"; do
  dtype=$(echo "$workload" | cut -d_ -f2)
  n=$(echo "$workload" | cut -d_ -f3)
  artifact=$(ls "$artifacts/$workload".* 2>/dev/null | head -1)
  [ -n "$artifact" ] || { echo "no artifact for $workload in $artifacts" >&2; continue; }
  python3 - "$work" "$dtype" "$n" <<'PY'
import sys, numpy as np
work, dtype, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
rng = np.random.default_rng(1)
for name in ("a", "b"):
    x = rng.standard_normal((n, n), dtype=np.float32)
    if dtype == "bf16":
        x = (x.view(np.uint32) >> 16).astype(np.uint16).view(np.int16)
    else:
        x = x.astype(np.float16)
    np.save("%s/%s.npy" % (work, name), x)
PY
  echo "== vmgpu $workload ($artifact)" | tee -a "$out/kernels.txt"
  ncu --metrics "$metrics" build-bench/bin/vm-gpu-bench "$artifact" \
    --input "$work/a.npy" --input "$work/b.npy" --runs 3 --warmup 1 \
    --kernel-runs 0 --inputs-on device >"$out/$workload-vmgpu.ncu.txt" 2>&1
  grep -E '^\s+[A-Za-z_].*\(|gpu__time_duration' "$out/$workload-vmgpu.ncu.txt" |
    tail -4 | tee -a "$out/kernels.txt"
  echo "== torch mm($dtype, out_dtype=float32) $n" | tee -a "$out/kernels.txt"
  ncu --metrics "$metrics" python3 - "$work" "$dtype" <<'PY' >"$out/$workload-torch.ncu.txt" 2>&1
import sys, numpy as np, torch
work, dtype = sys.argv[1], sys.argv[2]
t = []
for name in ("a", "b"):
    x = torch.from_numpy(np.load("%s/%s.npy" % (work, name))).cuda()
    t.append(x.view(torch.bfloat16) if dtype == "bf16" else x)
for _ in range(3):
    torch.mm(t[0], t[1], out_dtype=torch.float32)
torch.cuda.synchronize()
PY
  grep -E '^\s+[A-Za-z_].*\(|gpu__time_duration' "$out/$workload-torch.ncu.txt" |
    tail -4 | tee -a "$out/kernels.txt"
done
