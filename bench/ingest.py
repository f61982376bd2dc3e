#!/usr/bin/python3
"""Ingest benchmark: ember vs pandas.read_csv on the same file, in one run.

usage: bench/ingest.py EMBER_BINARY [--rows 1e6] [--reps 3] [--big-rows 1e7]

1. `ember datagen` writes a HIGGS-like CSV (label + 28 float columns) and the
   same data as an uncompressed .ember file into bench/data/.
2. pandas.read_csv (Debian's python3-pandas) and `ember load` read the CSV,
   each `--reps` times in fresh processes; medians of the in-process read time
   and the peak RSS of each process (/usr/bin/time -v) are reported.
3. `ember load` reads the .ember file.
4. `ember datagen` of --big-rows rows to .ember: peak RSS (bounded memory).
Writes bench/results/ingest.json and prints a markdown table with ratios.
"""
import argparse, json, os, re, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
PANDAS_READ = r"""
import sys, time, pandas as pd
t = time.perf_counter(); df = pd.read_csv(sys.argv[1]); s = time.perf_counter() - t
print('{"seconds": %.4f, "rows": %d, "columns": %d, "column_bytes": %d}' % (s, df.shape[0], df.shape[1], df.memory_usage(index=False).sum()))
"""


def timed(cmd, threads):
    """Runs cmd under /usr/bin/time -v; returns (last JSON line of stdout, peak RSS MB, wall s)."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    return (json.loads(lines[-1]) if lines else {}), rss, wall


def median_of(cmd, reps, threads):
    runs = [timed(cmd, threads) for _ in range(reps)]
    return dict(seconds=statistics.median(r[0]["seconds"] for r in runs),
                peak_rss_mb=round(statistics.median(r[1] for r in runs), 1),
                rows=runs[0][0].get("rows"), column_bytes=runs[0][0].get("column_bytes"),
                all_seconds=[r[0]["seconds"] for r in runs])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ember")
    ap.add_argument("--rows", type=float, default=1e6)
    ap.add_argument("--big-rows", type=float, default=1e7)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    ember = os.path.abspath(a.ember)
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    n = int(a.rows)
    csv = os.path.join(data, f"higgs_{n}.csv")
    native = os.path.join(data, f"higgs_{n}.ember")
    for path in (csv, native):
        if not os.path.exists(path):
            subprocess.run([ember, "-q", "datagen", "-n", str(n), "-o", path], check=True)
    t = ["--threads", str(a.threads)]
    res = dict(rows=n, csv_bytes=os.path.getsize(csv), threads=a.threads, cpu=cpu_model())
    res["pandas_csv"] = median_of(["/usr/bin/python3", "-c", PANDAS_READ, csv], a.reps, a.threads)
    res["ember_csv"] = median_of([ember, "-q"] + t + ["load", csv], a.reps, a.threads)
    res["ember_native"] = median_of([ember, "-q"] + t + ["load", native], a.reps, a.threads)
    big = os.path.join(data, f"higgs_{int(a.big_rows)}.ember")
    _, rss, wall = timed([ember, "-q"] + t + ["datagen", "-n", str(int(a.big_rows)), "-o", big], a.threads)
    res["ember_datagen_big"] = dict(rows=int(a.big_rows), seconds=round(wall, 2), peak_rss_mb=round(rss, 1),
                                    file_mb=round(os.path.getsize(big) / 1e6, 1))
    os.remove(big)
    p, e, m = res["pandas_csv"], res["ember_csv"], res["ember_native"]
    res["speedup_csv_vs_pandas"] = round(p["seconds"] / e["seconds"], 2)
    res["native_over_csv_time"] = round(m["seconds"] / e["seconds"], 4)
    res["ember_csv_rss_over_columns"] = round(e["peak_rss_mb"] * 2**20 / e["column_bytes"], 2)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "ingest.json"), "w") as f:
        json.dump(res, f, indent=1)
    mb = res["csv_bytes"] / 1e6
    print(f"\nIngest, {n:,} rows x 29 columns ({mb:.0f} MB CSV), {a.threads} threads, {res['cpu']}\n")
    print("| reader | seconds (median) | MB/s | peak RSS MB | ratio |")
    print("|---|---|---|---|---|")
    print(f"| pandas.read_csv | {p['seconds']:.3f} | {mb / p['seconds']:.0f} | {p['peak_rss_mb']:.0f} | 1.00 |")
    print(f"| ember load .csv | {e['seconds']:.3f} | {mb / e['seconds']:.0f} | {e['peak_rss_mb']:.0f} | "
          f"{res['speedup_csv_vs_pandas']:.2f}x faster |")
    print(f"| ember load .ember | {m['seconds']:.4f} | | {m['peak_rss_mb']:.0f} | "
          f"{100 * res['native_over_csv_time']:.1f}% of the CSV time |")
    print(f"\nember's CSV peak RSS / loaded columns ({e['column_bytes'] / 2**20:.0f} MiB): "
          f"{res['ember_csv_rss_over_columns']:.2f}x")
    b = res["ember_datagen_big"]
    print(f"ember datagen {b['rows']:,} rows -> .ember ({b['file_mb']:.0f} MB): {b['seconds']:.1f} s, "
          f"peak RSS {b['peak_rss_mb']:.0f} MB")


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    main()
