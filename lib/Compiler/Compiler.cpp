//===- Compiler.cpp - vm module in, artifact out --------------------------===//

#include "vmgpu/Compiler/Compiler.h"

#include "codegen/CodegenOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "vm/VmDialect.h"
#include "vm/VmTraits.h"
#include "vmgpu/Pipelines/Pipelines.h"
#include "vmgpu/Target/CpuTarget.h"
#include "vmgpu/Transforms/Passes.h"
#include "vmgpu/runtime/HostTensor.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/TargetParser.h"

using namespace mlir;

namespace vmgpu {

// A type the vm verifier admits must fit in a buffer the runtime allocates.
static_assert(vm::kMaxTensorBytes == runtime::HostTensor::kMaxSizeInBytes,
              "the vm dialect's tensor bound is the runtime's");

void registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<vm::VmDialect, codegen::CodegenDialect>();
  // The CPU target and gpu-module-to-binary translate to LLVM IR.
  registerAllToLLVMIRTranslations(registry);
}

static FailureOr<runtime::ValueSignature>
toValueSignature(Operation *function, Type type, const Twine &what) {
  runtime::ValueSignature value;
  Type element = type;
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    element = tensor.getElementType();
    for (int64_t dim : tensor.getShape())
      value.shape.push_back(ShapedType::isDynamic(dim)
                                ? runtime::ValueSignature::kDynamic
                                : dim);
  } else {
    value.isScalar = true;
  }
  std::string name;
  llvm::raw_string_ostream(name) << element;
  std::optional<runtime::ElementType> parsed = runtime::parseElementType(name);
  if (!parsed || (value.isScalar && !type.isIntOrFloat()))
    return function->emitError() << what << " has type " << type
                                 << ", which vmgpu cannot pass (expected a "
                                    "ranked tensor or a scalar of a vm "
                                    "element type)";
  value.elementType = *parsed;
  return value;
}

FailureOr<runtime::FunctionSignature> getFunctionSignature(Operation *op) {
  auto function = dyn_cast<func::FuncOp>(op);
  if (!function)
    return op->emitError("the entry point must be a func.func");
  runtime::FunctionSignature signature;
  for (auto [i, type] : llvm::enumerate(function.getArgumentTypes())) {
    FailureOr<runtime::ValueSignature> value =
        toValueSignature(op, type, "argument #" + Twine(i));
    if (failed(value))
      return failure();
    signature.arguments.push_back(*value);
  }
  for (auto [i, type] : llvm::enumerate(function.getResultTypes())) {
    if (!isa<RankedTensorType>(type))
      return op->emitError() << "result #" << i << " has type " << type
                             << "; entry points return ranked tensors";
    FailureOr<runtime::ValueSignature> value =
        toValueSignature(op, type, "result #" + Twine(i));
    if (failed(value))
      return failure();
    signature.results.push_back(*value);
  }
  return signature;
}

/// Lowers `entry` of a clone of `module` with `buildPipeline`, then links
/// the host code into a shared object.
static FailureOr<runtime::Artifact>
compileWith(ModuleOp module, StringRef entry, StringRef target,
            const CompileOptions &options, bool linkOpenMP,
            function_ref<void(OpPassManager &)> buildPipeline) {
  Operation *function = SymbolTable::lookupSymbolIn(module, entry);
  if (!function) {
    // At the module's location, not on the module: an op's diagnostic
    // prints the whole op after it.
    InFlightDiagnostic diagnostic = mlir::emitError(module.getLoc())
                                    << "no function named '" << entry
                                    << "' in the module";
    SmallVector<StringRef> names;
    for (auto candidate : module.getOps<FunctionOpInterface>())
      names.push_back(candidate.getName());
    if (!names.empty())
      diagnostic.attachNote()
          << "the module's functions: " << llvm::join(names, ", ");
    return diagnostic;
  }
  FailureOr<runtime::FunctionSignature> signature =
      getFunctionSignature(function);
  if (failed(signature))
    return failure();

  OwningOpRef<ModuleOp> lowered = cast<ModuleOp>(module->clone());
  PassManager pm(module.getContext());
  buildPipeline(pm);
  {
    ScopedCompileDeadline deadline(module.getContext(), options.deadline);
    LogicalResult ran = pm.run(*lowered);
    if (deadline.expired())
      return function->emitError("the compile of '")
             << entry << "' for " << target
             << " ran past its deadline (the block is too large to compile "
                "in time: split it)";
    if (failed(ran))
      return failure();
  }
  if (options.kernelObjectSink)
    for (auto binary : lowered->getOps<gpu::BinaryOp>())
      for (auto object : binary.getObjects().getAsRange<gpu::ObjectAttr>())
        options.kernelObjectSink(binary.getName(),
                                 object.getObject().getValue());
  std::vector<std::string> shapeChecks;
  if (auto messages = (*lowered)->getAttrOfType<ArrayAttr>(
          (kShapeCheckMessagesPrefix + entry).str()))
    for (auto message : messages.getAsValueRange<StringAttr>())
      shapeChecks.push_back(message.str());

  CpuTargetOptions host;
  host.optLevel = options.optLevel;
  host.linkOpenMP = linkOpenMP;
  FailureOr<std::string> binary = compileToCpuSharedObject(*lowered, host);
  if (failed(binary))
    return failure();
  runtime::Artifact artifact;
  artifact.target = target.str();
  artifact.entry = entry.str();
  artifact.signature = std::move(*signature);
  artifact.binary = std::move(*binary);
  artifact.shapeChecks = std::move(shapeChecks);
  artifact.hostFeatures = getHostCpuFeatures();
  return artifact;
}

