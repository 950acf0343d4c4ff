# Contractions for the `library` strategy (cuBLASLt through vmgpuGemm) at the
# sizes where a library GEMM is easiest to get wrong: M, N and K of 1, 7, 17,
# 33, 127, 129 and 1000 (single rows and columns, odd leading dimensions, K not a
# multiple of any tile), batches of 1 and 3, transposed operands (the runtime
# maps row-major and transposed operands to column-major layouts), f32 (strict),
# f16 and bf16 inputs with f16 and f32 results, and i8 x i8 -> i32 with the
# extreme values -128 and 127 (exact), in cuBLASLt's integer layout (B
# transposed) and outside it (which stays generated). cpu.test runs them like
# every case; cuda-library.test runs them on a GPU with the library forced and
# no fallback. References: NumPy (float64 einsum, Python ints), never vmgpu.

import numpy as np

from cases_tensor import (bf16_contract_prog, contract_case, matmul_shapes,
                          matmul_spec, rand, transpose_attrs)
from vmcase import (EXACT, Case, Func, arr, builder, module, rng_for, round_array,
                    ttype)

SIZES = (1, 7, 17, 33, 127, 129, 1000)


def _shapes():
    """(M, K, N): every size on every dim at least once, large ones paired
    with small ones to keep the CPU suite fast."""
    triples = []
    for i, size in enumerate(SIZES):
        small = SIZES[(i + 3) % 4]
        triples += [(size, small, 17), (7, size, small), (small, 33, size)]
    return sorted(set(triples))


def _case(name, et_in, et_out, m, k, n, ta=False, tb=False, batch=None, extreme=False):
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    if batch:
        sa, sb = (batch,) + sa, (batch,) + sb
    op = "batch_matmul" if batch else "matmul"
    rshape = ((batch,) if batch else ()) + (m, n)
    spec = matmul_spec(ta, tb, batch=bool(batch))
    attrs = transpose_attrs(ta, tb)
    if et_in == "bf16":
        a, b = rand(name + "a", sa, "f32"), rand(name + "b", sb, "f32")
        return contract_case(name, op, round_array(a, "bf16"), round_array(b, "bf16"),
                             "bf16", et_out, spec, rshape,
                             prog=bf16_contract_prog(op, sa, sb, rshape, attrs),
                             inputs=[a, b])
    if extreme:
        rng = rng_for(name)
        a = rng.choice(np.array([-128, 127, -128, 127, 0, 1, -1], np.int8), size=sa)
        b = rng.choice(np.array([-128, 127, -128, 127, 0, 1, -1], np.int8), size=sb)
    else:
        a, b = rand(name + "a", sa, et_in), rand(name + "b", sb, et_in)
    return contract_case(name, op, a, b, et_in, et_out, spec, rshape, attrs)


@builder
def library_gemm_cases():
    cases = []
    for m, k, n in _shapes():
        cases.append(_case("libgemm_f32_%dx%dx%d" % (m, k, n), "f32", "f32", m, k, n))
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((7, 129, 33), (127, 17, 1), (1, 1000, 7)):
            cases.append(_case("libgemm_f32%s_%dx%dx%d" % (suffix, m, k, n), "f32", "f32",
                               m, k, n, ta, tb))
    for batch in (1, 3):
        for m, k, n, ta, tb in ((17, 33, 7, False, False), (129, 7, 33, True, False),
                                (1, 127, 17, False, True)):
            suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
            cases.append(_case("libgemm_bmm%s_%dx%dx%dx%d" % (suffix, batch, m, k, n),
                               "f32", "f32", m, k, n, ta, tb, batch=batch))
    for et_in, et_out in (("f16", "f32"), ("f16", "f16"), ("bf16", "f32")):
        for m, k, n, tb in ((33, 129, 17, False), (127, 7, 1000, True), (1, 1000, 7, False)):
            name = "libgemm_%s_to_%s%s_%dx%dx%d" % (et_in, et_out, "_tb" if tb else "",
                                                   m, k, n)
            cases.append(_case(name, et_in, et_out, m, k, n, tb=tb))
        cases.append(_case("libgemm_bmm_%s_to_%s_3x17x33x7" % (et_in, et_out), et_in,
                           et_out, 17, 33, 7, batch=3))
    # i8: K and the leading dimensions of A and B multiples of 4, B transposed
    # or not, take the library; K = 17 or 1, a single row or column, or B's
    # leading dimension 7 stay generated under `library`.
    for m, k, n, tb in ((7, 128, 33, True), (129, 1000, 17, True), (33, 128, 64, False),
                        (1, 4, 1, True), (33, 17, 7, True), (17, 128, 7, False),
                        (1, 1, 1, False)):
        name = "libgemm_i8%s_%dx%dx%d" % ("_tb" if tb else "", m, k, n)
        cases.append(_case(name, "i8", "i32", m, k, n, tb=tb, extreme=True))
    cases.append(_case("libgemm_bmm_i8_tb_3x33x64x17", "i8", "i32", 33, 64, 17, tb=True,
                       batch=3, extreme=True))
    # Sizes known only at run time, K = 0 among them (the output keeps its zero
    # fill: the library adds nothing).
    for m, k, n in ((129, 33, 7), (33, 0, 17), (0, 7, 17)):
        name = "libgemm_dyn_%dx%dx%d" % (m, k, n)
        a, b = rand(name + "a", (m, k), "f32"), rand(name + "b", (k, n), "f32")
        f = Func()
        f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")),
                              f.arg(ttype((None, None), "f32"))], ttype((None, None), "f32")))
        cases.append(contract_case(name, "matmul", a, b, "f32", "f32", "mk,kn->mn", (m, n),
                                   prog=module(f)))
    return cases


