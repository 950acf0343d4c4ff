func.func @main(%a: tensor<?x3xf32>) -> tensor<3xf32> {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<?x3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
