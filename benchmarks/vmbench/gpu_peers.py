# The GPU peers, in the driver's process: PyTorch eager (cuBLAS / cuDNN for
# single library calls), torch.compile (Inductor), Triton, JAX (jit), a
# device-to-device copy of the workload's bytes (the bandwidth ceiling), and
# pinned / pageable host<->device copies. Every input is on the device before
# timing ("device" mode) and f32 products are strict: TF32 off in PyTorch,
# Precision.HIGHEST in JAX, input_precision="ieee" in Triton.
#
# Timing: CUDA events around each call (PyTorch, Triton, copies); JAX with
# the host clock around each call and block_until_ready (its own stream;
# the difference is a few microseconds of synchronization per call).

import os
import time

import numpy as np

from .ops import JaxOps, TorchOps
from .stats import repetitions, summary, time_host

BACK_TO_BACK = 10000
TORCH_DTYPES = {"f32": "float32", "f16": "float16", "bf16": "bfloat16", "i8": "int8"}


class GpuPeers:
    def __init__(self, log, budget_s=1.0):
        # JAX must not take 75% of the card at start: vm-gpu-bench and
        # PyTorch share it.
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        import torch
        self.torch = torch
        self.log = log
        self.budget_s = budget_s
        if not torch.cuda.is_available():
            raise RuntimeError("PyTorch sees no CUDA device")
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        torch.set_float32_matmul_precision("highest")
        self.device = torch.device("cuda")
        self.eager_ops = TorchOps(torch)
        self.reference_ops = TorchOps(torch, reference=True)
        self.triton = None
        self.jax = None
        self.missing = {}
        try:
            from . import triton_kernels
            self.triton = triton_kernels
        except Exception as error:  # ImportError, or no usable GPU for Triton
            self.missing["triton"] = str(error)
        try:
            import jax
            import jax.numpy as jnp
            jax.config.update("jax_default_matmul_precision", "highest")
            if not any(d.platform == "gpu" for d in jax.devices()):
                raise RuntimeError("JAX sees no GPU")
            self.jax = jax
            self.jax_ops = JaxOps(jax, jnp)
        except Exception as error:
            self.missing["jax"] = str(error)

    # --- environment -------------------------------------------------------

    def device_name(self):
        return self.torch.cuda.get_device_name(0)

    def describe(self):
        torch = self.torch
        lines = ["device: %s, %d SMs, %.0f GiB" % (
            self.device_name(), torch.cuda.get_device_properties(0).multi_processor_count,
            torch.cuda.get_device_properties(0).total_memory / 2 ** 30),
            "torch %s (CUDA %s, cuDNN %s), TF32 off" % (
                torch.__version__, torch.version.cuda, torch.backends.cudnn.version())]
        if self.triton:
            import triton
            lines.append("triton %s" % triton.__version__)
        if self.jax:
            lines.append("jax %s, devices %s, precision highest" % (
                self.jax.__version__, self.jax.devices()))
        for name, why in self.missing.items():
            lines.append("%s: not used (%s)" % (name, why.splitlines()[0] if why else "?"))
        return lines

    # --- data --------------------------------------------------------------

    def to_torch(self, arrays, arg_types):
        torch = self.torch
        out = []
        for array, dtype in zip(arrays, arg_types):
            if dtype == "bf16":
                tensor = torch.from_numpy(array.view(np.int16)).to(self.device).view(torch.bfloat16)
            else:
                tensor = torch.from_numpy(array).to(self.device)
            out.append(tensor)
        torch.cuda.synchronize()
        return out

    def to_jax(self, tensors):
        jax = self.jax
        arrays = [jax.dlpack.from_dlpack(t) for t in tensors]
        for a in arrays:
            a.block_until_ready()
        return arrays

    def reference(self, workload, tensors):
        """The exact-math result in float64 on the device."""
        with self.torch.no_grad():
            return workload.fn(self.reference_ops, *[t.double() for t in tensors])

    def error(self, value, reference):
        """||value - reference|| / ||reference|| on the device."""
        torch = self.torch
        if not isinstance(value, torch.Tensor):
            value = torch.from_numpy(np.ascontiguousarray(np.asarray(value))).to(self.device)
        value = value.to(self.device).double().reshape(-1)
        # Integer references (argmax positions, top-k indices) compare as
        # float64 too: vector_norm takes no integer tensors.
        reference = reference.to(self.device).double().reshape(-1)
        if value.shape != reference.shape:
            return float("nan")
        norm = float(torch.linalg.vector_norm(reference))
        diff = float(torch.linalg.vector_norm(value - reference))
        if norm == 0.0:
            return 0.0 if diff == 0.0 else float("inf")
        return diff / norm

    def host_error(self, array, reference):
        return self.error(array, reference)

    # --- timing ------------------------------------------------------------

    def time_events(self, fn, back_to_back=False):
        """Per-call ms from CUDA events on the current stream (one warm-up
        call first). back_to_back: 3 samples of BACK_TO_BACK calls each."""
        torch = self.torch
        fn()
        torch.cuda.synchronize()
        event = lambda: torch.cuda.Event(enable_timing=True)
        if back_to_back:
            samples = []
            for _ in range(3):
                start, end = event(), event()
                start.record()
                for _ in range(BACK_TO_BACK):
                    fn()
                end.record()
                end.synchronize()
                samples.append(start.elapsed_time(end) / BACK_TO_BACK)
            return samples
        start, end = event(), event()
        start.record()
        fn()
        end.record()
        end.synchronize()
        count = repetitions(start.elapsed_time(end), self.budget_s)
        pairs = [(event(), event()) for _ in range(count)]
        for start, end in pairs:
            start.record()
            fn()
            end.record()
        torch.cuda.synchronize()
        return [start.elapsed_time(end) for start, end in pairs]

    def time_jax(self, fn, back_to_back=False):
        fn().block_until_ready()
        if back_to_back:
            samples = []
            for _ in range(3):
                start = time.perf_counter()
                for _ in range(BACK_TO_BACK):
                    value = fn()
                value.block_until_ready()
                samples.append((time.perf_counter() - start) * 1e3 / BACK_TO_BACK)
            return samples
        return time_host(lambda: fn().block_until_ready(), budget_s=self.budget_s)

    # --- peers ---------------------------------------------------------------

    def measure(self, workload, tensors, reference, results, allowed=lambda system: True):
        """Times every peer of `workload` that is available and `allowed`
        (by name; the eager figure is allowed as torch-eager); each figure
        is added to `results` (report.Results). Failures are logged, not
        fatal."""
        torch = self.torch
        b2b = workload.kind == "dispatch"
        wanted = [p for p in workload.peers if allowed(p)]
        systems = []
        eager = lambda: workload.fn(self.eager_ops, *tensors)
        if "torch-eager" in wanted:
            systems.append((workload.eager_label, lambda: (eager, self.time_events)))
        if "torch-compile" in wanted:
            def compiled():
                # Every workload compiles the same lambda: past dynamo's
                # recompile limit (8) it would silently run eagerly, so the
                # "torch-compile" figure of later workloads was eager's.
                torch._dynamo.reset()
                fn = torch.compile(lambda *a: workload.fn(self.eager_ops, *a), dynamic=False)
                return (lambda: fn(*tensors)), self.time_events
            systems.append(("torch-compile", compiled))
        if "triton" in wanted and workload.triton and self.triton:
            systems.append(("triton", lambda: (
                self.triton.KERNELS[workload.triton](*tensors), self.time_events)))
        if "jax" in wanted and self.jax:
            def jitted():
                args = self.to_jax(tensors)
                fn = self.jax.jit(lambda *a: workload.fn(self.jax_ops, *a))
                return (lambda: fn(*args)), self.time_jax
            systems.append(("jax", jitted))
        for system, make in systems:
            try:
                with torch.no_grad():
                    call, timer = make()
                    samples = timer(call, back_to_back=b2b)
                    error = self.error(self._as_torch(call()), reference)
                median, low, high, reps = summary(samples)
                note = None
                if system != "jax" and not self.eager_ops.out_dtype_ok:
                    note = "this PyTorch has no f32 output for half-precision products: " \
                           "the half-precision result, widened"
                results.add(workload, system, "device", median, low, high, reps, error,
                            note=note)
            except Exception as failure:
                self.log("  %s: FAILED: %s" % (system, str(failure).strip().splitlines()[-1]
                                               if str(failure).strip() else repr(failure)))
            finally:
                torch.cuda.empty_cache()
        if "copy" in wanted and workload.kind == "memory":
            self.copy_ceiling(workload, results)

    def _as_torch(self, value):
        if isinstance(value, self.torch.Tensor):
            return value
        try:
            return self.torch.from_dlpack(value)
        except Exception:
            return self.torch.from_numpy(np.asarray(value))

    def copy_ceiling(self, workload, results):
        """A device-to-device copy moving the workload's bytes (half read,
        half written)."""
        torch = self.torch
        n = max(workload.bytes // 2, 1)
        source = torch.empty(n, dtype=torch.uint8, device=self.device)
        target = torch.empty_like(source)
        samples = self.time_events(lambda: target.copy_(source))
        median, low, high, reps = summary(samples)
        results.add(workload, "copy", "device", median, low, high, reps, None,
                    note="device-to-device copy of the same bytes")

    def pinned_bandwidth(self, size=256 << 20):
        """GB/s of a pinned host-to-device copy (the floor of host mode)."""
        torch = self.torch
        host = torch.empty(size, dtype=torch.uint8).pin_memory()
        device = torch.empty(size, dtype=torch.uint8, device=self.device)
        samples = self.time_events(lambda: device.copy_(host, non_blocking=True))
        return size / (summary(samples)[0] * 1e-3) / 1e9

    def transfers(self, workload, results):
        """Pinned and pageable copies of the workload's size, each way."""
        torch = self.torch
        size = workload.bytes // 2
        device = torch.empty(size, dtype=torch.uint8, device=self.device)
        for kind in ("pinned", "pageable"):
            host = torch.empty(size, dtype=torch.uint8)
            if kind == "pinned":
                host = host.pin_memory()
            host.fill_(1)
            for direction, call in (
                    ("h2d", lambda: device.copy_(host, non_blocking=True)),
                    ("d2h", lambda: host.copy_(device, non_blocking=True))):
                median, low, high, reps = summary(self.time_events(call))
                results.add(workload, "copy-%s-%s" % (kind, direction), "transfer", median,
                            low, high, reps, None,
                            gbps=size / (median * 1e-3) / 1e9, note="%s %s" % (kind, direction))
