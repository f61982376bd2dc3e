#!/usr/bin/python3
"""The paper benchmark suite: ember beside scikit-learn, XGBoost and Dask + XGBoost on
the same HIGGS-like CSV, in one run (`make bench-paper SCALE=small|medium|large`).

usage: bench/paper/run.py [--scale small] [--build-dir build/release] [--threads 2]
                          [--engines ember,sklearn,xgboost,dask] [--cases lr,gbt,rf,gbt_heavy]
                          [--rows 100000,...] [--out-dir bench/results/SCALE] [--data-dir bench/data]

For each data size, `ember datagen` writes the CSV once; every engine then fits every case
in its own process at the same thread count (OMP/BLAS threads pinned), measured from
outside (measure.py). Writes OUT/results.json, OUT/table.md and the plots, prints the
table, and exits 1 when a run failed or an engine's AUC is far below the others'.
"""
import argparse
import datetime
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

import cases
import check
import machine
import measure
import report
from ember_runner import FIRST_BATCH_ROWS, Ember, first_row_seconds, fit_window
from scales import SCALES

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PEERS = {"sklearn": "sklearn_fit.py", "xgboost": "xgboost_fit.py", "dask": "dask_fit.py"}
PEER_IMPORTS = {"sklearn": "import sklearn, pandas, threadpoolctl", "xgboost": "import xgboost, sklearn, pandas",
                "dask": "import xgboost.dask, dask.dataframe, distributed, sklearn"}
ENGINE_ORDER = ["ember", "sklearn", "xgboost", "dask"]
MIN_CPU_WINDOW = 0.25  # seconds of fit below which a sampled CPU % is not reported


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", choices=sorted(SCALES), default="small")
    ap.add_argument("--build-dir", default=os.path.join(REPO, "build", "release"))
    ap.add_argument("--threads", type=int, default=2, help="threads for every engine (default 2)")
    ap.add_argument("--engines", default=",".join(ENGINE_ORDER))
    ap.add_argument("--cases", default=",".join(cases.CASE_ORDER))
    ap.add_argument("--rows", default="", help="comma-separated row counts instead of the scale's")
    ap.add_argument("--reps", type=int, default=0, help="most fits per case (default: the scale's)")
    ap.add_argument("--out-dir", default="")
    ap.add_argument("--data-dir", default=os.path.join(REPO, "bench", "data"))
    ap.add_argument("--timeout", type=float, default=0, help="seconds per engine process (0: none)")
    ap.add_argument("--omp-wait-policy", default="", choices=["", "ACTIVE", "PASSIVE"],
                    help="OMP_WAIT_POLICY for every engine (default: the scale's; engines' own default "
                         "except tiny). PASSIVE keeps OpenMP engines from collapsing on a loaded machine")
    return ap.parse_args()


def installed(engine):
    """Whether a peer's Python packages import under /usr/bin/python3."""
    import subprocess
    return subprocess.run(["/usr/bin/python3", "-c", PEER_IMPORTS[engine]], capture_output=True).returncode == 0


def child_env(threads, wait_policy):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), PYTHONDONTWRITEBYTECODE="1")
    env.pop("OMP_WAIT_POLICY", None)
    if wait_policy:
        env["OMP_WAIT_POLICY"] = wait_policy
    return env


def last_json(text):
    lines = [l for l in text.splitlines() if l.startswith("{")]
    return json.loads(lines[-1]) if lines else None


