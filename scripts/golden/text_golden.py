#!/usr/bin/python3
"""Writes the golden values of ember's derived-feature and text stages.

Run with Debian's /usr/bin/python3 and python3-sklearn (1.2.1):
    /usr/bin/python3 scripts/golden/text_golden.py
It writes small JSON files under tests/golden/text/, which the tests in
src/ml/feature/*_test.cc read. Every value comes from scikit-learn or plain
Python, never from ember.
"""
import json
import math
import os

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import PolynomialFeatures
from sklearn.utils import murmurhash3_32

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden", "text")


def write(name, value):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.write("\n")


def spark_term_index(term, num_features):
    # Spark: Utils.nonNegativeMod(murmur3_x86_32(utf8, seed 42) as a signed int, n).
    h = murmurhash3_32(term.encode("utf-8"), seed=42, positive=False)
    m = int(math.fmod(h, num_features))  # Java's % keeps the dividend's sign
    return m + num_features if m < 0 else m


def murmur3():
    terms = ["a", "b", "spark", "hashing", "tf", "the quick brown fox", "x=1", "héllo", "", "abcd", "abcde"]
    rows = []
    for t in terms:
        rows.append({
            "term": t,
            "hash_seed42": murmurhash3_32(t.encode("utf-8"), seed=42, positive=True),
            "index_262144": spark_term_index(t, 262144),
            "index_1000": spark_term_index(t, 1000),
        })
    write("murmur3.json", rows)


def feature_hasher():
    # Spark's FeatureHasher rule: numeric columns add their value at
    # index(name); strings, bools and categorical numerics add 1.0 at
    # index("name=value") (value printed as Java does); nulls add nothing.
    rows = [
        {"real": 2.5, "flag": True, "word": "foo", "cat": 3, "dbl": 1.0},
        {"real": None, "flag": False, "word": "bar", "cat": 7, "dbl": 2.5},
        {"real": -1.0, "flag": None, "word": None, "cat": 3, "dbl": 1e10},
    ]
    java = {True: "true", False: "false"}
    def text(col, v):
        if isinstance(v, bool):
            return java[v]
        if col == "dbl":
            return {1.0: "1.0", 2.5: "2.5", 1e10: "1.0E10"}[v]
        return str(v)
    cases = []
    for n in (262144, 16):
        out = []
        for r in rows:
            acc = {}
            for col in ["real", "flag", "word", "cat", "dbl"]:
                v = r[col]
                if v is None:
                    continue
                if col == "real":
                    i, w = spark_term_index(col, n), float(v)
                else:
                    i, w = spark_term_index(col + "=" + text(col, v), n), 1.0
                acc[i] = acc.get(i, 0.0) + w
            out.append(sorted([i, w] for i, w in acc.items()))
        cases.append({"numFeatures": n, "rows": out})
    write("feature_hasher.json", {"categoricalCols": ["cat", "dbl"], "cases": cases})


def spark_poly_exponents(n, degree):
    # Spark's PolynomialExpansion order: recursion over the last feature first,
    # its power rising from 0; the constant term is dropped.
    def expand(last, deg):
        if last < 0 or deg == 0:
            return [[0] * n]
        out = []
        for p in range(deg + 1):
            for e in expand(last - 1, deg - p):
                e = list(e)
                e[last] = p
                out.append(e)
        return out
    return expand(n - 1, degree)[1:]


def polynomial():
    cases = []
    for degree, x in [(2, [2.0, 3.0]), (3, [2.0, -1.0, 0.5]), (2, [1.5, 0.0, -2.0, 4.0])]:
        sk = PolynomialFeatures(degree=degree, include_bias=False)
        values = sk.fit_transform(np.array([x]))[0]
        by_powers = {tuple(int(p) for p in powers): float(v) for powers, v in zip(sk.powers_, values)}
        order = spark_poly_exponents(len(x), degree)
        cases.append({"degree": degree, "input": x, "exponents": order,
                      "expected": [by_powers[tuple(e)] for e in order]})
    write("polynomial_expansion.json", cases)


