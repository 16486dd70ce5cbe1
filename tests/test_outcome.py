"""How a run ends: the exit-code table, the summary line, ``--statistics``, and colour on a terminal."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from migrate import outcome
from migrate.cli import main
from migrate.diagnostics import SAFE, UNSAFE, Diagnostic, FixEdits
from migrate.engine import FileResult, Tally
from migrate.formats import FORMATS, render, use_color
from migrate.outcome import (
    EXIT_CLEAN,
    EXIT_FAILURE,
    EXIT_UNREADABLE,
    EXIT_USAGE,
    EXIT_WITHHELD,
    ExitPolicy,
    exit_code,
    statistics,
    summary,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_to_mindspore"
REWRITE_ONLY = FIXTURES / "from_torch_import_optim"  # one safe rewrite, an info, no warning
REFUSAL_ONLY = FIXTURES / "star_import_two_sources"  # a MIG108 warning, nothing rewritten
REWRITE_AND_WARNING = FIXTURES / "fully_qualified_per_epoch"  # a safe rewrite and a MIG104 warning
UNSAFE_NOT_APPLIED = FIXTURES / "run_length_unknown"  # MIG100 + MIG102 warning, nothing rewritten by default


def diagnostic(code: str, severity: str, fix: FixEdits | None = None, path: str = "a.py") -> Diagnostic:
    return Diagnostic(path, 1, 1, code, f"name-of-{code.lower()}", severity, "message", fix=fix)


def result(*diagnostics: Diagnostic, changed=False, failed=False, tally=None, internal=False, path="a.py"):
    return FileResult(path, list(diagnostics), original=b"old", output=b"new" if changed else None, failed=failed,
                      tally=tally or Tally(), internal_error=internal)


WARNING = diagnostic("MIG108", "warning")
INFO = diagnostic("MIG100", "info")
REWRITE = "rewrite"


def fail_on(setting: str):
    return lambda path: setting


class TestExitCode:
    @pytest.mark.parametrize(("mode", "changed", "warning", "setting", "policy", "expected"), [
        # rewriting runs: a rewrite fails with fail-on = "rewrite"; a refused site does not
        ("write", True, False, "rewrite", ExitPolicy(), EXIT_FAILURE),
        ("write", False, True, "rewrite", ExitPolicy(), EXIT_CLEAN),
        ("write", False, False, "rewrite", ExitPolicy(), EXIT_CLEAN),
        # fail-on = "warning": what remains fails, as ruff's `check --fix`; a finished rewrite does not ...
        ("write", False, True, "warning", ExitPolicy(), EXIT_FAILURE),
        ("write", True, False, "warning", ExitPolicy(), EXIT_CLEAN),
        ("write", True, True, "warning", ExitPolicy(), EXIT_FAILURE),
        # ... unless --exit-non-zero-on-fix
        ("write", True, False, "warning", ExitPolicy(exit_non_zero_on_fix=True), EXIT_FAILURE),
        # --exit-zero: neither rewrites nor warnings fail
        ("write", True, True, "warning", ExitPolicy(exit_zero=True), EXIT_CLEAN),
        # check-only runs: a pending change always fails; warnings as fail-on says
        ("check", True, False, "rewrite", ExitPolicy(), EXIT_FAILURE),
        ("diff", True, False, "warning", ExitPolicy(), EXIT_FAILURE),
        ("report", True, False, "warning", ExitPolicy(), EXIT_FAILURE),
        ("check", False, True, "rewrite", ExitPolicy(), EXIT_CLEAN),
        ("check", False, True, "warning", ExitPolicy(), EXIT_FAILURE),
        ("check", True, False, "rewrite", ExitPolicy(exit_zero=True), EXIT_CLEAN),
    ])
    def test_table(self, mode, changed, warning, setting, policy, expected):
        results = [result(*([WARNING] if warning else []), INFO, changed=changed)]
        assert exit_code(results, mode, fail_on(setting), policy) == expected

    def test_a_check_only_run_fails_exactly_when_the_rewriting_run_would(self):
        """The two pre-commit hooks agree under one configuration."""
        for warning in (False, True):
            for setting in outcome.FAIL_ON:
                pending = [result(*([WARNING] if warning else []), changed=True)]
                write = exit_code(pending, "write", fail_on(setting))
                check = exit_code(pending, "check", fail_on(setting))
                if setting == REWRITE:
                    assert write == check == EXIT_FAILURE
                else:
                    assert check == EXIT_FAILURE and write == (EXIT_FAILURE if warning else EXIT_CLEAN)

    def test_precedence_withheld_over_unreadable_over_failure(self):
        withheld = result(diagnostic("MIG004", "error"), tally=Tally(withheld=1))
        unreadable = result(diagnostic("MIG001", "error"), failed=True)
        changed = result(changed=True)
        assert exit_code([changed, unreadable, withheld], "write", fail_on(REWRITE)) == EXIT_WITHHELD
        assert exit_code([changed, unreadable], "write", fail_on(REWRITE)) == EXIT_UNREADABLE

    def test_an_internal_error_exits_4(self):
        crashed = result(diagnostic("MIG007", "error"), failed=True, internal=True)
        assert exit_code([crashed], "write", fail_on(REWRITE)) == EXIT_WITHHELD

    def test_exit_zero_never_hides_that_the_tool_could_not_do_its_job(self):
        policy = ExitPolicy(exit_zero=True)
        assert exit_code([result(failed=True)], "write", fail_on(REWRITE), policy) == EXIT_UNREADABLE
        assert exit_code([result(tally=Tally(withheld=1))], "write", fail_on(REWRITE), policy) == EXIT_WITHHELD

    def test_each_file_answers_to_its_own_fail_on(self):
        settings = {"strict/a.py": "warning", "lax/b.py": "rewrite"}
        lax = result(WARNING, path="lax/b.py")
        strict = result(WARNING, path="strict/a.py")
        assert exit_code([lax], "write", settings.__getitem__) == EXIT_CLEAN
        assert exit_code([lax, strict], "write", settings.__getitem__) == EXIT_FAILURE

    def test_infos_never_fail(self):
        assert exit_code([result(INFO, INFO)], "check", fail_on("warning")) == EXIT_CLEAN

    def test_codes_are_the_documented_numbers(self):
        assert (EXIT_CLEAN, EXIT_FAILURE, EXIT_USAGE, EXIT_UNREADABLE, EXIT_WITHHELD) == (0, 1, 2, 3, 4)


class TestSummary:
    def test_nothing_to_change(self):
        assert summary([result(), result()], "write") == "migrate: 2 files checked, nothing to change."

    def test_rewritten_files_and_what_is_left(self):
        results = [result(WARNING, changed=True, tally=Tally(equivalent=1)), result(INFO)]
        assert summary(results, "write") == "migrate: 2 files checked, 1 rewritten; 1 warning."

    def test_check_only_modes_say_would_be(self):
        for mode in ("check", "diff", "report"):
            assert summary([result(changed=True)], mode) == "migrate: 1 file checked, 1 would be rewritten."

    def test_every_part_with_its_plural(self):
        results = [
            result(WARNING, WARNING, changed=True, tally=Tally(changed=2, not_applied=1)),
            result(diagnostic("MIG003", "error"), failed=True),
            result(diagnostic("MIG004", "error"), tally=Tally(withheld=1, not_applied=1)),
        ]
        assert summary(results, "write") == (
            "migrate: 3 files checked, 1 rewritten, 2 unsafe fixes applied, 1 failed, 1 rewrite withheld; "
            "2 warnings, 2 unsafe fixes not applied (--unsafe-fixes applies them)."
        )

    def test_one_unsafe_fix_not_applied(self):
        results = [result(WARNING, tally=Tally(not_applied=1))]
        assert summary(results, "write") == (
            "migrate: 1 file checked; 1 warning, 1 unsafe fix not applied (--unsafe-fixes applies it)."
        )


class TestStatistics:
    APPLIED = FixEdits(SAFE, "rewrite", (), applied=True)
    NOT_APPLIED = FixEdits(UNSAFE, "rewrite", (), applied=False)

    def diagnostics(self):
        return [
            diagnostic("MIG100", "info", self.APPLIED), diagnostic("MIG104", "warning"),
            diagnostic("MIG100", "info", self.APPLIED), diagnostic("MIG101", "warning"),
            diagnostic("MIG104", "warning"), diagnostic("MIG104", "warning"), diagnostic("MIG003", "error"),
        ] + [diagnostic("MIG102", "warning")] * 10

    def test_text_rows_are_count_code_name_most_frequent_first(self):
        assert statistics(self.diagnostics(), "concise") == (
            "10\tMIG102\t    name-of-mig102\n"
            " 3\tMIG104\t    name-of-mig104\n"
            " 2\tMIG100\t[*] name-of-mig100\n"
            " 1\tMIG003\t    name-of-mig003\n"
            " 1\tMIG101\t    name-of-mig101\n"
        )

    def test_a_fix_not_applied_is_not_marked(self):
        assert statistics([diagnostic("MIG100", "info", self.NOT_APPLIED)], "full") == "1\tMIG100\t    name-of-mig100\n"

    def test_json(self):
        entries = json.loads(statistics(self.diagnostics()[:3], "json"))
        assert entries == [
            {"code": "MIG100", "name": "name-of-mig100", "count": 2, "fixable": True},
            {"code": "MIG104", "name": "name-of-mig104", "count": 1, "fixable": False},
        ]

    def test_nothing_reported(self):
        assert statistics([], "concise") == ""
        assert statistics([], "json") == "[]\n"


def test_display_path_is_relative_inside_the_working_directory_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert outcome.display_path(str(tmp_path / "src" / "a.py")) == "src/a.py"
    assert outcome.display_path("/elsewhere/a.py") == "/elsewhere/a.py"


class TestColor:
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    @pytest.fixture(autouse=True)
    def clean_environment(self, monkeypatch):
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.delenv("FORCE_COLOR", raising=False)

    def test_colour_on_a_terminal_only(self):
        assert use_color(self.Terminal())
        assert not use_color(io.StringIO())

    def test_no_color_turns_it_off_even_when_forced(self, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "1")
        monkeypatch.setenv("FORCE_COLOR", "1")
        assert not use_color(self.Terminal())

    def test_force_color_turns_it_on_in_a_pipe(self, monkeypatch):
        monkeypatch.setenv("FORCE_COLOR", "1")
        assert use_color(io.StringIO())

    def test_empty_values_count_as_unset(self, monkeypatch):
        monkeypatch.setenv("NO_COLOR", "")
        assert use_color(self.Terminal())
        monkeypatch.setenv("FORCE_COLOR", "")
        assert not use_color(io.StringIO())

    def test_coloured_concise_and_full_are_the_plain_text_once_unstyled(self):
        diagnostics = [diagnostic("MIG101", "warning"), diagnostic("MIG100", "info"), diagnostic("MIG003", "error")]
        for fmt in ("concise", "full"):
            plain = render(fmt, diagnostics, codes={}, sources={"a.py": "x = 1\n"})
            coloured = render(fmt, diagnostics, codes={}, sources={"a.py": "x = 1\n"}, color=True)
            assert coloured != plain and "\x1b[" in coloured
            assert click.unstyle(coloured) == plain

    def test_severity_picks_the_colour(self):
        line = render("concise", [diagnostic("MIG101", "warning")], codes={}, sources={}, color=True)
        assert click.style("MIG101", fg="yellow", bold=True) in line
        assert click.style("a.py", bold=True) in line

    def test_machine_formats_are_never_coloured(self):
        for fmt in set(FORMATS) - {"concise", "full"}:
            assert "\x1b[" not in render(fmt, [diagnostic("MIG101", "warning")], codes={}, sources={}, color=True)


def test_exit_zero_and_exit_non_zero_on_fix_exclude_each_other():
    result = CliRunner().invoke(main, ["convert", "--exit-zero", "--exit-non-zero-on-fix", "x.py"])
    assert result.exit_code == EXIT_USAGE
    assert "cannot be used together" in result.output


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return tmp_path


def stage(workdir: Path, case: Path, name: str = "train.py") -> Path:
    path = workdir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((case / "input.py").read_bytes())
    return path


def invoke(command: str, *args: str):
    """The codes this module's cases are about: the rules' MIG10x and the engine's; other codes would only add noise."""
    return CliRunner().invoke(main, [command, "--select", "MIG0,MIG10", *args])


