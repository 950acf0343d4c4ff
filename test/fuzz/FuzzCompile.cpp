//===- FuzzCompile.cpp - libFuzzer target: vm text through a pipeline -----===//
//
// The first byte picks how far the rest (MLIR text) goes, the remaining
// bytes are the program:
//   0  the engine's front end: bytecode and nesting checks, parse, verify,
//      the block contract and the compile bounds
//   1  then vm-to-linalg
//   2  then the CPU pipeline (vm-to-cpu, down to the LLVM dialect)
//   3  then the NVIDIA pipeline (vm-to-nvvm, PTX text from LLVM's NVPTX
//      backend: code generation without ptxas)
//   4  then the AMD pipeline (vm-to-rocdl, AMDGPU assembly text)
// Nothing runs. Any input either goes through or fails with an error
// diagnostic; a failure without one is a finding, as is any crash.
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "vmgpu/Compiler/Compiler.h"
#include "vmgpu/Compiler/InputBounds.h"
#include "vmgpu/Conversion/Passes.h"
#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/Transforms/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

enum class Stage { FrontEnd, VmToLinalg, Cpu, Nvvm, Rocdl, Count };

const DialectRegistry &compilerRegistry() {
  static const DialectRegistry *registry = [] {
    auto *result = new DialectRegistry();
    vmgpu::registerCompilerDialects(*result);
    return result;
  }();
  return *registry;
}

void buildStage(Stage stage, OpPassManager &pm) {
  switch (stage) {
  case Stage::FrontEnd:
  case Stage::Count:
    return;
  case Stage::VmToLinalg:
    pm.addPass(vmgpu::createConvertVmToLinalg());
    return;
  case Stage::Cpu: {
    vmgpu::CpuPipelineOptions options;
    vmgpu::buildVmToCpuPassPipeline(pm, options);
    return;
  }
  case Stage::Nvvm: {
    vmgpu::NVVMPipelineOptions options;
    options.format = "isa";
    vmgpu::buildVmToNVVMPassPipeline(pm, options);
    return;
  }
  case Stage::Rocdl: {
    vmgpu::ROCDLPipelineOptions options;
    options.format = "isa";
    vmgpu::buildVmToROCDLPassPipeline(pm, options);
    return;
  }
  }
}

/// The engine's front end (Engine::compileUncached) and then `stage`.
/// Returns success, or failure with `sawError` telling whether an error
/// was reported.
LogicalResult compile(llvm::StringRef text, Stage stage, bool &sawError) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(text, "fuzz.mlir"), llvm::SMLoc());
  llvm::raw_null_ostream quiet;
  if (vmgpu::isBytecode(text) ||
      !vmgpu::checkInputNesting(sourceMgr, quiet)) {
    sawError = true;
    return failure();
  }
  MLIRContext context(compilerRegistry(), MLIRContext::Threading::DISABLED);
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diagnostic) {
    if (diagnostic.getSeverity() == DiagnosticSeverity::Error)
      sawError = true;
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module || failed(verify(*module)) ||
      failed(vmgpu::checkBlockContract(*module)) ||
      failed(vmgpu::checkCompileBounds(*module)))
    return failure();
  if (stage == Stage::FrontEnd)
    return success();
  PassManager pm(&context);
  buildStage(stage, pm);
  return pm.run(*module);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  auto stage = static_cast<Stage>(data[0] % static_cast<int>(Stage::Count));
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);
  bool sawError = false;
  LogicalResult result = failure();
  vmgpu::runOnCompilerStack([&] { result = compile(text, stage, sawError); });
  VMGPU_FUZZ_CHECK(succeeded(result) || sawError,
                   "a failed compile reports an error");
  return 0;
}
