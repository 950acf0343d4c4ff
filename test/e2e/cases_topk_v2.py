# vm.topk (contract v2): the first k elements of vm.sort along `dim`,
# descending (the largest first: NaN, +inf, ..., +0, -0, ...) or ascending
# with `smallest`; ties keep their index order. The reference is the first
# k of cases_sort_v2's independent stable sort; values and indices compare
# exactly.

import numpy as np

from cases_sort_v2 import order_input, sort_positions
from vmcase import Case, Func, builder, module, ttype


def topk_program(shape, et, k, dim, smallest, unsigned, arg_shape=None):
    out_shape = list(shape)
    out_shape[dim] = k
    attrs = [("k", "%d : i64" % k), ("dim", "%d : i64" % dim)]
    attrs += [(a, None) for a, on in (("smallest", smallest), ("unsigned", unsigned)) if on]
    f = Func()
    v, i = f.op_results("topk", [f.arg(ttype(arg_shape or shape, et))],
                        [ttype(out_shape, et), ttype(out_shape, "i64")], attrs)
    f.ret(v, i)
    return module(f)


def topk_case(name, shape, et, k, dim, smallest=False, unsigned=False, ties=False,
              arg_shape=None):
    x = order_input(name, shape, et, ties)
    positions = sort_positions(x, dim, not smallest, unsigned)
    first = np.ascontiguousarray(np.take(positions, np.arange(k), axis=dim))
    values = np.take_along_axis(x, first, axis=dim)
    return Case(name, topk_program(shape, et, k, dim, smallest, unsigned, arg_shape),
                [x], [values, first])


@builder
def topk_cases():
    cases = []
    for et in ("f16", "f32", "f64", "i8", "i32", "i64"):
        cases.append(topk_case("topk_%s_rows" % et, (4, 50), et, 5, 1))
        cases.append(topk_case("topk_%s_ties_smallest" % et, (3, 37), et, 7, 1,
                               smallest=True, ties=True))
    cases.append(topk_case("topk_f32_ties_nan_first", (5, 23), "f32", 9, 1, ties=True))
    cases.append(topk_case("topk_i32_unsigned", (3, 40), "i32", 4, 1, unsigned=True))
    cases.append(topk_case("topk_i16_unsigned_smallest", (3, 41), "i16", 6, 1,
                           smallest=True, unsigned=True, ties=True))
    cases.append(topk_case("topk_f32_cols", (65, 3), "f32", 3, 0, ties=True))
    cases.append(topk_case("topk_f32_1d_1000", (1000,), "f32", 7, 0))
    cases.append(topk_case("topk_f32_k_zero", (4, 9), "f32", 0, 1))
    cases.append(topk_case("topk_f32_k_all", (4, 9), "f32", 9, 1, ties=True))
    cases.append(topk_case("topk_f32_k1", (6, 33), "f32", 1, 1, ties=True))
    cases.append(topk_case("topk_f32_merge_passes_smallest", (4, 600), "f32", 10, 1,
                           smallest=True, ties=True))
    cases.append(topk_case("topk_i8_merge_passes_cols", (513, 2), "i8", 5, 0, ties=True))
    cases.append(topk_case("topk_f32_middle_dim", (2, 19, 3), "f32", 4, 1, smallest=True))
    # k past selection, many lanes of 64 or more: merge passes on the GPU.
    cases.append(topk_case("topk_f32_many_lanes_k20", (200, 70), "f32", 20, 1, ties=True))
    cases.append(topk_case("topk_i32_many_lanes_cols_smallest", (129, 150), "i32", 17, 0,
                           smallest=True, ties=True))
    cases.append(topk_case("topk_f32_k_all_4096_smallest", (2, 4096), "f32", 4096, 1,
                           smallest=True, ties=True))
    cases.append(topk_case("topk_f16_k17_of_18", (7, 18), "f16", 17, 1, ties=True))
    cases.append(topk_case("topk_f32_dynamic", (5, 30), "f32", 3, 1, ties=True,
                           arg_shape=(None, None)))
    # k larger than a dimension known only at run time: refused before the run.
    x = order_input("topk_k_too_large", (2, 3), "f32")
    cases.append(Case("topk_k_too_large", topk_program((2, 3), "f32", 4, 1, False, False,
                                                      arg_shape=(2, None)),
                      [x], expect_error="input"))
    return cases
