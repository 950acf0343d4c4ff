// The host code of a block whose matmul takes the library strategy: the
// kernels before the GEMM, the vmgpuGemm call and the kernels after it are
// queued in program order on the one stream (the launch before ends in a
// gpu.wait, which is a no-op on the device's persistent stream; the launch
// after starts from a new gpu.wait async, whose mgpuStreamCreate returns
// that same stream), and the host code stays straight-line without loads or
// stores. With the default strategy the same block has no library call.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx contraction-strategy=library" \
// RUN:   --mlir-disable-threading --mlir-print-ir-after=gpu-async-region -o /dev/null 2>&1 | FileCheck %s --check-prefix=ASYNC
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx contraction-strategy=library" \
// RUN:   | FileCheck %s --check-prefix=LLVM
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | FileCheck %s --check-prefix=GEN

// ASYNC-LABEL: func.func @relu_matmul_bias
// ASYNC:         %[[T0:.*]] = gpu.wait async
// ASYNC:         %[[T1:.*]] = gpu.launch_func async [%[[T0]]]
// ASYNC:         gpu.wait [%[[T1]]]
// ASYNC-NOT:     gpu.launch_func
// ASYNC:         call @vmgpuGemm(
// ASYNC:         %[[T2:.*]] = gpu.wait async
// ASYNC:         gpu.launch_func async [%[[T2]]]
// ASYNC:       func.func private @vmgpuGemm({{.*}}) attributes {vmgpu.runtime_library_call}

// LLVM-LABEL: llvm.func @relu_matmul_bias(
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         %[[S0:.*]] = llvm.call @mgpuStreamCreate
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         gpu.launch_func <%[[S0]] : !llvm.ptr>
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         llvm.call @mgpuStreamSynchronize(%[[S0]])
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         llvm.call @vmgpuGemm(
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         %[[S1:.*]] = llvm.call @mgpuStreamCreate
// LLVM-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// LLVM:         gpu.launch_func <%[[S1]] : !llvm.ptr>
// LLVM:         llvm.return
// LLVM:       llvm.func @vmgpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64)

// GEN-LABEL: llvm.func @relu_matmul_bias(
// GEN-NOT:     vmgpuGemm
// GEN:         llvm.return
func.func @relu_matmul_bias(%x: tensor<256x128xf32>, %w: tensor<128x64xf32>,
                            %b: tensor<256x64xf32>) -> tensor<256x64xf32> {
  %r = vm.relu %x : tensor<256x128xf32>
  %m = vm.matmul %r, %w : (tensor<256x128xf32>, tensor<128x64xf32>) -> tensor<256x64xf32>
  %y = vm.add %m, %b : tensor<256x64xf32>
  return %y : tensor<256x64xf32>
}
