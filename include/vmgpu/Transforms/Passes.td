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
    without knowing the signature at compile time.
  }];
}

#endif // VMGPU_TRANSFORMS_PASSES
