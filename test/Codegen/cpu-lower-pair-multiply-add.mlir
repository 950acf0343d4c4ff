// vm-cpu-lower-pair-multiply-add: an op that names its intrinsic becomes a
// call of it; one without, its arithmetic (even and odd elements of both
// operands, sign-extended, multiplied, added).
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-cpu-lower-pair-multiply-add))" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @intrinsic
// CHECK: %[[S:.+]] = llvm.call_intrinsic "llvm.x86.avx512.pmaddw.d.512"(%arg0, %arg1) : (vector<32xi16>, vector<32xi16>) -> vector<16xi32>
// CHECK: arith.addi %[[S]], %arg2
// CHECK-NOT: vmgpu_codegen
func.func @intrinsic(%a: vector<32xi16>, %b: vector<32xi16>,
                     %acc: vector<16xi32>) -> vector<16xi32> {
  %0 = vmgpu_codegen.pair_multiply_add %a, %b {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
  %1 = arith.addi %0, %acc : vector<16xi32>
  return %1 : vector<16xi32>
}

// CHECK-LABEL: func.func @arithmetic
// CHECK-DAG: %[[AE:.+]] = vector.shuffle %arg0, %arg0 [0, 2, 4, 6] : vector<8xi16>, vector<8xi16>
// CHECK-DAG: %[[BE:.+]] = vector.shuffle %arg1, %arg1 [0, 2, 4, 6] : vector<8xi16>, vector<8xi16>
// CHECK-DAG: %[[AO:.+]] = vector.shuffle %arg0, %arg0 [1, 3, 5, 7] : vector<8xi16>, vector<8xi16>
// CHECK-DAG: %[[BO:.+]] = vector.shuffle %arg1, %arg1 [1, 3, 5, 7] : vector<8xi16>, vector<8xi16>
// CHECK-DAG: %[[XAE:.+]] = arith.extsi %[[AE]] : vector<4xi16> to vector<4xi32>
// CHECK-DAG: %[[XBE:.+]] = arith.extsi %[[BE]] : vector<4xi16> to vector<4xi32>
// CHECK-DAG: %[[XAO:.+]] = arith.extsi %[[AO]] : vector<4xi16> to vector<4xi32>
// CHECK-DAG: %[[XBO:.+]] = arith.extsi %[[BO]] : vector<4xi16> to vector<4xi32>
// CHECK-DAG: %[[E:.+]] = arith.muli %[[XAE]], %[[XBE]] : vector<4xi32>
// CHECK-DAG: %[[O:.+]] = arith.muli %[[XAO]], %[[XBO]] : vector<4xi32>
// CHECK: %[[S:.+]] = arith.addi %[[E]], %[[O]] : vector<4xi32>
// CHECK: return %[[S]]
func.func @arithmetic(%a: vector<8xi16>, %b: vector<8xi16>) -> vector<4xi32> {
  %0 = vmgpu_codegen.pair_multiply_add %a, %b : vector<8xi16> -> vector<4xi32>
  return %0 : vector<4xi32>
}
