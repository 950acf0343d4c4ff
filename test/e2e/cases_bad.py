# Cases vm-gpu-run must reject: exit status 1, `error:` on stderr, nothing
# written to the output directory. "program" cases are ill-formed IR (the
# verifier rejects them); "contract" cases are valid MLIR outside the vm IR
# contract (vm-gpu-opt accepts them, the engine must not compile them);
# "input" cases pair a good program with bad inputs.

import io

import numpy as np

from vmcase import Case, Func, arr, builder, module, sattr, ttype

F23 = ttype((2, 3), "f32")


def ones(shape=(2, 3), dtype=np.float32):
    return np.ones(shape, dtype=dtype)


def generic_prog(line, args, results):
    """A one-op @main: `line` uses %arg0.. and defines %0."""
    sig = ", ".join("%%arg%d: %s" % (i, t) for i, t in enumerate(args))
    return ("module {\n  func.func @main(%s) -> %s {\n    %s\n    return %%0 : %s\n  }\n}\n"
            % (sig, results, line, results))


BAD_PROGRAMS = [
    ("shape_mismatch_add",
     '%0 = "vm.add"(%arg0, %arg1) : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>',
     ["tensor<4xf32>", "tensor<5xf32>"], "tensor<4xf32>", [ones((4,)), ones((5,))]),
    ("int_op_on_float",
     '%0 = "vm.and"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>',
     [F23, F23], F23, [ones(), ones()]),
    ("float_op_on_int",
     '%0 = "vm.sqrt"(%arg0) : (tensor<4xi32>) -> tensor<4xi32>',
     ["tensor<4xi32>"], "tensor<4xi32>", [ones((4,), np.int32)]),
    ("shl_on_float",
     '%0 = "vm.shl"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>',
     [F23, F23], F23, [ones(), ones()]),
    ("cmp_bad_predicate",
     '%0 = "vm.cmp"(%arg0, %arg1) {predicate = "foo"} : (tensor<2x3xf32>, tensor<2x3xf32>)'
     ' -> tensor<2x3xi1>', [F23, F23], "tensor<2x3xi1>", [ones(), ones()]),
    ("reduce_bad_kind",
     '%0 = "vm.reduce"(%arg0) {kind = "median", dims = array<i64: 0>} : (tensor<2x3xf32>)'
     ' -> tensor<3xf32>', [F23], "tensor<3xf32>", [ones()]),
    ("reduce_dims_unsorted",
     '%0 = "vm.reduce"(%arg0) {kind = "sum", dims = array<i64: 1, 0>} : (tensor<2x3xf32>)'
     ' -> tensor<f32>', [F23], "tensor<f32>", [ones()]),
    ("reduce_and_on_float",
     '%0 = "vm.reduce"(%arg0) {kind = "and", dims = array<i64: 0>} : (tensor<2x3xf32>)'
     ' -> tensor<3xf32>', [F23], "tensor<3xf32>", [ones()]),
    ("unsigned_on_float_div",
     '%0 = "vm.div"(%arg0, %arg1) {unsigned} : (tensor<2x3xf32>, tensor<2x3xf32>)'
     ' -> tensor<2x3xf32>', [F23, F23], F23, [ones(), ones()]),
    ("unsigned_on_add",
     '%0 = "vm.add"(%arg0, %arg1) {unsigned} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>',
     ["tensor<4xi32>", "tensor<4xi32>"], "tensor<4xi32>",
     [ones((4,), np.int32), ones((4,), np.int32)]),
    ("transpose_bad_perm",
     '%0 = "vm.transpose"(%arg0) {perm = array<i64: 0, 0>} : (tensor<2x3xf32>)'
     ' -> tensor<2x2xf32>', [F23], "tensor<2x2xf32>", [ones()]),
    ("slice_out_of_bounds",
     '%0 = "vm.slice"(%arg0) {offsets = array<i64: 1, 1>, sizes = array<i64: 2, 2>, '
     'strides = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>',
     [F23], "tensor<2x2xf32>", [ones()]),
    ("slice_zero_stride",
     '%0 = "vm.slice"(%arg0) {offsets = array<i64: 0, 0>, sizes = array<i64: 1, 1>, '
     'strides = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<1x1xf32>',
     [F23], "tensor<1x1xf32>", [ones()]),
    ("broadcast_dims_not_increasing",
     '%0 = "vm.broadcast"(%arg0) {dims = array<i64: 1, 0>} : (tensor<2x3xf32>)'
     ' -> tensor<3x2xf32>', [F23], "tensor<3x2xf32>", [ones()]),
    ("broadcast_bad_size",
     '%0 = "vm.broadcast"(%arg0) {dims = array<i64: 0, 1>} : (tensor<2x3xf32>)'
     ' -> tensor<2x4xf32>', [F23], "tensor<2x4xf32>", [ones()]),
    ("bitcast_width_mismatch",
     '%0 = "vm.bitcast"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3xi16>',
     [F23], "tensor<2x3xi16>", [ones()]),
    ("matmul_k_mismatch",
     '%0 = "vm.matmul"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>',
     [F23, "tensor<4x5xf32>"], "tensor<2x5xf32>", [ones(), ones((4, 5))]),
    ("matmul_bad_accumulator",
     '%0 = "vm.matmul"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf64>',
     [F23, "tensor<3x2xf32>"], "tensor<2x2xf64>", [ones(), ones((3, 2))]),
    ("conv2d_padding_length",
     '%0 = "vm.conv2d"(%arg0, %arg1) {padding = array<i64: 1, 1, 1>} : '
     '(tensor<1x4x4x1xf32>, tensor<3x3x1x1xf32>) -> tensor<1x4x4x1xf32>',
     ["tensor<1x4x4x1xf32>", "tensor<3x3x1x1xf32>"], "tensor<1x4x4x1xf32>",
     [ones((1, 4, 4, 1)), ones((3, 3, 1, 1))]),
    ("conv2d_channel_mismatch",
     '%0 = "vm.conv2d"(%arg0, %arg1) : (tensor<1x4x4x2xf32>, tensor<3x3x1x1xf32>)'
     ' -> tensor<1x2x2x1xf32>', ["tensor<1x4x4x2xf32>", "tensor<3x3x1x1xf32>"],
     "tensor<1x2x2x1xf32>", [ones((1, 4, 4, 2)), ones((3, 3, 1, 1))]),
    ("pool2d_padding_ge_window",
     '%0 = "vm.pool2d"(%arg0) {kind = "max", window = array<i64: 2, 2>, '
     'padding = array<i64: 2, 0, 0, 0>} : (tensor<1x4x4x1xf32>) -> tensor<1x5x3x1xf32>',
     ["tensor<1x4x4x1xf32>"], "tensor<1x5x3x1xf32>", [ones((1, 4, 4, 1))]),
    ("pool2d_bad_kind",
     '%0 = "vm.pool2d"(%arg0) {kind = "min", window = array<i64: 2, 2>} : '
     '(tensor<1x4x4x1xf32>) -> tensor<1x3x3x1xf32>',
     ["tensor<1x4x4x1xf32>"], "tensor<1x3x3x1xf32>", [ones((1, 4, 4, 1))]),
    ("softmax_dim_out_of_range",
     '%0 = "vm.softmax"(%arg0) {dim = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>',
     [F23], F23, [ones()]),
    ("result_type_mismatch",
     '%0 = "vm.add"(%arg0, %arg1) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xi32>',
     [F23, F23], "tensor<2x3xi32>", [ones(), ones()]),
    ("select_cond_not_i1",
     '%0 = "vm.select"(%arg0, %arg1, %arg1) : (tensor<2x3xi8>, tensor<2x3xf32>, '
     'tensor<2x3xf32>) -> tensor<2x3xf32>', ["tensor<2x3xi8>", F23], F23,
     [ones(dtype=np.int8), ones()]),
    ("concat_dim_mismatch",
     '%0 = "vm.concat"(%arg0, %arg1) {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>)'
     ' -> tensor<4x3xf32>', [F23, "tensor<2x4xf32>"], "tensor<4x3xf32>",
     [ones(), ones((2, 4))]),
    ("reshape_count_mismatch",
     '%0 = "vm.reshape"(%arg0) : (tensor<2x3xf32>) -> tensor<4x2xf32>',
     [F23], "tensor<4x2xf32>", [ones()]),
    ("attribute_wrong_type",
     '%0 = "vm.reduce"(%arg0) {kind = "sum", dims = "0"} : (tensor<2x3xf32>)'
     ' -> tensor<3xf32>', [F23], "tensor<3xf32>", [ones()]),
    ("unknown_op",
     '%0 = "vm.frobnicate"(%arg0) : (tensor<2x3xf32>) -> tensor<2x3xf32>',
     [F23], F23, [ones()]),
    # Issue 13, M6: 2^60 elements passed the verifier and aborted LLVM
    # translation; every vm tensor is now at most 2^40 bytes.
    ("splat_constant_2p60",
     '%0 = "vm.constant"() {value = dense<1.0> : tensor<1152921504606846976xf32>} : '
     '() -> tensor<1152921504606846976xf32>',
     [F23], "tensor<1152921504606846976xf32>", [ones()]),
    ("broadcast_over_tensor_bound",
     '%0 = "vm.broadcast"(%arg0) {dims = array<i64: 1, 2>} : (tensor<2x3xf32>)'
     ' -> tensor<68719476736x2x3xf32>', [F23], "tensor<68719476736x2x3xf32>", [ones()]),
    # Issue 13, H1: offset + (size - 1) * stride = 3 * 2^62 wrapped to a
    # negative index, passed the run-time bounds check and read out of bounds.
    ("dynamic_slice_index_overflow",
     '%0 = "vm.slice"(%arg0) {offsets = array<i64: 4611686018427387904>, '
     'sizes = array<i64: 3>, strides = array<i64: 4611686018427387904>} : '
     '(tensor<?xf32>) -> tensor<3xf32>',
     ["tensor<?xf32>"], "tensor<3xf32>", [ones((4,))]),
]

