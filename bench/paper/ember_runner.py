"""ember's side of the paper suite: command lines for ember_bench_fit and `ember predict`,
and detection of the optional pieces (saving a fitted model, `ember predict`).

ember_bench_fit loads the CSV, assembles the 28 feature columns, fits on the first 80%
and scores the last 20% in one process; it prints load/assemble/fit/predict seconds and
the test AUC. The fit window (for CPU %) is placed at process start + load + assemble.
"""
import json
import os
import re
import subprocess

import cases

# `ember predict` ends with: scored N rows in X s (first row scored after Y s) -> OUT
SCORED = re.compile(r"scored (\d+) rows in ([0-9.eE+-]+) s \(first row scored after ([0-9.eE+-]+) s\)")
FIRST_BATCH_ROWS = 1000  # the first batch scored, by ember predict and by the peers alike


class Ember:
    """Paths of one build's binaries and what they support."""

    def __init__(self, build_dir):
        self.cli = os.path.join(build_dir, "src", "cli", "ember")
        self.fit = os.path.join(build_dir, "bench", "ember_bench_fit")
        missing = [p for p in (self.cli, self.fit) if not os.access(p, os.X_OK)]
        if missing:
            raise SystemExit(f"bench/paper: missing {', '.join(missing)}; build the targets ember and "
                             f"ember_bench_fit in {build_dir} first (or pass --build-dir)")
        self.can_save = "--save" in _help([self.fit, "--help"])
        self.can_predict = "--model" in _help([self.cli, "predict", "--help"])

    def version(self):
        return _help([self.cli, "--version"]).strip()

    def datagen_command(self, rows, path, threads):
        return [self.cli, "-q", "--threads", str(threads), "datagen", "--rows", str(rows), "--out", path]

    def fit_command(self, case, data, threads, save_dir="", seed=None):
        stage, params = cases.EMBER[case]
        params = params if seed is None else dict(params, seed=seed)
        cmd = [self.fit, data, stage, json.dumps(params), "--threads", str(threads)]
        if save_dir and self.can_save:
            cmd += ["--save", save_dir]
        return cmd

    def predict_command(self, model_dir, data, out, threads):
        return [self.cli, "-q", "--threads", str(threads), "predict", "--model", model_dir, "--input", data,
                "--output", out, "--batch-rows", str(FIRST_BATCH_ROWS)]


def fit_window(start, result):
    """(t0, t1) in time.time() of the fit inside an ember_bench_fit run that began at start."""
    t0 = start + result["load_seconds"] + result["assemble_seconds"]
    return [t0, t0 + result["fit_seconds"]]


def first_row_seconds(text, wall_seconds):
    """Seconds from process start to the first scored batch, or None.

    `ember predict` times its first batch from the start of its work (model load
    included); the process's start-up and exit are outside that clock, so the
    whole process wall time minus the time spent after the first batch is used: an
    upper bound that includes the exit."""
    m = SCORED.search(text)
    if not m:
        return None
    total, first = float(m.group(2)), float(m.group(3))
    return wall_seconds - (total - first)


def _help(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return p.stdout + p.stderr
