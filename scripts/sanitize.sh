#!/usr/bin/env bash
# sanitize.sh: the test suite under sanitizers, each in a build directory of
# its own.
#
#   scripts/sanitize.sh asan [LIT ARGS...]   ASan + UBSan: builds everything and
#                                            runs the whole lit suite (unit tests
#                                            included)
#   scripts/sanitize.sh tsan [TESTS...]      ThreadSanitizer: builds and runs the
#                                            runtime, disk-cache and engine unit
#                                            tests (default: RuntimeTests
#                                            HipDriverTests EngineTests)
#
# The ASan + UBSan build is the fuzzing build (scripts/fuzz.sh, VMGPU_FUZZ=ON:
# ASan, UBSan and libFuzzer's coverage counters, which cost little and change
# nothing else), so one sanitized build serves both. Any sanitizer report
# fails the test that triggered it (halt_on_error, -fno-sanitize-recover).
#
# Environment:
#   VMGPU_ASAN_BUILD_DIR  default build-fuzz (shared with scripts/fuzz.sh)
#   VMGPU_TSAN_BUILD_DIR  default build-tsan
#   VMGPU_JOBS            parallel build jobs (default ninja's)

set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

kind="${1:-}"
[ $# -eq 0 ] || shift
jobs_args=()
[ -z "${VMGPU_JOBS:-}" ] || jobs_args=(-j "$VMGPU_JOBS")

configure() {
  local dir="$1"
  shift
  [ ! -f "$dir/build.ninja" ] || return 0
  echo "sanitize: configuring $dir"
  local launcher=()
  if command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  # -O1: sanitizers slow -O3 builds down more than the code they speed up.
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S . -B "$dir" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" \
    -DLLVM_USE_LINKER=lld -DPython3_EXECUTABLE=/usr/bin/python3 \
    "${launcher[@]}" "$@"
}

case "$kind" in
  asan)
    dir="${VMGPU_ASAN_BUILD_DIR:-build-fuzz}"
    configure "$dir" -DVMGPU_FUZZ=ON
    # What check-vmgpu builds (test/CMakeLists.txt, VMGPU_TEST_DEPENDS).
    ninja -C "$dir" "${jobs_args[@]}" vmgpu-test-depends
    # Tests that need more memory than the machine has ask for it and
    # expect a failure: ASan must return null there, not abort. LLVM puts
    # an alternate signal stack of its own on threads that write files
    # (lld, inside CPU compiles); ASan would then fail to unmap "its" stack
    # when such a thread ends, so it installs none (docs/reliability.md).
    export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1:halt_on_error=1:use_sigaltstack=0}"
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
    # The GoogleTest suites are a lit suite of their own (test/unit).
    /usr/lib/llvm-22/bin/lit -s "$dir/test" "$dir/test/unit" "$@"
    ;;
  tsan)
    dir="${VMGPU_TSAN_BUILD_DIR:-build-tsan}"
    configure "$dir" -DLLVM_USE_SANITIZER=Thread
    tests=("$@")
    [ ${#tests[@]} -gt 0 ] || tests=(RuntimeTests HipDriverTests EngineTests)
    ninja -C "$dir" "${jobs_args[@]}" "${tests[@]}"
    # CPU blocks run on the system's libomp, which is not instrumented: TSan
    # cannot see the futex handshakes inside it and reports its own mutexes
    # as racing (its warning names this option). Races in vmgpu's code and
    # in the blocks' code are still reported.
    export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1}"
    status=0
    for test in "${tests[@]}"; do
      echo "sanitize: $test"
      "$dir/test/unit/$test" --gtest_brief=1 || status=1
    done
    exit "$status"
    ;;
  *)
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
