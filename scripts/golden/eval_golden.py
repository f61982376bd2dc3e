#!/usr/bin/env python3
"""Writes tests/golden/eval/*.json: inputs and expected metric values for
ember's evaluators (src/ml/eval), computed with scikit-learn (written against
Debian's python3-sklearn 1.2.1) and, where sklearn has no such metric, with a
few lines of numpy that spell out Spark's definition.

Run from the repository root:  /usr/bin/python3 scripts/golden/eval_golden.py

Values that come from numpy rather than sklearn:
  - areaUnderPR (Spark): sklearn.metrics.auc over the precision_recall_curve
    points, with sklearn's appended (recall 0, precision 1) replaced by Spark's
    first point (recall 0, precision at the highest threshold).
  - var (Spark's explainedVariance): sum w (f - ybar)^2 / sum w, the variance
    of the predictions around the label mean. sklearn's
    explained_variance_score is a different quantity and is not used.
  - r2 with throughOrigin: 1 - sum w (y - f)^2 / sum w y^2.
  - weightedFalsePositiveRate: from sklearn's confusion_matrix.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics

warnings.filterwarnings("ignore")  # ill-defined precision/recall of absent labels is 0, as Spark
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden", "eval")


def floats(a):
    return [float(x) for x in a]


def spark_area_under_pr(y, s, w):
    precision, recall, _ = metrics.precision_recall_curve(y, s, sample_weight=w)
    # sklearn: decreasing recall, ending with the point (recall 0, precision 1);
    # Spark starts its curve at (0, precision of the highest threshold).
    precision = precision.copy()
    precision[-1] = precision[-2]
    return float(metrics.auc(recall, precision))


def binary_case(name, y, s, w, score_type):
    return {
        "name": name,
        "score_type": score_type,
        "score": floats(s),
        "label": [int(v) for v in y],
        "weight": None if w is None else floats(w),
        "expected": {
            "areaUnderROC": float(metrics.roc_auc_score(y, s, sample_weight=w)),
            "averagePrecision": float(metrics.average_precision_score(y, s, sample_weight=w)),
            "areaUnderPR": spark_area_under_pr(y, s, w),
        },
    }


def binary_cases(rng):
    cases = []
    # Heavy ties: 101 distinct scores, labels that follow the score, weights.
    n = 2000
    s = np.round(rng.random(n), 2)
    y = (rng.random(n) < 0.2 + 0.6 * s).astype(int)
    w = np.round(rng.uniform(0.1, 3.0, n), 2)
    cases.append(binary_case("ties_weighted", y, s, w, "float64"))
    # Ten distinct integer scores, unweighted: almost every row is tied.
    n = 3000
    s = rng.integers(0, 10, n).astype(float)
    y = (rng.random(n) < 0.1 + 0.08 * s).astype(int)
    cases.append(binary_case("integer_scores", y, s, None, "float64"))
    # Continuous float32 scores, a rare positive class.
    n = 2500
    y = (rng.random(n) < 0.1).astype(int)
    s = (rng.normal(0, 1, n) + 1.2 * y).astype(np.float32).astype(float)
    cases.append(binary_case("float32_scores", y, s, None, "float32"))
    # Full-precision doubles (64-bit sort keys) with weights.
    n = 2000
    y = (rng.random(n) < 0.5).astype(int)
    s = rng.normal(0, 1, n) + 0.5 * y
    w = rng.uniform(0.0, 2.0, n) + 0.01
    cases.append(binary_case("double_scores_weighted", y, s, w, "float64"))
    return cases


def multiclass_case(name, y, p, w, prob):
    # sklearn refuses non-integer ("continuous") labels, so it sees each value's
    # rank among the sorted distinct values; the metrics do not change.
    values = np.union1d(y, p)
    y_values, p_values = y, p
    y, p = np.searchsorted(values, y), np.searchsorted(values, p)
    labels = np.arange(len(values))
    cm = metrics.confusion_matrix(y, p, labels=labels, sample_weight=w)
    total = cm.sum()
    support = cm.sum(axis=1)
    fp = cm.sum(axis=0) - np.diag(cm)
    fpr = np.where(total - support > 0, fp / np.maximum(total - support, 1e-300), 0.0)
    kw = dict(sample_weight=w, labels=labels, zero_division=0)
    expected = {
        "accuracy": float(metrics.accuracy_score(y, p, sample_weight=w)),
        "f1": float(metrics.f1_score(y, p, average="weighted", **kw)),
        "weightedPrecision": float(metrics.precision_score(y, p, average="weighted", **kw)),
        "weightedRecall": float(metrics.recall_score(y, p, average="weighted", **kw)),
        "hammingLoss": float(metrics.hamming_loss(y, p, sample_weight=w)),
        "weightedFalsePositiveRate": float(np.sum(fpr * support) / total),
    }
    if prob is not None:
        expected["logLoss"] = float(metrics.log_loss(y, prob, sample_weight=w, eps=1e-15, labels=range(prob.shape[1])))
    return {
        "name": name,
        "label": floats(y_values),
        "prediction": floats(p_values),
        "weight": None if w is None else floats(w),
        "probability": None if prob is None else [floats(r) for r in prob],
        "labels": floats(values),
        "confusion": [floats(r) for r in cm],
        "precision_by_label": floats(metrics.precision_score(y, p, average=None, **kw)),
        "recall_by_label": floats(metrics.recall_score(y, p, average=None, **kw)),
        "f1_by_label": floats(metrics.f1_score(y, p, average=None, **kw)),
        "expected": expected,
    }


def multiclass_cases(rng):
    cases = []
    n, k = 2000, 4
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < 0.6, y, rng.integers(0, k + 1, n))  # class 4 is only ever predicted
    w = np.round(rng.uniform(0.1, 2.0, n), 2)
    # Probabilities are multiples of 2^-20 that sum to exactly 1 and are exact
    # float32 values, so sklearn's renormalisation changes nothing and ember's
    # float32 vectors hold them exactly.
    denom = 1 << 20
    raw = rng.random((n, k)) + 0.05
    raw[np.arange(n), y] += rng.random(n) * 2
    num = np.maximum(1, np.floor(raw / raw.sum(axis=1, keepdims=True) * denom)).astype(np.int64)
    num[:, 0] += denom - num.sum(axis=1)
    assert (num >= 1).all()
    prob = num / denom
    cases.append(multiclass_case("four_classes_weighted", y, p, w, prob))
    # Non-integer labels, unweighted.
    values = np.array([-1.0, 0.5, 2.0])
    y = values[rng.integers(0, 3, 1500)]
    p = np.where(rng.random(1500) < 0.5, y, values[rng.integers(0, 3, 1500)])
    cases.append(multiclass_case("float_labels", y, p, None, None))
    return cases


def regression_case(name, y, f, w):
    ww = np.ones_like(y) if w is None else w
    ybar = np.sum(ww * y) / np.sum(ww)
    mse = metrics.mean_squared_error(y, f, sample_weight=w)
    return {
        "name": name,
        "label": floats(y),
        "prediction": floats(f),
        "weight": None if w is None else floats(w),
        "expected": {
            "mse": float(mse),
            "rmse": float(np.sqrt(mse)),
            "mae": float(metrics.mean_absolute_error(y, f, sample_weight=w)),
            "r2": float(metrics.r2_score(y, f, sample_weight=w)),
            "var": float(np.sum(ww * (f - ybar) ** 2) / np.sum(ww)),
            "r2_through_origin": float(1 - np.sum(ww * (y - f) ** 2) / np.sum(ww * y**2)),
        },
    }


def regression_cases(rng):
    n = 2000
    y = np.round(rng.normal(3.0, 2.0, n), 4)
    f = np.round(0.8 * y + rng.normal(0.5, 1.0, n), 4)
    w = np.round(rng.uniform(0.1, 5.0, n), 2)
    return [regression_case("weighted", y, f, w), regression_case("unweighted", y, f, None)]


def write(name, cases):
    doc = {
        "generator": "scripts/golden/eval_golden.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "cases": cases,
    }
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240531)
    write("binary.json", binary_cases(rng))
    write("multiclass.json", multiclass_cases(rng))
    write("regression.json", regression_cases(rng))


if __name__ == "__main__":
    main()
