"""MindSpore ``warmup_lr`` on its own → PyTorch ``LambdaLR``, with the optimizer that takes the list.

The list is ``learning_rate * min(epoch, warmup_epoch) / warmup_epoch`` at each step's epoch: a ramp from 0 that
holds learning_rate once it gets there. ``LinearLR`` cannot start at 0 (its start_factor must be positive), so the
scheduler is ``LambdaLR(lambda epoch: min(epoch, warmup_epoch) / warmup_epoch)`` on the optimizer built with
``lr=learning_rate``, which the verifier compares with MindSpore's list. A warmup summed with another list
(``warmup_lr(...) + cosine_decay_lr(...)``) is not this rule's: the rule of the list it is summed with converts the
sum (to a SequentialLR) or says why not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import libcst as cst

from migrate.analysis import Analysis, atom
from migrate.bridge.list_delivery import WARMUP, WARMUP_SIGNATURE
from migrate.bridge.list_choice import register_branch_pairs
from migrate.bridge.list_to_scheduler import ListPair, ListSite, list_findings
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Rule, documentation
from migrate.schedules.mindspore_lr import check_warmup_lr

INDIRECT = {
    VALUE: "warmup_lr used as a value, not called: the rule cannot see its arguments or the optimizer it feeds",
    GETATTR: "getattr(..., 'warmup_lr') cannot be followed; call the function directly so its arguments can be "
             "rewritten",
    STAR: "warmup_lr comes from a star import of mindspore.nn that another star import (or a use other than a "
          "call) keeps from being resolved; import it by name so it can be rewritten",
}


class WarmupPair(ListPair):
    """warmup_lr's arguments as a LambdaLR's ramp: learning_rate is the optimizer's lr, and the scheduler steps
    once every step_per_epoch optimizer steps."""

    functions = frozenset(WARMUP)
    signature = WARMUP_SIGNATURE
    scheduler = "torch.optim.lr_scheduler.LambdaLR"
    base_lr = "learning_rate"
    kind = "warmup"
    source_model = "mindspore.warmup_lr"
    destination_model = "torch.LambdaLR"
    group_sharing = "one warmup_epoch and one cadence"
    group_result = "ramps each group from 0 to its own lr"

    def check(self, **values) -> None:
        check_warmup_lr(**values)

    @staticmethod
    def _lambda(texts: dict[str, str]) -> str:
        epochs = atom(texts["warmup_epoch"])
        epoch = next(name for name in ("epoch", "scheduler_epoch", "lambda_epoch")
                     if name not in re.findall(r"\w+", epochs))
        return f"lambda {epoch}: min({epoch}, {epochs}) / {epochs}"

    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        return f"lr_lambda={self._lambda(texts)}"

    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        return {"base_lr": texts["learning_rate"], "lr_lambda": self._lambda(texts),
                "step_every": texts["step_per_epoch"]}

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """What MindSpore rejects whatever the counts (an lr of 1 rather than 1.0), or a name the lambda reads
        (warmup_epoch's) that is assigned again later."""
        rejected = site.rejected_whatever_the_counts(arguments, ("total_step", "step_per_epoch", "warmup_epoch"))
        if rejected is not None:
            return rejected
        return site.reassigned({"warmup_epoch": arguments["warmup_epoch"]} if "warmup_epoch" in arguments else {})


PAIR = WarmupPair()
register_branch_pairs(WARMUP, lambda analysis, call: PAIR)


def in_a_sum(analysis: Analysis, call: cst.Call) -> bool:
    """The warmup list (the call, or the name bound once to it) is an operand of ``+`` or another operator: the
    rule of what it is combined with reports it."""
    uses: list[cst.CSTNode] = [call]
    parent = analysis.parents.get(call)
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name):
        assignment = analysis.single_assignment(parent.targets[0].target)
        if assignment is not None:
            uses = [access.node for access in assignment.references]
    return any(isinstance(analysis.parents.get(use), cst.BinaryOperation) for use in uses)


class WarmupLrToTorch(Rule):
    name = "warmup-lr-to-torch"
    target = "torch"
    triggers = ("warmup_lr",)
    summary = "mindspore.nn.warmup_lr on its own → torch.optim.lr_scheduler.LambdaLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding, but for a warmup combined with another list (its rule reports it)."""
        return list_findings(analysis, set(WARMUP), lambda call: PAIR, INDIRECT, lambda call: not in_a_sum(analysis, call))


RULE = WarmupLrToTorch()
