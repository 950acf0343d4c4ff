//===- MemoryBoundTest.cpp - block runs that do not fit in memory ---------===//
//
// The bound a block computes before it runs, the engine's configured bound,
// the process headroom, and the CPU allocator that stops a run whose
// allocation fails. Expected byte counts are worked out by hand from the
// buffer sizes (see docs/cpu-path.md, "Memory per block").
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/vmgpu.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace vmgpu {
namespace {

using runtime::ElementType;
using runtime::HostTensor;
using runtime::StatusCode;
using runtime::StatusOr;

constexpr uint64_t kMiB = uint64_t(1) << 20;

/// Every engine here runs on the CPU and compiles rather than reading
/// entries earlier runs left in the disk cache.
EngineOptions cpuOptions(std::optional<uint64_t> bound = std::nullopt) {
  EngineOptions options;
  options.device = DeviceSelection{DeviceSelection::Kind::Cpu, 0};
  options.cache.disk = false;
  options.blockMemoryMaxBytes = bound;
  return options;
}

std::shared_ptr<const CompiledBlock> compile(Engine &engine,
                                             const std::string &program) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> block = engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(program), "main", os);
  EXPECT_TRUE(block.isOk()) << block.status().toString() << diagnostics;
  return block.isOk() ? *block : nullptr;
}

HostTensor filled(ElementType type, std::vector<int64_t> shape, float value) {
  HostTensor tensor = HostTensor::create(type, std::move(shape)).value();
  if (type == ElementType::F32)
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      tensor.data<float>()[i] = value;
  return tensor;
}

constexpr const char *kDouble = R"mlir(
func.func @main(%a: tensor<?xf32>) -> tensor<?xf32> {
  %0 = vm.add %a, %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}
)mlir";

// 1024 f32: the result buffer (4096 bytes, 64 of alignment, 64 of
// bookkeeping) and the runtime's copy of it (4096): 8320 bytes.
constexpr uint64_t kDoubleNeed = 4096 + 64 + 64 + 4096;

TEST(MemoryBoundTest, RunOverTheConfiguredBoundIsRefused) {
  Engine engine(cpuOptions(kDoubleNeed - 1));
  std::shared_ptr<const CompiledBlock> block = compile(engine, kDouble);
  ASSERT_TRUE(block);
  HostTensor input = filled(ElementType::F32, {1024}, 1.5f);
  EXPECT_EQ(block->cpu->memoryNeeded({&input}).valueOr(0), kDoubleNeed);
  StatusOr<std::vector<HostTensor>> refused = engine.run(*block, {&input});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "block needs 8320 bytes, bound is 8319 (configured)");
  EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);

  // Exactly the bound runs, and computes the right thing.
  Engine exact(cpuOptions(kDoubleNeed));
  block = compile(exact, kDouble);
  ASSERT_TRUE(block);
  StatusOr<std::vector<HostTensor>> results = exact.run(*block, {&input});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].numElements(), 1024);
  EXPECT_EQ((*results)[0].data<float>()[1023], 3.0f);
  EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);
}

TEST(MemoryBoundTest, EnvironmentSetsTheBound) {
  ::setenv("VMGPU_BLOCK_MEMORY_MAX_BYTES", "100", 1);
  EngineOptions options = cpuOptions();
  options.blockMemoryMaxBytes.reset();
  Engine engine(options);
  ::unsetenv("VMGPU_BLOCK_MEMORY_MAX_BYTES");
  ASSERT_EQ(engine.options().blockMemoryMaxBytes, std::optional<uint64_t>(100));
  std::shared_ptr<const CompiledBlock> block = compile(engine, kDouble);
  ASSERT_TRUE(block);
  HostTensor input = filled(ElementType::F32, {1024}, 1.0f);
  EXPECT_EQ(engine.run(*block, {&input}).status().code(),
            StatusCode::ResourceExhausted);
}

// 2^62 f32 elements: 2^64 bytes, which no 64-bit size holds.
TEST(MemoryBoundTest, OverflowingSizesAreRefusedWhateverTheBound) {
  Engine engine(cpuOptions(UINT64_MAX));
  std::shared_ptr<const CompiledBlock> block = compile(engine, R"mlir(
func.func @main() -> tensor<?xf32> {
  %n = arith.constant 4611686018427387904 : index
  %v = arith.constant 1.0 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  return %s : tensor<?xf32>
}
)mlir");
  ASSERT_TRUE(block);
  EXPECT_EQ(block->cpu->memoryNeeded({}).valueOr(0), UINT64_MAX);
  StatusOr<std::vector<HostTensor>> refused = engine.run(*block, {});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(refused.status().message().find("overflow"), std::string::npos)
      << refused.status().message();
}

