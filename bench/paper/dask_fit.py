#!/usr/bin/python3
"""Dask + XGBoost peer (the distributed-Python engine): fit one case on the first 80% of
the CSV, score the last 20%, on a local Dask cluster.

usage: dask_fit.py CASE DATA.csv --threads N [--reps R]
Cluster: LocalCluster(n_workers=1, threads_per_worker=N): one worker process holding
every allotted core, as xgboost.dask is deployed on a machine (one worker per host,
all its threads); two single-thread workers would add an allreduce between two
processes on the same cores. Data: dask.dataframe.read_csv of the same CSV, persisted
in the worker (load_seconds), then split by row position. Estimators and settings:
cases.XGBOOST through DaskXGBClassifier / DaskXGBRFClassifier for the trees.
xgboost.dask has no linear booster and Debian has no dask-ml, so LR is dask-ml's own
method written out (dask_lbfgs_lr below): scipy's L-BFGS driving loss and gradient
reductions over the dask arrays, one cluster round trip per evaluation, with
scikit-learn's settings (cases.SKLEARN['lr']: 100 iterations, gtol 1e-6). cluster_seconds
(starting the scheduler and the worker) is reported apart from load and fit.
"""
import logging
import time

import numpy as np

import cases
import peer_common as pc


def dask_lbfgs_lr(X, y, max_iter, tol):
    """Unregularised logistic regression (with intercept) on dask arrays; returns (w, b, iterations)."""
    import dask
    import dask.array as da
    from scipy.optimize import minimize
    n, d = X.shape

    def fg(beta):
        eta = X @ beta[:d] + beta[d]
        r = 1.0 / (1.0 + da.exp(-eta)) - y
        loss, gw, gb = dask.compute(da.sum(da.logaddexp(0.0, eta) - y * eta) / n, X.T @ r / n, da.sum(r) / n)
        return float(loss), np.append(np.asarray(gw, dtype=np.float64), gb)

    res = minimize(fg, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                   options=dict(maxiter=max_iter, gtol=tol, ftol=64 * np.finfo(float).eps, maxls=50))
    return res.x[:d], res.x[d], int(res.nit)


def main():
    a = pc.parse_args(__doc__)
    import dask
    import dask.dataframe as dd
    import xgboost
    from dask.distributed import Client, LocalCluster, wait
    from xgboost import dask as dxgb

    name, params = cases.XGBOOST[a.case]
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=1, threads_per_worker=a.threads, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    cluster_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    ddf = dd.read_csv(a.data, dtype=np.float32).persist()
    wait(ddf)
    y = ddf["label"].to_dask_array(lengths=True)
    X = ddf.drop(columns="label").to_dask_array(lengths=True)
    load_s = time.perf_counter() - t0
    rows = int(y.shape[0])
    n = pc.train_rows(rows)

    extra = {}
    if a.case == "lr":
        lr = cases.SKLEARN["lr"][1]
        Xtr, ytr = X[:n].astype(np.float64), y[:n].astype(np.float64)
        model, runs, windows, cpu = pc.repeated_fit(lambda: dask_lbfgs_lr(Xtr, ytr, lr["max_iter"], lr["tol"]),
                                                    a.reps, a.cheap_seconds)
        w, b, extra["iterations"] = model
        test_auc = pc.auc(y[n:].compute(), (X[n:].astype(np.float64) @ w + b).compute())
    else:
        cls = getattr(dxgb, "Dask" + name)

        def fit(seed):
            m = cls(n_jobs=a.threads, **pc.with_seed(params, seed))
            m.client = client
            return m.fit(X[:n], y[:n])

        y_test = y[n:].compute()
        model, runs, windows, cpu, test_auc, extra["test_auc_runs"] = pc.seeded_fits(
            a.case, fit, lambda m: pc.auc(y_test, m.predict_proba(X[n:])[:, 1].compute()), a.reps,
            a.cheap_seconds)
    client.close()
    cluster.close()
    pc.emit("dask", a.case, rows, load_s, runs, windows, cpu, test_auc,
            cluster_seconds=cluster_s, partitions=ddf.npartitions, **extra,
            version=f"xgboost {xgboost.__version__}, dask {dask.__version__}")


if __name__ == "__main__":
    main()
