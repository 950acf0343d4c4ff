//===- LibraryGemmCall.cpp - the operands of a library GEMM call ----------===//

#include "vmgpu/Codegen/LibraryGemmCall.h"

#include "ContractionEpilogue.h"
#include "OperandCopies.h"
#include "OutputFill.h"

#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace vmgpu;

/// The attribute that marks the declaration of a runtime library call
/// (vm-verify-host-code checks its calls like launches).
static constexpr llvm::StringLiteral kRuntimeLibraryCallAttr =
    "vmgpu.runtime_library_call";

FailureOr<SmallVector<std::pair<linalg::LinalgOp, LibraryGemm>>>
vmgpu::collectLibraryContractions(ModuleOp module, GemmLibrary library,
                                  bool remarkRefusals) {
  SmallVector<std::pair<linalg::LinalgOp, LibraryGemm>> work;
  WalkResult walk = module.walk([&](linalg::LinalgOp op) {
    FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
    if (failed(config))
      return WalkResult::interrupt();
    if (!*config || (*config)->strategy != Strategy::Library)
      return WalkResult::advance();
    std::string reason;
    FailureOr<LibraryGemm> gemm = matchLibraryGemm(op, library, reason);
    if (succeeded(gemm))
      work.emplace_back(op, *gemm);
    else if (remarkRefusals)
      op->emitRemark() << "the library strategy leaves this op to the loop "
                          "lowering: "
                       << reason;
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return work;
}

FailureOr<func::FuncOp> vmgpu::getOrDeclareRuntimeCall(ModuleOp module,
                                                       StringRef name,
                                                       FunctionType type) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
    if (existing.getFunctionType() != type || !existing.isDeclaration())
      return existing.emitOpError()
             << "'" << name
             << "' is a runtime library call and cannot be redefined";
    return existing;
  }
  if (Operation *other = module.lookupSymbol(name))
    return other->emitOpError()
           << "'" << name
           << "' is a runtime library call and cannot be redefined";
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto declaration = func::FuncOp::create(b, module.getLoc(), name, type);
  declaration.setPrivate();
  declaration->setAttr(kRuntimeLibraryCallAttr, b.getUnitAttr());
  return declaration;
}

/// The address of `buffer`'s first element, then (with `matrix`) its
/// batch, row and column strides in elements (0 for a missing batch dim),
/// as i64. Strides and offsets the type knows are constants; the others
/// come from `memref.extract_strided_metadata`.
static SmallVector<Value>
describeOperand(OpBuilder &b, Location loc, Value buffer, int64_t elementBytes,
                std::optional<LibraryGemmOperand> matrix) {
  auto type = cast<MemRefType>(buffer.getType());
  SmallVector<int64_t> staticStrides;
  int64_t staticOffset;
  (void)type.getStridesAndOffset(staticStrides, staticOffset);
  auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
  auto known = [&](int64_t value, Value dynamic) -> Value {
    if (ShapedType::isDynamic(value))
      return dynamic;
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  Value aligned =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value address = aligned;
  if (staticOffset != 0) {
    Value offsetBytes = b.createOrFold<arith::MulIOp>(
        loc, known(staticOffset, metadata.getOffset()),
        arith::ConstantIndexOp::create(b, loc, elementBytes));
    address = arith::AddIOp::create(b, loc, aligned, offsetBytes);
  }
  auto stride = [&](int64_t dim) -> Value {
    if (dim < 0)
      return arith::ConstantIndexOp::create(b, loc, 0);
    return known(staticStrides[dim], metadata.getStrides()[dim]);
  };
  SmallVector<Value> values = {address};
  if (matrix)
    values.append({stride(matrix->batchDim), stride(matrix->rowDim),
                   stride(matrix->colDim)});
  for (Value &value : values)
    value = b.createOrFold<arith::IndexCastOp>(loc, b.getI64Type(), value);
  if (metadata->use_empty())
    metadata->erase();
  return values;
}

namespace {
/// An epilogue the library call computes (vmgpuGemmEpilogue): the output
/// becomes product + bias[n] rounded once to `output`'s type; a relu after
/// the add stays a kernel, in place on the output.
struct LibraryEpilogue {
  ContractionEpilogue epilogue;
  /// The epilogue's output, which the call writes instead of the product's.
  Value output;
  /// The 1-D bias vector, of the output's element type.
  Value bias;
  /// A relu after the add (before the rounding: it commutes with it).
  bool relu = false;
};
} // namespace

/// Whether `type`'s stride along `dim` is statically 1.
static bool hasUnitStride(MemRefType type, int64_t dim) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides[dim] == 1;
}

