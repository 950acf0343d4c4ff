//===- LowerSortRows.cpp - each row sorted in one workgroup ---------------===//
//
// vmgpu_codegen.sort_rows -> one gpu.launch, one workgroup per row.
//
// Each element becomes one i64, (key << 32) | position, where the key is
// the contract's order (KeyOrder; complemented within its width for
// descending order, so that the order of the keys reverses but not that of
// equal keys' positions). Positions make the packed values distinct, so
// sorting them ascending *is* the stable sort, and any sorting network
// gives the same, exact, result. The row is padded to a power of two P with
// all ones (above every packed element, whose position is below 2^32 - 1)
// and kept in workgroup memory (8 P bytes, at most 32 KiB).
//
// Bitonic sort: for each block size 2^b = 2, 4, .., P and each distance
// 2^d = 2^(b-1), .., 1, element i (bit d clear) and i + 2^d are put in
// ascending order when bit b of i is clear, else in descending order; a
// barrier after each of the log2(P) (log2(P) + 1) / 2 steps. The steps are
// unrolled (their distances are constants); each of the T threads takes
// pairs p, p + T, .. of the P/2. Then thread t writes results t, t + T, ..:
// the position from the low word and the element read back at it (so NaN
// payloads survive). A workgroup walks rows blockIdx.x, + gridDim.x, .. (a
// grid stops at 2^31 - 1 workgroups).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "vmgpu/Conversion/SortKeys.h"

#include "llvm/Support/MathExtras.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERSORTROWS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// The most threads of one workgroup.
constexpr int64_t kMaxThreads = 1024;
/// The fewest: one subgroup on every target.
constexpr int64_t kMinThreads = 64;
/// The largest grid (CUDA's limit along x).
constexpr int64_t kMaxGrid = (int64_t{1} << 31) - 1;

class SortRowsKernelBuilder {
public:
  explicit SortRowsKernelBuilder(codegen::SortRowsOp op)
      : op(op), b(op), order{op.getDescending(), op.getUnsignedKeys()},
        length(op.getLength()),
        padded(static_cast<int64_t>(llvm::PowerOf2Ceil(length))),
        threads(std::clamp(padded / 2, kMinThreads, kMaxThreads)) {}

  void build() {
    Location loc = op.getLoc();
    auto workgroup = gpu::AddressSpaceAttr::get(b.getContext(),
                                                gpu::AddressSpace::Workgroup);
    auto sharedType = MemRefType::get({padded}, b.getI64Type(),
                                      MemRefLayoutAttrInterface(), workgroup);
    Value one = index(loc, 1);
    int64_t rows = op.getRows();
    auto launch = gpu::LaunchOp::create(
        b, loc, index(loc, std::min(rows, kMaxGrid)), one, one,
        index(loc, threads), one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, TypeRange{sharedType});
    b.setInsertionPointToStart(&launch.getBody().front());
    thread = launch.getThreadIds().x;
    packed = launch.getWorkgroupAttributions()[0];
    // Uniform per workgroup: every thread reaches every barrier.
    auto rowLoop = scf::ForOp::create(b, loc, launch.getBlockIds().x,
                                      index(loc, rows), launch.getGridSize().x);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rowLoop.getBody());
      row = rowLoop.getInductionVar();
      emitLoad(loc);
      for (unsigned blockLog = 1; blockLog <= llvm::Log2_64(padded); ++blockLog)
        for (int distanceLog = blockLog - 1; distanceLog >= 0; --distanceLog)
          emitStep(loc, blockLog, distanceLog);
      emitResults(loc);
      // The next row overwrites the packed values.
      gpu::BarrierOp::create(b, loc);
    }
    gpu::TerminatorOp::create(b, loc);
    op.erase();
  }

