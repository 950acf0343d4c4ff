//===- CpuBlas.cpp - a BLAS library, loaded at run time -------------------===//

#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/DriverLibrary.h"
#include "vmgpu/runtime/Environment.h"

#include <cstring>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <type_traits>

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

namespace {
/// How a BLAS names its functions: prefix + the usual name + suffix.
/// OpenBLAS's own names; its ILP64 builds as Julia and NumPy make them
/// (SYMBOLSUFFIX=64_: `sgemm_64_`, `openblas_set_num_threads64_`); the
/// OpenBLAS inside NumPy's and SciPy's wheels (scipy-openblas64, and
/// scipy-openblas32 without the suffix).
struct BlasNaming {
  const char *prefix;
  const char *suffix;
};
constexpr BlasNaming kBlasNamings[] = {
    {"", ""}, {"", "64_"}, {"scipy_", "64_"}, {"scipy_", ""}};

/// `name` under `naming`, resolved in `library`.
template <typename Function>
bool resolveNamed(const DriverLibrary &library, const BlasNaming &naming,
                  const char *name, Function &entry) {
  std::string symbol = std::string(naming.prefix) + name + naming.suffix;
  return resolveDriverSymbol(library, symbol.c_str(), entry);
}

/// The width of the library's integers (CpuBlas::integerBits).
int blasIntegerBits(const DriverLibrary &library, const BlasNaming &naming) {
  char *(*openblasConfig)() = nullptr;
  if (resolveNamed(library, naming, "openblas_get_config", openblasConfig)) {
    const char *config = openblasConfig();
    return config && std::strstr(config, "USE64BITINT") ? 64 : 32;
  }
  // BLIS returns its gint_t (64 bits by default, 32 in a build with
  // --int-size=32): its low 32 bits hold the width in either.
  int64_t (*blisIntegerBits)() = nullptr;
  if (resolveNamed(library, naming, "bli_info_get_blas_int_type_size",
                   blisIntegerBits))
    return static_cast<int32_t>(blisIntegerBits()) == 64 ? 64 : 32;
  return std::strcmp(naming.suffix, "64_") == 0 ? 64 : 32;
}
} // namespace

StatusOr<std::unique_ptr<CpuBlas>>
CpuBlas::load(const std::vector<std::string> &libraries) {
  VMGPU_ASSIGN_OR_RETURN(DriverLibrary library,
                         openDriverLibrary(libraries, "BLAS library"));
  std::unique_ptr<CpuBlas> loaded(new CpuBlas());
  loaded->fileName_ = library.fileName;
  // The first naming under which the library has an sgemm.
  const BlasNaming *naming = nullptr;
  void (*sgemm)() = nullptr;
  for (const BlasNaming &candidate : kBlasNamings)
    if (resolveNamed(library, candidate, "sgemm_", sgemm)) {
      naming = &candidate;
      break;
    }
  if (!naming)
    return unavailableError(library.fileName +
                            " lacks sgemm_ (also under OpenBLAS's ILP64 and "
                            "scipy-openblas names)");
  loaded->integerBits_ = blasIntegerBits(library, *naming);
  auto resolveGemm = [&](const char *name, auto &entries) {
    return loaded->integerBits_ == 64
               ? resolveNamed(library, *naming, name, entries.wide)
               : resolveNamed(library, *naming, name, entries.narrow);
  };
  bool gemms = resolveGemm("sgemm_", loaded->sgemm_) &&
               resolveGemm("dgemm_", loaded->dgemm_);
  if (!gemms)
    return unavailableError(library.fileName + " lacks " + naming->prefix +
                            "dgemm_" + naming->suffix);
  // Thread control comes in pairs; a library with half of one has none.
  auto resolvePair = [&](const char *getName, auto &get, const char *setName,
                         auto &set) {
    if (!resolveNamed(library, *naming, getName, get) ||
        !resolveNamed(library, *naming, setName, set)) {
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
      resolveNamed(library, *naming, "openblas_get_parallel", parallel) &&
      parallel() == kOpenblasPthreads;
  return loaded;
}

template <typename T, typename Int>
static void callFortranGemm(CpuBlas::Gemm<T, Int> gemm, char transA,
                            char transB, int64_t m, int64_t n, int64_t k,
                            T alpha, const T *a, int64_t lda, const T *b,
                            int64_t ldb, T beta, T *c, int64_t ldc) {
  auto im = static_cast<Int>(m), in = static_cast<Int>(n),
       ik = static_cast<Int>(k), ilda = static_cast<Int>(lda),
       ildb = static_cast<Int>(ldb), ildc = static_cast<Int>(ldc);
  gemm(&transA, &transB, &im, &in, &ik, &alpha, a, &ilda, b, &ildb, &beta, c,
       &ildc, 1, 1);
}

template <typename T>
void CpuBlas::gemm(char transA, char transB, int64_t m, int64_t n, int64_t k,
                   T alpha, const T *a, int64_t lda, const T *b, int64_t ldb,
                   T beta, T *c, int64_t ldc) const {
  const Entries<T> *entries;
  if constexpr (std::is_same_v<T, float>)
    entries = &sgemm_;
  else
    entries = &dgemm_;
  if (entries->wide)
    callFortranGemm(entries->wide, transA, transB, m, n, k, alpha, a, lda, b,
                    ldb, beta, c, ldc);
  else
    callFortranGemm(entries->narrow, transA, transB, m, n, k, alpha, a, lda, b,
                    ldb, beta, c, ldc);
}

template void CpuBlas::gemm<float>(char, char, int64_t, int64_t, int64_t, float,
                                   const float *, int64_t, const float *,
                                   int64_t, float, float *, int64_t) const;
template void CpuBlas::gemm<double>(char, char, int64_t, int64_t, int64_t,
                                    double, const double *, int64_t,
                                    const double *, int64_t, double, double *,
                                    int64_t) const;

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
