//===- ConvTransposePhases.cpp - vm.conv_transpose2d by output phases -----===//
//
// Along one spatial dim (stride s, dilation d, pad_top p, filter K), output
// row oh takes tap kh from input row ih = (oh + p - kh * d) / s when that
// division is exact. Split the outputs by phase r = oh mod s, oh = r + s * q:
// the taps reaching phase r are those with kh * d = r + p (mod s), spaced
// s' = s / gcd(s, d) apart, and consecutive taps read input rows
// e = d / gcd(s, d) apart. Taken from the last tap down, phase r is
//
//   y[r + s * q] = sum over t of x[q + c_r + t * e] * w[kh_last - t * s']
//
// a stride-1 convolution with dilation e of the input rows from c_r (zeros
// outside the input), whose filter is every s'-th tap of the flipped
// filter. Each phase pair (one per spatial dim) is one vm.conv2d over the
// input itself, written into the result at offset (r_h, r_w) with strides
// (s_h, s_w); a phase no tap reaches is zero. The sum has exactly the
// contract's terms: none of the stride^2 - 1 zeros of every spread input
// position, and no spread copy.
//
//===----------------------------------------------------------------------===//

#include "ConvTranspose.h"
#include "PatternUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

#include <numeric>

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// More phases than this keep the spread lowering: the IR would hold one
/// convolution per phase.
constexpr int64_t kMaxPhases = 64;
/// The search for a phase's first tap walks at most this many taps.
constexpr int64_t kMaxTapSearch = 4096;

/// One phase of one spatial dim: outputs residue, residue + stride, ...
struct AxisPhase {
  int64_t residue = 0;
  int64_t outputs = 0;
  /// Taps reaching the phase (0: its outputs are zero).
  int64_t taps = 0;
  /// The phase's first tap in the flipped filter; the others follow at
  /// `tapStride`.
  int64_t firstTap = 0;
  /// The input row (may be outside the input) of output 0 and tap 0.
  int64_t firstRow = 0;
};

struct AxisPlan {
  SmallVector<AxisPhase> phases;
  int64_t tapStride = 1;
  /// The phase's convolution dilation.
  int64_t rowStep = 1;
  /// Zero rows the phases read before and after the input.
  int64_t padLow = 0;
  int64_t padHigh = 0;
};

/// The phases of one spatial dim, or nothing when the plan's arithmetic
/// would overflow or the dim has too many phases.
std::optional<AxisPlan> planAxis(int64_t inputSize, int64_t kernel,
                                 int64_t stride, int64_t dilation,
                                 int64_t padBefore, int64_t outputSize) {
  AxisPlan plan;
  int64_t common = std::gcd(stride, dilation);
  plan.tapStride = stride / common;
  plan.rowStep = dilation / common;
  int64_t residues = std::min(stride, outputSize);
  if (residues > kMaxPhases)
    return std::nullopt;
  for (int64_t r = 0; r < residues; ++r) {
    AxisPhase phase;
    phase.residue = r;
    phase.outputs = (outputSize - r + stride - 1) / stride;
    int64_t target;
    if (llvm::AddOverflow(r, padBefore, target))
      return std::nullopt;
    // The smallest tap with kh * d = r + p (mod s): taps repeat every s'.
    int64_t search = std::min(kernel, plan.tapStride);
    if (search > kMaxTapSearch)
      return std::nullopt;
    std::optional<int64_t> first;
    for (int64_t kh = 0; kh < search && !first; ++kh) {
      int64_t reach;
      if (llvm::MulOverflow(kh, dilation, reach))
        return std::nullopt;
      if (llvm::mod(target, stride) == llvm::mod(reach, stride))
        first = kh;
    }
    if (first) {
      phase.taps = (kernel - 1 - *first) / plan.tapStride + 1;
      int64_t last = *first + (phase.taps - 1) * plan.tapStride;
      int64_t lastReach, rowTimesStride, span, end;
      if (llvm::MulOverflow(last, dilation, lastReach) ||
          llvm::SubOverflow(target, lastReach, rowTimesStride) ||
          llvm::MulOverflow(phase.taps - 1, plan.rowStep, span) ||
          llvm::AddOverflow(rowTimesStride / stride, phase.outputs - 1 + span,
                            end))
        return std::nullopt;
      phase.firstTap = kernel - 1 - last;
      phase.firstRow = rowTimesStride / stride; // exact by the choice of taps
      plan.padLow = std::max(plan.padLow, -phase.firstRow);
      plan.padHigh = std::max(plan.padHigh, end - (inputSize - 1));
    }
    plan.phases.push_back(phase);
  }
  return plan;
}

} // namespace

