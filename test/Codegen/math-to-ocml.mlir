// RUN: vm-gpu-opt %s --pass-pipeline='builtin.module(gpu.module(vm-gpu-math-to-ocml{chipset=gfx942}))' | FileCheck %s
// RUN: not vm-gpu-opt %s --pass-pipeline='builtin.module(gpu.module(vm-gpu-math-to-ocml{chipset=gfx9x}))' 2>&1 | FileCheck %s --check-prefix=CHIP

// Math ops of AMD kernels become OCML calls before convert-gpu-to-rocdl,
// which would lower tan, asin, acos, atan, sinh, cosh and tanh to LLVM
// intrinsics the AMDGPU backend cannot select (and LLVM would exit the
// process). Ops OCML has no function for stay math ops: f32 exp and log
// (the backend's own instructions), sqrt, fma.

// CHECK-DAG: llvm.func @__ocml_tan_f32(f32) -> f32
// CHECK-DAG: llvm.func @__ocml_asin_f32(f32) -> f32
// CHECK-DAG: llvm.func @__ocml_acos_f32(f32) -> f32
// CHECK-DAG: llvm.func @__ocml_atan_f64(f64) -> f64
// CHECK-DAG: llvm.func @__ocml_sinh_f32(f32) -> f32
// CHECK-DAG: llvm.func @__ocml_cosh_f32(f32) -> f32
// CHECK-DAG: llvm.func @__ocml_tanh_f16(f16) -> f16
// CHECK-DAG: llvm.func @__ocml_exp_f64(f64) -> f64
// CHECK-DAG: llvm.func @__ocml_fmod_f32(f32, f32) -> f32
// CHECK-LABEL: gpu.func @transcendental
//       CHECK:   %[[TAN:.+]] = llvm.call @__ocml_tan_f32(%{{.+}}) : (f32) -> f32
//       CHECK:   %[[ASIN:.+]] = llvm.call @__ocml_asin_f32(%[[TAN]])
//       CHECK:   %[[ACOS:.+]] = llvm.call @__ocml_acos_f32(%[[ASIN]])
//       CHECK:   %[[SINH:.+]] = llvm.call @__ocml_sinh_f32(%[[ACOS]])
//       CHECK:   %[[COSH:.+]] = llvm.call @__ocml_cosh_f32(%[[SINH]])
//       CHECK:   %[[EXP:.+]] = math.exp %[[COSH]] : f32
//       CHECK:   %[[SQRT:.+]] = math.sqrt %[[EXP]] : f32
//       CHECK:   %[[FMA:.+]] = math.fma %[[SQRT]], %[[SQRT]], %[[SQRT]] : f32
//       CHECK:   llvm.call @__ocml_fmod_f32(%[[FMA]], %{{.+}}) : (f32, f32) -> f32
//       CHECK:   %[[ATAN:.+]] = llvm.call @__ocml_atan_f64(%{{.+}}) : (f64) -> f64
//       CHECK:   llvm.call @__ocml_exp_f64(%[[ATAN]])
//       CHECK:   llvm.call @__ocml_tanh_f16(%{{.+}}) : (f16) -> f16
//   CHECK-NOT: math.tan
//   CHECK-NOT: math.tanh

// CHIP: error: unknown AMDGPU chip 'gfx9x'
gpu.module @kernels {
  gpu.func @transcendental(%x: f32, %d: f64, %h: f16, %out: memref<4xf32>,
                           %outd: memref<4xf64>, %outh: memref<4xf16>) kernel {
    %c0 = arith.constant 0 : index
    %0 = math.tan %x : f32
    %1 = math.asin %0 : f32
    %2 = math.acos %1 : f32
    %3 = math.sinh %2 : f32
    %4 = math.cosh %3 : f32
    %5 = math.exp %4 : f32
    %6 = math.sqrt %5 : f32
    %7 = math.fma %6, %6, %6 : f32
    %8 = arith.remf %7, %x : f32
    memref.store %8, %out[%c0] : memref<4xf32>
    %9 = math.atan %d : f64
    %10 = math.exp %9 : f64
    memref.store %10, %outd[%c0] : memref<4xf64>
    %11 = math.tanh %h : f16
    memref.store %11, %outh[%c0] : memref<4xf16>
    gpu.return
  }
}
