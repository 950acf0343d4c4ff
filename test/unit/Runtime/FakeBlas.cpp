//===- FakeBlas.cpp - a stand-in BLAS for the CPU library GEMM's tests ----===//
//
// Exports the Fortran `sgemm_`/`dgemm_` (column-major, op N or T, alpha and
// beta as the BLAS defines them, beta = 0 never reading C) and OpenBLAS's
// thread-count and configuration functions. Controls (fakeBlas*) count the
// GEMM calls and report the thread count the library had during the last
// one and the leading dimension of A it received. Built in variants without
// thread control (FAKE_BLAS_NO_THREADS), without dgemm_ (FAKE_BLAS_NO_DGEMM),
// and as the ILP64 OpenBLAS of NumPy's wheels (FAKE_BLAS_ILP64: 64-bit
// integers, names `scipy_<name>64_`, a configuration that says USE64BITINT).
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <cstddef>
#include <cstdint>

#ifdef FAKE_BLAS_ILP64
using BlasInt = int64_t;
#define FAKE_BLAS_NAME(name) scipy_##name##64_
#define FAKE_BLAS_CONFIG "OpenBLAS 0.0.0 (vmgpu's fake) USE64BITINT"
#else
using BlasInt = int32_t;
#define FAKE_BLAS_NAME(name) name
#define FAKE_BLAS_CONFIG "OpenBLAS 0.0.0 (vmgpu's fake)"
#endif

namespace {
std::atomic<int> threads{4};
std::atomic<int> gemmCalls{0};
std::atomic<int> threadsInLastCall{-1};
std::atomic<int64_t> lastLda{-1};

template <typename T>
void gemm(const char *transA, const char *transB, const BlasInt *m,
          const BlasInt *n, const BlasInt *k, const T *alpha, const T *a,
          const BlasInt *lda, const T *b, const BlasInt *ldb, const T *beta,
          T *c, const BlasInt *ldc) {
  ++gemmCalls;
  threadsInLastCall = threads.load();
  lastLda = *lda;
  bool ta = *transA == 'T' || *transA == 't';
  bool tb = *transB == 'T' || *transB == 't';
  for (BlasInt j = 0; j < *n; ++j)
    for (BlasInt i = 0; i < *m; ++i) {
      T sum = 0;
      for (BlasInt p = 0; p < *k; ++p) {
        T x = ta ? a[p + static_cast<int64_t>(i) * *lda]
                 : a[i + static_cast<int64_t>(p) * *lda];
        T y = tb ? b[j + static_cast<int64_t>(p) * *ldb]
                 : b[p + static_cast<int64_t>(j) * *ldb];
        sum += x * y;
      }
      T &out = c[i + static_cast<int64_t>(j) * *ldc];
      out = *beta == 0 ? *alpha * sum : *alpha * sum + *beta * out;
    }
}
} // namespace

extern "C" {
void FAKE_BLAS_NAME(sgemm_)(const char *transA, const char *transB,
                            const BlasInt *m, const BlasInt *n,
                            const BlasInt *k, const float *alpha,
                            const float *a, const BlasInt *lda, const float *b,
                            const BlasInt *ldb, const float *beta, float *c,
                            const BlasInt *ldc, size_t, size_t) {
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

#ifndef FAKE_BLAS_NO_DGEMM
void FAKE_BLAS_NAME(dgemm_)(const char *transA, const char *transB,
                            const BlasInt *m, const BlasInt *n,
                            const BlasInt *k, const double *alpha,
                            const double *a, const BlasInt *lda,
                            const double *b, const BlasInt *ldb,
                            const double *beta, double *c, const BlasInt *ldc,
                            size_t, size_t) {
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#endif

#ifndef FAKE_BLAS_NO_THREADS
int FAKE_BLAS_NAME(openblas_get_num_threads)() { return threads.load(); }
void FAKE_BLAS_NAME(openblas_set_num_threads)(int count) { threads = count; }
// The pthreads build: calls run on the count set above.
int FAKE_BLAS_NAME(openblas_get_parallel)() { return 1; }
#endif

const char *FAKE_BLAS_NAME(openblas_get_config)() { return FAKE_BLAS_CONFIG; }

int fakeBlasGemmCalls() { return gemmCalls.load(); }
int fakeBlasThreadsInLastCall() { return threadsInLastCall.load(); }
int fakeBlasThreads() { return threads.load(); }
int64_t fakeBlasLastLda() { return lastLda.load(); }
}