def test_end_to_end_exit_codes_summary_statistics_and_colour(workdir, monkeypatch):
    """The command line wired to this module: one function so the lead can enable it when run.py calls it."""
    refused = stage(workdir, REFUSAL_ONLY, "refused.py")
    assert invoke("convert", "refused.py").exit_code == EXIT_CLEAN
    assert invoke("convert", "--fail-on", "warning", "refused.py").exit_code == EXIT_FAILURE
    (workdir / "pyproject.toml").write_text('[tool.migrate]\nfail-on = "warning"\n')
    assert invoke("convert", "refused.py").exit_code == EXIT_FAILURE
    assert invoke("convert", "--fail-on", "rewrite", "refused.py").exit_code == EXIT_CLEAN
    assert invoke("convert", "--exit-zero", "refused.py").exit_code == EXIT_CLEAN
    assert refused.read_bytes() == (REFUSAL_ONLY / "input.py").read_bytes()

    rewritten = stage(workdir, REWRITE_ONLY, "clean_rewrite.py")
    done = invoke("convert", "clean_rewrite.py")
    assert done.exit_code == EXIT_CLEAN  # fail-on = "warning" from pyproject.toml: nothing remains
    assert rewritten.read_bytes() == (REWRITE_ONLY / "output.py").read_bytes()
    assert done.stderr.endswith("migrate: 1 file checked, 1 rewritten.\n")
    stage(workdir, REWRITE_ONLY, "clean_rewrite.py")
    assert invoke("convert", "--exit-non-zero-on-fix", "clean_rewrite.py").exit_code == EXIT_FAILURE
    (workdir / "pyproject.toml").unlink()

    stage(workdir, UNSAFE_NOT_APPLIED, "unsafe.py")
    checked = invoke("convert", "--check", "unsafe.py")
    assert checked.exit_code == EXIT_CLEAN
    assert checked.stderr.endswith(
        "migrate: 1 file checked; 1 warning, 1 unsafe fix not applied (--unsafe-fixes applies it).\n")

    stage(workdir, REWRITE_AND_WARNING, "both.py")
    counted = invoke("check", "--statistics", "both.py", "refused.py", "unsafe.py")
    rows = [line.split("\t") for line in counted.stdout.splitlines()]
    assert [(count.strip(), code.strip(), name) for count, code, name in rows] == [
        ("2", "MIG100", "[*] rewritten"), ("1", "MIG102", "    run-length-unknown"),
        ("1", "MIG104", "    optimizer-semantics-differ"), ("1", "MIG108", "    indirect-reference")]
    assert counted.exit_code == EXIT_FAILURE

    plain = invoke("check", "both.py")
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = invoke("check", "both.py")
    assert "\x1b[" in coloured.stdout and click.unstyle(coloured.stdout) == plain.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert invoke("check", "both.py").stdout == plain.stdout
    json_output = invoke("check", "--output-format", "json", "both.py").stdout
    assert "\x1b[" not in json_output

    probe = "import sys, migrate.run; print('migrate.cli' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert imported.stdout.strip() == "False"
    assert not re.search(r"^\s*(from|import) migrate\.cli\b", Path(outcome.__file__).with_name("run.py").read_text(),
                         re.MULTILINE)
