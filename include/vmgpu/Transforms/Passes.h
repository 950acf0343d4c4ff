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

#define GEN_PASS_DECL
#include "vmgpu/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vmgpu/Transforms/Passes.h.inc"

} // namespace vmgpu

#endif // VMGPU_TRANSFORMS_PASSES_H
