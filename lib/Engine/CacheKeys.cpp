//===- CacheKeys.cpp - kernel cache keys ----------------------------------===//

#include "CacheKeys.h"

#include "vmgpu/vmgpu.h"

#include "mlir/IR/OperationSupport.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

namespace vmgpu {

std::string hashKeyParts(llvm::ArrayRef<llvm::StringRef> parts) {
  llvm::SHA256 hash;
  for (llvm::StringRef part : parts) {
    uint8_t length[8];
    llvm::support::endian::write64le(length, part.size());
    hash.update(llvm::ArrayRef<uint8_t>(length));
    hash.update(part);
  }
  return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

const std::string &compilerBuildId() {
  static const std::string id = [] {
    std::string file = "unknown";
    std::string stamp;
    Dl_info info;
    if (dladdr(reinterpret_cast<void *>(&hashKeyParts), &info) &&
        info.dli_fname) {
      file = info.dli_fname;
      // For the main program glibc reports argv[0], which need not be a
      // path (a tool started through PATH): ask the kernel instead.
      if (file.find('/') == std::string::npos)
        file = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
      llvm::sys::fs::file_status status;
      if (!llvm::sys::fs::status(file, status))
        stamp = std::to_string(status.getSize()) + "@" +
                std::to_string(status.getLastModificationTime()
                                   .time_since_epoch()
                                   .count());
    }
    // The release (vmgpu.h) and LLVM's version name the compiler; the
    // binary's path, size and time tell builds of one release apart.
    std::string release = "vmgpu " + std::to_string(VMGPU_VERSION_MAJOR) +
                          "." + std::to_string(VMGPU_VERSION_MINOR) + "." +
                          std::to_string(VMGPU_VERSION_PATCH);
    return hashKeyParts(
        {release, "llvm " LLVM_VERSION_STRING, file, stamp});
  }();
  return id;
}

std::string canonicalModuleText(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, mlir::OpPrintingFlags()
                        .enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
                        .printGenericOpForm());
  return text;
}

} // namespace vmgpu
