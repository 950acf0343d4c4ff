//===- LibraryGemmTest.cpp - cuBLASLt GEMMs over fakes --------------------===//
//
// runLibraryGemm and vmgpuGemm on a GpuDevice over the fake HIP runtime
// (host memory) with a fake cuBLASLt that computes what cuBLASLt's
// definition says: the mapping of row-major, transposed, batched and
// column-major operands to column-major layouts, the strict compute types,
// one algorithm search per problem, and the clean errors of a missing
// library, a missing symbol, a failing call, no algorithm and a layout no
// cuBLASLt layout fits.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/LibraryGemm.h"
#include "FakeGpuBlockArtifact.h"
#include "LibraryGemmFixture.h"
#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/NativeExecutable.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <dlfcn.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace vmgpu;
using namespace vmgpu::runtime;
using namespace vmgpu::test;

namespace {

TEST_F(LibraryGemmTest, RowMajorF32IsStrictAndSearchesOncePerProblem) {
  const int64_t m = 7, n = 5, k = 3;
  std::vector<float> a = matrix(m, k, 1), b = matrix(k, n, 2);
  float *c = upload(std::vector<float>(m * n, 99.0f));
  GemmProblem problem;
  problem.flags = kGemmOutputZero;
  problem.m = m, problem.n = n, problem.k = k;
  problem.a = rowMajor(upload(a), k);
  problem.b = rowMajor(upload(b), n);
  problem.c = rowMajor(c, n);
  for (int run = 0; run < 3; ++run) {
    Status status = runLibraryGemm(*device, *library, problem);
    ASSERT_TRUE(status.isOk()) << status.toString();
  }
  EXPECT_EQ(std::vector<float>(c, c + m * n), reference(a, b, m, n, k));
  // Strict f32: CUBLAS_COMPUTE_32F, never the TF32 compute type.
  EXPECT_EQ(control->lastComputeType(), kComputeF32);
  EXPECT_NE(control->lastComputeType(), kComputeF32FastTf32);
  // The algorithm is chosen once and kept: the same bits every run.
  EXPECT_EQ(control->callCount("cublasLtMatmulAlgoGetHeuristic"), 1);
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 1u);
  EXPECT_EQ(libraryGemmCounters(*device, *library).calls, 3u);
  EXPECT_EQ(control->callCount("cublasLtCreate"), 1);
  // Another shape is another problem.
  problem.m = 1;
  ASSERT_TRUE(runLibraryGemm(*device, *library, problem).isOk());
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 2u);
}

