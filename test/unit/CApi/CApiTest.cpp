//===- CApiTest.cpp - the C API: error paths, results, metrics, threads ---===//
//
// Expected values are computed in the test from the inputs it makes.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include "CApiTestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace vmgpu::capi_test;

//===----------------------------------------------------------------------===//
// Statuses, errors, version, element types
//===----------------------------------------------------------------------===//

TEST(CApiTest, StatusNamesAndVersion) {
  EXPECT_STREQ(vmgpu_status_get_name(VMGPU_STATUS_OK), "OK");
  EXPECT_STREQ(vmgpu_status_get_name(VMGPU_STATUS_INVALID_ARGUMENT),
               "INVALID_ARGUMENT");
  EXPECT_STREQ(vmgpu_status_get_name(VMGPU_STATUS_OUT_OF_MEMORY),
               "OUT_OF_MEMORY");
  EXPECT_STREQ(vmgpu_status_get_name(99), "UNKNOWN");
  EXPECT_STREQ(vmgpu_status_get_name(-1), "UNKNOWN");
  EXPECT_EQ(vmgpu_get_api_version(), VMGPU_API_VERSION);
  EXPECT_STRNE(vmgpu_get_version(), "");
}

TEST(CApiTest, NullErrorAccessorsAreSafe) {
  EXPECT_EQ(vmgpu_error_get_status(nullptr), VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_STREQ(vmgpu_error_get_message(nullptr), "");
  EXPECT_STREQ(vmgpu_error_get_diagnostics(nullptr), "");
  vmgpu_error_destroy(nullptr);
  vmgpu_string_destroy(nullptr);
  vmgpu_tensor_destroy(nullptr);
  vmgpu_block_destroy(nullptr);
  vmgpu_engine_destroy(nullptr);
}

TEST(CApiTest, ErrorIsClearedOnSuccess) {
  vmgpu_error_t *error = reinterpret_cast<vmgpu_error_t *>(0x1);
  vmgpu_element_type_t type;
  EXPECT_EQ(vmgpu_element_type_parse("f32", &type, &error), VMGPU_STATUS_OK);
  EXPECT_EQ(error, nullptr);
  EXPECT_EQ(type, VMGPU_ELEMENT_TYPE_F32);
}

TEST(CApiTest, ElementTypes) {
  const char *names[] = {"i1",  "i8",   "i16", "i32", "i64",
                         "f16", "bf16", "f32", "f64"};
  const size_t sizes[] = {1, 1, 2, 4, 8, 2, 2, 4, 8};
  for (vmgpu_element_type_t type = VMGPU_ELEMENT_TYPE_I1;
       type <= VMGPU_ELEMENT_TYPE_F64; ++type) {
    EXPECT_STREQ(vmgpu_element_type_get_name(type), names[type]);
    EXPECT_EQ(vmgpu_element_type_get_size(type), sizes[type]);
    vmgpu_element_type_t parsed = VMGPU_ELEMENT_TYPE_INVALID;
    EXPECT_EQ(vmgpu_element_type_parse(names[type], &parsed, nullptr),
              VMGPU_STATUS_OK);
    EXPECT_EQ(parsed, type);
  }
  EXPECT_EQ(vmgpu_element_type_get_name(9), nullptr);
  EXPECT_EQ(vmgpu_element_type_get_name(VMGPU_ELEMENT_TYPE_INVALID), nullptr);
  EXPECT_EQ(vmgpu_element_type_get_size(42), 0u);

  ErrorPtr error;
  vmgpu_element_type_t parsed;
  EXPECT_EQ(vmgpu_element_type_parse("ui8", &parsed, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'ui8'"), std::string::npos)
      << error.message();
  EXPECT_EQ(parsed, VMGPU_ELEMENT_TYPE_INVALID);
  EXPECT_EQ(vmgpu_element_type_parse(nullptr, &parsed, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'name' is NULL"), std::string::npos);
  EXPECT_EQ(vmgpu_element_type_parse("f32", nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

TEST(CApiTest, TensorAccessors) {
  int64_t shape[] = {2, 3};
  int16_t values[] = {1, -2, 3, -4, 5, -6};
  Tensors t(1);
  ASSERT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I16, shape, 2, values,
                                sizeof values, &t.tensors[0], nullptr),
            VMGPU_STATUS_OK);
  vmgpu_tensor_t *tensor = t.tensors[0];
  EXPECT_EQ(vmgpu_tensor_get_element_type(tensor), VMGPU_ELEMENT_TYPE_I16);
  EXPECT_EQ(vmgpu_tensor_get_rank(tensor), 2u);
  EXPECT_EQ(vmgpu_tensor_get_dim(tensor, 0), 2);
  EXPECT_EQ(vmgpu_tensor_get_dim(tensor, 1), 3);
  EXPECT_EQ(vmgpu_tensor_get_dim(tensor, 2), -1);
  EXPECT_EQ(vmgpu_tensor_get_num_elements(tensor), 6);
  EXPECT_EQ(vmgpu_tensor_get_byte_size(tensor), sizeof values);
  EXPECT_EQ(std::memcmp(vmgpu_tensor_get_data(tensor), values, sizeof values),
            0);
  // The data was copied: changing the source does not change the tensor.
  values[0] = 100;
  EXPECT_EQ(static_cast<const int16_t *>(vmgpu_tensor_get_data(tensor))[0], 1);
  static_cast<int16_t *>(vmgpu_tensor_get_mutable_data(tensor))[0] = 7;
  EXPECT_EQ(static_cast<const int16_t *>(vmgpu_tensor_get_data(tensor))[0], 7);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(vmgpu_tensor_get_data(tensor)) % 64,
            0u);

  // NULL handles.
  EXPECT_EQ(vmgpu_tensor_get_element_type(nullptr), VMGPU_ELEMENT_TYPE_INVALID);
  EXPECT_EQ(vmgpu_tensor_get_rank(nullptr), 0u);
  EXPECT_EQ(vmgpu_tensor_get_dim(nullptr, 0), -1);
  EXPECT_EQ(vmgpu_tensor_get_num_elements(nullptr), 0);
  EXPECT_EQ(vmgpu_tensor_get_byte_size(nullptr), 0u);
  EXPECT_EQ(vmgpu_tensor_get_data(nullptr), nullptr);
  EXPECT_EQ(vmgpu_tensor_get_mutable_data(nullptr), nullptr);
}

TEST(CApiTest, TensorScalarsZerosAndBooleans) {
  Tensors t(3);
  double pi = 3.25;
  ASSERT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F64, nullptr, 0, &pi,
                                sizeof pi, &t.tensors[0], nullptr),
            VMGPU_STATUS_OK);
  EXPECT_EQ(vmgpu_tensor_get_rank(t.tensors[0]), 0u);
  EXPECT_EQ(vmgpu_tensor_get_num_elements(t.tensors[0]), 1);
  EXPECT_EQ(*static_cast<const double *>(vmgpu_tensor_get_data(t.tensors[0])),
            3.25);

  int64_t shape[] = {0, 5};
  ASSERT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_BF16, shape, 2, nullptr, 0,
                                &t.tensors[1], nullptr),
            VMGPU_STATUS_OK);
  EXPECT_EQ(vmgpu_tensor_get_byte_size(t.tensors[1]), 0u);
  EXPECT_NE(vmgpu_tensor_get_data(t.tensors[1]), nullptr);

  int64_t four[] = {4};
  uint8_t bools[] = {0, 2, 255, 1};
  ASSERT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I1, four, 1, bools,
                                sizeof bools, &t.tensors[2], nullptr),
            VMGPU_STATUS_OK);
  const auto *stored =
      static_cast<const uint8_t *>(vmgpu_tensor_get_data(t.tensors[2]));
  EXPECT_EQ(std::vector<uint8_t>(stored, stored + 4),
            (std::vector<uint8_t>{0, 1, 1, 1}));
}

