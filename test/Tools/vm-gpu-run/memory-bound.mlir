// Blocks whose buffers do not fit are refused before they allocate anything:
// vm-gpu-run exits 1 with the bytes the block needs and the bound. Each runs
// under an 8 GB address-space limit, so that nothing here can really take
// tens of GB whatever the machine (a refused run allocates nothing).
// `ulimit -v` leaves no room for ASan's shadow memory (scripts/sanitize.sh).
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t
// RUN: not env VMGPU_DISK_CACHE=0 bash -c 'ulimit -v 8000000; exec vm-gpu-run %s --entry splat --device cpu --output-dir %t/splat' > %t/splat.log 2>&1
// RUN: FileCheck %s --check-prefix=SPLAT < %t/splat.log
// RUN: not ls %t/splat
// RUN: not env VMGPU_DISK_CACHE=0 bash -c 'ulimit -v 8000000; exec vm-gpu-run %s --entry matmul --device cpu --output-dir %t/matmul' > %t/matmul.log 2>&1
// RUN: FileCheck %s --check-prefix=MATMUL < %t/matmul.log
// A broadcast of a 4 MiB input (made by the first entry) to 2^36 elements.
// RUN: env VMGPU_DISK_CACHE=0 vm-gpu-run %s --entry make_input --device cpu --output-dir %t/in
// RUN: not env VMGPU_DISK_CACHE=0 bash -c 'ulimit -v 8000000; exec vm-gpu-run %s --entry broadcast --device cpu --input %t/in/out0.npy --output-dir %t/broadcast' > %t/broadcast.log 2>&1
// RUN: FileCheck %s --check-prefix=BROADCAST < %t/broadcast.log
// A configured bound: an add of two 4 MiB inputs needs its 4 MiB result
// (plus 64 bytes of alignment and 64 of bookkeeping) and the copy of it.
// RUN: env VMGPU_DISK_CACHE=0 VMGPU_BLOCK_MEMORY_MAX_BYTES=8388735 not vm-gpu-run %s --entry add --device cpu --input %t/in/out0.npy --input %t/in/out0.npy --output-dir %t/add 2>&1 | FileCheck %s --check-prefix=ADD
// RUN: env VMGPU_DISK_CACHE=0 VMGPU_BLOCK_MEMORY_MAX_BYTES=8388736 vm-gpu-run %s --entry add --device cpu --input %t/in/out0.npy --input %t/in/out0.npy --output-dir %t/add
// RUN: ls %t/add | FileCheck %s --check-prefix=OUT

// 2^60 f32: the buffer (2^62 + 64 + 64) and its copy (2^62).
// SPLAT: vm-gpu-run: error: block needs 9223372036854775936 bytes, bound is {{[0-9]+}} ({{RLIMIT_AS headroom|RLIMIT_DATA headroom|MemAvailable|cgroup .+}})
// SPLAT-NOT: Stack dump
// (2^32 x 1) x (1 x 2^32) f32: 2^66 bytes of result.
// MATMUL: vm-gpu-run: error: block needs more than 18446744073709551614 bytes (its buffer sizes overflow 64 bits)
// 2^36 f32 elements: 2^38 + 128 bytes of buffer, 2^38 of copy.
// BROADCAST: vm-gpu-run: error: block needs 549755814016 bytes, bound is {{[0-9]+}} (
// ADD: vm-gpu-run: error: block needs 8388736 bytes, bound is 8388735 (configured)
// OUT: out0.npy

func.func @splat() -> tensor<?xf32> {
  %n = arith.constant 1152921504606846976 : index
  %v = arith.constant 1.0 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  return %s : tensor<?xf32>
}

func.func @matmul() -> tensor<?x?xf32> {
  %n = arith.constant 4294967296 : index
  %v = arith.constant 1.0 : f32
  %a = vm.splat %v [%n] : f32 -> tensor<?x1xf32>
  %b = vm.splat %v [%n] : f32 -> tensor<1x?xf32>
  %m = vm.matmul %a, %b : (tensor<?x1xf32>, tensor<1x?xf32>) -> tensor<?x?xf32>
  return %m : tensor<?x?xf32>
}

func.func @make_input() -> tensor<?xf32> {
  %n = arith.constant 1048576 : index
  %v = arith.constant 0.5 : f32
  %s = vm.splat %v [%n] : f32 -> tensor<?xf32>
  return %s : tensor<?xf32>
}

func.func @broadcast(%x: tensor<?xf32>) -> tensor<65536x?xf32> {
  %b = vm.broadcast %x {dims = array<i64: 1>} : tensor<?xf32> -> tensor<65536x?xf32>
  return %b : tensor<65536x?xf32>
}

func.func @add(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %s = vm.add %a, %b : tensor<?xf32>
  return %s : tensor<?xf32>
}
