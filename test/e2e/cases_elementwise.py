# Elementwise cases: integer and float binary/unary ops, fma, select and cmp.
# Each reference implements the contract's rule for that op in plain Python
# or numpy (integers as Python ints, floats via float64 plus exact rounding).

import itertools
import math
from fractions import Fraction

import numpy as np

from vmcase import (BITS, EXACT, FLOAT_FORMAT, FLOAT_TYPES, INT_TYPES, NP_DTYPE, Case, Func,
                    builder, fma_exact, int_array, ints, module, rng_for,
                    round_array, round_fraction, rtol, sattr, smax, smin, to_unsigned, ttype,
                    umax, wrap)

# --- inputs ----------------------------------------------------------------


def int_edges(et):
    bits = BITS[et]
    lo, hi = smin(bits), smax(bits)
    return [0, 1, -1, 2, -2, 3, -7, 7, lo, lo + 1, hi, hi - 1, hi // 2 + 1, lo // 3]


def int_pairs(name, et, extra_rhs=()):
    """Every pair of edge values, random pairs and `extra_rhs` amounts paired
    with random left operands: two 1-D arrays of `et`."""
    rng = rng_for(name)
    bits = BITS[et]
    edges = int_edges(et)
    a = [x for x, _ in itertools.product(edges, edges)]
    b = [y for _, y in itertools.product(edges, edges)]
    dtype = NP_DTYPE[et]
    ra = rng.integers(smin(bits), smax(bits), size=48, dtype=dtype, endpoint=True)
    rb = rng.integers(smin(bits), smax(bits), size=48, dtype=dtype, endpoint=True)
    small = rng.integers(-100, 100, size=32, dtype=np.int64)
    a += ints(ra) + ints(small)
    b += ints(rb) + ints(small[::-1] + 1)
    for amount in extra_rhs:
        a.append(int(rng.integers(smin(bits), smax(bits), size=1, dtype=dtype,
                                  endpoint=True)[0]))
        b.append(amount)
    n = len(a)
    return int_array(a, et, (n,)), int_array(b, et, (n,))


def float_edges(et):
    info = np.finfo(NP_DTYPE[et])
    return [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, -7.25, 1e-3, float(info.max),
            -float(info.max), float(info.tiny), float(info.tiny) / 8,
            math.inf, -math.inf, math.nan]


def float_pairs(name, et, edges=None, scale=10.0):
    rng = rng_for(name)
    edges = float_edges(et) if edges is None else edges
    a = [x for x, _ in itertools.product(edges, edges)]
    b = [y for _, y in itertools.product(edges, edges)]
    a += list(rng.standard_normal(64) * scale)
    b += list(rng.standard_normal(64) * scale)
    dtype = NP_DTYPE[et]
    return np.array(a).astype(dtype), np.array(b).astype(dtype)


# --- references ------------------------------------------------------------


def int_binary(op, a, b, bits, unsigned):
    """One op of the contract on two Python ints (signed `bits`-bit values)."""
    if unsigned:
        a, b = to_unsigned(a, bits), to_unsigned(b, bits)
    lo, hi = (0, umax(bits)) if unsigned else (smin(bits), smax(bits))
    ua, ub = to_unsigned(a, bits), to_unsigned(b, bits)
    shift = ub % bits

    def trunc_div(x, y):
        q = abs(x) // abs(y)
        return q if (x < 0) == (y < 0) else -q

    if op == "add":
        r = a + b
    elif op == "sub":
        r = a - b
    elif op == "mul":
        r = a * b
    elif op == "div":
        r = -1 if b == 0 else trunc_div(a, b)  # MIN / -1 wraps back to MIN
    elif op == "rem":
        r = a if b == 0 else a - b * trunc_div(a, b)
    elif op == "min":
        r = min(a, b)
    elif op == "max":
        r = max(a, b)
    elif op == "and":
        r = ua & ub
    elif op == "or":
        r = ua | ub
    elif op == "xor":
        r = ua ^ ub
    elif op == "shl":
        r = ua << shift
    elif op == "shr":
        r = (ua if unsigned else a) >> shift
    elif op == "add_sat":
        r = min(max(a + b, lo), hi)
    elif op == "sub_sat":
        r = min(max(a - b, lo), hi)
    else:
        raise ValueError(op)
    return wrap(r, bits)


def float_minmax(op, a, b):
    pick = np.minimum if op == "min" else np.maximum
    with np.errstate(all="ignore"):
        return np.where(np.isnan(a), b, np.where(np.isnan(b), a, pick(a, b)))


def float_binary(op, a, b, et):
    """IEEE result of `op` on arrays of `et`: computed in float64 (exact for
    mul, innocuous double rounding for + - / since 53 >= 2p+2), rounded."""
    x, y = a.astype(np.float64), b.astype(np.float64)
    with np.errstate(all="ignore"):
        if op in ("min", "max"):
            return float_minmax(op, a, b).astype(a.dtype)
        r = {"add": np.add, "sub": np.subtract, "mul": np.multiply,
             "div": np.divide, "rem": np.fmod, "pow": np.power}[op](x, y)
    return r if et == "f64" else round_array(r, et)


def gelu64(x):
    return np.array([v * (1.0 + math.erf(v / math.sqrt(2.0))) / 2.0
                     if not math.isnan(v) else math.nan for v in x.reshape(-1)]
                    ).reshape(x.shape)


def float_unary(op, a, et):
    x = a.astype(np.float64)
    with np.errstate(all="ignore"):
        if op == "neg":
            return np.negative(a)
        if op == "abs":
            return np.abs(a)
        if op == "relu":
            return np.where(np.isnan(a), a, np.maximum(a, np.zeros_like(a)))
        r = {
            "sqrt": np.sqrt,
            "rsqrt": lambda v: 1.0 / np.sqrt(v),
            "exp": np.exp,
            "log": np.log,
            "tanh": np.tanh,
            "sigmoid": lambda v: 1.0 / (1.0 + np.exp(-v)),
            "gelu": gelu64,
            "floor": np.floor,
            "ceil": np.ceil,
        }[op](x)
    return r if et == "f64" else round_array(r, et)


# Tolerances of transcendental ops, per element type.
TRANSCENDENTAL_TOL = {"f16": rtol(4e-3, 1e-4), "bf16": rtol(3e-2, 1e-4),
                      "f32": rtol(1e-5, 1e-6), "f64": rtol(1e-12, 1e-15)}


def binary_case(name, op, et, a, b, expected, attrs=(), compare=EXACT, generic=True):
    f = Func(generic=generic)
    t = ttype(a.shape, et)
    x, y = f.arg(t), f.arg(t)
    f.ret(f.op(op, [x, y], t, list(attrs)))
    return Case(name, module(f), [a, b], [expected], compare)


def unary_case(name, op, et, a, expected, compare=EXACT, attrs=()):
    f = Func()
    t = ttype(a.shape, et)
    f.ret(f.op(op, [f.arg(t)], t, list(attrs)))
    return Case(name, module(f), [a], [expected], compare)


# --- integer ops -----------------------------------------------------------

INT_BINARY = ["add", "sub", "mul", "div", "rem", "min", "max", "and", "or",
              "xor", "shl", "shr", "add_sat", "sub_sat"]
SIGNED_OPS = {"div", "rem", "min", "max", "shr", "add_sat", "sub_sat"}


@builder
def int_binary_cases():
    cases = []
    for et in INT_TYPES:
        bits = BITS[et]
        for op in INT_BINARY:
            for unsigned in ([False, True] if op in SIGNED_OPS else [False]):
                name = "%s_%s%s" % (op, et, "_unsigned" if unsigned else "")
                extra = range(-2, 2 * bits + 2) if op in ("shl", "shr") else ()
                a, b = int_pairs(name, et, extra)
                ref = [int_binary(op, x, y, bits, unsigned)
                       for x, y in zip(ints(a), ints(b))]
                attrs = [("unsigned", None)] if unsigned else []
                cases.append(binary_case(name, op, et, a, b,
                                         int_array(ref, et, a.shape), attrs))
    # The readable form, and i1 where the bitwise ops make sense.
    a, b = int_pairs("add_i32_readable", "i32")
    ref = [wrap(x + y, 32) for x, y in zip(ints(a), ints(b))]
    cases.append(binary_case("add_i32_readable", "add", "i32", a, b,
                             int_array(ref, "i32", a.shape), generic=False))
    a, b = int_pairs("div_i16_unsigned_readable", "i16")
    ref = [int_binary("div", x, y, 16, True) for x, y in zip(ints(a), ints(b))]
    cases.append(binary_case("div_i16_unsigned_readable", "div", "i16", a, b,
                             int_array(ref, "i16", a.shape), [("unsigned", None)],
                             generic=False))
    p = np.array([False, False, True, True] * 3).reshape(3, 4)
    q = np.array([False, True, False, True] * 3).reshape(3, 4)
    for op, fn in (("and", np.logical_and), ("or", np.logical_or),
                   ("xor", np.logical_xor)):
        cases.append(binary_case("%s_i1" % op, op, "i1", p, q, fn(p, q)))
    return cases


def int_unary_input(rng, et):
    """The edge values and 32 random ones of `et`: as Python ints, and as a
    2-row array."""
    bits = BITS[et]
    values = int_edges(et) + ints(rng.integers(smin(bits), smax(bits), size=32,
                                               dtype=NP_DTYPE[et], endpoint=True))
    return values, int_array(values, et, (2, len(values) // 2))


@builder
def int_unary_cases():
    cases = []
    for et in INT_TYPES:
        values, a = int_unary_input(rng_for("unary_" + et), et)
        refs = {
            "neg": [-v for v in values],
            "abs": [abs(v) for v in values],  # abs(MIN) wraps to MIN
            "not": [~v for v in values],
            "relu": [max(v, 0) for v in values],
        }
        for op, ref in refs.items():
            cases.append(unary_case("%s_%s" % (op, et), op, et, a,
                                    int_array(ref, et, a.shape)))
    p = np.array([[True, False, True], [False, False, True]])
    cases.append(unary_case("not_i1", "not", "i1", p, np.logical_not(p)))
    return cases


# --- float ops -------------------------------------------------------------

FLOAT_BINARY = ["add", "sub", "mul", "div", "rem", "min", "max"]


@builder
def float_binary_cases():
    cases = []
    for et in FLOAT_TYPES:
        for op in FLOAT_BINARY:
            name = "%s_%s" % (op, et)
            edges = float_edges(et)
            if op in ("min", "max"):
                edges.remove(-0.0)  # min(+0, -0) may return either zero
            a, b = float_pairs(name, et, edges)
            cases.append(binary_case(name, op, et, a, b, float_binary(op, a, b, et)))
        # pow: positive bases with moderate exponents, then C pow's special
        # cases (negative bases with integer exponents, zeros, NaN, inf).
        rng = rng_for("pow_" + et)
        a = (rng.uniform(0.1, 4.0, 64)).astype(NP_DTYPE[et])
        b = (rng.uniform(-4.0, 4.0, 64)).astype(NP_DTYPE[et])
        cases.append(binary_case("pow_%s" % et, "pow", et, a, b,
                                 float_binary("pow", a, b, et),
                                 compare=TRANSCENDENTAL_TOL[et]))
        special = [(-2.0, 3.0), (-2.0, 2.0), (-8.0, 1.0 / 3), (0.0, 0.0), (5.0, 0.0),
                   (math.nan, 0.0), (1.0, math.nan), (1.0, math.inf), (0.0, -1.0),
                   (-0.0, -1.0), (0.0, 2.0), (2.0, -1.0), (math.inf, -2.0),
                   (math.inf, 0.5), (0.5, math.inf), (2.0, math.inf),
                   (2.0, -math.inf), (-1.0, math.inf), (math.nan, 1.0),
                   (-3.0, -2.0), (4.0, 0.5), (-math.inf, 3.0)]
        a = np.array([x for x, _ in special]).astype(NP_DTYPE[et])
        b = np.array([y for _, y in special]).astype(NP_DTYPE[et])
        cases.append(binary_case("pow_special_%s" % et, "pow", et, a, b,
                                 float_binary("pow", a, b, et),
                                 compare=TRANSCENDENTAL_TOL[et]))
    return cases


def unary_inputs(op, et):
    rng = rng_for("%s_%s_in" % (op, et))
    dtype = NP_DTYPE[et]
    info = np.finfo(dtype)
    common = [0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.0, 10.0, -10.0, 1e-3, math.nan]
    if op in ("neg", "abs", "floor", "ceil"):
        values = common + [-0.0, math.inf, -math.inf, 2.5, -2.5, 0.49999997,
                           -0.7, 1e30, float(info.tiny) / 4, float(info.max)]
        values += list(rng.standard_normal(64) * 100)
    elif op == "relu":  # no -0.0: max(-0.0, 0.0) may give either zero
        values = common + [math.inf, -math.inf, float(info.max), -float(info.max),
                           float(info.tiny) / 4, -float(info.tiny) / 4]
        values += list(rng.standard_normal(64) * 10)
    elif op in ("sqrt", "rsqrt"):
        values = [0.0, 1.0, 2.0, 4.0, 0.25, 3.0, 1e-3, 1e4, math.inf, -1.0, math.nan]
        if op == "sqrt":
            values += [-0.0, float(info.tiny) / 4, float(info.max)]
        values += list(np.abs(rng.standard_normal(64)) * 50)
    elif op == "log":
        values = [1.0, 2.0, 0.5, math.e, 10.0, 1e-3, 1e4, 0.0, -1.0, math.inf, math.nan]
        values += list(np.exp(rng.standard_normal(64) * 3))
    elif op == "exp":
        big = {"f16": 10.0, "f32": 80.0, "f64": 700.0}[et]
        huge = {"f16": 20.0, "f32": 100.0, "f64": 800.0}[et]
        values = common + [big, -big, huge, -huge, math.inf, -math.inf]
        values += list(rng.standard_normal(64) * 3)
    elif op == "gelu":  # no -inf: the erf form gives -inf * 0
        values = common + [math.inf, 5.0, -5.0, 3.3]
        values += list(rng.standard_normal(64) * 3)
    else:  # tanh, sigmoid
        values = common + [math.inf, -math.inf, 20.0, -20.0, 0.01, -0.01]
        values += list(rng.standard_normal(64) * 3)
    return np.array(values).astype(dtype)


FLOAT_UNARY_EXACT = ["neg", "abs", "sqrt", "relu", "floor", "ceil"]
FLOAT_UNARY_APPROX = ["rsqrt", "exp", "log", "tanh", "sigmoid", "gelu"]


@builder
def float_unary_cases():
    cases = []
    for et in FLOAT_TYPES:
        for op in FLOAT_UNARY_EXACT + FLOAT_UNARY_APPROX:
            a = unary_inputs(op, et)
            compare = EXACT if op in FLOAT_UNARY_EXACT else TRANSCENDENTAL_TOL[et]
            cases.append(unary_case("%s_%s" % (op, et), op, et, a,
                                    float_unary(op, a, et), compare))
    return cases


# --- fma, mul + add, select ------------------------------------------------


def fma_inputs(name, et):
    """a, b random; c = -round(a*b) for most lanes, so that the fused result is
    the product's rounding error while mul-then-add gives exactly zero."""
    rng = rng_for(name)
    dtype = NP_DTYPE[et]
    n = 64
    a = (rng.standard_normal(n) * 3).astype(dtype)
    b = (rng.standard_normal(n) * 3).astype(dtype)
    with np.errstate(all="ignore"):
        c = -(a.astype(np.float64) * b.astype(np.float64))
    c = round_array(c, et)
    c[48:] = (rng.standard_normal(n - 48) * 3).astype(dtype)
    one = 1.0 + 2.0 ** -(np.finfo(dtype).nmant // 2 + 2)
    # (1+e)(1-e) = 1 - e^2: fused keeps -e^2, unfused rounds the product to 1.
    extra_a = [one, one, np.finfo(dtype).max, 2.0, math.inf, 0.0, -0.0, math.nan]
    extra_b = [2.0 - one, 2.0 - one, 2.0, 0.5, 0.0, 5.0, 5.0, 1.0]
    extra_c = [-1.0, 0.0, -float(np.finfo(dtype).max), 1.0, 1.0, -0.0, -0.0, 1.0]
    a = np.concatenate([a, np.array(extra_a).astype(dtype)])
    b = np.concatenate([b, np.array(extra_b).astype(dtype)])
    c = np.concatenate([c, np.array(extra_c).astype(dtype)])
    return a.reshape(8, -1), b.reshape(8, -1), c.reshape(8, -1)


def fma_tie_inputs(et, scales, addend_shift, count=24):
    """a * b exactly halfway between two neighbours of `et` (an odd (p+1)-bit
    significand u * v with u, v of at most p bits), plus an addend c far below
    the product's last bit: +c, -c and 0 on consecutive lanes, so the fused
    result rounds up, down, or the tie to even. A sum rounded to nearest in
    a wider format first lands on the tie when c is below its half ulp.
    `scales`: powers of two applied to b; c = 2^(exponent of the product's
    last bit - addend_shift). Returns float64 arrays a, b, c."""
    p = FLOAT_FORMAT[et][0]
    a, b, c = [], [], []
    ties = 0
    for s in range(2 ** p + 1, 2 ** (p + 1), 2):
        u = next((u for u in range(3, 2 ** p, 2) if s % u == 0 and s // u < 2 ** p), None)
        if u is None:
            continue
        v = s // u
        # a in [1, 2), b in [1, 2) * 2^scale: the product's last bit is
        # 2^(scale - (bits(u) - 1) - (bits(v) - 1)).
        ku, kv = u.bit_length() - 1, v.bit_length() - 1
        for scale in scales:
            last = scale - ku - kv
            tiny = 2.0 ** (last - addend_shift)
            for sign in (1.0, -1.0, 0.0):
                a.append(u * 2.0 ** -ku)
                b.append(v * 2.0 ** (scale - kv) * (-1.0 if ties % 2 else 1.0))
                c.append(sign * tiny)
        ties += 1
        if ties == count:
            break
    return np.array(a), np.array(b), np.array(c)


def fma_exact_any(a, b, c, et):
    """fma_exact for finite float64 operands of any format `et` (bf16 too),
    as float64 values."""
    return np.array([round_fraction(Fraction(float(x)) * Fraction(float(y)) + Fraction(float(z)),
                                    et) if x * y + z != 0 else 0.0
                     for x, y, z in zip(a, b, c)])


@builder
def fma_cases():
    cases = []
    for et in FLOAT_TYPES:
        a, b, c = fma_inputs("fma_" + et, et)
        f = Func()
        t = ttype(a.shape, et)
        x, y, z = f.arg(t), f.arg(t), f.arg(t)
        f.ret(f.op("fma", [x, y, z], t))
        cases.append(Case("fma_" + et, module(f), [a, b, c],
                          [fma_exact(a, b, c, et)]))
        # mul then add must not be contracted: two roundings.
        f = Func(generic=(et != "f64"))
        x, y, z = f.arg(t), f.arg(t), f.arg(t)
        f.ret(f.op("add", [f.op("mul", [x, y], t), z], t))
        product = float_binary("mul", a, b, et)
        cases.append(Case("mul_add_no_contraction_" + et, module(f), [a, b, c],
                          [float_binary("add", product, c, et)]))
    # f16 products on a tie plus an addend of 2^-24 (the smallest subnormal).
    a, b, c = fma_tie_inputs("f16", [4, 6], 16)
    a, b, c = (v.astype(np.float16) for v in (a, b, c))
    f = Func()
    t = ttype(a.shape, "f16")
    f.ret(f.op("fma", [f.arg(t), f.arg(t), f.arg(t)], t))
    cases.append(Case("fma_f16_ties", module(f), [a, b, c], [fma_exact(a, b, c, "f16")]))
    return cases


@builder
def select_cases():
    cases = []
    for et in ["i1"] + INT_TYPES + FLOAT_TYPES:
        name = "select_" + et
        rng = rng_for(name)
        shape = (3, 5)
        cond = rng.integers(0, 2, size=shape).astype(bool)
        if et == "i1":
            a = rng.integers(0, 2, size=shape).astype(bool)
            b = ~a
        elif et.startswith("i"):
            bits = BITS[et]
            a = rng.integers(smin(bits), smax(bits), size=shape, dtype=NP_DTYPE[et],
                             endpoint=True)
            b = rng.integers(smin(bits), smax(bits), size=shape, dtype=NP_DTYPE[et],
                             endpoint=True)
        else:
            a = rng.standard_normal(shape).astype(NP_DTYPE[et])
            b = rng.standard_normal(shape).astype(NP_DTYPE[et])
            a[0, 0], b[0, 1], a[1, 1], b[1, 2] = math.nan, math.nan, -0.0, math.inf
        f = Func()
        ct, t = ttype(shape, "i1"), ttype(shape, et)
        args = [f.arg(ct), f.arg(t), f.arg(t)]
        f.ret(f.op("select", args, t))
        cases.append(Case(name, module(f), [cond, a, b], [np.where(cond, a, b)]))
    return cases


# --- cmp -------------------------------------------------------------------

PREDICATES = ["eq", "ne", "lt", "le", "gt", "ge"]


def cmp_ref(pred, a, b):
    """IEEE/C comparisons (numpy's): with a NaN operand only `ne` is true."""
    with np.errstate(all="ignore"):
        return {"eq": np.equal, "ne": np.not_equal, "lt": np.less,
                "le": np.less_equal, "gt": np.greater,
                "ge": np.greater_equal}[pred](a, b)


def cmp_case(name, et, a, b, unsigned=False, generic=True):
    """One case, one result per predicate (eq ne lt le gt ge)."""
    f = Func(generic=generic)
    t, rt = ttype(a.shape, et), ttype(a.shape, "i1")
    x, y = f.arg(t), f.arg(t)
    outs, expected = [], []
    ua, ub = a, b
    if unsigned:
        ua = a.view("u%d" % a.dtype.itemsize)
        ub = b.view("u%d" % b.dtype.itemsize)
    for pred in PREDICATES:
        attrs = [("predicate", sattr(pred))] + ([("unsigned", None)] if unsigned else [])
        outs.append(f.op("cmp", [x, y], rt, attrs))
        expected.append(cmp_ref(pred, ua, ub))
    f.ret(*outs)
    return Case(name, module(f), [a, b], expected,
                note="outputs in predicate order: " + " ".join(PREDICATES))


@builder
def cmp_cases():
    cases = []
    for et in FLOAT_TYPES:
        a, b = float_pairs("cmp_" + et, et)
        cases.append(cmp_case("cmp_" + et, et, a, b))
    for et in INT_TYPES:
        for unsigned in (False, True):
            name = "cmp_%s%s" % (et, "_unsigned" if unsigned else "")
            a, b = int_pairs(name, et)
            cases.append(cmp_case(name, et, a, b, unsigned))
    a, b = float_pairs("cmp_f32_readable", "f32")
    cases.append(cmp_case("cmp_f32_readable", "f32", a.reshape(-1, 17),
                          b.reshape(-1, 17), generic=False))
    # i1: only eq / ne (an ordering of signless booleans is not specified).
    p = np.array([False, False, True, True])
    q = np.array([False, True, False, True])
    f = Func()
    t, rt = ttype((4,), "i1"), ttype((4,), "i1")
    x, y = f.arg(t), f.arg(t)
    f.ret(f.op("cmp", [x, y], rt, [("predicate", sattr("eq"))]),
          f.op("cmp", [x, y], rt, [("predicate", sattr("ne"))]))
    cases.append(Case("cmp_i1_eq_ne", module(f), [p, q], [p == q, p != q]))
    return cases
