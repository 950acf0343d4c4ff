# Triton kernels for the workloads where one is natural (elementwise,
# softmax, GEMM, the dispatch block). Imported only where Triton and a GPU
# are present. Each entry of KERNELS takes the workload's torch inputs and
# returns a function that runs the kernel once (allocating its result).

import torch
import triton
import triton.language as tl


@triton.jit
def _axpy_relu(a, x, y, out, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    va = tl.load(a + offs, mask=mask)
    vx = tl.load(x + offs, mask=mask)
    vy = tl.load(y + offs, mask=mask)
    tl.store(out + offs, tl.maximum(va * vx + vy, 0.0), mask=mask)


@triton.jit
def _chain10(a, x, y, out, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    va = tl.load(a + offs, mask=mask)
    vx = tl.load(x + offs, mask=mask)
    vy = tl.load(y + offs, mask=mask)
    t = tl.maximum(va * vx + vy, 0.0)
    t = tl.abs(t * va - vx)
    t = tl.maximum(t + vy, va) * vx
    tl.store(out + offs, -t, mask=mask)


@triton.jit
def _dispatch(x, y, out, n, BLOCK: tl.constexpr):
    offs = tl.program_id(0) * BLOCK + tl.arange(0, BLOCK)
    mask = offs < n
    vx = tl.load(x + offs, mask=mask)
    vy = tl.load(y + offs, mask=mask)
    tl.store(out + offs, (vx + vy) * vx, mask=mask)


@triton.jit
def _softmax_rows(x, out, cols, stride, BLOCK: tl.constexpr):
    # One program per row, the whole row in registers.
    row = tl.program_id(0).to(tl.int64)
    offs = tl.arange(0, BLOCK)
    mask = offs < cols
    v = tl.load(x + row * stride + offs, mask=mask, other=-float("inf"))
    e = tl.exp(v - tl.max(v, axis=0))
    tl.store(out + row * stride + offs, e / tl.sum(e, axis=0), mask=mask)


@triton.jit
def _gemm(a, b, c, M, N, K, sam, sak, sbk, sbn, scm, scn, BM: tl.constexpr,
          BN: tl.constexpr, BK: tl.constexpr, GROUP: tl.constexpr, IEEE: tl.constexpr):
    # Tiles in groups of GROUP row-blocks, so neighbouring programs share
    # their B columns in L2.
    pid = tl.program_id(0)
    blocks_m = tl.cdiv(M, BM)
    blocks_n = tl.cdiv(N, BN)
    per_group = GROUP * blocks_n
    first_m = (pid // per_group) * GROUP
    rows_in_group = tl.minimum(blocks_m - first_m, GROUP)
    pm = first_m + (pid % per_group) % rows_in_group
    pn = (pid % per_group) // rows_in_group
    rm = pm * BM + tl.arange(0, BM)
    rn = pn * BN + tl.arange(0, BN)
    rk = tl.arange(0, BK)
    acc = tl.zeros((BM, BN), dtype=tl.float32)
    for k0 in range(0, K, BK):
        kk = k0 + rk
        av = tl.load(a + rm[:, None] * sam + kk[None, :] * sak,
                     mask=(rm[:, None] < M) & (kk[None, :] < K), other=0.0)
        bv = tl.load(b + kk[:, None] * sbk + rn[None, :] * sbn,
                     mask=(kk[:, None] < K) & (rn[None, :] < N), other=0.0)
        if IEEE:
            acc = tl.dot(av, bv, acc, input_precision="ieee")
        else:
            acc = tl.dot(av, bv, acc)
    tl.store(c + rm[:, None] * scm + rn[None, :] * scn, acc,
             mask=(rm[:, None] < M) & (rn[None, :] < N))


def _elementwise(kernel, block=1024):
    def make(*inputs):
        n = inputs[0].numel()
        grid = (triton.cdiv(n, block),)

        def run():
            out = torch.empty_like(inputs[0])
            kernel[grid](*inputs, out, n, BLOCK=block)
            return out
        return run
    return make


def _softmax(x):
    rows, cols = x.shape
    block = triton.next_power_of_2(cols)
    warps = 16 if block >= 8192 else 8 if block >= 2048 else 4

    def run():
        out = torch.empty_like(x)
        _softmax_rows[(rows,)](x, out, cols, x.stride(0), BLOCK=block, num_warps=warps)
        return out
    return run


def _matmul(a, b):
    m, k = a.shape
    n = b.shape[1]
    ieee = a.dtype == torch.float32
    # Strict f32 (no TF32) runs on FFMA: smaller tiles; half precision on
    # the tensor cores.
    bm, bn, bk, warps = (64, 64, 32, 4) if ieee else (128, 128, 64, 8)
    grid = (triton.cdiv(m, bm) * triton.cdiv(n, bn),)

    def run():
        c = torch.empty((m, n), device=a.device, dtype=torch.float32)
        _gemm[grid](a, b, c, m, n, k, a.stride(0), a.stride(1), b.stride(0), b.stride(1),
                    c.stride(0), c.stride(1), BM=bm, BN=bn, BK=bk, GROUP=8, IEEE=ieee,
                    num_warps=warps, num_stages=3)
        return c
    return run


KERNELS = {
    "axpy_relu": _elementwise(_axpy_relu),
    "chain10": _elementwise(_chain10),
    "dispatch": _elementwise(_dispatch),
    "softmax_rows": _softmax,
    "gemm": _matmul,
}
