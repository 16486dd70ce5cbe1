"""MindSpore ``piecewise_constant_lr`` → PyTorch ``MultiStepLR`` or a ``LambdaLR`` of its rates, with the optimizer
that takes the list.

The list is ``learning_rates[i]`` from optimizer step ``milestone[i-1]`` up to ``milestone[i]``, ``milestone[-1]``
steps in all: its counts are its milestones. The scheduler steps once an epoch when every milestone is spelled as
a product with one unknown count (``30 * steps``), else after every optimizer step; its milestones are the list's
divided by that cadence (the other factors), the last one (the list's end) left out. Rates that are
``learning_rates[0] * gamma ** k`` for one gamma are ``MultiStepLR(milestones, gamma)`` from
``lr=learning_rates[0]``; other rates are a ``LambdaLR`` whose lambda picks each segment's rate with ``min(epoch //
milestone, 1)`` (a pure expression the verifier reads) over ``learning_rates[0]``. Both lists must be spelled out,
in the call or in a name bound once, as the scheduler needs each element; the verifier compares the scheduler with
MindSpore's list either way.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import libcst as cst

from migrate.analysis import Analysis, atom, bind
from migrate.bridge.list_texts import elements, same_expression, spelled
from migrate.bridge.list_choice import register_branch_pairs
from migrate.bridge.list_to_scheduler import ListPair, ListSite, list_findings
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Refused, Rule, documentation
from migrate.schedules.mindspore_family import check_piecewise_constant_lr

FUNCTIONS = frozenset({"mindspore.nn.piecewise_constant_lr", "mindspore.nn.dynamic_lr.piecewise_constant_lr"})
SIGNATURE = ("milestone", "learning_rates")
INDIRECT = {
    VALUE: "piecewise_constant_lr used as a value, not called: the rule cannot see its arguments or the optimizer it "
           "feeds",
    GETATTR: "getattr(..., 'piecewise_constant_lr') cannot be followed; call the function directly so its arguments "
             "can be rewritten",
    STAR: "piecewise_constant_lr comes from a star import of mindspore.nn that another star import (or a use other "
          "than a call) keeps from being resolved; import it by name so it can be rewritten",
}
GEOMETRIC_TOLERANCE = 1e-12  # relative, from learning_rates[0] * gamma ** k; then the verifier has its say


def in_epochs(milestone: str, every: str) -> str | None:
    """``milestone`` divided by ``every`` when it is spelled as a product with it (``30 * every``, ``every *
    (epochs // 2)``): the other factor; the milestone itself when every is 1."""
    if every == "1":
        return milestone
    node = cst.parse_expression(milestone)
    if not isinstance(node, cst.BinaryOperation) or not isinstance(node.operator, cst.Multiply):
        return None
    code = cst.Module([]).code_for_node
    sides = ((node.left, node.right), (node.right, node.left))
    return next((code(factor.with_changes(lpar=[], rpar=[])) for factor, other in sides
                 if same_expression(code(other), every)), None)


class PiecewiseConstantPair(ListPair):
    """piecewise_constant_lr's lists as MultiStepLR's milestones and gamma, or a LambdaLR's lambda: the first rate
    is the optimizer's lr. One pair per call, as the scheduler is chosen from the rates ``derived`` reads."""

    functions = FUNCTIONS
    signature = SIGNATURE
    base_lr = "first_rate"
    kind = "piecewise constant"
    source_model = "mindspore.piecewise_constant_lr"
    group_sharing = "one set of milestones, one factor per segment and one cadence"
    group_result = "scales each group's lr by the same factor per segment"

    def __init__(self):
        self._choose(None)

    def _choose(self, gamma: str | None) -> None:
        self.gamma = gamma
        self.scheduler = f"torch.optim.lr_scheduler.{'LambdaLR' if gamma is None else 'MultiStepLR'}"
        self.destination_model = f"torch.{self.scheduler_name}"

    def check(self, *values, **named) -> None:
        check_piecewise_constant_lr(*values, **named)

    def derived(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> dict[str, cst.BaseExpression]:
        """The lists spelled out, the list's length (its last milestone), the cadence (the unknown count every
        milestone is a product with, else 1) and the first rate; and the scheduler, MultiStepLR for geometric
        rates."""
        lists = {name: spelled(site.analysis, arguments[name]) for name in SIGNATURE}
        for name, found in lists.items():
            if found is None:
                raise Refused("MIG105", f"{name}={site.analysis.code(arguments[name])} is not a list spelled out here "
                                        "(in the call, or in a name bound once): the torch scheduler needs each of "
                                        "its elements", arguments[name])
        milestones, rates = (lists[name].elements for name in SIGNATURE)
        if not milestones or len(milestones) != len(rates):
            raise Refused("MIG105", f"piecewise_constant_lr with {len(milestones)} milestones and {len(rates)} "
                                    "learning rates has no schedule to convert (MindSpore raises for lists of "
                                    "different lengths, and an empty list has no lr)", arguments["milestone"])
        values = [[site.value_of(element.value) for element in elements] for elements in (milestones, rates)]
        if None not in (*values[0], *values[1]):
            try:
                self.check(*values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects this call ({type(error).__name__}: {error}), so it has "
                                        "no schedule to convert") from None
        self._choose(geometric(values[1]) if len(rates) > 1 else None)
        texts = [site.analysis.code(element.value) for element in milestones]
        first = milestones[0].value
        sides = (first.right, first.left) if isinstance(first, cst.BinaryOperation) else ()
        every = next((side for side in sides if site.value_of(side) is None
                      and all(in_epochs(text, site.analysis.code(side)) for text in texts)), cst.Integer("1"))
        return {**lists, "total_step": milestones[-1].value, "first_rate": rates[0].value, "step_per_epoch": every}

    def spent(self, site: ListSite) -> list[cst.CSTNode]:
        """The lines binding a list that only this call reads: the scheduler spells out its elements."""
        lines = []
        for name in bind(site.call, SIGNATURE).values.values():
            assignment = site.analysis.single_assignment(name) if isinstance(name, cst.Name) else None
            bound = site.analysis.assigned_value(assignment) if assignment is not None else None
            if bound is not None and [access.node for access in assignment.references] == [name]:
                lines.append(bound[0])
        return lines

    def source(self, texts: dict[str, str]) -> dict[str, str]:
        return {name: texts[name] for name in SIGNATURE}

    def _arguments_of(self, texts: dict[str, str]) -> dict[str, str]:
        every = texts["step_per_epoch"]
        changes = [in_epochs(milestone, every) for milestone in elements(texts["milestone"])[:-1]]
        if self.gamma is not None:
            return {"milestones": f"[{', '.join(changes)}]", "gamma": self.gamma}
        return {"lr_lambda": rates_lambda(changes, elements(texts["learning_rates"]))}

    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        return ", ".join(f"{name}={value}" for name, value in self._arguments_of(texts).items())

    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        return {"base_lr": texts["first_rate"], **self._arguments_of(texts), "step_every": texts["step_per_epoch"]}

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """For the LambdaLR: a first rate of 0, which no factor scales, and a name its lambda reads that is
        assigned again later."""
        lists = {name: spelled(site.analysis, arguments[name]) for name in SIGNATURE if name in arguments}
        if self.gamma is not None or any(found is None for found in lists.values()) or len(lists) < 2:
            return None
        first = lists["learning_rates"].elements[0].value if lists["learning_rates"].elements else None
        text = site.analysis.code(first) if first is not None else ""
        stated = dict(site.analysis.program.stated).get(text)
        if first is not None and (site.value_of(first) == 0 or stated == 0):
            given = "is 0" if stated is None else f"is {text}, which defaults to 0"
            return "learning_rates", (f"learning_rates[0] {given}: torch's schedulers scale the optimizer's lr, "
                                      "and no factor of an lr of 0 gives the later rates")
        if first is not None and site.value_of(first) is None:
            site.assumptions.append(f"{text} > 0 (the LambdaLR's factors are the rates over it)")
        return site.reassigned(lists)


def geometric(rates: list) -> str | None:
    """gamma as text when every rate is ``rates[0] * gamma ** k`` (to GEOMETRIC_TOLERANCE), for a positive gamma
    and rates the code gives as numbers; None otherwise."""
    if any(type(rate) is not float for rate in rates) or rates[0] == 0:
        return None
    gamma = float(f"{rates[1] / rates[0]:.12g}")
    if gamma <= 0 or not all(math.isclose(rates[0] * gamma ** k, rate, rel_tol=GEOMETRIC_TOLERANCE)
                             for k, rate in enumerate(rates)):
        return None
    return repr(gamma)


def rates_lambda(changes: list[str], rates: list[str]) -> str:
    """``lambda epoch: <the segment's rate> / rates[0]``: each rate times 1 on its segment and 0 elsewhere, where
    ``min(epoch // m, 1)`` is 1 once epoch reaches m, so the sum is the rate itself, whatever the rates' scales."""
    read = {word for text in (*changes, *rates) for word in re.findall(r"\w+", text)}
    epoch = next(name for name in ("epoch", "scheduler_epoch", "lambda_epoch") if name not in read)
    if len(rates) == 1:
        return f"lambda {epoch}: 1.0"
    passed = [f"min({epoch} // {atom(change)}, 1)" for change in changes]
    terms = [f"{atom(rates[0])} * (1 - {passed[0]})"]
    terms += [f"{atom(rate)} * ({before} - {after})" for rate, before, after in zip(rates[1:-1], passed, passed[1:])]
    terms.append(f"{atom(rates[-1])} * {passed[-1]}")
    return f"lambda {epoch}: ({' + '.join(terms)}) / {atom(rates[0])}"


register_branch_pairs(FUNCTIONS, lambda analysis, call: PiecewiseConstantPair())

class PiecewiseConstantToTorch(Rule):
    name = "piecewise-constant-to-torch"
    target = "torch"
    triggers = ("piecewise_constant_lr",)
    summary = "mindspore.nn.piecewise_constant_lr → torch.optim.lr_scheduler.MultiStepLR or LambdaLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding."""
        return list_findings(analysis, FUNCTIONS, lambda call: PiecewiseConstantPair(), INDIRECT)


RULE = PiecewiseConstantToTorch()
