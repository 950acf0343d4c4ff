//===- CpuLibraryGemmTest.cpp - the CPU library GEMM over a fake BLAS -----===//
//
// The partition of a problem into tiles (every element once, balanced,
// independent of anything but the sizes and the core count), the BLAS
// loader (a missing library, a missing GEMM, thread control or none), the
// serial sections and threaded calls, tiles computed through a fake BLAS that follows the
// BLAS's column-major definition (row-major, transposed, batched, strided
// and column-major operands, f32 and f64, beta 0 never reading C, K = 0),
// the checks that refuse what a BLAS cannot compute, and the block call
// (vmgpuCpuGemm) inside a CpuBlockRun: a plan computed with the library's
// threads (rows and columns split), row panels and whole matrices in
// single-threaded tiles, and a plan that ends the run with the error. The process's BLAS is the fake one
// (VMGPU_BLAS_LIBRARY), or, in CpuLibraryGemmNoBlasTests, a file that does
// not exist.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/CpuLibraryGemm.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/runtime/CpuBlas.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdlib>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

using namespace vmgpu;
using namespace vmgpu::runtime;

#ifdef VMGPU_TEST_NO_BLAS
#define VMGPU_TEST_PROCESS_BLAS "/nonexistent/libvmgpu-test-blas.so.0"
#else
#define VMGPU_TEST_PROCESS_BLAS VMGPU_FAKE_BLAS
#endif

