#!/usr/bin/env bash
# run.sh: builds vmgpu and walks through every program in examples/.
#
# For each examples/NAME.mlir:
#   1. vm-gpu-opt parses and verifies it and prints the IR back;
#   2. when vm-gpu-opt has the vm-to-linalg pass, the IR after it is printed;
#   3. when vm-gpu-run has been built, @main runs on inputs (--device auto,
#      or $VMGPU_DEVICE) and the results and the metrics JSON are printed.
#      Inputs are examples/NAME.inputs/in0.npy, in1.npy, ... when that
#      folder exists, else seeded random ones made by scripts/gen_inputs.py
#      into <build>/examples/NAME/inputs. Results go to
#      <build>/examples/NAME/out.
# Ends with a summary line; exits non-zero when any step failed.
#
#   scripts/run.sh                 every example
#   scripts/run.sh examples/mlp.mlir ...   only these
#
# Environment: as build.sh (VMGPU_BUILD_DIR, VMGPU_JOBS, ...), plus
# VMGPU_DEVICE (default auto) and VMGPU_SKIP_BUILD=1 to use the build as is.

set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1
build_dir="${VMGPU_BUILD_DIR:-build}"
opt="$build_dir/bin/vm-gpu-opt"
runner="$build_dir/bin/vm-gpu-run"
device="${VMGPU_DEVICE:-auto}"

if [ "${VMGPU_SKIP_BUILD:-0}" != 1 ]; then
  if ! scripts/build.sh; then
    echo
    echo "=== summary"
    echo "the build failed; no example was run (VMGPU_SKIP_BUILD=1 uses the last build as it is)"
    exit 1
  fi
fi
if [ ! -x "$opt" ]; then
  echo "run: $opt is missing; build it with scripts/build.sh" >&2
  exit 1
fi

# NumPy prints the results; take the first python3 that has it.
python=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import numpy' >/dev/null 2>&1; then
    python="$candidate"
    break
  fi
done

have_linalg=0
# Read the whole help first: `grep -q` on a pipe would stop reading early and,
# with pipefail, the writer's SIGPIPE would read as "no such pass".
opt_help="$("$opt" --help 2>/dev/null)"
if grep -q -- '--vm-to-linalg' <<<"$opt_help"; then
  have_linalg=1
fi
have_runner=0
if [ -x "$runner" ]; then
  have_runner=1
  if [ -z "$python" ]; then
    echo "run: warning: no python3 with NumPy; results and inputs are skipped" >&2
  fi
fi

if [ $# -gt 0 ]; then
  programs=("$@")
else
  programs=(examples/*.mlir)
fi

total=0 verified=0 lowered=0 ran=0
failures=()

section() { printf '\n--- %s\n' "$*"; }

run_example() {
  local program="$1" name dir inputs_dir out
  name="$(basename "$program" .mlir)"
  printf '\n=== %s\n' "$program"

  section "vm-gpu-opt $program (parse, verify, print)"
  if ! "$opt" "$program"; then
    failures+=("$name: vm-gpu-opt rejected it")
    return
  fi
  verified=$((verified + 1))

  if [ "$have_linalg" = 1 ]; then
    section "vm-gpu-opt --vm-to-linalg $program"
    if "$opt" --vm-to-linalg "$program"; then
      lowered=$((lowered + 1))
    else
      failures+=("$name: --vm-to-linalg failed")
    fi
  fi

  if [ "$have_runner" = 0 ] || [ -z "$python" ]; then
    return
  fi

  dir="$build_dir/examples/$name"
  inputs_dir="examples/$name.inputs"
  if ! compgen -G "$inputs_dir/in*.npy" >/dev/null; then
    inputs_dir="$dir/inputs"
    rm -rf "$inputs_dir"
    section "inputs for @main (seeded random, in $inputs_dir)"
    if ! "$python" scripts/gen_inputs.py --opt "$opt" --out "$inputs_dir" "$program"; then
      failures+=("$name: could not make inputs")
      return
    fi
  fi
  local input_args=() outputs=() file
  # in0, in1, ..., in10 in numeric order.
  while IFS= read -r file; do
    input_args+=(--input "$file")
  done < <(printf '%s\n' "$inputs_dir"/in*.npy | sort -V)

  out="$dir/out"
  rm -rf "$out"
  mkdir -p "$out"
  section "vm-gpu-run $program --entry main --device $device"
  if ! "$runner" "$program" --entry main --device "$device" "${input_args[@]}" \
        --output-dir "$out" --metrics-json "$dir/metrics.json"; then
    failures+=("$name: vm-gpu-run failed")
    return
  fi
  ran=$((ran + 1))

  section "results ($out)"
  if compgen -G "$out/out*.npy" >/dev/null; then
    mapfile -t outputs < <(printf '%s\n' "$out"/out*.npy | sort -V)
  fi
  "$python" -c '
import os, sys, numpy as np
np.set_printoptions(precision=4, suppress=True, linewidth=100)
for path in sys.argv[1:]:
    a = np.load(path)
    print(f"{os.path.basename(path)}: {a.dtype}{list(a.shape)}")
    if a.size <= 64:
        print(a)
    else:
        flat = a.reshape(-1)
        print(f"first 8 of {a.size}: {flat[:8]}")
        if a.dtype != np.bool_:
            print(f"min {flat.min():.6g}  max {flat.max():.6g}  mean {flat.astype(np.float64).mean():.6g}")
if len(sys.argv) == 1:
    print("(no out*.npy written)")
' "${outputs[@]}"
  section "metrics ($dir/metrics.json)"
  if [ -f "$dir/metrics.json" ]; then
    "$python" -m json.tool "$dir/metrics.json" 2>/dev/null || cat "$dir/metrics.json"
  else
    echo "(no metrics written)"
  fi
}

for program in "${programs[@]}"; do
  total=$((total + 1))
  run_example "$program"
done

echo
echo "=== summary"
if [ "$have_linalg" = 0 ]; then
  echo "note: vm-gpu-opt has no --vm-to-linalg pass yet; lowering skipped"
fi
if [ "$have_runner" = 0 ]; then
  echo "note: $runner is not built yet; execution skipped"
fi
for failure in "${failures[@]}"; do
  echo "FAILED: $failure"
done
line="$total examples: $verified verified"
[ "$have_linalg" = 1 ] && line+=", $lowered lowered to linalg"
[ "$have_runner" = 1 ] && line+=", $ran ran on device '$device'"
line+=", ${#failures[@]} failed"
echo "$line"
[ ${#failures[@]} -eq 0 ]
