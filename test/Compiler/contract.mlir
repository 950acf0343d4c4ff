// RUN: rm -f %t.vmgpu
// RUN: not vm-gpu-compile %s -o %t.vmgpu 2>&1 | FileCheck %s
// RUN: not test -e %t.vmgpu

// The engine, the C API, vm-gpu-run and vm-gpu-compile admit only the vm IR
// contract (docs/security.md): a block holds vm ops, func.return,
// arith.constant (scalar or index) and tensor.dim; a module holds func.func
// definitions. Everything below verifies as MLIR and is rejected before it
// is lowered, one located error per offending op. (Issue 13, H3: an
// llvm.call to system ran a shell command; abort, a store to address 0 and
// unbounded func.call recursion crashed the process.)

// CHECK: contract.mlir:[[@LINE+1]]:1: error: the module carries attribute 'llvm.target_triple': a vm module takes none but its name
module attributes {llvm.target_triple = "x86_64-unknown-linux-gnu"} {

// CHECK: contract.mlir:[[@LINE+1]]:3: error: 'llvm.func' is not allowed at the top of a vm module: it holds only func.func definitions
  llvm.func @system(!llvm.ptr) -> i32
// CHECK: contract.mlir:[[@LINE+1]]:3: error: 'llvm.mlir.global' is not allowed at the top of a vm module
  llvm.mlir.global internal constant @command("touch /tmp/vmgpu-contract-pwned\00")
// CHECK: contract.mlir:[[@LINE+1]]:3: error: function @abort has no body: a vm module holds only function definitions
  func.func private @abort()
// CHECK: contract.mlir:[[@LINE+1]]:3: error: 'builtin.module' is not allowed at the top of a vm module
  module @nested {
    func.func @inner(%a: tensor<4xf32>) -> tensor<4xf32> {
      return %a : tensor<4xf32>
    }
  }

  func.func @main(%a: tensor<4xf32>, %n: tensor<?xf32>) -> tensor<4xf32> {
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'llvm.mlir.addressof' is not allowed in a vm block: a block holds only vm ops, func.return, arith.constant (scalar or index) and tensor.dim
    %p = llvm.mlir.addressof @command : !llvm.ptr
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'llvm.call' is not allowed in a vm block
    %r = llvm.call @system(%p) : (!llvm.ptr) -> i32
    // CHECK: contract.mlir:[[@LINE+1]]:5: error: 'func.call' is not allowed in a vm block
    func.call @abort() : () -> ()
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'func.call' is not allowed in a vm block
    %b = func.call @main(%a, %n) : (tensor<4xf32>, tensor<?xf32>) -> tensor<4xf32>
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'llvm.mlir.zero' is not allowed in a vm block
    %z = llvm.mlir.zero : !llvm.ptr
    %v = arith.constant 1 : i32
    // CHECK: contract.mlir:[[@LINE+1]]:5: error: 'llvm.store' is not allowed in a vm block
    llvm.store %v, %z : i32, !llvm.ptr
    // CHECK: contract.mlir:[[@LINE+1]]:5: error: 'scf.execute_region' is not allowed in a vm block
    scf.execute_region {
      scf.yield
    }
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'arith.constant' is not allowed in a vm block: {{.*}} (tensor constants are vm.constant)
    %t = arith.constant dense<1.0> : tensor<4xf32>
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'arith.constant' is not allowed in a vm block: a block holds only vm ops, func.return, arith.constant (scalar or index) and tensor.dim{{$}}
    %w = arith.constant 1 : i128
    // CHECK: contract.mlir:[[@LINE+1]]:10: error: 'arith.addf' is not allowed in a vm block
    %s = arith.addf %a, %a : tensor<4xf32>
    // What the contract allows: vm ops, scalar and index constants, tensor.dim.
    %c0 = arith.constant 0 : index
    %d = tensor.dim %n, %c0 : tensor<?xf32>
    %f = arith.constant 2.0 : f32
    %x = vm.splat %f[%d] : f32 -> tensor<?xf32>
    %y = vm.add %a, %a : tensor<4xf32>
    return %y : tensor<4xf32>
  }

  // Attributes that reach the lowering (linkage, C interfaces, argument
  // attributes) are the compiler's to set.
  // CHECK: contract.mlir:[[@LINE+3]]:3: error: function @attributes carries attribute 'arg_attrs'
  // CHECK: contract.mlir:[[@LINE+2]]:3: error: function @attributes carries attribute 'llvm.emit_c_interface'
  // CHECK: contract.mlir:[[@LINE+1]]:3: error: function @attributes carries attribute 'llvm.linkage'
  func.func @attributes(%a: tensor<4xf32> {llvm.noalias}) -> tensor<4xf32> attributes {llvm.linkage = #llvm.linkage<internal>, llvm.emit_c_interface} {
    return %a : tensor<4xf32>
  }

  // Signatures: ranked tensors or vm scalars in, ranked tensors out, each
  // within the tensor size bound.
  // CHECK: contract.mlir:[[@LINE+5]]:3: error: argument #0 of @types has type '!llvm.ptr'; expected a ranked tensor or a scalar of a vm element type
  // CHECK: contract.mlir:[[@LINE+4]]:3: error: argument #1 of @types has type 'memref<4xf32>'
  // CHECK: contract.mlir:[[@LINE+3]]:3: error: argument #2 of @types has type 'tensor<1099511627777xi8>', larger than the bound on tensor sizes
  // CHECK: contract.mlir:[[@LINE+2]]:3: error: argument #3 of @types has type 'index'
  // CHECK: contract.mlir:[[@LINE+1]]:3: error: result #0 of @types has type 'f32'; expected a ranked tensor of a vm element type
  func.func @types(%p: !llvm.ptr, %m: memref<4xf32>, %big: tensor<1099511627777xi8>, %i: index) -> f32 {
    %f = arith.constant 0.0 : f32
    return %f : f32
  }
}
