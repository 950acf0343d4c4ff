# vm.arg_reduce (contract v2): the first index along `dim` of the max or min
# in vm.reduce's order (NaNs skipped unless all are NaN, -0 below +0;
# `unsigned` integers in unsigned order). References: a plain Python scan
# per lane for floats, numpy's argmax/argmin (first index) for integers.

import math

import numpy as np

from cases_convert import bf16_of, bf16_program
from vmcase import NP_DTYPE, Case, Func, builder, module, rng_for, sattr, ttype

UNSIGNED_VIEW = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def float_ranks_above(v, best, is_max):
    if is_max:
        return v > best or (v == best == 0 and math.copysign(1, best) < 0 < math.copysign(1, v))
    return v < best or (v == best == 0 and math.copysign(1, v) < 0 < math.copysign(1, best))


def first_extreme(lane, is_max):
    best, where = None, 0
    for i, v in enumerate(float(x) for x in lane):
        if math.isnan(v):
            continue
        if best is None or float_ranks_above(v, best, is_max):
            best, where = v, i
    return where


def arg_reference(x, kind, dim, et, unsigned, index_et):
    is_max = kind == "max"
    if et.startswith("i"):
        data = x.view(UNSIGNED_VIEW[et]) if unsigned else x
        out = (np.argmax if is_max else np.argmin)(data, axis=dim)
    else:
        moved = np.moveaxis(x.astype(np.float64), dim, -1)
        lanes = moved.reshape(-1, moved.shape[-1])
        out = np.array([first_extreme(lane, is_max) for lane in lanes],
                       dtype=np.int64).reshape(moved.shape[:-1])
    return out.astype(NP_DTYPE[index_et])


def float_input(name, shape, dtype):
    """Random values with repeats (ties keep the first index), signed zeros,
    infinities, NaN among numbers and whole NaN lanes along the last dim."""
    rng = rng_for(name)
    x = rng.choice(np.array([-2.0, -1.0, -0.0, 0.0, 0.5, 1.0, 3.0, math.inf,
                             -math.inf, math.nan]), size=shape,
                   p=[0.15, 0.15, 0.1, 0.1, 0.15, 0.1, 0.1, 0.05, 0.05, 0.05])
    x = x + np.where(rng.random(shape) < 0.3, rng.standard_normal(shape), 0.0)
    flat = x.reshape(-1, shape[-1])
    flat[0, :] = math.nan  # an all-NaN lane
    if flat.shape[0] > 2:
        flat[1, :] = 0.0
        flat[1, ::2] = -0.0  # zeros of both signs only
        flat[2, :] = -math.inf
    return x.astype(dtype)


def int_input(name, shape, et):
    rng = rng_for(name)
    info = np.iinfo(NP_DTYPE[et])
    x = rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=NP_DTYPE[et])
    flat = x.reshape(-1)
    flat[:4] = [0, -1, info.min, info.max]
    if x.shape[-1] > 3:
        x.reshape(-1, x.shape[-1])[-1, :] = 7  # every element equal: index 0
    return x


def arg_case(name, shape, et, kind, dim, index_et="i64", unsigned=False):
    x = (int_input(name, shape, et) if et.startswith("i")
         else float_input(name, shape, NP_DTYPE[et]))
    result_shape = tuple(s for d, s in enumerate(shape) if d != dim)
    f = Func()
    attrs = [("kind", sattr(kind)), ("dim", "%d : i64" % dim)]
    attrs += [("unsigned", None)] if unsigned else []
    f.ret(f.op("arg_reduce", [f.arg(ttype(shape, et))], ttype(result_shape, index_et),
               attrs))
    return Case(name, module(f), [x],
                [arg_reference(x, kind, dim, et, unsigned, index_et)])


@builder
def arg_reduce_cases():
    cases = []
    for kind in ("max", "min"):
        for et in ("f16", "f32", "f64"):
            cases.append(arg_case("arg%s_%s_rows" % (kind, et), (9, 33), et, kind, 1))
            cases.append(arg_case("arg%s_%s_cols_i32" % (kind, et), (1025, 5), et, kind,
                                  0, index_et="i32"))
        for et in ("i8", "i16", "i32", "i64"):
            cases.append(arg_case("arg%s_%s" % (kind, et), (6, 31), et, kind, 1))
            cases.append(arg_case("arg%s_%s_unsigned" % (kind, et), (6, 31), et, kind,
                                  1, unsigned=True))
        cases.append(arg_case("arg%s_f32_3d_middle" % kind, (3, 17, 4), "f32", kind, 1))
        cases.append(arg_case("arg%s_f32_length1" % kind, (4, 1), "f32", kind, 1))
        cases.append(arg_case("arg%s_f32_1d" % kind, (4097,), "f32", kind, 0))
    # bf16 through vm.convert (.npy has no bf16).
    for kind in ("max", "min"):
        x = float_input("arg%s_bf16" % kind, (5, 40), np.float32)
        f = Func()
        tb = ttype(x.shape, "bf16")
        xb = f.op("convert", [f.arg(ttype(x.shape, "f32"))], tb)
        f.ret(f.op("arg_reduce", [xb], ttype((5,), "i64"),
                   [("kind", sattr(kind)), ("dim", "1 : i64")]))
        cases.append(Case("arg%s_bf16" % kind, module(f), [x],
                          [arg_reference(bf16_of(x), kind, 1, "f32", False, "i64")]))
    return cases


@builder
def arg_reduce_error_cases():
    f = Func()
    f.ret(f.op("arg_reduce", [f.arg(ttype((3, 0), "f32"))], ttype((3,), "i64"),
               [("kind", sattr("max")), ("dim", "1 : i64")]))
    bad = [Case("bad_argmax_empty_static", module(f), [np.zeros((3, 0), np.float32)],
                expect_error="program")]
    f = Func()
    f.ret(f.op("arg_reduce", [f.arg(ttype((3, None), "f32"))], ttype((3,), "i64"),
               [("kind", sattr("min")), ("dim", "1 : i64")]))
    bad.append(Case("bad_argmin_empty_dynamic", module(f), [np.zeros((3, 0), np.float32)],
                    expect_error="input"))
    return bad
