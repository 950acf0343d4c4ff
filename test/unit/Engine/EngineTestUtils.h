//===- EngineTestUtils.h - one program and its inputs for engine tests ----===//
//
// Expected values are worked out by hand.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_UNIT_ENGINE_ENGINETESTUTILS_H
#define VMGPU_TEST_UNIT_ENGINE_ENGINETESTUTILS_H

#include "vmgpu/Engine/Engine.h"

#include <gtest/gtest.h>

#include <climits>

namespace vmgpu::test {

using runtime::HostTensor;
using runtime::StatusOr;
using runtime::ElementType;


inline constexpr const char *kProgram = R"mlir(
func.func @main(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  %0 = vm.div %a, %b : tensor<?xi32>
  return %0 : tensor<?xi32>
}
)mlir";

inline std::shared_ptr<const CompiledBlock> compileOrDie(Engine &engine) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> block =
      engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kProgram), "main", os);
  EXPECT_TRUE(block.isOk()) << block.status().toString() << diagnostics;
  return block.isOk() ? *block : nullptr;
}

inline HostTensor tensorOf(std::vector<int32_t> values) {
  return HostTensor::fromVector<int32_t>(
             ElementType::I32, {static_cast<int64_t>(values.size())}, values)
      .value();
}

/// 7 / 2 = 3, -7 / 2 = -3 (truncation), 5 / 0 = -1 (all ones),
/// INT32_MIN / -1 = INT32_MIN.
inline void expectDivisionResults(const std::vector<HostTensor> &results) {
  ASSERT_EQ(results.size(), 1u);
  const int32_t *out = results[0].data<int32_t>();
  EXPECT_EQ(out[0], 3);
  EXPECT_EQ(out[1], -3);
  EXPECT_EQ(out[2], -1);
  EXPECT_EQ(out[3], INT32_MIN);
}

inline EngineOptions optionsFor(DeviceSelection::Kind kind, bool allowFallback = true) {
  EngineOptions options;
  options.device = DeviceSelection{kind, 0};
  options.allowFallback = allowFallback;
  return options;
}

inline std::vector<HostTensor> divisionInputs() {
  std::vector<HostTensor> inputs;
  inputs.push_back(tensorOf({7, -7, 5, INT32_MIN}));
  inputs.push_back(tensorOf({2, 2, 0, -1}));
  return inputs;
}

/// Compiles and runs the division program through `engine`; checks results.
inline void compileAndRun(Engine &engine) {
  std::shared_ptr<const CompiledBlock> block = compileOrDie(engine);
  ASSERT_TRUE(block);
  std::vector<HostTensor> inputs = divisionInputs();
  StatusOr<std::vector<HostTensor>> results =
      engine.run(*block, {&inputs[0], &inputs[1]});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  expectDivisionResults(*results);
}

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_ENGINE_ENGINETESTUTILS_H
