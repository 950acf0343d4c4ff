//===- Passes.h - vmgpu conversion passes -----------------------*- C++ -*-===//

#ifndef VMGPU_CONVERSION_PASSES_H
#define VMGPU_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "vmgpu/Conversion/VmToLinalg.h"

namespace vmgpu {

#define GEN_PASS_DECL
#include "vmgpu/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "vmgpu/Conversion/Passes.h.inc"

} // namespace vmgpu

#endif // VMGPU_CONVERSION_PASSES_H
