// The tensor-core strategy (mma_sync) as the configuration heuristic picks
// it and as PTX (no GPU needed): f16/bf16 inputs with an f32 accumulator and
// i8 inputs with an i32 accumulator on sm_80 and later; tiled_simt for f32,
// for chips below sm_80 and on ROCm (contraction-gfx942.mlir).
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa tensor-cores=true" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' > %t.ptx
// RUN: FileCheck %s < %t.ptx
// Per kernel (in file order), how often each instruction occurs
// ("N kernel( instruction xCOUNT", instructions sorted):
// RUN: awk '/\.entry /{if(k)for(o in c)print n, k, o, "x" c[o]; delete c; k=$3; n++} k && match($0,/^[ \t]*[a-z][a-z0-9._]+/){o=substr($0,RSTART,RLENGTH); gsub(/[ \t]/,"",o); c[o]++} END{for(o in c)print n, k, o, "x" c[o]}' %t.ptx | sort -k1,1n -k3,3 | FileCheck %s --check-prefix=HIST
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa tensor-cores=true" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_80 format=isa tensor-cores=true" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM80
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_75 format=isa tensor-cores=true" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM75
// On by default (they passed the e2e suite on the H200); tensor-cores=false
// keeps tiled_simt.
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=DEFAULT
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa tensor-cores=false" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=SIMT

