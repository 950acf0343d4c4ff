# The workloads of issue 14: what each computes (one function over `ops`,
# see ops.py), its vm program, its seeded inputs, the bytes and operations
# that give GB/s and TFLOP/s, and the relative-error bound it is held to.
#
# Two scales: "h200" (the sizes) and "cpu" (the same workloads made
# smaller for a 2-core machine without a GPU; the names carry the sizes).

import zlib
import dataclasses
from dataclasses import dataclass, field
from typing import Callable, List, Optional

import numpy as np

from . import ir

# gemm-half: the f16/bf16 products (the GEMMs with torch.compile run past
# ten minutes in one group on the GPU machine).
# contract-v2: the second round's indexing, arg-reduction, scan and order ops
# against their PyTorch equivalents (issue 19).
GROUPS = ["elementwise", "reduction", "gemm", "gemm-half", "conv", "mlp", "dispatch",
          "transfer", "compile", "contract-v2"]

# Bytes of a stored element, by vm dtype.
ITEMSIZE = {"f64": 8, "f32": 4, "f16": 2, "bf16": 2, "i64": 8, "i32": 4, "i16": 2, "i8": 1}


@dataclass
class Workload:
    name: str
    group: str
    shape: str
    dtype: str
    # "memory" (GB/s; a vector workload for the promise), "compute" (TFLOP/s;
    # a matrix workload), "dispatch" or "transfer".
    kind: str
    ir: str
    # The vm dtype of each input ("bf16" inputs are stored as uint16 bits).
    arg_types: List[str]
    make_inputs: Callable[[np.random.Generator], List[np.ndarray]]
    fn: Callable
    bytes: int
    flops: int
    # The bound on ||result - exact|| / ||exact|| (norm-wise, float64); 0 for
    # exact results. The end-to-end suite's tolerances (test/e2e: f32
    # accumulations 1e-4, f16 1e-2, elementwise f32 within an FMA's
    # rounding). Printed beside each error, never asserted.
    tolerance: float
    # A Triton kernel for it (triton_kernels.KERNELS), if one is natural.
    triton: Optional[str] = None
    # How the PyTorch eager figure is labelled: cuBLAS / cuDNN for a single
    # library call, else torch-eager.
    eager_label: str = "torch-eager"
    # vm-gpu-bench settings: timed runs and the seconds they may take.
    runs: int = 20
    max_seconds: float = 3.0
    note: str = ""
    quick: bool = False
    # Systems measured besides vmgpu (a subset of every peer available).
    peers: List[str] = field(default_factory=lambda: [
        "torch-eager", "torch-compile", "triton", "jax", "copy", "numpy"])
    # Extra vm-gpu-compile arguments of the artifact (the `_lib` variants:
    # --contraction-strategy=library).
    compile_flags: List[str] = field(default_factory=list)

    @property
    def seed(self):
        return zlib.crc32(self.name.encode())

    def inputs(self):
        return self.make_inputs(np.random.default_rng(self.seed))


# --- inputs ----------------------------------------------------------------


def normal(shape, dtype="f32", scale=1.0):
    def make(rng):
        values = rng.standard_normal(shape, dtype=np.float32)
        if scale != 1.0:
            values *= np.float32(scale)
        return to_storage(values, dtype)
    return make


def uniform01(shape):
    return lambda rng: rng.random(shape, dtype=np.float32)


def small_ints(shape):
    return lambda rng: rng.integers(-100, 101, size=shape, dtype=np.int8)


def to_storage(values, dtype):
    """f32 values as the .npy array of a vm dtype (bf16: rounded to nearest
    even, stored as uint16 bits)."""
    if dtype == "f32":
        return values
    if dtype == "f16":
        return values.astype(np.float16)
    if dtype == "bf16":
        bits = values.astype(np.float32).view(np.uint32)
        rounded = bits + np.uint32(0x7FFF) + ((bits >> np.uint32(16)) & np.uint32(1))
        return (rounded >> np.uint32(16)).astype(np.uint16)
    raise ValueError(dtype)


def bf16_to_f32(bits):
    return (bits.astype(np.uint32) << np.uint32(16)).view(np.float32)


def joined(*makers):
    return lambda rng: [make(rng) for make in makers]


# --- computations (fn(ops, *inputs)) ----------------------------------------


def axpy_relu(ops, a, x, y):
    return ops.relu(a * x + y)


