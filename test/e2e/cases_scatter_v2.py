# vm.scatter (contract v2, ONNX ScatterElements): the result starts as
# `data`; each update, in row-major order of `updates`, goes to its index
# along `dim` (a negative index counts from the end once; one still outside
# [0, n) is dropped) and is combined by `kind`: set (the latest wins), add,
# mul (wrapping for integers; floats rounded to the element type at each
# step), min, max (a NaN loses to a number, -0 below +0; `unsigned`).
# The reference replays that definition one update at a time in Python, so
# the comparison is exact: vmgpu combines duplicates in the same row-major
# order (the contract allows a tolerance for float add/mul; the
# implementation keeps the order, and the cases hold it to that).

import math

import numpy as np

from vmcase import BITS, NP_DTYPE, Case, Func, builder, module, rng_for, sattr, ttype, wrap

UNSIGNED_VIEW = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def float_min_max(a, b, is_max):
    """The contract's float min/max on NumPy scalars (NaN loses; -0 < +0)."""
    if math.isnan(a):
        return b
    if math.isnan(b):
        return a
    if a != b:
        return (a if a > b else b) if is_max else (a if a < b else b)
    a_negative = math.copysign(1.0, float(a)) < 0
    # Equal: only +0 and -0 differ; max takes +0, min takes -0.
    return (b if a_negative else a) if is_max else (a if a_negative else b)


def combine(kind, et, old, update, unsigned):
    if kind == "set":
        return update
    if et.startswith("f"):
        if kind in ("min", "max"):
            return float_min_max(old, update, kind == "max")
        # NumPy scalar arithmetic in the element type: one rounding per step.
        return old + update if kind == "add" else old * update
    bits = BITS[et]
    a, b = int(old), int(update)
    if kind == "add":
        return wrap(a + b, bits)
    if kind == "mul":
        return wrap(a * b, bits)
    if unsigned:
        a, b = a % (1 << bits), b % (1 << bits)
    best = max(a, b) if kind == "max" else min(a, b)
    return wrap(best, bits)


def scatter_reference(data, indices, updates, dim, kind, et, unsigned):
    out = data.copy()
    n = data.shape[dim]
    with np.errstate(over="ignore", invalid="ignore"):
        for at in np.ndindex(*updates.shape):
            target = int(indices[at])
            if target < 0:
                target += n
            if not 0 <= target < n:
                continue
            to = at[:dim] + (target,) + at[dim + 1:]
            out[to] = combine(kind, et, out[to], updates[at], unsigned)
    return out


def values_for(name, shape, et, kind):
    rng = rng_for(name)
    if et.startswith("i"):
        info = np.iinfo(NP_DTYPE[et])
        if kind == "mul":
            return rng.choice(np.array([1, -1, 3, -3, 5, 7], dtype=NP_DTYPE[et]), size=shape)
        return rng.integers(info.min, info.max, size=shape, endpoint=True,
                            dtype=NP_DTYPE[et])
    if kind == "mul":
        x = rng.choice(np.array([1.0, -1.0, 2.0, 0.5, 1.25, 3.0]), size=shape)
    else:
        x = rng.standard_normal(shape) * 8
    if kind in ("min", "max", "set"):
        flat = x.reshape(-1)
        special = [math.nan, -0.0, 0.0, math.inf, -math.inf]
        at = np.arange(0, flat.size, 5)[:len(special)]
        flat[at] = special[:at.size]
    return x.astype(NP_DTYPE[et])


def index_values(name, shape, n, et):
    """Many duplicates (a small range), negative indices, and indices out of
    range both ways (dropped), the extremes of the index type among them."""
    rng = rng_for(name)
    x = rng.integers(-n - 2, n + 2, size=shape, dtype=np.int64).reshape(-1)
    info = np.iinfo(NP_DTYPE[et])
    edges = np.array([info.max, info.min, -1, n, -n, -n - 1, 0, 0], dtype=np.int64)[:x.size]
    x[::3][:edges.size] = edges[:x[::3].size]
    return x.reshape(shape).astype(NP_DTYPE[et])


