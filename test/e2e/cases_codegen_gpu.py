# Cases at the sizes where the GPU code generation strategies change shape
# (issue 16): vector widths and their scalar tails (lengths 1, 3, 4097,
# 2^20 + 3), one subgroup per row (rows of 1, 31, 33, 1025 and 100,003
# elements), operands that are views at odd offsets (the unaligned path),
# broadcasts and transposes read element by element, and NaN and +-inf in
# max/min/softmax rows. Every reference is plain numpy, written here from
# the contract (shared DESIGN.md), independent of vmgpu.

import numpy as np

from vmcase import (Case, Func, EXACT, accum_atol, arr, builder, i64, module,
                    rng_for, rtol, sattr, ttype)

LENGTHS = (1, 3, 4097, 2 ** 20 + 3)
ROW_LENGTHS = (1, 31, 33, 1025, 100003)
# Row lengths that are multiples of 16: rows read 16 bytes per lane and step.
ALIGNED_ROW_LENGTHS = (16, 32, 1024, 4096)
NP = {"f16": np.float16, "f32": np.float32, "f64": np.float64, "i8": np.int8,
      "i32": np.int32, "i64": np.int64, "i1": np.bool_}


def normal(name, shape, et):
    return rng_for(name).standard_normal(shape).astype(NP[et])


def integers(name, shape, et):
    info = np.iinfo(NP[et])
    return rng_for(name).integers(info.min, info.max, size=shape, dtype=NP[et],
                                  endpoint=True)


def rows_for(columns):
    """Enough rows to fill several blocks, fewer for the longest rows."""
    return 3 if columns > 10000 else 37


def sum_compare(x, axis, et):
    """A float sum: within (n * unit roundoff)-sized error of the float64
    sum of the terms, rounded once to 16-bit types."""
    abs_sum = np.sum(np.abs(x.astype(np.float64)), axis=axis)
    tol = {"f16": (1e-3, 1e-4), "f32": (1e-5, 1e-5), "f64": (1e-12, 1e-12)}[et]
    return rtol(tol[0], accum_atol(abs_sum, tol[1]))


# --- elementwise -------------------------------------------------------------


def relu(p):
    # relu(x) = max(x, 0): NaN stays NaN, -0 gives +0.
    return np.where(np.isnan(p), p, np.where(p > 0, p, np.zeros_like(p)))


@builder
def elementwise_length_cases():
    cases = []
    for n in LENGTHS:
        # relu(a * x + y): a mul and an add rounded separately, never an FMA.
        name = "cg_axpy_relu_f32_%d" % n
        a, x, y = (normal(name + s, (n,), "f32") for s in "axy")
        f = Func()
        t = ttype((n,), "f32")
        m = f.op("mul", [f.arg(t), f.arg(t)], t)
        f.ret(f.op("relu", [f.op("add", [m, f.arg(t)], t)], t))
        cases.append(Case(name, module(f), [a, x, y],
                          [relu((a * x) + y).astype(np.float32)]))
        # The same with dynamic sizes (grid and tail computed at run time).
        name = "cg_axpy_relu_dynamic_f32_%d" % n
        f = Func()
        td = ttype((None,), "f32")
        m = f.op("mul", [f.arg(td), f.arg(td)], td)
        f.ret(f.op("relu", [f.op("add", [m, f.arg(td)], td)], td))
        cases.append(Case(name, module(f), [a, x, y],
                          [relu((a * x) + y).astype(np.float32)]))
        # f16: eight elements per 16-byte access; each op rounds its exact
        # result to f16 once (numpy's float16 arithmetic does the same).
        name = "cg_add_mul_f16_%d" % n
        a, b = normal(name + "a", (n,), "f16"), normal(name + "b", (n,), "f16")
        f = Func()
        t = ttype((n,), "f16")
        pa, pb = f.arg(t), f.arg(t)
        f.ret(f.op("mul", [f.op("add", [pa, pb], t), pb], t))
        cases.append(Case(name, module(f), [a, b], [((a + b) * b).astype(np.float16)]))
        # Mixed widths: f16 -> f32 (4 elements per step, 8-byte loads).
        name = "cg_widen_f16_f32_%d" % n
        a = normal(name, (n,), "f16")
        f = Func()
        f.ret(f.op("convert", [f.arg(ttype((n,), "f16"))], ttype((n,), "f32")))
        cases.append(Case(name, module(f), [a], [a.astype(np.float32)]))
        # Integers wrap.
        name = "cg_mul_xor_i32_%d" % n
        a, b = integers(name + "a", (n,), "i32"), integers(name + "b", (n,), "i32")
        f = Func()
        t = ttype((n,), "i32")
        pa, pb = f.arg(t), f.arg(t)
        f.ret(f.op("xor", [f.op("mul", [pa, pb], t), pa], t))
        wrapped = (a.astype(np.int64) * b.astype(np.int64)) & 0xFFFFFFFF
        expected = (wrapped.astype(np.uint32).view(np.int32) ^ a).astype(np.int32)
        cases.append(Case(name, module(f), [a, b], [expected]))
        # A compare: i1 results are stored element by element.
        name = "cg_cmp_lt_f32_%d" % n
        a, b = normal(name + "a", (n,), "f32"), normal(name + "b", (n,), "f32")
        f = Func()
        t = ttype((n,), "f32")
        f.ret(f.op("cmp", [f.arg(t), f.arg(t)], ttype((n,), "i1"),
                   [("predicate", sattr("lt"))]))
        cases.append(Case(name, module(f), [a, b], [a < b]))
        # An operand that is a view at an odd offset (4 bytes past an aligned
        # base): the kernel must not use 16-byte accesses on it.
        name = "cg_slice_odd_offset_add_f32_%d" % n
        big = normal(name + "big", (n + 1,), "f32")
        y = normal(name + "y", (n,), "f32")
        f = Func()
        s = f.op("slice", [f.arg(ttype((n + 1,), "f32"))], ttype((n,), "f32"),
                 [("offsets", arr([1])), ("sizes", arr([n])), ("strides", arr([1]))])
        f.ret(f.op("add", [s, f.arg(ttype((n,), "f32"))], ttype((n,), "f32")))
        cases.append(Case(name, module(f), [big, y], [(big[1:] + y).astype(np.float32)]))
    return cases


