//===- LoweringConfig.h - how one linalg op becomes a kernel -----*- C++ -*-===//
//
// vm-gpu-select-lowering-config classifies each linalg op of a block and
// attaches a lowering configuration to it as the discardable attribute
// `vmgpu.lowering_config`, a dictionary:
//
//   vmgpu.lowering_config = {class = "row_reduction",
//                            strategy = "warp_per_row",
//                            workgroup = array<i64: 32, 8, 1>,
//                            vector_width = 1, max_blocks = 0}
//
// The strategy passes read it back; a configuration written by hand in the
// input is kept (it is how experiments and tests pin a configuration).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_LOWERINGCONFIG_H
#define VMGPU_CODEGEN_LOWERINGCONFIG_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <optional>

namespace vmgpu {

/// The name of the attribute that holds an op's configuration.
inline constexpr llvm::StringLiteral kLoweringConfigAttrName =
    "vmgpu.lowering_config";

/// What a linalg op computes, as far as code generation cares.
enum class OpClass {
  /// All loops parallel: elementwise chains, broadcasts, transposes, copies.
  Elementwise,
  /// Reduces the innermost dims; parallel dims outside.
  RowReduction,
  /// Reduces outer dims; the contiguous dim stays parallel.
  ColumnReduction,
  /// Every loop a reduction (to a 0-d result).
  FullReduction,
  /// linalg.softmax.
  Softmax,
  /// matmul, batch_matmul and other contractions.
  Contraction,
  /// Convolutions and pooling.
  Convolution,
  /// Scans (vm.scan): an output indexed by the reduction loop, written at
  /// every step.
  Scan,
  /// Anything else.
  Other,
};

/// How an op is lowered. `Fallback` is the one-thread-per-output-element
/// lowering (convert-linalg-to-parallel-loops + vm-parallel-loops-to-gpu),
/// which takes every op.
enum class Strategy {
  Fallback,
  /// Flat grid-stride loop, `vector_width` elements per access
  /// (vm-gpu-lower-elementwise).
  VectorizedElementwise,
  /// One subgroup per row, lanes combined by shuffles
  /// (vm-gpu-lower-row-reductions).
  WarpPerRow,
  /// Fixed segments, one subgroup each, then one subgroup over the
  /// partials (vm-gpu-lower-full-reductions).
  TwoStage,
  /// One subgroup per row: max, sum of exponentials, normalized write, in
  /// one kernel (vm-gpu-lower-softmax).
  SubgroupSoftmax,
  /// One block of workgroup[1] subgroups per row: rows that fit are kept
  /// in registers (one read, one write), longer ones take an online max
  /// and rescaled sum (vm-gpu-lower-softmax).
  BlockSoftmax,
  /// Column reductions: threads along the contiguous dim (vector_width
  /// columns each), rows cut into segments fixed by the shape, then one
  /// thread per column over the segments (vm-gpu-lower-column-reductions).
  CoalescedColumns,
  /// CPU: cache tiles over threads (scf.forall), register tiles vectorized
  /// to FMA with the accumulators kept in registers across K
  /// (vm-cpu-tile-contractions).
  CpuTiledContraction,
  /// A call of the runtime's GEMM library (cuBLASLt) on the block's stream
  /// instead of a kernel (vm-gpu-lower-contractions-to-library).
  Library,
  /// Block tiles of a (batched) matrix product staged through shared
  /// memory, a register tile of accumulators per thread updated with
  /// outer products (vm-gpu-lower-contractions).
  TiledSimt,
  /// Tensor cores (sm_80+): block tiles of a 16-bit or i8 matrix product
  /// staged through a multi-stage cp.async pipeline in swizzled shared
  /// memory, read with ldmatrix, one warp tile of mma.sync accumulators
  /// kept in registers (vm-gpu-lower-contractions-mma-sync).
  MmaSync,
  /// CPU: row and full reductions; (row, fixed segment) pairs over threads,
  /// several vector accumulators per segment, partials combined in order
  /// (vm-cpu-lower-reductions).
  CpuVectorReduction,
  /// CPU: column reductions; blocks of vector columns walk fixed row
  /// segments over threads, partials combined in order
  /// (vm-cpu-lower-reductions).
  CpuColumnReduction,
  /// CPU: softmax rows over threads; per row max, sum of exponentials and
  /// normalized write with vector accumulators (vm-cpu-lower-softmax).
  CpuRowSoftmax,
  /// Scans along the innermost dim: one subgroup per row walks it in chunks
  /// of workgroup[0] x vector_width elements, each lane scanning its own
  /// elements after a shuffle-up scan of the lanes' totals
  /// (vm-gpu-lower-row-scans).
  WarpScan,
};

llvm::StringRef stringifyOpClass(OpClass opClass);
std::optional<OpClass> symbolizeOpClass(llvm::StringRef name);
llvm::StringRef stringifyStrategy(Strategy strategy);
std::optional<Strategy> symbolizeStrategy(llvm::StringRef name);

/// A lowering configuration. Fields a strategy does not use keep their
/// defaults.
struct LoweringConfig {
  OpClass opClass = OpClass::Other;
  Strategy strategy = Strategy::Fallback;
  /// Threads of a block in x, y, z.
  std::array<int64_t, 3> workgroup = {256, 1, 1};
  /// Elements per vector access (1: scalar).
  int64_t vectorWidth = 1;
  /// Upper bound of the grid (grid-stride loops cover the rest); 0: none.
  int64_t maxBlocks = 0;
  /// Tile sizes per loop of the op (0: not tiled), for the cache level
  /// (CPU: threads; GPU contractions: one block's tile) and the register
  /// level (one thread's tile). Empty: none.
  llvm::SmallVector<int64_t> cacheTiles;
  llvm::SmallVector<int64_t> registerTiles;
  /// Slices of a pipelined K loop in flight at once (shared-memory stages);
  /// 0: not pipelined.
  int64_t pipelineDepth = 0;

  /// The dictionary attribute of this configuration.
  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;

  /// Reads `attr` back. Unknown keys, missing `class`/`strategy`, values of
  /// the wrong type or out of range give an error located at `op`.
  static mlir::FailureOr<LoweringConfig> fromAttr(mlir::Attribute attr,
                                                  mlir::Operation *op);
};

/// The configuration attached to `op`: nullopt when there is none, failure
/// (with an error at `op`) when the attribute is malformed.
mlir::FailureOr<std::optional<LoweringConfig>>
getLoweringConfig(mlir::Operation *op);

/// Attaches `config` to `op`.
void setLoweringConfig(mlir::Operation *op, const LoweringConfig &config);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_LOWERINGCONFIG_H
