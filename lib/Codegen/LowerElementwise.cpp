//===- LowerElementwise.cpp - elementwise ops -> vectorized kernels -------===//
//
// The strategy `vectorized_elementwise`: an op whose loops are all parallel
// and whose outputs are contiguous becomes one flat kernel over its N
// output elements. Each thread of a grid-stride loop takes vector_width (V)
// consecutive elements per step: contiguous operands indexed by the loops
// in order are read and written with one V-wide access (16 bytes for the
// widest element type: ld.global.v4.f32 / global_load_dwordx4); broadcast,
// transposed or strided inputs are read element by element at the
// delinearized index (an affine expression of it: an im2col copy's
// windows), or, where V consecutive output elements are V consecutive
// operand elements (the innermost loop indexes the operand's innermost dim,
// both static multiples of V), with one V-wide access. The body runs once per
// element, as written, so the results are the scalar lowering's bit for bit;
// it may read the loop indices (linalg.index: a gather's column). When the
// rows are a multiple of V long, V consecutive elements share a row, and a
// load in the body from a buffer of the block at indices that are the same
// for the whole row but the last, which is the innermost loop index (a
// gather: `table[index[i], j]`), is one V-wide load for the V elements. The
// last N mod V elements, and every element when a vector-accessed base is
// not aligned to its access width (checked in the kernel), take a scalar
// grid-stride loop.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERELEMENTWISE
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// How the kernel reaches one operand of the op.
enum class Access {
  /// Not a buffer: the block argument is the value itself (linalg.fill).
  Value,
  /// Contiguous and indexed by the loops in order: V-wide accesses on the
  /// operand collapsed to 1-D.
  Vector,
  /// Contiguous and indexed by the loops in order, but of an element type
  /// that is not packed in whole bytes (i1): one access per element on the
  /// 1-D view.
  Flat,
  /// Anything else the map allows (broadcast, transpose, strided view): one
  /// access per element at the indices the map gives.
  Indexed,
  /// Indexed, but V consecutive elements of the output are V consecutive
  /// elements of the operand: its innermost index is the innermost loop,
  /// both of a static size that is a multiple of V, on an identity layout
  /// (an im2col copy's channels, a bias broadcast along rows). One V-wide
  /// access at the indices of the first element.
  InnerVector,
};

bool isVectorizableElement(Type type) {
  if (!type.isIntOrFloat())
    return false;
  unsigned bits = type.getIntOrFloatBitWidth();
  return bits >= 8 && llvm::isPowerOf2_32(bits);
}

/// `map` computes indices from the loop indices alone (no symbols): loop
/// dims, constants, or affine expressions of them such as the
/// `oh * stride + kh` of an im2col copy.
bool isIndexable(AffineMap map) { return map.getNumSymbols() == 0; }

/// True when `map` reads `type` with its innermost index the op's innermost
/// loop alone, and both have static sizes that are multiples of `width`
/// on an identity layout: V consecutive output elements (from a multiple
/// of V) are V consecutive, V-aligned elements of the operand.
bool readsInnerVectors(linalg::LinalgOp op, AffineMap map, MemRefType type,
                       int64_t width) {
  if (width <= 1 || map.getNumResults() == 0 || !type.getLayout().isIdentity() ||
      !isVectorizableElement(type.getElementType()))
    return false;
  unsigned innermost = op.getNumLoops() - 1;
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!last || last.getPosition() != innermost)
    return false;
  for (AffineExpr result : map.getResults().drop_back())
    if (result.isFunctionOfDim(innermost))
      return false;
  SmallVector<int64_t> loops = op.getStaticLoopRanges();
  int64_t loopSize = loops[innermost];
  int64_t dimSize = type.getShape().back();
  return !ShapedType::isDynamic(loopSize) && loopSize % width == 0 &&
         !ShapedType::isDynamic(dimSize) && dimSize % width == 0;
}

/// The access of each operand, or failure when the strategy cannot take
/// the op (it is then left to the fallback).
FailureOr<SmallVector<Access>> planAccesses(linalg::LinalgOp op,
                                            int64_t width) {
  if (!op.hasPureBufferSemantics() || op->getParentOfType<gpu::LaunchOp>() ||
      op.getNumLoops() == 0 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInits() == 0)
    return failure();
  SmallVector<Access> accesses;
  for (OpOperand &operand : op->getOpOperands()) {
    Type type = operand.get().getType();
    if (!isa<ShapedType>(type)) {
      if (op.isDpsInit(&operand))
        return failure();
      accesses.push_back(Access::Value);
      continue;
    }
    if (!isa<MemRefType>(type))
      return failure();
    AffineMap map = op.getMatchingIndexingMap(&operand);
    Type element = getElementTypeOrSelf(type);
    bool inOrder = map.isIdentity() && isContiguous(type);
    if (op.isDpsInit(&operand) && !inOrder)
      return failure();
    if (inOrder)
      accesses.push_back(isVectorizableElement(element) ? Access::Vector
                                                        : Access::Flat);
    else if (readsInnerVectors(op, map, cast<MemRefType>(type), width))
      accesses.push_back(Access::InnerVector);
    else if (isIndexable(map))
      accesses.push_back(Access::Indexed);
    else
      return failure();
  }
  return accesses;
}

