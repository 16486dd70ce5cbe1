"""MindSpore ``polynomial_decay_lr`` → PyTorch ``PolynomialLR`` or a ``LambdaLR`` of MindSpore's formula, with the
optimizer that takes the list.

The list is ``(learning_rate - end_learning_rate) * (1 - min(epoch, decay_epoch) / decay_epoch) ** power +
end_learning_rate`` at each step's epoch. With ``end_learning_rate=0.0`` and no ``update_decay_epoch`` that is
``PolynomialLR(total_iters=decay_epoch, power=power)`` from ``lr=learning_rate``, which holds 0 past
``total_iters`` as the list does. torch has no end lr, and no horizon that grows past ``decay_epoch``, so otherwise
the scheduler is a ``LambdaLR`` whose lambda is MindSpore's formula divided by ``learning_rate`` (the growing horizon
``decay_epoch * max(ceil(epoch / decay_epoch), 1)`` written ``-(-epoch // decay_epoch)``, which the verifier reads).
Either way the verifier compares it with MindSpore's list. A warmup sum or a resume slice is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import MappingProxyType

import libcst as cst

from migrate.analysis import Analysis, atom, bind
from migrate.bridge.list_choice import register_branch_pairs
from migrate.bridge.list_to_scheduler import ListPair, ListSite, list_findings
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Rule, documentation
from migrate.schedules.mindspore_family import check_polynomial_decay_lr

FUNCTIONS = frozenset({"mindspore.nn.polynomial_decay_lr", "mindspore.nn.dynamic_lr.polynomial_decay_lr"})
SIGNATURE = ("learning_rate", "end_learning_rate", "total_step", "step_per_epoch", "decay_epoch", "power",
             "update_decay_epoch")
INDIRECT = {
    VALUE: "polynomial_decay_lr used as a value, not called: the rule cannot see its arguments or the optimizer it "
           "feeds",
    GETATTR: "getattr(..., 'polynomial_decay_lr') cannot be followed; call the function directly so its arguments "
             "can be rewritten",
    STAR: "polynomial_decay_lr comes from a star import of mindspore.nn that another star import (or a use other "
          "than a call) keeps from being resolved; import it by name so it can be rewritten",
}
LAMBDA_READS = ("learning_rate", "end_learning_rate", "decay_epoch", "power")
COUNTS = ("total_step", "step_per_epoch", "decay_epoch")


class PolynomialDecayPair(ListPair):
    """polynomial_decay_lr's arguments as PolynomialLR's (``plain``: end_learning_rate 0, a fixed horizon) or as a
    LambdaLR's lambda: learning_rate is the optimizer's lr, and the scheduler steps once every step_per_epoch
    optimizer steps."""

    functions = FUNCTIONS
    signature = SIGNATURE
    base_lr = "learning_rate"
    kind = "polynomial decay"
    source_model = "mindspore.polynomial_decay_lr"
    defaults = MappingProxyType({"update_decay_epoch": "False"})

    def __init__(self, plain: bool):
        self.plain = plain
        self.scheduler = f"torch.optim.lr_scheduler.{'PolynomialLR' if plain else 'LambdaLR'}"
        self.destination_model = f"torch.{self.scheduler_name}"
        self.group_sharing = ("one total_iters, one power and one cadence" if plain else
                              "one lambda (end_learning_rate, decay_epoch, power) and one cadence")
        self.group_result = ("decays each group from its own lr to 0" if plain else
                             "scales each group's lr by the one lambda")

    checked = SIGNATURE[:-1]

    def check(self, **values) -> None:
        """MindSpore's checks, update_decay_epoch being a literal this rule reads itself."""
        check_polynomial_decay_lr(**values, update_decay_epoch=False)

    def _lambda(self, texts: dict[str, str]) -> str:
        """MindSpore's formula over ``learning_rate``, of the scheduler's epoch."""
        lr, end, epochs, power = (atom(texts[name]) for name in LAMBDA_READS)
        epoch = self._epoch_name(texts)
        if texts["update_decay_epoch"] == "True":
            share = f"{epoch} / ({epochs} * max(-(-{epoch} // {epochs}), 1))"
        else:
            share = f"min({epoch}, {epochs}) / {epochs}"
        return f"lambda {epoch}: (({lr} - {end}) * (1 - {share}) ** {power} + {end}) / {lr}"

    @staticmethod
    def _epoch_name(texts: dict[str, str]) -> str:
        """The lambda's argument: ``epoch``, unless an argument reads a name spelled so."""
        read = {word for name in LAMBDA_READS for word in re.findall(r"\w+", texts[name])}
        return next(name for name in ("epoch", "scheduler_epoch", "lambda_epoch") if name not in read)

    def _arguments_of(self, texts: dict[str, str]) -> dict[str, str]:
        if self.plain:
            return {"total_iters": texts["decay_epoch"], "power": texts["power"]}
        return {"lr_lambda": self._lambda(texts)}

    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        return ", ".join(f"{name}={value}" for name, value in self._arguments_of(texts).items())

    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        return {"base_lr": texts["learning_rate"], **self._arguments_of(texts), "step_every": texts["step_per_epoch"]}

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """What MindSpore visibly rejects whatever the counts the code leaves unknown (an end_learning_rate of 0
        rather than 0.0), an update_decay_epoch the code leaves to a variable (the lambda differs with it), or, for
        the lambda, a name it reads that is assigned again later."""
        rejected = site.rejected_whatever_the_counts(arguments, COUNTS)
        if rejected is not None:
            return rejected
        written = arguments.get("update_decay_epoch")
        if written is not None and site.analysis.code(written) not in ("True", "False"):
            return "update_decay_epoch", (
                f"update_decay_epoch={site.analysis.code(written)} is not visibly True or False: with it the "
                "horizon grows past decay_epoch, so the rule must know which schedule to write")
        if self.plain:
            return None
        return site.reassigned({name: arguments[name] for name in LAMBDA_READS if name in arguments})


PLAIN, LAMBDA = PolynomialDecayPair(plain=True), PolynomialDecayPair(plain=False)


def pair_of(analysis: Analysis, call: cst.Call) -> PolynomialDecayPair:
    """PolynomialLR for an end_learning_rate whose value is 0 and no update_decay_epoch (or a literal False);
    otherwise the LambdaLR."""
    written = bind(call, SIGNATURE).values
    end = written.get("end_learning_rate")
    update = written.get("update_decay_epoch")
    plain = (end is not None and analysis.value(analysis.code(end)) == 0
             and (update is None or analysis.code(update) == "False"))
    return PLAIN if plain else LAMBDA


register_branch_pairs(FUNCTIONS, pair_of)

class PolynomialDecayToTorch(Rule):
    name = "polynomial-decay-to-torch"
    target = "torch"
    triggers = ("polynomial_decay_lr",)
    summary = "mindspore.nn.polynomial_decay_lr → torch.optim.lr_scheduler.PolynomialLR or LambdaLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding."""
        return list_findings(analysis, FUNCTIONS, lambda call: pair_of(analysis, call), INDIRECT)


RULE = PolynomialDecayToTorch()
