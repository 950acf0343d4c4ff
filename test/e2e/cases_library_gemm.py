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
from vmcase import Func, builder, module, rng_for, round_array, ttype

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
