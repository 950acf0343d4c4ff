//===- CpuLowerPairMultiplyAdd.cpp - pair multiply-adds to intrinsics -----===//
//
// vmgpu_codegen.pair_multiply_add (CpuPairedIntegerContraction.h) becomes
// its target's intrinsic, or its arithmetic where it names none. It runs
// late because buffer deallocation refuses llvm.call_intrinsic, whose
// memory effects are unknown.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "codegen/CodegenOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPULOWERPAIRMULTIPLYADD
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// The op's definition written out: elements 2i and 2i + 1 of both
/// operands, sign-extended, multiplied and added (wrapping).
Value expandPairMultiplyAdd(OpBuilder &b, codegen::PairMultiplyAddOp op) {
  Location loc = op.getLoc();
  VectorType resultType = op.getResult().getType();
  int64_t sums = resultType.getNumElements();
  SmallVector<int64_t> even, odd;
  for (int64_t i = 0; i < sums; ++i) {
    even.push_back(2 * i);
    odd.push_back(2 * i + 1);
  }
  auto product = [&](ArrayRef<int64_t> lanes) {
    Value lhs =
        vector::ShuffleOp::create(b, loc, op.getLhs(), op.getLhs(), lanes);
    Value rhs =
        vector::ShuffleOp::create(b, loc, op.getRhs(), op.getRhs(), lanes);
    return arith::MulIOp::create(
        b, loc, arith::ExtSIOp::create(b, loc, resultType, lhs),
        arith::ExtSIOp::create(b, loc, resultType, rhs));
  };
  return arith::AddIOp::create(b, loc, product(even), product(odd));
}

struct CpuLowerPairMultiplyAddPass
    : vmgpu::impl::CpuLowerPairMultiplyAddBase<CpuLowerPairMultiplyAddPass> {
  void runOnOperation() override {
    SmallVector<codegen::PairMultiplyAddOp> ops;
    getOperation().walk(
        [&](codegen::PairMultiplyAddOp op) { ops.push_back(op); });
    for (codegen::PairMultiplyAddOp op : ops) {
      OpBuilder b(op);
      Value result;
      if (std::optional<StringRef> intrinsic = op.getIntrinsic())
        result = LLVM::CallIntrinsicOp::create(
                     b, op.getLoc(), op.getResult().getType(),
                     b.getStringAttr(*intrinsic),
                     ValueRange{op.getLhs(), op.getRhs()})
                     .getResult(0);
      else
        result = expandPairMultiplyAdd(b, op);
      op.getResult().replaceAllUsesWith(result);
      op.erase();
    }
  }
};

} // namespace
