"""Finds and loads libvmgpu.so and declares the C API's functions (ctypes).

The search, first match wins:
  1. $VMGPU_LIBRARY, a path to the library file;
  2. lib/libvmgpu.so.<major> in a directory above this package: the
     install prefix (<prefix>/lib/python3/dist-packages/vmgpu -> <prefix>/lib)
     and the portable bundle (vmgpu/python/vmgpu -> vmgpu/lib);
  3. libvmgpu.so.<major> through the dynamic loader (LD_LIBRARY_PATH, the
     system's library directories: the Debian package).
"""

import ctypes
import os

# The SONAME's number: this package speaks the C API of that major release.
ABI_MAJOR = 0
LIBRARY_NAME = "libvmgpu.so.%d" % ABI_MAJOR
# The VMGPU_API_VERSION this package was written against (vmgpu.h).
API_VERSION = 4

status_t = ctypes.c_int32
element_type_t = ctypes.c_int32
_p = ctypes.c_void_p
_pp = ctypes.POINTER(ctypes.c_void_p)


class EngineOptions(ctypes.Structure):
    """vmgpu_engine_options_t, version 4 (64 bytes on 64-bit targets)."""

    _fields_ = [
        ("struct_size", ctypes.c_size_t),
        ("device", ctypes.c_char_p),
        ("allow_fallback", ctypes.c_int32),
        ("opt_level", ctypes.c_int32),
        ("parallel", ctypes.c_int32),
        ("contraction_strategy", ctypes.c_char_p),
        ("cache_directory", ctypes.c_char_p),
        ("memory_cache", ctypes.c_int32),
        ("gpu_graphs", ctypes.c_int64),
    ]


def _candidates():
    explicit = os.environ.get("VMGPU_LIBRARY")
    if explicit:
        yield explicit
        return
    here = os.path.dirname(os.path.abspath(__file__))
    directory = here
    for _ in range(5):
        directory = os.path.dirname(directory)
        path = os.path.join(directory, "lib", LIBRARY_NAME)
        if os.path.exists(path):
            yield path
    yield LIBRARY_NAME


def _load():
    errors = []
    for path in _candidates():
        try:
            library = ctypes.CDLL(path)
        except OSError as error:
            errors.append("%s: %s" % (path, error))
            continue
        return library, path
    raise ImportError(
        "vmgpu: cannot load %s (set VMGPU_LIBRARY to its path); tried:\n  %s"
        % (LIBRARY_NAME, "\n  ".join(errors)))


lib, library_path = _load()

_SIGNATURES = {
    "vmgpu_status_get_name": (ctypes.c_char_p, [status_t]),
    "vmgpu_error_get_status": (status_t, [_p]),
    "vmgpu_error_get_message": (ctypes.c_char_p, [_p]),
    "vmgpu_error_get_diagnostics": (ctypes.c_char_p, [_p]),
    "vmgpu_error_destroy": (None, [_p]),
    "vmgpu_string_destroy": (None, [_p]),
    "vmgpu_get_version": (ctypes.c_char_p, []),
    "vmgpu_get_api_version": (ctypes.c_int32, []),
    "vmgpu_element_type_get_name": (ctypes.c_char_p, [element_type_t]),
    "vmgpu_element_type_get_size": (ctypes.c_size_t, [element_type_t]),
    "vmgpu_tensor_create": (status_t, [
        element_type_t, ctypes.POINTER(ctypes.c_int64), ctypes.c_size_t, _p,
        ctypes.c_size_t, _pp, _pp]),
    "vmgpu_tensor_destroy": (None, [_p]),
    "vmgpu_tensor_get_element_type": (element_type_t, [_p]),
    "vmgpu_tensor_get_rank": (ctypes.c_size_t, [_p]),
    "vmgpu_tensor_get_dim": (ctypes.c_int64, [_p, ctypes.c_size_t]),
    "vmgpu_tensor_get_byte_size": (ctypes.c_size_t, [_p]),
    "vmgpu_tensor_get_data": (_p, [_p]),
    "vmgpu_tensor_get_device": (ctypes.c_char_p, [_p]),
    "vmgpu_engine_create": (status_t, [ctypes.POINTER(EngineOptions), _pp, _pp]),
    "vmgpu_engine_destroy": (None, [_p]),
    "vmgpu_engine_get_device": (ctypes.c_char_p, [_p]),
    "vmgpu_engine_get_metrics_json": (status_t, [_p, _pp, _pp]),
    "vmgpu_engine_compile": (status_t, [
        _p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, _pp, _pp]),
    "vmgpu_engine_run": (status_t, [
        _p, _p, _pp, ctypes.c_size_t, _pp, ctypes.c_size_t, _pp]),
    "vmgpu_engine_run_device_resident": (status_t, [
        _p, _p, _pp, ctypes.c_size_t, _pp, ctypes.c_size_t, _pp]),
    "vmgpu_engine_copy_to_device": (status_t, [_p, _p, _pp, _pp]),
    "vmgpu_engine_copy_to_host": (status_t, [_p, _p, _pp, _pp]),
    "vmgpu_block_destroy": (None, [_p]),
    "vmgpu_block_get_num_inputs": (ctypes.c_size_t, [_p]),
    "vmgpu_block_get_num_results": (ctypes.c_size_t, [_p]),
    "vmgpu_block_get_device": (ctypes.c_char_p, [_p]),
    "vmgpu_block_get_fallback_reason": (ctypes.c_char_p, [_p]),
    "vmgpu_block_get_diagnostics": (ctypes.c_char_p, [_p]),
    "vmgpu_tensor_export_dlpack": (status_t, [_p, _pp, _pp]),
    "vmgpu_tensor_import_dlpack": (status_t, [_p, element_type_t, _pp, _pp]),
}

for _name, (_result, _arguments) in _SIGNATURES.items():
    _function = getattr(lib, _name)
    _function.restype = _result
    _function.argtypes = _arguments

if lib.vmgpu_get_api_version() < API_VERSION:
    raise ImportError(
        "vmgpu: %s has C API version %d; this package needs %d or later"
        % (library_path, lib.vmgpu_get_api_version(), API_VERSION))
_library_major = int(lib.vmgpu_get_version().decode().split(".")[0])
if _library_major != ABI_MAJOR:
    raise ImportError("vmgpu: %s is release %s; this package needs major %d"
                      % (library_path, lib.vmgpu_get_version().decode(),
                         ABI_MAJOR))
