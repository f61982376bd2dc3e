#!/usr/bin/python3
"""Time to first prediction of a Python peer: a fresh process imports the library, loads
the model saved by the GBT case, reads the first batch of rows of the CSV (as many as
`ember predict` scores in its first batch) and scores them, then prints time.time() at
that moment; the driver subtracts the time it started the process.

usage: first_prediction.py ENGINE MODEL DATA.csv --threads N --rows 1000
ENGINE: xgboost (model saved with Booster.save_model) or sklearn (pickle).
This is the peer counterpart of `ember predict` printing 'first row scored after X s'.
"""
import argparse
import json
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["xgboost", "sklearn"])
    ap.add_argument("model")
    ap.add_argument("data")
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--rows", type=int, default=1000)
    a = ap.parse_args()
    import numpy as np
    import pandas as pd
    rows = pd.read_csv(a.data, dtype=np.float32, nrows=a.rows).drop(columns="label").to_numpy()
    if a.engine == "xgboost":
        import xgboost
        booster = xgboost.Booster(params={"nthread": a.threads}, model_file=a.model)
        score = booster.inplace_predict(rows)
    else:
        import pickle
        with open(a.model, "rb") as f:
            model = pickle.load(f)
        score = model.predict_proba(rows)[:, 1]
    print(json.dumps(dict(first_scored_at=time.time(), score=float(score[0]))))


if __name__ == "__main__":
    main()
