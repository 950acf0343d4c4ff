"""Tests of python/vmgpu on the CPU with NumPy. Reference values come from
NumPy, never from vmgpu. Written with unittest so that they run under
`python3 -m pytest python/tests` and, where pytest is missing, under
`python3 -m unittest discover python/tests` (test/Packaging/python.test).

The library: $VMGPU_LIBRARY, else the package's own search (vmgpu/_capi.py).
"""

import ctypes
import os
import re
import unittest

import numpy as np

import vmgpu
from vmgpu import _capi

ADD = """
func.func @add(%a: tensor<?xT>, %b: tensor<?xT>) -> tensor<?xT> {
  %c = vm.add %a, %b : tensor<?xT>
  return %c : tensor<?xT>
}
"""

AXPY = """
func.func @axpy(%alpha: f32, %x: tensor<33x17xf32>, %y: tensor<33x17xf32>)
    -> tensor<33x17xf32> {
  %a = vm.splat %alpha : f32 -> tensor<33x17xf32>
  %ax = vm.mul %a, %x : tensor<33x17xf32>
  %r = vm.add %ax, %y : tensor<33x17xf32>
  return %r : tensor<33x17xf32>
}
"""

LESS = """
func.func @less(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi1> {
  %c = vm.cmp %a, %b {predicate = "lt"} : tensor<?xi32> -> tensor<?xi1>
  return %c : tensor<?xi1>
}
"""

DIVMOD = """
func.func @divmod(%a: tensor<?xi32>, %b: tensor<?xi32>)
    -> (tensor<?xi32>, tensor<?xi32>) {
  %q = vm.div %a, %b : tensor<?xi32>
  %r = vm.rem %a, %b : tensor<?xi32>
  return %q, %r : tensor<?xi32>, tensor<?xi32>
}
"""


