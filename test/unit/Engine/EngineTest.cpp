//===- EngineTest.cpp - compile, run, fall back, artifacts ----------------===//
//
// Expected values are worked out by hand in each test.
//
//===----------------------------------------------------------------------===//

#include "EngineTestUtils.h"
#include "vmgpu/runtime/HostCpu.h"
#include "vmgpu/runtime/LibraryGemm.h"

#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/CudaDriver.h"

#include "llvm/Support/thread.h"
#include "llvm/TargetParser/Host.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dlfcn.h>
#include <thread>

using namespace vmgpu;
using namespace vmgpu::runtime;
using namespace vmgpu::test;

TEST(EngineTest, RunsOnTheCpu) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  compileAndRun(engine);
  EXPECT_EQ(engine.metrics().snapshot().cpuExecutions, 1u);
  EXPECT_EQ(engine.metrics().snapshot().fallbacks, 0u);
}

TEST(EngineTest, MismatchedDynamicShapesAreRejected) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  auto block = compileOrDie(engine);
  ASSERT_TRUE(block);
  HostTensor a = tensorOf({1, 2, 3}), b = tensorOf({1, 2});
  StatusOr<std::vector<HostTensor>> results = engine.run(*block, {&a, &b});
  ASSERT_FALSE(results.isOk());
  EXPECT_EQ(results.status().code(), StatusCode::InvalidArgument);
  EXPECT_NE(results.status().message().find("vm.div"), std::string::npos)
      << results.status().message();
}

TEST(EngineTest, CudaWithoutADriverFallsBackWithAReason) {
  if (CudaDriver::get().isOk())
    GTEST_SKIP() << "a CUDA driver is present";
  Engine engine(optionsFor(DeviceSelection::Kind::Cuda));
  auto block = compileOrDie(engine);
  ASSERT_TRUE(block);
  EXPECT_NE(block->fallbackReason.find("libcuda.so.1"), std::string::npos);
  std::vector<HostTensor> inputs = divisionInputs();
  StatusOr<std::vector<HostTensor>> results =
      engine.run(*block, {&inputs[0], &inputs[1]});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  expectDivisionResults(*results);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.fallbacks, 1u);
  EXPECT_EQ(metrics.fallbackReasons.count(block->fallbackReason), 1u);
}

TEST(EngineTest, NoFallbackMeansUnavailable) {
  if (CudaDriver::get().isOk())
    GTEST_SKIP() << "a CUDA driver is present";
  Engine engine(optionsFor(DeviceSelection::Kind::Cuda, /*allowFallback=*/false));
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  auto block =
      engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kProgram), "main", os);
  ASSERT_FALSE(block.isOk());
  EXPECT_EQ(block.status().code(), StatusCode::Unavailable);
}

TEST(EngineTest, RunsOnTheGpuWhenPresent) {
  if (!CudaDriver::get().isOk())
    GTEST_SKIP() << "no CUDA driver";
  Engine engine(optionsFor(DeviceSelection::Kind::Cuda, /*allowFallback=*/false));
  auto block = compileOrDie(engine);
  ASSERT_TRUE(block && block->gpu);
  std::vector<HostTensor> inputs = divisionInputs();
  StatusOr<std::vector<HostTensor>> results =
      engine.run(*block, {&inputs[0], &inputs[1]});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  expectDivisionResults(*results);
  EXPECT_EQ(engine.metrics().snapshot().gpuExecutions, 1u);
}

