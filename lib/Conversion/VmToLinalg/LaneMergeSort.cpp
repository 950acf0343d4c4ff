//===- LaneMergeSort.cpp - a sequential merge sort per lane ---------------===//
//
// Each lane sorts the positions 0..n-1 of its elements with a bottom-up
// merge sort: stable (a tie takes the left run first), O(n log n), in one
// sequential pass over an i64 lane of 2n (positions, then scratch). Lanes run
// in parallel (LaneLoop.h), one GPU thread or OpenMP iteration each.
//
//===----------------------------------------------------------------------===//

#include "LaneLoop.h"
#include "PatternUtils.h"
#include "Sorting.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace vmgpu::detail {
namespace {

/// Each lane works in one i64 lane of twice its length, its positions in the
/// first half and scratch in the second: one tensor threaded through the
/// loops, so bufferization keeps it in place (two shared outputs would not
/// do: canonicalization drops a shared output whose result is unused, and
/// the scratch would become a buffer written by every lane).
class LaneSorter {
public:
  LaneSorter(OpBuilder &b, Location loc, Value operand, int64_t dim,
             KeyOrder order)
      : b(b), loc(loc), operand(operand), dim(dim), order(order) {}

  Value sort(ArrayRef<int64_t> shape, ValueRange sizes) {
    Value length = sizes[dim];
    SmallVector<int64_t> workShape(shape);
    if (!ShapedType::isDynamic(workShape[dim]))
      workShape[dim] *= 2;
    auto workType = RankedTensorType::get(workShape, b.getI64Type());
    SmallVector<Value> workSizes(sizes);
    workSizes[dim] =
        arith::ShLIOp::create(b, loc, length, indexConstant(b, loc, 1));
    Value work =
        buildLaneLoop(b, loc, workSizes, dim,
                      ValueRange{iota(workType, workSizes)},
                      [&](OpBuilder &lb, Location l, ArrayRef<Value> lane,
                          ValueRange lanes) -> SmallVector<Value> {
                        return {sortLane(lb, l, lane, lanes[0], length)};
                      })
            .front();
    return work;
  }

private:
  /// 0, 1, ... along `dim`.
  Value iota(RankedTensorType type, ValueRange sizes) {
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        b, loc, type, ValueRange{},
        ValueRange{createEmpty(b, loc, type, sizes)}, maps, iterators,
        [&](OpBuilder &nested, Location l, ValueRange) {
          Value position = linalg::IndexOp::create(nested, l, dim);
          linalg::YieldOp::create(nested, l,
                                  arith::IndexCastOp::create(
                                      nested, l, nested.getI64Type(), position)
                                      .getResult());
        });
    return generic.getResult(0);
  }

  /// Sorts one lane of `work` (positions 0..n-1 in [0, n)): rounds of two
  /// merge passes, [0, n) into [n, 2n) with runs of `width`, then back with
  /// runs of twice that, until a run covers the lane, so the sorted
  /// positions always end in [0, n).
  Value sortLane(OpBuilder &lb, Location l, ArrayRef<Value> lane, Value work,
                 Value length) {
    Value zero = indexConstant(lb, l, 0);
    Value one = indexConstant(lb, l, 1);
    SmallVector<Type> types = {work.getType(), lb.getIndexType()};
    auto rounds = scf::WhileOp::create(
        lb, l, types, ValueRange{work, one},
        [&](OpBuilder &cb, Location cl, ValueRange args) {
          Value more = arith::CmpIOp::create(cb, cl, arith::CmpIPredicate::ult,
                                             args[1], length);
          scf::ConditionOp::create(cb, cl, more, args);
        },
        [&](OpBuilder &wb, Location wl, ValueRange args) {
          Value width = args[1];
          Value doubled = arith::ShLIOp::create(wb, wl, width, one);
          Value there =
              mergePass(wb, wl, lane, args[0], zero, length, width, length);
          Value back =
              mergePass(wb, wl, lane, there, length, zero, doubled, length);
          Value next = arith::ShLIOp::create(wb, wl, doubled, one);
          scf::YieldOp::create(wb, wl, ValueRange{back, next});
        });
    return rounds.getResult(0);
  }

