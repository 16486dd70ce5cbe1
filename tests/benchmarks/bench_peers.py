"""Benchmark: ``migrate`` side by side with LibCST's ``rename`` codemod and PaConvert, on fresh copies of one corpus.

Issue 11's targets are ratios measured in one run on one machine, so one invocation generates the reference corpus
once (the seeded reference generator, ``gen_corpus.py``), installs each peer in a throw-away virtualenv, runs every tool as a user
would (its own process, on its own fresh copy) and reads each child's wall time, CPU time (user + sys, workers
included) and peak RSS (the largest single process: ``ru_maxrss`` from ``os.wait4``). It also times the cold
editor quick-fix, ``migrate --version``, one large file, and migrate's peak RSS on a tenth of the corpus.

Run: ``python tests/benchmarks/bench_peers.py [--n-files 2000] [--site-files-only] [--quick] [--envs DIR]
[--workdir DIR] [--json PATH]`` with the interpreter migrate is installed in. ``--quick`` is a smoke test (60 files,
5 repeats, a 0.02 MB file, no PaConvert formatter run). The numbers are only as quiet as the machine: the load average
is printed with every run. Not collected by pytest; timings never go in tests.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import importlib.metadata
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "gen_corpus.py"
PACONVERT = "paconvert==3.3.1"
OLD_NAME = "torch.optim.lr_scheduler.CosineAnnealingLR"
NEW_NAME = "mindspore.nn.cosine_decay_lr"
# A child's ru_maxrss starts at the peak RSS of the process that forked it (Linux keeps it across exec), so the
# benchmark's own memory would leak into every figure. Each command is therefore started by this minimal interpreter
# (python -I -S, ~8 MB, less than any Python tool measured here), which times it and writes its rusage to argv[1].
# As a user's shell runs the tools: bytecode caching on (some sandboxes export PYTHONDONTWRITEBYTECODE, which would
# make every cold start of an editable install recompile its modules while the peers' site-packages keep theirs).
USER_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
SPAWN = """
import os, sys, time
figures, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawnp(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(figures, "w") as out:
    out.write(f"{wall} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


@dataclass
class Run:
    """One child process: what ran, what it cost, and whether it did its job."""

    name: str
    command: list[str]
    wall_s: float
    cpu_s: float | None
    peak_rss_mb: float | None
    exit_code: int
    load_1min: float
    outcome: str = ""
    files_changed: int | None = None

    @property
    def killed(self) -> bool:
        return self.cpu_s is None


@dataclass
class Repeated:
    """The same cold command run several times: medians, because single start-ups are noisy."""

    name: str
    command: list[str]
    runs: int
    median_wall_ms: float
    median_cpu_ms: float
    peak_rss_mb: float
    exit_codes: list[int]


def measure(name: str, command: list[str], cwd: Path, timeout: float, stdin: Path | None = None) -> Run:
    """Run ``command`` under ``SPAWN`` (its figures, not ours); stdout and stderr go to files so no pipe blocks."""
    load = os.getloadavg()[0]
    figures = cwd / f"{slug(name)}.rusage"
    figures.unlink(missing_ok=True)
    with (open(cwd / f"{slug(name)}.stdout", "wb") as out, open(cwd / f"{slug(name)}.stderr", "wb") as err,
          open(stdin or os.devnull, "rb") as given):
        process = subprocess.Popen([sys.executable, "-I", "-S", "-c", SPAWN, str(figures), *command], cwd=cwd,
                                   stdin=given, stdout=out, stderr=err, start_new_session=True, env=USER_ENV)
        alarm = threading.Timer(timeout, os.killpg, (process.pid, signal.SIGKILL))
        alarm.start()
        process.wait()
        alarm.cancel()
    if not figures.is_file():
        return Run(name, command, timeout, None, None, -signal.SIGKILL, load,
                   f"killed after the {timeout:.0f} s timeout (wall = the timeout)")
    wall, cpu, max_rss_kb, exit_code = figures.read_text().split()
    return Run(name, command, float(wall), float(cpu), int(max_rss_kb) / 1024, int(exit_code), load)


def measure_repeated(name: str, command: list[str], cwd: Path, options: argparse.Namespace,
                     stdin: Path | None = None) -> Repeated:
    """One discarded warm-up (page cache, bytecode), then ``options.repeat`` cold processes."""
    measure(name, command, cwd, options.timeout, stdin)
    runs = [measure(name, command, cwd, options.timeout, stdin) for _ in range(options.repeat)]
    progress(f"{name} (median of {options.repeat})", statistics.median(run.wall_s for run in runs))
    return Repeated(name, command, options.repeat, statistics.median(run.wall_s for run in runs) * 1000,
                    statistics.median(run.cpu_s for run in runs) * 1000, max(run.peak_rss_mb for run in runs),
                    sorted({run.exit_code for run in runs}))


def progress(name: str, wall_s: float) -> None:
    print(f"  {name}: {wall_s:.1f} s", flush=True)


def quotient(numerator: float | None, denominator: float | None) -> float | None:
    """A ratio, or None when a killed run left one side unmeasured."""
    return None if numerator is None or denominator is None else numerator / denominator


def shown(value: float | None, spec: str) -> str:
    """``value`` formatted, or a dash as wide as it would have been."""
    return format("-", spec.split(".")[0]) if value is None else format(value, spec)


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def output_of(run: Run, cwd: Path, stream: str) -> str:
    return (cwd / f"{slug(run.name)}.{stream}").read_text(errors="replace")


def python_files(folder: Path) -> list[Path]:
    return sorted(path.relative_to(folder) for path in folder.rglob("*.py"))


def count_changed(original: Path, result: Path) -> int:
    """Files of ``original`` whose copy under ``result`` differs or is missing: what a tool actually rewrote."""
    return sum(not (result / relative).is_file() or not filecmp.cmp(original / relative, result / relative,
                                                                     shallow=False)
               for relative in python_files(original))


def make_corpus(options: argparse.Namespace, workdir: Path) -> tuple[Path, list[Path]]:
    """Generate once; keep every file (or only those with a site) under ``corpus/``; return it and its site files."""
    generated = workdir / "generated"
    subprocess.run([sys.executable, str(options.generator), "--out", str(generated), "--n-files",
                    str(options.n_files), "--seed", str(options.seed)], check=True, capture_output=True)
    with open(generated / "manifest.csv", newline="") as manifest:
        rows = list(csv.DictReader(manifest))
    corpus = workdir / "corpus"
    sites = []
    for row in rows:
        has_site = row["uses_cosine"] == "1"
        if has_site or not options.site_files_only:
            (corpus / row["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(generated / row["path"], corpus / row["path"])
        if has_site:
            sites.append(corpus / row["path"])
    return corpus, sites


def fresh_copy(corpus: Path, workdir: Path, name: str, only: list[Path] | None = None) -> Path:
    """A directory of its own holding ``corpus/`` (or just the files ``only`` names), so no run sees another's."""
    folder = workdir / "runs" / slug(name)
    if only is None:
        shutil.copytree(corpus, folder / "corpus")
    else:
        for relative in only:
            (folder / "corpus" / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(corpus / relative, folder / "corpus" / relative)
    return folder


def virtualenv(envs: Path, name: str, requirement: str) -> Path:
    """A venv with ``requirement`` installed from PyPI; reused when a previous run completed the install."""
    env = envs / slug(requirement)
    done = env / ".bench-installed"
    if done.is_file() and done.read_text() == requirement:
        return env
    print(f"installing {requirement} into {env} ...", flush=True)
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(env)], check=True)
    install = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
                             capture_output=True, text=True)
    if install.returncode != 0:
        raise SystemExit(f"cannot install {requirement} for {name}:\n{install.stdout}{install.stderr}")
    done.write_text(requirement)
    return env


def libcst_summary(stderr: str) -> str:
    """The counts of LibCST's closing summary (its "Transformed" also counts files left unchanged)."""
    counts = re.findall(r"^ - (?:Transformed|Skipped|Failed to codemod) (\d+) files?|^ - (\d+) warnings?", stderr,
                        re.MULTILINE)
    if len(counts) != 4:
        return "no summary"
    transformed, skipped, failed, warnings = (a or b for a, b in counts)
    return f"transformed {transformed}, skipped {skipped}, failed {failed}, {warnings} warnings"


def paconvert_summary(log: str) -> str:
    rate = re.search(r"Convert Rate is: ([\d.]+%)", log)
    return f"convert rate {rate.group(1) if rate else 'missing'}, {log.count('Traceback')} tracebacks"


def run_tools(options: argparse.Namespace, corpus: Path, workdir: Path, envs: dict[str, Path]) -> list[Run]:
    migrate = str(Path(sys.executable).with_name("migrate"))
    runs = []
    for jobs in ([], ["-j", "2"]):
        name = " ".join(["migrate", *jobs])
        folder = fresh_copy(corpus, workdir, name)
        run = measure(name, [migrate, "convert", "--check", "-q", *jobs, "corpus"], folder, options.timeout)
        run.files_changed = count_changed(corpus, folder / "corpus")
        run.outcome = run.outcome or f"{output_of(run, folder, 'stdout').count(chr(10))} diagnostics"
        progress(run.name, run.wall_s)
        runs.append(run)

    name = "libcst rename -j 1"
    folder = fresh_copy(corpus, workdir, name)
    libcst_python = str(envs["libcst"] / "bin" / "python")
    subprocess.run([libcst_python, "-m", "libcst.tool", "initialize", "."], cwd=folder, check=True,
                   capture_output=True)
    run = measure(name, [libcst_python, "-m", "libcst.tool", "codemod", "rename.RenameCommand",
                         f"--old_name={OLD_NAME}", f"--new_name={NEW_NAME}", "--no-format", "--hide-progress",
                         "-j", "1", "corpus"], folder, options.timeout)
    run.files_changed = count_changed(corpus, folder / "corpus")
    run.outcome = run.outcome or libcst_summary(output_of(run, folder, "stderr"))
    progress(run.name, run.wall_s)
    runs.append(run)

    paconvert = str(envs["paconvert"] / "bin" / "paconvert")
    variants = [("paconvert --no_format", ["--no_format"])]
    if not options.quick:
        variants.insert(0, ("paconvert (black + isort)", []))
    for name, flags in variants:
        folder = fresh_copy(corpus, workdir, name)
        run = measure(name, [paconvert, "-i", "corpus", "-o", "paddle", *flags], folder, options.timeout)
        run.files_changed = count_changed(corpus, folder / "paddle")
        log = output_of(run, folder, "stdout") + output_of(run, folder, "stderr")
        run.outcome = run.outcome or paconvert_summary(log)
        progress(run.name, run.wall_s)
        runs.append(run)
    return runs


def run_extras(options: argparse.Namespace, corpus: Path, sites: list[Path], workdir: Path,
               tool_runs: list[Run]) -> dict:
    """Start-up, the editor quick-fix, one large file, and peak RSS on a tenth of the corpus (a tenth of the files
    with a site and a tenth of the others, so both runs mix them alike)."""
    migrate = str(Path(sys.executable).with_name("migrate"))
    folder = workdir / "runs" / "extras"
    folder.mkdir(parents=True)
    repeated = [
        measure_repeated("python -c pass", [sys.executable, "-c", "pass"], folder, options),
        measure_repeated("python -c 'import click'", [sys.executable, "-c", "import click"], folder, options),
        measure_repeated("migrate --version", [migrate, "--version"], folder, options),
        measure_repeated("python -c 'import libcst'", [sys.executable, "-c", "import libcst"], folder, options),
        measure_repeated("migrate check json stdin (one site file)",
                         [migrate, "check", "--output-format", "json", "--stdin-filename", "x.py", "-"], folder,
                         options, stdin=sites[0]),
    ]

    files = python_files(corpus)
    parts = sites if options.big_file_from == "sites" else [corpus / path for path in files]
    target_bytes = int(options.big_file_mb * 1024 * 1024)
    with open(folder / "big.py", "wb") as out:
        written = 0
        while written < target_bytes:
            for part in parts:
                written += out.write(part.read_bytes())
                if written >= target_bytes:
                    break
    big = measure(f"migrate on one {written / 2**20:.2f} MB file", [migrate, "convert", "--check", "-q", "big.py"],
                  folder, options.big_file_timeout)
    big.outcome = big.outcome or (f"{output_of(big, folder, 'stdout').count(chr(10))} diagnostics "
                                  f"(made of {options.big_file_from} files)")
    progress(big.name, big.wall_s)

    site_paths = {site.relative_to(corpus) for site in sites}
    with_site = [path for path in files if path in site_paths]
    without_site = [path for path in files if path not in site_paths]
    tenth = [*with_site[: -(-len(with_site) // 10)], *without_site[: -(-len(without_site) // 10)]]
    name = f"migrate on {len(tenth)} files"
    subset_folder = fresh_copy(corpus, workdir, name, only=tenth)
    subset = measure(name, [migrate, "convert", "--check", "-q", "corpus"], subset_folder, options.timeout)
    progress(subset.name, subset.wall_s)
    full = tool_runs[0]
    return {"repeated": repeated, "big_file": big, "big_file_bytes": written, "rss_subset": subset,
            "rss_subset_files": len(tenth), "rss_ratio": quotient(full.peak_rss_mb, subset.peak_rss_mb)}


def ratios(runs: list[Run]) -> list[dict]:
    """Each peer against each migrate run (peer / migrate): above 1 means migrate is cheaper."""
    migrates = [run for run in runs if run.name.startswith("migrate")]
    return [{"peer": peer.name, "against": base.name, "wall": peer.wall_s / base.wall_s,
             "cpu": quotient(peer.cpu_s, base.cpu_s), "peak_rss": quotient(peer.peak_rss_mb, base.peak_rss_mb)}
            for peer in runs if not peer.name.startswith("migrate") for base in migrates]


def targets(options: argparse.Namespace, runs: list[Run], extras: dict) -> list[dict]:
    """Issue 11's targets, each with what this run measured; the corpus ratios use migrate's default ``-j``."""
    by_name = {run.name: run for run in runs}
    by_name.update({item.name: item for item in extras["repeated"]})
    migrate = by_name["migrate"]
    wanted = ([("libcst rename -j 1", 5)] if options.site_files_only else
              [("libcst rename -j 1", 100), ("paconvert (black + isort)", 100), ("paconvert --no_format", 10)])
    found = []
    for peer, floor in wanted:
        if peer in by_name:
            ratio = by_name[peer].wall_s / migrate.wall_s
            cpu_ratio = quotient(by_name[peer].cpu_s, migrate.cpu_s)
            measured = (f"{ratio:.1f}x, peer killed: a lower bound" if by_name[peer].killed else
                        f"{ratio:.1f}x, migrate killed: an upper bound" if migrate.killed else
                        f"{ratio:.1f}x (CPU {cpu_ratio:.1f}x)")
            found.append({"target": f"{peer} / migrate wall >= {floor}x", "measured": measured,
                          "met": ratio >= floor})
    for command, floor in (("migrate check json stdin (one site file)", "python -c 'import libcst'"),
                           ("migrate --version", "python -c 'import click'")):
        ratio = by_name[command].median_wall_ms / by_name[floor].median_wall_ms
        cpu_ratio = by_name[command].median_cpu_ms / by_name[floor].median_cpu_ms
        found.append({"target": f"{command} <= 1.5x {floor}", "measured": f"{ratio:.2f}x (CPU {cpu_ratio:.2f}x)",
                      "met": ratio <= 1.5})
    rss_ratio = extras["rss_ratio"]
    found.append({"target": f"peak RSS flat from {extras['rss_subset_files']} to {options.n_files_used} files (+-5 %)",
                  "measured": "-" if rss_ratio is None else f"{rss_ratio - 1:+.1%}",
                  "met": rss_ratio is not None and abs(rss_ratio - 1) <= 0.05})
    big = extras["big_file"]
    if options.big_file_mb >= 1:
        found.append({"target": "1 MB file <= 5 s and <= 300 MB", "measured": big.outcome if big.killed else
                      f"{big.wall_s:.1f} s, {big.peak_rss_mb:.0f} MB",
                      "met": not big.killed and big.wall_s <= 5 and big.peak_rss_mb <= 300})
    return found


def print_report(runs: list[Run], extras: dict, ratio_rows: list[dict], goals: list[dict]) -> None:
    print(f"\n{'run':<34}{'wall s':>9}{'CPU s':>9}{'RSS MB':>9}{'exit':>6}{'load':>6}  changed  outcome")
    for run in [*runs, extras["big_file"], extras["rss_subset"]]:
        changed = "" if run.files_changed is None else str(run.files_changed)
        print(f"{run.name:<34}{run.wall_s:>9.2f}{shown(run.cpu_s, '>9.2f')}{shown(run.peak_rss_mb, '>9.1f')}"
              f"{run.exit_code:>6}{run.load_1min:>6.1f}  {changed:>7}  {run.outcome}")
    print(f"\n{'peer / migrate':<44}{'wall':>8}{'CPU':>8}{'RSS':>8}")
    for row in ratio_rows:
        print(f"{row['peer'] + ' / ' + row['against']:<44}{row['wall']:>7.1f}x{shown(row['cpu'], '>7.1f')}x"
              f"{shown(row['peak_rss'], '>7.2f')}x")
    print(f"\n{'cold start (median of ' + str(extras['repeated'][0].runs) + ')':<44}{'wall ms':>9}{'CPU ms':>9}"
          f"{'RSS MB':>9}  exit")
    for item in extras["repeated"]:
        print(f"{item.name:<44}{item.median_wall_ms:>9.0f}{item.median_cpu_ms:>9.0f}{item.peak_rss_mb:>9.1f}  "
              f"{','.join(map(str, item.exit_codes))}")
    print("\nissue 11 targets")
    for goal in goals:
        print(f"  {'met    ' if goal['met'] else 'NOT met'}  {goal['target']}: {goal['measured']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n-files", type=int, help="corpus size before --site-files-only (default 2000; 60 quick)")
    parser.add_argument("--site-files-only", action="store_true",
                        help="keep only the files that construct CosineAnnealingLR (issue 11's second corpus)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="smoke test: 60 files, 5 repeats, a 0.02 MB file, "
                                                             "no PaConvert formatter run")
    parser.add_argument("--repeat", type=int, help="cold-start runs per command (default 25; 5 quick)")
    parser.add_argument("--big-file-mb", type=float, help="size of the one-file run (default 1; 0.02 quick)")
    parser.add_argument("--big-file-from", choices=["sites", "corpus"], default="sites",
                        help="concatenate the files with a site (default: one site per ~5 kB) or the corpus in order")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed (default 3600)")
    parser.add_argument("--big-file-timeout", type=float, default=300,
                        help="seconds before the one-file run is killed (default 300; its target is 5)")
    parser.add_argument("--envs", type=Path, help="where the peers' virtualenvs are cached (default: inside the "
                                                  "work directory)")
    parser.add_argument("--workdir", type=Path, help="keep corpus, copies, outputs and logs here (default: a "
                                                     "temporary directory, removed); must be outside a git work tree")
    parser.add_argument("--generator", type=Path, default=GENERATOR, help=f"corpus generator (default {GENERATOR})")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    options = parser.parse_args()
    options.n_files = options.n_files or (60 if options.quick else 2000)
    options.repeat = options.repeat or (5 if options.quick else 25)
    options.big_file_mb = options.big_file_mb or (0.02 if options.quick else 1.0)
    if not Path(sys.executable).with_name("migrate").is_file():
        raise SystemExit(f"no migrate next to {sys.executable}: run this with the interpreter migrate is installed in")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as temporary:
        workdir = options.workdir or Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        if (workdir / "runs").exists():
            raise SystemExit(f"{workdir / 'runs'} exists: give an empty --workdir")
        envs_root = options.envs or workdir / "envs"
        libcst_version = importlib.metadata.version("libcst")
        envs = {"libcst": virtualenv(envs_root, "libcst", f"libcst=={libcst_version}"),
                "paconvert": virtualenv(envs_root, "paconvert", PACONVERT)}
        corpus, sites = make_corpus(options, workdir)
        files = python_files(corpus)
        options.n_files_used = len(files)
        lines = sum((corpus / path).read_bytes().count(b"\n") for path in files)
        load_start = os.getloadavg()
        print(f"corpus: {len(files)} files, {lines} lines, {len(sites)} with a site (seed {options.seed}"
              f"{', site files only' if options.site_files_only else ''}); {os.cpu_count()} CPUs, "
              f"load average {' '.join(f'{load:.2f}' for load in load_start)}", flush=True)
        runs = run_tools(options, corpus, workdir, envs)
        extras = run_extras(options, corpus, sites, workdir, runs)
        ratio_rows = ratios(runs)
        goals = targets(options, runs, extras)
        load_end = os.getloadavg()
        elapsed = time.perf_counter() - started
        print_report(runs, extras, ratio_rows, goals)
        print(f"\nload average at start {' '.join(f'{load:.2f}' for load in load_start)}, at end "
              f"{' '.join(f'{load:.2f}' for load in load_end)}; benchmark took {elapsed:.0f} s")
        if options.json:
            options.json.write_text(json.dumps({
                "corpus": {"files": len(files), "lines": lines, "site_files": len(sites), "seed": options.seed,
                           "site_files_only": options.site_files_only, "quick": options.quick},
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                            "load_average_start": load_start, "load_average_end": load_end},
                "versions": {"migrate": importlib.metadata.version("migrate"), "libcst": libcst_version,
                             "paconvert": PACONVERT.split("==")[1]},
                "runs": [asdict(run) for run in runs],
                "ratios": ratio_rows,
                "cold_start": [asdict(item) for item in extras["repeated"]],
                "big_file": {**asdict(extras["big_file"]), "bytes": extras["big_file_bytes"]},
                "rss_subset": asdict(extras["rss_subset"]), "rss_full_over_subset": extras["rss_ratio"],
                "targets": goals, "elapsed_s": elapsed,
            }, indent=2) + "\n")


if __name__ == "__main__":
    main()
