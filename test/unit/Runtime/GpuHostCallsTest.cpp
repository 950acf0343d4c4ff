//===- GpuHostCallsTest.cpp - host calls and rocm blocks over a fake HIP --===//

#include "FakeGpuBlockArtifact.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "FakeHipControl.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuHostBackend.h"
#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/NativeExecutable.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

using namespace vmgpu::runtime;
using vmgpu::test::FakeHipControl;

using vmgpu::test::fakeRocmBlock;

namespace {

/// Sets VMGPU_FAULT_INJECT for the scope's lifetime.
struct FaultInjection {
  explicit FaultInjection(const char *call) {
    setenv("VMGPU_FAULT_INJECT", call, 1);
  }
  ~FaultInjection() { unsetenv("VMGPU_FAULT_INJECT"); }
};

/// The fake runtime, a driver over it and the host-call backend over that.
class HipHostCallsTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(fake.handle) << dlerror();
    StatusOr<std::unique_ptr<HipDriver>> loaded =
        HipDriver::load({VMGPU_FAKE_HIP});
    ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
    driver = std::move(loaded).value();
    backend = makeHipHostBackend(*driver);
    fake.reset();
    (void)takeGpuHostCallError();
  }
  int calls(const char *call) { return fake.callCount(call); }

  FakeHipControl fake{VMGPU_FAKE_HIP};
  std::unique_ptr<HipDriver> driver;
  std::unique_ptr<GpuHostBackend> backend;
};

TEST_F(HipHostCallsTest, HostCallsDispatchToHip) {
  {
    GpuHostBackendScope scope(backend.get());
    char image[] = "HSACO";
    void *module = mgpuModuleLoad(image, sizeof(image));
    ASSERT_NE(module, nullptr);
    void *function = mgpuModuleGetFunction(module, "main_kernel");
    ASSERT_NE(function, nullptr);
    void *stream = mgpuStreamCreate();
    ASSERT_NE(stream, nullptr);
    void *buffer = _mlir_memref_to_llvm_alloc(256);
    ASSERT_NE(buffer, nullptr);
    EXPECT_TRUE(isGpuHostCallAllocation(buffer));
    void *params[] = {&buffer};
    mgpuLaunchKernel(function, 4, 1, 1, 64, 1, 1, 0, stream, params, nullptr,
                     1);
    mgpuStreamSynchronize(stream);
    mgpuStreamDestroy(stream);
    _mlir_memref_to_llvm_free(buffer);
    EXPECT_FALSE(isGpuHostCallAllocation(buffer));
    mgpuModuleUnload(module);
    Status status = takeGpuHostCallError();
    EXPECT_TRUE(status.isOk()) << status.toString();
  }
  for (const char *call :
       {"hipModuleLoadData", "hipModuleGetFunction", "hipStreamCreateWithFlags",
        "hipMalloc", "hipModuleLaunchKernel", "hipStreamSynchronize",
        "hipStreamDestroy", "hipFree", "hipModuleUnload"})
    EXPECT_EQ(calls(call), 1) << call;

  // Outside the scope the host calls no longer reach HIP.
  void *stream = mgpuStreamCreate();
  mgpuStreamDestroy(stream);
  (void)takeGpuHostCallError();
  EXPECT_EQ(calls("hipStreamCreateWithFlags"), 1);
}

TEST_F(HipHostCallsTest, ScopesNestAndRestore) {
  FakeHipControl other(VMGPU_FAKE_HIP_NO_ERROR_NAMES);
  ASSERT_TRUE(other.handle) << dlerror();
  StatusOr<std::unique_ptr<HipDriver>> otherDriver =
      HipDriver::load({VMGPU_FAKE_HIP_NO_ERROR_NAMES});
  ASSERT_TRUE(otherDriver.isOk());
  std::unique_ptr<GpuHostBackend> otherBackend =
      makeHipHostBackend(**otherDriver);
  other.reset();

  GpuHostBackendScope outer(backend.get());
  {
    GpuHostBackendScope inner(otherBackend.get());
    mgpuStreamSynchronize(mgpuStreamCreate());
  }
  mgpuStreamSynchronize(mgpuStreamCreate());
  EXPECT_TRUE(takeGpuHostCallError().isOk());
  EXPECT_EQ(other.callCount("hipStreamSynchronize"), 1);
  EXPECT_EQ(calls("hipStreamSynchronize"), 1);
}

TEST_F(HipHostCallsTest, MemoryIsFreedByTheBackendThatMadeIt) {
  void *buffer;
  {
    GpuHostBackendScope scope(backend.get());
    buffer = _mlir_memref_to_llvm_alloc(0);
  }
  ASSERT_TRUE(isGpuHostCallAllocation(buffer));
  _mlir_memref_to_llvm_free(buffer);
  EXPECT_EQ(calls("hipFree"), 1);
  EXPECT_TRUE(takeGpuHostCallError().isOk());
}

