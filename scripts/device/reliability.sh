#!/usr/bin/env bash
# The GPU machine's part of issue 20 (docs/reliability.md), with the bundled
# tools (VMGPU_BUNDLE_TOOLS="vm-gpu-run vm-gpu-soak" scripts/bundle): the
# soak on the GPU, then compute-sanitizer over the end-to-end cases of each
# code generation strategy. Needs python3 with NumPy and the CUDA toolkit
# (ptxas, libdevice, compute-sanitizer); no LLVM. From the repository root:
#
#   scripts/device/reliability.sh BUNDLE.tar.xz OUTDIR [SOAK_SECONDS]
#
# SANITIZER_CASES (default 16) is how many cases of each strategy run under
# each tool (spread evenly over the strategy's cases: run_cases.py --sample;
# 0 runs them all); RELIABILITY_DEADLINE (seconds from the start, default
# none) skips the sanitizer runs that would start after it, and says so, so
# that one device call returns what finished.
#
# Writes OUTDIR/soak-cuda.log (the soak's counts: wrong, lost and crashes
# must be 0), OUTDIR/sanitizer-<tool>-<strategy>.log (run_cases.py's verdict
# per case, each case one process under compute-sanitizer, exit status 86 on
# any report) and OUTDIR/sanitizer-summary.txt. When compute-sanitizer is
# missing or the runtime refuses it, the summary says so and the soak's
# results stand alone.
set -uo pipefail
bundle=$(realpath "$1")
out=$(realpath -m "$2")
soak_seconds="${3:-300}"
cases_per_run="${SANITIZER_CASES:-16}"
deadline="${RELIABILITY_DEADLINE:-0}"
start=$SECONDS
mkdir -p "$out"
work=$(mktemp -d)
tar -C "$work" -xJf "$bundle"
bin="$work/vmgpu/bin"
export LD_LIBRARY_PATH="$work/vmgpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/gpu.txt"

# 1. The soak: 8 processes x 4 threads on the GPU (one driver call failing
#    per process after the first), the cache corrupted every 200 ms.
"$bin/vm-gpu-soak" --device cuda --seconds "$soak_seconds" --processes 8 \
  --threads-per-process 4 >"$out/soak-cuda.log" 2>"$out/soak-cuda.stderr"
echo "soak exit status: $?" | tee -a "$out/soak-cuda.log"
tail -5 "$out/soak-cuda.log"

# 2. compute-sanitizer: memcheck over every strategy's cases; racecheck and
#    synccheck over the strategies whose kernels use shared memory or
#    barriers (docs/gpu-path.md, "The strategies").
sanitizer=$(command -v compute-sanitizer || ls /usr/local/cuda/bin/compute-sanitizer 2>/dev/null || true)
summary="$out/sanitizer-summary.txt"
if [ -z "$sanitizer" ]; then
  echo "compute-sanitizer: not installed" | tee "$summary"
  exit 0
fi
python3 test/e2e/gen_cases.py "$work/cases" >/dev/null
# Programs that must be refused (bad_*) stay out: under compute-sanitizer
# their exit status is the tool's 255, not vm-gpu-run's 1.
declare -A filters=(
  [vectorized_elementwise]='^(add|sub|mul|div|abs|neg|select|cmp|convert)_'
  [warp_per_row]='^(cg_row|argmax_|argmin_|topk_)'
  [coalesced_columns]='^(cg_col|colreduce_)'
  [two_stage]='^fullreduce_'
  [softmax]='^(?!bad_).*softmax'
  [tiled_simt]='^(matmul|batch_matmul)_'
  [library]='^libgemm_'
  [warp_scan]='^scan_'
  [fallback]='^(pool2d|conv2d|convt|take|gather|sort|transpose)_'
)
shared_memory="warp_per_row coalesced_columns two_stage softmax tiled_simt"
: >"$summary"
run_tool() {
  local tool="$1" strategy="$2"
  if [ "$deadline" -gt 0 ] && [ $((SECONDS - start)) -ge "$deadline" ]; then
    echo "$tool $strategy: skipped (past the ${deadline} s deadline)" | tee -a "$summary"
    return
  fi
  local sample=()
  [ "$cases_per_run" -gt 0 ] && sample=(--sample "$cases_per_run")
  local shim="$work/sanitized-$tool"
  mkdir -p "$work/logs-$tool"
  cat >"$shim" <<SHIM
#!/usr/bin/env bash
exec "$sanitizer" --tool $tool --error-exitcode 86 --target-processes application-only \
  --log-file "$work/logs-$tool/%p.log" "$bin/vm-gpu-run" "\$@" --no-fallback
SHIM
  chmod +x "$shim"
  python3 test/e2e/run_cases.py --vm-gpu-run "$shim" --device cuda \
    --filter "${filters[$strategy]}" "${sample[@]}" -j 4 --timeout 900 "$work/cases" \
    >"$out/sanitizer-$tool-$strategy.log" 2>&1
  local status=$?
  echo "$tool $strategy: exit $status; $(tail -1 "$out/sanitizer-$tool-$strategy.log")" | tee -a "$summary"
}
# A first case tells whether this runtime lets compute-sanitizer attach.
probe_case="$work/cases/add_f32"
if ! "$sanitizer" --tool memcheck "$bin/vm-gpu-run" "$probe_case/prog.mlir" --entry main \
    --device cuda --no-fallback --input "$probe_case/in0.npy" --input "$probe_case/in1.npy" \
    --output-dir "$work/probe" >"$out/sanitizer-probe.log" 2>&1; then
  echo "compute-sanitizer: refused on this machine (see sanitizer-probe.log)" | tee -a "$summary"
  exit 0
fi
for strategy in "${!filters[@]}"; do
  run_tool memcheck "$strategy"
done
for strategy in $shared_memory; do
  run_tool racecheck "$strategy"
  run_tool synccheck "$strategy"
done
# Every log's error summary, for the record.
grep -h 'ERROR SUMMARY' "$work"/logs-*/*.log | sort | uniq -c | tee -a "$summary"
