//===- SoftmaxToLinalg.cpp - vm.softmax kept whole as linalg.softmax ------===//
//
// vm-to-linalg spells a softmax as two reductions and two elementwise ops,
// which the strategies would lower as separate kernels (three reads of the
// data). Kept as one linalg.softmax through fusion and bufferization, it
// reaches vm-gpu-lower-softmax, which reads each row from memory once.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "vm/VmOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUSOFTMAXTOLINALG
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

struct GpuSoftmaxToLinalgPass
    : vmgpu::impl::GpuSoftmaxToLinalgBase<GpuSoftmaxToLinalgPass> {
  void runOnOperation() override {
    SmallVector<vmgpu::vm::SoftmaxOp> softmaxes;
    getOperation().walk([&](vmgpu::vm::SoftmaxOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      // Rows along the innermost dim of a tensor of rows; the result's type
      // is the operand's (no shape to check), and the rank is at least 2: a
      // 1-D softmax is one row, better split across the device by the
      // reduction strategies.
      if (type && type.getRank() >= 2 &&
          op.getDimAttr().getInt() == type.getRank() - 1 &&
          op.getOperand().getType() == type)
        softmaxes.push_back(op);
    });
    for (vmgpu::vm::SoftmaxOp op : softmaxes) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      auto type = cast<RankedTensorType>(op.getType());
      SmallVector<Value> dynamicSizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          dynamicSizes.push_back(
              tensor::DimOp::create(b, loc, op.getOperand(), d));
      Value empty = tensor::EmptyOp::create(b, loc, type.getShape(),
                                            type.getElementType(),
                                            dynamicSizes);
      auto softmax = linalg::SoftmaxOp::create(
          b, loc, TypeRange{type}, op.getOperand(), empty,
          static_cast<uint64_t>(type.getRank() - 1));
      op.getResult().replaceAllUsesWith(softmax.getResult()[0]);
      op.erase();
    }
  }
};

} // namespace