  /// The key of the lane element at position `at` (an i64 from the lane).
  Value keyAt(OpBuilder &kb, Location l, ArrayRef<Value> lane, Value at) {
    SmallVector<Value> coordinates(lane);
    coordinates[dim] = arith::IndexCastOp::create(kb, l, kb.getIndexType(), at);
    return order.key(kb, l,
                     tensor::ExtractOp::create(kb, l, operand, coordinates));
  }

  /// Merges each pair of sorted runs of `width` positions of the half of
  /// `work` at `from` into the half at `to` (returns the updated lane); a
  /// tie takes the left run's position first.
  Value mergePass(OpBuilder &pb, Location l, ArrayRef<Value> lane, Value work,
                  Value from, Value to, Value width, Value length) {
    Value one = indexConstant(pb, l, 1);
    Value pairWidth = arith::ShLIOp::create(pb, l, width, one);
    auto runs = scf::ForOp::create(
        pb, l, indexConstant(pb, l, 0), length, pairWidth, ValueRange{work},
        [&](OpBuilder &rb, Location rl, Value low, ValueRange carried) {
          Value mid = arith::MinUIOp::create(
              rb, rl, arith::AddIOp::create(rb, rl, low, width), length);
          Value high = arith::MinUIOp::create(
              rb, rl, arith::AddIOp::create(rb, rl, low, pairWidth), length);
          // The left run is never empty (low < length); reads clamp into
          // the runs and the choice masks what a clamped read saw.
          Value leftLast = arith::SubIOp::create(rb, rl, mid, one);
          Value rightLast = arith::SubIOp::create(rb, rl, high, one);
          auto merge = scf::ForOp::create(
              rb, rl, low, high, one, ValueRange{carried[0], low, mid},
              [&](OpBuilder &mb, Location ml, Value out, ValueRange state) {
                Value left = state[1], right = state[2];
                auto read = [&](Value position, Value last) -> Value {
                  Value at = arith::AddIOp::create(
                      mb, ml, from,
                      arith::MinUIOp::create(mb, ml, position, last));
                  return tensor::ExtractOp::create(mb, ml, state[0], at);
                };
                Value leftAt = read(left, leftLast);
                Value rightAt = read(right, rightLast);
                Value leftDone = arith::CmpIOp::create(
                    mb, ml, arith::CmpIPredicate::uge, left, mid);
                Value rightLeft = arith::CmpIOp::create(
                    mb, ml, arith::CmpIPredicate::ult, right, high);
                Value rightFirst =
                    order.before(mb, ml, keyAt(mb, ml, lane, rightAt),
                                 keyAt(mb, ml, lane, leftAt));
                Value takeRight = arith::AndIOp::create(
                    mb, ml, rightLeft,
                    arith::OrIOp::create(mb, ml, leftDone, rightFirst));
                Value taken =
                    arith::SelectOp::create(mb, ml, takeRight, rightAt, leftAt);
                Value written = tensor::InsertOp::create(
                    mb, ml, taken, state[0],
                    ValueRange{arith::AddIOp::create(mb, ml, to, out)});
                Value nextLeft = arith::SelectOp::create(
                    mb, ml, takeRight, left,
                    arith::AddIOp::create(mb, ml, left, one));
                Value nextRight = arith::SelectOp::create(
                    mb, ml, takeRight,
                    arith::AddIOp::create(mb, ml, right, one), right);
                scf::YieldOp::create(mb, ml,
                                     ValueRange{written, nextLeft, nextRight});
              });
          scf::YieldOp::create(rb, rl, merge.getResult(0));
        });
    return runs.getResult(0);
  }

  OpBuilder &b;
  Location loc;
  Value operand;
  int64_t dim;
  KeyOrder order;
};

} // namespace

Value buildLaneMergeSort(OpBuilder &b, Location loc, Value operand, int64_t dim,
                         KeyOrder order, ValueRange sizes) {
  auto shape = cast<RankedTensorType>(operand.getType()).getShape();
  return LaneSorter(b, loc, operand, dim, order).sort(shape, sizes);
}

} // namespace vmgpu::detail
