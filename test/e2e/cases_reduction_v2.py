# vm.reduce min/max with `unsigned` (contract v2): integers ordered as
# unsigned, identities UMAX (min) and 0 (max). Every reduction form (rows,
# columns, everything, empty) at awkward sizes. References: numpy on the
# unsigned view of the same bits.

import numpy as np

from vmcase import (BITS, INT_TYPES, NP_DTYPE, Case, Func, arr, builder, module, rng_for,
                    sattr, ttype)

UNSIGNED_VIEW = {"i8": np.uint8, "i16": np.uint16, "i32": np.uint32, "i64": np.uint64}


def unsigned_input(name, shape, et):
    """Random bits with the edges (0, 1, all ones, the sign bit alone) mixed
    in: signed and unsigned orders disagree on half of them."""
    rng = rng_for(name)
    bits = BITS[et]
    x = rng.integers(0, 2 ** bits, size=shape, dtype=np.uint64).astype(UNSIGNED_VIEW[et])
    flat = x.reshape(-1)
    edges = np.array([0, 1, 2 ** bits - 1, 2 ** (bits - 1)], dtype=np.uint64)
    flat[:min(flat.size, 4)] = edges[:min(flat.size, 4)].astype(UNSIGNED_VIEW[et])
    return x.view(NP_DTYPE[et])


def unsigned_reference(x, kind, dims, et):
    u = x.view(UNSIGNED_VIEW[et])
    fn = np.min if kind == "min" else np.max
    identity = np.iinfo(UNSIGNED_VIEW[et]).max if kind == "min" else 0
    return fn(u, axis=tuple(dims), initial=identity).astype(
        UNSIGNED_VIEW[et]).view(NP_DTYPE[et])


def reduce_case(name, shape, kind, dims, et):
    x = unsigned_input(name, shape, et)
    result_shape = tuple(s for d, s in enumerate(shape) if d not in dims)
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype(shape, et))], ttype(result_shape, et),
               [("kind", sattr(kind)), ("dims", arr(dims)), ("unsigned", None)]))
    return Case(name, module(f), [x], [unsigned_reference(x, kind, dims, et)])


@builder
def unsigned_reduction_cases():
    cases = []
    forms = [("rows", (33, 1025), [1]), ("cols", (1025, 3), [0]),
             ("all", (4097,), [0]), ("all2d", (31, 33), [0, 1]),
             ("one", (1,), [0]), ("empty", (0, 5), [0])]
    for et in INT_TYPES:
        for kind in ("min", "max"):
            for form, shape, dims in forms:
                name = "reduce_%s_unsigned_%s_%s" % (kind, et, form)
                cases.append(reduce_case(name, shape, kind, dims, et))
    return cases
