//===- VmOps.td - vm dialect operations --------------------*- tablegen -*-===//
//
// Every op of the IR contract in ../shared/DESIGN.md ("The vm dialect: IR
// contract"). Op names, operand order, attribute names and attribute types
// are an interface: change them only with a migration note in docs/.
//
//===----------------------------------------------------------------------===//

#ifndef VM_OPS_TD
#define VM_OPS_TD

include "vm/VmDialect.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// The readable form spells operand and result types once when they agree:
//   `: T` (all the same), `: T -> R` (operands T, result R), or
//   `: (T0, T1, ...) -> R`.
defvar VM_BinaryFormat =
    "$lhs `,` $rhs attr-dict `:` custom<VmTypes>(type($lhs), type($rhs), type($result))";
defvar VM_UnaryFormat =
    "$operand attr-dict `:` custom<VmTypes>(type($operand), type($result))";

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

class VM_BinaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : VM_Op<mnemonic, !listconcat([Pure, VM_SameElementwiseType,
                                   VM_RejectsUnsigned], traits)> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs operandType:$result);
  let assemblyFormat = VM_BinaryFormat;
  let builders = [
    // The result takes the type of the first operand.
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
      build($_builder, $_state, lhs.getType(), lhs, rhs);
    }]>
  ];
}

// Binary ops whose meaning depends on signedness carry `unsigned`.
class VM_SignedBinaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : VM_Op<mnemonic, !listconcat([Pure, VM_SameElementwiseType,
                                   VM_AcceptsUnsigned, VM_UnsignedOnlyForIntegers],
                                  traits)> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs operandType:$result);
  let assemblyFormat = VM_BinaryFormat;
  let builders = [
    // The result takes the type of the first operand.
    OpBuilder<(ins "::mlir::Value":$lhs, "::mlir::Value":$rhs), [{
      build($_builder, $_state, lhs.getType(), lhs, rhs);
    }]>
  ];
}

