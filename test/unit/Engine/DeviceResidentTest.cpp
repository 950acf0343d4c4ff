//===- DeviceResidentTest.cpp - device-resident runs through the engine ---===//
//
// A block whose GPU build is FakeGpuBlock.cpp (2 * x on tensor<4xf32>) on a
// device over the fake HIP runtime, and whose CPU build is compiled from
// the same computation: chains of device-resident runs, read-back, pinned
// inputs and the fallback after an injected GPU failure, without a GPU.
//
//===----------------------------------------------------------------------===//

#include "../Runtime/FakeGpuBlockArtifact.h"
#include "../Runtime/FakeHipControl.h"
#include "../Runtime/FakeHipStack.h"
#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/HipDriver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

using namespace vmgpu;
using namespace vmgpu::runtime;
using vmgpu::test::FakeHipControl;
using vmgpu::test::FakeHipStack;

using vmgpu::test::fakeRocmBlock;

namespace {

constexpr const char *kDoubling = R"mlir(
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.add %a, %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
)mlir";

std::vector<float> valuesOf(const HostTensor &tensor) {
  const float *data = tensor.data<float>();
  return std::vector<float>(data, data + tensor.numElements());
}

/// An engine on the CPU, and a block with its CPU build and a GPU build on
/// a fake HIP device.
class DeviceResidentTest : public ::testing::Test, protected FakeHipStack {
protected:
  void SetUp() override {
    ASSERT_TRUE(fake.handle) << dlerror();
    Status loaded = load(VMGPU_FAKE_HIP);
    ASSERT_TRUE(loaded.isOk()) << loaded.toString();

    EngineOptions options;
    options.device = DeviceSelection{DeviceSelection::Kind::Cpu, 0};
    options.cache.disk = false;
    engine = std::make_unique<Engine>(options);
    std::string diagnostics;
    llvm::raw_string_ostream os(diagnostics);
    StatusOr<std::shared_ptr<const CompiledBlock>> compiled = engine->compile(
        llvm::MemoryBuffer::getMemBufferCopy(kDoubling), "main", os);
    ASSERT_TRUE(compiled.isOk()) << diagnostics;
    block.cpuArtifact = (*compiled)->cpuArtifact;
    block.cpu = NativeExecutable::load(block.cpuArtifact).value();
    StatusOr<std::unique_ptr<NativeExecutable>> gpu =
        NativeExecutable::load(fakeRocmBlock(), *device);
    ASSERT_TRUE(gpu.isOk()) << gpu.status().toString();
    block.gpu = std::move(gpu).value();
    block.gpuKind = DeviceSelection::Kind::Rocm;
    fake.reset();
    (void)takeGpuHostCallError();
  }
  void TearDown() override {
    block.gpu.reset();
    device.reset();
  }
  int calls(const char *call) { return fake.callCount(call); }

  FakeHipControl fake{VMGPU_FAKE_HIP};
  std::unique_ptr<Engine> engine;
  CompiledBlock block;
  HostTensor input = HostTensor::fromVector<float>(ElementType::F32, {4},
                                                   {1.0f, 2.0f, 3.0f, 4.0f})
                         .value();
};

TEST_F(DeviceResidentTest, ChainedBlocksStayOnTheDevice) {
  StatusOr<HostTensor> resident = copyTensorToDevice(*device, input);
  ASSERT_TRUE(resident.isOk()) << resident.status().toString();
  EXPECT_EQ(tensorDevice(*resident), device.get());
  NativeExecutable::RunOptions keep;
  keep.keepResultsOnDevice = true;
  MetricsSnapshot before = engine->metrics().snapshot();
  StatusOr<std::vector<HostTensor>> first =
      engine->run(block, {&*resident}, keep);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  StatusOr<std::vector<HostTensor>> second =
      engine->run(block, {&(*first)[0]}, keep);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ(tensorDevice((*second)[0]), device.get());
  // Nothing crossed the link and nothing waited between the blocks.
  MetricsSnapshot after = engine->metrics().snapshot();
  EXPECT_EQ(after.gpuExecutions - before.gpuExecutions, 2u);
  EXPECT_EQ(after.h2dBytes, before.h2dBytes);
  EXPECT_EQ(after.d2hBytes, before.d2hBytes);
  EXPECT_EQ(calls("hipMemcpyAsync"), 1); // the upload before the chain
  EXPECT_EQ(calls("hipStreamSynchronize"), 0);
  // Read back: one copy, one wait.
  StatusOr<HostTensor> read = engine->toHost((*second)[0]);
  ASSERT_TRUE(read.isOk()) << read.status().toString();
  EXPECT_EQ(valuesOf(*read), (std::vector<float>{4.0f, 8.0f, 12.0f, 16.0f}));
  EXPECT_EQ(calls("hipMemcpyAsync"), 2);
  EXPECT_EQ(calls("hipStreamSynchronize"), 1);
  EXPECT_EQ(engine->metrics().snapshot().d2hBytes - after.d2hBytes, 16u);
  // Every device buffer goes back to the pool with its tensor.
  first->clear();
  second->clear();
  *resident = HostTensor();
  EXPECT_EQ(device->memoryStats().bytesInUse, 0u);
}

