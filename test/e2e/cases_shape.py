# Shape cases: vm.broadcast, vm.reshape, vm.transpose, vm.slice, vm.concat,
# plus the shapes every op must handle: dynamic dims, 0-d and empty tensors,
# several results, several functions in a module, unsigned .npy inputs.

import itertools

import numpy as np

from vmcase import (BITS, NP_DTYPE, Case, Func, arr, builder, i64, module,
                    rng_for, round_array, sattr, smax, smin, ttype, wrap)


def values(name, shape, et):
    """Random values of `et`: ints over the full range, floats normal."""
    rng = rng_for(name)
    if et == "i1":
        return rng.integers(0, 2, size=shape).astype(bool)
    if et.startswith("i"):
        bits = BITS[et]
        return rng.integers(smin(bits), smax(bits), size=shape, dtype=NP_DTYPE[et],
                            endpoint=True)
    return (rng.standard_normal(shape) * 4).astype(NP_DTYPE[et])


def static(shape):
    return tuple(shape)


# --- broadcast -------------------------------------------------------------


def broadcast_ref(x, dims, result_shape):
    expanded = [1] * len(result_shape)
    for i, d in enumerate(dims):
        expanded[d] = x.shape[i]
    return np.broadcast_to(x.reshape(expanded), result_shape).copy()


@builder
def broadcast_cases():
    cases = []
    specs = [
        ("broadcast_row_f32", "f32", (3,), [1], (2, 3)),
        ("broadcast_col_i32", "i32", (3,), [0], (3, 4)),
        ("broadcast_expand_f16", "f16", (1, 3), [0, 1], (4, 3)),
        ("broadcast_4d_i8", "i8", (2, 1, 4), [0, 1, 2], (2, 3, 4, 5)),
        ("broadcast_scalar_f64", "f64", (), [], (2, 3)),
        ("broadcast_i1", "i1", (1, 2), [1, 2], (3, 4, 2)),
        ("broadcast_middle_i64", "i64", (2, 5), [0, 2], (2, 3, 5)),
        ("broadcast_i16", "i16", (4,), [2], (2, 3, 4)),
    ]
    for name, et, shape, dims, result in specs:
        x = values(name, shape, et)
        f = Func(generic=(name != "broadcast_row_f32"))
        f.ret(f.op("broadcast", [f.arg(ttype(shape, et))], ttype(result, et),
                   [("dims", arr(dims))]))
        cases.append(Case(name, module(f), [x], [broadcast_ref(x, dims, result)]))
    # A dynamic result dim takes the size of the operand dim mapped to it.
    x = values("broadcast_dynamic_f32", (5,), "f32")
    f = Func()
    f.ret(f.op("broadcast", [f.arg(ttype((None,), "f32"))], ttype((None, 3), "f32"),
               [("dims", arr([0]))]))
    cases.append(Case("broadcast_dynamic_f32", module(f), [x],
                      [broadcast_ref(x, [0], (5, 3))]))
    return cases


# --- reshape, transpose ----------------------------------------------------


@builder
def reshape_cases():
    cases = []
    specs = [
        ("reshape_3d_to_2d_f32", "f32", (2, 3, 4), (6, 4), (6, 4)),
        ("reshape_flatten_i16", "i16", (2, 3, 4), (24,), (24,)),
        ("reshape_unflatten_i64", "i64", (24,), (4, 3, 2), (4, 3, 2)),
        ("reshape_0d_to_2d_f32", "f32", (), (1, 1), (1, 1)),
        ("reshape_1_to_0d_i32", "i32", (1,), (), ()),
        ("reshape_i1", "i1", (2, 6), (3, 4), (3, 4)),
        ("reshape_to_dynamic_f32", "f32", (3, 8), (None, 4), (6, 4)),
    ]
    for name, et, shape, rtype, rshape in specs:
        x = values(name, shape, et)
        f = Func()
        f.ret(f.op("reshape", [f.arg(ttype(shape, et))], ttype(rtype, et)))
        cases.append(Case(name, module(f), [x], [x.reshape(rshape)]))
    for name, rtype, rshape in (("reshape_dynamic_flatten_f32", (None,), (20,)),
                                ("reshape_dynamic_split_f32", (None, 2, 2), (5, 2, 2))):
        x = values(name, (5, 4), "f32")
        f = Func()
        f.ret(f.op("reshape", [f.arg(ttype((None, 4), "f32"))], ttype(rtype, "f32")))
        cases.append(Case(name, module(f), [x], [x.reshape(rshape)]))
    return cases


