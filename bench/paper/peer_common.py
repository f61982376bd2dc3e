"""What every Python peer runner shares: arguments, loading the CSV, the 80/20 split,
repeated timed fits, and the one JSON line a runner prints.

The timing contract (the same as ember_bench_fit's): load_seconds covers reading
the CSV into memory; fit_seconds covers going from the in-memory float32 matrix to
a fitted model (an engine's own binning or DMatrix construction included); the
test AUC is computed on the last 20% of rows with scikit-learn's roc_auc_score.
"""
import argparse
import json
import pickle
import statistics
import sys
import time

import numpy as np

import cases


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("case", help="lr, gbt, rf or gbt_heavy (see cases.py)")
    ap.add_argument("data", help="CSV written by `ember datagen` (label first)")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--reps", type=int, default=1, help="most fits; the median is reported")
    ap.add_argument("--cheap-seconds", type=float, default=10.0,
                    help="repeat only while one fit takes less than this")
    ap.add_argument("--save", default="", help="save the fitted model to this file (for first-prediction timing)")
    return ap.parse_args()


def load_csv(path):
    """Return X (float32, C order), y, load seconds."""
    import pandas as pd
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype=np.float32, engine="c")
    y = df.pop("label").to_numpy()
    X = np.ascontiguousarray(df.to_numpy(dtype=np.float32))
    return X, y, time.perf_counter() - t0


def train_rows(n):
    """The first 80% of rows train, as in ember_bench_fit."""
    return n * 8 // 10


def repeated_fit(fit, reps, cheap_seconds):
    """Call fit() up to reps times (only while one call is cheap); return the last model,
    each call's seconds, its (time.time()) window and its own process CPU seconds."""
    model, runs, windows, cpu = None, [], [], []
    for _ in range(max(1, reps)):
        c0, w0, t0 = time.process_time(), time.time(), time.perf_counter()
        model = fit()
        runs.append(time.perf_counter() - t0)
        windows.append([w0, time.time()])
        cpu.append(time.process_time() - c0)
        if runs[-1] >= cheap_seconds:
            break
    return model, runs, windows, cpu


def seeded_fits(case, make_fit, score, reps, cheap_seconds):
    """Fit the case and score it. A seeded case (cases.SEEDED) is fitted once per seed
    of cases.SEEDS and its AUC is the mean; any other is fitted up to reps times while
    a fit is cheap (make_fit(None): the settings of cases.py as they are).
    make_fit(seed) returns a fitted model, score(model) its test AUC.
    Returns the last model, the fits' seconds, windows and CPU seconds, the test AUC
    and the AUC of each scored model."""
    if case not in cases.SEEDED:
        model, runs, windows, cpu = repeated_fit(lambda: make_fit(None), reps, cheap_seconds)
        test_auc = score(model)
        return model, runs, windows, cpu, test_auc, [test_auc]
    model, runs, windows, cpu, aucs = None, [], [], [], []
    for seed in cases.SEEDS:
        model, r, w, c = repeated_fit(lambda: make_fit(seed), 1, cheap_seconds)
        runs += r
        windows += w
        cpu += c
        aucs.append(score(model))
    return model, runs, windows, cpu, statistics.fmean(aucs), aucs


def with_seed(params, seed):
    """params with random_state=seed, or params as they are when seed is None."""
    return dict(params) if seed is None else dict(params, random_state=seed)


def auc(y, score):
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(y, score))


def save_pickle(model, path):
    with open(path, "wb") as f:
        pickle.dump(model, f)


def emit(engine, case, rows, load_seconds, runs, windows, cpu, test_auc, **extra):
    """Print the runner's one JSON line (the driver reads the last line starting with '{')."""
    print(json.dumps(dict(engine=engine, case=case, rows=rows, load_seconds=load_seconds,
                          fit_seconds=statistics.median(runs), fit_runs=runs, fit_windows=windows,
                          fit_process_cpu_seconds=cpu, test_auc=test_auc, **extra)))
    sys.stdout.flush()
