//===- LowerContractions.cpp - matrix products -> tiled SIMT kernels ------===//
//
// The strategy `tiled_simt`. A (batched) matrix product becomes one kernel
// whose blocks each own a BM x BN tile of C:
//
//   - the K loop walks BK-wide slices; each slice of A and B is staged in
//     shared memory, both as [BK][BM|BN] (A is stored transposed when K is
//     its contiguous dim, so that the compute loop reads M-contiguous
//     vectors), rows padded by 4 elements against bank conflicts;
//   - global reads are chunks of 4 consecutive elements (one 16-byte
//     `vector.load` for f32) when the contiguous extent is a multiple of 4
//     and the base is aligned (checked in the kernel, uniform), else 4
//     guarded scalar loads; chunks outside the matrix read as zero, so every
//     M, N and K works without touching memory out of bounds;
//   - the shared tiles are double buffered: the next slice is loaded into
//     registers before the current one is computed and stored into the
//     other buffer after it, one barrier per slice;
//   - thread (tx, ty) keeps a TM x TN register tile of accumulators (TM/4 x
//     TN/4 chunks of 4 x 4, the chunks TY*4 rows and TX*4 columns apart, so
//     that a subgroup reads contiguous shared-memory vectors) across the
//     whole K loop and updates it with outer products: `vector.fma` for
//     floats (contractions may fuse: DESIGN.md), multiply and add for
//     integers (exact);
//   - every output element accumulates its K products in order from the
//     initial value, so results do not depend on the tiles' sizes beyond
//     the use of FMA: the same bits on every run.
//
// A `linalg.fill` of the output right before the op is folded into the
// kernel (the accumulators start from the fill value); otherwise the kernel
// reads C first. An elementwise op that alone reads a temporary C runs on
// the accumulators before the store (a fused epilogue: bias, activation,
// rounding to a narrower type), each of its ops as written.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "ContractionEpilogue.h"
#include "ContractionPlan.h"
#include "KernelBuilding.h"
#include "OperandCopies.h"
#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERCONTRACTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Elements of one global chunk and of one register-tile chunk.
constexpr int64_t kChunk = 4;
/// Extra elements per shared-memory row (keeps rows 16-byte aligned).
constexpr int64_t kRowPadding = 4;
/// Static shared memory one block may declare (NVIDIA's limit without
/// opting in to more; AMD's LDS is 64 KiB).
constexpr int64_t kMaxSharedBytes = 48 * 1024;
/// Grid y and z limits (blocks beyond loop inside the kernel).
constexpr int64_t kMaxGridYZ = 65535;

/// The tile sizes of a `tiled_simt` configuration.
struct SimtTiles {
  int64_t bm, bn, bk, tm, tn;
  int64_t threadsX() const { return bn / tn; }
  int64_t threadsY() const { return bm / tm; }
  int64_t threads() const { return threadsX() * threadsY(); }
};