/// The 1-D buffer of N elements that `arg`, a block argument of
/// `epilogue`'s body, reads at (i, j): an input read along N only, or a
/// buffer broadcast along M from one (read at its source); null otherwise.
static Value biasVectorOf(ContractionEpilogue &epilogue, BlockArgument arg) {
  if (arg.getOwner() != epilogue.op.getBody() ||
      arg.getArgNumber() >= epilogue.op.getNumDpsInputs())
    return nullptr;
  OpOperand *operand = epilogue.op.getDpsInputOperand(arg.getArgNumber());
  Value value = operand->get();
  AffineMap map = epilogue.op.getMatchingIndexingMap(operand);
  MLIRContext *context = epilogue.op.getContext();
  if (linalg::BroadcastOp broadcast = epilogue.broadcasts.lookup(value)) {
    if (!map.isIdentity() || broadcast.getDimensions() != ArrayRef<int64_t>{0})
      return nullptr;
    value = broadcast.getInput();
  } else if (map != AffineMap::get(2, 0, getAffineDimExpr(1, context))) {
    return nullptr;
  }
  auto type = dyn_cast<MemRefType>(value.getType());
  if (!type || type.getRank() != 1 || !hasUnitStride(type, 0))
    return nullptr;
  return value;
}

/// The bias epilogue after `op` that cuBLASLt computes as the contract
/// does (LibraryGemmAbi.h; the device probe
/// benchmarks/device/cublaslt_epilogue_nan.py): with C an f32 product of
/// one batch, row-major, initialized by the zero `fill`, an epilogue that
/// yields relu?(C + bias[j]) into an f32 buffer, or its buildFloatTruncate
/// to f16 with an f16 bias extended to f32 (f16 products only), written
/// with unit stride along N and not aliasing the bias. nullopt otherwise.
/// The call computes the add and the rounding; a relu stays a kernel.
static std::optional<LibraryEpilogue>
matchLibraryEpilogue(linalg::LinalgOp op, const LibraryGemm &gemm,
                     linalg::FillOp fill) {
  if (gemm.c.batchDim >= 0 || gemm.c.rowDim != 0 || gemm.c.colDim != 1 ||
      gemm.cType != GemmElementType::F32 ||
      (gemm.aType != GemmElementType::F16 &&
       gemm.aType != GemmElementType::F32))
    return std::nullopt;
  std::optional<ContractionEpilogue> epilogue =
      findContractionEpilogue(op, fill);
  if (!epilogue)
    return std::nullopt;
  Value output = epilogue->output();
  auto outputType = cast<MemRefType>(output.getType());
  Type element = outputType.getElementType();
  bool narrow = element.isF16() && gemm.aType == GemmElementType::F16;
  if ((!narrow && !element.isF32()) || !hasUnitStride(outputType, 1))
    return std::nullopt;
  Value result = epilogue->op.getBody()->getTerminator()->getOperand(0);
  if (narrow)
    result = matchFloatTruncate(result);
  if (!result || !result.getType().isF32())
    return std::nullopt;
  // cuBLASLt's RELU_BIAS is not used: with an f16 output it turned NaN
  // into 0 at 127 x 33 x 129 on an H100 (kept at 256 x 64 x 256: the
  // kernel decides; benchmarks/results/h100-2026-12-06-dcaf65a/). The relu
  // runs after the call on its rounded output instead: rounding is
  // monotonic and keeps 0 and NaN, so relu(round(s)) = round(relu(s)).
  bool relu = false;
  if (Value reluInput = matchFloatRelu(result)) {
    relu = true;
    result = reluInput;
  }
  auto add = result.getDefiningOp<arith::AddFOp>();
  if (!add || add->getBlock() != epilogue->op.getBody())
    return std::nullopt;
  Value product = op.getDpsInitOperand(0)->get();
  for (auto [lhs, rhs] : {std::pair(add.getLhs(), add.getRhs()),
                          std::pair(add.getRhs(), add.getLhs())}) {
    auto productArg = dyn_cast<BlockArgument>(lhs);
    if (!productArg || productArg.getOwner() != epilogue->op.getBody() ||
        productArg.getArgNumber() >= epilogue->op.getNumDpsInputs() ||
        epilogue->op.getDpsInputOperand(productArg.getArgNumber())->get() !=
            product)
      continue;
    // An f16 bias reaches the f32 add exactly through extf; cuBLASLt takes
    // it as f16 (a bias of the output's type).
    Value biasValue = rhs;
    if (narrow) {
      auto extend = rhs.getDefiningOp<arith::ExtFOp>();
      if (!extend || !extend.getIn().getType().isF16())
        continue;
      biasValue = extend.getIn();
    }
    auto biasArg = dyn_cast<BlockArgument>(biasValue);
    Value bias = biasArg ? biasVectorOf(*epilogue, biasArg) : nullptr;
    if (!bias || cast<MemRefType>(bias.getType()).getElementType() != element ||
        mayAlias(bias, output))
      continue;
    return LibraryEpilogue{*epilogue, output, bias, relu};
  }
  return std::nullopt;
}

