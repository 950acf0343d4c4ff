# Reductions at awkward sizes for the CPU strategies (vm-cpu-lower-reductions):
# rows and full reductions are cut into segments of 32768 elements reduced with
# 4 vector accumulators (a step of 32 f32 elements on AVX2, 16 f64 / 64 i8
# elsewhere), column reductions into blocks of 32 columns and segments of 1024
# rows. The sizes land below one step (1, 3), on a partial step and tail (4097,
# 2^20 + 3), on one and several segments (2^20 + 3 elements; 1025 and 3000
# rows of a column reduction; rows of 2^16 + 3), on partial column blocks (33,
# 4097 columns) and on many short rows (1025 x 3). NaN and infinities sit inside
# vector steps, in tails and in whole rows. References are NumPy's, in float64
# for float sums and products (compared with the accumulation tolerance) and
# exact (wrapping) for integers.

import math

import numpy as np

from cases_tensor import accum_compare, rand
from vmcase import (EXACT, Case, Func, arr, builder, module, round_array, rtol,
                    sattr, ttype)

UNIT_ROUNDOFF = {"f16": 2.0 ** -11, "f32": 2.0 ** -24, "f64": 2.0 ** -53}
UNSIGNED = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def reference(x, kind, dims, et):
    dims = tuple(dims)
    if et.startswith("i"):
        wrapped = x.astype(UNSIGNED[et])  # numpy's unsigned reductions wrap
        fn = {"sum": np.add, "prod": np.multiply, "and": np.bitwise_and,
              "or": np.bitwise_or, "xor": np.bitwise_xor}.get(kind)
        if fn is None:
            return (np.min if kind == "min" else np.max)(x, axis=dims)
        out = wrapped
        for d in sorted(dims, reverse=True):
            out = fn.reduce(out, axis=d, dtype=UNSIGNED[et])
        return np.asarray(out).astype(x.dtype)
    if kind in ("min", "max"):
        return minmax_reference(x, kind, dims)
    x64 = x.astype(np.float64)
    r = np.sum(x64, axis=dims) if kind == "sum" else np.prod(x64, axis=dims)
    return np.asarray(r if et == "f64" else round_array(r, et))


def minmax_reference(x, kind, dims):
    """The contract's float min/max: NaN loses (NaN only when every element
    is NaN), -0 orders below +0. np.fmin/fmax give the value; the sign of a
    zero result is set here (NumPy leaves it unspecified)."""
    r = np.asarray((np.fmin if kind == "min" else np.fmax).reduce(x, axis=dims))
    if x.dtype.kind != "f":
        return r
    zero = x == 0
    negative_zero = np.any(zero & np.signbit(x), axis=dims)
    positive_zero = np.any(zero & ~np.signbit(x), axis=dims)
    want_negative = negative_zero if kind == "min" else ~positive_zero
    return np.where(r == 0, np.where(want_negative, -0.0, 0.0).astype(x.dtype), r)