# The 10-op chain: mul, add, relu, mul, sub, abs, add, max, mul, neg.
CHAIN_OPS = [("mul", "%x"), ("add", "%y"), ("relu", None), ("mul", "%a"), ("sub", "%x"),
             ("abs", None), ("add", "%y"), ("max", "%a"), ("mul", "%x"), ("neg", None)]


def chain10(ops, a, x, y):
    t = ops.relu(a * x + y)
    t = ops.abs(t * a - x)
    return -(ops.maximum(t + y, a) * x)


def dispatch_block(ops, x, y):
    return (x + y) * x


# --- the registry ------------------------------------------------------------

SCALES = {
    # The sizes.
    "h200": dict(vector=[26, 28], full=28, matrix=8192, gemm=[1024, 4096, 8192], int8=4096,
                 batch=(64, 512, 512, 512), conv=(32, 56, 56, 64, 64),
                 mlp=(4096, 1024, 4096), transfer=256 << 20,
                 # take (rows, width, count), scatter (rows, width, count),
                 # argmax/cumsum rows, sort/topk rows, conv_transpose2d
                 # (N, H, W, Cin, Cout).
                 v2=dict(take=(65536, 512, 65536), scatter=(8192, 256, 32768), rows=8192,
                         order=4096, convt=(8, 32, 32, 128, 64))),
    # A 2-core CPU: vectors 16x smaller, matrices 4-8x smaller per side.
    "cpu": dict(vector=[22, 24], full=24, matrix=2048, gemm=[256, 512, 1024], int8=512,
                batch=(8, 256, 256, 256), conv=(4, 56, 56, 64, 64),
                mlp=(256, 1024, 4096), transfer=None,
                v2=dict(take=(16384, 256, 16384), scatter=(2048, 128, 8192), rows=2048,
                        order=1024, convt=(2, 16, 16, 64, 32))),
    # Seconds in all: the driver's own test (test/Benchmarks).
    "tiny": dict(vector=[10, 12], full=12, matrix=64, gemm=[32, 64, 128], int8=64,
                 batch=(2, 32, 32, 32), conv=(1, 8, 8, 4, 4), mlp=(16, 32, 64),
                 transfer=1 << 20,
                 v2=dict(take=(64, 16, 32), scatter=(16, 8, 40), rows=64, order=64,
                         convt=(1, 4, 4, 4, 4))),
}

# Sizes of the compile group: compile time hardly depends on them, and each
# vm-gpu-run process also runs the block once (on the CPU at vmgpu's
# current speed), so they are small.
COMPILE_SIZES = dict(vector=16, matrix=256, gemm=256, conv=(1, 16, 16, 64, 64),
                     mlp=(64, 256, 1024))


def _elementwise(scale):
    out = []
    for i, log2 in enumerate(scale["vector"]):
        n = 1 << log2
        args = joined(normal(n), normal(n), normal(n))
        out.append(Workload(
            "axpy_relu_f32_2^%d" % log2, "elementwise", "2^%d" % log2, "f32", "memory",
            ir.elementwise_chain(n, [("mul", "%x"), ("add", "%y"), ("relu", None)]),
            ["f32"] * 3, args, axpy_relu, 16 * n, 0, 1e-6, triton="axpy_relu",
            quick=i == 0))
        out.append(Workload(
            "chain10_f32_2^%d" % log2, "elementwise", "2^%d" % log2, "f32", "memory",
            ir.elementwise_chain(n, CHAIN_OPS), ["f32"] * 3, args, chain10, 16 * n, 0, 1e-6,
            triton="chain10"))
    return out


def _reductions(scale):
    n = 1 << scale["full"]
    r = scale["matrix"]
    out = []
    for kind, fn in (("sum", lambda ops, x: ops.sum(x)), ("max", lambda ops, x: ops.max(x))):
        out.append(Workload(
            "%s_f32_2^%d" % (kind, scale["full"]), "reduction", "2^%d" % scale["full"], "f32",
            "memory", ir.reduce_program([n], kind, [0]), ["f32"], joined(uniform01(n)), fn,
            4 * n + 4, 0, 1e-4 if kind == "sum" else 0.0, quick=kind == "sum",
            peers=["torch-eager", "torch-compile", "jax", "copy", "numpy"],
            note="inputs uniform in [0, 1)"))
    for axis, label in ((1, "row"), (0, "column")):
        out.append(Workload(
            "%s_sums_f32_%dx%d" % (label, r, r), "reduction", "%dx%d" % (r, r), "f32", "memory",
            ir.reduce_program([r, r], "sum", [axis]), ["f32"], joined(uniform01((r, r))),
            (lambda a: lambda ops, x: ops.sum(x, axis=a))(axis), 4 * r * r + 4 * r, 0, 1e-4,
            peers=["torch-eager", "torch-compile", "jax", "copy", "numpy"],
            note="inputs uniform in [0, 1)"))
    out.append(Workload(
        "softmax_rows_f32_%dx%d" % (r, r), "reduction", "%dx%d" % (r, r), "f32", "memory",
        ir.softmax_program([r, r], 1), ["f32"], joined(normal((r, r))),
        lambda ops, x: ops.softmax(x, axis=1), 8 * r * r, 0, 1e-4, triton="softmax_rows",
        quick=True))
    return out


