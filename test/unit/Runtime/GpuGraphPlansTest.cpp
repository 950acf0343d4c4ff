//===- GpuGraphPlansTest.cpp - graph replay of GPU blocks over a fake HIP -===//
//
// The fake HIP runs the kernels of FakeGpuBlock's FAKE_GPU_BLOCK_KERNELS
// build on the host, at launch or when a graph holding them is launched
// (with the parameters of the capture), so a replay that kept a stale
// address or skipped a kernel shows in the results.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/GpuGraphPlans.h"
#include "FakeGpuBlockArtifact.h"
#include "FakeHipControl.h"
#include "FakeHipStack.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/NativeExecutable.h"

#include <gtest/gtest.h>

#include <optional>
#include <thread>

using namespace vmgpu::runtime;
using vmgpu::test::FakeHipControl;
using vmgpu::test::FakeHipStack;
using vmgpu::test::fakeRocmBlock;

namespace {

class GpuGraphPlansTest : public ::testing::Test {
protected:
  void SetUp() override {
    control = std::make_unique<FakeHipControl>(VMGPU_FAKE_HIP);
    ASSERT_TRUE(control->handle);
    ASSERT_TRUE(stack.load(VMGPU_FAKE_HIP).isOk());
    (void)takeGpuHostCallError();
  }
  void TearDown() override {
    executable.reset();
    stack.device.reset();
  }
  int calls(const char *call) { return control->callCount(call); }

  /// Loads the block of `path` with a dynamic input length.
  void load(const char *path = VMGPU_FAKE_GPU_BLOCK_KERNELS) {
    Artifact artifact = fakeRocmBlock(path);
    artifact.signature.arguments[0].shape = {ValueSignature::kDynamic};
    artifact.signature.results[0].shape = {ValueSignature::kDynamic};
    StatusOr<std::unique_ptr<NativeExecutable>> loaded =
        NativeExecutable::load(artifact, *stack.device);
    ASSERT_TRUE(loaded.isOk()) << loaded.status().toString();
    executable = std::move(loaded).value();
  }

  /// Runs the block on `length` values from `first` on (host or device
  /// input) with graphs on; checks the doubled result; returns it.
  HostTensor run(float first, int64_t length = 4, bool keepOnDevice = false,
                 const HostTensor *deviceInput = nullptr) {
    std::vector<float> values(length);
    for (int64_t i = 0; i < length; ++i)
      values[i] = first + float(i);
    HostTensor input =
        HostTensor::fromVector<float>(ElementType::F32, {length}, values)
            .value();
    NativeExecutable::RunOptions options;
    options.graphs = true;
    options.keepResultsOnDevice = keepOnDevice;
    StatusOr<std::vector<HostTensor>> results =
        executable->run({deviceInput ? deviceInput : &input}, options);
    EXPECT_TRUE(results.isOk()) << results.status().toString();
    if (!results.isOk())
      return input;
    HostTensor result = std::move((*results)[0]);
    if (deviceInput)
      return result;
    const HostTensor *view = &result;
    std::optional<HostTensor> copy;
    if (tensorDevice(result)) {
      StatusOr<HostTensor> copied = copyTensorToHost(result);
      EXPECT_TRUE(copied.isOk());
      if (!copied.isOk())
        return result;
      copy = std::move(copied).value();
      view = &*copy;
    }
    for (int64_t i = 0; i < length; ++i)
      EXPECT_EQ(view->data<float>()[i], 2 * values[i]) << "element " << i;
    return result;
  }

  std::unique_ptr<FakeHipControl> control;
  FakeHipStack stack;
  std::unique_ptr<NativeExecutable> executable;
};

GpuGraphCounters since(const GpuGraphCounters &before) {
  GpuGraphCounters now = gpuGraphCounters();
  return {now.captures - before.captures,
          now.instantiations - before.instantiations,
          now.launches - before.launches, now.replays - before.replays,
          now.refusals - before.refusals};
}

TEST_F(GpuGraphPlansTest, RecordsThenCapturesThenReplaysWithoutTheHostCode) {
  load();
  GpuGraphCounters before = gpuGraphCounters();
  run(1.0f); // recorded: two plain launches
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 2);
  EXPECT_EQ(calls("hipStreamBeginCapture"), 0);
  run(10.0f); // captured, instantiated, launched
  EXPECT_EQ(calls("hipStreamBeginCapture"), 1);
  EXPECT_EQ(calls("hipGraphInstantiate"), 1);
  EXPECT_EQ(calls("hipGraphLaunch"), 1);
  int allocations = calls("hipMallocFromPoolAsync");
  // New data, same shape: the input goes to the plan's buffer and the graph
  // runs again; the host code does not (no launch, no capture).
  run(100.0f);
  run(-7.5f);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 4);
  EXPECT_EQ(calls("hipStreamBeginCapture"), 1);
  EXPECT_EQ(calls("hipGraphLaunch"), 3);
  EXPECT_EQ(calls("hipMallocFromPoolAsync"), allocations);
  // The plan holds its buffers (the input's copy, the temporary, the
  // result) and nothing else is left over.
  EXPECT_EQ(stack.device->memoryStats().bytesInUse, 3 * 16u);
  GpuGraphCounters counted = since(before);
  EXPECT_EQ(counted.captures, 1u);
  EXPECT_EQ(counted.instantiations, 1u);
  EXPECT_EQ(counted.launches, 3u);
  EXPECT_EQ(counted.replays, 2u);
  EXPECT_EQ(counted.refusals, 0u);
  // Unloading gives the plan's buffers back.
  executable.reset();
  EXPECT_EQ(stack.device->memoryStats().bytesInUse, 0u);
  EXPECT_EQ(calls("hipGraphExecDestroy"), 1);
}

