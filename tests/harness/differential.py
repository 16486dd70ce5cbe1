"""Convert a program with ``migrate``, run both, and judge the conversion by the learning rates they use.

Verdicts, per program and mode (default, ``--unsafe-fixes``):

- ``invalid``: the original crashes by itself (not counting a MindSpore optimizer running past its list, which is
  behaviour the conversion must keep) or hangs: the program is skipped, and counted;
- ``crash`` (failure): ``migrate`` raised;
- ``refused``: nothing was rewritten; a diagnostic must sit on a line of the site, or a warning anywhere must say
  why (else ``unreported``, a failure);
- ``exact``: the same lr in every group at every optimizer step (rtol 1e-9, atol 1e-12·max|lr|, the verifier's
  tolerance), the same number of steps and the same ending;
- ``warned``: the runs differ (a converted run may even stop where the warning says MindSpore raises), the rewrite
  was applied as an unsafe fix under ``--unsafe-fixes``, and a warning
  about learning rates sits on the site's lines (the lines of the rewritten call and of every applied fix, or a
  warning whose code the rewrite's message cites);
- ``silent`` (failure): any other difference, including a converted program that crashes or hangs unannounced. In
  default mode
  every applied rewrite must be ``exact``.

A failing program is saved as a would-be fixture (``input.py``, ``output.py``, ``diagnostics.txt``, ``args``,
``difference.txt``) under ``$MIGRATE_HARNESS_SAVE`` or a folder the caller gives.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from migrate import engine
from migrate.bridge.scheduler_parts import RECOMPUTED_GET_LR
from migrate.diagnostics import UNSAFE

from . import runner

INVALID, CRASH, REFUSED, UNREPORTED, EXACT, WARNED, SILENT = (
    "invalid", "crash", "refused", "unreported", "exact", "warned", "silent")
FAILURES = (CRASH, UNREPORTED, SILENT)
MODES = ((False, "default"), (True, "--unsafe-fixes"))
SITE_CALLS = {"CosineAnnealingLR", "cosine_decay_lr"}
NOT_ABOUT_LEARNING_RATES = {"MIG104", "MIG104"}  # update-rule differences (weight decay, bias correction)
RTOL, ATOL_FACTOR = 1e-9, 1e-12
PRINTED_RTOL = 1e-6  # a logged lr read back from MindSpore's float32 list
INTERNAL_ERRORS = {"MIG004", "MIG005", "MIG007"}  # a rule's bug: withheld rewrite, invalid output, exception


@dataclass(frozen=True)
class Program:
    """A training program, the command-line arguments it runs with, its direction and the shape it was made from."""

    source: str
    to: str
    argv: tuple[str, ...] = ()
    shape: str = ""


@dataclass
class Outcome:
    program: Program
    mode: str
    verdict: str
    detail: str = ""
    output: str | None = None
    diagnostics: str = ""

    @property
    def failed(self) -> bool:
        return self.verdict in FAILURES


@functools.lru_cache(maxsize=4096)
def convert(source: str, to: str, unsafe_fixes: bool) -> engine.FileResult:
    """``migrate``'s result for one buffer (cached: a generated source runs with several argument vectors)."""
    options = engine.Options(to=to, unsafe_fixes=unsafe_fixes)
    return engine.process_bytes(source.encode(), "train.py", options, _rules(to))


@functools.lru_cache(maxsize=2)
def _rules(to: str):
    return engine.load_rules(to)


@functools.lru_cache(maxsize=4096)
def _run(source: str, argv: tuple[str, ...], extra: bool) -> runner.Record:
    return runner.run(source, argv=argv, extra_modules=runner.fixture_modules() if extra else None)


def site_lines(source: str) -> set[int]:
    """The lines of a site: every call to ``CosineAnnealingLR``/``cosine_decay_lr`` (by its last name), and the
    statements binding or consuming the names it connects (the optimizer it is given, the list it becomes)."""
    tree = ast.parse(source)
    lines, names = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in SITE_CALLS:
            lines.update(range(node.lineno, node.end_lineno + 1))
            names.update(argument.id for argument in node.args[:1] if isinstance(argument, ast.Name))
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and _called_name(node.value) in SITE_CALLS:
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id in names
                                                for target in node.targets):
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


def _called_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def first_difference(original: runner.Record, converted: runner.Record, printed: bool = True) -> str | None:
    """None when the two records agree step for step, end alike and (with ``printed``) print the same; else the
    first difference, in words. Real and stand-in runs of one program compare without ``printed``: the real
    libraries compute real losses."""
    for step, (expected, actual) in enumerate(zip(original.steps, converted.steps)):
        if len(expected) != len(actual):
            return f"optimizer step {step}: {len(expected)} param groups, converted has {len(actual)}"
        scale = max((abs(value) for value in expected), default=0.0)
        for group, (a, b) in enumerate(zip(expected, actual)):
            if not math.isclose(a, b, rel_tol=RTOL, abs_tol=ATOL_FACTOR * scale) and not (a != a and b != b):
                return f"optimizer step {step}, group {group}: lr {a!r} in the original, {b!r} converted"
    if len(original.steps) != len(converted.steps) or original.ending != converted.ending \
            or original.error_type != converted.error_type:
        return f"original: {original.describe()}; converted: {converted.describe()}"
    return _printed_difference(original.printed, converted.printed) if printed else None


