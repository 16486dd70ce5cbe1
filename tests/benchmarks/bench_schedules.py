"""Times a 1,000,000-step schedule computation and comparison; run it directly, pytest does not collect it.

    python tests/benchmarks/bench_schedules.py

Prints the best of several runs per workload, so the figures show the code's cost rather than the machine's noise.
"""

from __future__ import annotations

import importlib.util
import tempfile
import time
from pathlib import Path

import numpy as np

from migrate.compare import compare, plot
from migrate.schedules import cosine_annealing_per_step, cosine_decay_lr, cosine_decay_per_step
from migrate.verify import ATOL_SCALE, RTOL, Claim, Schedule, verify

STEPS = 1_000_000
REPEATS = 5


def best_of(function, repeats: int) -> float:
    """Seconds taken by the fastest of ``repeats`` calls."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return min(timings)


def verifier_claim() -> Claim:
    """A rule's claim over a 1e6-step run: 200 epochs of 5000 steps, agreement for T_max + 1 epochs."""
    torch_args = {"base_lr": "0.3", "T_max": "150", "eta_min": "1e-05", "step_every": "5000"}
    mindspore_args = {
        "min_lr": "1e-05",
        "max_lr": "0.3",
        "total_step": str(STEPS),
        "step_per_epoch": "5000",
        "decay_epoch": "150",
    }
    return Claim(
        Schedule("torch.CosineAnnealingLR", torch_args),
        Schedule("mindspore.cosine_decay_lr", mindspore_args),
        run_steps=str(STEPS),
        agrees_for=str(151 * 5000),
    )


def workloads(plot_path: str) -> list[tuple[str, object, int]]:
    torch_lrs = cosine_annealing_per_step(0.3, 150, 1e-5, 5000, STEPS)
    mindspore_lrs = cosine_decay_per_step(1e-5, 0.3, STEPS, 5000, 150, STEPS)
    claim = verifier_claim()
    comparison = compare(150, 1e-5, 0.3, 5000, 200)
    chosen = [
        ("torch per-step schedule, step() per epoch (S=5000)",
         lambda: cosine_annealing_per_step(0.3, 150, 1e-5, 5000, STEPS), REPEATS),
        ("torch per-step schedule, step() per step (T_max=1e6)",
         lambda: cosine_annealing_per_step(0.3, STEPS, 1e-5, 1, STEPS), REPEATS),
        ("MindSpore cosine_decay_lr per-step schedule (NumPy)",
         lambda: cosine_decay_per_step(1e-5, 0.3, STEPS, 5000, 150, STEPS), REPEATS),
        ("MindSpore cosine_decay_lr list (pure-Python replica)",
         lambda: cosine_decay_lr(1e-5, 0.3, STEPS, 5000, 150), 3),
        ("comparison at the verifier's tolerance (np.isclose)",
         lambda: np.isclose(mindspore_lrs, torch_lrs, rtol=RTOL, atol=ATOL_SCALE * 0.3), REPEATS),
        ("compare(): both schedules + comparison, epoch cadence",
         lambda: compare(150, 1e-5, 0.3, 5000, 200), REPEATS),
        ("compare(): both schedules + comparison, step cadence",
         lambda: compare(STEPS // 2, 1e-5, 0.3, 1, STEPS, cadence="step"), REPEATS),
        ("verify(): one claim, no unknowns", lambda: verify(claim), REPEATS),
    ]
    if importlib.util.find_spec("matplotlib") is not None:
        chosen += [
            ("plot(): subsampled PNG, first call (imports matplotlib)", lambda: plot(comparison, plot_path), 1),
            ("plot(): subsampled PNG", lambda: plot(comparison, plot_path), 3),
        ]
    return chosen


def main() -> None:
    print(f"{STEPS:,} optimizer steps; best of the stated number of runs")
    with tempfile.TemporaryDirectory() as directory:
        for name, function, repeats in workloads(str(Path(directory) / "lr.png")):
            print(f"{name:<58} {best_of(function, repeats) * 1e3:9.1f} ms  (best of {repeats})")


if __name__ == "__main__":
    main()
