# Conversion cases: vm.convert between every pair of element types (signed
# and `unsigned`), vm.bitcast, bf16 (reached through vm.convert inside the
# program: .npy has no bf16), and the creation ops vm.constant / vm.splat.

import math
from fractions import Fraction

import numpy as np

from cases_elementwise import (TRANSCENDENTAL_TOL, fma_exact_any, fma_tie_inputs,
                               float_minmax, float_unary)
from vmcase import (BITS, FLOAT_FORMAT, FLOAT_TYPES, INT_TYPES, NP_DTYPE, Case, Func,
                    bf16_round_bits, builder, fma_exact, int_array, ints, is_int, module,
                    rng_for, round_array, round_float, round_fraction, smax,
                    smin, to_unsigned, ttype, umax, wrap)

ALL_TYPES = ["i1"] + INT_TYPES + FLOAT_TYPES

INT_BOUNDARIES = [127, 128, -128, -129, 255, 256, 257, 259, 32767, 32768, -32769,
                  65535, 65536, 2049, 2051, 4097, 65504, 65519, 65520, 2 ** 24 + 1,
                  2 ** 24 + 3, -(2 ** 24 + 1), 2 ** 31 - 1, -(2 ** 31), 2 ** 32 + 5,
                  2 ** 53 + 1, 2 ** 53 + 3, 2 ** 62 + 2 ** 10 + 1, 2 ** 63 - 1,
                  -(2 ** 63), -(2 ** 53) - 1]

FLOAT_SOURCES = [math.nan, math.inf, -math.inf, 0.0, -0.0, 0.5, -0.5, 0.99, -0.99,
                 1.5, -1.5, 2.5, -2.5, 127.9, 128.0, 128.5, -128.5, -129.0, 255.9,
                 256.0, -1.0, 32767.5, 32768.0, 65504.0, 65520.0, -65536.0,
                 2.0 ** 31, -(2.0 ** 31), -(2.0 ** 31) - 4096, 2.0 ** 32, 2.0 ** 63,
                 -(2.0 ** 63), 2.0 ** 64, 1e20, -1e20, 1e30, 1e-30, 6e-8, 1e-45,
                 1.0 + 2.0 ** -11 + 2.0 ** -40, 1.0 + 2.0 ** -8 + 2.0 ** -30,
                 1.0 + 2.0 ** -24 + 2.0 ** -60, 0.1, 1.0 / 3.0, 4194305.5]


def source_values(src, name):
    rng = rng_for(name)
    if src == "i1":
        return np.array([True, False, True, True, False, False, True, False])
    if is_int(src):
        bits = BITS[src]
        lo, hi = smin(bits), smax(bits)
        values = [0, 1, -1, 2, -2, 3, -7, lo, lo + 1, hi, hi - 1]
        values += [v for v in INT_BOUNDARIES if lo <= v <= hi]
        values += ints(rng.integers(lo, hi, size=24, dtype=NP_DTYPE[src], endpoint=True))
        return np.array(values, dtype=NP_DTYPE[src])
    values = FLOAT_SOURCES + list(rng.standard_normal(24) * 1000)
    with np.errstate(all="ignore"):
        return np.array(values, dtype=np.float64).astype(NP_DTYPE[src])


def convert_value(v, src, dst, unsigned):
    """vm.convert of one element, following the contract."""
    if src == "i1":
        val = 1 if v else 0
    elif is_int(src):
        val = int(v)
        if unsigned:
            val = to_unsigned(val, BITS[src])
    else:
        val = float(v)
    if dst == "i1":
        return val != 0  # NaN != 0 is true
    if is_int(dst):
        bits = BITS[dst]
        if isinstance(val, float):
            lo, hi = (0, umax(bits)) if unsigned else (smin(bits), smax(bits))
            if math.isnan(val):
                r = 0
            elif math.isinf(val):
                r = hi if val > 0 else lo
            else:
                r = min(max(math.trunc(val), lo), hi)
            return wrap(r, bits)
        return wrap(val, bits)
    if isinstance(val, float):
        return round_float(val, dst)
    return round_fraction(Fraction(val), dst) if val else 0.0