# Issue 13, H3: valid MLIR of dialects the engine's context knows, which it
# compiled and ran: a shell command through llvm.call, abort, a store to
# address 0, unbounded recursion, a loop without end.
MAIN_4 = "func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> {\n"
CONTRACT_PROGRAMS = [
    ("llvm_call_system",
     "llvm.func @system(!llvm.ptr) -> i32\n"
     "llvm.mlir.global internal constant @command(\"echo vmgpu-contract-breach\\00\")\n"
     + MAIN_4 +
     "  %p = llvm.mlir.addressof @command : !llvm.ptr\n"
     "  %r = llvm.call @system(%p) : (!llvm.ptr) -> i32\n"
     "  return %arg0 : tensor<4xf32>\n}\n"),
    ("func_call_abort",
     "func.func private @abort()\n" + MAIN_4 +
     "  func.call @abort() : () -> ()\n  return %arg0 : tensor<4xf32>\n}\n"),
    ("store_to_address_zero",
     MAIN_4 + "  %z = llvm.mlir.zero : !llvm.ptr\n  %v = arith.constant 1 : i32\n"
     "  llvm.store %v, %z : i32, !llvm.ptr\n  return %arg0 : tensor<4xf32>\n}\n"),
    ("unbounded_recursion",
     MAIN_4 + "  %0 = func.call @main(%arg0) : (tensor<4xf32>) -> tensor<4xf32>\n"
     "  return %0 : tensor<4xf32>\n}\n"),
    ("loop_without_end",
     MAIN_4 + "  %t = arith.constant true\n"
     "  scf.while : () -> () {\n    scf.condition(%t)\n  } do {\n    scf.yield\n  }\n"
     "  return %arg0 : tensor<4xf32>\n}\n"),
    ("arith_on_tensors",
     MAIN_4 + "  %0 = arith.addf %arg0, %arg0 : tensor<4xf32>\n"
     "  return %0 : tensor<4xf32>\n}\n"),
    ("nested_module",
     "module {\n  module @inner {\n  }\n  " + MAIN_4 +
     "  return %arg0 : tensor<4xf32>\n}\n}\n"),
    ("llvm_attributes_on_function",
     "func.func @main(%arg0: tensor<4xf32>) -> tensor<4xf32> attributes "
     "{llvm.linkage = #llvm.linkage<internal>} {\n"
     "  return %arg0 : tensor<4xf32>\n}\n"),
]


