//===- vm-gpu-compile.cpp - ahead-of-time compile to an artifact file -----===//
//
//   vm-gpu-compile PROG.mlir --entry main --target cpu|cuda [--chip sm_90]
//       -o BLOCK.vmgpu
//
// Writes an artifact file (vmgpu/runtime/ArtifactFile.h) that vm-gpu-exec
// runs on a machine with only the runtime: no LLVM or MLIR there.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Compiler/Compiler.h"
#include "vmgpu/runtime/ArtifactFile.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;

static cl::OptionCategory category("vm-gpu-compile options");
static cl::opt<std::string> programPath(cl::Positional, cl::Required,
                                        cl::desc("<program.mlir>"),
                                        cl::cat(category));
static cl::opt<std::string> entry("entry", cl::init("main"),
                                  cl::desc("Function to compile"),
                                  cl::cat(category));
static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("cpu | cuda"), cl::cat(category));
static cl::opt<std::string> chip("chip", cl::init("sm_90"),
                                 cl::desc("GPU architecture for --target=cuda"),
                                 cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::desc("Artifact file to write"),
                                       cl::cat(category));

static int fail(const Twine &message) {
  WithColor::error(errs(), "vm-gpu-compile") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "vmgpu ahead-of-time compiler\n");
  // Copied before compiling: linking with lld in process resets every
  // llvm::cl option to its default.
  const std::string artifactPath = outputPath;
  if (target != "cpu" && target != "cuda")
    return fail("unknown target '" + target + "' (expected cpu or cuda)");

  mlir::DialectRegistry registry;
  vmgpu::registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  SourceMgr sourceMgr;
  auto source = MemoryBuffer::getFileOrSTDIN(programPath, /*IsText=*/true);
  if (!source)
    return fail("cannot read " + programPath + ": " + source.getError().message());
  sourceMgr.AddNewSourceBuffer(std::move(*source), SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context, errs());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || failed(mlir::verify(*module)))
    return 1;

  vmgpu::CompileOptions options;
  mlir::FailureOr<vmgpu::runtime::Artifact> artifact =
      target == "cuda" ? vmgpu::compileForCuda(*module, entry, chip, options)
                       : vmgpu::compileForCpu(*module, entry, options);
  if (failed(artifact))
    return 1;
  if (vmgpu::runtime::Status status =
          vmgpu::runtime::writeArtifactFile(artifactPath, *artifact);
      !status.isOk())
    return fail(status.message());
  return 0;
}
