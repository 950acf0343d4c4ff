//===- VectorizeBody.cpp - scalar body ops cloned on vectors --------------===//

#include "VectorizeBody.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/OpDefinition.h"

using namespace mlir;

static bool isScalar(Type type) { return type.isIntOrFloat(); }

bool vmgpu::isVectorizable(ArrayRef<Operation *> ops) {
  return llvm::all_of(ops, [](Operation *op) {
    if (op->getNumRegions() != 0 ||
        !llvm::all_of(op->getResultTypes(), isScalar) ||
        !llvm::all_of(op->getOperandTypes(), isScalar))
      return false;
    return op->hasTrait<OpTrait::ConstantLike>() ||
           (op->hasTrait<OpTrait::Elementwise>() &&
            op->hasTrait<OpTrait::Vectorizable>());
  });
}

void vmgpu::cloneVectorized(OpBuilder &b, Location loc,
                            ArrayRef<Operation *> ops, IRMapping &mapping,
                            int64_t lanes) {
  auto vectorOf = [&](Type scalar) { return VectorType::get({lanes}, scalar); };
  auto operandOf = [&](Value scalar) -> Value {
    if (Value mapped = mapping.lookupOrNull(scalar))
      return mapped;
    Value splat =
        vector::BroadcastOp::create(b, loc, vectorOf(scalar.getType()), scalar);
    mapping.map(scalar, splat);
    return splat;
  };
  for (Operation *op : ops) {
    if (op->hasTrait<OpTrait::ConstantLike>()) {
      // The scalar constant, broadcast (canonicalization makes it a splat
      // constant).
      Operation *scalar = b.clone(*op);
      for (auto [from, to] :
           llvm::zip_equal(op->getResults(), scalar->getResults()))
        mapping.map(from, vector::BroadcastOp::create(
                              b, loc, vectorOf(from.getType()), to)
                              .getResult());
      continue;
    }
    OperationState state(loc, op->getName());
    for (Value operand : op->getOperands())
      state.addOperands(operandOf(operand));
    for (Type type : op->getResultTypes())
      state.addTypes(vectorOf(type));
    state.addAttributes(op->getAttrs());
    Operation *vectorized = b.create(state);
    mapping.map(op->getResults(), vectorized->getResults());
  }
}
