#!/usr/bin/env bash
# Session 13 device call: full reductions before/after, ncu, e2e of full reductions.
set -u
mkdir -p "$OUT"
nvidia-smi --query-gpu=name --format=csv,noheader
OUT=$OUT/after BENCH_DEADLINE=120 benchmarks/device/run.sh reduction --artifacts build-bench/artifacts-red --peers torch-eager,torch-compile > "$OUT/bench-after-stdout.log" 2>&1
OUT=$OUT/before BENCH_DEADLINE=60 benchmarks/device/run.sh reduction --artifacts build-bench/artifacts-new --workload 'sum_f32|max_f32' --peers none > "$OUT/bench-before-stdout.log" 2>&1
grep -A12 "== summary" "$OUT/bench-after-stdout.log"; grep -A5 "== summary" "$OUT/bench-before-stdout.log"
python3 -c "import numpy as np; np.save('/tmp/x.npy', np.random.default_rng(1).random(2**28, dtype=np.float32))"
for w in sum max; do
  timeout 90 ncu --metrics gpu__time_duration.sum build-bench/bin/vm-gpu-bench "build-bench/artifacts-red/${w}_f32_2^28.cuda.vmgpu" --input /tmp/x.npy --runs 2 --warmup 0 --kernel-runs 0 --inputs-on device > "$OUT/ncu-$w-after.log" 2>&1
  echo "ncu $w"; grep -E "main_kernel|duration" "$OUT/ncu-$w-after.log" | head -8
done
start=$(date +%s)
timeout 200 scripts/device/run-bundle-e2e.sh build-bundle/vmgpu-bundle.tar.xz --filter "^($(paste -sd'|' build-bench/full_cases.txt))\$" -j 14 > "$OUT/e2e-full-reductions.log" 2>&1
echo "e2e exit $? in $(( $(date +%s) - start )) s"; tail -3 "$OUT/e2e-full-reductions.log"
