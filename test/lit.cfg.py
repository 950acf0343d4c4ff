# lit configuration for vmgpu: FileCheck suites, GoogleTest unit tests and the
# end-to-end numerical tests, all under `check-vmgpu`.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "VMGPU"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.vmgpu_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%vmgpu_src_root", config.vmgpu_src_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.vmgpu_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst("vm-gpu-opt", unresolved="fatal"),
    ToolSubst("vm-gpu-compile", unresolved="fatal"),
    ToolSubst("vm-gpu-exec", unresolved="fatal"),
    ToolSubst("vm-gpu-run", unresolved="fatal"),
    ToolSubst("vm-gpu-soak", unresolved="fatal"),
    # Built from examples/c-jit-client; only test/CApi uses it.
    ToolSubst("vmgpu-c-jit-client", unresolved="ignore"),
    # The fuzz targets, built to replay files (test/fuzz/regressions.test).
    ToolSubst("vmgpu-fuzz-compile", unresolved="ignore"),
    ToolSubst("vmgpu-fuzz-npy", unresolved="ignore"),
    ToolSubst("vmgpu-fuzz-artifact", unresolved="ignore"),
    ToolSubst("vmgpu-fuzz-disk-cache", unresolved="ignore"),
    ToolSubst("vmgpu-fuzz-capi", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

if config.vmgpu_enable_cuda:
    config.available_features.add("nvptx")
# Sanitized builds (scripts/sanitize.sh, scripts/fuzz.sh): ASan reserves
# terabytes of address space for its shadow, so tests that cap the address
# space (`ulimit -v`) cannot run there.
if "Address" in getattr(config, "vmgpu_sanitizer", ""):
    config.available_features.add("asan")
if config.vmgpu_enable_rocm:
    config.available_features.add("amdgpu")

# The CPU's library GEMM runs where a BLAS loads, as the runtime looks for it
# (runtime/CpuBlas.cpp: $VMGPU_BLAS_LIBRARY, else libopenblas.so.0, with
# sgemm_ and dgemm_); its tests skip elsewhere.
if os.environ.get("VMGPU_BLAS_LIBRARY"):
    config.environment["VMGPU_BLAS_LIBRARY"] = os.environ["VMGPU_BLAS_LIBRARY"]
try:
    import ctypes

    _blas = ctypes.CDLL(os.environ.get("VMGPU_BLAS_LIBRARY") or "libopenblas.so.0")
    if hasattr(_blas, "sgemm_") and hasattr(_blas, "dgemm_"):
        config.available_features.add("cpu-blas")
except OSError:
    pass

# GPU integration tests run where a CUDA driver loads (they skip elsewhere).
try:
    import ctypes

    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-device")
except OSError:
    pass

# Tests share one kernel cache inside the build tree, never the user's.
config.environment["VMGPU_CACHE_DIR"] = os.path.join(
    config.vmgpu_obj_root, "test", "vmgpu-cache")
