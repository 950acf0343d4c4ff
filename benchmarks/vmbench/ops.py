# The operations workloads are written in, once for every array library.
#
# A workload's computation is one function fn(ops, *inputs); `ops` maps it
# onto NumPy, JAX or PyTorch. Elementwise arithmetic uses the arrays' own
# operators. A `reference` ops object computes in float64 on upcast inputs
# and ignores the program's own narrowing (convert), so its result is the
# exact-math answer every system is compared with.
#
# Dtype names are the vm dialect's: f64 f32 f16 bf16 i32 i8.


class NumpyOps:
    """NumPy (the CPU peer and the CPU reference). f16/bf16 products are
    computed in f32 (NumPy has no fast half-precision matmul; bf16 arrays
    arrive as f32 values), i8 products through float64 (exact here)."""

    def __init__(self, np, reference=False):
        self.np = np
        self.reference = reference

    def relu(self, x):
        return self.np.maximum(x, x.dtype.type(0))

    def abs(self, x):
        return self.np.abs(x)

    def maximum(self, x, y):
        return self.np.maximum(x, y)

    def sum(self, x, axis=None):
        return self.np.sum(x, axis=axis)

    def max(self, x, axis=None):
        return self.np.max(x, axis=axis)

    def softmax(self, x, axis):
        np = self.np
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)

    def matmul(self, a, b, out=None):
        np = self.np
        if self.reference or a.dtype == np.float32 or a.dtype == np.float64:
            return np.matmul(a, b)
        if a.dtype == np.int8:
            return np.matmul(a.astype(np.float64), b.astype(np.float64)).astype(np.int32)
        product = np.matmul(a.astype(np.float32), b.astype(np.float32))
        return product if out == "f32" else product.astype(a.dtype)

    def conv2d(self, x, w, pad, out=None):
        """NHWC input, HWCF filter, stride 1, `pad` on every side."""
        np = self.np
        kh, kw = w.shape[0], w.shape[1]
        if not self.reference and x.dtype == np.float16:
            x, w = x.astype(np.float32), w.astype(np.float32)
        padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        windows = np.lib.stride_tricks.sliding_window_view(padded, (kh, kw), axis=(1, 2))
        # windows: N, OH, OW, C, KH, KW
        result = np.einsum("nhwckl,klcf->nhwf", windows, w, optimize=True)
        return result

    def convert(self, x, dtype):
        if self.reference:
            return x
        return x.astype({"f16": self.np.float16, "f32": self.np.float32}[dtype])

    # The contract's second round. Index inputs arrive as float64 in the
    # reference (every input is widened), so they are cast back.

    def take_rows(self, table, indices):
        return self.np.take(table, indices.astype(self.np.int64), axis=0)

    def scatter_add_rows(self, table, indices, updates):
        """table[indices[n, d], d] += updates[n, d], in row-major order."""
        np = self.np
        result = table.copy()
        rows = indices.astype(np.int64)
        columns = np.broadcast_to(np.arange(table.shape[1]), rows.shape)
        np.add.at(result, (rows, columns), updates)
        return result

    def argmax(self, x, axis):
        return self.np.argmax(x, axis=axis)

    def cumsum(self, x, axis):
        return self.np.cumsum(x, axis=axis)

    def topk(self, x, k, axis):
        """The k largest values along `axis`, largest first."""
        np = self.np
        chosen = np.take_along_axis(x, np.argpartition(-x, k - 1, axis=axis), axis=axis)
        chosen = np.take(chosen, np.arange(k), axis=axis)
        return -np.sort(-chosen, axis=axis)

    def sort(self, x, axis):
        return self.np.sort(x, axis=axis, kind="stable")

    def conv_transpose2d(self, x, w, stride, pad, output_padding):
        """NHWC input, HWCF filter: every input pixel's product with each
        filter tap added at ih * stride + kh (PyTorch's definition), then
        `pad` cropped from each side."""
        np = self.np
        n, h, wd, _ = x.shape
        kh, kw, _, f = w.shape
        full = np.zeros((n, (h - 1) * stride + kh + output_padding,
                         (wd - 1) * stride + kw + output_padding, f), dtype=x.dtype)
        for i in range(kh):
            for j in range(kw):
                full[:, i:i + (h - 1) * stride + 1:stride,
                     j:j + (wd - 1) * stride + 1:stride, :] += x @ w[i, j]
        return full[:, pad:full.shape[1] - pad, pad:full.shape[2] - pad, :]


