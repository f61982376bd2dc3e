"""The suite's loud failure: an engine whose test AUC on a case is far below the best
engine's (a broken model must not show up as a fast one), or that did not finish."""


def failures(runs, tolerance):
    """Return one line per failed run: crashed, or AUC more than tolerance below the best."""
    out = []
    best = {}
    for r in runs:
        if r.get("error"):
            out.append(f"{r['engine']} {r['case']} at {r['rows']:,} rows did not finish: {r['error']}")
        elif r.get("test_auc") is not None:
            key = (r["rows"], r["case"])
            best[key] = max(best.get(key, 0.0), r["test_auc"])
    for r in runs:
        if r.get("error") or r.get("test_auc") is None:
            continue
        top = best[(r["rows"], r["case"])]
        if r["test_auc"] < top - tolerance:
            out.append(f"{r['engine']} {r['case']} at {r['rows']:,} rows: test AUC {r['test_auc']:.4f} is "
                       f"{top - r['test_auc']:.4f} below the best engine's {top:.4f} (allowed: {tolerance})")
    return out
