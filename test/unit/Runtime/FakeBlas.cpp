//===- FakeBlas.cpp - a stand-in BLAS for the CPU library GEMM's tests ----===//
//
// Exports the Fortran `sgemm_`/`dgemm_` (column-major, op N or T, alpha and
// beta as the BLAS defines them, beta = 0 never reading C) and OpenBLAS's
// thread-count functions. Controls (fakeBlas*) count the GEMM calls and
// report the thread count the library had during the last one. Built in
// variants without thread control (FAKE_BLAS_NO_THREADS) and without
// dgemm_ (FAKE_BLAS_NO_DGEMM).
//
//===----------------------------------------------------------------------===//

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace {
std::atomic<int> threads{4};
std::atomic<int> gemmCalls{0};
std::atomic<int> threadsInLastCall{-1};

template <typename T>
void gemm(const char *transA, const char *transB, const int32_t *m,
          const int32_t *n, const int32_t *k, const T *alpha, const T *a,
          const int32_t *lda, const T *b, const int32_t *ldb, const T *beta,
          T *c, const int32_t *ldc) {
  ++gemmCalls;
  threadsInLastCall = threads.load();
  bool ta = *transA == 'T' || *transA == 't';
  bool tb = *transB == 'T' || *transB == 't';
  for (int32_t j = 0; j < *n; ++j)
    for (int32_t i = 0; i < *m; ++i) {
      T sum = 0;
      for (int32_t p = 0; p < *k; ++p) {
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
void sgemm_(const char *transA, const char *transB, const int32_t *m,
            const int32_t *n, const int32_t *k, const float *alpha,
            const float *a, const int32_t *lda, const float *b,
            const int32_t *ldb, const float *beta, float *c, const int32_t *ldc,
            size_t, size_t) {
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

#ifndef FAKE_BLAS_NO_DGEMM
void dgemm_(const char *transA, const char *transB, const int32_t *m,
            const int32_t *n, const int32_t *k, const double *alpha,
            const double *a, const int32_t *lda, const double *b,
            const int32_t *ldb, const double *beta, double *c,
            const int32_t *ldc, size_t, size_t) {
  gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#endif

#ifndef FAKE_BLAS_NO_THREADS
int openblas_get_num_threads() { return threads.load(); }
void openblas_set_num_threads(int count) { threads = count; }
// The pthreads build: calls run on the count set above.
int openblas_get_parallel() { return 1; }
#endif

int fakeBlasGemmCalls() { return gemmCalls.load(); }
int fakeBlasThreadsInLastCall() { return threadsInLastCall.load(); }
int fakeBlasThreads() { return threads.load(); }
}
