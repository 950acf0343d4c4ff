//===- VmDialect.h - the vm dialect ---------------------------------------===//
//
// The dialect class; include VmOps.h for the ops.
//
//===----------------------------------------------------------------------===//

#ifndef VM_VMDIALECT_H
#define VM_VMDIALECT_H

#include "mlir/IR/Dialect.h"

#include "vm/VmOpsDialect.h.inc"

#endif // VM_VMDIALECT_H