def _gemm(scale):
    out = []
    sizes = scale["gemm"]
    middle = sizes[1]
    for dtype in ("f32", "f16", "bf16"):
        for n in sizes:
            in_bytes = ITEMSIZE[dtype]
            out.append(Workload(
                "gemm_%s_%d" % (dtype, n), "gemm" if dtype == "f32" else "gemm-half",
                "%dx%dx%d" % (n, n, n), dtype, "compute",
                ir.matmul_program(None, n, n, n, dtype, "f32"), [dtype, dtype],
                joined(normal((n, n), dtype), normal((n, n), dtype)),
                lambda ops, a, b: ops.matmul(a, b, out="f32"),
                2 * n * n * in_bytes + 4 * n * n, 2 * n ** 3, 1e-4, triton="gemm",
                eager_label="cublas", runs=10, max_seconds=5.0,
                quick=n == middle and dtype in ("f32", "f16"),
                note="" if dtype == "f32" else "%s inputs, f32 result" % dtype))
    n = scale["int8"]
    out.append(Workload(
        "gemm_i8_%d" % n, "gemm", "%dx%dx%d" % (n, n, n), "i8", "compute",
        ir.matmul_program(None, n, n, n, "i8", "i32"), ["i8", "i8"],
        joined(small_ints((n, n)), small_ints((n, n))),
        lambda ops, a, b: ops.matmul(a, b, out="i32"), 2 * n * n + 4 * n * n, 2 * n ** 3, 0.0,
        eager_label="cublas", runs=10, max_seconds=5.0,
        peers=["torch-eager", "torch-compile", "jax", "numpy"],
        note="i8 inputs, i32 result (torch._int_mm; numpy through f64, exact)"))
    b, m, k, n = scale["batch"]
    out.append(Workload(
        "batch_matmul_f16_%dx%dx%dx%d" % (b, m, k, n), "gemm-half", "%dx%dx%dx%d" % (b, m, k, n),
        "f16", "compute", ir.matmul_program(b, m, k, n, "f16", "f32"), ["f16", "f16"],
        joined(normal((b, m, k), "f16"), normal((b, k, n), "f16")),
        lambda ops, a, c: ops.matmul(a, c, out="f32"),
        2 * b * (m * k + k * n) + 4 * b * m * n, 2 * b * m * n * k, 1e-4,
        eager_label="cublas", runs=10, max_seconds=5.0,
        peers=["torch-eager", "torch-compile", "jax", "numpy"],
        note="f16 inputs, f32 result"))
    return out


def _conv_workload(sizes, dtype, group, quick=False):
    n, h, w, c, f = sizes
    k, pad = 3, 1
    tolerance = 1e-4 if dtype == "f32" else 1e-2
    return Workload(
        "conv2d_%s_%dx%dx%dx%d_3x3x%d" % (dtype, n, h, w, c, f), group,
        "%dx%dx%dx%d * 3x3x%dx%d" % (n, h, w, c, c, f), dtype, "compute",
        ir.conv_program(n, h, w, c, f, k, pad, dtype), [dtype, dtype],
        joined(normal((n, h, w, c), dtype), normal((k, k, c, f), dtype, scale=1 / 24.0)),
        lambda ops, x, wt: ops.convert(ops.conv2d(x, wt, 1, out="f32"), dtype),
        ITEMSIZE[dtype] * (n * h * w * c + k * k * c * f + n * h * w * f),
        2 * n * h * w * f * k * k * c, tolerance, eager_label="cudnn", runs=10,
        max_seconds=5.0, quick=quick,
        peers=["torch-eager", "torch-compile", "jax", "numpy"],
        note="NHWC, stride 1, pad 1" + ("" if dtype == "f32" else "; f32 accumulation"))