def convert_ref(a, src, dst, unsigned=False):
    out = [convert_value(v, src, dst, unsigned) for v in a.reshape(-1).tolist()]
    if dst == "i1":
        return np.array(out, dtype=bool).reshape(a.shape)
    if is_int(dst):
        return int_array(out, dst, a.shape)
    dtype = np.float32 if dst == "bf16" else NP_DTYPE[dst]
    return np.array(out, dtype=np.float64).astype(dtype).reshape(a.shape)


def convert_case(name, src, dst, unsigned):
    a = source_values(src, name)
    f = Func()
    attrs = [("unsigned", None)] if unsigned else []
    f.ret(f.op("convert", [f.arg(ttype(a.shape, src))], ttype(a.shape, dst), attrs))
    return Case(name, module(f), [a], [convert_ref(a, src, dst, unsigned)])


@builder
def convert_cases():
    cases = []
    for src in ALL_TYPES:
        for dst in ALL_TYPES:
            if src == dst:
                continue
            cases.append(convert_case("convert_%s_to_%s" % (src, dst), src, dst, False))
            widening = (is_int(src) and is_int(dst) and src != "i1" and dst != "i1"
                        and BITS[dst] > BITS[src])
            int_float = src in INT_TYPES and dst in FLOAT_TYPES
            float_int = src in FLOAT_TYPES and dst in INT_TYPES
            if widening or int_float or float_int:
                cases.append(convert_case("convert_%s_to_%s_unsigned" % (src, dst),
                                          src, dst, True))
    # Two converts round twice: f64 -> f32 -> f16 differs from f64 -> f16.
    a = source_values("f64", "convert_chain")
    f = Func()
    t32 = f.op("convert", [f.arg(ttype(a.shape, "f64"))], ttype(a.shape, "f32"))
    f.ret(f.op("convert", [t32], ttype(a.shape, "f16")))
    cases.append(Case("convert_f64_to_f32_to_f16", module(f), [a],
                      [convert_ref(convert_ref(a, "f64", "f32"), "f32", "f16")]))
    return cases


# --- integer -> float, one rounding ------------------------------------------


