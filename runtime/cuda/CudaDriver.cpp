//===- CudaDriver.cpp - the CUDA driver API, loaded at run time -----------===//

#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/DriverLibrary.h"

#include <memory>
#include <mutex>

namespace vmgpu::runtime {
namespace {
// The CUresult values vmgpu distinguishes (cuda.h's numbering).
constexpr CUresult kSuccess = 0;
constexpr CUresult kInvalidValue = 1;
constexpr CUresult kOutOfMemory = 2;
constexpr CUresult kNotInitialized = 3;
constexpr CUresult kNoDevice = 100;
constexpr CUresult kInvalidDevice = 101;
constexpr CUresult kInvalidImage = 200;
constexpr CUresult kNoBinaryForGpu = 209;
constexpr CUresult kInvalidPtx = 218;
constexpr CUresult kUnsupportedPtxVersion = 222;
constexpr CUresult kUnknown = 999;
// Device attributes.
constexpr int kMultiprocessorCount = 16;
constexpr int kComputeCapabilityMajor = 75;
constexpr int kComputeCapabilityMinor = 76;
} // namespace

StatusCode cudaStatusCode(CUresult result) {
  switch (result) {
  case kSuccess:
    return StatusCode::Ok;
  case kOutOfMemory:
    return StatusCode::OutOfMemory;
  case kNoDevice:
  case kInvalidDevice:
  case kNotInitialized:
    return StatusCode::Unavailable;
  // Bad images and values are vmgpu's doing, not the caller's input: they
  // must not look like InvalidArgument, which the engine never retries on
  // the CPU.
  case kInvalidValue:
  case kInvalidImage:
  case kNoBinaryForGpu:
  case kInvalidPtx:
  case kUnsupportedPtxVersion:
  default:
    return StatusCode::Internal;
  }
}

bool CudaDriver::faultInjected(const char *call) {
  return driverFaultInjected(call);
}

Status CudaDriver::check(CUresult result, const char *call) const {
  if (faultInjected(call))
    result = kUnknown;
  if (result == kSuccess)
    return okStatus();
  const char *name = "CUDA_ERROR_?";
  const char *text = "unknown error";
  if (cuGetErrorName)
    cuGetErrorName(result, &name);
  if (cuGetErrorString)
    cuGetErrorString(result, &text);
  return Status(cudaStatusCode(result), driverCallFailure(call, name, text));
}

StatusOr<CudaDriver *> CudaDriver::get() {
  static CudaDriver *driver = nullptr;
  static Status failure;
  static std::once_flag once;
  std::call_once(once, [] {
    StatusOr<DriverLibrary> library =
        openDriverLibrary({"libcuda.so.1"}, "CUDA driver");
    if (!library.isOk()) {
      failure = library.status();
      return;
    }
    std::unique_ptr<CudaDriver> loaded(new CudaDriver());
    loaded->library_ = library->handle;
#define CUDA_SYMBOL(name, ret, params)                                         \
  if (!resolveDriverSymbol(*library, #name, loaded->name)) {                   \
    failure = unavailableError("the CUDA driver lacks " #name);                \
    return;                                                                    \
  }
// Optional symbols stay null when missing; their users check.
#define CUDA_OPTIONAL_SYMBOL(name, ret, params)                                \
  (void)resolveDriverSymbol(*library, #name, loaded->name);
#include "vmgpu/runtime/CudaSymbols.def"
    if (Status status = loaded->check(loaded->cuInit(0), "cuInit");
        !status.isOk()) {
      failure = unavailableError("CUDA is not usable: " + status.message());
      return;
    }
    driver = loaded.release();
  });
  if (!driver)
    return failure;
  return driver;
}

StatusOr<int> CudaDriver::deviceCount() const {
  int count = 0;
  VMGPU_RETURN_IF_ERROR(check(cuDeviceGetCount(&count), "cuDeviceGetCount"));
  return count;
}

StatusOr<CudaDeviceInfo> CudaDriver::deviceInfo(int ordinal) const {
  CUdevice device;
  VMGPU_RETURN_IF_ERROR(check(cuDeviceGet(&device, ordinal), "cuDeviceGet"));
  CudaDeviceInfo info;
  char name[256] = {};
  VMGPU_RETURN_IF_ERROR(
      check(cuDeviceGetName(name, sizeof(name) - 1, device), "cuDeviceGetName"));
  info.name = name;
  int major = 0, minor = 0;
  VMGPU_RETURN_IF_ERROR(check(
      cuDeviceGetAttribute(&major, kComputeCapabilityMajor, device),
      "cuDeviceGetAttribute"));
  VMGPU_RETURN_IF_ERROR(check(
      cuDeviceGetAttribute(&minor, kComputeCapabilityMinor, device),
      "cuDeviceGetAttribute"));
  info.architecture = "sm_" + std::to_string(major * 10 + minor);
  VMGPU_RETURN_IF_ERROR(check(
      cuDeviceGetAttribute(&info.multiprocessors, kMultiprocessorCount, device),
      "cuDeviceGetAttribute"));
  VMGPU_RETURN_IF_ERROR(
      check(cuDeviceTotalMem_v2(&info.memoryBytes, device), "cuDeviceTotalMem"));
  return info;
}

Status CudaDriver::makeCurrent(int ordinal) const {
  CUcontext context;
  {
    // Retained once per device: every retain must be matched by a release,
    // and the context lives as long as the process anyway.
    std::lock_guard<std::mutex> lock(contextsMutex_);
    auto found = contexts_.find(ordinal);
    if (found == contexts_.end()) {
      CUdevice device;
      VMGPU_RETURN_IF_ERROR(
          check(cuDeviceGet(&device, ordinal), "cuDeviceGet"));
      VMGPU_RETURN_IF_ERROR(check(cuDevicePrimaryCtxRetain(&context, device),
                                  "cuDevicePrimaryCtxRetain"));
      found = contexts_.emplace(ordinal, context).first;
    }
    context = found->second;
  }
  return check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
}

} // namespace vmgpu::runtime
