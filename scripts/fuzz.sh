#!/usr/bin/env bash
# fuzz.sh: builds vmgpu's libFuzzer targets (test/fuzz) and runs each for a
# bounded time on corpora seeded from the tests.
#
#   scripts/fuzz.sh                      build, seed, run every target 60 s
#   scripts/fuzz.sh npy compile          only these targets
#   scripts/fuzz.sh --build-only         configure and build, run nothing
#   scripts/fuzz.sh --seed-only          build and write the seed corpora
#
# Targets: compile (parser, verifier, vm-to-linalg, each pipeline down to
# code generation, chosen by the first byte), npy, artifact, disk-cache,
# capi. A finding (crash, sanitizer report, broken invariant, timeout, OOM)
# is written to <work>/findings/<target>/ and makes the script exit 1.
#
# Environment:
#   VMGPU_FUZZ_BUILD_DIR  build directory (default build-fuzz): configured with
#                         -DVMGPU_FUZZ=ON (ASan + UBSan + coverage on every target)
#   VMGPU_FUZZ_WORK       corpora and findings (default <build>/fuzz-work)
#   VMGPU_FUZZ_SECONDS    time per target (default 60)
#   VMGPU_FUZZ_JOBS       libFuzzer workers per target (default 1)
#   VMGPU_JOBS            parallel build jobs (default ninja's)

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${VMGPU_FUZZ_BUILD_DIR:-build-fuzz}"
work="${VMGPU_FUZZ_WORK:-$build_dir/fuzz-work}"
seconds="${VMGPU_FUZZ_SECONDS:-60}"
workers="${VMGPU_FUZZ_JOBS:-1}"
all_targets=(compile npy artifact disk-cache capi)

mode=run
targets=()
for arg in "$@"; do
  case "$arg" in
    --build-only) mode=build ;;
    --seed-only) mode=seed ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) targets+=("$arg") ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

log() { echo "fuzz: $*"; }

# The seed writers and the end-to-end case generator need NumPy, which the
# first python3 on PATH may lack (pyenv): the first Python that has it.
python=
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import numpy' >/dev/null 2>&1; then
    python="$(command -v "$candidate")"
    break
  fi
done

if [ ! -f "$build_dir/build.ninja" ]; then
  log "configuring $build_dir"
  launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  # -O1: sanitizers slow -O3 builds down more than the code they speed up.
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S . -B "$build_dir" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" \
    -DLLVM_USE_LINKER=lld -DPython3_EXECUTABLE=/usr/bin/python3 \
    -DVMGPU_FUZZ=ON "${launcher[@]}"
fi
jobs_args=()
[ -z "${VMGPU_JOBS:-}" ] || jobs_args=(-j "$VMGPU_JOBS")
ninja -C "$build_dir" "${jobs_args[@]}" vmgpu-fuzzers vm-gpu-compile vm-gpu-run
[ "$mode" != build ] || exit 0

# Seed corpora: what the tests feed the same readers (test/fuzz/make_seeds.py).
seeds="$work/seeds"
seed_artifacts() {
  local program case input
  local files="$work/seed-files"
  rm -rf "$files" "$work/seed-cache"
  mkdir -p "$files"
  # Artifacts from vm-gpu-compile (no cache key recorded) ...
  for program in examples/*.mlir; do
    "$build_dir/bin/vm-gpu-compile" --target cpu "$program" \
      -o "$files/$(basename "$program" .mlir).vmgpu" >/dev/null 2>&1 || true
  done
  "$python" test/fuzz/make_seeds.py artifact "$seeds/artifact" "$files"/*.vmgpu
  # ... and the entries a disk cache holds (they record their key), from a
  # few end-to-end cases run through vm-gpu-run.
  for case in abs_f32 add_i32 matmul_f32_odd reduce_sum_f32_d0; do
    [ -f "$work/e2e-cases/$case/prog.mlir" ] || continue
    local inputs=()
    for input in "$work/e2e-cases/$case"/in*.npy; do inputs+=(--input "$input"); done
    VMGPU_CACHE_DIR="$work/seed-cache" "$build_dir/bin/vm-gpu-run" \
      "$work/e2e-cases/$case/prog.mlir" --entry main --device cpu \
      "${inputs[@]}" --output-dir "$work/seed-out" >/dev/null 2>&1 || true
  done
  "$python" test/fuzz/make_seeds.py disk-cache "$seeds/disk-cache" \
    "$files"/*.vmgpu "$work/seed-cache"/v1/*.vmgpu
}
if [ ! -f "$seeds/complete" ]; then
  [ -n "$python" ] || { echo "fuzz.sh: no python3 with NumPy (the seeds need it)" >&2; exit 2; }
  log "writing seed corpora under $seeds"
  rm -rf "$seeds"
  "$python" test/fuzz/make_seeds.py compile "$seeds/compile"
  if [ ! -d "$work/e2e-cases" ]; then
    "$python" test/e2e/gen_cases.py "$work/e2e-cases" -j "${VMGPU_JOBS:-2}" >/dev/null
  fi
  "$python" test/fuzz/make_seeds.py npy "$seeds/npy" "$work/e2e-cases"
  seed_artifacts
  # The C API target's scripts are short: a few random ones.
  mkdir -p "$seeds/capi"
  for i in 1 2 3 4; do head -c 512 /dev/urandom >"$seeds/capi/random$i"; done
  touch "$seeds/complete"
fi
[ "$mode" != seed ] || exit 0

status=0
for target in "${targets[@]}"; do
  binary="$build_dir/bin/vmgpu-fuzz-$target"
  [ -x "$binary" ] || { echo "fuzz.sh: no target '$target' ($binary)" >&2; exit 2; }
  corpus="$work/corpus/$target"
  findings="$work/findings/$target"
  mkdir -p "$corpus" "$findings" "$seeds/$target"
  log "$target: ${seconds} s"
  # Large enough for whole test files, e2e .npy inputs and artifacts (the
  # seeds are 4 to 15 KB; libFuzzer truncates longer ones). The C API
  # script needs less.
  max_len=32768
  [ "$target" != capi ] || max_len=4096
  # The compile target's seeds are whole test files, some with a dozen
  # kernels through LLVM's GPU back ends: the largest takes 40 s in the
  # -O3 build on two loaded cores and over 60 s here, without being stuck.
  timeout=60
  [ "$target" != compile ] || timeout=300
  # -jobs makes libFuzzer run its workers as child processes that log to
  # fuzz-<n>.log in the current directory: only when asked for more than one.
  parallel=()
  [ "$workers" -le 1 ] || parallel=(-jobs="$workers" -workers="$workers")
  # use_sigaltstack=0: see scripts/sanitize.sh.
  if ! ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=1:allocator_may_return_null=1:use_sigaltstack=0" \
      UBSAN_OPTIONS="${UBSAN_OPTIONS:-}:print_stacktrace=1:halt_on_error=1" \
      "$binary" "$corpus" "$seeds/$target" \
      -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=6144 \
      -max_len="$max_len" -print_final_stats=1 \
      "${parallel[@]}" \
      -artifact_prefix="$findings/" >"$work/$target.log" 2>&1; then
    status=1
    log "$target: FINDING (see $work/$target.log and $findings/)"
  fi
  grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+ *DONE' "$work/$target.log" | tail -3 | sed "s/^/fuzz: $target: /" || true
done
exit "$status"
