# Cases vm-gpu-run must reject: exit status 1, `error:` on stderr, nothing
# written to the output directory. "program" cases are ill-formed IR (the
# verifier rejects them); "input" cases pair a good program with bad inputs.

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
    return cases


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
    return [Case("bad_input_" + name, prog, inputs, expect_error="input")
            for name, prog, inputs in specs]


@builder
def bad_cases():
    return bad_program_cases() + bad_input_cases()