@builder
def elementwise_shape_cases():
    cases = []
    for rows, cols in ((1, 1), (31, 33), (33, 31), (7, 1025)):
        # A row vector broadcast along the rows (read element by element
        # beside the vector accesses of the matrix).
        name = "cg_bias_add_f32_%dx%d" % (rows, cols)
        x = normal(name + "x", (rows, cols), "f32")
        bias = normal(name + "b", (cols,), "f32")
        f = Func()
        tb = ttype((rows, cols), "f32")
        bb = f.op("broadcast", [f.arg(ttype((cols,), "f32"))], tb, [("dims", arr([1]))])
        f.ret(f.op("add", [f.arg(tb), bb], tb))
        # Arguments in the order they appear: bias first, then x.
        cases.append(Case(name, module(f), [bias, x], [(x + bias[None, :]).astype(np.float32)]))
        # A transpose fused into a sum.
        name = "cg_transpose_add_f32_%dx%d" % (rows, cols)
        a = normal(name + "a", (cols, rows), "f32")
        b = normal(name + "b", (rows, cols), "f32")
        f = Func()
        tt = f.op("transpose", [f.arg(ttype((cols, rows), "f32"))], ttype((rows, cols), "f32"),
                  [("perm", arr([1, 0]))])
        f.ret(f.op("add", [tt, f.arg(ttype((rows, cols), "f32"))], ttype((rows, cols), "f32")))
        cases.append(Case(name, module(f), [a, b], [(a.T + b).astype(np.float32)]))
    return cases


# --- row reductions ---------------------------------------------------------


def with_specials(x, rng):
    """NaN and +-inf at a few places of some rows, and one row of NaN."""
    x = x.copy()
    rows, cols = x.shape
    for r in range(0, rows, 3):
        x[r, rng.integers(0, cols)] = np.nan
    for r in range(1, rows, 4):
        x[r, rng.integers(0, cols)] = np.inf
    for r in range(2, rows, 5):
        x[r, rng.integers(0, cols)] = -np.inf
    x[rows - 1, :] = np.nan  # all NaN: the result is NaN
    return x


def reduce_prog(shape, et, kind, dims, result_shape):
    f = Func()
    attrs = [("kind", sattr(kind)), ("dims", arr(dims))]
    f.ret(f.op("reduce", [f.arg(ttype(shape, et))], ttype(result_shape, et), attrs))
    return module(f)


