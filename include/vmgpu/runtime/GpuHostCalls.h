//===- GpuHostCalls.h - what GPU blocks' host code calls --------*- C++ -*-===//
//
// The host code of a GPU block (after MLIR's gpu-to-llvm) calls `mgpu*`
// functions to load modules and launch kernels, and, with generic
// allocation functions, `_mlir_memref_to_llvm_alloc` / `_free` for its
// buffers. The runtime defines them over CudaDriver (GpuHostCalls.cpp, C
// linkage, exported from the process). Compiled code cannot take a Status,
// so the first error on a thread is kept here until the runtime collects
// it; after an error, launches are skipped.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GPUHOSTCALLS_H
#define VMGPU_RUNTIME_GPUHOSTCALLS_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>

namespace vmgpu::runtime {

/// Returns and clears the first error raised on this thread by the host
/// calls since the last call (Ok when there was none).
Status takeGpuHostCallError();

/// Whether `pointer` came from the host calls' allocator (managed memory).
bool isGpuHostCallAllocation(void *pointer);
/// Memory both the host and the device reach (CUDA managed memory).
StatusOr<void *> allocateGpuHostCallMemory(size_t bytes);
void freeGpuHostCallMemory(void *pointer);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUHOSTCALLS_H
