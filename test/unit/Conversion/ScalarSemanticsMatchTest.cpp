//===- ScalarSemanticsMatchTest.cpp - matchers beside their builders ------===//
//
// matchFloatRelu and matchFloatTruncate recognize what the contract's
// builders produce, before and after canonicalization (the library GEMM's
// epilogue relies on them to hand a relu or a rounding to cuBLASLt): these
// tests build each form with the builders themselves, so a change to a
// builder that the matcher does not follow fails here rather than turning
// the epilogue off unnoticed. Forms with another meaning are refused.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "vm/VmOps.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace vmgpu;

namespace {

/// How a built form is cleaned up before it is matched.
enum class Cleanup { None, Canonicalize, CanonicalizeAndCse };

class ScalarSemanticsMatchTest : public ::testing::Test {
protected:
  ScalarSemanticsMatchTest() {
    context.loadDialect<arith::ArithDialect, func::FuncDialect,
                        math::MathDialect, ub::UBDialect, vm::VmDialect>();
  }

  /// `@f(%x: f32, %t: tensor<4xf32>) -> resultType` returning a value
  /// that `build` makes from %x (and, for a vm op's scalar form, the
  /// `vm.relu` on %t), then cleaned up. Returns the returned value and %x.
  std::pair<Value, Value>
  build(StringRef resultType,
        llvm::function_ref<Value(OpBuilder &, Value, Operation *)> make,
        Cleanup cleanup) {
    std::string source =
        "func.func @f(%x: f32, %t: tensor<4xf32>) -> " + resultType.str() +
        " {\n  %r = vm.relu %t : tensor<4xf32>\n  %u = ub.poison : " +
        resultType.str() + "\n  return %u : " + resultType.str() + "\n}\n";
    module = parseSourceString<ModuleOp>(source, &context);
    EXPECT_TRUE(module);
    auto func = cast<func::FuncOp>(module->getBody()->front());
    Operation *relu = &func.getBody().front().front();
    Operation *ret = func.getBody().front().getTerminator();
    OpBuilder b(ret);
    Value x = func.getArgument(0);
    ret->setOperand(0, make(b, x, relu));
    relu->erase();
    if (cleanup != Cleanup::None) {
      PassManager pm(&context);
      pm.addPass(createCanonicalizerPass());
      if (cleanup == Cleanup::CanonicalizeAndCse)
        pm.addPass(createCSEPass());
      EXPECT_TRUE(succeeded(pm.run(*module)));
    }
    return {func.getBody().front().getTerminator()->getOperand(0), x};
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

Value vmRelu(OpBuilder &b, Value x, Operation *relu) {
  return *buildVmScalarOp(b, relu->getLoc(), relu, {x});
}

constexpr Cleanup kCleanups[] = {Cleanup::None, Cleanup::Canonicalize,
                                 Cleanup::CanonicalizeAndCse};

TEST_F(ScalarSemanticsMatchTest, ReluMatchesAsBuiltAndCanonicalized) {
  for (Cleanup cleanup : kCleanups) {
    auto [result, x] = build("f32", vmRelu, cleanup);
    EXPECT_EQ(matchFloatRelu(result), x)
        << "cleanup " << static_cast<int>(cleanup);
  }
}

TEST_F(ScalarSemanticsMatchTest, OtherFormsAreNotRelu) {
  auto zero = [](OpBuilder &b, Location loc) -> Value {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  };
  auto isNaN = [](OpBuilder &b, Location loc, Value v) -> Value {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, v, v);
  };
  // max(x, +0) alone: NaN becomes 0.
  auto [maxOnly, x1] = build(
      "f32",
      [&](OpBuilder &b, Value x, Operation *) {
        return buildFloatMax(b, x.getLoc(), x, zero(b, x.getLoc()));
      },
      Cleanup::CanonicalizeAndCse);
  EXPECT_FALSE(matchFloatRelu(maxOnly));
  // The NaN rule around min(x, +0), and around max(x, -0).
  for (bool useMin : {true, false}) {
    auto [other, x2] = build(
        "f32",
        [&](OpBuilder &b, Value x, Operation *) -> Value {
          Location loc = x.getLoc();
          Value bound = useMin ? zero(b, loc)
                               : Value(arith::ConstantOp::create(
                                     b, loc, b.getF32FloatAttr(-0.0f)));
          Value inner = useMin ? buildFloatMin(b, loc, x, bound)
                               : buildFloatMax(b, loc, x, bound);
          return arith::SelectOp::create(b, loc, isNaN(b, loc, x), x, inner);
        },
        Cleanup::None);
    EXPECT_FALSE(matchFloatRelu(other)) << "min: " << useMin;
  }
  // The contract's relu of another value than the one tested for NaN.
  auto [crossed, x3] = build(
      "f32",
      [&](OpBuilder &b, Value x, Operation *) -> Value {
        Location loc = x.getLoc();
        Value y = arith::NegFOp::create(b, loc, x);
        Value max = buildFloatMax(b, loc, y, zero(b, loc));
        return arith::SelectOp::create(b, loc, isNaN(b, loc, x), x, max);
      },
      Cleanup::None);
  EXPECT_FALSE(matchFloatRelu(crossed));
}

TEST_F(ScalarSemanticsMatchTest, TruncateMatchesAsBuiltAndCanonicalized) {
  for (Cleanup cleanup : kCleanups) {
    auto [result, x] = build(
        "f16",
        [](OpBuilder &b, Value x, Operation *) {
          return buildFloatTruncate(b, x.getLoc(), x, b.getF16Type());
        },
        cleanup);
    EXPECT_EQ(matchFloatTruncate(result), x)
        << "cleanup " << static_cast<int>(cleanup);
  }
}

TEST_F(ScalarSemanticsMatchTest, OtherNarrowingsAreNotTheContractsTruncate) {
  // A plain truncf (the target's NaN) and one rounding toward zero.
  for (bool towardZero : {false, true}) {
    auto [result, x] = build(
        "f16",
        [&](OpBuilder &b, Value x, Operation *) -> Value {
          auto truncate =
              arith::TruncFOp::create(b, x.getLoc(), b.getF16Type(), x);
          if (towardZero)
            truncate.setRoundingmode(arith::RoundingMode::toward_zero);
          return truncate;
        },
        Cleanup::None);
    EXPECT_FALSE(matchFloatTruncate(result)) << "toward zero: " << towardZero;
  }
}

} // namespace
