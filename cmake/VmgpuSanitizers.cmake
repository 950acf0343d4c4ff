# Sanitizer and fuzzing builds (scripts/sanitize.sh, scripts/fuzz.sh).
#
# They use LLVM's own switches, which HandleLLVMOptions reads:
#   -DLLVM_USE_SANITIZER="Address;Undefined"   ASan + UBSan on every vmgpu target
#   -DLLVM_USE_SANITIZER=Thread                 TSan
#   -DVMGPU_FUZZ=ON                             ASan + UBSan + libFuzzer coverage, and the
#                                               fuzz targets in test/fuzz
#   -DVMGPU_COVERAGE=ON                         clang's source-based coverage
#                                               (scripts/coverage.sh)
# Included before HandleLLVMOptions: a sanitizer also drops its -Wl,-z,defs,
# which shared libraries built with a sanitizer cannot satisfy (the runtime
# lives in the executable).

option(VMGPU_FUZZ
  "Build the libFuzzer targets (test/fuzz); instruments every target with ASan, UBSan and coverage" OFF)
if(VMGPU_FUZZ)
  if(NOT LLVM_USE_SANITIZER)
    set(LLVM_USE_SANITIZER "Address;Undefined")
  endif()
  set(LLVM_USE_SANITIZE_COVERAGE ON)
endif()

# Source-based line coverage (scripts/coverage.sh): LLVM's own switch. MLIR
# and LLVM are the uninstrumented system libraries, so only vmgpu's targets
# carry counters. The default profile path is compiled in, inside the build
# directory, so that processes a test starts with a scrubbed environment
# still write there; `%4m` merges every process of one binary into at most
# four files (online, under a file lock), so the hundreds of processes of
# the end-to-end suite do not fill the disk. LLVM_PROFILE_FILE overrides it.
option(VMGPU_COVERAGE
  "Instrument every vmgpu target for llvm-cov (-fprofile-instr-generate -fcoverage-mapping)" OFF)
if(VMGPU_COVERAGE)
  if(LLVM_USE_SANITIZER OR VMGPU_FUZZ)
    message(FATAL_ERROR "VMGPU_COVERAGE wants a build without sanitizers")
  endif()
  set(LLVM_BUILD_INSTRUMENTED_COVERAGE ON)
  set(LLVM_PROFILE_FILE_PATTERN "${CMAKE_BINARY_DIR}/profiles/%4m.profraw")
endif()

# LLVM's top-level CMakeLists defines the UBSan flags HandleLLVMOptions
# appends; an installed LLVM does not export them. The same set as LLVM's:
# vptr needs RTTI (LLVM has none), and `function` trips on calls into
# JIT-compiled code, which carries no type signature.
set(LLVM_UBSAN_FLAGS
  "-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all")