/// Runs the division twice with results kept on the device, the second time
/// on the first's results (quotients of quotients), and returns the engine's
/// metrics after the two runs (before the results are read back).
MetricsSnapshot runChainKeepingResults(Engine &engine) {
  auto block = compileOrDie(engine);
  EXPECT_TRUE(block);
  if (!block)
    return {};
  std::vector<HostTensor> inputs = divisionInputs();
  NativeExecutable::RunOptions keep;
  keep.keepResultsOnDevice = true;
  StatusOr<std::vector<HostTensor>> first =
      engine.run(*block, {&inputs[0], &inputs[1]}, keep);
  EXPECT_TRUE(first.isOk()) << first.status().toString();
  if (!first.isOk())
    return {};
  StatusOr<std::vector<HostTensor>> second =
      engine.run(*block, {&(*first)[0], &inputs[1]}, keep);
  EXPECT_TRUE(second.isOk()) << second.status().toString();
  MetricsSnapshot metrics = engine.metrics().snapshot();
  // Kept results may be device-resident: read them through the engine.
  std::vector<HostTensor> firstOnHost;
  firstOnHost.push_back(engine.toHost((*first)[0]).value());
  expectDivisionResults(firstOnHost);
  if (second.isOk()) {
    HostTensor read = engine.toHost((*second)[0]).value();
    const int32_t *out = read.data<int32_t>();
    // {3, -3, -1, INT32_MIN} / {2, 2, 0, -1} = {1, -1, -1, INT32_MIN}.
    EXPECT_EQ(std::vector<int32_t>(out, out + 4),
              (std::vector<int32_t>{1, -1, -1, INT32_MIN}));
  }
  return metrics;
}

TEST(EngineTest, KeepingResultsOnTheCpuChangesNothing) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  MetricsSnapshot metrics = runChainKeepingResults(engine);
  EXPECT_EQ(metrics.cpuExecutions, 2u);
  EXPECT_EQ(metrics.h2dBytes, 0u);
}

TEST(EngineTest, ResultsKeptOnTheGpuAreNotTransferred) {
  if (!CudaDriver::get().isOk())
    GTEST_SKIP() << "no CUDA driver";
  Engine engine(optionsFor(DeviceSelection::Kind::Cuda, /*allowFallback=*/false));
  MetricsSnapshot metrics = runChainKeepingResults(engine);
  EXPECT_EQ(metrics.gpuExecutions, 2u);
  // In: both inputs of the first run, the divisor again for the second;
  // out: nothing (both results stayed).
  EXPECT_EQ(metrics.h2dBytes, 3 * 16u);
  EXPECT_EQ(metrics.d2hBytes, 0u);
}

TEST(EngineTest, InjectedGpuFailuresFallBackToTheCpu) {
  if (!CudaDriver::get().isOk())
    GTEST_SKIP() << "no CUDA driver";
  // Module load fails while compiling; the others while running.
  for (const char *call :
       {"cuModuleLoadDataEx", "cuMemAllocFromPoolAsync", "cuMemcpyAsync",
        "cuLaunchKernel", "cuStreamSynchronize"}) {
    SCOPED_TRACE(call);
    ASSERT_EQ(::setenv("VMGPU_FAULT_INJECT", call, 1), 0);
    Engine engine(optionsFor(DeviceSelection::Kind::Cuda));
    auto block = compileOrDie(engine);
    ASSERT_TRUE(block);
    std::vector<HostTensor> inputs = divisionInputs();
    StatusOr<std::vector<HostTensor>> results =
        engine.run(*block, {&inputs[0], &inputs[1]});
    ::unsetenv("VMGPU_FAULT_INJECT");
    ASSERT_TRUE(results.isOk()) << results.status().toString();
    expectDivisionResults(*results);
    MetricsSnapshot metrics = engine.metrics().snapshot();
    EXPECT_EQ(metrics.fallbacks, 1u);
    EXPECT_EQ(metrics.cpuExecutions, 1u);
    ASSERT_EQ(metrics.fallbackReasons.size(), 1u);
    EXPECT_NE(metrics.fallbackReasons.begin()->first.find(call),
              std::string::npos)
        << metrics.fallbackReasons.begin()->first;
  }
}

