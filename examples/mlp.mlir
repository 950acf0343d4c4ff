// A two-layer perceptron classifying a batch of 4 samples with 16 features
// into 8 classes: probs = softmax(relu(x * W1 + b1) * W2 + b2).
//
// The biases are vectors; vm ops never broadcast implicitly, so each bias is
// widened to the batch with vm.broadcast (dims = [1]: bias dimension 0 becomes
// result dimension 1, and the batch dimension is new).

func.func @main(%x: tensor<4x16xf32>,
                %w1: tensor<16x32xf32>, %b1: tensor<32xf32>,
                %w2: tensor<32x8xf32>, %b2: tensor<8xf32>) -> tensor<4x8xf32> {
  // Hidden layer.
  %xw1 = vm.matmul %x, %w1 : (tensor<4x16xf32>, tensor<16x32xf32>) -> tensor<4x32xf32>
  %bias1 = vm.broadcast %b1 {dims = array<i64: 1>} : tensor<32xf32> -> tensor<4x32xf32>
  %pre1 = vm.add %xw1, %bias1 : tensor<4x32xf32>
  %hidden = vm.relu %pre1 : tensor<4x32xf32>

  // Output layer and class probabilities (each row sums to 1).
  %hw2 = vm.matmul %hidden, %w2 : (tensor<4x32xf32>, tensor<32x8xf32>) -> tensor<4x8xf32>
  %bias2 = vm.broadcast %b2 {dims = array<i64: 1>} : tensor<8xf32> -> tensor<4x8xf32>
  %logits = vm.add %hw2, %bias2 : tensor<4x8xf32>
  %probs = vm.softmax %logits {dim = 1 : i64} : tensor<4x8xf32>
  return %probs : tensor<4x8xf32>
}
