#!/usr/bin/python3
"""XGBoost peer (hist, and its random-forest mode): fit one case on the first 80% of the
CSV, score the last 20%.

usage: xgboost_fit.py CASE DATA.csv --threads N [--reps R] [--save MODEL.json]
Estimators and settings: cases.XGBOOST, with n_jobs=N. Fit time includes the DMatrix
(quantile sketch and binning) that XGBClassifier.fit builds.
"""
import xgboost

import cases
import peer_common as pc


def main():
    a = pc.parse_args(__doc__)
    name, params = cases.XGBOOST[a.case]
    cls = getattr(xgboost, name)
    X, y, load_s = pc.load_csv(a.data)
    n = pc.train_rows(len(y))
    model, runs, windows, cpu, test_auc, aucs = pc.seeded_fits(
        a.case, lambda seed: cls(n_jobs=a.threads, **pc.with_seed(params, seed)).fit(X[:n], y[:n]),
        lambda m: pc.auc(y[n:], m.predict_proba(X[n:])[:, 1]), a.reps, a.cheap_seconds)
    if a.save:
        model.get_booster().save_model(a.save)
    pc.emit("xgboost", a.case, len(y), load_s, runs, windows, cpu, test_auc, test_auc_runs=aucs,
            version=xgboost.__version__)


if __name__ == "__main__":
    main()
