//===- GpuDeviceTest.cpp - the device layer over a fake HIP ---------------===//
//
// The stream, pool, function cache, ordinal and staging of a GpuDevice,
// checked through the calls the fake runtime counts (no GPU needed).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/GpuDevice.h"
#include "../../../runtime/DLPackAbi.h"
#include "FakeGpuBlockArtifact.h"
#include "FakeHipControl.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/runtime/DLPack.h"
#include "vmgpu/runtime/DeviceConstants.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/HostCpu.h"
#include "vmgpu/runtime/NativeExecutable.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <numeric>
#include <set>
#include <thread>

using namespace vmgpu::runtime;
using vmgpu::test::FakeHipControl;

using vmgpu::test::fakeRocmBlock;

namespace {

/// A fake runtime (library()), a driver and a backend over it.
class FakeHipDevice : public ::testing::Test {
protected:
  void SetUp() override {
    // Made here, not in an initializer: library() is virtual.
    fakeControl = std::make_unique<FakeHipControl>(library());
    ASSERT_TRUE(fake().handle) << dlerror();
    StatusOr<std::unique_ptr<HipDriver>> loaded = HipDriver::load({library()});
    ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
    driver = std::move(loaded).value();
    backend = makeHipHostBackend(*driver);
    fake().reset();
    (void)takeGpuHostCallError();
  }
  virtual const char *library() const { return VMGPU_FAKE_HIP; }
  FakeHipControl &fake() { return *fakeControl; }
  int calls(const char *call) { return fake().callCount(call); }

  /// Runs `executable` on [1, 2, 3, 4] and checks the doubled result.
  void runOnce(const NativeExecutable &executable) {
    StatusOr<HostTensor> input = HostTensor::fromVector<float>(
        ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
    ASSERT_TRUE(input.isOk());
    StatusOr<std::vector<HostTensor>> results = executable.run({&*input});
    ASSERT_TRUE(results.isOk()) << results.status().toString();
    EXPECT_EQ((*results)[0].data<float>()[3], 8.0f);
  }

  std::unique_ptr<FakeHipControl> fakeControl;
  std::unique_ptr<HipDriver> driver;
  std::unique_ptr<GpuHostBackend> backend;
};

class GpuDeviceTest : public FakeHipDevice {
protected:
  const char *library() const override { return VMGPU_FAKE_HIP; }
};

TEST_F(GpuDeviceTest, OneStreamForEveryRunAndOneWaitPerRun) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk()) << device.status().toString();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  for (int run = 0; run < 3; ++run)
    runOnce(**executable);
  EXPECT_EQ(calls("hipStreamCreateWithFlags"), 1);
  EXPECT_EQ(calls("hipStreamDestroy"), 0);
  EXPECT_EQ(calls("hipStreamSynchronize"), 3);
  EXPECT_EQ(calls("hipDeviceSynchronize"), 0);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 3);
  // The host code asks for its kernel before every launch; the device
  // looked it up once.
  EXPECT_EQ(calls("hipModuleGetFunction"), 1);
  executable->reset();
  device->reset();
  EXPECT_EQ(calls("hipStreamDestroy"), 1);
  EXPECT_EQ(calls("hipMemPoolDestroy"), 1);
}

TEST_F(GpuDeviceTest, PoolMakesNoDriverAllocationAfterTheFirstRun) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk()) << device.status().toString();
  EXPECT_EQ(calls("hipMemPoolCreate"), 1);
  EXPECT_EQ(calls("hipMemPoolSetAttribute"), 1); // the release threshold
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  runOnce(**executable);
  DeviceMemoryStats first = (*device)->memoryStats();
  EXPECT_EQ(first.driverAllocations, 2u); // the input's copy, the result
  EXPECT_EQ(first.allocations, 2u);
  EXPECT_EQ(first.frees, 2u);
  EXPECT_EQ(first.bytesInUse, 0u);
  EXPECT_EQ(first.peakBytesInUse, 32u);
  EXPECT_EQ(first.hostToDeviceBytes, 16u);
  EXPECT_EQ(first.deviceToHostBytes, 16u);
  for (int run = 0; run < 5; ++run)
    runOnce(**executable);
  DeviceMemoryStats steady = (*device)->memoryStats();
  EXPECT_EQ(steady.driverAllocations, 2u);
  EXPECT_EQ(steady.allocations, 12u);
  EXPECT_EQ(steady.frees, 12u);
  EXPECT_EQ(calls("hipMalloc"), 0);
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), 12);
  EXPECT_EQ(calls("hipFreeAsync"), 12);
}

