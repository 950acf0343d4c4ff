# Contractions at awkward sizes: the tiled CPU strategy (vm-cpu-tile-contractions)
# splits M, N and K into cache and register tiles; these sizes land on every
# partial tile (1, 3, 17: below a register tile; 1000, 1025: a partial last cache
# and register tile), with transposed operands, odd batch counts and dynamic
# shapes (the peeled loops then have run-time bounds). The references are NumPy's
# float64 einsum of the same inputs, compared with the accumulation tolerance
# (the strategy fuses multiply and add, which the contract allows for
# contractions).

import numpy as np

from cases_tensor import (accum_compare, contract_case, contract_ref, conv_attrs, conv_ref,
                          f32_batch_matmul_case, matmul_shapes, matmul_spec,
                          narrow_accum_compare, narrow_prog, rand, transpose_attrs)
from vmcase import EXACT, Case, Func, builder, module, round_array, rtol, ttype

# (M, K, N): each of 1, 3, 17, 1000, 1025 on each of M, N and K at least once,
# large sizes paired with small ones to keep the suite fast.
MATMUL_SIZES = [(1, 1, 1), (1, 17, 3), (3, 1, 17), (17, 3, 1), (17, 1025, 3),
                (3, 17, 1025), (1025, 3, 17), (1000, 17, 1), (1, 1000, 17),
                (17, 1, 1000), (1025, 1025, 3), (3, 1000, 1025), (1000, 3, 1000)]


def _matmul(name, m, k, n, ta=False, tb=False, dynamic=False):
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    a, b = rand(name + "a", sa, "f32"), rand(name + "b", sb, "f32")
    prog = None
    if dynamic:
        f = Func()
        attrs = transpose_attrs(ta, tb)
        f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")),
                              f.arg(ttype((None, None), "f32"))],
                   ttype((None, None), "f32"), attrs))
        prog = module(f)
    return contract_case(name, "matmul", a, b, "f32", "f32", matmul_spec(ta, tb), (m, n),
                         transpose_attrs(ta, tb), prog=prog)


@builder
def cpu_matmul_awkward_cases():
    cases = []
    for m, k, n in MATMUL_SIZES:
        cases.append(_matmul("cpu_matmul_%dx%dx%d" % (m, k, n), m, k, n))
    # Transposed operands at sizes with partial tiles in every dim.
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((17, 3, 1025), (1025, 17, 3), (3, 1025, 17), (131, 257, 67)):
            cases.append(_matmul("cpu_matmul%s_%dx%dx%d" % (suffix, m, k, n), m, k, n, ta, tb))
    # Dynamic shapes: the tiles' bounds are known only at run time.
    for m, k, n in ((1, 1, 1), (17, 1025, 3), (1025, 17, 1000), (97, 300, 129)):
        cases.append(_matmul("cpu_matmul_dyn_%dx%dx%d" % (m, k, n), m, k, n, dynamic=True))
    cases.append(_matmul("cpu_matmul_dyn_tb_131x67x257", 131, 67, 257, tb=True,
                         dynamic=True))
    # Empty at run time: no tile runs; K = 0 gives zeros.
    for m, k, n in ((0, 5, 4), (3, 0, 4), (3, 5, 0)):
        cases.append(_matmul("cpu_matmul_dyn_%dx%dx%d" % (m, k, n), m, k, n, dynamic=True))
    return cases


@builder
def cpu_batch_matmul_awkward_cases():
    cases = []
    specs = [(1, 17, 3, 1025, False, False), (3, 1025, 17, 3, False, False),
             (5, 1, 1, 1, False, False), (7, 33, 65, 17, True, False),
             (3, 17, 1000, 33, False, True), (5, 18, 7, 40, True, True)]
    for spec in specs:
        cases.append(f32_batch_matmul_case("cpu_batch_matmul", *spec))
    a, b = rand("cpu_bmm_dyn_a", (3, 70, 19), "f32"), rand("cpu_bmm_dyn_b", (3, 19, 45), "f32")
    f = Func()
    f.ret(f.op("batch_matmul", [f.arg(ttype((None, None, None), "f32")),
                                f.arg(ttype((None, None, None), "f32"))],
               ttype((None, None, None), "f32")))
    cases.append(contract_case("cpu_batch_matmul_dyn_3x70x19x45", "batch_matmul", a, b,
                               "f32", "f32", "bmk,bkn->bmn", (3, 70, 45), prog=module(f)))
    return cases