/// When `operand` of `op` is a fresh buffer that a same-width bitcast copy
/// fills from a buffer S of the same shape and row-major layout, and only
/// deallocations use it besides, the copy (and the buffer) can go and the
/// library read S's bits in place: its element type is a call operand, not
/// a property of the address. `vm.bitcast` of a function argument to bf16 is
/// such a copy (a kernel of its own before the GEMM otherwise). Returns the
/// copy, or null.
static linalg::GenericOp bitcastCopyInto(linalg::LinalgOp op, Value operand) {
  linalg::GenericOp copy = findOperandWriter(op, operand, /*viewed=*/false);
  // One input, one output, identity maps, all loops parallel, a body of one
  // op on the input: upstream's test for a single unary elementwise op.
  if (!copy || !linalg::isaElemwiseSingleUnaryOpInterface(copy) ||
      !isa<arith::BitcastOp>(copy.getBody()->front()))
    return nullptr;
  Value source = copy.getDpsInputOperand(0)->get();
  auto sourceType = dyn_cast<MemRefType>(source.getType());
  auto bufferType = cast<MemRefType>(operand.getType());
  if (!sourceType || sourceType.getShape() != bufferType.getShape() ||
      !sourceType.getLayout().isIdentity() ||
      sourceType.getMemorySpace() != bufferType.getMemorySpace())
    return nullptr;
  // S must hold the same bits when the library reads it, and the library
  // must not write it.
  return sourceUnchangedUntil(copy, op) ? copy : nullptr;
}

