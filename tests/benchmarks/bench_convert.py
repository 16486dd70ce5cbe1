"""Benchmark: ``migrate convert --check`` over the seeded reference corpus (``gen_corpus.py``).

Run: ``python tests/benchmarks/bench_convert.py [--n-files 2000] [--jobs 1 2] [--sites-in-one-file 1 8 20]``. Prints
wall time, CPU time, files/s, lines/s and peak RSS of each run, so figures compare over time; ``-j 0`` uses every
core. ``--sites-in-one-file N`` also times one file made of the corpus's first N files with a site, one after the
other: its cost must grow linearly with N. Not collected by pytest; timings never go in tests.
"""

from __future__ import annotations

import argparse
import csv
import os
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
    parser.add_argument("--sites-in-one-file", type=int, nargs="*", default=[])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        subprocess.run([sys.executable, str(CORPUS), "--out", str(corpus), "--n-files", str(options.n_files),
                        "--seed", "0"], check=True, capture_output=True)
        files = list(corpus.rglob("*.py"))
        lines = sum(path.read_text().count("\n") for path in files)
        print(f"corpus: {len(files)} files, {lines} lines (seed 0); load average {os.getloadavg()[0]:.2f}")
        for jobs in options.jobs:
            wall, cpu, rss, result = timed(["convert", "--check", "-q", "-j", str(jobs), str(corpus)])
            print(f"-j {jobs}: {wall:.2f} s, CPU {cpu:.2f} s, {len(files) / wall:.0f} files/s, {lines / wall:.0f} "
                  f"lines/s, peak RSS {rss:.0f} MB, exit {result.returncode}, {result.stdout.count(chr(10))} "
                  "diagnostics")
        with open(corpus / "manifest.csv", newline="") as manifest:
            sites = [corpus / row["path"] for row in csv.DictReader(manifest) if row["uses_cosine"] == "1"]
        for count in options.sites_in_one_file:
            if count > len(sites):
                print(f"{count} sites in one file: the corpus has only {len(sites)} files with a site")
                continue
            one_file = Path(folder) / f"sites_{count}.py"
            one_file.write_bytes(b"".join(path.read_bytes() for path in sites[:count]))
            wall, cpu, rss, result = timed(["convert", "--check", "-q", str(one_file)])
            print(f"{count} sites in one file ({one_file.stat().st_size / 1024:.0f} KB): {wall:.2f} s, CPU {cpu:.2f} s, "
                  f"{cpu / count:.2f} s CPU per site, peak RSS {rss:.0f} MB, exit {result.returncode}")


def timed(arguments: list[str]) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """Wall and CPU seconds (the workers it waited for included) and peak RSS in MB of one ``migrate`` process."""
    command = [sys.executable, "-m", "migrate", *arguments]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        pid = os.posix_spawn(sys.executable, command, os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                           (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        stdout = out.read().decode()
    result = subprocess.CompletedProcess(command, os.waitstatus_to_exitcode(status), stdout)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, result


if __name__ == "__main__":
    main()
