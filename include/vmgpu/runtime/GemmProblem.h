//===- GemmProblem.h - a strided GEMM and its column-major form -*- C++ -*-===//
//
// The problem a library GEMM call (LibraryGemmAbi.h) describes, and how it
// maps onto the column-major interface that GEMM libraries share (cuBLASLt,
// BLAS): shared by the GPU's cuBLASLt calls (LibraryGemm.cpp) and the CPU's
// BLAS calls (CpuLibraryGemm.cpp), so that both read strided operands the
// same way.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GEMMPROBLEM_H
#define VMGPU_RUNTIME_GEMMPROBLEM_H

#include "vmgpu/runtime/LibraryGemmAbi.h"

#include <cstdint>
#include <optional>

namespace vmgpu::runtime {

/// One operand: address of its first element and element strides.
struct GemmOperand {
  uintptr_t address = 0;
  int64_t batchStride = 0;
  int64_t rowStride = 0;
  int64_t colStride = 0;
};

/// C (m x n) = [C +] A (m x k) * B (k x n), `batch` times.
struct GemmProblem {
  GemmElementType aType = GemmElementType::F32;
  GemmElementType bType = GemmElementType::F32;
  GemmElementType cType = GemmElementType::F32;
  /// kGemmOutputZero: C is written, not read; kGemmBias: the epilogue of
  /// vmgpuGemmEpilogue (LibraryGemmAbi.h).
  int32_t flags = 0;
  int64_t batch = 1, m = 0, n = 0, k = 0;
  GemmOperand a, b, c;
  /// With kGemmBias: n contiguous elements of cType, added to every row.
  uintptr_t bias = 0;
};

/// The problem a library GEMM call's arguments describe (LibraryGemmAbi.h:
/// vmgpuGemm's, and vmgpuCpuGemm's but its tile).
GemmProblem gemmProblemOfCall(int32_t aType, int32_t bType, int32_t cType,
                              int32_t flags, int64_t batch, int64_t m,
                              int64_t n, int64_t k, intptr_t a,
                              int64_t aBatchStride, int64_t aRowStride,
                              int64_t aColStride, intptr_t b,
                              int64_t bBatchStride, int64_t bRowStride,
                              int64_t bColStride, intptr_t c,
                              int64_t cBatchStride, int64_t cRowStride,
                              int64_t cColStride);

/// One operand of a column-major GEMM: the stored matrix (rows x cols,
/// leading dimension ld, at least max(rows, 1)), read as it is or
/// transposed.
struct ColumnMajorOperand {
  bool transposed = false;
  int64_t rows = 0, cols = 0, ld = 0, batchStride = 0;
};

/// `problem` as C' (rows x cols) = op(A') (rows x k) * op(B') (k x cols)
/// in column-major storage. When C's columns are contiguous (a row-major
/// C, the usual case, or a single row) this is C^T = B^T A^T: A' is our B
/// and B' our A, each with its strides swapped (`swapped`); otherwise
/// C = A B as it is. C' is never transposed.
struct ColumnMajorGemm {
  bool swapped = false;
  int64_t rows = 0, cols = 0, k = 0;
  ColumnMajorOperand a, b, c;
  /// The addresses of A', B' and C'.
  uintptr_t aAddress = 0, bAddress = 0, cAddress = 0;
};

/// The column-major form of `problem`, or nullopt when an operand's strides
/// fit no column-major layout (neither dim contiguous, or the other stride
/// below the contiguous extent).
std::optional<ColumnMajorGemm> toColumnMajorGemm(const GemmProblem &problem);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GEMMPROBLEM_H