def bad_program_cases():
    cases = []
    for name, line, args, results, inputs in BAD_PROGRAMS:
        cases.append(Case("bad_prog_" + name, generic_prog(line, args, results), inputs,
                          expect_error="program"))
    cases.append(Case("bad_prog_syntax", "module {\n  func.func @main(%arg0: tensor<2x3xf32> "
                      "-> tensor<2x3xf32> {\n    return %arg0\n}\n", [ones()],
                      expect_error="program"))
    # Valid IR that cannot run: no @main to enter.
    cases.append(Case("bad_prog_empty_file", "", [ones()], expect_error="entry"))
    f = Func(name="other")
    f.ret(f.op("neg", [f.arg(F23)], F23))
    cases.append(Case("bad_prog_no_entry", module(f), [ones()], expect_error="entry",
                      note="the module has no @main"))
    for name, prog in CONTRACT_PROGRAMS:
        cases.append(Case("bad_contract_" + name, prog, [ones((4,))],
                          expect_error="contract"))
    return cases


def empty_npy(shape):
    """A float32 .npy of an empty `shape` whose other dims may exceed what
    numpy itself allocates (written by hand: only the header)."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % "".join(
        "%d, " % d for d in shape)
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header.encode()


def npy_bytes(array, allow_pickle=False):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


def bad_input_cases():
    f = Func()
    f.ret(f.op("add", [f.arg(F23), f.arg(F23)], F23))
    add = module(f)
    good = ones()
    full = npy_bytes(np.arange(6, dtype=np.float32).reshape(2, 3))
    header_garbage = bytearray(full)
    header_garbage[10:20] = b"{'descr': "[::-1]
    specs = [
        ("too_few", add, [good]),
        ("too_many", add, [good, good, good]),
        ("dtype_f64_for_f32", add, [good, ones(dtype=np.float64)]),
        ("dtype_i32_for_f32", add, [good, ones(dtype=np.int32)]),
        ("dtype_complex", add, [good, ones(dtype=np.complex64)]),
        ("dtype_object", add, [good, npy_bytes(np.array([[1, "a", None]] * 2, dtype=object),
                                               allow_pickle=True)]),
        ("shape_transposed", add, [good, ones((3, 2))]),
        ("rank_mismatch", add, [good, ones((6,))]),
        ("scalar_for_tensor", add, [good, np.array(np.float32(1))]),
        ("truncated_npy", add, [good, full[: len(full) - 7]]),
        ("truncated_header", add, [good, full[:20]]),
        ("header_garbage", add, [good, bytes(header_garbage)]),
        ("not_npy", add, [good, b"this is not a .npy file\n1 2 3\n4 5 6\n"]),
        ("empty_file", add, [good, b""]),
        ("missing_file", add, [good, None]),
    ]
    f = Func()
    t = ttype((4,), "i1")
    f.ret(f.op("not", [f.arg(t)], t))
    specs.append(("f32_for_i1", module(f), [ones((4,))]))
    specs.append(("i8_for_i1", module(f), [ones((4,), np.int8)]))
    # Dynamic dims that disagree at run time.
    f = Func()
    t = ttype((None,), "f32")
    f.ret(f.op("add", [f.arg(t), f.arg(t)], t))
    specs.append(("dynamic_dims_differ", module(f), [ones((3,)), ones((4,))]))
    f = Func()
    f.ret(f.op("matmul", [f.arg(ttype((2, None), "f32")), f.arg(ttype((None, 3), "f32"))],
               ttype((2, 3), "f32")))
    specs.append(("dynamic_matmul_k_differs", module(f), [ones((2, 4)), ones((5, 3))]))
    f = Func()
    f.ret(f.op("reshape", [f.arg(ttype((None,), "f32"))], ttype((None, 4), "f32")))
    specs.append(("dynamic_reshape_indivisible", module(f), [ones((6,))]))
    f = Func()
    f.ret(f.op("slice", [f.arg(ttype((None,), "f32"))], ttype((3,), "f32"),
               [("offsets", arr([2])), ("sizes", arr([3])), ("strides", arr([1]))]))
    specs.append(("dynamic_slice_out_of_bounds", module(f), [ones((4,))]))
    f = Func()
    f.ret(f.op("broadcast", [f.arg(ttype((None,), "f32"))], ttype((2, 3), "f32"),
               [("dims", arr([1]))]))
    specs.append(("dynamic_broadcast_bad_size", module(f), [ones((4,))]))
    f = Func()
    f.ret(f.op("concat", [f.arg(ttype((None, 2), "f32")), f.arg(ttype((None, 2), "f32"))],
               ttype((None, 4), "f32"), [("dim", "1 : i64")]))
    specs.append(("dynamic_concat_dims_differ", module(f), [ones((2, 2)), ones((3, 2))]))
    f = Func()
    f.ret(f.op("cmp", [f.arg(ttype((None,), "i32")), f.arg(ttype((None,), "i32"))],
               ttype((None,), "i1"), [("predicate", sattr("eq"))]))
    specs.append(("dynamic_cmp_dims_differ", module(f),
                  [ones((2,), np.int32), ones((5,), np.int32)]))
    # Issue 13, H1: a huge offset that does not overflow is still checked.
    f = Func()
    f.ret(f.op("slice", [f.arg(ttype((None,), "f32"))], ttype((2,), "f32"),
               [("offsets", arr([1 << 62])), ("sizes", arr([2])),
                ("strides", arr([1 << 60]))]))
    specs.append(("dynamic_slice_huge_offset", module(f), [ones((4,))]))
    # Tensors over 2^40 bytes, from inputs within it (issue 13, M6/H2): an
    # empty [2^40, 0] input reduced over its empty dim (2^40 f32 results),
    # a matmul and a splat whose sizes combine two inputs (2^60 results).
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype((None, None), "f32"))], ttype((None,), "f32"),
               [("kind", sattr("sum")), ("dims", arr([1]))]))
    specs.append(("reduce_of_empty_over_bound", module(f), [empty_npy((1 << 40, 0))]))
    specs.append(("reduce_of_empty_wraps", module(f), [empty_npy((1 << 62, 0))]))
    f = Func()
    f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")), f.arg(ttype((None, None), "f32"))],
               ttype((None, None), "f32")))
    specs.append(("matmul_of_empties_over_bound", module(f),
                  [empty_npy((1 << 30, 0)), empty_npy((0, 1 << 30))]))
    f = Func()
    x, y = f.arg(ttype((None, 0), "f32")), f.arg(ttype((0, None), "f32"))
    c0 = f.raw("arith.constant 0 : index", "index")
    c1 = f.raw("arith.constant 1 : index", "index")
    n = f.raw("tensor.dim %s, %s : tensor<?x0xf32>" % (x, c0), "index")
    m = f.raw("tensor.dim %s, %s : tensor<0x?xf32>" % (y, c1), "index")
    v = f.raw("arith.constant 1.0 : f32", "f32")
    f.ret(f.raw('"vm.splat"(%s, %s, %s) : (f32, index, index) -> tensor<?x?xf32>'
                % (v, n, m), "tensor<?x?xf32>"))
    specs.append(("splat_of_input_dims_over_bound", module(f),
                  [empty_npy((1 << 30, 0)), empty_npy((0, 1 << 30))]))
    return [Case("bad_input_" + name, prog, inputs, expect_error="input")
            for name, prog, inputs in specs]


@builder
def bad_cases():
    return bad_program_cases() + bad_input_cases()
