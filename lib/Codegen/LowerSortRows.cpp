//===- LowerSortRows.cpp - each row sorted in one workgroup ---------------===//
//
// vmgpu_codegen.sort_rows -> one gpu.launch, one workgroup per row.
//
// Each element becomes one i64, (key << 32) | position, where the key is
// the contract's order (KeyOrder; complemented within its width for
// descending order, so that the order of the keys reverses but not that of
// equal keys' positions). Positions make the packed values distinct, so
// sorting them ascending *is* the stable sort, and any sorting network
// gives the same, exact, result. The row is padded to a power of two P (at
// least one subgroup of W) with all ones, above every packed element (whose
// position is below 2^32 - 1).
//
// A bitonic sort of the P values: for each block size 2^b = 2, 4, .., P and
// each distance 2^d = 2^(b-1), .., 1, element i (bit d clear) and i + 2^d
// are put in ascending order when bit b of i is clear (always in the last
// merge), else in descending order. Thread t of T holds elements
// t E .. t E + E - 1 in registers (E = P / T: 4 for long rows), so a step
// is, by its distance 2^d:
//   - below E: compare-exchanges between the thread's own registers;
//   - below E W: a butterfly shuffle with lane t xor 2^d / E, each side
//     keeping the minimum or the maximum (one comparison and a select);
//   - from E W on (rows longer than one subgroup holds): through workgroup
//     memory, where the thread stores its E values once, the steps of this
//     block size at such distances run in place (each thread exchanging the
//     pairs p, p + T, .., a barrier after each step), and the thread loads
//     its values back.
// All steps are unrolled (their distances are constants); a row of 4096
// takes 20 barriers instead of the 80 of a sort held in workgroup memory
// throughout, and moves 15 of its 78 steps through that memory. Then
// thread t writes its results among the first k: the position from the low
// word and the element read back there (NaN payloads survive). A workgroup
// walks rows blockIdx.x, + gridDim.x, .. (a grid stops at 2^31 - 1).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "SubgroupShuffle.h"
#include "vmgpu/Codegen/GpuTarget.h"
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
/// Elements each thread holds once the row fills four per thread (eight
/// measured 5% faster on an H100, sixteen slower: the kernel is bound by
/// instructions, not occupancy; benchmarks/results/h100-2026-12-05-sort-in-
/// workgroups).
constexpr int64_t kElementsPerThread = 4;
/// The largest grid (CUDA's limit along x).
constexpr int64_t kMaxGrid = (int64_t{1} << 31) - 1;

/// How one op's rows spread over a workgroup.
struct SortRowsShape {
  /// Subgroup size, padded row length, threads, elements per thread.
  int64_t subgroup, padded, threads, perThread;

  SortRowsShape(int64_t length, int64_t subgroup) : subgroup(subgroup) {
    padded = std::max<int64_t>(llvm::PowerOf2Ceil(length), subgroup);
    threads =
        std::max(subgroup, std::min(kMaxThreads, padded / kElementsPerThread));
    perThread = padded / threads;
  }

  /// Steps at this distance or more go through workgroup memory.
  int64_t sharedDistance() const { return perThread * subgroup; }
  bool usesSharedMemory() const { return padded > sharedDistance(); }
};

class SortRowsKernelBuilder {
public:
  SortRowsKernelBuilder(codegen::SortRowsOp op, int64_t subgroup)
      : op(op), b(op), order{op.getDescending(), op.getUnsignedKeys()},
        shape(op.getLength(), subgroup) {}

