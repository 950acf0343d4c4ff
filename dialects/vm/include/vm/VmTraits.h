//===- VmTraits.h - native traits shared by vm ops ------------------------===//
//
// Verification shared by whole op families: elementwise type agreement, the
// rules of the `unsigned` attribute and the bound on tensor sizes.
//
//===----------------------------------------------------------------------===//

#ifndef VM_VMTRAITS_H
#define VM_VMTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace vmgpu::vm {

/// The name of the unit attribute that makes sign-dependent ops unsigned.
inline constexpr llvm::StringLiteral kUnsignedAttrName = "unsigned";

/// The largest tensor a block may hold, in bytes (1 TiB): the runtime's
/// bound on one buffer (runtime::HostTensor::kMaxSizeInBytes; lib/Compiler
/// checks that the two agree). Sizes are counted as docs/security.md says:
/// the product of the static dims, a 0 counted as 1, times the element size
/// (i1 takes one byte).
inline constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 40;

/// Whether `type` is one of the contract's element types: i1, i8, i16, i32,
/// i64 (signless), f16, bf16, f32, f64.
bool isVmElementType(mlir::Type type);

/// Bytes one element of `type` (a vm element type) takes in memory.
uint64_t getElementByteSize(mlir::Type type);

/// Checks that the static part of `type` (any type; only ranked tensors are
/// checked) is within kMaxTensorBytes, reporting through `emitError` with
/// `what` ("result #0") naming the value.
mlir::LogicalResult
verifyTensorSizeBound(mlir::Type type, const llvm::Twine &what,
                      llvm::function_ref<mlir::InFlightDiagnostic()> emitError);

namespace OpTrait {
namespace detail {
mlir::LogicalResult verifySameElementwiseType(mlir::Operation *op);
mlir::LogicalResult verifySameOperandsShape(mlir::Operation *op);
mlir::LogicalResult verifyRejectsUnsigned(mlir::Operation *op);
mlir::LogicalResult verifyAcceptsUnsigned(mlir::Operation *op);
mlir::LogicalResult verifyUnsignedOnlyForIntegers(mlir::Operation *op);
mlir::LogicalResult verifyBoundedTensorSizes(mlir::Operation *op);
} // namespace detail

/// Every operand and result is within kMaxTensorBytes. Every vm op has it.
template <typename ConcreteType>
class BoundedTensorSizes
    : public mlir::OpTrait::TraitBase<ConcreteType, BoundedTensorSizes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyBoundedTensorSizes(op);
  }
};

/// All operands and the result have one element type and compatible shapes.
template <typename ConcreteType>
class SameElementwiseType
    : public mlir::OpTrait::TraitBase<ConcreteType, SameElementwiseType> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifySameElementwiseType(op);
  }
};

/// All operands have one element type and compatible shapes, and the result
/// has their shape.
template <typename ConcreteType>
class SameOperandsShape
    : public mlir::OpTrait::TraitBase<ConcreteType, SameOperandsShape> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifySameOperandsShape(op);
  }
};

/// The op has no sign-dependent meaning and must not carry `unsigned`.
template <typename ConcreteType>
class RejectsUnsigned
    : public mlir::OpTrait::TraitBase<ConcreteType, RejectsUnsigned> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyRejectsUnsigned(op);
  }
};

/// The op may carry `unsigned`, which must be a unit attribute.
template <typename ConcreteType>
class AcceptsUnsigned
    : public mlir::OpTrait::TraitBase<ConcreteType, AcceptsUnsigned> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyAcceptsUnsigned(op);
  }
};

/// `unsigned` is meaningful only when the operands hold integers.
template <typename ConcreteType>
class UnsignedOnlyForIntegers
    : public mlir::OpTrait::TraitBase<ConcreteType, UnsignedOnlyForIntegers> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyUnsignedOnlyForIntegers(op);
  }
};

} // namespace OpTrait
} // namespace vmgpu::vm

#endif // VM_VMTRAITS_H
