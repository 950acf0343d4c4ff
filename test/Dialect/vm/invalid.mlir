// RUN: vm-gpu-opt %s -split-input-file -verify-diagnostics

// Every vm verifier diagnostic, ODS constraint failures and hostile inputs rejected without a crash.

//===----------------------------------------------------------------------===//
// Elementwise ops: shapes, element types and the `unsigned` attribute
//===----------------------------------------------------------------------===//

func.func @add_shape_mismatch(%a: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'vm.add' op operand #1 has type 'tensor<5xf32>', whose shape does not match 'tensor<4xf32>' of operand #0 (vm ops never broadcast implicitly; use vm.broadcast)}}
  %0 = vm.add %a, %b : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @add_rank_mismatch(%a: tensor<4xf32>, %b: tensor<4x1xf32>) {
  // expected-error @+1 {{operand #1 has type 'tensor<4x1xf32>', whose shape does not match 'tensor<4xf32>' of operand #0}}
  %0 = vm.add %a, %b : (tensor<4xf32>, tensor<4x1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @fma_dynamic_does_not_bridge(%a: tensor<?xf32>, %b: tensor<4xf32>, %c: tensor<5xf32>) {
  // expected-error @+1 {{'vm.fma' op operand #2 has type 'tensor<5xf32>', whose shape does not match 'tensor<4xf32>' of operand #1}}
  %0 = vm.fma %a, %b, %c : (tensor<?xf32>, tensor<4xf32>, tensor<5xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @add_element_type_mismatch(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'vm.add' op operand #1 has element type 'f16' but operand #0 has 'f32'; the operands must share one element type}}
  %0 = vm.add %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @sub_result_shape_mismatch(%a: tensor<?xi32>, %b: tensor<4xi32>) {
  // expected-error @+1 {{'vm.sub' op result has type 'tensor<5xi32>', whose shape does not match 'tensor<4xi32>' of operand #1}}
  %0 = vm.sub %a, %b : (tensor<?xi32>, tensor<4xi32>) -> tensor<5xi32>
  return
}

// -----

func.func @mul_result_element_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.mul' op result element type 'f64' must be the operands' element type 'f32'}}
  %0 = vm.mul %a, %a : tensor<4xf32> -> tensor<4xf64>
  return
}

// -----

func.func @neg_result_shape_mismatch(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.neg' op result has type 'tensor<3xf32>', whose shape does not match 'tensor<4xf32>' of operand #0}}
  %0 = vm.neg %a : tensor<4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @add_unsigned(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.add' op does not take the 'unsigned' attribute: its meaning does not depend on signedness}}
  %0 = vm.add %a, %a {unsigned} : tensor<4xi32>
  return
}

// -----

func.func @shl_unsigned(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.shl' op does not take the 'unsigned' attribute}}
  %0 = vm.shl %a, %a {unsigned} : tensor<4xi32>
  return
}

// -----

func.func @neg_unsigned(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.neg' op does not take the 'unsigned' attribute}}
  %0 = vm.neg %a {unsigned} : tensor<4xi32>
  return
}

// -----

func.func @fma_unsigned(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.fma' op does not take the 'unsigned' attribute}}
  %0 = vm.fma %a, %a, %a {unsigned} : tensor<4xi32>
  return
}

// -----

func.func @div_float_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.div' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.div %a, %a {unsigned} : tensor<4xf32>
  return
}

// -----

func.func @max_float_unsigned(%a: tensor<4xbf16>) {
  // expected-error @+1 {{'vm.max' op attribute 'unsigned' has no meaning for 'bf16' operands}}
  %0 = vm.max %a, %a {unsigned} : tensor<4xbf16>
  return
}

// -----

func.func @div_unsigned_not_unit(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.div' op attribute 'unsigned' must be a unit attribute, got 5 : i64}}
  %0 = "vm.div"(%a, %a) {unsigned = 5 : i64} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

func.func @rem_unsigned_bool(%a: tensor<4xi8>) {
  // expected-error @+1 {{'vm.rem' op attribute 'unsigned' must be a unit attribute, got true}}
  %0 = "vm.rem"(%a, %a) {unsigned = true} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

func.func @sqrt_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.sqrt' op operand #0 must be ranked tensor (no encoding) of float (f16, bf16, f32, f64) values, but got 'tensor<4xi32>'}}
  %0 = vm.sqrt %a : tensor<4xi32>
  return
}

// -----

func.func @pow_float_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.pow' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.pow %a, %a {unsigned} : tensor<4xf32>
  return
}

// -----

func.func @sign_float_unsigned(%a: tensor<4xf16>) {
  // expected-error @+1 {{'vm.sign' op attribute 'unsigned' has no meaning for 'f16' operands; it applies to integers}}
  %0 = vm.sign %a {unsigned} : tensor<4xf16>
  return
}

// -----

func.func @sign_mixed_types(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.sign' op result element type 'i64' must be the operands' element type 'i32'}}
  %0 = "vm.sign"(%a) : (tensor<4xi32>) -> tensor<4xi64>
  return
}

// -----

func.func @sin_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.sin' op operand #0 must be ranked tensor (no encoding) of float (f16, bf16, f32, f64) values, but got 'tensor<4xi32>'}}
  %0 = vm.sin %a : tensor<4xi32>
  return
}

// -----

func.func @erf_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.erf' op does not take the 'unsigned' attribute}}
  %0 = vm.erf %a {unsigned} : tensor<4xf32>
  return
}

// -----

func.func @round_int(%a: tensor<4xi8>) {
  // expected-error @+1 {{'vm.round' op operand #0 must be ranked tensor (no encoding) of float}}
  %0 = vm.round %a : tensor<4xi8>
  return
}

// -----

func.func @gelu_int(%a: tensor<4xi8>) {
  // expected-error @+1 {{'vm.gelu' op operand #0 must be ranked tensor (no encoding) of float}}
  %0 = vm.gelu %a : tensor<4xi8>
  return
}

// -----

func.func @and_float(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.and' op operand #0 must be ranked tensor (no encoding) of integer (i1, i8, i16, i32, i64) values, but got 'tensor<4xf32>'}}
  %0 = vm.and %a, %a : tensor<4xf32>
  return
}

// -----

func.func @not_float(%a: tensor<4xf16>) {
  // expected-error @+1 {{'vm.not' op operand #0 must be ranked tensor (no encoding) of integer (i1, i8, i16, i32, i64) values}}
  %0 = vm.not %a : tensor<4xf16>
  return
}

// -----

func.func @shr_float(%a: tensor<4xf64>) {
  // expected-error @+1 {{'vm.shr' op operand #0 must be ranked tensor (no encoding) of integer}}
  %0 = vm.shr %a, %a {unsigned} : tensor<4xf64>
  return
}

// -----

func.func @add_sat_float(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.add_sat' op operand #0 must be ranked tensor (no encoding) of integer}}
  %0 = vm.add_sat %a, %a : tensor<4xf32>
  return
}

// -----

func.func @add_i4(%a: tensor<4xi4>) {
  // expected-error @+1 {{'vm.add' op operand #0 must be ranked tensor (no encoding) of vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64) values, but got 'tensor<4xi4>'}}
  %0 = vm.add %a, %a : tensor<4xi4>
  return
}

// -----

func.func @add_index(%a: tensor<4xindex>) {
  // expected-error @+1 {{'vm.add' op operand #0 must be ranked tensor (no encoding) of vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64) values, but got 'tensor<4xindex>'}}
  %0 = vm.add %a, %a : tensor<4xindex>
  return
}

// -----

func.func @add_unsigned_int_type(%a: tensor<4xui32>) {
  // expected-error @+1 {{but got 'tensor<4xui32>'}}
  %0 = vm.add %a, %a : tensor<4xui32>
  return
}

// -----

func.func @add_signed_int_type(%a: tensor<4xsi8>) {
  // expected-error @+1 {{but got 'tensor<4xsi8>'}}
  %0 = vm.add %a, %a : tensor<4xsi8>
  return
}

