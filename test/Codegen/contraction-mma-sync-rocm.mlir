// ROCm keeps tiled_simt for the products that take mma_sync on NVIDIA sm_80+
// (f16/bf16 -> f32, i8 -> i32): the configuration, and gfx942 assembly
// that compiles (no MFMA yet).
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CONFIG-LABEL: func.func @matmul_f16
// CONFIG: linalg.matmul {{.*}}strategy = "tiled_simt"
// CHECK-LABEL: matmul_f16_kernel:
// CHECK: v_pk_fma_f32
// CHECK: ds_write2_b32
func.func @matmul_f16(%a: tensor<129x127xf16>, %b: tensor<127x33xf16>) -> tensor<129x33xf16> {
  %r = "vm.matmul"(%a, %b) : (tensor<129x127xf16>, tensor<127x33xf16>) -> tensor<129x33xf16>
  return %r : tensor<129x33xf16>
}

// CONFIG-LABEL: func.func @batch_matmul_i8
// CONFIG: linalg.batch_matmul {{.*}}strategy = "tiled_simt"
// CHECK-LABEL: batch_matmul_i8_kernel:
// CHECK: v_mul_lo_u32
// CHECK: v_add3_u32
func.func @batch_matmul_i8(%a: tensor<3x64x64xi8>, %b: tensor<3x64x64xi8>) -> tensor<3x64x64xi32> {
  %r = "vm.batch_matmul"(%a, %b) : (tensor<3x64x64xi8>, tensor<3x64x64xi8>) -> tensor<3x64x64xi32>
  return %r : tensor<3x64x64xi32>
}
