//===- RocdlTanhToDeviceLibrary.cpp - math.tanh as __ocml_tanh on ROCDL ---===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"

namespace vmgpu {
#define GEN_PASS_DEF_ROCDLTANHTODEVICELIBRARY
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// The device library's name for tanh of `type`, or "" when it has none.
StringRef ocmlTanhName(Type type) {
  if (type.isF16())
    return "__ocml_tanh_f16";
  if (type.isF32())
    return "__ocml_tanh_f32";
  if (type.isF64())
    return "__ocml_tanh_f64";
  return "";
}

/// The element type of a scalar or 1-D vector `type` the device library
/// has a tanh for, or null.
Type libraryElementType(Type type) {
  auto vector = dyn_cast<VectorType>(type);
  if (vector && (vector.getRank() != 1 || vector.isScalable()))
    return {};
  Type element = vector ? vector.getElementType() : type;
  return ocmlTanhName(element).empty() ? Type() : element;
}

struct RocdlTanhToDeviceLibraryPass
    : vmgpu::impl::RocdlTanhToDeviceLibraryBase<RocdlTanhToDeviceLibraryPass> {
  void runOnOperation() override {
    Operation *module = getOperation();
    SmallVector<math::TanhOp> tanhs;
    module->walk([&](math::TanhOp op) {
      if (libraryElementType(op.getType()))
        tanhs.push_back(op);
    });
    for (math::TanhOp op : tanhs) {
      Type element = libraryElementType(op.getType());
      LLVM::LLVMFuncOp callee = declare(module, element, op.getLoc());
      OpBuilder builder(op);
      auto call = [&](Value x) {
        return LLVM::CallOp::create(builder, op.getLoc(), callee, ValueRange{x})
            .getResult();
      };
      Value result;
      if (auto vector = dyn_cast<VectorType>(op.getType())) {
        // One call per lane: the library is scalar.
        result = arith::ConstantOp::create(builder, op.getLoc(), vector,
                                           builder.getZeroAttr(vector));
        for (int64_t lane = 0; lane < vector.getNumElements(); ++lane) {
          Value x = vector::ExtractOp::create(builder, op.getLoc(),
                                              op.getOperand(), lane);
          result = vector::InsertOp::create(builder, op.getLoc(), call(x),
                                            result, lane);
        }
      } else {
        result = call(op.getOperand());
      }
      op.replaceAllUsesWith(result);
      op.erase();
    }
  }

  /// The module's declaration of the library's tanh of `element`, added
  /// when missing.
  static LLVM::LLVMFuncOp declare(Operation *module, Type element,
                                  Location loc) {
    StringRef name = ocmlTanhName(element);
    if (auto existing = dyn_cast_or_null<LLVM::LLVMFuncOp>(
            SymbolTable::lookupSymbolIn(module, name)))
      return existing;
    OpBuilder builder = OpBuilder::atBlockBegin(&module->getRegion(0).front());
    return LLVM::LLVMFuncOp::create(
        builder, loc, name, LLVM::LLVMFunctionType::get(element, {element}));
  }
};

} // namespace
