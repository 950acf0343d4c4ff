"""DLPack capsules over vmgpu's C API (vmgpu_tensor_export_dlpack and
vmgpu_tensor_import_dlpack): the PyCapsule protocol of the Python array API,
written with ctypes so that no compiled extension is needed.

A capsule named "dltensor" holds a DLManagedTensor (DLPack 0.6). A consumer
that takes it renames it "used_dltensor"; a capsule still named "dltensor"
when it dies was never consumed, and its destructor calls the tensor's
deleter.
"""

import ctypes

_api = ctypes.pythonapi
_api.PyCapsule_New.restype = ctypes.py_object
_api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
_api.PyCapsule_IsValid.restype = ctypes.c_int
_api.PyCapsule_IsValid.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_GetPointer.restype = ctypes.c_void_p
_api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
_api.PyCapsule_SetName.restype = ctypes.c_int
_api.PyCapsule_SetName.argtypes = [ctypes.py_object, ctypes.c_char_p]

_NAME = b"dltensor"
_USED_NAME = b"used_dltensor"

# DLDeviceType values (dlpack.h).
KDL_CPU = 1
KDL_CUDA = 2
KDL_ROCM = 10


class _DLManagedTensorHead(ctypes.Structure):
    """The part of DLManagedTensor before its deleter: DLTensor (data,
    device, ndim, dtype, shape, strides, byte_offset) and manager_ctx."""

    _fields_ = [
        ("data", ctypes.c_void_p),
        ("device_type", ctypes.c_int32),
        ("device_id", ctypes.c_int32),
        ("ndim", ctypes.c_int32),
        ("dtype_code", ctypes.c_uint8),
        ("dtype_bits", ctypes.c_uint8),
        ("dtype_lanes", ctypes.c_uint16),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("byte_offset", ctypes.c_uint64),
        ("manager_ctx", ctypes.c_void_p),
    ]


_Deleter = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class _DLManagedTensor(ctypes.Structure):
    _fields_ = [("head", _DLManagedTensorHead), ("deleter", _Deleter)]


# The capsule's destructor receives the capsule (a PyObject *). It must be
# a C function pointer that lives as long as the interpreter.
_PyCapsule_Destructor = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


# The destructor runs while the capsule is being freed: it must not make a
# Python reference to it, so these take the raw address.
_raw_is_valid = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_IsValid", _api))
_raw_get_pointer = ctypes.PYFUNCTYPE(
    ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(
    ("PyCapsule_GetPointer", _api))


@_PyCapsule_Destructor
def _destroy_unconsumed(capsule_address):
    if not _raw_is_valid(capsule_address, _NAME):
        return  # consumed: the consumer owns the tensor now
    managed = _raw_get_pointer(capsule_address, _NAME)
    if managed:
        tensor = _DLManagedTensor.from_address(managed)
        if tensor.deleter:
            tensor.deleter(managed)


def make_capsule(managed_address):
    """A "dltensor" capsule that owns the DLManagedTensor at the address."""
    return _api.PyCapsule_New(managed_address, _NAME,
                              ctypes.cast(_destroy_unconsumed, ctypes.c_void_p))


def take_capsule(capsule):
    """The DLManagedTensor address in a "dltensor" capsule; the capsule is
    renamed "used_dltensor" so that its destructor leaves the tensor to the
    caller, who must hand it to something that calls its deleter."""
    if not _api.PyCapsule_IsValid(capsule, _NAME):
        raise ValueError("from_dlpack: not an unconsumed 'dltensor' capsule "
                         "(was it used already?)")
    managed = _api.PyCapsule_GetPointer(capsule, _NAME)
    _api.PyCapsule_SetName(capsule, _USED_NAME)
    return managed
