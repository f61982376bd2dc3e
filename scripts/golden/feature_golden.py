#!/usr/bin/python3
"""Golden values for ember's feature stages, from scikit-learn and pandas.

Run from the repository root with Debian's python3-sklearn (1.2.1) and
python3-pandas:

    /usr/bin/python3 scripts/golden/feature_golden.py

It reads the first ROWS rows of the shared datasets in tests/data/ and writes
small JSON files to tests/golden/feature/. Each file holds the inputs (so the
C++ tests need no CSV reader: ml/feature must not depend on io), the fitted
statistics and the first HEAD transformed rows. Numeric inputs of vector
stages are rounded to float32 before the reference sees them, because ember
stores vectors as float32; the reference then fits exactly the values ember
fits.

Where ember follows Spark and Spark differs from scikit-learn, the file keeps
scikit-learn's values and the C++ test converts (see each section):
- StandardScaler: Spark divides by the sample std (n - 1), sklearn by the
  population std (n).
- QuantileDiscretizer: compared with KBinsDiscretizer(strategy='quantile'),
  whose edges are np.percentile with linear interpolation, the definition
  ember uses for exact quantiles; Spark's outer edges are -inf/+inf where
  sklearn's are min/max (same buckets).
"""

import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import (KBinsDiscretizer, MaxAbsScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                   RobustScaler, StandardScaler)

ROWS = 400
HEAD = 20
DATA = "tests/data"
OUT = "tests/golden/feature"


def read(name):
    return pd.read_csv(os.path.join(DATA, name + ".csv"), keep_default_na=False, na_values=[""]).head(ROWS)


def f32(frame):
    return frame.to_numpy(dtype=np.float64).astype(np.float32).astype(np.float64)


def clean(x):
    """JSON-ready nested lists: NaN becomes null, numpy scalars plain floats."""
    if isinstance(x, (list, tuple, np.ndarray)):
        return [clean(v) for v in x]
    if isinstance(x, (np.integer, int)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return None if np.isnan(x) else float(x)
    return x


def write(name, payload):
    payload["generator"] = "scripts/golden/feature_golden.py (scikit-learn %s, pandas %s, numpy %s)" % (
        sklearn.__version__, pd.__version__, np.__version__)
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


# Numeric matrices used by the scalers: ames and hpc_data columns without missing values.
MATRICES = {
    "ames": (read("ames"), ["Lot_Area", "Gr_Liv_Area", "Year_Built", "Mas_Vnr_Area", "Longitude"]),
    "hpc": (read("hpc_data"), ["compounds", "input_fields", "iterations", "num_pending", "hour"]),
}


def scalers():
    standard, minmax, maxabs, robust = {}, {}, {}, {}
    for key, (frame, cols) in MATRICES.items():
        x = f32(frame[cols])
        base = {"columns": cols, "inputs": clean(x)}
        # sklearn: population std; the C++ test converts to Spark's sample std.
        s = StandardScaler().fit(x)
        standard[key] = dict(base, n=int(s.n_samples_seen_), mean=clean(s.mean_), scale=clean(s.scale_),
                             centered_head=clean(s.transform(x)[:HEAD]),
                             uncentered_head=clean(StandardScaler(with_mean=False).fit_transform(x)[:HEAD]))
        m = MinMaxScaler().fit(x)
        m2 = MinMaxScaler(feature_range=(-1, 3)).fit(x)
        minmax[key] = dict(base, data_min=clean(m.data_min_), data_max=clean(m.data_max_),
                           head=clean(m.transform(x)[:HEAD]), head_m1_3=clean(m2.transform(x)[:HEAD]))
        a = MaxAbsScaler().fit(x)
        maxabs[key] = dict(base, max_abs=clean(a.max_abs_), head=clean(a.transform(x)[:HEAD]))
        r = RobustScaler(with_centering=False).fit(x)
        rc = RobustScaler(with_centering=True, quantile_range=(10.0, 90.0)).fit(x)
        robust[key] = dict(base, scale=clean(r.scale_), head=clean(r.transform(x)[:HEAD]),
                           center_10_90=clean(rc.center_), scale_10_90=clean(rc.scale_),
                           head_centered_10_90=clean(rc.transform(x)[:HEAD]))
    write("standard_scaler.json", standard)
    write("min_max_scaler.json", minmax)
    write("max_abs_scaler.json", maxabs)
    write("robust_scaler.json", robust)


def imputer():
    frame = read("credit_data")
    cols = ["Income", "Assets", "Debt", "Seniority"]
    x = frame[cols].to_numpy(dtype=np.float64)
    out = {"columns": cols, "inputs": {c: clean(frame[c].to_numpy(dtype=np.float64)) for c in cols}}
    for strategy in ["mean", "median", "most_frequent"]:
        imp = SimpleImputer(strategy=strategy).fit(x)
        out[strategy] = {"statistics": clean(imp.statistics_), "head": clean(imp.transform(x)[:HEAD])}
    write("imputer.json", out)


def categorical():
    """StringIndexer orders (pandas counts) and OneHotEncoder on alphabetical codes (sklearn)."""
    out = {}
    for key, name, cols in [("churn", "wa_churn", ["contract", "payment_method", "internet_service"]),
                            ("credit", "credit_data", ["Marital", "Records", "Job"])]:
        frame = read(name)
        frame = frame[cols].dropna()
        strings = frame.astype(str)
        # StringIndexer frequencyDesc: count descending, ties alphabetical (Spark 3).
        freq = {}
        for c in cols:
            counts = strings[c].value_counts()
            freq[c] = [label for label, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        # alphabetAsc indices = OrdinalEncoder codes (categories sorted).
        ordinal = OrdinalEncoder().fit(strings)
        codes = ordinal.transform(strings)
        onehot = OneHotEncoder(sparse_output=False).fit(codes)
        out[key] = {
            "columns": cols,
            "strings": {c: strings[c].tolist() for c in cols},
            "frequency_desc_labels": freq,
            "alphabet_asc_labels": {c: [str(v) for v in cats] for c, cats in zip(cols, ordinal.categories_)},
            "codes": clean(codes),
            "category_counts": [len(c) for c in onehot.categories_],
            "onehot_head": clean(onehot.transform(codes)[:HEAD]),
        }
    write("categorical.json", out)


def quantile_discretizer():
    out = {}
    for key, (frame, cols) in MATRICES.items():
        x = f32(frame[cols])
        entry = {"columns": cols, "inputs": clean(x)}
        for bins in [4, 10]:
            kb = KBinsDiscretizer(n_bins=bins, encode="ordinal", strategy="quantile", subsample=None).fit(x)
            # raw_edges: the percentiles before sklearn drops bins narrower than 1e-8
            # (what its fit computes first); Spark keeps them and drops exact duplicates.
            raw = [np.percentile(x[:, j], np.linspace(0, 100, bins + 1)) for j in range(x.shape[1])]
            entry["bins_%d" % bins] = {"edges": [clean(e) for e in kb.bin_edges_], "raw_edges": clean(raw),
                                       "head": clean(kb.transform(x)[:HEAD])}
        out[key] = entry
    write("quantile_discretizer.json", out)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    np.seterr(all="ignore")
    scalers()
    imputer()
    categorical()
    quantile_discretizer()