def _mlp_workload(sizes, dtype, group, quick=False):
    m, k, hidden = sizes
    tolerance = 1e-4 if dtype == "f32" else 1e-2

    def mlp(ops, x, w1, b1, w2):
        h = ops.relu(ops.matmul(x, w1, out="f32") + ops.convert(b1, "f32"))
        logits = ops.matmul(ops.convert(h, dtype), w2, out="f32")
        return ops.convert(ops.softmax(logits, axis=1), dtype)

    size = ITEMSIZE[dtype]
    return Workload(
        "mlp_%s_%dx%dx%d" % (dtype, m, k, hidden), group, "x %dx%d, W1 %dx%d, W2 %dx%d" % (
            m, k, k, hidden, hidden, k), dtype, "compute",
        ir.mlp_program(m, k, hidden, dtype), [dtype] * 4,
        joined(normal((m, k), dtype), normal((k, hidden), dtype, scale=k ** -0.5),
               normal((hidden,), dtype, scale=0.1), normal((hidden, k), dtype, scale=hidden ** -0.5)),
        mlp, size * (m * k + 2 * k * hidden + hidden + m * k), 4 * m * k * hidden, tolerance,
        runs=10, max_seconds=5.0, quick=quick,
        peers=["torch-eager", "torch-compile", "jax", "numpy"],
        note="softmax(relu(x W1 + b1) W2) over rows" +
        ("" if dtype == "f32" else "; f32 accumulation, hidden layer rounded to f16"))


def _dispatch():
    n = 1024
    p = ir.Program([("x", [n], "f32"), ("y", [n], "f32")])
    r = p.op("mul", [p.op("add", ["%x", "%y"], [n], "f32"), "%x"], [n], "f32")
    return Workload(
        "dispatch_2op_f32_1024", "dispatch", "1024", "f32", "dispatch", p.text(r),
        ["f32", "f32"], joined(normal(n), normal(n)), dispatch_block, 12 * n, 0, 1e-6,
        triton="dispatch", runs=10000, max_seconds=60.0, quick=True,
        peers=["torch-eager", "torch-compile", "triton", "jax", "numpy"],
        note="(x + y) * x, 10,000 blocks back to back")


def _dispatch_mlp():
    """A small MLP as a JIT runs one per step: several kernels per block
    (GEMMs, the softmax's reductions), so launches and host code dominate;
    what graph replay (vm-gpu-bench --graphs) is for."""
    w = _mlp_workload((64, 64, 64), "f32", "dispatch", quick=True)
    w.name = "dispatch_mlp_f32_64x64x64"
    w.kind = "dispatch"
    w.runs, w.max_seconds = 10000, 60.0
    w.peers = ["torch-eager", "torch-compile", "jax", "numpy"]
    w.note = ("softmax(relu(x W1 + b1) W2) over rows, 64x64x64: several kernels per "
              "block, 10,000 blocks back to back")
    return w


def _transfer(scale):
    size = scale["transfer"]
    if not size:
        return []
    n = size // 4
    p = ir.Program([("x", [n], "f32")])
    return [Workload(
        "transfer_%dMiB" % (size >> 20), "transfer", "%d MiB" % (size >> 20), "f32", "transfer",
        p.text(p.op("neg", ["%x"], [n], "f32")), ["f32"], joined(normal(n)),
        lambda ops, x: -x, 2 * size, 0, 0.0, runs=10, quick=True,
        peers=["copy"],
        note="host<->device; vmgpu: its staging copies (pageable) of a vm.neg block")]


