#!/usr/bin/env python3
"""What cuBLASLt's bias and relu epilogues do with NaN, -0 and f16 output.

The contract keeps NaN through relu (`relu(NaN) = NaN`, `relu(-0) = +0`)
and rounds a bias added to an f32 product once in f32 before any
narrowing. Before vmgpu's library strategy may hand a bias or relu to
cuBLASLt (CUBLASLT_EPILOGUE_BIAS / RELU_BIAS), this checks on the GPU
machine, with CUDA's own libcublasLt through ctypes and PyTorch for the
memory, what those epilogues give for NaN, -0, ties and f32 vs f16
bias vectors:

    python3 benchmarks/device/cublaslt_epilogue_nan.py

Prints one line per case: the epilogue, the output and bias types,
whether cuBLASLt accepted it, and how its result compares with the
contract's (computed with PyTorch from the same f32 product).
"""
import ctypes
import glob
import sys

import torch

# cublasLt.h and library_types.h values.
COMPUTE_32F = 68
R_32F, R_16F = 0, 2
DESC_TRANSA, DESC_TRANSB, DESC_EPILOGUE, DESC_BIAS_POINTER = 3, 4, 7, 8
DESC_BIAS_DATA_TYPE = 26
EPILOGUE_DEFAULT, EPILOGUE_RELU, EPILOGUE_BIAS, EPILOGUE_RELU_BIAS = 1, 2, 4, 6
OP_N, OP_T = 0, 1
PREF_MAX_WORKSPACE = 1


def load():
    names = sorted(glob.glob("/usr/local/cuda/lib64/libcublasLt.so*")) + ["libcublasLt.so"]
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    sys.exit("no libcublasLt")


lt = load()
vp = ctypes.c_void_p


def check(status, what):
    if status != 0:
        raise RuntimeError("%s: status %d" % (what, status))


def set_attr(desc, attr, value):
    v = ctypes.c_int32(value) if isinstance(value, int) else value
    check(lt.cublasLtMatmulDescSetAttribute(desc, attr, ctypes.byref(v), ctypes.sizeof(v)), "attr %d" % attr)


def gemm(handle, a, b, out_dtype, epilogue, bias):
    """Row-major out[m, n] = a[m, k] @ b[k, n] (+ bias[n]) through the
    column-major identity out^T = b^T a^T, so the bias is per row of D."""
    m, k = a.shape
    n = b.shape[1]
    out = torch.empty((m, n), dtype=out_dtype, device="cuda")
    desc = vp()
    check(lt.cublasLtMatmulDescCreate(ctypes.byref(desc), COMPUTE_32F, R_32F), "desc")
    set_attr(desc, DESC_TRANSA, OP_N)
    set_attr(desc, DESC_TRANSB, OP_N)
    set_attr(desc, DESC_EPILOGUE, epilogue)
    if bias is not None:
        set_attr(desc, DESC_BIAS_POINTER, ctypes.c_void_p(bias.data_ptr()))
        set_attr(desc, DESC_BIAS_DATA_TYPE, R_32F if bias.dtype == torch.float32 else R_16F)
    in_type = R_16F if a.dtype == torch.float16 else R_32F
    out_type = R_16F if out_dtype == torch.float16 else R_32F
    la, lb, ld = vp(), vp(), vp()
    check(lt.cublasLtMatrixLayoutCreate(ctypes.byref(la), in_type, ctypes.c_uint64(n), ctypes.c_uint64(k), ctypes.c_int64(n)), "layout b")
    check(lt.cublasLtMatrixLayoutCreate(ctypes.byref(lb), in_type, ctypes.c_uint64(k), ctypes.c_uint64(m), ctypes.c_int64(k)), "layout a")
    check(lt.cublasLtMatrixLayoutCreate(ctypes.byref(ld), out_type, ctypes.c_uint64(n), ctypes.c_uint64(m), ctypes.c_int64(n)), "layout d")
    pref = vp()
    check(lt.cublasLtMatmulPreferenceCreate(ctypes.byref(pref)), "pref")
    workspace = torch.empty(32 << 20, dtype=torch.uint8, device="cuda")
    size = ctypes.c_uint64(workspace.numel())
    check(lt.cublasLtMatmulPreferenceSetAttribute(pref, PREF_MAX_WORKSPACE, ctypes.byref(size), 8), "pref attr")
    results = (ctypes.c_char * 96 * 4)()  # cublasLtMatmulHeuristicResult_t is 96 bytes
    count = ctypes.c_int(0)
    check(lt.cublasLtMatmulAlgoGetHeuristic(handle, desc, la, lb, ld, ld, pref, 4, ctypes.byref(results), ctypes.byref(count)), "heuristic")
    if count.value == 0:
        raise RuntimeError("no algorithm")
    alpha, beta = ctypes.c_float(1.0), ctypes.c_float(0.0)
    check(lt.cublasLtMatmul(handle, desc, ctypes.byref(alpha), vp(b.data_ptr()), la, vp(a.data_ptr()), lb,
                            ctypes.byref(beta), vp(out.data_ptr()), ld, vp(out.data_ptr()), ld,
                            ctypes.byref(results[0]), vp(workspace.data_ptr()), size, vp(0)), "matmul")
    torch.cuda.synchronize()
    return out


