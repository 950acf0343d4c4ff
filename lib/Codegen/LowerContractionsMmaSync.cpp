//===- LowerContractionsMmaSync.cpp - matrix products -> tensor cores -----===//
//
// The strategy `mma_sync` (NVIDIA sm_80 and later). A (batched) matrix
// product of f16 or bf16 inputs accumulated in f32, or of i8 inputs
// accumulated in i32, becomes one kernel whose blocks each own a BM x BN
// tile of C, cut into warp tiles of WM x WN:
//
//   - the K loop walks BK-wide slices; `pipeline_depth` (S) shared-memory
//     stages hold slices k .. k + S - 1: the copies of slice k + S - 1 are
//     issued (16-byte `cp.async`, one commit group per slice) before slice
//     k is computed, and one `cp.async.wait_group S - 2` plus one barrier
//     per slice make slice k visible to every warp and stage k - 1 free;
//   - each operand keeps the layout of its global tile in shared memory
//     ([P][BK] when K is contiguous, [BK][P] otherwise; P = M for A, N for
//     B), 16-byte chunks XOR-swizzled within each 128-byte line so that the
//     eight rows an `ldmatrix` reads fall in different banks; i8 operands
//     are always stored [P][BK] (ldmatrix transposes 16-bit elements only)
//     and so transposed on the way in when their contiguous dim is P;
//   - a chunk is a `cp.async` when the operand's layout is the identity,
//     its contiguous extent a multiple of 16 bytes and its base aligned
//     (checked in the kernel, uniform); chunks outside the matrix copy zero
//     bytes and zero-fill. An i8 operand stored transposed is read in
//     aligned 16-byte vectors along P (coalesced) when its P extent is a
//     multiple of 16 and its base aligned, and stored byte by byte down the
//     K-contiguous tile. Otherwise (odd sizes, strided views) a chunk is
//     read with guarded scalar loads, zero outside, and stored with one
//     16-byte store: any M, N and K (0 included);
//   - every warp reads its fragments with `ldmatrix.x4` (`.trans` for a
//     16-bit operand stored [BK][P]) and accumulates with `mma.sync`
//     m16n8k16 (f16/bf16 -> f32) or m16n8k32 (s8 -> s32, wrapping like the
//     body's `arith.addi`, not saturating); its WM x WN accumulators are
//     scalars carried by the K loop, never re-read from memory;
//   - a `linalg.fill` of the output right before the op is folded (the
//     accumulators start from its value), else C is read first; the fused
//     elementwise epilogue of `tiled_simt` (ContractionEpilogue.h) runs on
//     each accumulator before its guarded store (the two adjacent columns
//     of a fragment row as one aligned store when C allows it), so an f16
//     result is rounded once from the f32 accumulator.
//
// Sum order: the hardware adds the products of one instruction's K slice
// in an order of its own, so results can differ from `tiled_simt` in the
// last bits of f32 (contractions are held to the accumulation tolerance:
// DESIGN.md); they do not depend on the run, and i8 -> i32 is exact.
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
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERCONTRACTIONSMMASYNC
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

constexpr int64_t kWarpSize = 32;
/// One `cp.async`, one row of an `ldmatrix` 8 x 8 matrix.
constexpr int64_t kChunkBytes = 16;
/// Chunks of one 128-byte line: the span of the XOR swizzle.
constexpr int64_t kChunksPerLine = 8;
/// The instruction's M and N; its K is 32 bytes of inputs.
constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaKBytes = 32;
/// Static shared memory one block may declare without opting in to more.
constexpr int64_t kMaxSharedBytes = 48 * 1024;
/// Grid y and z limits (blocks beyond loop inside the kernel).
constexpr int64_t kMaxGridYZ = 65535;

/// The tile sizes of an `mma_sync` configuration.
struct MmaTiles {
  int64_t bm, bn, bk, wm, wn, stages;
  int64_t warpsM() const { return bm / wm; }
  int64_t warpsN() const { return bn / wn; }
  int64_t threads() const { return warpsM() * warpsN() * kWarpSize; }
};

int64_t bytesOf(Type type) { return type.getIntOrFloatBitWidth() / 8; }

