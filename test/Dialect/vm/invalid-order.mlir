// RUN: vm-gpu-opt %s -split-input-file -verify-diagnostics

// Verifier messages of the contract v2 ops vm.scatter, vm.sort and vm.topk.

func.func @scatter_kind(%d: tensor<4xf32>, %i: tensor<2xi32>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op attribute 'kind' must be one of set, add, mul, min, max; got 'sum'}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "sum"} : (tensor<4xf32>, tensor<2xi32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_unsigned_add(%d: tensor<4xi32>, %i: tensor<2xi32>, %u: tensor<2xi32>) {
  // expected-error @+1 {{'vm.scatter' op attribute 'unsigned' applies to kinds min and max only, got kind 'add'}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "add", unsigned} : (tensor<4xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<4xi32>
  return
}

// -----

func.func @scatter_unsigned_float(%d: tensor<4xf32>, %i: tensor<2xi32>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "max", unsigned} : (tensor<4xf32>, tensor<2xi32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_dim(%d: tensor<4xf32>, %i: tensor<2xi32>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op attribute 'dim' 1 is out of range for data of rank 1}}
  %0 = vm.scatter %d, %i, %u {dim = 1 : i64, kind = "set"} : (tensor<4xf32>, tensor<2xi32>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_index_type(%d: tensor<4xf32>, %i: tensor<2xi16>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op operand #1 must be ranked tensor (no encoding) of 32-bit signless integer or 64-bit signless integer values}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4xf32>, tensor<2xi16>, tensor<2xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_updates_type(%d: tensor<4xf32>, %i: tensor<2xi32>, %u: tensor<2xf16>) {
  // expected-error @+1 {{'vm.scatter' op updates element type 'f16' must match data element type 'f32'}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4xf32>, tensor<2xi32>, tensor<2xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @scatter_result_type(%d: tensor<4xf32>, %i: tensor<2xi32>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op result element type 'f16' must be the data element type 'f32'}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4xf32>, tensor<2xi32>, tensor<2xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @scatter_indices_rank(%d: tensor<4x3xf32>, %i: tensor<2xi32>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'vm.scatter' op indices must have the rank of data (2), got 'tensor<2xi32>'}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<2xi32>, tensor<2xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_updates_shape(%d: tensor<4x3xf32>, %i: tensor<2x3xi32>, %u: tensor<2x2xf32>) {
  // expected-error @+1 {{'vm.scatter' op updates shape [2, 2] must be the indices shape [2, 3]}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<2x3xi32>, tensor<2x2xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_too_wide(%d: tensor<4x3xf32>, %i: tensor<2x5xi32>, %u: tensor<2x5xf32>) {
  // expected-error @+1 {{'vm.scatter' op indices dimension 1 (5) is larger than data's (3)}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<2x5xi32>, tensor<2x5xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_updates_too_wide(%d: tensor<4x3xf32>, %i: tensor<2x?xi32>, %u: tensor<2x5xf32>) {
  // expected-error @+1 {{'vm.scatter' op updates dimension 1 (5) is larger than data's (3)}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<2x?xi32>, tensor<2x5xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @scatter_result_shape(%d: tensor<4x3xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.scatter' op result shape [4, 2] does not match the expected shape [4, 3]}}
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<2x3xi32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @sort_dim(%x: tensor<4x3xf32>) {
  // expected-error @+1 {{'vm.sort' op attribute 'dim' 2 is out of range for an operand of rank 2}}
  %v, %i = vm.sort %x {dim = 2 : i64} : tensor<4x3xf32> -> (tensor<4x3xf32>, tensor<4x3xi64>)
  return
}

// -----

func.func @sort_index_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.sort' op result #1 must be ranked tensor (no encoding) of 64-bit signless integer values}}
  %v, %i = vm.sort %x {dim = 0 : i64} : tensor<4xf32> -> (tensor<4xf32>, tensor<4xi32>)
  return
}

// -----

func.func @sort_values_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.sort' op values element type 'f64' must be the operand element type 'f32'}}
  %v, %i = vm.sort %x {dim = 0 : i64} : tensor<4xf32> -> (tensor<4xf64>, tensor<4xi64>)
  return
}

// -----

func.func @sort_values_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.sort' op values shape [5] does not match the expected shape [4]}}
  %v, %i = vm.sort %x {dim = 0 : i64} : tensor<4xf32> -> (tensor<5xf32>, tensor<4xi64>)
  return
}

// -----

func.func @sort_indices_shape(%x: tensor<4x2xf32>) {
  // expected-error @+1 {{'vm.sort' op indices shape [2, 4] does not match the expected shape [4, 2]}}
  %v, %i = vm.sort %x {dim = 0 : i64} : tensor<4x2xf32> -> (tensor<4x2xf32>, tensor<2x4xi64>)
  return
}

// -----

func.func @sort_unsigned_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.sort' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %v, %i = vm.sort %x {dim = 0 : i64, unsigned} : tensor<4xf32> -> (tensor<4xf32>, tensor<4xi64>)
  return
}

// -----

func.func @topk_k_too_large(%x: tensor<2x5xf32>) {
  // expected-error @+1 {{'vm.topk' op attribute 'k' 6 is larger than dimension 1 (5)}}
  %v, %i = vm.topk %x {k = 6 : i64, dim = 1 : i64} : tensor<2x5xf32> -> (tensor<2x6xf32>, tensor<2x6xi64>)
  return
}

// -----

func.func @topk_k_negative(%x: tensor<5xf32>) {
  // expected-error @+1 {{'vm.topk' op attribute 'k' must be >= 0, got -1}}
  %v, %i = vm.topk %x {k = -1 : i64, dim = 0 : i64} : tensor<5xf32> -> (tensor<5xf32>, tensor<5xi64>)
  return
}

// -----

func.func @topk_dim(%x: tensor<5xf32>) {
  // expected-error @+1 {{'vm.topk' op attribute 'dim' -1 is out of range for an operand of rank 1}}
  %v, %i = vm.topk %x {k = 1 : i64, dim = -1 : i64} : tensor<5xf32> -> (tensor<1xf32>, tensor<1xi64>)
  return
}

// -----

func.func @topk_shape(%x: tensor<2x5xf32>) {
  // expected-error @+1 {{'vm.topk' op values shape [2, 5] does not match the expected shape [2, 3]}}
  %v, %i = vm.topk %x {k = 3 : i64, dim = 1 : i64} : tensor<2x5xf32> -> (tensor<2x5xf32>, tensor<2x3xi64>)
  return
}

// -----

func.func @topk_index_type(%x: tensor<5xi8>) {
  // expected-error @+1 {{'vm.topk' op result #1 must be ranked tensor (no encoding) of 64-bit signless integer values}}
  %v, %i = vm.topk %x {k = 2 : i64, dim = 0 : i64} : tensor<5xi8> -> (tensor<2xi8>, tensor<2xf32>)
  return
}

// -----

func.func @topk_values_type(%x: tensor<5xi8>) {
  // expected-error @+1 {{'vm.topk' op values element type 'i16' must be the operand element type 'i8'}}
  %v, %i = vm.topk %x {k = 2 : i64, dim = 0 : i64} : tensor<5xi8> -> (tensor<2xi16>, tensor<2xi64>)
  return
}
