//===- SortInWorkgroups.cpp - short rows of sorts to the workgroup sort ---===//
//
// vm-to-linalg sorts a lane by merge passes over every element (one kernel
// per pass, each reading and writing the whole tensor) or in one thread per
// lane. A row of up to 4096 elements fits in a workgroup's memory, where a
// sort needs no pass over device memory at all (vm-gpu-lower-sort-rows).
// Linalg has no sort, so the choice is made here, on the vm op, and carried
// to that pass by vmgpu_codegen.sort_rows on buffers: the operand through
// bufferization.to_buffer, the results in fresh buffers handed back by
// bufferization.to_tensor (restrict, writable), which one-shot
// bufferization takes as they are.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"
#include "vmgpu/Conversion/VmToLinalg.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUSORTINWORKGROUPS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// One sort or top-k this pass takes.
struct RowSort {
  Operation *op;
  TypedValue<RankedTensorType> operand;
  /// Sorted along this dim; every dim after it is a unit dim.
  int64_t dim;
  bool descending;
};

/// Whether an op sorting `operand` along `dim` and keeping `kept` elements
/// per row (all of them when not given) can sort its rows in workgroups.
bool takesRowSort(Operation *op, TypedValue<RankedTensorType> operand,
                  int64_t dim, std::optional<int64_t> kept = std::nullopt) {
  RankedTensorType type = operand.getType();
  Type element = type.getElementType();
  if (dim < 0 || dim >= type.getRank() || !type.hasStaticShape() ||
      !element.isIntOrFloat() || element.getIntOrFloatBitWidth() > 32)
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  if (llvm::any_of(shape.drop_front(dim + 1),
                   [](int64_t size) { return size != 1; }))
    return false;
  int64_t length = shape[dim];
  if (!kept)
    kept = length;
  if (length < 2 || length > codegen::SortRowsOp::kMaxLength || *kept < 1 ||
      ShapedType::getNumElements(shape.take_front(dim)) < 1)
    return false;
  // Results of the static shapes the kernel writes.
  SmallVector<int64_t> expected(shape);
  expected[dim] = *kept;
  return llvm::all_of(op->getResultTypes(), [&](Type result) {
    return cast<RankedTensorType>(result).getShape() ==
           ArrayRef<int64_t>(expected);
  });
}

/// `memref` as rows along `dim`: [rows, n] when there are dims before it,
/// else [n] (the unit dims after it collapsed).
Value rowView(OpBuilder &b, Location loc, Value memref, int64_t dim) {
  if (dim == 0)
    return collapseTrailingDims(b, loc, memref, 0);
  return collapseToRows(b, loc, memref, dim);
}

/// Replaces the sort's op with vmgpu_codegen.sort_rows between buffers.
void replaceWithSortRows(const RowSort &sort) {
  Operation *op = sort.op;
  OpBuilder b(op);
  Location loc = op->getLoc();
  Type element = sort.operand.getType().getElementType();
  Value input = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(sort.operand.getType().getShape(), element),
      sort.operand, /*read_only=*/true);
  auto valuesType = cast<RankedTensorType>(op->getResult(0).getType());
  auto indicesType = cast<RankedTensorType>(op->getResult(1).getType());
  Value values = memref::AllocOp::create(
      b, loc, MemRefType::get(valuesType.getShape(), element));
  Value indices = memref::AllocOp::create(
      b, loc, MemRefType::get(indicesType.getShape(), b.getI64Type()));
  auto sortRows = codegen::SortRowsOp::create(
      b, loc, rowView(b, loc, input, sort.dim),
      rowView(b, loc, values, sort.dim), rowView(b, loc, indices, sort.dim));
  sortRows.setDescending(sort.descending);
  sortRows.setUnsignedKeys(op->hasAttr(vm::kUnsignedAttrName));
  op->getResult(0).replaceAllUsesWith(bufferization::ToTensorOp::create(
      b, loc, valuesType, values, /*restrict=*/true, /*writable=*/true));
  op->getResult(1).replaceAllUsesWith(bufferization::ToTensorOp::create(
      b, loc, indicesType, indices, /*restrict=*/true, /*writable=*/true));
  op->erase();
}

struct GpuSortInWorkgroupsPass
    : vmgpu::impl::GpuSortInWorkgroupsBase<GpuSortInWorkgroupsPass> {
  void runOnOperation() override {
    SmallVector<RowSort> sorts;
    getOperation().walk([&](Operation *op) {
      if (auto sort = dyn_cast<vm::SortOp>(op)) {
        int64_t dim = sort.getDim();
        if (takesRowSort(op, sort.getOperand(), dim))
          sorts.push_back({op, sort.getOperand(), dim, sort.getDescending()});
      } else if (auto topK = dyn_cast<vm::TopKOp>(op)) {
        // A small k is selected in passes (vm-to-linalg), faster still.
        auto dim = static_cast<int64_t>(topK.getDim());
        auto k = static_cast<int64_t>(topK.getK());
        if (k > kTopKSelectionMaxK &&
            takesRowSort(op, topK.getOperand(), dim, k))
          sorts.push_back(
              {op, topK.getOperand(), dim, /*descending=*/!topK.getSmallest()});
      }
    });
    for (const RowSort &sort : sorts)
      replaceWithSortRows(sort);
  }
};

} // namespace
