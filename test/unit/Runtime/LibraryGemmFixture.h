//===- LibraryGemmFixture.h - a device and cuBLASLt over fakes --*- C++ -*-===//
//
// The fixture of the library GEMM tests: a GpuDevice over the fake HIP
// runtime (host memory) and the fake cuBLASLt (FakeCublasLt.cpp) with its
// controls, and small exact matrices with their reference products.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_UNIT_RUNTIME_LIBRARYGEMMFIXTURE_H
#define VMGPU_TEST_UNIT_RUNTIME_LIBRARYGEMMFIXTURE_H

#include "FakeHipControl.h"
#include "FakeHipStack.h"
#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/LibraryGemm.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

namespace vmgpu::test {

using namespace vmgpu::runtime;

/// The fake cuBLASLt's controls, through the same dlopen handle.
struct FakeCublasLtControl {
  explicit FakeCublasLtControl(const char *path) {
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return;
    setError = reinterpret_cast<void (*)(const char *, int)>(
        dlsym(handle, "fakeCublasLtSetError"));
    callCount = reinterpret_cast<int (*)(const char *)>(
        dlsym(handle, "fakeCublasLtCallCount"));
    findNothing = reinterpret_cast<void (*)(int)>(
        dlsym(handle, "fakeCublasLtFindNothing"));
    lastComputeType = reinterpret_cast<int (*)()>(
        dlsym(handle, "fakeCublasLtLastComputeType"));
    setWorkspaceBytes = reinterpret_cast<void (*)(size_t)>(
        dlsym(handle, "fakeCublasLtSetWorkspaceBytes"));
    workspaceConflicts = reinterpret_cast<int (*)()>(
        dlsym(handle, "fakeCublasLtWorkspaceConflicts"));
    lastBias = reinterpret_cast<uintptr_t (*)()>(
        dlsym(handle, "fakeCublasLtLastBias"));
    lastReductionMask = reinterpret_cast<int64_t (*)()>(
        dlsym(handle, "fakeCublasLtLastReductionMask"));
    setCandidates = reinterpret_cast<void (*)(int)>(
        dlsym(handle, "fakeCublasLtSetCandidates"));
    setDelayUs = reinterpret_cast<void (*)(int, int)>(
        dlsym(handle, "fakeCublasLtSetDelayUs"));
    setValidAlgorithms = reinterpret_cast<void (*)(uint64_t)>(
        dlsym(handle, "fakeCublasLtSetValidAlgorithms"));
    lastAlgorithm = reinterpret_cast<uint64_t (*)()>(
        dlsym(handle, "fakeCublasLtLastAlgorithm"));
    setRunnableAlgorithm = reinterpret_cast<void (*)(uint64_t)>(
        dlsym(handle, "fakeCublasLtSetRunnableAlgorithm"));
    reinterpret_cast<void (*)()>(dlsym(handle, "fakeCublasLtReset"))();
  }
  ~FakeCublasLtControl() {
    if (handle)
      dlclose(handle);
  }
  void *handle = nullptr;
  void (*setError)(const char *, int) = nullptr;
  int (*callCount)(const char *) = nullptr;
  void (*findNothing)(int) = nullptr;
  int (*lastComputeType)() = nullptr;
  void (*setWorkspaceBytes)(size_t) = nullptr;
  int (*workspaceConflicts)() = nullptr;
  uintptr_t (*lastBias)() = nullptr;
  int64_t (*lastReductionMask)() = nullptr;
  /// How many candidates the heuristic offers (numbered from 1).
  void (*setCandidates)(int) = nullptr;
  /// Makes algorithm N's matmuls take `us` longer.
  void (*setDelayUs)(int, int) = nullptr;
  /// cublasLtMatmulAlgoCheck accepts algorithms 1 to this.
  void (*setValidAlgorithms)(uint64_t) = nullptr;
  /// The algorithm the last matmul ran (0: none yet).
  uint64_t (*lastAlgorithm)() = nullptr;
  /// Makes every matmul fail but those of one algorithm (0: all run).
  void (*setRunnableAlgorithm)(uint64_t) = nullptr;
};

constexpr int kComputeF32 = 68, kComputeF32FastTf32 = 77, kComputeI32 = 72;

/// Row-major r x c values i * 3 - j (small integers: exact in f32).
inline std::vector<float> matrix(int64_t r, int64_t c, int seed) {
  std::vector<float> values(r * c);
  for (int64_t i = 0; i < r; ++i)
    for (int64_t j = 0; j < c; ++j)
      values[i * c + j] = float((i * 3 + seed) % 7 - (j + seed) % 5);
  return values;
}

/// C = A B for row-major A (m x k) and B (k x n).
inline std::vector<float> reference(const std::vector<float> &a,
                                    const std::vector<float> &b, int64_t m,
                                    int64_t n, int64_t k) {
  std::vector<float> c(m * n, 0.0f);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p)
        c[i * n + j] += a[i * k + p] * b[p * n + j];
  return c;
}

