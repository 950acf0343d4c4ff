# Tensor cases: vm.reduce, vm.dot, vm.matmul, vm.batch_matmul, vm.conv2d,
# vm.pool2d, vm.softmax and realistic blocks built from them. Float references
# are computed in float64 and compared with a tolerance (the summation order
# is the implementation's); integer references are exact (wrapping sums do
# not depend on the order).

import math
from fractions import Fraction

import numpy as np

from cases_elementwise import float_minmax
from vmcase import (BITS, EXACT, NP_DTYPE, Case, Func, accum_atol, arr,
                    builder, i64, int_array, module, rng_for, round_array,
                    rtol, sattr, smax, smin, ttype, wrap)

# Tolerance of accumulating ops: (rtol, atol factor on the sum of |terms|).
ACCUM_TOL = {"f16": (1e-2, 1e-2), "bf16": (2e-2, 2e-2), "f32": (1e-4, 1e-5),
             "f64": (1e-10, 1e-12)}


def accum_compare(et, abs_sum):
    r, a = ACCUM_TOL[et]
    return rtol(r, accum_atol(abs_sum, a))


def rand(name, shape, et, lo=None, hi=None):
    rng = rng_for(name)
    if et == "i1":
        return rng.integers(0, 2, size=shape).astype(bool)
    if et.startswith("i"):
        bits = BITS[et]
        lo = smin(bits) if lo is None else lo
        hi = smax(bits) if hi is None else hi
        return rng.integers(lo, hi, size=shape, dtype=NP_DTYPE[et], endpoint=True)
    return rng.standard_normal(shape).astype(NP_DTYPE[et])


def to_objects(x):
    """An object array of Python ints (no overflow in numpy sums)."""
    return np.array([int(v) for v in x.reshape(-1)], dtype=object).reshape(x.shape)


def wrap_objects(x, et):
    return int_array([int(v) for v in np.asarray(x).reshape(-1)], et, np.shape(x))


# --- reduce ----------------------------------------------------------------

INT_IDENTITY = {"sum": lambda b: 0, "prod": lambda b: 1, "min": smax, "max": smin,
                "and": lambda b: -1, "or": lambda b: 0, "xor": lambda b: 0}


def reduce_ref(x, kind, dims, et):
    dims = tuple(dims)
    if et == "i1":
        fn = {"and": np.logical_and, "or": np.logical_or, "xor": np.logical_xor}[kind]
        identity = kind == "and"
        return fn.reduce(x, axis=dims, initial=identity) if dims else x.copy()
    if et.startswith("i"):
        bits = BITS[et]
        keep = [d for d in range(x.ndim) if d not in dims]
        moved = np.transpose(x, keep + list(dims))
        rows = moved.reshape(int(np.prod([x.shape[d] for d in keep], dtype=np.int64)), -1)
        out = []
        for row in rows:
            acc = INT_IDENTITY[kind](bits)
            for v in row:
                v = int(v)
                acc = {"sum": acc + v, "prod": acc * v, "min": min(acc, v),
                       "max": max(acc, v), "and": acc & v, "or": acc | v,
                       "xor": acc ^ v}[kind]
            out.append(wrap(acc, bits))
        return int_array(out, et, tuple(x.shape[d] for d in keep))
    if kind in ("min", "max"):
        if any(x.shape[d] == 0 for d in dims):
            fill = math.inf if kind == "min" else -math.inf
            shape = tuple(s for d, s in enumerate(x.shape) if d not in dims)
            return np.full(shape, fill, dtype=x.dtype)
        fn = np.fmin if kind == "min" else np.fmax  # a NaN loses to a number
        return fn.reduce(x, axis=dims)
    x64 = x.astype(np.float64)
    r = np.sum(x64, axis=dims) if kind == "sum" else np.prod(x64, axis=dims)
    return np.asarray(r if et == "f64" else round_array(r, et))


def reduce_case(name, x, kind, dims, et, generic=True):
    f = Func(generic=generic)
    rshape = tuple(s for d, s in enumerate(x.shape) if d not in dims)
    f.ret(f.op("reduce", [f.arg(ttype(x.shape, et))], ttype(rshape, et),
               [("kind", sattr(kind)), ("dims", arr(dims))]))
    expected = reduce_ref(x, kind, dims, et)
    compare = EXACT
    if et.startswith("f") and kind in ("sum", "prod"):
        abs_terms = np.abs(x.astype(np.float64))
        fold = np.sum if kind == "sum" else np.prod
        compare = accum_compare(et, fold(abs_terms, axis=tuple(dims)))
    return Case(name, module(f), [x], [np.asarray(expected)], compare)


