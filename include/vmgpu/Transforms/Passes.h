//===- Passes.h - vmgpu transformation passes -------------------*- C++ -*-===//

#ifndef VMGPU_TRANSFORMS_PASSES_H
#define VMGPU_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace vmgpu {

/// Prefix of the shape-check entry points and of their message attributes.
inline constexpr llvm::StringLiteral kShapeCheckPrefix = "__vmgpu_check_";
inline constexpr llvm::StringLiteral kShapeCheckMessagesPrefix =
    "vmgpu.shape_checks.";

/// The engine's input is the vm IR contract (DESIGN.md): a module of
/// functions whose bodies hold only vm ops, func.return, scalar or index
/// arith.constant and tensor.dim. Anything else registered in the compiler's
/// context (llvm.call, func.call, memref, ...) would otherwise be compiled
/// and run. Emits an error located at each op or attribute outside the
/// contract and fails if there is one. Thread-safe for distinct modules.
mlir::LogicalResult checkBlockContract(mlir::ModuleOp module);

#define GEN_PASS_DECL
#include "vmgpu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vmgpu/Transforms/Passes.h.inc"

/// The memory-bound entry points (vm-outline-memory-bound), and the globals
/// through which CPU blocks allocate (vm-cpu-allocation-hooks).
inline constexpr llvm::StringLiteral kMemoryBoundPrefix = "__vmgpu_memory_";
/// Marks a `memref.alloc` made after vm-outline-memory-bound, which
/// vm-count-late-allocations then adds to the bound.
inline constexpr llvm::StringLiteral kLateAllocationAttrName =
    "vmgpu.late_allocation";
/// Marks `alloc` (a memref.alloc at the top level of a function) as made
/// after the memory bound, to be counted by vm-count-late-allocations.
inline mlir::Value markLateAllocation(mlir::Value alloc) {
  alloc.getDefiningOp()->setAttr(kLateAllocationAttrName,
                                 mlir::UnitAttr::get(alloc.getContext()));
  return alloc;
}
/// The runtime host call that returns a loaded block's device copy of a
/// constant global (vm-device-constants; runtime/GpuHostCalls.cpp).
inline constexpr llvm::StringLiteral kDeviceConstantFunction =
    "vmgpuDeviceConstant";
inline constexpr llvm::StringLiteral kCpuAllocHook = "__vmgpu_cpu_alloc_hook";
inline constexpr llvm::StringLiteral kCpuFreeHook = "__vmgpu_cpu_free_hook";

} // namespace vmgpu

#endif // VMGPU_TRANSFORMS_PASSES_H
