"""Run one engine's process and measure it from outside: wall time, CPU use and peak RSS
of the whole process tree (Dask's scheduler and worker processes included).

A sampler thread reads every process of the tree every `interval` seconds with psutil:
the summed RSS, each process's own peak (VmHWM from /proc) and each process's CPU
seconds (a process that has exited keeps its last reading). CPU % over any window
(the fit, say) is then the growth of the tree's CPU seconds over that window,
interpolated between samples, divided by wall time and by the thread count, so 100%
means every allotted core was busy. The direct child's totals come from wait4.
"""
import dataclasses
import os
import subprocess
import tempfile
import threading
import time

import psutil


@dataclasses.dataclass
class Measured:
    """What one run of a command gave."""
    returncode: int
    stdout: str
    stderr: str
    start: float          # time.time() just before the process was started
    wall_seconds: float
    cpu_seconds: float    # user + system of the child and the descendants it waited for (wait4)
    peak_rss_mb: float    # max of: summed RSS of the tree at a sample, any one process's VmHWM, wait4's maxrss
    samples: list         # (time.time(), cumulative CPU seconds of the tree)

    def cpu_seconds_between(self, t0, t1):
        """CPU seconds the tree used between wall-clock times t0 and t1 (interpolated)."""
        return _interpolate(self.samples, t1) - _interpolate(self.samples, t0)


def _interpolate(samples, t):
    if not samples:
        return 0.0
    if t <= samples[0][0]:
        return samples[0][1]
    for (ta, ca), (tb, cb) in zip(samples, samples[1:]):
        if t <= tb:
            return ca + (cb - ca) * (t - ta) / (tb - ta) if tb > ta else cb
    return samples[-1][1]


def _vm_hwm_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class _Sampler(threading.Thread):
    def __init__(self, pid, interval):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.stop = threading.Event()
        self.cpu = {}        # pid -> last CPU seconds seen
        self.hwm_kb = {}     # pid -> last VmHWM seen
        self.peak_sum_kb = 0
        self.samples = []

    def sample(self):
        try:
            procs = [self.root] + self.root.children(recursive=True)
        except psutil.Error:
            return
        rss_kb = 0
        for p in procs:
            try:
                with p.oneshot():
                    t = p.cpu_times()
                    rss_kb += p.memory_info().rss // 1024
                self.cpu[p.pid] = t.user + t.system
                self.hwm_kb[p.pid] = max(self.hwm_kb.get(p.pid, 0), _vm_hwm_kb(p.pid))
            except psutil.Error:
                continue
        self.peak_sum_kb = max(self.peak_sum_kb, rss_kb)
        self.samples.append((time.time(), sum(self.cpu.values())))

    def run(self):
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


def run(cmd, env=None, timeout=None, interval=0.025):
    """Run cmd to completion under the sampler; never raises on a failing command."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = _Sampler(proc.pid, interval)
        sampler.start()
        deadline = None if timeout is None else t0 + timeout
        status, usage = None, None
        while status is None:
            pid, st, ru = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                status, usage = st, ru
                break
            if deadline is not None and time.perf_counter() > deadline:
                os.killpg(proc.pid, 9)
            time.sleep(0.005)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        try:  # leftovers of the tree (a Dask worker whose parent died): same session, ours
            os.killpg(proc.pid, 9)
        except OSError:
            pass
        sampler.stop.set()
        sampler.join()
        # The tree's last CPU reading must not be below what wait4 reports for the child.
        end_cpu = max(sampler.samples[-1][1] if sampler.samples else 0.0, usage.ru_utime + usage.ru_stime)
        sampler.samples.append((start + wall, end_cpu))
        peak_kb = max(sampler.peak_sum_kb, max(sampler.hwm_kb.values(), default=0), usage.ru_maxrss)
        out.seek(0)
        err.seek(0)
        return Measured(returncode=proc.returncode, stdout=out.read(), stderr=err.read(), start=start,
                        wall_seconds=wall, cpu_seconds=usage.ru_utime + usage.ru_stime,
                        peak_rss_mb=peak_kb / 1024, samples=sampler.samples)
