//===- LibraryGemm.cpp - GEMMs through cuBLASLt on a device ---------------===//

#include "vmgpu/runtime/LibraryGemm.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/LibraryAlgorithmStore.h"
#include "vmgpu/runtime/Metrics.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <vector>

namespace vmgpu::runtime {
namespace {

// cublasLt.h, cublas_api.h and library_types.h values.
constexpr int kComputeF32 = 68; // CUBLAS_COMPUTE_32F: strict, never TF32
constexpr int kComputeI32 = 72; // CUBLAS_COMPUTE_32I
constexpr int kDataF32 = 0, kDataF64 = 1, kDataF16 = 2, kDataBF16 = 14,
              kDataI8 = 3, kDataI32 = 10;
constexpr int kOpN = 0, kOpT = 1;
constexpr int kDescTransA = 3, kDescTransB = 4, kDescEpilogue = 7,
              kDescBiasPointer = 8, kDescBiasDataType = 26;
constexpr int32_t kEpilogueBias = 4;
/// The bias alignment the epilogue is given: cuBLASLt states none, and
/// users of it report failures below 16 bytes; a bias off that is copied.
constexpr uintptr_t kBiasAlignment = 16;
constexpr int kLayoutBatchCount = 5, kLayoutBatchOffset = 6;
constexpr int kPrefMaxWorkspace = 1, kPrefReductionSchemeMask = 3;
/// CUBLASLT_REDUCTION_SCHEME_COMPUTE_TYPE: split-K partial sums in the
/// compute type (f32), in the workspace; not INPLACE or OUTPUT_TYPE, which
/// add them in the output's type (or into it), so an f16 output would be
/// rounded more than once, and an epilogue might see a partial sum.
constexpr uint32_t kReductionInComputeType = 2;
constexpr int kPrefAlignmentA = 5, kPrefAlignmentB = 6, kPrefAlignmentC = 7,
              kPrefAlignmentD = 8;

int dataType(GemmElementType type) {
  switch (type) {
  case GemmElementType::F32:
    return kDataF32;
  case GemmElementType::F16:
    return kDataF16;
  case GemmElementType::BF16:
    return kDataBF16;
  case GemmElementType::I8:
    return kDataI8;
  case GemmElementType::I32:
    return kDataI32;
  case GemmElementType::F64:
    return kDataF64;
  }
  return kDataF32;
}

/// The largest power of two (up to 256) that divides `address`: cuBLASLt
/// assumes 256-byte aligned operands unless told otherwise.
uint32_t alignmentOf(uintptr_t address) {
  if (address == 0)
    return 256;
  return static_cast<uint32_t>(
      std::min<uintptr_t>(address & (~address + 1), 256));
}

/// Everything that decides the descriptors and the algorithm: the problem
/// without its addresses (their alignments instead).
using PlanKey = std::array<int64_t, 20>;

/// Descriptors and the algorithm for one PlanKey.
struct Plan {
  const CublasLt *library = nullptr;
  void *desc = nullptr;
  void *aLayout = nullptr, *bLayout = nullptr, *cLayout = nullptr;
  CublasLtAlgorithm algorithm{};
  size_t workspaceBytes = 0;
  bool integer = false;
  /// The bias pointer is an attribute of the descriptor: a call sets it and
  /// queues its matmul under this lock (cublasLtMatmul reads the
  /// descriptor when it is called).
  mutable std::mutex biasMutex;

  ~Plan() {
    for (void *layout : {aLayout, bLayout, cLayout})
      if (layout)
        (void)library->cublasLtMatrixLayoutDestroy(layout);
    if (desc)
      (void)library->cublasLtMatmulDescDestroy(desc);
  }
};

/// The options of setLibraryGemmOptions.
std::mutex optionsMutex;
LibraryGemmOptions &currentOptions() {
  static auto *options = new LibraryGemmOptions();
  return *options;
}

/// Per device: the handle, the workspace and the plans.
class DeviceGemmState final : public GpuDevice::Extension {
public:
  DeviceGemmState(GpuDevice &device, const CublasLt &library)
      : device_(device), library_(library) {}
  ~DeviceGemmState() override {
    plans_.clear();
    if (handle_)
      (void)library_.cublasLtDestroy(handle_);
  }

  Status initialize() {
    return library_.check(library_.cublasLtCreate(&handle_), "cublasLtCreate");
  }

