# vm programs for the workloads, one per size (static shapes), in MLIR's
# generic op form. Each program is `func.func @main`.


def ttype(shape, dtype):
    """tensor<AxBxdtype>; a 0-d tensor for an empty shape."""
    if not shape:
        return "tensor<%s>" % dtype
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), dtype)


class Program:
    """Builds one function: arguments (referred to as "%name" in op()), ops
    in order, one result."""

    def __init__(self, args):
        # args: list of (name, shape, dtype)
        self.args = args
        self.types = {"%" + name: ttype(shape, dtype) for name, shape, dtype in args}
        self.lines = []
        self.count = 0

    def op(self, name, operands, result_shape, result_dtype, attrs=""):
        """Appends %vN = "vm.<name>"(operands) {attrs}; returns "%vN"."""
        return self.op_results(name, operands, [(result_shape, result_dtype)], attrs)[0]

    def op_results(self, name, operands, results, attrs=""):
        """An op of several results, each (shape, dtype); returns their
        names ("%vN" for one result, "%vN#0", "%vN#1", ... for more)."""
        base = "%%v%d" % self.count
        self.count += 1
        types = [ttype(shape, dtype) for shape, dtype in results]
        operand_types = ", ".join(self.types[o] for o in operands)
        self.lines.append('  %s%s = "vm.%s"(%s)%s : (%s) -> %s' % (
            base, ":%d" % len(types) if len(types) > 1 else "", name, ", ".join(operands),
            " {%s}" % attrs if attrs else "", operand_types,
            types[0] if len(types) == 1 else "(%s)" % ", ".join(types)))
        names = [base] if len(types) == 1 else ["%s#%d" % (base, i) for i in range(len(types))]
        for result, rtype in zip(names, types):
            self.types[result] = rtype
        return names

    def text(self, result):
        header = ", ".join("%%%s: %s" % (name, self.types["%" + name])
                           for name, _, _ in self.args)
        body = "\n".join(self.lines)
        return "func.func @main(%s) -> %s {\n%s\n  return %s : %s\n}\n" % (
            header, self.types[result], body, result, self.types[result])


def elementwise_chain(n, ops):
    """A chain of elementwise ops over three f32 vectors %a %x %y. `ops` is a
    list of (op name, second operand or None); the first operand is always
    the previous result (the first op's is %a)."""
    p = Program([("a", [n], "f32"), ("x", [n], "f32"), ("y", [n], "f32")])
    value = "%a"
    for name, other in ops:
        operands = [value] if other is None else [value, other]
        value = p.op(name, operands, [n], "f32")
    return p.text(value)


def reduce_program(shape, kind, dims):
    p = Program([("x", shape, "f32")])
    result_shape = [d for i, d in enumerate(shape) if i not in dims]
    r = p.op("reduce", ["%x"], result_shape, "f32",
             'kind = "%s", dims = array<i64: %s>' % (kind, ", ".join(map(str, dims))))
    return p.text(r)


def softmax_program(shape, dim):
    p = Program([("x", shape, "f32")])
    return p.text(p.op("softmax", ["%x"], shape, "f32", "dim = %d : i64" % dim))


def _narrow_argument(p, name, shape, dtype):
    """bf16 arguments arrive as i16 bits (.npy has no bf16) and are bitcast."""
    if dtype != "bf16":
        return "%" + name
    return p.op("bitcast", ["%" + name], shape, "bf16")


def _storage(dtype):
    return "i16" if dtype == "bf16" else dtype


def matmul_program(batch, m, k, n, in_dtype, out_dtype):
    lead = [batch] if batch else []
    a_shape, b_shape, c_shape = lead + [m, k], lead + [k, n], lead + [m, n]
    p = Program([("a", a_shape, _storage(in_dtype)), ("b", b_shape, _storage(in_dtype))])
    a = _narrow_argument(p, "a", a_shape, in_dtype)
    b = _narrow_argument(p, "b", b_shape, in_dtype)
    c = p.op("batch_matmul" if batch else "matmul", [a, b], c_shape, out_dtype)
    return p.text(c)


