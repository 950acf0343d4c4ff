# Shared helpers for the e2e case generator: the Case record and its on-disk
# layout, a small builder for `func.func` bodies holding vm ops (generic or
# readable form), and the numeric references every case family needs (exact
# binary-float rounding, integer wrapping). Nothing here calls vmgpu.

import json
import math
import os
import zlib
from fractions import Fraction

import numpy as np

# --- element types ---------------------------------------------------------

NP_DTYPE = {
    "i1": np.dtype(np.bool_),
    "i8": np.dtype(np.int8),
    "i16": np.dtype(np.int16),
    "i32": np.dtype(np.int32),
    "i64": np.dtype(np.int64),
    "f16": np.dtype(np.float16),
    "f32": np.dtype(np.float32),
    "f64": np.dtype(np.float64),
}
INT_TYPES = ["i8", "i16", "i32", "i64"]
FLOAT_TYPES = ["f16", "f32", "f64"]
BITS = {"i1": 1, "i8": 8, "i16": 16, "i32": 32, "i64": 64,
        "f16": 16, "bf16": 16, "f32": 32, "f64": 64}
# Binary float formats: (precision incl. the implicit bit, emin, emax).
FLOAT_FORMAT = {
    "f16": (11, -14, 15),
    "bf16": (8, -126, 127),
    "f32": (24, -126, 127),
    "f64": (53, -1022, 1023),
}


def is_int(et):
    return et.startswith("i")


def is_float(et):
    return et.startswith("f") or et == "bf16"


def smin(bits):
    return -(1 << (bits - 1))


def smax(bits):
    return (1 << (bits - 1)) - 1


def umax(bits):
    return (1 << bits) - 1


def wrap(value, bits):
    """Two's-complement wrap of a Python int to a signed `bits`-bit value."""
    value &= umax(bits)
    return value - (1 << bits) if value > smax(bits) else value


def to_unsigned(value, bits):
    return value & umax(bits)


def ints(array):
    """A flat list of Python ints from an integer or bool array."""
    return [int(v) for v in np.asarray(array).reshape(-1)]


def int_array(values, et, shape):
    """Wraps Python ints to `et` and returns an array of `shape`."""
    bits = BITS[et]
    if et == "i1":
        return np.array([bool(v & 1) for v in values], dtype=np.bool_).reshape(shape)
    return np.array([wrap(v, bits) for v in values], dtype=NP_DTYPE[et]).reshape(shape)


# --- exact float rounding --------------------------------------------------

def round_fraction(x, et):
    """Rounds the exact rational `x` to the float format `et` (nearest, ties
    to even, with subnormals and overflow to infinity). Returns a Python float
    (exact: every value of these formats is a double). A zero result is +0.0;
    callers that care about the sign of zero handle it."""
    p, emin, emax = FLOAT_FORMAT[et]
    x = Fraction(x)
    if x == 0:
        return 0.0
    negative = x < 0
    a = -x if negative else x
    e = a.numerator.bit_length() - a.denominator.bit_length()
    if Fraction(2) ** e > a:
        e -= 1
    if Fraction(2) ** (e + 1) <= a:
        e += 1
    e = max(e, emin)
    quantum = Fraction(2) ** (e - p + 1)
    scaled = a / quantum
    m = scaled.numerator // scaled.denominator
    rest = scaled - m
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and m % 2 == 1):
        m += 1
    value = m * quantum
    if value >= Fraction(2) ** (emax + 1):
        return -math.inf if negative else math.inf
    result = float(value)
    return -result if negative else result


def round_float(x, et):
    """Rounds a Python float (any double) to `et`, keeping NaN, inf, -0.0."""
    if math.isnan(x) or math.isinf(x):
        return x
    if x == 0:
        return x
    return round_fraction(Fraction(x), et)


def round_array(x64, et):
    """Rounds a float64 array elementwise to `et` (exact, via Fractions).
    bf16 results come back as float32 arrays (their values are exact f32).
    f32 and f64 take numpy's cast instead: an IEEE conversion, rounded to
    nearest even with subnormals, overflow and NaN as round_float gives
    them (checked bit for bit on 200,000 values of every magnitude), and
    thousands of times faster for the large references."""
    if et in ("f32", "f64"):
        with np.errstate(over="ignore"):
            return np.asarray(x64, dtype=np.float64).astype(NP_DTYPE[et])
    flat = [round_float(float(v), et) for v in np.asarray(x64, dtype=np.float64).reshape(-1)]
    dtype = np.float32 if et == "bf16" else NP_DTYPE[et]
    return np.array(flat, dtype=np.float64).astype(dtype).reshape(np.shape(x64))


def bf16_round_bits(f32):
    """float32 -> bf16 by rounding the upper 16 bits to nearest even; NaN stays
    NaN (quieted). Returns float32 values holding the bf16 results."""
    f32 = np.asarray(f32, dtype=np.float32)
    bits = f32.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
    rounded = np.where(np.isnan(f32), (bits & 0xFFFF0000) | 0x00400000, rounded)
    return rounded.astype(np.uint32).view(np.float32).reshape(f32.shape)