# --- other element types through the same tiles -----------------------------
#
# f16/bf16 operands accumulate in f32 (the products are exact there), i8 -> i32
# and i32 are exact (wrapping), f64 uses 4-lane vectors. The references are
# independent: float64 einsum of the exact inputs rounded once to the result
# type, or Python integers wrapped to it.


def _narrow_to_f32_compare(abs_sum, k):
    """DESIGN.md's bound for 16-bit operands into an f32 result: exact
    products, gamma_{K-1}(2^-24) * sum |a b|, plus the reference's rounding."""
    m = float(np.max(abs_sum)) if np.size(abs_sum) else 0.0
    return rtol(2.0 ** -23, 1.01 * max(k - 1, 0) * 2.0 ** -24 * m + 2.0 ** -149)


def _typed_contraction(name, et_in, et_out, m, k, n, ta=False, tb=False, batch=None,
                       dynamic=False):
    """A matmul (or batch_matmul with `batch` matrices) of `et_in` operands
    into `et_out`. bf16 operands come in as f32 arrays of bf16 values that
    the program converts; a bf16 result goes back out as f32."""
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    if batch is not None:
        sa, sb = (batch,) + sa, (batch,) + sb
    op = "batch_matmul" if batch is not None else "matmul"
    spec = matmul_spec(ta, tb, batch=batch is not None)
    rshape = ((batch,) if batch is not None else ()) + (m, n)
    attrs = transpose_attrs(ta, tb)
    if et_in == "bf16":
        a = round_array(rand(name + "a", sa, "f32").astype(np.float64), "bf16")
        b = round_array(rand(name + "b", sb, "f32").astype(np.float64), "bf16")
    else:
        a, b = rand(name + "a", sa, et_in), rand(name + "b", sb, et_in)
    expected, abs_sum = contract_ref(a, b, et_in, et_out, spec)
    if abs_sum is None:
        compare = EXACT
    elif et_in == "f64":
        compare = rtol(1e-12, 1e-12 * float(np.max(abs_sum, initial=0.0)))
    elif et_in == "f32":
        compare = accum_compare("f32", abs_sum)
    elif et_in == et_out:
        compare = narrow_accum_compare(et_out, abs_sum, k)
    else:
        compare = _narrow_to_f32_compare(abs_sum, k)
    dyn = (None,) * len(sa)
    if et_in in ("f16", "bf16") and et_out == et_in:
        prog = narrow_prog(op, [a, b], [sa, sb], rshape, attrs, et_in)
    else:
        f = Func()
        x, y = f.arg(ttype(dyn if dynamic else sa, "f32" if et_in == "bf16" else et_in)), \
            f.arg(ttype(dyn if dynamic else sb, "f32" if et_in == "bf16" else et_in))
        if et_in == "bf16":
            x = f.op("convert", [x], ttype(sa, "bf16"))
            y = f.op("convert", [y], ttype(sb, "bf16"))
        out = (None,) * len(rshape) if dynamic else rshape
        f.ret(f.op(op, [x, y], ttype(out, et_out), attrs))
        prog = module(f)
    return Case(name, prog, [a, b], [np.asarray(expected)], compare)