  Status run(const GemmProblem &problem);
  LibraryGemmCounters counters() const {
    LibraryGemmCounters counted;
    counted.calls = calls_.load(std::memory_order_relaxed);
    counted.plansSearched = searches_.load(std::memory_order_relaxed);
    counted.plansStored = stored_.load(std::memory_order_relaxed);
    counted.plansTuned = tuned_.load(std::memory_order_relaxed);
    return counted;
  }

private:
  StatusOr<const Plan *> plan(const PlanKey &key, const ColumnMajorGemm &gemm,
                              const GemmProblem &problem,
                              const std::array<uint32_t, 3> &alignments);
  /// The descriptors and the algorithm (recorded, searched or tuned).
  StatusOr<std::unique_ptr<Plan>>
  makePlan(const PlanKey &key, const ColumnMajorGemm &gemm,
           const GemmProblem &problem,
           const std::array<uint32_t, 3> &alignments);
  Status describe(Plan &made, const ColumnMajorGemm &gemm,
                  const GemmProblem &problem);
  /// The library's first `requested` candidates for `made`.
  StatusOr<std::vector<CublasLtHeuristicResult>>
  search(const Plan &made, const GemmProblem &problem,
         const std::array<uint32_t, 3> &alignments, int requested);
  /// True when the library accepts `algorithm` for `made` within the
  /// workspace bound; then it becomes `made`'s algorithm.
  bool adopt(Plan &made, const StoredAlgorithm &algorithm);
  /// The index of the fastest of `candidates` on the call's operands.
  StatusOr<size_t>
  fastest(Plan &made, const std::vector<CublasLtHeuristicResult> &candidates,
          const ColumnMajorGemm &gemm, const GemmProblem &problem);
  /// The bias the epilogue reads: `problem`'s own when it has the
  /// alignment the epilogue is given, else an aligned copy queued on the
  /// stream into `copy` (a device buffer the caller frees, also on error).
  StatusOr<const void *> epilogueBias(const GemmProblem &problem, void *&copy);
  /// Points `plan`'s epilogue at `bias` (a descriptor attribute: the
  /// caller holds the plan's biasMutex, or the plan is its own).
  Status setBias(const Plan &plan, const void *bias) const;
  /// Queues one matmul of `plan` with D at `d` (C's layout).
  Status matmul(const Plan &plan, const ColumnMajorGemm &gemm, bool outputZero,
                void *d, void *workspace) const;
  /// The store of `directory` for this library and device model; null
  /// without a directory or a model. Shared: a plan in the making keeps
  /// the one it started with when the directory changes meanwhile.
  std::shared_ptr<LibraryAlgorithmStore> store(const std::string &directory);

