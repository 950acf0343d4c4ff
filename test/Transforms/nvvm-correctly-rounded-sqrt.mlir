// vm-nvvm-correctly-rounded-sqrt: every f32 math.sqrt becomes the NVVM
// intrinsic llvm.nvvm.sqrt.rn.f (sqrt.rn.f32); other types are left alone.
// RUN: vm-gpu-opt %s --vm-nvvm-correctly-rounded-sqrt | FileCheck %s

gpu.module @kernels {
  // CHECK-LABEL: gpu.func @f32_root(
  // CHECK-SAME:      %[[X:[^:]+]]: f32, %[[OUT:[^:]+]]: memref<2xf32>)
  // CHECK:         %[[ROOT:.+]] = llvm.call_intrinsic "llvm.nvvm.sqrt.rn.f"(%[[X]]) : (f32) -> f32
  // CHECK:         %[[SUM:.+]] = arith.addf %[[ROOT]], %[[ROOT]] : f32
  // CHECK:         %[[AGAIN:.+]] = llvm.call_intrinsic "llvm.nvvm.sqrt.rn.f"(%[[SUM]]) : (f32) -> f32
  // CHECK:         memref.store %[[AGAIN]], %[[OUT]]
  // CHECK-NOT:     math.sqrt
  // CHECK:         gpu.return
  gpu.func @f32_root(%x: f32, %out: memref<2xf32>) kernel {
    %c0 = arith.constant 0 : index
    %r = math.sqrt %x : f32
    %s = arith.addf %r, %r : f32
    %t = math.sqrt %s : f32
    memref.store %t, %out[%c0] : memref<2xf32>
    gpu.return
  }

  // f64 sqrt is always correctly rounded; f16 and vectors are not f32 scalars.
  // CHECK-LABEL: gpu.func @other_types(
  // CHECK-NOT:     llvm.call_intrinsic
  // CHECK:         math.sqrt %{{.+}} : f64
  // CHECK:         math.sqrt %{{.+}} : f16
  // CHECK:         math.sqrt %{{.+}} : vector<4xf32>
  // CHECK-NOT:     llvm.call_intrinsic
  // CHECK:         gpu.return
  gpu.func @other_types(%a: f64, %b: f16, %c: vector<4xf32>,
                        %out64: memref<1xf64>, %out16: memref<1xf16>,
                        %outv: memref<1xvector<4xf32>>) kernel {
    %c0 = arith.constant 0 : index
    %ra = math.sqrt %a : f64
    %rb = math.sqrt %b : f16
    %rc = math.sqrt %c : vector<4xf32>
    memref.store %ra, %out64[%c0] : memref<1xf64>
    memref.store %rb, %out16[%c0] : memref<1xf16>
    memref.store %rc, %outv[%c0] : memref<1xvector<4xf32>>
    gpu.return
  }
}

// The pass is not tied to gpu.module: host functions are rewritten too
// when it runs on them (the pipeline runs it on gpu.module only).
// CHECK-LABEL: func.func @host(
// CHECK:         llvm.call_intrinsic "llvm.nvvm.sqrt.rn.f"
func.func @host(%x: f32) -> f32 {
  %r = math.sqrt %x : f32
  return %r : f32
}