def fma_exact(a, b, c, et):
    """Correctly rounded a*b+c in format `et` for arrays of one shape."""
    out = []
    for x, y, z in zip(np.asarray(a).reshape(-1), np.asarray(b).reshape(-1),
                       np.asarray(c).reshape(-1)):
        x, y, z = float(x), float(y), float(z)
        if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(z)):
            with np.errstate(all="ignore"):
                out.append(float(np.float64(x) * np.float64(y) + np.float64(z)))
            continue
        exact = Fraction(x) * Fraction(y) + Fraction(z)
        if exact == 0:
            product_negative = math.copysign(1.0, x) * math.copysign(1.0, y) < 0
            both_negative = (x * y == 0 and z == 0 and product_negative
                             and math.copysign(1.0, z) < 0)
            out.append(-0.0 if both_negative else 0.0)
        else:
            out.append(round_fraction(exact, et))
    return np.array(out, dtype=np.float64).astype(NP_DTYPE[et]).reshape(np.shape(a))


# --- IR text ---------------------------------------------------------------

def ttype(shape, et):
    """`tensor<2x?x4xf32>` from a shape tuple (None = dynamic)."""
    dims = "".join(("?" if d is None else str(d)) + "x" for d in shape)
    return "tensor<%s%s>" % (dims, et)


def arr(values):
    values = list(values)
    if not values:
        return "array<i64>"
    return "array<i64: %s>" % ", ".join(str(int(v)) for v in values)


def sattr(text):
    return '"%s"' % text


def i64(value):
    return "%d : i64" % value


