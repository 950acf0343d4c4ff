# vm.sort (contract v2): a stable sort along `dim` by the contract's total
# order (-0 < +0, NaN above every number and all NaNs equal, integers signed
# or `unsigned`), ascending or `descending` (keys reversed, ties still in
# index order). The reference sorts each lane with Python's stable sort on
# keys built from the values (a NaN flag, the number, the sign of a zero),
# so it shares nothing with vmgpu's bit tricks; values and indices compare
# exactly (so -0 and +0 must land where the order puts them).

import math

import numpy as np

from cases_convert import bf16_of
from vmcase import NP_DTYPE, Case, Func, builder, module, rng_for, ttype

UNSIGNED_VIEW = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def order_key(value, is_float, descending):
    """A Python sort key in the contract's order (reversed when descending)."""
    if is_float:
        value = float(value)
        if math.isnan(value):
            key = (1, 0.0, 0)
        else:
            key = (0, value, 0 if math.copysign(1.0, value) < 0 else 1)
    else:
        key = (int(value),)
    return tuple(-k for k in key) if descending else key


def sort_positions(x, dim, descending, unsigned=False):
    """The i64 source position of every sorted element along `dim`."""
    is_float = x.dtype.kind == "f"
    view = x.view(UNSIGNED_VIEW[{1: "i8", 2: "i16", 4: "i32", 8: "i64"}[x.itemsize]]) \
        if unsigned else x
    lanes = np.moveaxis(view, dim, -1)
    out = np.zeros(lanes.shape, dtype=np.int64)
    for lane in np.ndindex(*lanes.shape[:-1]):
        row = lanes[lane]
        keys = [order_key(v, is_float, descending) for v in row.tolist()]
        out[lane] = sorted(range(len(keys)), key=lambda j: keys[j])
    return np.ascontiguousarray(np.moveaxis(out, -1, dim))


def order_input(name, shape, et, ties=False):
    """Random values with the order's corner cases mixed in: NaN, +-0, +-inf
    for floats, the extremes for integers; `ties` draws from a few values."""
    rng = rng_for(name)
    size = int(np.prod(shape))
    if et.startswith("i"):
        info = np.iinfo(NP_DTYPE[et])
        if ties:
            pool = np.array([info.min, -1, 0, 1, 7, info.max], dtype=NP_DTYPE[et])
            return rng.choice(pool, size=shape)
        x = rng.integers(info.min, info.max, size=size, endpoint=True,
                         dtype=NP_DTYPE[et])
        edges = np.array([info.min, info.max, 0, -1, 1], dtype=NP_DTYPE[et])[:size]
        x[:edges.size] = edges
        return x.reshape(shape)
    if ties:
        pool = np.array([math.nan, -0.0, 0.0, 1.5, -1.5, math.inf, -math.inf, 2.0])
        x = rng.choice(pool, size=size)
    else:
        x = rng.standard_normal(size) * 8
        edges = np.array([math.nan, -0.0, 0.0, math.inf, -math.inf, -math.nan,
                          0.0, -0.0])[:size]
        at = np.arange(0, size, 7)[:edges.size]
        x[at] = edges[:at.size]
    return x.reshape(shape).astype(NP_DTYPE[et] if et != "bf16" else np.float32)


def sort_case(name, shape, et, dim, descending=False, unsigned=False, ties=False,
              arg_shape=None):
    x = order_input(name, shape, et, ties)
    positions = sort_positions(x, dim, descending, unsigned)
    values = np.take_along_axis(x, positions, axis=dim)
    attrs = [("dim", "%d : i64" % dim)]
    attrs += [(a, None) for a, on in (("descending", descending), ("unsigned", unsigned)) if on]
    f = Func()
    xt = ttype(arg_shape or shape, et)
    v, i = f.op_results("sort", [f.arg(xt)], [xt, ttype(arg_shape or shape, "i64")], attrs)
    f.ret(v, i)
    return Case(name, module(f), [x], [values, positions])


def bf16_sort_case(name, shape, descending):
    """bf16 through vm.convert (.npy has no bf16): f32 in, f32 out."""
    x = bf16_of(order_input(name, shape, "f32", ties=True))
    positions = sort_positions(x, 1, descending)
    f = Func()
    tf, tb = ttype(shape, "f32"), ttype(shape, "bf16")
    xb = f.op("convert", [f.arg(tf)], tb)
    attrs = [("dim", "1 : i64")] + ([("descending", None)] if descending else [])
    v, i = f.op_results("sort", [xb], [tb, ttype(shape, "i64")], attrs)
    f.ret(f.op("convert", [v], tf), i)
    return Case(name, module(f), [x], [np.take_along_axis(x, positions, axis=1), positions])


