"""Golden fixtures: every ``fixtures/<direction>/<case>/`` converts to its expected output and diagnostics.

A case holds ``input.py``, ``output.py`` (the expected file after ``migrate convert``), ``diagnostics.txt``
(the expected concise diagnostics, with the file called ``input.py``) and optionally ``args`` (extra flags, one
line). Run with ``MIGRATE_UPDATE_FIXTURES=1`` to rewrite the expectations after a deliberate change, then review
the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import engine
from migrate.cli import main
from migrate.config import Config

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted(path for path in FIXTURES.glob("*/*") if (path / "input.py").is_file())
UPDATE = os.environ.get("MIGRATE_UPDATE_FIXTURES") == "1"


def _args(case: Path) -> list[str]:
    path = case / "args"
    return path.read_text().split() if path.exists() else []


def _direction(case: Path) -> str:
    return case.parent.name.split("_to_")[1]


def _convert(case: Path, tmp_path: Path, monkeypatch) -> tuple[str, str, int]:
    shutil.copy(case / "input.py", tmp_path / "input.py")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert", "--to", _direction(case), "-q", *_args(case), "input.py"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return (tmp_path / "input.py").read_text(), result.stdout, result.exit_code


def test_there_are_enough_cases():
    assert len([case for case in CASES if case.parent.name == "torch_to_mindspore"]) >= 15


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_cli_converts_case_to_expected_output(case, tmp_path, monkeypatch):
    output, diagnostics, _ = _convert(case, tmp_path, monkeypatch)
    if UPDATE:
        (case / "output.py").write_text(output)
        (case / "diagnostics.txt").write_text(diagnostics)
    assert output == (case / "output.py").read_text()
    assert diagnostics == (case / "diagnostics.txt").read_text()


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_second_run_changes_nothing(case, tmp_path, monkeypatch):
    first, _, _ = _convert(case, tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["convert", "--to", _direction(case), "-q", *_args(case), "input.py"])
    assert (tmp_path / "input.py").read_text() == first
    assert "Rewrote" not in result.output


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case.parent.name}/{case.name}")
def test_library_api_matches_cli(case):
    args = _args(case)
    periodic = args[args.index("--periodic") + 1] if "--periodic" in args else "exact"
    options = engine.Options(to=_direction(case), unsafe_fixes="--unsafe-fixes" in args,
                             config=Config(periodic=periodic))
    data = (case / "input.py").read_bytes()
    result = engine.process_bytes(data, "input.py", options, engine.load_rules(options.to))
    expected = (case / "output.py").read_bytes()
    assert (result.output if result.output is not None else data) == expected
    lines = "".join(f"{diagnostic.concise()}\n" for diagnostic in result.diagnostics)
    assert lines == (case / "diagnostics.txt").read_text()