/// True when `value`, in the body of `op`, is the same for every element
/// of a row (all loop indices but the innermost fixed): defined outside the
/// body, a block argument of an operand the innermost loop does not index,
/// linalg.index of an outer loop, or a pure op or a load of such values.
bool isRowUniform(linalg::LinalgOp op, ArrayRef<Access> accesses, Value value,
                  DenseMap<Value, bool> &known) {
  Block *body = op.getBlock();
  unsigned innermost = op.getNumLoops() - 1;
  if (auto it = known.find(value); it != known.end())
    return it->second;
  bool uniform = false;
  if (auto argument = dyn_cast<BlockArgument>(value)) {
    if (argument.getOwner() != body) {
      uniform = true;
    } else {
      unsigned i = argument.getArgNumber();
      OpOperand &operand = op->getOpOperand(i);
      uniform =
          accesses[i] == Access::Value ||
          (accesses[i] == Access::Indexed &&
           !op.getMatchingIndexingMap(&operand).isFunctionOfDim(innermost));
    }
  } else if (value.getDefiningOp()->getBlock() != body) {
    uniform = true;
  } else if (auto index = value.getDefiningOp<linalg::IndexOp>()) {
    uniform = index.getDim() != innermost;
  } else {
    Operation *def = value.getDefiningOp();
    uniform = def->getNumRegions() == 0 &&
              (isPure(def) || isa<memref::LoadOp>(def)) &&
              llvm::all_of(def->getOperands(), [&](Value operand) {
                return isRowUniform(op, accesses, operand, known);
              });
  }
  known[value] = uniform;
  return uniform;
}

/// The loads of the body that read V consecutive elements for V
/// consecutive elements of a row: from a buffer defined outside the body
/// (identity layout, static innermost size a multiple of V), the last index
/// the innermost loop index, the others the same for the whole row. Only
/// for rows a static multiple of V long (the caller's `rowGroups`).
SmallVector<memref::LoadOp>
planRowLoads(linalg::LinalgOp op, ArrayRef<Access> accesses, int64_t width) {
  SmallVector<memref::LoadOp> loads;
  unsigned innermost = op.getNumLoops() - 1;
  DenseMap<Value, bool> known;
  for (auto load : op.getBlock()->getOps<memref::LoadOp>()) {
    MemRefType type = load.getMemRefType();
    if (load.getMemRef().getParentBlock() == op.getBlock() ||
        type.getRank() == 0 || !type.getLayout().isIdentity() ||
        !isVectorizableElement(type.getElementType()) ||
        ShapedType::isDynamic(type.getShape().back()) ||
        type.getShape().back() % width != 0 ||
        vectorAccessBytes(load.getMemRef(), width) > 16)
      continue;
    auto column = load.getIndices().back().getDefiningOp<linalg::IndexOp>();
    if (!column || column.getDim() != innermost)
      continue;
    if (llvm::all_of(load.getIndices().drop_back(), [&](Value index) {
          return isRowUniform(op, accesses, index, known);
        }))
      loads.push_back(load);
  }
  return loads;
}

class ElementwiseKernelBuilder {
public:
  ElementwiseKernelBuilder(linalg::LinalgOp op, const LoweringConfig &config,
                           ArrayRef<Access> accesses)
      : op(op), config(config), accesses(accesses), b(op) {
    SmallVector<int64_t> loops = op.getStaticLoopRanges();
    rowGroups = config.vectorWidth > 1 &&
                !ShapedType::isDynamic(loops.back()) &&
                loops.back() % config.vectorWidth == 0;
    if (rowGroups)
      rowLoads = planRowLoads(op, accesses, config.vectorWidth);
    readsIndex = !op.getBlock()->getOps<linalg::IndexOp>().empty();
  }