@builder
def transpose_cases():
    cases = []
    x = values("transpose_2d_f32", (3, 5), "f32")
    f = Func(generic=False)
    f.ret(f.op("transpose", [f.arg(ttype(x.shape, "f32"))], ttype((5, 3), "f32"),
               [("perm", arr([1, 0]))]))
    cases.append(Case("transpose_2d_f32", module(f), [x], [x.T.copy()]))
    x = values("transpose_3d_i32", (2, 3, 4), "i32")
    for perm in itertools.permutations(range(3)):
        if perm == (0, 1, 2):
            continue
        name = "transpose_3d_i32_%s" % "".join(map(str, perm))
        f = Func()
        rshape = tuple(x.shape[p] for p in perm)
        f.ret(f.op("transpose", [f.arg(ttype(x.shape, "i32"))], ttype(rshape, "i32"),
                   [("perm", arr(perm))]))
        cases.append(Case(name, module(f), [x], [np.transpose(x, perm).copy()]))
    for name, et, shape, perm in (("transpose_4d_f16", "f16", (2, 3, 4, 5), (0, 3, 1, 2)),
                                  ("transpose_i1", "i1", (3, 2), (1, 0)),
                                  ("transpose_f64", "f64", (2, 7), (1, 0)),
                                  ("transpose_i8", "i8", (2, 3, 4), (2, 0, 1))):
        x = values(name, shape, et)
        rshape = tuple(shape[p] for p in perm)
        f = Func()
        f.ret(f.op("transpose", [f.arg(ttype(shape, et))], ttype(rshape, et),
                   [("perm", arr(perm))]))
        cases.append(Case(name, module(f), [x], [np.transpose(x, perm).copy()]))
    x = values("transpose_dynamic_f32", (6, 3), "f32")
    f = Func()
    f.ret(f.op("transpose", [f.arg(ttype((None, 3), "f32"))], ttype((3, None), "f32"),
               [("perm", arr([1, 0]))]))
    cases.append(Case("transpose_dynamic_f32", module(f), [x], [x.T.copy()]))
    return cases


# --- slice, concat ---------------------------------------------------------


def slice_ref(x, offsets, sizes, strides):
    index = tuple(slice(o, o + (s - 1) * st + 1 if s else o, st)
                  for o, s, st in zip(offsets, sizes, strides))
    return x[index].copy()


@builder
def slice_cases():
    cases = []
    specs = [
        ("slice_1d_f32", "f32", (10,), [2], [3], [1]),
        ("slice_2d_strided_i32", "i32", (7, 11), [1, 0], [3, 4], [2, 3]),
        ("slice_3d_f16", "f16", (4, 5, 6), [1, 2, 0], [2, 3, 2], [2, 1, 5]),
        ("slice_empty_f32", "f32", (4, 5), [1, 5], [2, 0], [1, 1]),
        ("slice_i1", "i1", (6, 4), [0, 1], [3, 3], [2, 1]),
        ("slice_i64", "i64", (9,), [8], [1], [4]),
        ("slice_full_f64", "f64", (3, 4), [0, 0], [3, 4], [1, 1]),
        ("slice_to_last_i8", "i8", (10, 3), [0, 2], [4, 1], [3, 1]),
    ]
    for name, et, shape, offsets, sizes, strides in specs:
        x = values(name, shape, et)
        f = Func(generic=(name != "slice_1d_f32"))
        f.ret(f.op("slice", [f.arg(ttype(shape, et))], ttype(sizes, et),
                   [("offsets", arr(offsets)), ("sizes", arr(sizes)),
                    ("strides", arr(strides))]))
        cases.append(Case(name, module(f), [x], [slice_ref(x, offsets, sizes, strides)]))
    return cases


@builder
def concat_cases():
    cases = []
    specs = [
        ("concat_dim0_f32", "f32", [(2, 3), (4, 3)], 0),
        ("concat_dim1_i32", "i32", [(2, 1), (2, 3), (2, 2)], 1),
        ("concat_with_empty_f32", "f32", [(0, 3), (2, 3), (0, 3)], 0),
        ("concat_i1", "i1", [(2,), (3,)], 0),
        ("concat_3d_dim2_f16", "f16", [(2, 2, 3), (2, 2, 1)], 2),
        ("concat_single_i64", "i64", [(3, 2)], 1),
        ("concat_i8", "i8", [(1, 4), (1, 4), (1, 4)], 0),
    ]
    for name, et, shapes, dim in specs:
        xs = [values("%s_%d" % (name, i), s, et) for i, s in enumerate(shapes)]
        rshape = list(shapes[0])
        rshape[dim] = sum(s[dim] for s in shapes)
        f = Func(generic=(name != "concat_dim0_f32"))
        args = [f.arg(ttype(s, et)) for s in shapes]
        f.ret(f.op("concat", args, ttype(rshape, et), [("dim", i64(dim))]))
        cases.append(Case(name, module(f), xs, [np.concatenate(xs, axis=dim)]))
    a = values("concat_dynamic_a", (4, 3), "f32")
    b = values("concat_dynamic_b", (2, 3), "f32")
    f = Func()
    f.ret(f.op("concat", [f.arg(ttype((None, 3), "f32")), f.arg(ttype((2, 3), "f32"))],
               ttype((None, 3), "f32"), [("dim", i64(0))]))
    cases.append(Case("concat_dynamic_f32", module(f), [a, b], [np.concatenate([a, b])]))
    return cases


# --- dynamic, 0-d, empty, several results ----------------------------------


