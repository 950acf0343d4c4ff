//===- HostCallScope.cpp - blocks find the host calls of libvmgpu.so ------===//
//
// A compiled block is a shared object that the runtime dlopens; its GPU host
// code calls mgpu*, vmgpuGemm*, _mlir_memref_to_llvm_* and the bf16 libcalls
// by name, and the dynamic linker resolves those names in the global scope.
// An executable that links the C API statically exports them itself
// (vmgpu_export_gpu_host_calls). libvmgpu.so exports them too, but it is in
// the global scope only when it was linked in or dlopened with RTLD_GLOBAL;
// FFIs (Python's ctypes, JNA, dlopen from a plugin) load it RTLD_LOCAL. So
// the first engine moves the library that holds the C API into the global
// scope. Its exported names are only the C API's and the host calls, so
// this adds nothing else to the process's namespace.
//
//===----------------------------------------------------------------------===//

#include "CApiInternal.h"

#include <dlfcn.h>
#include <link.h>
#include <mutex>

namespace vmgpu::capi {

void exposeHostCallsToBlocks() {
  static std::once_flag once;
  std::call_once(once, [] {
    Dl_info info;
    struct link_map *self = nullptr;
    if (!dladdr1(reinterpret_cast<void *>(&vmgpu_engine_create), &info,
                 reinterpret_cast<void **>(&self), RTLD_DL_LINKMAP) ||
        !self)
      return;
    // Linked into the executable (the static library): nothing to do, and
    // the executable has no name to dlopen.
    bool inProgram = false;
    if (void *program = dlopen(nullptr, RTLD_NOW)) {
      struct link_map *programMap = nullptr;
      inProgram = dlinfo(program, RTLD_DI_LINKMAP, &programMap) == 0 &&
                  programMap == self;
      dlclose(program);
    }
    if (inProgram)
      return;
    if (!self->l_name || !*self->l_name)
      return;
    // RTLD_NOLOAD: promote the copy already loaded, never load another. The
    // handle is kept on purpose: blocks bind to this library's functions, so
    // it must not be unloaded while the process may still run them.
    (void)dlopen(self->l_name, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
  });
}

} // namespace vmgpu::capi