/// Reads the tiles from `config` (cache_tiles: the block tile per loop,
/// register_tiles: the thread tile per loop) and checks that they fit
/// together; a configuration that does not is an error at `op`.
FailureOr<SimtTiles> readSimtTiles(linalg::LinalgOp op,
                                   const ContractionPlan &plan,
                                   const LoweringConfig &config,
                                   int64_t accumulatorBytes) {
  unsigned loops = op.getNumLoops();
  auto fail = [&](const Twine &message) {
    return op->emitOpError() << "tiled_simt configuration: " << message;
  };
  if (config.cacheTiles.size() != loops || config.registerTiles.size() != loops)
    return fail("'cache_tiles' and 'register_tiles' need one size per loop (" +
                Twine(loops) + ")");
  if (plan.batchLoop && (config.cacheTiles[*plan.batchLoop] != 1 ||
                         config.registerTiles[*plan.batchLoop] != 1))
    return fail("the batch loop's tiles must be 1");
  if (config.registerTiles[plan.kLoop] != 1)
    return fail("the K loop's register tile must be 1");
  SimtTiles tiles{config.cacheTiles[plan.mLoop], config.cacheTiles[plan.nLoop],
                  config.cacheTiles[plan.kLoop],
                  config.registerTiles[plan.mLoop],
                  config.registerTiles[plan.nLoop]};
  if ((tiles.tm != 4 && tiles.tm != 8) || (tiles.tn != 4 && tiles.tn != 8))
    return fail("register tiles of M and N must be 4 or 8");
  if (tiles.bm <= 0 || tiles.bn <= 0 || tiles.bm % tiles.tm ||
      tiles.bn % tiles.tn)
    return fail("block tiles of M and N must be multiples of their register "
                "tiles");
  if (tiles.bk <= 0 || tiles.bk % kChunk)
    return fail("the K block tile must be a positive multiple of 4");
  if (config.workgroup[0] != tiles.threadsX() ||
      config.workgroup[1] != tiles.threadsY() || config.workgroup[2] != 1)
    return fail("'workgroup' must be [" + Twine(tiles.threadsX()) + ", " +
                Twine(tiles.threadsY()) + ", 1] (block tile / register tile)");
  // The workgroup (so the thread count) was checked against 1024 when the
  // configuration was read.
  if ((tiles.bm * tiles.bk / kChunk) % tiles.threads() ||
      (tiles.bn * tiles.bk / kChunk) % tiles.threads())
    return fail("the threads must load whole 4-element chunks of each tile "
                "(BM * BK / 4 and BN * BK / 4 multiples of the thread count)");
  int64_t shared =
      2 * tiles.bk * (tiles.bm + tiles.bn + 2 * kRowPadding) * accumulatorBytes;
  if (shared > kMaxSharedBytes)
    return fail("the double-buffered tiles need " + Twine(shared) +
                " bytes of shared memory, more than " + Twine(kMaxSharedBytes));
  return tiles;
}

/// One input as the kernel sees it: a [batch,] P x K matrix (P = M for A,
/// N for B) in either order.
struct Operand {
  Value memref;
  /// True when K is the contiguous dim.
  bool kInnermost;
  Value extentP;
  /// The conversions of its elements to the accumulator type.
  ArrayRef<Operation *> conversions;
  /// Block tile along P and the shared buffer [2][BK][BP + padding].
  int64_t blockP;
  Value shared;
  /// The copy whose source the kernel reads instead of `memref` (an im2col
  /// copy: an implicit GEMM), if any.
  std::optional<CopiedOperand> copied;
  int64_t rowStride() const { return blockP + kRowPadding; }
  /// The buffer the kernel loads from.
  Value loadedBuffer() const {
    return copied ? copied->loadedBuffer() : memref;
  }
};

class SimtContractionBuilder {
public:
  SimtContractionBuilder(linalg::LinalgOp op, const ContractionPlan &plan,
                         const SimtTiles &tiles, Value fillValue,
                         ContractionEpilogue *epilogue,
                         std::optional<CopiedOperand> lhsCopied,
                         std::optional<CopiedOperand> rhsCopied)
      : op(op), plan(plan), tiles(tiles), fillValue(fillValue),
        epilogue(epilogue), lhsCopied(std::move(lhsCopied)),
        rhsCopied(std::move(rhsCopied)), b(op), loc(op.getLoc()) {}

