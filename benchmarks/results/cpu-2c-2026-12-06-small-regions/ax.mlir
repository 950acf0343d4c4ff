func.func @main(%a: tensor<?xf32>, %x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %ax = vm.mul %a, %x : tensor<?xf32>
  %s = vm.add %ax, %y : tensor<?xf32>
  %r = vm.relu %s : tensor<?xf32>
  return %r : tensor<?xf32>
}