/// Reads the tiles from `config` and checks that they fit together for
/// `input` elements; a configuration that does not is an error at `op`.
FailureOr<MmaTiles> readMmaTiles(linalg::LinalgOp op,
                                 const ContractionPlan &plan,
                                 const LoweringConfig &config, Type input) {
  unsigned loops = op.getNumLoops();
  auto fail = [&](const Twine &message) {
    return op->emitOpError() << "mma_sync configuration: " << message;
  };
  if (!input)
    return fail("the inputs must be f16 or bf16 with an f32 accumulator, or "
                "i8 with an i32 accumulator");
  if (config.cacheTiles.size() != loops || config.registerTiles.size() != loops)
    return fail("'cache_tiles' and 'register_tiles' need one size per loop (" +
                Twine(loops) + ")");
  if (plan.batchLoop && (config.cacheTiles[*plan.batchLoop] != 1 ||
                         config.registerTiles[*plan.batchLoop] != 1))
    return fail("the batch loop's tiles must be 1");
  int64_t elementBytes = bytesOf(input);
  int64_t instructionK = kMmaKBytes / elementBytes;
  if (config.registerTiles[plan.kLoop] != instructionK)
    return fail("the K loop's register tile must be the instruction's K (" +
                Twine(instructionK) + ")");
  MmaTiles tiles{
      config.cacheTiles[plan.mLoop],    config.cacheTiles[plan.nLoop],
      config.cacheTiles[plan.kLoop],    config.registerTiles[plan.mLoop],
      config.registerTiles[plan.nLoop], config.pipelineDepth};
  // ldmatrix.x4 covers 16 rows of A and 16 columns of B.
  if (tiles.wm <= 0 || tiles.wn <= 0 || tiles.wm % 16 || tiles.wn % 16)
    return fail("warp tiles (register_tiles) of M and N must be positive "
                "multiples of 16");
  if (tiles.bm <= 0 || tiles.bn <= 0 || tiles.bm % tiles.wm ||
      tiles.bn % tiles.wn)
    return fail("block tiles of M and N must be multiples of the warp tiles");
  if (tiles.bk <= 0 || tiles.bk % instructionK)
    return fail("the K block tile must be a positive multiple of " +
                Twine(instructionK));
  if (config.workgroup[0] != tiles.threads() || config.workgroup[1] != 1 ||
      config.workgroup[2] != 1)
    return fail("'workgroup' must be [" + Twine(tiles.threads()) +
                ", 1, 1] (32 threads per warp tile)");
  if (tiles.stages < 2)
    return fail("'pipeline_depth' must be at least 2");
  // Rows of whole chunks, a power of two of them (the swizzle permutes
  // chunks within 128-byte lines), and whole chunks per thread.
  for (int64_t rowBytes : {tiles.bk * elementBytes, tiles.bm * elementBytes,
                           tiles.bn * elementBytes})
    if (rowBytes % kChunkBytes || !llvm::isPowerOf2_64(rowBytes / kChunkBytes))
      return fail("BM, BN and BK must each span a power of two of 16-byte "
                  "chunks");
  for (int64_t blockP : {tiles.bm, tiles.bn})
    if ((blockP * tiles.bk * elementBytes / kChunkBytes) % tiles.threads())
      return fail("the threads must copy whole 16-byte chunks of each tile "
                  "(BM * BK and BN * BK bytes / 16 multiples of the thread "
                  "count)");
  int64_t shared =
      tiles.stages * (tiles.bm + tiles.bn) * tiles.bk * elementBytes;
  if (shared > kMaxSharedBytes)
    return fail("the pipelined tiles need " + Twine(shared) +
                " bytes of shared memory, more than " + Twine(kMaxSharedBytes));
  return tiles;
}

/// One input as the kernel sees it: a [batch,] P x K matrix (P = M for A,
/// N for B) in either order, and its shared-memory stages.
struct MmaOperand {
  Value memref;
  /// True when K is the contiguous dim in memory.
  bool kInnermost;
  /// True when the shared tile is [P][BK] (K contiguous), else [BK][P].
  bool sharedKInnermost;
  Value extentP;
  int64_t blockP;
  /// The flat workgroup buffer of the stages.
  Value shared;
  /// i1, uniform: the tile's chunks may be copied with cp.async.
  Value asyncCopies;
  /// i1, uniform: an operand stored transposed in shared memory (i8 with P
  /// contiguous) may be read in aligned 16-byte vectors along P.
  Value vectorTransposed;
  /// The copy whose source the kernel reads instead of `memref` (an im2col
  /// copy: an implicit GEMM), if any.
  std::optional<CopiedOperand> copied;

  /// The buffer the kernel loads from.
  Value loadedBuffer() const {
    return copied ? copied->loadedBuffer() : memref;
  }

  int64_t rows(int64_t bk) const { return sharedKInnermost ? blockP : bk; }
  int64_t rowElements(int64_t bk) const {
    return sharedKInnermost ? bk : blockP;
  }
};

