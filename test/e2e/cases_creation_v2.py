# vm.iota (contract v2): result[i] = i_dim converted with vm.convert's rules.
# References: Python ints wrapped to the integer type, or rounded exactly to
# the float type (lengths past the float's integer range check the rounding).

import numpy as np

from cases_convert import bf16_of
from vmcase import (Case, Func, builder, int_array, module, round_array,
                    ttype)


def iota_reference(shape, dim, et):
    index = np.indices(shape)[dim].astype(np.int64)
    if et.startswith("i"):
        return int_array([int(v) for v in index.reshape(-1)], et, shape)
    return round_array(index.astype(np.float64), et)


def iota_program(shape, dim, et):
    f = Func()
    t = ttype(shape, et)
    f.lines.append('%%iota = "vm.iota"() {dim = %d : i64} : () -> %s' % (dim, t))
    f.types["%iota"] = t
    f.ret("%iota")
    return module(f)


@builder
def iota_cases():
    cases = []
    # (name, shape, dim, element type): i8 past 127 wraps; f16 past 2048 and
    # bf16 past 256 round to even.
    for name, shape, dim, et in [
            ("iota_i32_1d", (7,), 0, "i32"),
            ("iota_i64_rows", (4, 5), 0, "i64"),
            ("iota_i16_cols", (3, 1025), 1, "i16"),
            ("iota_i8_wraps", (300,), 0, "i8"),
            ("iota_f32_3d", (2, 3, 4), 2, "f32"),
            ("iota_f64_dim1", (2, 33, 2), 1, "f64"),
            ("iota_f16_rounds", (2100,), 0, "f16"),
            ("iota_empty", (0, 3), 1, "i32")]:
        cases.append(Case(name, iota_program(shape, dim, et), [],
                          [iota_reference(shape, dim, et)]))
    # bf16 through vm.convert (.npy has no bf16).
    f = Func()
    tb, tf = ttype((300,), "bf16"), ttype((300,), "f32")
    f.lines.append('%%iota = "vm.iota"() {dim = 0 : i64} : () -> %s' % tb)
    f.types["%iota"] = tb
    f.ret(f.op("convert", ["%iota"], tf))
    expected = bf16_of(np.arange(300, dtype=np.float32))
    cases.append(Case("iota_bf16_rounds", module(f), [], [expected]))
    # A dynamic size from tensor.dim of an argument, fused with an add.
    f = Func()
    t = ttype((None, 3), "i32")
    arg = f.arg(t)
    c0 = f.raw("arith.constant 0 : index", "index")
    n = f.raw("tensor.dim %s, %s : %s" % (arg, c0, t), "index")
    f.lines.append('%%iota = "vm.iota"(%s) {dim = 0 : i64} : (index) -> %s' % (n, t))
    f.types["%iota"] = t
    f.ret(f.op("add", [arg, "%iota"], t))
    x = np.arange(15, dtype=np.int32).reshape(5, 3) * 10
    cases.append(Case("iota_dynamic_i32", module(f), [x],
                      [x + np.arange(5, dtype=np.int32)[:, None]]))
    return cases