@builder
def reduce_cases():
    cases = []
    for kind in ("sum", "prod", "min", "max"):
        name = "reduce_%s_f32" % kind
        x = rand(name, (6, 9), "f32")
        if kind == "prod":
            x = (np.sign(x) * (0.6 + np.abs(x) / 4)).astype(np.float32)
        if kind in ("min", "max"):
            x[1, 3] = math.nan  # one NaN in a row and a column: it loses
            x[4, :] = math.nan  # an all-NaN row gives NaN
            x[2, 5] = math.inf if kind == "min" else -math.inf
        for dims in ([0], [1], [0, 1]):
            cases.append(reduce_case("%s_d%s" % (name, "".join(map(str, dims))),
                                     x, kind, dims, "f32"))
    x = rand("reduce_sum_3d_f32", (3, 4, 5), "f32")
    for dims in ([0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]):
        cases.append(reduce_case("reduce_sum_3d_f32_d%s" % "".join(map(str, dims)),
                                 x, "sum", dims, "f32"))
    for et in ("f16", "f64"):
        for kind in ("sum", "max", "min"):
            name = "reduce_%s_%s" % (kind, et)
            x = rand(name, (4, 16), et)
            if kind != "sum":
                x[0, 0] = math.nan
            cases.append(reduce_case(name, x, kind, [1], et))
    for et in ("i8", "i16", "i32", "i64"):
        for kind in ("sum", "prod", "min", "max", "and", "or", "xor"):
            name = "reduce_%s_%s" % (kind, et)
            x = rand(name, (5, 7), et)
            cases.append(reduce_case(name, x, kind, [1], et))
    x = rand("reduce_i32_d0", (8, 3), "i32", -1000, 1000)
    cases.append(reduce_case("reduce_sum_i32_d0", x, "sum", [0], "i32"))
    for kind in ("and", "or", "xor"):
        name = "reduce_%s_i1" % kind
        x = rand(name, (4, 5), "i1")
        x[0, :] = True
        x[1, :] = False
        cases.append(reduce_case(name, x, kind, [1], "i1"))
    # Empty reductions give the identity.
    for kind in ("sum", "prod", "min", "max"):
        cases.append(reduce_case("reduce_empty_%s_f32" % kind, np.zeros((0, 3), np.float32),
                                 kind, [0], "f32"))
    for kind in ("sum", "prod", "min", "max", "and", "or", "xor"):
        cases.append(reduce_case("reduce_empty_%s_i32" % kind, np.zeros((2, 0), np.int32),
                                 kind, [1], "i32"))
    for kind in ("min", "max"):
        cases.append(reduce_case("reduce_empty_%s_i8" % kind, np.zeros((0,), np.int8),
                                 kind, [0], "i8"))
    cases.append(reduce_case("reduce_empty_and_i1", np.zeros((3, 0), bool), "and", [1], "i1"))
    cases.append(reduce_case("reduce_empty_min_f16", np.zeros((0, 2), np.float16),
                             "min", [0], "f16"))
    # bf16 (from f32 inputs): max is exact, sum within bf16 tolerance.
    for kind in ("max", "sum"):
        name = "reduce_%s_bf16" % kind
        x = rand(name, (4, 12), "f32")
        xb = round_array(x, "bf16")
        f = Func()
        b = f.op("convert", [f.arg(ttype(x.shape, "f32"))], ttype(x.shape, "bf16"))
        r = f.op("reduce", [b], ttype((4,), "bf16"), [("kind", sattr(kind)), ("dims", arr([1]))])
        f.ret(f.op("convert", [r], ttype((4,), "f32")))
        if kind == "max":
            cases.append(Case(name, module(f), [x], [xb.max(axis=1)]))
        else:
            cases.append(Case(name, module(f), [x],
                              [round_array(xb.astype(np.float64).sum(axis=1), "bf16")],
                              accum_compare("bf16", np.abs(xb.astype(np.float64)).sum(axis=1))))
    # A dynamic reduced dim.
    x = rand("reduce_dynamic", (7, 3), "f32")
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype((None, 3), "f32"))], ttype((3,), "f32"),
               [("kind", sattr("max")), ("dims", arr([0]))]))
    cases.append(Case("reduce_max_dynamic_f32", module(f), [x], [np.max(x, axis=0)]))
    # Rows found empty only at run time: each is the identity (on the GPU,
    # the row kernel itself stores it: the output's fill is folded in).
    for kind, identity in (("sum", 0.0), ("max", -math.inf)):
        f = Func()
        f.ret(f.op("reduce", [f.arg(ttype((None, None), "f32"))], ttype((None,), "f32"),
                   [("kind", sattr(kind)), ("dims", arr([1]))]))
        cases.append(Case("reduce_%s_dynamic_empty_rows_f32" % kind, module(f),
                          [np.zeros((5, 0), np.float32)],
                          [np.full((5,), identity, np.float32)]))
    return cases


# --- dot, matmul, batch_matmul ---------------------------------------------


def int_contract(a, b, spec):
    """einsum `spec` (matmul-like or dot) on Python ints: operands are
    transposed to the canonical [B]MK x [B]KN order, then multiplied."""
    ins, out = spec.split("->")
    la, lb = ins.split(",")
    if not out:
        return np.array(sum(int(x) * int(y) for x, y in zip(a, b)), dtype=object)
    batch = "b" if "b" in la else ""
    pa = np.transpose(to_objects(a), [la.index(ch) for ch in batch + "mk"])
    pb = np.transpose(to_objects(b), [lb.index(ch) for ch in batch + "kn"])
    return np.matmul(pa, pb)


def contract_ref(a, b, et_in, et_out, spec):
    """einsum `spec` of a and b: floats in float64 (inputs are exact there),
    integers as Python ints wrapped to `et_out` (operands sign-extended).
    Returns (result, sum of |terms| or None for exact integer results)."""
    if et_in.startswith("i"):
        return wrap_objects(int_contract(a, b, spec), et_out), None
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    r = np.einsum(spec, a64, b64)
    abs_sum = np.einsum(spec, np.abs(a64), np.abs(b64))
    return np.asarray(r if et_out == "f64" else round_array(r, et_out)), abs_sum


def contract_case(name, op, a, b, et_in, et_out, spec, rshape, attrs=(), prog=None,
                  inputs=None, generic=True):
    expected, abs_sum = contract_ref(a, b, et_in, et_out, spec)
    if prog is None:
        f = Func(generic=generic)
        x, y = f.arg(ttype(a.shape, et_in)), f.arg(ttype(b.shape, et_in))
        f.ret(f.op(op, [x, y], ttype(rshape, et_out), list(attrs)))
        prog = module(f)
    compare = EXACT if abs_sum is None else accum_compare(et_out, abs_sum)
    return Case(name, prog, inputs or [a, b], [expected], compare)


def bf16_contract_prog(op, a_shape, b_shape, rshape, attrs=()):
    """f32 inputs converted to bf16, then `op` with an f32 result."""
    f = Func()
    x = f.op("convert", [f.arg(ttype(a_shape, "f32"))], ttype(a_shape, "bf16"))
    y = f.op("convert", [f.arg(ttype(b_shape, "f32"))], ttype(b_shape, "bf16"))
    f.ret(f.op(op, [x, y], ttype(rshape, "f32"), list(attrs)))
    return module(f)


@builder
def dot_cases():
    cases = []
    specs = [("dot_f32", "f32", "f32", 100), ("dot_f64", "f64", "f64", 100),
             ("dot_f16", "f16", "f16", 32), ("dot_f16_to_f32", "f16", "f32", 100),
             ("dot_i32", "i32", "i32", 50), ("dot_i8_to_i32", "i8", "i32", 300),
             ("dot_i8", "i8", "i8", 20), ("dot_i64", "i64", "i64", 20),
             ("dot_empty_f32", "f32", "f32", 0), ("dot_i16", "i16", "i16", 17)]
    for name, et_in, et_out, n in specs:
        a, b = rand(name + "a", (n,), et_in), rand(name + "b", (n,), et_in)
        cases.append(contract_case(name, "dot", a, b, et_in, et_out, "i,i->", ()))
    a, b = rand("dot_dyn_a", (13,), "f32"), rand("dot_dyn_b", (13,), "f32")
    f = Func()
    t = ttype((None,), "f32")
    f.ret(f.op("dot", [f.arg(t), f.arg(t)], ttype((), "f32")))
    cases.append(contract_case("dot_dynamic_f32", "dot", a, b, "f32", "f32", "i,i->", (),
                               prog=module(f)))
    a, b = rand("dot_bf16a", (40,), "f32"), rand("dot_bf16b", (40,), "f32")
    ab, bb = round_array(a, "bf16"), round_array(b, "bf16")
    cases.append(contract_case("dot_bf16_to_f32", "dot", ab, bb, "bf16", "f32", "i,i->", (),
                               prog=bf16_contract_prog("dot", (40,), (40,), ()),
                               inputs=[a, b]))
    return cases


