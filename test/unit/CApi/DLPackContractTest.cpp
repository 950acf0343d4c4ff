//===- DLPackContractTest.cpp - runs DLPackContract.c's checks ------------===//

#include <gtest/gtest.h>

#include <cstddef>

extern "C" {
int vmgpuDLPackHeaderPresent(void);
int vmgpuDLPackExportIsCompactAndOwned(char *message, size_t size);
int vmgpuDLPackBooleansTravelAsUint8(char *message, size_t size);
int vmgpuDLPackImportIsZeroCopyAndDeletesOnce(char *message, size_t size);
int vmgpuDLPackRefusalsStillRelease(char *message, size_t size);
int vmgpuDLPackRunsOnImportedTensors(char *message, size_t size);
int vmgpuDLPackEmptyTensorsAreCompact(char *message, size_t size);
}

namespace {

using Check = int (*)(char *, size_t);

void run(Check check) {
  char message[512] = {};
  EXPECT_EQ(check(message, sizeof(message)), 1) << message;
}

class DLPackContractTest : public ::testing::Test {
protected:
  void SetUp() override {
    if (!vmgpuDLPackHeaderPresent())
      GTEST_SKIP() << "no dlpack/dlpack.h (Debian: libdlpack-dev)";
  }
};

#ifdef VMGPU_TEST_HAS_DLPACK_HEADER
TEST_F(DLPackContractTest, ExportIsCompactAndOwned) {
  run(vmgpuDLPackExportIsCompactAndOwned);
}
TEST_F(DLPackContractTest, BooleansTravelAsUint8) {
  run(vmgpuDLPackBooleansTravelAsUint8);
}
TEST_F(DLPackContractTest, ImportIsZeroCopyAndDeletesOnce) {
  run(vmgpuDLPackImportIsZeroCopyAndDeletesOnce);
}
TEST_F(DLPackContractTest, RefusalsStillRelease) {
  run(vmgpuDLPackRefusalsStillRelease);
}
TEST_F(DLPackContractTest, RunsOnImportedTensors) {
  run(vmgpuDLPackRunsOnImportedTensors);
}
TEST_F(DLPackContractTest, EmptyTensorsAreCompact) {
  run(vmgpuDLPackEmptyTensorsAreCompact);
}
#else
TEST_F(DLPackContractTest, NeedsTheHeader) {}
#endif

} // namespace
