//===- CpuBlas.h - a BLAS library, loaded at run time -----------*- C++ -*-===//
//
// The library behind the CPU's `library` contraction strategy
// (CpuLibraryGemm.h): OpenBLAS (or BLIS, or any BLAS with the Fortran
// interface) loaded with dlopen, so that vmgpu builds and runs without it.
// The library's integers may be 32 bits (LP64) or 64 (ILP64), and its
// symbols may carry OpenBLAS's suffix for ILP64 builds (`sgemm_64_`) or the
// prefix of the OpenBLAS that NumPy's wheels ship (`scipy_sgemm_64_`), so
// $VMGPU_BLAS_LIBRARY can name that one too (docs/cpu-path.md, 2e). A block
// compiled for it does not load where no BLAS does (Unavailable); the engine
// compiles contractions with the generated strategy there.
//
// vmgpu calls the library either from its own OpenMP threads, one
// single-threaded call per tile, or once from the block's calling thread
// with the library's own threads (CpuLibraryGemm.h says which):
// CpuBlasSerialSection sets the library's thread count to 1 while library
// blocks run, and CpuBlasCall orders each call against the calls that raise
// that count for themselves.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_CPUBLAS_H
#define VMGPU_RUNTIME_CPUBLAS_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vmgpu::runtime {

/// The process-wide state behind a library's thread count (CpuBlas.cpp):
/// one per loaded library, whichever CpuBlas instance reaches it.
struct CpuBlasThreadState;

/// A loaded BLAS: its GEMMs and, where the library has them, the functions
/// that get and set its thread count (OpenBLAS's or BLIS's).
///
/// Ownership: get() returns a process-wide singleton that is never
/// unloaded; load() returns an instance the caller owns (the library stays
/// loaded). Thread-safety: every member may be called concurrently (BLAS
/// GEMMs are reentrant when the library runs them on the calling thread).
class CpuBlas {
public:
  /// Fortran `sgemm_`/`dgemm_` with integers of type `Int`: C = alpha
  /// op(A) op(B) + beta C, column-major, with the hidden lengths of the two
  /// one-character arguments (C implementations ignore them).
  template <typename T, typename Int>
  using Gemm = void (*)(const char *transA, const char *transB, const Int *m,
                        const Int *n, const Int *k, const T *alpha, const T *a,
                        const Int *lda, const T *b, const Int *ldb,
                        const T *beta, T *c, const Int *ldc,
                        size_t transALength, size_t transBLength);

  /// The library, loaded on first use from defaultLibraryNames().
  /// Unavailable when none loads or the one that does lacks a GEMM.
  static StatusOr<CpuBlas *> get();
  /// get()'s library when an earlier get() loaded it; null otherwise (never
  /// loads).
  static CpuBlas *loadedInstance();
  /// Loads the first of `libraries` that dlopen finds. For tests (a fake
  /// library) and embedders; each call makes a new instance.
  static StatusOr<std::unique_ptr<CpuBlas>>
  load(const std::vector<std::string> &libraries);
  /// $VMGPU_BLAS_LIBRARY when set, else libopenblas.so.0.
  static std::vector<std::string> defaultLibraryNames();

  /// C = alpha op(A) op(B) + beta C through the library's `sgemm_`
  /// (T = float) or `dgemm_` (T = double), column-major; op is A or its
  /// transpose ('N' or 'T'). Sizes and leading dimensions must fit
  /// integerBits(). Defined for float and double (CpuBlas.cpp).
  template <typename T>
  void gemm(char transA, char transB, int64_t m, int64_t n, int64_t k, T alpha,
            const T *a, int64_t lda, const T *b, int64_t ldb, T beta, T *c,
            int64_t ldc) const;

  /// The width of the library's integers: 64 for an ILP64 build (OpenBLAS's
  /// configuration says USE64BITINT, BLIS's BLAS integers are 64 bits, or
  /// the symbols carry OpenBLAS's `64_` suffix and the library says nothing
  /// else), else 32.
  int integerBits() const { return integerBits_; }

