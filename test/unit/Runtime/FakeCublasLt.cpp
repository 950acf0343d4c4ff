//===- FakeCublasLt.cpp - a stand-in libcublasLt for LibraryGemm's tests
//---===//
//
// Exports the cublasLt* entry points of CublasLtSymbols.def. Descriptors
// record what they were given; cublasLtMatmul computes the product on the
// host (the fake HIP runtime's device memory is host memory) for f32 and
// i8 -> i32, reading each operand through its layout exactly as cuBLASLt
// defines it (column-major, op N or T, strided batches), so the runtime's
// mapping of row-major operands is checked against the library's
// definition. Controls (fakeCublasLt*) inject errors, count calls, make
// the heuristic find nothing and report the last compute type. The
// heuristic asks for the workspace size set by fakeCublasLtSetWorkspaceBytes;
// a matmul then writes a token of its own into the workspace, waits 2 ms and
// counts a conflict when another call overwrote it (calls on several threads
// sharing one workspace). The BIAS epilogue adds an f32 bias per row of D;
// the last bias pointer is reported. The heuristic offers up to
// fakeCublasLtSetCandidates algorithms, numbered from 1 in data[0];
// algorithm N's matmul takes fakeCublasLtSetDelayUs(N) longer, and the
// last algorithm a matmul ran is reported; cublasLtMatmulAlgoCheck accepts
// numbers up to fakeCublasLtSetValidAlgorithms, and
// fakeCublasLtSetRunnableAlgorithm makes the matmuls of every other
// algorithm fail. Thread-safe. Built in a
// variant without cublasLtMatmul (FAKE_CUBLASLT_NO_MATMUL).
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace {
std::map<std::string, int> &errors() {
  static std::map<std::string, int> map;
  return map;
}
std::map<std::string, int> &calls() {
  static std::map<std::string, int> map;
  return map;
}
std::mutex &callsMutex() {
  static std::mutex mutex;
  return mutex;
}
int result(const char *call) {
  std::lock_guard<std::mutex> lock(callsMutex());
  ++calls()[call];
  auto it = errors().find(call);
  return it == errors().end() ? 0 : it->second;
}
std::atomic<bool> heuristicFindsNothing{false};
std::atomic<int> lastComputeType{-1};
std::atomic<size_t> workspaceBytes{0};
std::atomic<int> workspaceConflicts{0};
[[maybe_unused]] std::atomic<uint64_t> nextToken{1};
std::atomic<uintptr_t> lastBias{0};
std::atomic<int64_t> lastReductionMask{-1};
std::atomic<int> candidateCount{1};
std::atomic<uint64_t> validAlgorithms{64};
std::atomic<uint64_t> lastAlgorithm{0};
std::atomic<uint64_t> runnableAlgorithm{0};
constexpr int kMaxDelays = 16;
std::atomic<int> delaysUs[kMaxDelays + 1];

struct Desc {
  int computeType = 0, scaleType = 0, transA = 0, transB = 0;
  int epilogue = 1, biasType = -1;
  const void *bias = nullptr;
};
struct Layout {
  int type = 0;
  uint64_t rows = 0, cols = 0;
  int64_t ld = 0;
  int32_t batch = 1;
  int64_t batchOffset = 0;
};
struct Algorithm {
  uint64_t data[8];
};
struct HeuristicResult {
  Algorithm algorithm;
  size_t workspaceBytes;
  int state;
  float wavesCount;
  int reserved[4];
};

[[maybe_unused]] constexpr int kF32 = 0, kI8 = 3, kI32 = 10;

/// Element (r, c) of batch b of the matrix op(X) (X stored column-major as
/// `layout`), as a double.
[[maybe_unused]] double element(const void *base, const Layout &layout, int op,
                                int64_t b, int64_t r, int64_t c) {
  int64_t row = op ? c : r, col = op ? r : c;
  int64_t index = b * layout.batchOffset + col * layout.ld + row;
  if (layout.type == kF32)
    return static_cast<const float *>(base)[index];
  if (layout.type == kI8)
    return static_cast<const int8_t *>(base)[index];
  return static_cast<const int32_t *>(base)[index];
}
} // namespace

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

