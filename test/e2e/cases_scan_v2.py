# vm.scan (contract v2): running sum, product, min and max along `dim`, with
# `exclusive`, `reverse` and `unsigned`. vmgpu combines in order along `dim`
# (f16/bf16 sums and products in f32, each result rounded once), so the
# references replay that order with numpy's accumulate in the same precision
# and compare exactly; min/max follow vm.reduce's NaN rule (numpy's fmax/fmin:
# a NaN loses to a number; an all-NaN prefix stays NaN).

import math

import numpy as np

from vmcase import NP_DTYPE, Case, Func, builder, module, rng_for, sattr, ttype

UNSIGNED_VIEW = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def identity(kind, et, unsigned):
    if et.startswith("f"):
        return {"sum": 0.0, "prod": 1.0, "min": math.inf, "max": -math.inf}[kind]
    info = np.iinfo(UNSIGNED_VIEW[et] if unsigned else NP_DTYPE[et])
    return {"sum": 0, "prod": 1, "min": info.max, "max": info.min}[kind]


def scan_reference(x, kind, dim, et, exclusive, reverse, unsigned):
    if reverse:
        x = np.flip(x, axis=dim)
    if et.startswith("i"):
        # Wrapping arithmetic and the unsigned order on the unsigned view.
        view = x.view(UNSIGNED_VIEW[et])
        data = view if (unsigned or kind in ("sum", "prod")) else x
        ufunc = {"sum": np.add, "prod": np.multiply,
                 "min": np.minimum, "max": np.maximum}[kind]
        out = ufunc.accumulate(data, axis=dim).astype(data.dtype)
    else:
        work = np.float32 if et == "f16" else NP_DTYPE[et]
        ufunc = {"sum": np.add, "prod": np.multiply,
                 "min": np.fmin, "max": np.fmax}[kind]
        out = ufunc.accumulate(x.astype(work), axis=dim, dtype=work)
    if exclusive:
        first = np.full_like(np.take(out, [0], axis=dim),
                             identity(kind, et, unsigned))
        out = np.concatenate([first, np.delete(out, -1, axis=dim)], axis=dim)
    out = out.astype(NP_DTYPE[et]) if et.startswith("f") else out.view(NP_DTYPE[et])
    if reverse:
        out = np.flip(out, axis=dim)
    return np.ascontiguousarray(out)


def scan_input(name, shape, et, kind):
    rng = rng_for(name)
    if et.startswith("i"):
        info = np.iinfo(NP_DTYPE[et])
        if kind == "prod":  # small odd factors: products wrap without collapsing
            return rng.choice(np.array([1, -1, 3, -3, 5], dtype=NP_DTYPE[et]), size=shape)
        return rng.integers(info.min, info.max, size=shape, endpoint=True,
                            dtype=NP_DTYPE[et])
    if kind == "prod":
        x = rng.choice(np.array([1.0, -1.0, 2.0, 0.5, 1.25]), size=shape)
    else:
        x = rng.standard_normal(shape) * 4
    if kind in ("min", "max"):
        flat = x.reshape(-1)
        flat[::7] = math.nan  # NaNs among numbers; the first lane starts with one
        flat[3::11] = math.inf if kind == "min" else -math.inf
    return x.astype(NP_DTYPE[et])


def scan_case(name, shape, et, kind, dim, exclusive=False, reverse=False, unsigned=False):
    x = scan_input(name, shape, et, kind)
    attrs = [("kind", sattr(kind)), ("dim", "%d : i64" % dim)]
    attrs += [(a, None) for a, on in (("exclusive", exclusive), ("reverse", reverse),
                                      ("unsigned", unsigned)) if on]
    f = Func()
    f.ret(f.op("scan", [f.arg(ttype(shape, et))], ttype(shape, et), attrs))
    return Case(name, module(f), [x],
                [scan_reference(x, kind, dim, et, exclusive, reverse, unsigned)])


@builder
def scan_cases():
    cases = []
    for kind in ("sum", "prod", "min", "max"):
        for et in ("f16", "f32", "f64", "i8", "i32", "i64"):
            cases.append(scan_case("scan_%s_%s_rows" % (kind, et), (5, 33), et, kind, 1))
        cases.append(scan_case("scan_%s_f32_cols_exclusive" % kind, (1025, 3), "f32",
                               kind, 0, exclusive=True))
        cases.append(scan_case("scan_%s_i16_reverse" % kind, (3, 31), "i16", kind, 1,
                               reverse=True))
        cases.append(scan_case("scan_%s_f32_reverse_exclusive" % kind, (4, 17), "f32",
                               kind, 1, exclusive=True, reverse=True))
        cases.append(scan_case("scan_%s_f32_1d" % kind, (4097,), "f32", kind, 0))
    for kind in ("min", "max"):
        cases.append(scan_case("scan_%s_i32_unsigned" % kind, (4, 33), "i32", kind, 1,
                               unsigned=True))
        cases.append(scan_case("scan_%s_i8_unsigned_exclusive" % kind, (2, 9), "i8", kind,
                               1, exclusive=True, unsigned=True))
    cases.append(scan_case("scan_sum_f32_middle_dim", (2, 7, 3), "f32", "sum", 1))
    cases.append(scan_case("scan_sum_f32_length1", (6, 1), "f32", "sum", 1, exclusive=True))
    cases.append(scan_case("scan_sum_f32_empty", (0, 4), "f32", "sum", 0))
    return cases