// Host threads run GEMMs on streams of their own, so each call needs a
// workspace of its own: one per device, shared by every thread, gave wrong
// results in the GPU soak. The fake holds a token in the workspace for 2 ms
// per call and counts the calls that found it overwritten.
TEST_F(LibraryGemmTest, ConcurrentThreadsNeverShareAWorkspace) {
  control->setWorkspaceBytes(4096);
  const int64_t m = 4, n = 3, k = 2;
  const int threadCount = 3, runs = 8;
  std::vector<float> a = matrix(m, k, 1), b = matrix(k, n, 2);
  const float *aDevice = upload(a);
  const float *bDevice = upload(b);
  std::vector<float *> outputs;
  for (int t = 0; t < threadCount; ++t)
    outputs.push_back(upload(std::vector<float>(m * n, 99.0f)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < threadCount; ++t)
    threads.emplace_back([&, t] {
      if (!device->makeCurrent().isOk()) {
        ++failures;
        return;
      }
      GemmProblem problem;
      problem.flags = kGemmOutputZero;
      problem.m = m, problem.n = n, problem.k = k;
      problem.a = rowMajor(aDevice, k);
      problem.b = rowMajor(bDevice, n);
      problem.c = rowMajor(outputs[t], n);
      for (int run = 0; run < runs; ++run)
        if (!runLibraryGemm(*device, *library, problem).isOk())
          ++failures;
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(control->callCount("cublasLtMatmul"), threadCount * runs);
  EXPECT_EQ(control->workspaceConflicts(), 0);
  for (float *c : outputs)
    EXPECT_EQ(std::vector<float>(c, c + m * n), reference(a, b, m, n, k));
}

TEST_F(LibraryGemmTest, BatchedTransposedBAccumulatesIntoC) {
  // C[b] += A[b] B[b]^T with B stored n x k (vm.matmul transpose_b).
  const int64_t batch = 3, m = 4, n = 6, k = 5;
  std::vector<float> a = matrix(batch * m, k, 3);
  std::vector<float> bt = matrix(batch * n, k, 4);
  std::vector<float> initial = matrix(batch * m, n, 5);
  float *c = upload(initial);
  GemmProblem problem;
  problem.batch = batch, problem.m = m, problem.n = n, problem.k = k;
  problem.a = rowMajor(upload(a), k, m * k);
  // B (k x n) at (p, j) is bt[j][p]: row stride 1, column stride k.
  problem.b = {reinterpret_cast<uintptr_t>(upload(bt)), n * k, 1, k};
  problem.c = rowMajor(c, n, m * n);
  Status status = runLibraryGemm(*device, *library, problem);
  ASSERT_TRUE(status.isOk()) << status.toString();
  for (int64_t b = 0; b < batch; ++b) {
    std::vector<float> ab(a.begin() + b * m * k, a.begin() + (b + 1) * m * k);
    std::vector<float> bb(k * n);
    for (int64_t p = 0; p < k; ++p)
      for (int64_t j = 0; j < n; ++j)
        bb[p * n + j] = bt[b * n * k + j * k + p];
    std::vector<float> product = reference(ab, bb, m, n, k);
    for (int64_t i = 0; i < m * n; ++i)
      EXPECT_EQ(c[b * m * n + i], initial[b * m * n + i] + product[i])
          << "batch " << b << " element " << i;
  }
}

TEST_F(LibraryGemmTest, ColumnMajorOutputIsComputedWithoutTheSwap) {
  const int64_t m = 3, n = 4, k = 2;
  std::vector<float> a = matrix(m, k, 6), b = matrix(k, n, 7);
  float *c = upload(std::vector<float>(m * n, 0.0f));
  GemmProblem problem;
  problem.flags = kGemmOutputZero;
  problem.m = m, problem.n = n, problem.k = k;
  problem.a = rowMajor(upload(a), k);
  problem.b = rowMajor(upload(b), n);
  problem.c = {reinterpret_cast<uintptr_t>(c), 0, 1, m}; // C(i, j) at j*m+i
  ASSERT_TRUE(runLibraryGemm(*device, *library, problem).isOk());
  std::vector<float> expected = reference(a, b, m, n, k);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      EXPECT_EQ(c[j * m + i], expected[i * n + j]);
}

TEST_F(LibraryGemmTest, I8ToI32IsExactWithExtremeValues) {
  const int64_t m = 3, n = 2, k = 8;
  std::vector<int8_t> a(m * k), bt(n * k);
  for (int64_t i = 0; i < m * k; ++i)
    a[i] = i % 2 ? -128 : 127;
  for (int64_t i = 0; i < n * k; ++i)
    bt[i] = i % 3 ? -128 : 127;
  int32_t *c = upload(std::vector<int32_t>(m * n, 7));
  GemmProblem problem;
  problem.aType = problem.bType = GemmElementType::I8;
  problem.cType = GemmElementType::I32;
  problem.flags = kGemmOutputZero;
  problem.m = m, problem.n = n, problem.k = k;
  problem.a = rowMajor(upload(a), k);
  problem.b = {reinterpret_cast<uintptr_t>(upload(bt)), 0, 1, k};
  problem.c = rowMajor(c, n);
  ASSERT_TRUE(runLibraryGemm(*device, *library, problem).isOk());
  EXPECT_EQ(control->lastComputeType(), kComputeI32);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      int32_t expected = 0;
      for (int64_t p = 0; p < k; ++p)
        expected += int32_t(a[i * k + p]) * int32_t(bt[j * k + p]);
      EXPECT_EQ(c[i * n + j], expected);
    }
}

TEST_F(LibraryGemmTest, ErrorsAreCleanAndNamed) {
  float *buffer = upload(std::vector<float>(64, 1.0f));
  GemmProblem problem;
  problem.m = problem.n = problem.k = 4;
  problem.a = problem.b = problem.c = rowMajor(buffer, 4);

  // No dim of unit stride.
  GemmProblem strided = problem;
  strided.a = {reinterpret_cast<uintptr_t>(buffer), 0, 8, 2};
  Status status = runLibraryGemm(*device, *library, strided);
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_NE(status.message().find("fit no cuBLASLt layout"), std::string::npos)
      << status.toString();

  // Types the library does not take; K = 0.
  GemmProblem f64 = problem;
  f64.cType = GemmElementType::I32;
  EXPECT_EQ(runLibraryGemm(*device, *library, f64).code(),
            StatusCode::Unimplemented);
  // K = 0 leaves C as it is; writing zeros without reading C is never
  // asked for (the compiler keeps the fill when K may be 0).
  GemmProblem empty = problem;
  empty.k = 0;
  EXPECT_TRUE(runLibraryGemm(*device, *library, empty).isOk());
  EXPECT_EQ(buffer[0], 1.0f);
  empty.flags = kGemmOutputZero;
  EXPECT_EQ(runLibraryGemm(*device, *library, empty).code(),
            StatusCode::Unimplemented);

  // No algorithm for the problem.
  control->findNothing(1);
  status = runLibraryGemm(*device, *library, problem);
  EXPECT_EQ(status.code(), StatusCode::Unimplemented);
  EXPECT_NE(status.message().find("no algorithm"), std::string::npos);
  control->findNothing(0);

  // A failing call names itself and the library's status.
  control->setError("cublasLtMatmul", 15);
  status = runLibraryGemm(*device, *library, problem);
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_NE(status.message().find(
                "cublasLtMatmul failed: CUBLAS_STATUS_NOT_SUPPORTED"),
            std::string::npos)
      << status.toString();
}

uint32_t bitsOf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

TEST_F(LibraryGemmTest, BiasEpilogueAddsAlongNKeepsNaNAndIsItsOwnPlan) {
  const int64_t m = 3, n = 4, k = 2;
  std::vector<float> a = matrix(m, k, 3), b = matrix(k, n, 4);
  // The first element is padding: the bias itself starts 4 bytes past a
  // pool allocation, off the 16 bytes the epilogue is given, and is read
  // from an aligned copy.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> padded = {0.0f, 0.5f, -100.0f, nan, -0.0f};
  float *bias = upload(padded) + 1;
  float *c = nullptr;
  GemmProblem problem = biasProblem(a, b, bias, m, n, k, c);
  Status status = runLibraryGemm(*device, *library, problem);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(control->lastBias() % 16, 0u);
  EXPECT_NE(control->lastBias(), problem.bias);
  // Split-K sums in f32 only: the bias is added to the whole product.
  EXPECT_EQ(control->lastReductionMask(), 2);
  std::vector<float> product = reference(a, b, m, n, k);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float want = product[i * n + j] + bias[j];
      float got = c[i * n + j];
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << i << "," << j;
        continue;
      }
      EXPECT_EQ(bitsOf(got), bitsOf(want))
          << i << "," << j << ": " << got << " vs " << want;
    }
  // The epilogue is part of the plan: without it, another search.
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 1u);
  GemmProblem plain = problem;
  plain.flags = kGemmOutputZero;
  plain.bias = 0;
  ASSERT_TRUE(runLibraryGemm(*device, *library, plain).isOk());
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 2u);
  // A plain f32 product leaves the heuristic every reduction scheme.
  EXPECT_EQ(control->lastReductionMask(), -1);
  EXPECT_EQ(std::vector<float>(c, c + m * n), product);
  // An aligned bias is read in place.
  float *alignedBias = upload(std::vector<float>(n, 1.0f));
  problem.bias = reinterpret_cast<uintptr_t>(alignedBias);
  ASSERT_TRUE(runLibraryGemm(*device, *library, problem).isOk());
  EXPECT_EQ(control->lastBias(), problem.bias);
  EXPECT_EQ(c[0], product[0] + 1.0f);
  // One row: its row stride addresses nothing and the bias still runs
  // along N.
  GemmProblem row = problem;
  row.m = 1;
  row.c.rowStride = 1;
  status = runLibraryGemm(*device, *library, row);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(c[n - 1], product[n - 1] + 1.0f);
}