@builder
def cpu_typed_matmul_awkward_cases():
    cases = []
    # (et_in, et_out): 16-bit floats into f32 or rounded back, exact integers
    # (i32 x i32 wraps), f64.
    types = [("f16", "f32"), ("bf16", "f32"), ("i8", "i32"), ("i32", "i32"), ("f64", "f64")]
    sizes = [(1, 1, 1), (17, 1025, 3), (131, 257, 67), (6, 5, 16), (97, 3, 1025)]
    for et_in, et_out in types:
        for m, k, n in sizes:
            name = "cpu_matmul_%s_%s_%dx%dx%d" % (et_in, et_out, m, k, n)
            cases.append(_typed_contraction(name, et_in, et_out, m, k, n))
        for ta, tb in ((True, False), (False, True), (True, True)):
            suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
            name = "cpu_matmul_%s_%s%s_33x65x17" % (et_in, et_out, suffix)
            cases.append(_typed_contraction(name, et_in, et_out, 33, 65, 17, ta, tb))
        name = "cpu_batch_matmul_%s_%s_3x19x45x70" % (et_in, et_out)
        cases.append(_typed_contraction(name, et_in, et_out, 19, 45, 70, tb=True, batch=3))
        if et_in != "bf16":
            name = "cpu_matmul_dyn_%s_%s_97x300x129" % (et_in, et_out)
            cases.append(_typed_contraction(name, et_in, et_out, 97, 300, 129, dynamic=True))
    # The packing step (M, N >= 64): copies with rows padded where their
    # length is a multiple of 512 bytes (f32 rows of 128 and 256, f64 rows of
    # 64), converted copies for 16-bit and i8 operands, transposed operands
    # copied in their own layout, partial tiles everywhere.
    packed = [("f32", "f32", 129, 128, 256, False, False, None),
              ("f32", "f32", 67, 256, 128, True, True, None),
              ("f32", "f32", 70, 128, 128, False, True, 3),
              ("f64", "f64", 65, 64, 64, False, False, None),
              ("f16", "f32", 129, 128, 256, True, False, None),
              ("bf16", "f32", 64, 128, 65, False, True, None),
              ("i8", "i32", 100, 512, 256, False, False, None)]
    for et_in, et_out, m, k, n, ta, tb, batch in packed:
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        name = "cpu_packed_%s_%s%s_%s%dx%dx%d" % (et_in, et_out, suffix,
                                                 "%dx" % batch if batch else "", m, k, n)
        cases.append(_typed_contraction(name, et_in, et_out, m, k, n, ta, tb, batch=batch))
    # 16-bit results: f32 accumulation, one rounding at the end.
    for et in ("f16", "bf16"):
        for m, k, n in ((35, 129, 23), (7, 1000, 9)):
            name = "cpu_matmul_%s_%s_%dx%dx%d" % (et, et, m, k, n)
            cases.append(_typed_contraction(name, et, et, m, k, n))
    return cases


# --- integer matmuls on pair multiply-adds -----------------------------------
#
# On x86 CPUs with pmaddwd (AVX2, AVX-512BW) static i8 -> i32 matmuls take
# the paired form (CpuPairedIntegerContraction.h): operands copied as i16,
# K rounded up to even with a zero column, one multiply-add of two products
# per lane. These sizes land on its edges (the smallest it takes, odd K,
# M and N padded to whole register tiles, an odd K over two cache steps,
# long K, transposed operands), with i8's extreme values
# (-128 * -128 summed over 4096 terms). References: Python integers wrapped
# to i32. Elsewhere they run on the tiled contraction.


def _paired_case(name, a, b, ta=False, tb=False):
    m = a.shape[1] if ta else a.shape[0]
    n = b.shape[0] if tb else b.shape[1]
    return contract_case(name, "matmul", a, b, "i8", "i32", matmul_spec(ta, tb), (m, n),
                         transpose_attrs(ta, tb))


