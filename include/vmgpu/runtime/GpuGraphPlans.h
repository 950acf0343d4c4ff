//===- GpuGraphPlans.h - a block's launches replayed as a graph -*- C++ -*-===//
//
// A GPU block's host code decides what to launch and allocates its buffers
// as it runs, so a graph of its launches is made by running it under stream
// capture. A plan is what one executable keeps per shape (the key: the
// thread's stream, each input's shape and residence, the scalar values):
//
// 1. The first run of a key runs as usual, with a hook recording the sizes
//    of the buffers the host code allocates, in order, and whether it calls
//    something a capture cannot hold (the library GEMM). The plan is made
//    from that record.
// 2. A later run of the key gives the plan stable buffers, allocated once:
//    one per allocation of the record and one per input copied from the
//    host. The host code runs under stream capture with its allocations
//    served from them; the first capture is instantiated, later ones update
//    the executable graph in place (cuGraphExecUpdate). One graph launch
//    then runs every kernel of the block.
// 3. A run whose arguments (input addresses, shapes, scalar values) are
//    those of the last capture, with no plan buffer replaced since, does
//    not run the host code at all: the executable graph is launched again
//    and the results are where they were.
//
// On anything unexpected the run goes on without a graph, with the same
// results. The key is refused (while its plan is kept) when the cause is
// the block's (an uncapturable call, a plan too big, an allocation of
// another size), after kMaxGraphFailures runs when it may pass (an
// invalidated capture, a failed instantiation or launch). Threads whose
// stream is shared never capture. See docs/runtime.md, "Graphs".
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GPUGRAPHPLANS_H
#define VMGPU_RUNTIME_GPUGRAPHPLANS_H

#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <vector>

namespace vmgpu::runtime {

/// What graph plans did in this process (all devices and executables),
/// counted since it started. Thread-safe snapshot.
struct GpuGraphCounters {
  /// Runs of the host code under stream capture.
  uint64_t captures = 0;
  /// Executable graphs made (first captures, and captures whose graph
  /// could not update the executable one).
  uint64_t instantiations = 0;
  /// Graph launches, with or without a capture in the same run.
  uint64_t launches = 0;
  /// Graph launches that did not run the host code (step 3).
  uint64_t replays = 0;
  /// Keys refused (see the file comment).
  uint64_t refusals = 0;
};
GpuGraphCounters gpuGraphCounters();

/// The most bytes of buffers one plan holds (its allocations and input
/// copies); blocks that need more are not worth a graph (their kernels take
/// far longer than their launches) and run without one.
inline constexpr uint64_t kGraphPlanMaxBytes = uint64_t(64) << 20;
/// The most plans one executable keeps per stream (thread); the least
/// recently used goes.
inline constexpr size_t kMaxGraphPlans = 8;
/// Runs of a key whose graph failed for a reason that may pass (an
/// invalidated capture, a failed instantiation or launch, a failed recorded
/// run) before the key is refused.
inline constexpr int kMaxGraphFailures = 3;

class GpuGraphPlans;

/// One run's use of a plan; made by GpuGraphPlans::begin, used by one
/// thread, and finished by its destructor.
class GpuGraphRun {
public:
  enum class Mode {
    /// No plan for this run (refused key, or a plan busy on another
    /// thread): run as usual.
    None,
    /// The first run of the key: run as usual under recordingHook().
    Record,
    /// The plan's buffers are ready: stage inputs into inputBuffer(), then
    /// execute().
    Graph,
  };
  ~GpuGraphRun();
  GpuGraphRun(const GpuGraphRun &) = delete;
  GpuGraphRun &operator=(const GpuGraphRun &) = delete;

  Mode mode() const { return mode_; }
  /// Record mode: the hook to install while the host code runs.
  GpuHostCallHook *recordingHook();
  /// Record mode: the run ended (its status); keeps the record when it
  /// succeeded.
  void finishRecording(const Status &status);

  /// For input `index`, copied from the host (or another device): in
  /// Record mode, notes its `bytes` and returns null; in Graph mode, the
  /// plan's buffer (null, and the key refused, when `bytes` is not what the
  /// record saw).
  void *inputBuffer(size_t index, size_t bytes);
  /// Graph mode: runs the block. `arguments` are the run's argument words
  /// (descriptors with their addresses, scalar bytes); `entry` runs the
  /// host code (writing `resultWords`). Replays the last capture when the
  /// arguments are the same, captures and launches otherwise; when the
  /// capture fails the plan is dropped and `entry` runs without a graph.
  /// Errors of the host code are left for takeGpuHostCallError; the status
  /// is a graph call's failure.
  Status execute(const std::vector<int64_t> &arguments,
                 const std::function<void()> &entry,
                 std::vector<int64_t> &resultWords);
  /// True when `pointer` is one of the plan's buffers (not to be freed).
  bool owns(const void *pointer) const;
  /// The caller took `pointer`, a plan buffer, as a result it keeps: the
  /// plan makes a new buffer for the next run.
  void disown(const void *pointer);

private:
  friend class GpuGraphPlans;
  struct Plan;
  class Recorder;
  class Planner;
  GpuGraphRun(GpuGraphPlans &plans, std::shared_ptr<Plan> plan, Mode mode);

  GpuGraphPlans &plans_;
  std::shared_ptr<Plan> plan_;
  Mode mode_;
  std::unique_ptr<Recorder> recorder_;
  /// The key can never have a graph (an uncapturable call, a plan too big,
  /// allocations unlike the record's): refused when the run ends.
  bool refuse_ = false;
  /// This run's graph failed for a reason that may pass: the plan's graph
  /// and buffers are dropped when the run ends (kMaxGraphFailures).
  bool failed_ = false;
};

/// The graph plans of one GPU executable on `device` (which must outlive
/// them). Thread-safety: begin() may be called from several threads; a
/// plan is used by one run at a time (a run that finds its plan busy runs
/// without a graph).
class GpuGraphPlans {
public:
  explicit GpuGraphPlans(GpuDevice &device) : device_(device) {}
  /// Waits for the plans' streams, then destroys their graphs and frees
  /// their buffers; the device must be current.
  ~GpuGraphPlans();
  GpuGraphPlans(const GpuGraphPlans &) = delete;
  GpuGraphPlans &operator=(const GpuGraphPlans &) = delete;

  /// The run's use of the plan for `key` (made by the caller: input shapes
  /// and residence, scalar values) on the calling thread's stream.
  /// Allocates the plan's buffers when it is ready for a graph; a failure
  /// there counts as a failed run.
  std::unique_ptr<GpuGraphRun> begin(std::vector<int64_t> key);

private:
  friend class GpuGraphRun;
  /// Drops `plan`'s graph and buffers (after its stream's work).
  void release(GpuGraphRun::Plan &plan);
  /// Gives `plan` back after a run (see GpuGraphRun::refuse_, failed_).
  void finish(const std::shared_ptr<GpuGraphRun::Plan> &plan, bool refuse,
              bool failed);

  GpuDevice &device_;
  std::mutex mutex_;
  /// Most recently used first.
  std::list<std::shared_ptr<GpuGraphRun::Plan>> plans_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUGRAPHPLANS_H
