"""vmgpu from Python: compile blocks of vm IR, run them on NumPy arrays or
device tensors, read the metrics, and exchange tensors with PyTorch, CuPy,
JAX or NumPy through DLPack.

A pure-Python layer (ctypes) over the C API of libvmgpu.so
(include/vmgpu/vmgpu.h, docs/c-api.md); docs/embedding.md says how the
library is found.

    import numpy as np, vmgpu
    engine = vmgpu.Engine(device="cpu")
    block = engine.compile(IR, entry="axpy")
    (y,) = engine.run(block, [np.float32(2), x, y0])
    print(engine.metrics()["executions.cpu"])
"""

import ctypes
import json

import numpy as np

from . import _capi, _dlpack
from ._capi import lib as _lib

__all__ = [
    "Block", "Engine", "Tensor", "VmgpuError", "api_version", "from_dlpack",
    "library_path", "version",
]

# Released with the library: the same numbers as VMGPU_VERSION_* in vmgpu.h
# (python/tests checks it).
__version__ = "0.1.0"
library_path = _capi.library_path

# vmgpu_element_type_t values (vmgpu.h) and their NumPy types. Unsigned
# NumPy integers go in as the signless type of their width; bf16 travels as
# its 16 bits (uint16), as NumPy has no bfloat16.
_I1, _I8, _I16, _I32, _I64, _F16, _BF16, _F32, _F64 = range(9)
_TYPE_OF_NAME = {"i1": _I1, "i8": _I8, "i16": _I16, "i32": _I32, "i64": _I64,
                 "f16": _F16, "bf16": _BF16, "f32": _F32, "f64": _F64}
_NUMPY_OF_TYPE = {_I1: np.bool_, _I8: np.int8, _I16: np.int16, _I32: np.int32,
                  _I64: np.int64, _F16: np.float16, _BF16: np.uint16,
                  _F32: np.float32, _F64: np.float64}
_TYPE_OF_NUMPY = {np.dtype(np.bool_): _I1, np.dtype(np.int8): _I8,
                  np.dtype(np.uint8): _I8, np.dtype(np.int16): _I16,
                  np.dtype(np.uint16): _I16, np.dtype(np.int32): _I32,
                  np.dtype(np.uint32): _I32, np.dtype(np.int64): _I64,
                  np.dtype(np.uint64): _I64, np.dtype(np.float16): _F16,
                  np.dtype(np.float32): _F32, np.dtype(np.float64): _F64}
_INVALID_TYPE = -1


def version():
    """The library's release, "MAJOR.MINOR.PATCH"."""
    return _lib.vmgpu_get_version().decode()


def api_version():
    """The library's VMGPU_API_VERSION."""
    return _lib.vmgpu_get_api_version()


class VmgpuError(RuntimeError):
    """A failed C API call: `status` (the VMGPU_STATUS_* number),
    `status_name` ("INVALID_ARGUMENT", ...), `message`, and `diagnostics`
    (the compiler's, for a failed compile)."""

    def __init__(self, status, message, diagnostics=""):
        self.status = status
        self.status_name = _lib.vmgpu_status_get_name(status).decode()
        self.message = message
        self.diagnostics = diagnostics
        super().__init__("%s: %s" % (self.status_name, message))


def _check(status, error):
    """Raises the VmgpuError of a call that returned `status` and wrote
    `error` (a c_void_p), releasing the error object."""
    if status == 0:
        return
    message = diagnostics = ""
    if error.value:
        message = _lib.vmgpu_error_get_message(error).decode(errors="replace")
        diagnostics = _lib.vmgpu_error_get_diagnostics(error).decode(
            errors="replace")
        _lib.vmgpu_error_destroy(error)
    raise VmgpuError(status, message, diagnostics)


def _call(function, *arguments):
    """Calls a C API function whose last parameter is `vmgpu_error_t **`."""
    error = ctypes.c_void_p()
    _check(function(*arguments, ctypes.byref(error)), error)