class MmaContractionBuilder {
public:
  MmaContractionBuilder(linalg::LinalgOp op, const ContractionPlan &plan,
                        const MmaTiles &tiles, Type input, Value fillValue,
                        ContractionEpilogue *epilogue,
                        std::optional<CopiedOperand> lhsCopied,
                        std::optional<CopiedOperand> rhsCopied)
      : op(op), plan(plan), tiles(tiles), input(input), fillValue(fillValue),
        epilogue(epilogue), lhsCopied(std::move(lhsCopied)),
        rhsCopied(std::move(rhsCopied)), b(op), loc(op.getLoc()),
        chunkElements(kChunkBytes / bytesOf(input)),
        instructionK(kMmaKBytes / bytesOf(input)) {}

  void build();

private:
  Value cst(int64_t value) { return indexConstant(b, loc, value); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value div(Value x, int64_t y) {
    return arith::DivUIOp::create(b, loc, x, cst(y));
  }
  Value rem(Value x, int64_t y) {
    return arith::RemUIOp::create(b, loc, x, cst(y));
  }
  Value ult(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value pick(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  Value zero(Type type) {
    return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
  }

  /// `then` under `condition`, else zero of `type`.
  Value loadOrZero(Value condition, Type type, function_ref<Value()> then) {
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{type}, condition,
                                  /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, then());
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, zero(type));
    return ifOp.getResult(0);
  }

  /// The indices of a [batch,] outer x inner memref.
  SmallVector<Value> indices(Value batch, Value outer, Value inner) {
    SmallVector<Value> result;
    if (plan.batchLoop)
      result.push_back(batch);
    result.append({outer, inner});
    return result;
  }
  SmallVector<Value> operandIndices(const MmaOperand &operand, Value batch,
                                    Value p, Value k) {
    return operand.kInnermost ? indices(batch, p, k) : indices(batch, k, p);
  }
  /// How to read the element at (p, k) (inside the matrix) from
  /// `operand.loadedBuffer()`: its indices there, and whether it is there
  /// at all (null: always; else zero padding).
  CopiedOperand::Read operandRead(const MmaOperand &operand, Value batch,
                                  Value p, Value k) {
    SmallVector<Value> matrixIndices = operandIndices(operand, batch, p, k);
    if (operand.copied)
      return operand.copied->read(b, loc, matrixIndices);
    return {matrixIndices, Value()};
  }

  /// The element offset in `operand`'s buffer of chunk `chunk` of row `row`
  /// of stage `stage`. Chunk q of a stage (row-major) is stored at q ^ key,
  /// key < 8 (a permutation of each 128-byte line): the row within a line
  /// of 8 rows when rows span at least a line, else the line; so the 8
  /// chunks an ldmatrix matrix reads (8 consecutive rows, one chunk
  /// column) land in 8 different bank groups.
  Value sharedOffset(const MmaOperand &operand, Value stage, Value row,
                     Value chunk) {
    int64_t perRow = operand.rowElements(tiles.bk) / chunkElements;
    Value q = add(mul(row, cst(perRow)), chunk);
    Value key = rem(perRow >= kChunksPerLine ? row : div(q, kChunksPerLine),
                    kChunksPerLine);
    Value swizzled = arith::XOrIOp::create(b, loc, q, key);
    int64_t stageElements =
        operand.rows(tiles.bk) * operand.rowElements(tiles.bk);
    return add(mul(stage, cst(stageElements)),
               mul(swizzled, cst(chunkElements)));
  }

  /// (p, k) in the slice of element `e` of shared chunk (row, chunk).
  std::pair<Value, Value> slicePosition(const MmaOperand &operand, Value row,
                                        Value chunk, int64_t e) {
    Value along = add(mul(chunk, cst(chunkElements)), cst(e));
    return operand.sharedKInnermost ? std::pair{row, along}
                                    : std::pair{along, row};
  }

  /// Issues this thread's copies of `operand`'s slice at (pBase, kBase)
  /// into stage `stage`.
  void fillSlice(const MmaOperand &operand, Value batch, Value pBase,
                 Value kBase, Value stage);
  void copyChunkAsync(const MmaOperand &operand, Value batch, Value pBase,
                      Value kBase, Value stage, Value row, Value chunk);
  void copyChunkSync(const MmaOperand &operand, Value batch, Value pBase,
                     Value kBase, Value stage, Value row, Value chunk);
  /// Chunk `chunk` along P of row `k` of the global slice: one aligned
  /// vector load, its elements stored one by one down the K-contiguous
  /// shared tile (a transpose).
  void copyChunkTransposed(const MmaOperand &operand, Value batch, Value pBase,
                           Value kBase, Value stage, Value k, Value chunk);

  /// The accumulators after the BK / instructionK steps of stage `stage`.
  SmallVector<Value> computeSlice(Value stage, SmallVector<Value> acc);
  /// The words of an ldmatrix.x4 of `operand` at (row, chunk) of `stage`
  /// (this lane's address).
  Value loadMatrices(const MmaOperand &operand, Value stage, Value row,
                     Value chunk);
  /// Register `r` of a fragment as the mma operand: vector<2xf16> for f16,
  /// an i32 of packed elements otherwise.
  Value fragmentWord(Value fragment, int64_t r);
  /// c[0..3] + a * b for one 16 x 8 tile.
  SmallVector<Value> emitMma(ArrayRef<Value> a, ArrayRef<Value> bWords,
                             ArrayRef<Value> c);

  /// (m, n) in C of accumulator `r` (0..3) of tile (mi, ni).
  std::pair<Value, Value> accumulatorPosition(Value mBase, Value nBase,
                                              int64_t mi, int64_t ni,
                                              int64_t r) {
    Value m = add(
        mBase, add(warpRow, add(cst(mi * kMmaM + (r / 2) * 8), div(lane, 4))));
    Value n = add(nBase, add(warpColumn, add(cst(ni * kMmaN + r % 2),
                                             mul(rem(lane, 4), cst(2)))));
    return {m, n};
  }
  int64_t tilesM() const { return tiles.wm / kMmaM; }
  int64_t tilesN() const { return tiles.wn / kMmaN; }

  SmallVector<Value> initialAccumulators(Value batch, Value mBase, Value nBase);
  void storeAccumulators(ArrayRef<Value> acc, Value batch, Value mBase,
                         Value nBase);
  void emitTile(Value batch, Value mBase, Value nBase);

  linalg::LinalgOp op;
  const ContractionPlan &plan;
  MmaTiles tiles;
  /// The element type of both inputs.
  Type input;
  Value fillValue;
  ContractionEpilogue *epilogue;
  std::optional<CopiedOperand> lhsCopied, rhsCopied;
  OpBuilder b;
  Location loc;
  /// Elements of one 16-byte chunk; the instruction's K.
  int64_t chunkElements, instructionK;
  MmaOperand lhs, rhs;
  Value out, extentM, extentN, extentK;
  Value threadId, lane, warpRow, warpColumn;
};

void MmaContractionBuilder::copyChunkAsync(const MmaOperand &operand,
                                           Value batch, Value pBase,
                                           Value kBase, Value stage, Value row,
                                           Value chunk) {
  auto [p, k] = slicePosition(operand, row, chunk, 0);
  p = add(pBase, p);
  k = add(kBase, k);
  // The contiguous extent is a multiple of the chunk: all in or all out
  // (of the matrix, and of a copied operand's padding). Outside, zero bytes
  // are read (from index 0, inside a non-empty buffer) and the chunk is
  // zero-filled.
  Value inside = both(ult(p, operand.extentP), ult(k, extentK));
  CopiedOperand::Read read = operandRead(operand, batch, p, k);
  if (read.inside)
    inside = both(inside, read.inside);
  Value c0 = cst(0);
  for (Value &index : read.indices)
    index = pick(inside, index, c0);
  nvgpu::DeviceAsyncCopyOp::create(
      b, loc, operand.shared,
      ValueRange{sharedOffset(operand, stage, row, chunk)},
      operand.loadedBuffer(), read.indices, b.getIndexAttr(chunkElements),
      pick(inside, cst(chunkElements), c0), b.getUnitAttr());
}

void MmaContractionBuilder::copyChunkSync(const MmaOperand &operand,
                                          Value batch, Value pBase, Value kBase,
                                          Value stage, Value row, Value chunk) {
  SmallVector<Value> elements;
  for (int64_t e = 0; e < chunkElements; ++e) {
    Value p, k;
    std::tie(p, k) = slicePosition(operand, row, chunk, e);
    p = add(pBase, p);
    k = add(kBase, k);
    Value inMatrix = both(ult(p, operand.extentP), ult(k, extentK));
    if (!operand.copied) {
      elements.push_back(loadOrZero(inMatrix, input, [&] {
        return memref::LoadOp::create(b, loc, operand.memref,
                                      operandIndices(operand, batch, p, k))
            .getResult();
      }));
      continue;
    }
    // The position is read only inside the matrix, padding inside that.
    elements.push_back(loadOrZero(inMatrix, input, [&] {
      CopiedOperand::Read read = operandRead(operand, batch, p, k);
      auto load = [&] {
        return memref::LoadOp::create(b, loc, operand.loadedBuffer(),
                                      read.indices)
            .getResult();
      };
      return read.inside ? loadOrZero(read.inside, input, load) : load();
    }));
  }
  Value vector = vector::FromElementsOp::create(
      b, loc, VectorType::get({chunkElements}, input), elements);
  vector::StoreOp::create(b, loc, vector, operand.shared,
                          ValueRange{sharedOffset(operand, stage, row, chunk)},
                          /*nontemporal=*/false, llvm::MaybeAlign(kChunkBytes));
}

void MmaContractionBuilder::copyChunkTransposed(const MmaOperand &operand,
                                                Value batch, Value pBase,
                                                Value kBase, Value stage,
                                                Value k, Value chunk) {
  Value pInTile = mul(chunk, cst(chunkElements));
  Value p = add(pBase, pInTile), kInMatrix = add(kBase, k);
  // The P extent is a multiple of the chunk: all in or all out.
  VectorType type = VectorType::get({chunkElements}, input);
  Value vector = loadOrZero(
      both(ult(p, operand.extentP), ult(kInMatrix, extentK)), type, [&] {
        return vector::LoadOp::create(
                   b, loc, type, operand.memref,
                   operandIndices(operand, batch, p, kInMatrix),
                   /*nontemporal=*/false, llvm::MaybeAlign(kChunkBytes))
            .getResult();
      });
  Value kChunk = div(k, chunkElements), kWithin = rem(k, chunkElements);
  for (int64_t e = 0; e < chunkElements; ++e) {
    Value row = add(pInTile, cst(e));
    memref::StoreOp::create(
        b, loc, vector::ExtractOp::create(b, loc, vector, e), operand.shared,
        ValueRange{add(sharedOffset(operand, stage, row, kChunk), kWithin)});
  }
}

void MmaContractionBuilder::fillSlice(const MmaOperand &operand, Value batch,
                                      Value pBase, Value kBase, Value stage) {
  int64_t perRow = operand.rowElements(tiles.bk) / chunkElements;
  int64_t chunks = operand.rows(tiles.bk) * perRow;
  auto forEachChunk = [&](auto copy) {
    for (int64_t i = 0; i < chunks / tiles.threads(); ++i) {
      Value q = add(threadId, cst(i * tiles.threads()));
      (this->*copy)(operand, batch, pBase, kBase, stage, div(q, perRow),
                    rem(q, perRow));
    }
  };
  // The fast path when the run-time check allows it, else guarded scalars.
  Value fast =
      operand.asyncCopies ? operand.asyncCopies : operand.vectorTransposed;
  if (!fast) {
    forEachChunk(&MmaContractionBuilder::copyChunkSync);
    return;
  }
  auto ifFast = scf::IfOp::create(b, loc, fast, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifFast.thenBlock());
  if (operand.asyncCopies) {
    forEachChunk(&MmaContractionBuilder::copyChunkAsync);
  } else {
    // Global chunks run along P (coalesced): BK rows of BP / chunk each.
    int64_t globalPerRow = operand.blockP / chunkElements;
    for (int64_t i = 0; i < chunks / tiles.threads(); ++i) {
      Value q = add(threadId, cst(i * tiles.threads()));
      copyChunkTransposed(operand, batch, pBase, kBase, stage,
                          div(q, globalPerRow), rem(q, globalPerRow));
    }
  }
  b.setInsertionPointToStart(ifFast.elseBlock());
  forEachChunk(&MmaContractionBuilder::copyChunkSync);
}

Value MmaContractionBuilder::loadMatrices(const MmaOperand &operand,
                                          Value stage, Value row, Value chunk) {
  int64_t wordsPerRegister = 4 / bytesOf(input);
  return nvgpu::LdMatrixOp::create(
      b, loc, VectorType::get({4, wordsPerRegister}, input), operand.shared,
      ValueRange{sharedOffset(operand, stage, row, chunk)},
      /*transpose=*/!operand.sharedKInnermost, /*numTiles=*/4);
}

Value MmaContractionBuilder::fragmentWord(Value fragment, int64_t r) {
  Value registerValue = vector::ExtractOp::create(b, loc, fragment, r);
  if (input.isF16())
    return registerValue;
  Value word = vector::BitCastOp::create(
      b, loc, VectorType::get({1}, b.getI32Type()), registerValue);
  return vector::ExtractOp::create(b, loc, word, 0);
}

SmallVector<Value> MmaContractionBuilder::emitMma(ArrayRef<Value> a,
                                                  ArrayRef<Value> bWords,
                                                  ArrayRef<Value> c) {
  Type accumulator = plan.accumulatorType;
  auto resultType = LLVM::LLVMStructType::getLiteral(
      b.getContext(), SmallVector<Type>(4, accumulator));
  std::optional<NVVM::MMAIntOverflow> overflow;
  std::optional<std::array<NVVM::MMATypes, 2>> types;
  if (input.isInteger(8)) {
    // The body adds with arith.addi: wrap, never saturate.
    overflow = NVVM::MMAIntOverflow::wrapped;
    types = {NVVM::MMATypes::s8, NVVM::MMATypes::s8};
  } else if (input.isBF16()) {
    types = {NVVM::MMATypes::bf16, NVVM::MMATypes::bf16};
  }
  auto mma =
      NVVM::MmaOp::create(b, loc, resultType, a, bWords, c,
                          ArrayRef<int64_t>{kMmaM, kMmaN, instructionK},
                          std::nullopt, overflow, types,
                          std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                                         NVVM::MMALayout::col});
  SmallVector<Value> result;
  for (int64_t r = 0; r < 4; ++r)
    result.push_back(LLVM::ExtractValueOp::create(b, loc, mma, r));
  return result;
}