TEST(EngineTest, AutoSendsOnlyLargeContractionsToTheGpu) {
  if (!CudaDriver::get().isOk())
    GTEST_SKIP() << "no CUDA driver";
  Engine engine(optionsFor(DeviceSelection::Kind::Auto));
  // Elementwise: the CPU, whatever its size, and not as a fallback.
  auto division = compileOrDie(engine);
  ASSERT_TRUE(division);
  std::vector<HostTensor> inputs = divisionInputs();
  ASSERT_TRUE(engine.run(*division, {&inputs[0], &inputs[1]}).isOk());
  // A 256x256 matmul (512 KiB of inputs): the GPU. All ones, so every
  // result element is 256.
  constexpr const char *kMatmul = R"mlir(
func.func @main(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %c = vm.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %c : tensor<256x256xf32>
}
)mlir";
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> matmul = engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(kMatmul), "main", os);
  ASSERT_TRUE(matmul.isOk()) << diagnostics;
  std::vector<float> ones(256 * 256, 1.0f);
  HostTensor a =
      HostTensor::fromVector<float>(ElementType::F32, {256, 256}, ones).value();
  StatusOr<std::vector<HostTensor>> product = engine.run(**matmul, {&a, &a});
  ASSERT_TRUE(product.isOk()) << product.status().toString();
  EXPECT_EQ((*product)[0].data<float>()[256 * 256 - 1], 256.0f);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.cpuExecutions, 1u);
  EXPECT_EQ(metrics.gpuExecutions, 1u);
  EXPECT_EQ(metrics.fallbacks, 0u);
}

/// An engine created while `variable` is `value` refuses to compile, with
/// `message` in its status.
static void expectEnvironmentRejected(const char *variable, const char *value,
                                      const std::string &message) {
  ASSERT_EQ(::setenv(variable, value, 1), 0);
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  ::unsetenv(variable);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  auto block = engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kProgram),
                              "main", os);
  ASSERT_FALSE(block.isOk());
  EXPECT_EQ(block.status().code(), StatusCode::InvalidArgument);
  EXPECT_NE(block.status().message().find(message), std::string::npos)
      << block.status().toString();
}

TEST(EngineTest, AnUnknownContractionStrategyIsAnError) {
  expectEnvironmentRejected(
      "VMGPU_CONTRACTION_STRATEGY", "cublas",
      "VMGPU_CONTRACTION_STRATEGY: unknown strategy 'cublas'");
}

TEST(EngineTest, ATensorCoreSwitchOtherThanZeroOrOneIsAnError) {
  expectEnvironmentRejected("VMGPU_TENSOR_CORES", "yes",
                            "VMGPU_TENSOR_CORES: expected 0 or 1, not 'yes'");
}

TEST(EngineTest, ALibraryTuneOutsideItsRangeIsAnError) {
  expectEnvironmentRejected("VMGPU_LIBRARY_TUNE", "17",
                            "VMGPU_LIBRARY_TUNE: expected 0 to 16 candidates, "
                            "not '17'");
  expectEnvironmentRejected("VMGPU_LIBRARY_TUNE", "x",
                            "VMGPU_LIBRARY_TUNE: expected 0 to 16");
}

TEST(EngineTest, AGraphSwitchOtherThanZeroOrOneIsAnError) {
  expectEnvironmentRejected("VMGPU_GPU_GRAPHS", "on",
                            "VMGPU_GPU_GRAPHS: expected 0 or 1, not 'on'");
}

TEST(EngineTest, GraphsFollowTheEnvironmentUnlessTheOptionsSay) {
  EXPECT_FALSE(
      *Engine(optionsFor(DeviceSelection::Kind::Cpu)).options().gpuGraphs);
  ASSERT_EQ(::setenv("VMGPU_GPU_GRAPHS", "1", 1), 0);
  EXPECT_TRUE(
      *Engine(optionsFor(DeviceSelection::Kind::Cpu)).options().gpuGraphs);
  EngineOptions off = optionsFor(DeviceSelection::Kind::Cpu);
  off.gpuGraphs = false;
  EXPECT_FALSE(*Engine(off).options().gpuGraphs);
  ::unsetenv("VMGPU_GPU_GRAPHS");
}