ADDRESS = re.compile(r"0x[0-9a-f]+")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def _printed_difference(original: str, converted: str) -> str | None:
    """The first printed line that differs: the lrs a program logs (``get_last_lr()``, ``param_groups``) must be
    the ones it logged before; numbers agree within the lr tolerance, MindSpore reading its list as float32."""
    before, after = ADDRESS.sub("0x", original).splitlines(), ADDRESS.sub("0x", converted).splitlines()
    for number, (expected, actual) in enumerate(zip(before, after), start=1):
        if NUMBER.split(expected) != NUMBER.split(actual) or not all(
                math.isclose(float(a), float(b), rel_tol=PRINTED_RTOL, abs_tol=1e-12)
                for a, b in zip(NUMBER.findall(expected), NUMBER.findall(actual))):
            return f"printed line {number}: {expected!r} in the original, {actual!r} converted"
    if len(before) != len(after):
        return f"the original printed {len(before)} lines, the converted program {len(after)}"
    return None


def _enclosing_loop_lines(source: str, lines: set[int]) -> set[int]:
    """The header lines of the loops around the edited lines: the rewrite's cadence is read from them."""
    return {node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.For, ast.While))
            and any(node.lineno <= line <= node.end_lineno + 1 for line in lines)}


def _warned_at_site(result: engine.FileResult, source: str) -> bool:
    applied = [d for d in result.diagnostics if d.fix is not None and d.fix.applied]
    if not any(d.fix.applicability == UNSAFE for d in applied):
        return False
    lines = site_lines(source)
    cited = set()
    for diagnostic in applied:
        lines.update(range(diagnostic.line, max(diagnostic.line, diagnostic.end_line) + 1))
        for edit in diagnostic.fix.edits:
            lines.update(range(edit.line, max(edit.line + 1, edit.end_line)))
        cited.update(word.strip("()[],;:") for word in diagnostic.message.split())
    lines |= _enclosing_loop_lines(source, lines)
    return any(d.severity == "warning" and d.code not in NOT_ABOUT_LEARNING_RATES
               and (d.line in lines or d.code in cited) for d in result.diagnostics)


def judge(program: Program, unsafe_fixes: bool, with_fixture_modules: bool = False) -> Outcome:
    mode = MODES[unsafe_fixes][1]
    original = _run(program.source, program.argv, with_fixture_modules)
    if original.ending == runner.HUNG or (original.crashed and not original.exhausted_list):
        return Outcome(program, mode, INVALID, f"the original fails by itself: {original.describe()}")
    try:
        result = convert(program.source, program.to, unsafe_fixes)
    except Exception as error:  # noqa: BLE001 - any exception of the tool is the finding
        return Outcome(program, mode, CRASH, f"migrate raised {type(error).__name__}: {error}")
    diagnostics = "".join(f"{d.concise()}\n" for d in result.diagnostics)
    if any(d.code in INTERNAL_ERRORS for d in result.diagnostics):
        return Outcome(program, mode, CRASH, "migrate reported an internal error", diagnostics=diagnostics)
    if result.output is None:
        lines = site_lines(program.source)
        reported = any(d.line in lines or d.severity == "warning" for d in result.diagnostics)
        if lines and not reported:
            return Outcome(program, mode, UNREPORTED, "not rewritten and no diagnostic at the site",
                           diagnostics=diagnostics)
        return Outcome(program, mode, REFUSED, diagnostics=diagnostics)
    output = result.output.decode()
    converted = _run(output, program.argv, with_fixture_modules)
    difference = first_difference(original, converted, printed=RECOMPUTED_GET_LR not in diagnostics)
    if difference is None:
        return Outcome(program, mode, EXACT, output=output, diagnostics=diagnostics)
    if unsafe_fixes and converted.ending != runner.HUNG and _warned_at_site(result, program.source):
        return Outcome(program, mode, WARNED, difference, output, diagnostics)
    return Outcome(program, mode, SILENT, difference, output, diagnostics)


def judge_both_modes(program: Program, with_fixture_modules: bool = False) -> list[Outcome]:
    return [judge(program, unsafe, with_fixture_modules) for unsafe, _ in MODES]


def save(outcome: Outcome, folder: Path | None = None) -> Path:
    """Write a failing program as a would-be fixture case; returns its folder."""
    folder = Path(os.environ.get("MIGRATE_HARNESS_SAVE") or folder or "harness-failures")
    program = outcome.program
    digest = hashlib.sha1(f"{program.source}{program.argv}{outcome.mode}".encode()).hexdigest()[:10]
    case = folder / f"{outcome.verdict}_{program.to}_{digest}"
    case.mkdir(parents=True, exist_ok=True)
    (case / "input.py").write_text(program.source)
    (case / "output.py").write_text(outcome.output if outcome.output is not None else program.source)
    (case / "diagnostics.txt").write_text(outcome.diagnostics)
    if outcome.mode != "default":
        (case / "args").write_text(f"{outcome.mode}\n")
    (case / "difference.txt").write_text(
        f"direction: --to {program.to}\nargv: {' '.join(program.argv)}\nverdict: {outcome.verdict}\n"
        f"shape: {program.shape}\n{outcome.detail}\n")
    return case
