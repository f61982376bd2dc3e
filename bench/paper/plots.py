"""The suite's two figures, as PNG and SVG: test AUC per model and engine (the paper's
Graph 1, at the largest data size) and fit time against rows, log-log, one line per
engine and one panel per model (its Graph 2)."""
import os

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable SVGs
import matplotlib.pyplot as plt  # noqa: E402

import cases  # noqa: E402
from report import NAMES  # noqa: E402

COLORS = {"ember": "#d62728", "sklearn": "#1f77b4", "xgboost": "#2ca02c", "dask": "#9467bd"}


def _ok(results):
    return [r for r in results["runs"] if not r.get("error") and r.get("test_auc") is not None]


def auc_plot(results, path):
    rows = max(results["rows"])
    runs = {(r["engine"], r["case"]): r["test_auc"] for r in _ok(results) if r["rows"] == rows}
    case_list = [c for c in cases.CASE_ORDER if any(k[1] == c for k in runs)]
    engines = results["engines"]
    width = 0.8 / max(1, len(engines))
    fig, ax = plt.subplots(figsize=(7, 4.4))
    for i, e in enumerate(engines):
        xs = [j + (i - (len(engines) - 1) / 2) * width for j, c in enumerate(case_list) if (e, c) in runs]
        ys = [runs[(e, c)] for c in case_list if (e, c) in runs]
        ax.bar(xs, ys, width, label=NAMES[e], color=COLORS[e])
    vals = list(runs.values()) or [0.5]
    ax.set_ylim(max(0.0, min(vals) - 0.03), min(1.0, max(vals) + 0.02))
    ax.set_xticks(range(len(case_list)), [cases.TITLES[c] for c in case_list])
    ax.set_ylabel("test AUC")
    ax.set_title(f"Test AUC, {rows:,} rows, {results['threads']} threads")
    ax.legend(fontsize=8, ncol=len(engines), loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    _save(fig, path)


def scaling_plot(results, path):
    runs = _ok(results)
    case_list = [c for c in cases.CASE_ORDER if any(r["case"] == c for r in runs)]
    fig, axes = plt.subplots(1, max(1, len(case_list)), figsize=(3.2 * max(1, len(case_list)), 3.8),
                             squeeze=False)
    for ax, c in zip(axes[0], case_list):
        for e in results["engines"]:
            pts = sorted((r["rows"], r["fit_seconds"]) for r in runs if r["engine"] == e and r["case"] == c)
            if pts:
                ax.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=NAMES[e], color=COLORS[e])
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(cases.TITLES[c])
        ax.set_xlabel("rows")
        ax.grid(True, which="both", alpha=0.3)
    axes[0][0].set_ylabel("fit seconds")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, ncol=max(1, len(labels)), loc="lower center", frameon=False)
    fig.suptitle(f"Fit time against rows, {results['threads']} threads")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    _save(fig, path)


def _save(fig, path):
    for ext in ("png", "svg"):
        fig.savefig(f"{path}.{ext}", dpi=120)
    plt.close(fig)


def write(results, out_dir):
    auc_plot(results, os.path.join(out_dir, "auc"))
    scaling_plot(results, os.path.join(out_dir, "fit_time_vs_rows"))
