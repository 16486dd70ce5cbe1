"""piecewise_constant_lr → MultiStepLR / LambdaLR on the shared list machinery: geometric rates become MultiStepLR
and others a LambdaLR whose lambda the verifier reads; milestones spelled as products with one count step the
scheduler once an epoch of it, others after every optimizer step; the verifier, not the rule, has the last word on
the scheduler written; lists the rule cannot read, calls MindSpore rejects and lambdas that would read a changed
name are refused at the argument. The rule is passed to the engine itself."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import piecewise_constant_to_torch

RULES = [piecewise_constant_to_torch.RULE]
SITE = """import mindspore.nn as nn

steps = len(loader)
lr = nn.piecewise_constant_lr({milestones}, {rates})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(90):
    for batch in loader:
        optimizer.step()
"""
EPOCHS = "[30 * steps, 60 * steps, 90 * steps]"


def _convert(text: str) -> engine.FileResult:
    return engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True), RULES)


def _claims(text: str) -> tuple[list[verify.Claim], dict]:
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    findings = piecewise_constant_to_torch.RULE.findings(analysis)
    return [finding.fix.claim for finding in findings if finding.fix is not None], analysis.constants


@pytest.mark.parametrize(("rates", "scheduler"), [
    ("[0.1, 0.01, 0.001]", "MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)"),
    ("[0.1, 0.02, 0.004]", "MultiStepLR(optimizer, milestones=[30, 60], gamma=0.2)"),
    ("[0.1, 0.05, 0.001]", ("LambdaLR(optimizer, lr_lambda=lambda epoch: (0.1 * (1 - min(epoch // 30, 1)) + 0.05 * "
                            "(min(epoch // 30, 1) - min(epoch // 60, 1)) + 0.001 * min(epoch // 60, 1)) / 0.1)")),
])
def test_geometric_rates_are_a_multisteplr_and_others_a_lambdalr(rates, scheduler):
    result = _convert(SITE.format(milestones=EPOCHS, rates=rates))
    output = result.output.decode()
    assert f"torch.optim.lr_scheduler.{scheduler}\n" in output and "lr=0.1)" in output
    assert "    scheduler.step()\n" in output
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["MIG100"]
    assert "[equivalent: over the whole run" in result.diagnostics[0].message


def test_milestones_not_spelled_with_one_count_step_the_scheduler_after_every_optimizer_step():
    result = _convert(SITE.format(milestones="[30 * steps, 60 * steps, 5400]", rates="[0.1, 0.01, 0.001]"))
    output = result.output.decode()
    assert "MultiStepLR(optimizer, milestones=[30 * steps, 60 * steps], gamma=0.1)" in output
    assert "        optimizer.step()\n        scheduler.step()\n" in output


def test_rates_of_any_scale_are_picked_exactly_by_the_lambda():
    """Each rate is multiplied by 1 on its segment and added to zeros elsewhere, so rates far apart in scale
    come back exactly where a telescoping sum would lose the small one."""
    text = SITE.format(milestones=EPOCHS, rates="[1.0, 1e-12, 3e-13]")
    [claim], constants = _claims(text)
    assert claim.target.model == "torch.LambdaLR"
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    lambda_text = claim.target.args["lr_lambda"]
    epoch_lrs = verify._value(lambda_text, verify.FUNCTION_DOMAIN, constants, {})
    assert [1.0 * epoch_lrs(epoch) for epoch in (0, 29, 30, 59, 60, 89)] == [1.0, 1.0, 1e-12, 1e-12, 3e-13, 3e-13]


@pytest.mark.parametrize(("argument", "wrong"), [("gamma", "0.5"), ("milestones", "[30, 61]")])
def test_the_verifier_contradicts_a_multisteplr_that_leaves_the_list(argument, wrong):
    [claim], constants = _claims(SITE.format(milestones=EPOCHS, rates="[0.1, 0.01, 0.001]"))
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    other = verify.Schedule(claim.target.model, {**claim.target.args, argument: wrong})
    assert verify.verify(verify.Claim(claim.source, other, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


def test_the_verifier_contradicts_a_lambda_with_another_rate():
    [claim], constants = _claims(SITE.format(milestones=EPOCHS, rates="[0.1, 0.05, 0.001]"))
    other = verify.Schedule(claim.target.model, {**claim.target.args,
                                                 "lr_lambda": claim.target.args["lr_lambda"].replace("0.05", "0.04")})
    assert verify.verify(verify.Claim(claim.source, other, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


@pytest.mark.parametrize(("milestones", "rates", "column", "words"), [
    ("cfg.milestones", "[0.1, 0.01]", "cfg.milestones", "is not a list spelled out here"),
    ("[30 * steps, 60 * steps]", "[0.1]", "[30 * steps", "1 learning rates"),
    ("[30, 60]", "[0.1, 1]", "nn.piecewise_constant_lr", "'learning_rates[1]' must be 'float'"),
    ("[60, 30]", "[0.1, 0.01]", "nn.piecewise_constant_lr", "must be greater than milestone[0]"),
    ("[30 * steps, 60 * steps]", "[0.0, 0.01]", "[0.0", "learning_rates[0] is 0"),
])
def test_what_the_rule_cannot_read_or_mindspore_rejects_is_refused_at_its_argument(milestones, rates, column, words):
    text = SITE.format(milestones=milestones, rates=rates)
    result = _convert(text)
    assert result.output is None
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MIG105" and words in diagnostic.message, diagnostic.message
    assert (diagnostic.line, diagnostic.col) == (4, text.splitlines()[3].index(column) + 1)


def test_a_name_the_lambda_reads_that_changes_later_is_refused():
    text = SITE.format(milestones=EPOCHS, rates="[base, base * 0.3, base * 0.05]").replace(
        "steps = len(loader)\n", "steps = len(loader)\nbase = 0.1\n") + "    base = base / 2\n"
    [diagnostic] = _convert(text).diagnostics
    assert diagnostic.code == "MIG105" and "`base` is assigned more than once" in diagnostic.message


def test_lists_bound_to_names_once_are_spelled_into_the_scheduler_and_removed_when_nothing_else_reads_them():
    text = SITE.format(milestones="milestone", rates="rates").replace(
        "lr = ", f"milestone = {EPOCHS}\nrates = [0.1, 0.01, 0.001]\nlr = ")
    output = _convert(text).output.decode()
    assert "MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)" in output
    assert "milestone = " not in output and "rates = " not in output
    read_elsewhere = _convert(text + 'print("rates", rates)\n').output.decode()
    assert "rates = [0.1, 0.01, 0.001]\n" in read_elsewhere and "milestone = " not in read_elsewhere


def test_a_run_past_the_last_milestone_is_mig102_where_mindspore_raises():
    result = _convert(SITE.format(milestones="[30 * steps, 60 * steps, 80 * steps]", rates="[0.1, 0.01, 0.001]"))
    codes = {diagnostic.code: diagnostic for diagnostic in result.diagnostics}
    assert "MIG102" in codes and "MindSpore raises at optimizer step 80 * steps" in codes["MIG102"].message