def conv_program(n, h, w, c, f, k, pad, dtype):
    """NHWC x HWCF, stride 1; f16 accumulates in f32 and is rounded once to
    f16 at the end (what cuDNN does)."""
    x_shape, w_shape = [n, h, w, c], [k, k, c, f]
    out_shape = [n, h + 2 * pad - k + 1, w + 2 * pad - k + 1, f]
    p = Program([("x", x_shape, dtype), ("w", w_shape, dtype)])
    acc = "f32"
    r = p.op("conv2d", ["%x", "%w"], out_shape, acc,
             "padding = array<i64: %d, %d, %d, %d>" % (pad, pad, pad, pad))
    if dtype != acc:
        r = p.op("convert", [r], out_shape, dtype)
    return p.text(r)


def mlp_program(m, k, hidden, dtype):
    """softmax(relu(x W1 + b1) W2) over rows; products accumulate in f32,
    half-precision programs round the hidden layer and the result to f16."""
    p = Program([("x", [m, k], dtype), ("w1", [k, hidden], dtype),
                 ("b1", [hidden], dtype), ("w2", [hidden, k], dtype)])
    h = p.op("matmul", ["%x", "%w1"], [m, hidden], "f32")
    b = "%b1"
    if dtype != "f32":
        b = p.op("convert", [b], [hidden], "f32")
    b = p.op("broadcast", [b], [m, hidden], "f32", "dims = array<i64: 1>")
    h = p.op("add", [h, b], [m, hidden], "f32")
    h = p.op("relu", [h], [m, hidden], "f32")
    if dtype != "f32":
        h = p.op("convert", [h], [m, hidden], dtype)
    logits = p.op("matmul", [h, "%w2"], [m, k], "f32")
    r = p.op("softmax", [logits], [m, k], "f32", "dim = 1 : i64")
    if dtype != "f32":
        r = p.op("convert", [r], [m, k], dtype)
    return p.text(r)


def take_rows_program(rows, width, count):
    """An embedding lookup: rows of an f32 table [rows, width] at `count`
    i64 indices (`vm.take` along dim 0)."""
    p = Program([("table", [rows, width], "f32"), ("indices", [count], "i64")])
    return p.text(p.op("take", ["%table", "%indices"], [count, width], "f32", "dim = 0 : i64"))


def scatter_add_rows_program(rows, width, count):
    """The embedding gradient: `count` rows of updates added into a table
    [rows, width] (`vm.scatter` kind add along dim 0, indices repeated along
    each row)."""
    p = Program([("table", [rows, width], "f32"), ("indices", [count, width], "i64"),
                 ("updates", [count, width], "f32")])
    return p.text(p.op("scatter", ["%table", "%indices", "%updates"], [rows, width], "f32",
                       'dim = 0 : i64, kind = "add"'))


def arg_max_program(shape, dim):
    p = Program([("x", shape, "f32")])
    result_shape = [d for i, d in enumerate(shape) if i != dim]
    return p.text(p.op("arg_reduce", ["%x"], result_shape, "i64",
                       'kind = "max", dim = %d : i64' % dim))


def cumsum_program(shape, dim):
    p = Program([("x", shape, "f32")])
    return p.text(p.op("scan", ["%x"], shape, "f32", 'kind = "sum", dim = %d : i64' % dim))


def topk_program(shape, k, dim):
    """The values of `vm.topk` (largest first)."""
    p = Program([("x", shape, "f32")])
    result_shape = [k if i == dim else d for i, d in enumerate(shape)]
    values, _ = p.op_results("topk", ["%x"], [(result_shape, "f32"), (result_shape, "i64")],
                             "k = %d : i64, dim = %d : i64" % (k, dim))
    return p.text(values)


def sort_program(shape, dim):
    """The values of `vm.sort` (ascending)."""
    p = Program([("x", shape, "f32")])
    values, _ = p.op_results("sort", ["%x"], [(shape, "f32"), (shape, "i64")],
                             "dim = %d : i64" % dim)
    return p.text(values)


def conv_transpose_program(n, h, w, c, f, k, stride, pad, output_padding):
    """NHWC x HWCF, square strides, padding and output padding, f32."""
    out = (h - 1) * stride - 2 * pad + k + output_padding
    out_w = (w - 1) * stride - 2 * pad + k + output_padding
    p = Program([("x", [n, h, w, c], "f32"), ("w", [k, k, c, f], "f32")])
    return p.text(p.op(
        "conv_transpose2d", ["%x", "%w"], [n, out, out_w, f], "f32",
        "strides = array<i64: %d, %d>, padding = array<i64: %d, %d, %d, %d>, "
        "output_padding = array<i64: %d, %d>" % (stride, stride, pad, pad, pad, pad,
                                                 output_padding, output_padding)))