// 2^60 f32 elements (4 EiB) fit in 64 bits but in no address space.
constexpr const char *kSplat260 = R"mlir(
func.func @main() -> tensor<?xf32> {
  %n = arith.constant 1152921504606846976 : index
  %v = arith.constant 1.0 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  return %s : tensor<?xf32>
}
)mlir";

TEST(MemoryBoundTest, WithoutABoundTheProcessHeadroomApplies) {
  Engine engine(cpuOptions());
  std::shared_ptr<const CompiledBlock> block = compile(engine, kSplat260);
  ASSERT_TRUE(block);
  // 2^62 + 64 + 64 for the buffer, 2^62 for the copy.
  uint64_t need = (uint64_t(1) << 63) + 128;
  EXPECT_EQ(block->cpu->memoryNeeded({}).valueOr(0), need);
  StatusOr<std::vector<HostTensor>> refused = engine.run(*block, {});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(refused.status().message().rfind(
                "block needs " + std::to_string(need) + " bytes, bound is ", 0),
            0u)
      << refused.status().message();
}

// Past the bound (switched off here), the allocator is the second line: the
// small buffer is allocated, the huge one fails, the run stops with
// OutOfMemory and the small one is freed.
TEST(MemoryBoundTest, FailedAllocationStopsTheRunAndFreesItsBuffers) {
  Engine engine(cpuOptions(UINT64_MAX - 1));
  std::shared_ptr<const CompiledBlock> block = compile(engine, R"mlir(
func.func @main() -> (tensor<?xf32>, tensor<?xf32>) {
  %small = arith.constant 1048576 : index
  %huge = arith.constant 1152921504606846976 : index
  %v = arith.constant 1.0 : f32
  %a = vm.splat %v [%small] : f32 -> tensor<?xf32>
  %b = vm.splat %v [%huge] : f32 -> tensor<?xf32>
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}
)mlir");
  ASSERT_TRUE(block);
  StatusOr<std::vector<HostTensor>> failed = engine.run(*block, {});
  ASSERT_FALSE(failed.isOk());
  EXPECT_EQ(failed.status().code(), StatusCode::OutOfMemory);
  // The lowering asks for the buffer plus its 64-byte alignment.
  EXPECT_NE(failed.status().message().find("allocation of " +
                                           std::to_string((uint64_t(1) << 62) +
                                                          64) +
                                           " bytes failed"),
            std::string::npos)
      << failed.status().message();
  EXPECT_EQ(runtime::lastCpuBlockRunPeakBytes(), 4 * kMiB + 64);
  EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);

  // The engine and the block still work.
  std::shared_ptr<const CompiledBlock> other = compile(engine, kDouble);
  ASSERT_TRUE(other);
  HostTensor input = filled(ElementType::F32, {4}, 2.0f);
  StatusOr<std::vector<HostTensor>> results = engine.run(*other, {&input});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ((*results)[0].data<float>()[0], 4.0f);
}

TEST(MemoryBoundTest, EmptyBuffersCountTheirOverheadAndRun) {
  Engine engine(cpuOptions(128));
  std::shared_ptr<const CompiledBlock> block = compile(engine, R"mlir(
func.func @main(%a: tensor<?xf32>) -> tensor<?xf32> {
  %0 = vm.exp %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}
)mlir");
  ASSERT_TRUE(block);
  HostTensor empty = HostTensor::create(ElementType::F32, {0}).value();
  EXPECT_EQ(block->cpu->memoryNeeded({&empty}).valueOr(0), 128u);
  StatusOr<std::vector<HostTensor>> results = engine.run(*block, {&empty});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ((*results)[0].numElements(), 0);
}

/// A program and inputs whose real peak the bound must cover.
struct PeakCase {
  const char *name;
  const char *program;
  std::vector<std::pair<ElementType, std::vector<int64_t>>> inputs;
};