def scatter_case(name, data_shape, update_shape, et, kind, dim, index_et="i32",
                 unsigned=False, dynamic=False):
    data = values_for(name + "_data", data_shape, et, kind)
    updates = values_for(name + "_updates", update_shape, et, kind)
    indices = index_values(name + "_idx", update_shape, data_shape[dim], index_et)
    expected = scatter_reference(data, indices, updates, dim, kind, et, unsigned)
    attrs = [("dim", "%d : i64" % dim), ("kind", sattr(kind))]
    if unsigned:
        attrs.append(("unsigned", None))
    shape_of = (lambda s: (None,) * len(s)) if dynamic else (lambda s: s)
    f = Func()
    args = [f.arg(ttype(shape_of(data_shape), et)),
            f.arg(ttype(shape_of(update_shape), index_et)),
            f.arg(ttype(shape_of(update_shape), et))]
    f.ret(f.op("scatter", args, ttype(shape_of(data_shape), et), attrs))
    return Case(name, module(f), [data, indices, updates], [expected])


@builder
def scatter_cases():
    cases = []
    for kind in ("set", "add", "mul", "min", "max"):
        for et in ("f16", "f32", "f64", "i8", "i32", "i64"):
            cases.append(scatter_case("scatter_%s_%s_rows" % (kind, et), (6, 5), (9, 5),
                                      et, kind, 0))
        cases.append(scatter_case("scatter_%s_f32_1d_duplicates" % kind, (7,), (61,),
                                  "f32", kind, 0, index_et="i64"))
        cases.append(scatter_case("scatter_%s_i16_cols" % kind, (3, 11), (2, 23), "i16",
                                  kind, 1))
        cases.append(scatter_case("scatter_%s_f32_smaller_updates" % kind, (3, 7, 4),
                                  (2, 5, 3), "f32", kind, 1))
    for kind in ("min", "max"):
        cases.append(scatter_case("scatter_%s_i32_unsigned" % kind, (5, 4), (12, 4), "i32",
                                  kind, 0, unsigned=True))
        cases.append(scatter_case("scatter_%s_i8_unsigned" % kind, (9,), (40,), "i8",
                                  kind, 0, index_et="i64", unsigned=True))
    # Few lanes of at least 512 updates sort the updates by target (merge
    # passes over every update), then combine each target's run in order.
    cases.append(scatter_case("scatter_add_f32_long_lane", (33, 3), (1025, 3), "f32",
                              "add", 0))
    for kind in ("set", "add", "mul", "min", "max"):
        cases.append(scatter_case("scatter_%s_f32_sorted_1d" % kind, (13,), (700,), "f32",
                                  kind, 0))
    cases.append(scatter_case("scatter_add_f16_sorted_1d", (40,), (2000,), "f16", "add", 0,
                              index_et="i64"))
    cases.append(scatter_case("scatter_add_i32_sorted_smaller_lanes", (4, 50), (3, 600),
                              "i32", "add", 1))
    cases.append(scatter_case("scatter_set_i8_sorted_smaller_lanes", (5, 9), (2, 512), "i8",
                              "set", 1, index_et="i64"))
    cases.append(scatter_case("scatter_max_i64_sorted_unsigned", (30, 2), (1000, 2), "i64",
                              "max", 0, unsigned=True))
    cases.append(scatter_case("scatter_min_f64_sorted_cols", (17, 3), (513, 3), "f64",
                              "min", 0))
    # Many lanes of 64 or more updates: sorted by target on the GPU (one
    # pass per lane on the CPU from 128 lanes).
    for kind in ("set", "add", "max"):
        cases.append(scatter_case("scatter_%s_f32_many_lanes" % kind, (40, 150), (100, 150),
                                  "f32", kind, 0))
    cases.append(scatter_case("scatter_add_i32_many_lanes_rows", (130, 20), (130, 64), "i32",
                              "add", 1, index_et="i64"))
    cases.append(scatter_case("scatter_mul_f16_many_lanes_smaller", (50, 140), (66, 131),
                              "f16", "mul", 0))
    cases.append(scatter_case("scatter_add_f32_dynamic", (6, 5), (9, 4), "f32", "add", 0,
                              dynamic=True))
    cases.append(scatter_case("scatter_set_f32_no_updates", (4, 3), (0, 3), "f32", "set", 0))
    cases.append(scatter_case("scatter_add_f32_empty_dim", (0, 3), (4, 3), "f32", "add", 0))
    return cases
