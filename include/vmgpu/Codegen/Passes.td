//===- Passes.td - vmgpu code generation passes ------------*- tablegen -*-===//

#ifndef VMGPU_CODEGEN_PASSES
#define VMGPU_CODEGEN_PASSES

include "mlir/Pass/PassBase.td"

def GpuSelectLoweringConfig
    : Pass<"vm-gpu-select-lowering-config", "mlir::func::FuncOp"> {
  let summary = "Classify each linalg op and attach its lowering configuration";
  let description = [{
    Runs on host functions after fusion and bufferization, before any op is
    lowered to kernels. Each linalg op outside a `gpu.launch` is classified
    (elementwise/broadcast/transpose, row reduction, column reduction, full
    reduction, softmax, contraction, convolution, other) and gets a
    `vmgpu.lowering_config` dictionary: the class, the strategy that lowers
    it, the block shape, the vector width and the grid bound, chosen by the
    per-class heuristics from the element types, the static shape and the
    target chip (`chip`: its processor count, subgroup size and widest
    access). An op that already carries a configuration keeps it (written by
    hand for a test or an experiment); a malformed one is an error. The
    strategy passes that follow lower the ops whose strategy they own and
    leave every other op, with strategy `fallback`, to the
    one-thread-per-element lowering.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "Target chip (sm_90a, gfx942, ...) whose description the "
           "heuristics read">,
  ];
}


//===----------------------------------------------------------------------===//
// CPU strategies (lib/Codegen/Cpu*.cpp)
//===----------------------------------------------------------------------===//

def CpuTileContractions
    : Pass<"vm-cpu-tile-contractions", "mlir::func::FuncOp"> {
  let summary = "Tile, vectorize and thread the contractions of a CPU block";
  let description = [{
    Runs on tensors, after fusion and before bufferization. Each linalg op
    gets a `vmgpu.lowering_config` (one written by hand is kept); those with
    strategy `cpu_tiled_contraction` (f32 matmul, transposed matmul,
    batch_matmul) are tiled:

    1. cache tiles of the batch, M and N dims as an `scf.forall` (threads:
       each output element belongs to one tile, computed in a fixed K order
       by one thread, so results do not depend on the thread count);
    2. cache tiles of K as an `scf.for`;
    3. register tiles (M x N x 1) as `scf.for` loops, peeled so that the
       full tiles have static sizes; full tiles are vectorized to
       `vector.contract`, partial ones with masks;
    4. the accumulator tile is hoisted out of the K loop (it stays in
       registers), and contractions become outer products and `vector.fma`
       (contractions may fuse multiply and add: DESIGN.md).

    Other ops are left to the loop lowering that follows.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"host\"",
           "CPU whose description sizes the tiles: host, avx2, avx512, "
           "sse, neon">,
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect",
    "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect",
  ];
}

#endif // VMGPU_CODEGEN_PASSES
