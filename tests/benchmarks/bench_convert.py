"""Benchmark: ``migrate convert --check`` over the reference corpus (../shared/bench/gen_corpus.py, seeded).

Run: ``python tests/benchmarks/bench_convert.py [--n-files 2000] [--jobs 1 2]``. Prints wall time, files/s, lines/s
and peak RSS of each run, so figures compare over time. Not collected by pytest; timings never go in tests.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "gen_corpus.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n-files", type=int, default=2000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        subprocess.run([sys.executable, str(CORPUS), "--out", str(corpus), "--n-files", str(options.n_files),
                        "--seed", "0"], check=True, capture_output=True)
        files = list(corpus.rglob("*.py"))
        lines = sum(path.read_text().count("\n") for path in files)
        print(f"corpus: {len(files)} files, {lines} lines (seed 0)")
        for jobs in options.jobs:
            start = time.perf_counter()
            result = subprocess.run([sys.executable, "-m", "migrate", "convert", "--check", "-q", "-j", str(jobs),
                                     str(corpus)], capture_output=True, text=True)
            wall = time.perf_counter() - start
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            findings = result.stdout.count("\n")
            print(f"-j {jobs}: {wall:.2f} s, {len(files) / wall:.0f} files/s, {lines / wall:.0f} lines/s, "
                  f"peak RSS {rss:.0f} MB, exit {result.returncode}, {findings} diagnostics")


if __name__ == "__main__":
    main()
