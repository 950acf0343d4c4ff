//===- HipDriver.cpp - the HIP runtime API, loaded at run time ------------===//

#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/Environment.h"
#include "vmgpu/runtime/DriverLibrary.h"

#include <climits>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace vmgpu::runtime {
namespace {
// The hipError_t values vmgpu distinguishes (hip_runtime_api.h's numbering,
// which follows CUDA's).
constexpr hipError_t kSuccess = 0;
constexpr hipError_t kInvalidValue = 1;
constexpr hipError_t kOutOfMemory = 2;
constexpr hipError_t kNotInitialized = 3;
constexpr hipError_t kDeinitialized = 4;
constexpr hipError_t kInsufficientDriver = 35;
constexpr hipError_t kInvalidDeviceFunction = 98;
constexpr hipError_t kNoDevice = 100;
constexpr hipError_t kInvalidDevice = 101;
constexpr hipError_t kInvalidImage = 200;
constexpr hipError_t kInvalidContext = 201;
constexpr hipError_t kNoBinaryForGpu = 209;
constexpr hipError_t kInvalidKernelFile = 218;
constexpr hipError_t kSharedObjectInitFailed = 303;
constexpr hipError_t kInvalidHandle = 400;
constexpr hipError_t kNotFound = 500;
constexpr hipError_t kIllegalAddress = 700;
constexpr hipError_t kLaunchOutOfResources = 701;
constexpr hipError_t kLaunchFailure = 719;
constexpr hipError_t kNotSupported = 801;
constexpr hipError_t kUnknown = 999;

constexpr unsigned kStreamNonBlocking = 1;
constexpr unsigned kMemAttachGlobal = 1;
// hipDeviceProp_t is at most about 1.5 KiB in every ROCm release; the
// buffer is larger so that no layout can overrun it.
constexpr size_t kDevicePropertiesBytes = 8192;
} // namespace

StatusCode hipStatusCode(hipError_t result) {
  switch (result) {
  case kSuccess:
    return StatusCode::Ok;
  case kOutOfMemory:
    return StatusCode::OutOfMemory;
  case kNoDevice:
  case kInvalidDevice:
  case kNotInitialized:
  case kDeinitialized:
  case kInsufficientDriver:
    return StatusCode::Unavailable;
  // Bad images, handles and values are vmgpu's doing, not the caller's
  // input: they must not look like InvalidArgument, which the engine never
  // retries on the CPU.
  case kInvalidValue:
  case kInvalidImage:
  case kInvalidContext:
  case kNoBinaryForGpu:
  case kInvalidKernelFile:
  case kSharedObjectInitFailed:
  case kInvalidDeviceFunction:
  case kInvalidHandle:
  case kNotFound:
  case kIllegalAddress:
  case kLaunchOutOfResources:
  case kLaunchFailure:
  case kNotSupported:
  case kUnknown:
  default:
    return StatusCode::Internal;
  }
}

std::string hipErrorName(hipError_t result) {
  switch (result) {
  case kSuccess:
    return "hipSuccess";
  case kInvalidValue:
    return "hipErrorInvalidValue";
  case kOutOfMemory:
    return "hipErrorOutOfMemory";
  case kNotInitialized:
    return "hipErrorNotInitialized";
  case kDeinitialized:
    return "hipErrorDeinitialized";
  case kInsufficientDriver:
    return "hipErrorInsufficientDriver";
  case kInvalidDeviceFunction:
    return "hipErrorInvalidDeviceFunction";
  case kNoDevice:
    return "hipErrorNoDevice";
  case kInvalidDevice:
    return "hipErrorInvalidDevice";
  case kInvalidImage:
    return "hipErrorInvalidImage";
  case kInvalidContext:
    return "hipErrorInvalidContext";
  case kNoBinaryForGpu:
    return "hipErrorNoBinaryForGpu";
  case kInvalidKernelFile:
    return "hipErrorInvalidKernelFile";
  case kSharedObjectInitFailed:
    return "hipErrorSharedObjectInitFailed";
  case kInvalidHandle:
    return "hipErrorInvalidHandle";
  case kNotFound:
    return "hipErrorNotFound";
  case kIllegalAddress:
    return "hipErrorIllegalAddress";
  case kLaunchOutOfResources:
    return "hipErrorLaunchOutOfResources";
  case kLaunchFailure:
    return "hipErrorLaunchFailure";
  case kNotSupported:
    return "hipErrorNotSupported";
  case kUnknown:
    return "hipErrorUnknown";
  default:
    return "hipError" + std::to_string(result);
  }
}