TEST_F(GpuDeviceTest, OrdinalSelectsTheDevice) {
  StatusOr<std::unique_ptr<GpuDevice>> second =
      GpuDevice::create(*backend, "rocm", 1);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  EXPECT_EQ((*second)->name(), "rocm:1");
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **second);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  // Another device current on this thread in between: the run makes its
  // own current again.
  ASSERT_TRUE(backend->makeCurrent(0).isOk());
  runOnce(**executable);
  for (const char *call : {"hipStreamCreateWithFlags", "hipMemPoolCreate",
                           "hipModuleLoadData", "hipModuleLaunchKernel",
                           "hipMallocFromPoolAsync", "hipStreamSynchronize"})
    EXPECT_EQ(fake().lastDevice(call), 1) << call;

  StatusOr<std::unique_ptr<GpuDevice>> missing =
      GpuDevice::create(*backend, "rocm", 2);
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::Unavailable);
  EXPECT_EQ(missing.status().message(), "no device rocm:2 (found 2)");
  EXPECT_EQ(NativeExecutable::load(fakeRocmBlock(), **second).isOk(), true);
}

TEST_F(GpuDeviceTest, ArtifactOfAnotherTargetIsRefused) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  Artifact artifact = fakeRocmBlock();
  artifact.target = "cuda";
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, **device);
  ASSERT_FALSE(executable.isOk());
  EXPECT_EQ(executable.status().code(), StatusCode::InvalidArgument);
}

TEST_F(GpuDeviceTest, PageableCopiesGoThroughTheStagingRing) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  // Three chunks and a bit: both slots are reused.
  size_t bytes = 3 * kStagingChunkBytes + 4096;
  std::vector<uint32_t> host(bytes / 4);
  std::iota(host.begin(), host.end(), 0u);
  StatusOr<void *> buffer = (*device)->allocate(bytes);
  ASSERT_TRUE(buffer.isOk());
  ASSERT_TRUE((*device)->copyToDevice(*buffer, host.data(), bytes).isOk());
  std::vector<uint32_t> back(host.size(), 7);
  ASSERT_TRUE((*device)->copyToHost(back.data(), *buffer, bytes).isOk());
  ASSERT_TRUE((*device)->synchronize().isOk());
  EXPECT_EQ(back, host);
  DeviceMemoryStats stats = (*device)->memoryStats();
  EXPECT_EQ(stats.stagedCopies, 2u);
  EXPECT_EQ(stats.pinnedBytes, 2 * kStagingChunkBytes);
  EXPECT_EQ(stats.hostToDeviceBytes, bytes);
  EXPECT_EQ(stats.deviceToHostBytes, bytes);
  // The ring is allocated once; four chunks each way.
  EXPECT_EQ(calls("hipHostMalloc"), 2);
  EXPECT_EQ(calls("hipMemcpyAsync"), 8);
  EXPECT_EQ(calls("hipEventRecord"), 8);
  // Small copies skip the ring: the driver stages them for less.
  ASSERT_TRUE((*device)->copyToDevice(*buffer, host.data(), 1024).isOk());
  EXPECT_EQ((*device)->memoryStats().stagedCopies, 2u);
  EXPECT_TRUE((*device)->free(*buffer));
  EXPECT_FALSE((*device)->free(*buffer));
}