def _element_type(element_type):
    if element_type is None:
        return None
    if isinstance(element_type, str):
        if element_type not in _TYPE_OF_NAME:
            raise ValueError("unknown element type %r (one of %s)"
                             % (element_type, ", ".join(_TYPE_OF_NAME)))
        return _TYPE_OF_NAME[element_type]
    return _TYPE_OF_NUMPY[np.dtype(element_type)]


class Tensor:
    """A vmgpu tensor: host memory, or device memory of a GPU ("cuda:N",
    "rocm:N"). Owns its buffer.

    Tensor(array, element_type=None) copies a NumPy array (element_type: an
    MLIR spelling such as "bf16" to read uint16 bits as bf16; by default the
    array's dtype decides). `numpy()` copies a host tensor out.
    `__dlpack__` hands the buffer to a DLPack consumer without a copy; the
    Tensor is empty afterwards (its data lives on in the consumer)."""

    def __init__(self, array=None, element_type=None, _handle=None,
                 _engine=None):
        self._handle = None
        # Device memory goes back to the engine's device: keep it alive.
        self._engine = _engine
        if _handle is not None:
            self._handle = _handle
            return
        # order="C", not ascontiguousarray, which makes scalars 1-D.
        array = np.asarray(array, order="C")
        requested = _element_type(element_type)
        if array.dtype not in _TYPE_OF_NUMPY:
            raise TypeError("vmgpu has no element type for NumPy dtype %s"
                            % array.dtype)
        natural = _TYPE_OF_NUMPY[array.dtype]
        kind = natural if requested is None else requested
        if _lib.vmgpu_element_type_get_size(kind) != array.itemsize:
            raise TypeError("element type %s takes %d bytes per element; the "
                            "array's dtype %s has %d" % (
                                _lib.vmgpu_element_type_get_name(kind).decode(),
                                _lib.vmgpu_element_type_get_size(kind),
                                array.dtype, array.itemsize))
        shape = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
        handle = ctypes.c_void_p()
        _call(_lib.vmgpu_tensor_create, kind, shape, array.ndim,
              array.ctypes.data_as(ctypes.c_void_p) if array.nbytes else None,
              array.nbytes, ctypes.byref(handle))
        self._handle = handle

    def __del__(self):
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None and _lib is not None:
            _lib.vmgpu_tensor_destroy(handle)

    def _live(self):
        if self._handle is None:
            raise ValueError("this vmgpu.Tensor was handed over through "
                             "DLPack and holds no data any more")
        return self._handle

    @property
    def element_type(self):
        """The MLIR spelling: "f32", "i1", "bf16", ..."""
        return _lib.vmgpu_element_type_get_name(
            _lib.vmgpu_tensor_get_element_type(self._live())).decode()

    @property
    def shape(self):
        handle = self._live()
        return tuple(_lib.vmgpu_tensor_get_dim(handle, d)
                     for d in range(_lib.vmgpu_tensor_get_rank(handle)))

    @property
    def device(self):
        """"cpu" for host memory, "cuda:N" or "rocm:N" for device memory."""
        return _lib.vmgpu_tensor_get_device(self._live()).decode()

    @property
    def nbytes(self):
        return _lib.vmgpu_tensor_get_byte_size(self._live())

    def numpy(self):
        """A NumPy copy of a host tensor (bf16 as uint16 bits). A device
        tensor needs Engine.copy_to_host first."""
        handle = self._live()
        if self.device != "cpu":
            raise ValueError("a %s tensor is in device memory: "
                             "engine.copy_to_host(tensor).numpy()" % self.device)
        dtype = _NUMPY_OF_TYPE[_lib.vmgpu_tensor_get_element_type(handle)]
        size = self.nbytes
        out = np.empty(self.shape, dtype=dtype)
        if size:
            ctypes.memmove(out.ctypes.data, _lib.vmgpu_tensor_get_data(handle),
                           size)
        return out

    def __dlpack_device__(self):
        device = self.device
        if device == "cpu":
            return (_dlpack.KDL_CPU, 0)
        kind, _, ordinal = device.partition(":")
        return ({"cuda": _dlpack.KDL_CUDA, "rocm": _dlpack.KDL_ROCM}[kind],
                int(ordinal or 0))

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None,
                   copy=None):
        """A "dltensor" capsule (DLPack 0.6) that owns this tensor's buffer.
        The library waits for the device work that computes it, so `stream`
        needs no handling. Consumes the Tensor."""
        if copy:
            raise BufferError("vmgpu exports without a copy only")
        if dl_device is not None and tuple(dl_device) != self.__dlpack_device__():
            raise BufferError("vmgpu exports on the tensor's own device only")
        handle = self._live()
        managed = ctypes.c_void_p()
        _call(_lib.vmgpu_tensor_export_dlpack, handle, ctypes.byref(managed))
        self._handle = None  # consumed by the export
        return _dlpack.make_capsule(managed.value)

    def __repr__(self):
        if self._handle is None:
            return "vmgpu.Tensor(<handed over through DLPack>)"
        return "vmgpu.Tensor(%s, shape=%s, device=%s)" % (
            self.element_type, self.shape, self.device)


