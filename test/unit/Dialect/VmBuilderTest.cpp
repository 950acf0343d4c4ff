//===- VmBuilderTest.cpp - building vm IR through the C++ API -------------===//
//
// A JIT builds vm IR with OpBuilder rather than text: these tests check that
// the generated builders produce verifiable ops and that the verifiers
// reject ill-formed ones with diagnostics (never aborts).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "vm/VmOps.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace vmgpu;

namespace {

class VmBuilderTest : public ::testing::Test {
protected:
  VmBuilderTest() : builder(&context) {
    context.loadDialect<vm::VmDialect, func::FuncDialect>();
    // Collect diagnostics instead of printing them.
    handler = std::make_unique<ScopedDiagnosticHandler>(
        &context, [this](Diagnostic &diag) {
          diagnostics.push_back(diag.str());
          return success();
        });
    module = ModuleOp::create(builder.getUnknownLoc());
  }

  /// Creates `func @name(args) -> results` in the module and returns its entry
  /// block, with the builder positioned at its start.
  Block *addFunction(StringRef name, TypeRange args, TypeRange results) {
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), name,
                                     builder.getFunctionType(args, results));
    Block *entry = func.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    return entry;
  }

  Location loc() { return builder.getUnknownLoc(); }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
  std::vector<std::string> diagnostics;
};

TEST_F(VmBuilderTest, ElementwiseChainVerifies) {
  auto type = RankedTensorType::get({4, ShapedType::kDynamic}, builder.getF32Type());
  Block *entry = addFunction("axpy", {type, type, type}, {type});
  Value a = entry->getArgument(0), x = entry->getArgument(1),
        y = entry->getArgument(2);
  Value ax = vm::MulOp::create(builder, loc(), a, x);
  Value sum = vm::AddOp::create(builder, loc(), ax, y);
  Value relu = vm::ReluOp::create(builder, loc(), sum);
  func::ReturnOp::create(builder, loc(), relu);
  EXPECT_TRUE(succeeded(verify(*module)));
  EXPECT_TRUE(diagnostics.empty());
}

TEST_F(VmBuilderTest, MatmulWithWiderAccumulatorVerifies) {
  auto lhs = RankedTensorType::get({8, 16}, builder.getF16Type());
  auto rhs = RankedTensorType::get({16, 4}, builder.getF16Type());
  auto out = RankedTensorType::get({8, 4}, builder.getF32Type());
  Block *entry = addFunction("mm", {lhs, rhs}, {out});
  Value product = vm::MatmulOp::create(builder, loc(), out, entry->getArgument(0),
                                       entry->getArgument(1),
                                       /*transpose_a=*/false,
                                       /*transpose_b=*/false);
  func::ReturnOp::create(builder, loc(), product);
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(VmBuilderTest, MatmulContractionMismatchIsDiagnosed) {
  auto lhs = RankedTensorType::get({8, 16}, builder.getF32Type());
  auto rhs = RankedTensorType::get({15, 4}, builder.getF32Type());
  auto out = RankedTensorType::get({8, 4}, builder.getF32Type());
  Block *entry = addFunction("mm", {lhs, rhs}, {out});
  Value product = vm::MatmulOp::create(builder, loc(), out, entry->getArgument(0),
                                       entry->getArgument(1),
                                       /*transpose_a=*/false,
                                       /*transpose_b=*/false);
  func::ReturnOp::create(builder, loc(), product);
  EXPECT_TRUE(failed(verify(*module)));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("contraction dimensions differ"),
            std::string::npos)
      << diagnostics.front();
}

TEST_F(VmBuilderTest, UnsignedOnFloatDivisionIsDiagnosed) {
  auto type = RankedTensorType::get({4}, builder.getF32Type());
  Block *entry = addFunction("div", {type, type}, {type});
  auto div = vm::DivOp::create(builder, loc(), entry->getArgument(0),
                               entry->getArgument(1));
  div->setAttr(vm::kUnsignedAttrName, builder.getUnitAttr());
  func::ReturnOp::create(builder, loc(), div.getResult());
  EXPECT_TRUE(failed(verify(*module)));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("'unsigned' has no meaning"),
            std::string::npos)
      << diagnostics.front();
}