SmallVector<Value> MmaContractionBuilder::computeSlice(Value stage,
                                                       SmallVector<Value> acc) {
  // This lane's row (in the shared layout) and chunk offsets of the four
  // 8 x 8 matrices of an ldmatrix.x4: matrix i = lane / 8, its row j =
  // lane % 8.
  Value matrix = div(lane, 8), matrixRow = rem(lane, 8);
  int64_t chunksPerStep = instructionK / chunkElements; // 2
  for (int64_t step = 0; step < tiles.bk / instructionK; ++step) {
    Value kChunk = cst(step * chunksPerStep);
    Value kRow = cst(step * instructionK);
    // A: matrices (m 0-7, k lo), (m 8-15, k lo), (m 0-7, k hi), (m 8-15,
    // k hi): the fragment's registers a0..a3.
    SmallVector<Value> a;
    for (int64_t mi = 0; mi < tilesM(); ++mi) {
      Value m0 = add(warpRow, cst(mi * kMmaM));
      if (lhs.sharedKInnermost)
        a.push_back(loadMatrices(lhs, stage, add(m0, rem(lane, 16)),
                                 add(kChunk, div(lane, 16))));
      else
        a.push_back(loadMatrices(
            lhs, stage, add(kRow, add(matrixRow, mul(div(matrix, 2), cst(8)))),
            add(div(m0, chunkElements), rem(matrix, 2))));
    }
    // B, two 8-column tiles at a time: matrices (n 0-7, k lo), (n 0-7,
    // k hi), (n 8-15, k lo), (n 8-15, k hi).
    SmallVector<Value> bPairs;
    for (int64_t nj = 0; nj < tilesN() / 2; ++nj) {
      Value n0 = add(warpColumn, cst(nj * 2 * kMmaN));
      if (rhs.sharedKInnermost)
        bPairs.push_back(loadMatrices(
            rhs, stage, add(n0, add(mul(div(matrix, 2), cst(8)), matrixRow)),
            add(kChunk, rem(matrix, 2))));
      else
        bPairs.push_back(loadMatrices(
            rhs, stage, add(kRow, add(matrixRow, mul(rem(matrix, 2), cst(8)))),
            add(div(n0, chunkElements), div(matrix, 2))));
    }
    for (int64_t mi = 0; mi < tilesM(); ++mi) {
      SmallVector<Value> aWords;
      for (int64_t r = 0; r < 4; ++r)
        aWords.push_back(fragmentWord(a[mi], r));
      for (int64_t ni = 0; ni < tilesN(); ++ni) {
        Value pair = bPairs[ni / 2];
        int64_t first = (ni % 2) * 2;
        SmallVector<Value> bWords = {fragmentWord(pair, first),
                                     fragmentWord(pair, first + 1)};
        MutableArrayRef<Value> c =
            MutableArrayRef<Value>(acc).slice((mi * tilesN() + ni) * 4, 4);
        SmallVector<Value> updated = emitMma(aWords, bWords, c);
        llvm::copy(updated, c.begin());
      }
    }
  }
  return acc;
}