TEST(EngineTest, LibraryAlgorithmsAreKeptBesideTheDiskCache) {
  // The options below, not the environment's, decide.
  ::unsetenv("VMGPU_LIBRARY_TUNE");
  ::unsetenv("VMGPU_DISK_CACHE");
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  options.cache.directory = ::testing::TempDir() + "vmgpu-engine-library";
  options.libraryTuneCandidates = 4;
  {
    Engine engine(options);
    runtime::LibraryGemmOptions library = runtime::libraryGemmOptions();
    EXPECT_EQ(library.algorithmDirectory,
              *options.cache.directory + "/library");
    EXPECT_EQ(library.tuneCandidates, 4);
  }
  // No disk cache, no records: each process chooses for itself.
  options.cache.disk = false;
  options.libraryTuneCandidates.reset();
  {
    Engine engine(options);
    runtime::LibraryGemmOptions library = runtime::libraryGemmOptions();
    EXPECT_EQ(library.algorithmDirectory, "");
    EXPECT_EQ(library.tuneCandidates, 0);
  }
}

TEST(EngineTest, BlocksRecordTheCpuFeaturesTheirHostCodeNeeds) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  auto block = engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kProgram),
                              "main", os);
  ASSERT_TRUE(block.isOk()) << diagnostics;
  const std::vector<std::string> &features = (*block)->cpuArtifact.hostFeatures;
#if defined(__x86_64__)
  // Every x86-64 CPU has SSE2; this one has what it compiled for.
  EXPECT_NE(std::find(features.begin(), features.end(), "sse2"),
            features.end());
#endif
  EXPECT_TRUE(runtime::missingHostCpuFeatures(features).empty());
  // The runtime reads CPUID itself (it does not link LLVM): its answer for
  // every feature it checks is LLVM's host detection's.
  llvm::StringMap<bool> llvmFeatures = llvm::sys::getHostCPUFeatures();
  for (const std::string &name : runtime::checkedHostCpuFeatures())
    EXPECT_EQ(runtime::hostCpuHasFeature(name),
              std::optional<bool>(llvmFeatures.lookup(name)))
        << name;
  // Features code generation could use but the runtime cannot check are
  // never compiled for.
  for (const char *unchecked : {"avxneconvert", "avx10.2-512", "egpr", "xop"})
    EXPECT_EQ(std::find(features.begin(), features.end(), unchecked),
              features.end())
        << unchecked;
}

/// Compiles 17 x 33 ones times 33 x 7 ones with `engine` and runs it `runs`
/// times: every element is 33.
static void runOnesMatmul(Engine &engine, int runs) {
  constexpr const char *kMatmul = R"mlir(
func.func @main(%a: tensor<17x33xf32>, %b: tensor<33x7xf32>) -> tensor<17x7xf32> {
  %c = vm.matmul %a, %b : (tensor<17x33xf32>, tensor<33x7xf32>) -> tensor<17x7xf32>
  return %c : tensor<17x7xf32>
}
)mlir";
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> matmul =
      engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kMatmul), "main", os);
  ASSERT_TRUE(matmul.isOk()) << diagnostics << matmul.status().toString();
  HostTensor a = HostTensor::fromVector<float>(ElementType::F32, {17, 33},
                                               std::vector<float>(17 * 33, 1))
                     .value();
  HostTensor b = HostTensor::fromVector<float>(ElementType::F32, {33, 7},
                                               std::vector<float>(33 * 7, 1))
                     .value();
  for (int run = 0; run < runs; ++run) {
    StatusOr<std::vector<HostTensor>> product = engine.run(**matmul, {&a, &b});
    ASSERT_TRUE(product.isOk()) << product.status().toString();
    for (int i = 0; i < 17 * 7; ++i)
      ASSERT_EQ((*product)[0].data<float>()[i], 33.0f) << i;
  }
}

TEST(EngineTest, TheLibraryStrategyRunsMatmulsThroughCublasLt) {
  if (!CudaDriver::get().isOk() || !CublasLt::get().isOk())
    GTEST_SKIP() << "no CUDA driver or no cuBLASLt";
  EngineOptions options =
      optionsFor(DeviceSelection::Kind::Cuda, /*allowFallback=*/false);
  options.contractionStrategy = ContractionStrategy::Library;
  Engine engine(options);
  runOnesMatmul(engine, 2);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.libraryCalls, 2u);
  EXPECT_EQ(metrics.gpuExecutions, 2u);
  EXPECT_EQ(metrics.fallbacks, 0u);
}

