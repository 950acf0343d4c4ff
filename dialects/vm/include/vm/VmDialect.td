//===- VmDialect.td - the vm dialect, its types and traits -*- tablegen -*-===//
//
// The `vm` dialect is vmgpu's input language: the vector, matrix and tensor
// operations a JIT hands over as one block. This file declares the dialect,
// the element and tensor type constraints and the native traits every op
// shares.
//
//===----------------------------------------------------------------------===//

#ifndef VM_DIALECT_TD
#define VM_DIALECT_TD

include "mlir/IR/OpBase.td"

def Vm_Dialect : Dialect {
  let name = "vm";
  let cppNamespace = "::vmgpu::vm";
  let summary = "Vector, matrix and tensor operations handed to vmgpu by a JIT";
  let description = [{
    The `vm` dialect describes a block of tensor computation with fully
    defined semantics: every input, including integer overflow, division by
    zero, out-of-range shifts and NaNs, has one result, and that result is
    the same on every target (CPU, NVIDIA, AMD). Tensors are ranked, with
    static or dynamic (`?`) dimensions, and hold `i1`, `i8`, `i16`, `i32`,
    `i64`, `f16`, `bf16`, `f32` or `f64` elements. Integers are signless;
    an op whose meaning depends on signedness takes the unit attribute
    `unsigned`.

    Elementwise operands must have the same shape: there is no implicit
    broadcasting (`vm.broadcast` is explicit).
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let useDefaultTypePrinterParser = 0;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def VM_IntElement : AnyTypeOf<[I1, I8, I16, I32, I64], "integer (i1, i8, i16, i32, i64)">;
def VM_FloatElement : AnyTypeOf<[F16, BF16, F32, F64], "float (f16, bf16, f32, f64)">;
def VM_Element : AnyTypeOf<[VM_IntElement, VM_FloatElement],
    "vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64)">;

// vm tensors carry no encoding: the contract is plain ranked tensors, and
// an encoding would be silently dropped or misread by the lowerings.
def VM_NoEncodingPred
    : CPred<"!::llvm::cast<::mlir::RankedTensorType>($_self).getEncoding()">;
class VM_TensorOf<list<Type> allowed>
    : RankedTensorOf<allowed, [VM_NoEncodingPred],
                     "ranked tensor (no encoding)">;

def VM_Tensor : VM_TensorOf<[VM_Element]>;
def VM_IntTensor : VM_TensorOf<[VM_IntElement]>;
def VM_FloatTensor : VM_TensorOf<[VM_FloatElement]>;
def VM_BoolTensor : VM_TensorOf<[I1]>;
def VM_IndexTensor : VM_TensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Native traits (implemented in VmTraits.h)
//===----------------------------------------------------------------------===//

class VM_NativeOpTrait<string name> : NativeOpTrait<name> {
  let cppNamespace = "::vmgpu::vm::OpTrait";
}

// Operands and result share one element type and compatible shapes.
def VM_SameElementwiseType : VM_NativeOpTrait<"SameElementwiseType">;
// Operands share one element type and compatible shapes; the result has
// their shape (its element type is the op's own business).
def VM_SameOperandsShape : VM_NativeOpTrait<"SameOperandsShape">;
// `unsigned` is a discardable unit attribute rather than an ODS argument:
// ODS would name a builder parameter and a property after it, and
// `unsigned` is a C++ keyword. These traits give it its rules.
//
// The op must not carry the `unsigned` attribute (it has no meaning there).
def VM_RejectsUnsigned : VM_NativeOpTrait<"RejectsUnsigned">;
// The op may carry `unsigned` (a unit attribute); `isUnsigned()` reads it.
def VM_AcceptsUnsigned : NativeOpTrait<"AcceptsUnsigned", [],
    [{ bool isUnsigned() { return (*this)->hasAttr("unsigned"); } }]> {
  let cppNamespace = "::vmgpu::vm::OpTrait";
}
// As VM_AcceptsUnsigned, and `unsigned` is rejected on float operands.
def VM_UnsignedOnlyForIntegers : VM_NativeOpTrait<"UnsignedOnlyForIntegers">;
// Operand and result tensors are within the size bound (kMaxTensorBytes).
def VM_BoundedTensorSizes : VM_NativeOpTrait<"BoundedTensorSizes">;

//===----------------------------------------------------------------------===//
// Base op class
//===----------------------------------------------------------------------===//

// Every op is bounded in size: a static type over the bound could never be
// allocated, and its sizes would overflow index arithmetic in the lowering.
class VM_Op<string mnemonic, list<Trait> traits = []>
    : Op<Vm_Dialect, mnemonic, !listconcat([VM_BoundedTensorSizes], traits)>;

#endif // VM_DIALECT_TD
