//===- DriverLibrary.h - what the dlopen'ed GPU drivers share ---*- C++ -*-===//
//
// CudaDriver and HipDriver load their library at run time, resolve an
// X-macro symbol table from it and report failed calls the same way; the
// pieces they share are here.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DRIVERLIBRARY_H
#define VMGPU_RUNTIME_DRIVERLIBRARY_H

#include "vmgpu/runtime/Status.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::runtime {

/// A driver library loaded with dlopen. The handle is never closed (the
/// drivers keep their symbols for the process's lifetime).
struct DriverLibrary {
  void *handle = nullptr;
  /// The candidate that loaded (a file name or path).
  std::string fileName;
};

/// Loads the first of `candidates` that dlopen (RTLD_NOW | RTLD_LOCAL)
/// finds. Unavailable, "no <what> (<candidates, comma-separated> not
/// found)", when none loads; `file`/`line` name the call site, as for the
/// Status factories. Thread-safe.
StatusOr<DriverLibrary>
openDriverLibrary(const std::vector<std::string> &candidates,
                  std::string_view what, const char *file = __builtin_FILE(),
                  int line = __builtin_LINE());

/// The address of `name` in `library` (dlsym); nullptr when it lacks it.
void *findDriverSymbol(const DriverLibrary &library, const char *name);

/// Sets `entry`, a member of a driver's symbol table, to `name` in
/// `library`; false when the library lacks it (`entry` is then null).
template <typename Function>
bool resolveDriverSymbol(const DriverLibrary &library, const char *name,
                         Function &entry) {
  entry = reinterpret_cast<Function>(findDriverSymbol(library, name));
  return entry != nullptr;
}

/// A library's process-wide instance, loaded by the first get() (never
/// unloaded); every later get() returns it, or the Status of that first
/// attempt. Thread-safe. Make one with `new` and keep it for the process's
/// lifetime (no destructor runs at exit while other statics may still use
/// the library).
template <typename Library> class ProcessLibrary {
public:
  /// `load()` gives StatusOr<std::unique_ptr<Library>>; called once.
  template <typename Load> StatusOr<Library *> get(Load load) {
    std::call_once(once_, [&] {
      StatusOr<std::unique_ptr<Library>> loaded = load();
      if (loaded.isOk())
        library_.store(loaded->release());
      else
        failure_ = loaded.status();
    });
    if (Library *library = library_.load())
      return library;
    return failure_;
  }
  /// The instance when a get() loaded it; null otherwise (never loads).
  Library *loaded() const { return library_.load(); }

private:
  std::once_flag once_;
  std::atomic<Library *> library_{nullptr};
  Status failure_;
};

/// True when $VMGPU_FAULT_INJECT names `call`: the drivers then report that
/// call as failed (tests of the fallback paths on machines without a GPU).
bool driverFaultInjected(const char *call);

/// The message of a failed driver call: "<call> failed: <name> (<text>)",
/// with the driver's error name and description.
std::string driverCallFailure(const char *call, std::string_view name,
                              std::string_view text);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_DRIVERLIBRARY_H