FailureOr<Value>
vmgpu::detail::buildConvTransposeByPhases(OpBuilder &b,
                                          vm::ConvTranspose2DOp op) {
  RankedTensorType inputType = op.getInput().getType();
  RankedTensorType filterType = op.getFilter().getType();
  RankedTensorType resultType = op.getType();
  SmallVector<int64_t, 2> strides = op.getStrideValues();
  SmallVector<int64_t, 2> dilations = op.getDilationValues();
  SmallVector<int64_t, 4> padding = op.getPaddingValues();
  SmallVector<AxisPlan, 2> plans;
  for (int i = 0; i < 2; ++i) {
    int64_t inputSize = inputType.getDimSize(1 + i);
    int64_t kernel = filterType.getDimSize(i);
    int64_t outputSize = resultType.getDimSize(1 + i);
    if (ShapedType::isDynamic(inputSize) || ShapedType::isDynamic(kernel) ||
        ShapedType::isDynamic(outputSize) || inputSize == 0 || kernel == 0)
      return failure();
    std::optional<AxisPlan> plan =
        planAxis(inputSize, kernel, strides[i], dilations[i], padding[2 * i],
                 outputSize);
    if (!plan)
      return failure();
    plans.push_back(std::move(*plan));
  }
  if (static_cast<int64_t>(plans[0].phases.size() * plans[1].phases.size()) >
      kMaxPhases)
    return failure();

  Location loc = op.getLoc();
  Value input = op.getInput();
  SmallVector<Value> inputSizes = getDimSizes(b, loc, input);
  SmallVector<Value> filterSizes = getDimSizes(b, loc, op.getFilter());
  Type elementType = resultType.getElementType();

  if (plans[0].padLow || plans[0].padHigh || plans[1].padLow ||
      plans[1].padHigh) {
    SmallVector<int64_t> paddedShape(inputType.getShape());
    SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)), high = low;
    for (int i = 0; i < 2; ++i) {
      paddedShape[1 + i] += plans[i].padLow + plans[i].padHigh;
      low[1 + i] = b.getIndexAttr(plans[i].padLow);
      high[1 + i] = b.getIndexAttr(plans[i].padHigh);
    }
    Value zero = arith::ConstantOp::create(
        b, loc, b.getZeroAttr(inputType.getElementType()));
    input = tensor::PadOp::create(
        b, loc, RankedTensorType::get(paddedShape, inputType.getElementType()),
        input, low, high, zero);
  }
  Value flipped = flipConvFilter(b, loc, op.getFilter(), filterSizes);

  // Every output is written by one phase unless a phase has no tap.
  bool zeroPhases = llvm::any_of(plans, [](const AxisPlan &plan) {
    return llvm::any_of(plan.phases,
                        [](const AxisPhase &p) { return p.taps == 0; });
  });
  SmallVector<Value> resultSizes = {
      inputSizes[0], indexConstant(b, loc, resultType.getDimSize(1)),
      indexConstant(b, loc, resultType.getDimSize(2)), filterSizes[3]};
  Value result = zeroPhases
                     ? createFilled(b, loc, resultType, resultSizes,
                                    arith::ConstantOp::create(
                                        b, loc, b.getZeroAttr(elementType)))
                     : createEmpty(b, loc, resultType, resultSizes);

  OpFoldResult batch = getAsOpFoldResult(inputSizes[0]);
  OpFoldResult inChannels = getAsOpFoldResult(inputSizes[3]);
  OpFoldResult outChannels = getAsOpFoldResult(filterSizes[3]);
  OpFoldResult zeroIndex = b.getIndexAttr(0), one = b.getIndexAttr(1);
  auto dilationAttr =
      b.getDenseI64ArrayAttr({plans[0].rowStep, plans[1].rowStep});
  for (const AxisPhase &rows : plans[0].phases) {
    for (const AxisPhase &cols : plans[1].phases) {
      if (rows.taps == 0 || cols.taps == 0)
        continue;
      const AxisPhase *axis[2] = {&rows, &cols};
      SmallVector<OpFoldResult> inOffsets = {zeroIndex}, inSizes = {batch};
      SmallVector<OpFoldResult> tapOffsets, tapSizes, tapStrides;
      for (int i = 0; i < 2; ++i) {
        inOffsets.push_back(
            b.getIndexAttr(axis[i]->firstRow + plans[i].padLow));
        inSizes.push_back(b.getIndexAttr(
            axis[i]->outputs + (axis[i]->taps - 1) * plans[i].rowStep));
        tapOffsets.push_back(b.getIndexAttr(axis[i]->firstTap));
        tapSizes.push_back(b.getIndexAttr(axis[i]->taps));
        tapStrides.push_back(b.getIndexAttr(plans[i].tapStride));
      }
      inOffsets.push_back(zeroIndex);
      inSizes.push_back(inChannels);
      tapOffsets.append({zeroIndex, zeroIndex});
      tapSizes.append({inChannels, outChannels});
      tapStrides.append({one, one});
      Value rowsIn = tensor::ExtractSliceOp::create(
          b, loc, input, inOffsets, inSizes, SmallVector<OpFoldResult>(4, one));
      Value taps = tensor::ExtractSliceOp::create(b, loc, flipped, tapOffsets,
                                                  tapSizes, tapStrides);
      auto phaseType =
          RankedTensorType::get({inputType.getDimSize(0), rows.outputs,
                                 cols.outputs, filterType.getDimSize(3)},
                                elementType);
      Value phase = vm::Conv2DOp::create(b, loc, phaseType, rowsIn, taps,
                                         /*strides=*/nullptr, dilationAttr,
                                         /*padding=*/nullptr);
      result = tensor::InsertSliceOp::create(
          b, loc, phase, result,
          ArrayRef<OpFoldResult>{zeroIndex, b.getIndexAttr(rows.residue),
                                 b.getIndexAttr(cols.residue), zeroIndex},
          ArrayRef<OpFoldResult>{batch, b.getIndexAttr(rows.outputs),
                                 b.getIndexAttr(cols.outputs), outChannels},
          ArrayRef<OpFoldResult>{one, b.getIndexAttr(strides[0]),
                                 b.getIndexAttr(strides[1]), one});
    }
  }
  return result;
}