TEST(EngineTest, TheLibraryStrategyRunsCpuMatmulsThroughTheBlasWhereOneLoads) {
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  options.contractionStrategy = ContractionStrategy::Library;
  Engine engine(options);
  runOnesMatmul(engine, 2);
  // Without a BLAS the CPU build is generated code (no call); with one, one
  // library GEMM per run.
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.libraryCalls, CpuBlas::get().isOk() ? 2u : 0u);
  EXPECT_EQ(metrics.cpuExecutions, 2u);
}

TEST(EngineTest, ACpuRunGivesTheCallingThreadItsBlocktimeBack) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  compileAndRun(engine);
  // The OpenMP runtime the block linked (the engine compiles with threads).
  void *openmp = dlopen("libomp.so.5", RTLD_NOW | RTLD_NOLOAD);
  if (!openmp)
    GTEST_SKIP() << "the block did not load libomp.so.5";
  auto get = reinterpret_cast<int (*)()>(dlsym(openmp, "kmp_get_blocktime"));
  auto set = reinterpret_cast<void (*)(int)>(dlsym(openmp, "kmp_set_blocktime"));
  ASSERT_TRUE(get && set);
  // Runs set it to 0 (idle threads sleep at once) and then back.
  int original = get();
  set(37);
  compileAndRun(engine);
  EXPECT_EQ(get(), 37);
  set(original);
  dlclose(openmp);
}

TEST(EngineTest, BadProgramsGiveLocatedDiagnostics) {
  Engine engine;
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  auto block = engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(
          "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
          "  %0 = vm.not %a : tensor<4xf32>\n"
          "  return %0 : tensor<4xf32>\n}\n",
          "bad.mlir"),
      "main", os);
  ASSERT_FALSE(block.isOk());
  EXPECT_NE(diagnostics.find("bad.mlir:2:"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find("error:"), std::string::npos) << diagnostics;
}

//===----------------------------------------------------------------------===//
// Hostile programs (issue 13, M1 and M4): rejected with a status and a
// located diagnostic, never a crash.
//===----------------------------------------------------------------------===//

/// Compiles `program` (named `hostile.mlir`) through a fresh CPU engine.
static StatusOr<std::shared_ptr<const CompiledBlock>>
compileText(const std::string &program, std::string &diagnostics) {
  Engine engine(optionsFor(DeviceSelection::Kind::Cpu));
  llvm::raw_string_ostream os(diagnostics);
  return engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(program, "hostile.mlir"), "main",
      os);
}

TEST(EngineTest, DeepNestingIsResourceExhaustedNotACrash) {
  constexpr int kDepth = 100000;
  std::string modules;
  for (int i = 0; i < kDepth; ++i)
    modules += "module {\n";
  modules += std::string(kDepth, '}');
  std::string arrays = "module attributes {x.y = " + std::string(kDepth, '[') +
                       std::string(kDepth, ']') + "} {}\n";
  std::string aliases = "#a0 = [1]\n";
  for (int i = 1; i < kDepth; ++i)
    aliases += "#a" + std::to_string(i) + " = [#a" + std::to_string(i - 1) +
               "]\n";
  aliases += "module attributes {x.y = #a" + std::to_string(kDepth - 1) +
             "} {}\n";
  for (const std::string &program : {modules, arrays, aliases}) {
    std::string diagnostics;
    auto block = compileText(program, diagnostics);
    ASSERT_FALSE(block.isOk());
    EXPECT_EQ(block.status().code(), StatusCode::ResourceExhausted);
    EXPECT_NE(diagnostics.find("hostile.mlir:"), std::string::npos)
        << diagnostics;
    EXPECT_NE(diagnostics.find("error: the input nests deeper than 1000 "
                               "levels"),
              std::string::npos)
        << diagnostics;
  }
}

