"""The suite's scales: rows per data size, repeats, and how strict the AUC check is.

tiny runs from `make test` against the sanitizer build: a smoke test whose timings mean
nothing, so its OpenMP threads wait passively (a loaded CI machine would otherwise make
spinning threads take seconds per tree); the AUC check is looser because 800 test
rows give AUCs that scatter by about 0.01-0.02.
"""
import dataclasses


@dataclasses.dataclass(frozen=True)
class Scale:
    rows: tuple
    reps: int               # most fits per case; repeated only while one fit is under cheap_seconds
    cheap_seconds: float
    auc_tolerance: float    # an engine fails when its AUC is this far below the best on a case
    wait_idle_seconds: int  # before each run, wait up to this long for the machine to go quiet
    omp_wait_policy: str = ""
    note: str = ""


SCALES = {
    "tiny": Scale(rows=(4000,), reps=1, cheap_seconds=0.0, auc_tolerance=0.05, wait_idle_seconds=0,
                  omp_wait_policy="PASSIVE", note="smoke test of the suite (make test); timings mean nothing"),
    "small": Scale(rows=(100_000,), reps=3, cheap_seconds=10.0, auc_tolerance=0.02, wait_idle_seconds=5,
                   note="about a minute or two on 2 cores"),
    "medium": Scale(rows=(1_000_000, 10_000_000), reps=3, cheap_seconds=10.0, auc_tolerance=0.02,
                    wait_idle_seconds=15, note="tens of minutes on 2 cores (scikit-learn's RF dominates)"),
    "large": Scale(rows=(1_000_000, 10_000_000, 100_000_000), reps=3, cheap_seconds=10.0, auc_tolerance=0.02,
                   wait_idle_seconds=15,
                   note="hours and about 30 GB of CSV; pandas needs some 25 GB of memory at 100M rows"),
}