  GpuDevice &device_;
  const CublasLt &library_;
  void *handle_ = nullptr;
  std::mutex plansMutex_;
  std::condition_variable planMade_;
  std::map<PlanKey, std::unique_ptr<Plan>> plans_;
  /// Problems whose plan a thread is making.
  std::set<PlanKey> planning_;
  std::mutex storeMutex_;
  std::shared_ptr<LibraryAlgorithmStore> store_;
  std::atomic<uint64_t> calls_{0};
  std::atomic<uint64_t> searches_{0};
  std::atomic<uint64_t> stored_{0};
  std::atomic<uint64_t> tuned_{0};
};

Status layoutFor(const CublasLt &library, void **layout, int type,
                 const ColumnMajorOperand &operand, int64_t batch) {
  VMGPU_RETURN_IF_ERROR(
      library.check(library.cublasLtMatrixLayoutCreate(
                        layout, type, operand.rows, operand.cols, operand.ld),
                    "cublasLtMatrixLayoutCreate"));
  if (batch == 1)
    return okStatus();
  int32_t count = static_cast<int32_t>(batch);
  VMGPU_RETURN_IF_ERROR(
      library.check(library.cublasLtMatrixLayoutSetAttribute(
                        *layout, kLayoutBatchCount, &count, sizeof(count)),
                    "cublasLtMatrixLayoutSetAttribute"));
  return library.check(library.cublasLtMatrixLayoutSetAttribute(
                           *layout, kLayoutBatchOffset, &operand.batchStride,
                           sizeof(operand.batchStride)),
                       "cublasLtMatrixLayoutSetAttribute");
}

/// The record key of a plan: what it was chosen by ("h": the heuristic's
/// first, "tN": the fastest of N candidates) and its PlanKey.
std::string recordKeyOf(const PlanKey &key, int candidates) {
  std::string text =
      (candidates > 1 ? "t" + std::to_string(candidates) : std::string("h")) +
      ":";
  for (size_t index = 0; index < key.size(); ++index)
    text += (index ? "," : "") + std::to_string(key[index]);
  return text;
}

StoredAlgorithm storedOf(const CublasLtHeuristicResult &result) {
  StoredAlgorithm stored;
  std::copy(std::begin(result.algorithm.data), std::end(result.algorithm.data),
            stored.data.begin());
  stored.workspaceBytes = result.workspaceBytes;
  return stored;
}

std::shared_ptr<LibraryAlgorithmStore>
DeviceGemmState::store(const std::string &directory) {
  if (directory.empty() || device_.model().empty())
    return nullptr;
  std::lock_guard<std::mutex> lock(storeMutex_);
  if (!store_ || store_->directory() != directory)
    store_ = std::make_shared<LibraryAlgorithmStore>(
        directory, "cublaslt-" + std::to_string(library_.cublasLtGetVersion()) +
                       "-" + device_.model());
  return store_;
}

Status DeviceGemmState::describe(Plan &made, const ColumnMajorGemm &gemm,
                                 const GemmProblem &problem) {
  made.library = &library_;
  made.integer = problem.aType == GemmElementType::I8;
  VMGPU_RETURN_IF_ERROR(
      library_.check(library_.cublasLtMatmulDescCreate(
                         &made.desc, made.integer ? kComputeI32 : kComputeF32,
                         made.integer ? kDataI32 : kDataF32),
                     "cublasLtMatmulDescCreate"));
  int32_t opA = gemm.a.transposed ? kOpT : kOpN,
          opB = gemm.b.transposed ? kOpT : kOpN;
  VMGPU_RETURN_IF_ERROR(
      library_.check(library_.cublasLtMatmulDescSetAttribute(
                         made.desc, kDescTransA, &opA, sizeof(opA)),
                     "cublasLtMatmulDescSetAttribute"));
  VMGPU_RETURN_IF_ERROR(
      library_.check(library_.cublasLtMatmulDescSetAttribute(
                         made.desc, kDescTransB, &opB, sizeof(opB)),
                     "cublasLtMatmulDescSetAttribute"));
  if (problem.flags & kGemmBias) {
    // The bias has C's type (LibraryGemmAbi.h), the one pairing cuBLASLt
    // took for every output type.
    int32_t epilogue = kEpilogueBias;
    int32_t biasType = dataType(problem.cType);
    VMGPU_RETURN_IF_ERROR(library_.check(
        library_.cublasLtMatmulDescSetAttribute(made.desc, kDescEpilogue,
                                                &epilogue, sizeof(epilogue)),
        "cublasLtMatmulDescSetAttribute"));
    VMGPU_RETURN_IF_ERROR(library_.check(
        library_.cublasLtMatmulDescSetAttribute(made.desc, kDescBiasDataType,
                                                &biasType, sizeof(biasType)),
        "cublasLtMatmulDescSetAttribute"));
  }
  // In the column-major problem A and B are the swapped operands (see
  // runLibraryGemm); their element types are equal anyway.
  VMGPU_RETURN_IF_ERROR(layoutFor(
      library_, &made.aLayout, dataType(problem.aType), gemm.a, problem.batch));
  VMGPU_RETURN_IF_ERROR(layoutFor(
      library_, &made.bLayout, dataType(problem.bType), gemm.b, problem.batch));
  return layoutFor(library_, &made.cLayout, dataType(problem.cType), gemm.c,
                   problem.batch);
}

StatusOr<std::vector<CublasLtHeuristicResult>>
DeviceGemmState::search(const Plan &made, const GemmProblem &problem,
                        const std::array<uint32_t, 3> &alignments,
                        int requested) {
  void *preference = nullptr;
  VMGPU_RETURN_IF_ERROR(
      library_.check(library_.cublasLtMatmulPreferenceCreate(&preference),
                     "cublasLtMatmulPreferenceCreate"));
  struct PreferenceGuard {
    const CublasLt &library;
    void *preference;
    ~PreferenceGuard() {
      (void)library.cublasLtMatmulPreferenceDestroy(preference);
    }
  } guard{library_, preference};
  uint64_t workspace = kLibraryGemmWorkspaceBytes;
  VMGPU_RETURN_IF_ERROR(library_.check(
      library_.cublasLtMatmulPreferenceSetAttribute(
          preference, kPrefMaxWorkspace, &workspace, sizeof(workspace)),
      "cublasLtMatmulPreferenceSetAttribute"));
  // Split-K only in the compute type where an output is narrower than it
  // or an epilogue follows: one rounding of the f32 sum, the bias added to
  // the whole product.
  if (problem.cType == GemmElementType::F16 ||
      problem.cType == GemmElementType::BF16 || (problem.flags & kGemmBias)) {
    uint32_t mask = kReductionInComputeType;
    VMGPU_RETURN_IF_ERROR(library_.check(
        library_.cublasLtMatmulPreferenceSetAttribute(
            preference, kPrefReductionSchemeMask, &mask, sizeof(mask)),
        "cublasLtMatmulPreferenceSetAttribute"));
  }
  const int alignmentAttributes[4] = {kPrefAlignmentA, kPrefAlignmentB,
                                      kPrefAlignmentC, kPrefAlignmentD};
  const uint32_t alignmentValues[4] = {alignments[0], alignments[1],
                                       alignments[2], alignments[2]};
  for (int i = 0; i < 4; ++i)
    VMGPU_RETURN_IF_ERROR(
        library_.check(library_.cublasLtMatmulPreferenceSetAttribute(
                           preference, alignmentAttributes[i],
                           &alignmentValues[i], sizeof(uint32_t)),
                       "cublasLtMatmulPreferenceSetAttribute"));
  std::vector<CublasLtHeuristicResult> results(requested);
  int returned = 0;
  searches_.fetch_add(1, std::memory_order_relaxed);
  VMGPU_RETURN_IF_ERROR(library_.check(
      library_.cublasLtMatmulAlgoGetHeuristic(
          handle_, made.desc, made.aLayout, made.bLayout, made.cLayout,
          made.cLayout, preference, requested, results.data(), &returned),
      "cublasLtMatmulAlgoGetHeuristic"));
  returned = std::clamp(returned, 0, requested);
  // Only candidates the heuristic marked usable, in its order.
  results.resize(returned);
  results.erase(std::remove_if(results.begin(), results.end(),
                               [](const CublasLtHeuristicResult &result) {
                                 return result.state != 0 ||
                                        result.workspaceBytes >
                                            kLibraryGemmWorkspaceBytes;
                               }),
                results.end());
  if (results.empty())
    return unimplementedError(
        "cuBLASLt has no algorithm for this GEMM (batch " +
        std::to_string(problem.batch) + ", " + std::to_string(problem.m) +
        " x " + std::to_string(problem.n) + " x " + std::to_string(problem.k) +
        ")");
  return results;
}

bool DeviceGemmState::adopt(Plan &made, const StoredAlgorithm &algorithm) {
  CublasLtAlgorithm candidate;
  std::copy(algorithm.data.begin(), algorithm.data.end(), candidate.data);
  CublasLtHeuristicResult checked{};
  if (library_.cublasLtMatmulAlgoCheck(handle_, made.desc, made.aLayout,
                                       made.bLayout, made.cLayout, made.cLayout,
                                       &candidate, &checked) != 0 ||
      checked.state != 0 || checked.workspaceBytes > kLibraryGemmWorkspaceBytes)
    return false;
  made.algorithm = candidate;
  made.workspaceBytes = checked.workspaceBytes;
  return true;
}

StatusOr<const void *> DeviceGemmState::epilogueBias(const GemmProblem &problem,
                                                     void *&copy) {
  const void *bias = reinterpret_cast<const void *>(problem.bias);
  if (problem.bias % kBiasAlignment == 0)
    return bias;
  size_t bytes = static_cast<size_t>(problem.n) *
                 static_cast<size_t>(gemmElementBytes(problem.cType));
  VMGPU_ASSIGN_OR_RETURN(copy, device_.allocate(bytes));
  VMGPU_RETURN_IF_ERROR(device_.copyOnDevice(copy, bias, bytes));
  return static_cast<const void *>(copy);
}

Status DeviceGemmState::setBias(const Plan &plan, const void *bias) const {
  return library_.check(library_.cublasLtMatmulDescSetAttribute(
                            plan.desc, kDescBiasPointer, &bias, sizeof(bias)),
                        "cublasLtMatmulDescSetAttribute");
}

Status DeviceGemmState::matmul(const Plan &plan, const ColumnMajorGemm &gemm,
                               bool outputZero, void *d,
                               void *workspace) const {
  const float alphaF = 1.0f, betaF = outputZero ? 0.0f : 1.0f;
  const int32_t alphaI = 1, betaI = outputZero ? 0 : 1;
  const void *alpha = plan.integer ? static_cast<const void *>(&alphaI)
                                   : static_cast<const void *>(&alphaF);
  const void *beta = plan.integer ? static_cast<const void *>(&betaI)
                                  : static_cast<const void *>(&betaF);
  return library_.check(
      library_.cublasLtMatmul(
          handle_, plan.desc, alpha,
          reinterpret_cast<const void *>(gemm.aAddress), plan.aLayout,
          reinterpret_cast<const void *>(gemm.bAddress), plan.bLayout, beta,
          reinterpret_cast<const void *>(gemm.cAddress), plan.cLayout, d,
          plan.cLayout, &plan.algorithm, workspace, plan.workspaceBytes,
          device_.stream()),
      "cublasLtMatmul");
}

StatusOr<size_t> DeviceGemmState::fastest(
    Plan &made, const std::vector<CublasLtHeuristicResult> &candidates,
    const ColumnMajorGemm &gemm, const GemmProblem &problem) {
  // The candidates write D elsewhere when C is read (each must see the
  // caller's C); when it is not, into C itself, which the call's own
  // matmul overwrites afterwards.
  bool outputZero = problem.flags & kGemmOutputZero;
  void *d = reinterpret_cast<void *>(gemm.cAddress);
  std::vector<void *> buffers;
  struct Release {
    GpuDevice &device;
    std::vector<void *> &buffers;
    ~Release() {
      for (void *buffer : buffers)
        device.free(buffer);
    }
  } release{device_, buffers};
  auto allocate = [&](size_t bytes) -> StatusOr<void *> {
    VMGPU_ASSIGN_OR_RETURN(void *buffer, device_.allocate(bytes));
    buffers.push_back(buffer);
    return buffer;
  };
  size_t elementBytes = static_cast<size_t>(gemmElementBytes(problem.cType));
  if (!outputZero) {
    // C's span: the last element of the last batch, plus one.
    const ColumnMajorOperand &c = gemm.c;
    uint64_t last = 0, matrix = 0, bytes = 0;
    if (c.batchStride < 0 || c.ld < 0 || c.rows < 1 || c.cols < 1 ||
        __builtin_mul_overflow(static_cast<uint64_t>(problem.batch - 1),
                               static_cast<uint64_t>(c.batchStride), &last) ||
        __builtin_mul_overflow(static_cast<uint64_t>(c.cols - 1),
                               static_cast<uint64_t>(c.ld), &matrix) ||
        __builtin_add_overflow(matrix, static_cast<uint64_t>(c.rows),
                               &matrix) ||
        __builtin_add_overflow(last, matrix, &last) ||
        __builtin_mul_overflow(last, elementBytes, &bytes))
      return unimplementedError("library GEMM: C's layout is not tuned");
    VMGPU_ASSIGN_OR_RETURN(d, allocate(bytes));
  }
  size_t workspaceBytes = 0;
  for (const CublasLtHeuristicResult &candidate : candidates)
    workspaceBytes = std::max(workspaceBytes, candidate.workspaceBytes);
  void *workspace = nullptr;
  if (workspaceBytes > 0) {
    VMGPU_ASSIGN_OR_RETURN(workspace, allocate(workspaceBytes));
  }
  if (problem.flags & kGemmBias) {
    // Read as run() reads it (the plan is not shared yet).
    void *copy = nullptr;
    StatusOr<const void *> bias = epilogueBias(problem, copy);
    if (copy)
      buffers.push_back(copy);
    VMGPU_RETURN_IF_ERROR(bias.status());
    VMGPU_RETURN_IF_ERROR(setBias(made, *bias));
  }
  // Whatever was queued before is not the candidates' time.
  VMGPU_RETURN_IF_ERROR(device_.synchronize());
  // Each candidate: one untimed call (its kernel's first launch loads it),
  // then calls between two waits for the stream until they took
  // kTimedMs (launch overhead would decide between small GEMMs
  // otherwise), in groups of 3, at most kMaxTimedCalls; the mean per call.
  constexpr double kTimedMs = 2.0;
  constexpr int kMaxTimedCalls = 63;
  std::optional<size_t> best;
  double bestMs = 0.0;
  for (size_t index = 0; index < candidates.size(); ++index) {
    made.algorithm = candidates[index].algorithm;
    made.workspaceBytes = candidates[index].workspaceBytes;
    if (!matmul(made, gemm, outputZero, d, workspace).isOk() ||
        !device_.synchronize().isOk())
      continue;
    Stopwatch watch;
    int calls = 0;
    bool ran = true;
    while (ran && calls + 3 <= kMaxTimedCalls &&
           (calls < 3 || watch.elapsedMs() < kTimedMs)) {
      for (int call = 0; call < 3 && ran; ++call, ++calls)
        ran = matmul(made, gemm, outputZero, d, workspace).isOk();
      ran = ran && device_.synchronize().isOk();
    }
    if (!ran)
      continue;
    double ms = watch.elapsedMs() / calls;
    // Ties go to the heuristic's order.
    if (!best || ms < bestMs) {
      best = index;
      bestMs = ms;
    }
  }
  if (!best)
    return internalError("library GEMM: no candidate algorithm ran");
  return *best;
}

StatusOr<const Plan *>
DeviceGemmState::plan(const PlanKey &key, const ColumnMajorGemm &gemm,
                      const GemmProblem &problem,
                      const std::array<uint32_t, 3> &alignments) {
  // One thread makes a problem's plan; others asking for it wait for that
  // one (one search, one algorithm), while GEMMs of other problems go on:
  // a search and the records file take milliseconds, a tuning far more.
  {
    std::unique_lock<std::mutex> lock(plansMutex_);
    for (;;) {
      auto found = plans_.find(key);
      if (found != plans_.end())
        return found->second.get();
      if (!planning_.count(key))
        break;
      planMade_.wait(lock);
    }
    planning_.insert(key);
  }
  StatusOr<std::unique_ptr<Plan>> made =
      makePlan(key, gemm, problem, alignments);
  std::lock_guard<std::mutex> lock(plansMutex_);
  planning_.erase(key);
  planMade_.notify_all();
  // A failure is not kept: a waiting thread (or the next call) tries again.
  VMGPU_RETURN_IF_ERROR(made.status());
  const Plan *plan = made->get();
  plans_.emplace(key, std::move(*made));
  return plan;
}

StatusOr<std::unique_ptr<Plan>>
DeviceGemmState::makePlan(const PlanKey &key, const ColumnMajorGemm &gemm,
                          const GemmProblem &problem,
                          const std::array<uint32_t, 3> &alignments) {
  auto made = std::make_unique<Plan>();
  VMGPU_RETURN_IF_ERROR(describe(*made, gemm, problem));
  LibraryGemmOptions options = libraryGemmOptions();
  int candidates =
      std::clamp(options.tuneCandidates, 1, kMaxLibraryTuneCandidates);
  std::string recordKey = recordKeyOf(key, candidates);
  std::shared_ptr<LibraryAlgorithmStore> kept =
      store(options.algorithmDirectory);
  std::optional<StoredAlgorithm> stored =
      kept ? kept->find(recordKey) : std::nullopt;
  if (stored && adopt(*made, *stored)) {
    stored_.fetch_add(1, std::memory_order_relaxed);
  } else {
    VMGPU_ASSIGN_OR_RETURN(std::vector<CublasLtHeuristicResult> found,
                           search(*made, problem, alignments, candidates));
    size_t pick = 0;
    // A tuning that cannot run (no memory for the scratch copy of C, no
    // candidate that runs) leaves the heuristic's choice, unrecorded: the
    // GEMM itself must not fail for it, and another process may tune.
    bool chosen = true;
    if (found.size() > 1) {
      StatusOr<size_t> fastestIndex = fastest(*made, found, gemm, problem);
      chosen = fastestIndex.isOk();
      if (chosen) {
        pick = *fastestIndex;
        tuned_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    made->algorithm = found[pick].algorithm;
    made->workspaceBytes = found[pick].workspaceBytes;
    // Another process may have recorded its choice first: take that one,
    // so that both compute the same bits from now on (adopt changes the
    // plan only when the library accepts it).
    if (kept && chosen) {
      StoredAlgorithm ours = storedOf(found[pick]);
      StatusOr<StoredAlgorithm> recorded = kept->record(recordKey, ours);
      if (recorded.isOk() && !(*recorded == ours) && adopt(*made, *recorded))
        stored_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  return made;
}

Status DeviceGemmState::run(const GemmProblem &problem) {
  // Row-major thinking, column-major library (toColumnMajorGemm): usually
  // C^T = B^T A^T, cuBLASLt's A being our B.
  std::optional<ColumnMajorGemm> gemm = toColumnMajorGemm(problem);
  if (!gemm)
    return internalError("library GEMM: an operand's strides fit no cuBLASLt "
                         "layout (one dim must be contiguous, the other's "
                         "stride at least its extent)");
  // cuBLASLt adds the bias per row of its column-major D: our columns only
  // when it computes C^T (a row-major C, which the compiler asks for).
  if ((problem.flags & kGemmBias) && !gemm->swapped)
    return internalError("library GEMM: a bias epilogue needs C's columns "
                         "contiguous");
  std::array<uint32_t, 3> alignments = {alignmentOf(gemm->aAddress),
                                        alignmentOf(gemm->bAddress),
                                        alignmentOf(gemm->cAddress)};
  PlanKey key = {static_cast<int64_t>(problem.aType),
                 static_cast<int64_t>(problem.bType),
                 static_cast<int64_t>(problem.cType),
                 problem.flags,
                 problem.batch,
                 gemm->rows,
                 gemm->cols,
                 gemm->k,
                 gemm->a.transposed,
                 gemm->a.ld,
                 gemm->a.batchStride,
                 gemm->b.transposed,
                 gemm->b.ld,
                 gemm->b.batchStride,
                 gemm->c.ld,
                 gemm->c.batchStride,
                 alignments[0],
                 alignments[1],
                 alignments[2],
                 gemm->swapped};
  VMGPU_ASSIGN_OR_RETURN(const Plan *chosen,
                         plan(key, *gemm, problem, alignments));
  bool zero = problem.flags & kGemmOutputZero;
  auto *cAddress = reinterpret_cast<void *>(gemm->cAddress);
  // The workspace is the calling thread's, ordered on its stream: threads
  // run GEMMs on streams of their own, and two of them sharing one
  // workspace overwrote each other's partial results (the GPU soak found
  // wrong dynamic matmuls with 4 threads per engine). The pool hands the
  // same memory back on the next call.
  void *workspace = nullptr;
  if (chosen->workspaceBytes > 0) {
    VMGPU_ASSIGN_OR_RETURN(workspace, device_.allocate(chosen->workspaceBytes));
  }
  // A bias off the alignment the epilogue is given is read from an aligned
  // copy, ordered before the matmul on the same stream.
  void *biasCopy = nullptr;
  Status ran = okStatus();
  if (problem.flags & kGemmBias) {
    StatusOr<const void *> bias = epilogueBias(problem, biasCopy);
    ran = bias.status();
    if (ran.isOk()) {
      std::lock_guard<std::mutex> lock(chosen->biasMutex);
      ran = setBias(*chosen, *bias);
      if (ran.isOk())
        ran = matmul(*chosen, *gemm, zero, cAddress, workspace);
    }
  } else {
    ran = matmul(*chosen, *gemm, zero, cAddress, workspace);
  }
  if (workspace)
    device_.free(workspace);
  if (biasCopy)
    device_.free(biasCopy);
  VMGPU_RETURN_IF_ERROR(ran);
  calls_.fetch_add(1, std::memory_order_relaxed);
  return okStatus();
}

DeviceGemmState *findState(GpuDevice &device, const CublasLt &library) {
  StatusOr<GpuDevice::Extension *> found = device.extension(&library);
  return found.isOk() ? static_cast<DeviceGemmState *>(*found) : nullptr;
}

} // namespace

Status runLibraryGemm(GpuDevice &device, const CublasLt &library,
                      const GemmProblem &problem) {
  if (!isLibraryGemmTypeCombination(problem.aType, problem.bType,
                                    problem.cType))
    return unimplementedError(
        "library GEMM: element types the library does not take");
  if (problem.flags & ~(kGemmOutputZero | kGemmBias))
    return internalError("library GEMM: unknown flags " +
                         std::to_string(problem.flags));
  if (problem.flags & kGemmBias) {
    // What the compiler folds (LibraryGemmCall.cpp) and the device probe
    // checked: one product, C written, not read, a bias of C's type.
    if (!isLibraryGemmEpilogueTypeCombination(problem.aType, problem.bType,
                                              problem.cType))
      return unimplementedError(
          "library GEMM: a bias epilogue for element types it does not take");
    if (problem.batch != 1 || !(problem.flags & kGemmOutputZero) ||
        problem.bias == 0)
      return internalError("library GEMM: a bias epilogue needs one batch, "
                           "C not read and a bias address");
  }
  if (problem.batch < 0 || problem.m < 0 || problem.n < 0 || problem.k < 0)
    return internalError("library GEMM: negative size");
  // Nothing to compute: no output element.
  if (problem.batch == 0 || problem.m == 0 || problem.n == 0)
    return okStatus();
  // K = 0 adds nothing to C. Writing zeros instead (kGemmOutputZero) is
  // never asked for: the compiler folds a zero fill only for a nonzero K.
  if (problem.k == 0)
    return problem.flags & kGemmOutputZero
               ? unimplementedError("library GEMM: K = 0 with C not read")
               : okStatus();
  if (problem.batch > INT32_MAX)
    return unimplementedError("library GEMM: more than 2^31 batches");
  VMGPU_ASSIGN_OR_RETURN(
      GpuDevice::Extension * extension,
      device.extension(
          &library, [&]() -> StatusOr<std::unique_ptr<GpuDevice::Extension>> {
            auto state = std::make_unique<DeviceGemmState>(device, library);
            VMGPU_RETURN_IF_ERROR(state->initialize());
            return std::unique_ptr<GpuDevice::Extension>(std::move(state));
          }));
  return static_cast<DeviceGemmState *>(extension)->run(problem);
}

LibraryGemmCounters libraryGemmCounters(GpuDevice &device,
                                        const CublasLt &library) {
  DeviceGemmState *state = findState(device, library);
  return state ? state->counters() : LibraryGemmCounters();
}

void setLibraryGemmOptions(LibraryGemmOptions options) {
  std::lock_guard<std::mutex> lock(optionsMutex);
  currentOptions() = std::move(options);
}

LibraryGemmOptions libraryGemmOptions() {
  std::lock_guard<std::mutex> lock(optionsMutex);
  return currentOptions();
}

} // namespace vmgpu::runtime

using namespace vmgpu;
using namespace vmgpu::runtime;

namespace {
/// The host calls' common part: `problem` on the block's current device.
void runOnCurrentDevice(const GemmProblem &problem) {
  // cuBLASLt's first call of a problem searches, tunes and waits: a block
  // that calls it is not captured as a graph (GpuGraphPlans.h).
  noteUncapturableGpuHostCall("the library GEMM");
  // After an error the block's results are discarded: queue nothing more.
  if (gpuHostCallFailed())
    return;
  GpuDevice *device = currentGpuDevice();
  if (!device) {
    raiseGpuHostCallError(internalError(
        "library GEMM: no current device (blocks run it on a GpuDevice)"));
    return;
  }
  if (device->kind() != "cuda") {
    raiseGpuHostCallError(unimplementedError(
        "library GEMM: no GEMM library for " + device->kind()));
    return;
  }
  StatusOr<CublasLt *> library = CublasLt::get();
  if (!library.isOk()) {
    raiseGpuHostCallError(
        unavailableError("library GEMM: " + library.status().message()));
    return;
  }
  raiseGpuHostCallError(runLibraryGemm(*device, **library, problem));
}
} // namespace

extern "C" void vmgpuGemm(int32_t aType, int32_t bType, int32_t cType,
                          int32_t flags, int64_t batch, int64_t m, int64_t n,
                          int64_t k, intptr_t a, int64_t aBatchStride,
                          int64_t aRowStride, int64_t aColStride, intptr_t b,
                          int64_t bBatchStride, int64_t bRowStride,
                          int64_t bColStride, intptr_t c, int64_t cBatchStride,
                          int64_t cRowStride, int64_t cColStride) {
  runOnCurrentDevice(gemmProblemOfCall(
      aType, bType, cType, flags, batch, m, n, k, a, aBatchStride, aRowStride,
      aColStride, b, bBatchStride, bRowStride, bColStride, c, cBatchStride,
      cRowStride, cColStride));
}

extern "C" void
vmgpuGemmEpilogue(int32_t aType, int32_t bType, int32_t cType, int32_t flags,
                  int64_t batch, int64_t m, int64_t n, int64_t k, intptr_t a,
                  int64_t aBatchStride, int64_t aRowStride, int64_t aColStride,
                  intptr_t b, int64_t bBatchStride, int64_t bRowStride,
                  int64_t bColStride, intptr_t c, int64_t cBatchStride,
                  int64_t cRowStride, int64_t cColStride, intptr_t bias) {
  GemmProblem problem = gemmProblemOfCall(
      aType, bType, cType, flags, batch, m, n, k, a, aBatchStride, aRowStride,
      aColStride, b, bBatchStride, bRowStride, bColStride, c, cBatchStride,
      cRowStride, cColStride);
  problem.bias = static_cast<uintptr_t>(bias);
  runOnCurrentDevice(problem);
}
