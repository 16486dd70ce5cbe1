"""Every reverse pair but the cosine: the torch scheduler the rule writes is the one its claim is about. The claim
is checked again against the arguments the torch code really carries (the scheduler's keywords, the lr of the
optimizer it drives), not the ones the rule meant. The rules are passed to the engine themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import (
    cosine_decay_to_torch,
    exponential_decay_to_torch,
    piecewise_constant_to_torch,
    polynomial_decay_to_torch,
    warmup_lr_to_torch,
)

PAIRS = {"exponential_decay_lr": exponential_decay_to_torch.RULE, "piecewise_constant_lr": piecewise_constant_to_torch.RULE,
         "polynomial_decay_lr": polynomial_decay_to_torch.RULE, "warmup_lr": warmup_lr_to_torch.RULE}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "mindspore_to_torch"


def _claims(rule, text: str) -> tuple[list[verify.Claim], dict]:
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    return [finding.fix.claim for finding in rule.findings(analysis) if finding.fix is not None], analysis.constants


def _cases() -> list[tuple[str, Path]]:
    return [(function, case) for case in sorted(FIXTURES.iterdir()) for function, rule in PAIRS.items()
            if f"{function}(" in (text := (case / "input.py").read_text()) and len(_claims(rule, text)[0]) == 1]


def _emitted(torch: str) -> list[tuple[str, dict[str, str]]]:
    """Each scheduler the torch code builds: its name and keyword arguments, with the lr= of its optimizer."""
    tree = ast.parse(torch)
    lrs = {ast.unparse(node.targets[0]): ast.unparse(keyword.value)
           for node in ast.walk(tree) if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
           and ast.unparse(node.value.func).startswith("torch.optim.")
           and "lr_scheduler" not in ast.unparse(node.value.func)
           for keyword in node.value.keywords if keyword.arg == "lr"}
    found = []
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        if ast.unparse(call.func).startswith("torch.optim.lr_scheduler."):
            arguments = {keyword.arg: ast.unparse(keyword.value) for keyword in call.keywords}
            if call.args and ast.unparse(call.args[0]) in lrs:
                arguments["base_lr"] = lrs[ast.unparse(call.args[0])]
            found.append((ast.unparse(call.func).rsplit(".", 1)[-1], arguments))
    return found


@pytest.mark.parametrize(("function", "case"), _cases(), ids=lambda value: getattr(value, "name", value))
def test_the_emitted_scheduler_has_the_verdict_of_the_claim(function, case):
    original = (case / "input.py").read_text()
    rule = PAIRS[function]
    [claim], constants = _claims(rule, original)
    options = engine.Options(to="torch", unsafe_fixes=True)
    torch = engine.process_bytes(original.encode(), "input.py", options, [cosine_decay_to_torch.RULE, rule])
    emitted = [(name, arguments) for name, arguments in _emitted(torch.output.decode())
               if claim.target.model == f"torch.{name}"]
    assert emitted, claim.target.model
    for _, arguments in emitted:
        written = verify.Schedule(claim.target.model, {**claim.target.args, **arguments})
        verdict = verify.verify(verify.Claim(claim.source, written, run_steps=claim.run_steps,
                                             agrees_for=claim.agrees_for, definitions=claim.definitions), constants)
        assert verdict.kind == verify.verify(claim, constants).kind, verdict.detail
