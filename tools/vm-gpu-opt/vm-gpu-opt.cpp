//===- vm-gpu-opt.cpp - mlir-opt for vmgpu --------------------------------===//
//
// Parses, verifies, transforms and prints IR holding the vm dialect, with
// every upstream dialect and pass the vmgpu pipelines use. Like the engine,
// it bounds the nesting of its input before parsing and parses on a large
// stack (vmgpu/Compiler/InputBounds.h): MLIR's parser recurses per level.
//
//===----------------------------------------------------------------------===//

#include "codegen/CodegenOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "vm/VmDialect.h"
#include "vmgpu/Compiler/InputBounds.h"
#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/Transforms/Passes.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::registerAllPasses();
  vmgpu::registerVmgpuConversionPasses();
  vmgpu::registerVmgpuTransformsPasses();
  vmgpu::registerVmgpuPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates GPU modules to LLVM IR in process.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<vmgpu::vm::VmDialect, vmgpu::codegen::CodegenDialect>();

  auto [inputPath, outputPath] = mlir::registerAndParseCLIOptions(
      argc, argv, "vmgpu optimizer driver\n", registry);
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing dialects or passes reads no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputPath, outputPath, registry));

  std::string error;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputPath, &error);
  if (!input) {
    llvm::errs() << error << "\n";
    return 1;
  }
  llvm::SourceMgr scanned;
  scanned.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBuffer(input->getMemBufferRef()), llvm::SMLoc());
  if (!vmgpu::checkInputNesting(scanned, llvm::errs(),
                                config.inputSplitMarker()))
    return 1;
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputPath, &error);
  if (!output) {
    llvm::errs() << error << "\n";
    return 1;
  }
  llvm::LogicalResult result = llvm::failure();
  vmgpu::runOnCompilerStack([&] {
    result = mlir::MlirOptMain(output->os(), std::move(input), registry, config);
  });
  if (failed(result))
    return 1;
  output->keep();
  return 0;
}