TEST(MemoryBoundTest, BoundCoversThePeakOfEveryBuffer) {
  std::vector<PeakCase> cases = {
      {"fused chain", R"mlir(
func.func @main(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = vm.mul %a, %b : tensor<?x?xf32>
  %1 = vm.add %0, %b : tensor<?x?xf32>
  %2 = vm.max %1, %a : tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}
)mlir",
       {{ElementType::F32, {37, 300}}, {ElementType::F32, {37, 300}}}},
      {"matmul, reduce, splat", R"mlir(
func.func @main(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %m = vm.matmul %a, %b : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %e = vm.exp %m : tensor<?x?xf32>
  %r = vm.reduce %e {kind = "sum", dims = array<i64: 1>} : tensor<?x?xf32> -> tensor<?xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x?xf32>
  %v = arith.constant 2.0 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  %t = vm.mul %s, %r : tensor<?xf32>
  return %m, %t : tensor<?x?xf32>, tensor<?xf32>
}
)mlir",
       {{ElementType::F32, {64, 48}}, {ElementType::F32, {48, 80}}}},
      {"transpose, concat, slice", R"mlir(
func.func @main(%a: tensor<?x?xf64>) -> tensor<?x2xf64> {
  %t = vm.transpose %a {perm = array<i64: 1, 0>} : tensor<?x?xf64> -> tensor<?x?xf64>
  %c = vm.concat %t, %t {dim = 0 : i64} : tensor<?x?xf64>, tensor<?x?xf64> -> tensor<?x?xf64>
  %s = vm.slice %c {offsets = array<i64: 1, 0>, sizes = array<i64: 8, 4>, strides = array<i64: 3, 2>} : tensor<?x?xf64> -> tensor<8x4xf64>
  %r = vm.reshape %s : tensor<8x4xf64> -> tensor<?x2xf64>
  return %r : tensor<?x2xf64>
}
)mlir",
       {{ElementType::F64, {9, 20}}}},
      {"softmax and a returned argument", R"mlir(
func.func @main(%a: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %0 = vm.softmax %a {dim = 1 : i64} : tensor<?x?xf32>
  return %0, %a : tensor<?x?xf32>, tensor<?x?xf32>
}
)mlir",
       {{ElementType::F32, {16, 1000}}}},
      {"conv2d", R"mlir(
func.func @main(%a: tensor<2x16x16x3xf32>, %w: tensor<3x3x3x8xf32>) -> tensor<2x14x14x8xf32> {
  %0 = vm.conv2d %a, %w : (tensor<2x16x16x3xf32>, tensor<3x3x3x8xf32>) -> tensor<2x14x14x8xf32>
  %1 = vm.relu %0 : tensor<2x14x14x8xf32>
  return %1 : tensor<2x14x14x8xf32>
}
)mlir",
       {{ElementType::F32, {2, 16, 16, 3}}, {ElementType::F32, {3, 3, 3, 8}}}},
      // Partials the reduction strategies allocate after the bound was
      // outlined (vm-count-late-allocations): 2048 rows in 8 segments, 7
      // rows of partials (1.8 KB) beside a 256-byte result; 2^17 elements
      // in 4 partials.
      {"column and full reductions", R"mlir(
func.func @main(%a: tensor<?x?xf32>, %b: tensor<?xf32>) -> (tensor<?xf32>, tensor<f32>) {
  %c = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  %f = vm.reduce %b {kind = "max", dims = array<i64: 0>} : tensor<?xf32> -> tensor<f32>
  return %c, %f : tensor<?xf32>, tensor<f32>
}
)mlir",
       {{ElementType::F32, {2048, 64}}, {ElementType::F32, {1 << 17}}}},
  };
  Engine engine(cpuOptions());
  for (const PeakCase &peakCase : cases) {
    SCOPED_TRACE(peakCase.name);
    std::shared_ptr<const CompiledBlock> block =
        compile(engine, peakCase.program);
    ASSERT_TRUE(block);
    std::vector<HostTensor> inputs;
    for (const auto &[type, shape] : peakCase.inputs)
      inputs.push_back(filled(type, shape, 0.5f));
    std::vector<const HostTensor *> pointers;
    uint64_t resultBytes = 0;
    for (const HostTensor &input : inputs)
      pointers.push_back(&input);
    StatusOr<uint64_t> need = block->cpu->memoryNeeded(pointers);
    ASSERT_TRUE(need.isOk()) << need.status().toString();
    StatusOr<std::vector<HostTensor>> results = engine.run(*block, pointers);
    ASSERT_TRUE(results.isOk()) << results.status().toString();
    for (const HostTensor &result : *results)
      resultBytes += result.sizeInBytes();
    uint64_t peak = runtime::lastCpuBlockRunPeakBytes();
    EXPECT_GT(peak, 0u);
    // The block's buffers at their peak, and the copies of the results
    // made while they are live.
    EXPECT_LE(peak + resultBytes, *need);
    EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);
  }
}

