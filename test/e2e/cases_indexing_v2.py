# vm.take and vm.gather (contract v2). References: NumPy's take and
# take_along_axis on indices normalized by the contract's rule (a negative
# index counts from the end once, then the index is clamped into [0, n)).

import numpy as np

from vmcase import NP_DTYPE, Case, Func, builder, module, rng_for, ttype

INDEX_EDGES = [0, 1, -1, -2, 2, 1000, -1000, 2 ** 31 - 1, -(2 ** 31)]


def normalized(indices, n):
    i = indices.astype(np.int64)
    i = np.where(i < 0, i + n, i)
    return np.clip(i, 0, n - 1)


def index_array(name, shape, n, et):
    """Random in-range indices, negative ones and the edges (out of range,
    extreme values) at the front."""
    rng = rng_for(name)
    x = rng.integers(-n, n, size=shape, dtype=np.int64).reshape(-1)
    edges = np.array(INDEX_EDGES[:x.size], dtype=np.int64)
    x[:edges.size] = edges
    return x.reshape(shape).astype(NP_DTYPE[et])


def data_array(name, shape, et):
    rng = rng_for(name)
    if et.startswith("i"):
        info = np.iinfo(NP_DTYPE[et])
        return rng.integers(info.min, info.max, size=shape, endpoint=True,
                            dtype=NP_DTYPE[et])
    return (rng.standard_normal(shape) * 10).astype(NP_DTYPE[et])


def indexing_program(op, data_shape, data_et, index_shape, index_et, result_shape, dim):
    f = Func()
    d, i = f.arg(ttype(data_shape, data_et)), f.arg(ttype(index_shape, index_et))
    f.ret(f.op(op, [d, i], ttype(result_shape, data_et), [("dim", "%d : i64" % dim)]))
    return module(f)


def take_case(name, data_shape, data_et, index_shape, index_et, dim):
    data = data_array(name + "_data", data_shape, data_et)
    n = data_shape[dim]
    indices = index_array(name + "_idx", index_shape, max(n, 1), index_et)
    expected = np.take(data, normalized(indices, n), axis=dim)
    prog = indexing_program("take", data_shape, data_et, index_shape, index_et,
                            expected.shape, dim)
    return Case(name, prog, [data, indices], [expected])


def gather_case(name, data_shape, data_et, index_shape, index_et, dim):
    data = data_array(name + "_data", data_shape, data_et)
    n = data_shape[dim]
    indices = index_array(name + "_idx", index_shape, n, index_et)
    # Dims other than `dim` may be smaller in indices: read data's leading part.
    window = tuple(slice(None) if d == dim else slice(0, s)
                   for d, s in enumerate(index_shape))
    expected = np.take_along_axis(data[window], normalized(indices, n), axis=dim)
    prog = indexing_program("gather", data_shape, data_et, index_shape, index_et,
                            index_shape, dim)
    return Case(name, prog, [data, indices], [expected])


@builder
def take_cases():
    return [
        take_case("take_f32_rows", (7, 3), "f32", (9,), "i32", 0),
        take_case("take_i8_cols_2d_indices", (3, 5), "i8", (2, 4), "i64", 1),
        take_case("take_f16_scalar_index", (4, 6), "f16", (), "i32", 1),
        take_case("take_i64_middle_dim", (2, 9, 3), "i64", (3, 3), "i32", 1),
        take_case("take_f64_last_dim", (2, 3, 1025), "f64", (11,), "i64", 2),
        # An embedding lookup: a [vocab, width] table and a batch of tokens.
        take_case("take_embedding_f32", (1000, 64), "f32", (8, 17), "i32", 0),
        take_case("take_no_indices", (4, 3), "f32", (0,), "i32", 0),
        take_case("take_from_one_row", (1, 5), "i16", (6,), "i32", 0),
    ]


@builder
def gather_cases():
    return [
        gather_case("gather_f32_dim1", (5, 7), "f32", (5, 3), "i64", 1),
        gather_case("gather_i32_dim0_smaller", (6, 4), "i32", (3, 2), "i32", 0),
        gather_case("gather_f16_3d_dim2", (3, 4, 33), "f16", (2, 4, 9), "i32", 2),
        gather_case("gather_i8_1d", (31,), "i8", (40,), "i64", 0),
        gather_case("gather_empty_indices", (3, 3), "f32", (3, 0), "i32", 1),
    ]


@builder
def indexing_error_cases():
    """Indices into an empty dimension: statically a verifier error, with
    dynamic sizes an input error before the block runs."""
    cases = []
    prog = indexing_program("take", (0, 3), "f32", (2,), "i32", (2, 3), 0)
    cases.append(Case("bad_take_from_empty_static", prog,
                      [np.zeros((0, 3), np.float32), np.zeros(2, np.int32)],
                      expect_error="program"))
    prog = indexing_program("take", (None, 3), "f32", (None,), "i32", (None, 3), 0)
    cases.append(Case("bad_take_from_empty_dynamic", prog,
                      [np.zeros((0, 3), np.float32), np.zeros(2, np.int32)],
                      expect_error="input"))
    prog = indexing_program("gather", (None, 2), "f32", (None, 2), "i64", (None, 2), 1)
    cases.append(Case("bad_gather_indices_larger", prog,
                      [np.zeros((4, 2), np.float32), np.zeros((5, 2), np.int64)],
                      expect_error="input"))
    return cases