// f16 x f16 -> f32, 4096^3: 128 x 128 blocks of 4 warps with 64 x 64 warp
// tiles, K slices of 32, 3 stages of [128][32] + [32][128] f16 (48 KiB).
// CONFIG-LABEL: func.func @matmul_f16_4096
// CONFIG: linalg.matmul {vmgpu.lowering_config = {cache_tiles = array<i64: 128, 128, 32>, class = "contraction", max_blocks = 0 : i64, pipeline_depth = 3 : i64, register_tiles = array<i64: 64, 64, 16>, strategy = "mma_sync", vector_width = 1 : i64, workgroup = array<i64: 128, 1, 1>}}
// SM80-LABEL: func.func @matmul_f16_4096
// SM80: strategy = "mma_sync"
// SM75-LABEL: func.func @matmul_f16_4096
// SM75: strategy = "tiled_simt"
// DEFAULT-LABEL: func.func @matmul_f16_4096
// DEFAULT: strategy = "mma_sync"
// SIMT-LABEL: func.func @matmul_f16_4096
// SIMT: strategy = "tiled_simt"
//
// A is K-contiguous (ldmatrix), B is N-contiguous (ldmatrix.trans); two
// slices of 16-byte cp.async in flight before the K loop, whose iterations
// wait for all but the newest group, pass one barrier, issue the next
// slice's copies and compute 2 K steps x (4 + 4 ldmatrix.x4, 32 mma.sync).
// The accumulators stay in registers across the whole K loop: the only
// shared-memory reads are ldmatrix, nothing is spilled, and the 128
// accumulators of a thread (4 x 8 tiles x 4) are stored after the loop,
// once each: as 64 pairs of adjacent columns when C is aligned, else one
// by one (the fill of C is folded: C is never read).
// CHECK-LABEL: .entry matmul_f16_4096_kernel(
// CHECK: .maxntid 128, 1, 1
// CHECK-DAG: .shared .align 16 .b8 __wg_matmul_f16_4096_kernel_0[24576];
// CHECK-DAG: .shared .align 16 .b8 __wg_matmul_f16_4096_kernel_1[24576];
// CHECK: cp.async.cg.shared.global [{{.*}}], [{{.*}}], 16, {{.*}};
// CHECK: cp.async.wait_group 1;
// CHECK-NEXT: bar.sync 0;
// HIST-NOT: matmul_f16_4096_kernel( ld.local
// HIST-NOT: matmul_f16_4096_kernel( ld.shared
// HIST: matmul_f16_4096_kernel( bar.sync x2
// HIST: matmul_f16_4096_kernel( cp.async.cg.shared.global x24
// HIST: matmul_f16_4096_kernel( cp.async.commit_group x3
// HIST: matmul_f16_4096_kernel( cp.async.wait_group x1
// HIST-NOT: matmul_f16_4096_kernel( ld.global.b32
// HIST: matmul_f16_4096_kernel( ldmatrix.sync.aligned.m8n8.x4.shared.b16 x8{{$}}
// HIST: matmul_f16_4096_kernel( ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 x8{{$}}
// HIST-NOT: matmul_f16_4096_kernel( ld.shared
// HIST: matmul_f16_4096_kernel( mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 x64{{$}}
// HIST: matmul_f16_4096_kernel( st.global.b32 x128{{$}}
// HIST: matmul_f16_4096_kernel( st.global.v2.b32 x64{{$}}
// HIST-NOT: matmul_f16_4096_kernel( st.local
func.func @matmul_f16_4096(%a: tensor<4096x4096xf16>, %b: tensor<4096x4096xf16>) -> tensor<4096x4096xf32> {
  %r = "vm.matmul"(%a, %b) : (tensor<4096x4096xf16>, tensor<4096x4096xf16>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

// bf16 with both operands transposed (A K-outer: ldmatrix.trans; B
// K-contiguous: ldmatrix), batched; 1024^2 x 3 batches cover the SMs with
// 128 x 128 tiles. The f16 result rounding (not here) and other epilogues
// run on the accumulators (contraction-mma-sync-epilogue below).
// CONFIG-LABEL: func.func @batch_matmul_bf16_tatb
// CONFIG: strategy = "mma_sync"
// HIST: batch_matmul_bf16_tatb_kernel( ldmatrix.sync.aligned.m8n8.x4.shared.b16 x8{{$}}
// HIST: batch_matmul_bf16_tatb_kernel( ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 x8{{$}}
// HIST: batch_matmul_bf16_tatb_kernel( mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 x64{{$}}
func.func @batch_matmul_bf16_tatb(%a: tensor<3x1024x1024xbf16>, %b: tensor<3x1024x1024xbf16>) -> tensor<3x1024x1024xf32> {
  %r = "vm.batch_matmul"(%a, %b) {transpose_a, transpose_b} : (tensor<3x1024x1024xbf16>, tensor<3x1024x1024xbf16>) -> tensor<3x1024x1024xf32>
  return %r : tensor<3x1024x1024xf32>
}

// i8 x i8 -> i32: K slices of 64, the m16n8k32 s8 instruction without
// .satfinite (the body's add wraps). B (N-contiguous) is transposed into
// [N][64] on its way into shared memory: 16-byte loads along N (4 chunks of
// 16 per thread and slice) when aligned, else byte loads, then byte stores;
// A is copied with cp.async; both are read with ldmatrix (no .trans for
// 8-bit elements).
// 1024 x 1024 on 132 SMs: 64 x 128 blocks (128 of them), 4 stages.
// CONFIG-LABEL: func.func @matmul_i8_1024
// CONFIG: cache_tiles = array<i64: 64, 128, 64>, class = "contraction", max_blocks = 0 : i64, pipeline_depth = 4 : i64, register_tiles = array<i64: 32, 64, 32>, strategy = "mma_sync"
// HIST-NOT: matmul_i8_1024_kernel( {{.*}}satfinite
// HIST: matmul_i8_1024_kernel( cp.async.cg.shared.global x8{{$}}
// HIST: matmul_i8_1024_kernel( cp.async.wait_group x1
// HIST: matmul_i8_1024_kernel( ld.global.b8
// HIST: matmul_i8_1024_kernel( ld.global.v4.b32 x16{{$}}
// HIST: matmul_i8_1024_kernel( ldmatrix.sync.aligned.m8n8.x4.shared.b16 x12{{$}}
// HIST: matmul_i8_1024_kernel( mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32 x32{{$}}
// HIST: matmul_i8_1024_kernel( st.shared.b8 x256{{$}}
func.func @matmul_i8_1024(%a: tensor<1024x1024xi8>, %b: tensor<1024x1024xi8>) -> tensor<1024x1024xi32> {
  %r = "vm.matmul"(%a, %b) : (tensor<1024x1024xi8>, tensor<1024x1024xi8>) -> tensor<1024x1024xi32>
  return %r : tensor<1024x1024xi32>
}

// f16 result and relu(x W + b): one kernel, the f32 accumulators rounded
// once to f16 (cvt.rn.f16.f32) after the bias add and relu, as written.
// CONFIG-LABEL: func.func @matmul_f16_bias_relu
// CONFIG: strategy = "mma_sync"
// CHECK-LABEL: .entry matmul_f16_bias_relu_kernel(
// CHECK: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK: add.rn.f32
// CHECK: cvt.rn.f16.f32
// CHECK: st.global.v2.b16
// CHECK-NOT: .entry
func.func @matmul_f16_bias_relu(%x: tensor<129x200xf16>, %w: tensor<200x72xf16>, %b: tensor<72xf32>) -> tensor<129x72xf16> {
  %p = "vm.matmul"(%x, %w) : (tensor<129x200xf16>, tensor<200x72xf16>) -> tensor<129x72xf32>
  %bb = "vm.broadcast"(%b) {dims = array<i64: 1>} : (tensor<72xf32>) -> tensor<129x72xf32>
  %s = "vm.add"(%p, %bb) : (tensor<129x72xf32>, tensor<129x72xf32>) -> tensor<129x72xf32>
  %r = "vm.relu"(%s) : (tensor<129x72xf32>) -> tensor<129x72xf32>
  %h = "vm.convert"(%r) : (tensor<129x72xf32>) -> tensor<129x72xf16>
  return %h : tensor<129x72xf16>
}

// Strict f32 keeps tiled_simt (no TF32).
// CONFIG-LABEL: func.func @matmul_f32
// CONFIG: strategy = "tiled_simt"
// CHECK-LABEL: .entry matmul_f32_kernel(
// CHECK-NOT: mma.sync
// CHECK: fma.rn.f32
func.func @matmul_f32(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = "vm.matmul"(%a, %b) : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}
