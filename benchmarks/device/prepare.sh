#!/usr/bin/env bash
# Prepares what benchmarks/device/run.sh needs on the GPU machine, which has
# no LLVM: on this machine, after a build with vm-gpu-compile
# (scripts/build.sh vm-gpu-compile), it
#
#   1. builds the portable bundle (scripts/bundle: libvmgpu.so with LLVM
#      inside, vm-gpu-run over it, vm-gpu-exec, vm-gpu-bench) unless
#      VMGPU_BENCH_SKIP_BUNDLE=1;
#   2. copies the bundle's vm-gpu-bench to build-bench/bin/ (the groups
#      other than `compile` need nothing else of it);
#   3. compiles every workload at the H200 sizes with vm-gpu-compile
#      --target cuda --chip $VMGPU_CUDA_CHIP (default sm_90a) into
#      build-bench/artifacts/, with a manifest (commit, chip, the SHA-256 of
#      each program) that bench.py checks there.
#
# Inputs are not carried: bench.py makes them from seeds on the GPU machine.
# Carry build-bench (about 3 MiB), and for the compile group also
# build-bundle/vmgpu-bundle.tar.xz (about 32 MiB).
#
#   benchmarks/device/prepare.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${VMGPU_BUILD_DIR:-build}
CHIP=${VMGPU_CUDA_CHIP:-sm_90a}
PYTHON=${VMGPU_PYTHON:-/usr/bin/python3}
OUT=build-bench

if [ "${VMGPU_BENCH_SKIP_BUNDLE:-0}" != 1 ]; then
  scripts/bundle
fi
stage=build-bundle/stage/vmgpu
if [ ! -x "$stage/bin/vm-gpu-bench" ]; then
  echo "prepare: $stage/bin/vm-gpu-bench is missing: run scripts/bundle" >&2
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT/bin"
cp "$stage/bin/vm-gpu-bench" "$OUT/bin/"
"$PYTHON" benchmarks/bench.py --compile-artifacts "$OUT/artifacts" --scale h200 \
  --target cuda --chip "$CHIP" --vm-gpu-compile "$BUILD/bin/vm-gpu-compile" \
  --jobs "${VMGPU_JOBS:-2}"
du -sh "$OUT" build-bundle/vmgpu-bundle.tar.xz 2>/dev/null || true
