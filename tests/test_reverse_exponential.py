"""exponential_decay_lr → StepLR / ExponentialLR, the second rule on the shared list machinery: the scheduler the
rule writes is the one its claim is about, is_stair chooses it, and the verifier, not the rule, decides whether the
smooth decay's per-epoch factor follows MindSpore's powers; and the lists the forward rule writes for StepLR and
ExponentialLR come back as the original schedule. The rule is passed to the engine itself, so these hold whether or
not ``migrate.rules.DECLARED`` lists it yet."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import (
    cosine_decay_to_torch,
    exponential_decay_to_torch,
    torch_schedulers_to_mindspore,
)

RULES = [cosine_decay_to_torch.RULE, exponential_decay_to_torch.RULE]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted(case for case in (FIXTURES / "mindspore_to_torch").iterdir()
               if "exponential_decay_lr" in (case / "input.py").read_text())
SITE = """import mindspore.nn as nn

lr = nn.exponential_decay_lr(0.1, 0.5, 60 * len(loader), len(loader), 20{stair})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(60):
    for batch in loader:
        optimizer.step()
"""


def _convert(text: str) -> engine.FileResult:
    return engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True), RULES)


def _claims(text: str) -> tuple[list[verify.Claim], dict]:
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    findings = exponential_decay_to_torch.RULE.findings(analysis)
    return [finding.fix.claim for finding in findings if finding.fix is not None], analysis.constants


SMOOTH = "ExponentialLR(optimizer, gamma=0.5 ** (1 / 20))"


@pytest.mark.parametrize(("stair", "scheduler"), [(", True", "StepLR(optimizer, step_size=20, gamma=0.5)"),
                                                  (", is_stair=False", SMOOTH), ("", SMOOTH)])
def test_is_stair_chooses_the_scheduler(stair, scheduler):
    result = _convert(SITE.format(stair=stair))
    assert f"torch.optim.lr_scheduler.{scheduler}\n" in result.output.decode()
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["MIG100"]
    assert "[equivalent: over the whole run" in result.diagnostics[0].message


def test_an_is_stair_the_code_does_not_show_is_refused_at_the_argument():
    text = SITE.format(stair=", is_stair=args.stair")
    result = _convert(text)
    [diagnostic] = result.diagnostics
    assert result.output is None and diagnostic.code == "MIG105"
    assert (diagnostic.line, diagnostic.col) == (3, text.splitlines()[2].index("args.stair") + 1)


@pytest.mark.parametrize("stair", ["", ", True"])
def test_a_call_mindspore_rejects_is_refused_with_its_error(stair):
    result = _convert(SITE.format(stair=stair).replace("60 * len(loader), len(loader), 20", "600, 10, 0"))
    [diagnostic] = result.diagnostics
    assert result.output is None and diagnostic.code == "MIG105" and "'decay_epoch' must be int" in diagnostic.message


def test_the_verifier_tells_the_smooth_factor_from_the_rate_per_decay_epoch():
    """ExponentialLR multiplies once per epoch: gamma=decay_rate itself would decay decay_epoch times too fast, and
    a claim that it follows the list is contradicted."""
    [claim], constants = _claims(SITE.format(stair=""))
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    too_fast = verify.Schedule(claim.target.model, {**claim.target.args, "gamma": "0.5"})
    assert verify.verify(verify.Claim(claim.source, too_fast, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


FORWARD_CASES = sorted(case for case in (FIXTURES / "torch_to_mindspore").iterdir()
                       if "exponential_decay_lr(" in (case / "output.py").read_text())


@pytest.mark.parametrize("case", FORWARD_CASES, ids=lambda case: case.name)
def test_torch_to_mindspore_and_back_gives_the_original_scheduler_or_is_refused(case):
    """A StepLR or ExponentialLR the forward rule wrote as an exponential_decay_lr list comes back as a scheduler
    with the original's learning rates over the run, or is refused with a warning (a list returned from a builder),
    never a different schedule; a list chosen by a flag comes back with the choice, each branch verified."""
    original, listed = ((case / name).read_text() for name in ("input.py", "output.py"))
    back = _convert(listed)
    claims, _ = _claims(listed)
    if not claims and back.output is not None:
        [main] = [diagnostic for diagnostic in back.diagnostics if diagnostic.code == "MIG100"]
        assert re.search(r"chooses the scheduler: the exponential_decay_lr branch \(line \d+\) → \w+ \[equivalent",
                         main.message), main.message
        return
    if not claims:
        assert any(diagnostic.severity == "warning" for diagnostic in back.diagnostics)
        return
    analysis = Analysis(MetadataWrapper(cst.parse_module(original)), original)
    [before] = [finding.fix.claim for finding in torch_schedulers_to_mindspore.RULE.findings(analysis)
                if finding.fix is not None]
    [after] = claims
    assert back.output is not None
    verdict = verify.verify(verify.Claim(before.source, after.target, run_steps=after.run_steps), analysis.constants)
    assert verdict.kind == verify.EQUIVALENT, verdict.detail


def test_most_forward_lists_round_trip():
    """The test above is not vacuous: the lists handed to their optimizer directly (not chosen by a flag or
    returned from a builder) come back."""
    assert len([case for case in FORWARD_CASES if _claims((case / "output.py").read_text())[0]]) >= 3
