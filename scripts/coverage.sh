#!/usr/bin/env bash
# coverage.sh: line coverage of vmgpu's own code (dialects/, lib/, runtime/)
# over the whole lit suite, with clang's source-based coverage.
#
#   scripts/coverage.sh                 configure and build build-cov, run the
#                                       suite, merge, report
#   scripts/coverage.sh --report-only   merge and report the profiles already
#                                       written (after a run)
#   scripts/coverage.sh -- LIT ARGS...  run only part of the suite (lit
#                                       arguments, e.g. build-cov/test/e2e)
#
# The build (-DVMGPU_COVERAGE=ON, cmake/VmgpuSanitizers.cmake) instruments
# every vmgpu target with -fprofile-instr-generate -fcoverage-mapping; MLIR
# and LLVM stay the uninstrumented system libraries. Every process writes
# its counters to <build>/profiles/%4m.profraw: at most four files per
# instrumented binary, merged into online by each process as it exits, so
# the hundreds of processes the end-to-end suite starts do not fill the
# disk. The report: <build>/coverage/summary.txt (per directory and per
# file, scripts/coverage_report.py) and <build>/coverage/html/ (llvm-cov
# show, line by line).
#
# Environment:
#   VMGPU_COV_BUILD_DIR  build directory (default build-cov)
#   VMGPU_JOBS           parallel build jobs (default ninja's)

set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
dir="${VMGPU_COV_BUILD_DIR:-build-cov}"
profdata=llvm-profdata-22
llvm_cov=llvm-cov-22

mode=run
lit_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --report-only) mode=report ;;
    --) shift; lit_args=("$@"); break ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "coverage.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done


lit_status=0
if [ "$mode" = run ]; then
  if [ ! -f "$dir/build.ninja" ]; then
    echo "coverage: configuring $dir"
    launcher=()
    if command -v ccache >/dev/null 2>&1; then
      launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    # -O1: counters make -O3 builds slow, and the suite's time goes to the
    # (optimized) system MLIR and LLVM anyway.
    CC=clang-22 CXX=clang++-22 cmake -G Ninja -S . -B "$dir" \
      -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DCMAKE_BUILD_TYPE=Release \
      "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" \
      -DLLVM_USE_LINKER=lld -DPython3_EXECUTABLE=/usr/bin/python3 \
      -DVMGPU_COVERAGE=ON "${launcher[@]}"
  fi
  jobs_args=()
  [ -z "${VMGPU_JOBS:-}" ] || jobs_args=(-j "$VMGPU_JOBS")
  ninja -C "$dir" "${jobs_args[@]}" vmgpu-test-depends
  rm -rf "$dir/profiles"
  mkdir -p "$dir/profiles"
    # The GoogleTest suites are a lit suite of their own (test/unit).
  [ ${#lit_args[@]} -gt 0 ] || lit_args=("$dir/test" "$dir/test/unit")
  export LLVM_PROFILE_FILE="$root/$dir/profiles/%4m.profraw"
  start=$(date +%s)
  /usr/lib/llvm-22/bin/lit -q "${lit_args[@]}" || lit_status=$?
  echo "coverage: suite took $(( $(date +%s) - start )) s (lit exit $lit_status)"
fi

shopt -s nullglob
raw=("$dir"/profiles/*.profraw)
[ ${#raw[@]} -gt 0 ] || { echo "coverage: no profiles in $dir/profiles" >&2; exit 1; }
out="$dir/coverage"
rm -rf "$out"
mkdir -p "$out"
echo "coverage: merging ${#raw[@]} raw profiles ($(du -sh "$dir/profiles" | cut -f1))"
"$profdata" merge -sparse "${raw[@]}" -o "$out/suite.profdata"

# Every instrumented binary: tools, fuzz targets, unit tests, libvmgpu.so.
# llvm-cov takes the first as its positional binary, the rest as -object.
objects=()
for file in "$dir"/bin/* "$dir"/test/unit/*Tests "$dir"/lib/*.so "$dir"/examples/*/*; do
  [ -f "$file" ] && [ -x "$file" ] || continue
  head -c 4 "$file" | grep -q ELF || continue
  if [ ${#objects[@]} -eq 0 ]; then
    objects+=("$file")
  else
    objects+=(-object "$file")
  fi
done
[ ${#objects[@]} -gt 0 ] || { echo "coverage: no instrumented binaries in $dir" >&2; exit 1; }
sources=("$root/dialects" "$root/lib" "$root/runtime")
"$llvm_cov" export -summary-only -instr-profile "$out/suite.profdata" \
  "${objects[@]}" "${sources[@]}" >"$out/summary.json"
python3 scripts/coverage_report.py "$out/summary.json" "$root" | tee "$out/summary.txt"
"$llvm_cov" show -format=html -output-dir "$out/html" -show-line-counts-or-regions \
  -instr-profile "$out/suite.profdata" "${objects[@]}" "${sources[@]}" >/dev/null
echo "coverage: line by line in $out/html/index.html"
exit "$lit_status"