TEST_F(GpuGraphPlansTest, EachShapeHasItsOwnPlan) {
  load();
  GpuGraphCounters before = gpuGraphCounters();
  for (int64_t length : {4, 9, 4, 9, 4, 9})
    run(float(length), length);
  GpuGraphCounters counted = since(before);
  // Per shape: a record, a capture, a replay.
  EXPECT_EQ(counted.captures, 2u);
  EXPECT_EQ(counted.instantiations, 2u);
  EXPECT_EQ(counted.replays, 2u);
}

TEST_F(GpuGraphPlansTest, DeviceResidentChainsUpdateTheGraphInPlace) {
  load();
  GpuGraphCounters before = gpuGraphCounters();
  HostTensor first = run(1.0f, 4, /*keepOnDevice=*/true); // recorded
  ASSERT_EQ(first.owner(), stack.device.get());
  // The kept result takes the plan's buffer: each run captures again with
  // the next input and a new result buffer, and updates the executable
  // graph (same kernels) instead of making another.
  HostTensor chained = std::move(first);
  float expected[4] = {2, 4, 6, 8};
  for (int step = 0; step < 3; ++step) {
    HostTensor next = run(0.0f, 4, /*keepOnDevice=*/true, &chained);
    ASSERT_EQ(next.owner(), stack.device.get());
    chained = std::move(next);
    for (float &value : expected)
      value *= 2;
    StatusOr<HostTensor> host = copyTensorToHost(chained);
    ASSERT_TRUE(host.isOk());
    for (int i = 0; i < 4; ++i)
      EXPECT_EQ(host->data<float>()[i], expected[i]) << "step " << step;
  }
  GpuGraphCounters counted = since(before);
  // The first run of the device-resident key records; the next two capture.
  EXPECT_EQ(counted.captures, 2u);
  EXPECT_EQ(counted.instantiations, 1u);
  EXPECT_EQ(calls("hipGraphExecUpdate"), 1);
  EXPECT_EQ(counted.replays, 0u);
}

TEST_F(GpuGraphPlansTest, AFailedCaptureRunsTheBlockWithoutAGraph) {
  load();
  run(1.0f);
  control->setError("hipStreamEndCapture", 999);
  GpuGraphCounters before = gpuGraphCounters();
  // Each capture fails and the host code runs again, plainly; a failure
  // that may pass is tried kMaxGraphFailures times, then the key is
  // refused: plain from then on.
  for (int i = 0; i < kMaxGraphFailures + 1; ++i)
    run(2.0f + float(i));
  GpuGraphCounters counted = since(before);
  EXPECT_EQ(counted.refusals, 1u);
  EXPECT_EQ(counted.launches, 0u);
  EXPECT_EQ(calls("hipStreamBeginCapture"), kMaxGraphFailures);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 2 + kMaxGraphFailures * 4 + 2);
  // The failed runs gave the plan's buffers back.
  EXPECT_EQ(stack.device->memoryStats().bytesInUse, 0u);
}

TEST_F(GpuGraphPlansTest, ACaptureThatFailedOnceIsTriedAgain) {
  load();
  run(1.0f);
  control->setError("hipStreamEndCapture", 999);
  run(2.0f);
  control->setError("hipStreamEndCapture", 0);
  GpuGraphCounters before = gpuGraphCounters();
  run(3.0f); // captured
  run(4.0f); // replayed
  GpuGraphCounters counted = since(before);
  EXPECT_EQ(counted.captures, 1u);
  EXPECT_EQ(counted.replays, 1u);
  EXPECT_EQ(counted.refusals, 0u);
}

