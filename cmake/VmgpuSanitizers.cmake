# Sanitizer and fuzzing builds (scripts/sanitize.sh, scripts/fuzz.sh).
#
# They use LLVM's own switches, which HandleLLVMOptions reads:
#   -DLLVM_USE_SANITIZER="Address;Undefined"   ASan + UBSan on every vmgpu target
#   -DLLVM_USE_SANITIZER=Thread                 TSan
#   -DVMGPU_FUZZ=ON                             ASan + UBSan + libFuzzer coverage, and the
#                                               fuzz targets in test/fuzz
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

# LLVM's top-level CMakeLists defines the UBSan flags HandleLLVMOptions
# appends; an installed LLVM does not export them. The same set as LLVM's:
# vptr needs RTTI (LLVM has none), and `function` trips on calls into
# JIT-compiled code, which carries no type signature.
set(LLVM_UBSAN_FLAGS
  "-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all")
