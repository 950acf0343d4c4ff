//===- GpuGraphPlans.cpp - record, capture and replay a block's launches --===//

#include "vmgpu/runtime/GpuGraphPlans.h"

#include <algorithm>
#include <atomic>
#include <shared_mutex>

namespace vmgpu::runtime {
namespace {

struct Counters {
  std::atomic<uint64_t> captures{0}, instantiations{0}, launches{0}, replays{0},
      refusals{0};
};
Counters &counters() {
  static Counters instance;
  return instance;
}
void count(std::atomic<uint64_t> &counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

GpuGraphCounters gpuGraphCounters() {
  Counters &c = counters();
  auto load = [](const std::atomic<uint64_t> &value) {
    return value.load(std::memory_order_relaxed);
  };
  return {load(c.captures), load(c.instantiations), load(c.launches),
          load(c.replays), load(c.refusals)};
}

/// See the file comment of GpuGraphPlans.h. Guarded by `busy` (set and
/// cleared under GpuGraphPlans::mutex_): one run at a time touches the rest.
struct GpuGraphRun::Plan {
  std::vector<int64_t> key;
  void *stream = nullptr;
  bool busy = false;
  bool refused = false;
  bool recorded = false;
  /// Runs whose graph failed for a reason that may pass (an invalidated
  /// capture, a failed instantiation or launch, a failed recorded run).
  int failures = 0;
  /// The record: the host code's allocations in order, and the inputs
  /// copied to the device (bytes per input index; 0: used in place).
  std::vector<size_t> allocationSizes;
  std::vector<size_t> inputSizes;
  /// The plan's buffers (null until made, or after disown()).
  std::vector<void *> allocations;
  std::vector<void *> inputs;
  void *executable = nullptr;
  /// Set when a buffer was made since the last capture.
  bool buffersChanged = true;
  std::vector<int64_t> capturedArguments;
  std::vector<int64_t> capturedResults;
};

/// Record mode's hook: the sizes of the host code's allocations, and
/// whether it called something a capture cannot hold.
class GpuGraphRun::Recorder final : public GpuHostCallHook {
public:
  void *provide(size_t) override { return nullptr; }
  void allocated(void *, size_t bytes) override {
    sizes.push_back(bytes);
    bytesTotal += bytes;
  }
  bool release(void *) override { return false; }
  void uncapturable(const char *) override { refused = true; }

  std::vector<size_t> sizes;
  std::vector<size_t> inputSizes;
  uint64_t bytesTotal = 0;
  bool refused = false;
};

/// Graph mode's hook while the host code runs under capture: each
/// allocation gets the plan's buffer of the same place in the record.
class GpuGraphRun::Planner final : public GpuHostCallHook {
public:
  explicit Planner(Plan &plan) : plan_(plan) {}
  void *provide(size_t bytes) override {
    size_t index = next_++;
    if (index < plan_.allocationSizes.size() &&
        plan_.allocationSizes[index] == bytes)
      return plan_.allocations[index];
    failed_ = true;
    raiseGpuHostCallError(internalError(
        "graph capture: allocation #" + std::to_string(index) + " of " +
        std::to_string(bytes) + " bytes is not the recorded one"));
    return nullptr;
  }
  void allocated(void *, size_t) override {}
  bool release(void *pointer) override {
    return std::find(plan_.allocations.begin(), plan_.allocations.end(),
                     pointer) != plan_.allocations.end();
  }
  void uncapturable(const char *what) override {
    failed_ = true;
    raiseGpuHostCallError(internalError(std::string("graph capture: ") + what +
                                        " cannot be captured"));
  }
  bool failed() const {
    return failed_ || next_ != plan_.allocationSizes.size();
  }

private:
  Plan &plan_;
  size_t next_ = 0;
  bool failed_ = false;
};

GpuGraphRun::GpuGraphRun(GpuGraphPlans &plans, std::shared_ptr<Plan> plan,
                         Mode mode)
    : plans_(plans), plan_(std::move(plan)), mode_(mode) {
  if (mode_ == Mode::Record)
    recorder_ = std::make_unique<Recorder>();
}

GpuGraphRun::~GpuGraphRun() {
  if (!plan_)
    return;
  if (mode_ == Mode::Record && !plan_->recorded && !refuse_)
    failed_ = true;
  plans_.finish(plan_, refuse_, failed_);
}

GpuHostCallHook *GpuGraphRun::recordingHook() { return recorder_.get(); }

void GpuGraphRun::finishRecording(const Status &status) {
  if (!recorder_)
    return;
  // An uncapturable call refuses the key even in a failed run; any other
  // failure may pass (the next run records again).
  if (recorder_->refused) {
    refuse_ = true;
    return;
  }
  if (!status.isOk())
    return;
  uint64_t total = recorder_->bytesTotal;
  for (size_t bytes : recorder_->inputSizes)
    total += bytes;
  if (total > kGraphPlanMaxBytes) {
    refuse_ = true;
    return;
  }
  plan_->allocationSizes = recorder_->sizes;
  plan_->inputSizes = recorder_->inputSizes;
  plan_->allocations.assign(plan_->allocationSizes.size(), nullptr);
  plan_->inputs.assign(plan_->inputSizes.size(), nullptr);
  plan_->recorded = true;
}

void *GpuGraphRun::inputBuffer(size_t index, size_t bytes) {
  if (mode_ == Mode::Record) {
    if (recorder_->inputSizes.size() <= index)
      recorder_->inputSizes.resize(index + 1, 0);
    recorder_->inputSizes[index] = bytes;
    return nullptr;
  }
  if (mode_ != Mode::Graph || index >= plan_->inputs.size() ||
      plan_->inputSizes[index] != bytes) {
    // Not what the record saw (the key should have told): no graph for
    // this key.
    refuse_ = mode_ == Mode::Graph;
    return nullptr;
  }
  return plan_->inputs[index];
}

bool GpuGraphRun::owns(const void *pointer) const {
  if (mode_ != Mode::Graph || !pointer)
    return false;
  auto has = [&](const std::vector<void *> &buffers) {
    return std::find(buffers.begin(), buffers.end(), pointer) != buffers.end();
  };
  return has(plan_->allocations) || has(plan_->inputs);
}

void GpuGraphRun::disown(const void *pointer) {
  if (mode_ != Mode::Graph || !pointer)
    return;
  for (void *&buffer : plan_->allocations)
    if (buffer == pointer) {
      buffer = nullptr;
      plan_->buffersChanged = true;
    }
}

Status GpuGraphRun::execute(const std::vector<int64_t> &arguments,
                            const std::function<void()> &entry,
                            std::vector<int64_t> &resultWords) {
  Plan &plan = *plan_;
  const GpuHostBackend &backend = plans_.device_.backend();
  if (plan.executable && !plan.buffersChanged && !refuse_ &&
      arguments == plan.capturedArguments &&
      resultWords.size() == plan.capturedResults.size()) {
    resultWords = plan.capturedResults;
    Status launched = backend.launchGraph(plan.executable, plan.stream);
    if (!launched.isOk()) {
      failed_ = true;
      return launched;
    }
    count(counters().launches);
    count(counters().replays);
    return okStatus();
  }

  // Without a graph: the host code launches as usual.
  auto runPlain = [&] {
    failed_ = true;
    entry();
    return okStatus();
  };
  if (refuse_ || gpuHostCallFailed())
    return runPlain();
  Planner planner(plan);
  StatusOr<void *> graph = static_cast<void *>(nullptr);
  {
    // No wait for every stream while this one is captured.
    std::shared_lock<std::shared_mutex> capturing(plans_.device_.captureLock());
    Status began = backend.beginCapture(plan.stream);
    if (began.isOk()) {
      GpuHostCallHookScope hook(&planner);
      entry();
    }
    // Ended even after a failed start (an injected failure may have
    // started it): the stream must not stay in capture.
    graph = backend.endCapture(plan.stream);
    if (!began.isOk()) {
      if (graph.isOk() && *graph)
        (void)backend.destroyGraph(*graph);
      graph = began;
    }
  }
  Status hostCalls = takeGpuHostCallError();
  if (!graph.isOk() || !hostCalls.isOk() || planner.failed()) {
    // Nothing was queued: run the host code again, without a graph (a
    // failure of its own shows there).
    if (graph.isOk())
      (void)backend.destroyGraph(*graph);
    refuse_ = planner.failed();
    return runPlain();
  }
  count(counters().captures);
  if (plan.executable) {
    StatusOr<bool> updated = backend.updateGraph(plan.executable, *graph);
    if (!updated.isOk() || !*updated) {
      (void)backend.destroyGraphExecutable(plan.executable);
      plan.executable = nullptr;
    }
  }
  if (!plan.executable) {
    StatusOr<void *> made = backend.instantiateGraph(*graph);
    if (!made.isOk()) {
      (void)backend.destroyGraph(*graph);
      plan.buffersChanged = true;
      return runPlain();
    }
    plan.executable = *made;
    count(counters().instantiations);
  }
  (void)backend.destroyGraph(*graph);
  plan.capturedArguments = arguments;
  plan.capturedResults = resultWords;
  plan.buffersChanged = false;
  Status launched = backend.launchGraph(plan.executable, plan.stream);
  if (!launched.isOk()) {
    failed_ = true;
    return launched;
  }
  count(counters().launches);
  return okStatus();
}

GpuGraphPlans::~GpuGraphPlans() {
  for (const std::shared_ptr<GpuGraphRun::Plan> &plan : plans_)
    release(*plan);
}

void GpuGraphPlans::release(GpuGraphRun::Plan &plan) {
  const GpuHostBackend &backend = device_.backend();
  bool anything = plan.executable;
  for (void *buffer : plan.allocations)
    anything |= buffer != nullptr;
  for (void *buffer : plan.inputs)
    anything |= buffer != nullptr;
  if (!anything)
    return;
  // Queued work of the plan's stream may still use its buffers. The wait
  // must not meet a capture of that stream by another executable's run
  // (it would fail, and the buffers be freed while in use).
  {
    std::unique_lock<std::shared_mutex> noCapture(device_.captureLock());
    (void)backend.synchronizeStream(plan.stream);
  }
  if (plan.executable)
    (void)backend.destroyGraphExecutable(plan.executable);
  plan.executable = nullptr;
  for (std::vector<void *> *buffers : {&plan.allocations, &plan.inputs})
    for (void *&buffer : *buffers) {
      if (buffer)
        device_.free(buffer);
      buffer = nullptr;
    }
}

std::unique_ptr<GpuGraphRun> GpuGraphPlans::begin(std::vector<int64_t> key) {
  using Mode = GpuGraphRun::Mode;
  // Another thread's work on a shared stream would land in the capture.
  if (device_.streamShared())
    return std::unique_ptr<GpuGraphRun>(
        new GpuGraphRun(*this, nullptr, Mode::None));
  void *stream = device_.stream();
  std::shared_ptr<GpuGraphRun::Plan> plan;
  std::vector<std::shared_ptr<GpuGraphRun::Plan>> evicted;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(plans_.begin(), plans_.end(), [&](const auto &p) {
      return p->stream == stream && p->key == key;
    });
    if (found != plans_.end()) {
      plan = *found;
      plans_.splice(plans_.begin(), plans_, found);
      if (plan->busy || plan->refused)
        return std::unique_ptr<GpuGraphRun>(
            new GpuGraphRun(*this, nullptr, Mode::None));
      plan->busy = true;
    } else {
      plan = std::make_shared<GpuGraphRun::Plan>();
      plan->key = std::move(key);
      plan->stream = stream;
      plan->busy = true;
      plans_.push_front(plan);
      // The least recently used plans of this stream go (only this
      // thread's: waiting for another thread's stream could invalidate
      // its capture).
      size_t ofStream = 0;
      for (auto it = plans_.begin(); it != plans_.end();) {
        bool mine = (*it)->stream == stream;
        ofStream += mine;
        if (mine && ofStream > kMaxGraphPlans && !(*it)->busy) {
          evicted.push_back(*it);
          it = plans_.erase(it);
        } else {
          ++it;
        }
      }
    }
  }
  for (const std::shared_ptr<GpuGraphRun::Plan> &old : evicted)
    release(*old);
  if (!plan->recorded)
    return std::unique_ptr<GpuGraphRun>(
        new GpuGraphRun(*this, plan, Mode::Record));
  // The plan's buffers, made once and again after a result took one
  // (zero-byte allocations too: every allocation of the host code under
  // capture must be the plan's; an input of 0 bytes is used in place).
  for (std::vector<void *> *buffers : {&plan->allocations, &plan->inputs}) {
    bool inputs = buffers == &plan->inputs;
    const std::vector<size_t> &sizes =
        inputs ? plan->inputSizes : plan->allocationSizes;
    for (size_t i = 0; i < buffers->size(); ++i) {
      if ((*buffers)[i] || (inputs && sizes[i] == 0))
        continue;
      StatusOr<void *> made = device_.allocate(sizes[i]);
      if (!made.isOk()) {
        finish(plan, /*refuse=*/false, /*failed=*/true);
        return std::unique_ptr<GpuGraphRun>(
            new GpuGraphRun(*this, nullptr, Mode::None));
      }
      (*buffers)[i] = *made;
      plan->buffersChanged = true;
    }
  }
  return std::unique_ptr<GpuGraphRun>(
      new GpuGraphRun(*this, plan, Mode::Graph));
}

void GpuGraphPlans::finish(const std::shared_ptr<GpuGraphRun::Plan> &plan,
                           bool refuse, bool failed) {
  if (failed && ++plan->failures >= kMaxGraphFailures)
    refuse = true;
  if (refuse || failed)
    release(*plan);
  if (refuse)
    count(counters().refusals);
  std::lock_guard<std::mutex> lock(mutex_);
  plan->busy = false;
  if (refuse)
    plan->refused = true;
}

} // namespace vmgpu::runtime