TEST_F(DeviceResidentTest, FallbackAfterAnInjectedFailureMovesInputsToTheHost) {
  StatusOr<HostTensor> resident = copyTensorToDevice(*device, input);
  ASSERT_TRUE(resident.isOk());
  ASSERT_EQ(::setenv("VMGPU_FAULT_INJECT", "hipModuleLaunchKernel", 1), 0);
  StatusOr<std::vector<HostTensor>> results = engine->run(block, {&*resident});
  ::unsetenv("VMGPU_FAULT_INJECT");
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ(tensorDevice((*results)[0]), nullptr);
  EXPECT_EQ(valuesOf((*results)[0]),
            (std::vector<float>{2.0f, 4.0f, 6.0f, 8.0f}));
  MetricsSnapshot metrics = engine->metrics().snapshot();
  EXPECT_EQ(metrics.fallbacks, 1u);
  EXPECT_EQ(metrics.cpuExecutions, 1u);
  EXPECT_EQ(metrics.gpuExecutions, 0u);
  EXPECT_EQ(metrics.d2hBytes, 16u); // the input, moved to the host
  ASSERT_EQ(metrics.fallbackReasons.size(), 1u);
  EXPECT_EQ(metrics.fallbackReasons.begin()->first,
            "rocm: hipModuleLaunchKernel failed: hipErrorUnknown (fake error "
            "text)");
}

TEST_F(DeviceResidentTest, WithoutFallbackTheFailureIsTheRunsError) {
  EngineOptions options;
  options.device = DeviceSelection{DeviceSelection::Kind::Cpu, 0};
  options.allowFallback = false;
  options.cache.disk = false;
  Engine strict(options);
  ASSERT_EQ(::setenv("VMGPU_FAULT_INJECT", "hipModuleLaunchKernel", 1), 0);
  StatusOr<std::vector<HostTensor>> results = strict.run(block, {&input});
  ::unsetenv("VMGPU_FAULT_INJECT");
  ASSERT_FALSE(results.isOk());
  EXPECT_EQ(results.status().code(), StatusCode::Internal);
}

TEST_F(DeviceResidentTest, CpuBlocksReadDeviceInputsFromTheHost) {
  StatusOr<HostTensor> resident = copyTensorToDevice(*device, input);
  ASSERT_TRUE(resident.isOk());
  // The CPU build alone refuses device memory rather than reading it...
  StatusOr<std::vector<HostTensor>> refused = block.cpu->run({&*resident});
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::InvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "input #0 is in the memory of rocm:0; CPU blocks read host memory "
            "(copy it to the host first)");
  // ... and the engine brings it over for a block without a GPU build.
  CompiledBlock cpuOnly;
  cpuOnly.cpu = NativeExecutable::load(block.cpuArtifact).value();
  StatusOr<std::vector<HostTensor>> results =
      engine->run(cpuOnly, {&*resident});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ(valuesOf((*results)[0]),
            (std::vector<float>{2.0f, 4.0f, 6.0f, 8.0f}));
}

TEST_F(DeviceResidentTest, PinnedInputsAreHostTensors) {
  StatusOr<HostTensor> pinned =
      allocatePinnedTensor(*device, ElementType::F32, {4});
  ASSERT_TRUE(pinned.isOk()) << pinned.status().toString();
  EXPECT_EQ(tensorDevice(*pinned), nullptr);
  EXPECT_TRUE(device->isPinned(pinned->bytes(), pinned->sizeInBytes()));
  std::memcpy(pinned->bytes(), input.bytes(), input.sizeInBytes());
  StatusOr<std::vector<HostTensor>> results = engine->run(block, {&*pinned});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ(valuesOf((*results)[0]),
            (std::vector<float>{2.0f, 4.0f, 6.0f, 8.0f}));
  EXPECT_EQ(engine->metrics().snapshot().gpuExecutions, 1u);
  // Pinned inputs give a pinned result (copied back without staging).
  EXPECT_EQ((*results)[0].owner(), device->pinnedOwner());
  EXPECT_EQ(device->memoryStats().pinnedBytes, 32u);
  *pinned = HostTensor();
  EXPECT_EQ(device->memoryStats().pinnedBytes, 16u);
  EXPECT_EQ(calls("hipHostFree"), 1);
  results->clear();
  EXPECT_EQ(device->memoryStats().pinnedBytes, 0u);
  EXPECT_EQ(calls("hipHostFree"), 2);
}

} // namespace
