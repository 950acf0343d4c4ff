# vm.conv_transpose2d (contract v2): NHWC input, [KH, KW, Cin, Cout] filter.
# The reference scatters each input pixel's products to
# oh = ih * sh - pad_top + kh * dh (likewise ow), the contract's definition,
# in float64 (Python ints for integers); floats compare with the suite's
# contraction tolerance on the sum of |terms|.

import numpy as np

from cases_tensor import accum_compare, rand, to_objects, wrap_objects
from vmcase import EXACT, Case, Func, arr, builder, module, round_array, ttype


def transposed_size(size, kernel, stride, dilation, pad_before, pad_after, out_pad):
    return ((size - 1) * stride - pad_before - pad_after + dilation * (kernel - 1) + 1
            + out_pad)


def conv_transpose_ref(x, w, strides, dilations, padding, output_padding, et_out):
    n, h, wd, _ = x.shape
    kh, kw, _, co = w.shape
    pt, pb, pl, pr = padding
    oh = transposed_size(h, kh, strides[0], dilations[0], pt, pb, output_padding[0])
    ow = transposed_size(wd, kw, strides[1], dilations[1], pl, pr, output_padding[1])
    integer = x.dtype.kind in "iu"
    xs = to_objects(x) if integer else x.astype(np.float64)
    ws = to_objects(w) if integer else w.astype(np.float64)
    out = np.zeros((n, oh, ow, co), dtype=object if integer else np.float64)
    abs_out = np.zeros((n, oh, ow, co))
    for ih in range(h):
        for iw in range(wd):
            for i in range(kh):
                for j in range(kw):
                    r = ih * strides[0] - pt + i * dilations[0]
                    c = iw * strides[1] - pl + j * dilations[1]
                    if not (0 <= r < oh and 0 <= c < ow):
                        continue
                    out[:, r, c, :] = out[:, r, c, :] + np.dot(xs[:, ih, iw, :], ws[i, j])
                    if not integer:
                        abs_out[:, r, c, :] += np.dot(np.abs(xs[:, ih, iw, :]),
                                                      np.abs(ws[i, j]))
    if integer:
        return wrap_objects(out, et_out), None
    return (out if et_out == "f64" else round_array(out, et_out)), abs_out