def aligned_empty(count, dtype, offset=0):
    """A 1-D array whose data starts `offset` bytes after a 64-byte
    boundary."""
    itemsize = np.dtype(dtype).itemsize
    raw = np.empty(count * itemsize + 128, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64 + offset
    return raw[start:start + count * itemsize].view(dtype)


def data_address(tensor):
    return _capi.lib.vmgpu_tensor_get_data(tensor._live())


class Library(unittest.TestCase):
    def test_version_is_the_abi_major(self):
        self.assertRegex(vmgpu.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(vmgpu.__version__, vmgpu.version())
        self.assertEqual(int(vmgpu.version().split(".")[0]), _capi.ABI_MAJOR)
        self.assertGreaterEqual(vmgpu.api_version(), _capi.API_VERSION)

    def test_the_loaded_library_has_the_soname(self):
        self.assertTrue(os.path.basename(os.path.realpath(
            vmgpu.library_path)).startswith("libvmgpu.so."))

    def test_host_calls_reach_the_global_scope(self):
        # ctypes loads libvmgpu.so RTLD_LOCAL; GPU blocks resolve mgpu* in
        # the global scope, where the first engine puts the library.
        vmgpu.Engine(device="cpu")
        self.assertIsNotNone(ctypes.CDLL(None).mgpuLaunchKernel)
        self.assertIsNotNone(ctypes.CDLL(None).vmgpu_get_version)


class CompileAndRun(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = vmgpu.Engine(device="cpu")
        cls.rng = np.random.default_rng(21)

    def test_add_every_float_and_integer_type(self):
        for spelling, dtype in [("f32", np.float32), ("f64", np.float64),
                                ("f16", np.float16), ("i8", np.int8),
                                ("i64", np.int64)]:
            with self.subTest(type=spelling):
                block = self.engine.compile(ADD.replace("T", spelling), "add")
                self.assertEqual((block.num_inputs, block.num_results), (2, 1))
                self.assertEqual(block.device, "cpu")
                for size in (0, 1, 7, 1003):
                    a = (self.rng.standard_normal(size) * 50).astype(dtype)
                    b = (self.rng.standard_normal(size) * 50).astype(dtype)
                    (c,) = self.engine.run(block, [a, b])
                    self.assertEqual(c.dtype, np.dtype(dtype))
                    with np.errstate(over="ignore"):
                        expected = a + b  # wraps for integers, as vm.add does
                    np.testing.assert_array_equal(c, expected)

    def test_scalar_argument_and_2d_tail(self):
        block = self.engine.compile(AXPY, "axpy")
        x = self.rng.standard_normal((33, 17)).astype(np.float32)
        y = self.rng.standard_normal((33, 17)).astype(np.float32)
        (r,) = self.engine.run(block, [np.float32(-1.5), x, y])
        # -1.5 * x is exact in f32, so one rounding: the sum's.
        np.testing.assert_array_equal(r, np.float32(-1.5) * x + y)

    def test_compare_gives_booleans(self):
        block = self.engine.compile(LESS, "less")
        a = self.rng.integers(-5, 5, 101, dtype=np.int32)
        b = self.rng.integers(-5, 5, 101, dtype=np.int32)
        (c,) = self.engine.run(block, [a, b])
        self.assertEqual(c.dtype, np.bool_)
        np.testing.assert_array_equal(c, a < b)

    def test_two_results_truncating_division(self):
        block = self.engine.compile(DIVMOD, "divmod")
        a = self.rng.integers(-1000, 1000, 1001, dtype=np.int32)
        b = self.rng.integers(1, 30, 1001, dtype=np.int32) * \
            self.rng.choice(np.array([-1, 1], dtype=np.int32), 1001)
        q, r = self.engine.run(block, [a, b])
        expected_q = (np.abs(a) // np.abs(b)) * np.sign(a) * np.sign(b)
        np.testing.assert_array_equal(q, expected_q)
        np.testing.assert_array_equal(r, a - expected_q * b)

    def test_unsigned_arrays_go_in_as_signless(self):
        block = self.engine.compile(ADD.replace("T", "i32"), "add")
        a = np.array([1, 2**31, 2**32 - 1], dtype=np.uint32)
        (c,) = self.engine.run(block, [a, np.ones(3, np.uint32)])
        np.testing.assert_array_equal(c.view(np.uint32),
                                      np.array([2, 2**31 + 1, 0], np.uint32))

    def test_metrics_count_the_runs(self):
        engine = vmgpu.Engine(device="cpu")
        block = engine.compile(ADD.replace("T", "f32"), "add")
        for _ in range(3):
            engine.run(block, [np.ones(4, np.float32), np.ones(4, np.float32)])
        metrics = engine.metrics()
        self.assertEqual(metrics["executions.cpu"], 3)
        self.assertEqual(metrics["executions.gpu"], 0)
        self.assertEqual(metrics["fallbacks"], 0)
        self.assertIn("time.compile_ms", metrics)

    def test_run_tensors_and_device_resident_on_the_cpu(self):
        block = self.engine.compile(ADD.replace("T", "f32"), "add")
        x = np.arange(10, dtype=np.float32)
        (t,) = self.engine.run_tensors(block, [x, x])
        self.assertEqual((t.shape, t.element_type, t.device), ((10,), "f32", "cpu"))
        (d,) = self.engine.run_device_resident(block, [vmgpu.Tensor(x), x])
        self.assertEqual(d.device, "cpu")  # a CPU engine keeps results on the host
        np.testing.assert_array_equal(d.numpy(), 2 * x)


class Errors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = vmgpu.Engine(device="cpu")

    def test_bad_ir_has_diagnostics(self):
        bad = ADD.replace("T", "f32").replace("%c = vm.add %a, %b : tensor<?xf32>",
                                              "%c = vm.add %a, %b : tensor<4xf32>")
        with self.assertRaises(vmgpu.VmgpuError) as caught:
            self.engine.compile(bad, "add")
        self.assertEqual(caught.exception.status_name, "INVALID_ARGUMENT")
        self.assertRegex(caught.exception.diagnostics, r"<ir>:\d+:\d+: error:")

    def test_missing_entry(self):
        with self.assertRaisesRegex(vmgpu.VmgpuError, "INVALID_ARGUMENT"):
            self.engine.compile(ADD.replace("T", "f32"), "nothere")

    def test_wrong_inputs(self):
        block = self.engine.compile(ADD.replace("T", "f32"), "add")
        with self.assertRaisesRegex(vmgpu.VmgpuError, "INVALID_ARGUMENT"):
            self.engine.run(block, [np.ones(4, np.float32), np.ones(5, np.float32)])
        with self.assertRaisesRegex(vmgpu.VmgpuError, "INVALID_ARGUMENT"):
            self.engine.run(block, [np.ones(4, np.float64), np.ones(4, np.float64)])
        with self.assertRaisesRegex(vmgpu.VmgpuError, "INVALID_ARGUMENT"):
            self.engine.run(block, [np.ones(4, np.float32)])
        with self.assertRaisesRegex(TypeError, "np.float32"):
            self.engine.run(block, [1.0, np.ones(4, np.float32)])

    def test_graph_switch(self):
        # The version 4 struct as vmgpu.h lays it out (64 bytes on 64-bit
        # targets); every setting is accepted (a CPU engine makes no graphs).
        if ctypes.sizeof(ctypes.c_void_p) == 8:
            self.assertEqual(ctypes.sizeof(_capi.EngineOptions), 64)
        for graphs in (None, False, True):
            with self.subTest(gpu_graphs=graphs):
                vmgpu.Engine(device="cpu", gpu_graphs=graphs)

    def test_unknown_device(self):
        with self.assertRaisesRegex(vmgpu.VmgpuError, "unknown device 'tpu'"):
            vmgpu.Engine(device="tpu")

    def test_no_gpu_for_a_cpu_engine(self):
        with self.assertRaisesRegex(vmgpu.VmgpuError, "UNAVAILABLE"):
            self.engine.copy_to_device(np.ones(4, np.float32))

    def test_copy_to_device_keeps_its_temporary_tensor_alive(self):
        # A NumPy array becomes a Tensor for the call; that Tensor must not
        # be destroyed before the C function has read it (on the GPU machine
        # the freed handle gave OUT_OF_MEMORY from a garbage shape).
        destroyed, seen = [], []
        real_destroy = vmgpu._lib.vmgpu_tensor_destroy
        real_copy = vmgpu._lib.vmgpu_engine_copy_to_device

        def destroy(handle):
            destroyed.append(getattr(handle, "value", handle))
            real_destroy(handle)

        def copy(engine, tensor, out, error):
            handle = getattr(tensor, "value", tensor)
            seen.append(handle in destroyed)
            return real_copy(engine, tensor, out, error)

        vmgpu._lib.vmgpu_tensor_destroy = destroy
        vmgpu._lib.vmgpu_engine_copy_to_device = copy
        try:
            with self.assertRaisesRegex(vmgpu.VmgpuError, "UNAVAILABLE"):
                self.engine.copy_to_device(np.ones(4, np.float32))
        finally:
            vmgpu._lib.vmgpu_tensor_destroy = real_destroy
            vmgpu._lib.vmgpu_engine_copy_to_device = real_copy
        self.assertEqual(seen, [False])

    def test_element_type_must_fit_the_dtype(self):
        with self.assertRaisesRegex(TypeError, "bf16 takes 2 bytes"):
            vmgpu.Tensor(np.ones(4, np.float32), element_type="bf16")
        t = vmgpu.Tensor(np.array([0x3F80], np.uint16), element_type="bf16")
        self.assertEqual(t.element_type, "bf16")
        np.testing.assert_array_equal(t.numpy(), np.array([0x3F80], np.uint16))


class DLPack(unittest.TestCase):
    def test_export_to_numpy_without_a_copy(self):
        source = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
        tensor = vmgpu.Tensor(source)
        address = data_address(tensor)
        self.assertEqual(tensor.__dlpack_device__(), (1, 0))
        array = np.from_dlpack(tensor)
        self.assertEqual(array.ctypes.data, address)
        np.testing.assert_array_equal(array, source)
        with self.assertRaisesRegex(ValueError, "handed over"):
            tensor.numpy()

    def test_import_from_numpy_aligned_is_zero_copy(self):
        array = aligned_empty(1000, np.int32)
        array[:] = np.arange(1000, dtype=np.int32)
        tensor = vmgpu.from_dlpack(array)
        self.assertEqual(data_address(tensor), array.ctypes.data)
        self.assertEqual((tensor.element_type, tensor.shape), ("i32", (1000,)))
        del array  # the tensor keeps NumPy's buffer alive through the deleter
        np.testing.assert_array_equal(tensor.numpy(), np.arange(1000))

    def test_import_unaligned_copies(self):
        array = aligned_empty(7, np.float64, offset=8)
        array[:] = np.linspace(0, 1, 7)
        tensor = vmgpu.from_dlpack(array)
        self.assertNotEqual(data_address(tensor), array.ctypes.data)
        np.testing.assert_array_equal(tensor.numpy(), np.linspace(0, 1, 7))

    def test_import_feeds_a_run(self):
        engine = vmgpu.Engine(device="cpu")
        block = engine.compile(ADD.replace("T", "f32"), "add")
        x = aligned_empty(129, np.float32)
        x[:] = np.arange(129)
        (y,) = engine.run(block, [vmgpu.from_dlpack(x), vmgpu.from_dlpack(x)])
        np.testing.assert_array_equal(y, 2 * np.arange(129, dtype=np.float32))

    def test_booleans_travel_as_uint8(self):
        tensor = vmgpu.from_dlpack(np.array([0, 1, 1], np.uint8), element_type="i1")
        self.assertEqual(tensor.element_type, "i1")
        back = np.from_dlpack(tensor)
        self.assertEqual(back.dtype, np.uint8)
        np.testing.assert_array_equal(back, [0, 1, 1])

    def test_strided_data_is_refused(self):
        with self.assertRaisesRegex(vmgpu.VmgpuError,
                                    "INVALID_ARGUMENT: .*strided"):
            vmgpu.from_dlpack(np.arange(10, dtype=np.float32)[::2])

    def test_a_capsule_is_taken_once_and_an_unused_one_is_freed(self):
        capsule = vmgpu.Tensor(np.ones(3, np.int16)).__dlpack__()
        tensor = vmgpu.from_dlpack(capsule)
        np.testing.assert_array_equal(tensor.numpy(), np.ones(3, np.int16))
        with self.assertRaisesRegex(ValueError, "used already"):
            vmgpu.from_dlpack(capsule)
        unused = vmgpu.Tensor(np.ones(3, np.int16)).__dlpack__()
        del unused  # the capsule's destructor calls the deleter


if __name__ == "__main__":
    unittest.main()
