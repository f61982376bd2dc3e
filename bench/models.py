#!/usr/bin/python3
"""Model benchmark: ember vs scikit-learn on the same HIGGS-like data, one run.

usage: bench/models.py EMBER_BINARY_DIR [--rows 1e6[,1e7...]] [--sklearn-max-rows 1e6]
                       [--threads 2] [--cases lr] [--reps 3]

`ember datagen` writes the data once as .ember (and as CSV for the sizes
scikit-learn runs on; same rows). Each engine fits on the first 80% and
scores the last 20%:
  ember:   build/.../bench/ember_bench_fit DATA.ember STAGE PARAMS (fit time
           measured in-process; the .ember file is read a row group at a time
           into one float32 feature matrix, see bench/fit_model.cc)
  sklearn: pandas.read_csv of the CSV, then the estimator's fit (timed in-process)
Both with the Spark defaults named in the issue (LR: lbfgs, no regularisation,
100 iterations, tol 1e-6). Peak RSS from /usr/bin/time -v (whole process)
and, for ember, from Fit alone; both also as a multiple of the float32
feature matrix (rows x 28 x 4 bytes). scikit-learn runs only up to
--sklearn-max-rows (default 1e6: at 10M its fit takes minutes). With several
--rows the table ends with ember's fit-time growth against the smallest size.
Writes bench/results/models.json and prints a table with ratios.
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


def median_run(cmd, threads, reps):
    runs = sorted((timed(cmd, threads) for _ in range(reps)), key=lambda r: r["fit_seconds"])
    return runs[reps // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--rows", default="1e6", help="comma-separated row counts, e.g. 1e6,1e7")
    ap.add_argument("--sklearn-max-rows", type=float, default=1e6)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--cases", default="lr")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    ember = os.path.join(a.build_dir, "src", "cli", "ember")
    fit = os.path.join(a.build_dir, "bench", "ember_bench_fit")
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    sizes = [int(float(r)) for r in a.rows.split(",")]
    results = dict(threads=a.threads, sizes={})
    for n in sizes:
        with_sklearn = n <= a.sklearn_max_rows
        csv, native = os.path.join(data, f"higgs_{n}.csv"), os.path.join(data, f"higgs_{n}.ember")
        for path in (csv, native) if with_sklearn else (native,):
            if not os.path.exists(path):
                subprocess.run([ember, "-q", "datagen", "-n", str(n), "-o", path], check=True)
        cases = {}
        for case in a.cases.split(","):
            stage, params = CASES[case]
            e = median_run([fit, native, stage, json.dumps(params), "--threads", str(a.threads)], a.threads, a.reps)
            e["fit_rss_x_matrix"] = e["fit_peak_rss_bytes"] / e["feature_matrix_bytes"]
            e["rss_x_matrix"] = e["peak_rss_mb"] * 2**20 / e["feature_matrix_bytes"]
            r = dict(ember=e)
            if with_sklearn:
                s = median_run(["/usr/bin/python3", "-c", SKLEARN, case, csv, str(a.threads)], a.threads, a.reps)
                r.update(sklearn=s, speedup=s["fit_seconds"] / e["fit_seconds"],
                         auc_difference=e["test_auc"] - s["test_auc"])
            cases[case] = r
        results["sizes"][n] = cases
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "models.json"), "w") as f:
        json.dump(results, f, indent=1)
    print(f"\nModels, 28 features, 80% train, {a.threads} threads, medians of {a.reps}\n")
    print("| rows | case | engine | fit s | iterations | test AUC | peak RSS MB (x matrix) | fit peak RSS x matrix "
          "| ember speed-up |")
    print("|---|---|---|---|---|---|---|---|---|")
    for n, cases in results["sizes"].items():
        for case, r in cases.items():
            e = r["ember"]
            if "sklearn" in r:
                s = r["sklearn"]
                print(f"| {n:,} | {case} | scikit-learn | {s['fit_seconds']:.3f} | {s['iterations']} | "
                      f"{s['test_auc']:.4f} | {s['peak_rss_mb']:.0f} | | |")
            speed = f"{r['speedup']:.1f}x" if "speedup" in r else ""
            print(f"| {n:,} | {case} | ember | {e['fit_seconds']:.3f} | {e.get('iterations', '')} | "
                  f"{e['test_auc']:.4f} | {e['peak_rss_mb']:.0f} ({e['rss_x_matrix']:.2f}x) | "
                  f"{e['fit_rss_x_matrix']:.2f}x | {speed} |")
    if len(sizes) > 1:
        base = sizes[0]
        print()
        for n in sizes[1:]:
            for case in results["sizes"][n]:
                e0, e1 = results["sizes"][base][case]["ember"], results["sizes"][n][case]["ember"]
                growth = e1["fit_seconds"] / e0["fit_seconds"]
                print(f"ember {case}: {n / base:.0f}x the rows, {growth:.1f}x the fit time "
                      f"({e0.get('iterations')} and {e1.get('iterations')} iterations)")


if __name__ == "__main__":
    main()
