"""polynomial_decay_lr → PolynomialLR / LambdaLR on the shared list machinery: end_learning_rate 0.0 without a
growing horizon is PolynomialLR, anything else a LambdaLR of MindSpore's formula the verifier reads; the verifier,
not the rule, has the last word on the scheduler written; and what MindSpore rejects, or the rule cannot choose
a schedule for, is refused at its argument. The rule is passed to the engine itself."""

from __future__ import annotations

import ast

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine, verify
from migrate.analysis import Analysis
from migrate.rules import polynomial_decay_to_torch

RULES = [polynomial_decay_to_torch.RULE]
SITE = """import mindspore.nn as nn

lr = nn.polynomial_decay_lr(0.1, {end}, 60 * len(loader), len(loader), {decay}, 2.0{update})
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range(60):
    for batch in loader:
        optimizer.step()
"""


def _site(end: str = "0.0", decay: str = "40", update: str = "") -> str:
    return SITE.format(end=end, decay=decay, update=update)


def _convert(text: str) -> engine.FileResult:
    return engine.process_bytes(text.encode(), "input.py", engine.Options(to="torch", unsafe_fixes=True), RULES)


def _claims(text: str) -> tuple[list[verify.Claim], dict]:
    analysis = Analysis(MetadataWrapper(cst.parse_module(text)), text)
    findings = polynomial_decay_to_torch.RULE.findings(analysis)
    return [finding.fix.claim for finding in findings if finding.fix is not None], analysis.constants


def _scheduler(torch: str) -> tuple[str, dict[str, str]]:
    [call] = [node for node in ast.walk(ast.parse(torch)) if isinstance(node, ast.Call)
              and ast.unparse(node.func).startswith("torch.optim.lr_scheduler.")]
    return ast.unparse(call.func).rsplit(".", 1)[-1], {keyword.arg: ast.unparse(keyword.value)
                                                        for keyword in call.keywords}


LAMBDA = "LambdaLR(optimizer, lr_lambda=lambda epoch: ((0.1 - {end}) * (1 - {share}) ** 2.0 + {end}) / 0.1)"


@pytest.mark.parametrize(("end", "update", "scheduler"), [
    ("0.0", "", "PolynomialLR(optimizer, total_iters=40, power=2.0)"),
    ("0.0", ", False", "PolynomialLR(optimizer, total_iters=40, power=2.0)"),
    ("0.001", "", LAMBDA.format(end="0.001", share="min(epoch, 40) / 40")),
    ("0.0", ", update_decay_epoch=True", LAMBDA.format(end="0.0", share="epoch / (40 * max(-(-epoch // 40), 1))")),
])
def test_end_lr_and_update_decay_epoch_choose_the_scheduler(end, update, scheduler):
    """Past decay_epoch both the list and PolynomialLR hold 0; the growing horizon is the lambda's, and the
    verifier finds it equal over the whole run, which goes past decay_epoch."""
    result = _convert(_site(end=end, update=update))
    assert f"torch.optim.lr_scheduler.{scheduler}\n" in result.output.decode()
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["MIG100"]
    assert "[equivalent: over the whole run" in result.diagnostics[0].message


@pytest.mark.parametrize("update", ["", ", update_decay_epoch=True"])
def test_the_verifier_contradicts_a_lambda_that_leaves_the_list(update):
    [claim], constants = _claims(_site(end="0.001", update=update))
    assert verify.verify(claim, constants).kind == verify.EQUIVALENT
    held = claim.target.args["lr_lambda"].replace("** 2.0", "** 1.0")
    other = verify.Schedule(claim.target.model, {**claim.target.args, "lr_lambda": held})
    assert verify.verify(verify.Claim(claim.source, other, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


def test_polynomiallr_without_the_growing_horizon_is_contradicted():
    """update_decay_epoch=True restarts the decay each decay_epoch: PolynomialLR, which holds 0, is not it."""
    [claim], constants = _claims(_site(update=", update_decay_epoch=True"))
    plain = verify.Schedule("torch.PolynomialLR", {"base_lr": "0.1", "total_iters": "40", "power": "2.0",
                                                   "step_every": claim.target.args["step_every"]})
    assert verify.verify(verify.Claim(claim.source, plain, run_steps=claim.run_steps),
                         constants).kind == verify.CONTRADICTED


@pytest.mark.parametrize(("end", "update", "argument", "words"), [
    ("0", "", "0,", "'end_learning_rate' must be type of float"),
    ("0.0", ", args.grow", "args.grow", "update_decay_epoch=args.grow is not visibly True or False"),
])
def test_what_mindspore_rejects_or_the_rule_cannot_choose_is_refused_at_its_argument(end, update, argument, words):
    text = _site(end=end, update=update)
    result = _convert(text)
    assert result.output is None
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MIG105" and words in diagnostic.message, diagnostic.message
    assert (diagnostic.line, diagnostic.col) == (3, text.splitlines()[2].index(argument) + 1)


def test_a_name_the_lambda_reads_that_changes_later_is_refused():
    text = _site(end="end_lr").replace("lr = nn", "end_lr = 0.001\nlr = nn") + "    end_lr = end_lr / 2\n"
    [diagnostic] = _convert(text).diagnostics
    assert diagnostic.code == "MIG105" and "`end_lr` is assigned more than once" in diagnostic.message
