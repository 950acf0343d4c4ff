//===- CodegenOps.h - ops of vmgpu's code generation ------------*- C++ -*-===//
//
// The dialect and op classes generated from CodegenOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef CODEGEN_CODEGENOPS_H
#define CODEGEN_CODEGENOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "codegen/CodegenOpsDialect.h.inc"

#define GET_OP_CLASSES
#include "codegen/CodegenOps.h.inc"

#endif // CODEGEN_CODEGENOPS_H
