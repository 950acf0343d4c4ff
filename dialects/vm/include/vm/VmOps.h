//===- VmOps.h - vm dialect operations ------------------------------------===//
//
// The op classes generated from VmOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef VM_VMOPS_H
#define VM_VMOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "vm/VmDialect.h"
#include "vm/VmTraits.h"

#define GET_OP_CLASSES
#include "vm/VmOps.h.inc"

#endif // VM_VMOPS_H
