#!/usr/bin/python3
"""Golden values for ember's tree models, from scikit-learn.

usage: scripts/golden/tree_golden.py   (Debian's python3-sklearn 1.2.1, python3-pandas)

For credit_data and wa_churn: string columns are ordinal-encoded (categories
sorted, codes 0, 1, ...), missing values become NaN, and every feature is
rounded to float32 (what ember stores). The rows are split by the shared
fixed test rows (tests/data/splits/<name>_test_rows.txt) and written to
tests/golden/tree/<name>.X.f32 (row-major little-endian float32, train rows
then test rows). <name>.json holds the 0/1 labels, the sizes and the test
AUC of HistGradientBoostingClassifier(random_state=42) trained on the same
float32 matrix (it handles NaN natively, like ember's trees).

hpc_data (4 classes) is written the same way, its labels as class indices
(class names sorted: F, L, M, VF -> 0..3), with sklearn's test accuracy and
multinomial log loss (sklearn_test_accuracy, sklearn_test_logloss).
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "tests", "golden", "tree")


def prepare(name, label, positive):
    df = pd.read_csv(os.path.join(DATA, name + ".csv"), keep_default_na=False, na_values=[""])
    feats = [c for c in df.columns if c != label]
    X = np.empty((len(df), len(feats)), np.float64)
    for j, c in enumerate(feats):
        if pd.api.types.is_numeric_dtype(df[c]):
            X[:, j] = df[c].to_numpy(float)
        else:
            cats = sorted(v for v in df[c].dropna().unique())
            code = {v: i for i, v in enumerate(cats)}
            X[:, j] = [np.nan if pd.isna(v) else code[v] for v in df[c]]
    X = X.astype(np.float32)
    if positive is None:
        classes = sorted(df[label].unique())
        y = df[label].map({c: i for i, c in enumerate(classes)}).to_numpy(float)
    else:
        y = (df[label] == positive).to_numpy(float)
    test = np.loadtxt(os.path.join(DATA, "splits", name + "_test_rows.txt"), dtype=int)
    is_test = np.zeros(len(df), bool)
    is_test[test] = True
    return X[~is_test], X[is_test], y[~is_test], y[is_test], feats


def case(name, label, positive):
    Xtr, Xte, ytr, yte, feats = prepare(name, label, positive)
    m = HistGradientBoostingClassifier(random_state=42).fit(Xtr, ytr)
    auc = roc_auc_score(yte, m.predict_proba(Xte)[:, 1])
    np.concatenate([Xtr, Xte]).astype("<f4").tofile(os.path.join(OUT, name + ".X.f32"))
    info = dict(sklearn="HistGradientBoostingClassifier(random_state=42)", features=feats,
                x_file=name + ".X.f32", n_train=int(len(ytr)), n_test=int(len(yte)), dim=int(Xtr.shape[1]),
                y_train=ytr.tolist(), y_test=yte.tolist(), sklearn_test_auc=float(auc))
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(info, f)
    print(name, Xtr.shape, Xte.shape, "sklearn test AUC", round(auc, 4))


def multiclass_case(name, label):
    Xtr, Xte, ytr, yte, feats = prepare(name, label, None)
    m = HistGradientBoostingClassifier(random_state=42).fit(Xtr, ytr)
    proba = m.predict_proba(Xte)
    acc = accuracy_score(yte, m.predict(Xte))
    np.concatenate([Xtr, Xte]).astype("<f4").tofile(os.path.join(OUT, name + ".X.f32"))
    info = dict(sklearn="HistGradientBoostingClassifier(random_state=42)", features=feats,
                x_file=name + ".X.f32", n_train=int(len(ytr)), n_test=int(len(yte)), dim=int(Xtr.shape[1]),
                classes=int(len(m.classes_)), y_train=ytr.tolist(), y_test=yte.tolist(),
                sklearn_test_accuracy=float(acc), sklearn_test_logloss=float(log_loss(yte, proba)))
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(info, f)
    print(name, Xtr.shape, Xte.shape, "sklearn test accuracy", round(acc, 4), "log loss", round(info["sklearn_test_logloss"], 4))


def main():
    os.makedirs(OUT, exist_ok=True)
    case("credit_data", "Status", "bad")
    case("wa_churn", "churn", "Yes")
    multiclass_case("hpc_data", "class")


if __name__ == "__main__":
    main()
