//===- GpuHostCalls.h - what GPU blocks' host code calls --------*- C++ -*-===//
//
// The host code of a GPU block (after MLIR's gpu-to-llvm) calls `mgpu*`
// functions to load modules and launch kernels, and, with generic
// allocation functions, `_mlir_memref_to_llvm_alloc` / `_free` for its
// buffers. The runtime defines them (GpuHostCalls.cpp, C linkage, exported
// from the process) over the thread's current backend, CUDA or HIP
// (GpuHostBackend.h). Compiled code cannot take a Status, so the first
// error on a thread is kept here until the runtime collects it; after an
// error, launches are skipped.
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
/// Thread-safe, like the two functions below.
bool isGpuHostCallAllocation(void *pointer);
/// Memory both the host and the device reach (managed memory of the
/// current backend); the caller frees it with freeGpuHostCallMemory.
StatusOr<void *> allocateGpuHostCallMemory(size_t bytes);
/// Frees `pointer` through the backend that allocated it, whichever is
/// current; memory from elsewhere goes to std::free. A driver error is
/// recorded for takeGpuHostCallError.
void freeGpuHostCallMemory(void *pointer);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUHOSTCALLS_H
