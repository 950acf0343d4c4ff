# Elementwise ops of the contract's second round (DESIGN.md, "Contract v2
# ops"): the C library's transcendental functions, vm.round, vm.sign and
# integer vm.pow. References: float64 math (Python's math module, itself
# within an ulp) rounded exactly to the element type; integers as Python ints.

import math

import numpy as np

from cases_convert import bf16_of, bf16_program
from cases_elementwise import binary_case, int_edges, int_unary_input, unary_case
from vmcase import (BITS, FLOAT_FORMAT, FLOAT_TYPES, INT_TYPES, NP_DTYPE, Case, builder,
                    int_array, ints, rng_for, round_array, smax, smin, to_unsigned, wrap)

# name -> (float64 reference of one element, domain of the random inputs)
TRANSCENDENTAL = {
    "sin": (math.sin, 20.0),
    "cos": (math.cos, 20.0),
    "tan": (math.tan, 3.0),
    "asin": (math.asin, 1.0),
    "acos": (math.acos, 1.0),
    "atan": (math.atan, 50.0),
    "sinh": (math.sinh, 10.0),
    "cosh": (math.cosh, 10.0),
    "asinh": (math.asinh, 100.0),
    "acosh": (math.acosh, 100.0),
    "atanh": (math.atanh, 1.0),
    "erf": (math.erf, 4.0),
}


def ulps(n, et):
    """Within `n` units in the last place of `et` of the expected value,
    which is the exactly rounded float64 reference."""
    p, emin, _ = FLOAT_FORMAT[et]
    return {"compare": "ulp", "ulps": n, "precision": p, "emin": emin}


def accuracy(et):
    # DESIGN.md: 4 ulp of the correctly rounded result for f32 and f64; f16
    # and bf16 take the f32 result rounded once, at most one ulp away.
    return ulps(1 if et in ("f16", "bf16") else 4, et)


def apply64(fn, x):
    """fn elementwise in float64 with the C library's special values: a
    domain error gives NaN, an overflow gives an infinity of the right sign."""
    out = []
    for v in np.asarray(x, dtype=np.float64).reshape(-1):
        v = float(v)
        if math.isnan(v):
            out.append(math.nan)
            continue
        try:
            out.append(fn(v))
        except ValueError:  # outside the domain, or a pole (atanh(+-1))
            pole = fn in (math.atanh,) and abs(v) == 1.0
            out.append(math.copysign(math.inf, v) if pole else math.nan)
        except OverflowError:  # sinh, cosh
            out.append(math.copysign(math.inf, v) if fn is math.sinh else math.inf)
    return np.array(out, dtype=np.float64).reshape(np.shape(x))


def transcendental_inputs(op, et):
    rng = rng_for("v2_%s_%s" % (op, et))
    dtype = np.float32 if et == "bf16" else NP_DTYPE[et]
    _, scale = TRANSCENDENTAL[op]
    info = np.finfo(np.float32 if et == "bf16" else dtype)
    special = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-3, -1e-3, math.inf,
               -math.inf, math.nan, float(info.tiny), float(info.max),
               math.pi, -math.pi / 2, 1.5, -0.999, 0.999, 10.0]
    values = special + list(rng.uniform(-scale, scale, 96))
    return np.array(values, dtype=np.float64).astype(dtype)


@builder
def transcendental_cases():
    cases = []
    for op, (fn, _) in TRANSCENDENTAL.items():
        for et in FLOAT_TYPES:
            a = transcendental_inputs(op, et).reshape(4, -1)
            with np.errstate(all="ignore"):
                expected = round_array(apply64(fn, a), et)
            cases.append(unary_case("%s_%s" % (op, et), op, et, a, expected,
                                    accuracy(et)))
        # bf16 through vm.convert (.npy has no bf16).
        a = transcendental_inputs(op, "bf16")
        prog = bf16_program(lambda f, xs, t, op=op: f.op(op, xs, t), 1, a.shape)
        with np.errstate(all="ignore"):
            expected = round_array(apply64(fn, bf16_of(a)), "bf16")
        cases.append(Case(op + "_bf16", prog, [a], [expected], accuracy("bf16")))
    return cases


