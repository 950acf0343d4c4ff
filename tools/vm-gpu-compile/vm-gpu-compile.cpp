//===- vm-gpu-compile.cpp - ahead-of-time compile to an artifact file -----===//
//
//   vm-gpu-compile PROG.mlir --entry main --target cpu|cuda|rocm
//       [--chip sm_90|gfx942] [--dump-kernels DIR] -o BLOCK.vmgpu
//
// Writes an artifact file (vmgpu/runtime/ArtifactFile.h) that vm-gpu-exec
// runs on a machine with only the runtime: no LLVM or MLIR there. With
// --dump-kernels, each GPU kernel module's device object (cubin, HSACO) is
// also written to DIR/<module>.<cubin|hsaco> for inspection. Like the
// engine, it admits only the vm IR contract within the bounds of
// docs/security.md, and parses and compiles on the compiler's own stack.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Compiler/Compiler.h"
#include "vmgpu/Compiler/InputBounds.h"
#include "vmgpu/Transforms/Passes.h"
#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/FileRead.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
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
                                   cl::desc("cpu | cuda | rocm"),
                                   cl::cat(category));
static cl::opt<std::string>
    chip("chip", cl::init(""),
         cl::desc("GPU architecture (default: sm_90 for cuda, gfx942 for "
                  "rocm)"),
         cl::cat(category));
static cl::opt<std::string>
    dumpKernels("dump-kernels", cl::init(""),
                cl::desc("Also write each kernel module's device object "
                         "(cubin, HSACO) into this directory"),
                cl::cat(category));
static cl::opt<bool>
    cudaPtx("cuda-ptx",
            cl::desc("For cuda: embed PTX (compiled by the driver when the "
                     "block loads) instead of cubin"),
            cl::cat(category));
static cl::opt<std::string> contractionStrategy(
    "contraction-strategy", cl::init("generated"),
    cl::desc("Matmuls as generated code, as library calls (library: "
             "cuBLASLt for cuda, the BLAS for f32/f64 on the cpu), or as "
             "library calls above a size (auto)"),
    cl::cat(category));
static cl::opt<bool> tensorCores(
    "tensor-cores",
    cl::desc("For cuda: f16/bf16/i8 contractions on tensor cores (mma.sync, "
             "sm_80 and later; --tensor-cores=false: tiled_simt)"),
    cl::init(true), cl::cat(category));
static cl::opt<uint64_t> compileDeadlineMs(
    "compile-deadline-ms", cl::init(vmgpu::kDefaultCompileDeadlineMs),
    cl::desc("Stop with an error when compiling takes longer (0: never)"),
    cl::cat(category));
static cl::opt<std::string> outputPath("o", cl::Required,
                                       cl::desc("Artifact file to write"),
                                       cl::cat(category));

static int fail(const Twine &message) {
  WithColor::error(errs(), "vm-gpu-compile") << message << "\n";
  return 1;
}

/// The command line, copied out of the llvm::cl options: linking with lld
/// in process resets every option to its default.
struct Request {
  std::string artifactPath;
  std::string kernelDirectory;
  std::string entry;
  std::string target;
  std::string chip;
  bool cudaPtx;
  uint64_t compileDeadlineMs;
  vmgpu::ContractionStrategy contractionStrategy =
      vmgpu::ContractionStrategy::Generated;
  bool tensorCores = true;
};

/// Parses the program in `sourceMgr`, checks it against the contract and
/// the bounds, compiles it and writes the artifact. Returns the exit code.
static int compile(SourceMgr &sourceMgr, const Request &request) {
  mlir::DialectRegistry registry;
  vmgpu::registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context, errs());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || failed(mlir::verify(*module)) ||
      failed(vmgpu::checkBlockContract(*module)) ||
      failed(vmgpu::checkCompileBounds(*module)))
    return 1;

  vmgpu::CompileOptions options;
  options.cudaPtx = request.cudaPtx;
  options.contractionStrategy = request.contractionStrategy;
  options.tensorCores = request.tensorCores;
  if (request.compileDeadlineMs)
    options.deadline = vmgpu::CompileClock::now() +
                       std::chrono::milliseconds(request.compileDeadlineMs);
  std::string dumpError;
  if (!request.kernelDirectory.empty()) {
    if (std::error_code error =
            sys::fs::create_directories(request.kernelDirectory))
      return fail("cannot create " + request.kernelDirectory + ": " +
                  error.message());
    StringRef extension = request.target == "rocm"
                              ? "hsaco"
                              : (request.cudaPtx ? "ptx" : "cubin");
    // `extension` by value: the sink runs during the compile, after this
    // block (ASan: stack-use-after-scope when it was captured by reference).
    options.kernelObjectSink = [&, extension](StringRef name,
                                              StringRef object) {
      SmallString<256> path(request.kernelDirectory);
      sys::path::append(path, name + "." + extension);
      if (Error error = writeToOutput(path, [&](raw_ostream &os) {
            os << object;
            return Error::success();
          }))
        dumpError = toString(std::move(error));
    };
  }
  mlir::FailureOr<vmgpu::runtime::Artifact> artifact =
      request.target == "cuda"
          ? vmgpu::compileForCuda(*module, request.entry, request.chip, options)
      : request.target == "rocm"
          ? vmgpu::compileForRocm(*module, request.entry, request.chip, options)
          : vmgpu::compileForCpu(*module, request.entry, options);
  if (failed(artifact))
    return 1;
  if (!dumpError.empty())
    return fail(dumpError);
  if (vmgpu::runtime::Status status =
          vmgpu::runtime::writeArtifactFile(request.artifactPath, *artifact);
      !status.isOk())
    return fail(status.message());
  return 0;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "vmgpu ahead-of-time compiler\n");
  Request request{outputPath, dumpKernels, entry,
                  target,     chip,        cudaPtx, compileDeadlineMs};
  if (request.target != "cpu" && request.target != "cuda" &&
      request.target != "rocm")
    return fail("unknown target '" + request.target +
                "' (expected cpu, cuda or rocm)");
  std::optional<vmgpu::ContractionStrategy> strategy =
      vmgpu::symbolizeContractionStrategy(contractionStrategy);
  if (!strategy)
    return fail("unknown contraction strategy '" + contractionStrategy +
                "' (expected generated, library or auto)");
  request.contractionStrategy = *strategy;
  request.tensorCores = tensorCores;
  if (request.chip.empty())
    request.chip = request.target == "rocm" ? std::string("gfx942")
                                            : vmgpu::kDefaultCudaChip.str();

  SourceMgr sourceMgr;
  // A FIFO, device or directory is an error, not a hang.
  vmgpu::runtime::StatusOr<std::string> text =
      vmgpu::runtime::readProgramText(programPath);
  if (!text.isOk())
    return fail("cannot read the program: " + text.status().message());
  sourceMgr.AddNewSourceBuffer(
      MemoryBuffer::getMemBufferCopy(
          *text, programPath == "-" ? "<stdin>" : StringRef(programPath)),
      SMLoc());
  if (!vmgpu::checkInputNesting(sourceMgr, errs()))
    return 1;
  // MLIR and LLVM recurse as deep as the IR nests.
  int status = 1;
  vmgpu::runOnCompilerStack([&] {
    status = compile(sourceMgr, request);
  });
  return status;
}
