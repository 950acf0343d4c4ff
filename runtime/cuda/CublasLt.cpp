//===- CublasLt.cpp - cuBLASLt, loaded at run time ------------------------===//

#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/Environment.h"
#include "vmgpu/runtime/DriverLibrary.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace vmgpu::runtime {
namespace {
constexpr int kStatusSuccess = 0;
constexpr int kStatusInternalError = 14;
} // namespace

std::vector<std::string> CublasLt::defaultLibraryNames() {
  if (std::optional<std::string> path =
          environmentValue(EnvironmentVariable::CublasLtLibrary))
    return {*path};
  return {"libcublasLt.so.13", "libcublasLt.so"};
}

StatusOr<std::unique_ptr<CublasLt>>
CublasLt::load(const std::vector<std::string> &libraries) {
  VMGPU_ASSIGN_OR_RETURN(DriverLibrary library,
                         openDriverLibrary(libraries, "cuBLASLt"));
  std::unique_ptr<CublasLt> loaded(new CublasLt());
  loaded->fileName_ = library.fileName;
#define CUBLASLT_SYMBOL(name, ret, params)                                     \
  if (!resolveDriverSymbol(library, #name, loaded->name))                      \
    return unavailableError(library.fileName + " lacks " #name);
#include "vmgpu/runtime/CublasLtSymbols.def"
  return loaded;
}

namespace {
std::atomic<CublasLt *> processLibrary{nullptr};
} // namespace

StatusOr<CublasLt *> CublasLt::get() {
  static Status failure;
  static std::once_flag once;
  std::call_once(once, [] {
    StatusOr<std::unique_ptr<CublasLt>> loaded = load(defaultLibraryNames());
    if (loaded.isOk())
      processLibrary.store(loaded->release());
    else
      failure = loaded.status();
  });
  if (CublasLt *library = processLibrary.load())
    return library;
  return failure;
}

CublasLt *CublasLt::loadedInstance() { return processLibrary.load(); }

Status CublasLt::check(int status, const char *call) const {
  if (driverFaultInjected(call))
    status = kStatusInternalError;
  if (status == kStatusSuccess)
    return okStatus();
  const char *name =
      cublasLtGetStatusName ? cublasLtGetStatusName(status) : nullptr;
  const char *text =
      cublasLtGetStatusString ? cublasLtGetStatusString(status) : nullptr;
  return internalError(driverCallFailure(call, name ? name : "CUBLAS_STATUS_?",
                                         text ? text : "unknown error"));
}

} // namespace vmgpu::runtime