TEST(EngineTest, CompilesOnItsOwnStackWhateverTheCallersStack) {
  // 990 levels are within the bound; parsing them recurses far deeper than
  // the 64 KiB stack of the calling thread allows (a guest thread may have
  // little stack). The module attribute is then outside the contract.
  std::string program = "module attributes {x.y = " + std::string(990, '[') +
                        std::string(990, ']') + "} {}\n";
  std::optional<StatusCode> code;
  std::string diagnostics;
  llvm::thread caller(std::optional<unsigned>(64 * 1024), [&] {
    auto block = compileText(program, diagnostics);
    code = block.isOk() ? StatusCode::Ok : block.status().code();
  });
  caller.join();
  EXPECT_EQ(code, StatusCode::InvalidArgument);
  EXPECT_NE(diagnostics.find("attribute 'x.y' is not allowed"),
            std::string::npos)
      << diagnostics;
}

TEST(EngineTest, ModulesOverTheOpBudgetAreResourceExhausted) {
  // 100,000 constants + the function and its return: over the bound.
  std::string program = "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n";
  for (int i = 0; i < 100000; ++i)
    program += "  %c" + std::to_string(i) + " = arith.constant " +
               std::to_string(i) + " : index\n";
  program += "  return %a : tensor<4xf32>\n}\n";
  std::string diagnostics;
  auto block = compileText(program, diagnostics);
  ASSERT_FALSE(block.isOk());
  EXPECT_EQ(block.status().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(diagnostics.find("error: the module holds more than 100000 ops"),
            std::string::npos)
      << diagnostics;
}

TEST(EngineTest, CompilesPastTheDeadlineAreDeadlineExceeded) {
  // 200 elementwise ops take far more than a millisecond of passes.
  std::string program = "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
                        "  %v0 = vm.neg %a : tensor<4xf32>\n";
  for (int i = 1; i < 200; ++i)
    program += "  %v" + std::to_string(i) + " = vm.add %v" +
               std::to_string(i - 1) + ", %a : tensor<4xf32>\n";
  program += "  return %v199 : tensor<4xf32>\n}\n";
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  // A cached build would need no compile.
  options.cache.memory = false;
  options.cache.disk = false;
  options.compileDeadlineMs = 1;
  Engine engine(options);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  auto block = engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(program, "slow.mlir"), "main", os);
  ASSERT_FALSE(block.isOk());
  EXPECT_EQ(block.status().code(), StatusCode::DeadlineExceeded)
      << block.status().toString();
  EXPECT_NE(diagnostics.find("slow.mlir:1:1: error: the compile of 'main' for "
                             "cpu ran past its deadline"),
            std::string::npos)
      << diagnostics;

  // With time enough the same program compiles: the deadline left nothing
  // behind (the next engine's context has no handler of it either).
  options.compileDeadlineMs = 0;
  Engine patient(options);
  auto compiled = patient.compile(
      llvm::MemoryBuffer::getMemBufferCopy(program, "slow.mlir"), "main", os);
  ASSERT_TRUE(compiled.isOk()) << compiled.status().toString() << diagnostics;
}

TEST(ArtifactFileTest, RoundTripsAndDetectsCorruption) {
  Artifact artifact;
  artifact.target = "cpu";
  artifact.entry = "main";
  ValueSignature value;
  value.elementType = ElementType::F16;
  value.shape = {ValueSignature::kDynamic, 4};
  artifact.signature.arguments = {value};
  artifact.signature.results = {value};
  artifact.binary = std::string("\x7f" "ELF payload", 12);
  artifact.shapeChecks = {"'vm.add' at x.mlir:1:1: dims differ"};
  std::string bytes = serializeArtifact(artifact);

  StatusOr<Artifact> parsed = parseArtifact(bytes, "mem");
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  EXPECT_EQ(parsed->binary, artifact.binary);
  EXPECT_EQ(parsed->signature.arguments[0].toString(), "tensor<?x4xf16>");
  EXPECT_EQ(parsed->shapeChecks, artifact.shapeChecks);

  std::string flipped = bytes;
  flipped.back() ^= 1;
  EXPECT_EQ(parseArtifact(flipped, "mem").status().code(), StatusCode::DataLoss);
  EXPECT_EQ(parseArtifact(bytes.substr(0, bytes.size() - 3), "mem")
                .status()
                .code(),
            StatusCode::DataLoss);
  EXPECT_EQ(parseArtifact("garbage", "mem").status().code(),
            StatusCode::DataLoss);

  // The header is checked too: a flipped bit in a shape, or a field of the
  // wrong type with the same length, is DataLoss, never a wrong signature
  // or an exception.
  std::string header = bytes;
  header[40] ^= 1;
  EXPECT_EQ(parseArtifact(header, "mem").status().code(), StatusCode::DataLoss);
  std::string retyped = bytes;
  size_t scalar = retyped.find("\"scalar\":false");
  ASSERT_NE(scalar, std::string::npos);
  retyped.replace(scalar, 14, "\"scalar\":0    ");
  EXPECT_EQ(parseArtifact(retyped, "mem").status().code(), StatusCode::DataLoss);
}