std::string hipArchitectureFromName(const std::string &gcnArchName) {
  return gcnArchName.substr(0, gcnArchName.find(':'));
}

Status HipDriver::check(hipError_t result, const char *call) const {
  if (driverFaultInjected(call))
    result = kUnknown;
  if (result == kSuccess)
    return okStatus();
  std::string name = hipErrorName(result);
  std::string text = "no description";
  if (hipGetErrorName)
    if (const char *reported = hipGetErrorName(result))
      name = reported;
  if (hipGetErrorString)
    if (const char *reported = hipGetErrorString(result))
      text = reported;
  return Status(hipStatusCode(result), driverCallFailure(call, name, text));
}

std::vector<std::string> HipDriver::defaultLibraryNames() {
  if (std::optional<std::string> path =
          environmentValue(EnvironmentVariable::HipLibrary))
    return {*path};
  return {"libamdhip64.so", "libamdhip64.so.7", "libamdhip64.so.6",
          "libamdhip64.so.5"};
}

StatusOr<std::unique_ptr<HipDriver>>
HipDriver::load(const std::vector<std::string> &libraries) {
  VMGPU_ASSIGN_OR_RETURN(DriverLibrary library,
                         openDriverLibrary(libraries, "HIP runtime"));
  std::unique_ptr<HipDriver> driver(new HipDriver());
  driver->library_ = library.handle;
  driver->libraryName_ = library.fileName;
#define HIP_SYMBOL(name, ret, params)                                          \
  if (!resolveDriverSymbol(library, #name, driver->name))                      \
    return unavailableError("the HIP runtime " + library.fileName +            \
                            " lacks " #name);
#define HIP_OPTIONAL_SYMBOL(name, ret, params)                                 \
  resolveDriverSymbol(library, #name, driver->name);
#include "vmgpu/runtime/HipSymbols.def"
  if (Status status = driver->check(driver->hipInit(0), "hipInit");
      !status.isOk())
    return unavailableError("HIP is not usable: " + status.message());
  return driver;
}

StatusOr<HipDriver *> HipDriver::get() {
  static HipDriver *driver = nullptr;
  static Status failure;
  static std::once_flag once;
  std::call_once(once, [] {
    StatusOr<std::unique_ptr<HipDriver>> loaded = load(defaultLibraryNames());
    if (!loaded.isOk()) {
      failure = loaded.status();
      return;
    }
    driver = std::move(loaded).value().release();
  });
  if (!driver)
    return failure;
  return driver;
}

StatusOr<int> HipDriver::deviceCount() const {
  int count = 0;
  hipError_t result = hipGetDeviceCount(&count);
  // HIP reports a machine without devices as an error; it is a count of 0.
  if (result == kNoDevice)
    return 0;
  VMGPU_RETURN_IF_ERROR(check(result, "hipGetDeviceCount"));
  return count;
}

StatusOr<HipDeviceInfo> HipDriver::deviceInfo(int ordinal) const {
  hipDevice_t device;
  VMGPU_RETURN_IF_ERROR(check(hipDeviceGet(&device, ordinal), "hipDeviceGet"));
  HipDeviceInfo info;
  char name[256] = {};
  VMGPU_RETURN_IF_ERROR(check(hipDeviceGetName(name, sizeof(name) - 1, device),
                              "hipDeviceGetName"));
  info.name = name;
  VMGPU_RETURN_IF_ERROR(
      check(hipDeviceTotalMem(&info.memoryBytes, device), "hipDeviceTotalMem"));
  // The layout of hipDeviceProp_t differs between ROCm releases, and no
  // other call reports the architecture: take the properties into a large
  // zeroed buffer and find gcnArchName as the NUL-terminated field that
  // starts with "gfx".
  auto properties = hipGetDevicePropertiesR0600 ? hipGetDevicePropertiesR0600
                                                : hipGetDeviceProperties;
  if (properties) {
    std::vector<char> buffer(kDevicePropertiesBytes, 0);
    VMGPU_RETURN_IF_ERROR(
        check(properties(buffer.data(), ordinal), "hipGetDeviceProperties"));
    for (size_t i = 0; i + 4 < buffer.size(); ++i) {
      if ((i == 0 || buffer[i - 1] == 0) &&
          std::strncmp(&buffer[i], "gfx", 3) == 0 && buffer[i + 3] >= '0' &&
          buffer[i + 3] <= '9') {
        size_t length = strnlen(&buffer[i], buffer.size() - i);
        info.architecture =
            hipArchitectureFromName(std::string(&buffer[i], length));
        break;
      }
    }
  }
  return info;
}

Status HipDriver::makeCurrent(int ordinal) const {
  return check(hipSetDevice(ordinal), "hipSetDevice");
}

StatusOr<hipModule_t> HipDriver::loadModule(const void *hsaco) const {
  hipModule_t module = nullptr;
  VMGPU_RETURN_IF_ERROR(
      check(hipModuleLoadData(&module, hsaco), "hipModuleLoadData"));
  return module;
}

Status HipDriver::unloadModule(hipModule_t module) const {
  return check(hipModuleUnload(module), "hipModuleUnload");
}

StatusOr<hipFunction_t> HipDriver::getFunction(hipModule_t module,
                                               const char *name) const {
  hipFunction_t function = nullptr;
  Status status =
      check(hipModuleGetFunction(&function, module, name), "hipModuleGetFunction");
  if (!status.isOk())
    return status.withContext(std::string("kernel ") + name);
  return function;
}

Status HipDriver::launch(hipFunction_t function, const unsigned grid[3],
                         const unsigned block[3], unsigned sharedBytes,
                         hipStream_t stream, void **params) const {
  for (int i = 0; i < 3; ++i)
    if (grid[i] == 0 || block[i] == 0 || grid[i] > INT_MAX ||
        block[i] > INT_MAX)
      return internalError("launch size out of range");
  return check(hipModuleLaunchKernel(function, grid[0], grid[1], grid[2],
                                     block[0], block[1], block[2], sharedBytes,
                                     stream, params, nullptr),
               "hipModuleLaunchKernel");
}

StatusOr<hipStream_t> HipDriver::createStream() const {
  hipStream_t stream = nullptr;
  VMGPU_RETURN_IF_ERROR(check(hipStreamCreateWithFlags(&stream, kStreamNonBlocking),
                              "hipStreamCreateWithFlags"));
  return stream;
}

Status HipDriver::synchronize(hipStream_t stream) const {
  return check(hipStreamSynchronize(stream), "hipStreamSynchronize");
}

Status HipDriver::destroyStream(hipStream_t stream) const {
  return check(hipStreamDestroy(stream), "hipStreamDestroy");
}

StatusOr<void *> HipDriver::allocateDevice(size_t bytes) const {
  void *pointer = nullptr;
  VMGPU_RETURN_IF_ERROR(check(hipMalloc(&pointer, bytes ? bytes : 1), "hipMalloc"));
  return pointer;
}

StatusOr<void *> HipDriver::allocateManaged(size_t bytes) const {
  void *pointer = nullptr;
  // Zero-byte buffers still need a distinct address.
  VMGPU_RETURN_IF_ERROR(check(
      hipMallocManaged(&pointer, bytes ? bytes : 1, kMemAttachGlobal),
      "hipMallocManaged"));
  return pointer;
}

Status HipDriver::free(void *pointer) const {
  return check(hipFree(pointer), "hipFree");
}

} // namespace vmgpu::runtime
