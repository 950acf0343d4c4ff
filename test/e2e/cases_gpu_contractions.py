# Matrix products at the sizes where the tiled SIMT contraction strategy
# (vm-gpu-lower-contractions, `tiled_simt`) changes shape: block tiles of 64
# or 128 rows and columns and K slices of 16 (8 for f64), so M, N and K of 1,
# 7, 17, 33, 127, 129 and 1000 land below, across and past a tile; K not a
# multiple of the slice; rows whose length is not a multiple of 4 (the
# guarded scalar loads) beside aligned ones (16-byte loads); transposed
# operands (each operand either stored transposed in shared memory or
# not); batch counts of 1 and 3; a view at an odd column offset; fused
# epilogues (a bias broadcast along rows or columns and relu, the rounding
# of an f16 result) and a product whose result is also returned; every
# accumulator type it takes (f32 from f32, f16 and bf16; f64; i32 from i8
# at the extremes of the range and from i32, wrapping; i64). The CPU path
# runs the same cases. References: NumPy float64 einsum of the same inputs
# (floats, compared with the accumulation tolerance: contractions may use
# FMA) or Python integers wrapped to the result type (exact), written here
# from the contract, independent of vmgpu.

import numpy as np

from cases_tensor import (accum_compare, bf16_contract_prog, contract_case,
                          f32_batch_matmul_case, matmul_shapes, matmul_spec, rand, transpose_attrs)
from vmcase import Case, Func, arr, builder, module, round_array, ttype

# (M, K, N): each of 1, 7, 17, 33, 127, 129, 1000 on each of M, N and K,
# large sizes paired with small ones to keep the suite fast.
SIZES = [(1, 1, 1), (1, 7, 17), (7, 1, 33), (17, 33, 7), (33, 127, 129), (127, 129, 1),
         (129, 1000, 7), (1000, 17, 33), (7, 1000, 129), (33, 7, 1000), (129, 33, 127)]
# Multiples of 4 in K and N: the 16-byte load and store path.
ALIGNED = [(128, 64, 128), (129, 132, 68), (64, 1000, 36)]


def _matmul(name, m, k, n, ta=False, tb=False, et="f32", acc="f32"):
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    a, b = rand(name + "a", sa, et), rand(name + "b", sb, et)
    return contract_case(name, "matmul", a, b, et, acc, matmul_spec(ta, tb), (m, n),
                         transpose_attrs(ta, tb))


@builder
def gpu_contraction_matmul_cases():
    cases = []
    for m, k, n in SIZES + ALIGNED:
        cases.append(_matmul("gc_matmul_%dx%dx%d" % (m, k, n), m, k, n))
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((129, 127, 33), (7, 1000, 17), (128, 64, 132)):
            cases.append(_matmul("gc_matmul%s_%dx%dx%d" % (suffix, m, k, n), m, k, n, ta, tb))
    # Dynamic sizes: the alignment checks run in the kernel.
    for m, k, n in ((129, 127, 33), (64, 64, 64)):
        a = rand("gc_dyn_a_%d" % k, (m, k), "f32")
        b = rand("gc_dyn_b_%d" % k, (n, k), "f32")
        f = Func()
        f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")),
                              f.arg(ttype((None, None), "f32"))],
                   ttype((None, None), "f32"), transpose_attrs(False, True)))
        cases.append(contract_case("gc_matmul_dyn_tb_%dx%dx%d" % (m, k, n), "matmul", a, b,
                                   "f32", "f32", matmul_spec(False, True), (m, n),
                                   prog=module(f)))
    # A at a column offset of 1: a strided view, read element by element.
    name = "gc_matmul_slice_odd_offset_65x33x17"
    big, b = rand(name + "a", (65, 34), "f32"), rand(name + "b", (33, 17), "f32")
    f = Func()
    s = f.op("slice", [f.arg(ttype((65, 34), "f32"))], ttype((65, 33), "f32"),
             [("offsets", arr([0, 1])), ("sizes", arr([65, 33])), ("strides", arr([1, 1]))])
    f.ret(f.op("matmul", [s, f.arg(ttype((33, 17), "f32"))], ttype((65, 17), "f32")))
    expected = contract_case(name, "matmul", big[:, 1:], b, "f32", "f32", "mk,kn->mn", (65, 17))
    expected.prog, expected.inputs = module(f), [big, b]
    cases.append(expected)
    return cases


@builder
def gpu_contraction_batch_cases():
    cases = []
    specs = [(1, 127, 33, 129, False, False), (3, 129, 1000, 17, False, False),
             (3, 7, 17, 33, True, True), (1, 33, 7, 1000, False, True),
             (3, 128, 64, 128, True, False)]
    for spec in specs:
        cases.append(f32_batch_matmul_case("gc_batch_matmul", *spec))
    return cases


