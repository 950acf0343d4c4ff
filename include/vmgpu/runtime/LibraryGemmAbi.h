//===- LibraryGemmAbi.h - the library GEMM host calls ----------*- C++ -*-===//
//
// The contract between the compiler's `library` contraction strategy
// (lib/Codegen/LowerContractionsToLibrary.cpp), which emits calls of
// `vmgpuGemm` into a GPU block's host code and calls of `vmgpuCpuGemm` into a
// CPU block, and the runtime, which defines them (runtime/LibraryGemm.cpp
// over cuBLASLt, runtime/CpuLibraryGemm.cpp over a BLAS). Plain C++, no
// LLVM: both sides include it, so the codes below cannot drift apart.
//
// Both calls compute, for every batch index b < batch,
//
//   C[b] = A[b] * B[b]            (flags & kGemmOutputZero: C is not read)
//   C[b] = C[b] + A[b] * B[b]     (otherwise)
//
// with A[b] an m x k matrix, B[b] k x n and C[b] m x n. `vmgpuGemmEpilogue`
// takes one more argument, the address of a bias vector of n elements of
// C's type (contiguous), and computes, for one batch, with the product
// accumulated in f32 and C written, not read (kGemmOutputZero required):
//
//   C[i][j] = round(A * B [i][j] + bias[j])     (flags & kGemmBias)
//
// the bias added in f32, one rounding to C's type at the end: the
// contract's result of the bias add and convert after an f32 product. No
// relu: cuBLASLt's RELU_BIAS turned NaN into 0 in some of its kernels.
//
// Each operand is a device address (of its first element, offset included)
// and three element strides: between batches, between rows and between
// columns. The runtime maps each operand to a column-major layout
// (cuBLASLt's, the BLAS's), transposed or not, and fails cleanly when no
// layout fits.
//
// The CPU call takes one more argument, `tile`: kCpuGemmPlan asks, on the
// block's calling thread, whether the runtime can compute the problem and
// into how many tiles it splits it (the result; a problem it cannot compute
// ends the run with an error; 0 when the plan call computed the whole
// problem itself with the library's threads); 0 <= tile < that count
// computes one tile. The block calls every tile once, from its OpenMP
// threads. The plan depends only on the problem's sizes and the machine,
// never on the thread count (runtime/CpuLibraryGemm.h).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_LIBRARYGEMMABI_H
#define VMGPU_RUNTIME_LIBRARYGEMMABI_H

#include <cstdint>

