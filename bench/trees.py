#!/usr/bin/python3
"""Tree-model benchmark: ember vs XGBoost (tree_method=hist) on the same data, one run.

usage: bench/trees.py EMBER_BINARY_DIR [--rows 1e6] [--threads 2] [--reps 3] [--cases gbt20,gbt100,rf20]

`ember datagen` writes the data once as CSV and as .ember (same rows, label
then 28 float features); the CSV is converted once to a float32 .npy for
XGBoost so that parsing is not part of either timing. Both engines fit on the
first 80% of rows and score the last 20%:
  ember:   build/.../bench/ember_bench_fit DATA.ember STAGE PARAMS; fit time is
           measured in-process and includes binning (quantile cuts + uint8 matrix)
  xgboost: xgboost.DMatrix(X_train) + xgboost.train, timed together (the
           DMatrix build is xgboost's binning), then inplace_predict on the test rows
Equivalent params (xgboost names in brackets):
  gbt20:  20 trees [num_boost_round], depth 5 [max_depth], 32 bins [max_bin],
          step 0.1 [eta], lambda 1, min child hessian 1 [min_child_weight]
  gbt100: 100 trees, depth 8, 256 bins, otherwise as gbt20
  rf20:   RandomForestClassifier, 20 trees, depth 5, 32 bins, sqrt(28) = 6
          features per node, Poisson bootstrap; xgboost's random forest mode
          (num_parallel_tree 20, subsample 0.632, colsample_bynode 6/28, eta 1,
          one round, lambda 0, min_child_weight 0)
Repetition k runs both engines with seed k (row and feature sampling of the
random forests), one after the other; times are medians, the test AUC is the mean over the seeds
(one forest's AUC moves by +-0.005 with its seed). Peak RSS from
/usr/bin/time -v. ember's single-row prediction latency (p50/p99 of one
PredictRow call per row) is printed after the table. Prints a markdown table
and writes bench/results/trees.json.
"""
import argparse, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
XGB = r"""
import json, sys, time
import numpy as np, xgboost as xgb
from sklearn.metrics import roc_auc_score
case, path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
params, rounds = json.loads(sys.argv[4]), int(sys.argv[5])
data = np.load(path)
y, X = data[:, 0], np.ascontiguousarray(data[:, 1:])
n = len(y) * 8 // 10
params.update(tree_method="hist", nthread=threads, objective="binary:logistic", eval_metric="logloss")
t = time.perf_counter()
d = xgb.DMatrix(X[:n], label=y[:n], nthread=threads)
booster = xgb.train(params, d, num_boost_round=rounds)
fit = time.perf_counter() - t
booster.set_param({"nthread": threads})
t = time.perf_counter()
p = booster.inplace_predict(X[n:])
predict = time.perf_counter() - t
print(json.dumps(dict(fit_seconds=fit, predict_seconds=predict, test_auc=float(roc_auc_score(y[n:], p)))))
"""
CASES = {
    "gbt20": ("GBTClassifier", {"maxIter": 20, "maxDepth": 5, "maxBins": 32, "stepSize": 0.1, "regLambda": 1.0,
                                "minChildWeight": 1.0},
              {"max_depth": 5, "max_bin": 32, "eta": 0.1, "lambda": 1.0, "min_child_weight": 1.0}, 20),
    "gbt100": ("GBTClassifier", {"maxIter": 100, "maxDepth": 8, "maxBins": 256, "stepSize": 0.1, "regLambda": 1.0,
                                 "minChildWeight": 1.0},
               {"max_depth": 8, "max_bin": 256, "eta": 0.1, "lambda": 1.0, "min_child_weight": 1.0}, 100),
    "rf20": ("RandomForestClassifier", {"numTrees": 20, "maxDepth": 5, "maxBins": 32},
             {"max_depth": 5, "max_bin": 32, "eta": 1.0, "lambda": 0.0, "min_child_weight": 0.0,
              "num_parallel_tree": 20, "subsample": 0.632, "colsample_bynode": 6 / 28}, 1),
}


