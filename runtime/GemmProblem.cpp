//===- GemmProblem.cpp - a strided GEMM and its column-major form ---------===//

#include "vmgpu/runtime/GemmProblem.h"

#include <algorithm>
#include <utility>

namespace vmgpu::runtime {

/// A logical r x c matrix with element strides (rowStride, colStride) as a
/// column-major operand: as it is (rows contiguous), or the transpose of a
/// row-major one; nullopt when neither fits. An empty matrix (K = 0) is
/// never read: any strides fit.
static std::optional<ColumnMajorOperand>
toColumnMajorOperand(int64_t r, int64_t c, int64_t rowStride, int64_t colStride,
                     int64_t batchStride) {
  int64_t rOne = std::max<int64_t>(r, 1), cOne = std::max<int64_t>(c, 1);
  if (r == 0 || c == 0)
    return ColumnMajorOperand{false, r, c, rOne, batchStride};
  if (rowStride == 1 || r <= 1) {
    int64_t ld = c <= 1 ? rOne : colStride;
    if (ld >= rOne)
      return ColumnMajorOperand{false, r, c, ld, batchStride};
  }
  if (colStride == 1 || c <= 1) {
    int64_t ld = r <= 1 ? cOne : rowStride;
    if (ld >= cOne)
      return ColumnMajorOperand{true, c, r, ld, batchStride};
  }
  return std::nullopt;
}

GemmProblem gemmProblemOfCall(int32_t aType, int32_t bType, int32_t cType,
                              int32_t flags, int64_t batch, int64_t m,
                              int64_t n, int64_t k, intptr_t a,
                              int64_t aBatchStride, int64_t aRowStride,
                              int64_t aColStride, intptr_t b,
                              int64_t bBatchStride, int64_t bRowStride,
                              int64_t bColStride, intptr_t c,
                              int64_t cBatchStride, int64_t cRowStride,
                              int64_t cColStride) {
  GemmProblem problem;
  problem.aType = static_cast<GemmElementType>(aType);
  problem.bType = static_cast<GemmElementType>(bType);
  problem.cType = static_cast<GemmElementType>(cType);
  problem.flags = flags;
  problem.batch = batch;
  problem.m = m;
  problem.n = n;
  problem.k = k;
  problem.a = {static_cast<uintptr_t>(a), aBatchStride, aRowStride, aColStride};
  problem.b = {static_cast<uintptr_t>(b), bBatchStride, bRowStride, bColStride};
  problem.c = {static_cast<uintptr_t>(c), cBatchStride, cRowStride, cColStride};
  return problem;
}

std::optional<ColumnMajorGemm> toColumnMajorGemm(const GemmProblem &problem) {
  const GemmOperand &c = problem.c;
  ColumnMajorGemm gemm;
  // A single row's stride addresses nothing (toColumnMajorOperand gives
  // that column its own leading dimension): one row maps to C^T as well, so
  // that C's columns are always cuBLASLt's rows where they are contiguous
  // (a bias epilogue runs along them).
  gemm.swapped =
      (c.colStride == 1 || problem.n <= 1) &&
      (problem.m <= 1 || c.rowStride >= std::max<int64_t>(problem.n, 1));
  const GemmOperand &first = gemm.swapped ? problem.b : problem.a;
  const GemmOperand &second = gemm.swapped ? problem.a : problem.b;
  gemm.rows = gemm.swapped ? problem.n : problem.m;
  gemm.cols = gemm.swapped ? problem.m : problem.n;
  gemm.k = problem.k;
  auto strides = [&](const GemmOperand &operand) {
    return gemm.swapped ? std::make_pair(operand.colStride, operand.rowStride)
                        : std::make_pair(operand.rowStride, operand.colStride);
  };
  auto [aRow, aCol] = strides(first);
  auto [bRow, bCol] = strides(second);
  auto [cRow, cCol] = strides(c);
  std::optional<ColumnMajorOperand> a =
      toColumnMajorOperand(gemm.rows, gemm.k, aRow, aCol, first.batchStride);
  std::optional<ColumnMajorOperand> b =
      toColumnMajorOperand(gemm.k, gemm.cols, bRow, bCol, second.batchStride);
  std::optional<ColumnMajorOperand> cc =
      toColumnMajorOperand(gemm.rows, gemm.cols, cRow, cCol, c.batchStride);
  if (!a || !b || !cc || cc->transposed)
    return std::nullopt;
  gemm.a = *a;
  gemm.b = *b;
  gemm.c = *cc;
  gemm.aAddress = first.address;
  gemm.bAddress = second.address;
  gemm.cAddress = c.address;
  return gemm;
}

} // namespace vmgpu::runtime