/// The relu of a bias epilogue, as a kernel of its own over the call's
/// output, where the epilogue op was (after the call), with its
/// configuration (the same shape and an elementwise body).
static void emitInPlaceRelu(linalg::GenericOp epilogue, Value output) {
  OpBuilder b(epilogue);
  Location loc = epilogue.getLoc();
  unsigned rank = cast<MemRefType>(output.getType()).getRank();
  SmallVector<AffineMap> maps(2, b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto relu = linalg::GenericOp::create(
      b, loc, TypeRange(), ValueRange{output}, ValueRange{output}, maps,
      iterators, [](OpBuilder &nested, Location at, ValueRange args) {
        linalg::YieldOp::create(nested, at,
                                buildFloatRelu(nested, at, args.front()));
      });
  if (Attribute config = epilogue->getAttr(kLoweringConfigAttrName))
    relu->setAttr(kLoweringConfigAttrName, config);
}

LibraryGemmCall vmgpu::buildLibraryGemmCall(OpBuilder &b, linalg::LinalgOp op,
                                            const LibraryGemm &gemm,
                                            bool takeEpilogue) {
  Location loc = op.getLoc();
  Value a = op.getDpsInputOperand(0)->get();
  Value bMatrix = op.getDpsInputOperand(1)->get();
  Value c = op.getDpsInitOperand(0)->get();
  // Inputs that are bitcast copies are read where their bits already are.
  SmallVector<Operation *> deadCopies;
  for (Value *input : {&a, &bMatrix}) {
    linalg::GenericOp copy = bitcastCopyInto(op, *input);
    if (!copy)
      continue;
    if (!llvm::is_contained(deadCopies, copy.getOperation()))
      deadCopies.push_back(copy);
    *input = copy.getDpsInputOperand(0)->get();
  }
  // The zero fill folds into the call only when K is known to be nonzero:
  // with K = 0 the library computes nothing, and C must still be zero.
  int32_t flags = 0;
  int64_t staticK = cast<MemRefType>(a.getType()).getDimSize(gemm.a.colDim);
  std::optional<LibraryEpilogue> epilogue;
  GemmElementType cType = gemm.cType;
  if (!ShapedType::isDynamic(staticK) && staticK > 0)
    if (linalg::FillOp fill = findOutputFill(op, c);
        fill && (matchPattern(fill.getInputs().front(), m_PosZeroFloat()) ||
                 matchPattern(fill.getInputs().front(), m_Zero()))) {
      // The epilogue needs C not read: the call writes its output instead.
      if (takeEpilogue)
        epilogue = matchLibraryEpilogue(op, gemm, fill);
      fill.erase();
      flags |= kGemmOutputZero;
    }
  if (epilogue) {
    flags |= kGemmBias;
    c = epilogue->output;
    if (cast<MemRefType>(c.getType()).getElementType().isF16())
      cType = GemmElementType::F16;
  }
  auto i32 = [&](int64_t value) -> Value {
    return arith::ConstantIntOp::create(b, loc, value, 32);
  };
  auto size = [&](Value buffer, int64_t dim) -> Value {
    if (dim < 0)
      return arith::ConstantIntOp::create(b, loc, 1, 64);
    Value extent = b.createOrFold<memref::DimOp>(loc, buffer, dim);
    return b.createOrFold<arith::IndexCastOp>(loc, b.getI64Type(), extent);
  };
  SmallVector<Value> operands = {i32(static_cast<int32_t>(gemm.aType)),
                                 i32(static_cast<int32_t>(gemm.bType)),
                                 i32(static_cast<int32_t>(cType)),
                                 i32(flags),
                                 size(c, gemm.c.batchDim),
                                 size(a, gemm.a.rowDim),
                                 size(bMatrix, gemm.b.colDim),
                                 size(a, gemm.a.colDim)};
  for (auto [buffer, matrix, type] :
       {std::make_tuple(a, gemm.a, gemm.aType),
        std::make_tuple(bMatrix, gemm.b, gemm.bType),
        std::make_tuple(c, gemm.c, cType)})
    llvm::append_range(
        operands,
        describeOperand(b, loc, buffer, gemmElementBytes(type), matrix));
  if (epilogue) {
    operands.push_back(describeOperand(b, loc, epilogue->bias,
                                       gemmElementBytes(cType), std::nullopt)
                           .front());
    if (epilogue->relu)
      emitInPlaceRelu(epilogue->epilogue.op, epilogue->output);
    eraseContractionEpilogue(epilogue->epilogue);
  }
  // Their buffers are left with `op` and deallocations as users; they go
  // with `op` (canonicalization drops an allocation only deallocated).
  for (Operation *copy : deadCopies)
    copy->erase();
  return {std::move(operands), epilogue.has_value()};
}