@builder
def gpu_contraction_dtype_cases():
    cases = []
    cases.append(_matmul("gc_matmul_f16_to_f32_129x127x33", 129, 127, 33, et="f16"))
    cases.append(_matmul("gc_matmul_f16_to_f32_ta_128x64x128", 128, 64, 128, ta=True,
                         et="f16"))
    cases.append(_matmul("gc_matmul_f64_129x33x127", 129, 33, 127, et="f64", acc="f64"))
    cases.append(_matmul("gc_matmul_i32_33x17x129", 33, 17, 129, et="i32", acc="i32"))
    cases.append(_matmul("gc_matmul_i64_tatb_17x7x33", 17, 7, 33, ta=True, tb=True,
                         et="i64", acc="i64"))
    # i8 at the extremes: products up to 2^14, sums of 1000 exact in i32.
    extremes = np.array([-128, 127, -1, 0, 1], np.int8)
    for ta, tb, (m, k, n) in ((False, False, (129, 1000, 33)), (False, True, (64, 256, 64)),
                              (True, False, (33, 17, 7))):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        name = "gc_matmul_i8_to_i32%s_%dx%dx%d" % (suffix, m, k, n)
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        rng = np.random.default_rng(sum(name.encode()))
        a, b = rng.choice(extremes, size=sa), rng.choice(extremes, size=sb)
        cases.append(contract_case(name, "matmul", a, b, "i8", "i32", matmul_spec(ta, tb),
                                   (m, n), transpose_attrs(ta, tb)))
    # bf16 inputs (converted from f32 in the program), f32 result.
    name = "gc_matmul_bf16_to_f32_129x100x33"
    a, b = rand(name + "a", (129, 100), "f32"), rand(name + "b", (100, 33), "f32")
    cases.append(contract_case(name, "matmul", round_array(a, "bf16"), round_array(b, "bf16"),
                               "bf16", "f32", "mk,kn->mn", (129, 33),
                               prog=bf16_contract_prog("matmul", (129, 100), (100, 33),
                                                       (129, 33)),
                               inputs=[a, b]))
    return cases


def _relu(x):
    return np.where(x > 0, x, 0.0)


@builder
def gpu_contraction_epilogue_cases():
    """relu(A B + bias) with the bias along N (dims [1]) or M (dims [0]):
    the add and relu run in the product's kernel on the GPU."""
    cases = []
    for m, k, n, along in ((129, 33, 127, 1), (7, 1000, 17, 1), (128, 64, 128, 0),
                           (33, 17, 1000, 0)):
        name = "gc_matmul_bias_relu_%s_%dx%dx%d" % ("n" if along else "m", m, k, n)
        a, b = rand(name + "a", (m, k), "f32"), rand(name + "b", (k, n), "f32")
        bias = rand(name + "c", (n if along else m,), "f32")
        f = Func()
        x, y, c = (f.arg(ttype((m, k), "f32")), f.arg(ttype((k, n), "f32")),
                   f.arg(ttype(bias.shape, "f32")))
        p = f.op("matmul", [x, y], ttype((m, n), "f32"))
        bb = f.op("broadcast", [c], ttype((m, n), "f32"), [("dims", arr([along]))])
        f.ret(f.op("relu", [f.op("add", [p, bb], ttype((m, n), "f32"))], ttype((m, n), "f32")))
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        c64 = bias.astype(np.float64)[None, :] if along else bias.astype(np.float64)[:, None]
        expected = _relu(a64 @ b64 + c64)
        abs_sum = np.abs(a64) @ np.abs(b64) + np.abs(c64)
        cases.append(Case(name, module(f), [a, b, bias], [expected.astype(np.float32)],
                          accum_compare("f32", abs_sum)))
    # batch_matmul then relu: a 3-D epilogue.
    name = "gc_batch_matmul_relu_3x33x127x129"
    a, b = rand(name + "a", (3, 33, 127), "f32"), rand(name + "b", (3, 127, 129), "f32")
    f = Func()
    p = f.op("batch_matmul", [f.arg(ttype(a.shape, "f32")), f.arg(ttype(b.shape, "f32"))],
             ttype((3, 33, 129), "f32"))
    f.ret(f.op("relu", [p], ttype((3, 33, 129), "f32")))
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    cases.append(Case(name, module(f), [a, b], [_relu(a64 @ b64).astype(np.float32)],
                      accum_compare("f32", np.abs(a64) @ np.abs(b64))))
    # The product is also returned: no fusion, both results right.
    name = "gc_matmul_and_relu_both_returned_65x33x17"
    a, b = rand(name + "a", (65, 33), "f32"), rand(name + "b", (33, 17), "f32")
    f = Func()
    p = f.op("matmul", [f.arg(ttype(a.shape, "f32")), f.arg(ttype(b.shape, "f32"))],
             ttype((65, 17), "f32"))
    f.ret(p, f.op("relu", [p], ttype((65, 17), "f32")))
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    tol = accum_compare("f32", np.abs(a64) @ np.abs(b64))
    cases.append(Case(name, module(f), [a, b],
                      [(a64 @ b64).astype(np.float32), _relu(a64 @ b64).astype(np.float32)],
                      per_output=[tol, tol]))
    # f16 x f16 -> f16: the f32 accumulators rounded once, in the kernel.
    cases.append(_matmul("gc_matmul_f16_result_129x127x33", 129, 127, 33, et="f16",
                         acc="f16"))
    return cases
