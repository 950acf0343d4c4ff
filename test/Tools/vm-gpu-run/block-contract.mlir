// vm-gpu-run runs vm blocks only: a program that calls into the LLVM
// dialect (here system()) is refused before it is compiled, exit 1, and no
// output is written.
// RUN: rm -rf %t && mkdir -p %t
// RUN: not vm-gpu-run %s --entry main --device cpu --output-dir %t/out 2>&1 | FileCheck %s
// RUN: not test -e %t/out/out0.npy

// CHECK: error: 'llvm.call' is not allowed in a vm block
// CHECK: error: the program is not a vm block
llvm.mlir.global internal constant @command("touch /tmp/vmgpu-owned\00") {addr_space = 0 : i32}
func.func @main() -> tensor<2xf32> {
  %p = llvm.mlir.addressof @command : !llvm.ptr
  %r = llvm.call @system(%p) : (!llvm.ptr) -> i32
  %c = "vm.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  return %c : tensor<2xf32>
}
llvm.func @system(!llvm.ptr) -> i32
