//===- vm-gpu-opt.cpp - mlir-opt for vmgpu --------------------------------===//
//
// Parses, verifies, transforms and prints IR holding the vm dialect, with
// every upstream dialect and pass the vmgpu pipelines use.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "vm/VmDialect.h"
#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  vmgpu::registerVmgpuConversionPasses();
  vmgpu::registerVmgpuTransformsPasses();
  vmgpu::registerVmgpuPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates GPU modules to LLVM IR in process.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<vmgpu::vm::VmDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "vmgpu optimizer driver\n", registry));
}