def matmul_shapes(m, k, n, ta, tb):
    return ((k, m) if ta else (m, k)), ((n, k) if tb else (k, n))


def matmul_spec(ta, tb, batch=False):
    lhs = "km" if ta else "mk"
    rhs = "nk" if tb else "kn"
    p = "b" if batch else ""
    return "%s%s,%s%s->%smn" % (p, lhs, p, rhs, p)


def transpose_attrs(ta, tb):
    return ([("transpose_a", None)] if ta else []) + ([("transpose_b", None)] if tb else [])


def f32_batch_matmul_case(prefix, bsz, m, k, n, ta, tb):
    """An f32 batch_matmul case named `<prefix>[_ta][_tb]_BxMxKxN`, inputs
    seeded from the name, either operand transposed."""
    suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
    name = "%s%s_%dx%dx%dx%d" % (prefix, suffix, bsz, m, k, n)
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    a = rand(name + "a", (bsz,) + sa, "f32")
    b = rand(name + "b", (bsz,) + sb, "f32")
    return contract_case(name, "batch_matmul", a, b, "f32", "f32",
                         matmul_spec(ta, tb, batch=True), (bsz, m, n),
                         transpose_attrs(ta, tb))


@builder
def matmul_cases():
    cases = []
    for ta in (False, True):
        for tb in (False, True):
            name = "matmul_f32%s%s" % ("_ta" if ta else "", "_tb" if tb else "")
            sa, sb = matmul_shapes(5, 7, 3, ta, tb)
            a, b = rand(name + "a", sa, "f32"), rand(name + "b", sb, "f32")
            cases.append(contract_case(name, "matmul", a, b, "f32", "f32",
                                       matmul_spec(ta, tb), (5, 3), transpose_attrs(ta, tb)))
    specs = [
        ("matmul_f32_odd", "f32", "f32", 33, 65, 17, False, False),
        ("matmul_f32_readable", "f32", "f32", 4, 6, 8, False, True),
        ("matmul_f16_to_f32", "f16", "f32", 16, 64, 8, False, False),
        ("matmul_f16_to_f32_ta", "f16", "f32", 8, 32, 8, True, False),
        ("matmul_f16", "f16", "f16", 8, 16, 8, False, False),
        ("matmul_i8_to_i32", "i8", "i32", 9, 40, 7, False, False),
        ("matmul_i8_to_i32_tb", "i8", "i32", 4, 300, 3, False, True),
        ("matmul_i32", "i32", "i32", 5, 6, 7, False, False),
        ("matmul_i64", "i64", "i64", 3, 4, 5, True, True),
        ("matmul_f64", "f64", "f64", 6, 10, 4, False, False),
        ("matmul_k0_f32", "f32", "f32", 3, 0, 4, False, False),
        ("matmul_m0_f32", "f32", "f32", 0, 5, 4, False, False),
    ]
    for name, et_in, et_out, m, k, n, ta, tb in specs:
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        a, b = rand(name + "a", sa, et_in), rand(name + "b", sb, et_in)
        cases.append(contract_case(name, "matmul", a, b, et_in, et_out, matmul_spec(ta, tb),
                                   (m, n), transpose_attrs(ta, tb),
                                   generic=(name != "matmul_f32_readable")))
    a, b = rand("matmul_bf16a", (6, 24), "f32"), rand("matmul_bf16b", (24, 5), "f32")
    ab, bb = round_array(a, "bf16"), round_array(b, "bf16")
    cases.append(contract_case("matmul_bf16_to_f32", "matmul", ab, bb, "bf16", "f32",
                               "mk,kn->mn", (6, 5),
                               prog=bf16_contract_prog("matmul", (6, 24), (24, 5), (6, 5)),
                               inputs=[a, b]))
    a, b = rand("matmul_dyn_a", (11, 8), "f32"), rand("matmul_dyn_b", (8, 6), "f32")
    f = Func()
    f.ret(f.op("matmul", [f.arg(ttype((None, 8), "f32")), f.arg(ttype((8, 6), "f32"))],
               ttype((None, 6), "f32")))
    cases.append(contract_case("matmul_dynamic_m_f32", "matmul", a, b, "f32", "f32",
                               "mk,kn->mn", (11, 6), prog=module(f)))
    a, b = rand("matmul_dyn2_a", (4, 9), "f32"), rand("matmul_dyn2_b", (9, 3), "f32")
    f = Func()
    f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")),
                          f.arg(ttype((None, None), "f32"))], ttype((None, None), "f32")))
    cases.append(contract_case("matmul_fully_dynamic_f32", "matmul", a, b, "f32", "f32",
                               "mk,kn->mn", (4, 3), prog=module(f)))
    return cases


@builder
def batch_matmul_cases():
    cases = []
    specs = [
        ("batch_matmul_f32", "f32", "f32", 3, 4, 5, 6, False, False),
        ("batch_matmul_f32_ta", "f32", "f32", 2, 3, 7, 2, True, False),
        ("batch_matmul_f32_tb", "f32", "f32", 2, 5, 3, 4, False, True),
        ("batch_matmul_f32_ta_tb", "f32", "f32", 4, 2, 3, 5, True, True),
        ("batch_matmul_i8_to_i32", "i8", "i32", 2, 3, 50, 4, False, False),
        ("batch_matmul_f16_to_f32", "f16", "f32", 2, 4, 16, 4, False, False),
        ("batch_matmul_i32", "i32", "i32", 2, 2, 3, 2, False, True),
    ]
    for name, et_in, et_out, bsz, m, k, n, ta, tb in specs:
        sa, sb = matmul_shapes(m, k, n, ta, tb)
        a = rand(name + "a", (bsz,) + sa, et_in)
        b = rand(name + "b", (bsz,) + sb, et_in)
        cases.append(contract_case(name, "batch_matmul", a, b, et_in, et_out,
                                   matmul_spec(ta, tb, batch=True), (bsz, m, n),
                                   transpose_attrs(ta, tb)))
    a, b = rand("bmm_dyn_a", (3, 2, 4), "f32"), rand("bmm_dyn_b", (3, 4, 5), "f32")
    f = Func()
    f.ret(f.op("batch_matmul", [f.arg(ttype((None, 2, 4), "f32")),
                                f.arg(ttype((None, 4, 5), "f32"))],
               ttype((None, 2, 5), "f32")))
    cases.append(contract_case("batch_matmul_dynamic_f32", "batch_matmul", a, b, "f32",
                               "f32", "bmk,bkn->bmn", (3, 2, 5), prog=module(f)))
    return cases


