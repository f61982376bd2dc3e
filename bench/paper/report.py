"""results.json -> the markdown table in the paper's layout (its Table 1 and Table 2 in
one: fit time per model, average CPU %, peak memory, time to first prediction), the
ratios ember / peer, the AUC per model (the paper's Graph 1 as numbers), and whether
the issue's goal is met."""
import cases

NAMES = {"ember": "ember", "sklearn": "scikit-learn", "xgboost": "XGBoost (hist)",
         "dask": "Dask + XGBoost"}
AUC_MARGIN = 0.002  # the goal: ember's AUC no lower than the best peer's minus this


def seconds(v):
    if v is None:
        return "n/a"
    if v >= 600:
        return f"{v / 60:.1f} min"
    return f"{v:.3g} s" if v < 10 else f"{v:.1f} s"


def megabytes(v):
    return "n/a" if v is None else (f"{v / 1024:.2f} GB" if v >= 1024 else f"{v:.0f} MB")


def ratio(e, p):
    return "n/a" if e is None or p is None or p == 0 else f"{e / p:.2f}"


class View:
    """The runs of one data size, indexed by engine and case."""

    def __init__(self, results, rows):
        self.results = results
        self.cases = [c for c in cases.CASE_ORDER if any(r["case"] == c for r in results["runs"])]
        self.engines = results["engines"]
        self.run = {(r["engine"], r["case"]): r for r in results["runs"] if r["rows"] == rows}
        self.first = results["first_prediction"].get(str(rows), {})

    def get(self, engine, case, key):
        r = self.run.get((engine, case))
        return None if r is None or r.get("error") else r.get(key)

    def peak(self, engine):
        vals = [r["peak_rss_mb"] for (e, _), r in self.run.items() if e == engine and r.get("peak_rss_mb")]
        return max(vals) if vals else None

    def cpu(self, engine):
        vals = [self.get(engine, c, "cpu_pct_fit") for c in self.cases]
        vals = [v for v in vals if v is not None]
        return sum(vals) / len(vals) if vals else None

    def ttfp(self, engine):
        return self.first.get(engine, {}).get("seconds")


def time_table(v):
    titles = [cases.TITLES[c] for c in v.cases]
    lines = ["| framework | " + " | ".join(titles) + " | avg CPU % (fit) | peak memory | time to first prediction |",
             "|---|" + "---|" * (len(titles) + 3)]
    for e in v.engines:
        cells = []
        for c in v.cases:
            r = v.run.get((e, c))
            cells.append("failed" if r and r.get("error") else seconds(v.get(e, c, "fit_seconds")))
        cpu = v.cpu(e)
        lines.append(f"| {NAMES[e]} | " + " | ".join(cells) + f" | {'n/a' if cpu is None else f'{cpu:.0f}'} | "
                     f"{megabytes(v.peak(e))} | {seconds(v.ttfp(e))} |")
    return lines


def ratio_table(v):
    titles = [cases.TITLES[c] for c in v.cases]
    lines = ["| ember / peer | " + " | ".join(titles) + " | peak memory | time to first prediction |",
             "|---|" + "---|" * (len(titles) + 2)]
    for p in v.engines:
        if p == "ember":
            continue
        cells = [ratio(v.get("ember", c, "fit_seconds"), v.get(p, c, "fit_seconds")) for c in v.cases]
        lines.append(f"| ember / {NAMES[p]} | " + " | ".join(cells) +
                     f" | {ratio(v.peak('ember'), v.peak(p))} | {ratio(v.ttfp('ember'), v.ttfp(p))} |")
    return lines


def auc_table(v):
    titles = [cases.TITLES[c] for c in v.cases]
    lines = ["| test AUC | " + " | ".join(titles) + " |", "|---|" + "---|" * len(titles)]
    for e in v.engines:
        cells = [("n/a" if v.get(e, c, "test_auc") is None else f"{v.get(e, c, 'test_auc'):.4f}") for c in v.cases]
        lines.append(f"| {NAMES[e]} | " + " | ".join(cells) + " |")
    return lines


