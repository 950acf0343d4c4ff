//===- GpuHostCalls.cpp - mgpu* and allocation functions over CUDA --------===//

#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/CudaDriver.h"

#include <climits>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_set>

namespace vmgpu::runtime {
namespace {

thread_local Status firstError;

void raise(Status status) {
  if (firstError.isOk() && !status.isOk())
    firstError = std::move(status);
}

/// The driver, or null after recording why there is none.
CudaDriver *driver() {
  StatusOr<CudaDriver *> loaded = CudaDriver::get();
  if (!loaded.isOk()) {
    raise(loaded.status());
    return nullptr;
  }
  return *loaded;
}

std::mutex allocationsMutex;
std::unordered_set<void *> &allocations() {
  static auto *set = new std::unordered_set<void *>();
  return *set;
}

/// VMGPU_TRACE_GPU=1 prints module loads and kernel launches (debugging).
bool tracing() {
  static const bool enabled = [] {
    const char *value = std::getenv("VMGPU_TRACE_GPU");
    return value && *value && std::string(value) != "0";
  }();
  return enabled;
}

constexpr unsigned kMemAttachGlobal = 1;
constexpr unsigned kStreamNonBlocking = 1;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;

} // namespace

Status takeGpuHostCallError() {
  Status status = std::move(firstError);
  firstError = okStatus();
  return status;
}

bool isGpuHostCallAllocation(void *pointer) {
  std::lock_guard<std::mutex> lock(allocationsMutex);
  return allocations().count(pointer) != 0;
}

StatusOr<void *> allocateGpuHostCallMemory(size_t bytes) {
  CudaDriver *cuda = driver();
  if (!cuda)
    return unavailableError("no CUDA driver");
  CUdeviceptr pointer = 0;
  // Zero-byte buffers still need a distinct address.
  VMGPU_RETURN_IF_ERROR(cuda->check(
      cuda->cuMemAllocManaged(&pointer, bytes ? bytes : 1, kMemAttachGlobal),
      "cuMemAllocManaged"));
  void *address = reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
  std::lock_guard<std::mutex> lock(allocationsMutex);
  allocations().insert(address);
  return address;
}

void freeGpuHostCallMemory(void *pointer) {
  {
    std::lock_guard<std::mutex> lock(allocationsMutex);
    if (!allocations().erase(pointer)) {
      // Host memory handed out after a failed device allocation.
      std::free(pointer);
      return;
    }
  }
  if (CudaDriver *cuda = driver())
    raise(cuda->check(cuda->cuMemFree_v2(reinterpret_cast<uintptr_t>(pointer)),
                      "cuMemFree"));
}

} // namespace vmgpu::runtime

using namespace vmgpu::runtime;

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t bytes) {
  StatusOr<void *> pointer = allocateGpuHostCallMemory(bytes);
  if (pointer.isOk())
    return *pointer;
  raise(pointer.status());
  // The host code may still touch the buffer; kernels will not run.
  return std::malloc(bytes ? bytes : 1);
}

void _mlir_memref_to_llvm_free(void *pointer) { freeGpuHostCallMemory(pointer); }

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  CudaDriver *cuda = driver();
  if (!cuda)
    return nullptr;
  char log[4096] = {};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUmodule module = nullptr;
  if (tracing())
    std::fprintf(stderr, "vmgpu: module load %p\n", data);
  Status status = cuda->check(
      cuda->cuModuleLoadDataEx(&module, data, 2, options, values),
      "cuModuleLoadDataEx");
  if (!status.isOk()) {
    raise(log[0] ? Status(status.code(), status.message() + "; JIT log: " + log)
                 : status);
    return nullptr;
  }
  return module;
}

void mgpuModuleUnload(void *module) {
  if (CudaDriver *cuda = driver(); cuda && module)
    raise(cuda->check(cuda->cuModuleUnload(static_cast<CUmodule>(module)),
                      "cuModuleUnload"));
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CudaDriver *cuda = driver();
  if (!cuda)
    return nullptr;
  if (!module) {
    raise(internalError(std::string("kernel ") + name +
                        " requested from a module that was never loaded"));
    return nullptr;
  }
  CUfunction function = nullptr;
  raise(cuda->check(
      cuda->cuModuleGetFunction(&function, static_cast<CUmodule>(module), name),
      "cuModuleGetFunction"));
  return function;
}

void *mgpuStreamCreate() {
  CudaDriver *cuda = driver();
  if (!cuda)
    return nullptr;
  CUstream stream = nullptr;
  raise(cuda->check(cuda->cuStreamCreate(&stream, kStreamNonBlocking),
                    "cuStreamCreate"));
  return stream;
}

void mgpuStreamSynchronize(void *stream) {
  if (CudaDriver *cuda = driver(); cuda && stream)
    raise(cuda->check(cuda->cuStreamSynchronize(static_cast<CUstream>(stream)),
                      "cuStreamSynchronize"));
}

void mgpuStreamDestroy(void *stream) {
  if (CudaDriver *cuda = driver(); cuda && stream)
    raise(cuda->check(cuda->cuStreamDestroy_v2(static_cast<CUstream>(stream)),
                      "cuStreamDestroy"));
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramCount) {
  CudaDriver *cuda = driver();
  if (tracing())
    std::fprintf(stderr,
                 "vmgpu: launch %p grid (%ld, %ld, %ld) block (%ld, %ld, %ld) "
                 "params %zu, pending error: %s\n",
                 function, (long)gridX, (long)gridY, (long)gridZ, (long)blockX,
                 (long)blockY, (long)blockZ, paramCount,
                 firstError.isOk() ? "none" : firstError.toString().c_str());
  // After an error the block's results are discarded: launch nothing more.
  if (!cuda || !firstError.isOk())
    return;
  if (!function) {
    raise(internalError("launch of a kernel that was not found"));
    return;
  }
  for (intptr_t size : {gridX, gridY, gridZ, blockX, blockY, blockZ})
    if (size <= 0 || size > INT_MAX) {
      raise(internalError("launch size out of range: " +
                                 std::to_string(size)));
      return;
    }
  raise(cuda->check(
      cuda->cuLaunchKernel(static_cast<CUfunction>(function), gridX, gridY,
                           gridZ, blockX, blockY, blockZ, sharedBytes,
                           static_cast<CUstream>(stream), params, extra),
      "cuLaunchKernel"));
}

} // extern "C"
