"""Documentation that runs (ruff's rule pages, Fixit's VALID/INVALID): every code's example, converted towards its
rule's target, reports that code; when the site has a fix, "Use instead" is exactly what migrate writes; when it has
none, a hand-written "Use instead" no longer reports the code. Codes no snippet can fire (a filesystem state, a bug in
a rule) are fired here by that state or by a deliberately wrong rule."""

from __future__ import annotations

import os

import libcst as cst
import pytest
from click.testing import CliRunner

from migrate import engine
from migrate.cli import main
from migrate.config import Config
from migrate.rule import APPLICABILITIES, NO_FIX, UNSAFE, Code, Finding, Fix, Note, Rule
from migrate.verify import Claim, Schedule

RULES = engine.load_rules(None)
DOCUMENTED = [*(code for rule in RULES for code in rule.codes), *engine.ENGINE_CODES]
TARGET_OF = {id(code): rule.target for rule in RULES for code in rule.codes}
"""The direction whose rule documents each code: a shared concern is documented by each rule with its own text."""
WITHOUT_SNIPPET = {
    "MIG001": "a path that cannot be read is a filesystem state, not a snippet",
    "MIG004": "no correct rule makes a claim the verifier contradicts",
    "MIG005": "no correct rule writes text that does not parse",
    "MIG007": "no correct rule raises",
    "MIG008": "a file that cannot be written back is a filesystem state, not a snippet",
    "MIG009": "a file over max-file-size is a size, not a snippet (tests/test_speed_behaviour.py fires it)",
}
POLICIES = {"MIG101": "clamp"}
"""Codes that fire only under a configured policy: their example is converted with ``periodic`` set so."""


def _direction(text: str) -> str:
    """The target of the rule whose API the text uses: the direction the example is converted in."""
    targets = {rule.target for rule in RULES if rule.applies_to(text)}
    assert len(targets) == 1, f"the example must use the API of exactly one direction's rule, not {targets}"
    return targets.pop()


def _convert(text: str, unsafe_fixes: bool = False, periodic: str = "exact",
             direction: str | None = None) -> engine.FileResult:
    direction = direction or _direction(text)
    options = engine.Options(to=direction, unsafe_fixes=unsafe_fixes, config=Config(periodic=periodic))
    return engine.process_bytes(text.encode(), "example.py", options, engine.load_rules(direction))


def _codes(result: engine.FileResult) -> set[str]:
    return {diagnostic.code for diagnostic in result.diagnostics}


WITH_SNIPPET = [code for code in DOCUMENTED if code.code not in WITHOUT_SNIPPET]


@pytest.mark.parametrize("code", WITH_SNIPPET, ids=lambda code: code.code)
def test_example_reports_its_code_and_use_instead_is_what_migrate_writes(code):
    assert code.example and code.safety and code.applicability in APPLICABILITIES
    result = _convert(code.example, code.applicability == UNSAFE, POLICIES.get(code.code, "exact"))
    assert code.code in _codes(result)
    if code.applicability == NO_FIX:
        assert all(diagnostic.fix is None for diagnostic in result.diagnostics if diagnostic.code == code.code)
    else:
        assert result.output is not None and result.output.decode() == code.fixed


@pytest.mark.parametrize("code", [code for code in DOCUMENTED
                                  if code.code not in WITHOUT_SNIPPET and code.applicability == UNSAFE],
                         ids=lambda code: code.code)
def test_an_unsafe_example_is_left_unchanged_without_unsafe_fixes(code):
    result = _convert(code.example, periodic=POLICIES.get(code.code, "exact"))
    assert code.code in _codes(result) and result.output is None


@pytest.mark.parametrize("code", [code for code in DOCUMENTED
                                  if code.applicability == NO_FIX and code.fixed], ids=lambda code: code.code)
def test_what_to_write_by_hand_no_longer_reports_the_code(code):
    result = _convert(code.fixed, unsafe_fixes=True, direction=TARGET_OF[id(code)])
    assert code.code not in _codes(result) and not result.failed


def test_only_the_codes_no_snippet_can_fire_have_no_example():
    assert {code.code for code in DOCUMENTED if not code.example} == set(WITHOUT_SNIPPET)
    assert all(engine.CODES[code].safety for code in WITHOUT_SNIPPET)


def test_an_unreadable_path_reports_mig001(tmp_path):
    result = engine.process_path(str(tmp_path / "missing.py"), engine.Options(), engine.load_rules("mindspore"))
    assert _codes(result) == {"MIG001"} and result.failed


def test_a_file_that_cannot_be_replaced_reports_mig008(tmp_path, monkeypatch):
    example = engine.all_codes()["MIG100"].example
    target = tmp_path / "train.py"
    target.write_text(example)

    def refuse(source, destination):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert", "--to", _direction(example), "train.py"])
    assert "train.py:1:1: MIG008 [error] cannot write file" in result.stdout
    assert result.exit_code == 3 and target.read_text() == example


class _WrongRule(Rule):
    """A rule with one deliberate bug, ``bug``: the engine's guards turn it into MIG004, MIG005 or MIG007."""

    name, target, triggers = "wrong", "mindspore", ("x",)
    codes = (Code("WR100", "wrong", "info", "A deliberately wrong rule.", "It tests the engine's guards."),)

    def __init__(self, bug: str):
        self.bug = bug

    def findings(self, analysis):
        if self.bug == "raises":
            raise OverflowError("int too large to convert to float")
        statement = analysis.module.body[0]
        decay_epoch = "9" if self.bug == "contradicted" else "10"
        source = Schedule("torch.CosineAnnealingLR",
                          {"base_lr": "0.1", "T_max": "10", "eta_min": "0.0", "step_every": "1"})
        target = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": "0.1", "total_step": "11",
                                                        "step_per_epoch": "1", "decay_epoch": decay_epoch})
        replacement = "return x\n" if self.bug == "invalid" else "x = 1\n"
        fix = Fix({statement: [cst.parse_statement(replacement)]}, Claim(source, target, "11", "11"),
                  Note(statement, "WR100", "changes"))
        yield Finding(Note(statement, "WR100", "rewrite"), fix=fix)


@pytest.mark.parametrize("bug, code", [("contradicted", "MIG004"), ("invalid", "MIG005"), ("raises", "MIG007")])
def test_a_bug_in_a_rule_is_reported_and_nothing_is_written(bug, code):
    result = engine.process_bytes(b"x = 0\n", "f.py", engine.Options(), [_WrongRule(bug)])
    assert code in _codes(result) and result.output is None


@pytest.mark.parametrize("code", DOCUMENTED, ids=lambda code: code.code)
def test_explain_prints_every_section(code):
    result = CliRunner().invoke(main, ["explain", code.code.lower()])
    assert result.exit_code == 0
    page = result.stdout
    for section in (code.summary, code.why, "## Fix safety", code.safety):
        assert section in page
    if code.example:
        assert f"```python\n{code.example}```" in page
    if code.fixed:
        assert "## Use instead" in page and f"```python\n{code.fixed}```" in page
