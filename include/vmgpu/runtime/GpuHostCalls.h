//===- GpuHostCalls.h - what GPU blocks' host code calls --------*- C++ -*-===//
//
// The host code of a GPU block (after MLIR's gpu-to-llvm) calls `mgpu*`
// functions to load modules and launch kernels, and, with generic
// allocation functions, `_mlir_memref_to_llvm_alloc` / `_free` for its
// buffers. The runtime defines them (GpuHostCalls.cpp, C linkage, exported
// from the process) over the thread's current device (GpuDevice.h: its
// persistent stream, pool and function cache) or, outside a device's
// scope, its current backend, CUDA or HIP (GpuHostBackend.h). Compiled
// code cannot take a Status, so the first error on a thread is kept here
// until the runtime collects it; after an error, launches are skipped.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GPUHOSTCALLS_H
#define VMGPU_RUNTIME_GPUHOSTCALLS_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>

/// The host calls themselves, with the signatures gpu-to-llvm's host code
/// calls them with (MLIR's CUDA/ROCm runtime wrappers). Thread-safe: each
/// acts on the calling thread's current backend.
extern "C" {
void *mgpuModuleLoad(void *data, size_t size);
/// PTX modules (format=ptx): loaded like mgpuModuleLoad; the driver JIT
/// compiles them. `optLevel` is ignored (the driver's default applies).
void *mgpuModuleLoadJIT(void *data, int optLevel, size_t size);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void *mgpuStreamCreate();
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramCount);
/// Copies `sizeBytes` between host memory and block buffers on `stream`
/// (gpu.memcpy: the block's constants).
void mgpuMemcpy(void *destination, void *source, size_t sizeBytes,
                void *stream);
/// The device copy of the constant global of `bytes` bytes at `host`
/// (vm-device-constants): uploaded once per loaded executable and global
/// (DeviceConstants.h), never freed by the block. Outside a block run (the
/// memory-bound and shape-check functions, which only read sizes) it is
/// `host` itself. Null after an error.
void *vmgpuDeviceConstant(const void *host, int64_t bytes);
/// Device memory of the current backend (null after an error: the host
/// code never touches block buffers, and launches stop at the first error).
void *_mlir_memref_to_llvm_alloc(size_t bytes);
/// Frees what _mlir_memref_to_llvm_alloc returned (freeGpuHostCallMemory).
void _mlir_memref_to_llvm_free(void *pointer);
}

namespace vmgpu::runtime {

/// Returns and clears the first error raised on this thread by the host
/// calls since the last call (Ok when there was none).
Status takeGpuHostCallError();
/// Records `status` as this thread's error unless one is pending: for host
/// calls defined elsewhere (LibraryGemm.cpp).
void raiseGpuHostCallError(Status status);
/// True while an error is pending on this thread (work is then skipped).
bool gpuHostCallFailed();

/// Whether `pointer` came from the host calls' allocators. Thread-safe, like
/// the functions below.
bool isGpuHostCallAllocation(void *pointer);
/// Memory only the device reaches (what blocks allocate); the caller frees
/// it with freeGpuHostCallMemory.
StatusOr<void *> allocateGpuHostCallDeviceMemory(size_t bytes);
/// Frees `pointer` through the backend that allocated it, whichever is
/// current; anything the host calls did not allocate (null included) is
/// left alone. A driver error is recorded for takeGpuHostCallError.
void freeGpuHostCallMemory(void *pointer);

/// Watches the block buffers a GPU block's host code allocates and frees on
/// this thread, may hand out buffers of its own, and hears of host calls a
/// stream capture cannot hold: how a block is recorded and captured as a
/// graph (GpuGraphPlans.h). Installed with GpuHostCallHookScope.
class GpuHostCallHook {
public:
  virtual ~GpuHostCallHook();
  /// A buffer of `bytes` for the host code, or null to take one from the
  /// device as usual (the hook may raise an error and return null).
  virtual void *provide(size_t bytes) = 0;
  /// The device handed the host code `pointer` of `bytes`.
  virtual void allocated(void *pointer, size_t bytes) = 0;
  /// True when `pointer` is one of the hook's buffers: its free is nothing.
  virtual bool release(void *pointer) = 0;
  /// The host code is about to call `what`, which a capture cannot hold.
  virtual void uncapturable(const char *what) = 0;
};

/// Makes `hook` this thread's hook for the scope's lifetime (null: none),
/// then restores the previous one. Thread-safety: this thread only.
class GpuHostCallHookScope {
public:
  explicit GpuHostCallHookScope(GpuHostCallHook *hook);
  ~GpuHostCallHookScope();
  GpuHostCallHookScope(const GpuHostCallHookScope &) = delete;
  GpuHostCallHookScope &operator=(const GpuHostCallHookScope &) = delete;

private:
  GpuHostCallHook *previous_;
};

/// Tells this thread's hook, if any, that the host code is about to call
/// `what`, which a capture cannot hold (host calls defined elsewhere: the
/// library GEMM).
void noteUncapturableGpuHostCall(const char *what);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUHOSTCALLS_H
