// vm-check-block-contract: what the engine refuses before lowering. A vm
// block is func.funcs whose bodies hold vm ops, func.return, scalar or
// index arith.constant and tensor.dim; nothing else reaches the compiler.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-check-block-contract | FileCheck %s

// CHECK-LABEL: func.func @accepted(
func.func @accepted(%a: tensor<?xf32>, %s: f32) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %n = tensor.dim %a, %c0 : tensor<?xf32>
  %b = "vm.splat"(%one, %n) : (f32, index) -> tensor<?xf32>
  %c = vm.add %a, %b : tensor<?xf32>
  return %c : tensor<?xf32>
}

// -----

// A call of system() through the LLVM dialect.
// expected-error @+1 {{'llvm.func' is not allowed at the top level}}
llvm.func @system(!llvm.ptr) -> i32
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{'llvm.func' is not allowed at the top level}}
llvm.func @system(!llvm.ptr) -> i32
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'llvm.mlir.zero' is not allowed in a vm block}}
  %p = llvm.mlir.zero : !llvm.ptr
  // expected-error @+1 {{'llvm.call' is not allowed in a vm block}}
  %r = llvm.call @system(%p) : (!llvm.ptr) -> i32
  return %a : tensor<4xf32>
}

// -----

// Recursion through func.call.
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'func.call' is not allowed in a vm block}}
  %r = func.call @main(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// expected-error @+1 {{function declarations are not allowed}}
func.func private @abort()

// -----

func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.constant' is not allowed in a vm block}}
  %t = arith.constant dense<1.0> : tensor<4xf32>
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{argument #0 has type 'memref<4xf32>'}}
func.func @main(%m: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %v = arith.constant 0.0 : f32
  // expected-error @+1 {{'memref.store' is not allowed in a vm block}}
  memref.store %v, %m[%c0] : memref<4xf32>
  return
}

// -----

func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
// expected-error @+1 {{'builtin.module' is not allowed at the top level}}
module {
  func.func @inner(%a: tensor<4xf32>) -> tensor<4xf32> {
    return %a : tensor<4xf32>
  }
}

// -----

// Dialect attributes steer the lowering (linkage, passthrough attributes).
// expected-error @+1 {{attribute 'llvm.linkage' is not allowed}}
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> attributes {llvm.linkage = #llvm.linkage<internal>} {
  return %a : tensor<4xf32>
}

// -----

// expected-error @+1 {{attribute 'llvm.data_layout' is not allowed}}
module attributes {llvm.data_layout = "e"} {
  func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
    return %a : tensor<4xf32>
  }
}

// -----

// Signatures: ranked tensors of vm elements or vm scalars in, ranked
// tensors out, within the tensor size bound (2^40 bytes).
// expected-error @+5 {{argument #0 has type '!llvm.ptr': a vm block holds only func.func with vm ops, func.return, scalar or index arith.constant and tensor.dim, taking ranked tensors or vm scalars}}
// expected-error @+4 {{argument #1 has type 'index'}}
// expected-error @+3 {{argument #2 has type 'tensor<4xi128>'}}
// expected-error @+2 {{argument #3 has type 'tensor<1099511627777xi8>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
// expected-error @+1 {{result #0 has type 'f32': a vm block holds only func.func with vm ops, func.return, scalar or index arith.constant and tensor.dim, taking ranked tensors}}
func.func @main(%p: !llvm.ptr, %i: index, %w: tensor<4xi128>, %big: tensor<1099511627777xi8>) -> f32 {
  %f = arith.constant 0.0 : f32
  return %f : f32
}

// -----

// Argument attributes reach the lowering too (noalias on two arguments the
// runtime may bind to one buffer would miscompile).
// expected-error @+1 {{argument and result attributes are not allowed}}
func.func @main(%a: tensor<4xf32> {llvm.noalias}, %b: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// Scalar constants of vm element types only.
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.constant' is not allowed in a vm block}}
  %w = arith.constant 1 : i128
  return %a : tensor<4xf32>
}

// -----

// A vm block is one block of straight-line code.
// expected-error @+1 {{a vm block has one block of straight-line code, this function has 2}}
func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
^unreachable:
  return %a : tensor<4xf32>
}
