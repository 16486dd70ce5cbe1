"""Every rule's own documentation holds: its examples convert as written (Fixit's VALID/INVALID), and each code it
raises is a shared concern (``migrate/bridge/codes.py``), with the concern's name and severity, documented by the
rule with its own example."""

from __future__ import annotations

import pytest

from migrate import engine
from migrate.bridge.codes import CONCERNS, redirected
from migrate.config import parse_noqa
from migrate.rule import APPLICABILITIES, NO_FIX

RULES = engine.load_rules(None)


def test_both_directions_have_a_rule():
    assert {rule.target for rule in RULES} == {"mindspore", "torch"}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_examples_convert_as_documented(rule):
    assert rule.examples
    for example in rule.examples:
        result = engine.process_bytes(example.before.encode(), "example.py", engine.Options(to=rule.target), [rule])
        assert result.output.decode() == example.after
        assert sorted({diagnostic.code for diagnostic in result.diagnostics}) == sorted(example.codes)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_codes_are_shared_concerns_documented_by_the_rule(rule):
    for code in rule.codes:
        concern = CONCERNS[code.code]
        assert (code.name, code.severity) == (concern.name, concern.severity)
        assert code.summary and code.why and code.example
        assert code.severity in ("error", "warning", "info")
        assert code.applicability in APPLICABILITIES
        assert code.fixed or code.applicability == NO_FIX, f"{code.code}: a fix shows what it writes"


def test_a_rule_documents_a_concern_once_and_engine_codes_are_no_concerns():
    for rule in RULES:
        codes = [code.code for code in rule.codes]
        assert len(codes) == len(set(codes)), rule.name
    assert not {code.code for code in engine.ENGINE_CODES} & CONCERNS.keys()


def test_concerns_are_shared_by_both_directions():
    cosine = [rule for rule in RULES if rule.name in ("cosine-annealing-to-mindspore", "cosine-decay-to-torch")]
    shared = set.intersection(*({code.code for code in rule.codes} for rule in cosine))
    assert {"MIG100", "MIG101", "MIG104", "MIG105", "MIG106", "MIG107", "MIG108", "MIG109", "MIG112"} <= shared


def test_old_codes_in_configuration_and_noqa_are_redirected():
    assert redirected("CA106") == redirected("cd106") == "MIG106"
    assert redirected("CD112") == "MIG102" and redirected("CA") == "MIG1" and redirected("MIG101") == "MIG101"
    assert parse_noqa("x = 1  # noqa: CA101, CD108\n") == {1: frozenset({"MIG101", "MIG117"})}