namespace {

TEST(EngineCpuMemoryTest, ResultsAreHandedOverAndTheirMemoryReused) {
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  options.cache.disk = false;
  Engine engine(options);
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> block =
      engine.compile(llvm::MemoryBuffer::getMemBufferCopy(R"mlir(
func.func @main(%a: tensor<65536xf32>) -> (tensor<65536xf32>, tensor<65536xf32>) {
  %0 = vm.add %a, %a : tensor<65536xf32>
  return %0, %a : tensor<65536xf32>, tensor<65536xf32>
}
)mlir"),
                     "main", os);
  ASSERT_TRUE(block.isOk()) << diagnostics;
  HostTensor input = HostTensor::create(ElementType::F32, {65536}).value();
  input.data<float>()[7] = 3.0f;
  const std::byte *first = nullptr;
  for (int run = 0; run < 3; ++run) {
    StatusOr<std::vector<HostTensor>> results = engine.run(**block, {&input});
    ASSERT_TRUE(results.isOk()) << results.status().toString();
    EXPECT_EQ((*results)[0].data<float>()[7], 6.0f);
    // The returned input is a copy: the caller's buffer is never shared.
    EXPECT_NE((*results)[1].bytes(), input.bytes());
    EXPECT_EQ((*results)[1].data<float>()[7], 3.0f);
    EXPECT_EQ(reinterpret_cast<uintptr_t>((*results)[0].bytes()) % 64, 0u);
    EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);
    // The block computed into this buffer and handed it over; dropped, it
    // waits in the cache for the next run's buffer of the same size.
    if (run == 0)
      first = (*results)[0].bytes();
    else
      EXPECT_EQ((*results)[0].bytes(), first);
  }
}

} // namespace

namespace {

TEST(EngineConcurrencyTest, EachBlockCompilesOnceWhileOthersCompileAtOnce) {
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  options.cache.disk = false;
  Engine engine(options);
  const std::string programs[2] = {kProgram, R"mlir(
func.func @main(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  %0 = vm.rem %a, %b : tensor<?xi32>
  return %0 : tensor<?xi32>
}
)mlir"};
  constexpr int kThreads = 8;
  std::vector<std::thread> threads;
  std::vector<int> ok(kThreads, 0);
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&, i] {
      std::string diagnostics;
      llvm::raw_string_ostream os(diagnostics);
      StatusOr<std::shared_ptr<const CompiledBlock>> block = engine.compile(
          llvm::MemoryBuffer::getMemBufferCopy(programs[i % 2]), "main", os);
      if (!block.isOk())
        return;
      std::vector<HostTensor> inputs = divisionInputs();
      StatusOr<std::vector<HostTensor>> results =
          engine.run(**block, {&inputs[0], &inputs[1]});
      // 7 % 2 = 1 for the remainder, 7 / 2 = 3 for the division.
      if (results.isOk())
        ok[i] = (*results)[0].data<int32_t>()[0] == (i % 2 ? 1 : 3);
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(ok, std::vector<int>(kThreads, 1));
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.compiles, 2u);
  EXPECT_EQ(metrics.memoryCacheMisses, 2u);
  EXPECT_EQ(metrics.memoryCacheHits, uint64_t(kThreads - 2));
}

} // namespace