def round_inputs(et):
    """Halfway cases (ties go to even), values next to them, huge values
    (already integers), tiny ones, zeros of both signs, NaN and infinities."""
    rng = rng_for("v2_round_" + et)
    dtype = np.float32 if et == "bf16" else NP_DTYPE[et]
    halves = [k + 0.5 for k in range(-6, 6)]
    values = halves + [0.0, -0.0, 0.49999997, -0.49999997, 0.5000001, 1e-30,
                       -1e-30, 2.0 ** 23 + 1, 1e30, -1e30, math.inf, -math.inf,
                       math.nan, 1234.5, -1234.5, 2.5, -2.5]
    values += list(rng.standard_normal(40) * 50)
    return np.array(values, dtype=np.float64).astype(dtype)


def sign_float64(x):
    """-1.0 or +1.0; +-0 and NaN stay as they are."""
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, 1.0, np.where(x < 0, -1.0, x))


@builder
def round_and_sign_float_cases():
    cases = []
    for et in FLOAT_TYPES:
        a = round_inputs(et)
        cases.append(unary_case("round_%s" % et, "round", et, a,
                                round_array(np.round(a.astype(np.float64)), et)))
        cases.append(unary_case("sign_%s" % et, "sign", et, a,
                                round_array(sign_float64(a), et)))
    a = round_inputs("bf16")
    for op, ref in (("round", lambda v: np.round(v)), ("sign", sign_float64)):
        prog = bf16_program(lambda f, xs, t, op=op: f.op(op, xs, t), 1, a.shape)
        b = bf16_of(a).astype(np.float64)
        cases.append(Case(op + "_bf16", prog, [a], [round_array(ref(b), "bf16")]))
    return cases


def int_sign(v, bits, unsigned):
    if unsigned:
        return 1 if to_unsigned(v, bits) else 0
    return (v > 0) - (v < 0)


def int_pow(base, exponent, bits, unsigned):
    """Repeated multiplication modulo 2^bits; a negative (signed) exponent
    gives 0 except for the bases 1 and -1."""
    if unsigned:
        return wrap(pow(to_unsigned(base, bits), to_unsigned(exponent, bits),
                        1 << bits), bits)
    if exponent < 0:
        if base == 1:
            return 1
        if base == -1:
            return -1 if exponent % 2 else 1
        return 0
    return wrap(pow(base, exponent, 1 << bits), bits)


@builder
def integer_sign_and_pow_cases():
    cases = []
    for et in INT_TYPES:
        bits = BITS[et]
        rng = rng_for("v2_int_" + et)
        values, a = int_unary_input(rng, et)
        for unsigned in (False, True):
            suffix = "_unsigned" if unsigned else ""
            attrs = [("unsigned", None)] if unsigned else []
            f_ref = int_array([int_sign(v, bits, unsigned) for v in values], et, a.shape)
            cases.append(unary_case("sign_%s%s" % (et, suffix), "sign", et, a, f_ref,
                                    attrs=attrs))
        # Powers: small bases with every exponent from -3 to 2 * bits + 1
        # (wrap-around happens inside), the edge values paired with small
        # exponents, and random pairs (huge exponents, unsigned readings).
        bases, exps = [], []
        for base in (0, 1, -1, 2, -2, 3, -3, 7):
            for e in range(-3, 2 * bits + 2):
                bases.append(base)
                exps.append(e)
        for base in int_edges(et):
            for e in (-1, 0, 1, 2, 3):
                bases.append(base)
                exps.append(e)
        bases += ints(rng.integers(smin(bits), smax(bits), size=32,
                                   dtype=NP_DTYPE[et], endpoint=True))
        exps += ints(rng.integers(smin(bits), smax(bits), size=32,
                                  dtype=NP_DTYPE[et], endpoint=True))
        x = int_array(bases, et, (len(bases),))
        y = int_array(exps, et, (len(exps),))
        for unsigned in (False, True):
            suffix = "_unsigned" if unsigned else ""
            attrs = [("unsigned", None)] if unsigned else []
            ref = [int_pow(b, e, bits, unsigned) for b, e in zip(ints(x), ints(y))]
            cases.append(binary_case("pow_%s%s" % (et, suffix), "pow", et, x, y,
                                     int_array(ref, et, x.shape), attrs))
    return cases

