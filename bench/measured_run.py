"""One child process measured as the compile benchmarks measure it (bench/compile-large.py,
bench/jvm-ab): wall time, CPU (user + system of the child and all it waited for) and peak resident
set (ru_maxrss, the largest process's), from wait4(2), with its exit code and what it wrote to stderr.
"""

import os
import subprocess
import time
from typing import NamedTuple


class Measured(NamedTuple):
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss_kib: int  # peak resident set, KiB
    exit_code: int
    stderr: str


def run_measured(command, env):
    """Runs COMMAND (argv) with ENV, stdout discarded, stderr kept; waits for it and measures it."""
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    process.stderr.close()
    return Measured(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                    errors.decode(errors="replace"))
