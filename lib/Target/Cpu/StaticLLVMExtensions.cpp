//===- StaticLLVMExtensions.cpp - pass-plugin hooks for static LLVM links -===//
//
// Debian builds LLVM with Polly linked into libLLVM.so, so the static
// libLLVMLTO.a (pulled in by lld's LTO support) refers to
// getPollyPluginInfo(), which no static archive defines. vmgpu never runs
// LTO or Polly; in static links (VMGPU_STATIC_LLVM) this empty plugin
// satisfies the reference. Other builds compile nothing here.
//
//===----------------------------------------------------------------------===//

#ifdef VMGPU_STATIC_LLVM
#include "llvm/Config/llvm-config.h"
#include "llvm/Plugins/PassPlugin.h"

llvm::PassPluginLibraryInfo getPollyPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "vmgpu-no-polly", LLVM_VERSION_STRING,
          [](llvm::PassBuilder &) {}};
}
#endif