@builder
def sort_cases():
    cases = []
    for et in ("f16", "f32", "f64", "i8", "i16", "i32", "i64"):
        for descending in (False, True):
            suffix = "_desc" if descending else ""
            cases.append(sort_case("sort_%s_rows%s" % (et, suffix), (5, 33), et, 1,
                                   descending))
            cases.append(sort_case("sort_%s_ties%s" % (et, suffix), (3, 67), et, 1,
                                   descending, ties=True))
    for et in ("i8", "i32", "i64"):
        for descending in (False, True):
            suffix = "_desc" if descending else ""
            cases.append(sort_case("sort_%s_unsigned%s" % (et, suffix), (4, 29), et, 1,
                                   descending, unsigned=True))
    cases.append(sort_case("sort_f32_cols", (129, 3), "f32", 0, ties=True))
    cases.append(sort_case("sort_f32_cols_desc", (17, 5), "f32", 0, True))
    cases.append(sort_case("sort_f32_middle_dim", (2, 31, 3), "f32", 1, ties=True))
    cases.append(sort_case("sort_f64_1d_4097", (4097,), "f64", 0))
    cases.append(sort_case("sort_f32_1d_ties_1000", (1000,), "f32", 0, True, ties=True))
    cases.append(sort_case("sort_i32_power_of_two", (2, 64), "i32", 1, ties=True))
    cases.append(sort_case("sort_f32_length1", (6, 1), "f32", 1))
    cases.append(sort_case("sort_f32_length2_desc", (6, 2), "f32", 1, True, ties=True))
    cases.append(sort_case("sort_f32_empty_dim", (3, 0), "f32", 1))
    cases.append(sort_case("sort_f32_empty_lanes", (0, 5), "f32", 1))
    cases.append(sort_case("sort_f32_dynamic", (7, 45), "f32", 1, True, ties=True,
                           arg_shape=(None, None)))
    # Few lanes of a static length of 512 or more sort by merge passes over
    # every element; many lanes, by one merge sort per lane.
    cases.append(sort_case("sort_f32_merge_passes_desc", (3, 777), "f32", 1, True,
                           ties=True))
    cases.append(sort_case("sort_f16_merge_passes_2048", (2, 2048), "f16", 1))
    cases.append(sort_case("sort_i32_merge_passes_cols_unsigned", (1030, 5), "i32", 0,
                           unsigned=True, ties=True))
    cases.append(sort_case("sort_i64_merge_passes_512", (1, 512), "i64", 1, True))
    cases.append(sort_case("sort_f32_many_long_lanes", (130, 520), "f32", 1, ties=True))
    # The GPU pipelines sort every lane of 64 or more by merge passes,
    # however many lanes (the CPU: one merge sort per lane from 128 lanes).
    cases.append(sort_case("sort_f16_many_lanes_desc", (300, 65), "f16", 1, True,
                           ties=True))
    cases.append(sort_case("sort_i64_many_lanes_cols", (70, 140), "i64", 0, ties=True))
    cases.append(sort_case("sort_f32_many_lanes_middle", (5, 100, 33), "f32", 1,
                           ties=True))
    # Rows of 2 to 4096 elements of at most 32 bits sort in one workgroup
    # each on the GPU (padded to a power of two); 4097 takes merge passes.
    cases.append(sort_case("sort_f32_rows_4096_desc", (3, 4096), "f32", 1, True,
                           ties=True))
    cases.append(sort_case("sort_i8_rows_4095_unsigned_desc", (2, 4095), "i8", 1, True,
                           unsigned=True, ties=True))
    cases.append(sort_case("sort_f32_rows_4097", (2, 4097), "f32", 1))
    cases.append(sort_case("sort_i16_unit_dims_after", (6, 40, 1, 1), "i16", 1, ties=True))
    cases.append(sort_case("sort_f16_length3_desc", (9, 3), "f16", 1, True, ties=True))
    cases.append(bf16_sort_case("sort_bf16_ties", (3, 40), False))
    cases.append(bf16_sort_case("sort_bf16_ties_desc", (3, 40), True))
    return cases