  void build();

private:
  Value cst(int64_t value) { return indexConstant(b, loc, value); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  VectorType vectorOf(int64_t n, Type element) {
    return VectorType::get({n}, element);
  }
  Value zeros(VectorType type) {
    return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  }
  int64_t accumulatorBytes() const {
    return plan.accumulatorType.getIntOrFloatBitWidth() / 8;
  }

  /// The indices of `memref` (laid out [batch,] outer, inner) at (p, k) of
  /// an input, or (m, n) of the output.
  SmallVector<Value> indices(Value batch, Value outer, Value inner) {
    SmallVector<Value> result;
    if (plan.batchLoop)
      result.push_back(batch);
    result.append({outer, inner});
    return result;
  }
  SmallVector<Value> operandIndices(const Operand &operand, Value batch,
                                    Value p, Value k) {
    return operand.kInnermost ? indices(batch, p, k) : indices(batch, k, p);
  }

  /// True (i1, uniform) when `memref` can be read in aligned chunks: its
  /// layout is the identity, its contiguous extent a multiple of 4 and its
  /// base aligned to a chunk.
  Value chunksAligned(Value memref, Value contiguousExtent) {
    if (!isContiguous(memref.getType()))
      return arith::ConstantIntOp::create(b, loc, 0, 1);
    Value multiple = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, loc, contiguousExtent, cst(kChunk)), cst(0));
    return andBaseAligned(b, loc, multiple, memref,
                          vectorAccessBytes(memref, kChunk));
  }

  /// `chunk` (vector<4 x element>) converted to the accumulator type by the
  /// body's conversions, applied elementwise.
  Value convert(Value chunk, ArrayRef<Operation *> conversions) {
    for (Operation *conversion : conversions) {
      OperationState state(loc, conversion->getName());
      state.addOperands(chunk);
      state.addTypes(vectorOf(kChunk, conversion->getResult(0).getType()));
      state.addAttributes(conversion->getAttrs());
      chunk = b.create(state)->getResult(0);
    }
    return chunk;
  }

  /// `then` under `condition`, else `otherwise`; both yield one value of
  /// `type`.
  Value select(Value condition, Type type, function_ref<Value()> then,
               function_ref<Value()> otherwise) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, condition,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, then());
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, otherwise());
    return ifOp.getResult(0);
  }

  /// The chunk of 4 elements of `memref` starting at `index` along its
  /// contiguous dim (`inner` of `indexAt`), each element at that index
  /// below `extent` and the row in range (`rowInRange`), others zero: one
  /// vector load when `aligned`, else guarded scalar loads. With `copied`,
  /// `indexAt` gives the copy's indices and `memref` is the buffer the copy
  /// reads (zero in its padding).
  Value loadChunk(Value memref, Value aligned, Value rowInRange, Value index,
                  Value extent, function_ref<SmallVector<Value>(Value)> indexAt,
                  Type accumulatorType, ArrayRef<Operation *> conversions,
                  const CopiedOperand *copied = nullptr) {
    Type element = getElementTypeOrSelf(memref.getType());
    VectorType raw = vectorOf(kChunk, element);
    VectorType result = vectorOf(kChunk, accumulatorType);
    auto zero = [&](Type type) {
      return arith::ConstantOp::create(b, loc, b.getZeroAttr(type)).getResult();
    };
    // Loads at `at` (inside the matrix): through the copy, zero in its
    // padding.
    auto loadAt = [&](Value at, Type type,
                      function_ref<Value(ValueRange)> load) {
      if (!copied)
        return load(indexAt(at));
      CopiedOperand::Read read = copied->read(b, loc, indexAt(at));
      if (!read.inside)
        return load(read.indices);
      return select(
          read.inside, type, [&] { return load(read.indices); },
          [&] { return zero(type); });
    };
    auto scalars = [&] {
      SmallVector<Value> elements;
      for (int64_t e = 0; e < kChunk; ++e) {
        Value at = add(index, cst(e));
        elements.push_back(select(
            both(rowInRange, ult(at, extent)), element,
            [&] {
              return loadAt(at, element, [&](ValueRange indices) {
                return memref::LoadOp::create(b, loc, memref, indices)
                    .getResult();
              });
            },
            [&] { return zero(element); }));
      }
      Value chunk = vector::FromElementsOp::create(b, loc, raw, elements);
      return convert(chunk, conversions);
    };
    // Strided views are read element by element only, and so are copies
    // whose chunks are not runs of their source.
    if (!isContiguous(memref.getType()) ||
        (copied && !copied->innermostRunsAreContiguous(kChunk)))
      return scalars();
    return select(
        aligned, result,
        [&] {
          // The extent is a multiple of 4: a chunk is all in or all out.
          return select(
              both(rowInRange, ult(index, extent)), result,
              [&] {
                return loadAt(index, result, [&](ValueRange indices) {
                  Value chunk = vector::LoadOp::create(
                      b, loc, raw, memref, indices, /*nontemporal=*/false,
                      llvm::MaybeAlign(vectorAccessBytes(memref, kChunk)));
                  return convert(chunk, conversions);
                });
              },
              [&] { return zeros(result); });
        },
        scalars);
  }

  /// The chunks this thread loads of `operand`'s slice at (kBase, pBase).
  /// Chunk q of the slice (q = tid + i * threads) runs along the
  /// contiguous dim.
  SmallVector<Value> loadSlice(const Operand &operand, Value aligned,
                               Value batch, Value pBase, Value kBase) {
    int64_t perThread = operand.blockP * tiles.bk / kChunk / tiles.threads();
    SmallVector<Value> chunks;
    for (int64_t i = 0; i < perThread; ++i) {
      auto [pOffset, kOffset] = chunkPosition(operand, i);
      Value p = add(pBase, pOffset), k = add(kBase, kOffset);
      const CopiedOperand *copied = operand.copied ? &*operand.copied : nullptr;
      if (operand.kInnermost)
        chunks.push_back(loadChunk(
            operand.loadedBuffer(), aligned, ult(p, operand.extentP), k,
            extentK,
            [&](Value at) { return operandIndices(operand, batch, p, at); },
            plan.accumulatorType, operand.conversions, copied));
      else
        chunks.push_back(loadChunk(
            operand.loadedBuffer(), aligned, ult(k, extentK), p,
            operand.extentP,
            [&](Value at) { return operandIndices(operand, batch, at, k); },
            plan.accumulatorType, operand.conversions, copied));
    }
    return chunks;
  }

  /// (p, k) offsets in the slice of this thread's chunk `i`.
  std::pair<Value, Value> chunkPosition(const Operand &operand, int64_t i) {
    Value q = add(threadId, cst(i * tiles.threads()));
    int64_t perRow = (operand.kInnermost ? tiles.bk : operand.blockP) / kChunk;
    Value row = arith::DivUIOp::create(b, loc, q, cst(perRow));
    Value column =
        mul(arith::RemUIOp::create(b, loc, q, cst(perRow)), cst(kChunk));
    return operand.kInnermost ? std::pair{row, column} : std::pair{column, row};
  }

  /// Stores the chunks of `loadSlice` into shared buffer `buffer` as
  /// [k][p]: K-contiguous chunks element by element (a transpose), others
  /// as one vector.
  void storeSlice(const Operand &operand, ArrayRef<Value> chunks,
                  Value buffer) {
    Value base = mul(buffer, cst(tiles.bk * operand.rowStride()));
    for (auto [i, chunk] : llvm::enumerate(chunks)) {
      auto [p, k] = chunkPosition(operand, i);
      Value at = add(base, add(mul(k, cst(operand.rowStride())), p));
      if (!operand.kInnermost) {
        vector::StoreOp::create(b, loc, chunk, operand.shared, ValueRange{at},
                                /*nontemporal=*/false,
                                llvm::MaybeAlign(kChunk * accumulatorBytes()));
        continue;
      }
      for (int64_t e = 0; e < kChunk; ++e) {
        Value element = vector::ExtractOp::create(b, loc, chunk, e);
        memref::StoreOp::create(
            b, loc, element, operand.shared,
            ValueRange{add(at, cst(e * operand.rowStride()))});
      }
    }
  }

  /// This thread's register-tile fragment of row `kk` of `operand`'s
  /// buffer: `count` elements in chunks of 4, `spacing` apart.
  SmallVector<Value> readFragment(const Operand &operand, Value buffer,
                                  int64_t kk, Value lane, int64_t count,
                                  int64_t spacing) {
    Value base =
        add(mul(buffer, cst(tiles.bk * operand.rowStride())),
            add(cst(kk * operand.rowStride()), mul(lane, cst(kChunk))));
    SmallVector<Value> chunks;
    for (int64_t c = 0; c < count / kChunk; ++c)
      chunks.push_back(vector::LoadOp::create(
          b, loc, vectorOf(kChunk, plan.accumulatorType), operand.shared,
          ValueRange{add(base, cst(c * spacing))}, /*nontemporal=*/false,
          llvm::MaybeAlign(kChunk * accumulatorBytes())));
    return chunks;
  }

  /// One vector of the chunks, in order.
  Value concat(ArrayRef<Value> chunks) {
    Value whole = chunks.front();
    for (Value chunk : chunks.drop_front()) {
      int64_t size = cast<VectorType>(whole.getType()).getNumElements();
      SmallVector<int64_t> mask =
          llvm::to_vector(llvm::seq<int64_t>(0, size + kChunk));
      whole = vector::ShuffleOp::create(b, loc, whole, chunk, mask);
    }
    return whole;
  }

  /// The register tile after the BK steps of shared buffer `buffer`.
  SmallVector<Value> computeSlice(Value buffer, SmallVector<Value> acc) {
    VectorType row = vectorOf(tiles.tn, plan.accumulatorType);
    for (int64_t kk = 0; kk < tiles.bk; ++kk) {
      SmallVector<Value> a = readFragment(lhs, buffer, kk, threadY, tiles.tm,
                                          tiles.threadsY() * kChunk);
      Value bRow = concat(readFragment(rhs, buffer, kk, threadX, tiles.tn,
                                       tiles.threadsX() * kChunk));
      for (int64_t i = 0; i < tiles.tm; ++i) {
        Value aElement =
            vector::ExtractOp::create(b, loc, a[i / kChunk], i % kChunk);
        Value aRow = vector::BroadcastOp::create(b, loc, row, aElement);
        if (plan.isFloat())
          acc[i] = vector::FMAOp::create(b, loc, aRow, bRow, acc[i]);
        else
          acc[i] = arith::AddIOp::create(
              b, loc, acc[i], arith::MulIOp::create(b, loc, aRow, bRow));
      }
    }
    return acc;
  }

  /// Row `i` of the register tile and column chunk `c`: (m, n) in C.
  std::pair<Value, Value> outputPosition(Value mBase, Value nBase, int64_t i,
                                         int64_t c) {
    Value m = add(
        mBase, add(mul(threadY, cst(kChunk)),
                   cst((i / kChunk) * tiles.threadsY() * kChunk + i % kChunk)));
    Value n = add(nBase, add(mul(threadX, cst(kChunk)),
                             cst(c * tiles.threadsX() * kChunk)));
    return {m, n};
  }

  /// The register tile's start: the fill value, or C.
  SmallVector<Value> initialTile(Value outAligned, Value batch, Value mBase,
                                 Value nBase) {
    VectorType row = vectorOf(tiles.tn, plan.accumulatorType);
    SmallVector<Value> acc;
    for (int64_t i = 0; i < tiles.tm; ++i) {
      if (fillValue) {
        acc.push_back(vector::BroadcastOp::create(b, loc, row, fillValue));
        continue;
      }
      SmallVector<Value> chunks;
      for (int64_t c = 0; c < tiles.tn / kChunk; ++c) {
        Value m, n;
        std::tie(m, n) = outputPosition(mBase, nBase, i, c);
        chunks.push_back(
            loadChunk(out, outAligned, ult(m, extentM), n, extentN,
                      [&](Value at) { return indices(batch, m, at); },
                      plan.accumulatorType, {}));
      }
      acc.push_back(concat(chunks));
    }
    return acc;
  }

  /// Writes the register tile into C: chunks inside it as one vector store
  /// when C is aligned, elements inside it otherwise.
  void storeTile(ArrayRef<Value> acc, Value outAligned, Value batch,
                 Value mBase, Value nBase) {
    for (int64_t i = 0; i < tiles.tm; ++i) {
      for (int64_t c = 0; c < tiles.tn / kChunk; ++c) {
        auto [m, n] = outputPosition(mBase, nBase, i, c);
        // A shuffle: extract_strided_slice has no lowering to LLVM of its
        // own.
        SmallVector<int64_t> mask =
            llvm::to_vector(llvm::seq<int64_t>(c * kChunk, (c + 1) * kChunk));
        Value chunk = vector::ShuffleOp::create(b, loc, acc[i], acc[i], mask);
        Value rowInRange = ult(m, extentM);
        Value target = result();
        OpBuilder::InsertionGuard guard(b);
        if (isContiguous(target.getType())) {
          auto ifAligned = scf::IfOp::create(b, loc, outAligned,
                                             /*withElseRegion=*/true);
          b.setInsertionPointToStart(ifAligned.thenBlock());
          auto ifInside =
              scf::IfOp::create(b, loc, both(rowInRange, ult(n, extentN)));
          b.setInsertionPointToStart(ifInside.thenBlock());
          Value stored = chunk;
          if (epilogue) {
            SmallVector<Value> elements;
            for (int64_t e = 0; e < kChunk; ++e)
              elements.push_back(
                  applyEpilogue(vector::ExtractOp::create(b, loc, chunk, e),
                                batch, m, add(n, cst(e))));
            stored = vector::FromElementsOp::create(
                b, loc,
                vectorOf(kChunk, getElementTypeOrSelf(target.getType())),
                elements);
          }
          vector::StoreOp::create(
              b, loc, stored, target, indices(batch, m, n),
              /*nontemporal=*/false,
              llvm::MaybeAlign(vectorAccessBytes(target, kChunk)));
          b.setInsertionPointToStart(ifAligned.elseBlock());
        }
        for (int64_t e = 0; e < kChunk; ++e) {
          Value at = add(n, cst(e));
          auto ifElement =
              scf::IfOp::create(b, loc, both(rowInRange, ult(at, extentN)));
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPointToStart(ifElement.thenBlock());
          Value element = vector::ExtractOp::create(b, loc, chunk, e);
          if (epilogue)
            element = applyEpilogue(element, batch, m, at);
          memref::StoreOp::create(b, loc, element, target,
                                  indices(batch, m, at));
        }
      }
    }
  }

  /// Where the tile goes: the epilogue's output, or C.
  Value result() { return epilogue ? epilogue->output() : out; }

  /// The epilogue's value at (batch, m, n) from C's element there.
  Value applyEpilogue(Value element, Value batch, Value m, Value n) {
    SmallVector<Value> loops;
    if (plan.batchLoop)
      loops.push_back(batch);
    loops.append({m, n});
    return emitEpilogueElement(b, loc, *epilogue, out, element, loops);
  }

  /// The block's work on one output tile.
  void emitTile(Value batch, Value mBase, Value nBase, Value lhsAligned,
                Value rhsAligned, Value outAligned);

  linalg::LinalgOp op;
  const ContractionPlan &plan;
  SimtTiles tiles;
  Value fillValue;
  /// An elementwise op applied to C in the same kernel (or null).
  ContractionEpilogue *epilogue;
  std::optional<CopiedOperand> lhsCopied, rhsCopied;
  OpBuilder b;
  Location loc;
  Operand lhs, rhs;
  Value out, extentM, extentN, extentK;
  Value threadX, threadY, threadId;
};

