// vm-rocdl-tanh-to-device-library: scalar f16/f32/f64 math.tanh becomes a
// call of the ROCm device library's __ocml_tanh_f16/f32/f64, declared once
// in the gpu.module, and a 1-D vector one call per lane; other types (bf16)
// and other ops are left alone. The whole ROCm path with a tanh: Target/ROCm/float-rules.test.
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(gpu.module(vm-rocdl-tanh-to-device-library))" | FileCheck %s

// CHECK-LABEL: gpu.module @kernels
// CHECK-DAG:     llvm.func @__ocml_tanh_f32(f32) -> f32
// CHECK-DAG:     llvm.func @__ocml_tanh_f64(f64) -> f64
// CHECK-DAG:     llvm.func @__ocml_tanh_f16(f16) -> f16
gpu.module @kernels {
  // CHECK-LABEL: gpu.func @scalars(
  // CHECK-SAME:      %[[X:[^:]+]]: f32, %[[Y:[^:]+]]: f64, %[[H:[^:]+]]: f16
  // CHECK:         %[[T:.+]] = llvm.call @__ocml_tanh_f32(%[[X]]) : (f32) -> f32
  // CHECK:         %[[U:.+]] = llvm.call @__ocml_tanh_f32(%[[T]]) : (f32) -> f32
  // CHECK:         llvm.call @__ocml_tanh_f64(%[[Y]]) : (f64) -> f64
  // CHECK:         llvm.call @__ocml_tanh_f16(%[[H]]) : (f16) -> f16
  // CHECK-NOT:     math.tanh
  // CHECK:         gpu.return
  gpu.func @scalars(%x: f32, %y: f64, %h: f16, %out: memref<2xf32>,
                    %out64: memref<1xf64>, %out16: memref<1xf16>) kernel {
    %c0 = arith.constant 0 : index
    %t = math.tanh %x : f32
    %u = math.tanh %t : f32
    %v = math.tanh %y : f64
    %w = math.tanh %h : f16
    memref.store %u, %out[%c0] : memref<2xf32>
    memref.store %v, %out64[%c0] : memref<1xf64>
    memref.store %w, %out16[%c0] : memref<1xf16>
    gpu.return
  }

  // CHECK-LABEL: gpu.func @lanes(
  // CHECK-SAME:      %[[V:[^:]+]]: vector<2xf32>
  // CHECK:         %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<2xf32>
  // CHECK:         %[[X0:.+]] = vector.extract %[[V]][0]
  // CHECK:         %[[T0:.+]] = llvm.call @__ocml_tanh_f32(%[[X0]])
  // CHECK:         %[[R0:.+]] = vector.insert %[[T0]], %[[ZERO]] [0]
  // CHECK:         %[[X1:.+]] = vector.extract %[[V]][1]
  // CHECK:         %[[T1:.+]] = llvm.call @__ocml_tanh_f32(%[[X1]])
  // CHECK:         %[[R1:.+]] = vector.insert %[[T1]], %[[R0]] [1]
  // CHECK:         vector.store %[[R1]]
  gpu.func @lanes(%v: vector<2xf32>, %out: memref<2xf32>) kernel {
    %c0 = arith.constant 0 : index
    %t = math.tanh %v : vector<2xf32>
    vector.store %t, %out[%c0] : memref<2xf32>, vector<2xf32>
    gpu.return
  }

  // CHECK-LABEL: gpu.func @left_alone(
  // CHECK-NOT:     llvm.call
  // CHECK:         math.tanh %{{.+}} : bf16
  // CHECK:         math.tanh %{{.+}} : vector<2x2xf32>
  // CHECK:         math.sin %{{.+}} : f32
  // CHECK:         gpu.return
  gpu.func @left_alone(%b: bf16, %v: vector<2x2xf32>, %s: f32,
                       %out: memref<1xbf16>, %outv: memref<2x2xf32>,
                       %outs: memref<1xf32>) kernel {
    %c0 = arith.constant 0 : index
    %tb = math.tanh %b : bf16
    %tv = math.tanh %v : vector<2x2xf32>
    %ts = math.sin %s : f32
    memref.store %tb, %out[%c0] : memref<1xbf16>
    vector.store %tv, %outv[%c0, %c0] : memref<2x2xf32>, vector<2x2xf32>
    memref.store %ts, %outs[%c0] : memref<1xf32>
    gpu.return
  }
}
