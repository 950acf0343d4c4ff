//===- Passes.td - vmgpu conversion passes -----------------*- tablegen -*-===//

#ifndef VMGPU_CONVERSION_PASSES
#define VMGPU_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def ConvertVmToLinalg : Pass<"vm-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower vm ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every op of the `vm` dialect into linalg on tensors: named ops
    where linalg has them (matmul, batch_matmul, dot, conv_2d_nhwc_hwcf,
    reduce, transpose, broadcast, fill), `linalg.generic` otherwise. Each
    elementwise body carries the contract's semantics for every input, so
    no undefined behaviour reaches LLVM and every target computes the same
    bits. Any vm op left over is an error.

    What the verifier cannot check on dynamic shapes (equal dims of
    elementwise operands, matmul K, slice bounds, reshape counts, ...)
    becomes a `cf.assert` with a message naming the op and its location;
    `vm-outline-shape-checks` later turns those into an entry point the
    runtime calls before the block.
  }];
  let options = [
    Option<"mergeSortMinLength", "merge-sort-min-length", "int64_t",
           /*default=*/"::vmgpu::LaneSortForms().mergeSortMinLength",
           "vm.sort, vm.topk (past selection) and vm.scatter whose lanes (the "
           "elements that differ only in `dim`) have a static length of at "
           "least this sort by merge passes over every element when they are "
           "fewer than merge-sort-max-lanes; otherwise each lane is one "
           "sequential pass">,
    Option<"mergeSortMaxLanes", "merge-sort-max-lanes", "int64_t",
           /*default=*/"::vmgpu::LaneSortForms().mergeSortMaxLanes",
           "From this many lanes on, one sequential pass per lane keeps the "
           "target busy (0: never; a GPU wants the merge passes whatever "
           "the lane count)">,
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect",
    "mlir::cf::ControlFlowDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect",
    "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect",
  ];
}

#endif // VMGPU_CONVERSION_PASSES
