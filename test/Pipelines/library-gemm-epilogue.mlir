// The hidden layer of an MLP, relu(x W + b) (rounded to f16 for f16
// inputs), through the whole NVIDIA pipeline with the library strategy:
// one vmgpuGemmEpilogue call computes x W + b (rounded), and one kernel the
// relu, in place (before, a kernel read the f32 product back: 64 MiB at
// 4096 x 4096, and wrote the layer). Without a relu, no kernel is left.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --split-input-file --vm-to-nvvm="chip=sm_90a format=ptx contraction-strategy=library" \
// RUN:   --mlir-disable-threading --mlir-print-ir-after=gpu-async-region -o /dev/null 2>&1 | FileCheck %s

// CHECK-LABEL: func.func @hidden_layer_f16
// CHECK-NOT:     gpu.launch_func
// CHECK:         call @vmgpuGemmEpilogue(%c1_i32, %c1_i32, %c1_i32, %c3_i32,
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
func.func @hidden_layer_f16(%x: tensor<64x32xf16>, %w: tensor<32x128xf16>, %b: tensor<128xf16>) -> tensor<64x128xf16> {
  %0 = "vm.matmul"(%x, %w) : (tensor<64x32xf16>, tensor<32x128xf16>) -> tensor<64x128xf32>
  %1 = "vm.convert"(%b) : (tensor<128xf16>) -> tensor<128xf32>
  %2 = "vm.broadcast"(%1) {dims = array<i64: 1>} : (tensor<128xf32>) -> tensor<64x128xf32>
  %3 = "vm.add"(%0, %2) : (tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  %4 = "vm.relu"(%3) : (tensor<64x128xf32>) -> tensor<64x128xf32>
  %5 = "vm.convert"(%4) : (tensor<64x128xf32>) -> tensor<64x128xf16>
  return %5 : tensor<64x128xf16>
}

// -----

// CHECK-LABEL: func.func @hidden_layer_f32_without_relu
// CHECK-NOT:     gpu.launch_func
// CHECK:         call @vmgpuGemmEpilogue(%c0_i32, %c0_i32, %c0_i32, %c3_i32,
// CHECK-NOT:     gpu.launch_func
// CHECK:         return
func.func @hidden_layer_f32_without_relu(%x: tensor<64x32xf32>, %w: tensor<32x128xf32>, %b: tensor<128xf32>) -> tensor<64x128xf32> {
  %0 = "vm.matmul"(%x, %w) : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
  %1 = "vm.broadcast"(%b) {dims = array<i64: 1>} : (tensor<128xf32>) -> tensor<64x128xf32>
  %2 = "vm.add"(%1, %0) : (tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  return %2 : tensor<64x128xf32>
}

// -----

// A relu without a bias keeps its kernel (cuBLASLt's RELU epilogue alone
// was not checked on a device).
// CHECK-LABEL: func.func @relu_without_bias
// CHECK:         call @vmgpuGemm(
// CHECK:         gpu.launch_func
func.func @relu_without_bias(%x: tensor<64x32xf32>, %w: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = "vm.matmul"(%x, %w) : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
  %1 = "vm.relu"(%0) : (tensor<64x128xf32>) -> tensor<64x128xf32>
  return %1 : tensor<64x128xf32>
}