  /// "openblas" or "blis" when vmgpu can set the library's thread count,
  /// else "none" (a BLAS assumed to compute on the calling thread).
  const char *threadControl() const;
  /// The library's thread count; 1 without thread control.
  int64_t threads() const;
  /// Sets it (nothing without thread control).
  void setThreads(int64_t count) const;
  /// Whether a call runs on exactly the thread count setThreads gave it:
  /// OpenBLAS's pthreads build. Its OpenMP build takes OpenMP's count
  /// instead (OMP_NUM_THREADS, which must not change the bits), its
  /// sequential build and BLIS are not asked (their calls stay tiles).
  bool canRunThreadedCalls() const { return threadedCalls_; }

  /// The library's thread-count state; null without thread control.
  CpuBlasThreadState *threadState() const { return threadState_; }

  /// The file that loaded.
  const std::string &fileName() const { return fileName_; }

private:
  CpuBlas() = default;
  std::string fileName_;
  int integerBits_ = 32;
  /// One GEMM of the library: the entry of the width above (the other
  /// stays null).
  template <typename T> struct Entries {
    Gemm<T, int32_t> narrow = nullptr;
    Gemm<T, int64_t> wide = nullptr;
  };
  Entries<float> sgemm_;
  Entries<double> dgemm_;
  int (*openblasGetThreads_)() = nullptr;
  void (*openblasSetThreads_)(int) = nullptr;
  // BLIS's dim_t is 64 bits wide.
  int64_t (*blisGetThreads_)() = nullptr;
  void (*blisSetThreads_)(int64_t) = nullptr;
  // Both resolved once, in load().
  CpuBlasThreadState *threadState_ = nullptr;
  bool threadedCalls_ = false;
};

/// While one exists, `blas` computes every call on the calling thread: the
/// first section of the process sets the library's thread count to 1, the
/// last one gives it back the count it had (other code of the process that
/// calls the same library in between also runs single-threaded). Sections
/// nest and may be made from several threads.
class CpuBlasSerialSection {
public:
  explicit CpuBlasSerialSection(const CpuBlas &blas);
  ~CpuBlasSerialSection();
  CpuBlasSerialSection(const CpuBlasSerialSection &) = delete;
  CpuBlasSerialSection &operator=(const CpuBlasSerialSection &) = delete;

private:
  const CpuBlas &blas_;
};

/// Held around one call of `blas`'s GEMMs. With `threads` = 1 the call runs
/// on the calling thread (the count a CpuBlasSerialSection set), alongside
/// other such calls of the process (tiles from several threads). With
/// `threads` > 1 the library gets that many threads for this call alone:
/// it waits until no other vmgpu call of the process runs, holds the others
/// off until it ends, and then gives the library back the count it had. So
/// no vmgpu call runs with another's thread count, which would change its
/// bits (code outside vmgpu that sets the same library's count meanwhile is
/// not held off). The lock is a std::shared_mutex: a stream of
/// single-threaded calls from concurrent blocks can make a threaded call
/// wait. Nothing happens for a library without thread control.
class CpuBlasCall {
public:
  CpuBlasCall(const CpuBlas &blas, int64_t threads);
  ~CpuBlasCall();
  CpuBlasCall(const CpuBlasCall &) = delete;
  CpuBlasCall &operator=(const CpuBlasCall &) = delete;

private:
  const CpuBlas &blas_;
  bool exclusive_ = false;
  int64_t savedThreads_ = 1;
};

extern template void CpuBlas::gemm<float>(char, char, int64_t, int64_t, int64_t,
                                          float, const float *, int64_t,
                                          const float *, int64_t, float,
                                          float *, int64_t) const;
extern template void CpuBlas::gemm<double>(char, char, int64_t, int64_t,
                                           int64_t, double, const double *,
                                           int64_t, const double *, int64_t,
                                           double, double *, int64_t) const;

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_CPUBLAS_H
