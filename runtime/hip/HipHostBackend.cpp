//===- HipHostBackend.cpp - the GPU host calls' backend over HIP ----------===//

#include "vmgpu/runtime/GpuHostBackend.h"
#include "vmgpu/runtime/HipDriver.h"

#include <mutex>

namespace vmgpu::runtime {
namespace {

class HipHostBackend final : public GpuHostBackend {
public:
  explicit HipHostBackend(const HipDriver &hip) : hip_(hip) {}

  const char *name() const override { return "hip"; }

  // HSACO is an ELF file that carries its own size.
  StatusOr<void *> loadModule(const void *data, size_t) const override {
    VMGPU_ASSIGN_OR_RETURN(hipModule_t module, hip_.loadModule(data));
    return static_cast<void *>(module);
  }

  Status unloadModule(void *module) const override {
    return hip_.unloadModule(static_cast<hipModule_t>(module));
  }

  StatusOr<void *> getFunction(void *module, const char *name) const override {
    VMGPU_ASSIGN_OR_RETURN(
        hipFunction_t function,
        hip_.getFunction(static_cast<hipModule_t>(module), name));
    return static_cast<void *>(function);
  }

  StatusOr<void *> createStream() const override {
    VMGPU_ASSIGN_OR_RETURN(hipStream_t stream, hip_.createStream());
    return static_cast<void *>(stream);
  }

  Status synchronizeStream(void *stream) const override {
    return hip_.synchronize(static_cast<hipStream_t>(stream));
  }

  Status destroyStream(void *stream) const override {
    return hip_.destroyStream(static_cast<hipStream_t>(stream));
  }

  Status launch(void *function, const unsigned grid[3], const unsigned block[3],
                unsigned sharedBytes, void *stream, void **params,
                void **extra) const override {
    // gpu-to-llvm passes every argument through `params`.
    if (extra)
      return internalError("hipModuleLaunchKernel: launches with `extra` "
                           "arguments are not supported");
    return hip_.launch(static_cast<hipFunction_t>(function), grid, block,
                       sharedBytes, static_cast<hipStream_t>(stream), params);
  }

  // hipMemcpy returns once the copy is done, so it precedes whatever is
  // queued on `stream` afterwards.
  Status copy(void *destination, const void *source, size_t bytes,
              void *) const override {
    constexpr int kHipMemcpyDefault = 4;
    return hip_.check(
        hip_.hipMemcpy(destination, source, bytes, kHipMemcpyDefault),
        "hipMemcpy");
  }

  StatusOr<void *> allocateDevice(size_t bytes) const override {
    return hip_.allocateDevice(bytes);
  }

  StatusOr<void *> allocateShared(size_t bytes) const override {
    return hip_.allocateManaged(bytes);
  }

  Status free(void *pointer) const override { return hip_.free(pointer); }

  Status synchronizeDevice() const override {
    return hip_.check(hip_.hipDeviceSynchronize(), "hipDeviceSynchronize");
  }

private:
  const HipDriver &hip_;
};

} // namespace

std::unique_ptr<GpuHostBackend> makeHipHostBackend(const HipDriver &driver) {
  return std::make_unique<HipHostBackend>(driver);
}

StatusOr<const GpuHostBackend *> hipHostBackend() {
  static const GpuHostBackend *backend = nullptr;
  static std::once_flag once;
  StatusOr<HipDriver *> hip = HipDriver::get();
  if (!hip.isOk())
    return hip.status();
  std::call_once(once, [&] { backend = makeHipHostBackend(**hip).release(); });
  return backend;
}

} // namespace vmgpu::runtime