// An f16 output must be one rounding of the f32 sum: split-K may add its
// partial sums only in f32 (the fake cannot compute f16: its matmul is
// told to fail once the plan is made).
TEST_F(LibraryGemmTest, HalfOutputsSplitKOnlyInTheComputeType) {
  std::vector<uint16_t> halves(16, 0x3c00);
  GemmProblem problem;
  problem.aType = problem.bType = problem.cType = GemmElementType::F16;
  problem.flags = kGemmOutputZero;
  problem.m = problem.n = problem.k = 4;
  problem.a = problem.b = rowMajor(upload(halves), 4);
  problem.c = rowMajor(upload(halves), 4);
  control->setError("cublasLtMatmul", 15);
  EXPECT_FALSE(runLibraryGemm(*device, *library, problem).isOk());
  EXPECT_EQ(control->callCount("cublasLtMatmulAlgoGetHeuristic"), 1);
  EXPECT_EQ(control->lastReductionMask(), 2);
}

TEST_F(LibraryGemmTest, EpilogueErrorsAreClean) {
  float *buffer = upload(std::vector<float>(64, 1.0f));
  GemmProblem problem;
  problem.flags = kGemmOutputZero | kGemmBias;
  problem.m = problem.n = problem.k = 4;
  problem.a = problem.b = rowMajor(buffer, 4);
  problem.c = rowMajor(upload(std::vector<float>(16)), 4);
  problem.bias = reinterpret_cast<uintptr_t>(buffer);
  ASSERT_TRUE(runLibraryGemm(*device, *library, problem).isOk());

  // The retired relu bit (4: cuBLASLt's RELU_BIAS lost NaN) is unknown.
  GemmProblem unknown = problem;
  unknown.flags |= 4;
  EXPECT_EQ(runLibraryGemm(*device, *library, unknown).code(),
            StatusCode::Internal);
  // i8 -> i32 has no bias epilogue here.
  GemmProblem integer = problem;
  integer.aType = integer.bType = GemmElementType::I8;
  integer.cType = GemmElementType::I32;
  EXPECT_EQ(runLibraryGemm(*device, *library, integer).code(),
            StatusCode::Unimplemented);
  // Batches, C read, no bias address: never emitted by the compiler.
  GemmProblem batched = problem;
  batched.batch = 2;
  GemmProblem accumulating = problem;
  accumulating.flags &= ~kGemmOutputZero;
  GemmProblem noBias = problem;
  noBias.bias = 0;
  for (const GemmProblem &bad : {batched, accumulating, noBias})
    EXPECT_EQ(runLibraryGemm(*device, *library, bad).code(),
              StatusCode::Internal);
  // A column-major C: cuBLASLt would add the bias along M.
  GemmProblem columns = problem;
  columns.c = {problem.c.address, 0, 1, 4};
  Status status = runLibraryGemm(*device, *library, columns);
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_NE(status.message().find("columns contiguous"), std::string::npos)
      << status.toString();
  // The host call outside a device's scope records the block's error.
  vmgpuGemmEpilogue(0, 0, 0, kGemmOutputZero | kGemmBias, 1, 4, 4, 4, 0, 0, 4,
                    1, 0, 0, 4, 1, 0, 0, 4, 1, 0);
  status = takeGpuHostCallError();
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_NE(status.message().find("no current device"), std::string::npos);
}

