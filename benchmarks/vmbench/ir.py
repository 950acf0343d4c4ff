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
        result = "%%v%d" % self.count
        self.count += 1
        rtype = ttype(result_shape, result_dtype)
        operand_types = ", ".join(self.types[o] for o in operands)
        self.lines.append('  %s = "vm.%s"(%s)%s : (%s) -> %s' % (
            result, name, ", ".join(operands), " {%s}" % attrs if attrs else "",
            operand_types, rtype))
        self.types[result] = rtype
        return result

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