/// Lowers RLIMIT_AS (soft) for the scope's lifetime.
struct AddressSpaceLimit {
  explicit AddressSpaceLimit(uint64_t bytes) {
    ::getrlimit(RLIMIT_AS, &saved);
    struct rlimit lowered = saved;
    lowered.rlim_cur = bytes;
    ok = ::setrlimit(RLIMIT_AS, &lowered) == 0;
  }
  ~AddressSpaceLimit() { ::setrlimit(RLIMIT_AS, &saved); }
  struct rlimit saved;
  bool ok = false;
};

uint64_t addressSpaceInUse() {
  FILE *statm = std::fopen("/proc/self/statm", "r");
  unsigned long long pages = 0;
  if (statm) {
    if (std::fscanf(statm, "%llu", &pages) != 1)
      pages = 0;
    std::fclose(statm);
  }
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

// 2^28 f32 (1 GiB) doubled needs 2 GiB and a bit; 512 MiB of headroom under
// RLIMIT_AS refuses it before anything is allocated.
TEST(MemoryBoundTest, HeadroomFollowsTheAddressSpaceLimit) {
  Engine engine(cpuOptions());
  std::shared_ptr<const CompiledBlock> block = compile(engine, R"mlir(
func.func @main() -> tensor<?xf32> {
  %n = arith.constant 268435456 : index
  %v = arith.constant 1.0 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  return %s : tensor<?xf32>
}
)mlir");
  ASSERT_TRUE(block);
  uint64_t inUse = addressSpaceInUse();
  ASSERT_GT(inUse, 0u);
  AddressSpaceLimit limit(inUse + 512 * kMiB);
  ASSERT_TRUE(limit.ok);
  runtime::MemoryBound bound = runtime::processMemoryHeadroom();
  EXPECT_LE(bound.bytes, 512 * kMiB);
  EXPECT_EQ(bound.source, "RLIMIT_AS headroom");
  StatusOr<std::vector<HostTensor>> refused = engine.run(*block, {});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(refused.status().message().find("(RLIMIT_AS headroom)"),
            std::string::npos)
      << refused.status().message();
  EXPECT_EQ(runtime::cpuBlockLiveBytes(), 0u);
}

TEST(MemoryBoundTest, HeadroomIsKnownOnLinux) {
  runtime::MemoryBound bound = runtime::processMemoryHeadroom();
  EXPECT_LT(bound.bytes, UINT64_MAX); // MemAvailable at least
  EXPECT_NE(bound.source, "unbounded");
}

// Through the C API the refusal is a status code, configured by the
// environment the engine reads.
TEST(MemoryBoundTest, CApiReportsResourceExhausted) {
  ::setenv("VMGPU_BLOCK_MEMORY_MAX_BYTES", "8319", 1);
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  vmgpu_engine_t *engine = nullptr;
  ASSERT_EQ(vmgpu_engine_create(&options, &engine, nullptr), VMGPU_STATUS_OK);
  ::unsetenv("VMGPU_BLOCK_MEMORY_MAX_BYTES");
  vmgpu_block_t *block = nullptr;
  ASSERT_EQ(vmgpu_engine_compile(engine, kDouble, std::strlen(kDouble), "main",
                                 &block, nullptr),
            VMGPU_STATUS_OK);
  int64_t shape[] = {1024};
  std::vector<float> values(1024, 1.0f);
  vmgpu_tensor_t *input = nullptr;
  ASSERT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1,
                                values.data(), values.size() * sizeof(float),
                                &input, nullptr),
            VMGPU_STATUS_OK);
  vmgpu_tensor_t *output = nullptr;
  vmgpu_error_t *error = nullptr;
  EXPECT_EQ(vmgpu_engine_run(engine, block, &input, 1, &output, 1, &error),
            VMGPU_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(output, nullptr);
  ASSERT_NE(error, nullptr);
  EXPECT_NE(std::string(vmgpu_error_get_message(error))
                .find("block needs 8320 bytes, bound is 8319"),
            std::string::npos)
      << vmgpu_error_get_message(error);
  vmgpu_error_destroy(error);
  vmgpu_tensor_destroy(input);
  vmgpu_block_destroy(block);
  vmgpu_engine_destroy(engine);
}

} // namespace
} // namespace vmgpu
