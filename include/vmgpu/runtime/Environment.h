//===- Environment.h - the environment variables vmgpu reads -----*- C++ -*-===//
//
// Every environment variable vmgpu's libraries and tools read is listed in
// the table below and read through `environmentValue`; no other source
// file consults the process environment (test/Tools/environment-reads.test
// checks it). Values are read when asked for, not cached at start-up, so a
// program or test that sets one before it creates an engine, loads a driver
// or compiles a block is seen. An empty value counts as unset.
//
// docs/environment.md describes each variable.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_ENVIRONMENT_H
#define VMGPU_RUNTIME_ENVIRONMENT_H

#include <optional>
#include <string>

// X(identifier, name)
#define VMGPU_ENVIRONMENT_VARIABLES(X)                                         \
  /* Engine options (lib/Engine/Engine.cpp) */                                 \
  X(Device, "VMGPU_DEVICE")                                                    \
  X(BlockMemoryMaxBytes, "VMGPU_BLOCK_MEMORY_MAX_BYTES")                       \
  X(ContractionStrategy, "VMGPU_CONTRACTION_STRATEGY")                         \
  X(TensorCores, "VMGPU_TENSOR_CORES")                                         \
  X(LibraryTune, "VMGPU_LIBRARY_TUNE")                                         \
  X(GpuGraphs, "VMGPU_GPU_GRAPHS")                                             \
  X(CompileDeadlineMs, "VMGPU_COMPILE_DEADLINE_MS")                            \
  X(DiskCache, "VMGPU_DISK_CACHE")                                             \
  X(CacheMaxBytes, "VMGPU_CACHE_MAX_BYTES")                                    \
  X(CacheLockWaitMs, "VMGPU_CACHE_LOCK_WAIT_MS")                               \
  /* Where the disk cache lives (runtime/KernelCache.cpp) */                   \
  X(CacheDir, "VMGPU_CACHE_DIR")                                               \
  X(XdgCacheHome, "XDG_CACHE_HOME")                                            \
  X(Home, "HOME")                                                              \
  /* Toolchains the compiler uses (lib/Pipelines, lib/Target/Cpu) */           \
  X(CudaPath, "VMGPU_CUDA_PATH")                                               \
  X(RocmPath, "VMGPU_ROCM_PATH")                                               \
  X(OpenMPLibrary, "VMGPU_OPENMP_LIBRARY")                                     \
  X(LdLld, "VMGPU_LD_LLD")                                                     \
  /* Libraries the runtime loads, and debugging (runtime/) */                  \
  X(HipLibrary, "VMGPU_HIP_LIBRARY")                                           \
  X(CublasLtLibrary, "VMGPU_CUBLASLT_LIBRARY")                                 \
  X(BlasLibrary, "VMGPU_BLAS_LIBRARY")                                         \
  X(CpuGemmCores, "VMGPU_CPU_GEMM_CORES")                                      \
  X(FaultInject, "VMGPU_FAULT_INJECT")                                         \
  X(TraceGpu, "VMGPU_TRACE_GPU")                                               \
  /* OpenMP settings of the user's that CPU blocks keep (NativeExecutable) */  \
  X(OmpWaitPolicy, "OMP_WAIT_POLICY")                                          \
  X(KmpBlocktime, "KMP_BLOCKTIME")

namespace vmgpu::runtime {

enum class EnvironmentVariable {
#define VMGPU_ENVIRONMENT_ENUMERATOR(identifier, name) identifier,
  VMGPU_ENVIRONMENT_VARIABLES(VMGPU_ENVIRONMENT_ENUMERATOR)
#undef VMGPU_ENVIRONMENT_ENUMERATOR
};

/// The variable's name, e.g. "VMGPU_DEVICE".
const char *environmentVariableName(EnvironmentVariable variable);

/// The variable's value now; nullopt when it is unset or empty.
std::optional<std::string> environmentValue(EnvironmentVariable variable);

/// `NAME=value`, or `NAME unset`: a part of a cache key, for variables that
/// change what a compile produces (a toolkit, a device library).
std::string environmentKeyPart(EnvironmentVariable variable);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_ENVIRONMENT_H
