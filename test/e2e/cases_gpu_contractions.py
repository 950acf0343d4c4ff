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

from cases_tensor import (accum_compare, bf16_contract_prog, contract_case, conv_case,
                          conv_ref, f32_batch_matmul_case, matmul_shapes, matmul_spec, rand, transpose_attrs)
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


# --- tensor cores (mma_sync: f16/bf16 -> f32 and i8 -> i32 on sm_80+) -------
#
# The strategy's shapes: block tiles of 64 or 128 rows and columns, K slices
# of 32 (16-bit) or 64 (i8) elements, 16-byte cp.async chunks (8 f16, 16 i8)
# where the contiguous extent is a multiple of a chunk, guarded loads
# otherwise; i8 operands whose contiguous dim is not K transposed on the way
# into shared memory. So the sizes below put M, N and K below, across and
# past a tile and a slice, beside chunk-aligned rows (the cp.async path),
# with either operand transposed. References: NumPy float64 einsum of the
# (exactly representable) 16-bit inputs, compared with the 16-bit
# accumulation tolerance (ACCUM_TOL), or Python integers (exact).

# (M, K, N): awkward, then chunk-aligned in K and N (multiples of 16).
TC_SIZES = [(1, 1, 1), (7, 17, 33), (33, 127, 129), (129, 1000, 7), (1000, 33, 17),
            (17, 7, 1000)]
TC_ALIGNED = [(128, 64, 128), (129, 144, 80), (200, 1024, 48), (64, 32, 272)]


def _i8_extremes(name, shape):
    rng = np.random.default_rng(sum(name.encode()))
    return rng.choice(np.array([-128, 127, -1, 0, 1], np.int8), size=shape)


def _bf16_matmul(name, a_shape, b_shape, r_shape, op, spec, attrs):
    """f32 inputs converted to bf16 in the program; the reference multiplies
    the bf16 values (round_array) in float64."""
    a, b = rand(name + "a", a_shape, "f32"), rand(name + "b", b_shape, "f32")
    return contract_case(name, op, round_array(a, "bf16"), round_array(b, "bf16"), "bf16",
                         "f32", spec, r_shape,
                         prog=bf16_contract_prog(op, a_shape, b_shape, r_shape, attrs),
                         inputs=[a, b])


