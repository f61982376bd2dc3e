"""The machine a run is on: what it is (for results.json), how busy it is, and waiting
for it to go quiet before a timed run (the development machine is shared)."""
import os
import platform
import subprocess
import time

import psutil


def describe():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return dict(cpu_model=model, logical_cpus=os.cpu_count(),
                memory_gb=round(psutil.virtual_memory().total / 2**30, 1),
                kernel=platform.release(), python=platform.python_version())


def busy_cpu_seconds():
    """CPU seconds the whole machine has spent busy since boot (from /proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    idle = v[3] + v[4]  # idle + iowait
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(max_seconds, busy_fraction=0.25, window=0.5):
    """Wait (at most max_seconds) until less than busy_fraction of one core was busy over
    `window` seconds; return the seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < max_seconds:
        b0 = busy_cpu_seconds()
        time.sleep(window)
        if busy_cpu_seconds() - b0 < busy_fraction * window:
            break
    return time.perf_counter() - t0


def git_commit(repo):
    try:
        return subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""
