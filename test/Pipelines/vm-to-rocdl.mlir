// The vm-to-rocdl pipeline: kernels in a gpu.binary, host code in LLVM, and
// the contract's float rules visible in the AMDGPU assembly (no GPU needed).
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-rocdl="format=isa" | sed -e 's/\\0A/\n/g' | FileCheck %s --check-prefixes=ISA,GFX942
// RUN: vm-gpu-opt %s --vm-to-rocdl="format=isa chip=gfx90a opt-level=2" | sed -e 's/\\0A/\n/g' | FileCheck %s --check-prefixes=ISA,GFX90A
// RUN: vm-gpu-opt %s --vm-to-rocdl="format=isa chip=gfx1100" | sed -e 's/\\0A/\n/g' | FileCheck %s --check-prefixes=ISA,GFX1100
// RUN: vm-gpu-opt %s --vm-to-rocdl="fast-math=true" --dump-pass-pipeline 2>&1 | FileCheck %s --check-prefix=FAST
// RUN: vm-gpu-opt %s --vm-to-rocdl --dump-pass-pipeline 2>&1 | FileCheck %s --check-prefix=PIPELINE

// CHECK: llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @muladd(
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK: %[[STREAM:.+]] = llvm.call @mgpuStreamCreate()
// CHECK: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @muladd_kernel::@muladd_kernel blocks in
// CHECK: llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK: gpu.binary @muladd_kernel [#gpu.object<#rocdl.target<{{.*}}chip = "gfx942"{{.*}}>, bin = "\7FELF

// The target and code object version 5 (quotes are escaped as \22).
// GFX942: .amdgcn_target \22amdgcn-amd-amdhsa--gfx942
// GFX90A: .amdgcn_target \22amdgcn-amd-amdhsa--gfx90a
// GFX1100: .amdgcn_target \22amdgcn-amd-amdhsa--gfx1100
// ISA: .amdhsa_code_object_version 5

// a * b + c stays a rounded multiply and a rounded add: after the loads
// (the index arithmetic before them may use float instructions to divide
// 64-bit integers), v_mul_f32 feeds v_add_f32 and nothing is fused.
// ISA-LABEL: {{^}}muladd_kernel:
// ISA: global_load_{{dword|b32}} [[A:v[0-9]+]]
// ISA: global_load_{{dword|b32}} [[B:v[0-9]+]]
// ISA: global_load_{{dword|b32}} [[C:v[0-9]+]]
// ISA-NOT: {{v_(pk_)?(fma|fmac|mad|mac|fmamk|fmaak)[a-z0-9_]*_f32}}
// ISA: v_mul_f32_e32 [[PRODUCT:v[0-9]+]], [[A]], [[B]]
// ISA-NOT: {{v_(pk_)?(fma|fmac|mad|mac|fmamk|fmaak)[a-z0-9_]*_f32}}
// ISA: v_add_f32_e32 {{v[0-9]+}}, [[PRODUCT]], [[C]]
// ISA-NOT: {{v_(pk_)?(fma|fmac|mad|mac|fmamk|fmaak)[a-z0-9_]*_f32}}
// ISA: global_store_{{dword|b32}}
// GFX90A: .amdhsa_accum_offset
// GFX1100: .amdhsa_wavefront_size32 1

// Division: the IEEE sequence, not a reciprocal estimate alone.
// ISA-LABEL: {{^}}divide_kernel:
// ISA: v_div_scale_f32
// ISA: v_div_fmas_f32
// ISA: v_div_fixup_f32
// ISA: s_endpgm

// Square root: v_sqrt_f32 with the scaling of tiny inputs and the
// correction steps that round it correctly (LLVM's expansion of
// llvm.sqrt.f32 without `afn`).
// ISA-LABEL: {{^}}root_kernel:
// ISA: v_cmp_gt_f32
// ISA: v_sqrt_f32
// ISA: v_fma_f32
// ISA: v_fma_f32
// ISA: v_cmp_class_f32
// ISA: s_endpgm

// vm.fma is the one fused operation.
// ISA-LABEL: {{^}}fused_kernel:
// ISA: {{v_fma(c)?_f32}}
// ISA: s_endpgm

// fast-math only relaxes the device libraries (unsafe math, finite only,
// denormals as zero, approximate sqrt inside ocml); MLIR marks no arith op
// `contract` or `afn`, so mul + add, divf and sqrt stay as above.
// FAST: rocdl-attach-target{O=3 abi=500 chip=gfx942 correct-sqrt=false
// FAST-SAME: fast=true

// PIPELINE: rocdl-attach-target{O=3 abi=500 chip=gfx942 correct-sqrt=true
// PIPELINE-SAME: wave64=true
// PIPELINE-NEXT: gpu.module(
// PIPELINE-NEXT: vm-gpu-math-to-ocml{chipset=gfx942}
// PIPELINE-NEXT: convert-gpu-to-rocdl{{.*}}chipset=gfx942{{.*}}runtime=HIP
// PIPELINE: gpu-module-to-binary{{.*}}format=bin
func.func @muladd(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>)
    -> tensor<1024xf32> {
  %0 = vm.mul %a, %b : tensor<1024xf32>
  %1 = vm.add %0, %c : tensor<1024xf32>
  return %1 : tensor<1024xf32>
}

func.func @divide(%a: tensor<1024xf32>, %b: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.div %a, %b : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}

func.func @root(%a: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.sqrt %a : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}

func.func @fused(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>)
    -> tensor<1024xf32> {
  %0 = vm.fma %a, %b, %c : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
