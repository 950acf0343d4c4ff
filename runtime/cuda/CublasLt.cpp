//===- CublasLt.cpp - cuBLASLt, loaded at run time ------------------------===//

#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/Environment.h"
#include "vmgpu/runtime/DriverLibrary.h"

#include <cstdlib>

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

static ProcessLibrary<CublasLt> &processLibrary() {
  static auto *library = new ProcessLibrary<CublasLt>();
  return *library;
}

StatusOr<CublasLt *> CublasLt::get() {
  return processLibrary().get([] { return load(defaultLibraryNames()); });
}

CublasLt *CublasLt::loadedInstance() { return processLibrary().loaded(); }

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