TEST_F(HipHostCallsTest, InjectedLaunchFailureCarriesHipName) {
  GpuHostBackendScope scope(backend.get());
  char image[] = "HSACO";
  void *function =
      mgpuModuleGetFunction(mgpuModuleLoad(image, sizeof(image)), "k");
  {
    FaultInjection fault("hipModuleLaunchKernel");
    mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr,
                     0);
  }
  // After an error nothing more is launched.
  mgpuLaunchKernel(function, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 1);
  Status status = takeGpuHostCallError();
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_EQ(status.message(),
            "hipModuleLaunchKernel failed: hipErrorUnknown (fake error text)");
  EXPECT_TRUE(takeGpuHostCallError().isOk());
}

// Block buffers are device memory the host code never touches: a failed
// allocation gives null, the error is recorded and no kernel runs after it.
TEST_F(HipHostCallsTest, FailedAllocationGivesNullAndIsRecorded) {
  GpuHostBackendScope scope(backend.get());
  fake.setError("hipMalloc", 2); // hipErrorOutOfMemory
  void *buffer = _mlir_memref_to_llvm_alloc(64);
  EXPECT_EQ(buffer, nullptr);
  _mlir_memref_to_llvm_free(buffer);
  EXPECT_EQ(calls("hipFree"), 0);
  Status status = takeGpuHostCallError();
  EXPECT_EQ(status.code(), StatusCode::OutOfMemory);
  EXPECT_NE(status.message().find("hipMalloc failed: hipErrorFake"),
            std::string::npos)
      << status.message();
}

TEST_F(HipHostCallsTest, LaunchWithExtraArgumentsIsRefused) {
  GpuHostBackendScope scope(backend.get());
  void *extra[] = {nullptr};
  int function;
  mgpuLaunchKernel(&function, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, extra, 0);
  EXPECT_EQ(takeGpuHostCallError().code(), StatusCode::Internal);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 0);
}

TEST_F(HipHostCallsTest, RocmBlockRunsThroughHip) {
  Artifact artifact = fakeRocmBlock();
  ASSERT_FALSE(artifact.binary.empty());
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, *backend);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  EXPECT_EQ(calls("hipModuleLoadData"), 1);

  StatusOr<HostTensor> input = HostTensor::fromVector<float>(
      ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
  ASSERT_TRUE(input.isOk());
  StatusOr<std::vector<HostTensor>> results = (*executable)->run({&*input});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  ASSERT_EQ(results->size(), 1u);
  const float *values = (*results)[0].data<float>();
  EXPECT_EQ(std::vector<float>(values, values + 4),
            (std::vector<float>{2.0f, 4.0f, 6.0f, 8.0f}));
  // The staged input and the block's result: device memory from the
  // device's pool, given back to it; the input copied in and the result
  // copied out on the device's stream, which is waited for once, at the
  // end of the run. No per-launch stream, no device-wide wait.
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), 2);
  EXPECT_EQ(calls("hipFreeAsync"), 2);
  EXPECT_EQ(calls("hipMalloc"), 0);
  EXPECT_EQ(calls("hipMallocManaged"), 0);
  EXPECT_EQ(calls("hipMemcpyAsync"), 2);
  EXPECT_EQ(calls("hipMemcpy"), 0);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 1);
  EXPECT_EQ(calls("hipStreamCreateWithFlags"), 1);
  EXPECT_EQ(calls("hipStreamSynchronize"), 1);
  EXPECT_EQ(calls("hipStreamDestroy"), 0);
  EXPECT_EQ(calls("hipDeviceSynchronize"), 0);
  // The caller's input is only read.
  EXPECT_EQ(input->data<float>()[0], 1.0f);

  executable->reset();
  EXPECT_EQ(calls("hipModuleUnload"), 1);
}

TEST_F(HipHostCallsTest, ResultsKeptOnTheDeviceFeedTheNextRunWithoutCopies) {
  Artifact artifact = fakeRocmBlock();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, *backend);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  StatusOr<HostTensor> input = HostTensor::fromVector<float>(
      ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
  ASSERT_TRUE(input.isOk());
  NativeExecutable::RunOptions keep;
  keep.keepResultsOnDevice = true;

  StatusOr<std::vector<HostTensor>> first = (*executable)->run({&*input}, keep);
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  ASSERT_EQ(first->size(), 1u);
  const HostTensor &doubled = (*first)[0];
  // The result is the block's own device buffer, owned by the block's
  // device: no copy, no managed memory, no wait.
  EXPECT_EQ(doubled.owner(), (*executable)->residence());
  EXPECT_EQ(tensorDevice(doubled), (*executable)->device());
  EXPECT_EQ(doubled.shape(), (std::vector<int64_t>{4}));
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), 2); // the staged input, the result
  EXPECT_EQ(calls("hipMallocManaged"), 0);
  EXPECT_EQ(calls("hipFreeAsync"), 1);   // the staged input
  EXPECT_EQ(calls("hipMemcpyAsync"), 1); // input in
  EXPECT_EQ(calls("hipStreamSynchronize"), 0);
  // The run waited for its input's copy only (the caller may reuse it).
  EXPECT_EQ(calls("hipEventRecord"), 1);
  EXPECT_EQ(calls("hipEventSynchronize"), 1);

  // Fed back, it is used where it is: no copy in, one new allocation (the
  // result) and its copy out, then the run's one wait.
  StatusOr<std::vector<HostTensor>> second = (*executable)->run({&doubled});
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ((*second)[0].owner(), nullptr);
  EXPECT_EQ((*second)[0].data<float>()[3], 16.0f);
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), 3);
  EXPECT_EQ(calls("hipMemcpyAsync"), 2);
  EXPECT_EQ(calls("hipFreeAsync"), 2);
  EXPECT_EQ(calls("hipStreamSynchronize"), 1);

  // Read back: a copy and a wait.
  StatusOr<HostTensor> read = copyTensorToHost(doubled);
  ASSERT_TRUE(read.isOk()) << read.status().toString();
  EXPECT_EQ(read->owner(), nullptr);
  EXPECT_EQ(read->data<float>()[3], 8.0f);
  EXPECT_EQ(calls("hipStreamSynchronize"), 2);

  // The kept result goes back to the pool when its tensor dies.
  first->clear();
  EXPECT_EQ(calls("hipFreeAsync"), 3);
  EXPECT_EQ(calls("hipFreeAsync"), calls("hipMallocFromPoolAsync"));
}