def _compile_group():
    s = COMPILE_SIZES
    n = 1 << s["vector"]
    r = s["matrix"]
    g = s["gemm"]
    common = dict(peers=["torch-compile", "triton", "jax"])
    return [
        Workload("compile_axpy_relu_f32_2^%d" % s["vector"], "compile", "2^%d" % s["vector"],
                 "f32", "memory",
                 ir.elementwise_chain(n, [("mul", "%x"), ("add", "%y"), ("relu", None)]),
                 ["f32"] * 3, joined(normal(n), normal(n), normal(n)), axpy_relu, 16 * n, 0,
                 1e-6, triton="axpy_relu", quick=True, **common),
        Workload("compile_softmax_rows_f32_%dx%d" % (r, r), "compile", "%dx%d" % (r, r), "f32",
                 "memory", ir.softmax_program([r, r], 1), ["f32"], joined(normal((r, r))),
                 lambda ops, x: ops.softmax(x, axis=1), 8 * r * r, 0, 1e-4,
                 triton="softmax_rows", **common),
        Workload("compile_gemm_f32_%d" % g, "compile", "%dx%dx%d" % (g, g, g), "f32", "compute",
                 ir.matmul_program(None, g, g, g, "f32", "f32"), ["f32", "f32"],
                 joined(normal((g, g)), normal((g, g))),
                 lambda ops, a, b: ops.matmul(a, b, out="f32"), 12 * g * g, 2 * g ** 3, 1e-4,
                 triton="gemm", **common),
        _rename(_conv_workload(s["conv"], "f32", "compile"), "compile_", dict(
            peers=["torch-compile", "jax"])),
        _rename(_mlp_workload(s["mlp"], "f32", "compile"), "compile_", dict(
            peers=["torch-compile", "jax"])),
    ]


def indices(count, limit, width=None):
    """`count` i64 indices uniform in [0, limit); with `width`, each repeated
    along a row of that width (the scatter's [count, width] indices)."""
    def make(rng):
        chosen = rng.integers(0, limit, size=count, dtype=np.int64)
        if width is None:
            return chosen
        return np.ascontiguousarray(np.broadcast_to(chosen[:, None], (count, width)))
    return make


def zeros(shape):
    return lambda rng: np.zeros(shape, dtype=np.float32)


def _contract_v2(scale):
    v2 = scale["v2"]
    common = dict(peers=["torch-eager", "torch-compile", "jax", "numpy"], runs=10,
                  max_seconds=5.0)
    rows, width, count = v2["take"]
    out = [Workload(
        "take_rows_f32_%dx%d_%d" % (rows, width, count), "contract-v2",
        "%dx%d, %d indices" % (rows, width, count), "f32", "memory",
        ir.take_rows_program(rows, width, count), ["f32", "i64"],
        joined(normal((rows, width)), indices(count, rows)),
        lambda ops, table, at: ops.take_rows(table, at), 8 * count * width + 8 * count, 0, 0.0,
        note="an embedding lookup (torch.index_select)", **common)]
    rows, width, count = v2["scatter"]
    out.append(Workload(
        "scatter_add_rows_f32_%dx%d_%d" % (rows, width, count), "contract-v2",
        "%dx%d, %d rows of updates" % (rows, width, count), "f32", "memory",
        ir.scatter_add_rows_program(rows, width, count), ["f32", "i64", "f32"],
        joined(zeros((rows, width)), indices(count, rows, width), normal((count, width))),
        lambda ops, table, at, updates: ops.scatter_add_rows(table, at, updates),
        8 * rows * width + 12 * count * width, count * width, 1e-4,
        note="an embedding gradient, duplicate targets; PyTorch with "
             "use_deterministic_algorithms(True)", **common))
    r = v2["rows"]
    out.append(Workload(
        "argmax_rows_f32_%dx%d" % (r, r), "contract-v2", "%dx%d" % (r, r), "f32", "memory",
        ir.arg_max_program([r, r], 1), ["f32"], joined(normal((r, r))),
        lambda ops, x: ops.argmax(x, axis=1), 4 * r * r + 8 * r, 0, 0.0, **common))
    out.append(Workload(
        "cumsum_rows_f32_%dx%d" % (r, r), "contract-v2", "%dx%d" % (r, r), "f32", "memory",
        ir.cumsum_program([r, r], 1), ["f32"], joined(normal((r, r))),
        lambda ops, x: ops.cumsum(x, axis=1), 8 * r * r, r * r, 1e-4, **common))
    r = v2["order"]
    top = 8
    out.append(Workload(
        "topk%d_rows_f32_%dx%d" % (top, r, r), "contract-v2", "%dx%d, k %d" % (r, r, top),
        "f32", "memory", ir.topk_program([r, r], top, 1), ["f32"], joined(normal((r, r))),
        lambda ops, x: ops.topk(x, top, axis=1), 4 * r * r + 4 * r * top, 0, 0.0,
        note="the values", **common))
    out.append(Workload(
        "sort_rows_f32_%dx%d" % (r, r), "contract-v2", "%dx%d" % (r, r), "f32", "memory",
        ir.sort_program([r, r], 1), ["f32"], joined(normal((r, r))),
        lambda ops, x: ops.sort(x, axis=1), 8 * r * r, 0, 0.0,
        note="the values, stable", **common))
    n, h, w, c, f = v2["convt"]
    k, stride, pad, extra = 3, 2, 1, 1
    oh, ow = (h - 1) * stride - 2 * pad + k + extra, (w - 1) * stride - 2 * pad + k + extra
    out.append(Workload(
        "conv_transpose2d_f32_%dx%dx%dx%d_3x3x%d_s2" % (n, h, w, c, f), "contract-v2",
        "%dx%dx%dx%d * 3x3x%dx%d, stride 2" % (n, h, w, c, c, f), "f32", "compute",
        ir.conv_transpose_program(n, h, w, c, f, k, stride, pad, extra), ["f32", "f32"],
        joined(normal((n, h, w, c)), normal((k, k, c, f), scale=1 / 24.0)),
        lambda ops, x, wt: ops.conv_transpose2d(x, wt, stride, pad, extra),
        4 * (n * h * w * c + k * k * c * f + n * oh * ow * f), 2 * n * h * w * c * k * k * f,
        1e-4, eager_label="cudnn", note="NHWC, stride 2, pad 1, output padding 1",
        peers=["torch-eager", "torch-compile", "numpy"], runs=10, max_seconds=5.0))
    return out