TEST_F(GpuDeviceTest, PinnedHostMemoryIsCopiedDirectly) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  size_t bytes = 2 * kStagingChunkBytes;
  StatusOr<void *> pinned = (*device)->allocatePinned(bytes);
  ASSERT_TRUE(pinned.isOk());
  EXPECT_TRUE((*device)->isPinned(*pinned, bytes));
  EXPECT_TRUE(
      (*device)->isPinned(static_cast<char *>(*pinned) + 16, bytes - 16));
  EXPECT_FALSE((*device)->isPinned(*pinned, bytes + 1));
  EXPECT_EQ((*device)->memoryStats().pinnedBytes, bytes);
  std::memset(*pinned, 0x5a, bytes);
  StatusOr<void *> buffer = (*device)->allocate(bytes);
  ASSERT_TRUE(buffer.isOk());
  ASSERT_TRUE((*device)->copyToDevice(*buffer, *pinned, bytes).isOk());
  ASSERT_TRUE((*device)->copyToHost(*pinned, *buffer, bytes).isOk());
  EXPECT_EQ((*device)->memoryStats().stagedCopies, 0u);
  EXPECT_EQ(calls("hipMemcpyAsync"), 2);
  EXPECT_EQ(calls("hipHostMalloc"), 1);
  EXPECT_TRUE((*device)->freePinned(*pinned));
  EXPECT_FALSE((*device)->freePinned(*pinned));
  // Kept for the next buffer of that size: still page-locked, not pinned
  // as far as copies are concerned, handed out again without the driver.
  EXPECT_EQ((*device)->memoryStats().pinnedBytes, bytes);
  EXPECT_FALSE((*device)->isPinned(*pinned, bytes));
  EXPECT_EQ(calls("hipHostFree"), 0);
  StatusOr<void *> again = (*device)->allocatePinned(bytes);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*again, *pinned);
  EXPECT_TRUE((*device)->isPinned(*again, bytes));
  EXPECT_EQ(calls("hipHostMalloc"), 1);
  // Another size is a new buffer; small buffers are not kept.
  StatusOr<void *> small = (*device)->allocatePinned(4096);
  ASSERT_TRUE(small.isOk());
  EXPECT_EQ(calls("hipHostMalloc"), 2);
  EXPECT_TRUE((*device)->freePinned(*small));
  EXPECT_EQ(calls("hipHostFree"), 1);
  EXPECT_TRUE((*device)->freePinned(*again));
  EXPECT_TRUE((*device)->free(*buffer));
  device->reset();
  // The kept buffer goes back to the driver with the device.
  EXPECT_EQ(calls("hipHostFree"), 2);
}

TEST_F(GpuDeviceTest, ConstantsAreUploadedOncePerLoadedExecutable) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  Artifact artifact = fakeRocmBlock(VMGPU_FAKE_GPU_BLOCK_CONSTANT);
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(artifact, **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  for (int run = 0; run < 4; ++run)
    runOnce(**executable);
  DeviceMemoryStats stats = (*device)->memoryStats();
  EXPECT_EQ(stats.constantUploads, 1u);
  EXPECT_EQ(stats.constantBytes, 16u);
  // Per run: the input in, the result out; plus the one upload.
  EXPECT_EQ(stats.hostToDeviceBytes, 4 * 16u + 16u);
  EXPECT_EQ(calls("hipMemcpyAsync"), 4 * 2 + 1);
  // The copy stays with the executable ...
  EXPECT_EQ(stats.bytesInUse, 16u);
  // ... and a second load of the same block has its own.
  StatusOr<std::unique_ptr<NativeExecutable>> second =
      NativeExecutable::load(artifact, **device);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  runOnce(**second);
  runOnce(**executable);
  EXPECT_EQ((*device)->memoryStats().constantUploads, 2u);
  second->reset();
  executable->reset();
  EXPECT_EQ((*device)->memoryStats().bytesInUse, 0u);
}

TEST_F(GpuDeviceTest, ConstantsOutsideABlockRunStayOnTheHost) {
  // The memory-bound and shape-check functions run outside block runs.
  static const int table[3] = {1, 2, 3};
  EXPECT_EQ(vmgpuDeviceConstant(table, sizeof(table)), table);
  EXPECT_TRUE(takeGpuHostCallError().isOk());
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  DeviceConstants constants(**device);
  {
    DeviceConstantsScope scope(&constants);
    void *copy = vmgpuDeviceConstant(table, sizeof(table));
    ASSERT_NE(copy, nullptr);
    EXPECT_NE(copy, static_cast<const void *>(table));
    EXPECT_EQ(std::memcmp(copy, table, sizeof(table)), 0);
    EXPECT_EQ(vmgpuDeviceConstant(table, sizeof(table)), copy);
    // The same address with another size is a broken block: an error, no
    // pointer.
    EXPECT_EQ(vmgpuDeviceConstant(table, 4), nullptr);
    Status error = takeGpuHostCallError();
    EXPECT_EQ(error.code(), StatusCode::InvalidArgument);
    EXPECT_EQ(vmgpuDeviceConstant(table, -1), nullptr);
    EXPECT_EQ(takeGpuHostCallError().code(), StatusCode::Internal);
  }
  EXPECT_EQ(constants.size(), 1u);
  EXPECT_EQ((*device)->memoryStats().constantUploads, 1u);
}

