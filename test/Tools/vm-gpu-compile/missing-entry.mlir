// A missing --entry is one located error with a note naming the module's
// functions, and no dump of the module after it (an error on the module op
// would print the whole op).
// RUN: not vm-gpu-compile %s --entry nope --target cpu -o %t.vmgpu 2>&1 | FileCheck %s
// CHECK: missing-entry.mlir:{{[0-9]+}}:1: error: no function named 'nope' in the module
// CHECK: note: the module's functions: first, second
// CHECK-NOT: see current operation
// CHECK-NOT: builtin.module
module {
  func.func @first(%a: tensor<4xf32>) -> tensor<4xf32> {
    return %a : tensor<4xf32>
  }
  func.func @second(%a: tensor<4xf32>) -> tensor<4xf32> {
    %0 = vm.neg %a : tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