# --- conv2d ----------------------------------------------------------------


def conv_out_size(size, pad_before, pad_after, kernel, stride, dilation):
    return (size + pad_before + pad_after - dilation * (kernel - 1) - 1) // stride + 1


def conv_ref(x, w, strides, dilations, padding, et_out):
    """NHWC x HWCF with zero padding; floats in float64, ints as Python ints.
    Returns (result, sum of |terms| or None)."""
    n, h, wd, c = x.shape
    kh, kw, _, fo = w.shape
    pt, pb, pl, pr = padding
    oh = conv_out_size(h, pt, pb, kh, strides[0], dilations[0])
    ow = conv_out_size(wd, pl, pr, kw, strides[1], dilations[1])
    integer = x.dtype.kind in "iu"
    xs = to_objects(x) if integer else x.astype(np.float64)
    ws = to_objects(w) if integer else w.astype(np.float64)
    xp = np.pad(xs, ((0, 0), (pt, pb), (pl, pr), (0, 0)),
                constant_values=(0 if integer else 0.0))
    out = np.zeros((n, oh, ow, fo), dtype=object if integer else np.float64)
    abs_out = np.zeros((n, oh, ow, fo))
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dilations[0], j * dilations[1]
            patch = xp[:, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                       c0:c0 + strides[1] * (ow - 1) + 1:strides[1], :]
            out = out + np.tensordot(patch, ws[i, j], axes=([3], [0]))
            if not integer:
                abs_out += np.tensordot(np.abs(patch), np.abs(ws[i, j]), axes=([3], [0]))
    if integer:
        return wrap_objects(out, et_out), None
    return (out if et_out == "f64" else round_array(out, et_out)), abs_out


def conv_attrs(strides, dilations, padding):
    attrs = []
    if strides is not None:
        attrs.append(("strides", arr(strides)))
    if dilations is not None:
        attrs.append(("dilations", arr(dilations)))
    if padding is not None:
        attrs.append(("padding", arr(padding)))
    return attrs


@builder
def conv_cases():
    cases = []
    specs = [
        # name, in/out types, x shape, w shape, strides, dilations, padding
        ("conv2d_1x1_f32", "f32", "f32", (1, 4, 4, 3), (1, 1, 3, 2), None, None, None),
        ("conv2d_3x3_same_f32", "f32", "f32", (2, 6, 6, 3), (3, 3, 3, 4), None, None,
         [1, 1, 1, 1]),
        ("conv2d_stride2_f32", "f32", "f32", (1, 7, 8, 2), (3, 3, 2, 3), [2, 2], None, None),
        ("conv2d_dilation2_f32", "f32", "f32", (1, 7, 7, 2), (3, 3, 2, 2), None, [2, 2], None),
        ("conv2d_mixed_f32", "f32", "f32", (2, 6, 9, 3), (2, 3, 3, 4), [1, 2], [2, 1],
         [0, 2, 1, 0]),
        ("conv2d_rect_kernel_f64", "f64", "f64", (1, 5, 6, 2), (2, 3, 2, 3), None, None,
         [1, 0, 0, 1]),
        ("conv2d_i32", "i32", "i32", (1, 5, 5, 2), (3, 3, 2, 2), [2, 1], None, [1, 1, 1, 1]),
        ("conv2d_i8_to_i32", "i8", "i32", (2, 6, 6, 4), (3, 3, 4, 3), None, None,
         [1, 1, 1, 1]),
        ("conv2d_f16_to_f32", "f16", "f32", (1, 6, 6, 4), (3, 3, 4, 2), None, None,
         [1, 1, 1, 1]),
        ("conv2d_f16", "f16", "f16", (1, 5, 5, 2), (2, 2, 2, 2), None, None, None),
    ]
    x, w = rand("conv2d_bf16x", (1, 5, 5, 3), "f32"), rand("conv2d_bf16w", (3, 3, 3, 2), "f32")
    expected, abs_out = conv_ref(round_array(x, "bf16"), round_array(w, "bf16"), [1, 1], [1, 1],
                                 [1, 1, 1, 1], "f32")
    prog = bf16_contract_prog("conv2d", x.shape, w.shape, expected.shape,
                              [("padding", arr([1, 1, 1, 1]))])
    cases.append(Case("conv2d_bf16_to_f32", prog, [x, w], [expected],
                      accum_compare("f32", abs_out)))
    for spec in specs:
        cases.append(conv_case(*spec))
    return cases


def conv_case(name, et_in, et_out, xs, ws, strides, dilations, padding):
    """vm.conv2d of random inputs against conv_ref (strides, dilations and
    padding None: the op's defaults)."""
    x, w = rand(name + "x", xs, et_in), rand(name + "w", ws, et_in)
    s, d, p = strides or [1, 1], dilations or [1, 1], padding or [0, 0, 0, 0]
    expected, abs_out = conv_ref(x, w, s, d, p, et_out)
    f = Func()
    f.ret(f.op("conv2d", [f.arg(ttype(xs, et_in)), f.arg(ttype(ws, et_in))],
               ttype(expected.shape, et_out), conv_attrs(strides, dilations, padding)))
    compare = EXACT if abs_out is None else accum_compare(et_out, abs_out)
    return Case(name, module(f), [x, w], [expected], compare)


# --- pool2d ----------------------------------------------------------------


