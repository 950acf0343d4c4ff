#!/usr/bin/env bash
# The first call of a session on the GPU machine: proves the integrated tree
# there in one device call (about 10 minutes at most), most important first,
# so that what finishes before the call's limit is what matters most. From
# the repository root, with a bundle from scripts/bundle:
#
#   scripts/device/first-check.sh BUNDLE.tar.xz OUTDIR [SECONDS]
#
# SECONDS (default 560) is the budget: each step gets what is left, and a
# step that does not fit is skipped and says so. FIRST_CHECK_STEPS (default
# "e2e tensor-cores generated determinism") names the steps to run, e.g. the
# ones a previous call had no time for; E2E_SHARD=K/N runs only the K-th of
# N interleaved parts of the e2e step (shorter calls: a machine taken back
# mid-call returns nothing; at 96e2d23 half of the suite took more than 239 s
# on an H100 and a third more than 155 s, so give a half 300 s or more);
# E2E_FILTER=REGEX runs only the e2e cases whose
# names match (the ones a change touches, when time is short). The device
# tool runs commands in the
# session's own checkout, not in a worktree: the bundle must be there
# (build-bundle/ is ignored by git, so carry it). Writes into OUTDIR:
#   e2e.log          every e2e case, --device cuda --no-fallback, defaults
#                    (engine `auto`: cuBLASLt from 64^3, tiled_simt below)
#   tensor-cores.log the contraction cases, generated, with the tensor cores
#                    (mma_sync; on by default since they passed here)
#   generated.log    the same cases, generated, VMGPU_TENSOR_CORES=0
#                    (tiled_simt)
#   determinism.log  reductions' bits over 5 runs (check_determinism.py)
#   summary.txt      one line per step
set -uo pipefail
bundle=$(realpath "$1")
out=$(realpath -m "$2")
budget="${3:-560}"
mkdir -p "$out"
start=$SECONDS
. "$(dirname "${BASH_SOURCE[0]}")/unpack-bundle.sh"
unpack_bundle "$bundle"
summary="$out/summary.txt"
{
  echo "bundle: $(head -1 "$work/vmgpu/README")"
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
} | tee "$summary"
python3 test/e2e/gen_cases.py "$work/cases" >/dev/null
contractions='(matmul|gemm|conv|mlp|contraction|cg_mm|epi_|linear|gc_)'

left() { echo $((budget - (SECONDS - start))); }

# step NAME MIN_SECONDS COMMAND...: runs COMMAND under the time left,
# output into OUTDIR/NAME.log, and records its verdict line.
steps=" ${FIRST_CHECK_STEPS:-e2e tensor-cores generated determinism} "
step() {
  local name=$1 need=$2
  shift 2
  case "$steps" in *" $name "*) ;; *) return ;; esac
  local remaining
  remaining=$(left)
  if [ "$remaining" -lt "$need" ]; then
    echo "$name: skipped ($remaining s left, needs $need)" | tee -a "$summary"
    return
  fi
  local t0=$SECONDS
  timeout "$remaining" "$@" >"$out/$name.log" 2>&1
  local status=$?
  echo "$name: exit $status in $((SECONDS - t0)) s; $(tail -1 "$out/$name.log")" |
    tee -a "$summary"
}

shard=()
[ -n "${E2E_SHARD:-}" ] && shard=(--shard "$E2E_SHARD")
[ -n "${E2E_FILTER:-}" ] && shard+=(--filter "$E2E_FILTER")
step e2e 60 python3 test/e2e/run_cases.py --vm-gpu-run "$runner" \
  --device cuda -j 16 --timeout 100 "${shard[@]}" "$work/cases"
step tensor-cores 30 env VMGPU_TENSOR_CORES=1 python3 test/e2e/run_cases.py \
  --vm-gpu-run "$runner" --device cuda -j 16 --timeout 100 -v \
  --filter "$contractions" --extra-arg=--contraction-strategy=generated \
  "$work/cases"
step generated 30 env VMGPU_TENSOR_CORES=0 python3 test/e2e/run_cases.py \
  --vm-gpu-run "$runner" \
  --device cuda -j 16 --timeout 100 --filter "$contractions" \
  --extra-arg=--contraction-strategy=generated "$work/cases"
step determinism 20 python3 test/e2e/check_determinism.py \
  --vm-gpu-run "$work/vmgpu/bin/vm-gpu-run" --device cuda --no-fallback \
  --runs 5
echo "total: $((SECONDS - start)) s" | tee -a "$summary"