namespace {

// Before any test asks for the process's BLAS.
[[maybe_unused]] const int kProcessBlas =
    ::setenv("VMGPU_BLAS_LIBRARY", VMGPU_TEST_PROCESS_BLAS, 1);

/// The fake BLAS's controls, through the same dlopen handle.
struct FakeBlasControl {
  FakeBlasControl() {
    handle = dlopen(VMGPU_FAKE_BLAS, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
      return;
    gemmCalls = reinterpret_cast<int (*)()>(dlsym(handle, "fakeBlasGemmCalls"));
    threadsInLastCall =
        reinterpret_cast<int (*)()>(dlsym(handle, "fakeBlasThreadsInLastCall"));
    threads = reinterpret_cast<int (*)()>(dlsym(handle, "fakeBlasThreads"));
  }
  ~FakeBlasControl() {
    if (handle)
      dlclose(handle);
  }
  void *handle = nullptr;
  int (*gemmCalls)() = nullptr;
  int (*threadsInLastCall)() = nullptr;
  int (*threads)() = nullptr;
};

std::unique_ptr<CpuBlas> loadFake(const char *path = VMGPU_FAKE_BLAS) {
  StatusOr<std::unique_ptr<CpuBlas>> loaded = CpuBlas::load({path});
  EXPECT_TRUE(loaded.isOk()) << loaded.status().toString();
  return loaded.isOk() ? std::move(loaded).value() : nullptr;
}

// --- the partition ----------------------------------------------------------

/// Every (batch, row, col) of the problem in exactly one tile.
void expectExactCover(int64_t batch, int64_t m, int64_t n, int64_t k,
                      int64_t cores) {
  CpuGemmTiling tiling = planCpuGemmTiles(batch, m, n, k, cores);
  SCOPED_TRACE(testing::Message() << batch << " x " << m << " x " << n << " x "
                                  << k << " on " << cores);
  ASSERT_GE(tiling.count(), 1);
  EXPECT_LE(tiling.count(), std::max<int64_t>(cores, batch));
  std::vector<int> covered(batch * m * n, 0);
  for (int64_t t = 0; t < tiling.count(); ++t) {
    CpuGemmTile tile = cpuGemmTile(tiling, batch, m, n, t);
    ASSERT_LE(0, tile.batchBegin);
    ASSERT_LE(tile.batchEnd, batch);
    ASSERT_LE(tile.rowEnd, m);
    ASSERT_LE(tile.colEnd, n);
    EXPECT_LT(tile.batchBegin, tile.batchEnd);
    EXPECT_LT(tile.rowBegin, tile.rowEnd);
    EXPECT_LT(tile.colBegin, tile.colEnd);
    for (int64_t b = tile.batchBegin; b < tile.batchEnd; ++b)
      for (int64_t i = tile.rowBegin; i < tile.rowEnd; ++i)
        for (int64_t j = tile.colBegin; j < tile.colEnd; ++j)
          ++covered[(b * m + i) * n + j];
  }
  for (int count : covered)
    ASSERT_EQ(count, 1);
}

TEST(CpuGemmTilingTest, EveryElementOfCIsInExactlyOneTile) {
  for (int64_t cores : {1, 2, 3, 7, 16, 64})
    for (auto [batch, m, n, k] :
         std::vector<std::array<int64_t, 4>>{{1, 1, 1, 1},
                                             {1, 1000, 1000, 1000},
                                             {1, 1025, 17, 4097},
                                             {1, 17, 1025, 4097},
                                             {1, 3, 4096, 4096},
                                             {3, 300, 200, 500},
                                             {5, 64, 64, 64},
                                             {70, 20, 30, 40},
                                             {2, 4096, 16, 2048},
                                             {1, 33, 129, 0}})
      expectExactCover(batch, m, n, k, cores);
}

TEST(CpuGemmTilingTest, OneTilePerCoreForLargeProblemsAndFewerForSmallOnes) {
  EXPECT_EQ(planCpuGemmTiles(1, 1024, 1024, 1024, 2).count(), 2);
  EXPECT_EQ(planCpuGemmTiles(1, 4096, 4096, 4096, 16).count(), 16);
  EXPECT_EQ(planCpuGemmTiles(1, 4096, 4096, 4096, 1).count(), 1);
  // 64^3 multiply-adds are below one tile's worth of work.
  EXPECT_EQ(planCpuGemmTiles(1, 64, 64, 64, 16).count(), 1);
  // Batches first: whole matrices per tile when there are enough of them.
  CpuGemmTiling batches = planCpuGemmTiles(32, 256, 256, 256, 8);
  EXPECT_EQ(batches.count(), 8);
  EXPECT_EQ(batches.rowPanels, 1);
  EXPECT_EQ(batches.colPanels, 1);
  // Square problems split both ways: 4 x 4 panels of 256 x 256 at 1024^2
  // on 16 cores (each call packs a quarter of A and of B), not 16 row
  // panels that each pack all of B.
  CpuGemmTiling square = planCpuGemmTiles(1, 1024, 1024, 1024, 16);
  EXPECT_EQ(square.rowPanels, 4);
  EXPECT_EQ(square.colPanels, 4);
  CpuGemmTiling tall = planCpuGemmTiles(1, 4096, 512, 1024, 16);
  EXPECT_EQ(tall.count(), 16);
  EXPECT_GT(tall.rowPanels, tall.colPanels);
  // Few rows: column panels take the rest of the parallelism.
  CpuGemmTiling skinny = planCpuGemmTiles(1, 16, 8192, 4096, 8);
  EXPECT_EQ(skinny.rowPanels, 1);
  EXPECT_EQ(skinny.colPanels, 8);
  EXPECT_EQ(planCpuGemmTiles(0, 64, 64, 64, 4).count(), 0);
  EXPECT_EQ(planCpuGemmTiles(1, 0, 64, 64, 4).count(), 0);
  EXPECT_EQ(planCpuGemmTiles(1, 64, 0, 64, 4).count(), 0);
}

TEST(CpuGemmTilingTest, WidePanelsStartOnMultiplesOfSixteen) {
  CpuGemmTiling tiling = planCpuGemmTiles(1, 1000, 1000, 1000, 3);
  ASSERT_EQ(tiling.rowPanels, 3);
  for (int64_t t = 0; t < tiling.count(); ++t) {
    CpuGemmTile tile = cpuGemmTile(tiling, 1, 1000, 1000, t);
    EXPECT_EQ(tile.rowBegin % 16, 0);
    // Balanced within a register tile's worth of rows.
    EXPECT_NEAR(tile.rowEnd - tile.rowBegin, 1000 / 3, 16);
  }
}

// --- the loader and the serial sections --------------------------------------

TEST(CpuBlasTest, AMissingLibraryIsUnavailableAndNamesIt) {
  StatusOr<std::unique_ptr<CpuBlas>> loaded =
      CpuBlas::load({"/nonexistent/libopenblas.so.0"});
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().code(), StatusCode::Unavailable);
  EXPECT_NE(loaded.status().message().find("/nonexistent/libopenblas.so.0"),
            std::string::npos)
      << loaded.status().toString();
}

TEST(CpuBlasTest, ALibraryWithoutDgemmIsUnavailable) {
  StatusOr<std::unique_ptr<CpuBlas>> loaded =
      CpuBlas::load({VMGPU_FAKE_BLAS_NO_DGEMM});
  ASSERT_FALSE(loaded.isOk());
  EXPECT_EQ(loaded.status().code(), StatusCode::Unavailable);
  EXPECT_NE(loaded.status().message().find("lacks dgemm_"), std::string::npos)
      << loaded.status().toString();
}

TEST(CpuBlasTest, TheIntegerWidthComesFromTheLibrary) {
  std::unique_ptr<CpuBlas> lp64 = loadFake();
  ASSERT_TRUE(lp64);
  EXPECT_EQ(lp64->integerBits(), 32);
  // NumPy's wheels' OpenBLAS: `scipy_sgemm_64_`, 64-bit integers, thread
  // control under the same names.
  std::unique_ptr<CpuBlas> ilp64 = loadFake(VMGPU_FAKE_BLAS_ILP64);
  ASSERT_TRUE(ilp64);
  EXPECT_EQ(ilp64->integerBits(), 64);
  EXPECT_STREQ(ilp64->threadControl(), "openblas");
  EXPECT_TRUE(ilp64->canRunThreadedCalls());
  ilp64->setThreads(3);
  EXPECT_EQ(ilp64->threads(), 3);
}

TEST(CpuBlasTest, TheLibraryReceivesIntegersOfItsWidth) {
  // A leading dimension that only 64 bits hold reaches the ILP64 library
  // whole (K = 1: the fake never steps by it); one that 32 bits hold
  // reaches the LP64 one.
  for (auto [path, lda] :
       {std::pair<const char *, int64_t>{VMGPU_FAKE_BLAS_ILP64,
                                         (int64_t(1) << 32) + 1},
        std::pair<const char *, int64_t>{VMGPU_FAKE_BLAS, 7}}) {
    SCOPED_TRACE(path);
    std::unique_ptr<CpuBlas> blas = loadFake(path);
    ASSERT_TRUE(blas);
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(handle, nullptr);
    auto lastLda =
        reinterpret_cast<int64_t (*)()>(dlsym(handle, "fakeBlasLastLda"));
    ASSERT_NE(lastLda, nullptr);
    float a = 3, b = 5, c = 0;
    blas->gemm('N', 'N', 1, 1, 1, 1.0f, &a, lda, &b, 1, 0.0f, &c, 1);
    EXPECT_EQ(lastLda(), lda);
    EXPECT_EQ(c, 15.0f);
    dlclose(handle);
  }
}

TEST(CpuBlasTest, SerialSectionsSetOneThreadAndGiveBackTheCount) {
  std::unique_ptr<CpuBlas> blas = loadFake();
  ASSERT_TRUE(blas);
  EXPECT_STREQ(blas->threadControl(), "openblas");
  // The fake says it is OpenBLAS's pthreads build.
  EXPECT_TRUE(blas->canRunThreadedCalls());
  blas->setThreads(4);
  {
    CpuBlasSerialSection outer(*blas);
    EXPECT_EQ(blas->threads(), 1);
    {
      // Another instance of the same library shares its thread count.
      std::unique_ptr<CpuBlas> again = loadFake();
      ASSERT_TRUE(again);
      CpuBlasSerialSection inner(*again);
      EXPECT_EQ(blas->threads(), 1);
    }
    EXPECT_EQ(blas->threads(), 1);
  }
  EXPECT_EQ(blas->threads(), 4);
}

TEST(CpuBlasTest, AThreadedCallRaisesTheCountForItselfAlone) {
  std::unique_ptr<CpuBlas> blas = loadFake();
  ASSERT_TRUE(blas);
  CpuBlasSerialSection serial(*blas);
  {
    CpuBlasCall call(*blas, 6);
    EXPECT_EQ(blas->threads(), 6);
  }
  EXPECT_EQ(blas->threads(), 1);
  // Single-threaded calls run together; a threaded one waits for them all.
  std::optional<CpuBlasCall> first(std::in_place, *blas, 1);
  std::optional<CpuBlasCall> second(std::in_place, *blas, 1);
  std::atomic<bool> ran{false};
  std::atomic<int> threadsDuring{0};
  std::thread threaded([&] {
    CpuBlasCall call(*blas, 3);
    threadsDuring = static_cast<int>(blas->threads());
    ran = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(ran.load());
  first.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(blas->threads(), 1);
  second.reset();
  threaded.join();
  EXPECT_TRUE(ran.load());
  EXPECT_EQ(threadsDuring.load(), 3);
  EXPECT_EQ(blas->threads(), 1);
}

TEST(CpuBlasTest, ALibraryWithoutThreadControlIsLeftAlone) {
  std::unique_ptr<CpuBlas> blas = loadFake(VMGPU_FAKE_BLAS_NO_THREADS);
  ASSERT_TRUE(blas);
  EXPECT_STREQ(blas->threadControl(), "none");
  EXPECT_EQ(blas->threads(), 1);
  EXPECT_EQ(blas->threadState(), nullptr);
  EXPECT_FALSE(blas->canRunThreadedCalls());
  CpuBlasSerialSection section(*blas);
  CpuBlasCall call(*blas, 8);
  EXPECT_EQ(blas->threads(), 1);
}

// --- tiles through the fake BLAS ---------------------------------------------

/// A matrix stored with arbitrary element strides, and the problem's
/// reference product in double.
template <typename T> struct Strided {
  std::vector<T> data;
  int64_t batchStride = 0, rowStride = 0, colStride = 0;
  T &at(int64_t b, int64_t i, int64_t j) {
    return data[b * batchStride + i * rowStride + j * colStride];
  }
  GemmOperand operand() {
    return {reinterpret_cast<uintptr_t>(data.data()), batchStride, rowStride,
            colStride};
  }
};

/// rows x cols per batch: row-major (`transposed` false) or column-major,
/// each line padded by `pad` elements, filled from `rng`.
template <typename T>
Strided<T> makeMatrix(int64_t batch, int64_t rows, int64_t cols,
                      bool transposed, int64_t pad, std::mt19937 &rng) {
  Strided<T> matrix;
  int64_t line = (transposed ? rows : cols) + pad;
  int64_t lines = transposed ? cols : rows;
  matrix.rowStride = transposed ? 1 : line;
  matrix.colStride = transposed ? line : 1;
  matrix.batchStride = line * lines;
  matrix.data.resize(std::max<int64_t>(batch * line * lines, 1));
  std::uniform_int_distribution<int> values(-8, 8);
  for (T &value : matrix.data)
    value = static_cast<T>(values(rng)) / 4;
  return matrix;
}

struct Shape {
  int64_t batch, m, n, k;
  bool ta, tb, tc;
  int64_t pad;
};

/// Runs every tile of `shape` (for `cores`) through the fake and compares
/// with the exact product (small integers over 4: exact in f32 and f64).
template <typename T>
void checkTiles(const CpuBlas &blas, const Shape &shape, int64_t cores,
                bool outputZero) {
  SCOPED_TRACE(testing::Message()
               << shape.batch << " x " << shape.m << " x " << shape.n << " x "
               << shape.k << (shape.ta ? " ta" : "") << (shape.tb ? " tb" : "")
               << (shape.tc ? " tc" : "") << " pad " << shape.pad << " on "
               << cores << (outputZero ? " zero" : " accumulate"));
  std::mt19937 rng(
      static_cast<unsigned>(shape.m * 131 + shape.n * 7 + shape.k));
  auto a =
      makeMatrix<T>(shape.batch, shape.m, shape.k, shape.ta, shape.pad, rng);
  auto b =
      makeMatrix<T>(shape.batch, shape.k, shape.n, shape.tb, shape.pad, rng);
  auto c =
      makeMatrix<T>(shape.batch, shape.m, shape.n, shape.tc, shape.pad, rng);
  Strided<T> before = c;
  if (outputZero)
    for (T &value : c.data)
      value = std::numeric_limits<T>::quiet_NaN();
  GemmProblem problem;
  GemmElementType type =
      sizeof(T) == 8 ? GemmElementType::F64 : GemmElementType::F32;
  problem.aType = problem.bType = problem.cType = type;
  problem.flags = outputZero ? kGemmOutputZero : 0;
  problem.batch = shape.batch;
  problem.m = shape.m;
  problem.n = shape.n;
  problem.k = shape.k;
  problem.a = a.operand();
  problem.b = b.operand();
  problem.c = c.operand();
  ASSERT_TRUE(checkCpuLibraryGemm(problem, blas.integerBits()).isOk());
  CpuGemmTiling tiling =
      planCpuGemmTiles(shape.batch, shape.m, shape.n, shape.k, cores);
  for (int64_t t = 0; t < tiling.count(); ++t)
    runCpuGemmTile(blas, problem,
                   cpuGemmTile(tiling, shape.batch, shape.m, shape.n, t));
  for (int64_t bi = 0; bi < shape.batch; ++bi)
    for (int64_t i = 0; i < shape.m; ++i)
      for (int64_t j = 0; j < shape.n; ++j) {
        double expected = outputZero ? 0.0 : before.at(bi, i, j);
        for (int64_t p = 0; p < shape.k; ++p)
          expected += static_cast<double>(a.at(bi, i, p)) * b.at(bi, p, j);
        ASSERT_EQ(c.at(bi, i, j), static_cast<T>(expected))
            << "at " << bi << ", " << i << ", " << j;
      }
}

const std::vector<Shape> &shapes() {
  static const std::vector<Shape> list = {
      {1, 1, 1, 1, false, false, false, 0},
      {1, 37, 29, 41, false, false, false, 0},
      {1, 37, 29, 41, true, false, false, 0},
      {1, 37, 29, 41, false, true, false, 0},
      {1, 37, 29, 41, true, true, false, 3},
      {1, 37, 29, 41, false, false, true, 0},
      {1, 1, 300, 17, false, false, false, 0},
      {1, 300, 1, 17, false, true, false, 0},
      {3, 65, 70, 33, false, false, false, 2},
      {5, 17, 3, 9, true, true, true, 1},
      {1, 200, 130, 0, false, false, false, 0},
  };
  return list;
}

TEST(CpuLibraryGemmTest, TilesComputeTheProductThroughTheBlasDefinition) {
  // 32- and 64-bit integers (TheLibraryReceivesIntegersOfItsWidth checks
  // the width itself).
  for (const char *path : {VMGPU_FAKE_BLAS, VMGPU_FAKE_BLAS_ILP64}) {
    SCOPED_TRACE(path);
    std::unique_ptr<CpuBlas> blas = loadFake(path);
    ASSERT_TRUE(blas);
    for (const Shape &shape : shapes())
      for (int64_t cores : {1, 3, 8})
        for (bool zero : {false, true}) {
          // K = 0 with C written but not read: the BLAS writes zeros.
          checkTiles<float>(*blas, shape, cores, zero);
          checkTiles<double>(*blas, shape, cores, zero);
        }
  }
}

TEST(CpuLibraryGemmTest, TheChecksRefuseWhatABlasCannotCompute) {
  float a[4] = {}, b[4] = {}, c[4] = {};
  GemmProblem problem;
  problem.m = problem.n = problem.k = 2;
  problem.a = {reinterpret_cast<uintptr_t>(a), 0, 2, 1};
  problem.b = {reinterpret_cast<uintptr_t>(b), 0, 2, 1};
  problem.c = {reinterpret_cast<uintptr_t>(c), 0, 2, 1};
  EXPECT_TRUE(checkCpuLibraryGemm(problem, 32).isOk());

  GemmProblem half = problem;
  half.aType = half.bType = GemmElementType::F16;
  EXPECT_EQ(checkCpuLibraryGemm(half, 32).code(), StatusCode::Unimplemented);
  GemmProblem mixed = problem;
  mixed.cType = GemmElementType::F64;
  EXPECT_EQ(checkCpuLibraryGemm(mixed, 32).code(), StatusCode::Unimplemented);

  // Neither of A's dims contiguous.
  GemmProblem strided = problem;
  strided.a = {reinterpret_cast<uintptr_t>(a), 0, 4, 2};
  Status layout = checkCpuLibraryGemm(strided, 32);
  EXPECT_EQ(layout.code(), StatusCode::Internal);
  EXPECT_NE(layout.message().find("strides fit no BLAS layout"),
            std::string::npos)
      << layout.toString();

  GemmProblem huge = problem;
  huge.k = int64_t(1) << 31;
  EXPECT_EQ(checkCpuLibraryGemm(huge, 32).code(), StatusCode::Internal);
  GemmProblem wide = problem;
  wide.c.rowStride = int64_t(1) << 32;
  EXPECT_EQ(checkCpuLibraryGemm(wide, 32).code(), StatusCode::Internal);
  // An ILP64 library takes both (A's rows as long as K).
  huge.a.rowStride = huge.k;
  EXPECT_EQ(checkCpuLibraryGemm(huge, 32).code(), StatusCode::Internal);
  EXPECT_TRUE(checkCpuLibraryGemm(huge, 64).isOk());
  EXPECT_TRUE(checkCpuLibraryGemm(wide, 64).isOk());
  GemmProblem negative = problem;
  negative.n = -1;
  EXPECT_EQ(checkCpuLibraryGemm(negative, 32).code(), StatusCode::Internal);
}

// --- the block call
// ------------------------------------------------------------

/// What a block does with one contraction: the plan call, then every tile.
struct BlockCall {
  GemmProblem problem;
  int64_t tiles = -2;
};

void callLikeABlock(void **arguments) {
  auto *call = static_cast<BlockCall *>(arguments[0]);
  const GemmProblem &p = call->problem;
  CpuGemmFunction gemm = cpuLibraryGemmFunction();
  auto invoke = [&](int64_t tile) {
    return gemm(
        static_cast<int32_t>(p.aType), static_cast<int32_t>(p.bType),
        static_cast<int32_t>(p.cType), p.flags, p.batch, p.m, p.n, p.k,
        static_cast<intptr_t>(p.a.address), p.a.batchStride, p.a.rowStride,
        p.a.colStride, static_cast<intptr_t>(p.b.address), p.b.batchStride,
        p.b.rowStride, p.b.colStride, static_cast<intptr_t>(p.c.address),
        p.c.batchStride, p.c.rowStride, p.c.colStride, tile);
  };
  call->tiles = invoke(kCpuGemmPlan);
  for (int64_t t = 0; t < call->tiles; ++t)
    invoke(t);
}

BlockCall rowMajorCall(std::vector<float> &a, std::vector<float> &b,
                       std::vector<float> &c, int64_t m, int64_t n, int64_t k) {
  BlockCall call;
  call.problem.flags = kGemmOutputZero;
  call.problem.m = m;
  call.problem.n = n;
  call.problem.k = k;
  call.problem.a = {reinterpret_cast<uintptr_t>(a.data()), 0, k, 1};
  call.problem.b = {reinterpret_cast<uintptr_t>(b.data()), 0, n, 1};
  call.problem.c = {reinterpret_cast<uintptr_t>(c.data()), 0, n, 1};
  return call;
}

#ifndef VMGPU_TEST_NO_BLAS

/// `call` as a block run makes it: in a CpuBlockRun, the library at one
/// thread around it.
Status runAsABlock(const CpuBlas &blas, BlockCall &call) {
  CpuBlockRun run;
  void *arguments[] = {&call};
  CpuBlasSerialSection serial(blas);
  return run.call(callLikeABlock, arguments);
}

/// Plans made for `cores` cores while it exists.
struct PartitionCores {
  explicit PartitionCores(int64_t cores) {
    setCpuGemmPartitionCoresForTesting(cores);
  }
  ~PartitionCores() { setCpuGemmPartitionCoresForTesting(0); }
};

/// The process's BLAS (the fake) and its controls, for plans that choose
/// between tiles and the library's threads.
class CpuLibraryGemmPlanTest : public testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(control.handle) << dlerror();
    StatusOr<CpuBlas *> loaded = CpuBlas::get();
    ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
    blas = *loaded;
  }
  FakeBlasControl control;
  CpuBlas *blas = nullptr;
};

TEST_F(CpuLibraryGemmPlanTest, APlanThatSplitsRowsAndColumnsRunsOneThreadedCall) {
  PartitionCores cores(16);
  int64_t m = 300, n = 300, k = 100;
  // 9M multiply-adds: 4 tiles, 2 x 2.
  CpuGemmTiling tiling = planCpuGemmTiles(1, m, n, k, 16);
  ASSERT_EQ(tiling.rowPanels, 2);
  ASSERT_EQ(tiling.colPanels, 2);
  std::vector<float> a(m * k, 0.5f), b(k * n, 2.0f), c(m * n, -1.0f);
  BlockCall call = rowMajorCall(a, b, c, m, n, k);
  uint64_t callsBefore = cpuLibraryGemmCalls();
  int gemmsBefore = control.gemmCalls();
  int threadsBefore = control.threads();
  Status status = runAsABlock(*blas, call);
  // The threaded call gave the section its count back, the section ours.
  EXPECT_EQ(control.threads(), threadsBefore);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(call.tiles, 0);
  EXPECT_EQ(cpuLibraryGemmCalls(), callsBefore + 1);
  EXPECT_EQ(control.gemmCalls(), gemmsBefore + 1);
  EXPECT_EQ(control.threadsInLastCall(), 16);
  for (float value : c)
    ASSERT_EQ(value, 100.0f);
}

TEST_F(CpuLibraryGemmPlanTest, RowPanelsAndWholeMatricesRunSingleThreadedTiles) {
  PartitionCores cores(4);
  struct Case {
    int64_t batch, m, n, k, tiles;
  };
  // Row panels of a tall product (4 x 1), and one batch per core.
  for (Case shape : {Case{1, 400, 16, 2048, 4}, Case{4, 128, 128, 128, 4}}) {
    SCOPED_TRACE(testing::Message() << shape.batch << " x " << shape.m << " x "
                                    << shape.n << " x " << shape.k);
    CpuGemmTiling tiling =
        planCpuGemmTiles(shape.batch, shape.m, shape.n, shape.k, 4);
    ASSERT_EQ(tiling.count(), shape.tiles);
    int64_t m = shape.m, n = shape.n, k = shape.k;
    std::vector<float> a(shape.batch * m * k, 0.5f),
        b(shape.batch * k * n, 2.0f), c(shape.batch * m * n, -1.0f);
    BlockCall call = rowMajorCall(a, b, c, m, n, k);
    call.problem.batch = shape.batch;
    call.problem.a.batchStride = m * k;
    call.problem.b.batchStride = k * n;
    call.problem.c.batchStride = m * n;
    int gemmsBefore = control.gemmCalls();
    Status status = runAsABlock(*blas, call);
    ASSERT_TRUE(status.isOk()) << status.toString();
    EXPECT_EQ(call.tiles, shape.tiles);
    // One call per tile and batch it covers.
    EXPECT_EQ(control.gemmCalls(),
              gemmsBefore + std::max(shape.tiles, shape.batch));
    EXPECT_EQ(control.threadsInLastCall(), 1);
    for (float value : c)
      ASSERT_EQ(value, static_cast<float>(k));
  }
}

TEST(CpuGemmTilingTest, TheLibrarysThreadsTakeRowsAndColumnsSplitTogether) {
  // Rows and columns split: the library's threads, where it has them.
  CpuGemmTiling split = planCpuGemmTiles(1, 1024, 1024, 1024, 16);
  ASSERT_EQ(split.rowPanels, 4);
  ASSERT_EQ(split.colPanels, 4);
  EXPECT_TRUE(cpuGemmUsesLibraryThreads(split, true));
  EXPECT_FALSE(cpuGemmUsesLibraryThreads(split, false));
  // Only rows split (an im2col convolution's product), one tile, whole
  // matrices per tile, nothing to compute: the block's threads.
  CpuGemmTiling rows = planCpuGemmTiles(1, 100352, 64, 576, 16);
  ASSERT_EQ(rows.rowPanels, 16);
  EXPECT_FALSE(cpuGemmUsesLibraryThreads(rows, true));
  EXPECT_FALSE(
      cpuGemmUsesLibraryThreads(planCpuGemmTiles(1, 64, 64, 64, 16), true));
  EXPECT_FALSE(cpuGemmUsesLibraryThreads(
      planCpuGemmTiles(32, 1024, 1024, 1024, 16), true));
  EXPECT_FALSE(
      cpuGemmUsesLibraryThreads(planCpuGemmTiles(1, 0, 1024, 1024, 16), true));
  // Two cores never split both ways.
  EXPECT_FALSE(cpuGemmUsesLibraryThreads(
      planCpuGemmTiles(1, 4096, 4096, 4096, 2), true));
}

TEST(CpuGemmTilingTest, PlansCanBeMadeForOtherMachines) {
  int64_t machine = cpuGemmPartitionCores();
  {
    PartitionCores cores(machine + 5);
    EXPECT_EQ(cpuGemmPartitionCores(), machine + 5);
  }
  EXPECT_EQ(cpuGemmPartitionCores(), machine);
  // VMGPU_CPU_GEMM_CORES, when it is a count from 1 to 1024 (the e2e test
  // cpu-thread-bits-library.test sets it for a whole process).
  EXPECT_EQ(parseCpuGemmCores("6"), 6);
  EXPECT_EQ(parseCpuGemmCores("1"), 1);
  EXPECT_EQ(parseCpuGemmCores("1024"), 1024);
  for (const char *ignored : {"", "0", "1025", "-3", "4x", "many", " 8"})
    EXPECT_EQ(parseCpuGemmCores(ignored), std::nullopt) << ignored;
}

TEST(CpuLibraryGemmCallTest, APlanTheBlasCannotComputeEndsTheRun) {
  std::vector<float> a(4), b(4), c(4);
  BlockCall call = rowMajorCall(a, b, c, 2, 2, 2);
  call.problem.aType = call.problem.bType = GemmElementType::F16;
  CpuBlockRun run;
  void *arguments[] = {&call};
  Status status = run.call(callLikeABlock, arguments);
  EXPECT_EQ(status.code(), StatusCode::Unimplemented) << status.toString();
  // The jump left before the plan returned.
  EXPECT_EQ(call.tiles, -2);
}

#else

TEST(CpuLibraryGemmNoBlasTest, APlanWithoutABlasEndsTheRunUnavailable) {
  std::vector<float> a(4), b(4), c(4);
  BlockCall call = rowMajorCall(a, b, c, 2, 2, 2);
  CpuBlockRun run;
  void *arguments[] = {&call};
  Status status = run.call(callLikeABlock, arguments);
  EXPECT_EQ(status.code(), StatusCode::Unavailable) << status.toString();
  EXPECT_NE(status.message().find("library GEMM: no BLAS library"),
            std::string::npos)
      << status.toString();
  EXPECT_NE(status.message().find(VMGPU_TEST_PROCESS_BLAS), std::string::npos)
      << status.toString();
  EXPECT_EQ(call.tiles, -2);
  EXPECT_FALSE(CpuBlas::get().isOk());
}

#endif

} // namespace
