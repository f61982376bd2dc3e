#!/usr/bin/python3
"""scikit-learn peer: fit one case on the first 80% of the CSV, score the last 20%.

usage: sklearn_fit.py CASE DATA.csv --threads N [--reps R] [--save MODEL.pkl]
Estimators and settings: cases.SKLEARN. BLAS and OpenMP threads are limited to N with
threadpoolctl; RandomForest gets n_jobs=N.
"""
import numpy as np
import sklearn.ensemble
import sklearn.linear_model
from threadpoolctl import threadpool_limits

import cases
import peer_common as pc


def main():
    a = pc.parse_args(__doc__)
    name, params = cases.SKLEARN[a.case]
    cls = getattr(sklearn.linear_model, name, None) or getattr(sklearn.ensemble, name)
    kw = dict(params)
    if "n_jobs" in cls().get_params():
        kw["n_jobs"] = a.threads
    X, y, load_s = pc.load_csv(a.data)
    n = pc.train_rows(len(y))
    with threadpool_limits(a.threads):
        model, runs, windows, cpu, test_auc, aucs = pc.seeded_fits(
            a.case, lambda seed: cls(**pc.with_seed(kw, seed)).fit(X[:n], y[:n]),
            lambda m: pc.auc(y[n:], m.predict_proba(X[n:])[:, 1]), a.reps, a.cheap_seconds)
    if a.save:
        pc.save_pickle(model, a.save)
    iters = getattr(model, "n_iter_", None)  # LR: per class; HistGradientBoosting: rounds
    pc.emit("sklearn", a.case, len(y), load_s, runs, windows, cpu, test_auc, test_auc_runs=aucs,
            version=sklearn.__version__, iterations=None if iters is None else int(np.max(iters)))


if __name__ == "__main__":
    main()
