// The second line of defence: with the bound raised out of the way, a CPU
// block's allocation that fails stops the run (the buffers it had are
// freed) and vm-gpu-run exits 1 with OutOfMemory's message instead of
// writing through a null pointer. 2^60 f32 fits in no address space, and an
// 8 GB limit keeps the 4 MiB buffer before it the only real allocation.
// `ulimit -v` leaves no room for ASan's shadow memory (scripts/sanitize.sh).
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t
// RUN: not env VMGPU_DISK_CACHE=0 VMGPU_BLOCK_MEMORY_MAX_BYTES=18446744073709551614 bash -c 'ulimit -v 8000000; exec vm-gpu-run %s --device cpu --repeat 3 --output-dir %t/out' > %t/log 2>&1
// RUN: FileCheck %s < %t/log
// RUN: not ls %t/out

// The lowering asks for the buffer plus 64 bytes of alignment.
// CHECK: vm-gpu-run: error: the block's allocation of 4611686018427387968 bytes failed; the run was stopped there and its buffers freed
// CHECK-NOT: Stack dump

func.func @main() -> (tensor<?xf32>, tensor<?xf32>) {
  %small = arith.constant 1048576 : index
  %huge = arith.constant 1152921504606846976 : index
  %v = arith.constant 1.0 : f32
  %a = vm.splat %v [%small] : f32 -> tensor<?xf32>
  %b = vm.splat %v [%huge] : f32 -> tensor<?xf32>
  return %a, %b : tensor<?xf32>, tensor<?xf32>
}