/// Runs `executable` `runs` times on each of `threads` threads at once and
/// returns the stream each thread's work went to; every result is checked.
std::vector<void *> runOnThreads(GpuDevice &device,
                                 const NativeExecutable &executable,
                                 int threads, int runs) {
  std::vector<void *> streams(threads, nullptr);
  std::vector<int> wrong(threads, 0);
  std::vector<std::thread> workers;
  for (int thread = 0; thread < threads; ++thread)
    workers.emplace_back([&, thread] {
      for (int run = 0; run < runs; ++run) {
        float base = float(thread * 1000 + run);
        HostTensor input =
            HostTensor::fromVector<float>(ElementType::F32, {4},
                                          {base, base + 1, base + 2, base + 3})
                .value();
        StatusOr<std::vector<HostTensor>> results = executable.run({&input});
        if (!results.isOk() || (*results)[0].data<float>()[0] != 2 * base ||
            (*results)[0].data<float>()[3] != 2 * (base + 3))
          ++wrong[thread];
      }
      streams[thread] = device.stream();
    });
  for (std::thread &worker : workers)
    worker.join();
  for (int thread = 0; thread < threads; ++thread)
    EXPECT_EQ(wrong[thread], 0) << "thread " << thread;
  return streams;
}

TEST_F(GpuDeviceTest, ThreadsRunBlocksConcurrentlyEachOnItsOwnStream) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(VMGPU_FAKE_GPU_BLOCK_CONSTANT),
                             **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  constexpr int kThreads = 4, kRuns = 25;
  std::vector<void *> streams =
      runOnThreads(**device, **executable, kThreads, kRuns);
  // The device's first stream went to the first thread; the others made
  // their own, once each.
  EXPECT_EQ(std::set<void *>(streams.begin(), streams.end()).size(),
            size_t(kThreads));
  EXPECT_EQ((*device)->streamCount(), size_t(kThreads));
  EXPECT_EQ(calls("hipStreamCreateWithFlags"), kThreads);
  // One wait per run, each on its thread's stream; never the whole device.
  EXPECT_EQ(calls("hipStreamSynchronize"), kThreads * kRuns);
  EXPECT_EQ(calls("hipDeviceSynchronize"), 0);
  // The pool's bookkeeping holds across threads: every buffer came back
  // but the constant, uploaded once for all threads.
  DeviceMemoryStats stats = (*device)->memoryStats();
  EXPECT_EQ(stats.allocations, stats.frees + 1);
  EXPECT_EQ(stats.bytesInUse, 16u);
  EXPECT_EQ(stats.constantUploads, 1u);
  // New threads get new streams (up to the cap).
  runOnThreads(**device, **executable, 2, 3);
  EXPECT_EQ((*device)->streamCount(), size_t(kThreads + 2));
  // Unloading frees the constant's copy on this thread's stream: a
  // seventh one. Every stream goes with the device.
  executable->reset();
  EXPECT_EQ((*device)->streamCount(), size_t(kThreads + 3));
  device->reset();
  EXPECT_EQ(calls("hipStreamDestroy"), kThreads + 3);
}

TEST_F(GpuDeviceTest, StreamsAreCappedAndThenShared) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  std::vector<void *> streams(kMaxStreamsPerDevice + 3);
  for (size_t i = 0; i < streams.size(); ++i)
    std::thread([&, i] { streams[i] = (*device)->stream(); }).join();
  EXPECT_EQ((*device)->streamCount(), kMaxStreamsPerDevice);
  EXPECT_EQ(std::set<void *>(streams.begin(), streams.end()).size(),
            kMaxStreamsPerDevice);
  // A thread asks once; later calls answer from its cache.
  void *mine = (*device)->stream();
  EXPECT_EQ((*device)->stream(), mine);
  EXPECT_EQ(calls("hipStreamCreateWithFlags"), int(kMaxStreamsPerDevice));
}