def _rename(workload, prefix, changes):
    workload.name = prefix + workload.name
    for key, value in changes.items():
        setattr(workload, key, value)
    return workload


def _library_variants(workloads, auto=False):
    """Each workload, then the same block compiled with the `library`
    contraction strategy (cuBLASLt calls instead of generated kernels on a
    GPU, BLAS calls for f32/f64 on the CPU) as `<name>_lib`, so one run
    reports both; the f16, bf16 and i8 ones also as `<name>_tc`, generated
    with the mma.sync tensor-core kernels (off by default, docs/gpu-path.md);
    with `auto`, also as `<name>_auto`, the choice the engine makes by
    default (`auto`: the library from 64^3 multiply-adds, but for i8 and
    implicit-GEMM convolutions), for blocks whose products it decides
    differently. The variants measure only PyTorch eager (cuBLAS) and NumPy
    (OpenBLAS, in CPU mode) again, for same-run ratios."""
    out = []
    for w in workloads:
        out.append(w)
        out.append(_variant(w, "_lib", ["--contraction-strategy=library"],
                            "GEMM library (library strategy)"))
        if w.dtype in ("f16", "bf16", "i8"):
            out.append(_variant(w, "_tc", ["--contraction-strategy=generated",
                                           "--tensor-cores"],
                                "generated mma.sync tensor-core kernels"))
        if auto:
            out.append(_variant(w, "_auto", ["--contraction-strategy=auto"],
                                "the engine's default choice (auto strategy)"))
    return out


def _variant(w, suffix, flags, what):
    """`w` compiled with `flags` as `<name><suffix>`, measured again only
    against PyTorch eager and NumPy, for same-run ratios."""
    return dataclasses.replace(
        w, name=w.name + suffix, compile_flags=flags,
        note=(w.note + "; " if w.note else "") + what,
        peers=[p for p in w.peers if p in ("torch-eager", "numpy")])


def workloads(scale_name):
    """Every workload at a scale, in group order."""
    scale = SCALES[scale_name]
    out = _elementwise(scale) + _reductions(scale) + _library_variants(_gemm(scale))
    out += _library_variants([_conv_workload(scale["conv"], "f32", "conv"),
                              _conv_workload(scale["conv"], "f16", "conv", quick=True)],
                             auto=True)
    out += _library_variants([_mlp_workload(scale["mlp"], "f32", "mlp"),
                              _mlp_workload(scale["mlp"], "f16", "mlp", quick=True)],
                             auto=True)
    out += [_dispatch(), _dispatch_mlp()] + _transfer(scale) + _compile_group() + _contract_v2(scale)
    return out


def select(scale_name, groups=None, quick=False, pattern=None):
    """The workloads of `groups` (all when None), only the quick ones with
    `quick`, only names matching the regular expression `pattern`."""
    import re
    chosen = []
    for w in workloads(scale_name):
        if groups and w.group not in groups:
            continue
        if quick and not w.quick:
            continue
        if pattern and not re.search(pattern, w.name):
            continue
        chosen.append(w)
    return chosen