def int_reduce(x, kind, axis, et):
    bits = np.iinfo(NP[et]).bits
    unsigned = {8: np.uint8, 32: np.uint32, 64: np.uint64}[bits]
    u = x.view(unsigned)
    if kind == "sum":
        return np.add.reduce(u, axis=axis, dtype=unsigned).view(NP[et])
    if kind == "prod":
        return np.multiply.reduce(u, axis=axis, dtype=unsigned).view(NP[et])
    return {"and": np.bitwise_and, "or": np.bitwise_or, "xor": np.bitwise_xor,
            "min": np.minimum, "max": np.maximum}[kind].reduce(x, axis=axis)


@builder
def row_reduction_cases():
    cases = []
    for cols in ROW_LENGTHS + ALIGNED_ROW_LENGTHS:
        rows = rows_for(cols)
        shape = (rows, cols)
        for et in ("f32", "f16", "f64"):
            name = "cg_rowsum_%s_%dx%d" % (et, rows, cols)
            x = normal(name, shape, et)
            exact = np.sum(x.astype(np.float64), axis=1)
            cases.append(Case(name, reduce_prog(shape, et, "sum", [1], (rows,)), [x],
                              [exact.astype(NP[et])], sum_compare(x, 1, et)))
        for kind, fn in (("max", np.fmax), ("min", np.fmin)):
            for et in ("f32", "f16"):
                # fmax/fmin: a NaN loses to a number, all NaN gives NaN.
                name = "cg_row%s_specials_%s_%dx%d" % (kind, et, rows, cols)
                x = with_specials(normal(name, shape, et), rng_for(name + "s"))
                cases.append(Case(name, reduce_prog(shape, et, kind, [1], (rows,)), [x],
                                  [fn.reduce(x, axis=1)]))
        # Products near 1 (powers of two: exact in every order).
        name = "cg_rowprod_f32_%dx%d" % (rows, cols)
        x = rng_for(name).choice(np.array([1.0, -1.0, 2.0, 0.5], np.float32), size=shape,
                                 p=[0.4995, 0.4995, 0.0005, 0.0005])
        cases.append(Case(name, reduce_prog(shape, "f32", "prod", [1], (rows,)), [x],
                          [np.prod(x.astype(np.float64), axis=1).astype(np.float32)]))
        for et, kinds in (("i32", ("sum", "prod", "min", "max", "xor")),
                          ("i64", ("sum", "max")), ("i8", ("sum", "and", "or"))):
            for kind in kinds:
                name = "cg_row%s_%s_%dx%d" % (kind, et, rows, cols)
                x = integers(name, shape, et)
                if kind == "prod":
                    x |= 1  # odd factors: the wrapped product does not vanish
                cases.append(Case(name, reduce_prog(shape, et, kind, [1], (rows,)), [x],
                                  [int_reduce(x, kind, 1, et)]))
        name = "cg_rowor_i1_%dx%d" % (rows, cols)
        x = rng_for(name).random(shape) < (1.0 / cols)
        cases.append(Case(name, reduce_prog(shape, "i1", "or", [1], (rows,)), [x],
                          [np.logical_or.reduce(x, axis=1)]))
    # Two reduced dims viewed as one row; a row reduction of a view at an
    # odd column offset (strided input).
    name = "cg_rowsum_3d_f32_5x33x31"
    x = normal(name, (5, 33, 31), "f32")
    cases.append(Case(name, reduce_prog(x.shape, "f32", "sum", [1, 2], (5,)), [x],
                      [np.sum(x.astype(np.float64), axis=(1, 2)).astype(np.float32)],
                      sum_compare(x, (1, 2), "f32")))
    name = "cg_rowmax_slice_odd_offset_f32_9x1025"
    big = with_specials(normal(name, (9, 1026), "f32"), rng_for(name + "s"))
    f = Func()
    s = f.op("slice", [f.arg(ttype((9, 1026), "f32"))], ttype((9, 1025), "f32"),
             [("offsets", arr([0, 1])), ("sizes", arr([9, 1025])), ("strides", arr([1, 1]))])
    f.ret(f.op("reduce", [s], ttype((9,), "f32"), [("kind", sattr("max")), ("dims", arr([1]))]))
    cases.append(Case(name, module(f), [big], [np.fmax.reduce(big[:, 1:], axis=1)]))
    # A dynamic row length.
    name = "cg_rowsum_dynamic_f32_37x1025"
    x = normal(name, (37, 1025), "f32")
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype((None, None), "f32"))], ttype((None,), "f32"),
               [("kind", sattr("sum")), ("dims", arr([1]))]))
    cases.append(Case(name, module(f), [x],
                      [np.sum(x.astype(np.float64), axis=1).astype(np.float32)],
                      sum_compare(x, 1, "f32")))
    return cases