@builder
def gpu_tensor_core_matmul_cases():
    cases = []
    for m, k, n in TC_SIZES + TC_ALIGNED:
        cases.append(_matmul("gc_tc_f16_%dx%dx%d" % (m, k, n), m, k, n, et="f16"))
    for (m, k, n), acc in (((33, 127, 129), "f16"), ((129, 144, 80), "f16"),
                           ((1000, 33, 17), "f16")):
        cases.append(_matmul("gc_tc_f16_to_f16_%dx%dx%d" % (m, k, n), m, k, n, et="f16",
                             acc=acc))
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((129, 127, 33), (128, 64, 144), (7, 1000, 17)):
            cases.append(_matmul("gc_tc_f16%s_%dx%dx%d" % (suffix, m, k, n), m, k, n, ta, tb,
                                 et="f16"))
    for ta, tb in ((False, False), (True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((129, 100, 33), (128, 64, 144)):
            name = "gc_tc_bf16%s_%dx%dx%d" % (suffix, m, k, n)
            sa, sb = matmul_shapes(m, k, n, ta, tb)
            cases.append(_bf16_matmul(name, sa, sb, (m, n), "matmul", matmul_spec(ta, tb),
                                      transpose_attrs(ta, tb)))
    # i8 at the extremes of its range: products up to 2^14, exact in i32.
    for ta, tb in ((False, False), (True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((129, 1000, 33), (128, 128, 144), (7, 17, 1), (65, 64, 16)):
            name = "gc_tc_i8%s_%dx%dx%d" % (suffix, m, k, n)
            sa, sb = matmul_shapes(m, k, n, ta, tb)
            cases.append(contract_case(name, "matmul", _i8_extremes(name + "a", sa),
                                       _i8_extremes(name + "b", sb), "i8", "i32",
                                       matmul_spec(ta, tb), (m, n), transpose_attrs(ta, tb)))
    return cases


@builder
def gpu_tensor_core_batch_cases():
    cases = []
    for bsz, m, k, n, ta, tb in ((1, 127, 33, 129, False, False),
                                 (3, 129, 1000, 17, False, False),
                                 (3, 7, 17, 33, True, True), (1, 33, 7, 1000, False, True),
                                 (3, 128, 64, 128, True, False),
                                 (3, 64, 144, 80, False, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        name = "gc_tc_batch_f16%s_%dx%dx%dx%d" % (suffix, bsz, m, k, n)
        a = rand(name + "a", (bsz,) + sa, "f16")
        b = rand(name + "b", (bsz,) + sb, "f16")
        cases.append(contract_case(name, "batch_matmul", a, b, "f16", "f32",
                                   matmul_spec(ta, tb, batch=True), (bsz, m, n),
                                   transpose_attrs(ta, tb)))
    name = "gc_tc_batch_bf16_3x33x100x65"
    cases.append(_bf16_matmul(name, (3, 33, 100), (3, 100, 65), (3, 33, 65), "batch_matmul",
                              matmul_spec(False, False, batch=True), ()))
    for bsz, m, k, n, ta, tb in ((3, 33, 1000, 17, False, False),
                                 (1, 128, 128, 128, False, True),
                                 (3, 17, 64, 65, True, False)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        name = "gc_tc_batch_i8%s_%dx%dx%dx%d" % (suffix, bsz, m, k, n)
        cases.append(contract_case(name, "batch_matmul",
                                   _i8_extremes(name + "a", (bsz,) + sa),
                                   _i8_extremes(name + "b", (bsz,) + sb), "i8", "i32",
                                   matmul_spec(ta, tb, batch=True), (bsz, m, n),
                                   transpose_attrs(ta, tb)))
    return cases


@builder
def gpu_tensor_core_special_cases():
    cases = []
    # relu(A B + bias) on f16 inputs: the bias add and relu in the kernel.
    for m, k, n in ((129, 33, 127), (128, 64, 128)):
        name = "gc_tc_f16_bias_relu_%dx%dx%d" % (m, k, n)
        a, b = rand(name + "a", (m, k), "f16"), rand(name + "b", (k, n), "f16")
        bias = rand(name + "c", (n,), "f32")
        f = Func()
        x, y, c = (f.arg(ttype((m, k), "f16")), f.arg(ttype((k, n), "f16")),
                   f.arg(ttype((n,), "f32")))
        p = f.op("matmul", [x, y], ttype((m, n), "f32"))
        bb = f.op("broadcast", [c], ttype((m, n), "f32"), [("dims", arr([1]))])
        f.ret(f.op("relu", [f.op("add", [p, bb], ttype((m, n), "f32"))], ttype((m, n), "f32")))
        a64, b64, c64 = a.astype(np.float64), b.astype(np.float64), bias.astype(np.float64)
        expected = _relu(a64 @ b64 + c64[None, :])
        abs_sum = np.abs(a64) @ np.abs(b64) + np.abs(c64)[None, :]
        cases.append(Case(name, module(f), [a, b, bias], [expected.astype(np.float32)],
                          accum_compare("f16", abs_sum)))
    # A at a column offset of 1 (a strided view: guarded element loads, no
    # cp.async), B aligned (cp.async).
    name = "gc_tc_f16_slice_odd_offset_65x48x32"
    big, b = rand(name + "a", (65, 49), "f16"), rand(name + "b", (48, 32), "f16")
    f = Func()
    sl = f.op("slice", [f.arg(ttype((65, 49), "f16"))], ttype((65, 48), "f16"),
              [("offsets", arr([0, 1])), ("sizes", arr([65, 48])), ("strides", arr([1, 1]))])
    f.ret(f.op("matmul", [sl, f.arg(ttype((48, 32), "f16"))], ttype((65, 32), "f32")))
    expected = contract_case(name, "matmul", big[:, 1:], b, "f16", "f32", "mk,kn->mn", (65, 32))
    expected.prog, expected.inputs = module(f), [big, b]
    cases.append(expected)
    # NaN and infinities propagate through the tensor cores: a NaN in row 3
    # of A, +inf in row 5, +inf and -inf in row 9 (NaN where both meet a
    # nonzero product), -inf in column 2 of B; the other elements finite.
    for m, k, n, acc in ((33, 40, 17, "f32"), (129, 64, 136, "f16")):
        name = "gc_tc_f16_nan_inf_to_%s_%dx%dx%d" % (acc, m, k, n)
        a, b = rand(name + "a", (m, k), "f16"), rand(name + "b", (k, n), "f16")
        a[3, 5] = np.nan
        a[5, 1] = np.inf
        a[9, 0], a[9, 7] = np.inf, -np.inf
        b[11, 2] = -np.inf
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        with np.errstate(invalid="ignore"):
            expected = np.einsum("mk,kn->mn", a64, b64)
        finite = np.where(np.isfinite(a64), np.abs(a64), 0) @ \
            np.where(np.isfinite(b64), np.abs(b64), 0)
        cases.append(Case(name, module(_f16_matmul_func(m, k, n, acc)), [a, b],
                          [round_array(expected, acc)], accum_compare(acc, finite)))
    return cases


@builder
def gpu_convolution_cases():
    """Convolutions as an im2col copy and a matmul on the GPU (vm-gpu-
    convolutions-to-contractions): M = N*OH*OW, N = F and K = KH*KW*C across
    the tiles of tiled_simt and mma_sync (K not a multiple of the K slice,
    F below, at and past 64), a 1x1 filter read without a copy, strides,
    dilations and padding, and a bias + relu epilogue after the product."""
    cases = []
    specs = [
        ("gc_conv_f16_3x3_pad_2x17x19x24_f40", "f16", "f16", (2, 17, 19, 24), (3, 3, 24, 40),
         None, None, [1, 1, 1, 1]),
        ("gc_conv_f16_to_f32_5x3_s2_3x21x18x8_f64", "f16", "f32", (3, 21, 18, 8),
         (5, 3, 8, 64), [2, 1], None, [2, 2, 1, 1]),
        ("gc_conv_f16_1x1_2x9x11x64_f72", "f16", "f16", (2, 9, 11, 64), (1, 1, 64, 72),
         None, None, None),
        ("gc_conv_f32_5x5_s2_3x33x31x7_f33", "f32", "f32", (3, 33, 31, 7), (5, 5, 7, 33),
         [2, 2], None, [2, 2, 2, 2]),
        ("gc_conv_f32_3x3_d2_1x30x30x16_f129", "f32", "f32", (1, 30, 30, 16), (3, 3, 16, 129),
         None, [2, 2], None),
        ("gc_conv_f32_1x1_s2_2x15x15x33_f17", "f32", "f32", (2, 15, 15, 33), (1, 1, 33, 17),
         [2, 2], None, None),
        ("gc_conv_i8_to_i32_3x3_2x12x13x16_f24", "i8", "i32", (2, 12, 13, 16), (3, 3, 16, 24),
         None, None, [1, 1, 1, 1]),
        ("gc_conv_f64_2x2_1x9x8x5_f7", "f64", "f64", (1, 9, 8, 5), (2, 2, 5, 7), None, None,
         None),
        # Implicit GEMM edges: 12 channels (chunks straddle filter taps:
        # guarded loads, zero in the padding), asymmetric padding with a
        # dilation and stride where windows leave the input on every side,
        # f32 with 8 channels (16-byte loads, zero in the padding).
        ("gc_conv_f16_3x3_pad_c12_2x9x10x12_f20", "f16", "f16", (2, 9, 10, 12),
         (3, 3, 12, 20), None, None, [1, 1, 1, 1]),
        ("gc_conv_f16_to_f32_3x3_s2_d2_pad_1x11x13x16_f24", "f16", "f32", (1, 11, 13, 16),
         (3, 3, 16, 24), [2, 1], [2, 2], [2, 1, 0, 3]),
        ("gc_conv_f32_3x3_pad_2x10x9x8_f12", "f32", "f32", (2, 10, 9, 8), (3, 3, 8, 12),
         None, None, [1, 1, 1, 1]),
    ]
    for spec in specs:
        cases.append(conv_case(*spec))
    # relu(conv(x, w) + bias) in f16 -> f32: the bias add and relu are the
    # matmul's epilogue.
    name = "gc_conv_f16_bias_relu_2x14x14x32_f48"
    xs, ws = (2, 14, 14, 32), (3, 3, 32, 48)
    x, w = rand(name + "x", xs, "f16"), rand(name + "w", ws, "f16")
    bias = rand(name + "c", (48,), "f32")
    conv, abs_out = conv_ref(x, w, [1, 1], [1, 1], [1, 1, 1, 1], "f64")
    out_shape = conv.shape
    f = Func()
    p = f.op("conv2d", [f.arg(ttype(xs, "f16")), f.arg(ttype(ws, "f16"))],
             ttype(out_shape, "f32"), [("padding", arr([1, 1, 1, 1]))])
    bb = f.op("broadcast", [f.arg(ttype((48,), "f32"))], ttype(out_shape, "f32"),
              [("dims", arr([3]))])
    f.ret(f.op("relu", [f.op("add", [p, bb], ttype(out_shape, "f32"))],
               ttype(out_shape, "f32")))
    expected = _relu(conv + bias.astype(np.float64))
    cases.append(Case(name, module(f), [x, w, bias], [expected.astype(np.float32)],
                      accum_compare("f32", abs_out + np.abs(bias.astype(np.float64)))))
    # conv(relu(x)) with padding: the input of the implicit GEMM is a buffer
    # the block writes (read where it lies, unchanged until the product).
    name = "gc_conv_f16_relu_input_pad_2x8x8x16_f16"
    xs, ws = (2, 8, 8, 16), (3, 3, 16, 16)
    x, w = rand(name + "x", xs, "f16"), rand(name + "w", ws, "f16")
    conv, abs_out = conv_ref(_relu(x.astype(np.float64)).astype(np.float16), w, [1, 1], [1, 1],
                             [1, 1, 1, 1], "f64")
    f = Func()
    r = f.op("relu", [f.arg(ttype(xs, "f16"))], ttype(xs, "f16"))
    f.ret(f.op("conv2d", [r, f.arg(ttype(ws, "f16"))], ttype(conv.shape, "f32"),
               [("padding", arr([1, 1, 1, 1]))]))
    cases.append(Case(name, module(f), [x, w], [conv.astype(np.float32)],
                      accum_compare("f32", abs_out)))
    return cases


def _f16_matmul_func(m, k, n, acc):
    f = Func()
    f.ret(f.op("matmul", [f.arg(ttype((m, k), "f16")), f.arg(ttype((k, n), "f16"))],
               ttype((m, n), acc)))
    return f
