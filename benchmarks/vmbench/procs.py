# Child processes that never outlive the driver: each runs in its own
# process group, which is killed when the driver is interrupted (Ctrl-C,
# SIGTERM from a timeout) or the child overruns its time.

import os
import signal
import subprocess


class ChildFailed(Exception):
    pass


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def run(cmd, env=None, timeout=None, cwd=None):
    """Runs `cmd` to the end; returns (returncode, stdout, stderr). On any
    exception (interrupt, timeout) the child's whole process group is killed
    before the exception propagates."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=cwd, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        _kill_group(proc)
        raise
    return proc.returncode, out, err


def last_line(text):
    """The last non-empty line of a child's stderr (its error, without the
    traceback above it)."""
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no output)"


def raise_on_sigterm():
    """SIGTERM (what `timeout` and job control send) unwinds like Ctrl-C, so
    the handlers above kill the children."""
    def handler(signum, frame):
        raise KeyboardInterrupt("SIGTERM")
    signal.signal(signal.SIGTERM, handler)


def clean_blas_env():
    """This environment without OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, so
    that OpenBLAS picks its own kernel for the machine (setting them once
    held it to AVX2: shared/PERF-ROUTES.md)."""
    env = dict(os.environ)
    for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(name, None)
    return env
