// Integer elementwise chain: y = a * x + y on i32 (wrapping), then the sum
// read as an unsigned number is split three ways.
//
// `unsigned` is a unit attribute on ops whose meaning depends on sign: here
// div and rem treat the bits as unsigned and shr shifts in zeros. Every input
// has a defined result: overflow wraps, x / 0 is all ones, x rem 0 is x, and
// shift amounts are taken modulo 32.

func.func @main(%a: i32, %x: tensor<256xi32>, %y: tensor<256xi32>,
                %divisor: tensor<256xi32>)
    -> (tensor<256xi32>, tensor<256xi32>, tensor<256xi32>, tensor<256xi32>) {
  // The scalar a is spread over the vector explicitly.
  %av = vm.splat %a : i32 -> tensor<256xi32>
  %ax = vm.mul %av, %x : tensor<256xi32>
  %sum = vm.add %ax, %y : tensor<256xi32>

  %quotient = vm.div %sum, %divisor {unsigned} : tensor<256xi32>
  %remainder = vm.rem %sum, %divisor {unsigned} : tensor<256xi32>

  // High and low halves of the sum: a logical shift right and a mask.
  %sixteen = vm.constant dense<16> : tensor<256xi32>
  %high = vm.shr %sum, %sixteen {unsigned} : tensor<256xi32>
  %mask = vm.constant dense<65535> : tensor<256xi32>
  %low = vm.and %sum, %mask : tensor<256xi32>
  return %quotient, %remainder, %high, %low
      : tensor<256xi32>, tensor<256xi32>, tensor<256xi32>, tensor<256xi32>
}