  void build() {
    Location loc = op.getLoc();
    Value out = op.getDpsInitOperand(0)->get();
    int64_t rank = cast<MemRefType>(out.getType()).getRank();
    for (int64_t d = 0; d < rank; ++d)
      loopSizes.push_back(memref::DimOp::create(b, loc, out, d));
    Value total = dimProduct(b, loc, out, 0, rank);
    for (auto [operand, access] : llvm::zip_equal(op->getOperands(), accesses))
      views.push_back(access == Access::Vector || access == Access::Flat
                          ? collapseTrailingDims(b, loc, operand, 0)
                          : operand);

    // Enough blocks for one step per thread, at least one (an empty launch
    // does nothing; a branch around it would split the host code), at most
    // max_blocks (the grid-stride loops cover the rest).
    int64_t threads = config.workgroup[0];
    Value one = indexConstant(b, loc, 1);
    Value steps = arith::CeilDivUIOp::create(
        b, loc, total, indexConstant(b, loc, config.vectorWidth));
    Value grid = arith::MaxUIOp::create(
        b, loc,
        arith::CeilDivUIOp::create(b, loc, steps,
                                   indexConstant(b, loc, threads)),
        one);
    if (config.maxBlocks > 0)
      grid = arith::MinUIOp::create(b, loc, grid,
                                    indexConstant(b, loc, config.maxBlocks));
    auto launch = gpu::LaunchOp::create(b, loc, grid, one, one,
                                        indexConstant(b, loc, threads), one,
                                        one);
    b.setInsertionPointToStart(&launch.getBody().front());
    Value threadsValue = indexConstant(b, loc, threads);
    Value first = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x, threadsValue),
        launch.getThreadIds().x);
    Value stride = arith::MulIOp::create(b, loc, launch.getGridSize().x,
                                         threadsValue);

    // Vector part: elements [0, vectorEnd), V at a time.
    Value vectorEnd = indexConstant(b, loc, 0);
    bool anyVector = llvm::is_contained(accesses, Access::Vector) ||
                     llvm::is_contained(accesses, Access::InnerVector) ||
                     !rowLoads.empty();
    if (config.vectorWidth > 1 && anyVector) {
      Value width = indexConstant(b, loc, config.vectorWidth);
      Value vectorSteps = arith::DivUIOp::create(b, loc, total, width);
      vectorSteps = arith::SelectOp::create(b, loc, basesAligned(loc),
                                            vectorSteps,
                                            indexConstant(b, loc, 0));
      vectorEnd = arith::MulIOp::create(b, loc, vectorSteps, width);
      auto loop = scf::ForOp::create(b, loc, first, vectorSteps, stride);
      b.setInsertionPointToStart(loop.getBody());
      emitVectorStep(loc, arith::MulIOp::create(b, loc,
                                                loop.getInductionVar(), width));
      b.setInsertionPointAfter(loop);
    }
    // Scalar part: the tail, or everything when the vector part is off.
    auto tail = scf::ForOp::create(
        b, loc, arith::AddIOp::create(b, loc, vectorEnd, first), total,
        stride);
    b.setInsertionPointToStart(tail.getBody());
    emitScalarStep(loc, tail.getInductionVar());
    b.setInsertionPointAfter(tail);
    gpu::TerminatorOp::create(b, loc);
  }