@builder
def conv_transpose_cases():
    cases = []
    specs = [
        # name, in/out types, x, w, strides, dilations, padding, output_padding
        ("convt_1x1_f32", "f32", "f32", (1, 3, 3, 2), (1, 1, 2, 3), None, None, None, None),
        ("convt_3x3_f32", "f32", "f32", (2, 4, 5, 3), (3, 3, 3, 4), None, None, None, None),
        ("convt_stride2_f32", "f32", "f32", (1, 3, 4, 2), (3, 3, 2, 3), [2, 2], None,
         [1, 1, 1, 1], [1, 1]),
        ("convt_stride3_crop_f32", "f32", "f32", (1, 4, 3, 2), (2, 4, 2, 2), [3, 2], None,
         [3, 0, 1, 4], [2, 0]),
        ("convt_dilation2_f64", "f64", "f64", (1, 3, 3, 2), (3, 2, 2, 2), [1, 2], [2, 3],
         [0, 1, 2, 0], [1, 2]),
        ("convt_i32", "i32", "i32", (1, 3, 3, 2), (2, 2, 2, 2), [2, 2], None, None, None),
        ("convt_i8_to_i32", "i8", "i32", (2, 3, 4, 3), (3, 3, 3, 2), [2, 1], None,
         [1, 0, 0, 1], [1, 0]),
        ("convt_f16_to_f32", "f16", "f32", (1, 5, 5, 4), (3, 3, 4, 2), [2, 2], None,
         [1, 1, 1, 1], None),
        ("convt_f16", "f16", "f16", (1, 3, 3, 2), (2, 2, 2, 2), [2, 2], None, None, None),
        ("convt_one_pixel_f32", "f32", "f32", (1, 1, 1, 3), (3, 3, 3, 2), [2, 2], None,
         None, None),
        # Static sizes lower by output phases: phases no tap reaches (K < s,
        # or gcd(s, d) > 1), taps spaced s / gcd(s, d) apart reading rows
        # d / gcd(s, d) apart, outputs fewer than the stride, cropping
        # beyond the filter, and more phases than are spelled out (81).
        ("convt_s2_k4_f32", "f32", "f32", (2, 5, 6, 3), (4, 4, 3, 5), [2, 2], None,
         [1, 1, 1, 1], None),
        ("convt_s3_k2_empty_phase_f32", "f32", "f32", (1, 4, 3, 2), (2, 2, 2, 3), [3, 3],
         None, None, [2, 1]),
        ("convt_s2_d2_f32", "f32", "f32", (1, 3, 4, 2), (3, 3, 2, 2), [2, 2], [2, 2],
         [0, 1, 1, 0], [1, 1]),
        ("convt_s4_d2_f64", "f64", "f64", (1, 3, 3, 2), (3, 2, 2, 2), [4, 4], [2, 2],
         [2, 1, 0, 3], [3, 1]),
        ("convt_s2_d3_i32", "i32", "i32", (1, 3, 3, 2), (3, 3, 2, 2), [2, 3], [3, 2],
         [1, 0, 2, 1], [2, 1]),
        ("convt_output_below_stride_f32", "f32", "f32", (1, 1, 1, 2), (2, 2, 2, 2),
         [5, 5], None, None, None),
        ("convt_crop_f32", "f32", "f32", (1, 5, 5, 2), (3, 3, 2, 2), [2, 2], None,
         [4, 3, 5, 2], [1, 1]),
        ("convt_i8_s2_k4_to_i32", "i8", "i32", (1, 4, 5, 3), (4, 4, 3, 2), [2, 2], None,
         [1, 1, 1, 1], None),
        ("convt_f16_s3", "f16", "f16", (1, 3, 2, 4), (3, 3, 4, 3), [3, 3], None,
         [1, 0, 0, 1], [1, 2]),
        ("convt_many_phases_f32", "f32", "f32", (1, 2, 2, 1), (9, 9, 1, 2), [9, 9], None,
         None, None),
        ("convt_unet_f32", "f32", "f32", (2, 16, 16, 64), (3, 3, 64, 32), [2, 2], None,
         [1, 1, 1, 1], [1, 1]),
    ]
    for name, et_in, et_out, xs, ws, strides, dilations, padding, out_pad in specs:
        x, w = rand(name + "x", xs, et_in), rand(name + "w", ws, et_in)
        s, d = strides or [1, 1], dilations or [1, 1]
        p, op = padding or [0, 0, 0, 0], out_pad or [0, 0]
        expected, abs_out = conv_transpose_ref(x, w, s, d, p, op, et_out)
        attrs = [(k, arr(v)) for k, v in (("strides", strides), ("dilations", dilations),
                                          ("padding", padding), ("output_padding", out_pad))
                 if v is not None]
        f = Func()
        f.ret(f.op("conv_transpose2d", [f.arg(ttype(xs, et_in)), f.arg(ttype(ws, et_in))],
                   ttype(expected.shape, et_out), attrs))
        compare = EXACT if abs_out is None else accum_compare(et_out, abs_out)
        cases.append(Case(name, module(f), [x, w], [expected], compare))
    # Dynamic spatial sizes: the output size is computed at run time.
    x, w = rand("convt_dynamic_x", (1, 3, 4, 2), "f32"), rand("convt_dynamic_w", (3, 3, 2, 2), "f32")
    expected, abs_out = conv_transpose_ref(x, w, [2, 2], [1, 1], [1, 0, 0, 1], [1, 0], "f32")
    f = Func()
    f.ret(f.op("conv_transpose2d", [f.arg(ttype((1, None, None, 2), "f32")),
                                    f.arg(ttype((3, 3, 2, 2), "f32"))],
               ttype((1, None, None, 2), "f32"),
               [("strides", arr([2, 2])), ("padding", arr([1, 0, 0, 1])),
                ("output_padding", arr([1, 0]))]))
    cases.append(Case("convt_dynamic_f32", module(f), [x, w], [expected],
                      accum_compare("f32", abs_out)))
    # An output below one element: a verifier error when static.
    f = Func()
    f.ret(f.op("conv_transpose2d", [f.arg(ttype((1, 1, 1, 1), "f32")),
                                    f.arg(ttype((1, 1, 1, 1), "f32"))],
               ttype((1, 1, 1, 1), "f32"), [("padding", arr([1, 1, 0, 0]))]))
    cases.append(Case("bad_convt_empty_output", module(f),
                      [np.ones((1, 1, 1, 1), np.float32), np.ones((1, 1, 1, 1), np.float32)],
                      expect_error="program"))
    return cases
