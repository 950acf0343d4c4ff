//===- Im2ColContraction.h - convolutions as matmuls ------------*- C++ -*-===//

#ifndef VMGPU_CODEGEN_IM2COLCONTRACTION_H
#define VMGPU_CODEGEN_IM2COLCONTRACTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace vmgpu {

/// The largest im2col copy a GPU convolution makes (bytes). Beyond it the
/// convolution keeps its one-thread-per-output kernel: a copy of many
/// gigabytes would make the block's memory bound refuse it on smaller
/// devices, where it would run on the CPU instead.
inline constexpr int64_t kMaxGpuIm2ColBytes = int64_t(4) << 30;

/// Rewrites `conv` (NHWC input, HWCF filter, any strides and dilations, any
/// static or dynamic sizes) as an im2col copy and a contraction:
///
///   cols[n, oh, ow, kh, kw, c] = input[n, oh*sh + kh*dh, ow*sw + kw*dw, c]
///   out[n*oh*ow, f] += cols[n*oh*ow, kh*kw*c] * filter[kh*kw*c, f]
///
/// The copy is a plain `linalg.generic` (affine indexing, no gathers) whose
/// elements are `colsElement`: the input's type, or the accumulator type
/// (extf or extsi), which makes the copy also the packing step of 16-bit
/// and i8 inputs on the CPU (CpuPackOperands.h). A 1x1 filter at unit
/// stride whose windows are the input itself (the output's spatial sizes
/// are the input's, both static) needs no copy of the input's own type:
/// the matmul reads the input, collapsed. The contraction is a
/// `linalg.matmul` with M = n*oh*ow, N = f and K = kh*kw*c, which widens
/// its operands as the convolution does, so the contraction strategies take
/// it as any matmul. An output that is a fill of an empty tensor is filled
/// again in the matmul's shape (the strategies fold a fill of their own
/// output). Returns the matmul.
mlir::FailureOr<mlir::linalg::LinalgOp>
rewriteConvAsIm2ColContraction(mlir::RewriterBase &rewriter,
                               mlir::linalg::Conv2DNhwcHwcfOp conv,
                               mlir::Type colsElement);

/// The elements of the im2col copy of `conv` (kh*kw*c per output pixel),
/// or nullopt when a size is known only at run time.
std::optional<int64_t> im2ColElements(mlir::linalg::Conv2DNhwcHwcfOp conv);

/// False when rewriteConvAsIm2ColContraction makes no copy for `conv` with
/// `colsElement` (a 1x1 filter at unit stride whose windows are the input).
bool needsIm2ColCopy(mlir::linalg::Conv2DNhwcHwcfOp conv,
                     mlir::Type colsElement);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_IM2COLCONTRACTION_H