# --- column reductions --------------------------------------------------------

# Rows of a column reduction: one row, fewer rows than a segment, a few
# segments, many segments (the partition caps the segment count at 512).
COLUMN_ROWS = (1, 31, 33, 1025, 100003)
# Columns: one, three (no whole chunk), a tail past 16-byte chunks (1025), a
# multiple of the vector width (vector loads).
COLUMN_COUNTS = (1, 3, 1025, 64)


def columns_for(rows):
    """Fewer columns for the tallest inputs (the case files stay small);
    260 = 4 x 65: f32 chunks whole, f16 chunks of 8 not."""
    if rows > 10000:
        return (1, 3)
    return (1, 3, 64, 260) if rows > 1000 else COLUMN_COUNTS


def column_specials(x, rng):
    """NaN and +-inf at a few places of some columns, one column of NaN."""
    return with_specials(x.T, rng).T.copy()


@builder
def column_reduction_cases():
    cases = []
    for rows in COLUMN_ROWS:
        for cols in columns_for(rows):
            shape = (rows, cols)
            for et in ("f32", "f16", "f64"):
                name = "cg_colsum_%s_%dx%d" % (et, rows, cols)
                x = normal(name, shape, et)
                exact = np.sum(x.astype(np.float64), axis=0)
                cases.append(Case(name, reduce_prog(shape, et, "sum", [0], (cols,)), [x],
                                  [exact.astype(NP[et])], sum_compare(x, 0, et)))
            for kind, fn, et in (("max", np.fmax, "f32"), ("min", np.fmin, "f32"),
                                 ("max", np.fmax, "f16")):
                name = "cg_col%s_specials_%s_%dx%d" % (kind, et, rows, cols)
                x = normal(name, shape, et)
                if rows > 1:
                    x = column_specials(x, rng_for(name + "s"))
                cases.append(Case(name, reduce_prog(shape, et, kind, [0], (cols,)), [x],
                                  [fn.reduce(x, axis=0)]))
            name = "cg_colprod_f32_%dx%d" % shape
            x = rng_for(name).choice(np.array([1.0, -1.0, 2.0, 0.5], np.float32), size=shape,
                                     p=[0.4995, 0.4995, 0.0005, 0.0005])
            cases.append(Case(name, reduce_prog(shape, "f32", "prod", [0], (cols,)), [x],
                              [np.prod(x.astype(np.float64), axis=0).astype(np.float32)]))
            for et, kinds in (("i32", ("sum", "prod", "min", "xor")), ("i64", ("max",)),
                              ("i8", ("sum", "and"))):
                for kind in kinds:
                    name = "cg_col%s_%s_%dx%d" % (kind, et, rows, cols)
                    x = integers(name, shape, et)
                    if kind == "prod":
                        x |= 1
                    cases.append(Case(name, reduce_prog(shape, et, kind, [0], (cols,)), [x],
                                      [int_reduce(x, kind, 0, et)]))
            if rows > 10000:
                continue  # 100,003-row i1 columns ran past 300 s on the CPU path
            name = "cg_color_i1_%dx%d" % shape
            x = rng_for(name).random(shape) < (1.0 / rows)
            cases.append(Case(name, reduce_prog(shape, "i1", "or", [0], (cols,)), [x],
                              [np.logical_or.reduce(x, axis=0)]))
    # Two reduced dims viewed as the rows; a dynamic shape.
    name = "cg_colsum_3d_f32_5x33x31"
    x = normal(name, (5, 33, 31), "f32")
    cases.append(Case(name, reduce_prog(x.shape, "f32", "sum", [0, 1], (31,)), [x],
                      [np.sum(x.astype(np.float64), axis=(0, 1)).astype(np.float32)],
                      sum_compare(x, (0, 1), "f32")))
    name = "cg_colsum_dynamic_f32_1025x1028"
    x = normal(name, (1025, 1028), "f32")
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype((None, None), "f32"))], ttype((None,), "f32"),
               [("kind", sattr("sum")), ("dims", arr([0]))]))
    cases.append(Case(name, module(f), [x],
                      [np.sum(x.astype(np.float64), axis=0).astype(np.float32)],
                      sum_compare(x, 0, "f32")))
    # Column slices at an odd offset (the base is 4 bytes past a 16-byte
    # boundary and the rows are strided): no vector loads on them.
    for rows, cols in ((33, 1024), (1025, 3)):
        name = "cg_colmax_slice_odd_offset_f32_%dx%d" % (rows, cols)
        big = column_specials(normal(name, (rows + 1, cols), "f32"), rng_for(name + "s"))
        f = Func()
        s = f.op("slice", [f.arg(ttype((rows + 1, cols), "f32"))], ttype((rows, cols), "f32"),
                 [("offsets", arr([1, 0])), ("sizes", arr([rows, cols])),
                  ("strides", arr([1, 1]))])
        f.ret(f.op("reduce", [s], ttype((cols,), "f32"),
                   [("kind", sattr("max")), ("dims", arr([0]))]))
        cases.append(Case(name, module(f), [big], [np.fmax.reduce(big[1:], axis=0)]))
        name = "cg_colsum_slice_odd_column_f32_%dx%d" % (rows, cols)
        big = normal(name, (rows, cols + 1), "f32")
        f = Func()
        s = f.op("slice", [f.arg(ttype((rows, cols + 1), "f32"))], ttype((rows, cols), "f32"),
                 [("offsets", arr([0, 1])), ("sizes", arr([rows, cols])),
                  ("strides", arr([1, 1]))])
        f.ret(f.op("reduce", [s], ttype((cols,), "f32"),
                   [("kind", sattr("sum")), ("dims", arr([0]))]))
        cases.append(Case(name, module(f), [big],
                          [np.sum(big[:, 1:].astype(np.float64), axis=0).astype(np.float32)],
                          sum_compare(big[:, 1:], 0, "f32")))
    return cases


