//===- GpuHostCalls.cpp - mgpu* and allocation functions over a backend ---===//

#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/Environment.h"
#include "vmgpu/runtime/DeviceConstants.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuHostBackend.h"

#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vmgpu::runtime {
namespace {

thread_local Status firstError;
thread_local const GpuHostBackend *currentBackend = nullptr;
thread_local GpuHostCallHook *currentHook = nullptr;

void raise(Status status) {
  if (firstError.isOk() && !status.isOk())
    firstError = std::move(status);
}

/// The current backend, or null after recording why there is none.
const GpuHostBackend *backend() {
  if (currentBackend)
    return currentBackend;
  StatusOr<const GpuHostBackend *> cuda = cudaHostBackend();
  if (!cuda.isOk()) {
    raise(cuda.status());
    return nullptr;
  }
  return *cuda;
}

/// Device allocations and the backend that made each: a buffer is freed by
/// its own driver whichever backend is current then.
std::mutex allocationsMutex;
std::unordered_map<void *, const GpuHostBackend *> &allocations() {
  static auto *map = new std::unordered_map<void *, const GpuHostBackend *>();
  return *map;
}

/// VMGPU_TRACE_GPU=1 prints module loads and kernel launches (debugging).
bool tracing() {
  static const bool enabled = [] {
    std::optional<std::string> value =
        environmentValue(EnvironmentVariable::TraceGpu);
    return value && *value != "0";
  }();
  return enabled;
}

} // namespace

GpuHostBackend::~GpuHostBackend() = default;

GpuHostBackendScope::GpuHostBackendScope(const GpuHostBackend *backend)
    : previous_(currentBackend) {
  currentBackend = backend;
}

GpuHostBackendScope::~GpuHostBackendScope() { currentBackend = previous_; }

StatusOr<const GpuHostBackend *>
gpuHostBackendForTarget(const std::string &target) {
  if (target == "cpu")
    return static_cast<const GpuHostBackend *>(nullptr);
  if (target == "cuda")
    return cudaHostBackend();
  if (target == "rocm")
    return hipHostBackend();
  return invalidArgumentError("NativeExecutable: unknown artifact target '" +
                              target + "'");
}

void raiseGpuHostCallError(Status status) { raise(std::move(status)); }

GpuHostCallHook::~GpuHostCallHook() = default;

GpuHostCallHookScope::GpuHostCallHookScope(GpuHostCallHook *hook)
    : previous_(currentHook) {
  currentHook = hook;
}

GpuHostCallHookScope::~GpuHostCallHookScope() { currentHook = previous_; }

void noteUncapturableGpuHostCall(const char *what) {
  if (currentHook)
    currentHook->uncapturable(what);
}

bool gpuHostCallFailed() { return !firstError.isOk(); }

Status takeGpuHostCallError() {
  Status status = std::move(firstError);
  firstError = okStatus();
  return status;
}

bool isGpuHostCallAllocation(void *pointer) {
  std::lock_guard<std::mutex> lock(allocationsMutex);
  return allocations().count(pointer) != 0;
}

/// The backend the host calls act on now (see GpuHostBackendScope).
static StatusOr<const GpuHostBackend *> currentOrCuda() {
  if (currentBackend)
    return currentBackend;
  return cudaHostBackend();
}

/// Allocates with `allocate` of the current backend and records who owns
/// the buffer.
static StatusOr<void *>
allocateWith(StatusOr<void *> (GpuHostBackend::*allocate)(size_t) const,
             size_t bytes) {
  VMGPU_ASSIGN_OR_RETURN(const GpuHostBackend *device, currentOrCuda());
  VMGPU_ASSIGN_OR_RETURN(void *address, (device->*allocate)(bytes));
  std::lock_guard<std::mutex> lock(allocationsMutex);
  allocations()[address] = device;
  return address;
}

StatusOr<void *> allocateGpuHostCallDeviceMemory(size_t bytes) {
  return allocateWith(&GpuHostBackend::allocateDevice, bytes);
}

void freeGpuHostCallMemory(void *pointer) {
  const GpuHostBackend *owner = nullptr;
  {
    std::lock_guard<std::mutex> lock(allocationsMutex);
    auto it = allocations().find(pointer);
    // Null from a failed allocation, or memory that is not ours.
    if (it == allocations().end())
      return;
    owner = it->second;
    allocations().erase(it);
  }
  raise(owner->free(pointer));
}

} // namespace vmgpu::runtime

using namespace vmgpu::runtime;

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t bytes) {
  // With a device, buffers come from its pool, ordered on its stream, or
  // from the hook (a graph plan's buffers).
  if (GpuDevice *device = currentGpuDevice()) {
    if (currentHook)
      if (void *provided = currentHook->provide(bytes))
        return provided;
    if (!firstError.isOk())
      return nullptr;
    StatusOr<void *> pointer = device->allocate(bytes);
    if (pointer.isOk()) {
      if (currentHook)
        currentHook->allocated(*pointer, bytes);
      return *pointer;
    }
    raise(pointer.status());
    return nullptr;
  }
  StatusOr<void *> pointer = allocateGpuHostCallDeviceMemory(bytes);
  if (pointer.isOk())
    return *pointer;
  raise(pointer.status());
  return nullptr;
}