def signed_zero_inputs(name, n, et):
    """Rows of n elements: +0 and -0 mixed, only -0, only +0, negatives with
    one -0 and one +0 deep in a vector step, and -0 among NaNs."""
    dtype = {"f16": np.float16, "f32": np.float32, "f64": np.float64}[et]
    rng = np.random.default_rng(sum(map(ord, name)))
    x = np.zeros((5, n), dtype)
    x[0] = np.where(rng.random(n) < 0.5, -0.0, 0.0)
    x[1] = -0.0
    x[2] = 0.0
    x[3] = -rng.uniform(1, 2, n)
    x[3, n // 3] = -0.0
    x[3, (2 * n) // 3] = 0.0
    x[4] = np.nan
    x[4, n // 2] = -0.0
    return x


def case(name, x, kind, dims, et, dynamic=False):
    f = Func()
    shape = tuple(None if dynamic else s for s in x.shape)
    rshape = tuple(s for d, s in enumerate(shape) if d not in dims)
    f.ret(f.op("reduce", [f.arg(ttype(shape, et))], ttype(rshape, et),
               [("kind", sattr(kind)), ("dims", arr(list(dims)))]))
    compare = EXACT
    if et.startswith("f") and kind == "sum":
        compare = accum_compare(et, np.sum(np.abs(x.astype(np.float64)), axis=tuple(dims)))
    elif et.startswith("f") and kind == "prod":
        # The contract's bound for products, gamma_{n-1} |exact| in the
        # accumulator's unit roundoff, plus the final rounding to the type.
        n = int(np.prod([x.shape[d] for d in dims]))
        u = 2.0 ** -53 if et == "f64" else 2.0 ** -24
        compare = rtol(1.01 * max(n - 1, 1) * u + UNIT_ROUNDOFF[et])
    return Case(name, module(f), [x], [reference(x, kind, dims, et)], compare)


def values(name, shape, kind, et):
    x = rand(name, shape, et)
    if et.startswith("f") and kind == "prod":
        # Factors near 1 on both sides: products of 10^6 terms stay finite.
        x = (1 + x / 4096).astype(x.dtype)
    return x


def with_specials(x, kind):
    """NaN inside a vector step and in the tail, an infinity, a whole NaN row."""
    x = x.copy()
    flat = x.reshape(-1)
    n = flat.size
    for at in (5, n - 1, n // 2):
        if 0 <= at < n:
            flat[at] = math.nan
    if n > 40:
        flat[37] = math.inf if kind == "min" else -math.inf
        flat[38] = -math.inf if kind == "min" else math.inf
    if x.ndim == 2 and x.shape[0] > 2:
        x[1, :] = math.nan
    return x


@builder
def cpu_full_reduction_cases():
    cases = []
    for n in (1, 3, 4097, (1 << 20) + 3):
        for et, kinds in (("f32", ("sum", "prod", "min", "max")), ("f16", ("sum", "max")),
                          ("f64", ("sum",)), ("i32", ("sum", "prod", "min", "xor")),
                          ("i8", ("sum", "max")), ("i64", ("sum", "and"))):
            for kind in kinds:
                name = "cpu_full_%s_%s_%d" % (kind, et, n)
                cases.append(case(name, values(name, (n,), kind, et), kind, [0], et,
                                  dynamic=n == 4097))
    for kind in ("min", "max"):
        for n in (3, 4097, (1 << 20) + 3):
            name = "cpu_full_%s_nan_f32_%d" % (kind, n)
            x = with_specials(rand(name, (n,), "f32"), kind)
            cases.append(case(name, x, kind, [0], "f32"))
    # Signed zeros and NaN in vector steps and tails, for every float width
    # (the strategy folds min/max as ordered integers of that width).
    for et in ("f16", "f32", "f64"):
        for kind in ("min", "max"):
            for n in (37, 4097, 65539):
                name = "cpu_rows_%s_zeros_%s_5x%d" % (kind, et, n)
                cases.append(case(name, signed_zero_inputs(name, n, et), kind, [1], et))
            if et == "f32":
                continue  # cpu_full_*_nan_f32_4097 above
            name = "cpu_full_%s_nan_%s_4097" % (kind, et)
            x = with_specials(rand(name, (4097,), "f32").astype(
                {"f16": np.float16, "f32": np.float32, "f64": np.float64}[et]), kind)
            cases.append(case(name, x, kind, [0], et))
    # Every element NaN: NaN.
    cases.append(case("cpu_full_min_allnan_f64_4097", np.full((4097,), np.nan, np.float64),
                      "min", [0], "f64"))
    cases.append(case("cpu_full_max_allnan_f32_4097", np.full((4097,), np.nan, np.float32),
                      "max", [0], "f32"))
    # A full reduction of a 3-D input (one flat segment walk).
    x = rand("cpu_full_sum_3d", (31, 33, 65), "f32")
    cases.append(case("cpu_full_sum_f32_31x33x65", x, "sum", [0, 1, 2], "f32"))
    return cases


@builder
def cpu_row_reduction_cases():
    cases = []
    for rows in (1, 31, 1025):
        for length in (1, 3, 4097):
            for et, kind in (("f32", "sum"), ("f32", "max"), ("f16", "sum"), ("i32", "sum"),
                             ("i16", "min")):
                name = "cpu_rows_%s_%s_%dx%d" % (kind, et, rows, length)
                cases.append(case(name, values(name, (rows, length), kind, et), kind, [1], et,
                                  dynamic=rows == 31))
    # Rows of several segments.
    for et, kind in (("f32", "sum"), ("f16", "sum"), ("f32", "min"), ("i32", "prod")):
        name = "cpu_rows_%s_%s_3x65539" % (kind, et)
        x = values(name, (3, 65539), kind, et)
        if kind == "min":
            x = with_specials(x, kind)
        cases.append(case(name, x, kind, [1], et))
    for kind in ("min", "max"):
        name = "cpu_rows_%s_nan_f32_31x4097" % kind
        cases.append(case(name, with_specials(rand(name, (31, 4097), "f32"), kind), kind,
                          [1], "f32"))
    # Two reduced dims and two kept ones.
    x = rand("cpu_rows_sum_4d", (3, 5, 7, 301), "f32")
    cases.append(case("cpu_rows_sum_f32_3x5x7x301_d23", x, "sum", [2, 3], "f32"))
    return cases


@builder
def cpu_column_reduction_cases():
    cases = []
    for rows in (1, 31, 1025, 3000):
        for cols in (1, 3, 33, 4097):
            if rows * cols > 4 * 1000 * 1000:
                continue
            for et, kind in (("f32", "sum"), ("f32", "max"), ("f16", "sum"), ("i32", "prod"),
                             ("i8", "or")):
                name = "cpu_cols_%s_%s_%dx%d" % (kind, et, rows, cols)
                cases.append(case(name, values(name, (rows, cols), kind, et), kind, [0], et,
                                  dynamic=rows == 1025))
    for kind in ("min", "max"):
        name = "cpu_cols_%s_nan_f32_3000x37" % kind
        cases.append(case(name, with_specials(rand(name, (3000, 37), "f32"), kind), kind,
                          [0], "f32"))
    # Batches of column reductions (the middle dim reduced), and f64.
    x = rand("cpu_cols_sum_3d", (3, 1025, 37), "f32")
    cases.append(case("cpu_cols_sum_f32_3x1025x37_d1", x, "sum", [1], "f32"))
    x = rand("cpu_cols_sum_f64", (2049, 19), "f64")
    cases.append(case("cpu_cols_sum_f64_2049x19", x, "sum", [0], "f64"))
    return cases


@builder
def cpu_dot_cases():
    cases = []
    for n in (1, 3, 4097, (1 << 20) + 3):
        for et in ("f32", "f16", "i32"):
            name = "cpu_dot_%s_%d" % (et, n)
            a = rand(name + "a", (n,), et, -100, 100)
            b = rand(name + "b", (n,), et, -100, 100)
            f = Func()
            ty = ttype((None,), et)
            f.ret(f.op("dot", [f.arg(ty), f.arg(ty)], ttype((), et)))
            if et.startswith("i"):
                ref = reference(a.astype(np.int64) * b.astype(np.int64), "sum", [0], "i64")
                cases.append(Case(name, module(f), [a, b], [np.asarray(ref).astype(np.int32)]))
                continue
            products = a.astype(np.float64) * b.astype(np.float64)
            expected = np.sum(products)
            cases.append(Case(name, module(f), [a, b],
                              [np.asarray(round_array(expected, et))],
                              accum_compare(et, np.sum(np.abs(products)))))
    return cases


@builder
def cpu_softmax_cases():
    # vm-cpu-lower-softmax: rows below one step, with a partial step, many
    # rows; -inf entries (probability 0), a row of -inf only, a row with
    # +inf and a row with NaN (NaN rows, as the contract's formula gives).
    from cases_tensor import softmax_case

    cases = []
    for rows in (1, 31, 1025):
        for length in (1, 3, 4097):
            name = "cpu_softmax_f32_%dx%d" % (rows, length)
            x = (rand(name, (rows, length), "f32") * 4).astype(np.float32)
            cases.append(softmax_case(name, x, 1, "f32"))
    x = (rand("cpu_softmax_specials", (6, 101), "f32") * 30).astype(np.float32)
    x[0, 7] = -math.inf
    x[0, 99] = -math.inf
    x[1, :] = -math.inf
    x[2, 50] = math.inf
    x[3, 3] = math.nan
    x[4] += 80.0  # exp(x - max) still in range: only differences matter
    cases.append(softmax_case("cpu_softmax_specials_f32_6x101", x, 1, "f32"))
    x = rand("cpu_softmax_f16", (31, 67), "f16")
    cases.append(softmax_case("cpu_softmax_f16_31x67", x, 1, "f16"))
    x = rand("cpu_softmax_f64", (7, 1031), "f64")
    cases.append(softmax_case("cpu_softmax_f64_7x1031", x, 1, "f64"))
    x = rand("cpu_softmax_3d", (3, 5, 37), "f32")
    cases.append(softmax_case("cpu_softmax_f32_3x5x37", x, 2, "f32"))
    return cases