def VM_AddOp : VM_BinaryOp<"add", VM_Tensor, [Commutative]> {
  let summary = "elementwise addition (integers wrap)";
}
def VM_SubOp : VM_BinaryOp<"sub", VM_Tensor> {
  let summary = "elementwise subtraction (integers wrap)";
}
def VM_MulOp : VM_BinaryOp<"mul", VM_Tensor, [Commutative]> {
  let summary = "elementwise multiplication (integers wrap; floats never fused)";
}
def VM_DivOp : VM_SignedBinaryOp<"div", VM_Tensor> {
  let summary = "elementwise division";
  let description = [{
    Integers: truncating division; `x / 0` is all ones and signed
    `MIN / -1` is `MIN`. Floats: IEEE division, correctly rounded.
  }];
}
def VM_RemOp : VM_SignedBinaryOp<"rem", VM_Tensor> {
  let summary = "elementwise remainder";
  let description = [{
    Integers: the remainder of truncating division (sign of the dividend);
    `x rem 0` is `x` and signed `MIN rem -1` is 0. Floats: C `fmod`.
  }];
}
def VM_MinOp : VM_SignedBinaryOp<"min", VM_Tensor, [Commutative]> {
  let summary = "elementwise minimum (a NaN loses to a number)";
}
def VM_MaxOp : VM_SignedBinaryOp<"max", VM_Tensor, [Commutative]> {
  let summary = "elementwise maximum (a NaN loses to a number)";
}
def VM_PowOp : VM_SignedBinaryOp<"pow", VM_Tensor> {
  let summary = "elementwise power `lhs ^ rhs`";
  let description = [{
    Floats: C `pow`. Integers (contract v2): repeated multiplication with
    wrap-around; the exponent is signed (unsigned with `unsigned`); a
    negative exponent gives 0, except for the bases 1 (-> 1) and -1 (-> -1
    or 1 by the exponent's parity); `0 ^ 0 = 1`.
  }];
}
def VM_AndOp : VM_BinaryOp<"and", VM_IntTensor, [Commutative]> {
  let summary = "elementwise bitwise and";
}
def VM_OrOp : VM_BinaryOp<"or", VM_IntTensor, [Commutative]> {
  let summary = "elementwise bitwise or";
}
def VM_XorOp : VM_BinaryOp<"xor", VM_IntTensor, [Commutative]> {
  let summary = "elementwise bitwise exclusive or";
}
def VM_ShlOp : VM_BinaryOp<"shl", VM_IntTensor> {
  let summary = "elementwise shift left (amount taken modulo the bit width)";
}
def VM_ShrOp : VM_SignedBinaryOp<"shr", VM_IntTensor> {
  let summary = "elementwise shift right: arithmetic, or logical with `unsigned`";
  let description = [{
    The shift amount is taken modulo the bit width.
  }];
}
def VM_AddSatOp : VM_SignedBinaryOp<"add_sat", VM_IntTensor, [Commutative]> {
  let summary = "elementwise saturating addition (signed or `unsigned` range)";
}
def VM_SubSatOp : VM_SignedBinaryOp<"sub_sat", VM_IntTensor> {
  let summary = "elementwise saturating subtraction (signed or `unsigned` range)";
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class VM_UnaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : VM_Op<mnemonic, !listconcat([Pure, VM_SameElementwiseType,
                                   VM_RejectsUnsigned], traits)> {
  let arguments = (ins operandType:$operand);
  let results = (outs operandType:$result);
  let assemblyFormat = VM_UnaryFormat;
  let builders = [
    // The result takes the operand's type.
    OpBuilder<(ins "::mlir::Value":$operand), [{
      build($_builder, $_state, operand.getType(), operand);
    }]>
  ];
}

def VM_NegOp : VM_UnaryOp<"neg", VM_Tensor> {
  let summary = "elementwise negation (signed MIN wraps to MIN)";
}
def VM_AbsOp : VM_UnaryOp<"abs", VM_Tensor> {
  let summary = "elementwise absolute value (signed MIN wraps to MIN)";
}
def VM_NotOp : VM_UnaryOp<"not", VM_IntTensor> {
  let summary = "elementwise bitwise complement";
}
def VM_SqrtOp : VM_UnaryOp<"sqrt", VM_FloatTensor> {
  let summary = "elementwise square root, correctly rounded";
}
def VM_RsqrtOp : VM_UnaryOp<"rsqrt", VM_FloatTensor> {
  let summary = "elementwise reciprocal square root";
}
def VM_ExpOp : VM_UnaryOp<"exp", VM_FloatTensor> {
  let summary = "elementwise base-e exponential";
}
def VM_LogOp : VM_UnaryOp<"log", VM_FloatTensor> {
  let summary = "elementwise natural logarithm";
}
def VM_TanhOp : VM_UnaryOp<"tanh", VM_FloatTensor> {
  let summary = "elementwise hyperbolic tangent";
}
def VM_SigmoidOp : VM_UnaryOp<"sigmoid", VM_FloatTensor> {
  let summary = "elementwise logistic function `1 / (1 + exp(-x))`";
}
def VM_ReluOp : VM_UnaryOp<"relu", VM_Tensor> {
  let summary = "elementwise `max(x, 0)` (NaN stays NaN)";
}
def VM_GeluOp : VM_UnaryOp<"gelu", VM_FloatTensor> {
  let summary = "elementwise GELU, exact erf form `x * (1 + erf(x / sqrt(2))) / 2`";
}
def VM_FloorOp : VM_UnaryOp<"floor", VM_FloatTensor> {
  let summary = "elementwise round toward negative infinity";
}
def VM_CeilOp : VM_UnaryOp<"ceil", VM_FloatTensor> {
  let summary = "elementwise round toward positive infinity";
}

// Contract v2: transcendental functions with the C library's meaning, within
// 4 ulp of the correctly rounded result; f16/bf16 take the f32 result
// rounded once.
def VM_SinOp : VM_UnaryOp<"sin", VM_FloatTensor> {
  let summary = "elementwise sine";
}
def VM_CosOp : VM_UnaryOp<"cos", VM_FloatTensor> {
  let summary = "elementwise cosine";
}
def VM_TanOp : VM_UnaryOp<"tan", VM_FloatTensor> {
  let summary = "elementwise tangent";
}
def VM_AsinOp : VM_UnaryOp<"asin", VM_FloatTensor> {
  let summary = "elementwise arc sine";
}
def VM_AcosOp : VM_UnaryOp<"acos", VM_FloatTensor> {
  let summary = "elementwise arc cosine";
}
def VM_AtanOp : VM_UnaryOp<"atan", VM_FloatTensor> {
  let summary = "elementwise arc tangent";
}
def VM_SinhOp : VM_UnaryOp<"sinh", VM_FloatTensor> {
  let summary = "elementwise hyperbolic sine";
}
def VM_CoshOp : VM_UnaryOp<"cosh", VM_FloatTensor> {
  let summary = "elementwise hyperbolic cosine";
}
def VM_AsinhOp : VM_UnaryOp<"asinh", VM_FloatTensor> {
  let summary = "elementwise inverse hyperbolic sine";
}
def VM_AcoshOp : VM_UnaryOp<"acosh", VM_FloatTensor> {
  let summary = "elementwise inverse hyperbolic cosine";
}
def VM_AtanhOp : VM_UnaryOp<"atanh", VM_FloatTensor> {
  let summary = "elementwise inverse hyperbolic tangent";
}
def VM_ErfOp : VM_UnaryOp<"erf", VM_FloatTensor> {
  let summary = "elementwise error function";
}
def VM_RoundOp : VM_UnaryOp<"round", VM_FloatTensor> {
  let summary = "elementwise round to the nearest integer, ties to even";
}
def VM_SignOp : VM_Op<"sign", [Pure, VM_SameElementwiseType,
                               VM_AcceptsUnsigned, VM_UnsignedOnlyForIntegers]> {
  let summary = "elementwise sign";
  let description = [{
    Integers: -1, 0 or 1 (0 or 1 with `unsigned`). Floats: -1.0 or +1.0, and
    the input itself for +0, -0 and NaN.
  }];
  let arguments = (ins VM_Tensor:$operand);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$operand), [{
      build($_builder, $_state, operand.getType(), operand);
    }]>
  ];
}