def from_dlpack(source, element_type=None):
    """A vmgpu.Tensor sharing the memory of `source`, which is a DLPack
    producer (a torch/CuPy/JAX/NumPy array: anything with `__dlpack__`) or a
    "dltensor" capsule. Zero copy when the data is 64-byte aligned and
    compact; host data that is not aligned is copied. Device data must be
    complete (e.g. torch.cuda.synchronize()). element_type: "i1" reads
    uint8 0/1 data as i1; None takes the type from the dtype."""
    capsule = source
    if hasattr(source, "__dlpack__"):
        capsule = source.__dlpack__()
    managed = _dlpack.take_capsule(capsule)
    kind = _element_type(element_type)
    handle = ctypes.c_void_p()
    # From here the library owns the DLManagedTensor: it calls the deleter
    # when the tensor dies, or at once on failure.
    _call(_lib.vmgpu_tensor_import_dlpack, managed,
          _INVALID_TYPE if kind is None else kind, ctypes.byref(handle))
    return Tensor(_handle=handle)


def _as_tensor(value):
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float)):
        raise TypeError("a Python %s has no vmgpu element type: pass a NumPy "
                        "scalar such as np.float32(%r)" % (type(value).__name__,
                                                            value))
    return Tensor(value)


class Block:
    """A compiled block (Engine.compile). Immutable; may be run from several
    threads at once."""

    def __init__(self, engine, handle):
        self._engine = engine
        self._handle = handle

    def __del__(self):
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None and _lib is not None:
            _lib.vmgpu_block_destroy(handle)

    @property
    def num_inputs(self):
        return _lib.vmgpu_block_get_num_inputs(self._handle)

    @property
    def num_results(self):
        return _lib.vmgpu_block_get_num_results(self._handle)

    @property
    def device(self):
        """Where the block runs: "cuda:N", "rocm:N" or "cpu"."""
        return _lib.vmgpu_block_get_device(self._handle).decode()

    @property
    def fallback_reason(self):
        """Why a block meant for an explicitly selected GPU runs on the CPU
        ("" when it does not)."""
        return _lib.vmgpu_block_get_fallback_reason(self._handle).decode()

    @property
    def diagnostics(self):
        return _lib.vmgpu_block_get_diagnostics(self._handle).decode()


