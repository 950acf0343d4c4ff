// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-outline-shape-checks | FileCheck %s
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-to-linalg --vm-outline-shape-checks | FileCheck %s --check-prefix=VM

// vm-outline-shape-checks: the cf.assert ops of a public function `f` move
// into `__vmgpu_check_f` (same arguments, i32 result: 0 when every check
// holds, else 1 + the index of the first failing one); `f` keeps no assert;
// the messages are kept in order in the module attribute
// `vmgpu.shape_checks.f`.

// Only @f gets an attribute: @no_checks has no assert, @private_checks is
// not an entry point.
//       CHECK: module attributes {vmgpu.shape_checks.f = ["first check", "second check", "third check"]} {{{$}}

// The check comes first, takes f's arguments (and attributes) and returns i32.
// CHECK-LABEL: func.func @__vmgpu_check_f(
//  CHECK-SAME: %[[A:.+]]: tensor<?xf32>, %[[B:.+]]: tensor<?xf32>) -> i32 attributes {llvm.emit_c_interface} {
//   CHECK-DAG: %[[I1:.+]] = arith.constant 1 : i32
//   CHECK-DAG: %[[I2:.+]] = arith.constant 2 : i32
//   CHECK-DAG: %[[I3:.+]] = arith.constant 3 : i32
//   CHECK-DAG: %[[I0:.+]] = arith.constant 0 : i32
//   CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
//   CHECK-DAG: %[[C8:.+]] = arith.constant 8 : index
//       CHECK: %[[DA:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[DB:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[FIRST:.+]] = arith.cmpi eq, %[[DA]], %[[DB]] : index
//       CHECK: %[[SECOND:.+]] = arith.cmpi sge, %[[DA]], %[[C4]] : index
// The dim of the intermediate result resolves to a dim of the argument.
//       CHECK: %[[DS:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[THIRD:.+]] = arith.cmpi ult, %[[DS]], %[[C8]] : index
// First failing check wins: select(c1, select(c2, select(c3, 0, 3), 2), 1).
//       CHECK: %[[S3:.+]] = arith.select %[[THIRD]], %[[I0]], %[[I3]] : i32
//       CHECK: %[[S2:.+]] = arith.select %[[SECOND]], %[[S3]], %[[I2]] : i32
//       CHECK: %[[S1:.+]] = arith.select %[[FIRST]], %[[S2]], %[[I1]] : i32
//       CHECK: return %[[S1]] : i32
//   CHECK-NOT: linalg.add
//   CHECK-NOT: tensor.empty
//   CHECK-NOT: cf.assert
// The function keeps its computation and loses its asserts.
// CHECK-LABEL: func.func @f(
//  CHECK-SAME: -> tensor<?xf32> attributes {llvm.emit_c_interface} {
//   CHECK-NOT: cf.assert
//       CHECK: %[[SUM:.+]] = linalg.add
//   CHECK-NOT: cf.assert
//       CHECK: return %[[SUM]] : tensor<?xf32>
//   CHECK-NOT: __vmgpu_check_no_checks
// CHECK-LABEL: func.func @no_checks(
//       CHECK: return
//   CHECK-NOT: __vmgpu_check_private_checks
// CHECK-LABEL: func.func private @private_checks(
//       CHECK: cf.assert %{{.+}}, "private check"
func.func @f(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %da = tensor.dim %a, %c0 : tensor<?xf32>
  %db = tensor.dim %b, %c0 : tensor<?xf32>
  %eq = arith.cmpi eq, %da, %db : index
  cf.assert %eq, "first check"
  %big = arith.cmpi sge, %da, %c4 : index
  cf.assert %big, "second check"
  %e = tensor.empty(%da) : tensor<?xf32>
  %s = linalg.add ins(%a, %b : tensor<?xf32>, tensor<?xf32>) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %ds = tensor.dim %s, %c0 : tensor<?xf32>
  %c8 = arith.constant 8 : index
  %small = arith.cmpi ult, %ds, %c8 : index
  cf.assert %small, "third check"
  return %s : tensor<?xf32>
}
func.func @no_checks(%a: tensor<?xf32>) -> tensor<?xf32> {
  return %a : tensor<?xf32>
}
func.func private @private_checks(%a: tensor<?xf32>, %n: index) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %da = tensor.dim %a, %c0 : tensor<?xf32>
  %eq = arith.cmpi eq, %da, %n : index
  cf.assert %eq, "private check"
  return %a : tensor<?xf32>
}