SmallVector<Value> MmaContractionBuilder::initialAccumulators(Value batch,
                                                              Value mBase,
                                                              Value nBase) {
  SmallVector<Value> acc;
  for (int64_t mi = 0; mi < tilesM(); ++mi)
    for (int64_t ni = 0; ni < tilesN(); ++ni)
      for (int64_t r = 0; r < 4; ++r) {
        if (fillValue) {
          acc.push_back(fillValue);
          continue;
        }
        Value m, n;
        std::tie(m, n) = accumulatorPosition(mBase, nBase, mi, ni, r);
        acc.push_back(loadOrZero(
            both(ult(m, extentM), ult(n, extentN)), plan.accumulatorType, [&] {
              return memref::LoadOp::create(b, loc, out, indices(batch, m, n))
                  .getResult();
            }));
      }
  return acc;
}

void MmaContractionBuilder::storeAccumulators(ArrayRef<Value> acc, Value batch,
                                              Value mBase, Value nBase) {
  Value target = epilogue ? epilogue->output() : out;
  Type element = getElementTypeOrSelf(target.getType());
  // Accumulators r and r + 1 are adjacent columns (n even): one aligned
  // 2-element store when C's rows are whole pairs and its base is aligned
  // (checked in the kernel, uniform), else element by element.
  Value pairsAligned;
  if (isContiguous(target.getType()))
    pairsAligned =
        andBaseAligned(b, loc,
                       arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                             rem(extentN, 2), cst(0)),
                       target, vectorAccessBytes(target, 2));
  auto valueAt = [&](Value accumulator, Value m, Value n) {
    if (!epilogue)
      return accumulator;
    SmallVector<Value> loops;
    if (plan.batchLoop)
      loops.push_back(batch);
    loops.append({m, n});
    return emitEpilogueElement(b, loc, *epilogue, out, accumulator, loops);
  };
  auto storeElements = [&](int64_t first, Value m, Value n) {
    for (int64_t e = 0; e < 2; ++e) {
      Value column = add(n, cst(e));
      auto inside = scf::IfOp::create(
          b, loc, both(ult(m, extentM), ult(column, extentN)));
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(inside.thenBlock());
      memref::StoreOp::create(b, loc, valueAt(acc[first + e], m, column),
                              target, indices(batch, m, column));
    }
  };
  for (int64_t mi = 0; mi < tilesM(); ++mi)
    for (int64_t ni = 0; ni < tilesN(); ++ni)
      for (int64_t r = 0; r < 4; r += 2) {
        int64_t first = (mi * tilesN() + ni) * 4 + r;
        Value m, n;
        std::tie(m, n) = accumulatorPosition(mBase, nBase, mi, ni, r);
        if (!pairsAligned) {
          storeElements(first, m, n);
          continue;
        }
        auto ifPairs =
            scf::IfOp::create(b, loc, pairsAligned, /*withElseRegion=*/true);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifPairs.thenBlock());
        // N is even: the pair is all inside or all outside.
        auto inside =
            scf::IfOp::create(b, loc, both(ult(m, extentM), ult(n, extentN)));
        b.setInsertionPointToStart(inside.thenBlock());
        Value pair = vector::FromElementsOp::create(
            b, loc, VectorType::get({2}, element),
            ValueRange{valueAt(acc[first], m, n),
                       valueAt(acc[first + 1], m, add(n, cst(1)))});
        vector::StoreOp::create(b, loc, pair, target, indices(batch, m, n),
                                /*nontemporal=*/false,
                                llvm::MaybeAlign(vectorAccessBytes(target, 2)));
        b.setInsertionPointToStart(ifPairs.elseBlock());
        storeElements(first, m, n);
      }
}

