#!/usr/bin/python3
"""Model benchmark: ember vs scikit-learn on the same HIGGS-like data, one run.

usage: bench/models.py EMBER_BINARY_DIR [--rows 1e6] [--threads 2] [--cases lr]

`ember datagen` writes the data once as CSV and as .ember (same rows). Each
engine fits on the first 80% and scores the last 20%:
  ember:   build/.../bench/ember_bench_fit DATA.ember STAGE PARAMS (fit time measured in-process)
  sklearn: pandas.read_csv of the CSV, then the estimator's fit (timed in-process)
Both with the Spark defaults named in the issue (LR: lbfgs, no regularisation,
100 iterations, tol 1e-6). Peak RSS from /usr/bin/time -v. Writes
bench/results/models.json and prints a table with ratios.
"""
import argparse, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SKLEARN = r"""
import json, sys, time, os
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits
case, path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
df = pd.read_csv(path, dtype=np.float32)
y = df.pop("label").to_numpy(); X = df.to_numpy()
n = len(y) * 8 // 10
with threadpool_limits(threads):
    if case == "lr":
        m = LogisticRegression(penalty="none", max_iter=100, tol=1e-6)
    t = time.perf_counter(); m.fit(X[:n], y[:n]); fit = time.perf_counter() - t
    auc = roc_auc_score(y[n:], m.predict_proba(X[n:])[:, 1])
print(json.dumps(dict(fit_seconds=fit, test_auc=auc, iterations=int(np.max(m.n_iter_)))))
"""
CASES = {"lr": ("LogisticRegression", {"maxIter": 100, "tol": 1e-6, "regParam": 0.0})}


def timed(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    out = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    out["peak_rss_mb"] = round(rss, 1)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--rows", type=float, default=1e6)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--cases", default="lr")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    ember = os.path.join(a.build_dir, "src", "cli", "ember")
    fit = os.path.join(a.build_dir, "bench", "ember_bench_fit")
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    n = int(a.rows)
    csv, native = os.path.join(data, f"higgs_{n}.csv"), os.path.join(data, f"higgs_{n}.ember")
    for path in (csv, native):
        if not os.path.exists(path):
            subprocess.run([ember, "-q", "datagen", "-n", str(n), "-o", path], check=True)
    results = dict(rows=n, threads=a.threads, cases={})
    for case in a.cases.split(","):
        stage, params = CASES[case]
        e = sorted((timed([fit, native, stage, json.dumps(params), "--threads", str(a.threads)], a.threads)
                    for _ in range(a.reps)), key=lambda r: r["fit_seconds"])[a.reps // 2]
        s = sorted((timed(["/usr/bin/python3", "-c", SKLEARN, case, csv, str(a.threads)], a.threads)
                    for _ in range(a.reps)), key=lambda r: r["fit_seconds"])[a.reps // 2]
        results["cases"][case] = dict(ember=e, sklearn=s, speedup=s["fit_seconds"] / e["fit_seconds"],
                                      auc_difference=e["test_auc"] - s["test_auc"])
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "models.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nModels, {n:,} rows (80% train), 28 features, {a.threads} threads, medians of {a.reps}\n")
    print("| case | engine | fit s | test AUC | peak RSS MB | ember speed-up |")
    print("|---|---|---|---|---|---|")
    for case, r in results["cases"].items():
        e, s = r["ember"], r["sklearn"]
        print(f"| {case} | scikit-learn | {s['fit_seconds']:.3f} | {s['test_auc']:.4f} | {s['peak_rss_mb']:.0f} | |")
        print(f"| {case} | ember | {e['fit_seconds']:.3f} | {e['test_auc']:.4f} | {e['peak_rss_mb']:.0f} | "
              f"{r['speedup']:.1f}x |")


if __name__ == "__main__":
    main()
