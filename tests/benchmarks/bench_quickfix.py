"""Benchmark: the editor quick-fix and ``--version`` in a cold process, as ratios to importing libcst and click.

Run: ``python tests/benchmarks/bench_quickfix.py [--runs 11] [--file PATH] [--baseline DIR]``. Without ``--file`` the first file with a
CosineAnnealingLR site of the seeded corpus (``gen_corpus.py --seed 0``) is used. The four commands are run in turn,
round after round, so load from other processes on a shared machine falls on all of them alike; it prints each
command's wall and CPU time (median, min, max) and the targets' ratios (median of the per-round ratios, and their
range as the noise). Not collected by pytest; timings never go in tests.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bench" / "gen_corpus.py"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--file", type=Path, default=None, help="The file with a site given to the quick-fix.")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="A folder holding another version's migrate package (e.g. `git archive HEAD migrate | tar "
                             "-x -C DIR`): its quick-fix and --version are timed in the same rounds.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = options.file or first_site(Path(folder))
        migrate = shutil.which("migrate", path=str(Path(sys.executable).parent)) or "migrate"
        quick_fix = [migrate, "check", "--output-format", "json", "--stdin-filename", "x.py", "-"]
        commands = {
            "import libcst": ([sys.executable, "-c", "import libcst"], None, None),
            "import click": ([sys.executable, "-c", "import click"], None, None),
            "migrate --version": ([migrate, "--version"], None, None),
            "quick-fix": (quick_fix, source, None),
        }
        if options.baseline:
            baseline = {**os.environ, "PYTHONPATH": str(options.baseline.resolve())}
            commands["baseline --version"] = ([migrate, "--version"], None, baseline)
            commands["baseline quick-fix"] = (quick_fix, source, baseline)
        print(f"file: {source} ({source.stat().st_size} bytes); {options.runs} rounds; load average "
              f"{os.getloadavg()[0]:.2f}")
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(options.runs):
            for name, (command, stdin, environment) in commands.items():
                wall, cpu = timed(command, stdin, environment)
                walls[name].append(wall)
                cpus[name].append(cpu)
        for name in commands:
            print(f"{name:<20} wall median {1000 * statistics.median(walls[name]):5.0f} ms (min "
                  f"{1000 * min(walls[name]):4.0f}, max {1000 * max(walls[name]):4.0f})  CPU median "
                  f"{1000 * statistics.median(cpus[name]):5.0f} ms (min {1000 * min(cpus[name]):4.0f})")
        pairs = [("quick-fix", "import libcst"), ("migrate --version", "import click")]
        if options.baseline:
            pairs += [("baseline quick-fix", "import libcst"), ("baseline --version", "import click")]
        for name, base in pairs:
            for kind, samples in (("wall", walls), ("CPU", cpus)):
                ratios = [mine / theirs for mine, theirs in zip(samples[name], samples[base])]
                print(f"{name} / {base} ({kind}): {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}–"
                      f"{max(ratios):.2f}; ratio of medians "
                      f"{statistics.median(samples[name]) / statistics.median(samples[base]):.2f}; target ≤ 1.5)")


def first_site(folder: Path) -> Path:
    corpus = folder / "corpus"
    subprocess.run([sys.executable, str(CORPUS), "--out", str(corpus), "--n-files", "40", "--seed", "0",
                    "--subdirs", "0"], check=True, capture_output=True)
    with open(corpus / "manifest.csv", newline="") as manifest:
        return next(corpus / row["path"] for row in csv.DictReader(manifest) if row["uses_cosine"] == "1")


def timed(command: list[str], stdin: Path | None, environment: dict | None) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``command``."""
    with open(stdin or os.devnull, "rb") as given:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, stdin=given, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


if __name__ == "__main__":
    main()
