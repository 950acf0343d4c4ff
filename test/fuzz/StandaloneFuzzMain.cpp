//===- StandaloneFuzzMain.cpp - a fuzz target without libFuzzer -----------===//
//
// Outside the fuzzing build (VMGPU_FUZZ=OFF) each fuzz target links this
// main instead of libFuzzer's: it runs the target once on each file named
// on the command line (the regression inputs in test/fuzz/regressions,
// run by test/fuzz/regressions.test), so every input that once crashed is
// replayed by the normal suite, invariants included.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "error: cannot read %s\n", argv[i]);
      return 1;
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                           bytes.size());
    std::printf("%s: ran\n", argv[i]);
  }
  return 0;
}
