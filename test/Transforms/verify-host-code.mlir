// vm-verify-host-code: GPU host code may allocate, free, copy with the
// driver and launch, but never launch in a loop nor touch buffer contents.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --vm-verify-host-code | FileCheck %s

// Straight-line host code that only manages buffers and launches passes;
// host stack memory may be read and written.
// CHECK-LABEL: func.func @accepted(
module attributes {gpu.container_module} {
  memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]>
  gpu.module @kernels {
    gpu.func @k(%a: memref<?xf32>) kernel {
      gpu.return
    }
  }
  func.func @accepted(%n: index) -> memref<?xf32> {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %buffer = memref.alloc(%n) : memref<?xf32>
    %size = memref.dim %buffer, %c0 : memref<?xf32>
    %g = memref.get_global @table : memref<2xf32>
    %copy = memref.alloc() : memref<2xf32>
    gpu.memcpy %copy, %g : memref<2xf32>, memref<2xf32>
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%size, %c1, %c1) args(%buffer : memref<?xf32>)
    %stack = memref.alloca() : memref<1xindex>
    memref.store %size, %stack[%c0] : memref<1xindex>
    %v = memref.load %stack[%c0] : memref<1xindex>
    memref.dealloc %copy : memref<2xf32>
    return %buffer : memref<?xf32>
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
  func.func @launch_in_loop(%n: index) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    scf.for %i = %c0 to %n step %c1 {
      // expected-error @+1 {{kernel launch inside a host loop ('scf.for'): one launch per iteration}}
      gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    }
    return
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @kernels {
    gpu.func @k() kernel {
      gpu.return
    }
  }
  func.func @launch_in_cfg_cycle(%stop: i1) {
    %c1 = arith.constant 1 : index
    cf.br ^loop
  ^loop:
    // expected-error @+1 {{kernel launch inside a host control-flow cycle: one launch per iteration}}
    gpu.launch_func @kernels::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    cf.cond_br %stop, ^exit, ^loop
  ^exit:
    return
  }
}

// -----

func.func @host_reads(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{host code reads block data; it must run in a GPU kernel}}
  %v = memref.load %a[%c0] : memref<4xf32>
  return %v : f32
}

// -----

func.func @host_writes(%a: memref<4xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{host code writes block data; it must run in a GPU kernel}}
  memref.store %v, %a[%c0] : memref<4xf32>
  return
}

// -----

// A view of a device buffer is still the device buffer.
func.func @host_writes_view(%a: memref<4xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %view = memref.subview %a[1] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 1>>
  // expected-error @+1 {{host code writes block data; it must run in a GPU kernel}}
  memref.store %v, %view[%c0] : memref<2xf32, strided<[1], offset: 1>>
  return
}

// -----

func.func @host_copies(%a: memref<4xf32>, %b: memref<4xf32>) {
  // expected-error @+1 {{host code reads block data; it must run in a GPU kernel}}
  memref.copy %a, %b : memref<4xf32> to memref<4xf32>
  return
}

// -----

func.func @unknown_effects(%a: memref<4xf32>) {
  // expected-error @+1 {{host code holds an op whose memory accesses are unknown; it must run in a GPU kernel}}
  "test.unknown"(%a) : (memref<4xf32>) -> ()
  return
}

// -----

// A call of the runtime's GEMM (the `library` contraction strategy) queues
// device work like a launch: accepted in straight-line code, refused in a
// loop; a call of any other host function is checked where it is defined.
// CHECK-LABEL: func.func @library_call_accepted(
func.func private @vmgpuGemm(i64) attributes {vmgpu.runtime_library_call}
func.func @library_call_accepted(%x: i64) {
  call @vmgpuGemm(%x) : (i64) -> ()
  return
}

// -----

func.func private @vmgpuGemm(i64) attributes {vmgpu.runtime_library_call}
func.func @library_call_in_loop(%n: index, %x: i64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{library call inside a host loop ('scf.for'): one launch per iteration}}
    func.call @vmgpuGemm(%x) : (i64) -> ()
  }
  return
}