TEST(CApiTest, TensorCreateErrors) {
  int64_t shape[] = {2, 2};
  float values[4] = {};
  ErrorPtr error;
  vmgpu_tensor_t *tensor = reinterpret_cast<vmgpu_tensor_t *>(0x1);

  EXPECT_EQ(
      vmgpu_tensor_create(9, shape, 2, values, sizeof values, &tensor, &error),
      VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(tensor, nullptr);
  EXPECT_EQ(vmgpu_error_get_status(error.error), VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("unknown element type 9"), std::string::npos)
      << error.message();
  EXPECT_EQ(
      vmgpu_tensor_create(-1, shape, 2, values, sizeof values, &tensor, &error),
      VMGPU_STATUS_INVALID_ARGUMENT);

  // The data must match the shape.
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 2, values,
                                sizeof values - 4, &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("need 16 bytes, got data_size 12"),
            std::string::npos)
      << error.message();
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F64, shape, 2, values,
                                sizeof values, &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);

  int64_t negative[] = {2, -3};
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, negative, 2, nullptr, 0,
                                &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("negative"), std::string::npos)
      << error.message();

  int64_t huge[] = {INT64_C(1) << 40, INT64_C(1) << 40};
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, huge, 2, nullptr, 0,
                                &tensor, &error),
            VMGPU_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_NE(error.message().find("overflows"), std::string::npos)
      << error.message();
  // Above the 1 TiB bound: RESOURCE_EXHAUSTED with the size, whatever data
  // comes with it.
  int64_t large[] = {INT64_C(1) << 39};
  for (const void *data : {static_cast<const void *>(nullptr),
                           static_cast<const void *>(values)}) {
    EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, large, 1, data,
                                  data ? sizeof values : 0, &tensor, &error),
              VMGPU_STATUS_RESOURCE_EXHAUSTED);
    EXPECT_EQ(tensor, nullptr);
    EXPECT_NE(error.message().find("2199023255552 bytes"), std::string::npos)
        << error.message();
  }

  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, nullptr, 2, nullptr, 0,
                                &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'shape' is NULL"), std::string::npos);
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 2, nullptr, 16,
                                &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'data' is NULL"), std::string::npos);
  std::vector<int64_t> tooMany(VMGPU_MAX_RANK + 1, 1);
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, tooMany.data(),
                                tooMany.size(), nullptr, 0, &tensor, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("VMGPU_MAX_RANK"), std::string::npos);
  EXPECT_EQ(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 2, nullptr, 0,
                                nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'out_tensor' is NULL"), std::string::npos);
  // Without an error object the code still comes back.
  EXPECT_EQ(vmgpu_tensor_create(42, shape, 2, nullptr, 0, &tensor, nullptr),
            VMGPU_STATUS_INVALID_ARGUMENT);
}