void MmaContractionBuilder::emitTile(Value batch, Value mBase, Value nBase) {
  SmallVector<Value> acc = initialAccumulators(batch, mBase, nBase);
  Value slices = arith::CeilDivUIOp::create(b, loc, extentK, cst(tiles.bk));
  auto fill = [&](Value slice) {
    Value stage = rem(slice, tiles.stages);
    Value kBase = mul(slice, cst(tiles.bk));
    auto ifSlice = scf::IfOp::create(b, loc, ult(slice, slices));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifSlice.thenBlock());
    fillSlice(lhs, batch, mBase, kBase, stage);
    fillSlice(rhs, batch, nBase, kBase, stage);
  };
  // Prologue: slices 0 .. S - 2, one commit group each (empty past K).
  for (int64_t s = 0; s + 1 < tiles.stages; ++s) {
    fill(cst(s));
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
  }
  auto loop = scf::ForOp::create(b, loc, cst(0), slices, cst(1), acc);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value slice = loop.getInductionVar();
    // This thread's copies of slice `slice` are done (at most S - 2 later
    // groups pending); after the barrier everyone's are, and every warp is
    // done with the stage of slice - 1, which the next copies overwrite.
    NVVM::CpAsyncWaitGroupOp::create(b, loc, tiles.stages - 2);
    gpu::BarrierOp::create(b, loc);
    fill(add(slice, cst(tiles.stages - 1)));
    NVVM::CpAsyncCommitGroupOp::create(b, loc);
    SmallVector<Value> updated = computeSlice(
        rem(slice, tiles.stages), SmallVector<Value>(loop.getRegionIterArgs()));
    scf::YieldOp::create(b, loc, updated);
  }
  storeAccumulators(SmallVector<Value>(loop.getResults()), batch, mBase, nBase);
  // The next tile of this block refills the stages.
  gpu::BarrierOp::create(b, loc);
}