DOCS = [
    ["a", "b", "c", "a"],
    ["a", "c", "d"],
    ["b", "b", "e"],
    ["a", "e", "e", "f", "c"],
    ["g"],
]


def text():
    cv = CountVectorizer(analyzer=lambda d: d)
    counts = cv.fit_transform(DOCS)
    vocab = cv.get_feature_names_out()
    totals = np.asarray(counts.sum(axis=0)).ravel()
    dfs = np.asarray((counts > 0).sum(axis=0)).ravel()
    terms = sorted(((str(t), int(c), int(d)) for t, c, d in zip(vocab, totals, dfs)), key=lambda r: (-r[1], r[0]))
    write("count_vectorizer.json", {"docs": DOCS, "vocabulary": [t for t, _, _ in terms],
                                    "counts": [c for _, c, _ in terms], "doc_freq": [d for _, _, d in terms]})
    tfidf = TfidfTransformer(smooth_idf=True, norm=None).fit(counts)
    # sklearn: idf = ln((1 + n) / (1 + df)) + 1; Spark (and ember): the same without the + 1.
    write("idf.json", {"docs": DOCS, "terms": [str(t) for t in vocab],
                       "sklearn_idf": [float(v) for v in tfidf.idf_],
                       "spark_idf": [float(v) - 1.0 for v in tfidf.idf_]})


def truth(v):
    return v != 0 and not math.isnan(v)


def expression():
    rows = {"a": [1.0, -2.0, 0.0, 3.5], "b": [2.0, 4.0, -1.0, 0.25], "my col": [10.0, 20.0, 30.0, 40.0]}
    cases = [
        ("a + b * 2", lambda a, b, c: a + b * 2),
        ("(a + b) * 2", lambda a, b, c: (a + b) * 2),
        ("-a - -b", lambda a, b, c: -a - -b),
        ("a / b % 3", lambda a, b, c: math.fmod(a / b, 3)),
        ("a * b - a / 4 + 1e1", lambda a, b, c: a * b - a / 4 + 1e1),
        ("a < b", lambda a, b, c: float(a < b)),
        ("a <= 0 || b > 1 && a != 0", lambda a, b, c: float(a <= 0 or (b > 1 and a != 0))),
        ("!(a == 0)", lambda a, b, c: float(not a == 0)),
        ("abs(a) + sqrt(abs(b))", lambda a, b, c: abs(a) + math.sqrt(abs(b))),
        ("exp(a / 4) + log1p(abs(b))", lambda a, b, c: math.exp(a / 4) + math.log1p(abs(b))),
        ("log(`my col`)", lambda a, b, c: math.log(c)),
        ("pow(b, 2) + pow(2, a)", lambda a, b, c: b ** 2 + 2 ** a),
        ("clip(a, -1, 2)", lambda a, b, c: min(max(a, -1), 2)),
        ("min(a, b, 0.5) + max(a, b)", lambda a, b, c: min(a, b, 0.5) + max(a, b)),
        ("if(a > 0, `my col`, -b)", lambda a, b, c: c if a > 0 else -b),
        ("if(a, 1, 0) + if(a >= b, 10, 20)", lambda a, b, c: (1 if truth(a) else 0) + (10 if a >= b else 20)),
        ("a - b - 1", lambda a, b, c: a - b - 1),
        ("2 * -a + .5", lambda a, b, c: 2 * -a + .5),
    ]
    out = []
    for text_, f in cases:
        out.append({"expression": text_,
                    "expected": [f(a, b, c) for a, b, c in zip(rows["a"], rows["b"], rows["my col"])]})
    write("expression.json", {"columns": rows, "cases": out})


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    murmur3()
    feature_hasher()
    polynomial()
    text()
    expression()