//===----------------------------------------------------------------------===//
// Engines
//===----------------------------------------------------------------------===//

TEST(CApiTest, EngineCreateOptions) {
  EnginePtr engine;
  ErrorPtr error;
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  EXPECT_EQ(options.struct_size, sizeof(vmgpu_engine_options_t));
  EXPECT_EQ(options.device, nullptr);
  EXPECT_EQ(options.allow_fallback, 1);
  vmgpu_engine_options_init(nullptr);

  options.device = "cuda:1";
  ASSERT_EQ(vmgpu_engine_create(&options, &engine.engine, &error),
            VMGPU_STATUS_OK)
      << error.message();
  EXPECT_STREQ(vmgpu_engine_get_device(engine.engine), "cuda:1");
  EXPECT_STREQ(vmgpu_engine_get_device(nullptr), "");

  vmgpu_engine_t *other = reinterpret_cast<vmgpu_engine_t *>(0x1);
  options.device = "tpu";
  EXPECT_EQ(vmgpu_engine_create(&options, &other, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(other, nullptr);
  EXPECT_NE(error.message().find("unknown device 'tpu'"), std::string::npos)
      << error.message();
  options.device = "cpu:1";
  EXPECT_EQ(vmgpu_engine_create(&options, &other, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);

  options.device = "cpu";
  options.opt_level = 4;
  EXPECT_EQ(vmgpu_engine_create(&options, &other, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("opt_level"), std::string::npos);

  options.opt_level = 3;
  options.struct_size = 0;
  EXPECT_EQ(vmgpu_engine_create(&options, &other, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("struct_size"), std::string::npos);

  EXPECT_EQ(vmgpu_engine_create(nullptr, nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'out_engine' is NULL"), std::string::npos);
}

TEST(CApiTest, EngineOptionsStructSizeIsAPublishedVersion) {
  // The struct of API versions 1 and 2 is 32 bytes on LP64 targets, that of
  // version 3 (contraction_strategy, cache_directory and memory_cache
  // appended) 56, that of version 4 (gpu_graphs) 64 (CApiOptionsTest.cpp).
  static_assert(sizeof(vmgpu_engine_options_t) == 64 || sizeof(void *) != 8,
                "a published vmgpu_engine_options_t changed size");
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  EnginePtr engine;
  ErrorPtr error;
  ASSERT_EQ(vmgpu_engine_create(&options, &engine.engine, &error),
            VMGPU_STATUS_OK)
      << error.message();
  // Sizes that end inside a field (12: half of `device`), between fields or
  // short of a version are refused before any field is read.
  for (size_t size : {size_t(0), size_t(1), sizeof(size_t), size_t(12),
                      offsetof(vmgpu_engine_options_t, allow_fallback),
                      offsetof(vmgpu_engine_options_t, parallel),
                      sizeof(vmgpu_engine_options_t) - 1,
                      sizeof(vmgpu_engine_options_t) + 1,
                      sizeof(vmgpu_engine_options_t) + 4, size_t(4097),
                      size_t(1) << 40, SIZE_MAX}) {
    SCOPED_TRACE(size);
    options.struct_size = size;
    vmgpu_engine_t *other = reinterpret_cast<vmgpu_engine_t *>(0x1);
    EXPECT_EQ(vmgpu_engine_create(&options, &other, &error),
              VMGPU_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(other, nullptr);
    EXPECT_NE(error.message().find("options->struct_size is " +
                                   std::to_string(size) +
                                   ", not the size of any version"),
              std::string::npos)
        << error.message();
  }
}

TEST(CApiTest, EngineOptionsFromNewerHeaders) {
  ErrorPtr error;
  // A newer caller: unknown trailing fields are fine while they are zero.
  struct Newer {
    vmgpu_engine_options_t known;
    int64_t unknownField;
  } newer;
  std::memset(&newer, 0, sizeof newer);
  vmgpu_engine_options_init(&newer.known);
  newer.known.struct_size = sizeof newer;
  newer.known.device = "cpu";
  vmgpu_engine_t *other = nullptr;
  ASSERT_EQ(vmgpu_engine_create(&newer.known, &other, &error), VMGPU_STATUS_OK)
      << error.message();
  vmgpu_engine_destroy(other);
  newer.unknownField = 1;
  EXPECT_EQ(vmgpu_engine_create(&newer.known, &other, &error),
            VMGPU_STATUS_UNIMPLEMENTED);
  EXPECT_EQ(other, nullptr);
}

TEST(CApiTest, MetricsJsonParses) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  char *json = nullptr;
  ErrorPtr error;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine.engine, &json, &error),
            VMGPU_STATUS_OK);
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  vmgpu_string_destroy(json);
  ASSERT_FALSE(parsed.is_discarded());
  EXPECT_EQ(parsed["executions.cpu"], 0);
  EXPECT_EQ(parsed["compiles"], 0);
  EXPECT_TRUE(parsed["fallbacks.reasons"].is_object());

  json = reinterpret_cast<char *>(0x1);
  EXPECT_EQ(vmgpu_engine_get_metrics_json(nullptr, &json, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(json, nullptr);
  EXPECT_NE(error.message().find("'engine' is NULL"), std::string::npos);
  EXPECT_EQ(vmgpu_engine_get_metrics_json(engine.engine, nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
}

//===----------------------------------------------------------------------===//
// Compile and run
//===----------------------------------------------------------------------===//

TEST(CApiTest, CompileAndRunAdd) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  // The IR need not be NUL-terminated: only ir_length bytes are read.
  std::string program = std::string(kAddProgram) + "garbage after the end";
  BlockPtr block;
  ErrorPtr error;
  ASSERT_EQ(vmgpu_engine_compile(engine.engine, program.data(),
                                 std::strlen(kAddProgram), nullptr,
                                 &block.block, &error),
            VMGPU_STATUS_OK)
      << error.message() << error.diagnostics();
  EXPECT_EQ(vmgpu_block_get_num_inputs(block.block), 2u);
  EXPECT_EQ(vmgpu_block_get_num_results(block.block), 1u);
  EXPECT_STREQ(vmgpu_block_get_device(block.block), "cpu");
  EXPECT_STREQ(vmgpu_block_get_fallback_reason(block.block), "");
  EXPECT_STREQ(vmgpu_block_get_diagnostics(block.block), "");

  std::vector<float> a = {1.5f, -2.0f, 1e30f, 0.25f};
  std::vector<float> b = {2.25f, 2.0f, 1e30f, -8.0f};
  Tensors inputs;
  inputs.tensors = {f32Tensor(a), f32Tensor(b)};
  vmgpu_tensor_t *output = nullptr;
  ASSERT_EQ(vmgpu_engine_run(engine.engine, block.block, inputs.inputs(), 2,
                             &output, 1, &error),
            VMGPU_STATUS_OK)
      << error.message();
  Tensors outputs;
  outputs.tensors = {output};
  ASSERT_EQ(vmgpu_tensor_get_element_type(output), VMGPU_ELEMENT_TYPE_F32);
  ASSERT_EQ(vmgpu_tensor_get_num_elements(output), 4);
  const auto *out = static_cast<const float *>(vmgpu_tensor_get_data(output));
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_EQ(out[i], a[i] + b[i]) << i;

  char *json = nullptr;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine.engine, &json, nullptr),
            VMGPU_STATUS_OK);
  nlohmann::json metrics = nlohmann::json::parse(json, nullptr, false);
  vmgpu_string_destroy(json);
  ASSERT_FALSE(metrics.is_discarded());
  EXPECT_EQ(metrics["compiles"], 1);
  EXPECT_EQ(metrics["executions.cpu"], 1);
  EXPECT_EQ(metrics["fallbacks"], 0);
}

TEST(CApiTest, DynamicShapesAndSeveralResults) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  BlockPtr block{compile(engine.engine, kMulSubProgram, "mulsub")};
  ASSERT_NE(block.block, nullptr);
  EXPECT_EQ(vmgpu_block_get_num_results(block.block), 2u);
  for (int32_t n : {0, 1, 7, 1000}) {
    std::vector<int32_t> a(n), b(n);
    for (int32_t i = 0; i < n; ++i) {
      a[i] = i * 7919 - 3000000;
      b[i] = INT32_MAX - i * 31;
    }
    Tensors inputs;
    inputs.tensors = {i32Tensor(a), i32Tensor(b)};
    Tensors outputs(2);
    ErrorPtr error;
    ASSERT_EQ(vmgpu_engine_run(engine.engine, block.block, inputs.inputs(), 2,
                               outputs.tensors.data(), 2, &error),
              VMGPU_STATUS_OK)
        << error.message();
    std::vector<int32_t> product = i32Values(outputs.tensors[0]);
    std::vector<int32_t> difference = i32Values(outputs.tensors[1]);
    ASSERT_EQ(product.size(), static_cast<size_t>(n));
    ASSERT_EQ(difference.size(), static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) {
      // Wrapping arithmetic, computed without signed overflow.
      EXPECT_EQ(product[i], static_cast<int32_t>(static_cast<uint32_t>(a[i]) *
                                                 static_cast<uint32_t>(b[i])));
      EXPECT_EQ(difference[i],
                static_cast<int32_t>(static_cast<uint32_t>(a[i]) -
                                     static_cast<uint32_t>(b[i])));
    }
  }
}

TEST(CApiTest, ParseAndVerifyErrorsCarryDiagnostics) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  ErrorPtr error;
  vmgpu_block_t *block = reinterpret_cast<vmgpu_block_t *>(0x1);

  const char syntax[] = "func.func @main(%a: tensor<4xf32>) -> {\n";
  EXPECT_EQ(vmgpu_engine_compile(engine.engine, syntax, sizeof syntax - 1,
                                 "main", &block, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(block, nullptr);
  EXPECT_NE(error.message().find("does not parse"), std::string::npos)
      << error.message();
  EXPECT_NE(error.diagnostics().find("<ir>:1:"), std::string::npos)
      << error.diagnostics();
  EXPECT_NE(error.diagnostics().find("error:"), std::string::npos);

  const char mismatch[] = "func.func @main(%a: tensor<4xf32>, %b: "
                          "tensor<8xf32>) -> tensor<4xf32> {\n"
                          "  %0 = \"vm.add\"(%a, %b) : (tensor<4xf32>, "
                          "tensor<8xf32>) -> tensor<4xf32>\n"
                          "  return %0 : tensor<4xf32>\n"
                          "}\n";
  EXPECT_EQ(vmgpu_engine_compile(engine.engine, mismatch, sizeof mismatch - 1,
                                 "main", &block, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.diagnostics().find("<ir>:2:"), std::string::npos)
      << error.diagnostics();
  EXPECT_NE(error.diagnostics().find("'vm.add' op"), std::string::npos);
  // The message carries the first error line too.
  EXPECT_NE(error.message().find("'vm.add' op"), std::string::npos)
      << error.message();

  EXPECT_EQ(vmgpu_engine_compile(engine.engine, kAddProgram,
                                 std::strlen(kAddProgram), "nope", &block,
                                 &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.diagnostics().find("nope"), std::string::npos)
      << error.diagnostics();

  EXPECT_EQ(vmgpu_engine_compile(engine.engine, "", 0, "main", &block, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
}

TEST(CApiTest, CompileNullArguments) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  ErrorPtr error;
  vmgpu_block_t *block = nullptr;
  EXPECT_EQ(vmgpu_engine_compile(nullptr, kAddProgram, std::strlen(kAddProgram),
                                 "main", &block, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'engine' is NULL"), std::string::npos);
  EXPECT_EQ(
      vmgpu_engine_compile(engine.engine, nullptr, 10, "main", &block, &error),
      VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'ir' is NULL"), std::string::npos);
  EXPECT_EQ(vmgpu_engine_compile(engine.engine, kAddProgram,
                                 std::strlen(kAddProgram), "main", nullptr,
                                 &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'out_block' is NULL"), std::string::npos);

  EXPECT_EQ(vmgpu_block_get_num_inputs(nullptr), 0u);
  EXPECT_EQ(vmgpu_block_get_num_results(nullptr), 0u);
  EXPECT_STREQ(vmgpu_block_get_device(nullptr), "");
  EXPECT_STREQ(vmgpu_block_get_fallback_reason(nullptr), "");
  EXPECT_STREQ(vmgpu_block_get_diagnostics(nullptr), "");
}

TEST(CApiTest, ProgramsAboveTheBoundAreResourceExhausted) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  // 64 MiB + 1 of whitespace: refused from its length, before parsing.
  std::string ir(size_t(64) << 20, ' ');
  ir += kAddProgram;
  ErrorPtr error;
  vmgpu_block_t *block = reinterpret_cast<vmgpu_block_t *>(0x1);
  EXPECT_EQ(vmgpu_engine_compile(engine.engine, ir.data(), ir.size(), "main",
                                 &block, &error),
            VMGPU_STATUS_RESOURCE_EXHAUSTED);
  EXPECT_EQ(block, nullptr);
  EXPECT_NE(error.message().find("the IR has " + std::to_string(ir.size()) +
                                 " bytes, more than the 67108864"),
            std::string::npos)
      << error.message();
}

TEST(CApiTest, RunErrors) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  BlockPtr block{compile(engine.engine, kAddProgram, "main")};
  ASSERT_NE(block.block, nullptr);
  Tensors good;
  good.tensors = {f32Tensor({1, 2, 3, 4}), f32Tensor({5, 6, 7, 8})};
  ErrorPtr error;
  vmgpu_tensor_t *output = reinterpret_cast<vmgpu_tensor_t *>(0x1);

  auto expectInvalid = [&](vmgpu_status_t status, const char *needle) {
    EXPECT_EQ(status, VMGPU_STATUS_INVALID_ARGUMENT) << needle;
    EXPECT_EQ(vmgpu_error_get_status(error.error),
              VMGPU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(error.message().find(needle), std::string::npos)
        << "message: " << error.message() << "\nexpected: " << needle;
    EXPECT_EQ(output, nullptr);
  };

  expectInvalid(vmgpu_engine_run(nullptr, block.block, good.inputs(), 2,
                                 &output, 1, &error),
                "'engine' is NULL");
  output = reinterpret_cast<vmgpu_tensor_t *>(0x1);
  expectInvalid(vmgpu_engine_run(engine.engine, nullptr, good.inputs(), 2,
                                 &output, 1, &error),
                "'block' is NULL");
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, nullptr, 2,
                                 &output, 1, &error),
                "'inputs' is NULL");
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, good.inputs(), 2,
                                 nullptr, 1, &error),
                "'outputs' is NULL");
  // Wrong input count.
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, good.inputs(), 1,
                                 &output, 1, &error),
                "expected 2 inputs, got 1");
  // Wrong output count.
  vmgpu_tensor_t *two[2] = {nullptr, nullptr};
  EXPECT_EQ(vmgpu_engine_run(engine.engine, block.block, good.inputs(), 2, two,
                             2, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("1 results, got room for 2"),
            std::string::npos)
      << error.message();
  EXPECT_EQ(two[0], nullptr);
  // A NULL input.
  const vmgpu_tensor_t *withNull[2] = {good.tensors[0], nullptr};
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, withNull, 2,
                                 &output, 1, &error),
                "input #1 is NULL");
  // Wrong shape and wrong element type.
  Tensors bad;
  bad.tensors = {f32Tensor({1, 2, 3}), i32Tensor({1, 2, 3, 4})};
  const vmgpu_tensor_t *wrongShape[2] = {bad.tensors[0], good.tensors[1]};
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, wrongShape, 2,
                                 &output, 1, &error),
                "input #0 has type tensor<3xf32> but the function expects "
                "tensor<4xf32>");
  const vmgpu_tensor_t *wrongType[2] = {good.tensors[0], bad.tensors[1]};
  expectInvalid(vmgpu_engine_run(engine.engine, block.block, wrongType, 2,
                                 &output, 1, &error),
                "input #1 has type tensor<4xi32>");
  // A block from another engine.
  EnginePtr other{makeCpuEngine()};
  expectInvalid(vmgpu_engine_run(other.engine, block.block, good.inputs(), 2,
                                 &output, 1, &error),
                "compiled by another engine");
  // Nothing ran.
  char *json = nullptr;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine.engine, &json, nullptr),
            VMGPU_STATUS_OK);
  nlohmann::json metrics = nlohmann::json::parse(json, nullptr, false);
  vmgpu_string_destroy(json);
  EXPECT_EQ(metrics["executions.cpu"], 0);
}

TEST(CApiTest, DynamicShapeChecksAreInvalidArgument) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  BlockPtr block{compile(engine.engine, kMulSubProgram, "mulsub")};
  ASSERT_NE(block.block, nullptr);
  Tensors inputs;
  inputs.tensors = {i32Tensor({1, 2, 3}), i32Tensor({1, 2})};
  vmgpu_tensor_t *outputs[2] = {nullptr, nullptr};
  ErrorPtr error;
  EXPECT_EQ(vmgpu_engine_run(engine.engine, block.block, inputs.inputs(), 2,
                             outputs, 2, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("vm.mul"), std::string::npos)
      << error.message();
  EXPECT_EQ(outputs[0], nullptr);
  EXPECT_EQ(outputs[1], nullptr);
}

/// Two live blocks with the same entry name and signature run their own
/// code (each block's shared object is loaded under its own path).
TEST(CApiTest, LiveBlocksWithOneEntryNameStayApart) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  const char sub[] = R"mlir(
func.func @main(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.sub %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
)mlir";
  BlockPtr add{compile(engine.engine, kAddProgram, "main")};
  BlockPtr subtract{compile(engine.engine, sub, "main")};
  ASSERT_NE(add.block, nullptr);
  ASSERT_NE(subtract.block, nullptr);
  Tensors inputs;
  inputs.tensors = {f32Tensor({10, 20, 30, 40}), f32Tensor({1, 2, 3, 4})};
  for (int round = 0; round < 2; ++round) {
    Tensors outputs(2);
    ASSERT_EQ(vmgpu_engine_run(engine.engine, add.block, inputs.inputs(), 2,
                               &outputs.tensors[0], 1, nullptr),
              VMGPU_STATUS_OK);
    ASSERT_EQ(vmgpu_engine_run(engine.engine, subtract.block, inputs.inputs(),
                               2, &outputs.tensors[1], 1, nullptr),
              VMGPU_STATUS_OK);
    const auto *sum =
        static_cast<const float *>(vmgpu_tensor_get_data(outputs.tensors[0]));
    const auto *difference =
        static_cast<const float *>(vmgpu_tensor_get_data(outputs.tensors[1]));
    EXPECT_EQ(sum[3], 44.0f);
    EXPECT_EQ(difference[3], 36.0f);
  }
}

TEST(CApiTest, BlockOutlivesItsEngine) {
  vmgpu_engine_t *engine = makeCpuEngine();
  ASSERT_NE(engine, nullptr);
  BlockPtr block{compile(engine, kAddProgram, "main")};
  vmgpu_engine_destroy(engine);
  EXPECT_EQ(vmgpu_block_get_num_inputs(block.block), 2u);
}

/// Eight threads, one engine: each compiles its own block (a different
/// constant) and runs it and a shared block repeatedly.
TEST(CApiTest, ConcurrentCompileAndRun) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  BlockPtr shared{compile(engine.engine, kMulSubProgram, "mulsub")};
  ASSERT_NE(shared.block, nullptr);
  constexpr int kThreads = 8;
  constexpr int kRuns = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string program =
          "func.func @scale(%x: tensor<16xi32>) -> tensor<16xi32> {\n"
          "  %c = vm.constant dense<" +
          std::to_string(t + 2) +
          "> : tensor<16xi32>\n"
          "  %0 = vm.mul %x, %c : tensor<16xi32>\n"
          "  return %0 : tensor<16xi32>\n"
          "}\n";
      vmgpu_block_t *own = nullptr;
      vmgpu_error_t *error = nullptr;
      if (vmgpu_engine_compile(engine.engine, program.data(), program.size(),
                               "scale", &own, &error) != VMGPU_STATUS_OK) {
        ADD_FAILURE() << vmgpu_error_get_message(error)
                      << vmgpu_error_get_diagnostics(error);
        vmgpu_error_destroy(error);
        ++failures;
        return;
      }
      for (int run = 0; run < kRuns; ++run) {
        std::vector<int32_t> x(16);
        for (int i = 0; i < 16; ++i)
          x[i] = t * 1000 + run * 16 + i;
        vmgpu_tensor_t *input = i32Tensor(x);
        vmgpu_tensor_t *output = nullptr;
        if (vmgpu_engine_run(engine.engine, own, &input, 1, &output, 1,
                             nullptr) != VMGPU_STATUS_OK) {
          ++failures;
        } else {
          std::vector<int32_t> got = i32Values(output);
          for (int i = 0; i < 16; ++i)
            if (got.size() != 16 || got[i] != x[i] * (t + 2))
              ++failures;
        }
        vmgpu_tensor_destroy(output);

        const vmgpu_tensor_t *pair[2] = {input, input};
        vmgpu_tensor_t *results[2] = {nullptr, nullptr};
        if (vmgpu_engine_run(engine.engine, shared.block, pair, 2, results, 2,
                             nullptr) != VMGPU_STATUS_OK) {
          ++failures;
        } else {
          std::vector<int32_t> squares = i32Values(results[0]);
          std::vector<int32_t> zeros = i32Values(results[1]);
          for (int i = 0; i < 16; ++i)
            if (squares[i] != x[i] * x[i] || zeros[i] != 0)
              ++failures;
        }
        vmgpu_tensor_destroy(results[0]);
        vmgpu_tensor_destroy(results[1]);
        vmgpu_tensor_destroy(input);
      }
      vmgpu_block_destroy(own);
    });
  }
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(failures.load(), 0);

  char *json = nullptr;
  ASSERT_EQ(vmgpu_engine_get_metrics_json(engine.engine, &json, nullptr),
            VMGPU_STATUS_OK);
  nlohmann::json metrics = nlohmann::json::parse(json, nullptr, false);
  vmgpu_string_destroy(json);
  EXPECT_EQ(metrics["compiles"], 1 + kThreads);
  EXPECT_EQ(metrics["executions.cpu"], 2 * kThreads * kRuns);
}

} // namespace