FAKE_EXPORT void fakeCublasLtSetError(const char *call, int status) {
  std::lock_guard<std::mutex> lock(callsMutex());
  errors()[call] = status;
}
FAKE_EXPORT int fakeCublasLtCallCount(const char *call) {
  std::lock_guard<std::mutex> lock(callsMutex());
  auto it = calls().find(call);
  return it == calls().end() ? 0 : it->second;
}
FAKE_EXPORT void fakeCublasLtFindNothing(int nothing) {
  heuristicFindsNothing = nothing;
}
FAKE_EXPORT int fakeCublasLtLastComputeType() { return lastComputeType; }
FAKE_EXPORT void fakeCublasLtSetWorkspaceBytes(size_t bytes) {
  workspaceBytes = bytes;
}
FAKE_EXPORT int fakeCublasLtWorkspaceConflicts() { return workspaceConflicts; }
FAKE_EXPORT uintptr_t fakeCublasLtLastBias() { return lastBias; }
/// The reduction scheme mask the last preference was given (-1: none).
FAKE_EXPORT int64_t fakeCublasLtLastReductionMask() {
  return lastReductionMask;
}
FAKE_EXPORT void fakeCublasLtReset() {
  {
    std::lock_guard<std::mutex> lock(callsMutex());
    errors().clear();
    calls().clear();
  }
  heuristicFindsNothing = false;
  lastComputeType = -1;
  workspaceBytes = 0;
  workspaceConflicts = 0;
  lastBias = 0;
  lastReductionMask = -1;
  candidateCount = 1;
  validAlgorithms = 64;
  lastAlgorithm = 0;
  runnableAlgorithm = 0;
  for (std::atomic<int> &delay : delaysUs)
    delay = 0;
}
FAKE_EXPORT void fakeCublasLtSetCandidates(int count) {
  candidateCount = count;
}
FAKE_EXPORT void fakeCublasLtSetDelayUs(int algorithm, int us) {
  if (algorithm >= 1 && algorithm <= kMaxDelays)
    delaysUs[algorithm] = us;
}
FAKE_EXPORT void fakeCublasLtSetValidAlgorithms(uint64_t count) {
  validAlgorithms = count;
}
FAKE_EXPORT uint64_t fakeCublasLtLastAlgorithm() { return lastAlgorithm; }
/// Makes every matmul fail but those of `algorithm` (0: all run).
FAKE_EXPORT void fakeCublasLtSetRunnableAlgorithm(uint64_t algorithm) {
  runnableAlgorithm = algorithm;
}

FAKE_EXPORT int cublasLtCreate(void **handle) {
  static int token;
  *handle = &token;
  return result("cublasLtCreate");
}
FAKE_EXPORT int cublasLtDestroy(void *) { return result("cublasLtDestroy"); }
FAKE_EXPORT size_t cublasLtGetVersion() { return 130000; }
FAKE_EXPORT const char *cublasLtGetStatusName(int status) {
  return status == 15 ? "CUBLAS_STATUS_NOT_SUPPORTED"
                      : "CUBLAS_STATUS_INTERNAL_ERROR";
}
FAKE_EXPORT const char *cublasLtGetStatusString(int) {
  return "the fake library was told to fail";
}
FAKE_EXPORT int cublasLtMatmulDescCreate(void **desc, int computeType,
                                         int scaleType) {
  *desc = new Desc{computeType, scaleType};
  return result("cublasLtMatmulDescCreate");
}
FAKE_EXPORT int cublasLtMatmulDescDestroy(void *desc) {
  delete static_cast<Desc *>(desc);
  return result("cublasLtMatmulDescDestroy");
}
FAKE_EXPORT int cublasLtMatmulDescSetAttribute(void *descValue, int attribute,
                                               const void *value,
                                               size_t bytes) {
  auto *desc = static_cast<Desc *>(descValue);
  int32_t op;
  std::memcpy(&op, value, sizeof(op));
  if (attribute == 3)
    desc->transA = op;
  if (attribute == 4)
    desc->transB = op;
  if (attribute == 7)
    desc->epilogue = op;
  if (attribute == 26)
    desc->biasType = op;
  if (attribute == 8 && bytes == sizeof(void *))
    std::memcpy(&desc->bias, value, sizeof(void *));
  return result("cublasLtMatmulDescSetAttribute");
}
FAKE_EXPORT int cublasLtMatrixLayoutCreate(void **layout, int type,
                                           uint64_t rows, uint64_t cols,
                                           int64_t ld) {
  *layout = new Layout{type, rows, cols, ld, 1, 0};
  return result("cublasLtMatrixLayoutCreate");
}
FAKE_EXPORT int cublasLtMatrixLayoutDestroy(void *layout) {
  delete static_cast<Layout *>(layout);
  return result("cublasLtMatrixLayoutDestroy");
}
FAKE_EXPORT int cublasLtMatrixLayoutSetAttribute(void *layout, int attribute,
                                                 const void *value,
                                                 size_t bytes) {
  auto *matrix = static_cast<Layout *>(layout);
  if (attribute == 5)
    std::memcpy(&matrix->batch, value, sizeof(int32_t));
  if (attribute == 6 && bytes == sizeof(int64_t))
    std::memcpy(&matrix->batchOffset, value, sizeof(int64_t));
  return result("cublasLtMatrixLayoutSetAttribute");
}
FAKE_EXPORT int cublasLtMatmulPreferenceCreate(void **preference) {
  static int token;
  *preference = &token;
  lastReductionMask = -1;
  return result("cublasLtMatmulPreferenceCreate");
}
FAKE_EXPORT int cublasLtMatmulPreferenceDestroy(void *) {
  return result("cublasLtMatmulPreferenceDestroy");
}
FAKE_EXPORT int cublasLtMatmulPreferenceSetAttribute(void *, int attribute,
                                                     const void *value,
                                                     size_t bytes) {
  if (attribute == 3 && bytes == sizeof(uint32_t)) {
    uint32_t mask;
    std::memcpy(&mask, value, sizeof(mask));
    lastReductionMask = mask;
  }
  return result("cublasLtMatmulPreferenceSetAttribute");
}
FAKE_EXPORT int cublasLtMatmulAlgoGetHeuristic(void *, void *, void *, void *,
                                               void *, void *, void *,
                                               int requested,
                                               HeuristicResult *results,
                                               int *returned) {
  int count =
      heuristicFindsNothing ? 0 : std::min(requested, candidateCount.load());
  for (int index = 0; index < std::max(count, 1); ++index) {
    std::memset(&results[index], 0, sizeof(HeuristicResult));
    results[index].algorithm.data[0] = static_cast<uint64_t>(index + 1);
    results[index].workspaceBytes = workspaceBytes;
  }
  *returned = count;
  return result("cublasLtMatmulAlgoGetHeuristic");
}
FAKE_EXPORT int cublasLtMatmulAlgoCheck(void *, void *, void *, void *, void *,
                                        void *, const Algorithm *algorithm,
                                        HeuristicResult *checked) {
  if (int status = result("cublasLtMatmulAlgoCheck"))
    return status;
  constexpr int kNotSupported = 15;
  if (algorithm->data[0] < 1 || algorithm->data[0] > validAlgorithms)
    return kNotSupported;
  std::memset(checked, 0, sizeof(HeuristicResult));
  checked->algorithm = *algorithm;
  checked->workspaceBytes = workspaceBytes;
  return 0;
}