// -----

func.func @add_f8(%a: tensor<4xf8E4M3FN>) {
  // expected-error @+1 {{but got 'tensor<4xf8E4M3FN>'}}
  %0 = vm.add %a, %a : tensor<4xf8E4M3FN>
  return
}

// -----

func.func @add_complex(%a: tensor<4xcomplex<f32>>) {
  // expected-error @+1 {{but got 'tensor<4xcomplex<f32>>'}}
  %0 = vm.add %a, %a : tensor<4xcomplex<f32>>
  return
}

// -----

func.func @add_scalar(%a: f32) {
  // expected-error @+1 {{'vm.add' op operand #0 must be ranked tensor (no encoding) of vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64) values, but got 'f32'}}
  %0 = "vm.add"(%a, %a) : (f32, f32) -> f32
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{but got 'tensor<*xf32>'}}
  %0 = "vm.add"(%a, %a) : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @add_vector(%a: vector<4xf32>) {
  // expected-error @+1 {{but got 'vector<4xf32>'}}
  %0 = "vm.add"(%a, %a) : (vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  return
}

// -----

func.func @add_memref(%a: memref<4xf32>) {
  // expected-error @+1 {{but got 'memref<4xf32>'}}
  %0 = "vm.add"(%a, %a) : (memref<4xf32>, memref<4xf32>) -> memref<4xf32>
  return
}

// -----

func.func @add_encoding(%a: tensor<4xf32, "enc">) {
  // expected-error @+1 {{'vm.add' op operand #0 must be ranked tensor (no encoding) of vm element}}
  %0 = vm.add %a, %a : tensor<4xf32, "enc">
  return
}

// -----

func.func @add_result_encoding(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.add' op result #0 must be ranked tensor (no encoding)}}
  %0 = vm.add %a, %a : tensor<4xf32> -> tensor<4xf32, "enc">
  return
}

// -----

func.func @add_type_count(%a: tensor<4xf32>) {
  // expected-error @+1 {{custom op 'vm.add' expected 2 operand types, got 1}}
  %0 = vm.add %a, %a : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @add_one_operand(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.add' op expected 2 operands, but found 1}}
  %0 = "vm.add"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @add_no_result(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.add' op requires one result}}
  "vm.add"(%a, %a) : (tensor<4xf32>, tensor<4xf32>) -> ()
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.select
//===----------------------------------------------------------------------===//

func.func @select_condition_not_i1(%c: tensor<4xi8>, %a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.select' op operand #0 must be ranked tensor (no encoding) of 1-bit signless integer values, but got 'tensor<4xi8>'}}
  %0 = vm.select %c, %a, %a : (tensor<4xi8>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @select_condition_shape(%c: tensor<3xi1>, %a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.select' op condition type 'tensor<3xi1>' must have the shape of true_value type 'tensor<4xf32>'}}
  %0 = vm.select %c, %a, %a : (tensor<3xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @select_dynamic_does_not_bridge(%c: tensor<?xi1>, %a: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'vm.select' op true_value type 'tensor<4xf32>' must have the shape of false_value type 'tensor<5xf32>'}}
  %0 = vm.select %c, %a, %b : (tensor<?xi1>, tensor<4xf32>, tensor<5xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @select_value_element_types(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'vm.select' op false_value element type 'f16' must match true_value element type 'f32'}}
  %0 = vm.select %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return
}

// -----

func.func @select_result_type(%c: tensor<4xi1>, %a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.select' op result type 'tensor<4xf64>' must match the type of true_value and false_value, 'tensor<4xf32>'}}
  %0 = vm.select %c, %a, %a : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf64>
  return
}

// -----

func.func @select_result_shape(%c: tensor<?xi1>, %a: tensor<?xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'vm.select' op result type 'tensor<5xf32>' must match the type of true_value and false_value, 'tensor<4xf32>'}}
  %0 = vm.select %c, %a, %b : (tensor<?xi1>, tensor<?xf32>, tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @select_unsigned(%c: tensor<4xi1>, %a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.select' op does not take the 'unsigned' attribute}}
  %0 = vm.select %c, %a, %a {unsigned} : (tensor<4xi1>, tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.cmp
//===----------------------------------------------------------------------===//

func.func @cmp_unknown_predicate(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.cmp' op attribute 'predicate' must be one of eq, ne, lt, le, gt, ge; got 'lte'}}
  %0 = vm.cmp %a, %a {predicate = "lte"} : tensor<4xf32> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_predicate_case(%a: tensor<4xi32>) {
  // expected-error @+1 {{attribute 'predicate' must be one of eq, ne, lt, le, gt, ge; got 'EQ'}}
  %0 = vm.cmp %a, %a {predicate = "EQ"} : tensor<4xi32> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_empty_predicate(%a: tensor<4xi32>) {
  // expected-error @+1 {{attribute 'predicate' must be one of eq, ne, lt, le, gt, ge; got ''}}
  %0 = vm.cmp %a, %a {predicate = ""} : tensor<4xi32> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_predicate_integer(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.cmp' op attribute 'predicate' failed to satisfy constraint: string attribute}}
  %0 = "vm.cmp"(%a, %a) {predicate = 3 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

func.func @cmp_missing_predicate(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.cmp' op requires attribute 'predicate'}}
  %0 = "vm.cmp"(%a, %a) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  return
}

// -----

func.func @cmp_float_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.cmp' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.cmp %a, %a {predicate = "lt", unsigned} : tensor<4xf32> -> tensor<4xi1>
  return
}

// -----

func.func @cmp_result_not_i1(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.cmp' op result #0 must be ranked tensor (no encoding) of 1-bit signless integer values, but got 'tensor<4xi32>'}}
  %0 = vm.cmp %a, %a {predicate = "eq"} : tensor<4xi32>
  return
}

// -----

func.func @cmp_element_types(%a: tensor<4xi32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{'vm.cmp' op operand #1 has element type 'i64' but operand #0 has 'i32'}}
  %0 = vm.cmp %a, %b {predicate = "eq"} : (tensor<4xi32>, tensor<4xi64>) -> tensor<4xi1>
  return
}

// -----

func.func @cmp_result_shape(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.cmp' op result has type 'tensor<2x2xi1>', whose shape does not match 'tensor<4xi32>' of operand #0}}
  %0 = vm.cmp %a, %a {predicate = "eq"} : tensor<4xi32> -> tensor<2x2xi1>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.convert and vm.bitcast
//===----------------------------------------------------------------------===//

func.func @convert_float_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.convert' op attribute 'unsigned' has no meaning for a 'f32' -> 'f16' conversion; it applies when either side is an integer}}
  %0 = vm.convert %a {unsigned} : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @convert_unsigned_not_unit(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.convert' op attribute 'unsigned' must be a unit attribute, got "yes"}}
  %0 = "vm.convert"(%a) {unsigned = "yes"} : (tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

func.func @convert_shape(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.convert' op result has type 'tensor<8xf32>', whose shape does not match 'tensor<4xi32>' of operand #0}}
  %0 = vm.convert %a : tensor<4xi32> -> tensor<8xf32>
  return
}

// -----

func.func @convert_to_index(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.convert' op result #0 must be ranked tensor (no encoding) of vm element}}
  %0 = vm.convert %a : tensor<4xi32> -> tensor<4xindex>
  return
}

// -----

func.func @bitcast_widths(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.bitcast' op element types must have equal bit widths, got 'f32' (32 bits) -> 'f16' (16 bits)}}
  %0 = vm.bitcast %a : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @bitcast_i1(%a: tensor<4xi1>) {
  // expected-error @+1 {{'vm.bitcast' op element types must have equal bit widths, got 'i1' (1 bits) -> 'i8' (8 bits)}}
  %0 = vm.bitcast %a : tensor<4xi1> -> tensor<4xi8>
  return
}

// -----

func.func @bitcast_shape(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.bitcast' op result has type 'tensor<2xi32>', whose shape does not match 'tensor<4xf32>' of operand #0}}
  %0 = vm.bitcast %a : tensor<4xf32> -> tensor<2xi32>
  return
}

// -----

func.func @bitcast_unsigned(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.bitcast' op does not take the 'unsigned' attribute}}
  %0 = vm.bitcast %a {unsigned} : tensor<4xf32> -> tensor<4xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.constant and vm.splat
//===----------------------------------------------------------------------===//

func.func @constant_type_mismatch() {
  // expected-error @+1 {{'vm.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "vm.constant"() {value = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf16>
  return
}

// -----

func.func @constant_not_elements() {
  // expected-error @+1 {{'vm.constant' op attribute 'value' failed to satisfy constraint: constant vector/tensor attribute}}
  %0 = "vm.constant"() {value = 1.0 : f32} : () -> tensor<4xf32>
  return
}

// -----

func.func @constant_missing_value() {
  // expected-error @+1 {{'vm.constant' op requires attribute 'value'}}
  %0 = "vm.constant"() : () -> tensor<4xf32>
  return
}

// -----

func.func @constant_i4() {
  // expected-error @+1 {{'vm.constant' op result #0 must be ranked tensor (no encoding) of vm element}}
  %0 = vm.constant dense<1> : tensor<4xi4>
  return
}

// -----

func.func @constant_vector() {
  // expected-error @+1 {{'vm.constant' op result #0 must be ranked tensor (no encoding) of vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64) values, but got 'vector<4xf32>'}}
  %0 = vm.constant dense<1.0> : vector<4xf32>
  return
}

// -----

func.func @constant_unsigned() {
  // expected-error @+1 {{'vm.constant' op does not take the 'unsigned' attribute}}
  %0 = vm.constant {unsigned} dense<1> : tensor<4xi32>
  return
}

// -----

func.func @splat_value_type(%v: f16) {
  // expected-error @+1 {{'vm.splat' op operand 'value' type 'f16' must be the result element type 'f32'}}
  %0 = vm.splat %v : f16 -> tensor<4xf32>
  return
}

// -----

func.func @splat_too_few_sizes(%v: f32, %n: index) {
  // expected-error @+1 {{'vm.splat' op expected 2 dynamic size operands (one per '?' of 'tensor<?x?xf32>'), got 1}}
  %0 = vm.splat %v [%n] : f32 -> tensor<?x?xf32>
  return
}

// -----

func.func @splat_too_many_sizes(%v: f32, %n: index) {
  // expected-error @+1 {{'vm.splat' op expected 0 dynamic size operands (one per '?' of 'tensor<4xf32>'), got 2}}
  %0 = vm.splat %v [%n, %n] : f32 -> tensor<4xf32>
  return
}

// -----

func.func @splat_missing_sizes(%v: i32) {
  // expected-error @+1 {{'vm.splat' op expected 1 dynamic size operands (one per '?' of 'tensor<?xi32>'), got 0}}
  %0 = vm.splat %v : i32 -> tensor<?xi32>
  return
}

// -----

func.func @splat_size_not_index(%v: f32, %n: i64) {
  // expected-error @+1 {{'vm.splat' op operand #1 must be variadic of index, but got 'i64'}}
  %0 = "vm.splat"(%v, %n) : (f32, i64) -> tensor<?xf32>
  return
}

// -----

func.func @splat_index_value(%v: index) {
  // expected-error @+1 {{'vm.splat' op operand #0 must be vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64), but got 'index'}}
  %0 = "vm.splat"(%v) : (index) -> tensor<4xindex>
  return
}

// -----

func.func @splat_tensor_value(%v: tensor<f32>) {
  // expected-error @+1 {{'vm.splat' op operand #0 must be vm element (i1, i8, i16, i32, i64, f16, bf16, f32, f64), but got 'tensor<f32>'}}
  %0 = "vm.splat"(%v) : (tensor<f32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.broadcast
//===----------------------------------------------------------------------===//

func.func @broadcast_dims_length(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' must have one entry per operand dimension (1), got 2}}
  %0 = vm.broadcast %a {dims = array<i64: 0, 1>} : tensor<4xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @broadcast_dims_empty(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' must have one entry per operand dimension (1), got 0}}
  %0 = vm.broadcast %a {dims = array<i64>} : tensor<4xf32> -> tensor<4xf32>
  return
}

// -----

func.func @broadcast_dims_out_of_range(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' entry 2 is out of range for a result of rank 2}}
  %0 = vm.broadcast %a {dims = array<i64: 2>} : tensor<4xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @broadcast_dims_negative(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' entry -1 is out of range for a result of rank 2}}
  %0 = vm.broadcast %a {dims = array<i64: -1>} : tensor<4xf32> -> tensor<3x4xf32>
  return
}

// -----

func.func @broadcast_to_lower_rank(%a: tensor<1x8xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' entry 1 is out of range for a result of rank 1}}
  %0 = vm.broadcast %a {dims = array<i64: 0, 1>} : tensor<1x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @broadcast_dims_not_increasing(%a: tensor<2x4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' must be strictly increasing}}
  %0 = vm.broadcast %a {dims = array<i64: 1, 0>} : tensor<2x4xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @broadcast_dims_repeated(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' must be strictly increasing}}
  %0 = vm.broadcast %a {dims = array<i64: 1, 1>} : tensor<4x4xf32> -> tensor<4x4xf32>
  return
}

// -----

func.func @broadcast_size_mismatch(%a: tensor<3xf32>) {
  // expected-error @+1 {{'vm.broadcast' op operand dimension 0 (size 3) must be 1 or equal to result dimension 1 (size 4)}}
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @broadcast_new_dynamic_dim(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op result dimension 0 is dynamic but no operand dimension maps to it; new dimensions must be static}}
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<4xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @broadcast_element_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op result element type 'f64' must be the operand element type 'f32'}}
  %0 = vm.broadcast %a {dims = array<i64: 0>} : tensor<4xf32> -> tensor<4xf64>
  return
}

// -----

func.func @broadcast_dims_array_attr(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' failed to satisfy constraint: i64 dense array attribute}}
  %0 = "vm.broadcast"(%a) {dims = [0]} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @broadcast_dims_i32_array(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op attribute 'dims' failed to satisfy constraint: i64 dense array attribute}}
  %0 = "vm.broadcast"(%a) {dims = array<i32: 0>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @broadcast_dims_property_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{invalid properties {dims = 0 : i64} for op vm.broadcast: Invalid attribute `dims` in property conversion: 0 : i64}}
  %0 = "vm.broadcast"(%a) <{dims = 0 : i64}> : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @broadcast_missing_dims(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.broadcast' op requires attribute 'dims'}}
  %0 = "vm.broadcast"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.reshape
//===----------------------------------------------------------------------===//

func.func @reshape_count(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.reshape' op element counts differ: operand 'tensor<2x3xf32>' has 6, result 'tensor<5xf32>' has 5}}
  %0 = vm.reshape %a : tensor<2x3xf32> -> tensor<5xf32>
  return
}

// -----

func.func @reshape_two_dynamic(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.reshape' op result type 'tensor<?x?xf32>' may have at most one dynamic dimension (it is inferred from the element count)}}
  %0 = vm.reshape %a : tensor<8xf32> -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_two_dynamic_from_dynamic(%a: tensor<?x?xf32>) {
  // expected-error @+1 {{'vm.reshape' op result type 'tensor<?x2x?xf32>' may have at most one dynamic dimension}}
  %0 = vm.reshape %a : tensor<?x?xf32> -> tensor<?x2x?xf32>
  return
}

// -----

func.func @reshape_not_divisible(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.reshape' op cannot reshape 'tensor<8xf32>' to 'tensor<?x3xf32>': the product of the static dimensions (3) does not divide the element count (8)}}
  %0 = vm.reshape %a : tensor<8xf32> -> tensor<?x3xf32>
  return
}

// -----

func.func @reshape_zero_static_product(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.reshape' op cannot reshape 'tensor<8xf32>' to 'tensor<?x0xf32>': the product of the static dimensions (0) does not divide the element count (8)}}
  %0 = vm.reshape %a : tensor<8xf32> -> tensor<?x0xf32>
  return
}

// -----

func.func @reshape_dynamic_operand(%a: tensor<?x3xf32>) {
  // expected-error @+1 {{'vm.reshape' op cannot reshape 'tensor<?x3xf32>' to 'tensor<4xf32>': the product of the static dimensions (3) does not divide the element count (4)}}
  %0 = vm.reshape %a : tensor<?x3xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reshape_element_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.reshape' op result element type 'i32' must be the operand element type 'f32'}}
  %0 = vm.reshape %a : tensor<4xf32> -> tensor<4xi32>
  return
}

// -----

// A count that would overflow int64 is far over the size bound, checked first.
func.func @reshape_count_overflow(%a: tensor<4294967296x4294967296xf32>) {
  // expected-error @+1 {{'vm.reshape' op operand #0 has type 'tensor<4294967296x4294967296xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.reshape %a : tensor<4294967296x4294967296xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reshape_result_count_overflow(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.reshape' op result #0 has type 'tensor<4294967296x4294967296x?xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.reshape %a : tensor<4xf32> -> tensor<4294967296x4294967296x?xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.transpose
//===----------------------------------------------------------------------===//

func.func @transpose_perm_length(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op attribute 'perm' must have 2 entries (the operand rank), got 1}}
  %0 = vm.transpose %a {perm = array<i64: 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm_repeated(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op attribute 'perm' must be a permutation of [0, 2), got [0, 0]}}
  %0 = vm.transpose %a {perm = array<i64: 0, 0>} : tensor<2x3xf32> -> tensor<2x2xf32>
  return
}

// -----

func.func @transpose_perm_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op attribute 'perm' must be a permutation of [0, 2), got [1, 2]}}
  %0 = vm.transpose %a {perm = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_perm_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op attribute 'perm' must be a permutation of [0, 2), got [-1, 0]}}
  %0 = vm.transpose %a {perm = array<i64: -1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_perm_int_min(%a: tensor<2xf32>) {
  // expected-error @+1 {{'vm.transpose' op attribute 'perm' must be a permutation of [0, 1), got [-9223372036854775808]}}
  %0 = vm.transpose %a {perm = array<i64: -9223372036854775808>} : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @transpose_result_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op result shape [2, 3] does not match the expected shape [3, 2]}}
  %0 = vm.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_element_type(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.transpose' op result element type 'i32' must be the operand element type 'f32'}}
  %0 = vm.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xi32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.slice
//===----------------------------------------------------------------------===//

func.func @slice_offsets_length(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'offsets' must have 1 entries (the operand rank), got 2}}
  %0 = vm.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_sizes_length(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'sizes' must have 1 entries (the operand rank), got 0}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_strides_length(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'strides' must have 1 entries (the operand rank), got 2}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1, 1>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_zero_stride(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'strides' entries must be >= 1, got 0}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 0>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_negative_stride(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'strides' entries must be >= 1, got -1}}
  %0 = vm.slice %a {offsets = array<i64: 4>, sizes = array<i64: 2>, strides = array<i64: -1>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_negative_offset(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'offsets' and 'sizes' entries must be >= 0, got offset -1 and size 2 in dimension 0}}
  %0 = vm.slice %a {offsets = array<i64: -1>, sizes = array<i64: 2>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @slice_negative_size(%a: tensor<?xf32>) {
  // expected-error @+1 {{'vm.slice' op attribute 'offsets' and 'sizes' entries must be >= 0, got offset 0 and size -2 in dimension 0}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: -2>, strides = array<i64: 1>} : tensor<?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @slice_out_of_bounds(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op slice reads out of bounds in dimension 0: offset 4, size 3, stride 2 on a dimension of 8}}
  %0 = vm.slice %a {offsets = array<i64: 4>, sizes = array<i64: 3>, strides = array<i64: 2>} : tensor<8xf32> -> tensor<3xf32>
  return
}

// -----

func.func @slice_offset_past_end(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op slice reads out of bounds in dimension 0: offset 9, size 0, stride 1 on a dimension of 8}}
  %0 = vm.slice %a {offsets = array<i64: 9>, sizes = array<i64: 0>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<0xf32>
  return
}

// -----

func.func @slice_stride_overflow(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.slice' op slice reads out of bounds in dimension 0 whatever its size: offset 0 + (size 3 - 1) * stride 4611686018427387904 overflows a 64-bit integer}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 3>, strides = array<i64: 4611686018427387904>} : tensor<4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @slice_result_shape(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op result shape [3] must equal attribute 'sizes' [2]}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<3xf32>
  return
}

// -----

func.func @slice_dynamic_result(%a: tensor<?xf32>) {
  // expected-error @+1 {{'vm.slice' op result shape [?] must equal attribute 'sizes' [2]}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : tensor<?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @slice_element_type(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.slice' op result element type 'f16' must be the operand element type 'f32'}}
  %0 = vm.slice %a {offsets = array<i64: 0>, sizes = array<i64: 2>, strides = array<i64: 1>} : tensor<8xf32> -> tensor<2xf16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.concat
//===----------------------------------------------------------------------===//

func.func @concat_no_inputs() {
  // expected-error @+1 {{'vm.concat' op expected at least one input}}
  %0 = "vm.concat"() {dim = 0 : i64} : () -> tensor<f32>
  return
}

// -----

func.func @concat_dim_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.concat' op attribute 'dim' (2) must be in [0, 2)}}
  %0 = vm.concat %a, %a {dim = 2 : i64} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_dim_negative(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.concat' op attribute 'dim' (-1) must be in [0, 2)}}
  %0 = vm.concat %a, %a {dim = -1 : i64} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_0d(%a: tensor<f32>) {
  // expected-error @+1 {{'vm.concat' op attribute 'dim' (0) must be in [0, 0)}}
  %0 = vm.concat %a, %a {dim = 0 : i64} : tensor<f32>, tensor<f32> -> tensor<2xf32>
  return
}

// -----

func.func @concat_element_types(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @+1 {{'vm.concat' op input #1 element type 'f16' must match input #0 'f32'}}
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2xf32>, tensor<2xf16> -> tensor<4xf32>
  return
}

// -----

func.func @concat_ranks(%a: tensor<2xf32>, %b: tensor<2x1xf32>) {
  // expected-error @+1 {{'vm.concat' op input #1 has rank 2 but input #0 has rank 1}}
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2xf32>, tensor<2x1xf32> -> tensor<4xf32>
  return
}

// -----

func.func @concat_other_dim(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'vm.concat' op input #1 dimension 1 (4) must match input #0 (3): only dimension 0 may differ}}
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_dynamic_does_not_bridge(%a: tensor<2x?xf32>, %b: tensor<2x3xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+1 {{'vm.concat' op input #2 dimension 1 (4) must match input #1 (3): only dimension 0 may differ}}
  %0 = vm.concat %a, %b, %c {dim = 0 : i64} : tensor<2x?xf32>, tensor<2x3xf32>, tensor<2x4xf32> -> tensor<6x?xf32>
  return
}

// -----

func.func @concat_result_element_type(%a: tensor<2xf32>) {
  // expected-error @+1 {{'vm.concat' op result element type 'f64' must be the inputs' element type 'f32'}}
  %0 = vm.concat %a, %a {dim = 0 : i64} : tensor<2xf32>, tensor<2xf32> -> tensor<4xf64>
  return
}

// -----

func.func @concat_result_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.concat' op result shape [4, 3] does not match the expected shape [2, 6]}}
  %0 = vm.concat %a, %a {dim = 1 : i64} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_result_shape_joined(%a: tensor<?x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+1 {{'vm.concat' op result shape [5, 6] does not match the expected shape [2, 6]}}
  %0 = vm.concat %a, %b {dim = 1 : i64} : tensor<?x3xf32>, tensor<2x3xf32> -> tensor<5x6xf32>
  return
}

// -----

func.func @concat_size_overflow(%a: tensor<4611686018427387904xi8>) {
  // expected-error @+1 {{'vm.concat' op operand #0 has type 'tensor<4611686018427387904xi8>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.concat %a, %a {dim = 0 : i64} : tensor<4611686018427387904xi8>, tensor<4611686018427387904xi8> -> tensor<?xi8>
  return
}

// -----

func.func @concat_dim_i32(%a: tensor<2xf32>) {
  // expected-error @+1 {{'vm.concat' op attribute 'dim' failed to satisfy constraint: 64-bit signless integer attribute}}
  %0 = "vm.concat"(%a) {dim = 0 : i32} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @concat_missing_dim(%a: tensor<2xf32>) {
  // expected-error @+1 {{'vm.concat' op requires attribute 'dim'}}
  %0 = "vm.concat"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.reduce
//===----------------------------------------------------------------------===//

func.func @reduce_unknown_kind(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'kind' must be one of sum, prod, min, max, and, or, xor; got 'mean'}}
  %0 = vm.reduce %a {kind = "mean", dims = array<i64: 1>} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_kind_integer(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'kind' failed to satisfy constraint: string attribute}}
  %0 = "vm.reduce"(%a) {kind = 0 : i64, dims = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @reduce_bitwise_float(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.reduce' op kind 'xor' needs integer elements, got 'f32'}}
  %0 = vm.reduce %a {kind = "xor", dims = array<i64: 1>} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_dims_out_of_range(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'dims' entry 2 is out of range for an operand of rank 2}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 2>} : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @reduce_dims_negative(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'dims' entry -1 is out of range for an operand of rank 2}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: -1>} : tensor<4x8xf32> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_0d_dims(%a: tensor<f32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'dims' entry 0 is out of range for an operand of rank 0}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @reduce_dims_unsorted(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'dims' must be sorted and unique, got [2, 0]}}
  %0 = vm.reduce %a {kind = "max", dims = array<i64: 2, 0>} : tensor<2x3x4xf32> -> tensor<3xf32>
  return
}

// -----

func.func @reduce_dims_repeated(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'dims' must be sorted and unique, got [1, 1]}}
  %0 = vm.reduce %a {kind = "max", dims = array<i64: 1, 1>} : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reduce_result_element_type(%a: tensor<4x8xf16>) {
  // expected-error @+1 {{'vm.reduce' op result element type 'f32' must be the operand element type 'f16'}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<4x8xf16> -> tensor<4xf32>
  return
}

// -----

func.func @reduce_result_shape(%a: tensor<4x8xi32>) {
  // expected-error @+1 {{'vm.reduce' op result shape [4, 1] does not match the expected shape [4]}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4x1xi32>
  return
}

// -----

func.func @reduce_unsigned_sum(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'unsigned' applies to kinds min and max only, got kind 'sum'}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>, unsigned} : tensor<4xi32> -> tensor<i32>
  return
}

// -----

func.func @reduce_unsigned_float(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.reduce' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.reduce %a {kind = "max", dims = array<i64: 0>, unsigned} : tensor<4xf32> -> tensor<f32>
  return
}

// -----

func.func @reduce_missing_dims(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.reduce' op requires attribute 'dims'}}
  %0 = "vm.reduce"(%a) {kind = "sum"} : (tensor<4xi32>) -> tensor<i32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.dot
//===----------------------------------------------------------------------===//

func.func @dot_lhs_rank(%a: tensor<2x4xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'vm.dot' op operand #0 ('lhs') must be a 1-D tensor, got 'tensor<2x4xf32>'}}
  %0 = vm.dot %a, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @dot_rhs_rank(%a: tensor<4xf32>, %b: tensor<f32>) {
  // expected-error @+1 {{'vm.dot' op operand #1 ('rhs') must be a 1-D tensor, got 'tensor<f32>'}}
  %0 = vm.dot %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @dot_element_types(%a: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'vm.dot' op rhs element type 'f16' must match lhs element type 'f32'}}
  %0 = vm.dot %a, %b : (tensor<4xf32>, tensor<4xf16>) -> tensor<f32>
  return
}

// -----

func.func @dot_lengths(%a: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'vm.dot' op operand lengths differ: lhs has 4 elements, rhs has 5}}
  %0 = vm.dot %a, %b : (tensor<4xf32>, tensor<5xf32>) -> tensor<f32>
  return
}

// -----

func.func @dot_result_rank(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.dot' op result shape [1] does not match the expected shape []}}
  %0 = vm.dot %a, %a : tensor<4xf32> -> tensor<1xf32>
  return
}

// -----

func.func @dot_widen_f32(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.dot' op result element type 'f64' must be the operands' element type 'f32' or a wider accumulator (f16/bf16 -> f32, i8 -> i32)}}
  %0 = vm.dot %a, %a : tensor<4xf32> -> tensor<f64>
  return
}

// -----

func.func @dot_widen_i8_i16(%a: tensor<4xi8>) {
  // expected-error @+1 {{'vm.dot' op result element type 'i16' must be the operands' element type 'i8' or a wider accumulator}}
  %0 = vm.dot %a, %a : tensor<4xi8> -> tensor<i16>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.matmul and vm.batch_matmul
//===----------------------------------------------------------------------===//

func.func @matmul_1d(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.matmul' op operand #0 ('lhs') must be a 2-D tensor, got 'tensor<4xf32>'}}
  %0 = vm.matmul %a, %a : tensor<4xf32> -> tensor<f32>
  return
}

// -----

func.func @matmul_rhs_3d(%a: tensor<4x4xf32>, %b: tensor<1x4x4xf32>) {
  // expected-error @+1 {{'vm.matmul' op operand #1 ('rhs') must be a 2-D tensor, got 'tensor<1x4x4xf32>'}}
  %0 = vm.matmul %a, %b : (tensor<4x4xf32>, tensor<1x4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) {
  // expected-error @+1 {{'vm.matmul' op contraction dimensions differ: lhs has K = 8 but rhs has K = 7}}
  %0 = vm.matmul %a, %b : (tensor<4x8xf32>, tensor<7x16xf32>) -> tensor<4x16xf32>
  return
}

// -----

func.func @matmul_contraction_transposed(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'vm.matmul' op contraction dimensions differ: lhs has K = 4 but rhs has K = 8}}
  %0 = vm.matmul %a, %b {transpose_a} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  return
}

// -----

func.func @matmul_contraction_transpose_b(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'vm.matmul' op contraction dimensions differ: lhs has K = 8 but rhs has K = 16}}
  %0 = vm.matmul %a, %b {transpose_b} : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<4x8xf16>, %b: tensor<8x16xbf16>) {
  // expected-error @+1 {{'vm.matmul' op rhs element type 'bf16' must match lhs element type 'f16'}}
  %0 = vm.matmul %a, %b : (tensor<4x8xf16>, tensor<8x16xbf16>) -> tensor<4x16xf32>
  return
}

// -----

func.func @matmul_result_shape(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) {
  // expected-error @+1 {{'vm.matmul' op result shape [16, 4] does not match the expected shape [4, 16]}}
  %0 = vm.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<16x4xf32>
  return
}

// -----

func.func @matmul_widen_f32_f64(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'f64' must be the operands' element type 'f32' or a wider accumulator (f16/bf16 -> f32, i8 -> i32)}}
  %0 = vm.matmul %a, %a : tensor<4x4xf32> -> tensor<4x4xf64>
  return
}

// -----

func.func @matmul_widen_i16_i32(%a: tensor<4x4xi16>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'i32' must be the operands' element type 'i16' or a wider accumulator}}
  %0 = vm.matmul %a, %a : tensor<4x4xi16> -> tensor<4x4xi32>
  return
}

// -----

func.func @matmul_widen_i8_i64(%a: tensor<4x4xi8>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'i64' must be the operands' element type 'i8' or a wider accumulator}}
  %0 = vm.matmul %a, %a : tensor<4x4xi8> -> tensor<4x4xi64>
  return
}

// -----

func.func @matmul_widen_f16_f64(%a: tensor<4x4xf16>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'f64' must be the operands' element type 'f16' or a wider accumulator}}
  %0 = vm.matmul %a, %a : tensor<4x4xf16> -> tensor<4x4xf64>
  return
}

// -----

func.func @matmul_narrow(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'f16' must be the operands' element type 'f32' or a wider accumulator}}
  %0 = vm.matmul %a, %a : tensor<4x4xf32> -> tensor<4x4xf16>
  return
}

// -----

func.func @matmul_int_to_float(%a: tensor<4x4xi8>) {
  // expected-error @+1 {{'vm.matmul' op result element type 'f32' must be the operands' element type 'i8' or a wider accumulator}}
  %0 = vm.matmul %a, %a : tensor<4x4xi8> -> tensor<4x4xf32>
  return
}

// -----

func.func @matmul_unsigned(%a: tensor<4x4xi8>) {
  // expected-error @+1 {{'vm.matmul' op does not take the 'unsigned' attribute}}
  %0 = vm.matmul %a, %a {unsigned} : tensor<4x4xi8> -> tensor<4x4xi32>
  return
}

// -----

func.func @matmul_transpose_bool(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{'vm.matmul' op attribute 'transpose_a' failed to satisfy constraint: unit attribute}}
  %0 = "vm.matmul"(%a, %a) {transpose_a = true} : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @batch_matmul_rank(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.batch_matmul' op operand #0 ('lhs') must be a 3-D tensor, got 'tensor<4x8xf32>'}}
  %0 = vm.batch_matmul %a, %a : tensor<4x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @batch_matmul_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x4xf32>) {
  // expected-error @+1 {{'vm.batch_matmul' op batch dimensions differ: lhs has 2, rhs has 3}}
  %0 = vm.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<3x8x4xf32>) -> tensor<2x4x4xf32>
  return
}

// -----

func.func @batch_matmul_contraction(%a: tensor<2x4x8xf32>, %b: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'vm.batch_matmul' op contraction dimensions differ: lhs has K = 8 but rhs has K = 4}}
  %0 = vm.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @batch_matmul_result_shape(%a: tensor<?x4x8xf32>, %b: tensor<2x8x4xf32>) {
  // expected-error @+1 {{'vm.batch_matmul' op result shape [3, 4, 4] does not match the expected shape [2, 4, 4]}}
  %0 = vm.batch_matmul %a, %b : (tensor<?x4x8xf32>, tensor<2x8x4xf32>) -> tensor<3x4x4xf32>
  return
}

// -----

func.func @batch_matmul_widen(%a: tensor<2x4x4xbf16>) {
  // expected-error @+1 {{'vm.batch_matmul' op result element type 'f64' must be the operands' element type 'bf16' or a wider accumulator}}
  %0 = vm.batch_matmul %a, %a : tensor<2x4x4xbf16> -> tensor<2x4x4xf64>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.conv2d
//===----------------------------------------------------------------------===//

func.func @conv2d_input_rank(%i: tensor<8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op operand #0 ('input', NHWC) must be a 4-D tensor, got 'tensor<8x8x3xf32>'}}
  %0 = vm.conv2d %i, %f : (tensor<8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<6x6x4xf32>
  return
}

// -----

func.func @conv2d_filter_rank(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3xf32>) {
  // expected-error @+1 {{'vm.conv2d' op operand #1 ('filter', HWCF) must be a 4-D tensor, got 'tensor<3x3x3xf32>'}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_element_types(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf16>) {
  // expected-error @+1 {{'vm.conv2d' op filter element type 'f16' must match input element type 'f32'}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf16>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_strides_length(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'strides' must have 2 entries, got 1}}
  %0 = vm.conv2d %i, %f {strides = array<i64: 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_dilations_length(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'dilations' must have 2 entries, got 3}}
  %0 = vm.conv2d %i, %f {dilations = array<i64: 1, 1, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_padding_length(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'padding' must have 4 entries, got 2}}
  %0 = vm.conv2d %i, %f {padding = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_padding_empty(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'padding' must have 4 entries, got 0}}
  %0 = vm.conv2d %i, %f {padding = array<i64>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_zero_stride(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'strides' entries must be >= 1, got 0}}
  %0 = vm.conv2d %i, %f {strides = array<i64: 1, 0>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_zero_dilation(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'dilations' entries must be >= 1, got 0}}
  %0 = vm.conv2d %i, %f {dilations = array<i64: 0, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_negative_padding(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'padding' entries must be >= 0, got -1}}
  %0 = vm.conv2d %i, %f {padding = array<i64: 0, 0, -1, 0>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_channels(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x2x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op input channels (3, dimension 3 of NHWC) must equal filter channels (2, dimension 2 of HWCF)}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x2x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_empty_filter(%i: tensor<1x8x8x3xf32>, %f: tensor<0x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op filter spatial dimension 0 (dimension 0 of HWCF) must be at least 1, got 0}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<0x3x3x4xf32>) -> tensor<1x9x6x4xf32>
  return
}

// -----

func.func @conv2d_kernel_too_big(%i: tensor<1x2x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op the dilated filter (extent 3) is larger than the padded input (2) in spatial dimension 0}}
  %0 = vm.conv2d %i, %f : (tensor<1x2x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x1x6x4xf32>
  return
}

// -----

func.func @conv2d_dilated_too_big(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op the dilated filter (extent 9) is larger than the padded input (8) in spatial dimension 1}}
  %0 = vm.conv2d %i, %f {dilations = array<i64: 1, 4>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_extent_overflow(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op the dilated filter extent in spatial dimension 1 overflows a 64-bit integer}}
  %0 = vm.conv2d %i, %f {dilations = array<i64: 1, 4611686018427387904>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_padding_overflow(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op the padded input size in spatial dimension 0 overflows a 64-bit integer}}
  %0 = vm.conv2d %i, %f {padding = array<i64: 9223372036854775807, 9223372036854775807, 0, 0>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_result_shape(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op result shape [1, 6, 6, 4] does not match the expected shape [1, 3, 3, 4]}}
  %0 = vm.conv2d %i, %f {strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv2d_result_features(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op result shape [1, 6, 6, 3] does not match the expected shape [1, 6, 6, 4]}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

func.func @conv2d_widen(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op result element type 'f64' must be the operands' element type 'f32' or a wider accumulator}}
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf64>
  return
}

// -----

func.func @conv2d_strides_array_attr(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>) {
  // expected-error @+1 {{'vm.conv2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute}}
  %0 = "vm.conv2d"(%i, %f) {strides = [1, 1]} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.pool2d
//===----------------------------------------------------------------------===//

func.func @pool2d_kind(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'kind' must be 'max' or 'avg', got 'min'}}
  %0 = vm.pool2d %i {kind = "min", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_input_rank(%i: tensor<8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op operand #0 ('input', NHWC) must be a 4-D tensor, got 'tensor<8x8x3xf32>'}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>} : tensor<8x8x3xf32> -> tensor<4x4x3xf32>
  return
}

// -----

func.func @pool2d_window_length(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'window' must have 2 entries, got 1}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_window_empty(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'window' must have 2 entries, got 0}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_window_zero(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'window' entries must be >= 1, got 0}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 0, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_strides_length(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'strides' must have 2 entries, got 3}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_negative_stride(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'strides' entries must be >= 1, got -2}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: -2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_padding_length(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'padding' must have 4 entries, got 3}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, padding = array<i64: 1, 1, 1>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_negative_padding(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'padding' entries must be >= 0, got -1}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, padding = array<i64: -1, 0, 0, 0>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_padding_not_below_window(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op attribute 'padding' entries must be smaller than the window (2) in spatial dimension 1}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, padding = array<i64: 0, 0, 2, 0>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_window_too_big(%i: tensor<1x2x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op the window (extent 4) is larger than the padded input (2) in spatial dimension 0}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 4, 2>} : tensor<1x2x8x3xf32> -> tensor<1x1x7x3xf32>
  return
}

// -----

func.func @pool2d_padding_overflow(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op the padded input size in spatial dimension 0 overflows a 64-bit integer}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 9223372036854775807, 2>, padding = array<i64: 9223372036854775806, 9223372036854775806, 0, 0>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_result_shape(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op result shape [1, 4, 4, 3] does not match the expected shape [1, 7, 7, 3]}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  return
}

// -----

func.func @pool2d_result_channels(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op result shape [1, 4, 4, 4] does not match the expected shape [1, 4, 4, 3]}}
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @pool2d_result_element_type(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op result element type 'f16' must be the input element type 'f32'}}
  %0 = vm.pool2d %i {kind = "avg", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf16>
  return
}

// -----

func.func @pool2d_missing_window(%i: tensor<1x8x8x3xf32>) {
  // expected-error @+1 {{'vm.pool2d' op requires attribute 'window'}}
  %0 = "vm.pool2d"(%i) {kind = "max"} : (tensor<1x8x8x3xf32>) -> tensor<1x8x8x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// vm.softmax
//===----------------------------------------------------------------------===//

func.func @softmax_dim_out_of_range(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.softmax' op attribute 'dim' (2) must be in [0, 2)}}
  %0 = vm.softmax %a {dim = 2 : i64} : tensor<4x8xf32>
  return
}

// -----

func.func @softmax_dim_negative(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{'vm.softmax' op attribute 'dim' (-1) must be in [0, 2)}}
  %0 = vm.softmax %a {dim = -1 : i64} : tensor<4x8xf32>
  return
}

// -----

func.func @softmax_0d(%a: tensor<f32>) {
  // expected-error @+1 {{'vm.softmax' op operand must have rank >= 1 (a 0-D tensor has no dimension to normalize along)}}
  %0 = vm.softmax %a {dim = 0 : i64} : tensor<f32>
  return
}

// -----

func.func @softmax_int(%a: tensor<4xi32>) {
  // expected-error @+1 {{'vm.softmax' op operand #0 must be ranked tensor (no encoding) of float (f16, bf16, f32, f64) values, but got 'tensor<4xi32>'}}
  %0 = vm.softmax %a {dim = 0 : i64} : tensor<4xi32>
  return
}

// -----

func.func @softmax_result_type(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.softmax' op result element type 'f16' must be the operands' element type 'f32'}}
  %0 = vm.softmax %a {dim = 0 : i64} : tensor<4xf32> -> tensor<4xf16>
  return
}

// -----

func.func @softmax_result_shape(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.softmax' op result has type 'tensor<5xf32>', whose shape does not match 'tensor<4xf32>' of operand #0}}
  %0 = vm.softmax %a {dim = 0 : i64} : tensor<4xf32> -> tensor<5xf32>
  return
}

// -----

func.func @softmax_missing_dim(%a: tensor<4xf32>) {
  // expected-error @+1 {{'vm.softmax' op requires attribute 'dim'}}
  %0 = "vm.softmax"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Tensor size bound: the static dims (a 0 counted as 1) times the element
// size are at most 2^40 bytes, for every operand and result of every vm op.
//===----------------------------------------------------------------------===//

// The splat of 2^60 elements that aborted LLVM translation.
func.func @splat_constant_over_bound() {
  // expected-error @+1 {{'vm.constant' op result #0 has type 'tensor<1152921504606846976xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.constant dense<1.0> : tensor<1152921504606846976xf32>
  return
}

// -----

// Exactly at the bound: 2^40 bytes of i8, 2^38 elements of f32; dynamic dims
// are checked at run time.
func.func @at_the_bound(%a: tensor<1099511627776xi8>, %b: tensor<274877906944xf32>, %c: tensor<?x1099511627776xi8>) {
  %0 = vm.not %a : tensor<1099511627776xi8>
  %1 = vm.neg %b : tensor<274877906944xf32>
  %2 = vm.not %c : tensor<?x1099511627776xi8>
  return
}

// -----

func.func @one_byte_over(%a: tensor<1099511627777xi8>) {
  // expected-error @+1 {{'vm.not' op operand #0 has type 'tensor<1099511627777xi8>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.not %a : tensor<1099511627777xi8>
  return
}

// -----

// f32 takes 4 bytes: 2^38 + 1 elements are over.
func.func @element_size_counts(%a: tensor<274877906945xf32>) {
  // expected-error @+1 {{'vm.neg' op operand #0 has type 'tensor<274877906945xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.neg %a : tensor<274877906945xf32>
  return
}

// -----

// An empty tensor still bounds its other dims (loops and the results of
// reductions over the empty dim).
func.func @zero_counts_as_one(%a: tensor<0x1099511627777xi8>) {
  // expected-error @+1 {{'vm.reduce' op operand #0 has type 'tensor<0x1099511627777xi8>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<0x1099511627777xi8> -> tensor<1099511627777xi8>
  return
}

// -----

// Dims within the bound whose product is not.
func.func @splat_product_over_bound(%v: f32) {
  // expected-error @+1 {{'vm.splat' op result #0 has type 'tensor<1048576x1048576xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.splat %v : f32 -> tensor<1048576x1048576xf32>
  return
}

// -----

func.func @broadcast_result_over_bound(%a: tensor<8xf32>) {
  // expected-error @+1 {{'vm.broadcast' op result #0 has type 'tensor<68719476736x8xf32>', larger than the bound on tensor sizes (1099511627776 bytes, counting the static dimensions with 0 as 1)}}
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<8xf32> -> tensor<68719476736x8xf32>
  return
}

// -----

// A slice whose last index overflows int64 is out of bounds on any dimension,
// dynamic ones included (offset 2^62 + 2 * 2^62 wrapped to a negative index).
func.func @slice_dynamic_overflow(%a: tensor<?xf32>) {
  // expected-error @+1 {{'vm.slice' op slice reads out of bounds in dimension 0 whatever its size: offset 4611686018427387904 + (size 3 - 1) * stride 4611686018427387904 overflows a 64-bit integer}}
  %0 = vm.slice %a {offsets = array<i64: 4611686018427387904>, sizes = array<i64: 3>, strides = array<i64: 4611686018427387904>} : tensor<?xf32> -> tensor<3xf32>
  return
}

// -----

func.func @iota_dim_out_of_range() {
  // expected-error @+1 {{'vm.iota' op attribute 'dim' 2 is out of range for a result of rank 2}}
  %0 = vm.iota {dim = 2 : i64} : tensor<2x3xi32>
  return
}

// -----

func.func @iota_negative_dim() {
  // expected-error @+1 {{'vm.iota' op attribute 'dim' -1 is out of range for a result of rank 1}}
  %0 = vm.iota {dim = -1 : i64} : tensor<3xi32>
  return
}

// -----

func.func @iota_rank0() {
  // expected-error @+1 {{'vm.iota' op result must have rank 1 or more, got 'tensor<i32>'}}
  %0 = vm.iota {dim = 0 : i64} : tensor<i32>
  return
}

// -----

func.func @iota_i1() {
  // expected-error @+1 {{'vm.iota' op result element type must be an integer type other than i1, or a float type}}
  %0 = vm.iota {dim = 0 : i64} : tensor<3xi1>
  return
}

// -----

func.func @iota_missing_size() {
  // expected-error @+1 {{'vm.iota' op expected 1 dynamic size operands (one per '?' of 'tensor<?xi32>'), got 0}}
  %0 = vm.iota {dim = 0 : i64} : tensor<?xi32>
  return
}

// -----

func.func @iota_unsigned() {
  // expected-error @+1 {{'vm.iota' op does not take the 'unsigned' attribute}}
  %0 = vm.iota {dim = 0 : i64, unsigned} : tensor<3xi32>
  return
}

// -----

func.func @iota_no_dim() {
  // expected-error @+1 {{'vm.iota' op requires attribute 'dim'}}
  %0 = "vm.iota"() : () -> tensor<3xi32>
  return
}

// -----

func.func @take_dim_out_of_range(%d: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{'vm.take' op attribute 'dim' 2 is out of range for data of rank 2}}
  %0 = vm.take %d, %i {dim = 2 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @take_index_type(%d: tensor<4x3xf32>, %i: tensor<2xi16>) {
  // expected-error @+1 {{'vm.take' op operand #1 must be ranked tensor (no encoding) of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi16>'}}
  %0 = vm.take %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi16>) -> tensor<2x3xf32>
  return
}

// -----

func.func @take_result_shape(%d: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{'vm.take' op result shape [3, 2] does not match the expected shape [2, 3]}}
  %0 = vm.take %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @take_element_type(%d: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{'vm.take' op result element type 'f16' must be the data element type 'f32'}}
  %0 = vm.take %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<2x3xf16>
  return
}

// -----

func.func @take_from_empty(%d: tensor<0x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{'vm.take' op dimension 0 of data is empty, so none of the 2 indices can select an element}}
  %0 = vm.take %d, %i {dim = 0 : i64} : (tensor<0x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_rank(%d: tensor<4x3xf32>, %i: tensor<2xi32>) {
  // expected-error @+1 {{'vm.gather' op indices must have the rank of data (2), got 'tensor<2xi32>'}}
  %0 = vm.gather %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_larger(%d: tensor<4x3xf32>, %i: tensor<2x5xi64>) {
  // expected-error @+1 {{'vm.gather' op indices dimension 1 (5) is larger than data's (3)}}
  %0 = vm.gather %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x5xi64>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gather_negative_dim(%d: tensor<4x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'vm.gather' op attribute 'dim' -1 is out of range for data of rank 2}}
  %0 = vm.gather %d, %i {dim = -1 : i64} : (tensor<4x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_result_shape(%d: tensor<4x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'vm.gather' op result shape [3, 2] does not match the expected shape [2, 3]}}
  %0 = vm.gather %d, %i {dim = 0 : i64} : (tensor<4x3xf32>, tensor<2x3xi64>) -> tensor<3x2xf32>
  return
}

// -----

func.func @gather_unsigned(%d: tensor<4x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @+1 {{'vm.gather' op does not take the 'unsigned' attribute}}
  %0 = vm.gather %d, %i {dim = 0 : i64, unsigned} : (tensor<4x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @arg_reduce_kind(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op attribute 'kind' must be max or min, got 'sum'}}
  %0 = vm.arg_reduce %x {kind = "sum", dim = 0 : i64} : tensor<4xf32> -> tensor<i64>
  return
}

// -----

func.func @arg_reduce_dim(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op attribute 'dim' 1 is out of range for an operand of rank 1}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<4xf32> -> tensor<i64>
  return
}

// -----

func.func @arg_reduce_empty(%x: tensor<3x0xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op dimension 1 is empty: it has no first max or min}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<3x0xf32> -> tensor<3xi64>
  return
}

// -----

func.func @arg_reduce_too_long(%x: tensor<2147483649xi8>) {
  // expected-error @+1 {{'vm.arg_reduce' op dimension 0 has 2147483649 elements, more than an i32 result can index}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 0 : i64} : tensor<2147483649xi8> -> tensor<i32>
  return
}

// -----

func.func @arg_reduce_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op result #0 must be ranked tensor (no encoding) of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<i16>'}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 0 : i64} : tensor<4xf32> -> tensor<i16>
  return
}

// -----

func.func @arg_reduce_shape(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op result shape [5] does not match the expected shape [4]}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<4x5xf32> -> tensor<5xi64>
  return
}

// -----

func.func @arg_reduce_unsigned_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.arg_reduce' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.arg_reduce %x {kind = "max", dim = 0 : i64, unsigned} : tensor<4xf32> -> tensor<i64>
  return
}

// -----

func.func @scan_kind(%x: tensor<4xi32>) {
  // expected-error @+1 {{'vm.scan' op attribute 'kind' must be one of sum, prod, min, max; got 'xor'}}
  %0 = vm.scan %x {kind = "xor", dim = 0 : i64} : tensor<4xi32>
  return
}

// -----

func.func @scan_dim(%x: tensor<4xi32>) {
  // expected-error @+1 {{'vm.scan' op attribute 'dim' -1 is out of range for an operand of rank 1}}
  %0 = vm.scan %x {kind = "sum", dim = -1 : i64} : tensor<4xi32>
  return
}

// -----

func.func @scan_unsigned_sum(%x: tensor<4xi32>) {
  // expected-error @+1 {{'vm.scan' op attribute 'unsigned' applies to kinds min and max only, got kind 'sum'}}
  %0 = vm.scan %x {kind = "sum", dim = 0 : i64, unsigned} : tensor<4xi32>
  return
}

// -----

func.func @scan_unsigned_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.scan' op attribute 'unsigned' has no meaning for 'f32' operands; it applies to integers}}
  %0 = vm.scan %x {kind = "min", dim = 0 : i64, unsigned} : tensor<4xf32>
  return
}

// -----

func.func @scan_result(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.scan' op result element type 'f16' must be the operand element type 'f32'}}
  %0 = "vm.scan"(%x) {kind = "sum", dim = 0 : i64} : (tensor<4xf32>) -> tensor<4xf16>
  return
}

// -----

func.func @scan_shape(%x: tensor<4xf32>) {
  // expected-error @+1 {{'vm.scan' op result shape [5] does not match the expected shape [4]}}
  %0 = "vm.scan"(%x) {kind = "sum", dim = 0 : i64} : (tensor<4xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @convt_channels(%x: tensor<1x3x3x2xf32>, %w: tensor<3x3x4x5xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op input channels (2, dimension 3 of NHWC) must equal filter input channels (4, dimension 2 of [KH, KW, Cin, Cout])}}
  %0 = vm.conv_transpose2d %x, %w : (tensor<1x3x3x2xf32>, tensor<3x3x4x5xf32>) -> tensor<1x5x5x5xf32>
  return
}

// -----

func.func @convt_output_padding(%x: tensor<1x3x3x2xf32>, %w: tensor<3x3x2x5xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op output_padding 2 in spatial dimension 0 must be below the larger of its stride and dilation (2)}}
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, output_padding = array<i64: 2, 0>} : (tensor<1x3x3x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x9x7x5xf32>
  return
}

// -----

func.func @convt_output_below_one(%x: tensor<1x1x1x1xf32>, %w: tensor<1x1x1x1xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op the output size in spatial dimension 0 is -1, below 1}}
  %0 = vm.conv_transpose2d %x, %w {padding = array<i64: 1, 1, 0, 0>} : (tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

func.func @convt_result_shape(%x: tensor<1x3x4x2xf32>, %w: tensor<3x3x2x5xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op result shape [1, 5, 7, 5] does not match the expected shape [1, 5, 6, 5]}}
  %0 = vm.conv_transpose2d %x, %w : (tensor<1x3x4x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x5x7x5xf32>
  return
}

// -----

func.func @convt_rank(%x: tensor<3x3x2xf32>, %w: tensor<3x3x2x5xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op operand #0 ('input', NHWC) must be a 4-D tensor, got 'tensor<3x3x2xf32>'}}
  %0 = vm.conv_transpose2d %x, %w : (tensor<3x3x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x5x5x5xf32>
  return
}

// -----

func.func @convt_strides(%x: tensor<1x3x3x2xf32>, %w: tensor<3x3x2x5xf32>) {
  // expected-error @+1 {{'vm.conv_transpose2d' op attribute 'strides' entries must be >= 1, got 0}}
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x3x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x5x5x5xf32>
  return
}