void _mlir_memref_to_llvm_free(void *pointer) {
  if (currentHook && currentHook->release(pointer))
    return;
  if (GpuDevice *device = currentGpuDevice(); device && device->free(pointer))
    return;
  freeGpuHostCallMemory(pointer);
}

void *vmgpuDeviceConstant(const void *host, int64_t bytes) {
  DeviceConstants *constants = currentDeviceConstants();
  if (!constants)
    return const_cast<void *>(host);
  if (!firstError.isOk())
    return nullptr;
  if (bytes < 0) {
    raise(internalError("device constant of " + std::to_string(bytes) +
                        " bytes"));
    return nullptr;
  }
  StatusOr<void *> copy = constants->get(host, static_cast<size_t>(bytes));
  if (!copy.isOk()) {
    raise(copy.status());
    return nullptr;
  }
  return *copy;
}

void *mgpuModuleLoad(void *data, size_t size) {
  const GpuHostBackend *device = backend();
  if (!device)
    return nullptr;
  if (tracing())
    std::fprintf(stderr, "vmgpu: %s module load %p\n", device->name(), data);
  StatusOr<void *> module = device->loadModule(data, size);
  if (!module.isOk()) {
    raise(module.status());
    return nullptr;
  }
  return *module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel, size_t size) {
  // PTX text: the driver's module load compiles it (cuModuleLoadDataEx,
  // with its JIT log on failure) at its default optimization level.
  (void)optLevel;
  return mgpuModuleLoad(data, size);
}

void mgpuModuleUnload(void *module) {
  if (GpuDevice *device = currentGpuDevice(); device && module)
    device->forgetModule(module);
  if (const GpuHostBackend *device = backend(); device && module)
    raise(device->unloadModule(module));
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  const GpuHostBackend *device = backend();
  if (!device)
    return nullptr;
  if (!module) {
    raise(internalError(std::string("kernel ") + name +
                        " requested from a module that was never loaded"));
    return nullptr;
  }
  // The emitted code asks before every launch: a device answers from its
  // cache after the first time.
  GpuDevice *gpu = currentGpuDevice();
  StatusOr<void *> function =
      gpu ? gpu->function(module, name) : device->getFunction(module, name);
  if (!function.isOk()) {
    raise(function.status());
    return nullptr;
  }
  return *function;
}

void *mgpuStreamCreate() {
  // The device's persistent stream: creating and destroying one per launch
  // costs about 8 us (PERF-ROUTES.md).
  if (GpuDevice *gpu = currentGpuDevice())
    return gpu->stream();
  const GpuHostBackend *device = backend();
  if (!device)
    return nullptr;
  StatusOr<void *> stream = device->createStream();
  if (!stream.isOk()) {
    raise(stream.status());
    return nullptr;
  }
  return *stream;
}

void mgpuStreamSynchronize(void *stream) {
  // On a device's stream the block's host code never needs to wait: it
  // touches no device buffer, and the runtime waits once at the end of the
  // block, only when results go to the host (NativeExecutable.cpp).
  if (GpuDevice *gpu = currentGpuDevice(); gpu && stream == gpu->stream())
    return;
  if (const GpuHostBackend *device = backend(); device && stream)
    raise(device->synchronizeStream(stream));
}

void mgpuStreamDestroy(void *stream) {
  // The device's stream outlives every block.
  if (GpuDevice *gpu = currentGpuDevice(); gpu && stream == gpu->stream())
    return;
  if (const GpuHostBackend *device = backend(); device && stream)
    raise(device->destroyStream(stream));
}

void mgpuMemcpy(void *destination, void *source, size_t sizeBytes,
                void *stream) {
  const GpuHostBackend *device = backend();
  if (!device || !firstError.isOk() || sizeBytes == 0)
    return;
  raise(device->copy(destination, source, sizeBytes, stream));
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedBytes, void *stream,
                      void **params, void **extra, size_t paramCount) {
  const GpuHostBackend *device = backend();
  if (tracing())
    std::fprintf(stderr,
                 "vmgpu: %s launch %p grid (%ld, %ld, %ld) block (%ld, %ld, "
                 "%ld) params %zu, pending error: %s\n",
                 device ? device->name() : "no backend", function, (long)gridX,
                 (long)gridY, (long)gridZ, (long)blockX, (long)blockY,
                 (long)blockZ, paramCount,
                 firstError.isOk() ? "none" : firstError.toString().c_str());
  // After an error the block's results are discarded: launch nothing more.
  if (!device || !firstError.isOk())
    return;
  if (!function) {
    raise(internalError("launch of a kernel that was not found"));
    return;
  }
  for (intptr_t size : {gridX, gridY, gridZ, blockX, blockY, blockZ})
    if (size <= 0 || size > INT_MAX) {
      raise(internalError("launch size out of range: " + std::to_string(size)));
      return;
    }
  const unsigned grid[3] = {unsigned(gridX), unsigned(gridY), unsigned(gridZ)};
  const unsigned block[3] = {unsigned(blockX), unsigned(blockY),
                             unsigned(blockZ)};
  raise(device->launch(function, grid, block, unsigned(sharedBytes), stream,
                       params, extra));
}

} // extern "C"
