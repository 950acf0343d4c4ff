//===- Passes.td - vmgpu transformation passes -------------*- tablegen -*-===//

#ifndef VMGPU_TRANSFORMS_PASSES
#define VMGPU_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def ExposeEntryPoints : Pass<"vm-expose-entry-points", "mlir::ModuleOp"> {
  let summary = "Give every public function a C-callable interface";
  let description = [{
    Marks each public `func.func` with `llvm.emit_c_interface`, so that
    `convert-func-to-llvm` emits `_mlir_ciface_<name>`, whose memref
    arguments and results are passed as pointers to descriptors. The CPU
    target then wraps that in one packed entry point the runtime can call
    without knowing the signature at compile time. Tensor arguments are
    marked `bufferization.writable = false`: the caller's inputs are never
    modified.
  }];
}

def CopiesToLinalg : Pass<"vm-copies-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    `finalize-memref-to-llvm` turns a copy between non-contiguous memrefs
    into a call to `memrefCopy` from MLIR's C runner library, which the
    vmgpu runtime does not ship. As `linalg.copy`, the copy becomes loops
    like every other linalg op.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def OutlineShapeChecks : Pass<"vm-outline-shape-checks", "mlir::ModuleOp"> {
  let summary = "Move run-time shape checks into their own entry point";
  let description = [{
    For every public function `f` holding `cf.assert` ops (the shape checks
    of `vm-to-linalg`), creates `__vmgpu_check_f`: the same arguments, an
    `i32` result that is 0 when every check holds and otherwise 1 + the
    index of the first one that fails, and only the shape arithmetic the
    checks need. The asserts are removed from `f`, and their messages are
    kept, in order, in the module attribute `vmgpu.shape_checks.f`. The
    runtime calls the check first and turns a failure into an error that
    quotes the message, so bad input shapes never reach the kernels (where
    they would read out of bounds).
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

#endif // VMGPU_TRANSFORMS_PASSES
