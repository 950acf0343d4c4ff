//===- LibraryGemm.cpp - which contractions a GEMM library takes ----------===//

#include "vmgpu/Codegen/LibraryGemm.h"

#include "OperandCopies.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSwitch.h"

#include <limits>

using namespace mlir;
using namespace vmgpu;

llvm::StringRef
vmgpu::stringifyContractionStrategy(ContractionStrategy strategy) {
  switch (strategy) {
  case ContractionStrategy::Generated:
    return "generated";
  case ContractionStrategy::Library:
    return "library";
  case ContractionStrategy::Auto:
    return "auto";
  }
  llvm_unreachable("every contraction strategy is named above");
}

std::optional<ContractionStrategy>
vmgpu::symbolizeContractionStrategy(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<ContractionStrategy>>(name)
      .Case("generated", ContractionStrategy::Generated)
      .Case("library", ContractionStrategy::Library)
      .Case("auto", ContractionStrategy::Auto)
      .Default(std::nullopt);
}

static std::optional<GemmElementType> gemmElementType(Type type) {
  if (type.isF32())
    return GemmElementType::F32;
  if (type.isF64())
    return GemmElementType::F64;
  if (type.isF16())
    return GemmElementType::F16;
  if (type.isBF16())
    return GemmElementType::BF16;
  if (type.isSignlessInteger(8))
    return GemmElementType::I8;
  if (type.isSignlessInteger(32))
    return GemmElementType::I32;
  return std::nullopt;
}

/// The body multiplies and adds, after float or signed integer extensions
/// only (an unsigned extension would read i8 as 0..255; cuBLASLt's are
/// signed).
static bool hasSignedMultiplyAddBody(linalg::LinalgOp op) {
  for (Operation &bodyOp : op->getRegion(0).front())
    if (!isa<arith::ExtFOp, arith::ExtSIOp, arith::MulFOp, arith::MulIOp,
             arith::AddFOp, arith::AddIOp, linalg::YieldOp>(bodyOp))
      return false;
  return true;
}

/// The memref dims of `map`'s results that hold loop dims `batch`, `row` and
/// `col`; failure when the map has any other result.
static FailureOr<LibraryGemmOperand> locateMatrix(AffineMap map,
                                                  std::optional<unsigned> batch,
                                                  unsigned row, unsigned col) {
  LibraryGemmOperand operand;
  operand.rowDim = operand.colDim = -1;
  for (auto [position, result] : llvm::enumerate(map.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(result);
    if (!dim)
      return failure();
    if (batch && dim.getPosition() == *batch)
      operand.batchDim = position;
    else if (dim.getPosition() == row)
      operand.rowDim = position;
    else if (dim.getPosition() == col)
      operand.colDim = position;
    else
      return failure();
  }
  if (operand.rowDim < 0 || operand.colDim < 0 ||
      (batch && operand.batchDim < 0))
    return failure();
  return operand;
}

namespace {
/// What the static layout of one operand allows.
struct StaticLayout {
  /// The rows (columns) are contiguous: unit stride or a single one.
  bool rowsUnit = false, colsUnit = false;
  /// The stride between columns (rows), when static.
  std::optional<int64_t> colStride, rowStride;
};
} // namespace

/// A buffer's type as it is; a tensor's as the row-major buffer it
/// bufferizes to at a function boundary (identity layout).
static MemRefType layoutType(ShapedType type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return memref;
  return MemRefType::get(type.getShape(), type.getElementType());
}

static FailureOr<StaticLayout> staticLayout(MemRefType type,
                                            const LibraryGemmOperand &operand) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return failure();
  auto unit = [&](int64_t dim) {
    return strides[dim] == 1 || type.getDimSize(dim) == 1;
  };
  auto known = [&](int64_t dim) -> std::optional<int64_t> {
    if (ShapedType::isDynamic(strides[dim]))
      return std::nullopt;
    return strides[dim];
  };
  StaticLayout layout;
  layout.rowsUnit = unit(operand.rowDim);
  layout.colsUnit = unit(operand.colDim);
  layout.rowStride = known(operand.rowDim);
  layout.colStride = known(operand.colDim);
  return layout;
}