def load_table(v):
    lines = ["| CSV load (not in fit time) | " + " | ".join(NAMES[e] for e in v.engines) + " |",
             "|---|" + "---|" * len(v.engines)]
    vals = []
    for e in v.engines:
        xs = sorted(x for x in (v.get(e, c, "load_seconds") for c in v.cases) if x is not None)
        vals.append(seconds(xs[len(xs) // 2]) if xs else "n/a")
    return lines + ["| median over cases | " + " | ".join(vals) + " |"]


def goal(v):
    """The issue's goal at this size: fastest fit on every model, AUC >= best peer - 0.002,
    lowest peak memory."""
    peers = [e for e in v.engines if e != "ember"]
    if "ember" not in v.engines or not peers:
        return []
    slower, lower = [], []
    for c in v.cases:
        e_fit, e_auc = v.get("ember", c, "fit_seconds"), v.get("ember", c, "test_auc")
        for p in peers:
            p_fit = v.get(p, c, "fit_seconds")
            if e_fit is None or (p_fit is not None and p_fit <= e_fit):
                slower.append(f"{cases.TITLES[c]} vs {NAMES[p]}")
        best = max((v.get(p, c, "test_auc") or 0.0) for p in peers)
        if e_auc is None or e_auc < best - AUC_MARGIN:
            lower.append(f"{cases.TITLES[c]} ({'n/a' if e_auc is None else f'{e_auc:.4f}'} vs {best:.4f})")
    more_mem = [NAMES[p] for p in peers if v.peak("ember") is None or
                (v.peak(p) is not None and v.peak(p) <= v.peak("ember"))]
    return ["Goal (ember fastest on every model, AUC >= best peer - 0.002, lowest peak memory):",
            f"- fit time: {'met' if not slower else 'not met: ' + ', '.join(slower)}",
            f"- AUC: {'met' if not lower else 'not met: ' + ', '.join(lower)}",
            f"- peak memory: {'met' if not more_mem else 'not met vs ' + ', '.join(more_mem)}"]


def markdown(results):
    m = results["machine"]
    head = [f"# Paper benchmark suite, scale {results['scale']}",
            "",
            f"{results['date']}; ember {results['ember']['version']} (commit {results['ember']['commit']}); "
            f"{results['threads']} threads for every engine on one machine ({m['cpu_model']}, "
            f"{m['logical_cpus']} logical CPUs, {m['memory_gb']} GiB). Nothing is distributed: ember runs in "
            f"one process; Dask + XGBoost runs a local cluster (one worker process, "
            f"{results['threads']} threads). Fit time is the median of up to {results['reps']} fits where a fit "
            f"is cheap (under 10 s); the CSV load is timed apart. Peak memory is the highest peak RSS of the "
            f"engine's process tree over its cases (CSV load included); CPU % is the tree's CPU time during "
            f"the fit over fit time x threads; time to first prediction is from process start to the first "
            f"scored batch of 1,000 rows (the GBT model). OpenMP wait policy: {results.get('omp_wait_policy', 'default')}. "
            f"Ratios are ember / peer: below 1 means ember is faster or smaller.",
            ""]
    if not results.get("finished", True):
        planned = ", ".join(f"{r:,}" for r in results["planned_rows"])
        head += [f"**Partial run**: sizes measured so far of those planned ({planned} rows).", ""]
    if results.get("skipped_engines"):
        head += [f"Not installed, skipped: {', '.join(results['skipped_engines'])}.", ""]
    out = head
    for rows in results["rows"]:
        v = View(results, rows)
        busy = max((r.get("foreign_cpu_pct") or 0) for r in v.run.values()) if v.run else 0
        out += [f"## {rows:,} rows ({rows * 8 // 10:,} train, {rows - rows * 8 // 10:,} test), 28 features", ""]
        out += time_table(v) + [""] + ratio_table(v) + [""] + auc_table(v) + [""] + load_table(v) + [""]
        out += [f"Other processes on the machine used up to {busy:.0f}% of its CPUs during a run "
                f"(the machine is shared).", ""]
        out += goal(v) + [""]
    fails = results["auc_check"]["failures"]
    out += [f"AUC check (no engine more than {results['auc_check']['tolerance']} below the best on a case): "
            + ("passed" if not fails else "FAILED")]
    out += [f"- {f}" for f in fails]
    return "\n".join(out) + "\n"
