#!/usr/bin/env bash
# One-off device run for the session's integration check (not committed).
set -u
S=$(date +%s)
B=build-bundle/vmgpu-bundle.tar.xz
scripts/device/run-bundle-e2e.sh $B -j 16 > $OUT/e2e.log 2>&1
echo "e2e rc=$? $(( $(date +%s)-S ))s"; tail -2 $OUT/e2e.log
grep -vE "^PASS" $OUT/e2e.log | head -40
work=$(mktemp -d); tar -C $work -xJf $B
timeout 120 python3 test/e2e/check_determinism.py --vm-gpu-run $work/vmgpu/bin/vm-gpu-run --device cuda --no-fallback --runs 5 > $OUT/determinism.log 2>&1
echo "determinism rc=$?"; tail -4 $OUT/determinism.log
L=$((560-($(date +%s)-S))); echo "bench deadline $L"
BENCH_DEADLINE=$L benchmarks/device/run.sh elementwise --group reduction --group dispatch --group transfer > $OUT/bench.txt 2>&1
echo "bench rc=$? total $(($(date +%s)-S))s"
grep -A40 "== summary" $OUT/bench.txt | head -40
