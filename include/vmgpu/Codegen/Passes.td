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

#endif // VMGPU_CODEGEN_PASSES