  void build() {
    Location loc = op.getLoc();
    SmallVector<Type> attributions;
    if (shape.usesSharedMemory())
      attributions.push_back(MemRefType::get(
          {shape.padded}, b.getI64Type(), MemRefLayoutAttrInterface(),
          gpu::AddressSpaceAttr::get(b.getContext(),
                                     gpu::AddressSpace::Workgroup)));
    Value one = index(loc, 1);
    int64_t rows = op.getRows();
    auto launch = gpu::LaunchOp::create(
        b, loc, index(loc, std::min(rows, kMaxGrid)), one, one,
        index(loc, shape.threads), one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, attributions);
    b.setInsertionPointToStart(&launch.getBody().front());
    thread = launch.getThreadIds().x;
    if (shape.usesSharedMemory())
      shared = launch.getWorkgroupAttributions()[0];
    firstOwned =
        arith::MulIOp::create(b, loc, thread, index(loc, shape.perThread));
    // Uniform per workgroup: every thread reaches every barrier.
    auto rowLoop = scf::ForOp::create(b, loc, launch.getBlockIds().x,
                                      index(loc, rows), launch.getGridSize().x);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(rowLoop.getBody());
      row = rowLoop.getInductionVar();
      emitLoad(loc);
      emitBitonicSort(loc);
      emitResults(loc);
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

  /// The row index of this thread's element `r`.
  Value owned(Location loc, int64_t r) {
    return arith::AddIOp::create(b, loc, firstOwned, index(loc, r));
  }

  /// This thread's elements: (key << 32) | e for e < n, else all ones.
  void emitLoad(Location loc) {
    Type i64 = b.getI64Type();
    Value input = op.getInput();
    values.clear();
    for (int64_t r = 0; r < shape.perThread; ++r) {
      Value e = owned(loc, r);
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, e,
                                           index(loc, op.getLength()));
      Value readAt = arith::SelectOp::create(b, loc, inside, e, index(loc, 0));
      Value element = memref::LoadOp::create(b, loc, input, at(input, readAt));
      Value key = order.ascendingKey(b, loc, element);
      if (key.getType() != i64)
        key = arith::ExtUIOp::create(b, loc, i64, key);
      Value value = arith::OrIOp::create(
          b, loc,
          arith::ShLIOp::create(b, loc, key,
                                arith::ConstantIntOp::create(b, loc, i64, 32)),
          arith::IndexCastUIOp::create(b, loc, i64, e));
      values.push_back(arith::SelectOp::create(
          b, loc, inside, value,
          arith::ConstantIntOp::create(b, loc, i64, -1)));
    }
  }

