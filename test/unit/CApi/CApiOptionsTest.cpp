//===- CApiOptionsTest.cpp - the C API's VMGPU_API_VERSION 3, 4 additions -===//
//
// The engine options of version 3 (contraction strategy, the kernel cache's
// levels) and 4 (graph replay), the older structs without them, compile
// options (entry, the name the IR goes by), and the device list.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include "CApiTestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>

namespace {

using namespace vmgpu::capi_test;

/// The add of CApiTestSupport.h with operands of different lengths, whose
/// verifier error is on line 2.
constexpr const char kMismatch[] =
    "func.func @main(%a: tensor<4xf32>, %b: tensor<8xf32>) -> tensor<4xf32> {\n"
    "  %0 = \"vm.add\"(%a, %b) : (tensor<4xf32>, tensor<8xf32>) -> "
    "tensor<4xf32>\n"
    "  return %0 : tensor<4xf32>\n"
    "}\n";

vmgpu_status_t createEngine(const vmgpu_engine_options_t &options,
                            EnginePtr &engine, ErrorPtr &error) {
  vmgpu_engine_destroy(engine.engine);
  engine.engine = nullptr;
  return vmgpu_engine_create(&options, &engine.engine, &error);
}

vmgpu_status_t compileWith(vmgpu_engine_t *engine, const char *ir,
                           const vmgpu_compile_options_t *options,
                           BlockPtr &block, ErrorPtr &error) {
  vmgpu_block_destroy(block.block);
  block.block = nullptr;
  return vmgpu_engine_compile_with_options(engine, ir, std::strlen(ir), options,
                                           &block.block, &error);
}

TEST(CApiOptionsTest, ContractionStrategy) {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  EXPECT_EQ(options.contraction_strategy, nullptr);
  options.device = "cpu";
  EnginePtr engine;
  ErrorPtr error;
  for (const char *strategy : {"generated", "library", "auto"}) {
    SCOPED_TRACE(strategy);
    options.contraction_strategy = strategy;
    EXPECT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
        << error.message();
  }
  // It shapes CUDA builds only: a CPU engine compiles and runs as ever.
  BlockPtr block{compile(engine.engine, kAddProgram, "main")};
  ASSERT_NE(block.block, nullptr);
  Tensors inputs;
  inputs.tensors = {f32Tensor({1, 2, 3, 4}), f32Tensor({10, 20, 30, 40})};
  Tensors outputs(1);
  ASSERT_EQ(vmgpu_engine_run(engine.engine, block.block, inputs.inputs(), 2,
                             outputs.tensors.data(), 1, &error),
            VMGPU_STATUS_OK)
      << error.message();
  EXPECT_EQ(static_cast<const float *>(
                vmgpu_tensor_get_data(outputs.tensors[0]))[3],
            44.0f);

  options.contraction_strategy = "blas";
  EXPECT_EQ(createEngine(options, engine, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(engine.engine, nullptr);
  EXPECT_EQ(error.message(),
            "vmgpu_engine_create: unknown contraction strategy 'blas' "
            "(expected generated, library or auto)");
}

TEST(CApiOptionsTest, EngineOptionsOfApiVersion2StillWork) {
  // A caller built against API version 2 passes the 32-byte struct (on LP64
  // targets): the library reads no further, whatever lies beyond it.
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.struct_size = offsetof(vmgpu_engine_options_t, contraction_strategy);
  options.device = "cpu";
  options.contraction_strategy = "not read";
  options.cache_directory = "/nonexistent/not read";
  options.memory_cache = 0;
  EnginePtr engine;
  ErrorPtr error;
  EXPECT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
      << error.message();
}

TEST(CApiOptionsTest, EngineOptionsOfApiVersion3StillWork) {
  // A caller built against API version 3 passes the 56-byte struct (on LP64
  // targets): version 4's gpu_graphs lies beyond it and is not read.
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.struct_size = offsetof(vmgpu_engine_options_t, gpu_graphs);
  options.device = "cpu";
  options.gpu_graphs = 7;
  EnginePtr engine;
  ErrorPtr error;
  EXPECT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
      << error.message();
}

TEST(CApiOptionsTest, GpuGraphs) {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  EXPECT_EQ(options.gpu_graphs, -1);
  options.device = "cpu";
  EnginePtr engine;
  ErrorPtr error;
  for (int64_t value : {-1, 0, 1}) {
    SCOPED_TRACE(value);
    options.gpu_graphs = value;
    EXPECT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
        << error.message();
  }
  options.gpu_graphs = 2;
  EXPECT_EQ(createEngine(options, engine, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(engine.engine, nullptr);
  EXPECT_EQ(error.message(),
            "vmgpu_engine_create: gpu_graphs must be -1, 0 or 1, got 2");
}

/// Sets an environment variable (NULL: unsets it) for the length of a test.
class ScopedEnvironment {
public:
  ScopedEnvironment(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    value ? ::setenv(name, value, 1) : ::unsetenv(name);
  }
  ~ScopedEnvironment() {
    old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_);
  }

private:
  const char *name_;
  std::optional<std::string> old_;
};

/// The metrics of `engine` as JSON.
nlohmann::json metricsOf(vmgpu_engine_t *engine) {
  char *json = nullptr;
  EXPECT_EQ(vmgpu_engine_get_metrics_json(engine, &json, nullptr),
            VMGPU_STATUS_OK);
  nlohmann::json parsed = nlohmann::json::parse(json ? json : "", nullptr,
                                                false);
  vmgpu_string_destroy(json);
  return parsed;
}

TEST(CApiOptionsTest, CacheLevels) {
  // The other tests run with the disk level off (CApiTestSupport.h).
  ScopedEnvironment diskOn("VMGPU_DISK_CACHE", nullptr);
  std::string directory = ::testing::TempDir() + "vmgpu-capi-cache-XXXXXX";
  ASSERT_NE(::mkdtemp(directory.data()), nullptr);
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  EXPECT_EQ(options.cache_directory, nullptr);
  EXPECT_EQ(options.memory_cache, 1);
  options.device = "cpu";
  options.opt_level = 1;

  // Disk only: the second compile of the same IR is a disk hit.
  options.cache_directory = directory.c_str();
  options.memory_cache = 0;
  EnginePtr engine;
  ErrorPtr error;
  ASSERT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
      << error.message();
  for (int i = 0; i < 2; ++i)
    vmgpu_block_destroy(compile(engine.engine, kAddProgram, "main"));
  nlohmann::json metrics = metricsOf(engine.engine);
  EXPECT_EQ(metrics["compiles"], 1) << metrics.dump();
  EXPECT_EQ(metrics["cache.disk.misses"], 1) << metrics.dump();
  EXPECT_EQ(metrics["cache.disk.hits"], 1) << metrics.dump();
  EXPECT_EQ(metrics["cache.memory.hits"], 0) << metrics.dump();
  size_t entries = 0;
  for (const auto &entry :
       std::filesystem::directory_iterator(directory + "/v1"))
    entries += entry.path().extension() == ".vmgpu";
  EXPECT_EQ(entries, 1u);

  // Memory only: "" turns the disk level off.
  options.cache_directory = "";
  options.memory_cache = 1;
  ASSERT_EQ(createEngine(options, engine, error), VMGPU_STATUS_OK)
      << error.message();
  for (int i = 0; i < 2; ++i)
    vmgpu_block_destroy(compile(engine.engine, kAddProgram, "main"));
  metrics = metricsOf(engine.engine);
  EXPECT_EQ(metrics["compiles"], 1) << metrics.dump();
  EXPECT_EQ(metrics["cache.memory.hits"], 1) << metrics.dump();
  EXPECT_EQ(metrics["cache.disk.misses"], 0) << metrics.dump();
  EXPECT_EQ(metrics["cache.disk.hits"], 0) << metrics.dump();
  std::filesystem::remove_all(directory);
}

TEST(CApiOptionsTest, DiagnosticsNameTheSource) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  vmgpu_compile_options_t options;
  vmgpu_compile_options_init(&options);
  EXPECT_EQ(options.struct_size, sizeof(vmgpu_compile_options_t));
  EXPECT_EQ(options.entry, nullptr);
  EXPECT_EQ(options.source_name, nullptr);
  BlockPtr block;
  ErrorPtr error;
  EXPECT_EQ(compileWith(engine.engine, kMismatch, &options, block, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.diagnostics().find("<ir>:2:"), std::string::npos)
      << error.diagnostics();

  options.source_name = "programs/mismatch.mlir";
  EXPECT_EQ(compileWith(engine.engine, kMismatch, &options, block, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(block.block, nullptr);
  EXPECT_NE(error.diagnostics().find("programs/mismatch.mlir:2:"),
            std::string::npos)
      << error.diagnostics();
  EXPECT_EQ(error.diagnostics().find("<ir>"), std::string::npos);
  // The message: the engine's summary, then the first error line.
  EXPECT_EQ(error.message().find("the program does not parse: "
                                 "programs/mismatch.mlir:2:"),
            0u)
      << error.message();
}

TEST(CApiOptionsTest, ShapeChecksNameTheSource) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  vmgpu_compile_options_t options;
  vmgpu_compile_options_init(&options);
  options.entry = "mulsub";
  options.source_name = "mulsub.mlir";
  BlockPtr block;
  ErrorPtr error;
  ASSERT_EQ(compileWith(engine.engine, kMulSubProgram, &options, block, error),
            VMGPU_STATUS_OK)
      << error.message();
  EXPECT_EQ(vmgpu_block_get_num_results(block.block), 2u);
  Tensors inputs;
  inputs.tensors = {i32Tensor({1, 2, 3}), i32Tensor({1, 2})};
  vmgpu_tensor_t *outputs[2] = {nullptr, nullptr};
  EXPECT_EQ(vmgpu_engine_run(engine.engine, block.block, inputs.inputs(), 2,
                             outputs, 2, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  // kMulSubProgram starts with a newline: vm.mul is on line 4.
  EXPECT_NE(error.message().find("'vm.mul' at mulsub.mlir:4:"),
            std::string::npos)
      << error.message();
}

TEST(CApiOptionsTest, CompileOptionsDefaultsAndErrors) {
  EnginePtr engine{makeCpuEngine()};
  ASSERT_NE(engine.engine, nullptr);
  BlockPtr block;
  ErrorPtr error;
  // NULL options: entry "main".
  ASSERT_EQ(compileWith(engine.engine, kAddProgram, nullptr, block, error),
            VMGPU_STATUS_OK)
      << error.message();
  EXPECT_EQ(vmgpu_block_get_num_inputs(block.block), 2u);

  vmgpu_compile_options_t options;
  vmgpu_compile_options_init(&options);
  options.entry = "nope";
  EXPECT_EQ(compileWith(engine.engine, kAddProgram, &options, block, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.diagnostics().find("no function named 'nope'"),
            std::string::npos)
      << error.diagnostics();

  vmgpu_compile_options_init(&options);
  for (size_t size : {size_t(0), size_t(12), sizeof(options) + 1}) {
    SCOPED_TRACE(size);
    options.struct_size = size;
    EXPECT_EQ(compileWith(engine.engine, kAddProgram, &options, block, error),
              VMGPU_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(error.message().find("vmgpu_engine_compile_with_options: "
                                   "options->struct_size is " +
                                   std::to_string(size)),
              std::string::npos)
        << error.message();
  }

  // A newer header's struct: unknown fields are fine while they are zero.
  struct Newer {
    vmgpu_compile_options_t known;
    const char *unknownField;
  } newer;
  std::memset(&newer, 0, sizeof newer);
  vmgpu_compile_options_init(&newer.known);
  newer.known.struct_size = sizeof newer;
  EXPECT_EQ(compileWith(engine.engine, kAddProgram, &newer.known, block, error),
            VMGPU_STATUS_OK)
      << error.message();
  newer.unknownField = "set";
  EXPECT_EQ(compileWith(engine.engine, kAddProgram, &newer.known, block, error),
            VMGPU_STATUS_UNIMPLEMENTED);
  EXPECT_EQ(block.block, nullptr);

  EXPECT_EQ(compileWith(nullptr, kAddProgram, nullptr, block, error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'engine' is NULL"), std::string::npos);
  EXPECT_EQ(vmgpu_engine_compile_with_options(engine.engine, kAddProgram, 4,
                                              nullptr, nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'out_block' is NULL"), std::string::npos);
}

TEST(CApiOptionsTest, DevicesJson) {
  char *json = nullptr;
  ErrorPtr error;
  ASSERT_EQ(vmgpu_get_devices_json(&json, &error), VMGPU_STATUS_OK)
      << error.message();
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  vmgpu_string_destroy(json);
  ASSERT_TRUE(parsed.is_object());
  ASSERT_TRUE(parsed["devices"].is_array());
  ASSERT_TRUE(parsed["unavailable"].is_array());
  // Each driver gives devices or a reason why it gives none.
  for (std::string kind : {"cuda", "rocm"}) {
    bool accounted = false;
    for (const nlohmann::json &device : parsed["devices"])
      accounted |= device["kind"] == kind;
    for (const nlohmann::json &reason : parsed["unavailable"])
      accounted |= reason.get<std::string>().rfind(kind + ":", 0) == 0;
    EXPECT_TRUE(accounted) << kind << " in " << parsed.dump();
  }
  EXPECT_EQ(vmgpu_get_devices_json(nullptr, &error),
            VMGPU_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(error.message().find("'out_json' is NULL"), std::string::npos);
}

} // namespace