TEST(CachedHostTensorTest, BuffersAreReusedNotFaultedInAgain) {
  // Large enough for the cache (64 KiB and up).
  StatusOr<HostTensor> first =
      createCachedHostTensor(ElementType::F32, {1 << 18});
  ASSERT_TRUE(first.isOk()) << first.status().toString();
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first->bytes()) %
                HostTensor::kAlignment,
            0u);
  const std::byte *address = first->bytes();
  *first = HostTensor();
  StatusOr<HostTensor> second =
      createCachedHostTensor(ElementType::F32, {512, 512});
  ASSERT_TRUE(second.isOk());
  EXPECT_EQ(second->bytes(), address);
  // Empty and oversized shapes are handled like any tensor's.
  EXPECT_TRUE(createCachedHostTensor(ElementType::F32, {0, 7}).isOk());
  EXPECT_EQ(createCachedHostTensor(ElementType::F32, {int64_t(1) << 61})
                .status()
                .code(),
            StatusCode::ResourceExhausted);
}

TEST_F(GpuDeviceTest, HostResultsFollowTheInputsMemory) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  // Pageable input: a pageable result (the host cache), not pinned.
  StatusOr<HostTensor> pageable = HostTensor::fromVector<float>(
      ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
  ASSERT_TRUE(pageable.isOk());
  StatusOr<std::vector<HostTensor>> results = (*executable)->run({&*pageable});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ((*results)[0].owner(), nullptr);
  EXPECT_FALSE((*device)->isPinned((*results)[0].bytes(), 16));
  // Pinned input: the result is pinned too (the device's pinned owner).
  StatusOr<HostTensor> pinned =
      allocatePinnedTensor(**device, ElementType::F32, {4});
  ASSERT_TRUE(pinned.isOk());
  std::memcpy(pinned->bytes(), pageable->bytes(), 16);
  results = (*executable)->run({&*pinned});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  EXPECT_EQ((*results)[0].owner(), (*device)->pinnedOwner());
  EXPECT_TRUE((*device)->isPinned((*results)[0].bytes(), 16));
  EXPECT_EQ((*results)[0].data<float>()[3], 8.0f);
  EXPECT_EQ((*device)->memoryStats().stagedCopies, 0u);
}

TEST_F(GpuDeviceTest, BuffersOfOtherDevicesAreLeftAlone) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk());
  int local = 0;
  EXPECT_FALSE((*device)->owns(&local));
  EXPECT_FALSE((*device)->free(&local));
  EXPECT_FALSE((*device)->freePinned(&local));
}

TEST_F(GpuDeviceTest, ABlockForACpuWithMoreFeaturesIsNotLoaded) {
  // Host code compiled where AVX-512 (say) exists would die of SIGILL on a
  // CPU without it: such an artifact is refused before it is loaded.
  std::optional<std::string> lacking, having;
  for (const char *feature :
       {"avx512fp16", "amxbf16", "avx512vnni", "avx512bf16", "avx512f",
        "avxvnni", "gfni", "avx2", "sse4.2"}) {
    std::optional<bool> present = hostCpuHasFeature(feature);
    if (present && !*present && !lacking)
      lacking = feature;
    if (present && *present && !having)
      having = feature;
  }
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk()) << device.status().toString();
  Artifact artifact = fakeRocmBlock();
  // Names the runtime cannot check count as present.
  artifact.hostFeatures = {"no-such-feature"};
  if (having)
    artifact.hostFeatures.push_back(*having);
  EXPECT_TRUE(NativeExecutable::load(artifact, **device).isOk());
  if (!lacking)
    GTEST_SKIP() << "this CPU has every feature the test could ask for";
  artifact.hostFeatures.push_back(*lacking);
  StatusOr<std::unique_ptr<NativeExecutable>> refused =
      NativeExecutable::load(artifact, **device);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), StatusCode::FailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "the block's host code was compiled for a CPU with " + *lacking +
                ", which this CPU lacks: compile it on this machine");
  EXPECT_EQ(calls("hipModuleLoadData"), 1);
}

