// vm-gpu-compile builds artifacts of vm blocks only: a program outside the
// contract (here system() through the LLVM dialect) is refused with located
// errors, exit 1, and no artifact is written (issue 13, H3).
// RUN: rm -f %t.vmgpu
// RUN: not vm-gpu-compile %s -o %t.vmgpu 2>&1 | FileCheck %s
// RUN: not test -e %t.vmgpu

// CHECK: contract.mlir:[[@LINE+2]]:1: error: 'llvm.func' is not allowed at the top level
// CHECK: contract.mlir:[[@LINE+2]]:1: error: 'llvm.mlir.global' is not allowed at the top level
llvm.func @system(!llvm.ptr) -> i32
llvm.mlir.global internal constant @command("touch /tmp/vmgpu-compile-owned\00")
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: contract.mlir:[[@LINE+1]]:8: error: 'llvm.mlir.addressof' is not allowed in a vm block
  %p = llvm.mlir.addressof @command : !llvm.ptr
  // CHECK: contract.mlir:[[@LINE+1]]:8: error: 'llvm.call' is not allowed in a vm block
  %r = llvm.call @system(%p) : (!llvm.ptr) -> i32
  return %a : tensor<4xf32>
}
