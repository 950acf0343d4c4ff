// RUN: vm-gpu-opt %s --vm-expose-entry-points | FileCheck %s

// vm-expose-entry-points: public functions with a body get
// llvm.emit_c_interface, and their tensor arguments (only those) are marked
// bufferization.writable = false; private, nested and external functions are
// untouched.

// CHECK-LABEL: func.func @main(
//  CHECK-SAME: %{{.+}}: tensor<4xf32> {bufferization.writable = false},
//  CHECK-SAME: %{{[^:]+}}: f32,
//  CHECK-SAME: %{{[^:]+}}: memref<2xf32>)
//  CHECK-SAME: -> tensor<4xf32> attributes {llvm.emit_c_interface} {
func.func @main(%a: tensor<4xf32>, %s: f32, %m: memref<2xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// Existing argument attributes are kept; dynamic and i1 tensors are marked too.
// CHECK-LABEL: func.func @second(
//  CHECK-SAME: %{{.+}}: tensor<?xi8> {bufferization.writable = false},
//  CHECK-SAME: %{{.+}}: tensor<2xi1> {bufferization.writable = false, foo.bar})
//  CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @second(%a: tensor<?xi8>, %b: tensor<2xi1> {foo.bar}) {
  return
}

// CHECK-LABEL: func.func private @helper(
//   CHECK-NOT: bufferization.writable
//   CHECK-NOT: llvm.emit_c_interface
//  CHECK-SAME: %{{.+}}: tensor<4xf32>) -> tensor<4xf32> {
func.func private @helper(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// CHECK-LABEL: func.func private @decl(tensor<4xf32>) -> tensor<4xf32>{{$}}
func.func private @decl(%a: tensor<4xf32>) -> tensor<4xf32>

// CHECK-LABEL: func.func nested @nest(
//  CHECK-SAME: %{{.+}}: tensor<4xf32>) -> tensor<4xf32> {
func.func nested @nest(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// CHECK-NOT: llvm.emit_c_interface