void SimtContractionBuilder::emitTile(Value batch, Value mBase, Value nBase,
                                      Value lhsAligned, Value rhsAligned,
                                      Value outAligned) {
  SmallVector<Value> acc = initialTile(outAligned, batch, mBase, nBase);
  Value slices = arith::CeilDivUIOp::create(b, loc, extentK, cst(tiles.bk));
  Value zero = cst(0), one = cst(1);
  // Slice 0 into buffer 0.
  auto ifAny = scf::IfOp::create(b, loc, ult(zero, slices));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifAny.thenBlock());
    SmallVector<Value> a = loadSlice(lhs, lhsAligned, batch, mBase, zero);
    SmallVector<Value> bb = loadSlice(rhs, rhsAligned, batch, nBase, zero);
    storeSlice(lhs, a, zero);
    storeSlice(rhs, bb, zero);
    gpu::BarrierOp::create(b, loc);
  }
  auto loop = scf::ForOp::create(b, loc, zero, slices, one, acc);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value slice = loop.getInductionVar();
    Value buffer = arith::RemUIOp::create(b, loc, slice, cst(2));
    Value next = add(slice, one);
    Value hasNext = ult(next, slices);
    Value kNext = mul(next, cst(tiles.bk));
    // Issue the next slice's global loads before computing this one.
    SmallVector<Type> chunkTypes;
    int64_t lhsChunks = lhs.blockP * tiles.bk / kChunk / tiles.threads();
    int64_t rhsChunks = rhs.blockP * tiles.bk / kChunk / tiles.threads();
    chunkTypes.assign(lhsChunks + rhsChunks,
                      vectorOf(kChunk, plan.accumulatorType));
    auto prefetch = scf::IfOp::create(b, loc, chunkTypes, hasNext,
                                      /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(prefetch.thenBlock());
      SmallVector<Value> chunks =
          loadSlice(lhs, lhsAligned, batch, mBase, kNext);
      llvm::append_range(chunks,
                         loadSlice(rhs, rhsAligned, batch, nBase, kNext));
      scf::YieldOp::create(b, loc, chunks);
      b.setInsertionPointToStart(prefetch.elseBlock());
      SmallVector<Value> none;
      for (Type type : chunkTypes)
        none.push_back(zeros(cast<VectorType>(type)));
      scf::YieldOp::create(b, loc, none);
    }
    SmallVector<Value> updated =
        computeSlice(buffer, SmallVector<Value>(loop.getRegionIterArgs()));
    auto ifNext = scf::IfOp::create(b, loc, hasNext);
    {
      OpBuilder::InsertionGuard inner(b);
      b.setInsertionPointToStart(ifNext.thenBlock());
      Value other = arith::SubIOp::create(b, loc, one, buffer);
      SmallVector<Value> chunks(prefetch.getResults());
      storeSlice(lhs, ArrayRef<Value>(chunks).take_front(lhsChunks), other);
      storeSlice(rhs, ArrayRef<Value>(chunks).drop_front(lhsChunks), other);
    }
    // Everyone is done with `buffer` (it is refilled two slices on) and the
    // other buffer is complete.
    gpu::BarrierOp::create(b, loc);
    scf::YieldOp::create(b, loc, updated);
  }
  storeTile(SmallVector<Value>(loop.getResults()), outAligned, batch, mBase,
            nBase);
}

