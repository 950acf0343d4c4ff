//===- CudaHostBackend.cpp - the GPU host calls' backend over CUDA --------===//

#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/GpuHostBackend.h"

#include <cstdint>
#include <mutex>

namespace vmgpu::runtime {
namespace {

constexpr unsigned kMemAttachGlobal = 1;
constexpr unsigned kStreamNonBlocking = 1;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;

class CudaHostBackend final : public GpuHostBackend {
public:
  explicit CudaHostBackend(const CudaDriver &cuda) : cuda_(cuda) {}

  const char *name() const override { return "cuda"; }

  StatusOr<void *> loadModule(const void *data, size_t) const override {
    char log[4096] = {};
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
    void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
    CUmodule module = nullptr;
    Status status =
        cuda_.check(cuda_.cuModuleLoadDataEx(&module, data, 2, options, values),
                    "cuModuleLoadDataEx");
    if (!status.isOk())
      return log[0]
                 ? Status(status.code(), status.message() + "; JIT log: " + log)
                 : status;
    return static_cast<void *>(module);
  }

  Status unloadModule(void *module) const override {
    return cuda_.check(cuda_.cuModuleUnload(static_cast<CUmodule>(module)),
                       "cuModuleUnload");
  }

  StatusOr<void *> getFunction(void *module, const char *name) const override {
    CUfunction function = nullptr;
    VMGPU_RETURN_IF_ERROR(
        cuda_.check(cuda_.cuModuleGetFunction(
                        &function, static_cast<CUmodule>(module), name),
                    "cuModuleGetFunction"));
    return static_cast<void *>(function);
  }

  StatusOr<void *> createStream() const override {
    CUstream stream = nullptr;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuStreamCreate(&stream, kStreamNonBlocking), "cuStreamCreate"));
    return static_cast<void *>(stream);
  }

  Status synchronizeStream(void *stream) const override {
    return cuda_.check(cuda_.cuStreamSynchronize(static_cast<CUstream>(stream)),
                       "cuStreamSynchronize");
  }

  Status destroyStream(void *stream) const override {
    return cuda_.check(cuda_.cuStreamDestroy_v2(static_cast<CUstream>(stream)),
                       "cuStreamDestroy");
  }

  Status launch(void *function, const unsigned grid[3], const unsigned block[3],
                unsigned sharedBytes, void *stream, void **params,
                void **extra) const override {
    return cuda_.check(cuda_.cuLaunchKernel(
                           static_cast<CUfunction>(function), grid[0], grid[1],
                           grid[2], block[0], block[1], block[2], sharedBytes,
                           static_cast<CUstream>(stream), params, extra),
                       "cuLaunchKernel");
  }

  // Unified addressing: host and device pointers are both CUdeviceptrs.
  Status copy(void *destination, const void *source, size_t bytes,
              void *stream) const override {
    return cuda_.check(
        cuda_.cuMemcpyAsync(reinterpret_cast<uintptr_t>(destination),
                            reinterpret_cast<uintptr_t>(source), bytes,
                            static_cast<CUstream>(stream)),
        "cuMemcpyAsync");
  }

  StatusOr<void *> allocateDevice(size_t bytes) const override {
    CUdeviceptr pointer = 0;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemAlloc_v2(&pointer, bytes ? bytes : 1), "cuMemAlloc"));
    return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
  }

  StatusOr<void *> allocateShared(size_t bytes) const override {
    CUdeviceptr pointer = 0;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemAllocManaged(&pointer, bytes ? bytes : 1, kMemAttachGlobal),
        "cuMemAllocManaged"));
    return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
  }

  Status free(void *pointer) const override {
    return cuda_.check(cuda_.cuMemFree_v2(reinterpret_cast<uintptr_t>(pointer)),
                       "cuMemFree");
  }

  Status synchronizeDevice() const override {
    return cuda_.check(cuda_.cuCtxSynchronize(), "cuCtxSynchronize");
  }

private:
  const CudaDriver &cuda_;
};

} // namespace

StatusOr<const GpuHostBackend *> cudaHostBackend() {
  static const GpuHostBackend *backend = nullptr;
  static std::once_flag once;
  StatusOr<CudaDriver *> cuda = CudaDriver::get();
  if (!cuda.isOk())
    return cuda.status();
  std::call_once(once, [&] { backend = new CudaHostBackend(**cuda); });
  return backend;
}

} // namespace vmgpu::runtime