TEST_F(HipHostCallsTest, RocmBlockErrorsCarryHipNames) {
  Artifact artifact = fakeRocmBlock();
  {
    FaultInjection fault("hipModuleLoadData");
    StatusOr<std::unique_ptr<NativeExecutable>> failed =
        NativeExecutable::load(artifact, *backend);
    ASSERT_FALSE(failed.isOk());
    EXPECT_EQ(failed.status().code(), StatusCode::Internal);
    EXPECT_EQ(failed.status().message(),
              "hipModuleLoadData failed: hipErrorUnknown (fake error text)");
  }
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, *backend);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  StatusOr<HostTensor> input = HostTensor::create(ElementType::F32, {4});
  ASSERT_TRUE(input.isOk());
  for (const char *call : {"hipModuleLaunchKernel", "hipStreamSynchronize"}) {
    FaultInjection fault(call);
    StatusOr<std::vector<HostTensor>> results = (*executable)->run({&*input});
    ASSERT_FALSE(results.isOk()) << call;
    EXPECT_EQ(results.status().code(), StatusCode::Internal);
    EXPECT_EQ(results.status().message(),
              std::string(call) + " failed: hipErrorUnknown (fake error text)");
  }
  // Every buffer went back, failures included.
  EXPECT_EQ(calls("hipFreeAsync"), calls("hipMallocFromPoolAsync"));
}

TEST_F(HipHostCallsTest, RocmRunOverTheMemoryBoundIsRefusedBeforeAllocating) {
  Artifact artifact = fakeRocmBlock();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, *backend);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  StatusOr<HostTensor> input = HostTensor::create(ElementType::F32, {4});
  ASSERT_TRUE(input.isOk());
  // The block's 16 + 4 + 64 + 16 bytes and the 16-byte device copy of the
  // input: 116 bytes.
  ASSERT_EQ((*executable)->memoryNeeded({&*input}).valueOr(0), 116u);
  NativeExecutable::RunOptions bounded;
  bounded.memoryMaxBytes = 115;
  StatusOr<std::vector<HostTensor>> refused =
      (*executable)->run({&*input}, bounded);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::ResourceExhausted);
  EXPECT_EQ(refused.status().message(),
            "block needs 116 bytes, bound is 115 (configured)");
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), 0);
  EXPECT_EQ(calls("hipMemcpyAsync"), 0);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 0);
  bounded.memoryMaxBytes = 116;
  StatusOr<std::vector<HostTensor>> ran =
      (*executable)->run({&*input}, bounded);
  EXPECT_TRUE(ran.isOk()) << ran.status().toString();
}

TEST(GpuHostBackendTest, TargetsAndTheirBackends) {
  StatusOr<const GpuHostBackend *> cpu = gpuHostBackendForTarget("cpu");
  ASSERT_TRUE(cpu.isOk());
  EXPECT_EQ(*cpu, nullptr);
  EXPECT_EQ(gpuHostBackendForTarget("vulkan").status().code(),
            StatusCode::InvalidArgument);
  Artifact artifact;
  artifact.target = "vulkan";
  EXPECT_EQ(NativeExecutable::load(artifact).status().code(),
            StatusCode::InvalidArgument);
}

TEST(GpuHostBackendTest, RocmArtifactWithoutHipIsUnavailable) {
  if (void *real = dlopen("libamdhip64.so", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(real);
    GTEST_SKIP() << "a HIP runtime is installed";
  }
  if (std::getenv("VMGPU_HIP_LIBRARY"))
    GTEST_SKIP() << "VMGPU_HIP_LIBRARY is set";
  Artifact artifact = fakeRocmBlock();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact);
  ASSERT_FALSE(executable.isOk());
  EXPECT_EQ(executable.status().code(), StatusCode::Unavailable);
  EXPECT_NE(executable.status().message().find("no HIP runtime"),
            std::string::npos)
      << executable.status().message();
}

} // namespace
