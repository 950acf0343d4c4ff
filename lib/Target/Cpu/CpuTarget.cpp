//===- CpuTarget.cpp - LLVM dialect -> host shared object -----------------===//

#include "vmgpu/Target/CpuTarget.h"
#include "vmgpu/runtime/Environment.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <dlfcn.h>
#include <mutex>

#ifdef VMGPU_HAVE_LLD_LIBRARY
#include "lld/Common/Driver.h"
LLD_HAS_DRIVER(elf)
#endif

using namespace mlir;

#ifndef VMGPU_LD_LLD_PATH
#define VMGPU_LD_LLD_PATH "ld.lld"
#endif
#ifndef VMGPU_OPENMP_LIBRARY
#define VMGPU_OPENMP_LIBRARY ""
#endif

namespace vmgpu {
namespace {

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// Host features code generation may use on its own (instruction
/// selection, vectorizers) that the runtime cannot check before it loads
/// an artifact (runtime/HostCpu.h): turned off, so that code compiled here
/// needs only features the runtime checks (a bf16 truncation would
/// otherwise become AVX-NE-CONVERT's vcvtneps2bf16, a min AVX10.2's
/// vminmaxps, any function APX's extra registers).
constexpr llvm::StringLiteral kUncheckedCodegenFeatures[] = {
    "avxneconvert", "avxifma",     "avxvnniint8", "avxvnniint16",
    "avx10.1",      "avx10.1-512", "avx10.2",     "avx10.2-512",
    "xop",          "fma4",        "tbm",         "egpr",
    "push2pop2",    "ppx",         "ndd",         "ccmp",
    "cf",           "nf",          "zu"};

/// The host's features as host code is compiled with them: the unchecked
/// ones off explicitly (also where host detection does not name them, so
/// that the CPU name's defaults cannot turn them on). Detected once: every
/// compile and every cache key asks.
const llvm::StringMap<bool> &compiledHostFeatures() {
  static const llvm::StringMap<bool> features = [] {
    llvm::StringMap<bool> detected = llvm::sys::getHostCPUFeatures();
    for (auto &entry : detected)
      if (entry.getKey().starts_with("avx10"))
        entry.second = false;
    for (llvm::StringRef name : kUncheckedCodegenFeatures)
      detected[name] = false;
    return detected;
  }();
  return features;
}

std::string hostFeatures() {
  llvm::SubtargetFeatures features;
  for (const auto &[name, enabled] : compiledHostFeatures())
    features.AddFeature(name, enabled);
  return features.getString();
}

/// Adds `__vmgpu_packed_f(ptr args)` for every `_mlir_ciface_f`.
void addPackedEntryPoints(llvm::Module &module) {
  llvm::LLVMContext &context = module.getContext();
  SmallVector<llvm::Function *> interfaces;
  for (llvm::Function &function : module)
    if (!function.isDeclaration() &&
        function.getName().starts_with("_mlir_ciface_"))
      interfaces.push_back(&function);
  auto *ptrType = llvm::PointerType::getUnqual(context);
  for (llvm::Function *callee : interfaces) {
    std::string name = (kPackedEntryPrefix +
                        callee->getName().drop_front(strlen("_mlir_ciface_")))
                           .str();
    auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context),
                                         {ptrType}, /*isVarArg=*/false);
    auto *packed = llvm::Function::Create(
        type, llvm::GlobalValue::ExternalLinkage, name, module);
    llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", packed));
    // A value returned directly (a scalar) goes where args[0] points, like
    // results returned through a pointer; the parameters then follow.
    bool returnsValue = !callee->getReturnType()->isVoidTy();
    unsigned first = returnsValue ? 1 : 0;
    SmallVector<llvm::Value *> args;
    for (auto [i, param] : llvm::enumerate(callee->args())) {
      llvm::Value *slot = builder.CreateGEP(
          ptrType, packed->getArg(0), builder.getInt64(first + i));
      llvm::Value *pointer = builder.CreateLoad(ptrType, slot);
      // Pointer parameters are passed as themselves, scalars by address.
      args.push_back(param.getType()->isPointerTy()
                         ? pointer
                         : builder.CreateLoad(param.getType(), pointer));
    }
    llvm::Value *result = builder.CreateCall(callee, args);
    if (returnsValue)
      builder.CreateStore(result, builder.CreateLoad(ptrType, packed->getArg(0)));
    builder.CreateRetVoid();
  }
}

