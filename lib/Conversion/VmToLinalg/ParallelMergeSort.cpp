//===- ParallelMergeSort.cpp - merge passes over every element ------------===//
//
// A bottom-up merge sort whose passes are data parallel: pass p merges runs
// of w = 2^p into runs of 2w, and is one linalg.generic over the operand's
// shape in which output element o of a pair of runs finds its source by a
// binary search along the merge path: the number i of left-run elements
// among the pair's first r = o - low outputs is the smallest i with
// right[r - 1 - i] before left[i] (a tie takes the left run first, which
// keeps the sort stable), and the element is then left[i] or right[r - i].
// The search takes p + 1 unrolled steps (no loop in the body), so a pass
// is an elementwise op for the code generation strategies, one thread per
// element on the GPU.
//
// Each pass carries the keys beside the positions (two outputs), so a
// search step reads two keys and no operand element. ceil(log2 n) passes:
// the length must be static.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "Sorting.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace vmgpu::detail {
namespace {

class MergePasses {
public:
  MergePasses(OpBuilder &b, Location loc, int64_t dim, int64_t length,
              KeyOrder order)
      : b(b), loc(loc), dim(dim), length(length), order(order) {}

  /// The keys (`keyOf` each element of `source`) and positions 0..n-1 (one
  /// generic).
  std::pair<Value, Value> start(Value source, Type keyType, KeyBuilder keyOf,
                                ValueRange sizes) {
    auto type = cast<RankedTensorType>(source.getType());
    auto keysType = type.clone(keyType);
    auto positionsType = type.clone(b.getI64Type());
    int64_t rank = type.getRank();
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{keysType, positionsType}, ValueRange{source},
        ValueRange{createEmpty(b, loc, keysType, sizes),
                   createEmpty(b, loc, positionsType, sizes)},
        SmallVector<AffineMap>(3, identity),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value position = arith::IndexCastOp::create(
              nb, l, nb.getI64Type(), linalg::IndexOp::create(nb, l, dim));
          linalg::YieldOp::create(nb, l,
                                  ValueRange{keyOf(nb, l, args[0]), position});
        });
    return {generic.getResult(0), generic.getResult(1)};
  }

  /// Merges the runs of `2^pass` elements of (`keys`, `positions`) in pairs.
  std::pair<Value, Value> merge(unsigned pass, Value keys, Value positions,
                                ValueRange sizes) {
    auto keysType = cast<RankedTensorType>(keys.getType());
    auto positionsType = cast<RankedTensorType>(positions.getType());
    int64_t rank = keysType.getRank();
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{keysType, positionsType}, ValueRange{},
        ValueRange{createEmpty(b, loc, keysType, sizes),
                   createEmpty(b, loc, positionsType, sizes)},
        SmallVector<AffineMap>(2, identity),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(nb, l, d));
          Value source = mergeSource(nb, l, pass, keys, at);
          at[dim] = source;
          linalg::YieldOp::create(
              nb, l,
              ValueRange{tensor::ExtractOp::create(nb, l, keys, at),
                         tensor::ExtractOp::create(nb, l, positions, at)});
        });
    return {generic.getResult(0), generic.getResult(1)};
  }