TEST(CublasLtLoadTest, MissingLibraryOrSymbolIsUnavailable) {
  StatusOr<std::unique_ptr<CublasLt>> missing =
      CublasLt::load({"/nonexistent/libcublasLt.so.13"});
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::Unavailable);
  EXPECT_NE(missing.status().message().find("no cuBLASLt"), std::string::npos)
      << missing.status().toString();
  StatusOr<std::unique_ptr<CublasLt>> partial =
      CublasLt::load({VMGPU_FAKE_CUBLASLT_NO_MATMUL});
  ASSERT_FALSE(partial.isOk());
  EXPECT_EQ(partial.status().code(), StatusCode::Unavailable);
  EXPECT_NE(partial.status().message().find("lacks cublasLtMatmul"),
            std::string::npos)
      << partial.status().toString();
}

TEST_F(LibraryGemmTest, HostCallRecordsItsErrorForTheBlock) {
  // Outside a device's scope: the block's error, not a crash.
  vmgpuGemm(0, 0, 0, 0, 1, 4, 4, 4, 0, 0, 4, 1, 0, 0, 4, 1, 0, 0, 4, 1);
  Status status = takeGpuHostCallError();
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_NE(status.message().find("no current device"), std::string::npos);
  // On a device without a GEMM library (HIP): Unimplemented, which the
  // engine answers by running the block on the CPU.
  {
    GpuDeviceScope scope(device.get());
    vmgpuGemm(0, 0, 0, 0, 1, 4, 4, 4, 0, 0, 4, 1, 0, 0, 4, 1, 0, 0, 4, 1);
  }
  status = takeGpuHostCallError();
  EXPECT_EQ(status.code(), StatusCode::Unimplemented);
  EXPECT_NE(status.message().find("no GEMM library for rocm"),
            std::string::npos)
      << status.toString();
}

TEST_F(LibraryGemmTest, ABlockWhoseGemmFailsReturnsTheErrorAsItsStatus) {
  // A block compiled with the library strategy, run on a device without a
  // GEMM library (HIP): the run fails with the call's message (what the
  // engine then reruns on the CPU), and the launch after the call is
  // skipped.
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(
          test::fakeRocmBlock(VMGPU_FAKE_GPU_BLOCK_LIBRARY_GEMM), *device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  StatusOr<HostTensor> input = HostTensor::fromVector<float>(
      ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
  ASSERT_TRUE(input.isOk());
  int launchesBefore = hip->callCount("hipModuleLaunchKernel");
  StatusOr<std::vector<HostTensor>> results = (*executable)->run({&*input});
  ASSERT_FALSE(results.isOk());
  EXPECT_EQ(results.status().code(), StatusCode::Unimplemented);
  EXPECT_NE(
      results.status().message().find("library GEMM: no GEMM library for rocm"),
      std::string::npos)
      << results.status().toString();
  EXPECT_EQ(hip->callCount("hipModuleLaunchKernel"), launchesBefore);
}

} // namespace