TEST_F(GpuGraphPlansTest, AnAllocationUnlikeTheRecordRefusesTheKey) {
  GpuGraphPlans plans(*stack.device);
  GpuDeviceScope scope(stack.device.get());
  auto allocate = [](size_t bytes) {
    _mlir_memref_to_llvm_free(_mlir_memref_to_llvm_alloc(bytes));
  };
  GpuGraphCounters before = gpuGraphCounters();
  {
    std::unique_ptr<GpuGraphRun> record = plans.begin({1});
    ASSERT_EQ(record->mode(), GpuGraphRun::Mode::Record);
    {
      GpuHostCallHookScope hook(record->recordingHook());
      allocate(16);
    }
    record->finishRecording(okStatus());
  }
  int entries = 0;
  {
    std::unique_ptr<GpuGraphRun> capture = plans.begin({1});
    ASSERT_EQ(capture->mode(), GpuGraphRun::Mode::Graph);
    std::vector<int64_t> results;
    Status ran = capture->execute(
        {7},
        [&] {
          ++entries;
          allocate(32);
        },
        results);
    EXPECT_TRUE(ran.isOk()) << ran.toString();
    EXPECT_TRUE(takeGpuHostCallError().isOk());
  }
  // The capture, then the run without a graph; refused at once.
  EXPECT_EQ(entries, 2);
  EXPECT_EQ(since(before).refusals, 1u);
  EXPECT_EQ(plans.begin({1})->mode(), GpuGraphRun::Mode::None);
}

TEST_F(GpuGraphPlansTest, AnUncapturableCallRefusesTheKeyAtOnce) {
  GpuGraphPlans plans(*stack.device);
  GpuGraphCounters before = gpuGraphCounters();
  {
    std::unique_ptr<GpuGraphRun> record = plans.begin({2});
    ASSERT_EQ(record->mode(), GpuGraphRun::Mode::Record);
    {
      GpuHostCallHookScope hook(record->recordingHook());
      noteUncapturableGpuHostCall("a test call");
    }
    record->finishRecording(okStatus());
  }
  EXPECT_EQ(since(before).refusals, 1u);
  EXPECT_EQ(plans.begin({2})->mode(), GpuGraphRun::Mode::None);
}

TEST_F(GpuGraphPlansTest, AThreadOnASharedStreamNeverCaptures) {
  load();
  run(1.0f);
  run(2.0f); // captured on this thread's stream
  // The next thread cannot have a stream of its own and shares this one:
  // its work would land in a capture of this thread's.
  control->setError("hipStreamCreateWithFlags", 999);
  int captures = calls("hipStreamBeginCapture");
  // (Shapes not run before: a plan of the stream's would replay.)
  std::thread other([&] {
    for (int i = 0; i < 3; ++i)
      run(10.0f + float(i), 6);
  });
  other.join();
  EXPECT_EQ(calls("hipStreamBeginCapture"), captures);
  // Nor does this thread, now that its stream is shared.
  for (int i = 0; i < 3; ++i)
    run(3.0f + float(i), 7);
  EXPECT_EQ(calls("hipStreamBeginCapture"), captures);
}

TEST_F(GpuGraphPlansTest, AFailedGraphLaunchFailsTheRun) {
  load();
  run(1.0f);
  run(2.0f);
  control->setError("hipGraphLaunch", 999);
  HostTensor input =
      HostTensor::fromVector<float>(ElementType::F32, {4}, {1, 2, 3, 4})
          .value();
  NativeExecutable::RunOptions options;
  options.graphs = true;
  StatusOr<std::vector<HostTensor>> results =
      executable->run({&input}, options);
  ASSERT_FALSE(results.isOk());
  EXPECT_NE(results.status().message().find("hipGraphLaunch"),
            std::string::npos)
      << results.status().toString();
}

TEST_F(GpuGraphPlansTest, BlocksCallingTheLibraryGemmAreNotCaptured) {
  load(VMGPU_FAKE_GPU_BLOCK_LIBRARY_GEMM);
  GpuGraphCounters before = gpuGraphCounters();
  HostTensor input =
      HostTensor::fromVector<float>(ElementType::F32, {4}, {1, 2, 3, 4})
          .value();
  NativeExecutable::RunOptions options;
  options.graphs = true;
  // The fake has no cuBLASLt for a rocm device: each run fails in the
  // library call. The key is refused after the first run for the
  // uncapturable call (a failure alone is tried kMaxGraphFailures times).
  for (int i = 0; i < 2; ++i)
    EXPECT_FALSE(executable->run({&input}, options).isOk());
  EXPECT_EQ(calls("hipStreamBeginCapture"), 0);
  EXPECT_EQ(since(before).refusals, 1u);
}

TEST_F(GpuGraphPlansTest, GraphsAreOffUnlessAsked) {
  load();
  for (int i = 0; i < 3; ++i) {
    HostTensor input =
        HostTensor::fromVector<float>(ElementType::F32, {4}, {1, 2, 3, 4})
            .value();
    ASSERT_TRUE(executable->run({&input}).isOk());
  }
  EXPECT_EQ(calls("hipStreamBeginCapture"), 0);
  EXPECT_EQ(calls("hipModuleLaunchKernel"), 6);
}

} // namespace