private:
  /// Where, along `dim`, the element that lands at `at` comes from.
  Value mergeSource(OpBuilder &nb, Location l, unsigned pass, Value keys,
                    ArrayRef<Value> at) {
    auto index = [&](int64_t value) { return indexConstant(nb, l, value); };
    int64_t width = int64_t(1) << pass;
    Value n = index(length), one = index(1), zero = index(0);
    Value output = at[dim];
    Value low = arith::AndIOp::create(nb, l, output, index(~(2 * width - 1)));
    Value mid = arith::MinUIOp::create(
        nb, l, arith::AddIOp::create(nb, l, low, index(width)), n);
    Value high = arith::MinUIOp::create(
        nb, l, arith::AddIOp::create(nb, l, low, index(2 * width)), n);
    Value rank = arith::SubIOp::create(nb, l, output, low);
    Value leftLength = arith::SubIOp::create(nb, l, mid, low);
    Value rightLength = arith::SubIOp::create(nb, l, high, mid);
    // Reads clamp into the lane; the search and the choice mask them.
    auto keyAt = [&](Value position) {
      Value clamped = arith::MinSIOp::create(
          nb, l, arith::MaxSIOp::create(nb, l, position, zero),
          index(length - 1));
      SmallVector<Value> where(at);
      where[dim] = clamped;
      return tensor::ExtractOp::create(nb, l, keys, where).getResult();
    };
    // i in [max(0, r - right length), min(r, left length)].
    Value searchLow = arith::MaxSIOp::create(
        nb, l, arith::SubIOp::create(nb, l, rank, rightLength), zero);
    Value searchHigh = arith::MinUIOp::create(nb, l, rank, leftLength);
    for (unsigned step = 0; step <= pass; ++step) {
      Value middle = arith::ShRUIOp::create(
          nb, l, arith::AddIOp::create(nb, l, searchLow, searchHigh), one);
      Value open = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                         searchLow, searchHigh);
      Value rightAt =
          arith::SubIOp::create(nb, l, arith::AddIOp::create(nb, l, mid, rank),
                                arith::AddIOp::create(nb, l, middle, one));
      Value leftAt = arith::AddIOp::create(nb, l, low, middle);
      Value rightFirst = order.before(nb, l, keyAt(rightAt), keyAt(leftAt));
      Value notRightFirst = arith::XOrIOp::create(
          nb, l, rightFirst, arith::ConstantIntOp::create(nb, l, 1, 1));
      searchLow = arith::SelectOp::create(
          nb, l, arith::AndIOp::create(nb, l, open, notRightFirst),
          arith::AddIOp::create(nb, l, middle, one), searchLow);
      searchHigh = arith::SelectOp::create(
          nb, l, arith::AndIOp::create(nb, l, open, rightFirst), middle,
          searchHigh);
    }
    Value fromLeft = searchLow;
    Value fromRight = arith::SubIOp::create(nb, l, rank, fromLeft);
    Value leftAt = arith::AddIOp::create(nb, l, low, fromLeft);
    Value rightAt = arith::AddIOp::create(nb, l, mid, fromRight);
    Value leftLeft = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                           fromLeft, leftLength);
    Value rightDone = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::uge,
                                            fromRight, rightLength);
    Value rightFirst = order.before(nb, l, keyAt(rightAt), keyAt(leftAt));
    Value notRightFirst = arith::XOrIOp::create(
        nb, l, rightFirst, arith::ConstantIntOp::create(nb, l, 1, 1));
    Value takeLeft = arith::AndIOp::create(
        nb, l, leftLeft, arith::OrIOp::create(nb, l, rightDone, notRightFirst));
    return arith::SelectOp::create(nb, l, takeLeft, leftAt, rightAt);
  }

  OpBuilder &b;
  Location loc;
  int64_t dim;
  int64_t length;
  KeyOrder order;
};

} // namespace

std::pair<Value, Value> buildParallelMergeSort(OpBuilder &b, Location loc,
                                               Value source, int64_t dim,
                                               KeyOrder order, Type keyType,
                                               KeyBuilder keyOf,
                                               ValueRange sizes) {
  int64_t length = cast<RankedTensorType>(source.getType()).getDimSize(dim);
  MergePasses passes(b, loc, dim, length, order);
  auto [keys, positions] = passes.start(source, keyType, keyOf, sizes);
  unsigned count = length > 1 ? llvm::Log2_64_Ceil(length) : 0;
  for (unsigned pass = 0; pass < count; ++pass)
    std::tie(keys, positions) = passes.merge(pass, keys, positions, sizes);
  return {keys, positions};
}

} // namespace vmgpu::detail