void SimtContractionBuilder::build() {
  Value lhsMemref = op.getDpsInputOperand(0)->get();
  Value rhsMemref = op.getDpsInputOperand(1)->get();
  out = op.getDpsInitOperand(0)->get();
  int64_t first = plan.batchLoop ? 1 : 0;
  Value batches = plan.batchLoop
                      ? memref::DimOp::create(b, loc, out, 0).getResult()
                      : cst(1);
  extentM = memref::DimOp::create(b, loc, out, first);
  extentN = memref::DimOp::create(b, loc, out, first + 1);
  extentK = memref::DimOp::create(b, loc, lhsMemref,
                                  plan.lhsKInnermost ? first + 1 : first);

  auto sharedType = [&](int64_t blockP) {
    return MemRefType::get({2 * tiles.bk * (blockP + kRowPadding)},
                           plan.accumulatorType, MemRefLayoutAttrInterface(),
                           gpu::AddressSpaceAttr::get(
                               b.getContext(), gpu::AddressSpace::Workgroup));
  };
  Value one = cst(1);
  Value gridX = arith::MaxUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, extentN, cst(tiles.bn)), one);
  Value mTiles = arith::CeilDivUIOp::create(b, loc, extentM, cst(tiles.bm));
  auto clampGrid = [&](Value count) {
    return arith::MinUIOp::create(
        b, loc, arith::MaxUIOp::create(b, loc, count, one), cst(kMaxGridYZ));
  };
  auto launch = gpu::LaunchOp::create(
      b, loc, gridX, clampGrid(mTiles), clampGrid(batches),
      cst(tiles.threadsX()), cst(tiles.threadsY()), one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{},
      TypeRange{sharedType(tiles.bm), sharedType(tiles.bn)});
  b.setInsertionPointToStart(&launch.getBody().front());
  threadX = launch.getThreadIds().x;
  threadY = launch.getThreadIds().y;
  threadId = add(mul(threadY, cst(tiles.threadsX())), threadX);
  lhs = {lhsMemref, plan.lhsKInnermost,
         extentM,   plan.lhsConversions,
         tiles.bm,  launch.getWorkgroupAttributions()[0],
         lhsCopied};
  rhs = {rhsMemref, plan.rhsKInnermost,
         extentN,   plan.rhsConversions,
         tiles.bn,  launch.getWorkgroupAttributions()[1],
         rhsCopied};
  auto contiguousExtent = [&](const Operand &operand) {
    return operand.kInnermost ? extentK : operand.extentP;
  };
  Value lhsAligned = chunksAligned(lhs.loadedBuffer(), contiguousExtent(lhs));
  Value rhsAligned = chunksAligned(rhs.loadedBuffer(), contiguousExtent(rhs));
  Value outAligned = chunksAligned(result(), extentN);
  Value nBase = mul(launch.getBlockIds().x, cst(tiles.bn));
  // Batches and row tiles beyond the grid's limits loop.
  auto batchLoop = scf::ForOp::create(b, loc, launch.getBlockIds().z, batches,
                                      launch.getGridSize().z);
  b.setInsertionPointToStart(batchLoop.getBody());
  auto rowLoop = scf::ForOp::create(b, loc, launch.getBlockIds().y, mTiles,
                                    launch.getGridSize().y);
  b.setInsertionPointToStart(rowLoop.getBody());
  emitTile(batchLoop.getInductionVar(),
           mul(rowLoop.getInductionVar(), cst(tiles.bm)), nBase, lhsAligned,
           rhsAligned, outAligned);
  b.setInsertionPointAfter(batchLoop);
  gpu::TerminatorOp::create(b, loc);
}

