# vm.scan (contract v2): running sum, product, min and max along `dim`, with
# `exclusive`, `reverse` and `unsigned`. The references replay the sequential
# order with numpy's accumulate (f16 sums and products in f32, each result
# rounded once). Min, max and integers are exact in any order, so they
# compare exactly; min/max follow vm.reduce's NaN rule (numpy's fmax/fmin: a
# NaN loses to a number; an all-NaN prefix stays NaN). Float sums and
# products may combine in another order (the GPU's warp_scan: lanes' totals
# in a shuffle tree), so they are held to the bound docs/dialect.md gives for
# vm.scan: any two orders of an n-term prefix differ by at most
# 2 n u sum|x| (sums) or 2 n u |p| (products), u the unit roundoff of the
# accumulation type; an f16 result may also round to the neighbouring f16.

import math

import numpy as np

from vmcase import EXACT, NP_DTYPE, Case, Func, builder, module, rng_for, rtol, sattr, ttype

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


def scan_input(name, shape, et, kind, exact_terms=False):
    """Random inputs; with `exact_terms`, float sums get small integers and
    products powers of two, so every combining order gives the same exact
    result (a dropped or repeated element then shows, whatever the
    tolerance)."""
    rng = rng_for(name)
    if exact_terms and et.startswith("f") and kind in ("sum", "prod"):
        if kind == "sum":
            return rng.integers(-8, 9, size=shape).astype(NP_DTYPE[et])
        return rng.choice(np.array([1.0, -1.0, 2.0, 0.5]), size=shape).astype(NP_DTYPE[et])
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


def scan_rule(x, kind, dim, et, exact_terms):
    """The comparison of a scan's result with the sequential reference."""
    if exact_terms or not et.startswith("f") or kind in ("min", "max") or x.size == 0:
        return EXACT
    n = x.shape[dim]
    # Unit roundoff of the accumulation (f16 accumulates in f32).
    u = {"f16": 2.0 ** -24, "f32": 2.0 ** -24, "f64": 2.0 ** -53}[et]
    narrow = 2.0 ** -10 if et == "f16" else 0.0  # the final f16 rounding
    if kind == "prod":
        return rtol(2 * n * u + narrow)
    terms = np.sum(np.abs(x.astype(np.float64)), axis=dim)
    return rtol(narrow, 2 * n * u * float(np.max(terms)))


def scan_case(name, shape, et, kind, dim, exclusive=False, reverse=False, unsigned=False,
              exact_terms=False):
    x = scan_input(name, shape, et, kind, exact_terms)
    attrs = [("kind", sattr(kind)), ("dim", "%d : i64" % dim)]
    attrs += [(a, None) for a, on in (("exclusive", exclusive), ("reverse", reverse),
                                      ("unsigned", unsigned)) if on]
    f = Func()
    f.ret(f.op("scan", [f.arg(ttype(shape, et))], ttype(shape, et), attrs))
    return Case(name, module(f), [x],
                [scan_reference(x, kind, dim, et, exclusive, reverse, unsigned)],
                compare=scan_rule(x, kind, dim, et, exact_terms))


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
    # Rows for the GPU's warp_scan at awkward lengths: partial chunks, a
    # length that is a multiple of the vector width but not of a chunk,
    # single-element rows, a long single row, and NaN runs. Float sums and
    # products have exact terms here (every order gives the same bits);
    # the cases above hold random terms to the documented bound.
    exact = dict(exact_terms=True)
    cases.append(scan_case("scan_sum_f32_rows_4097", (3, 4097), "f32", "sum", 1, **exact))
    cases.append(scan_case("scan_sum_f32_rows_1000", (7, 1000), "f32", "sum", 1,
                           exclusive=True, **exact))
    cases.append(scan_case("scan_sum_f32_rows_of_1", (31, 1), "f32", "sum", 1, **exact))
    cases.append(scan_case("scan_sum_f32_1d_long", (1048579,), "f32", "sum", 0, **exact))
    cases.append(scan_case("scan_sum_f32_rows_random_4097", (3, 4097), "f32", "sum", 1))
    cases.append(scan_case("scan_max_f32_rows_1025", (5, 1025), "f32", "max", 1))
    cases.append(scan_case("scan_min_f16_rows_129", (9, 129), "f16", "min", 1,
                           reverse=True))
    cases.append(scan_case("scan_sum_f16_rows_1000", (4, 1000), "f16", "sum", 1, **exact))
    cases.append(scan_case("scan_prod_f64_rows_127", (3, 127), "f64", "prod", 1, **exact))
    cases.append(scan_case("scan_sum_i32_rows_4096", (2, 4096), "i32", "sum", 1,
                           exclusive=True))
    cases.append(scan_case("scan_max_i8_rows_257", (3, 257), "i8", "max", 1,
                           unsigned=True))
    cases.append(scan_case("scan_prod_i64_rows_100", (6, 100), "i64", "prod", 1))
    return cases
