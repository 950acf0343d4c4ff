// vmgpu_codegen.sort_rows prints and parses back; the verifier's messages.
// RUN: vm-gpu-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @rows
// CHECK: vmgpu_codegen.sort_rows ins(%{{.+}} : memref<8x100xf32>) outs(%{{.+}}, %{{.+}} : memref<8x20xf32>, memref<8x20xi64>) {descending, unsigned_keys}
func.func @rows(%x: memref<8x100xf32>, %v: memref<8x20xf32>, %i: memref<8x20xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<8x100xf32>) outs(%v, %i : memref<8x20xf32>, memref<8x20xi64>) {descending, unsigned_keys}
  return
}

// -----

// CHECK-LABEL: func.func @one_row
// CHECK: vmgpu_codegen.sort_rows ins(%{{.+}} : memref<4096xi8>) outs(%{{.+}}, %{{.+}} : memref<4096xi8>, memref<4096xi64>)
func.func @one_row(%x: memref<4096xi8>, %v: memref<4096xi8>, %i: memref<4096xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<4096xi8>) outs(%v, %i : memref<4096xi8>, memref<4096xi64>)
  return
}

// -----

func.func @rank(%x: memref<2x2x4xf32>, %v: memref<2x2x4xf32>, %i: memref<2x2x4xi64>) {
  // expected-error @+1 {{expects rows of rank 1 or 2, got rank 3}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x2x4xf32>) outs(%v, %i : memref<2x2x4xf32>, memref<2x2x4xi64>)
  return
}

// -----

func.func @result_rank(%x: memref<2x4xf32>, %v: memref<8xf32>, %i: memref<8xi64>) {
  // expected-error @+1 {{expects values and indices of the input's rank 2}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<8xf32>, memref<8xi64>)
  return
}

// -----

func.func @wide(%x: memref<2x4xf64>, %v: memref<2x4xf64>, %i: memref<2x4xi64>) {
  // expected-error @+1 {{expects integer or float elements of at most 32 bits, got 'f64'}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf64>) outs(%v, %i : memref<2x4xf64>, memref<2x4xi64>)
  return
}

// -----

func.func @value_type(%x: memref<2x4xf32>, %v: memref<2x4xf16>, %i: memref<2x4xi64>) {
  // expected-error @+1 {{expects values of the input's element type 'f32'}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<2x4xf16>, memref<2x4xi64>)
  return
}

// -----

func.func @index_type(%x: memref<2x4xf32>, %v: memref<2x4xf32>, %i: memref<2x4xi32>) {
  // expected-error @+1 {{expects i64 indices, got 'i32'}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<2x4xf32>, memref<2x4xi32>)
  return
}

// -----

func.func @result_shapes(%x: memref<2x4xf32>, %v: memref<2x4xf32>, %i: memref<2x3xi64>) {
  // expected-error @+1 {{expects values and indices of one shape}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<2x4xf32>, memref<2x3xi64>)
  return
}

// -----

func.func @rows_count(%x: memref<2x4xf32>, %v: memref<3x4xf32>, %i: memref<3x4xi64>) {
  // expected-error @+1 {{expects 2 rows of results, got 3}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<3x4xf32>, memref<3x4xi64>)
  return
}

// -----

func.func @too_long(%x: memref<4097xf32>, %v: memref<4097xf32>, %i: memref<4097xi64>) {
  // expected-error @+1 {{expects rows of 2 to 4096 elements, got 4097}}
  vmgpu_codegen.sort_rows ins(%x : memref<4097xf32>) outs(%v, %i : memref<4097xf32>, memref<4097xi64>)
  return
}

// -----

func.func @too_many(%x: memref<2x4xf32>, %v: memref<2x5xf32>, %i: memref<2x5xi64>) {
  // expected-error @+1 {{expects 1 to 4 results per row, got 5}}
  vmgpu_codegen.sort_rows ins(%x : memref<2x4xf32>) outs(%v, %i : memref<2x5xf32>, memref<2x5xi64>)
  return
}

// -----

func.func @dynamic(%x: memref<?x4xf32>, %v: memref<?x4xf32>, %i: memref<?x4xi64>) {
  // expected-error @+1 {{operand #0 must be statically shaped memref of any type values}}
  vmgpu_codegen.sort_rows ins(%x : memref<?x4xf32>) outs(%v, %i : memref<?x4xf32>, memref<?x4xi64>)
  return
}