def timed(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd[:3])}\n{p.stderr[-3000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    out = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    out["peak_rss_mb"] = round(rss, 1)
    return out


def summarise(runs):
    """Medians of the times and latencies, the mean test AUC (each repetition
    has its own seed, and a random forest's AUC moves with it), the largest
    peak RSS."""
    def med(key):
        values = sorted(r[key] for r in runs)
        return values[len(values) // 2]
    out = {k: med(k) for k in runs[0] if isinstance(runs[0][k], (int, float)) and k != "test_auc"}
    out["test_auc"] = sum(r["test_auc"] for r in runs) / len(runs)
    out["test_auc_runs"] = [r["test_auc"] for r in runs]
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    out["fit_seconds_runs"] = [r["fit_seconds"] for r in runs]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--rows", type=float, default=1e6)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--cases", default="gbt20,gbt100,rf20")
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    ember = os.path.join(a.build_dir, "src", "cli", "ember")
    fit = os.path.join(a.build_dir, "bench", "ember_bench_fit")
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    n = int(a.rows)
    csv, native = os.path.join(data, f"higgs_{n}.csv"), os.path.join(data, f"higgs_{n}.ember")
    npy = os.path.join(data, f"higgs_{n}.f32.npy")
    for path in (csv, native):
        if not os.path.exists(path):
            subprocess.run([ember, "-q", "datagen", "-n", str(n), "-o", path], check=True)
    if not os.path.exists(npy):
        subprocess.run(["/usr/bin/python3", "-c", "import sys, numpy as np, pandas as pd; "
                        "np.save(sys.argv[2], pd.read_csv(sys.argv[1], dtype=np.float32).to_numpy())", csv, npy],
                       check=True)
    results = dict(rows=n, threads=a.threads, cases={})
    for case in a.cases.split(","):
        stage, eparams, xparams, rounds = CASES[case]
        # The engines alternate, seed by seed: the shared machine's speed
        # drifts over tens of seconds, and all of one engine's runs before
        # all of the other's would put the drift into the ratio.
        ember_runs, xgb_runs = [], []
        for seed in range(1, a.reps + 1):
            ember_runs.append(timed([fit, native, stage, json.dumps(dict(eparams, seed=seed)), "--threads",
                                     str(a.threads)], a.threads))
            xgb_runs.append(timed(["/usr/bin/python3", "-c", XGB, case, npy, str(a.threads),
                                   json.dumps(dict(xparams, seed=seed)), str(rounds)], a.threads))
        e, x = summarise(ember_runs), summarise(xgb_runs)
        results["cases"][case] = dict(ember=e, xgboost=x, speedup=x["fit_seconds"] / e["fit_seconds"],
                                      speedup_runs=[xr["fit_seconds"] / er["fit_seconds"]
                                                    for er, xr in zip(ember_runs, xgb_runs)],
                                      auc_difference=e["test_auc"] - x["test_auc"])
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "trees.json"), "w") as f:
        json.dump(results, f, indent=1)
    test_rows = n - n * 8 // 10
    print(f"\nTree models, {n:,} rows (80% train), 28 features, {a.threads} threads, {a.reps} runs (seeds 1..{a.reps}): "
          "median times, mean AUC\n")
    print("| case | engine | fit s (binning included) | test AUC | predict rows/s | peak RSS MB | ember fit speed-up |")
    print("|---|---|---|---|---|---|---|")
    for case, r in results["cases"].items():
        for name in ("xgboost", "ember"):
            m = r[name]
            speed = f"{r['speedup']:.2f}x" if name == "ember" else ""
            print(f"| {case} | {name} | {m['fit_seconds']:.3f} | {m['test_auc']:.4f} | "
                  f"{test_rows / m['predict_seconds'] / 1e6:.2f}M | {m['peak_rss_mb']:.0f} | {speed} |")
    print("\nember fit speed-up seed by seed (each seed's two runs back to back): " +
          "; ".join(f"{case} " + " / ".join(f"{v:.2f}x" for v in r["speedup_runs"])
                    for case, r in results["cases"].items()))
    print("\nember single-row prediction latency (TreeEnsemble::PredictRow, one call per row, 20,000 test rows)\n")
    print("| case | p50 us | p99 us |")
    print("|---|---|---|")
    for case, r in results["cases"].items():
        e = r["ember"]
        if "predict_row_p50_us" in e:
            print(f"| {case} | {e['predict_row_p50_us']:.2f} | {e['predict_row_p99_us']:.2f} |")


if __name__ == "__main__":
    main()