// -----

// A module without asserts is left alone: no attribute, no new function.
//       CHECK: module {
//   CHECK-NOT: vmgpu.shape_checks
//   CHECK-NOT: __vmgpu_check
// CHECK-LABEL: func.func @static_only(
//       CHECK: return
func.func @static_only(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}

// -----

// Asserts in a function with several blocks cannot be outlined.
// expected-error @+1 {{shape checks need a single-block function}}
func.func @branches(%c: i1, %n: index) {
  cf.cond_br %c, ^a, ^b
^a:
  %ok = arith.cmpi sge, %n, %n : index
  cf.assert %ok, "in a branch"
  return
^b:
  return
}

// -----

// Through vm-to-linalg: two entry points, each with its own check and
// messages; intermediate results' dims resolve to argument dims, so only
// shape arithmetic is left in the check.
//       VM: module attributes {vmgpu.shape_checks.first = ["'vm.add' at {{.+}}: operand #1 must have the shape of operand #0 (dimension 0)", "'vm.mul' at {{.+}}: operand #1 must have the shape of operand #0 (dimension 0)"]
//  VM-SAME: vmgpu.shape_checks.second = ["'vm.matmul' at {{.+}}: the contraction dimensions (K) of lhs and rhs differ"]
//  VM-NOT: vmgpu.shape_checks.third
// VM-LABEL: func.func @__vmgpu_check_first(
//  VM-SAME: %[[A:.+]]: tensor<?xf32>, %[[B:.+]]: tensor<?xf32>) -> i32
//   VM-NOT: linalg.generic
//   VM-DAG: tensor.dim %[[A]]
//   VM-DAG: tensor.dim %[[B]]
//       VM: %[[S2:.+]] = arith.select %{{.+}}, %{{.+}}, %{{.+}} : i32
//       VM: %[[S1:.+]] = arith.select %{{.+}}, %[[S2]], %{{.+}} : i32
//       VM: return %[[S1]] : i32
//   VM-NOT: linalg.generic
// VM-LABEL: func.func @first(
//   VM-NOT: cf.assert
//       VM: linalg.generic
//   VM-NOT: cf.assert
//       VM: linalg.generic
//   VM-NOT: cf.assert
//       VM: return
// VM-LABEL: func.func @__vmgpu_check_second(
//  VM-SAME: %[[M:.+]]: tensor<?x?xf32>, %[[N:.+]]: tensor<?x4xf32>) -> i32
//   VM-NOT: linalg.matmul
//   VM-DAG: %[[C0:.+]] = arith.constant 0 : index
//   VM-DAG: %[[C1:.+]] = arith.constant 1 : index
//       VM: %[[KM:.+]] = tensor.dim %[[M]], %[[C1]] : tensor<?x?xf32>
//       VM: %[[KN:.+]] = tensor.dim %[[N]], %[[C0]] : tensor<?x4xf32>
// One check: select(k, 0, 1) canonicalizes to zext(!k).
//       VM: %[[BAD:.+]] = arith.cmpi ne, %[[KM]], %[[KN]] : index
//       VM: %[[R:.+]] = arith.extui %[[BAD]] : i1 to i32
//       VM: return %[[R]] : i32
// VM-LABEL: func.func @second(
//   VM-NOT: cf.assert
//       VM: linalg.matmul
// VM-LABEL: func.func @third(
//   VM-NOT: cf.assert
//       VM: return
//   VM-NOT: __vmgpu_check_third
func.func @first(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %0 = vm.add %a, %b : tensor<?xf32>
  %1 = vm.mul %0, %a : tensor<?xf32>
  return %1 : tensor<?xf32>
}
func.func @second(%m: tensor<?x?xf32>, %n: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = vm.matmul %m, %n : (tensor<?x?xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
func.func @third(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.neg %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}
