#!/usr/bin/env bash
# Session 13 device call 5: full reductions at 39075a6 (guarded stage-2 tail)
# against 1d5de79 and d77236d in one run; ncu; e2e of full reductions;
# determinism of the reductions over 5 runs.
set -u
mkdir -p "$OUT"
nvidia-smi --query-gpu=name --format=csv,noheader
OUT=$OUT/after BENCH_DEADLINE=60 benchmarks/device/run.sh reduction --artifacts build-bench/artifacts-red2 --workload 'sum_f32|max_f32' --peers torch-eager,torch-compile > "$OUT/bench-39075a6-stdout.log" 2>&1
OUT=$OUT/mid BENCH_DEADLINE=40 benchmarks/device/run.sh reduction --artifacts build-bench/artifacts-red --workload 'sum_f32|max_f32' --peers none > "$OUT/bench-1d5de79-stdout.log" 2>&1
OUT=$OUT/before BENCH_DEADLINE=40 benchmarks/device/run.sh reduction --artifacts build-bench/artifacts-new --workload 'sum_f32|max_f32' --peers none > "$OUT/bench-d77236d-stdout.log" 2>&1
for f in 39075a6 1d5de79 d77236d; do echo "== $f"; grep -A3 "== summary" "$OUT/bench-$f-stdout.log" | tail -2; done
python3 -c "import numpy as np; np.save('/tmp/x.npy', np.random.default_rng(1).random(2**28, dtype=np.float32))"
for w in sum max; do
  timeout 90 ncu --metrics gpu__time_duration.sum build-bench/bin/vm-gpu-bench "build-bench/artifacts-red2/${w}_f32_2^28.cuda.vmgpu" --input /tmp/x.npy --runs 2 --warmup 0 --kernel-runs 0 --inputs-on device > "$OUT/ncu-$w-39075a6.log" 2>&1
  echo "ncu $w"; grep -E "duration" "$OUT/ncu-$w-39075a6.log" | head -4
done
start=$(date +%s)
timeout 150 scripts/device/run-bundle-e2e.sh build-bundle/vmgpu-bundle.tar.xz --filter "^($(paste -sd'|' build-bench/full_cases.txt))\$" -j 14 > "$OUT/e2e-full-reductions-39075a6.log" 2>&1
echo "e2e exit $? in $(( $(date +%s) - start )) s"; tail -1 "$OUT/e2e-full-reductions-39075a6.log"
work=$(mktemp -d); tar -C "$work" -xJf build-bundle/vmgpu-bundle.tar.xz
timeout 60 python3 test/e2e/check_determinism.py --vm-gpu-run "$work/vmgpu/bin/vm-gpu-run" --device cuda --no-fallback --runs 5 > "$OUT/determinism-39075a6.log" 2>&1
echo "determinism exit $?"; tail -3 "$OUT/determinism-39075a6.log"
