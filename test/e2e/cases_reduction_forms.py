# Column reductions at the sizes that used to crash the GPU path (issue 12):
# every reduction form must run inside kernels, whatever the number of rows.
#
# The inputs are chosen so that every partial result is exact in the element
# type (small integers, powers of two): the expected values then do not
# depend on the summation order, and the comparison is exact on every path.
# References are plain numpy (vectorized, exact for these inputs).

import numpy as np

from vmcase import Case, Func, arr, builder, large_builder, module, rng_for, sattr, ttype

NP = {"f32": np.float32, "f16": np.float16, "i32": np.int32}
KINDS = ("sum", "max", "min", "prod")


def column_input(name, rows, cols, kind, et):
    rng = rng_for(name)
    shape = (rows, cols)
    if et == "i32":
        x = rng.integers(-(2 ** 31), 2 ** 31, size=shape, dtype=np.int64)
        if kind == "prod":
            x |= 1  # odd factors: the wrapped product does not collapse to 0
        return x.astype(np.int32)
    if kind == "prod":
        # +-1 with rare factors 2 and 1/2: every partial product is a power
        # of two well inside the f16 range.
        x = rng.choice(np.array([1.0, -1.0, 2.0, 0.5]), size=shape,
                       p=[0.49999, 0.49999, 0.00001, 0.00001])
    else:
        # Mostly 0, some +-1: partial sums are integers below 2048 in
        # magnitude, exact even in f16.
        x = rng.choice(np.array([0.0, 1.0, -1.0]), size=shape, p=[0.9, 0.05, 0.05])
        if kind in ("max", "min") and rows > 1:
            x[rows // 2, 0] = np.nan  # a NaN among numbers is skipped
    return x.astype(NP[et])


def column_reference(x, kind, et):
    if et == "i32":
        wrapped = x.astype(np.uint32)  # numpy's uint32 reductions wrap mod 2^32
        if kind == "sum":
            return np.add.reduce(wrapped, axis=0).astype(np.int32)
        if kind == "prod":
            return np.multiply.reduce(wrapped, axis=0).astype(np.int32)
        return (np.min if kind == "min" else np.max)(x, axis=0)
    if kind in ("max", "min"):
        return (np.fmax if kind == "max" else np.fmin).reduce(x, axis=0)
    x64 = x.astype(np.float64)
    exact = np.sum(x64, axis=0) if kind == "sum" else np.prod(x64, axis=0)
    return exact.astype(NP[et])


def column_case(rows, cols, kind, et):
    name = "colreduce_%s_%s_%dx%d" % (kind, et, rows, cols)
    x = column_input(name, rows, cols, kind, et)
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype((rows, cols), et))], ttype((cols,), et),
               [("kind", sattr(kind)), ("dims", arr([0]))]))
    return Case(name, module(f), [x], [column_reference(x, kind, et)])


@builder
def column_reduction_cases():
    cases = []
    for rows in (1, 3, 1000001):
        for cols in (1, 3, 1025):
            if rows * cols > 4 * 1000001:
                continue  # the large tier (below)
            for et in NP:
                for kind in KINDS:
                    cases.append(column_case(rows, cols, kind, et))
    # The program of issue 12 as it was reported.
    name = "colreduce_issue12_max_f32_40001x3"
    x = np.random.default_rng(12).standard_normal((40001, 3)).astype(np.float32)
    f = Func()
    f.ret(f.op("reduce", [f.arg(ttype(x.shape, "f32"))], ttype((3,), "f32"),
               [("kind", sattr("max")), ("dims", arr([0]))]))
    cases.append(Case(name, module(f), [x], [np.max(x, axis=0)]))
    return cases


@large_builder
def large_column_reduction_cases():
    # 1,000,001 x 1025: 4 GB per f32 or i32 input. One kind per element
    # type; the other kinds run at 1,000,001 x 3 and 3 x 1025 above.
    return [column_case(1000001, 1025, kind, et)
            for kind, et in (("max", "f32"), ("sum", "f16"), ("prod", "i32"))]


def full_case(name, shape, kind, et, dynamic):
    x = column_input(name, int(np.prod(shape)), 1, kind, et).reshape(shape)
    f = Func()
    arg_shape = tuple("?" if dynamic else s for s in shape)
    f.ret(f.op("reduce", [f.arg(ttype(arg_shape, et))], ttype((), et),
               [("kind", sattr(kind)), ("dims", arr(list(range(len(shape)))))]))
    expected = column_reference(x.reshape(-1, 1), kind, et).reshape(())
    return Case(name, module(f), [x], [expected])


@builder
def full_reduction_cases():
    # Reductions to one value: on the GPU they run in two parallel stages
    # from 4096 elements on (vm-split-full-reductions), with a tail when the
    # size is not a multiple of the partial count; run-time sizes always.
    cases = []
    for shape in ((4096,), (100003,), (1000, 1000), (1048583,)):
        for et in NP:
            for kind in KINDS:
                for dynamic in (False, True):
                    name = "fullreduce_%s_%s_%s%s" % (
                        kind, et, "x".join(map(str, shape)), "_dyn" if dynamic else "")
                    cases.append(full_case(name, shape, kind, et, dynamic))
    # vm.dot of small integers (exact in f32) over a size with a tail.
    n = 100003
    rng = rng_for("fulldot_f32_100003")
    a = rng.integers(-3, 4, size=n).astype(np.float32)
    b = rng.integers(-3, 4, size=n).astype(np.float32)
    f = Func()
    ty = ttype(("?",), "f32")
    f.ret(f.op("dot", [f.arg(ty), f.arg(ty)], ttype((), "f32")))
    cases.append(Case("fulldot_f32_100003", module(f), [a, b],
                      [np.float32(np.dot(a.astype(np.float64), b.astype(np.float64)))]))
    return cases
