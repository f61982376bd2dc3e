#!/usr/bin/python3
"""Batch-reading memory benchmark: ember's TableBatchReader vs ReadTable vs
pandas.read_csv (whole and chunksize=BATCH), in one run.

usage: bench/batch_memory.py BUILD_DIR [--rows 500000,2000000] [--batch 65536] [--threads 2]

For each row count, writes a CSV (label + 28 float columns, numpy seed 7)
and its gzip into bench/data/, then runs each reader in a fresh process under
/usr/bin/time -v and reports wall seconds and peak RSS. Batch readers should
show the same peak RSS for every file size; whole-table readers grow with it.
Writes bench/results/batch_memory.json and prints a markdown table.
"""
import argparse, gzip, json, os, re, shutil, subprocess, sys, time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PANDAS = r"""
import sys, time, pandas as pd
path, mode, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
t = time.perf_counter(); rows = 0; checksum = 0.0
if mode == "whole":
    df = pd.read_csv(path); rows = len(df); checksum = float(df.iloc[-1, -1])
else:
    for chunk in pd.read_csv(path, chunksize=batch):
        rows += len(chunk); checksum += float(chunk.iloc[-1, -1])
print('{"rows": %d, "seconds": %.4f, "checksum": %.6g}' % (rows, time.perf_counter() - t, checksum))
"""


def write_csv(path, rows):
    rng = np.random.default_rng(7)
    cols = ["label"] + [f"f{i}" for i in range(28)]
    with open(path, "w") as out:
        out.write(",".join(cols) + "\n")
        step = 100_000
        for begin in range(0, rows, step):
            n = min(step, rows - begin)
            block = np.empty((n, 29))
            block[:, 0] = rng.integers(0, 2, n)
            block[:, 1:] = rng.normal(size=(n, 28))
            np.savetxt(out, block, fmt=["%d"] + ["%.6g"] * 28, delimiter=",")


def timed(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr[-2000:]}")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr).group(1)) / 1024
    out = json.loads([l for l in p.stdout.splitlines() if l.startswith("{")][-1])
    return dict(rows=out["rows"], seconds=round(out["seconds"], 3), wall=round(wall, 3), peak_rss_mb=round(rss, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build_dir")
    ap.add_argument("--rows", default="500000,2000000")
    ap.add_argument("--batch", type=int, default=65536)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    binary = os.path.join(args.build_dir, "bench", "ember_bench_batch_read")
    data = os.path.join(HERE, "data")
    os.makedirs(data, exist_ok=True)
    results = []
    for rows in [int(float(r)) for r in args.rows.split(",")]:
        csv = os.path.join(data, f"batch_memory_{rows}.csv")
        if not os.path.exists(csv):
            write_csv(csv + ".tmp", rows)
            os.replace(csv + ".tmp", csv)
        gz = csv + ".gz"
        if not os.path.exists(gz):
            with open(csv, "rb") as src, gzip.open(gz + ".tmp", "wb", compresslevel=1) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(gz + ".tmp", gz)
        mb = os.path.getsize(csv) / 2**20
        runs = [
            ("ember batches", [binary, csv, "batches", str(args.batch), str(args.threads)]),
            ("ember batches .gz", [binary, gz, "batches", str(args.batch), str(args.threads)]),
            ("ember ReadTable", [binary, csv, "whole", str(args.batch), str(args.threads)]),
            ("pandas chunksize", ["/usr/bin/python3", "-c", PANDAS, csv, "chunks", str(args.batch)]),
            ("pandas read_csv", ["/usr/bin/python3", "-c", PANDAS, csv, "whole", str(args.batch)]),
        ]
        for name, cmd in runs:
            r = timed(cmd, args.threads)
            if r["rows"] != rows:
                sys.exit(f"{name} read {r['rows']} rows of {rows}")
            results.append(dict(reader=name, csv_mb=round(mb, 1), **r))
            print(f"{name:18s} {rows:>9d} rows {mb:7.1f} MB: {r['seconds']:7.2f} s, peak RSS {r['peak_rss_mb']:7.1f} MB",
                  file=sys.stderr)
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    with open(os.path.join(HERE, "results", "batch_memory.json"), "w") as f:
        json.dump(dict(batch_rows=args.batch, threads=args.threads, load=os.getloadavg(), results=results), f, indent=1)
    print(f"| reader | rows | CSV MB | seconds | peak RSS MB |\n|---|---|---|---|---|")
    for r in results:
        print(f"| {r['reader']} | {r['rows']} | {r['csv_mb']} | {r['seconds']} | {r['peak_rss_mb']} |")
    print(f"\nbatch_rows={args.batch}, threads={args.threads}, load average {os.getloadavg()[0]:.1f} "
          f"(the machine is shared; times are indicative, peak RSS is not affected by load)")


if __name__ == "__main__":
    main()
