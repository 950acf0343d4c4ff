"""vmgpu and PyTorch exchange CUDA tensors through DLPack, on a GPU machine.

Skips without PyTorch or a CUDA device (so it is quiet in CI). On the GPU
machine, from the portable bundle (scripts/bundle with VMGPU_BUNDLE_TOOLS
including `libvmgpu`; docs/embedding.md):

    tar xJf vmgpu-bundle.tar.xz
    python3 -m pytest -v vmgpu/python/tests/test_torch_dlpack.py
    # or, without pytest:
    python3 vmgpu/python/tests/test_torch_dlpack.py -v

The package finds vmgpu/lib/libvmgpu.so.0 beside it. Reference values come
from PyTorch; additions of two values of the same type are compared
exactly (one correctly rounded operation on both sides).
"""

import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import vmgpu  # noqa: E402
from vmgpu import _capi  # noqa: E402

try:
    import torch
    import torch.utils.dlpack
    HAVE_CUDA = torch.cuda.is_available()
except ImportError:  # pragma: no cover - CI has no torch
    torch = None
    HAVE_CUDA = False

ADD = """
func.func @add(%a: tensor<?xT>, %b: tensor<?xT>) -> tensor<?xT> {
  %c = vm.add %a, %b : tensor<?xT>
  return %c : tensor<?xT>
}
"""

LESS = """
func.func @less(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi1> {
  %c = vm.cmp %a, %b {predicate = "lt"} : tensor<?xi32> -> tensor<?xi1>
  return %c : tensor<?xi1>
}
"""

SIZE = 1_000_003  # odd: a tail in every kernel


def data_address(tensor):
    return _capi.lib.vmgpu_tensor_get_data(tensor._live())


@unittest.skipUnless(HAVE_CUDA, "needs PyTorch with a CUDA device")
class TorchDLPack(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = vmgpu.Engine(device="cuda:0", allow_fallback=False)
        cls.add = cls.engine.compile(ADD.replace("T", "f32"), "add")
        torch.manual_seed(15)

    def test_block_runs_on_the_gpu(self):
        self.assertEqual(self.add.device, "cuda:0", self.add.fallback_reason)

    def test_torch_to_vmgpu_to_torch_without_copies(self):
        x = torch.randn(SIZE, device="cuda:0")
        y = torch.randn(SIZE, device="cuda:0")
        expected = x + y
        torch.cuda.synchronize()  # vmgpu reads the data on its own stream
        vx, vy = vmgpu.from_dlpack(x), vmgpu.from_dlpack(y)
        self.assertEqual(vx.device, "cuda:0")
        self.assertEqual(vx.shape, (SIZE,))
        self.assertEqual(data_address(vx), x.data_ptr())  # zero copy
        del x, y  # vmgpu's tensors keep PyTorch's memory alive
        (out,) = self.engine.run_device_resident(self.add, [vx, vy])
        self.assertEqual(out.device, "cuda:0")
        self.assertEqual(out.__dlpack_device__(), (2, 0))
        address = data_address(out)
        result = torch.from_dlpack(out)  # waits for vmgpu's kernels
        self.assertEqual(result.device, torch.device("cuda:0"))
        self.assertEqual(result.data_ptr(), address)  # zero copy
        self.assertTrue(torch.equal(result, expected))

    def test_legacy_capsules_both_ways(self):
        x = torch.arange(4099, device="cuda:0", dtype=torch.float32)
        torch.cuda.synchronize()
        vx = vmgpu.from_dlpack(torch.utils.dlpack.to_dlpack(x))
        (out,) = self.engine.run_device_resident(self.add, [vx, vx])
        back = torch.utils.dlpack.from_dlpack(out.__dlpack__())
        self.assertTrue(torch.equal(back, 2 * x))

    def test_chained_runs_stay_on_the_device(self):
        x = torch.randn(SIZE, device="cuda:0")
        torch.cuda.synchronize()
        before = self.engine.metrics()
        (a,) = self.engine.run_device_resident(self.add, [vmgpu.from_dlpack(x),
                                                          vmgpu.from_dlpack(x)])
        (b,) = self.engine.run_device_resident(self.add, [a, a])
        result = torch.from_dlpack(b)
        self.assertTrue(torch.equal(result, (x + x) + (x + x)))
        after = self.engine.metrics()
        self.assertEqual(after["executions.gpu"] - before["executions.gpu"], 2)
        self.assertEqual(after["fallbacks"], 0)

    def test_host_tensors_and_numpy_results(self):
        x = torch.randn(12345)  # CPU tensors: host memory over DLPack
        y = torch.randn(12345)
        (c,) = self.engine.run(self.add, [vmgpu.from_dlpack(x), y.numpy()])
        np.testing.assert_array_equal(c, (x + y).numpy())

    def test_half_types(self):
        for spelling, dtype in [("f16", torch.float16), ("bf16", torch.bfloat16)]:
            with self.subTest(type=spelling):
                block = self.engine.compile(ADD.replace("T", spelling), "add")
                self.assertEqual(block.device, "cuda:0", block.fallback_reason)
                x = torch.randn(4097, device="cuda:0").to(dtype)
                y = torch.randn(4097, device="cuda:0").to(dtype)
                torch.cuda.synchronize()
                (out,) = self.engine.run_device_resident(
                    block, [vmgpu.from_dlpack(x), vmgpu.from_dlpack(y)])
                result = torch.from_dlpack(out)
                self.assertEqual(result.dtype, dtype)
                self.assertTrue(torch.equal(result, x + y))

    def test_booleans_as_uint8(self):
        block = self.engine.compile(LESS, "less")
        a = torch.randint(-9, 9, (70001,), device="cuda:0", dtype=torch.int32)
        b = torch.randint(-9, 9, (70001,), device="cuda:0", dtype=torch.int32)
        torch.cuda.synchronize()
        (out,) = self.engine.run_device_resident(
            block, [vmgpu.from_dlpack(a), vmgpu.from_dlpack(b)])
        self.assertEqual(out.element_type, "i1")
        result = torch.from_dlpack(out)  # i1 travels as uint8 0/1
        self.assertEqual(result.dtype, torch.uint8)
        self.assertTrue(torch.equal(result, (a < b).to(torch.uint8)))
        mask = vmgpu.from_dlpack((a < b).to(torch.uint8), element_type="i1")
        self.assertEqual((mask.element_type, mask.device), ("i1", "cuda:0"))

    def test_copies_between_host_and_device(self):
        host = np.arange(1000, dtype=np.float32)
        device = self.engine.copy_to_device(host)
        self.assertEqual(device.device, "cuda:0")
        with self.assertRaisesRegex(ValueError, "device memory"):
            device.numpy()
        np.testing.assert_array_equal(self.engine.copy_to_host(device).numpy(), host)
        as_torch = torch.from_dlpack(self.engine.copy_to_device(host))
        self.assertTrue(torch.equal(as_torch.cpu(), torch.from_numpy(host)))


if __name__ == "__main__":
    print("vmgpu %s (C API %d) from %s" % (vmgpu.version(), vmgpu.api_version(),
                                           vmgpu.library_path))
    if torch is not None:
        print("torch %s, CUDA %s, %s" % (
            torch.__version__, torch.version.cuda,
            torch.cuda.get_device_name(0) if HAVE_CUDA else "no device"))
    unittest.main()