inline GemmOperand rowMajor(const void *address, int64_t cols,
                            int64_t batchStride = 0) {
  return {reinterpret_cast<uintptr_t>(address), batchStride, cols, 1};
}

class LibraryGemmTest : public ::testing::Test, protected FakeHipStack {
protected:
  void SetUp() override {
    hip = std::make_unique<FakeHipControl>(VMGPU_FAKE_HIP);
    ASSERT_TRUE(hip->handle) << dlerror();
    Status loaded = load(VMGPU_FAKE_HIP);
    ASSERT_TRUE(loaded.isOk()) << loaded.toString();
    control = std::make_unique<FakeCublasLtControl>(VMGPU_FAKE_CUBLASLT);
    ASSERT_TRUE(control->handle) << dlerror();
    StatusOr<std::unique_ptr<CublasLt>> lt =
        CublasLt::load({VMGPU_FAKE_CUBLASLT});
    ASSERT_TRUE(lt.isOk()) << lt.status().toString();
    library = std::move(lt).value();
    (void)takeGpuHostCallError();
  }
  void TearDown() override {
    for (void *buffer : buffers)
      device->free(buffer);
    device.reset();
    setLibraryGemmOptions({});
  }

  /// C (m x n) = A B + bias[j] of row-major f32 operands uploaded to the
  /// device, C written, not read (the bias epilogue's problem); C starts
  /// at 99 and is returned in `c`.
  GemmProblem biasProblem(const std::vector<float> &a,
                          const std::vector<float> &b, const float *bias,
                          int64_t m, int64_t n, int64_t k, float *&c) {
    c = upload(std::vector<float>(m * n, 99.0f));
    GemmProblem problem;
    problem.flags = kGemmOutputZero | kGemmBias;
    problem.m = m, problem.n = n, problem.k = k;
    problem.a = rowMajor(upload(a), k);
    problem.b = rowMajor(upload(b), n);
    problem.c = rowMajor(c, n);
    problem.bias = reinterpret_cast<uintptr_t>(bias);
    return problem;
  }

  /// A device buffer holding `values`.
  template <typename T> T *upload(const std::vector<T> &values) {
    StatusOr<void *> buffer =
        device->allocate(std::max<size_t>(values.size(), 1) * sizeof(T));
    EXPECT_TRUE(buffer.isOk());
    std::lock_guard<std::mutex> lock(buffersMutex);
    buffers.push_back(*buffer);
    std::memcpy(*buffer, values.data(), values.size() * sizeof(T));
    return static_cast<T *>(*buffer);
  }

  std::unique_ptr<FakeHipControl> hip;
  std::unique_ptr<FakeCublasLtControl> control;
  std::unique_ptr<CublasLt> library;
  /// Tests upload from several threads.
  std::mutex buffersMutex;
  std::vector<void *> buffers;
};

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_RUNTIME_LIBRARYGEMMFIXTURE_H
