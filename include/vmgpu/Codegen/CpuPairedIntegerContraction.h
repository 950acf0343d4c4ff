//===- CpuPairedIntegerContraction.h - i8 pair multiply-adds -*- C++ -*-===//
//
// Integer matmuls of i8 inputs into i32 on x86 CPUs that multiply
// and add pairs of 16-bit integers (vpmaddwd; LLVM turns it and the add into
// the accumulator into vpdpwssd where AVX-512 VNNI or AVX-VNNI exists): two
// products per 32-bit lane and instruction, where the tiled contraction
// widens both operands to i32 and multiplies one product per lane (vpmulld,
// two uops). docs/cpu-path.md, 2a.
//
// The form: both operands copied once as i16, K rounded up to even and M
// and N to whole register tiles with zeros, A as [M][K/2][2] and B as
// [K/2][N][2] (pairs of K interleaved; either may come transposed; a batch
// matmul's with their batch dim first); the product (into a padded copy of
// C where M or N was padded) is a linalg.generic over ((b,) m, n, p, q),
// k = 2p + q, which vm-cpu-tile-contractions tiles like its
// other contractions and whose full register tiles become a loop over p of
// one pair multiply-add per row and vector of columns, accumulators in
// registers. Exact: a pair sum of i8 products is at most 2 * 2^14, and
// wrapping integer sums are the same in any order.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_CPUPAIREDINTEGERCONTRACTION_H
#define VMGPU_CODEGEN_CPUPAIREDINTEGERCONTRACTION_H

#include "vmgpu/Codegen/CpuTarget.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace vmgpu {

/// Marks the paired contraction and its tiles until their register tiles
/// are lowered (tiling clones attributes).
inline constexpr llvm::StringLiteral kPairedIntegerContractionAttr =
    "vmgpu.cpu_paired_integer_contraction";

/// Whether `op` takes the paired form on `cpu`: a static linalg.matmul or
/// linalg.batch_matmul (either operand transposed, no other maps) without
/// configuration, signed
/// casts, i8 inputs (the contract's only narrow integer matmul), an i32
/// result, M at least a register tile's rows, N its columns, K >= 2, on a
/// CPU with a pair multiply-add (CpuTargetDescription::pairMultiplyAdd).
bool takesPairedIntegerContraction(mlir::linalg::LinalgOp op,
                                   const CpuTargetDescription &cpu);

/// Replaces `matmul` (takesPairedIntegerContraction on `cpu`) by the i16
/// copies, M and N padded with zeros to whole register tiles, and the
/// paired linalg.generic, marked with kPairedIntegerContractionAttr, whose
/// result's corner is the matmul's.
mlir::linalg::GenericOp
rewriteAsPairedIntegerContraction(mlir::RewriterBase &rewriter,
                                  mlir::linalg::LinalgOp matmul,
                                  const CpuTargetDescription &cpu);

/// The tiles of the paired generic's `loops` loops ((b,) m, n, p, q) as the
/// tiled contraction takes them (cache_tiles: one batch, M and N over
/// threads, P for the cache; register_tiles: one batch, rows x two vectors
/// of columns), not attached to the op: its register tiles are lowered by
/// lowerPairedIntegerTile.
LoweringConfig pairedIntegerTiling(const CpuTargetDescription &cpu,
                                   unsigned loops);

/// Lowers one register tile of the paired generic: a full tile (the static
/// register tile's sizes) becomes the loop over p of pair multiply-adds;
/// any other (a peeled remainder, which the padded operands make run zero
/// times) keeps the generic and gets the `fallback` configuration. Removes
/// the mark either way.
mlir::LogicalResult lowerPairedIntegerTile(mlir::RewriterBase &rewriter,
                                           mlir::linalg::GenericOp tile,
                                           const CpuTargetDescription &cpu);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CPUPAIREDINTEGERCONTRACTION_H
