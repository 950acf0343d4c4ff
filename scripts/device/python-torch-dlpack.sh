#!/usr/bin/env bash
# python/vmgpu on the GPU machine: the PyTorch/DLPack tests
# (python/tests/test_torch_dlpack.py: CUDA tensors both ways without copies)
# and the NumPy tests, on that machine's Python, from the bundle
# (scripts/bundle: the same tarball as the end-to-end suite's, whose
# vm-gpu-run uses the same libvmgpu.so).
#
#   here:   scripts/bundle /work/main/devrun-<you>/vmgpu-bundle.tar.xz
#           cp scripts/device/python-torch-dlpack.sh /work/main/devrun-<you>/
#   there:  bash devrun-<you>/python-torch-dlpack.sh devrun-<you>/vmgpu-bundle.tar.xz
#           (the run tool with carry ["devrun-<you>"]; the log lands in
#           $OUT/python-torch-dlpack.log)
#
# A second argument, a python/ directory of a checkout, replaces the
# bundle's copy of the package and its tests (the package is pure Python:
# a fix to it is tested against the bundle's libvmgpu.so without a new
# bundle).
#
# Exits 1 when either test file fails.

set -uo pipefail
bundle="${1:?usage: python-torch-dlpack.sh BUNDLE.tar.xz [PYTHON_DIR]}"
package="${2:-}"
out="${OUT:-.}"
work="$(mktemp -d)"
tar -C "$work" -xJf "$bundle" || exit 1
if [ -n "$package" ]; then
  rm -rf "$work/vmgpu/python/vmgpu" "$work/vmgpu/python/tests"
  cp -r "$package/vmgpu" "$package/tests" "$work/vmgpu/python/" || exit 1
fi
export VMGPU_CACHE_DIR="$work/cache"
python="${PYTHON:-python3}"   # the Python with PyTorch and NumPy

status=0
{
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader || true
  # The tests skip without a device; here that is a failure.
  "$python" -c "import torch; assert torch.cuda.is_available(), 'no CUDA device for PyTorch'" ||
    status=1
  "$python" "$work/vmgpu/python/tests/test_torch_dlpack.py" -v || status=1
  (cd "$work/vmgpu/python" &&
    "$python" -m unittest discover -s tests -p test_vmgpu.py -v) || status=1
  echo "python-torch-dlpack: exit $status"
} > >(tee "$out/python-torch-dlpack.log") 2>&1
wait
exit $status