/// Known, and a multiple of 4.
static bool knownMultipleOf4(std::optional<int64_t> value) {
  return value && *value % 4 == 0;
}

/// The product of `op`'s loop ranges (its multiply-adds), saturating at
/// INT64_MAX; nullopt when a range is known only at run time.
static std::optional<int64_t> staticMultiplyAdds(linalg::LinalgOp op) {
  int64_t macs = 1;
  for (int64_t range : op.getStaticLoopRanges()) {
    if (ShapedType::isDynamic(range))
      return std::nullopt;
    if (range != 0 && macs > std::numeric_limits<int64_t>::max() / range) {
      macs = std::numeric_limits<int64_t>::max();
      continue;
    }
    macs *= range;
  }
  return macs;
}

FailureOr<LibraryGemm> vmgpu::matchLibraryGemm(linalg::LinalgOp op,
                                               GemmLibrary library,
                                               std::string &reason) {
  auto refuse = [&](llvm::StringRef why) -> FailureOr<LibraryGemm> {
    reason = why.str();
    return failure();
  };
  if (!op.hasPureBufferSemantics() && !op.hasPureTensorSemantics())
    return refuse("neither on buffers nor on tensors");
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return refuse("not a two-operand contraction");
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || dims->batch.size() > 1 ||
      op.getNumLoops() != 3 + dims->batch.size())
    return refuse("not one M, N and K dim and at most one batch dim");
  if (!hasSignedMultiplyAddBody(op))
    return refuse("the body is not a multiply-add after signed extensions");
  std::optional<unsigned> batch;
  if (!dims->batch.empty())
    batch = dims->batch.front();
  unsigned m = dims->m.front(), n = dims->n.front(), k = dims->k.front();

  LibraryGemm gemm;
  OpOperand *operands[3] = {op.getDpsInputOperand(0), op.getDpsInputOperand(1),
                            op.getDpsInitOperand(0)};
  std::pair<unsigned, unsigned> matrixDims[3] = {{m, k}, {k, n}, {m, n}};
  LibraryGemmOperand *located[3] = {&gemm.a, &gemm.b, &gemm.c};
  GemmElementType *types[3] = {&gemm.aType, &gemm.bType, &gemm.cType};
  StaticLayout layouts[3];
  for (int i = 0; i < 3; ++i) {
    auto shaped = dyn_cast<ShapedType>(operands[i]->get().getType());
    if (!shaped || !shaped.hasRank() ||
        !isa<MemRefType, RankedTensorType>(shaped))
      return refuse("an operand is not a ranked memref or tensor");
    MemRefType type = layoutType(shaped);
    std::optional<GemmElementType> element =
        gemmElementType(type.getElementType());
    if (!element)
      return refuse("an element type the library does not take");
    *types[i] = *element;
    FailureOr<LibraryGemmOperand> matrix =
        locateMatrix(op.getMatchingIndexingMap(operands[i]), batch,
                     matrixDims[i].first, matrixDims[i].second);
    if (failed(matrix))
      return refuse("an operand is not indexed by its matrix dims alone");
    *located[i] = *matrix;
    FailureOr<StaticLayout> layout = staticLayout(type, *matrix);
    if (failed(layout) || !(layout->rowsUnit || layout->colsUnit))
      return refuse("an operand has no matrix dim of static unit stride");
    layouts[i] = *layout;
  }
  bool takesTypes =
      library == GemmLibrary::CublasLt
          ? isLibraryGemmTypeCombination(gemm.aType, gemm.bType, gemm.cType)
          : isCpuLibraryGemmTypeCombination(gemm.aType, gemm.bType, gemm.cType);
  if (!takesTypes)
    return refuse("a combination of element types the library does not take");
  if (gemm.aType == GemmElementType::I8) {
    // What cuBLASLt 13.1 ran on the H200 (i8 x i8 -> i32, COMPUTE_32I): A
    // contiguous along K, B contiguous along K or N, C along N, K and the
    // leading dimensions of A and B multiples of 4. It refused K = 17 and a
    // 1 x 1 output with K = 4 (CUBLAS_STATUS_NOT_SUPPORTED), so an M or N
    // of 1 stays generated too. Sizes known only at run time stay generated
    // as well: the library's refusal would come at run time, as a failed
    // run (a fallback to the CPU, or an error without one; it was
    // cpu_matmul_dyn_i8_i32_97x300x129 on the H200).
    if (!layouts[0].colsUnit || !layouts[2].colsUnit)
      return refuse("i8 needs A contiguous along K and C along N");
    auto staticSize = [&](int i, int64_t dim) -> std::optional<int64_t> {
      int64_t size =
          cast<ShapedType>(operands[i]->get().getType()).getDimSize(dim);
      if (ShapedType::isDynamic(size))
        return std::nullopt;
      return size;
    };
    std::optional<int64_t> staticK = staticSize(0, gemm.a.colDim);
    std::optional<int64_t> staticM = staticSize(0, gemm.a.rowDim);
    std::optional<int64_t> staticN = staticSize(1, gemm.b.colDim);
    // The leading dimension of B: its stride along K when it is contiguous
    // along N, else along N.
    std::optional<int64_t> bLeading =
        layouts[1].colsUnit && !layouts[1].rowsUnit ? layouts[1].rowStride
                                                    : layouts[1].colStride;
    if (!knownMultipleOf4(staticK) ||
        !knownMultipleOf4(layouts[0].rowStride) ||
        !knownMultipleOf4(bLeading))
      return refuse("i8 needs K and the leading dimensions of A and B "
                    "known multiples of 4");
    if (!staticM || !staticN || *staticM == 1 || *staticN == 1)
      return refuse("i8 needs M and N known and larger than 1");
  }

  // batch x m x n x k from the loop ranges, when static.
  gemm.staticMacs = staticMultiplyAdds(op);
  return gemm;
}

