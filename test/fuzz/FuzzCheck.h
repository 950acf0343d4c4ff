//===- FuzzCheck.h - invariants the fuzz targets assert -----------*- C++ -*-===//
//
// A fuzz target reports a broken invariant by aborting with a message:
// libFuzzer keeps the input that did it. Plain `assert` would vanish in the
// release builds the fuzzers use (NDEBUG).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_FUZZ_FUZZCHECK_H
#define VMGPU_TEST_FUZZ_FUZZCHECK_H

#include <cstdio>
#include <cstdlib>

#define VMGPU_FUZZ_CHECK(condition, message)                                   \
  do {                                                                         \
    if (!(condition)) {                                                        \
      std::fprintf(stderr, "%s:%d: fuzz invariant broken: %s (%s)\n",          \
                   __FILE__, __LINE__, message, #condition);                   \
      std::abort();                                                            \
    }                                                                          \
  } while (false)

#endif // VMGPU_TEST_FUZZ_FUZZCHECK_H