void MmaContractionBuilder::build() {
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

  // 16-bit operands keep their layout in shared memory (ldmatrix .trans
  // reads K-outer tiles); i8 ones are stored K-contiguous.
  bool wide = !input.isInteger(8);
  lhs = {lhsMemref,
         plan.lhsKInnermost,
         plan.lhsKInnermost || !wide,
         extentM,
         tiles.bm,
         Value(),
         Value(),
         Value(),
         lhsCopied};
  rhs = {rhsMemref,
         plan.rhsKInnermost,
         plan.rhsKInnermost || !wide,
         extentN,
         tiles.bn,
         Value(),
         Value(),
         Value(),
         rhsCopied};
  auto sharedType = [&](const MmaOperand &operand) {
    return MemRefType::get({tiles.stages * operand.blockP * tiles.bk}, input,
                           MemRefLayoutAttrInterface(),
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
      cst(tiles.threads()), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{sharedType(lhs), sharedType(rhs)});
  b.setInsertionPointToStart(&launch.getBody().front());
  lhs.shared = launch.getWorkgroupAttributions()[0];
  rhs.shared = launch.getWorkgroupAttributions()[1];
  threadId = launch.getThreadIds().x;
  lane = rem(threadId, kWarpSize);
  Value warp = div(threadId, kWarpSize);
  warpRow = mul(div(warp, tiles.warpsN()), cst(tiles.wm));
  warpColumn = mul(rem(warp, tiles.warpsN()), cst(tiles.wn));

  // cp.async where the chunk is a straight 16-byte copy of an aligned,
  // identity-layout operand whose contiguous extent is whole chunks.
  // Otherwise aligned 16-byte loads along P for an operand stored
  // transposed.
  // An operand read through its copy takes cp.async when each chunk is a
  // straight run of the copy's source, else the guarded scalar loads.
  for (MmaOperand *operand : {&lhs, &rhs}) {
    if (operand->copied
            ? operand->kInnermost != operand->sharedKInnermost ||
                  !operand->copied->innermostRunsAreContiguous(chunkElements)
            : !isContiguous(operand->memref.getType()))
      continue;
    Value contiguous = operand->kInnermost ? extentK : operand->extentP;
    Value whole = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        rem(contiguous, chunkElements), cst(0));
    Value aligned =
        andBaseAligned(b, loc, whole, operand->loadedBuffer(), kChunkBytes);
    if (operand->kInnermost == operand->sharedKInnermost)
      operand->asyncCopies = aligned;
    else
      operand->vectorTransposed = aligned;
  }

  Value nBase = mul(launch.getBlockIds().x, cst(tiles.bn));
  // Batches and row tiles beyond the grid's limits loop; a block past N
  // (only when N is 0) has nothing to do and must not address B.
  auto hasColumns = scf::IfOp::create(b, loc, ult(nBase, extentN));
  b.setInsertionPointToStart(hasColumns.thenBlock());
  auto batchLoop = scf::ForOp::create(b, loc, launch.getBlockIds().z, batches,
                                      launch.getGridSize().z);
  b.setInsertionPointToStart(batchLoop.getBody());
  auto rowLoop = scf::ForOp::create(b, loc, launch.getBlockIds().y, mTiles,
                                    launch.getGridSize().y);
  b.setInsertionPointToStart(rowLoop.getBody());
  emitTile(batchLoop.getInductionVar(),
           mul(rowLoop.getInductionVar(), cst(tiles.bm)), nBase);
  b.setInsertionPointAfter(hasColumns);
  gpu::TerminatorOp::create(b, loc);
}