private:
  Value index(Location loc, int64_t value) {
    return indexConstant(b, loc, value);
  }

  /// The indices of element `column` of the current row in a row view.
  SmallVector<Value> at(Value view, Value column) const {
    if (cast<MemRefType>(view.getType()).getRank() == 1)
      return {column};
    return {row, column};
  }

  /// A loop over `thread`, `thread + T`, .. below `end`, running `body`.
  void forEachOfThisThread(Location loc, int64_t end,
                           function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(b, loc, thread, index(loc, end),
                                   index(loc, threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }

  /// Element e of the padded row: (key << 32) | e for e < n, else all ones.
  void emitLoad(Location loc) {
    Type i64 = b.getI64Type();
    Value input = op.getInput();
    forEachOfThisThread(loc, padded, [&](Value e) {
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, e,
                                           index(loc, length));
      Value readAt = arith::SelectOp::create(b, loc, inside, e, index(loc, 0));
      Value element = memref::LoadOp::create(b, loc, input, at(input, readAt));
      Value key = order.key(b, loc, element);
      if (order.descending) {
        auto keyType = cast<IntegerType>(key.getType());
        key = arith::XOrIOp::create(
            b, loc, key,
            arith::ConstantOp::create(
                b, loc,
                b.getIntegerAttr(keyType,
                                 APInt::getAllOnes(keyType.getWidth()))));
      }
      if (key.getType() != i64)
        key = arith::ExtUIOp::create(b, loc, i64, key);
      Value value = arith::OrIOp::create(
          b, loc,
          arith::ShLIOp::create(b, loc, key,
                                arith::ConstantIntOp::create(b, loc, i64, 32)),
          arith::IndexCastUIOp::create(b, loc, i64, e));
      value = arith::SelectOp::create(
          b, loc, inside, value, arith::ConstantIntOp::create(b, loc, i64, -1));
      memref::StoreOp::create(b, loc, value, packed, ValueRange{e});
    });
    gpu::BarrierOp::create(b, loc);
  }

  /// One compare-exchange step: pairs (i, i + 2^distanceLog), ascending when
  /// bit 2^blockLog of i is clear.
  void emitStep(Location loc, unsigned blockLog, unsigned distanceLog) {
    int64_t distance = int64_t(1) << distanceLog;
    forEachOfThisThread(loc, padded / 2, [&](Value pair) {
      // i: the pair's number with a zero bit inserted at distanceLog.
      Value low = arith::AndIOp::create(b, loc, pair, index(loc, distance - 1));
      Value high = arith::ShLIOp::create(
          b, loc, arith::ShRUIOp::create(b, loc, pair, index(loc, distanceLog)),
          index(loc, distanceLog + 1));
      Value first = arith::OrIOp::create(b, loc, high, low);
      Value second = arith::AddIOp::create(b, loc, first, index(loc, distance));
      Value a = memref::LoadOp::create(b, loc, packed, ValueRange{first});
      Value c = memref::LoadOp::create(b, loc, packed, ValueRange{second});
      Value swap =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, a, c);
      // In the last merge every block is ascending (bit P of i is clear).
      if ((int64_t(1) << blockLog) < padded) {
        Value descending = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::ne,
            arith::AndIOp::create(b, loc, first,
                                  index(loc, int64_t(1) << blockLog)),
            index(loc, 0));
        swap = arith::XOrIOp::create(b, loc, swap, descending);
      }
      memref::StoreOp::create(b, loc,
                              arith::SelectOp::create(b, loc, swap, c, a),
                              packed, ValueRange{first});
      memref::StoreOp::create(b, loc,
                              arith::SelectOp::create(b, loc, swap, a, c),
                              packed, ValueRange{second});
    });
    gpu::BarrierOp::create(b, loc);
  }

  /// Results e < k: the position in the low word and the element there.
  void emitResults(Location loc) {
    Type i64 = b.getI64Type();
    Value input = op.getInput();
    Value values = op.getValues();
    Value indices = op.getIndices();
    forEachOfThisThread(loc, op.getKept(), [&](Value e) {
      Value value = memref::LoadOp::create(b, loc, packed, ValueRange{e});
      Value position = arith::AndIOp::create(
          b, loc, value, arith::ConstantIntOp::create(b, loc, i64, 0xffffffff));
      Value source =
          arith::IndexCastUIOp::create(b, loc, b.getIndexType(), position);
      Value element = memref::LoadOp::create(b, loc, input, at(input, source));
      memref::StoreOp::create(b, loc, element, values, at(values, e));
      memref::StoreOp::create(b, loc, position, indices, at(indices, e));
    });
  }

  codegen::SortRowsOp op;
  OpBuilder b;
  KeyOrder order;
  int64_t length;
  int64_t padded;
  int64_t threads;
  Value thread, row, packed;
};

struct GpuLowerSortRowsPass
    : vmgpu::impl::GpuLowerSortRowsBase<GpuLowerSortRowsPass> {
  void runOnOperation() override {
    SmallVector<codegen::SortRowsOp> sorts;
    getOperation().walk([&](codegen::SortRowsOp op) { sorts.push_back(op); });
    for (codegen::SortRowsOp op : sorts)
      SortRowsKernelBuilder(op).build();
  }
};

} // namespace
