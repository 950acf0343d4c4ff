// vm-rocdl-math-to-device-library: math ops the ROCm device library
// implements (tanh, the inverse trigonometric functions, ...) become calls
// of its __ocml_* functions inside the gpu.module, before
// convert-gpu-to-rocdl could turn them into LLVM intrinsics the AMDGPU
// backend cannot select; vectors take one call per lane; other ops (arith,
// math.fma, math.sqrt) are left alone. The whole ROCm path with them:
// Target/ROCm/float-rules.test and e2e/rocm-hsaco.test.
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(gpu.module(vm-rocdl-math-to-device-library{chip=gfx942}))" | FileCheck %s


// CHECK-LABEL: gpu.module @kernels
gpu.module @kernels {
  // CHECK-LABEL: gpu.func @scalars(
  // CHECK-DAG:     llvm.call @__ocml_tanh_f32(
  // CHECK-DAG:     llvm.call @__ocml_acos_f32(
  // CHECK-DAG:     llvm.call @__ocml_atan_f64(
  // CHECK-DAG:     llvm.call @__ocml_asin_f16(
  // CHECK-DAG:     math.fma
  // CHECK-DAG:     math.sqrt
  // CHECK:         gpu.return
  gpu.func @scalars(%x: f32, %y: f64, %h: f16, %out: memref<4xf32>,
                    %out64: memref<1xf64>, %out16: memref<1xf16>) kernel {
    %c0 = arith.constant 0 : index
    %t = math.tanh %x : f32
    %a = math.acos %t : f32
    %f = math.fma %a, %a, %a : f32
    %s = math.sqrt %f : f32
    %v = math.atan %y : f64
    %w = math.asin %h : f16
    memref.store %s, %out[%c0] : memref<4xf32>
    memref.store %v, %out64[%c0] : memref<1xf64>
    memref.store %w, %out16[%c0] : memref<1xf16>
    gpu.return
  }

  // CHECK-LABEL: gpu.func @lanes(
  // CHECK-COUNT-2: llvm.call @__ocml_tanh_f32(
  // CHECK-NOT:     math.tanh
  // CHECK:         gpu.return
  gpu.func @lanes(%v: vector<2xf32>, %out: memref<2xf32>) kernel {
    %c0 = arith.constant 0 : index
    %t = math.tanh %v : vector<2xf32>
    vector.store %t, %out[%c0] : memref<2xf32>, vector<2xf32>
    gpu.return
  }
}