struct GpuLowerContractionsMmaSyncPass
    : vmgpu::impl::GpuLowerContractionsMmaSyncBase<
          GpuLowerContractionsMmaSyncPass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::MmaSync);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (!isLowerableOnBuffers(op))
        continue;
      FailureOr<ContractionPlan> plan = planContraction(op);
      if (failed(plan))
        continue; // Declined: the fallback lowers it.
      Type input = tensorCoreInputType(op, *plan);
      FailureOr<MmaTiles> tiles = readMmaTiles(op, *plan, config, input);
      if (failed(tiles))
        return signalPassFailure();
      linalg::FillOp fill = precedingFill(op, plan->accumulatorType);
      std::optional<ContractionEpilogue> epilogue =
          findContractionEpilogue(op, fill);
      // Inputs filled by a copy (an im2col copy) are read at the copy's
      // source, where the 16-byte chunks stay cp.async copies (16-bit
      // operands keep their layout in shared memory; i8 ones take runs
      // along K only); the copy and its buffer go.
      bool wide = !input.isInteger(8);
      ReadThroughCopies copies = findReadThroughCopies(
          op, epilogue, kChunkBytes / bytesOf(input),
          {wide || plan->lhsKInnermost, wide || plan->rhsKInnermost});
      MmaContractionBuilder(
          op, *plan, *tiles, input, fill ? fill.getInputs().front() : Value(),
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