@builder
def shape_edge_cases():
    cases = []
    # One program with a dynamic leading dim, run at several sizes.
    for n in (5, 1, 0):
        name = "add_dynamic_f32_n%d" % n
        a, b = values(name + "a", (n, 4), "f32"), values(name + "b", (n, 4), "f32")
        f = Func()
        t = ttype((None, 4), "f32")
        f.ret(f.op("add", [f.arg(t), f.arg(t)], t))
        cases.append(Case(name, module(f), [a, b], [a + b]))
    a, b = values("mul_dynamic2_a", (3, 7), "i32"), values("mul_dynamic2_b", (3, 7), "i32")
    f = Func()
    t = ttype((None, None), "i32")
    f.ret(f.op("mul", [f.arg(t), f.arg(t)], t))
    with np.errstate(all="ignore"):
        cases.append(Case("mul_fully_dynamic_i32", module(f), [a, b], [a * b]))
    x = values("exp_dynamic_f32", (6,), "f32")
    f = Func()
    t = ttype((None,), "f32")
    f.ret(f.op("sqrt", [f.op("abs", [f.arg(t)], t)], t))
    cases.append(Case("abs_sqrt_dynamic_f32", module(f), [x],
                      [round_array(np.sqrt(np.abs(x).astype(np.float64)), "f32")]))

    # 0-d tensors.
    a, b = np.array(np.float32(1.25)), np.array(np.float32(-3.5))
    f = Func()
    t = ttype((), "f32")
    f.ret(f.op("add", [f.arg(t), f.arg(t)], t))
    cases.append(Case("add_0d_f32", module(f), [a, b], [np.array(np.float32(-2.25))]))
    x = np.array(np.int64(-(2 ** 63)))
    f = Func()
    t = ttype((), "i64")
    f.ret(f.op("neg", [f.arg(t)], t))
    cases.append(Case("neg_0d_i64_min", module(f), [x], [x.copy()]))
    f = Func()
    tc, t = ttype((), "i1"), ttype((), "i32")
    args = [f.arg(tc), f.arg(t), f.arg(t)]
    f.ret(f.op("select", args, t),
          f.op("cmp", [args[1], args[2]], tc, [("predicate", sattr("lt"))]))
    cases.append(Case("select_cmp_0d", module(f),
                      [np.array(False), np.array(np.int32(4)), np.array(np.int32(-9))],
                      [np.array(np.int32(-9)), np.array(False)]))

    # Empty tensors (a dim of 0).
    a = np.zeros((0, 4), np.float32)
    f = Func()
    t = ttype((0, 4), "f32")
    f.ret(f.op("add", [f.arg(t), f.arg(t)], t))
    cases.append(Case("add_empty_f32", module(f), [a, a], [a.copy()]))
    f = Func()
    f.ret(f.op("convert", [f.arg(ttype((3, 0), "f32"))], ttype((3, 0), "i8")))
    cases.append(Case("convert_empty", module(f), [np.zeros((3, 0), np.float32)],
                      [np.zeros((3, 0), np.int8)]))
    f = Func()
    f.ret(f.op("transpose", [f.arg(ttype((0, 3), "i16"))], ttype((3, 0), "i16"),
               [("perm", arr([1, 0]))]))
    cases.append(Case("transpose_empty", module(f), [np.zeros((0, 3), np.int16)],
                      [np.zeros((3, 0), np.int16)]))

    # Several results of several element types.
    a, b = values("multi_a", (2, 5), "f32"), values("multi_b", (2, 5), "f32")
    f = Func()
    t = ttype((2, 5), "f32")
    x, y = f.arg(t), f.arg(t)
    f.ret(f.op("add", [x, y], t), f.op("sub", [x, y], t),
          f.op("cmp", [x, y], ttype((2, 5), "i1"), [("predicate", sattr("gt"))]),
          f.op("convert", [x], ttype((2, 5), "i32")),
          f.op("reduce", [y], ttype((5,), "f32"), [("kind", sattr("max")), ("dims", arr([0]))]))
    cases.append(Case("several_results", module(f), [a, b],
                      [a + b, a - b, a > b, np.trunc(a).astype(np.int32), np.max(b, axis=0)]))

    # Several functions: the entry is not the first one.
    helper = Func(name="helper")
    t = ttype((4,), "i32")
    helper.ret(helper.op("sub", [helper.arg(t), helper.arg(t)], t))
    main = Func()
    x = main.arg(t)
    main.ret(main.op("mul", [x, x], t))
    v = values("two_funcs", (4,), "i32") % 1000
    cases.append(Case("module_two_funcs", module(helper, main), [v], [v * v]))

    # uint .npy inputs are read as the signless type of the same width.
    a = np.array([200, 255, 0, 128, 127], dtype=np.uint8)
    b = np.array([100, 1, 255, 128, 1], dtype=np.uint8)
    f = Func()
    t = ttype((5,), "i8")
    x, y = f.arg(t), f.arg(t)
    f.ret(f.op("add", [x, y], t), f.op("div", [x, y], t, [("unsigned", None)]))
    ref_add = np.array([wrap(int(p) + int(q), 8) for p, q in zip(a, b)], np.int8)
    ref_div = np.array([wrap(int(p) // int(q), 8) for p, q in zip(a, b)], np.int8)
    cases.append(Case("uint8_inputs_i8", module(f), [a, b], [ref_add, ref_div]))
    return cases
