# Contractions at awkward sizes: the tiled CPU strategy (vm-cpu-tile-contractions)
# splits M, N and K into cache and register tiles; these sizes land on every
# partial tile (1, 3, 17: below a register tile; 1000, 1025: a partial last cache
# and register tile), with transposed operands, odd batch counts and dynamic
# shapes (the peeled loops then have run-time bounds). The references are NumPy's
# float64 einsum of the same inputs, compared with the accumulation tolerance
# (the strategy fuses multiply and add, which the contract allows for
# contractions).

from cases_tensor import (contract_case, f32_batch_matmul_case, matmul_shapes, matmul_spec,
                          rand, transpose_attrs)
from vmcase import Func, builder, module, ttype

# (M, K, N): each of 1, 3, 17, 1000, 1025 on each of M, N and K at least once,
# large sizes paired with small ones to keep the suite fast.
MATMUL_SIZES = [(1, 1, 1), (1, 17, 3), (3, 1, 17), (17, 3, 1), (17, 1025, 3),
                (3, 17, 1025), (1025, 3, 17), (1000, 17, 1), (1, 1000, 17),
                (17, 1, 1000), (1025, 1025, 3), (3, 1000, 1025), (1000, 3, 1000)]


def _matmul(name, m, k, n, ta=False, tb=False, dynamic=False):
    sa, sb = matmul_shapes(m, k, n, ta, tb)
    a, b = rand(name + "a", sa, "f32"), rand(name + "b", sb, "f32")
    prog = None
    if dynamic:
        f = Func()
        attrs = transpose_attrs(ta, tb)
        f.ret(f.op("matmul", [f.arg(ttype((None, None), "f32")),
                              f.arg(ttype((None, None), "f32"))],
                   ttype((None, None), "f32"), attrs))
        prog = module(f)
    return contract_case(name, "matmul", a, b, "f32", "f32", matmul_spec(ta, tb), (m, n),
                         transpose_attrs(ta, tb), prog=prog)


@builder
def cpu_matmul_awkward_cases():
    cases = []
    for m, k, n in MATMUL_SIZES:
        cases.append(_matmul("cpu_matmul_%dx%dx%d" % (m, k, n), m, k, n))
    # Transposed operands at sizes with partial tiles in every dim.
    for ta, tb in ((True, False), (False, True), (True, True)):
        suffix = ("_ta" if ta else "") + ("_tb" if tb else "")
        for m, k, n in ((17, 3, 1025), (1025, 17, 3), (3, 1025, 17), (131, 257, 67)):
            cases.append(_matmul("cpu_matmul%s_%dx%dx%d" % (suffix, m, k, n), m, k, n, ta, tb))
    # Dynamic shapes: the tiles' bounds are known only at run time.
    for m, k, n in ((1, 1, 1), (17, 1025, 3), (1025, 17, 1000), (97, 300, 129)):
        cases.append(_matmul("cpu_matmul_dyn_%dx%dx%d" % (m, k, n), m, k, n, dynamic=True))
    cases.append(_matmul("cpu_matmul_dyn_tb_131x67x257", 131, 67, 257, tb=True,
                         dynamic=True))
    # Empty at run time: no tile runs; K = 0 gives zeros.
    for m, k, n in ((0, 5, 4), (3, 0, 4), (3, 5, 0)):
        cases.append(_matmul("cpu_matmul_dyn_%dx%dx%d" % (m, k, n), m, k, n, dynamic=True))
    return cases


@builder
def cpu_batch_matmul_awkward_cases():
    cases = []
    specs = [(1, 17, 3, 1025, False, False), (3, 1025, 17, 3, False, False),
             (5, 1, 1, 1, False, False), (7, 33, 65, 17, True, False),
             (3, 17, 1000, 33, False, True), (5, 18, 7, 40, True, True)]
    for spec in specs:
        cases.append(f32_batch_matmul_case("cpu_batch_matmul", *spec))
    a, b = rand("cpu_bmm_dyn_a", (3, 70, 19), "f32"), rand("cpu_bmm_dyn_b", (3, 19, 45), "f32")
    f = Func()
    f.ret(f.op("batch_matmul", [f.arg(ttype((None, None, None), "f32")),
                                f.arg(ttype((None, None, None), "f32"))],
               ttype((None, None, None), "f32")))
    cases.append(contract_case("cpu_batch_matmul_dyn_3x70x19x45", "batch_matmul", a, b,
                               "f32", "f32", "bmk,bkn->bmn", (3, 70, 45), prog=module(f)))
    return cases