private:
  int64_t accessBytes(Value view) const {
    return vectorAccessBytes(view, config.vectorWidth);
  }

  /// True (i1) when every vector-accessed base is aligned to its access.
  Value basesAligned(Location loc) {
    Value aligned = arith::ConstantIntOp::create(b, loc, 1, 1);
    for (auto [view, access] : llvm::zip_equal(views, accesses))
      if (access == Access::Vector || access == Access::InnerVector)
        aligned = andBaseAligned(b, loc, aligned, view, accessBytes(view));
    for (memref::LoadOp load : rowLoads)
      aligned = andBaseAligned(b, loc, aligned, load.getMemRef(),
                               accessBytes(load.getMemRef()));
    return aligned;
  }

  /// The loop indices of the element at flat (row-major) position `flat`.
  SmallVector<Value> delinearize(Location loc, Value flat) {
    SmallVector<Value> indices(loopSizes.size());
    Value rest = flat;
    for (int64_t d = loopSizes.size() - 1; d >= 0; --d) {
      if (d == 0) {
        indices[d] = rest;
        break;
      }
      indices[d] = arith::RemUIOp::create(b, loc, rest, loopSizes[d]);
      rest = arith::DivUIOp::create(b, loc, rest, loopSizes[d]);
    }
    return indices;
  }

  /// Reads operand `i` element by element at flat position `flat`.
  Value loadElement(Location loc, unsigned i, Value flat,
                    ArrayRef<Value> loopIndices) {
    Value view = views[i];
    if (accesses[i] == Access::Value)
      return view;
    if (accesses[i] != Access::Indexed && accesses[i] != Access::InnerVector)
      return memref::LoadOp::create(b, loc, view, ValueRange{flat});
    AffineMap map = op.getMatchingIndexingMap(&op->getOpOperand(i));
    return memref::LoadOp::create(b, loc, view,
                                  mapIndices(loc, map, loopIndices));
  }

  bool needsLoopIndices() const {
    return readsIndex || llvm::is_contained(accesses, Access::Indexed) ||
           llvm::is_contained(accesses, Access::InnerVector);
  }

  /// The loop indices of the V elements from `base` (a multiple of V):
  /// within one row when rows are a multiple of V long (one
  /// delinearization, the innermost index stepping), else each its own.
  SmallVector<SmallVector<Value>> groupLoopIndices(Location loc, Value base) {
    int64_t width = config.vectorWidth;
    SmallVector<SmallVector<Value>> group(width);
    if (!needsLoopIndices())
      return group;
    if (!rowGroups) {
      for (int64_t k = 0; k < width; ++k)
        group[k] = delinearize(
            loc, arith::AddIOp::create(b, loc, base, indexConstant(b, loc, k)));
      return group;
    }
    group[0] = delinearize(loc, base);
    for (int64_t k = 1; k < width; ++k) {
      group[k] = group[0];
      group[k].back() = arith::AddIOp::create(b, loc, group[0].back(),
                                              indexConstant(b, loc, k));
    }
    return group;
  }

  /// One V-wide load per row load (planRowLoads), at the indices the body
  /// computes for the group's first element: the body ops those indices
  /// depend on are cloned for it.
  SmallVector<Value> loadRowVectors(Location loc, ValueRange firstArgs,
                                    ArrayRef<Value> firstIndices) {
    SmallVector<Value> vectors;
    if (rowLoads.empty())
      return vectors;
    llvm::SetVector<Operation *> needed;
    SmallVector<Value> worklist;
    for (memref::LoadOp load : rowLoads)
      llvm::append_range(worklist, load.getIndices().drop_back());
    while (!worklist.empty()) {
      Operation *def = worklist.pop_back_val().getDefiningOp();
      if (!def || def->getBlock() != op.getBlock() || !needed.insert(def))
        continue;
      llvm::append_range(worklist, def->getOperands());
    }
    IRMapping mapping;
    mapping.map(op.getBlock()->getArguments(), firstArgs);
    for (Operation &inner : op.getBlock()->without_terminator())
      if (needed.contains(&inner))
        cloneWithLoopIndices(b, inner, mapping, firstIndices);
    for (memref::LoadOp load : rowLoads) {
      SmallVector<Value> at;
      for (Value index : load.getIndices().drop_back())
        at.push_back(mapping.lookupOrDefault(index));
      at.push_back(firstIndices.back());
      auto type = VectorType::get({config.vectorWidth},
                                  load.getMemRefType().getElementType());
      vectors.push_back(vector::LoadOp::create(
          b, loc, type, load.getMemRef(), at, /*nontemporal=*/false,
          llvm::MaybeAlign(accessBytes(load.getMemRef()))));
    }
    return vectors;
  }

  /// The indices `map` gives for loop indices `loopIndices`.
  SmallVector<Value> mapIndices(Location loc, AffineMap map,
                                ArrayRef<Value> loopIndices) {
    SmallVector<Value> indices;
    for (AffineExpr result : map.getResults()) {
      if (auto dim = dyn_cast<AffineDimExpr>(result))
        indices.push_back(loopIndices[dim.getPosition()]);
      else
        indices.push_back(affine::expandAffineExpr(b, loc, result, loopIndices,
                                                   /*symbolValues=*/{}));
    }
    return indices;
  }

  /// Block arguments that the body reads (an output's is often unused).
  bool isRead(unsigned i) {
    return !op.getBlock()->getArgument(i).use_empty();
  }

  void emitScalarStep(Location loc, Value flat) {
    SmallVector<Value> loopIndices;
    if (needsLoopIndices())
      loopIndices = delinearize(loc, flat);
    SmallVector<Value> args;
    for (unsigned i = 0; i < views.size(); ++i)
      args.push_back(isRead(i) ? loadElement(loc, i, flat, loopIndices)
                               : Value(ub::PoisonOp::create(
                                     b, loc, op.getBlock()->getArgument(i)
                                                 .getType())));
    SmallVector<Value> results = cloneBody(b, op, args, loopIndices);
    for (auto [k, result] : llvm::enumerate(results))
      memref::StoreOp::create(b, loc, result,
                              views[op.getNumDpsInputs() + k],
                              ValueRange{flat});
  }

  void emitVectorStep(Location loc, Value base) {
    int64_t width = config.vectorWidth;
    SmallVector<Value> vectors(views.size());
    SmallVector<Value> firstIndices;
    for (unsigned i = 0; i < views.size(); ++i) {
      if ((accesses[i] != Access::Vector &&
           accesses[i] != Access::InnerVector) ||
          !isRead(i))
        continue;
      auto type = VectorType::get(
          {width}, getElementTypeOrSelf(views[i].getType()));
      SmallVector<Value> at = {base};
      if (accesses[i] == Access::InnerVector) {
        if (firstIndices.empty())
          firstIndices = delinearize(loc, base);
        at = mapIndices(loc, op.getMatchingIndexingMap(&op->getOpOperand(i)),
                        firstIndices);
      }
      vectors[i] = vector::LoadOp::create(
          b, loc, type, views[i], at, /*nontemporal=*/false,
          llvm::MaybeAlign(accessBytes(views[i])));
    }
    unsigned inputs = op.getNumDpsInputs();
    SmallVector<SmallVector<Value>> groupIndices = groupLoopIndices(loc, base);
    SmallVector<Value> flats;
    for (int64_t k = 0; k < width; ++k)
      flats.push_back(
          arith::AddIOp::create(b, loc, base, indexConstant(b, loc, k)));
    SmallVector<SmallVector<Value>> groupArgs(width);
    for (int64_t k = 0; k < width; ++k) {
      for (unsigned i = 0; i < views.size(); ++i) {
        if (!isRead(i))
          groupArgs[k].push_back(ub::PoisonOp::create(
              b, loc, op.getBlock()->getArgument(i).getType()));
        else if (vectors[i])
          groupArgs[k].push_back(
              vector::ExtractOp::create(b, loc, vectors[i], k));
        else
          groupArgs[k].push_back(
              loadElement(loc, i, flats[k], groupIndices[k]));
      }
    }
    SmallVector<Value> rowVectors =
        loadRowVectors(loc, groupArgs[0], groupIndices[0]);
    SmallVector<SmallVector<Value>> resultsPerOutput(op.getNumDpsInits());
    for (int64_t k = 0; k < width; ++k) {
      Value flat = flats[k];
      IRMapping mapping;
      mapping.map(op.getBlock()->getArguments(), groupArgs[k]);
      for (auto [load, vector] : llvm::zip_equal(rowLoads, rowVectors))
        mapping.map(load.getResult(),
                    vector::ExtractOp::create(b, loc, vector, k).getResult());
      SmallVector<Value> results = cloneBody(b, op, mapping, groupIndices[k]);
      for (auto [j, result] : llvm::enumerate(results)) {
        if (accesses[inputs + j] == Access::Vector)
          resultsPerOutput[j].push_back(result);
        else
          memref::StoreOp::create(b, loc, result, views[inputs + j],
                                  ValueRange{flat});
      }
    }
    for (auto [j, elements] : llvm::enumerate(resultsPerOutput)) {
      if (elements.empty())
        continue;
      Value view = views[inputs + j];
      auto type = VectorType::get({width}, getElementTypeOrSelf(view.getType()));
      Value packed = vector::FromElementsOp::create(b, loc, type, elements);
      vector::StoreOp::create(b, loc, packed, view, ValueRange{base},
                              /*nontemporal=*/false,
                              llvm::MaybeAlign(accessBytes(view)));
    }
  }

  linalg::LinalgOp op;
  const LoweringConfig &config;
  ArrayRef<Access> accesses;
  OpBuilder b;
  SmallVector<Value> loopSizes;
  SmallVector<Value> views;
  /// Rows are a static multiple of V long: a vector step stays in a row.
  bool rowGroups = false;
  /// The body reads linalg.index.
  bool readsIndex = false;
  /// Loads of the body done V-wide per row (planRowLoads).
  SmallVector<memref::LoadOp> rowLoads;
};

struct GpuLowerElementwisePass
    : vmgpu::impl::GpuLowerElementwiseBase<GpuLowerElementwisePass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::VectorizedElementwise);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      FailureOr<SmallVector<Access>> accesses =
          planAccesses(op, config.vectorWidth);
      if (failed(accesses))
        continue; // Declined: the fallback lowers it.
      ElementwiseKernelBuilder(op, config, *accesses).build();
      op->erase();
    }
  }
};

} // namespace
