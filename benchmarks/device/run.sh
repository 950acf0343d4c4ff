#!/usr/bin/env bash
# Runs one group of the benchmark on the GPU machine (through the device
# tool), from the repository root, with what benchmarks/device/prepare.sh
# left in build-bench/ (and, for the compile and quick groups, the bundle):
#
#   benchmarks/device/run.sh GROUP [bench.py options]
#
# GROUP is a workload group (elementwise, reduction, gemm, gemm-half, conv,
# mlp, dispatch, transfer, compile) or `quick`. The JSON lines and the raw
# log are written into $OUT (else /tmp/bench-out) as they are measured, so a
# command stopped at its limit still returns them; no workload starts after
# $BENCH_DEADLINE seconds (default 480). Append the .jsonl and .log to the
# files of the same name in benchmarks/results/ (the groups of one commit
# make one result set).
set -uo pipefail
group=${1:?usage: benchmarks/device/run.sh GROUP [bench.py options]}
shift
out=${OUT:-/tmp/bench-out}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--mode gpu --artifacts build-bench/artifacts --vm-gpu-bench build-bench/bin/vm-gpu-bench
      --results-dir "$out" --work "$work/scratch" --deadline "${BENCH_DEADLINE:-480}")
if [ "$group" = quick ]; then
  args+=(--quick)
else
  args+=(--group "$group")
fi
# The compile group (first or named by a later --group) and --quick run
# vm-gpu-run from the bundle.
needs_bundle=0
[ "$group" = compile ] || [ "$group" = quick ] && needs_bundle=1
previous=
for arg in "$@"; do
  { [ "$previous" = --group ] && [ "$arg" = compile ]; } || [ "$arg" = --group=compile ] && needs_bundle=1
  previous=$arg
done
if [ "$needs_bundle" = 1 ]; then
  tar -C "$work" -xJf build-bundle/vmgpu-bundle.tar.xz
  args+=(--vm-gpu-run "$work/vmgpu/bin/vm-gpu-run")
fi
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv,noheader || true
PYTHONUNBUFFERED=1 python3 benchmarks/bench.py "${args[@]}" "$@"
