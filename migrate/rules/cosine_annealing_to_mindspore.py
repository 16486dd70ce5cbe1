"""PyTorch ``CosineAnnealingLR`` → MindSpore ``cosine_decay_lr``, with the optimizer it drives.

``SchedulerSite`` finds the cadence, the optimizer and the run; this module says what the cosine becomes. torch's
cosine is periodic and MindSpore's list clamps at ``min_lr``: the claim says the two agree for ``(T_max + 1) *
step_per_epoch`` optimizer steps, and a longer run gets the periodic list (MIG114). A warmup chained before it, a
resume and a ``step()`` at the start of the epoch have list forms of their own (``cosine_lists``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import libcst as cst

from migrate import verify
from migrate.analysis import Analysis, bind, plus_one, product
from migrate.bridge import cosine_lists
from migrate.bridge.cosine_lists import CosineValues
from migrate.bridge.scheduler_parts import SCHEDULER_MODULE, Cadence, subscript_key
from migrate.bridge.scheduler_to_list import SchedulerSite, scheduler_findings
from migrate.bridge.torch_schedulers import SIBLINGS, Frame, Listed
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Note, Refused, Rule, documentation
from migrate.verify import Schedule

INDIRECT = {
    VALUE: "CosineAnnealingLR used as a value, not called: the rule cannot see its arguments or its step() calls",
    GETATTR: "getattr(..., 'CosineAnnealingLR') cannot be followed; call the class directly so its arguments can be "
             "rewritten",
    STAR: "CosineAnnealingLR comes from a star import of torch.optim.lr_scheduler that another star import (or a "
          "use other than a call) keeps from being resolved; import it by name so it can be rewritten",
}
ORDER = ("eta_min={eta_min} is not below the optimizer's lr={lr}{when}: torch anneals upwards or stays constant, "
         "cosine_decay_lr requires min_lr < max_lr")


class CosineAnnealingToMindSpore(Rule):
    name = "cosine-annealing-to-mindspore"
    target = "mindspore"
    triggers = ("CosineAnnealingLR",)
    summary = "torch.optim.lr_scheduler.CosineAnnealingLR → mindspore.nn.cosine_decay_lr"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        return scheduler_findings(analysis, CosineSite, INDIRECT)


class CosineSite(SchedulerSite):
    """One ``CosineAnnealingLR(...)`` call: its list is ``cosine_decay_lr``, periodic past T_max."""

    SCHEDULER = SCHEDULER_MODULE + "CosineAnnealingLR"
    NAME, SHORT_NAME, LIST_FUNCTION = "CosineAnnealingLR", "cosine", "cosine_decay_lr"
    SIGNATURE = ("optimizer", "T_max", "eta_min", "last_epoch")
    REQUIRED = ("optimizer", "T_max")
    LIST_ARGUMENTS = ("T_max", "eta_min")
    periodic_list = False
    WARMUPS, WARMUP_KIND = frozenset(SIBLINGS), "list-form scheduler"

    def _also(self) -> list[Note]:
        """eta_min not below the optimizer's lr, checked on its own."""
        eta_min, lr = bind(self.call, self.SIGNATURE).values.get("eta_min"), self._optimizer_lr()
        if eta_min is None or lr is None:
            return []
        try:
            CosineSite(self.analysis, self.call)._check_order(self.analysis.code(eta_min), lr, eta_min)
        except Refused as refused:
            return [Note(refused.node, refused.code, refused.message)]
        return []

    def _values(self, arguments, optimizer_arguments, cadence: Cadence) -> CosineValues:
        """The cosine_decay_lr arguments as source text, and the claim that ties them to the torch schedule."""
        eta_min, t_max = arguments.get("eta_min"), self.analysis.code(arguments["T_max"])
        eta_min_text = self.eta_min = self.analysis.code(eta_min) if eta_min is not None else "0.0"
        decay_epoch = self._count(arguments["T_max"], "T_max")
        min_lr = self._float(eta_min, "eta_min") if eta_min is not None else "0.0"
        base_lr_text, max_lr = self._lrs(optimizer_arguments)
        self._check_order(eta_min_text, base_lr_text, eta_min)
        agreement = product(plus_one(t_max), cadence.step_every)
        run_steps = self._run_steps(cadence)
        total_step = self._list_steps(run_steps) or product(plus_one(decay_epoch), cadence.step_every)
        step_per_epoch = cadence.step_per_epoch
        source = Schedule("torch.CosineAnnealingLR", {"base_lr": base_lr_text, "T_max": t_max,
                                                      "eta_min": eta_min_text, "step_every": cadence.step_every})
        target = Schedule("mindspore.cosine_decay_lr", {"min_lr": min_lr, "max_lr": max_lr, "total_step": total_step,
                                                        "step_per_epoch": step_per_epoch, "decay_epoch": decay_epoch})
        claim = self._claim(source, target, run_steps, agreement)
        values = CosineValues(max_lr, total_step, step_per_epoch, agreement, claim, min_lr, decay_epoch, t_max)
        if self._resume is not None:
            start, lr = self._resume_epoch(), self._initial_lr[1]
            initial = (source.args["base_lr"] if isinstance(lr, cst.Subscript) and subscript_key(lr) == "lr"
                       else self.analysis.code(lr))
            self.assumptions.append(f"training resumes before the trough: {start} < T_max={t_max} (the list's "
                                    f"max_lr divides by 1 + cos(pi * {start} / T_max))")
            values = cosine_lists.resumed(values, start, initial, cadence.step_every)
        return cosine_lists.shifted(values) if self._epoch_start else values

    def _schedule(self, values: CosineValues, cadence: Cadence, list_name: str, function: str):
        """The chain's list, the periodic list where the plain one diverges in the visible run, else the call."""
        if self._chain is not None:
            split = product(self._count(self._chain.milestone, "milestone"), cadence.step_every)
            values = cosine_lists.chained(values, self._warmup_list(values, split, function), split,
                                          self.analysis.code(self._chain.milestone), cadence.step_every)
        elif self._resume is None and not self._epoch_start and (periodic := self._periodic(values, cadence)):
            values, self.periodic_list = periodic, True
        return values, self._statements(values, list_name, function)

    def _group_schedule(self, values: CosineValues, lr: cst.BaseExpression, list_name: str, function: str):
        """torch anneals each group (or optimizer a flag chooses) from its own lr to the one eta_min; a chosen
        optimizer's lr that is eta_min itself (the same expression) stays constant, a list of it."""
        if self.analysis.code(lr) == self.eta_min and all(element.value is not lr for _, element in self._group_lrs):
            return [cst.parse_statement(f"{list_name} = [{self._float(lr, 'lr')}] * ({values.total_step})\n")]
        self._check_order(self.eta_min, self.analysis.code(lr), lr)
        return self._statements(replace(values, max_lr=self._float(lr, "lr")), list_name, function)

    def _statements(self, values: CosineValues, list_name: str, function: str) -> list[cst.SimpleStatementLine]:
        args = {**values.claim.target.args, "min_lr": values.min_lr, "max_lr": values.max_lr,
                "total_step": values.total_step, "step_per_epoch": values.step_per_epoch,
                "decay_epoch": values.decay_epoch}
        if self._chain is None and not self.periodic_list:
            return [cosine_lists.decay_statement(list_name, function, args, args.get("start"))]
        cycle, step = self.analysis.fresh_name("lr_cycle"), self.analysis.fresh_name("step")
        if self._chain is None:
            return cosine_lists.periodic_statements(list_name, function, args, cycle, step)
        warmup = self._warmup_list(values, args["split"], function, step).expression
        return cosine_lists.warmup_then_periodic(list_name, function, args, warmup, cycle, step)

    def _periodic(self, values: CosineValues, cadence: Cadence) -> CosineValues | None:
        """torch's periodic schedule as a list (``mindspore.periodic_cosine``); None when the plain call is
        exact, the run is not visible or the ``periodic`` policy says "clamp"."""
        policy = self.analysis.policies.get("periodic", "exact")
        if (policy == "clamp" or cadence.run_steps is None
                or verify.verify(values.claim, self.analysis.constants).kind != verify.DIVERGES):
            return None
        if policy == "refuse":
            raise Refused("MIG101", f"the run can pass T_max={values.t_max}: from optimizer step {values.agreement} "
                                   "torch's lr climbs back (period 2*T_max) and a cosine_decay_lr list stays at "
                                   "min_lr; periodic = \"refuse\" keeps the site (\"exact\" writes the periodic "
                                   "list, \"clamp\" the plain call as an unsafe fix)")
        target = Schedule("mindspore.periodic_cosine", dict(values.claim.target.args))
        return replace(values, claim=replace(values.claim, target=target, agrees_for=None))

    def _schedule_notes(self, values: CosineValues, list_name: str) -> list[Note]:
        if not self.periodic_list:
            return []
        return [Note(self.call, "MIG114", f"the run can pass T_max={values.t_max}: torch's cosine is periodic, so "
                                          f"{list_name} repeats it (one half-period read at reflected epochs); a "
                                          "plain cosine_decay_lr list would stay at min_lr and differ from optimizer "
                                          f"step {values.agreement} on")]

    def _rewritten(self, function: str) -> str:
        if self._chain is None:
            return super()._rewritten(function)
        warmup = self._chain.warmup_name.removeprefix(SCHEDULER_MODULE)
        return (f"SequentialLR({warmup}, CosineAnnealingLR) → one list ({warmup}'s warmup for "
                f"{self.analysis.code(self._chain.milestone)} scheduler steps, then the cosine read from "
                f"{function}(...))")

    def _resumed(self) -> str:
        start = self._resume_epoch()
        return (f"; resumed at epoch {start} (last_epoch={self.analysis.code(self._resume)}): the list is sliced "
                f"at that epoch's first step, and its max_lr makes the cosine pass through the optimizer's lr at "
                f"epoch {start}, where torch resumes from; the initial_lr loop (line "
                f"{self.analysis.line(self._initial_lr[0])}) is not needed")

    def _changes(self, values: CosineValues, cadence: Cadence, list_name: str) -> Note:
        if cadence.run_steps is None:
            return Note(self.call, "MIG102",
                        f"the training length is not visible: {list_name} has {values.total_step} entries "
                        f"((T_max + 1) epochs, where both schedules agree) and MindSpore raises one step past "
                        f"its end; set total_step to the run length")
        return Note(self.call, "MIG101",
                    f"the run can be longer than T_max={values.t_max} scheduler steps: from optimizer step "
                    f"{values.agreement} on, torch's lr climbs back towards the base lr (period 2*T_max) while "
                    f"{list_name} stays at min_lr")

    def _check_order(self, eta_min: str, base_lr: str, node: cst.CSTNode | None) -> None:
        """MindSpore rejects min_lr >= max_lr: refused with a warning at ``node`` (eta_min, or a group's lr)."""
        self._require_below(eta_min, base_lr, ORDER.format(eta_min=eta_min, lr=base_lr, when="{when}"),
                            f"eta_min={eta_min} is below lr={base_lr} (MindSpore rejects min_lr >= max_lr)", node)

    def _warmup_list(self, values: CosineValues, split: str, function: str, step: str = "step") -> Listed:
        """The chain's warmup as its list over the milestone's ``split`` optimizer steps."""
        source, nn = values.claim.source.args, function.rpartition(".")[0]
        listed = self._scheduler_list(self._chain.warmup_name, self._chain.warmup, Frame(
            source["base_lr"], values.max_lr, source["step_every"], values.step_per_epoch, split,
            nn or "mindspore.nn", (step, "milestone")), self._chain.warmup_call)
        if not nn and "mindspore.nn" in listed.expression:
            raise Refused("MIG103", "the chain's warmup list calls mindspore.nn, which the module does not import "
                                   "while its optimizer is left to port", self._chain.warmup_call)
        return listed


RULE = CosineAnnealingToMindSpore()