class JaxOps:
    """jax.numpy, every product at Precision.HIGHEST (no TF32)."""

    def __init__(self, jax, jnp):
        self.jax = jax
        self.jnp = jnp
        self.highest = jax.lax.Precision.HIGHEST

    def _dtype(self, name, like):
        jnp = self.jnp
        return {"f32": jnp.float32, "i32": jnp.int32, None: like.dtype}[name]

    def relu(self, x):
        return self.jnp.maximum(x, 0)

    def abs(self, x):
        return self.jnp.abs(x)

    def maximum(self, x, y):
        return self.jnp.maximum(x, y)

    def sum(self, x, axis=None):
        return self.jnp.sum(x, axis=axis)

    def max(self, x, axis=None):
        return self.jnp.max(x, axis=axis)

    def softmax(self, x, axis):
        return self.jax.nn.softmax(x, axis=axis)

    def _precision(self, x):
        return self.highest if self.jnp.issubdtype(x.dtype, self.jnp.floating) else None

    def matmul(self, a, b, out=None):
        return self.jnp.matmul(a, b, precision=self._precision(a),
                               preferred_element_type=self._dtype(out, a))

    def conv2d(self, x, w, pad, out=None):
        return self.jax.lax.conv_general_dilated(
            x, w, (1, 1), ((pad, pad), (pad, pad)),
            dimension_numbers=("NHWC", "HWIO", "NHWC"), precision=self.highest,
            preferred_element_type=self._dtype(out, x))

    def convert(self, x, dtype):
        return x.astype({"f16": self.jnp.float16, "f32": self.jnp.float32}[dtype])

    def take_rows(self, table, indices):
        return self.jnp.take(table, indices, axis=0)

    def scatter_add_rows(self, table, indices, updates):
        columns = self.jnp.broadcast_to(self.jnp.arange(table.shape[1]), indices.shape)
        return table.at[indices, columns].add(updates)

    def argmax(self, x, axis):
        return self.jnp.argmax(x, axis=axis)

    def cumsum(self, x, axis):
        return self.jnp.cumsum(x, axis=axis)

    def topk(self, x, k, axis):
        """lax.top_k works along the last dimension."""
        return self.jax.lax.top_k(self.jnp.moveaxis(x, axis, -1), k)[0]

    def sort(self, x, axis):
        return self.jnp.sort(x, axis=axis, stable=True)


class TorchOps:
    """PyTorch (eager, torch.compile, the GPU reference). f16/bf16 products
    with an f32 result use cuBLAS's f32 output (out_dtype) where this
    PyTorch has it, else the half-precision result widened."""

    def __init__(self, torch, reference=False):
        self.torch = torch
        self.reference = reference
        self.out_dtype_ok = True

    def relu(self, x):
        return self.torch.relu(x)

    def abs(self, x):
        return self.torch.abs(x)

    def maximum(self, x, y):
        return self.torch.maximum(x, y)

    def sum(self, x, axis=None):
        return x.sum() if axis is None else x.sum(dim=axis)

    def max(self, x, axis=None):
        return x.max() if axis is None else x.amax(dim=axis)

    def softmax(self, x, axis):
        return self.torch.softmax(x, dim=axis)

    def matmul(self, a, b, out=None):
        torch = self.torch
        if self.reference:
            return torch.matmul(a, b)
        if a.dtype == torch.int8:
            return torch._int_mm(a, b)
        if out == "f32" and a.dtype in (torch.float16, torch.bfloat16):
            if self.out_dtype_ok:
                mm = torch.bmm if a.dim() == 3 else torch.mm
                try:
                    return mm(a, b, out_dtype=torch.float32)
                except (TypeError, RuntimeError):
                    self.out_dtype_ok = False
            return torch.matmul(a, b).float()
        return torch.matmul(a, b)

    def conv2d(self, x, w, pad, out=None):
        """NHWC input and HWCF filter as views in the layout cuDNN calls
        channels-last; the result is an NHWC view. Half-precision inputs
        give a half-precision result (cuDNN accumulates in f32)."""
        nchw = x.permute(0, 3, 1, 2)
        oihw = w.permute(3, 2, 0, 1).contiguous(memory_format=self.torch.channels_last)
        result = self.torch.nn.functional.conv2d(nchw, oihw, padding=pad)
        return result.permute(0, 2, 3, 1)

    def convert(self, x, dtype):
        if self.reference:
            return x
        return x.to({"f16": self.torch.float16, "f32": self.torch.float32}[dtype])

    def take_rows(self, table, indices):
        return self.torch.index_select(table, 0, indices.long())

    def scatter_add_rows(self, table, indices, updates):
        """With PyTorch's deterministic algorithms (a sort by target instead
        of float atomics in any order), as vmgpu's scatter is."""
        torch = self.torch
        previous = torch.are_deterministic_algorithms_enabled()
        torch.use_deterministic_algorithms(True)
        try:
            return table.scatter_add(0, indices.long(), updates)
        finally:
            torch.use_deterministic_algorithms(previous)

    def argmax(self, x, axis):
        return self.torch.argmax(x, dim=axis)

    def cumsum(self, x, axis):
        return self.torch.cumsum(x, dim=axis)

    def topk(self, x, k, axis):
        return self.torch.topk(x, k, dim=axis).values

    def sort(self, x, axis):
        return self.torch.sort(x, dim=axis, stable=True).values

    def conv_transpose2d(self, x, w, stride, pad, output_padding):
        """NHWC input and HWCF filter as the NCHW / (Cin, Cout, KH, KW)
        views PyTorch takes; the result is an NHWC view."""
        y = self.torch.nn.functional.conv_transpose2d(
            x.permute(0, 3, 1, 2), w.permute(2, 3, 0, 1), stride=stride, padding=pad,
            output_padding=output_padding)
        return y.permute(0, 2, 3, 1)
