//===- SubgroupShuffle.h - shuffles of any scalar width ----------*- C++ -*-===//
//
// Private to lib/Codegen.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_SUBGROUPSHUFFLE_H
#define VMGPU_LIB_CODEGEN_SUBGROUPSHUFFLE_H

#include "mlir/IR/Builders.h"

namespace vmgpu {

/// `value` (an integer or float scalar of 1 to 64 bits) from the lane
/// `offset` above this one in a subgroup of `width` lanes (gpu.shuffle
/// down). Every target lowers 32-bit shuffles natively (shfl.sync.down.b32,
/// ds_bpermute_b32), so the value travels as one or two i32 words and is
/// rebuilt bit for bit. Lanes past the end get an unspecified value.
mlir::Value shuffleDown(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value value, int32_t offset, int32_t width);

/// `value` from the lane `offset` below this one (gpu.shuffle up), the same
/// way. Lanes below `offset` get an unspecified value.
mlir::Value shuffleUp(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                      int32_t offset, int32_t width);

/// `value` from the lane whose number is this lane's xor `mask` (gpu.shuffle
/// xor), the same way; `mask` below `width`.
mlir::Value shuffleXor(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value value, int32_t mask, int32_t width);

/// `value` of lane `source` in every lane (gpu.shuffle idx), the same way.
mlir::Value shuffleFromLane(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value value, int32_t source, int32_t width);
/// The same with the source lane an i32 value, the same in every lane.
mlir::Value shuffleFromLane(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value value, mlir::Value source,
                            int32_t width);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_SUBGROUPSHUFFLE_H
