//===- DriverLibrary.cpp - what the dlopen'ed GPU drivers share -----------===//

#include "vmgpu/runtime/DriverLibrary.h"
#include "vmgpu/runtime/Environment.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>

namespace vmgpu::runtime {

StatusOr<DriverLibrary>
openDriverLibrary(const std::vector<std::string> &candidates,
                  std::string_view what, const char *file, int line) {
  for (const std::string &name : candidates)
    if (void *handle = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL))
      return DriverLibrary{handle, name};
  std::string tried;
  for (const std::string &name : candidates)
    tried += (tried.empty() ? "" : ", ") + name;
  return unavailableError(
      "no " + std::string(what) + " (" + tried + " not found)", file, line);
}

void *findDriverSymbol(const DriverLibrary &library, const char *name) {
  return dlsym(library.handle, name);
}

bool driverFaultInjected(const char *call) {
  return environmentValue(EnvironmentVariable::FaultInject) == call;
}

std::string driverCallFailure(const char *call, std::string_view name,
                              std::string_view text) {
  return std::string(call) + " failed: " + std::string(name) + " (" +
         std::string(text) + ")";
}

} // namespace vmgpu::runtime