@builder
def cpu_paired_integer_matmul_cases():
    rng = np.random.default_rng(2026_12_06)
    cases = []
    extremes = np.array([-128, 127, -127, 0, 1, -1], dtype=np.int8)
    for m, k, n in ((8, 2, 32), (9, 3, 33), (37, 101, 70), (64, 1000, 65), (9, 1025, 33),
                    (17, 4096, 33)):
        a = rng.choice(extremes, size=(m, k)).astype(np.int8)
        b = rng.choice(extremes, size=(k, n)).astype(np.int8)
        cases.append(_paired_case("cpu_paired_i8_%dx%dx%d" % (m, k, n), a, b))
    # Transposed operands: copied in their own layout, their pairs moved.
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((37, 101, 70), (9, 1025, 33)):
            sa, sb = matmul_shapes(m, k, n, ta, tb)
            a = rng.choice(extremes, size=sa).astype(np.int8)
            b = rng.choice(extremes, size=sb).astype(np.int8)
            cases.append(_paired_case("cpu_paired_i8%s_%dx%dx%d" % (suffix, m, k, n), a, b,
                                      ta, tb))
    low = np.full((16, 4096), -128, dtype=np.int8)
    cases.append(_paired_case("cpu_paired_i8_min_16x4096x32", low,
                              np.full((4096, 32), -128, dtype=np.int8)))
    # Batch matmuls: each batch its own copies, tiles and padding.
    for bsz, m, k, n, ta, tb in ((1, 8, 2, 32, False, False), (3, 37, 101, 70, False, False),
                                 (2, 9, 1025, 33, True, False), (3, 17, 64, 65, False, True),
                                 (2, 12, 7, 40, True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        a = rng.choice(extremes, size=(bsz,) + sa).astype(np.int8)
        b = rng.choice(extremes, size=(bsz,) + sb).astype(np.int8)
        cases.append(contract_case("cpu_paired_bmm_i8%s_%dx%dx%dx%d" % (suffix, bsz, m, k, n),
                                   "batch_matmul", a, b, "i8", "i32",
                                   matmul_spec(ta, tb, batch=True), (bsz, m, n),
                                   transpose_attrs(ta, tb)))
    return cases


# --- the library strategy's tiles and strided operands ----------------------
#
# With --contraction-strategy=library (cpu-library.test) f32 and f64 matmuls
# run through the BLAS, split into tiles by the runtime: these are large
# enough for several tiles on a machine of 2 cores and more (row panels,
# column panels for few rows, whole matrices per tile for batches), at sizes
# that leave partial panels, and read slices of larger inputs (an offset and
# a leading dimension beyond the matrix). The generated strategy runs them
# too (cpu.test).


def _sliced_matmul(name, et, big_a, a_offsets, a_sizes, b_shape, tb=False):
    """vm.matmul of a slice of a larger A (offset rows and columns) by B."""
    x = rand(name + "a", big_a, et)
    y = rand(name + "b", b_shape, et)
    sliced = x[a_offsets[0]:a_offsets[0] + a_sizes[0], a_offsets[1]:a_offsets[1] + a_sizes[1]]
    spec = matmul_spec(False, tb)
    n = b_shape[0] if tb else b_shape[1]
    f = Func()
    a = f.op("slice", [f.arg(ttype(big_a, et))], ttype(a_sizes, et),
             [("offsets", "array<i64: %d, %d>" % tuple(a_offsets)),
              ("sizes", "array<i64: %d, %d>" % tuple(a_sizes)),
              ("strides", "array<i64: 1, 1>")])
    b = f.arg(ttype(b_shape, et))
    f.ret(f.op("matmul", [a, b], ttype((a_sizes[0], n), et), transpose_attrs(False, tb)))
    expected, abs_sum = contract_ref(np.ascontiguousarray(sliced), y, et, et, spec)
    compare = (rtol(1e-12, 1e-12 * float(np.max(abs_sum, initial=0.0))) if et == "f64"
               else accum_compare(et, abs_sum))
    return Case(name, module(f), [x, y], [np.asarray(expected)], compare)


@builder
def cpu_library_gemm_cases():
    cases = []
    for m, k, n, ta, tb in ((517, 300, 263, False, False), (1000, 65, 1023, False, True),
                            (7, 1000, 2049, True, False), (2049, 513, 5, True, True)):
        cases.append(_matmul("cpu_library_matmul%s%s_%dx%dx%d" % (
            "_ta" if ta else "", "_tb" if tb else "", m, k, n), m, k, n, ta, tb))
    cases.append(_typed_contraction("cpu_library_matmul_f64_ta_263x130x517", "f64", "f64",
                                    263, 130, 517, ta=True))
    cases.append(_typed_contraction("cpu_library_batch_matmul_f64_5x130x90x170", "f64", "f64",
                                    130, 90, 170, batch=5))
    cases.append(f32_batch_matmul_case("cpu_library_batch_matmul", 3, 400, 129, 300, False, True))
    cases.append(_matmul("cpu_library_matmul_dyn_1025x129x700", 1025, 129, 700, dynamic=True))
    cases.append(_sliced_matmul("cpu_library_slice_f32", "f32", (40, 300), (3, 5), (32, 256),
                                (256, 50)))
    cases.append(_sliced_matmul("cpu_library_slice_tb_f64", "f64", (300, 301), (1, 2),
                                (290, 257), (70, 257), tb=True))
    return cases


# --- conv2d as im2col + the tiled contraction --------------------------------
#
# M = N * OH * OW rows (partial register and cache tiles), K = KH * KW * C,
# strides, dilations and asymmetric padding, the contract's element types, and a
# dynamic batch and image size.

CONV_SPECS = [
    # x shape, w shape, strides, dilations, padding
    ((1, 1, 1, 1), (1, 1, 1, 1), None, None, None),
    ((3, 13, 11, 5), (3, 3, 5, 17), None, None, [1, 1, 1, 1]),
    ((2, 19, 23, 3), (5, 3, 3, 33), [2, 3], [1, 2], [2, 0, 1, 3]),
    ((1, 30, 31, 67), (3, 3, 67, 7), [1, 1], [2, 2], [2, 2, 2, 2]),
    ((1, 7, 9, 130), (1, 1, 130, 129), None, None, None),
]


def _conv_case(name, et_in, et_out, xs, ws, strides, dilations, padding, dynamic=False):
    s, d, p = strides or [1, 1], dilations or [1, 1], padding or [0, 0, 0, 0]
    if et_in == "bf16":
        x = round_array(rand(name + "x", xs, "f32").astype(np.float64), "bf16")
        w = round_array(rand(name + "w", ws, "f32").astype(np.float64), "bf16")
    else:
        x, w = rand(name + "x", xs, et_in), rand(name + "w", ws, et_in)
    expected, abs_out = conv_ref(x, w, s, d, p, et_out)
    k = ws[0] * ws[1] * ws[2]
    if abs_out is None:
        compare = EXACT
    elif et_in in ("f16", "bf16"):
        compare = _narrow_to_f32_compare(abs_out, k)
    else:
        compare = accum_compare(et_out, abs_out)
    f = Func()
    arg_et = "f32" if et_in == "bf16" else et_in
    x_arg = f.arg(ttype((None, None, None, xs[3]) if dynamic else xs, arg_et))
    w_arg = f.arg(ttype(ws, arg_et))
    if et_in == "bf16":
        x_arg = f.op("convert", [x_arg], ttype(xs, "bf16"))
        w_arg = f.op("convert", [w_arg], ttype(ws, "bf16"))
    rshape = (None, None, None, ws[3]) if dynamic else expected.shape
    f.ret(f.op("conv2d", [x_arg, w_arg], ttype(rshape, et_out), conv_attrs(strides, dilations,
                                                                       padding)))
    return Case(name, module(f), [x, w], [np.asarray(expected)], compare)


@builder
def cpu_conv2d_awkward_cases():
    cases = []
    for i, spec in enumerate(CONV_SPECS):
        cases.append(_conv_case("cpu_conv2d_f32_%d" % i, "f32", "f32", *spec))
    for et_in, et_out in (("f16", "f32"), ("bf16", "f32"), ("i8", "i32"), ("f64", "f64")):
        for i in (1, 2, 3):
            cases.append(_conv_case("cpu_conv2d_%s_%s_%d" % (et_in, et_out, i), et_in, et_out,
                                    *CONV_SPECS[i]))
    # Run-time sizes: the im2col copy and the tiles take their bounds from the
    # input.
    cases.append(_conv_case("cpu_conv2d_dyn_f32", "f32", "f32", *CONV_SPECS[2], dynamic=True))
    cases.append(_conv_case("cpu_conv2d_dyn_i8_i32", "i8", "i32", *CONV_SPECS[1], dynamic=True))
    return cases