#ifndef FAKE_CUBLASLT_NO_MATMUL
FAKE_EXPORT int cublasLtMatmul(void *, void *descValue, const void *alpha,
                               const void *a, void *aLayout, const void *b,
                               void *bLayout, const void *beta, const void *c,
                               void *cLayout, void *d, void *dLayout,
                               const void *algorithmValue, void *workspace,
                               size_t workspaceSize, void *) {
  if (int status = result("cublasLtMatmul"))
    return status;
  uint64_t algorithm = static_cast<const Algorithm *>(algorithmValue)->data[0];
  constexpr int kExecutionFailed = 13;
  if (runnableAlgorithm != 0 && algorithm != runnableAlgorithm)
    return kExecutionFailed;
  lastAlgorithm = algorithm;
  if (algorithm >= 1 && algorithm <= kMaxDelays && delaysUs[algorithm] > 0)
    std::this_thread::sleep_for(std::chrono::microseconds(delaysUs[algorithm]));
  constexpr int kInvalidValue = 7;
  if (workspaceSize < workspaceBytes ||
      (workspaceSize != 0 && workspace == nullptr))
    return kInvalidValue;
  if (workspaceSize >= sizeof(uint64_t)) {
    uint64_t token = nextToken++;
    std::memcpy(workspace, &token, sizeof(token));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    uint64_t seen;
    std::memcpy(&seen, workspace, sizeof(seen));
    if (seen != token)
      ++workspaceConflicts;
  }
  const Desc &desc = *static_cast<Desc *>(descValue);
  lastComputeType = desc.computeType;
  constexpr int kNotSupported = 15, kEpilogueBias = 4;
  bool biased = desc.epilogue == kEpilogueBias;
  if (biased && (desc.biasType != kF32 || desc.bias == nullptr))
    return kNotSupported;
  if (biased)
    lastBias = reinterpret_cast<uintptr_t>(desc.bias);
  const Layout &la = *static_cast<Layout *>(aLayout);
  const Layout &lb = *static_cast<Layout *>(bLayout);
  const Layout &lc = *static_cast<Layout *>(cLayout);
  const Layout &ld = *static_cast<Layout *>(dLayout);
  bool integer = desc.scaleType == kI32;
  double alphaValue = integer ? *static_cast<const int32_t *>(alpha)
                              : *static_cast<const float *>(alpha);
  double betaValue = integer ? *static_cast<const int32_t *>(beta)
                             : *static_cast<const float *>(beta);
  int64_t m = ld.rows, n = ld.cols;
  int64_t k = desc.transA ? la.rows : la.cols;
  for (int64_t batch = 0; batch < ld.batch; ++batch)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double sum = 0;
        for (int64_t p = 0; p < k; ++p)
          sum += element(a, la, desc.transA, batch, i, p) *
                 element(b, lb, desc.transB, batch, p, j);
        double value = alphaValue * sum;
        if (betaValue != 0)
          value += betaValue * element(c, lc, 0, batch, i, j);
        if (biased)
          value = static_cast<float>(value) +
                  static_cast<const float *>(desc.bias)[i];
        int64_t index = batch * ld.batchOffset + j * ld.ld + i;
        if (ld.type == kF32)
          static_cast<float *>(d)[index] = static_cast<float>(value);
        else
          static_cast<int32_t *>(d)[index] = static_cast<int32_t>(value);
      }
  return 0;
}
#endif