def _bias_case(name, et, m, k, n, relu, bias_offset=0):
    """relu?(x W + b) for the epilogue of the library call (vmgpuGemmEpilogue:
    cuBLASLt's BIAS; the relu a kernel after it, in place: cuBLASLt's
    RELU_BIAS lost the NaN of these cases on an H100), f16 results rounded
    from f32 once. Small
    integers and eighths make every product exact in f32, so the expected
    values are exact whatever order the GEMM sums in: x row 1 is NaN in
    one element (a NaN row), b[0] is NaN (a NaN column), b[1] is -0 (+0 +
    -0 = +0), row 2 of x is zero. With `bias_offset` the bias is a slice
    of a longer vector starting that many elements in (an address off the
    16 bytes the epilogue is given)."""
    rng = rng_for(name)
    dt = np.float16 if et == "f16" else np.float32
    x = rng.integers(-4, 5, size=(m, k)).astype(dt)
    w = (rng.integers(-8, 9, size=(k, n)) / 8).astype(dt)
    b = rng.standard_normal(n + bias_offset).astype(dt)
    if m > 1:
        x[1, k // 2] = np.nan
    if m > 2:
        x[2, :] = 0
    bias = b[bias_offset:]
    bias[0] = np.nan
    if n > 1:
        bias[1] = -0.0
    f = Func()
    bias_arg = f.arg(ttype(b.shape, et))
    if bias_offset:
        bias_arg = f.op("slice", [bias_arg], ttype((n,), et),
                        [("offsets", arr([bias_offset])), ("sizes", arr([n])),
                         ("strides", arr([1]))])
    if et == "f16":
        bias_arg = f.op("convert", [bias_arg], ttype((n,), "f32"))
    t = ttype((m, n), "f32")
    h = f.op("matmul", [f.arg(ttype((m, k), et)), f.arg(ttype((k, n), et))], t)
    h = f.op("add", [h, f.op("broadcast", [bias_arg], t, [("dims", arr([1]))])], t)
    if relu:
        h = f.op("relu", [h], t)
    if et == "f16":
        h = f.op("convert", [h], ttype((m, n), "f16"))
    f.ret(h)
    # The exact f32 product (NaN where x holds one), the add rounded once in
    # f32, relu keeping NaN and giving +0 for -0, then one rounding to f16.
    with np.errstate(invalid="ignore"):
        product = (x.astype(np.float64) @ w.astype(np.float64)).astype(np.float32)
        want = product + bias.astype(np.float32)
        if relu:
            want = np.where(np.isnan(want), want, np.maximum(want, np.float32(0)) + np.float32(0))
    return Case(name, module(f), [b, x, w], [want.astype(dt)], EXACT)


@builder
def library_epilogue_cases():
    cases = []
    for et in ("f32", "f16"):
        for m, k, n in ((1, 7, 17), (33, 129, 17), (127, 33, 129), (7, 1000, 1)):
            for relu in (False, True):
                name = "libgemm_bias%s_%s_%dx%dx%d" % ("_relu" if relu else "", et, m, k, n)
                cases.append(_bias_case(name, et, m, k, n, relu))
        name = "libgemm_bias_relu_%s_slice_33x17x33" % et
        cases.append(_bias_case(name, et, 33, 17, 33, True, bias_offset=1))
    return cases
