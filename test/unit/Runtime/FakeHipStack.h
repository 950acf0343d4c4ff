//===- FakeHipStack.h - a device over the fake HIP runtime ------*- C++ -*-===//

#ifndef VMGPU_TEST_UNIT_RUNTIME_FAKEHIPSTACK_H
#define VMGPU_TEST_UNIT_RUNTIME_FAKEHIPSTACK_H

#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/HipDriver.h"

#include <memory>

namespace vmgpu::test {

/// The fake HIP runtime at `library` loaded as a driver, a backend over it,
/// and its device 0: what tests of the device layer without a GPU run on.
/// Ownership: owns all three (the device goes first).
struct FakeHipStack {
  std::unique_ptr<runtime::HipDriver> driver;
  std::unique_ptr<runtime::GpuHostBackend> backend;
  std::unique_ptr<runtime::GpuDevice> device;

  /// Loads `library` and makes its device 0; the first failure.
  runtime::Status load(const char *library) {
    runtime::StatusOr<std::unique_ptr<runtime::HipDriver>> loaded =
        runtime::HipDriver::load({library});
    if (!loaded.isOk())
      return loaded.status();
    driver = std::move(loaded).value();
    backend = runtime::makeHipHostBackend(*driver);
    runtime::StatusOr<std::unique_ptr<runtime::GpuDevice>> made =
        runtime::GpuDevice::create(*backend, "rocm", 0);
    if (!made.isOk())
      return made.status();
    device = std::move(made).value();
    return runtime::okStatus();
  }
};

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_RUNTIME_FAKEHIPSTACK_H
