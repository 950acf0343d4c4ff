//===- CpuLibraryGemm.cpp - GEMMs through a BLAS on the CPU ---------------===//

#include "vmgpu/runtime/CpuLibraryGemm.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/runtime/Environment.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <thread>

namespace vmgpu::runtime {
namespace {

/// Boundary `i` of `parts` balanced panels over `extent`, on a multiple of
/// 16 where the panels are at least 64 wide (whole register tiles of the
/// library's kernels); the last boundary is `extent`.
int64_t panelBoundary(int64_t extent, int64_t parts, int64_t i) {
  if (i >= parts)
    return extent;
  int64_t boundary = extent / parts * i + extent % parts * i / parts;
  if (extent / parts >= 64)
    boundary -= boundary % 16;
  return boundary;
}

std::atomic<uint64_t> plannedCalls{0};
std::atomic<int64_t> coresForTesting{0};

} // namespace

CpuGemmTiling planCpuGemmTiles(int64_t batch, int64_t m, int64_t n, int64_t k,
                               int64_t cores) {
  CpuGemmTiling tiling;
  if (batch <= 0 || m <= 0 || n <= 0)
    return tiling;
  double macs = static_cast<double>(batch) * static_cast<double>(m) *
                static_cast<double>(n) *
                static_cast<double>(std::max<int64_t>(k, 1));
  double useful = macs / static_cast<double>(kCpuGemmMinTileMacs);
  int64_t target = std::max<int64_t>(cores, 1);
  if (useful < static_cast<double>(target))
    target = std::max<int64_t>(static_cast<int64_t>(useful), 1);
  if (batch >= target) {
    tiling.batchGroups = target;
    tiling.rowPanels = tiling.colPanels = 1;
    return tiling;
  }
  // Each matrix in at most target / batch rectangles (panels of at least
  // 16 rows and 64 columns): as many as fit, and among those the squarest.
  // Every tile is a call that packs its own A rows (m / rows x k) and B
  // columns (k x n / cols): row panels alone made each of 16 calls at 1024^3
  // pack all of B, and the library ran no faster than the generated tiles.
  tiling.batchGroups = batch;
  int64_t parts = target / batch;
  int64_t maxRows = std::clamp<int64_t>(m / 16, 1, parts);
  int64_t maxCols = std::max<int64_t>(n / 64, 1);
  double bestPacked = 0;
  tiling.rowPanels = tiling.colPanels = 1;
  for (int64_t rows = 1; rows <= maxRows; ++rows) {
    int64_t cols = std::min(parts / rows, maxCols);
    double packed = static_cast<double>(m) / static_cast<double>(rows) +
                    static_cast<double>(n) / static_cast<double>(cols);
    int64_t count = rows * cols, best = tiling.rowPanels * tiling.colPanels;
    // Ties go to row panels: their tiles of C are contiguous.
    if (count > best || (count == best && packed <= bestPacked)) {
      tiling.rowPanels = rows;
      tiling.colPanels = cols;
      bestPacked = packed;
    }
  }
  return tiling;
}

CpuGemmTile cpuGemmTile(const CpuGemmTiling &tiling, int64_t batch, int64_t m,
                        int64_t n, int64_t index) {
  int64_t col = index % tiling.colPanels;
  int64_t row = index / tiling.colPanels % tiling.rowPanels;
  int64_t group = index / (tiling.colPanels * tiling.rowPanels);
  CpuGemmTile tile;
  tile.batchBegin = batch / tiling.batchGroups * group +
                    batch % tiling.batchGroups * group / tiling.batchGroups;
  tile.batchEnd =
      group + 1 == tiling.batchGroups
          ? batch
          : batch / tiling.batchGroups * (group + 1) +
                batch % tiling.batchGroups * (group + 1) / tiling.batchGroups;
  tile.rowBegin = panelBoundary(m, tiling.rowPanels, row);
  tile.rowEnd = panelBoundary(m, tiling.rowPanels, row + 1);
  tile.colBegin = panelBoundary(n, tiling.colPanels, col);
  tile.colEnd = panelBoundary(n, tiling.colPanels, col + 1);
  return tile;
}

bool cpuGemmUsesLibraryThreads(const CpuGemmTiling &tiling,
                               bool libraryRunsThreadedCalls) {
  return libraryRunsThreadedCalls && tiling.rowPanels > 1 &&
         tiling.colPanels > 1;
}

std::optional<int64_t> parseCpuGemmCores(const std::string &text) {
  if (text.empty() || text.front() < '0' || text.front() > '9')
    return std::nullopt;
  char *end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (!end || *end != '\0' || value < 1 || value > 1024)
    return std::nullopt;
  return value;
}

int64_t cpuGemmPartitionCores() {
  // Read once: a plan and its tiles, made in different calls, must see the
  // same count.
  static const int64_t cores = [] {
    if (std::optional<std::string> asked =
            environmentValue(EnvironmentVariable::CpuGemmCores))
      if (std::optional<int64_t> count = parseCpuGemmCores(*asked))
        return *count;
    return std::clamp<int64_t>(std::thread::hardware_concurrency(), 1, 1024);
  }();
  int64_t forTesting = coresForTesting.load(std::memory_order_relaxed);
  return forTesting > 0 ? forTesting : cores;
}

void setCpuGemmPartitionCoresForTesting(int64_t cores) {
  coresForTesting.store(cores, std::memory_order_relaxed);
}

Status checkCpuLibraryGemm(const GemmProblem &problem, int integerBits) {
  if (!isCpuLibraryGemmTypeCombination(problem.aType, problem.bType,
                                       problem.cType))
    return unimplementedError(
        "library GEMM: element types the CPU library does not take (f32 or "
        "f64 only)");
  // An ILP64 library takes any size of the problem's own 64-bit integers.
  const int64_t maxInteger = integerBits == 64
                                 ? std::numeric_limits<int64_t>::max()
                                 : std::numeric_limits<int32_t>::max();
  if (problem.batch < 0 || problem.m < 0 || problem.n < 0 || problem.k < 0)
    return internalError("library GEMM: negative size");
  if (problem.m > maxInteger || problem.n > maxInteger ||
      problem.k > maxInteger)
    return internalError("library GEMM: a size beyond the BLAS's 32-bit "
                         "integers");
  std::optional<ColumnMajorGemm> gemm = toColumnMajorGemm(problem);
  if (!gemm)
    return internalError("library GEMM: an operand's strides fit no BLAS "
                         "layout (one dim must be contiguous, the other's "
                         "stride at least its extent)");
  for (const ColumnMajorOperand *operand : {&gemm->a, &gemm->b, &gemm->c})
    if (operand->ld > maxInteger)
      return internalError("library GEMM: a leading dimension beyond the "
                           "BLAS's 32-bit integers");
  return okStatus();
}

template <typename T>
static void callGemm(const CpuBlas &blas, const ColumnMajorGemm &form,
                     bool outputZero, int64_t batchBegin, int64_t batchEnd) {
  const T alpha = 1, beta = outputZero ? 0 : 1;
  for (int64_t batch = batchBegin; batch < batchEnd; ++batch) {
    const T *a =
        reinterpret_cast<const T *>(form.aAddress) + batch * form.a.batchStride;
    const T *b =
        reinterpret_cast<const T *>(form.bAddress) + batch * form.b.batchStride;
    T *c = reinterpret_cast<T *>(form.cAddress) + batch * form.c.batchStride;
    blas.gemm(form.a.transposed ? 'T' : 'N', form.b.transposed ? 'T' : 'N',
              form.rows, form.cols, form.k, alpha, a, form.a.ld, b, form.b.ld,
              beta, c, form.c.ld);
  }
}

void runCpuGemmTile(const CpuBlas &blas, const GemmProblem &problem,
                    const CpuGemmTile &tile) {
  // The tile as a problem of its own: the same strides, its first element.
  GemmProblem part = problem;
  int64_t bytes = gemmElementBytes(problem.cType);
  auto offset = [&](const GemmOperand &operand, int64_t row, int64_t col) {
    return operand.address +
           static_cast<uintptr_t>(
               (row * operand.rowStride + col * operand.colStride) * bytes);
  };
  part.m = tile.rowEnd - tile.rowBegin;
  part.n = tile.colEnd - tile.colBegin;
  part.a.address = offset(problem.a, tile.rowBegin, 0);
  part.b.address = offset(problem.b, 0, tile.colBegin);
  part.c.address = offset(problem.c, tile.rowBegin, tile.colBegin);
  std::optional<ColumnMajorGemm> form = toColumnMajorGemm(part);
  if (!form)
    return;
  bool outputZero = problem.flags & kGemmOutputZero;
  if (problem.cType == GemmElementType::F64)
    callGemm<double>(blas, *form, outputZero, tile.batchBegin, tile.batchEnd);
  else
    callGemm<float>(blas, *form, outputZero, tile.batchBegin, tile.batchEnd);
}

uint64_t cpuLibraryGemmCalls() {
  return plannedCalls.load(std::memory_order_relaxed);
}

/// Whether the process's BLAS can compute `problem`.
static Status checkPlan(const GemmProblem &problem) {
  StatusOr<CpuBlas *> blas = CpuBlas::get();
  if (!blas.isOk())
    return blas.status().withContext("library GEMM");
  return checkCpuLibraryGemm(problem, (*blas)->integerBits());
}

/// The plan, on the block's calling thread: ends the run when the problem
/// cannot be computed here, computes it with the library's threads when the
/// plan says so (no tile left), else returns the tile count.
static int64_t planCall(const GemmProblem &problem) {
  // Only `status` (moved out, so empty) is live across the jump.
  if (Status status = checkPlan(problem); !status.isOk()) {
    CpuBlockRun::failCurrentRun(std::move(status));
    return 0;
  }
  plannedCalls.fetch_add(1, std::memory_order_relaxed);
  int64_t cores = cpuGemmPartitionCores();
  CpuGemmTiling tiling =
      planCpuGemmTiles(problem.batch, problem.m, problem.n, problem.k, cores);
  CpuBlas *blas = CpuBlas::loadedInstance();
  if (!cpuGemmUsesLibraryThreads(tiling, blas->canRunThreadedCalls()))
    return tiling.count();
  CpuGemmTile whole;
  whole.batchEnd = problem.batch;
  whole.rowEnd = problem.m;
  whole.colEnd = problem.n;
  CpuBlasCall call(*blas, cores);
  runCpuGemmTile(*blas, problem, whole);
  return 0;
}

static int64_t cpuGemmCall(int32_t aType, int32_t bType, int32_t cType,
                           int32_t flags, int64_t batch, int64_t m, int64_t n,
                           int64_t k, intptr_t a, int64_t aBatchStride,
                           int64_t aRowStride, int64_t aColStride, intptr_t b,
                           int64_t bBatchStride, int64_t bRowStride,
                           int64_t bColStride, intptr_t c, int64_t cBatchStride,
                           int64_t cRowStride, int64_t cColStride,
                           int64_t tile) {
  GemmProblem problem = gemmProblemOfCall(
      aType, bType, cType, flags, batch, m, n, k, a, aBatchStride, aRowStride,
      aColStride, b, bBatchStride, bRowStride, bColStride, c, cBatchStride,
      cRowStride, cColStride);
  if (tile == kCpuGemmPlan)
    return planCall(problem);
  // Tiles run only after their plan passed: the library is there and takes
  // the problem.
  CpuBlas *blas = CpuBlas::loadedInstance();
  CpuGemmTiling tiling =
      planCpuGemmTiles(batch, m, n, k, cpuGemmPartitionCores());
  if (!blas || tile < 0 || tile >= tiling.count())
    return 0;
  CpuBlasCall call(*blas, 1);
  runCpuGemmTile(*blas, problem, cpuGemmTile(tiling, batch, m, n, tile));
  return 0;
}

CpuGemmFunction cpuLibraryGemmFunction() { return cpuGemmCall; }

} // namespace vmgpu::runtime
