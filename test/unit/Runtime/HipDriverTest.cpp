//===- HipDriverTest.cpp - HipDriver against absent and fake runtimes -----===//

#include "FakeHipControl.h"
#include "vmgpu/runtime/HipDriver.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dlfcn.h>

using namespace vmgpu::runtime;

namespace {

using FakeHip = vmgpu::test::FakeHipControl;

std::unique_ptr<HipDriver> loadFake(const char *path) {
  StatusOr<std::unique_ptr<HipDriver>> driver = HipDriver::load({path});
  EXPECT_TRUE(driver.isOk()) << driver.status().toString();
  return driver.isOk() ? std::move(driver).value() : nullptr;
}

TEST(HipDriverTest, AbsentLibraryIsUnavailable) {
  StatusOr<std::unique_ptr<HipDriver>> driver =
      HipDriver::load({"libvmgpu-no-such-hip.so", "libvmgpu-no-such-hip.so.6"});
  ASSERT_FALSE(driver.isOk());
  EXPECT_EQ(driver.status().code(), StatusCode::Unavailable);
  EXPECT_NE(driver.status().message().find("libvmgpu-no-such-hip.so.6"),
            std::string::npos)
      << driver.status().message();
}

TEST(HipDriverTest, ProcessDriverWithoutHipIsUnavailable) {
  if (void *real = dlopen("libamdhip64.so", RTLD_NOW | RTLD_LOCAL)) {
    dlclose(real);
    GTEST_SKIP() << "a HIP runtime is installed";
  }
  if (std::getenv("VMGPU_HIP_LIBRARY"))
    GTEST_SKIP() << "VMGPU_HIP_LIBRARY is set";
  StatusOr<HipDriver *> driver = HipDriver::get();
  ASSERT_FALSE(driver.isOk());
  EXPECT_EQ(driver.status().code(), StatusCode::Unavailable);
  EXPECT_NE(driver.status().message().find("libamdhip64.so"),
            std::string::npos);
}

TEST(HipDriverTest, LoadsTheSymbolTable) {
  FakeHip fake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(fake.handle) << dlerror();
  std::unique_ptr<HipDriver> driver = loadFake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(driver);
  EXPECT_EQ(driver->libraryName(), VMGPU_FAKE_HIP);
  EXPECT_TRUE(driver->hipModuleLaunchKernel);
  EXPECT_TRUE(driver->hipGetErrorName);
  EXPECT_TRUE(driver->hipGetDevicePropertiesR0600);
  // Absent optional symbols stay null.
  EXPECT_FALSE(driver->hipGetDeviceProperties);

  StatusOr<int> count = driver->deviceCount();
  ASSERT_TRUE(count.isOk());
  EXPECT_EQ(*count, 2);
  StatusOr<HipDeviceInfo> info = driver->deviceInfo(0);
  ASSERT_TRUE(info.isOk()) << info.status().toString();
  EXPECT_EQ(info->name, "Fake Instinct");
  EXPECT_EQ(info->architecture, "gfx942");
  EXPECT_EQ(info->memoryBytes, size_t(192) << 30);
  EXPECT_TRUE(driver->makeCurrent(1).isOk());

  StatusOr<hipModule_t> module = driver->loadModule("HSACO");
  ASSERT_TRUE(module.isOk());
  StatusOr<hipFunction_t> function = driver->getFunction(*module, "main_kernel");
  ASSERT_TRUE(function.isOk());
  StatusOr<hipStream_t> stream = driver->createStream();
  ASSERT_TRUE(stream.isOk());
  const unsigned grid[3] = {4, 1, 1}, block[3] = {256, 1, 1};
  EXPECT_TRUE(driver->launch(*function, grid, block, 0, *stream, nullptr).isOk());
  const unsigned empty[3] = {0, 1, 1};
  EXPECT_EQ(driver->launch(*function, empty, block, 0, *stream, nullptr).code(),
            StatusCode::Internal);
  EXPECT_TRUE(driver->synchronize(*stream).isOk());
  EXPECT_TRUE(driver->destroyStream(*stream).isOk());
  StatusOr<void *> memory = driver->allocateManaged(0);
  ASSERT_TRUE(memory.isOk());
  EXPECT_TRUE(driver->free(*memory).isOk());
  EXPECT_TRUE(driver->unloadModule(*module).isOk());
}

TEST(HipDriverTest, ErrorsCarryHipNamesAndCodes) {
  FakeHip fake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(fake.handle) << dlerror();
  std::unique_ptr<HipDriver> driver = loadFake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(driver);

  fake.setError("hipModuleLoadData", 200); // hipErrorInvalidImage
  StatusOr<hipModule_t> module = driver->loadModule("not HSACO");
  ASSERT_FALSE(module.isOk());
  EXPECT_EQ(module.status().code(), StatusCode::Internal);
  EXPECT_EQ(module.status().message(),
            "hipModuleLoadData failed: hipErrorFake (fake error text)");

  fake.setError("hipMallocManaged", 2); // hipErrorOutOfMemory
  EXPECT_EQ(driver->allocateManaged(64).status().code(),
            StatusCode::OutOfMemory);

  fake.setError("hipSetDevice", 101); // hipErrorInvalidDevice
  EXPECT_EQ(driver->makeCurrent(7).code(), StatusCode::Unavailable);

  // hipErrorNoDevice from the count means no devices, not a failure.
  fake.setError("hipGetDeviceCount", 100);
  StatusOr<int> count = driver->deviceCount();
  ASSERT_TRUE(count.isOk());
  EXPECT_EQ(*count, 0);
}

TEST(HipDriverTest, ErrorNamesWithoutHipGetErrorName) {
  FakeHip fake(VMGPU_FAKE_HIP_NO_ERROR_NAMES);
  ASSERT_TRUE(fake.handle) << dlerror();
  std::unique_ptr<HipDriver> driver = loadFake(VMGPU_FAKE_HIP_NO_ERROR_NAMES);
  ASSERT_TRUE(driver);
  EXPECT_FALSE(driver->hipGetErrorName);
  fake.setError("hipModuleLaunchKernel", 719);
  const unsigned grid[3] = {1, 1, 1}, block[3] = {64, 1, 1};
  Status status = driver->launch(nullptr, grid, block, 0, nullptr, nullptr);
  EXPECT_EQ(status.code(), StatusCode::Internal);
  EXPECT_EQ(status.message(), "hipModuleLaunchKernel failed: "
                              "hipErrorLaunchFailure (no description)");
}

TEST(HipDriverTest, MissingRequiredSymbolIsUnavailable) {
  StatusOr<std::unique_ptr<HipDriver>> driver =
      HipDriver::load({VMGPU_FAKE_HIP_NO_LAUNCH});
  ASSERT_FALSE(driver.isOk());
  EXPECT_EQ(driver.status().code(), StatusCode::Unavailable);
  EXPECT_NE(driver.status().message().find("lacks hipModuleLaunchKernel"),
            std::string::npos)
      << driver.status().message();
}

TEST(HipDriverTest, FailedInitIsUnavailable) {
  FakeHip fake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(fake.handle) << dlerror();
  fake.setError("hipInit", 100);
  StatusOr<std::unique_ptr<HipDriver>> driver =
      HipDriver::load({VMGPU_FAKE_HIP});
  fake.reset();
  ASSERT_FALSE(driver.isOk());
  EXPECT_EQ(driver.status().code(), StatusCode::Unavailable);
  EXPECT_EQ(driver.status().message(),
            "HIP is not usable: hipInit failed: hipErrorNoDevice (fake error "
            "text)");
}

TEST(HipDriverTest, FaultInjectionNamesTheCall) {
  FakeHip fake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(fake.handle) << dlerror();
  std::unique_ptr<HipDriver> driver = loadFake(VMGPU_FAKE_HIP);
  ASSERT_TRUE(driver);
  setenv("VMGPU_FAULT_INJECT", "hipStreamCreateWithFlags", 1);
  StatusOr<hipStream_t> stream = driver->createStream();
  unsetenv("VMGPU_FAULT_INJECT");
  ASSERT_FALSE(stream.isOk());
  EXPECT_EQ(stream.status().code(), StatusCode::Internal);
}

TEST(HipDriverTest, StatusCodeMapping) {
  EXPECT_EQ(hipStatusCode(0), StatusCode::Ok);
  EXPECT_EQ(hipStatusCode(2), StatusCode::OutOfMemory);
  for (hipError_t missing : {3, 4, 35, 100, 101})
    EXPECT_EQ(hipStatusCode(missing), StatusCode::Unavailable) << missing;
  // vmgpu's own faults (bad images, launches) are never InvalidArgument.
  for (hipError_t internal : {1, 98, 200, 209, 218, 400, 500, 700, 701, 719,
                              801, 999, 12345})
    EXPECT_EQ(hipStatusCode(internal), StatusCode::Internal) << internal;
}

TEST(HipDriverTest, ErrorNamesAndArchitectures) {
  EXPECT_EQ(hipErrorName(0), "hipSuccess");
  EXPECT_EQ(hipErrorName(100), "hipErrorNoDevice");
  EXPECT_EQ(hipErrorName(209), "hipErrorNoBinaryForGpu");
  EXPECT_EQ(hipErrorName(12345), "hipError12345");
  EXPECT_EQ(hipArchitectureFromName("gfx90a:sramecc+:xnack-"), "gfx90a");
  EXPECT_EQ(hipArchitectureFromName("gfx1100"), "gfx1100");
}

} // namespace