class Suite:
    def __init__(self, a, scale, ember, engines):
        self.a, self.scale, self.ember, self.engines = a, scale, ember, engines
        self.wait_policy = a.omp_wait_policy or scale.omp_wait_policy
        self.env = child_env(a.threads, self.wait_policy)
        self.timeout = a.timeout or None
        self.reps = a.reps or scale.reps
        self.tmp = tempfile.mkdtemp(prefix="ember-paper-")

    def measured(self, cmd):
        """Run cmd after waiting for a quiet machine; note how busy the rest of the machine was."""
        waited = machine.wait_until_idle(self.scale.wait_idle_seconds)
        b0 = machine.busy_cpu_seconds()
        m = measure.run(cmd, env=self.env, timeout=self.timeout)
        foreign = machine.busy_cpu_seconds() - b0 - (m.samples[-1][1] - m.samples[0][1] if m.samples else 0)
        m.foreign_cpu_pct = max(0.0, 100 * foreign / m.wall_seconds / os.cpu_count())
        m.waited_idle_seconds = waited
        return m

    def fit_ember(self, case, data, rows, save_dir):
        procs = []
        # A seeded case: one fit per seed, whatever it costs (see cases.SEEDED).
        seeds = list(cases.SEEDS) if case in cases.SEEDED else [None] * self.reps
        for i, seed in enumerate(seeds):
            m = self.measured(self.ember.fit_command(case, data, self.a.threads, save_dir if i == 0 else "", seed))
            res = last_json(m.stdout) if m.returncode == 0 else None
            if res is None:
                return failed("ember", case, rows, m)
            procs.append((m, res, [fit_window(m.start, res)]))
            if seed is None and res["fit_seconds"] >= self.scale.cheap_seconds:
                break
        fits = [p[1]["fit_seconds"] for p in procs]
        median = sorted(procs, key=lambda p: p[1]["fit_seconds"])[(len(procs) - 1) // 2][1]
        rec = summarise("ember", case, rows, procs, self.a.threads)
        rec.update(fit_seconds=statistics.median(fits), fit_runs=fits, load_seconds=median["load_seconds"],
                   assemble_seconds=median["assemble_seconds"], predict_seconds=median["predict_seconds"],
                   test_auc=median["test_auc"])
        if case in cases.SEEDED:
            aucs = [p[1]["test_auc"] for p in procs]
            rec.update(test_auc=statistics.fmean(aucs), test_auc_runs=aucs)
        return rec

    def fit_peer(self, engine, case, data, rows, save_path):
        cmd = ["/usr/bin/python3", os.path.join(HERE, PEERS[engine]), case, data, "--threads",
               str(self.a.threads), "--reps", str(self.reps), "--cheap-seconds", str(self.scale.cheap_seconds)]
        if save_path:
            cmd += ["--save", save_path]
        m = self.measured(cmd)
        res = last_json(m.stdout) if m.returncode == 0 else None
        if res is None:
            return failed(engine, case, rows, m)
        rec = summarise(engine, case, rows, [(m, res, res["fit_windows"])], self.a.threads)
        rec.update({k: v for k, v in res.items() if k not in ("fit_windows", "engine", "case", "rows")})
        return rec

    def first_prediction(self, engine, data, model):
        """Seconds from process start to the first scored row, with the process's peak RSS."""
        if engine == "ember":
            if not (self.ember.can_save and self.ember.can_predict):
                return dict(seconds=None, note="n/a: needs `ember predict` and ember_bench_fit --save")
            out = os.path.join(self.tmp, "predictions.csv")
            m = self.measured(self.ember.predict_command(model, data, out, self.a.threads))
            secs = first_row_seconds(m.stdout + m.stderr, m.wall_seconds) if m.returncode == 0 else None
            if os.path.exists(out):
                os.remove(out)
            note = "" if secs is not None else f"ember predict exit {m.returncode}: {tail(m.stderr)}"
        else:
            m = self.measured(["/usr/bin/python3", os.path.join(HERE, "first_prediction.py"), engine, model, data,
                               "--threads", str(self.a.threads), "--rows", str(FIRST_BATCH_ROWS)])
            res = last_json(m.stdout) if m.returncode == 0 else None
            secs = res["first_scored_at"] - m.start if res else None
            note = "" if res else f"exit {m.returncode}: {tail(m.stderr)}"
        return dict(seconds=secs, wall_seconds=m.wall_seconds, peak_rss_mb=m.peak_rss_mb, note=note)

    def run(self, rows_list, case_list, done):
        """Run every size; call done(runs, first, datagen, finished) after each size."""
        runs, first, datagen = [], {}, {}
        for rows in rows_list:
            data, datagen[str(rows)] = self.data_file(rows)
            models = {}
            for case in case_list:
                for engine in self.engines:
                    save = ""
                    if case == "gbt" and engine != "dask":
                        save = os.path.join(self.tmp, f"{engine}_gbt_{rows}" + {"ember": "", "sklearn": ".pkl",
                                                                                  "xgboost": ".json"}[engine])
                    print(f"[{time.strftime('%H:%M:%S')}] {rows:,} rows  {case:9s} {engine:12s}", end=" ",
                          flush=True)
                    rec = (self.fit_ember(case, data, rows, save) if engine == "ember"
                           else self.fit_peer(engine, case, data, rows, save))
                    print(f"fit {fmt(rec.get('fit_seconds'))} s  AUC {fmt(rec.get('test_auc'), 4)}"
                          + (f"  ERROR {rec['error']}" if rec.get("error") else ""), flush=True)
                    runs.append(rec)
                    if save and not rec.get("error"):
                        models[engine] = save
            first[str(rows)] = {}
            for engine in self.engines:
                if engine == "dask":
                    first[str(rows)][engine] = dict(seconds=None, note="n/a: the model is an XGBoost booster")
                elif engine in models or engine == "ember":
                    first[str(rows)][engine] = self.first_prediction(engine, data, models.get(engine, ""))
            done(runs, first, datagen, rows == rows_list[-1])

    def data_file(self, rows):
        """The CSV for this size, written by `ember datagen` once; returns (path, seconds or None)."""
        os.makedirs(self.a.data_dir, exist_ok=True)
        path = os.path.join(self.a.data_dir, f"paper_{rows}.csv")
        if os.path.exists(path):
            return path, None
        tmp = path + ".part.csv"
        m = measure.run(self.ember.datagen_command(rows, tmp, self.a.threads), env=self.env)
        if m.returncode != 0:
            sys.exit(f"bench/paper: ember datagen failed for {rows} rows: {tail(m.stderr)}")
        os.replace(tmp, path)
        return path, dict(seconds=m.wall_seconds, peak_rss_mb=m.peak_rss_mb)


def summarise(engine, case, rows, procs, threads):
    """Wall, CPU % and peak RSS over an engine's processes for one case."""
    cpu = sum(m.cpu_seconds_between(t0, t1) for m, _, windows in procs for t0, t1 in windows)
    span = sum(t1 - t0 for _, _, windows in procs for t0, t1 in windows)
    return dict(engine=engine, case=case, rows=rows, error="",
                cpu_pct_fit=100 * cpu / span / threads if span >= MIN_CPU_WINDOW else None,
                cpu_pct_process=100 * sum(m.cpu_seconds for m, _, _ in procs)
                / sum(m.wall_seconds for m, _, _ in procs) / threads,
                peak_rss_mb=max(m.peak_rss_mb for m, _, _ in procs),
                wall_seconds=sum(m.wall_seconds for m, _, _ in procs),
                processes=len(procs),
                foreign_cpu_pct=max(m.foreign_cpu_pct for m, _, _ in procs))


def failed(engine, case, rows, m):
    return dict(engine=engine, case=case, rows=rows, error=f"exit {m.returncode}: {tail(m.stderr)}",
                wall_seconds=m.wall_seconds, peak_rss_mb=m.peak_rss_mb)


def tail(text, n=300):
    text = " ".join(text.strip().splitlines()[-3:])
    return text[-n:]


def fmt(v, digits=3):
    return "-" if v is None else f"{v:.{digits}f}"


def main():
    a = parse_args()
    scale = SCALES[a.scale]
    out_dir = a.out_dir or os.path.join(REPO, "bench", "results", a.scale)
    rows_list = [int(float(r)) for r in a.rows.split(",")] if a.rows else list(scale.rows)
    case_list = [c for c in a.cases.split(",") if c]
    unknown = [c for c in case_list if c not in cases.CASE_ORDER]
    if unknown:
        sys.exit(f"bench/paper: unknown case {unknown[0]!r}; valid: {', '.join(cases.CASE_ORDER)}")
    ember = Ember(a.build_dir)
    wanted = [e for e in a.engines.split(",") if e]
    bad = [e for e in wanted if e not in ENGINE_ORDER]
    if bad:
        sys.exit(f"bench/paper: unknown engine {bad[0]!r}; valid: {', '.join(ENGINE_ORDER)}")
    skipped = [e for e in wanted if e != "ember" and not installed(e)]
    engines = [e for e in ENGINE_ORDER if e in wanted and e not in skipped]
    for e in skipped:
        print(f"bench/paper: {e} is not installed for /usr/bin/python3; skipping it", file=sys.stderr)

    started = time.time()
    suite = Suite(a, scale, ember, engines)
    os.makedirs(out_dir, exist_ok=True)
    outcome = {}

    def write(runs, first, datagen, finished):
        """Write results.json, table.md and the plots (after each size, so a long run keeps
        what it has measured)."""
        problems = check.failures(runs, scale.auc_tolerance)
        done_rows = [r for r in rows_list if str(r) in first]
        results = dict(
            scale=a.scale, scale_note=scale.note, rows=done_rows, finished=finished,
            planned_rows=rows_list, threads=a.threads, reps=suite.reps,
            date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            suite_seconds=round(time.time() - started, 1), machine=machine.describe(),
            ember=dict(version=ember.version(), commit=machine.git_commit(REPO), build_dir=a.build_dir,
                       can_save=ember.can_save, can_predict=ember.can_predict),
            engines=engines, skipped_engines=skipped, omp_wait_policy=suite.wait_policy or "default",
            settings=cases.settings(), datagen=datagen, runs=runs, first_prediction=first,
            auc_check=dict(tolerance=scale.auc_tolerance, failures=problems))
        with open(os.path.join(out_dir, "results.json"), "w") as f:
            json.dump(results, f, indent=1)
        outcome["table"] = report.markdown(results)
        with open(os.path.join(out_dir, "table.md"), "w") as f:
            f.write(outcome["table"])
        import plots
        plots.write(results, out_dir)
        outcome["problems"] = problems

    try:
        suite.run(rows_list, case_list, write)
    finally:
        shutil.rmtree(suite.tmp, ignore_errors=True)
    problems = outcome["problems"]
    print("\n" + outcome["table"])
    print(f"bench/paper: wrote {out_dir}/results.json, table.md and the plots")
    if problems:
        print("\nbench/paper: FAILED\n  " + "\n  ".join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
