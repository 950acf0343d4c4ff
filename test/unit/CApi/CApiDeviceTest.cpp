//===- CApiDeviceTest.cpp - the C API's device layer over a fake HIP ------===//
//
// VMGPU_HIP_LIBRARY points the process's HIP runtime at the fake one, so
// that "rocm:0" is a device without a GPU: tensors go to it and back
// through the C API, and a device-resident input reaches a block that runs
// on the CPU (the fake has no compiler for it) through the engine's
// fallback. A binary of its own: the HIP runtime is chosen once per process.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

class CApiDeviceTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    ::setenv("VMGPU_HIP_LIBRARY", VMGPU_FAKE_HIP, 1);
    ::setenv("VMGPU_DISK_CACHE", "0", 1);
  }
  void SetUp() override {
    vmgpu_engine_options_t options;
    vmgpu_engine_options_init(&options);
    options.device = "rocm:0";
    ASSERT_EQ(vmgpu_engine_create(&options, &engine, nullptr),
              VMGPU_STATUS_OK);
  }
  void TearDown() override { vmgpu_engine_destroy(engine); }

  vmgpu_tensor_t *hostTensor(std::vector<float> values) {
    int64_t shape[1] = {static_cast<int64_t>(values.size())};
    vmgpu_tensor_t *tensor = nullptr;
    EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1,
                                  values.data(), values.size() * 4, &tensor,
                                  nullptr),
              VMGPU_STATUS_OK);
    return tensor;
  }

  vmgpu_engine_t *engine = nullptr;
};

TEST_F(CApiDeviceTest, TensorsGoToTheDeviceAndBack) {
  vmgpu_tensor_t *host = hostTensor({1.0f, 2.0f, 3.0f, 4.0f});
  vmgpu_tensor_t *device = nullptr;
  vmgpu_error_t *error = nullptr;
  ASSERT_EQ(vmgpu_engine_copy_to_device(engine, host, &device, &error),
            VMGPU_STATUS_OK)
      << (error ? vmgpu_error_get_message(error) : "");
  EXPECT_STREQ(vmgpu_tensor_get_device(device), "rocm:0");
  EXPECT_STREQ(vmgpu_tensor_get_device(host), "cpu");
  EXPECT_EQ(vmgpu_tensor_get_num_elements(device), 4);
  vmgpu_tensor_t *back = nullptr;
  ASSERT_EQ(vmgpu_engine_copy_to_host(engine, device, &back, nullptr),
            VMGPU_STATUS_OK);
  EXPECT_STREQ(vmgpu_tensor_get_device(back), "cpu");
  EXPECT_EQ(std::memcmp(vmgpu_tensor_get_data(back),
                        vmgpu_tensor_get_data(host), 16),
            0);
  vmgpu_tensor_t *pinned = nullptr;
  int64_t shape[1] = {4};
  ASSERT_EQ(vmgpu_engine_create_pinned_tensor(engine, VMGPU_ELEMENT_TYPE_F32,
                                              shape, 1, &pinned, nullptr),
            VMGPU_STATUS_OK);
  EXPECT_STREQ(vmgpu_tensor_get_device(pinned), "cpu");
  char *metrics = nullptr;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine, &metrics, nullptr),
            VMGPU_STATUS_OK);
  EXPECT_NE(std::string(metrics).find("\"transfer.h2d.bytes\": 16"),
            std::string::npos)
      << metrics;
  EXPECT_NE(std::string(metrics).find("\"transfer.d2h.bytes\": 16"),
            std::string::npos)
      << metrics;
  vmgpu_string_destroy(metrics);
  for (vmgpu_tensor_t *tensor : {host, device, back, pinned})
    vmgpu_tensor_destroy(tensor);
}

