// Kernels for the float rules in AMDGPU code: each function becomes one
// kernel module (@<function>_kernel).
func.func @muladd(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.mul %a, %b : tensor<1024xf32>
  %1 = vm.add %0, %c : tensor<1024xf32>
  return %1 : tensor<1024xf32>
}
func.func @muladd64(%a: tensor<1024xf64>, %b: tensor<1024xf64>, %c: tensor<1024xf64>) -> tensor<1024xf64> {
  %0 = vm.mul %a, %b : tensor<1024xf64>
  %1 = vm.add %0, %c : tensor<1024xf64>
  return %1 : tensor<1024xf64>
}
func.func @div(%a: tensor<1024xf32>, %b: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.div %a, %b : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
func.func @sqrt(%a: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.sqrt %a : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
func.func @fma(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.fma %a, %b, %c : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
func.func @tanh(%a: tensor<1024xf32>) -> tensor<1024xf32> {
  %0 = vm.tanh %a : tensor<1024xf32>
  return %0 : tensor<1024xf32>
}