FailureOr<runtime::Artifact> compileForCpu(ModuleOp module, StringRef entry,
                                           const CompileOptions &options) {
  return compileWith(module, entry, "cpu", options, options.parallel,
                     [&](OpPassManager &pm) {
                       CpuPipelineOptions pipeline;
                       pipeline.parallel = options.parallel;
                       pipeline.optLevel = options.optLevel;
                       pipeline.contractionStrategy =
                           stringifyContractionStrategy(
                               options.contractionStrategy)
                               .str();
                       buildVmToCpuPassPipeline(pm, pipeline);
                     });
}

FailureOr<runtime::Artifact> compileForCuda(ModuleOp module, StringRef entry,
                                            StringRef chip,
                                            const CompileOptions &options) {
  return compileWith(module, entry, "cuda", options, /*linkOpenMP=*/false,
                     [&](OpPassManager &pm) {
                       NVVMPipelineOptions pipeline;
                       pipeline.chip = chip.str();
                       pipeline.optLevel = options.optLevel;
                       if (options.cudaPtx)
                         pipeline.format = "ptx";
                       pipeline.contractionStrategy =
                           stringifyContractionStrategy(
                               options.contractionStrategy)
                               .str();
                       pipeline.tensorCores = options.tensorCores;
                       buildVmToNVVMPassPipeline(pm, pipeline);
                     });
}

/// Checks that `rocmPath` holds what serializing for `chip` needs, naming
/// the first missing piece.
static LogicalResult checkROCmPath(ModuleOp module, StringRef rocmPath,
                                   StringRef chip) {
  llvm::AMDGPU::GPUKind kind = llvm::AMDGPU::parseArchAMDGCN(chip);
  if (kind == llvm::AMDGPU::GK_NONE)
    return module.emitError() << "unknown AMD GPU architecture '" << chip
                              << "' (expected e.g. gfx90a, gfx942, gfx1100)";
  const char *hint = "; install Debian's rocm-device-libs and lld-22 and "
                     "rebuild (scripts/setup.sh), or set VMGPU_ROCM_PATH to "
                     "a ROCm directory";
  if (rocmPath.empty())
    return module.emitError() << "cannot compile for AMD GPUs: this build "
                                 "found no ROCm device libraries or ld.lld"
                              << hint;
  StringRef isa = llvm::AMDGPU::getArchNameAMDGCN(kind);
  isa.consume_front("gfx");
  SmallVector<std::string> required = {"ocml", "ockl", "hip", "opencl",
                                       ("oclc_isa_version_" + isa).str()};
  SmallString<256> linker(rocmPath);
  llvm::sys::path::append(linker, "llvm", "bin", "ld.lld");
  if (!llvm::sys::fs::can_execute(linker))
    return module.emitError() << "cannot compile for AMD GPUs: " << linker
                              << " is missing" << hint;
  for (const std::string &library : required) {
    SmallString<256> path(rocmPath);
    llvm::sys::path::append(path, "amdgcn", "bitcode", library + ".bc");
    if (!llvm::sys::fs::is_regular_file(path))
      return module.emitError()
             << "cannot compile for AMD GPU " << chip
             << ": the ROCm device library " << path << " is missing" << hint;
  }
  return success();
}

FailureOr<runtime::Artifact> compileForRocm(ModuleOp module, StringRef entry,
                                            StringRef chip,
                                            const CompileOptions &options) {
  ROCDLPipelineOptions pipeline;
  pipeline.chip = chip.str();
  pipeline.optLevel = options.optLevel;
  if (failed(checkROCmPath(module, getROCmPath(pipeline), chip)))
    return failure();
  return compileWith(module, entry, "rocm", options, /*linkOpenMP=*/false,
                     [&](OpPassManager &pm) {
                       buildVmToROCDLPassPipeline(pm, pipeline);
                     });
}

} // namespace vmgpu