TEST_F(VmBuilderTest, UnsignedIntegerDivisionReadsTheAttribute) {
  auto type = RankedTensorType::get({4}, builder.getI32Type());
  Block *entry = addFunction("udiv", {type, type}, {type});
  auto div = vm::DivOp::create(builder, loc(), entry->getArgument(0),
                               entry->getArgument(1));
  EXPECT_FALSE(div.isUnsigned());
  div->setAttr(vm::kUnsignedAttrName, builder.getUnitAttr());
  EXPECT_TRUE(div.isUnsigned());
  func::ReturnOp::create(builder, loc(), div.getResult());
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(VmBuilderTest, ElementwiseShapeMismatchIsDiagnosed) {
  auto a = RankedTensorType::get({4}, builder.getI32Type());
  auto b = RankedTensorType::get({5}, builder.getI32Type());
  Block *entry = addFunction("add", {a, b}, {a});
  Value sum = vm::AddOp::create(builder, loc(), a, entry->getArgument(0),
                                entry->getArgument(1));
  func::ReturnOp::create(builder, loc(), sum);
  EXPECT_TRUE(failed(verify(*module)));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("operand #1"), std::string::npos)
      << diagnostics.front();
}

TEST_F(VmBuilderTest, TransposeFoldsComposedIdentity) {
  auto type = RankedTensorType::get({2, 3}, builder.getF32Type());
  auto transposed = RankedTensorType::get({3, 2}, builder.getF32Type());
  Block *entry = addFunction("tt", {type}, {type});
  auto first = vm::TransposeOp::create(builder, loc(), transposed,
                                       entry->getArgument(0),
                                       ArrayRef<int64_t>{1, 0});
  auto second = vm::TransposeOp::create(builder, loc(), type, first.getResult(),
                                        ArrayRef<int64_t>{1, 0});
  func::ReturnOp::create(builder, loc(), second.getResult());
  ASSERT_TRUE(succeeded(verify(*module)));
  // The composed permutation is the identity, which the folder removes.
  auto identity = vm::TransposeOp::create(builder, loc(), type,
                                          entry->getArgument(0),
                                          ArrayRef<int64_t>{0, 1});
  SmallVector<OpFoldResult> folded;
  ASSERT_TRUE(succeeded(identity->fold(folded)));
  ASSERT_EQ(folded.size(), 1u);
  EXPECT_EQ(dyn_cast<Value>(folded.front()), entry->getArgument(0));
  identity->erase();
}

TEST_F(VmBuilderTest, ReshapeShapeCheckIsSilentWithoutEmitter) {
  auto f32 = builder.getF32Type();
  auto eight = RankedTensorType::get({8}, f32);
  auto threeByFour = RankedTensorType::get({3, 4}, f32);
  auto anyByFour = RankedTensorType::get({ShapedType::kDynamic, 4}, f32);
  EXPECT_TRUE(failed(vm::ReshapeOp::verifyShapes(eight, threeByFour, nullptr)));
  EXPECT_TRUE(
      succeeded(vm::ReshapeOp::verifyShapes(eight, anyByFour, nullptr)));
  EXPECT_TRUE(
      succeeded(vm::ReshapeOp::verifyShapes(anyByFour, threeByFour, nullptr)));
  EXPECT_TRUE(diagnostics.empty());
}

TEST_F(VmBuilderTest, BitcastChainThroughDynamicDimDoesNotFold) {
  // 4 -> ? -> 5 verifies link by link; folding it to 4 -> 5 would not.
  auto four = RankedTensorType::get({4}, builder.getF32Type());
  auto any =
      RankedTensorType::get({ShapedType::kDynamic}, builder.getI32Type());
  auto five = RankedTensorType::get({5}, builder.getF32Type());
  Block *entry = addFunction("chain", {four}, {five});
  auto inner =
      vm::BitcastOp::create(builder, loc(), any, entry->getArgument(0));
  auto outer = vm::BitcastOp::create(builder, loc(), five, inner.getResult());
  func::ReturnOp::create(builder, loc(), outer.getResult());
  ASSERT_TRUE(succeeded(verify(*module)));
  SmallVector<OpFoldResult> folded;
  EXPECT_TRUE(failed(outer->fold(folded)));
  EXPECT_EQ(outer.getOperand(), inner.getResult());
  EXPECT_TRUE(succeeded(verify(*module)));
}

TEST_F(VmBuilderTest, SelectShapesBridgedByDynamicDimAreDiagnosed) {
  Type i1 = builder.getI1Type(), f32 = builder.getF32Type();
  auto cond = RankedTensorType::get({4}, i1);
  auto any = RankedTensorType::get({ShapedType::kDynamic}, f32);
  auto five = RankedTensorType::get({5}, f32);
  Block *entry = addFunction("sel", {cond, any, five}, {any});
  Value selected =
      vm::SelectOp::create(builder, loc(), any, entry->getArgument(0),
                           entry->getArgument(1), entry->getArgument(2));
  func::ReturnOp::create(builder, loc(), selected);
  EXPECT_TRUE(failed(verify(*module)));
  ASSERT_FALSE(diagnostics.empty());
  EXPECT_NE(diagnostics.front().find("must have the shape of false_value"),
            std::string::npos)
      << diagnostics.front();
}

} // namespace
