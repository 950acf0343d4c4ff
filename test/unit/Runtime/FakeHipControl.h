//===- FakeHipControl.h - tests' handle on the fake HIP ----*- C++ -*-===//

#ifndef VMGPU_TEST_UNIT_RUNTIME_FAKEHIPCONTROL_H
#define VMGPU_TEST_UNIT_RUNTIME_FAKEHIPCONTROL_H

#include <dlfcn.h>

namespace vmgpu::test {

/// The fake runtime's controls (FakeHip.cpp), reached through dlopen like
/// the driver's symbols: the same handle, so the same state. Construction
/// resets the fake (no injected errors, call counts at 0).
///
/// Ownership: holds a dlopen reference for the test's lifetime.
/// Thread-safety: none; for single-threaded tests.
struct FakeHipControl {
  explicit FakeHipControl(const char *path) {
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return;
    setError = reinterpret_cast<void (*)(const char *, int)>(
        dlsym(handle, "fakeHipSetError"));
    callCount = reinterpret_cast<int (*)(const char *)>(
        dlsym(handle, "fakeHipCallCount"));
    lastDevice = reinterpret_cast<int (*)(const char *)>(
        dlsym(handle, "fakeHipLastDevice"));
    reset = reinterpret_cast<void (*)()>(dlsym(handle, "fakeHipReset"));
    reset();
  }
  ~FakeHipControl() {
    if (handle)
      dlclose(handle);
  }
  FakeHipControl(const FakeHipControl &) = delete;
  FakeHipControl &operator=(const FakeHipControl &) = delete;

  void *handle = nullptr;
  /// Makes `call` return `error` from now on.
  void (*setError)(const char *call, int error) = nullptr;
  /// How often `call` ran since the last reset.
  int (*callCount)(const char *call) = nullptr;
  /// The device current when `call` last ran (-1: it did not run).
  int (*lastDevice)(const char *call) = nullptr;
  void (*reset)() = nullptr;
};

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_RUNTIME_FAKEHIPCONTROL_H