def trunc_div(a, b):
    """Integer division rounding toward zero (C, arith.divsi)."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def pool_ref(x, kind, window, strides, padding):
    """max: the largest input element of the window, NaN only when all are NaN
    (np.fmax), -inf / MIN for a window with no input element; avg: the sum of
    the input elements (integers wrapped to the element type, as they
    accumulate) divided by their count, truncating for integers; a count of 0
    gives 0/0 = NaN for floats and all ones (vm.div by 0) for integers."""
    n, h, w, c = x.shape
    pt, pb, pl, pr = padding
    oh = (h + pt + pb - window[0]) // strides[0] + 1
    ow = (w + pl + pr - window[1]) // strides[1] + 1
    integer = x.dtype.kind in "iu"
    et = ({1: "i8", 2: "i16", 4: "i32", 8: "i64"} if integer else
          {2: "f16", 4: "f32", 8: "f64"})[x.dtype.itemsize]
    out = np.zeros((n, oh, ow, c), dtype=x.dtype if kind == "max" else
                   (object if integer else np.float64))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - pt, j * strides[1] - pl
            rows = slice(max(r0, 0), min(r0 + window[0], h))
            cols = slice(max(c0, 0), min(c0 + window[1], w))
            block = x[:, rows, cols, :]
            count = block.shape[1] * block.shape[2]
            if kind == "max":
                if count == 0:
                    out[:, i, j, :] = smin(BITS[et]) if integer else -math.inf
                else:
                    out[:, i, j, :] = np.fmax.reduce(block.reshape(n, -1, c), axis=1)
            elif integer:
                total = to_objects(block).sum(axis=(1, 2)) if count else \
                    np.zeros((n, c), dtype=object)
                out[:, i, j, :] = [[-1 if count == 0 else
                                    trunc_div(wrap(int(v), BITS[et]), count) for v in row]
                                   for row in total]
            else:
                with np.errstate(invalid="ignore"):
                    out[:, i, j, :] = block.astype(np.float64).sum(axis=(1, 2)) / count
    if kind == "max":
        return out
    if integer:
        return wrap_objects(out, et)
    return out if et == "f64" else round_array(out, et)


@builder
def pool_cases():
    cases = []
    specs = [
        ("pool2d_max_pad_f32", "f32", "max", (1, 5, 5, 2), [3, 3], None, [1, 1, 1, 1]),
        ("pool2d_max_stride2_f32", "f32", "max", (2, 6, 8, 3), [2, 2], [2, 2], None),
        ("pool2d_avg_pad_f32", "f32", "avg", (1, 6, 7, 2), [3, 3], [2, 2], [1, 1, 1, 1]),
        ("pool2d_avg_asym_f32", "f32", "avg", (2, 5, 6, 3), [2, 3], [1, 2], [1, 0, 0, 2]),
        ("pool2d_max_pad_i32", "i32", "max", (1, 4, 5, 2), [2, 3], [1, 1], [1, 1, 2, 0]),
        ("pool2d_max_i8", "i8", "max", (1, 6, 6, 1), [3, 2], [3, 2], None),
        ("pool2d_max_f16", "f16", "max", (1, 5, 5, 3), [2, 2], [1, 1], [1, 0, 1, 0]),
        ("pool2d_avg_f16", "f16", "avg", (1, 4, 4, 2), [2, 2], [2, 2], None),
        ("pool2d_avg_pad_f64", "f64", "avg", (1, 5, 4, 2), [3, 2], [1, 1], [2, 1, 1, 1]),
        ("pool2d_max_global_f32", "f32", "max", (2, 3, 4, 5), [3, 4], None, None),
    ]
    for name, et, kind, xs, window, strides, padding in specs:
        if kind == "max" and et.startswith("i"):
            # All negative: zero padding taking part would show up as 0.
            x = rand(name, xs, et, -100, -1)
        elif kind == "max":
            x = (-np.abs(rand(name, xs, et)) - 0.5).astype(NP_DTYPE[et])
        else:
            x = rand(name, xs, et)
        s, p = strides or [1, 1], padding or [0, 0, 0, 0]
        expected = pool_ref(x, kind, window, s, p)
        f = Func()
        attrs = [("kind", sattr(kind)), ("window", arr(window))]
        attrs += conv_attrs(strides, None, padding)
        f.ret(f.op("pool2d", [f.arg(ttype(xs, et))], ttype(expected.shape, et), attrs))
        compare = EXACT if kind == "max" else rtol(ACCUM_TOL[et][0],
                                                   ACCUM_TOL[et][1] * float(np.max(np.abs(x))))
        cases.append(Case(name, module(f), [x], [expected], compare))
    # avg on integers with a constant per channel: the count of elements in
    # the input matters, integer rounding of the quotient does not.
    x = np.broadcast_to(np.array([7, -12, 1000], dtype=np.int32), (1, 5, 5, 3)).copy()
    f = Func()
    expected = pool_ref(x, "avg", [3, 3], [2, 2], [1, 1, 1, 1])
    f.ret(f.op("pool2d", [f.arg(ttype(x.shape, "i32"))], ttype(expected.shape, "i32"),
               [("kind", sattr("avg")), ("window", arr([3, 3])), ("strides", arr([2, 2])),
                ("padding", arr([1, 1, 1, 1]))]))
    cases.append(Case("pool2d_avg_const_i32", module(f), [x], [expected]))
    return cases


@builder
def pool_nan_and_empty_cases():
    """max ignores padding and NaNs; only a window with no input element gives
    the identity (-inf / MIN). Such windows exist only when H or W is 0."""
    cases = []
    for et in ("f32", "f16"):
        name = "pool2d_max_all_nan_%s" % et
        x = (-np.abs(rand(name, (1, 5, 6, 3), et)) - 0.5).astype(NP_DTYPE[et])
        x[..., 1] = math.nan           # every window of channel 1: only NaNs
        x[0, 0:2, 0:2, 0] = math.nan   # a corner window of channel 0: only NaNs
        x[0, 3, 4, 2] = math.nan       # one NaN among numbers: it loses
        for padding, strides in (([1, 1, 1, 1], [2, 2]), ([0, 1, 0, 1], [1, 1])):
            expected = pool_ref(x, "max", [2, 2], strides, padding)
            f = Func()
            f.ret(f.op("pool2d", [f.arg(ttype(x.shape, et))], ttype(expected.shape, et),
                       [("kind", sattr("max")), ("window", arr([2, 2])),
                        ("strides", arr(strides)), ("padding", arr(padding))]))
            suffix = "_pad%s" % "".join(map(str, padding))
            cases.append(Case(name + suffix, module(f), [x], [expected]))
    # H = 0: every window is padding only.
    for et, kind in (("f32", "max"), ("f32", "avg"), ("i32", "max"), ("i32", "avg"),
                     ("f16", "avg")):
        x = np.zeros((2, 0, 3, 2), dtype=NP_DTYPE[et])
        expected = pool_ref(x, kind, [2, 2], [1, 1], [1, 1, 0, 1])
        f = Func()
        f.ret(f.op("pool2d", [f.arg(ttype(x.shape, et))], ttype(expected.shape, et),
                   [("kind", sattr(kind)), ("window", arr([2, 2])),
                    ("padding", arr([1, 1, 0, 1]))]))
        cases.append(Case("pool2d_%s_empty_windows_%s" % (kind, et), module(f), [x],
                          [expected], note="H = 0: windows without an input element"))
    # i8 avg over 256 elements: the count does not fit i8; the sum wraps in i8.
    x = rand("pool2d_avg_i8_large_window", (1, 16, 16, 2), "i8", -128, 127)
    expected = pool_ref(x, "avg", [16, 16], [1, 1], [0, 0, 0, 0])
    f = Func()
    f.ret(f.op("pool2d", [f.arg(ttype(x.shape, "i8"))], ttype(expected.shape, "i8"),
               [("kind", sattr("avg")), ("window", arr([16, 16]))]))
    cases.append(Case("pool2d_avg_i8_large_window", module(f), [x], [expected]))
    return cases


# --- 16-bit accumulation ---------------------------------------------------
# f16/bf16 sums, products, contractions and avg pooling accumulate in f32 and
# round once (DESIGN.md). Against the exact result rounded to the type, the
# error is at most 2u(1+u)|ref| + (n - 1) 2^-24 sum|terms| (one rounding of
# unit roundoff u = 2^-p in the result and in the reference, plus the f32
# accumulation of n terms in any order), which is what these cases allow.
# Each holds a row such as [4096, 1, 1, ...]: rounding to f16 after every
# step keeps it at 4096, far outside the bound.

NARROW_P = {"f16": 11, "bf16": 8}
SMALLEST_SUBNORMAL = {"f16": 2.0 ** -24, "bf16": 2.0 ** -133}


def narrow_accum_compare(et, abs_sum, terms):
    u = 2.0 ** -NARROW_P[et]
    atol = 1.01 * max(terms - 1, 0) * 2.0 ** -24 * float(np.max(abs_sum))
    return rtol(2 * u * (1 + u), atol + SMALLEST_SUBNORMAL[et])


def stuck_rows(name, rows, n, et):
    """Rows of n values exact in `et`: [big, 1, 1, ...] (big = 2^(p+1), whose
    ulp is 4: per-step rounding drops every +1), [1, tiny, tiny, ...] (each
    tiny is half an ulp of 1, a tie that rounds back to 1), then random rows
    of mixed signs and magnitudes."""
    p = NARROW_P[et]
    rng = rng_for(name)
    x = np.ones((rows, n))
    x[0, 0] = 2.0 ** (p + 1)
    x[1, 1:] = 2.0 ** -(p + 1)
    for r in range(2, rows):
        x[r] = rng.uniform(0.5, 1.5, n) * (10.0 if r % 2 else 1.0)
        x[r] *= np.where(rng.random(n) < (0.1 if r % 2 else 0.0), -1.0, 1.0)
    return round_array(x, et).astype(np.float64)


def narrow_prog(op, ins, in_types, out_type, attrs, et):
    """`op` on `ins` (f16 arrays, or f32 arrays of bf16 values converted in the
    program); an f16 result is returned as is, a bf16 one converted to f32."""
    f = Func()
    args = []
    for shape in in_types:
        if et == "bf16":
            args.append(f.op("convert", [f.arg(ttype(shape, "f32"))], ttype(shape, "bf16")))
        else:
            args.append(f.arg(ttype(shape, et)))
    r = f.op(op, args, ttype(out_type, et), attrs)
    if et == "bf16":
        r = f.op("convert", [r], ttype(out_type, "f32"))
    f.ret(r)
    return module(f)


def narrow_inputs(arrays, et):
    return [a.astype(np.float16 if et == "f16" else np.float32) for a in arrays]


def narrow_expected(r64, et):
    return round_array(r64, et) if et == "f16" else round_array(r64, "bf16")


@builder
def narrow_accumulation_cases():
    cases = []
    for et in ("f16", "bf16"):
        n = 1025
        x = stuck_rows("reduce_sum_accum_" + et, 5, n, et)
        prog = narrow_prog("reduce", [x], [x.shape], (5,),
                           [("kind", sattr("sum")), ("dims", arr([1]))], et)
        cases.append(Case("reduce_sum_%s_f32_accumulator" % et, prog, narrow_inputs([x], et),
                          [narrow_expected(x.sum(axis=1), et)],
                          narrow_accum_compare(et, np.abs(x).sum(axis=1), n)))
        # Over dim 0 of the transpose, and over everything (8200 elements: the
        # GPU path splits it into partial sums).
        xt = np.ascontiguousarray(x.T)
        prog = narrow_prog("reduce", [xt], [xt.shape], (5,),
                           [("kind", sattr("sum")), ("dims", arr([0]))], et)
        cases.append(Case("reduce_sum_%s_f32_accumulator_d0" % et, prog,
                          narrow_inputs([xt], et), [narrow_expected(x.sum(axis=1), et)],
                          narrow_accum_compare(et, np.abs(x).sum(axis=1), n)))
        big = stuck_rows("reduce_sum_all_" + et, 8, 1025, et)
        prog = narrow_prog("reduce", [big], [big.shape], (),
                           [("kind", sattr("sum")), ("dims", arr([0, 1]))], et)
        cases.append(Case("reduce_sum_all_%s_f32_accumulator" % et, prog,
                          narrow_inputs([big], et), [narrow_expected(np.array(big.sum()), et)],
                          narrow_accum_compare(et, np.abs(big).sum(), big.size)))
        # Products of (1 + ulp): each step's tie-free rounding loses the
        # second-order terms; f32 keeps them.
        rng = rng_for("reduce_prod_accum_" + et)
        ulp = 2.0 ** (1 - NARROW_P[et])
        xp = np.full((3, 64), 1.0 + ulp)
        xp[1] = round_array(rng.uniform(0.9, 1.1, 64), et)
        xp[2] = round_array(rng.uniform(0.85, 1.15, 64) * np.where(rng.random(64) < 0.2, -1, 1),
                            et)
        exact = np.array([float(np.prod([Fraction(float(v)) for v in row])) for row in xp])
        prog = narrow_prog("reduce", [xp], [xp.shape], (3,),
                           [("kind", sattr("prod")), ("dims", arr([1]))], et)
        cases.append(Case("reduce_prod_%s_f32_accumulator" % et, prog, narrow_inputs([xp], et),
                          [narrow_expected(exact, et)],
                          narrow_accum_compare(et, np.abs(exact), 64)))
        # dot: the stuck row times ones and times random positive values.
        a = stuck_rows("dot_accum_" + et, 3, n, et)
        b = round_array(rng_for("dot_accum_b" + et).uniform(0.5, 1.5, n), et).astype(np.float64)
        b[: n // 2] = 1.0
        for r in range(3):
            prog = narrow_prog("dot", [a[r], b], [(n,), (n,)], (), [], et)
            cases.append(Case("dot_%s_f32_accumulator_%d" % (et, r), prog,
                              narrow_inputs([a[r], b], et),
                              [narrow_expected(np.array(a[r] @ b), et)],
                              narrow_accum_compare(et, np.abs(a[r]) @ np.abs(b), n)))
        # matmul and batch_matmul with K = 1025 (transposed B for the batch).
        bm = np.stack([b, np.ones(n), round_array(b[::-1] * 2, et)], axis=1)
        prog = narrow_prog("matmul", [a, bm], [a.shape, bm.shape], (3, 3), [], et)
        cases.append(Case("matmul_%s_f32_accumulator" % et, prog, narrow_inputs([a, bm], et),
                          [narrow_expected(a @ bm, et)],
                          narrow_accum_compare(et, np.abs(a) @ np.abs(bm), n)))
        ab = np.stack([a, a[::-1]])
        bb = np.stack([bm.T, bm.T[::-1]])
        ref = np.einsum("bmk,bnk->bmn", ab, bb)
        prog = narrow_prog("batch_matmul", [ab, bb], [ab.shape, bb.shape], (2, 3, 3),
                           [("transpose_b", None)], et)
        cases.append(Case("batch_matmul_%s_f32_accumulator" % et, prog,
                          narrow_inputs([ab, bb], et), [narrow_expected(ref, et)],
                          narrow_accum_compare(et, np.einsum("bmk,bnk->bmn", np.abs(ab),
                                                             np.abs(bb)), n)))
        # conv2d: 3x3 windows over 128 channels, channel 0 big.
        rng = rng_for("conv_accum_" + et)
        xc = round_array(rng.uniform(0.5, 1.5, (1, 4, 5, 128)), et).astype(np.float64)
        xc[..., 0] = 2.0 ** (NARROW_P[et] + 1)
        wc = round_array(rng.uniform(0.5, 1.5, (3, 3, 128, 2)), et).astype(np.float64)
        wc[..., 0] = 1.0
        expected, abs_out = conv_ref(xc, wc, [1, 1], [1, 1], [1, 1, 1, 1], "f64")
        prog = narrow_prog("conv2d", [xc, wc], [xc.shape, wc.shape], expected.shape,
                           [("padding", arr([1, 1, 1, 1]))], et)
        cases.append(Case("conv2d_%s_f32_accumulator" % et, prog, narrow_inputs([xc, wc], et),
                          [narrow_expected(expected, et)],
                          narrow_accum_compare(et, abs_out, 9 * 128)))
        # avg pooling: 8x8 windows, the first element of each big.
        xa = round_array(rng.uniform(0.5, 1.5, (1, 16, 16, 2)), et).astype(np.float64)
        xa[:, ::8, ::8, :] = 2.0 ** (NARROW_P[et] + 1)
        ref = xa.reshape(1, 2, 8, 2, 8, 2).sum(axis=(2, 4)) / 64
        prog = narrow_prog("pool2d", [xa], [xa.shape], ref.shape,
                           [("kind", sattr("avg")), ("window", arr([8, 8])),
                            ("strides", arr([8, 8]))], et)
        cases.append(Case("pool2d_avg_%s_f32_accumulator" % et, prog, narrow_inputs([xa], et),
                          [narrow_expected(ref, et)],
                          narrow_accum_compare(et, np.abs(ref), 65)))
    return cases


# --- softmax ---------------------------------------------------------------


def softmax_ref(x, dim, et):
    x64 = x.astype(np.float64)
    e = np.exp(x64 - np.max(x64, axis=dim, keepdims=True))
    r = e / np.sum(e, axis=dim, keepdims=True)
    return r if et == "f64" else round_array(r, et)


SOFTMAX_TOL = {"f16": rtol(1e-2, 1e-4), "f32": rtol(1e-4, 1e-7), "f64": rtol(1e-10, 1e-14)}


def softmax_case(name, x, dim, et, type_shape=None):
    f = Func()
    t = ttype(type_shape or x.shape, et)
    f.ret(f.op("softmax", [f.arg(t)], t, [("dim", i64(dim))]))
    return Case(name, module(f), [x], [softmax_ref(x, dim, et)], SOFTMAX_TOL[et])


@builder
def softmax_cases():
    cases = []
    x = (rand("softmax_3d", (3, 4, 5), "f32") * 3).astype(np.float32)
    for dim in range(3):
        cases.append(softmax_case("softmax_3d_f32_dim%d" % dim, x, dim, "f32"))
    x = (rand("softmax_large", (4, 6), "f32") * 5).astype(np.float32)
    x[0] += 1000.0
    x[1] -= 1000.0
    x[2, 3] = -math.inf  # one -inf in a row gives probability 0 there
    cases.append(softmax_case("softmax_large_values_f32", x, 1, "f32"))
    cases.append(softmax_case("softmax_1d_f32", rand("softmax_1d", (17,), "f32"), 0, "f32"))
    cases.append(softmax_case("softmax_f16", rand("softmax_f16", (3, 8), "f16"), 1, "f16"))
    cases.append(softmax_case("softmax_f64", rand("softmax_f64", (5, 3), "f64"), 0, "f64"))
    x = rand("softmax_bf16", (3, 8), "f32")
    f = Func()
    tb = ttype(x.shape, "bf16")
    b = f.op("convert", [f.arg(ttype(x.shape, "f32"))], tb)
    f.ret(f.op("convert", [f.op("softmax", [b], tb, [("dim", i64(1))])], ttype(x.shape, "f32")))
    cases.append(Case("softmax_bf16", module(f), [x],
                      [softmax_ref(round_array(x, "bf16"), 1, "bf16")], rtol(2e-2, 1e-3)))
    cases.append(softmax_case("softmax_dynamic_f32", rand("softmax_dyn", (6, 8), "f32"),
                              1, "f32", type_shape=(None, 8)))
    return cases


# --- realistic blocks ------------------------------------------------------


@builder
def block_cases():
    cases = []
    # MLP layer: matmul + broadcast bias + relu, matmul + bias, softmax.
    rng = rng_for("mlp_block")
    x = rng.standard_normal((8, 16)).astype(np.float32)
    w1 = (rng.standard_normal((16, 32)) / 4).astype(np.float32)
    b1 = rng.standard_normal(32).astype(np.float32)
    w2 = (rng.standard_normal((32, 10)) / 4).astype(np.float32)
    b2 = rng.standard_normal(10).astype(np.float32)
    f = Func(generic=False)
    ax, aw1, ab1, aw2, ab2 = (f.arg(ttype(v.shape, "f32")) for v in (x, w1, b1, w2, b2))
    h = f.op("matmul", [ax, aw1], ttype((8, 32), "f32"))
    h = f.op("add", [h, f.op("broadcast", [ab1], ttype((8, 32), "f32"),
                             [("dims", arr([1]))])], ttype((8, 32), "f32"))
    h = f.op("relu", [h], ttype((8, 32), "f32"))
    o = f.op("matmul", [h, aw2], ttype((8, 10), "f32"))
    o = f.op("add", [o, f.op("broadcast", [ab2], ttype((8, 10), "f32"),
                             [("dims", arr([1]))])], ttype((8, 10), "f32"))
    f.ret(h, f.op("softmax", [o], ttype((8, 10), "f32"), [("dim", i64(1))]))
    h64 = np.maximum(x.astype(np.float64) @ w1 + b1, 0.0)
    logits = h64 @ w2 + b2
    abs_h = np.abs(x.astype(np.float64)) @ np.abs(w1) + np.abs(b1)
    cases.append(Case("block_mlp_f32", module(f), [x, w1, b1, w2, b2],
                      [round_array(h64, "f32"), softmax_ref(logits, 1, "f64").astype(np.float32)],
                      per_output=[rtol(1e-4, accum_atol(abs_h, 1e-5)), rtol(1e-4, 1e-6)]))

    # conv2d + bias + relu, then 2x2 max pool.
    rng = rng_for("conv_block")
    x = rng.standard_normal((2, 8, 8, 3)).astype(np.float32)
    w = rng.standard_normal((3, 3, 3, 4)).astype(np.float32)
    bias = rng.standard_normal(4).astype(np.float32)
    f = Func(generic=False)
    ax, aw, ab = f.arg(ttype(x.shape, "f32")), f.arg(ttype(w.shape, "f32")), \
        f.arg(ttype(bias.shape, "f32"))
    t = ttype((2, 8, 8, 4), "f32")
    c = f.op("conv2d", [ax, aw], t, [("padding", arr([1, 1, 1, 1]))])
    c = f.op("add", [c, f.op("broadcast", [ab], t, [("dims", arr([3]))])], t)
    c = f.op("relu", [c], t)
    p = f.op("pool2d", [c], ttype((2, 4, 4, 4), "f32"),
             [("kind", sattr("max")), ("window", arr([2, 2])), ("strides", arr([2, 2]))])
    f.ret(c, p)
    conv64, abs_conv = conv_ref(x, w, [1, 1], [1, 1], [1, 1, 1, 1], "f64")
    relu64 = np.maximum(conv64 + bias, 0.0)
    pooled = relu64.reshape(2, 4, 2, 4, 2, 4).max(axis=(2, 4))
    tol = rtol(1e-4, accum_atol(abs_conv + np.abs(bias), 1e-5))
    cases.append(Case("block_conv_relu_pool_f32", module(f), [x, w, bias],
                      [round_array(relu64, "f32"), round_array(pooled, "f32")],
                      per_output=[tol, tol]))

    # Reductions over each axis of a 3-D tensor, and over all of it.
    x = rand("reduce3d_block", (3, 4, 5), "f32")
    f = Func(generic=False)
    a = f.arg(ttype(x.shape, "f32"))
    outs, expected, tols = [], [], []
    for d in range(3):
        rshape = tuple(s for i, s in enumerate(x.shape) if i != d)
        outs.append(f.op("reduce", [a], ttype(rshape, "f32"),
                         [("kind", sattr("sum")), ("dims", arr([d]))]))
        expected.append(round_array(x.astype(np.float64).sum(axis=d), "f32"))
        tols.append(rtol(1e-4, accum_atol(np.abs(x.astype(np.float64)).sum(axis=d), 1e-5)))
    outs.append(f.op("reduce", [a], ttype((), "f32"),
                     [("kind", sattr("max")), ("dims", arr([0, 1, 2]))]))
    expected.append(np.array(x.max()))
    tols.append(EXACT)
    f.ret(*outs)
    cases.append(Case("block_reduce_each_axis_f32", module(f), [x], expected,
                      per_output=tols))

    # Layer normalization over the last dim, from reduce/broadcast/rsqrt.
    x = (rand("layernorm_block", (4, 8), "f32") * 3 + 1).astype(np.float32)
    f = Func()
    a = f.arg(ttype((4, 8), "f32"))
    t2, t1 = ttype((4, 8), "f32"), ttype((4,), "f32")
    inv_n = f.constant(np.full((4,), 0.125, np.float32), "f32")
    eps = f.constant(np.full((4,), 1e-5, np.float32), "f32")
    mean = f.op("mul", [f.op("reduce", [a], t1, [("kind", sattr("sum")), ("dims", arr([1]))]),
                        inv_n], t1)
    xc = f.op("sub", [a, f.op("broadcast", [mean], t2, [("dims", arr([0]))])], t2)
    var = f.op("mul", [f.op("reduce", [f.op("mul", [xc, xc], t2)], t1,
                            [("kind", sattr("sum")), ("dims", arr([1]))]), inv_n], t1)
    r = f.op("rsqrt", [f.op("add", [var, eps], t1)], t1)
    f.ret(f.op("mul", [xc, f.op("broadcast", [r], t2, [("dims", arr([0]))])], t2))
    x64 = x.astype(np.float64)
    xc64 = x64 - x64.mean(axis=1, keepdims=True)
    ref = xc64 / np.sqrt((xc64 ** 2).mean(axis=1, keepdims=True) + np.float64(np.float32(1e-5)))
    cases.append(Case("block_layernorm_f32", module(f), [x], [round_array(ref, "f32")],
                      rtol(1e-4, 1e-5)))

    # Integer block: wrapping a*x + y, a saturating clamp, a masked count.
    rng = rng_for("int_block")
    av = rng.integers(-2 ** 31, 2 ** 31 - 1, size=(6, 5), dtype=np.int32, endpoint=True)
    xv = rng.integers(-2 ** 31, 2 ** 31 - 1, size=(6, 5), dtype=np.int32, endpoint=True)
    yv = rng.integers(-2 ** 31, 2 ** 31 - 1, size=(6, 5), dtype=np.int32, endpoint=True)
    f = Func()
    t = ttype((6, 5), "i32")
    a_, x_, y_ = f.arg(t), f.arg(t), f.arg(t)
    axpy = f.op("add", [f.op("mul", [a_, x_], t), y_], t)
    sat = f.op("add_sat", [f.op("mul", [a_, x_], t), y_], t)
    mask = f.op("cmp", [axpy, sat], ttype((6, 5), "i1"), [("predicate", sattr("ne"))])
    count = f.op("reduce", [f.op("convert", [mask], t)], ttype((5,), "i32"),
                 [("kind", sattr("sum")), ("dims", arr([0]))])
    f.ret(axpy, sat, count)
    prod = [wrap(int(p) * int(q), 32) for p, q in zip(av.reshape(-1), xv.reshape(-1))]
    axpy_ref = [wrap(p + int(y), 32) for p, y in zip(prod, yv.reshape(-1))]
    sat_ref = [min(max(p + int(y), -2 ** 31), 2 ** 31 - 1) for p, y in zip(prod, yv.reshape(-1))]
    axpy_a = int_array(axpy_ref, "i32", (6, 5))
    sat_a = int_array(sat_ref, "i32", (6, 5))
    cases.append(Case("block_int_axpy_i32", module(f), [av, xv, yv],
                      [axpy_a, sat_a, (axpy_a != sat_a).astype(np.int32).sum(axis=0)
                       .astype(np.int32)]))
    return cases