def float_literal(value, et):
    """An MLIR float literal for `value` of type `et` (hex for non-finite)."""
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        dtype = {"f16": np.float16, "f32": np.float32, "f64": np.float64}[et]
        width = BITS[et]
        bits = int(np.array(value, dtype=dtype).view("u%d" % (width // 8)))
        return "0x%0*X" % (width // 4, bits)
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:  # MLIR float literals need a decimal point
        mantissa += ".0"
    return mantissa + ("e" + exponent if exponent else "")


def dense(array, et):
    """`dense<...> : tensor<...>` for a numpy array of element type `et`."""
    array = np.asarray(array)

    def lit(v):
        if et == "i1":
            return "true" if v else "false"
        if is_int(et):
            return str(int(v))
        return float_literal(v, et)

    def nest(a):
        if a.ndim == 0:
            return lit(a.item())
        return "[" + ", ".join(nest(sub) for sub in a) + "]"

    return "dense<%s> : %s" % (nest(array), ttype(array.shape, et))


class Func:
    """Builds one `func.func`. Ops print in MLIR's generic form unless
    `generic=False` (then in the readable form of VmOps.td)."""

    def __init__(self, name="main", generic=True):
        self.name = name
        self.generic = generic
        self.args = []
        self.lines = []
        self.types = {}
        self.results = []
        self.count = 0

    def arg(self, type_text):
        name = "%%arg%d" % len(self.args)
        self.args.append(type_text)
        self.types[name] = type_text
        return name

    def _fresh(self, type_text):
        name = "%%%d" % self.count
        self.count += 1
        self.types[name] = type_text
        return name

    def op(self, name, operands, result_type, attrs=None, generic=None):
        """Appends `vm.<name>`; `attrs` is a list of (name, value text) pairs,
        value None for a unit attribute."""
        generic = self.generic if generic is None else generic
        attrs = attrs or []
        attr_text = ", ".join(k if v is None else "%s = %s" % (k, v) for k, v in attrs)
        result = self._fresh(result_type)
        operand_types = [self.types[o] for o in operands]
        if generic:
            line = '%s = "vm.%s"(%s)%s : (%s) -> %s' % (
                result, name, ", ".join(operands),
                " {%s}" % attr_text if attr_text else "",
                ", ".join(operand_types), result_type)
        else:
            line = "%s = vm.%s %s%s : %s" % (
                result, name, ", ".join(operands),
                " {%s}" % attr_text if attr_text else "",
                self._readable_types(name, operand_types, result_type))
        self.lines.append(line)
        return result

    def op_results(self, name, operands, result_types, attrs=None):
        """Appends `vm.<name>` with several results, in the generic form;
        returns their names (`%N#0`, `%N#1`, ...)."""
        attrs = attrs or []
        attr_text = ", ".join(k if v is None else "%s = %s" % (k, v) for k, v in attrs)
        base = "%%%d" % self.count
        self.count += 1
        names = ["%s#%d" % (base, i) for i in range(len(result_types))]
        for result, type_text in zip(names, result_types):
            self.types[result] = type_text
        self.lines.append('%s:%d = "vm.%s"(%s)%s : (%s) -> (%s)' % (
            base, len(result_types), name, ", ".join(operands),
            " {%s}" % attr_text if attr_text else "",
            ", ".join(self.types[o] for o in operands), ", ".join(result_types)))
        return names

    @staticmethod
    def _readable_types(name, operand_types, result_type):
        if name == "concat":
            return "%s -> %s" % (", ".join(operand_types), result_type)
        if len(set(operand_types)) == 1:
            if operand_types[0] == result_type:
                return result_type
            return "%s -> %s" % (operand_types[0], result_type)
        return "(%s) -> %s" % (", ".join(operand_types), result_type)

    def constant(self, array, et):
        attr = dense(array, et)
        result_type = ttype(np.shape(array), et)
        result = self._fresh(result_type)
        if self.generic:
            self.lines.append('%s = "vm.constant"() {value = %s} : () -> %s'
                              % (result, attr, result_type))
        else:
            self.lines.append("%s = vm.constant %s" % (result, attr))
        return result

    def raw(self, text, result_type):
        """Appends a non-vm op: `text` is everything after `%N = `."""
        result = self._fresh(result_type)
        self.lines.append("%s = %s" % (result, text))
        return result

    def ret(self, *values):
        self.results = list(values)

    def text(self):
        result_types = [self.types[v] for v in self.results]
        signature = ", ".join("%%arg%d: %s" % (i, t) for i, t in enumerate(self.args))
        if len(result_types) == 1:
            rt = result_types[0]
        else:
            rt = "(%s)" % ", ".join(result_types)
        body = "".join("    %s\n" % line for line in self.lines)
        ret = "    return %s : %s\n" % (", ".join(self.results), ", ".join(result_types))
        return "  func.func @%s(%s) -> %s {\n%s%s  }\n" % (
            self.name, signature, rt, body, ret)


def module(*funcs):
    return "module {\n%s}\n" % "\n".join(f.text() for f in funcs)


# --- cases -----------------------------------------------------------------

EXACT = {"compare": "exact"}


def rtol(r, a=0.0):
    return {"compare": "rtol", "rtol": float(r), "atol": float(a)}


class Case:
    """One end-to-end case: a program, its inputs in argument order and the
    expected results (or `expect_error`). `inputs` entries are arrays, or
    bytes written verbatim (a corrupt .npy), or None for a file that is named
    on the command line but never written."""

    def __init__(self, name, prog, inputs, expected=None, compare=None,
                 per_output=None, expect_error=None, note=None):
        self.name = name
        self.prog = prog
        self.inputs = [v if v is None or isinstance(v, bytes) else np.asarray(v)
                       for v in inputs]
        self.expected = [np.asarray(v) for v in expected or []]
        self.compare = compare or EXACT
        self.per_output = per_output
        self.expect_error = expect_error  # None, "program" or "input"
        self.note = note

    def write(self, root):
        folder = os.path.join(root, self.name)
        os.makedirs(os.path.join(folder, "expected"), exist_ok=True)
        with open(os.path.join(folder, "prog.mlir"), "w") as f:
            f.write(self.prog)
        names = []
        for i, value in enumerate(self.inputs):
            name = "in%d.npy" % i
            names.append(name)
            path = os.path.join(folder, name)
            if value is None:
                continue
            if isinstance(value, bytes):
                with open(path, "wb") as f:
                    f.write(value)
            else:
                np.save(path, value, allow_pickle=False)
        for i, value in enumerate(self.expected):
            np.save(os.path.join(folder, "expected", "out%d.npy" % i), value,
                    allow_pickle=False)
        meta = {"inputs": names}
        if self.expect_error:
            meta["expect_error"] = True
            meta["error_kind"] = self.expect_error
        else:
            meta.update(self.compare)
            meta["num_outputs"] = len(self.expected)
            if self.per_output:
                meta["outputs"] = self.per_output
        if self.note:
            meta["note"] = self.note
        with open(os.path.join(folder, "meta.json"), "w") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
            f.write("\n")


def rng_for(name):
    """A generator seeded from the case name: stable across runs and
    independent of the order cases are built in."""
    return np.random.default_rng(zlib.crc32(name.encode()))


def accum_atol(terms_abs_sum, tolerance):
    """An absolute tolerance for sums: `tolerance` times the largest sum of
    absolute values of the terms (cancellation makes rtol alone too tight)."""
    m = float(np.max(terms_abs_sum)) if np.size(terms_abs_sum) else 0.0
    return max(m * tolerance, 1e-30)


REGISTRY = []
LARGE_REGISTRY = []


def builder(fn):
    """Registers a function returning a list of Cases."""
    REGISTRY.append(fn)
    return fn


def large_builder(fn):
    """Registers a function returning Cases too large for every run (inputs
    of gigabytes): gen_cases.py writes them only with --large."""
    LARGE_REGISTRY.append(fn)
    return fn
