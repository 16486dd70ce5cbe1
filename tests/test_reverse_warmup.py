"""warmup_lr on its own → LambdaLR on the shared list machinery: the ramp from 0 the verifier reads; a warmup
summed with another list is left to that list's rule, so the warmup chains convert exactly as before; what MindSpore
rejects, and a lambda that would read a changed name, are refused at the argument."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import cosine_decay_to_torch, warmup_lr_to_torch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SUMS = sorted(case for case in (FIXTURES / "mindspore_to_torch").iterdir()
              if "warmup_lr" in (case / "input.py").read_text() and "cosine_decay_lr" in (case / "input.py").read_text())
SITE = """import mindspore.nn as nn

lr = nn.warmup_lr({lr}, 20 * len(loader), len(loader), {epochs})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(20):
    for batch in loader:
        optimizer.step()
"""


def _convert(text: str, rules=(warmup_lr_to_torch.RULE,)) -> engine.FileResult:
    return engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True), list(rules))


def _claims(text: str) -> tuple[list[verify.Claim], dict]:
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    findings = warmup_lr_to_torch.RULE.findings(analysis)
    return [finding.fix.claim for finding in findings if finding.fix is not None], analysis.constants


def test_the_ramp_is_a_lambdalr_from_the_warmup_lr():
    result = _convert(SITE.format(lr="0.1", epochs="5"))
    output = result.output.decode()
    assert "torch.optim.SGD(net.parameters(), lr=0.1)\n" in output
    assert "torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: min(epoch, 5) / 5)\n" in output
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["MIG100"]
    assert "[equivalent: over the whole run" in result.diagnostics[0].message


@pytest.mark.parametrize("wrong", ["lambda epoch: epoch / 5", "lambda epoch: min(epoch + 1, 5) / 5"])
def test_the_verifier_contradicts_a_ramp_that_leaves_the_list(wrong):
    """Past warmup_epoch the list holds learning_rate, and it starts at 0, not at one step of the ramp."""
    [claim], constants = _claims(SITE.format(lr="0.1", epochs="5"))
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    other = verify.Schedule(claim.target.model, {**claim.target.args, "lr_lambda": wrong})
    assert verify.verify(verify.Claim(claim.source, other, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


@pytest.mark.parametrize("case", SUMS, ids=lambda case: case.name)
def test_a_warmup_summed_with_a_cosine_is_left_to_the_cosine_rule(case):
    """With both rules the file converts (or is refused) exactly as with the cosine rule alone."""
    text = (case / "input.py").read_text()
    alone = _convert(text, (cosine_decay_to_torch.RULE,))
    both = _convert(text, (cosine_decay_to_torch.RULE, warmup_lr_to_torch.RULE))
    assert not _claims(text)[0]
    assert both.output == alone.output
    assert [diagnostic.concise() for diagnostic in both.diagnostics] == [
        diagnostic.concise() for diagnostic in alone.diagnostics]


def test_an_int_learning_rate_mindspore_rejects_is_refused_at_it():
    text = SITE.format(lr="1", epochs="5")
    [diagnostic] = _convert(text).diagnostics
    assert diagnostic.code == "MIG105" and "'learning_rate' must be type of float" in diagnostic.message
    assert (diagnostic.line, diagnostic.col) == (3, text.splitlines()[2].index("1,") + 1)


def test_a_warmup_epoch_that_changes_later_is_refused():
    text = SITE.format(lr="0.1", epochs="warm").replace("lr = nn", "warm = 5\nlr = nn") + "    warm = warm + 1\n"
    [diagnostic] = _convert(text).diagnostics
    assert diagnostic.code == "MIG105" and "`warm` is assigned more than once" in diagnostic.message
