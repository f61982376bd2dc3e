#!/usr/bin/env python3
"""Writes tests/golden/report/curves.json: scored rows and the ROC,
precision-recall and calibration points of the run report (src/report/
curves.h), computed with scikit-learn (written against Debian's
python3-sklearn 1.2.1):

  roc_curve(drop_intermediate=False)   fpr, tpr, thresholds (first one is
                                       max + 1 in sklearn; ember uses +inf)
  precision_recall_curve               reversed to descending thresholds, with
                                       the appended (recall 0, precision 1)
                                       moved to the front
  roc_auc_score, average_precision_score
  calibration_curve(n_bins=10, strategy="uniform")   (unweighted only)

Run from the repository root:  /usr/bin/python3 scripts/golden/report_golden.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn import calibration, metrics

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden", "report")


def floats(a):
    return [float(x) for x in a]


def case(name, scores, labels, weights):
    y = np.asarray(labels, dtype=float)
    s = np.asarray(scores, dtype=float)
    w = None if weights is None else np.asarray(weights, dtype=float)
    fpr, tpr, roc_thresholds = metrics.roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    precision, recall, pr_thresholds = metrics.precision_recall_curve(y, s, sample_weight=w)
    out = {
        "name": name,
        "scores": floats(s),
        "labels": floats(y),
        "weights": [] if w is None else floats(w),
        # Descending thresholds; the first ROC point (0, 0) has no finite threshold.
        "roc_fpr": floats(fpr),
        "roc_tpr": floats(tpr),
        "roc_thresholds": floats(roc_thresholds[1:]),
        "pr_recall": [0.0] + floats(recall[:-1][::-1]),
        "pr_precision": [1.0] + floats(precision[:-1][::-1]),
        "pr_thresholds": floats(pr_thresholds[::-1]),
        "roc_auc": float(metrics.roc_auc_score(y, s, sample_weight=w)),
        "average_precision": float(metrics.average_precision_score(y, s, sample_weight=w)),
    }
    if w is None:
        prob_true, prob_pred = calibration.calibration_curve(y, s, n_bins=10, strategy="uniform")
        out["calibration_fraction_positive"] = floats(prob_true)
        out["calibration_mean_predicted"] = floats(prob_pred)
    return out


def main():
    rng = np.random.default_rng(20261125)
    cases = []
    # Hand-sized example with ties (the same rows as the hand-computed test).
    cases.append(case("ties", [0.9, 0.8, 0.8, 0.6, 0.55, 0.4, 0.4, 0.3, 0.2, 0.1],
                      [1, 1, 0, 1, 0, 1, 0, 0, 1, 0], None))
    # 300 rows, scores on a 0.01 grid (many ties, some exactly on bin edges).
    n = 300
    labels = (rng.random(n) < 0.35).astype(float)
    scores = np.clip(np.round(0.25 + 0.35 * labels + rng.normal(0, 0.2, n), 2), 0, 1)
    cases.append(case("grid300", scores, labels, None))
    # The same rows with weights.
    weights = np.round(rng.uniform(0.2, 3.0, n), 3)
    cases.append(case("weighted300", scores, labels, weights))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "curves.json"), "w") as f:
        json.dump({"sklearn_version": sklearn.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