/// The OpenMP runtime blocks link against: $VMGPU_OPENMP_LIBRARY, else
/// `libomp.so.5` beside the shared object holding this code (libvmgpu.so in
/// an install's or bundle's `lib/`), else `lib/libomp.so.5` beside the
/// tool's `bin/` (the layout of bundles made by scripts/bundle, which run
/// where LLVM is not installed), else the library found at build time.
/// Empty when none exists.
std::string openMPLibraryPath() {
  if (std::optional<std::string> path = vmgpu::runtime::environmentValue(
          vmgpu::runtime::EnvironmentVariable::OpenMPLibrary))
    return *path;
  SmallVector<SmallString<256>, 2> candidates;
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&openMPLibraryPath), &info) &&
      info.dli_fname && llvm::StringRef(info.dli_fname).contains('/')) {
    SmallString<256> besideLibrary(
        llvm::sys::path::parent_path(info.dli_fname));
    llvm::sys::path::append(besideLibrary, "libomp.so.5");
    candidates.push_back(besideLibrary);
  }
  std::string executable = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
  if (!executable.empty()) {
    SmallString<256> bundled(
        llvm::sys::path::parent_path(llvm::sys::path::parent_path(executable)));
    llvm::sys::path::append(bundled, "lib", "libomp.so.5");
    candidates.push_back(bundled);
  }
  for (const SmallString<256> &candidate : candidates)
    if (llvm::sys::fs::exists(candidate))
      return candidate.str().str();
  std::string configured = VMGPU_OPENMP_LIBRARY;
  if (!configured.empty() && llvm::sys::fs::exists(configured))
    return configured;
  return "";
}

#ifdef VMGPU_HAVE_LLD_LIBRARY
/// Runs lld's ELF driver in this process. lld keeps global state for one
/// link at a time, so links are serialized; after a link that lld says
/// cannot be followed by another (a crash it recovered from), the external
/// ld.lld takes over.
LogicalResult linkWithLibrary(ArrayRef<const char *> argv,
                              std::string &errors, bool &usable) {
  static std::mutex mutex;
  static bool canRunAgain = true;
  std::lock_guard<std::mutex> lock(mutex);
  usable = canRunAgain;
  if (!canRunAgain)
    return failure();
  std::string output;
  llvm::raw_string_ostream outputStream(output), errorStream(errors);
  lld::Result result = lld::lldMain(argv, outputStream, errorStream,
                                    {{lld::Gnu, &lld::elf::link}});
  canRunAgain = result.canRunAgain;
  return success(result.retCode == 0);
}
#endif

/// Links `object` into the shared object `library`: with lld as a library
/// when the build has it and $VMGPU_LD_LLD does not name an executable,
/// else by running ld.lld.
LogicalResult linkSharedObject(ModuleOp module, StringRef object,
                               StringRef library, bool linkOpenMP) {
  // -Bsymbolic: the block's calls to its own functions (e.g. `main`) must
  // not bind to same-named symbols of the process that loads it.
  SmallVector<std::string> args = {"ld.lld", "-shared", "-Bsymbolic",
                                   "--as-needed", "-o", library.str(),
                                   object.str()};
  if (linkOpenMP) {
    std::string openmp = openMPLibraryPath();
    if (!openmp.empty()) {
      // Found at load time through the rpath, else the loader's search path.
      args.append({"-rpath", llvm::sys::path::parent_path(openmp).str(),
                   openmp});
    }
  }
  std::optional<std::string> explicitLinker = vmgpu::runtime::environmentValue(
      vmgpu::runtime::EnvironmentVariable::LdLld);
#ifdef VMGPU_HAVE_LLD_LIBRARY
  if (!explicitLinker) {
    SmallVector<const char *> argv;
    for (const std::string &arg : args)
      argv.push_back(arg.c_str());
    std::string errors;
    bool usable = true;
    if (succeeded(linkWithLibrary(argv, errors, usable)))
      return success();
    if (usable)
      return module.emitError("linking the CPU shared object failed: ")
             << errors;
  }
#endif
  std::string linker = explicitLinker.value_or(VMGPU_LD_LLD_PATH);
  llvm::ErrorOr<std::string> executable = llvm::sys::findProgramByName(linker);
  if (!executable)
    return module.emitError("ld.lld not found (looked for '")
           << linker << "'; install lld-22 or set VMGPU_LD_LLD)";
  SmallVector<StringRef> argv(args.begin(), args.end());
  argv[0] = *executable;
  std::string error;
  int status = llvm::sys::ExecuteAndWait(*executable, argv, std::nullopt, {},
                                         /*SecondsToWait=*/0,
                                         /*MemoryLimit=*/0, &error);
  if (status != 0)
    return module.emitError("linking the CPU shared object failed (")
           << *executable << " exited with " << status << ") " << error;
  return success();
}

} // namespace

void registerCpuTargetTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

std::string getBlockLinkDescription() {
  std::string linker = "lld-library";
#ifndef VMGPU_HAVE_LLD_LIBRARY
  linker = VMGPU_LD_LLD_PATH;
#endif
  if (std::optional<std::string> explicitLinker =
          vmgpu::runtime::environmentValue(
              vmgpu::runtime::EnvironmentVariable::LdLld))
    linker = *explicitLinker;
  return "linker=" + linker + ";openmp=" + openMPLibraryPath();
}

std::vector<std::string> getHostCpuFeatures() {
  std::vector<std::string> enabled;
  for (const auto &[name, on] : compiledHostFeatures())
    if (on)
      enabled.push_back(name.str());
  std::sort(enabled.begin(), enabled.end());
  return enabled;
}

std::string getHostCpuDescription() {
  return (llvm::sys::getProcessTriple() + "/" + llvm::sys::getHostCPUName() +
          "/" + hostFeatures())
      .str();
}

FailureOr<std::string> compileToCpuSharedObject(ModuleOp module,
                                                const CpuTargetOptions &options) {
  initializeNativeTarget();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return module.emitError("failed to translate the module to LLVM IR");

  llvm::Triple triple(llvm::sys::getProcessTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("no LLVM target for the host: ") << error;
  llvm::TargetOptions targetOptions;
  // The vm contract: no contraction of mul + add unless fast-math says so.
  targetOptions.AllowFPOpFusion = llvm::FPOpFusion::Standard;
  // Constructors (GPU blocks load their kernels in one) must go to
  // .init_array: the dynamic loader does not run the legacy .ctors.
  targetOptions.UseInitArray = true;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, llvm::sys::getHostCPUName(), hostFeatures(), targetOptions,
      llvm::Reloc::PIC_, std::nullopt,
      options.optLevel >= 2 ? llvm::CodeGenOptLevel::Aggressive
                            : llvm::CodeGenOptLevel::None));
  if (!machine)
    return module.emitError("cannot create a target machine for the host");
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(triple);
  addPackedEntryPoints(*llvmModule);

  auto optimize = makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0,
                                            machine.get());
  if (llvm::Error err = optimize(llvmModule.get()))
    return module.emitError("LLVM optimization failed: ")
           << llvm::toString(std::move(err));

  // Object file and shared object live in a private temporary directory.
  SmallString<128> directory;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory("vmgpu-cpu", directory))
    return module.emitError("cannot create a temporary directory: ")
           << ec.message();
  llvm::scope_exit cleanup(
      [&] { llvm::sys::fs::remove_directories(directory); });
  SmallString<128> objectPath(directory), libraryPath(directory);
  llvm::sys::path::append(objectPath, "block.o");
  llvm::sys::path::append(libraryPath, "block.so");
  {
    std::error_code ec;
    llvm::raw_fd_ostream object(objectPath, ec);
    if (ec)
      return module.emitError("cannot write ") << objectPath << ": "
                                               << ec.message();
    llvm::legacy::PassManager codegen;
    if (machine->addPassesToEmitFile(codegen, object, nullptr,
                                     llvm::CodeGenFileType::ObjectFile))
      return module.emitError("the host target cannot emit object files");
    codegen.run(*llvmModule);
  }

  if (failed(linkSharedObject(module, objectPath, libraryPath,
                              options.linkOpenMP)))
    return failure();
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> library =
      llvm::MemoryBuffer::getFile(libraryPath, /*IsText=*/false);
  if (!library)
    return module.emitError("cannot read ") << libraryPath;
  return (*library)->getBuffer().str();
}

} // namespace vmgpu
