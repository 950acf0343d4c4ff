# Child processes that never outlive the driver's interruption: a child
# stays in the driver's process group (so whatever kills the group, e.g. a
# command timeout, kills it too: a new session would survive that), and
# when the driver itself is interrupted (Ctrl-C, SIGTERM) or a child
# overruns its time, the child is killed before the exception propagates.

import os
import signal
import subprocess


def run(cmd, env=None, timeout=None, cwd=None):
    """Runs `cmd` to the end; returns (returncode, stdout, stderr)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=cwd)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        proc.kill()
        proc.wait()
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
