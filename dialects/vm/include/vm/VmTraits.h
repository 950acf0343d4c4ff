//===- VmTraits.h - native traits shared by vm ops ------------------------===//
//
// Verification shared by whole op families: elementwise type agreement and
// the rules of the `unsigned` attribute.
//
//===----------------------------------------------------------------------===//

#ifndef VM_VMTRAITS_H
#define VM_VMTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace vmgpu::vm {

/// The name of the unit attribute that makes sign-dependent ops unsigned.
inline constexpr llvm::StringLiteral kUnsignedAttrName = "unsigned";

namespace OpTrait {
namespace detail {
mlir::LogicalResult verifySameElementwiseType(mlir::Operation *op);
mlir::LogicalResult verifySameOperandsShape(mlir::Operation *op);
mlir::LogicalResult verifyRejectsUnsigned(mlir::Operation *op);
mlir::LogicalResult verifyAcceptsUnsigned(mlir::Operation *op);
mlir::LogicalResult verifyUnsignedOnlyForIntegers(mlir::Operation *op);
} // namespace detail

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
