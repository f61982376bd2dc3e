#!/usr/bin/python3
"""Feature-pipeline benchmark: ember vs scikit-learn's ColumnTransformer, one run.

usage: bench/features.py BUILD_DIR [--rows 1e6,1e7] [--threads 2]

Writes bench/data/features_<rows>.csv once (seeded numpy): two string
columns (c1: 20 levels, c2: 1000 levels, Zipf-like) and three float columns.
ember: StringIndexer -> OneHotEncoder -> VectorAssembler -> StandardScaler
(fit + transform, timed in-process after loading). scikit-learn:
ColumnTransformer(OneHotEncoder on c1, c2; StandardScaler on n1..n3)
fit_transform, timed in-process after pandas.read_csv. Prints rows/s and the
ratio for each size; writes bench/results/features.json.
"""
import argparse, json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKLEARN = r"""
import json, sys, time
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
df = pd.read_csv(sys.argv[1], keep_default_na=False, na_values=[""])
ct = ColumnTransformer([("cat", OneHotEncoder(), ["c1", "c2"]), ("num", StandardScaler(), ["n1", "n2", "n3"])])
t = time.perf_counter(); out = ct.fit_transform(df); s = time.perf_counter() - t
print(json.dumps(dict(rows=len(df), fit_transform_seconds=s, rows_per_second=len(df) / s, output_dim=out.shape[1])))
"""


def make_data(path, n):
    import numpy as np, pandas as pd
    rng = np.random.default_rng(42)
    c1 = np.array([f"level{i}" for i in range(20)])[np.minimum(rng.zipf(1.5, n), 20) - 1]
    c2 = np.array([f"item{i}" for i in range(1000)])[np.minimum(rng.zipf(1.3, n), 1000) - 1]
    pd.DataFrame(dict(c1=c1, c2=c2, n1=rng.normal(size=n), n2=rng.exponential(size=n),
                      n3=rng.uniform(size=n))).to_csv(path, index=False, float_format="%.6g")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--rows", default="1e6,1e7", help="comma-separated row counts")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    results = dict(threads=a.threads, sizes={})
    for n in [int(float(r)) for r in a.rows.split(",")]:
        path = os.path.join(HERE, "data", f"features_{n}.csv")
        if not os.path.exists(path):
            make_data(path, n)
        e = run([os.path.join(a.build_dir, "bench", "ember_bench_features"), path, "--threads", str(a.threads)])
        s = run(["/usr/bin/python3", "-c", SKLEARN, path])
        results["sizes"][n] = dict(ember=e, sklearn=s, speedup=s["fit_transform_seconds"] / e["fit_transform_seconds"])
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "features.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nFeature pipeline (2 string + 3 numeric columns), {a.threads} threads\n")
    print("| rows | engine | fit+transform s | rows/s | output dim | ember speed-up |")
    print("|---|---|---|---|---|---|")
    for n, r in results["sizes"].items():
        e, s = r["ember"], r["sklearn"]
        print(f"| {n:,} | scikit-learn ColumnTransformer | {s['fit_transform_seconds']:.2f} | "
              f"{s['rows_per_second']:,.0f} | {s['output_dim']} | |")
        print(f"| {n:,} | ember StringIndexer+OneHotEncoder+VectorAssembler+StandardScaler | "
              f"{e['fit_transform_seconds']:.2f} | {e['rows_per_second']:,.0f} | {e['output_dim']} | "
              f"{r['speedup']:.1f}x |")


if __name__ == "__main__":
    main()
