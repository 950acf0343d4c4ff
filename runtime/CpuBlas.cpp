//===- CpuBlas.cpp - a BLAS library, loaded at run time -------------------===//

#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/DriverLibrary.h"
#include "vmgpu/runtime/Environment.h"

#include <map>
#include <mutex>
#include <shared_mutex>

namespace vmgpu::runtime {

std::vector<std::string> CpuBlas::defaultLibraryNames() {
  if (std::optional<std::string> path =
          environmentValue(EnvironmentVariable::BlasLibrary))
    return {*path};
  return {"libopenblas.so.0"};
}

/// The sections open on one library and the lock its calls take.
struct CpuBlasThreadState {
  int64_t sections = 0;
  int64_t savedThreads = 1;
  std::shared_mutex calls;
};

namespace {
std::mutex serialMutex;
/// One state per library, keyed by its thread-count setter's address
/// (never freed: CpuBlas instances point into it).
CpuBlasThreadState *threadStateOf(const void *setter) {
  static auto *states = new std::map<const void *, CpuBlasThreadState>();
  std::lock_guard<std::mutex> lock(serialMutex);
  return &(*states)[setter];
}
} // namespace

StatusOr<std::unique_ptr<CpuBlas>>
CpuBlas::load(const std::vector<std::string> &libraries) {
  VMGPU_ASSIGN_OR_RETURN(DriverLibrary library,
                         openDriverLibrary(libraries, "BLAS library"));
  std::unique_ptr<CpuBlas> loaded(new CpuBlas());
  loaded->fileName_ = library.fileName;
  if (!resolveDriverSymbol(library, "sgemm_", loaded->sgemm))
    return unavailableError(library.fileName + " lacks sgemm_");
  if (!resolveDriverSymbol(library, "dgemm_", loaded->dgemm))
    return unavailableError(library.fileName + " lacks dgemm_");
  // Thread control comes in pairs; a library with half of one has none.
  auto resolvePair = [&](const char *getName, auto &get, const char *setName,
                         auto &set) {
    if (!resolveDriverSymbol(library, getName, get) ||
        !resolveDriverSymbol(library, setName, set)) {
      get = nullptr;
      set = nullptr;
    }
  };
  resolvePair("openblas_get_num_threads", loaded->openblasGetThreads_,
              "openblas_set_num_threads", loaded->openblasSetThreads_);
  resolvePair("bli_thread_get_num_threads", loaded->blisGetThreads_,
              "bli_thread_set_num_threads", loaded->blisSetThreads_);
  if (loaded->openblasSetThreads_)
    loaded->threadState_ = threadStateOf(
        reinterpret_cast<const void *>(loaded->openblasSetThreads_));
  else if (loaded->blisSetThreads_)
    loaded->threadState_ =
        threadStateOf(reinterpret_cast<const void *>(loaded->blisSetThreads_));
  // 0 sequential, 1 pthreads, 2 OpenMP: only the pthreads build runs a call
  // on the count it was given.
  int (*parallel)() = nullptr;
  constexpr int kOpenblasPthreads = 1;
  loaded->threadedCalls_ =
      loaded->openblasSetThreads_ &&
      resolveDriverSymbol(library, "openblas_get_parallel", parallel) &&
      parallel() == kOpenblasPthreads;
  return loaded;
}

static ProcessLibrary<CpuBlas> &processLibrary() {
  static auto *library = new ProcessLibrary<CpuBlas>();
  return *library;
}

StatusOr<CpuBlas *> CpuBlas::get() {
  return processLibrary().get([] { return load(defaultLibraryNames()); });
}

CpuBlas *CpuBlas::loadedInstance() { return processLibrary().loaded(); }

const char *CpuBlas::threadControl() const {
  if (openblasSetThreads_)
    return "openblas";
  if (blisSetThreads_)
    return "blis";
  return "none";
}

int64_t CpuBlas::threads() const {
  if (openblasGetThreads_)
    return openblasGetThreads_();
  if (blisGetThreads_)
    return blisGetThreads_();
  return 1;
}

void CpuBlas::setThreads(int64_t count) const {
  if (openblasSetThreads_)
    openblasSetThreads_(static_cast<int>(count));
  else if (blisSetThreads_)
    blisSetThreads_(count);
}


CpuBlasSerialSection::CpuBlasSerialSection(const CpuBlas &blas) : blas_(blas) {
  CpuBlasThreadState *state = blas_.threadState();
  if (!state)
    return;
  std::lock_guard<std::mutex> lock(serialMutex);
  if (state->sections++ > 0)
    return;
  state->savedThreads = blas_.threads();
  if (state->savedThreads != 1)
    blas_.setThreads(1);
}

CpuBlasSerialSection::~CpuBlasSerialSection() {
  CpuBlasThreadState *state = blas_.threadState();
  if (!state)
    return;
  std::lock_guard<std::mutex> lock(serialMutex);
  if (--state->sections > 0)
    return;
  if (state->savedThreads != 1)
    blas_.setThreads(state->savedThreads);
}

CpuBlasCall::CpuBlasCall(const CpuBlas &blas, int64_t threads) : blas_(blas) {
  CpuBlasThreadState *state = blas_.threadState();
  if (!state)
    return;
  if (threads <= 1) {
    state->calls.lock_shared();
    return;
  }
  state->calls.lock();
  exclusive_ = true;
  savedThreads_ = blas_.threads();
  blas_.setThreads(threads);
}

CpuBlasCall::~CpuBlasCall() {
  CpuBlasThreadState *state = blas_.threadState();
  if (!state)
    return;
  if (!exclusive_) {
    state->calls.unlock_shared();
    return;
  }
  blas_.setThreads(savedThreads_);
  state->calls.unlock();
}

} // namespace vmgpu::runtime