def same(x, y):
    """Bitwise equal but that any NaN matches any NaN."""
    nan = torch.isnan(x) & torch.isnan(y)
    xb = x.view(torch.int16 if x.dtype == torch.float16 else torch.int32)
    yb = y.view(torch.int16 if y.dtype == torch.float16 else torch.int32)
    return bool(((xb == yb) | nan).all())


def main():
    handle = vp()
    check(lt.cublasLtCreate(ctypes.byref(handle)), "create")
    torch.manual_seed(0)
    m, k, n = 256, 64, 256
    for in_dtype in (torch.float16, torch.float32):
        # Small integers and eighths: every product and partial sum is
        # exact in f32, so any accumulation order gives the same product
        # and only the epilogue's rounding can differ.
        a = torch.randint(-4, 5, (m, k), device="cuda").float().to(in_dtype)
        b = (torch.randint(-4, 5, (k, n), device="cuda").float() / 8).to(in_dtype)
        a[3, 5] = float("nan")          # row 3 of the product is NaN
        a[7, :] = 0                     # row 7 is +0 (bias decides)
        a[9, :] = -0.0                  # and -0 products
        b[:, 11] = -1.0 / 1024          # column 11 small negatives
        bias16 = (torch.randn(n, device="cuda") * 0.1).to(torch.float16)
        bias16[13] = float("nan")
        bias16[17] = -0.0
        plain = gemm(handle, a, b, torch.float32, EPILOGUE_DEFAULT, None)
        for out_dtype in (torch.float32, torch.float16):
            for bias in (bias16, bias16.float()):
                for epilogue, name in ((EPILOGUE_BIAS, "BIAS"), (EPILOGUE_RELU_BIAS, "RELU_BIAS")):
                    label = "in %s out %s bias %s %s" % (str(in_dtype)[6:], str(out_dtype)[6:], str(bias.dtype)[6:], name)
                    try:
                        got = gemm(handle, a, b, out_dtype, epilogue, bias)
                    except RuntimeError as error:
                        print("%-44s refused: %s" % (label, error))
                        continue
                    # The contract from cuBLASLt's own f32 product: add in f32,
                    # relu keeping NaN with relu(-0) = +0, then round once.
                    want = plain + bias.float()
                    if epilogue == EPILOGUE_RELU_BIAS:
                        want = torch.where(torch.isnan(want), want, torch.clamp_min(want, 0.0) + 0.0)
                    want = want.to(out_dtype)
                    nan_rows = bool(torch.isnan(got[3]).all())
                    nan_col = bool(torch.isnan(got[:, 13]).all())
                    neg_zero = int((got.float().view(torch.int32) == -2**31).sum())
                    print("%-44s exact %-5s NaN row kept %-5s NaN bias column kept %-5s -0 results %d" % (
                        label, same(got, want), nan_rows, nan_col, neg_zero))
    print("done")


if __name__ == "__main__":
    main()
