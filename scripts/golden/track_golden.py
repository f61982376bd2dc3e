#!/usr/bin/python3
"""Writes the golden values of ember's MLflow export.

Run with Debian's /usr/bin/python3 and python3-yaml:
    /usr/bin/python3 scripts/golden/track_golden.py
It writes tests/golden/track/mlflow_format.json, read by
src/track/mlflow_export_test.cc:
  - yaml: how PyYAML's safe_dump (MLflow's meta.yaml writer) writes strings;
  - numbers: Python's str() of floats, as MLflow's file store writes metric
    values into metrics/<key> lines.
"""
import json
import math
import os

import yaml

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden", "track")

STRINGS = ["gbt depth 5", "1", "0", "file:///tmp/mlruns/1/abc/artifacts", "a: b", "a #b", "yes", "No", "null",
           "Default", "root", " lead", "trail ", "a-b_c.d", "it's", "@x", "2026-11-25", "churn/v2", "", "3.5",
           "x_y", "True", "spec.yaml", "a:b", "with 'quote'"]
NUMBERS = [1.0, 0.1, -3.0, 1e-05, 0.25, 123456789.0, 1e16, 1.5e-7, 0.30000000000000004, float("nan"),
           float("inf"), float("-inf"), 2.0 ** 0.5]


def main():
    os.makedirs(OUT, exist_ok=True)
    yaml_cases = []
    for s in STRINGS:
        dumped = yaml.safe_dump({"k": s}, default_flow_style=False)
        assert dumped.startswith("k: ") and dumped.endswith("\n")
        yaml_cases.append({"string": s, "yaml": dumped[3:-1]})
    number_cases = []
    for v in NUMBERS:
        number_cases.append({"value": v if math.isfinite(v) else str(v), "text": str(v)})
    with open(os.path.join(OUT, "mlflow_format.json"), "w") as f:
        json.dump({"yaml": yaml_cases, "numbers": number_cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
