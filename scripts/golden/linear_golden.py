#!/usr/bin/python3
"""Golden values for ember's linear models, from scikit-learn.

usage: scripts/golden/linear_golden.py   (Debian's python3-sklearn 1.2.1, python3-pandas)

For each case the design matrix is prepared like ../shared/data/baselines.py
(numeric: mean imputation + StandardScaler; categorical: constant
"__missing__" + one-hot), rounded to float32 (ember stores features as
float32, so both libraries see identical numbers), and written to
tests/golden/linear/<dataset>[_variant].X.f32 (shared by the cases of one dataset; row-major little-endian float32, train rows
then test rows). <case>.json holds labels, the split sizes, the
scikit-learn settings, its coefficients/intercepts and its test metrics.

The split uses the shared fixed test rows (tests/data/splits/<name>_test_rows.txt).
Mapping to ember: sklearn minimises C * sum(loss) + penalty(w), ember
(1/n) sum(loss) + regParam * penalty(w); so regParam = 1 / (C * n_train),
with standardization=false so the penalty applies to the same coefficients.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import ElasticNet, LogisticRegression, Ridge
from sklearn.metrics import roc_auc_score, accuracy_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(ROOT, "tests", "golden", "linear")


def prepare(name, label, drop=None, numeric_only=False):
    df = pd.read_csv(os.path.join(DATA, name + ".csv"), keep_default_na=False, na_values=[""])
    feats = [c for c in df.columns if c != label]
    num = [c for c in feats if pd.api.types.is_numeric_dtype(df[c])]
    cat = [] if numeric_only else [c for c in feats if c not in num]
    feats = num + cat
    test = np.loadtxt(os.path.join(DATA, "splits", name + "_test_rows.txt"), dtype=int)
    is_test = np.zeros(len(df), bool)
    is_test[test] = True
    pre = ColumnTransformer([
        ("num", Pipeline([("imp", SimpleImputer(strategy="mean")), ("sc", StandardScaler())]), num),
        ("cat", Pipeline([("imp", SimpleImputer(strategy="constant", fill_value="__missing__")),
                          ("oh", OneHotEncoder(handle_unknown="ignore", drop=drop))]), cat),
    ], sparse_threshold=0.0)
    Xtr = pre.fit_transform(df[feats][~is_test]).astype(np.float32)
    Xte = pre.transform(df[feats][is_test]).astype(np.float32)
    return Xtr, Xte, df[label][~is_test].to_numpy(), df[label][is_test].to_numpy()


def write(case, Xtr, Xte, ytr, yte, info, x_file):
    np.concatenate([Xtr, Xte]).astype("<f4").tofile(os.path.join(OUT, x_file))
    info.update(x_file=x_file, n_train=int(len(ytr)), n_test=int(len(yte)), dim=int(Xtr.shape[1]),
                y_train=[float(v) for v in ytr], y_test=[float(v) for v in yte])
    with open(os.path.join(OUT, case + ".json"), "w") as f:
        json.dump(info, f)


def binary_case(case, name, label, positive, C, penalty, solver, drop=None):
    Xtr, Xte, ytr, yte = prepare(name, label, drop)
    ytr = (ytr == positive).astype(float)
    yte = (yte == positive).astype(float)
    m = LogisticRegression(C=C, penalty=penalty, solver=solver, tol=1e-14, max_iter=100000)
    m.fit(Xtr.astype(np.float64), ytr)
    p = m.predict_proba(Xte.astype(np.float64))[:, 1]
    write(case, Xtr, Xte, ytr, yte, dict(
        sklearn=f"LogisticRegression(C={C}, penalty={penalty}, solver={solver}, tol=1e-14)",
        regParam=1.0 / (C * len(ytr)), elasticNetParam=1.0 if penalty == "l1" else 0.0,
        coefficients=m.coef_.ravel().tolist(), intercepts=m.intercept_.tolist(),
        test_auc=float(roc_auc_score(yte, p))), name + ("_dropfirst" if drop else "") + ".X.f32")


def multinomial_case(case, name, label):
    Xtr, Xte, ytr, yte = prepare(name, label)
    classes = sorted(set(ytr))
    index = {c: i for i, c in enumerate(classes)}
    ytr = np.array([index[v] for v in ytr], float)
    yte = np.array([index[v] for v in yte], float)
    m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-14, max_iter=100000)
    m.fit(Xtr.astype(np.float64), ytr)
    pred = m.predict(Xte.astype(np.float64))
    write(case, Xtr, Xte, ytr, yte, dict(
        sklearn="LogisticRegression(C=1, multinomial, newton-cg, tol=1e-14)", classes=classes,
        regParam=1.0 / len(ytr), elasticNetParam=0.0,
        coefficients=m.coef_.ravel().tolist(), intercepts=m.intercept_.tolist(),
        test_accuracy=float(accuracy_score(yte, pred))), name + ".X.f32")


def regression_case(case, name, label, model, reg, enet, numeric_only=False):
    Xtr, Xte, ytr, yte = prepare(name, label, numeric_only=numeric_only)
    m = model.fit(Xtr.astype(np.float64), ytr)
    p = m.predict(Xte.astype(np.float64))
    write(case, Xtr, Xte, ytr.astype(float), yte.astype(float), dict(
        sklearn=repr(model), regParam=reg, elasticNetParam=enet,
        coefficients=np.ravel(m.coef_).tolist(), intercepts=[float(m.intercept_)],
        test_rmse=float(np.sqrt(np.mean((p - yte) ** 2)))), name + ("_numeric" if numeric_only else "") + ".X.f32")


def main():
    os.makedirs(OUT, exist_ok=True)
    binary_case("wa_churn_l2", "wa_churn", "churn", "Yes", 1.0, "l2", "newton-cg")
    binary_case("credit_data_l2", "credit_data", "Status", "bad", 1.0, "l2", "newton-cg")
    # L1 cases drop a level of each one-hot group: with all levels and an
    # intercept the L1 optimum is not unique (a shift along the group is free).
    binary_case("credit_data_l1", "credit_data", "Status", "bad", 0.05, "l1", "saga", drop="first")
    multinomial_case("hpc_data_multinomial", "hpc_data", "class")
    # Ridge: ||y - Xw||^2 + alpha ||w||^2  ==  (1/2n) ||.||^2 + (alpha/n)/2 ||w||^2 * ... ->
    # ember's LinearRegression objective (1/2n) sum r^2 + regParam/2 ||w||^2 gives regParam = alpha / n.
    Xtr, _, _, _ = prepare("ames", "Sale_Price")
    n = Xtr.shape[0]
    regression_case("ames_ridge", "ames", "Sale_Price", Ridge(alpha=1.0, solver="cholesky"), 1.0 / n, 0.0)
    # ElasticNet: (1/2n) ||y - Xw||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2
    # == ember's objective with regParam = alpha, elasticNetParam = l1_ratio.
    regression_case("ames_elasticnet", "ames", "Sale_Price",
                    ElasticNet(alpha=100.0, l1_ratio=0.5, tol=1e-12, max_iter=1000000), 100.0, 0.5, numeric_only=True)


if __name__ == "__main__":
    main()