TEST_F(CApiDeviceTest, DeviceInputsReachACpuRun) {
  const char *ir = "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
                   "  %0 = vm.add %a, %a : tensor<4xf32>\n"
                   "  return %0 : tensor<4xf32>\n}\n";
  vmgpu_block_t *block = nullptr;
  ASSERT_EQ(vmgpu_engine_compile(engine, ir, std::strlen(ir), "main", &block,
                                 nullptr),
            VMGPU_STATUS_OK);
  // With a ROCm toolchain the block has a GPU build for the fake device
  // (whose launches run nothing); without one it runs on the CPU. Either
  // way a failing launch sends it to the CPU, which reads the input from
  // the host.
  std::string where = vmgpu_block_get_device(block);
  EXPECT_TRUE(where == "rocm:0" || where == "cpu") << where;
  vmgpu_tensor_t *host = hostTensor({1.0f, 2.0f, 3.0f, 4.0f});
  vmgpu_tensor_t *device = nullptr;
  ASSERT_EQ(vmgpu_engine_copy_to_device(engine, host, &device, nullptr),
            VMGPU_STATUS_OK);
  const vmgpu_tensor_t *inputs[1] = {device};
  vmgpu_tensor_t *output = nullptr;
  ::setenv("VMGPU_FAULT_INJECT", "hipModuleLaunchKernel", 1);
  vmgpu_status_t ran = vmgpu_engine_run_device_resident(
      engine, block, inputs, 1, &output, 1, nullptr);
  ::unsetenv("VMGPU_FAULT_INJECT");
  ASSERT_EQ(ran, VMGPU_STATUS_OK);
  EXPECT_STREQ(vmgpu_tensor_get_device(output), "cpu");
  EXPECT_EQ(static_cast<const float *>(vmgpu_tensor_get_data(output))[3],
            8.0f);
  char *metrics = nullptr;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine, &metrics, nullptr),
            VMGPU_STATUS_OK);
  EXPECT_NE(std::string(metrics).find("\"fallbacks\": 1"), std::string::npos)
      << metrics;
  vmgpu_string_destroy(metrics);
  // A device-resident tensor exported through DLPack says where it is.
  DLManagedTensor *managed = nullptr;
  ASSERT_EQ(vmgpu_tensor_export_dlpack(device, &managed, nullptr),
            VMGPU_STATUS_OK);
  vmgpu_tensor_t *imported = nullptr;
  ASSERT_EQ(vmgpu_tensor_import_dlpack(managed, VMGPU_ELEMENT_TYPE_INVALID,
                                       &imported, nullptr),
            VMGPU_STATUS_OK);
  EXPECT_STREQ(vmgpu_tensor_get_device(imported), "rocm:0");
  for (vmgpu_tensor_t *tensor : {host, output, imported})
    vmgpu_tensor_destroy(tensor);
  vmgpu_block_destroy(block);
}

TEST_F(CApiDeviceTest, DevicesJsonListsTheDriversDevices) {
  char *json = nullptr;
  ASSERT_EQ(vmgpu_get_devices_json(&json, nullptr), VMGPU_STATUS_OK);
  std::string text = json;
  vmgpu_string_destroy(json);
  // The fake runtime reports two "Fake Instinct" gfx942 devices of 192 GiB.
  for (const char *expected :
       {"\"kind\": \"rocm\"", "\"ordinal\": 1", "\"name\": \"Fake Instinct\"",
        "\"architecture\": \"gfx942", "\"memory_bytes\": 206158430208"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n"
                                                      << text;
}

TEST_F(CApiDeviceTest, NullsAreRefused) {
  vmgpu_tensor_t *out = reinterpret_cast<vmgpu_tensor_t *>(this);
  EXPECT_EQ(vmgpu_engine_copy_to_device(engine, nullptr, &out, nullptr),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(vmgpu_engine_copy_to_host(nullptr, nullptr, &out, nullptr),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(vmgpu_engine_create_pinned_tensor(engine, 99, nullptr, 0, &out,
                                              nullptr),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_STREQ(vmgpu_tensor_get_device(nullptr), "");
}

} // namespace
