//===- CpuIm2Col.h - convolutions as contractions for the CPU ---*- C++ -*-===//

#ifndef VMGPU_CODEGEN_CPUIM2COL_H
#define VMGPU_CODEGEN_CPUIM2COL_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace vmgpu {

/// Rewrites `conv` (NHWC input, HWCF filter, any strides and dilations, any
/// static or dynamic sizes) as an im2col copy and a contraction:
///
///   cols[n, oh, ow, kh, kw, c] = input[n, oh*sh + kh*dh, ow*sw + kw*dw, c]
///   out[n*oh*ow, f] += cols[n*oh*ow, kh*kw*c] * filter[kh*kw*c, f]
///
/// The copy is a plain `linalg.generic` (affine indexing, no gathers) into the
/// accumulator type (extf or extsi: the packing step of 16-bit and i8 inputs,
/// so the packing of CpuPackOperands.h does not copy it again); the
/// contraction is a `linalg.matmul` with M = n*oh*ow, N = f and K = kh*kw*c,
/// which widens its operands as the convolution does (extf, or sign
/// extension), so that the tiled contraction strategy takes it as any
/// matmul. Returns the matmul.
mlir::FailureOr<mlir::linalg::LinalgOp>
rewriteConvAsIm2ColContraction(mlir::RewriterBase &rewriter,
                               mlir::linalg::Conv2DNhwcHwcfOp conv);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CPUIM2COL_H
