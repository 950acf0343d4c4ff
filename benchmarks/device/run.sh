#!/usr/bin/env bash
# Runs one group of the benchmark on the GPU machine (through the device
# tool), from the repository root, with what benchmarks/device/prepare.sh
# left in build-bench/ (and, for the compile group, the bundle):
#
#   benchmarks/device/run.sh GROUP [bench.py options]
#
# GROUP is a workload group (elementwise, reduction, gemm, conv, mlp,
# dispatch, transfer, compile) or `quick`. The JSON lines, the raw log and
# the console output go to $OUT (else /tmp/bench-out): append the .jsonl to
# benchmarks/results/ of the same name here (groups of one commit merge
# into one file).
set -uo pipefail
group=${1:?usage: benchmarks/device/run.sh GROUP [bench.py options]}
shift
out=${OUT:-/tmp/bench-out}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=(--mode gpu --artifacts build-bench/artifacts --vm-gpu-bench build-bench/bin/vm-gpu-bench
      --results-dir "$work/results" --work "$work/scratch")
if [ "$group" = quick ]; then
  args+=(--quick)
else
  args+=(--group "$group")
fi
if [ "$group" = compile ] || [ "$group" = quick ]; then
  tar -C "$work" -xJf build-bundle/vmgpu-bundle.tar.xz
  args+=(--vm-gpu-run "$work/vmgpu/bin/vm-gpu-run")
fi
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem --format=csv,noheader || true
PYTHONUNBUFFERED=1 python3 benchmarks/bench.py "${args[@]}" "$@" 2>&1 | tee "$out/console-$group.log"
status=${PIPESTATUS[0]}
for f in "$work"/results/*; do
  [ -e "$f" ] && cp "$f" "$out/$(basename "${f%.*}").$group.${f##*.}"
done
ls -la "$out"
exit "$status"