//===----------------------------------------------------------------------===//
// Ternary ops
//===----------------------------------------------------------------------===//

def VM_FmaOp : VM_Op<"fma", [Pure, VM_SameElementwiseType,
                             VM_RejectsUnsigned]> {
  let summary = "fused multiply-add `a * b + c` with one rounding";
  let arguments = (ins VM_Tensor:$a, VM_Tensor:$b, VM_Tensor:$c);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b `,` $c attr-dict `:` custom<VmTypes>(type($a), type($b), type($c), type($result))
  }];
}

def VM_SelectOp : VM_Op<"select", [Pure, VM_RejectsUnsigned]> {
  let summary = "elementwise `condition ? true_value : false_value`";
  let arguments = (ins VM_BoolTensor:$condition, VM_Tensor:$true_value,
                       VM_Tensor:$false_value);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $true_value `,` $false_value attr-dict `:`
    custom<VmTypes>(type($condition), type($true_value), type($false_value), type($result))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Comparison and conversion
//===----------------------------------------------------------------------===//

def VM_CmpOp : VM_Op<"cmp", [Pure, VM_SameOperandsShape,
                             VM_AcceptsUnsigned, VM_UnsignedOnlyForIntegers]> {
  let summary = "elementwise comparison giving an i1 tensor";
  let description = [{
    `predicate` is one of `eq ne lt le gt ge`. On floats, every predicate
    but `ne` is false when an operand is NaN; `ne` is true (IEEE, as C's
    `==` and `!=`). On integers the comparison is signed unless the op
    carries `unsigned`.
  }];
  let arguments = (ins VM_Tensor:$lhs, VM_Tensor:$rhs, StrAttr:$predicate);
  let results = (outs VM_BoolTensor:$result);
  let assemblyFormat = VM_BinaryFormat;
  let hasVerifier = 1;
}

def VM_ConvertOp : VM_Op<"convert", [Pure, VM_SameOperandsShape,
                                     VM_AcceptsUnsigned]> {
  let summary = "elementwise conversion to another element type";
  let description = [{
    int -> int truncates or extends (zero-extends with `unsigned`);
    int -> float and float -> float round to nearest even (`unsigned` reads
    the source as unsigned); float -> int truncates toward zero, saturates
    (to the unsigned range with `unsigned`) and maps NaN to 0. To `i1`
    means `!= 0`; from `i1` gives 0 or 1.
  }];
  let arguments = (ins VM_Tensor:$operand);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
  let hasFolder = 1;
}

def VM_BitcastOp : VM_Op<"bitcast", [Pure, VM_SameOperandsShape,
                                     VM_RejectsUnsigned]> {
  let summary = "elementwise reinterpretation of bits as an element type of equal width";
  let arguments = (ins VM_Tensor:$operand);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

def VM_ConstantOp : VM_Op<"constant", [ConstantLike, Pure, VM_RejectsUnsigned,
                                       AllTypesMatch<["value", "result"]>]> {
  let summary = "a tensor constant";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def VM_SplatOp : VM_Op<"splat", [Pure, VM_RejectsUnsigned]> {
  let summary = "a tensor filled with one scalar";
  let description = [{
    `dynamic_sizes` gives one index per dynamic dimension of the result, in
    order.
  }];
  let arguments = (ins VM_Element:$value, Variadic<Index>:$dynamic_sizes);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $value (`[` $dynamic_sizes^ `]`)? attr-dict `:` type($value) `->` type($result)
  }];
  let hasVerifier = 1;
}

def VM_IotaOp : VM_Op<"iota", [Pure, VM_RejectsUnsigned]> {
  let summary = "a tensor whose elements are their own index along `dim`";
  let description = [{
    Contract v2. `result[i_0, ..., i_n] = i_dim`, converted to the element
    type with `vm.convert`'s rules (an integer other than `i1` wraps, a float
    rounds to nearest even). `dynamic_sizes` gives one index per dynamic
    dimension of the result, in order.
  }];
  let arguments = (ins I64Attr:$dim, Variadic<Index>:$dynamic_sizes);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    (`[` $dynamic_sizes^ `]`)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def VM_BroadcastOp : VM_Op<"broadcast", [Pure, VM_RejectsUnsigned]> {
  let summary = "broadcast into a larger shape (StableHLO's broadcast_in_dim)";
  let description = [{
    `dims[i]` is the result dimension that operand dimension `i` maps to;
    `dims` is strictly increasing. An operand dimension is 1 (expanded) or
    equal to the result's. Result dimensions that no operand dimension maps
    to must be static; a dynamic result dimension takes the size of the
    operand dimension mapped to it.
  }];
  let arguments = (ins VM_Tensor:$operand, DenseI64ArrayAttr:$dims);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
  let hasFolder = 1;
}

def VM_ReshapeOp : VM_Op<"reshape", [Pure, VM_RejectsUnsigned]> {
  let summary = "reshape in row-major order to the result type's shape";
  let description = [{
    Element counts must match. The result may have at most one dynamic
    dimension; its size is the element count divided by the product of the
    others (like NumPy's `-1`).
  }];
  let arguments = (ins VM_Tensor:$operand);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Whether a reshape from `operand` to `result` can be valid (element
    /// types, at most one dynamic result dim, element counts). Reports through
    /// `emitError` when it is given; without it the check is silent.
    static ::llvm::LogicalResult
    verifyShapes(::mlir::RankedTensorType operand,
                 ::mlir::RankedTensorType result,
                 ::llvm::function_ref<::mlir::InFlightDiagnostic()> emitError);
  }];
}

def VM_TransposeOp : VM_Op<"transpose", [Pure, VM_RejectsUnsigned]> {
  let summary = "permute dimensions: `result.shape[i] = operand.shape[perm[i]]`";
  let arguments = (ins VM_Tensor:$operand, DenseI64ArrayAttr:$perm);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def VM_SliceOp : VM_Op<"slice", [Pure, VM_RejectsUnsigned]> {
  let summary = "strided slice: `result[i] = operand[offsets + i * strides]`";
  let description = [{
    `sizes` is the result shape; strides are at least 1 and every index read
    is in bounds.
  }];
  let arguments = (ins VM_Tensor:$operand, DenseI64ArrayAttr:$offsets,
                       DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$strides);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
}

def VM_ConcatOp : VM_Op<"concat", [Pure, VM_RejectsUnsigned]> {
  let summary = "concatenate tensors along `dim`";
  let arguments = (ins Variadic<VM_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Indexing ops (contract v2; verifiers in IndexingOps.cpp)
//===----------------------------------------------------------------------===//

defvar VM_IndexingFormat = [{
  $data `,` $indices attr-dict `:`
  custom<VmTypes>(type($data), type($indices), type($result))
}];

def VM_TakeOp : VM_Op<"take", [Pure, VM_RejectsUnsigned]> {
  let summary = "select slices of `data` along `dim` (NumPy take, ONNX Gather)";
  let description = [{
    The result shape is `data.shape[:dim] + indices.shape +
    data.shape[dim+1:]`. Indices are signed; a negative index counts from
    the end (`+ n` once) and one still outside `[0, n)` is clamped into it.
    Taking from an empty `dim` with a non-empty index tensor is an error
    before the block runs.
  }];
  let arguments = (ins VM_Tensor:$data, VM_IndexTensor:$indices, I64Attr:$dim);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_IndexingFormat;
  let hasVerifier = 1;
}

def VM_GatherOp : VM_Op<"gather", [Pure, VM_RejectsUnsigned]> {
  let summary = "pick elements along `dim` (NumPy take_along_axis, ONNX GatherElements)";
  let description = [{
    `indices` has the rank of `data` and no dimension other than `dim`
    larger than `data`'s; the result has the shape of `indices`, with
    `result[i] = data[i with i_dim := indices[i]]`. Negative indices and
    indices out of range are handled as by `vm.take`.
  }];
  let arguments = (ins VM_Tensor:$data, VM_IndexTensor:$indices, I64Attr:$dim);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_IndexingFormat;
  let hasVerifier = 1;
}

def VM_ScatterOp : VM_Op<"scatter", [Pure, VM_AcceptsUnsigned,
                                     VM_UnsignedOnlyForIntegers]> {
  let summary = "combine `updates` into `data` along `dim` (ONNX ScatterElements)";
  let description = [{
    Contract v2. `indices` and `updates` have one shape, of `data`'s rank,
    no dimension other than `dim` larger than `data`'s. The result starts
    as `data`; each update goes to `i with i_dim := indices[i]` (a negative
    index counts from the end once; an index still outside `[0, n)` drops
    the update) and is combined by `kind`: `set` (among duplicates the
    update latest in row-major order wins), `add`, `mul`, `min`, `max`
    (min/max with the elementwise NaN rule, `unsigned` for unsigned
    integers; no other kind takes `unsigned`). Updates to one target are
    combined in row-major order of `updates`, each step rounded to the
    element type: the same bits on every run and target.
  }];
  let arguments = (ins VM_Tensor:$data, VM_IndexTensor:$indices,
                       VM_Tensor:$updates, I64Attr:$dim, StrAttr:$kind);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:`
    `(` type($data) `,` type($indices) `,` type($updates) `)` `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def VM_ReduceOp : VM_Op<"reduce", [Pure, VM_AcceptsUnsigned,
                                   VM_UnsignedOnlyForIntegers]> {
  let summary = "reduce `dims` with `kind` (sum prod min max and or xor)";
  let description = [{
    The result has the operand's shape without the reduced dimensions.
    Empty reductions give the identity (sum 0, prod 1, min +inf or MAX,
    max -inf or MIN, and all ones, or/xor 0). min/max follow the
    elementwise NaN rule. Integer min/max are signed, or unsigned with
    `unsigned` (contract v2; identities UMAX and 0), which no other kind
    takes.
  }];
  let arguments = (ins VM_Tensor:$operand, StrAttr:$kind, DenseI64ArrayAttr:$dims);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
}

def VM_ArgReduceOp : VM_Op<"arg_reduce", [Pure, VM_AcceptsUnsigned,
                                          VM_UnsignedOnlyForIntegers]> {
  let summary = "the first index of the max or min along `dim` (contract v2)";
  let description = [{
    The result (`i32` or `i64`) has the operand's shape without `dim`: the
    first index along `dim` whose element has the bits of `vm.reduce`'s
    result of the same kind (any NaN matches a NaN result, so NaNs are
    skipped unless all are NaN; -0 ranks below +0). `unsigned` orders
    integers as unsigned. An empty `dim`, or one longer than the result type
    can index, is an error before the block runs.
  }];
  let arguments = (ins VM_Tensor:$operand, StrAttr:$kind, I64Attr:$dim);
  let results = (outs VM_IndexTensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
}

def VM_ScanOp : VM_Op<"scan", [Pure, VM_AcceptsUnsigned,
                               VM_UnsignedOnlyForIntegers]> {
  let summary = "running sum, product, min or max along `dim` (contract v2)";
  let description = [{
    `result[..., i, ...]` combines the elements up to `i` along `dim` with
    `kind` (sum prod min max; min/max with `vm.reduce`'s NaN rule,
    `unsigned` for unsigned integers). `exclusive` starts from the identity
    (element `i` itself is left out), `reverse` runs from the end. Floats
    combine in order along `dim` (f16/bf16 in f32, each result rounded once).
  }];
  let arguments = (ins VM_Tensor:$operand, StrAttr:$kind, I64Attr:$dim,
                       UnitAttr:$exclusive, UnitAttr:$reverse);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Order ops (contract v2; verifiers in OrderOps.cpp)
//===----------------------------------------------------------------------===//

def VM_I64Tensor : VM_TensorOf<[I64]>;

def VM_SortOp : VM_Op<"sort", [Pure, VM_AcceptsUnsigned,
                               VM_UnsignedOnlyForIntegers]> {
  let summary = "stable sort along `dim`: sorted values and their indices";
  let description = [{
    Contract v2. Sorts along `dim` by a total order in which -0 < +0 and
    NaN is above every number (NumPy's order; all NaNs are equal keys);
    integers are signed, or unsigned with `unsigned`. `descending`
    reverses the order of the keys but not of ties: equal keys keep their
    original index order either way. `indices` (`i64`) holds the position
    along `dim` each value came from. Exact.
  }];
  let arguments = (ins VM_Tensor:$operand, I64Attr:$dim, UnitAttr:$descending);
  let results = (outs VM_Tensor:$values, VM_I64Tensor:$indices);
  let assemblyFormat = [{
    $operand attr-dict `:` type($operand) `->` `(` type($values) `,` type($indices) `)`
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def VM_TopKOp : VM_Op<"topk", [Pure, VM_AcceptsUnsigned,
                               VM_UnsignedOnlyForIntegers]> {
  let summary = "the first `k` elements of `vm.sort` along `dim`";
  let description = [{
    Contract v2. The first `k` values and indices of `vm.sort` along `dim`:
    the largest first (the sort `descending`), or the smallest first with
    `smallest`; ties keep their original index order. `k` is at least 0
    and no larger than the dimension (checked at run time when the
    dimension is dynamic).
  }];
  let arguments = (ins VM_Tensor:$operand, I64Attr:$k, I64Attr:$dim,
                       UnitAttr:$smallest);
  let results = (outs VM_Tensor:$values, VM_I64Tensor:$indices);
  let assemblyFormat = [{
    $operand attr-dict `:` type($operand) `->` `(` type($values) `,` type($indices) `)`
  }];
  let hasVerifier = 1;
}

def VM_DotOp : VM_Op<"dot", [Pure, VM_RejectsUnsigned]> {
  let summary = "inner product of two 1-D tensors, accumulated in the result type";
  let arguments = (ins VM_Tensor:$lhs, VM_Tensor:$rhs);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_BinaryFormat;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Matrix and tensor ops
//===----------------------------------------------------------------------===//

def VM_MatmulOp : VM_Op<"matmul", [Pure, VM_RejectsUnsigned]> {
  let summary = "matrix product [M,K] x [K,N] -> [M,N]";
  let description = [{
    `transpose_a` / `transpose_b` read the operand as its transpose. The
    result element type is the operands' or a wider accumulator: f16 or
    bf16 -> f32, i8 -> i32. Products accumulate in the result type.
  }];
  let arguments = (ins VM_Tensor:$lhs, VM_Tensor:$rhs, UnitAttr:$transpose_a,
                       UnitAttr:$transpose_b);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_BinaryFormat;
  let hasVerifier = 1;
}

def VM_BatchMatmulOp : VM_Op<"batch_matmul", [Pure, VM_RejectsUnsigned]> {
  let summary = "batched matrix product [B,M,K] x [B,K,N] -> [B,M,N]";
  let arguments = (ins VM_Tensor:$lhs, VM_Tensor:$rhs, UnitAttr:$transpose_a,
                       UnitAttr:$transpose_b);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = VM_BinaryFormat;
  let hasVerifier = 1;
}

def VM_Conv2DOp : VM_Op<"conv2d", [Pure, VM_RejectsUnsigned]> {
  let summary = "2-D convolution, NHWC input and HWCF filter -> NHWC result";
  let description = [{
    Output size per spatial dim:
    `(H + pad_top + pad_bottom - dilation * (KH - 1) - 1) / stride + 1`,
    with zero padding. `strides` and `dilations` have 2 entries (default 1),
    `padding` 4 (top, bottom, left, right; default 0).
  }];
  let arguments = (ins VM_Tensor:$input, VM_Tensor:$filter,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       OptionalAttr<DenseI64ArrayAttr>:$padding);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` custom<VmTypes>(type($input), type($filter), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Strides, dilations and padding with their defaults filled in.
    ::llvm::SmallVector<int64_t, 2> getStrideValues();
    ::llvm::SmallVector<int64_t, 2> getDilationValues();
    ::llvm::SmallVector<int64_t, 4> getPaddingValues();
  }];
}

def VM_ConvTranspose2DOp : VM_Op<"conv_transpose2d", [Pure, VM_RejectsUnsigned]> {
  let summary = "2-D transposed convolution, NHWC input and [KH, KW, Cin, Cout] filter";
  let description = [{
    Contract v2. `y[n, oh, ow, co]` sums `x[n, ih, iw, ci] * w[kh, kw, ci, co]`
    over every `oh = ih * sh - pad_top + kh * dh` (likewise `ow`). Output
    `OH = (H - 1) * sh - pad_top - pad_bottom + dh * (KH - 1) + 1 +
    output_padding[0]` (likewise OW). Each `output_padding` entry is below
    the larger of its dimension's stride and dilation. Defaults: strides and
    dilations 1, padding and output_padding 0.
  }];
  let arguments = (ins VM_Tensor:$input, VM_Tensor:$filter,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       OptionalAttr<DenseI64ArrayAttr>:$padding,
                       OptionalAttr<DenseI64ArrayAttr>:$output_padding);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` custom<VmTypes>(type($input), type($filter), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The attributes with their defaults filled in.
    ::llvm::SmallVector<int64_t, 2> getStrideValues();
    ::llvm::SmallVector<int64_t, 2> getDilationValues();
    ::llvm::SmallVector<int64_t, 4> getPaddingValues();
    ::llvm::SmallVector<int64_t, 2> getOutputPaddingValues();
  }];
}

def VM_Pool2DOp : VM_Op<"pool2d", [Pure, VM_RejectsUnsigned]> {
  let summary = "2-D max or average pooling over an NHWC tensor";
  let description = [{
    `kind` is `max` (padding ignored) or `avg` (divides by the number of
    window elements inside the input). `window` has 2 entries; `strides`
    2 (default 1); `padding` 4 (top, bottom, left, right; default 0).
    Output size per spatial dim: `(H + pad_top + pad_bottom - KH) / stride + 1`.
  }];
  let arguments = (ins VM_Tensor:$input, StrAttr:$kind, DenseI64ArrayAttr:$window,
                       OptionalAttr<DenseI64ArrayAttr>:$strides,
                       OptionalAttr<DenseI64ArrayAttr>:$padding);
  let results = (outs VM_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` custom<VmTypes>(type($input), type($result))
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Strides and padding with their defaults filled in.
    ::llvm::SmallVector<int64_t, 2> getStrideValues();
    ::llvm::SmallVector<int64_t, 4> getPaddingValues();
  }];
}

def VM_SoftmaxOp : VM_Op<"softmax", [Pure, VM_SameElementwiseType, VM_RejectsUnsigned]> {
  let summary = "softmax along `dim`: `exp(x - max) / sum(exp(x - max))`";
  let arguments = (ins VM_FloatTensor:$operand, I64Attr:$dim);
  let results = (outs VM_FloatTensor:$result);
  let assemblyFormat = VM_UnaryFormat;
  let hasVerifier = 1;
}

#endif // VM_OPS_TD
