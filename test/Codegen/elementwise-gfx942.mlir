// The AMDGPU assembly of vectorized elementwise kernels (no GPU needed):
// 16-byte global loads and stores on gfx942.
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: axpy_relu_kernel:
// CHECK: global_load_dwordx4
// CHECK: global_store_dwordx4
// CHECK: global_load_dword
// CHECK: global_store_dword
func.func @axpy_relu(%a: tensor<?xf32>, %x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %m = "vm.mul"(%a, %x) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %p = "vm.add"(%m, %y) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %r = "vm.relu"(%p) : (tensor<?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// CHECK-LABEL: add_f16_kernel:
// CHECK: global_load_dwordx4
// CHECK: global_store_dwordx4
func.func @add_f16(%a: tensor<?xf16>, %b: tensor<?xf16>) -> tensor<?xf16> {
  %r = "vm.add"(%a, %b) : (tensor<?xf16>, tensor<?xf16>) -> tensor<?xf16>
  return %r : tensor<?xf16>
}