TEST_F(GpuDeviceTest, TensorsAndBlocksAreReleasedOnTheirOwnDevice) {
  // A JIT thread that used rocm:1 and then rocm:0 drops a tensor and a
  // block of rocm:1: the buffer goes back to rocm:1's pool and the module
  // is unloaded there, whatever device the thread has current.
  StatusOr<std::unique_ptr<GpuDevice>> second =
      GpuDevice::create(*backend, "rocm", 1);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  StatusOr<HostTensor> tensor =
      allocateDeviceTensor(**second, ElementType::F32, {4});
  ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **second);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  std::thread([&] {
    (void)(*second)->stream();
    ASSERT_TRUE(backend->makeCurrent(0).isOk());
    uintptr_t mine = backend->currentToken();
    { HostTensor dropped = std::move(*tensor); }
    EXPECT_EQ(fake().lastDevice("hipFreeAsync"), 1);
    // ... and the thread has its own device back.
    EXPECT_EQ(backend->currentToken(), mine);
    executable->reset();
    EXPECT_EQ(fake().lastDevice("hipModuleUnload"), 1);
    EXPECT_EQ(backend->currentToken(), mine);
  }).join();
  EXPECT_EQ((*second)->memoryStats().bytesInUse, 0u);
}

TEST_F(GpuDeviceTest, CallsGiveTheThreadItsOwnDeviceBack) {
  // A JIT thread with rocm:0 current runs, copies and drops on rocm:1: every
  // call works on rocm:1 and leaves rocm:0 current, as the JIT had it.
  StatusOr<std::unique_ptr<GpuDevice>> second =
      GpuDevice::create(*backend, "rocm", 1);
  ASSERT_TRUE(second.isOk()) << second.status().toString();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **second);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  std::thread([&] {
    ASSERT_TRUE(backend->makeCurrent(0).isOk());
    uintptr_t mine = backend->currentToken();
    ASSERT_NE(mine, 0u);
    runOnce(**executable);
    EXPECT_EQ(fake().lastDevice("hipModuleLaunchKernel"), 1);
    EXPECT_EQ(backend->currentToken(), mine);
    StatusOr<HostTensor> input = HostTensor::fromVector<float>(
        ElementType::F32, {4}, {1.0f, 2.0f, 3.0f, 4.0f});
    ASSERT_TRUE(input.isOk());
    StatusOr<HostTensor> onDevice = copyTensorToDevice(**second, *input);
    ASSERT_TRUE(onDevice.isOk()) << onDevice.status().toString();
    EXPECT_EQ(backend->currentToken(), mine);
    StatusOr<HostTensor> back = copyTensorToHost(*onDevice);
    ASSERT_TRUE(back.isOk()) << back.status().toString();
    EXPECT_EQ(back->data<float>()[3], 4.0f);
    EXPECT_EQ(backend->currentToken(), mine);
    { HostTensor dropped = std::move(*onDevice); }
    EXPECT_EQ(fake().lastDevice("hipFreeAsync"), 1);
    EXPECT_EQ(backend->currentToken(), mine);
  }).join();
  // A thread that has rocm:1 current keeps it.
  std::thread([&] {
    ASSERT_TRUE(backend->makeCurrent(1).isOk());
    uintptr_t mine = backend->currentToken();
    runOnce(**executable);
    EXPECT_EQ(backend->currentToken(), mine);
  }).join();
}

TEST(GpuDeviceSizeClassTest, RoundsUpByAtMostAQuarter) {
  EXPECT_EQ(deviceSizeClass(0), 256u);
  EXPECT_EQ(deviceSizeClass(256), 256u);
  EXPECT_EQ(deviceSizeClass(257), 320u);
  EXPECT_EQ(deviceSizeClass(1024), 1024u);
  EXPECT_EQ(deviceSizeClass(1025), 1280u);
  EXPECT_EQ(deviceSizeClass((size_t(1) << 20) + 1), (size_t(5) << 18));
  for (size_t bytes : {300u, 5000u, 123457u, 98765432u}) {
    EXPECT_GE(deviceSizeClass(bytes), bytes);
    EXPECT_LE(deviceSizeClass(bytes), bytes + bytes / 4);
  }
}

