// vmgpu_codegen.pair_multiply_add prints and parses back; the verifier's
// messages.
// RUN: vm-gpu-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @pairs
// CHECK: vmgpu_codegen.pair_multiply_add %{{.+}}, %{{.+}} {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
// CHECK: vmgpu_codegen.pair_multiply_add %{{.+}}, %{{.+}} : vector<4xi16> -> vector<2xi32>
func.func @pairs(%a: vector<32xi16>, %b: vector<32xi16>, %c: vector<4xi16>,
                 %d: vector<4xi16>) -> (vector<16xi32>, vector<2xi32>) {
  %0 = vmgpu_codegen.pair_multiply_add %a, %b {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
  %1 = vmgpu_codegen.pair_multiply_add %c, %d : vector<4xi16> -> vector<2xi32>
  return %0, %1 : vector<16xi32>, vector<2xi32>
}

// -----

func.func @count(%a: vector<8xi16>, %b: vector<8xi16>) -> vector<8xi32> {
  // expected-error @+1 {{expects twice as many i16 operands as i32 results, got 8 and 8}}
  %0 = vmgpu_codegen.pair_multiply_add %a, %b : vector<8xi16> -> vector<8xi32>
  return %0 : vector<8xi32>
}

// -----

func.func @scalable(%a: vector<[8]xi16>, %b: vector<[8]xi16>) -> vector<[4]xi32> {
  // expected-error @+1 {{expects fixed-length vectors}}
  %0 = vmgpu_codegen.pair_multiply_add %a, %b : vector<[8]xi16> -> vector<[4]xi32>
  return %0 : vector<[4]xi32>
}