def tie_integers(dst, src, unsigned):
    """Integers of `src` at and next to the ties of float format `dst` (p
    bits): for each binade 2^e with e >= p, the tie t = 2^e + (2j + 1) 2^(e-p)
    for a few j, and t - 1, t + 1; and their negatives when signed. A
    conversion that rounds to a wider format first (f32 for bf16, f64 for
    i64 -> f32) turns t + 1 and t - 1 into t when the wider format drops the
    last bit, and then rounds the tie to even: wrong half of the time."""
    p = FLOAT_FORMAT[dst][0]
    bits = BITS[src]
    lo, hi = (0, umax(bits)) if unsigned else (smin(bits), smax(bits))
    values = []
    for e in range(p, bits):
        half = 2 ** (e - p)
        for j in (0, 1, 2 ** (p - 1) - 1):
            t = 2 ** e + (2 * j + 1) * half
            for v in (t - 1, t, t + 1, t + half // 2 + 1 if half > 2 else t + 2):
                values.append(v)
                values.append(-v)
    values += [2 ** 24 + 2 ** 16 + 1, 16842753 + 2 ** 17]  # 16842753: the bug report's
    values = sorted({v for v in values if lo <= v <= hi})
    return int_array(values, src, (len(values),))


@builder
def int_to_float_tie_cases():
    cases = []
    pairs = [("i16", "bf16"), ("i32", "bf16"), ("i64", "bf16"), ("i32", "f16"),
             ("i64", "f16"), ("i64", "f32"), ("i32", "f32")]
    for src, dst in pairs:
        for unsigned in (False, True):
            name = "convert_%s_to_%s_ties%s" % (src, dst, "_unsigned" if unsigned else "")
            a = tie_integers(dst, src, unsigned)
            f = Func()
            attrs = [("unsigned", None)] if unsigned else []
            r = f.op("convert", [f.arg(ttype(a.shape, src))], ttype(a.shape, dst), attrs)
            if dst == "bf16":
                r = f.op("convert", [r], ttype(a.shape, "f32"))
            f.ret(r)
            cases.append(Case(name, module(f), [a], [convert_ref(a, src, dst, unsigned)]))
    return cases


# --- bitcast ---------------------------------------------------------------


@builder
def bitcast_cases():
    cases = []
    rng = rng_for("bitcast")
    for ft, it in (("f16", "i16"), ("f32", "i32"), ("f64", "i64")):
        fdt, idt = NP_DTYPE[ft], NP_DTYPE[it]
        udt = np.dtype("u%d" % fdt.itemsize)
        floats = np.array([0.0, -0.0, 1.0, -2.5, math.inf, -math.inf,
                           float(np.finfo(fdt).tiny) / 4, float(np.finfo(fdt).max)]
                          + list(rng.standard_normal(9)), dtype=fdt)
        # A quiet NaN with a payload: bitcast must keep every bit.
        nan_bits = {"f16": 0x7E01, "f32": 0x7FC00123, "f64": 0x7FF8000000000123}[ft]
        floats = np.concatenate([floats, np.array([nan_bits], dtype=udt).view(fdt)])
        floats = floats.reshape(3, 6)
        f = Func()
        f.ret(f.op("bitcast", [f.arg(ttype(floats.shape, ft))], ttype(floats.shape, it)))
        cases.append(Case("bitcast_%s_to_%s" % (ft, it), module(f), [floats],
                          [floats.view(idt)]))
        bits = BITS[it]
        ints_in = rng.integers(smin(bits), smax(bits), size=(4, 4), dtype=idt,
                               endpoint=True)
        f = Func()
        f.ret(f.op("bitcast", [f.arg(ttype(ints_in.shape, it))], ttype(ints_in.shape, ft)))
        cases.append(Case("bitcast_%s_to_%s" % (it, ft), module(f), [ints_in],
                          [ints_in.view(fdt)]))
    return cases


# --- bf16 ------------------------------------------------------------------


def bf16_inputs(name, n=48):
    rng = rng_for(name)
    ties = np.array([0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF,
                     0x00008000, 0x00018000, 0x80007FFF, 0x477FE000],
                    dtype=np.uint32).view(np.float32)
    special = np.array([0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 3.0,
                        1e-40, 3.3e38], dtype=np.float32)
    random = (rng.standard_normal(n) * 10).astype(np.float32)
    return np.concatenate([ties, special, random])


def bf16_of(x32):
    """f32 -> bf16 (as f32 values), computed exactly."""
    return round_array(x32.astype(np.float64), "bf16")


def bf16_program(ops, n_in, shape, generic=True):
    """f32 inputs -> convert to bf16 -> `ops(f, bf16 args)` -> convert to f32."""
    f = Func(generic=generic)
    tf, tb = ttype(shape, "f32"), ttype(shape, "bf16")
    args = [f.op("convert", [f.arg(tf)], tb) for _ in range(n_in)]
    f.ret(f.op("convert", [ops(f, args, tb)], tf))
    return module(f)


@builder
def bf16_cases():
    cases = []
    x = bf16_inputs("bf16_roundtrip")
    # The rounding reference two ways: exact Fractions, and the upper-16-bit
    # round-to-nearest-even trick.
    assert np.array_equal(bf16_of(x), bf16_round_bits(x), equal_nan=True)
    cases.append(Case("convert_f32_to_bf16_to_f32",
                      bf16_program(lambda f, a, t: a[0], 1, x.shape), [x], [bf16_of(x)]))

    a64 = source_values("f64", "bf16_from_f64")
    f = Func()
    tb = ttype(a64.shape, "bf16")
    f.ret(f.op("convert", [f.op("convert", [f.arg(ttype(a64.shape, "f64"))], tb)],
               ttype(a64.shape, "f64")))
    cases.append(Case("convert_f64_to_bf16_to_f64", module(f), [a64],
                      [convert_ref(a64, "f64", "bf16").astype(np.float64)]))

    for src in ("i32", "i8", "i64"):
        for unsigned in (False, True):
            name = "convert_%s_to_bf16_to_f32%s" % (src, "_unsigned" if unsigned else "")
            a = source_values(src, name)
            f = Func()
            attrs = [("unsigned", None)] if unsigned else []
            tb = ttype(a.shape, "bf16")
            b = f.op("convert", [f.arg(ttype(a.shape, src))], tb, attrs)
            f.ret(f.op("convert", [b], ttype(a.shape, "f32")))
            cases.append(Case(name, module(f), [a], [convert_ref(a, src, "bf16", unsigned)]))

    for dst in ("i32", "i16", "i1"):
        for unsigned in ((False, True) if dst != "i1" else (False,)):
            name = "convert_bf16_to_%s%s" % (dst, "_unsigned" if unsigned else "")
            x = bf16_inputs(name) * np.float32(1000)
            f = Func()
            attrs = [("unsigned", None)] if unsigned else []
            b = f.op("convert", [f.arg(ttype(x.shape, "f32"))], ttype(x.shape, "bf16"))
            f.ret(f.op("convert", [b], ttype(x.shape, dst), attrs))
            cases.append(Case(name, module(f), [x],
                              [convert_ref(bf16_of(x), "f32", dst, unsigned)]))

    # bf16 bits: convert then bitcast to i16, and i16 bits to bf16 to f32.
    x = bf16_inputs("bf16_bits")
    f = Func()
    b = f.op("convert", [f.arg(ttype(x.shape, "f32"))], ttype(x.shape, "bf16"))
    f.ret(f.op("bitcast", [b], ttype(x.shape, "i16")))
    bits = (bf16_of(x).view(np.uint32) >> 16).astype(np.uint16).view(np.int16)
    cases.append(Case("bitcast_bf16_to_i16", module(f), [x], [bits]))
    rng = rng_for("bitcast_i16_to_bf16")
    raw = rng.integers(-32768, 32767, size=(4, 8), dtype=np.int16, endpoint=True)
    f = Func()
    b = f.op("bitcast", [f.arg(ttype(raw.shape, "i16"))], ttype(raw.shape, "bf16"))
    f.ret(f.op("convert", [b], ttype(raw.shape, "f32")))
    widened = (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32)
    cases.append(Case("bitcast_i16_to_bf16", module(f), [raw], [widened]))

    # Arithmetic in bf16: each op rounds its exact result to bf16.
    def rounded(fn):
        return lambda *xs: round_array(fn(*[bf16_of(v).astype(np.float64) for v in xs]),
                                       "bf16")

    def mm(op):
        return lambda *xs: float_minmax(op, *[bf16_of(v) for v in xs])

    binary = {
        "add": rounded(np.add), "sub": rounded(np.subtract),
        "mul": rounded(np.multiply), "div": rounded(np.divide),
        "rem": rounded(np.fmod), "min": mm("min"), "max": mm("max"),
    }
    unary = {
        "neg": lambda v: -bf16_of(v), "abs": lambda v: np.abs(bf16_of(v)),
        "sqrt": rounded(np.sqrt), "floor": rounded(np.floor), "ceil": rounded(np.ceil),
    }
    for op, ref in binary.items():
        name = "%s_bf16" % op
        a = bf16_inputs(name + "a")
        b = np.roll(bf16_inputs(name + "b"), 5)
        if op in ("min", "max"):
            b[b == 0] = 2.0  # no +0 / -0 pairs: min may return either
            a[a == 0] = 3.0
        prog = bf16_program(lambda f, xs, t, op=op: f.op(op, xs, t), 2, a.shape)
        with np.errstate(all="ignore"):
            cases.append(Case(name, prog, [a, b], [ref(a, b).astype(np.float32)]))
    for op, ref in unary.items():
        name = "%s_bf16" % op
        a = bf16_inputs(name)
        prog = bf16_program(lambda f, xs, t, op=op: f.op(op, xs, t), 1, a.shape)
        with np.errstate(all="ignore"):
            cases.append(Case(name, prog, [a], [ref(a).astype(np.float32)]))
    a, b, c = (bf16_inputs("fma_bf16" + s) for s in "abc")
    c = np.roll(c, 3)
    prog = bf16_program(lambda f, xs, t: f.op("fma", xs, t), 3, a.shape)
    ab, bb, cb = (bf16_of(v) for v in (a, b, c))
    fused = [round_fraction(Fraction(float(p)) * Fraction(float(q)) + Fraction(float(r)), "bf16")
             if all(map(math.isfinite, (p, q, r))) else float(np.float64(p) * q + r)
             for p, q, r in zip(ab, bb, cb)]
    with np.errstate(all="ignore"):
        cases.append(Case("fma_bf16", prog, [a, b, c], [np.array(fused, np.float32)]))
    # Products on a bf16 tie plus an addend below f64's half ulp of them: an
    # fma rounded to nearest in f64 lands on the tie.
    a, b, c = fma_tie_inputs("bf16", [0, 20, -40], 60)
    prog = bf16_program(lambda f, xs, t: f.op("fma", xs, t), 3, a.shape)
    cases.append(Case("fma_bf16_ties", prog, [v.astype(np.float32) for v in (a, b, c)],
                      [fma_exact_any(a, b, c, "bf16").astype(np.float32)]))
    a = bf16_inputs("relu_bf16")
    a[a == 0] = 0.25  # relu(-0.0) may give either zero
    prog = bf16_program(lambda f, xs, t: f.op("relu", xs, t), 1, a.shape)
    cases.append(Case("relu_bf16", prog, [a], [float_unary("relu", bf16_of(a), "f32")]))
    for op in ("exp", "tanh", "log", "rsqrt", "sigmoid", "gelu"):
        rng = rng_for(op + "_bf16")
        a = (rng.standard_normal(40) * 3).astype(np.float32)
        if op in ("log", "rsqrt"):
            a = np.abs(a) + np.float32(0.01)
        prog = bf16_program(lambda f, xs, t, op=op: f.op(op, xs, t), 1, a.shape)
        ref64 = float_unary(op, bf16_of(a).astype(np.float64), "f64")
        cases.append(Case(op + "_bf16", prog, [a], [round_array(ref64, "bf16")],
                          TRANSCENDENTAL_TOL["bf16"]))
    # cmp on bf16 (NaN: only ne is true).
    a, b = bf16_inputs("cmp_bf16a"), np.roll(bf16_inputs("cmp_bf16b"), 7)
    f = Func()
    tb = ttype(a.shape, "bf16")
    xa = f.op("convert", [f.arg(ttype(a.shape, "f32"))], tb)
    xb = f.op("convert", [f.arg(ttype(a.shape, "f32"))], tb)
    preds = ["lt", "ne", "eq"]
    f.ret(*[f.op("cmp", [xa, xb], ttype(a.shape, "i1"), [("predicate", '"%s"' % p)])
            for p in preds])
    with np.errstate(all="ignore"):
        ref = [bf16_of(a) < bf16_of(b), bf16_of(a) != bf16_of(b), bf16_of(a) == bf16_of(b)]
    cases.append(Case("cmp_bf16", module(f), [a, b], ref, note="outputs: lt ne eq"))
    return cases


# --- creation --------------------------------------------------------------


@builder
def creation_cases():
    cases = []
    rng = rng_for("constants")
    values = {
        "i1": np.array([[True, False, True], [False, False, True]]),
        "i8": np.array([-128, 127, 0, -1, 5, 100], dtype=np.int8),
        "i16": np.array([[-32768, 32767], [-2, 3]], dtype=np.int16),
        "i32": np.array([-(2 ** 31), 2 ** 31 - 1, 0, 7], dtype=np.int32),
        "i64": np.array([-(2 ** 63), 2 ** 63 - 1, 2 ** 40 + 3], dtype=np.int64),
        "f16": np.array([0.5, -0.0, 65504, math.inf, math.nan, 6e-8], dtype=np.float16),
        "f32": np.array([[1.5, -0.0, math.inf], [-math.inf, math.nan, 1e-45]],
                        dtype=np.float32),
        "f64": np.array([0.1, -1e300, 5e-324, math.nan], dtype=np.float64),
    }
    for et, value in values.items():
        for generic in (True, False):
            f = Func(generic=generic)
            f.ret(f.constant(value, et))
            name = "constant_%s%s" % (et, "" if generic else "_readable")
            cases.append(Case(name, module(f), [], [value]))
    # A constant used by an op, and a splat-form dense attribute.
    x = rng.standard_normal((2, 3)).astype(np.float32)
    c = np.array([[1.0, 2.0, 3.0], [-4.0, 0.5, 0.25]], dtype=np.float32)
    f = Func()
    t = ttype((2, 3), "f32")
    f.ret(f.op("add", [f.arg(t), f.constant(c, "f32")], t))
    cases.append(Case("constant_add_f32", module(f), [x], [x + c]))
    f = Func()
    k = f.raw('"vm.constant"() {value = dense<-3> : tensor<2x3xi32>} : () -> tensor<2x3xi32>',
              ttype((2, 3), "i32"))
    xi = rng.integers(-100, 100, size=(2, 3), dtype=np.int32)
    f.ret(f.op("mul", [f.arg(ttype((2, 3), "i32")), k], ttype((2, 3), "i32")))
    cases.append(Case("constant_splat_attr_i32", module(f), [xi], [xi * np.int32(-3)]))
    # bf16 constant, widened to f32 (values exact in bf16).
    f = Func()
    kb = f.raw('"vm.constant"() {value = dense<[1.5, -2.0, 3.140625, 0.0078125]> : '
               'tensor<4xbf16>} : () -> tensor<4xbf16>', ttype((4,), "bf16"))
    f.ret(f.op("convert", [kb], ttype((4,), "f32")))
    cases.append(Case("constant_bf16", module(f), [],
                      [np.array([1.5, -2.0, 3.140625, 0.0078125], dtype=np.float32)]))

    # vm.splat of a scalar argument (passed as a 0-d .npy) and of arith.constant.
    for et, scalar in (("f32", np.float32(-2.75)), ("i64", np.int64(-(2 ** 40) - 1)),
                       ("f16", np.float16(0.333)), ("i1", np.bool_(True)),
                       ("i8", np.int8(-128))):
        f = Func()
        s = f.arg(et)
        f.ret(f.op("splat", [s], ttype((2, 3), et)))
        cases.append(Case("splat_arg_%s" % et, module(f), [np.array(scalar)],
                          [np.full((2, 3), scalar, dtype=NP_DTYPE[et])],
                          note="scalar function argument passed as a 0-d .npy"))
    f = Func(generic=False)
    x = rng.standard_normal((3, 2)).astype(np.float32)
    t = ttype((3, 2), "f32")
    arg = f.arg(t)
    s = f.raw("arith.constant 2.5 : f32", "f32")
    f.lines.append("%s = vm.splat %s : f32 -> %s" % ("%splat", s, t))
    f.types["%splat"] = t
    f.ret(f.op("mul", [arg, "%splat"], t))
    cases.append(Case("splat_arith_constant_f32", module(f), [x], [x * np.float32(2.5)]))
    # Dynamic splat: the size comes from tensor.dim of a dynamic argument.
    f = Func()
    t = ttype((None, 3), "f32")
    arg, s = f.arg(t), f.arg("f32")
    c0 = f.raw("arith.constant 0 : index", "index")
    n = f.raw("tensor.dim %s, %s : %s" % (arg, c0, t), "index")
    f.lines.append('%%splat = "vm.splat"(%s, %s) : (f32, index) -> %s' % (s, n, t))
    f.types["%splat"] = t
    f.ret(f.op("add", [arg, "%splat"], t))
    x = rng.standard_normal((5, 3)).astype(np.float32)
    cases.append(Case("splat_dynamic_f32", module(f), [x, np.array(np.float32(0.5))],
                      [x + np.float32(0.5)],
                      note="dynamic size from tensor.dim; scalar arg as a 0-d .npy"))
    return cases
