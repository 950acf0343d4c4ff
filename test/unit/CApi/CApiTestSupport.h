//===- CApiTestSupport.h - what the C API's tests share ---------*- C++ -*-===//
//
// Owners of C API handles for the length of a test, two programs, and
// helpers that make engines, blocks and tensors (failing the test when the
// C API refuses).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_UNIT_CAPI_CAPITESTSUPPORT_H
#define VMGPU_TEST_UNIT_CAPI_CAPITESTSUPPORT_H

#include "vmgpu/vmgpu.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace vmgpu::capi_test {

// The tests count compiles per engine: each engine must compile rather than
// read entries that earlier tests (or earlier runs) left in the disk cache.
[[maybe_unused]] const int kDiskCacheOff = ::setenv("VMGPU_DISK_CACHE", "0", 1);

/// Owns C API handles for the length of a test.
struct ErrorPtr {
  vmgpu_error_t *error = nullptr;
  ~ErrorPtr() { vmgpu_error_destroy(error); }
  vmgpu_error_t **operator&() {
    vmgpu_error_destroy(error);
    error = nullptr;
    return &error;
  }
  std::string message() const { return vmgpu_error_get_message(error); }
  std::string diagnostics() const { return vmgpu_error_get_diagnostics(error); }
};

struct EnginePtr {
  vmgpu_engine_t *engine = nullptr;
  ~EnginePtr() { vmgpu_engine_destroy(engine); }
};

struct BlockPtr {
  vmgpu_block_t *block = nullptr;
  ~BlockPtr() { vmgpu_block_destroy(block); }
};

struct Tensors {
  std::vector<vmgpu_tensor_t *> tensors;
  explicit Tensors(size_t count = 0) : tensors(count, nullptr) {}
  ~Tensors() {
    for (vmgpu_tensor_t *tensor : tensors)
      vmgpu_tensor_destroy(tensor);
  }
  const vmgpu_tensor_t *const *inputs() const { return tensors.data(); }
};

constexpr const char kAddProgram[] = R"mlir(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.add %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
)mlir";

/// Two results from dynamic shapes: (a * b, a - b) on i32.
constexpr const char kMulSubProgram[] = R"mlir(
func.func @mulsub(%a: tensor<?xi32>, %b: tensor<?xi32>)
    -> (tensor<?xi32>, tensor<?xi32>) {
  %0 = vm.mul %a, %b : tensor<?xi32>
  %1 = vm.sub %a, %b : tensor<?xi32>
  return %0, %1 : tensor<?xi32>, tensor<?xi32>
}
)mlir";

inline vmgpu_engine_t *makeCpuEngine() {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  options.opt_level = 1;
  vmgpu_engine_t *engine = nullptr;
  ErrorPtr error;
  EXPECT_EQ(vmgpu_engine_create(&options, &engine, &error), VMGPU_STATUS_OK)
      << error.message();
  return engine;
}

inline vmgpu_block_t *compile(vmgpu_engine_t *engine, const char *program,
                       const char *entry) {
  vmgpu_block_t *block = nullptr;
  ErrorPtr error;
  EXPECT_EQ(vmgpu_engine_compile(engine, program, std::strlen(program), entry,
                                 &block, &error),
            VMGPU_STATUS_OK)
      << error.message() << "\n"
      << error.diagnostics();
  return block;
}

inline vmgpu_tensor_t *f32Tensor(std::vector<float> values) {
  int64_t shape[] = {static_cast<int64_t>(values.size())};
  vmgpu_tensor_t *tensor = nullptr;
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, values.data(),
                                values.size() * sizeof(float), &tensor,
                                nullptr),
            VMGPU_STATUS_OK);
  return tensor;
}

inline vmgpu_tensor_t *i32Tensor(const std::vector<int32_t> &values) {
  int64_t shape[] = {static_cast<int64_t>(values.size())};
  vmgpu_tensor_t *tensor = nullptr;
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I32, shape, 1, values.data(),
                                values.size() * sizeof(int32_t), &tensor,
                                nullptr),
            VMGPU_STATUS_OK);
  return tensor;
}

inline std::vector<int32_t> i32Values(const vmgpu_tensor_t *tensor) {
  const auto *data =
      static_cast<const int32_t *>(vmgpu_tensor_get_data(tensor));
  return std::vector<int32_t>(data,
                              data + vmgpu_tensor_get_num_elements(tensor));
}

} // namespace vmgpu::capi_test

#endif // VMGPU_TEST_UNIT_CAPI_CAPITESTSUPPORT_H