struct GpuLowerContractionsPass
    : vmgpu::impl::GpuLowerContractionsBase<GpuLowerContractionsPass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::TiledSimt);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (!isLowerableOnBuffers(op))
        continue;
      FailureOr<ContractionPlan> plan = planContraction(op);
      if (failed(plan))
        continue; // Declined: the fallback lowers it.
      FailureOr<SimtTiles> tiles = readSimtTiles(
          op, *plan, config, plan->accumulatorType.getIntOrFloatBitWidth() / 8);
      if (failed(tiles))
        return signalPassFailure();
      linalg::FillOp fill = precedingFill(op, plan->accumulatorType);
      std::optional<ContractionEpilogue> epilogue =
          findContractionEpilogue(op, fill);
      // Inputs filled by a copy (an im2col copy) are read at the copy's
      // source, where the chunks stay vector loads; the copy and its buffer
      // go.
      ReadThroughCopies copies =
          findReadThroughCopies(op, epilogue, kChunk, {true, true});
      SimtContractionBuilder(
          op, *plan, *tiles, fill ? fill.getInputs().front() : Value(),
          epilogue ? &*epilogue : nullptr, copies.lhs, copies.rhs)
          .build();
      op->erase();
      copies.eraseDeadOps();
      if (fill)
        fill->erase();
      if (epilogue)
        eraseContractionEpilogue(*epilogue);
    }
  }
};

} // namespace
