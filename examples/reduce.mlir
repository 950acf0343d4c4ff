// Reductions over a batch of rows of 64 floats whose number is only known
// at run time (`?`), plus an integer checksum.
//
// vm.reduce drops the reduced dimensions from the shape (reducing every
// dimension gives a 0-D tensor); vm.dot multiplies two 1-D tensors into a
// 0-D one. Both accumulate in the result type.

func.func @main(%rows: tensor<?x64xf32>, %words: tensor<16x8xi32>)
    -> (tensor<?xf32>, tensor<?xf32>, tensor<f32>, tensor<f32>, tensor<8xi32>) {
  // Per row: the sum and the largest value.
  %sums = vm.reduce %rows {kind = "sum", dims = array<i64: 1>}
      : tensor<?x64xf32> -> tensor<?xf32>
  %maxima = vm.reduce %rows {kind = "max", dims = array<i64: 1>}
      : tensor<?x64xf32> -> tensor<?xf32>

  // Everything at once.
  %total = vm.reduce %rows {kind = "sum", dims = array<i64: 0, 1>}
      : tensor<?x64xf32> -> tensor<f32>

  // The squared length of the first row (the batch must not be empty):
  // slice it out, drop the unit dimension, and take its dot product with
  // itself.
  %first = vm.slice %rows {offsets = array<i64: 0, 0>, sizes = array<i64: 1, 64>,
                           strides = array<i64: 1, 1>}
      : tensor<?x64xf32> -> tensor<1x64xf32>
  %row0 = vm.reshape %first : tensor<1x64xf32> -> tensor<64xf32>
  %norm2 = vm.dot %row0, %row0 : tensor<64xf32> -> tensor<f32>

  // An xor checksum of each column of 16 words.
  %checksum = vm.reduce %words {kind = "xor", dims = array<i64: 0>}
      : tensor<16x8xi32> -> tensor<8xi32>

  return %sums, %maxima, %total, %norm2, %checksum
      : tensor<?xf32>, tensor<?xf32>, tensor<f32>, tensor<f32>, tensor<8xi32>
}
