#!/usr/bin/env bash
# The CPU path on the GPU machine's cores (issue 18's second machine): the
# benchmark driver in CPU mode, compiling there (the CPU target uses the
# host's features, so artifacts compiled elsewhere may not run there) with
# a bundle that holds vm-gpu-compile and vm-gpu-bench:
#
#   here:   VMGPU_BUNDLE_TOOLS="vm-gpu-compile vm-gpu-bench" scripts/bundle build-bench/cpu-bundle.tar.xz
#   there:  benchmarks/device/cpu_mode.sh build-bench/cpu-bundle.tar.xz --group gemm [bench.py options]
#           (the run tool with carry ["build-bench"]; about 33 MiB)
#
# The JSON lines and the raw log go to $OUT/cpu (else /tmp/bench-out/cpu)
# as they are measured; no workload starts after $BENCH_DEADLINE seconds
# (default 300); $PYTHON is the Python with NumPy (default python3). The
# machine's CPU model, core count, caches and flags go into $OUT/cpu/lscpu.txt (the
# figures are per machine).
set -uo pipefail
bundle=${1:?usage: benchmarks/device/cpu_mode.sh CPU-BUNDLE.tar.xz [bench.py options]}
shift
out=${OUT:-/tmp/bench-out}/cpu
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xJf "$bundle" || exit 1
for tool in vm-gpu-compile vm-gpu-bench; do
  [ -x "$work/vmgpu/bin/$tool" ] || { echo "cpu_mode.sh: $bundle has no $tool" >&2; exit 1; }
done
lscpu | grep -E '^(Model name|Model:|CPU\(s\)|Thread|Core|Socket|Hypervisor|L[123]|Flags)' > "$out/lscpu.txt" || true
# Which BLAS the library strategy can load there (VMGPU_BLAS_LIBRARY, else
# libopenblas.so.0): without one its `_lib` rows are the generated code's.
{
  echo "VMGPU_BLAS_LIBRARY=${VMGPU_BLAS_LIBRARY:-}"
  ldconfig -p 2>/dev/null | grep -E 'libopenblas|libblis' || echo "no libopenblas/libblis in the loader cache"
} >> "$out/lscpu.txt"
cat "$out/lscpu.txt"
# The figures are the bundle's: its commit names them (the checkout there
# may be another; a --commit among the options still wins).
commit=$(sed -n 's/^vmgpu tools built .* from \([0-9a-f][0-9a-f-]*[0-9a-z]\)\.$/\1/p' "$work/vmgpu/README" | head -n 1)
PYTHONUNBUFFERED=1 "${PYTHON:-python3}" benchmarks/bench.py --mode cpu \
  --vm-gpu-compile "$work/vmgpu/bin/vm-gpu-compile" --vm-gpu-bench "$work/vmgpu/bin/vm-gpu-bench" \
  --results-dir "$out" --work "$work/scratch" --deadline "${BENCH_DEADLINE:-300}" \
  ${commit:+--commit "$commit"} "$@"