  /// Whether element `i` (an index value) sorts ascending in blocks of
  /// 2^blockLog: bit 2^blockLog of i clear, or the last merge.
  Value ascending(Location loc, Value i, unsigned blockLog) {
    if ((int64_t(1) << blockLog) == shape.padded)
      return arith::ConstantIntOp::create(b, loc, 1, 1);
    Value bit =
        arith::AndIOp::create(b, loc, i, index(loc, int64_t(1) << blockLog));
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, bit,
                                 index(loc, 0));
  }

  /// Whether distinct packed values `first` and `second` are out of order
  /// for a pair sorted ascending when `up` (i1) holds, else descending: one
  /// 64-bit comparison, where a minimum and a maximum take two.
  Value outOfOrder(Location loc, Value first, Value second, Value up) {
    Value above =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, first, second);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, above, up);
  }

  /// The pair (`first`, `second`) in the order `up` asks for (as
  /// outOfOrder): both exchanged, or both kept.
  std::pair<Value, Value> compareExchange(Location loc, Value first,
                                          Value second, Value up) {
    Value swap = outOfOrder(loc, first, second, up);
    return {arith::SelectOp::create(b, loc, swap, second, first),
            arith::SelectOp::create(b, loc, swap, first, second)};
  }

  void emitBitonicSort(Location loc) {
    unsigned levels = llvm::Log2_64(shape.padded);
    for (unsigned blockLog = 1; blockLog <= levels; ++blockLog) {
      int distanceLog = blockLog - 1;
      if ((int64_t(1) << distanceLog) >= shape.sharedDistance()) {
        storeOwned(loc);
        for (; (int64_t(1) << distanceLog) >= shape.sharedDistance();
             --distanceLog)
          emitSharedStep(loc, blockLog, distanceLog);
        loadOwned(loc);
      }
      for (; distanceLog >= 0; --distanceLog) {
        if ((int64_t(1) << distanceLog) >= shape.perThread)
          emitShuffleStep(loc, blockLog, distanceLog);
        else
          emitRegisterStep(loc, blockLog, distanceLog);
      }
    }
  }

  /// Pairs (r, r + 2^distanceLog) of this thread's registers.
  void emitRegisterStep(Location loc, unsigned blockLog, unsigned distanceLog) {
    int64_t distance = int64_t(1) << distanceLog;
    for (int64_t r = 0; r < shape.perThread; ++r) {
      if (r & distance)
        continue;
      // Blocks of at least E elements hold a thread's values whole, so one
      // direction serves them all.
      Value i = (int64_t(1) << blockLog) >= shape.perThread ? firstOwned
                                                            : owned(loc, r);
      std::tie(values[r], values[r + distance]) = compareExchange(
          loc, values[r], values[r + distance], ascending(loc, i, blockLog));
    }
  }

  /// Element r of lane t meets element r of lane t xor 2^distanceLog / E;
  /// the lower of the two indices keeps the minimum when ascending.
  void emitShuffleStep(Location loc, unsigned blockLog, unsigned distanceLog) {
    int64_t distance = int64_t(1) << distanceLog;
    // All of a thread's values hold the lower (or all the upper) index of
    // their pairs, in blocks of one direction (2^blockLog > distance >= E).
    Value lower = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::AndIOp::create(b, loc, firstOwned, index(loc, distance)),
        index(loc, 0));
    Value keepsMinimum =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lower,
                              ascending(loc, firstOwned, blockLog));
    for (int64_t r = 0; r < shape.perThread; ++r) {
      Value other = shuffleXor(b, loc, values[r],
                               static_cast<int32_t>(distance / shape.perThread),
                               static_cast<int32_t>(shape.subgroup));
      // The other value is the one to keep when it is below ours on the
      // side that keeps the minimum, above it on the other.
      Value takesOther = outOfOrder(loc, values[r], other, keepsMinimum);
      values[r] = arith::SelectOp::create(b, loc, takesOther, other, values[r]);
    }
  }

  /// This thread's values into workgroup memory, then a barrier.
  void storeOwned(Location loc) {
    for (int64_t r = 0; r < shape.perThread; ++r)
      memref::StoreOp::create(b, loc, values[r], shared,
                              ValueRange{owned(loc, r)});
    gpu::BarrierOp::create(b, loc);
  }

  /// This thread's values back from workgroup memory (after a step's
  /// barrier; the thread's next store touches only its own elements).
  void loadOwned(Location loc) {
    for (int64_t r = 0; r < shape.perThread; ++r)
      values[r] =
          memref::LoadOp::create(b, loc, shared, ValueRange{owned(loc, r)});
  }

  /// One step in workgroup memory: pairs (i, i + 2^distanceLog) numbered
  /// p = t, t + T, .. (i: p with a zero bit inserted at distanceLog).
  void emitSharedStep(Location loc, unsigned blockLog, unsigned distanceLog) {
    int64_t distance = int64_t(1) << distanceLog;
    for (int64_t k = 0; k < shape.padded / 2 / shape.threads; ++k) {
      Value pair =
          arith::AddIOp::create(b, loc, thread, index(loc, k * shape.threads));
      Value low = arith::AndIOp::create(b, loc, pair, index(loc, distance - 1));
      Value high = arith::ShLIOp::create(
          b, loc, arith::ShRUIOp::create(b, loc, pair, index(loc, distanceLog)),
          index(loc, distanceLog + 1));
      Value first = arith::OrIOp::create(b, loc, high, low);
      Value second = arith::AddIOp::create(b, loc, first, index(loc, distance));
      Value a = memref::LoadOp::create(b, loc, shared, ValueRange{first});
      Value c = memref::LoadOp::create(b, loc, shared, ValueRange{second});
      auto [atFirst, atSecond] =
          compareExchange(loc, a, c, ascending(loc, first, blockLog));
      memref::StoreOp::create(b, loc, atFirst, shared, ValueRange{first});
      memref::StoreOp::create(b, loc, atSecond, shared, ValueRange{second});
    }
    gpu::BarrierOp::create(b, loc);
  }

  /// Results e < k among this thread's elements: the position in the low
  /// word and the element there.
  void emitResults(Location loc) {
    Type i64 = b.getI64Type();
    Value input = op.getInput();
    Value resultValues = op.getValues();
    Value resultIndices = op.getIndices();
    for (int64_t r = 0; r < shape.perThread; ++r) {
      Value e = owned(loc, r);
      Value kept = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, e,
                                         index(loc, op.getKept()));
      auto ifKept = scf::IfOp::create(b, loc, kept, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifKept.thenBlock());
      Value position = arith::AndIOp::create(
          b, loc, values[r],
          arith::ConstantIntOp::create(b, loc, i64, 0xffffffff));
      Value source =
          arith::IndexCastUIOp::create(b, loc, b.getIndexType(), position);
      Value element = memref::LoadOp::create(b, loc, input, at(input, source));
      memref::StoreOp::create(b, loc, element, resultValues,
                              at(resultValues, e));
      memref::StoreOp::create(b, loc, position, resultIndices,
                              at(resultIndices, e));
    }
  }

  codegen::SortRowsOp op;
  OpBuilder b;
  KeyOrder order;
  SortRowsShape shape;
  Value thread, row, shared, firstOwned;
  /// This thread's packed values, element r of its E at values[r].
  SmallVector<Value> values;
};

struct GpuLowerSortRowsPass
    : vmgpu::impl::GpuLowerSortRowsBase<GpuLowerSortRowsPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<GpuTargetDescription> target = lookupGpuTarget(chip);
    if (!target) {
      getOperation().emitError("vm-gpu-lower-sort-rows: unknown chip '")
          << chip << "'";
      return signalPassFailure();
    }
    SmallVector<codegen::SortRowsOp> sorts;
    getOperation().walk([&](codegen::SortRowsOp op) { sorts.push_back(op); });
    for (codegen::SortRowsOp op : sorts)
      SortRowsKernelBuilder(op, target->subgroupSize).build();
  }
};

} // namespace