/// Whether `strategy` hands `op` to `library`: for `library` whenever it
/// takes the op, for `auto` from `minMacs` up (or sizes known only at run
/// time), never for `generated`.
static bool prefersLibrary(linalg::LinalgOp op, ContractionStrategy strategy,
                           GemmLibrary library, int64_t minMacs) {
  if (strategy == ContractionStrategy::Generated)
    return false;
  std::string reason;
  FailureOr<LibraryGemm> gemm = matchLibraryGemm(op, library, reason);
  if (failed(gemm))
    return false;
  if (strategy == ContractionStrategy::Library)
    return true;
  return !gemm->staticMacs || *gemm->staticMacs >= minMacs;
}

bool vmgpu::prefersLibraryGemm(linalg::LinalgOp op,
                               ContractionStrategy strategy,
                               const GpuTargetDescription &target) {
  // The generated i8 mma_sync kernel ran 4096^3 in 0.76 ms on the H200, the
  // cuBLASLt call PyTorch makes (torch._int_mm) in 1.09 ms
  // (benchmarks/results/2026-12-05-h200-276c9d3.log): `auto` keeps i8 on
  // tensor cores where the chip has them.
  bool i8 = op.getNumDpsInputs() > 0 &&
            getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType())
                .isSignlessInteger(8);
  if (strategy == ContractionStrategy::Auto && i8 && target.hasMmaSync)
    return false;
  // A product that reads a copy's source in place (the implicit GEMM of a
  // convolution, OperandCopies.h) skips the im2col copy the library needs:
  // on an H100 the 3x3 convolution of 32 x 56 x 56 x 64 ran in 0.041 ms
  // (f16, mma_sync) and 0.217 ms (f32, tiled_simt) generated, 0.167 ms and
  // 0.321 ms as the copy and a cuBLASLt call, cuDNN 0.052 and 0.348 ms
  // (benchmarks/results/h100-2026-12-06-7a59eb2/).
  if (strategy == ContractionStrategy::Auto && readsThroughCopy(op))
    return false;
  return target.vendor == GpuVendor::Nvidia &&
         prefersLibrary(op, strategy, GemmLibrary::CublasLt,
                        kAutoLibraryMinMacs);
}

bool vmgpu::prefersCpuLibraryGemm(linalg::LinalgOp op,
                                  ContractionStrategy strategy) {
  return prefersLibrary(op, strategy, GemmLibrary::CpuBlas,
                        kAutoCpuLibraryMinMacs);
}
