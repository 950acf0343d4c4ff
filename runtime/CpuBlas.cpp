//===- CpuBlas.cpp - a BLAS library, loaded at run time -------------------===//

#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/DriverLibrary.h"
#include "vmgpu/runtime/Environment.h"

#include <map>
#include <mutex>

namespace vmgpu::runtime {

std::vector<std::string> CpuBlas::defaultLibraryNames() {
  if (std::optional<std::string> path =
          environmentValue(EnvironmentVariable::BlasLibrary))
    return {*path};
  return {"libopenblas.so.0"};
}

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
  if (!resolveDriverSymbol(library, "openblas_get_parallel",
                           loaded->openblasGetParallel_))
    loaded->openblasGetParallel_ = nullptr;
  resolvePair("bli_thread_get_num_threads", loaded->blisGetThreads_,
              "bli_thread_set_num_threads", loaded->blisSetThreads_);
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

namespace {
/// The sections open on one library and the lock its calls take (its
/// thread count is process-wide state of the library, whatever CpuBlas
/// instance reaches it).
struct SerialState {
  int64_t sections = 0;
  int64_t savedThreads = 1;
  std::shared_mutex calls;
};
std::mutex serialMutex;
std::map<const void *, SerialState> &serialStates() {
  static auto *states = new std::map<const void *, SerialState>();
  return *states;
}
} // namespace

bool CpuBlas::canRunThreadedCalls() const {
  constexpr int kOpenblasPthreads = 1;
  return openblasSetThreads_ && openblasGetParallel_ &&
         openblasGetParallel_() == kOpenblasPthreads;
}

const void *CpuBlas::threadState() const {
  if (openblasSetThreads_)
    return reinterpret_cast<const void *>(openblasSetThreads_);
  return reinterpret_cast<const void *>(blisSetThreads_);
}

CpuBlasSerialSection::CpuBlasSerialSection(const CpuBlas &blas) : blas_(blas) {
  if (!blas_.threadState())
    return;
  std::lock_guard<std::mutex> lock(serialMutex);
  SerialState &state = serialStates()[blas_.threadState()];
  if (state.sections++ > 0)
    return;
  state.savedThreads = blas_.threads();
  if (state.savedThreads != 1)
    blas_.setThreads(1);
}

CpuBlasSerialSection::~CpuBlasSerialSection() {
  if (!blas_.threadState())
    return;
  std::lock_guard<std::mutex> lock(serialMutex);
  SerialState &state = serialStates()[blas_.threadState()];
  if (--state.sections > 0)
    return;
  if (state.savedThreads != 1)
    blas_.setThreads(state.savedThreads);
}

CpuBlasCall::CpuBlasCall(const CpuBlas &blas, int64_t threads) : blas_(blas) {
  if (!blas_.threadState())
    return;
  {
    // std::map keeps its elements in place: the lock outlives this scope.
    std::lock_guard<std::mutex> lock(serialMutex);
    calls_ = &serialStates()[blas_.threadState()].calls;
  }
  if (threads <= 1) {
    calls_->lock_shared();
    return;
  }
  calls_->lock();
  exclusive_ = true;
  savedThreads_ = blas_.threads();
  blas_.setThreads(threads);
}

CpuBlasCall::~CpuBlasCall() {
  if (!calls_)
    return;
  if (!exclusive_) {
    calls_->unlock_shared();
    return;
  }
  blas_.setThreads(savedThreads_);
  calls_->unlock();
}

} // namespace vmgpu::runtime
