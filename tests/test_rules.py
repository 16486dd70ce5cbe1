"""Every rule's own documentation holds: its examples convert as written (Fixit's VALID/INVALID), its codes belong
to its family and are documented, and no two rules share a code."""

from __future__ import annotations

import pytest

from migrate import engine
from migrate.rule import APPLICABILITIES, NO_FIX

RULES = engine.load_rules(None)


def test_both_directions_have_a_rule():
    assert sorted(rule.target for rule in RULES) == ["mindspore", "torch"]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_examples_convert_as_documented(rule):
    assert rule.examples
    for example in rule.examples:
        result = engine.process_bytes(example.before.encode(), "example.py", engine.Options(to=rule.target), [rule])
        assert result.output.decode() == example.after
        assert sorted({diagnostic.code for diagnostic in result.diagnostics}) == sorted(example.codes)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_codes_are_in_the_family_and_documented(rule):
    for code in rule.codes:
        assert code.code.startswith(rule.family) and code.summary and code.why and code.example
        assert code.severity in ("error", "warning", "info")
        assert code.applicability in APPLICABILITIES
        assert code.fixed or code.applicability == NO_FIX, f"{code.code}: a fix shows what it writes"


def test_no_two_codes_are_the_same():
    codes = [code.code for rule in RULES for code in rule.codes] + [code.code for code in engine.ENGINE_CODES]
    assert len(codes) == len(set(codes))
