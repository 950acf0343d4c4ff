//===- FakeKernelModule.h - kernels the fake HIP runs -----------*- C++ -*-===//
//
// A fake GPU block (FakeGpuBlock.cpp) may hand the fake HIP runtime
// (FakeHip.cpp) a module image of this layout instead of opaque bytes: its
// kernels are host functions that the fake runs when they are launched, or
// when a graph they were captured into is launched (with the parameter
// values of the capture). Graph replay is then checked by its results.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_UNIT_RUNTIME_FAKEKERNELMODULE_H
#define VMGPU_TEST_UNIT_RUNTIME_FAKEKERNELMODULE_H

#include <cstdint>

namespace vmgpu::test {

inline constexpr char kFakeKernelModuleMagic[16] = "vmgpu fake code";

/// One kernel: its name, the host function that runs it (given the launch's
/// parameter pointers) and the bytes of each parameter.
struct FakeKernel {
  const char *name;
  void (*run)(void **params);
  uint32_t paramCount;
  uint32_t paramBytes[8];
};

struct FakeKernelModule {
  char magic[16];
  uint32_t kernelCount;
  FakeKernel kernels[4];
};

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_RUNTIME_FAKEKERNELMODULE_H