class Engine:
    """Compiles and runs blocks on one device, falling back to the CPU.

    device: "cpu", "cuda", "cuda:N", "rocm", "rocm:N", "auto" or None
    ($VMGPU_DEVICE, else "auto"). allow_fallback, opt_level (0-3) and
    parallel are vmgpu_engine_options_t's fields. gpu_graphs: True replays
    GPU blocks run again with the same shapes as one graph launch (only
    when no other thread waits for the whole device meanwhile, e.g.
    torch.cuda.synchronize(); docs/runtime.md, "Graphs"), False launches
    plainly, None follows $VMGPU_GPU_GRAPHS."""

    def __init__(self, device=None, allow_fallback=True, opt_level=3,
                 parallel=True, gpu_graphs=None):
        options = _capi.EngineOptions(
            struct_size=ctypes.sizeof(_capi.EngineOptions),
            device=None if device is None else device.encode(),
            allow_fallback=1 if allow_fallback else 0,
            opt_level=opt_level, parallel=1 if parallel else 0,
            contraction_strategy=None, cache_directory=None, memory_cache=1,
            gpu_graphs=-1 if gpu_graphs is None else int(bool(gpu_graphs)))
        handle = ctypes.c_void_p()
        self._handle = None
        _call(_lib.vmgpu_engine_create, ctypes.byref(options),
              ctypes.byref(handle))
        self._handle = handle

    def __del__(self):
        handle, self._handle = getattr(self, "_handle", None), None
        if handle is not None and _lib is not None:
            _lib.vmgpu_engine_destroy(handle)

    @property
    def device(self):
        return _lib.vmgpu_engine_get_device(self._handle).decode()

    def compile(self, ir, entry=None):
        """Compiles function `entry` (default "main") of the vm IR text.
        A VmgpuError's `diagnostics` hold the compiler's messages."""
        text = ir.encode() if isinstance(ir, str) else bytes(ir)
        handle = ctypes.c_void_p()
        _call(_lib.vmgpu_engine_compile, self._handle, text, len(text),
              None if entry is None else entry.encode(), ctypes.byref(handle))
        return Block(self, handle)

    def _run(self, function, block, inputs):
        tensors = [_as_tensor(value) for value in inputs]
        handles = (ctypes.c_void_p * max(len(tensors), 1))(
            *[tensor._live() for tensor in tensors])
        count = block.num_results
        outputs = (ctypes.c_void_p * max(count, 1))()
        _call(function, self._handle, block._handle, handles, len(tensors),
              outputs, count)
        return [Tensor(_handle=ctypes.c_void_p(outputs[i]), _engine=self)
                for i in range(count)]

    def run(self, block, inputs):
        """Runs `block` on `inputs` (NumPy arrays or scalars, or Tensors)
        and returns its results as NumPy arrays."""
        return [tensor.numpy() for tensor in
                self._run(_lib.vmgpu_engine_run, block, inputs)]

    def run_tensors(self, block, inputs):
        """run, returning host Tensors (no copy into NumPy)."""
        return self._run(_lib.vmgpu_engine_run, block, inputs)

    def run_device_resident(self, block, inputs):
        """run whose results stay in device memory when the block runs on
        the GPU (Tensors, for further runs or DLPack)."""
        return self._run(_lib.vmgpu_engine_run_device_resident, block, inputs)

    def copy_to_device(self, value):
        """A device copy of a Tensor or NumPy array on the engine's GPU."""
        handle = ctypes.c_void_p()
        # Named, so that a Tensor made here for a NumPy array lives until
        # the call returns (a temporary would be freed before it).
        source = _as_tensor(value)
        _call(_lib.vmgpu_engine_copy_to_device, self._handle, source._live(),
              ctypes.byref(handle))
        return Tensor(_handle=handle, _engine=self)

    def copy_to_host(self, tensor):
        """A host copy of any Tensor; waits for the work that computes it."""
        handle = ctypes.c_void_p()
        _call(_lib.vmgpu_engine_copy_to_host, self._handle, tensor._live(),
              ctypes.byref(handle))
        return Tensor(_handle=handle, _engine=self)

    def metrics(self):
        """The engine's metrics (docs/runtime.md's keys) as a dict."""
        text = ctypes.c_void_p()
        _call(_lib.vmgpu_engine_get_metrics_json, self._handle,
              ctypes.byref(text))
        try:
            return json.loads(ctypes.string_at(text.value).decode())
        finally:
            _lib.vmgpu_string_destroy(text)