namespace vmgpu {

/// The symbol the host code calls.
inline constexpr char kLibraryGemmSymbol[] = "vmgpuGemm";

/// Element type codes of the operands (the call's first three arguments).
enum class GemmElementType : int32_t {
  F32 = 0,
  F16 = 1,
  BF16 = 2,
  I8 = 3,
  I32 = 4,
  F64 = 5,
};

/// Bits of the call's `flags` argument.
inline constexpr int32_t kGemmOutputZero = 1;
/// vmgpuGemmEpilogue only: add the bias vector.
inline constexpr int32_t kGemmBias = 2;

/// The symbol of the call with an epilogue (see the file comment).
inline constexpr char kLibraryGemmEpilogueSymbol[] = "vmgpuGemmEpilogue";

/// The element types that take the bias epilogue (cuBLASLt's
/// CUBLASLT_EPILOGUE_BIAS with a bias of C's type, checked bitwise against
/// the contract on an H100: benchmarks/device/cublaslt_epilogue_nan.py and
/// the e2e cases libgemm_bias_*): f16 x f16 -> f16 or f32, f32 x f32 -> f32.
inline bool isLibraryGemmEpilogueTypeCombination(GemmElementType a,
                                                 GemmElementType b,
                                                 GemmElementType c) {
  return a == b &&
         ((a == GemmElementType::F16 &&
           (c == GemmElementType::F16 || c == GemmElementType::F32)) ||
          (a == GemmElementType::F32 && c == GemmElementType::F32));
}

/// The element types the library strategy takes (inputs, output), with the
/// compute type the runtime uses for them: f32 x f32 -> f32 (strict
/// CUBLAS_COMPUTE_32F, never TF32); f16 x f16 and bf16 x bf16 -> the same
/// type or f32 (CUBLAS_COMPUTE_32F); i8 x i8 -> i32 (CUBLAS_COMPUTE_32I).
inline bool isLibraryGemmTypeCombination(GemmElementType a, GemmElementType b,
                                         GemmElementType c) {
  if (a != b)
    return false;
  switch (a) {
  case GemmElementType::F32:
    return c == GemmElementType::F32;
  case GemmElementType::F16:
  case GemmElementType::BF16:
    return c == a || c == GemmElementType::F32;
  case GemmElementType::I8:
    return c == GemmElementType::I32;
  case GemmElementType::I32:
  case GemmElementType::F64:
    return false;
  }
  return false;
}

/// The element types the CPU library strategy takes: f32 x f32 -> f32
/// (sgemm) and f64 x f64 -> f64 (dgemm). Other contractions stay generated.
inline bool isCpuLibraryGemmTypeCombination(GemmElementType a,
                                            GemmElementType b,
                                            GemmElementType c) {
  return a == b && b == c &&
         (a == GemmElementType::F32 || a == GemmElementType::F64);
}

/// Bytes of one element of `type`.
inline int64_t gemmElementBytes(GemmElementType type) {
  switch (type) {
  case GemmElementType::F32:
  case GemmElementType::I32:
    return 4;
  case GemmElementType::F16:
  case GemmElementType::BF16:
    return 2;
  case GemmElementType::I8:
    return 1;
  case GemmElementType::F64:
    return 8;
  }
  return 1;
}

/// The symbol CPU blocks call (through kCpuGemmHookSymbol, below).
inline constexpr char kCpuLibraryGemmSymbol[] = "vmgpuCpuGemm";
/// The CPU block's global that holds the runtime's CpuGemmFunction: CPU
/// blocks need no symbol from the process that loads them, so the runtime
/// stores its function there when it loads the block.
inline constexpr char kCpuGemmHookSymbol[] = "__vmgpu_cpu_gemm_hook";
/// The CPU call's `tile` that asks for the tile count (see the file comment).
inline constexpr int64_t kCpuGemmPlan = -1;

/// The CPU call: vmgpuGemm's arguments, then `tile`; returns the count of
/// tiles left for the block for kCpuGemmPlan, 0 otherwise.
using CpuGemmFunction = int64_t (*)(
    int32_t aType, int32_t bType, int32_t cType, int32_t flags, int64_t batch,
    int64_t m, int64_t n, int64_t k, intptr_t a, int64_t aBatchStride,
    int64_t aRowStride, int64_t aColStride, intptr_t b, int64_t bBatchStride,
    int64_t bRowStride, int64_t bColStride, intptr_t c, int64_t cBatchStride,
    int64_t cRowStride, int64_t cColStride, int64_t tile);

} // namespace vmgpu

extern "C" {
/// The host call (see the file comment). Addresses are passed as integers
/// (the host code computes them as `index` values). Errors are recorded
/// like those of the mgpu* calls (GpuHostCalls.h): the block's run then
/// fails with the message, and the engine reruns it on the CPU.
void vmgpuGemm(int32_t aType, int32_t bType, int32_t cType, int32_t flags,
               int64_t batch, int64_t m, int64_t n, int64_t k, intptr_t a,
               int64_t aBatchStride, int64_t aRowStride, int64_t aColStride,
               intptr_t b, int64_t bBatchStride, int64_t bRowStride,
               int64_t bColStride, intptr_t c, int64_t cBatchStride,
               int64_t cRowStride, int64_t cColStride);

/// vmgpuGemm's arguments, then the bias vector's address (see the file
/// comment); `flags` holds kGemmBias and kGemmOutputZero.
void vmgpuGemmEpilogue(int32_t aType, int32_t bType, int32_t cType,
                       int32_t flags, int64_t batch, int64_t m, int64_t n,
                       int64_t k, intptr_t a, int64_t aBatchStride,
                       int64_t aRowStride, int64_t aColStride, intptr_t b,
                       int64_t bBatchStride, int64_t bRowStride,
                       int64_t bColStride, intptr_t c, int64_t cBatchStride,
                       int64_t cRowStride, int64_t cColStride, intptr_t bias);
}

#endif // VMGPU_RUNTIME_LIBRARYGEMMABI_H