/// The same fake without memory pools: the device keeps freed buffers in
/// its own size-class cache.
class GpuDeviceWithoutPoolsTest : public FakeHipDevice {
protected:
  const char *library() const override { return VMGPU_FAKE_HIP_NO_POOLS; }
};

TEST_F(GpuDeviceWithoutPoolsTest,
       CacheMakesNoDriverAllocationAfterTheFirstRun) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk()) << device.status().toString();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  runOnce(**executable);
  EXPECT_EQ(calls("hipMalloc"), 2);
  for (int run = 0; run < 4; ++run)
    runOnce(**executable);
  EXPECT_EQ(calls("hipMalloc"), 2);
  EXPECT_EQ(calls("hipFree"), 0);
  EXPECT_EQ((*device)->memoryStats().driverAllocations, 2u);
  EXPECT_EQ((*device)->memoryStats().allocations, 10u);
  executable->reset();
  device->reset();
  // The cache goes back to the driver with the device.
  EXPECT_EQ(calls("hipFree"), 2);
}

TEST_F(GpuDeviceWithoutPoolsTest, EachStreamReusesOnlyItsOwnBuffers) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(device.isOk()) << device.status().toString();
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(fakeRocmBlock(), **device);
  ASSERT_TRUE(executable.isOk()) << executable.status().toString();
  runOnThreads(**device, **executable, 3, 4);
  // Each thread's stream took its two buffers from the driver once and
  // reused them; no stream took another's (work on it may still run).
  EXPECT_EQ(calls("hipMalloc"), 3 * 2);
  EXPECT_EQ((*device)->memoryStats().driverAllocations, 6u);
}

} // namespace

namespace {

TEST_F(GpuDeviceTest, DeviceTensorsRoundTripThroughDLPack) {
  StatusOr<std::unique_ptr<GpuDevice>> device =
      GpuDevice::create(*backend, "rocm", 1);
  ASSERT_TRUE(device.isOk());
  HostTensor host = HostTensor::fromVector<float>(ElementType::F32, {2, 2},
                                                  {1.0f, 2.0f, 3.0f, 4.0f})
                        .value();
  StatusOr<HostTensor> resident = copyTensorToDevice(**device, host);
  ASSERT_TRUE(resident.isOk()) << resident.status().toString();
  const std::byte *address = resident->bytes();
  int waits = calls("hipStreamSynchronize");
  StatusOr<DLManagedTensor *> exported =
      exportToDLPack(std::move(resident).value());
  ASSERT_TRUE(exported.isOk()) << exported.status().toString();
  // The consumer gets finished data: the export waited for the stream.
  EXPECT_EQ(calls("hipStreamSynchronize"), waits + 1);
  DLTensor &tensor = (*exported)->dl_tensor;
  EXPECT_EQ(tensor.device.device_type, kDLROCM);
  EXPECT_EQ(tensor.device.device_id, 1);
  EXPECT_EQ(tensor.data, address);
  EXPECT_EQ((*device)->memoryStats().bytesInUse, 16u);

  // Imported on the wrong device: refused, and released.
  StatusOr<std::unique_ptr<GpuDevice>> other =
      GpuDevice::create(*backend, "rocm", 0);
  ASSERT_TRUE(other.isOk());
  DLManagedTensor copy = **exported;
  bool released = false;
  copy.manager_ctx = &released;
  copy.deleter = [](DLManagedTensor *self) {
    *static_cast<bool *>(self->manager_ctx) = true;
  };
  StatusOr<HostTensor> refused =
      importFromDLPack(&copy, std::nullopt, other->get());
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().message(),
            "DLPack: the tensor is on rocm:1, not rocm:0");
  EXPECT_TRUE(released);

  // Back on its device: the same memory, device-resident, no copy.
  StatusOr<HostTensor> back =
      importFromDLPack(*exported, std::nullopt, device->get());
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back->bytes(), address);
  EXPECT_EQ(tensorDevice(*back), device->get());
  StatusOr<HostTensor> read = copyTensorToHost(*back);
  ASSERT_TRUE(read.isOk());
  EXPECT_TRUE(read->bitwiseEqual(host));
  // Destroying it runs the exporter's deleter: the buffer goes back.
  *back = HostTensor();
  EXPECT_EQ((*device)->memoryStats().bytesInUse, 0u);
}

} // namespace