# --- full reductions and dot -------------------------------------------------


@builder
def full_reduction_cases():
    cases = []
    for n in LENGTHS:
        name = "cg_fullsum_f32_%d" % n
        x = normal(name, (n,), "f32")
        cases.append(Case(name, reduce_prog((n,), "f32", "sum", [0], ()), [x],
                          [np.asarray(np.sum(x.astype(np.float64)), np.float32)],
                          sum_compare(x, 0, "f32")))
        name = "cg_fullmax_specials_f32_%d" % n
        x = normal(name, (n,), "f32")
        x[n // 2] = np.nan
        if n > 2:
            x[n // 3] = -np.inf
        cases.append(Case(name, reduce_prog((n,), "f32", "max", [0], ()), [x],
                          [np.asarray(np.fmax.reduce(x), np.float32)]))
        name = "cg_fullmin_inf_f32_%d" % n
        x = normal(name, (n,), "f32")
        x[-1] = -np.inf
        cases.append(Case(name, reduce_prog((n,), "f32", "min", [0], ()), [x],
                          [np.asarray(-np.inf, np.float32)]))
        name = "cg_fullsum_i32_%d" % n
        x = integers(name, (n,), "i32")
        cases.append(Case(name, reduce_prog((n,), "i32", "sum", [0], ()), [x],
                          [np.asarray(int_reduce(x, "sum", 0, "i32"))]))
        name = "cg_dot_f32_%d" % n
        a, b = normal(name + "a", (n,), "f32"), normal(name + "b", (n,), "f32")
        f = Func()
        t = ttype((n,), "f32")
        f.ret(f.op("dot", [f.arg(t), f.arg(t)], ttype((), "f32")))
        prod = a.astype(np.float64) * b.astype(np.float64)
        cases.append(Case(name, module(f), [a, b],
                          [np.asarray(np.sum(prod), np.float32)],
                          rtol(1e-5, accum_atol(np.sum(np.abs(prod)), 1e-5))))
    return cases


# --- softmax -----------------------------------------------------------------


def softmax_rows(x):
    """exp(x - max) / sum(exp(x - max)) along the last dim, literally, with
    the row max under the contract's NaN rule (a NaN row element makes the
    whole row NaN through exp anyway)."""
    x64 = x.astype(np.float64)
    m = np.fmax.reduce(x64, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", over="ignore"):
        e = np.exp(x64 - m)
        return (e / np.sum(e, axis=-1, keepdims=True)).astype(x.dtype)


@builder
def softmax_row_cases():
    cases = []
    # Rows of a multiple of 4 up to 8192 stay in registers (block_softmax);
    # the others take the online path.
    for cols in ROW_LENGTHS + (4, 1024, 8192):
        rows = 6 if cols > 10000 else 12
        name = "cg_softmax_rows_f32_%dx%d" % (rows, cols)
        x = (normal(name, (rows, cols), "f32") * 4).astype(np.float32)
        x[1, 0] = np.nan                 # a NaN: the row is NaN
        x[2, cols // 2] = np.inf         # +inf: inf - inf, the row is NaN
        x[3, cols - 1] = -np.inf         # one -inf: probability 0 there
        x[4, :] = -np.inf                # only -inf: NaN
        x[5, :] += 1000.0                # large values: the max shift matters
        f = Func()
        t = ttype((rows, cols), "f32")
        f.ret(f.op("softmax", [f.arg(t)], t, [("dim", i64(1))]))
        # The row sum of positive terms has a relative error below
        # (cols - 1) * u in any order (u = 2^-24); exp adds a few ulp.
        tolerance = max(1e-4, 1e-5 + cols * 2.0 ** -24)
        cases.append(Case(name, module(f), [x], [softmax_rows(x)], rtol(tolerance, 1e-7)))
    # f16 rows of 8 x 128 elements in registers; rows of a view at an odd
    # column offset (strided: the online path with full indices).
    name = "cg_softmax_rows_f16_12x1024"
    x = (normal(name, (12, 1024), "f32") * 4).astype(np.float16)
    x[1, 3] = np.nan
    x[4, :] = -np.inf
    f = Func()
    t = ttype((12, 1024), "f16")
    f.ret(f.op("softmax", [f.arg(t)], t, [("dim", i64(1))]))
    cases.append(Case(name, module(f), [x], [softmax_rows(x)], rtol(2e-3, 1e-4)))
    name = "cg_softmax_slice_odd_offset_f32_7x1024"
    big = (normal(name, (7, 1025), "f32") * 4).astype(np.float32)
    big[2, 5] = np.inf
    f = Func()
    s = f.op("slice", [f.arg(ttype((7, 1025), "f32"))], ttype((7, 1024), "f32"),
             [("offsets", arr([0, 1])), ("sizes", arr([7, 1024])), ("strides", arr([1, 1]))])
    f.ret(f.op("softmax", [s], ttype((7, 1024), "f32"), [("dim", i64(1))]))
    cases.append(Case(name, module(f), [big], [softmax_rows(big[:, 1:])],
                      rtol(1e-4, 1e-7)))
    # The elementwise op after a softmax is its epilogue (one kernel): an
    # f32 softmax rounded to f16 (8-byte stores of four f16 in registers,
    # element stores on the online path), NaN and -inf rows included; and
    # a product with a row vector broadcast over the rows (the epilogue's
    # other input read at the broadcast's source).
    for cols in (7, 36, 1000, 8192):
        name = "cg_softmax_round_f16_10x%d" % cols
        x = (normal(name, (10, cols), "f32") * 4).astype(np.float32)
        x[1, 0] = np.nan
        x[4, :] = -np.inf
        f = Func()
        t = ttype((10, cols), "f32")
        s = f.op("softmax", [f.arg(t)], t, [("dim", i64(1))])
        f.ret(f.op("convert", [s], ttype((10, cols), "f16")))
        cases.append(Case(name, module(f), [x], [softmax_rows(x).astype(np.float16)],
                          rtol(1e-3, 1e-6)))
    name = "cg_softmax_times_row_f32_9x260"
    x = (normal(name + "x", (9, 260), "f32") * 4).astype(np.float32)
    w = normal(name + "w", (260,), "f32").astype(np.float32)
    f = Func()
    t = ttype((9, 260), "f32")
    s = f.op("softmax", [f.arg(t)], t, [("dim", i64(1))])
    wb = f.op("broadcast", [f.arg(ttype((260,), "f32"))], t, [("dims", arr([1]))])
    f.ret(f.op("mul", [s, wb], t))
    expected = (softmax_rows(x).astype(np.float64) * w.astype(np.float64)).astype(np.float32)
    cases.append(Case(name, module(f), [x, w], [expected], rtol(1e-4, 1e-7)))
    return cases
