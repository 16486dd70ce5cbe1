"""MindSpore ``exponential_decay_lr`` → PyTorch ``StepLR`` or ``ExponentialLR``, with the optimizer that takes the
list.

The list is ``learning_rate * decay_rate ** (epoch / decay_epoch)`` at each step's epoch, the exponent floored with
``is_stair=True``. The stairs are ``StepLR(step_size=decay_epoch, gamma=decay_rate)``; the smooth decay is
``ExponentialLR`` with ``gamma = decay_rate ** (1 / decay_epoch)`` (``decay_rate`` itself for ``decay_epoch=1``),
which multiplies the lr at every epoch where MindSpore takes a power, so the verifier compares the two. Neither
scheduler leaves the list before its end, so there is no horizon to hold; a warmup sum or a resume slice is refused.
The machinery is ``migrate/bridge/list_to_scheduler.py``'s; this module says what only this pair knows.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import MappingProxyType

import libcst as cst

from migrate.analysis import Analysis, atom, bind
from migrate.bridge.list_choice import register_branch_pairs
from migrate.bridge.list_to_scheduler import ListPair, ListSite, list_findings
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Rule, documentation
from migrate.schedules.mindspore_family import check_decay_lr

FUNCTIONS = frozenset({"mindspore.nn.exponential_decay_lr", "mindspore.nn.dynamic_lr.exponential_decay_lr"})
SIGNATURE = ("learning_rate", "decay_rate", "total_step", "step_per_epoch", "decay_epoch", "is_stair")
INDIRECT = {
    VALUE: "exponential_decay_lr used as a value, not called: the rule cannot see its arguments or the optimizer it "
           "feeds",
    GETATTR: "getattr(..., 'exponential_decay_lr') cannot be followed; call the function directly so its arguments "
             "can be rewritten",
    STAR: "exponential_decay_lr comes from a star import of mindspore.nn that another star import (or a use other "
          "than a call) keeps from being resolved; import it by name so it can be rewritten",
}


class ExponentialDecayPair(ListPair):
    """exponential_decay_lr's arguments as StepLR's (``stair``) or ExponentialLR's: learning_rate is the
    optimizer's lr, and the scheduler steps once every step_per_epoch optimizer steps."""

    functions = FUNCTIONS
    signature = SIGNATURE
    base_lr = "learning_rate"
    kind = "exponential"
    source_model = "mindspore.exponential_decay_lr"
    defaults = MappingProxyType({"is_stair": "False"})
    checked = SIGNATURE[:-1]
    group_result = "decays each group from its own lr by the shared factor"

    def __init__(self, stair: bool):
        self.stair = stair
        self.scheduler = f"torch.optim.lr_scheduler.{'StepLR' if stair else 'ExponentialLR'}"
        self.destination_model = f"torch.{self.scheduler_name}"
        self.group_sharing = ("one step_size, one gamma and one cadence" if stair else "one gamma and one cadence")

    def check(self, **values) -> None:
        """MindSpore's checks, is_stair being the literal this pair was chosen for."""
        check_decay_lr(**values, is_stair=self.stair)

    def _factors(self, texts: dict[str, str]) -> dict[str, str]:
        """StepLR's step_size and gamma, or ExponentialLR's gamma: the factor of one epoch."""
        if self.stair:
            return {"step_size": texts["decay_epoch"], "gamma": texts["decay_rate"]}
        if texts["decay_epoch"] == "1":
            return {"gamma": texts["decay_rate"]}
        return {"gamma": f"{atom(texts['decay_rate'])} ** (1 / {atom(texts['decay_epoch'])})"}

    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        return ", ".join(f"{name}={value}" for name, value in self._factors(texts).items())

    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        return {"base_lr": texts["learning_rate"], **self._factors(texts), "step_every": texts["step_per_epoch"]}

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """An is_stair that is not the literal this pair was chosen for: the scheduler depends on it."""
        written = arguments.get("is_stair")
        if written is None or site.analysis.code(written) == str(self.stair):
            return None
        return "is_stair", (f"is_stair={site.analysis.code(written)} is not visibly True or False: the list's stairs "
                            "become a StepLR and its smooth decay an ExponentialLR, so the rule must know which")


STEPS, SMOOTH = ExponentialDecayPair(stair=True), ExponentialDecayPair(stair=False)


def pair_of(analysis: Analysis, call: cst.Call) -> ExponentialDecayPair:
    """The pair for this call's ``is_stair``: StepLR for a literal True, else ExponentialLR (which refuses an
    is_stair it cannot read)."""
    written = bind(call, SIGNATURE).values.get("is_stair")
    return STEPS if written is not None and analysis.code(written) == "True" else SMOOTH


register_branch_pairs(FUNCTIONS, pair_of)

class ExponentialDecayToTorch(Rule):
    name = "exponential-decay-to-torch"
    target = "torch"
    triggers = ("exponential_decay_lr",)
    summary = "mindspore.nn.exponential_decay_lr → torch.optim.lr_scheduler.StepLR or ExponentialLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding."""
        return list_findings(analysis, FUNCTIONS, lambda call: pair_of(analysis, call), INDIRECT)


RULE = ExponentialDecayToTorch()
