#!/usr/bin/env bash
# Host mode of relu(a*x+y) on 2^26 f32 on this machine's GPU: vm-gpu-bench
# with pageable, pinned and device inputs against PyTorch's copies of the
# same bytes (3 inputs in, 1 result out: 1 GiB) in the same command, each
# result checked against NumPy. Optionally, e2e case directories run
# through vm-gpu-run --device cuda --no-fallback. docs/runtime.md ("Host
# mode on the H200") has the figures. From the repository root:
#
#   benchmarks/device/host_mode.sh BUNDLE.tar.xz ARTIFACT_DIR [CASES_DIR]
#
# BUNDLE: scripts/bundle's tarball (vm-gpu-bench, vm-gpu-run);
# ARTIFACT_DIR: benchmarks/bench.py --compile-artifacts DIR --scale h200
# --target cuda --workload 'axpy_relu_f32_2\^26$'. Writes JSON under $OUT
# (default: a new temporary directory). Needs python3 with NumPy and
# PyTorch.
set -u
bundle=$(realpath "$1")
artifacts=$(realpath "$2")
cases=${3:-}
here=$(dirname "$(realpath "$0")")
out=${OUT:-$(mktemp -d)}
work=$(mktemp -d)
tar -C "$work" -xJf "$bundle"
bin=$work/vmgpu/bin
cat "$work/vmgpu/README"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader; nproc
python3 "$here/host_mode_torch.py" "$work/in" | tee "$out/torch.json"
artifact="$artifacts/axpy_relu_f32_2^26.cuda.vmgpu"
for mode in pageable pinned device; do
  mkdir -p "$work/o-$mode"
  "$bin/vm-gpu-bench" "$artifact" --input "$work/in/a.npy" \
    --input "$work/in/x.npy" --input "$work/in/y.npy" --inputs-on $mode \
    --warmup 3 --runs 15 --kernel-runs 2 --output-dir "$work/o-$mode" \
    >"$out/bench-$mode.json" 2>"$out/bench-$mode.err"
  echo "vm-gpu-bench $mode rc=$?"; tail -2 "$out/bench-$mode.err"
  python3 "$here/host_mode_check.py" "$out/bench-$mode.json" "$work/o-$mode" \
    "$work/in/expected.npy" | tee -a "$out/summary.jsonl"
done
if [ -n "$cases" ]; then
  printf '#!/usr/bin/env bash\nexec %s/vm-gpu-run "$@" --no-fallback\n' \
    "$bin" >"$work/run-cuda"
  chmod +x "$work/run-cuda"
  python3 test/e2e/run_cases.py --vm-gpu-run "$work/run-cuda" --device cuda \
    "$cases" -j 16 2>&1 | tail -8
fi
