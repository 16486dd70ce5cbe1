"""torch's other list-form schedulers (``StepLR``, ``MultiStepLR``, ``ExponentialLR``, ``LambdaLR``, ``LinearLR``,
``ConstantLR``, ``PolynomialLR``) → the list ``migrate.bridge.torch_schedulers`` writes for each over the visible run,
given to the MindSpore optimizer. These lists are written for the run's length, so a run whose length is not visible
is refused (MIG102). A flag's choice, or a ``SequentialLR``, is rewritten once: by the cosine's site when it holds a
``CosineAnnealingLR``, else by its first (a chain: its last) scheduler's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import libcst as cst

from migrate.analysis import Analysis, atom, bind, product
from migrate.bridge.scheduler_parts import SCHEDULER_MODULE, STAR_SOURCES, Cadence, Chain, Elsewhere, ScheduleValues
from migrate.bridge.scheduler_to_list import INDIRECT, SchedulerSite, scheduler_findings
from migrate.bridge.cosine_lists import one_epoch_more
from migrate.bridge.torch_schedulers import NO_LIST_FORM, SIBLINGS, Frame, Listed, read_from_second_epoch
from migrate.bridge.torch_schedulers import called_scheduler as called
from migrate.bridge.torch_schedulers import without_list_form as unlisted_calls
from migrate.references import find_references
from migrate.rule import Finding, ImportRef, Note, Refused, Rule, documentation
from migrate.verify import Schedule

COSINE = SCHEDULER_MODULE + "CosineAnnealingLR"


class TorchSchedulersToMindSpore(Rule):
    name = "torch-schedulers-to-mindspore"
    target = "mindspore"
    triggers = tuple(name.removeprefix(SCHEDULER_MODULE) for name in (*SIBLINGS, *NO_LIST_FORM))
    summary = "torch.optim.lr_scheduler.StepLR, MultiStepLR, ExponentialLR, LambdaLR, ... → a MindSpore lr list"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """One walk: each list-form scheduler's site, and each call of a scheduler without one (MIG119)."""
        references = find_references(analysis, {*SIBLINGS, *NO_LIST_FORM}, STAR_SOURCES)
        unlisted = unlisted_calls(analysis, references)
        yield from scheduler_findings(analysis, ListedSite, INDIRECT, references)
        for call in unlisted:
            name = called(analysis, call, NO_LIST_FORM)
            yield Finding(Note(call, "MIG119", f"{name.removeprefix(SCHEDULER_MODULE)} {NO_LIST_FORM[name]}; the "
                                               "site is left unchanged"))


class ListedSite(SchedulerSite):
    """One call of a scheduler of ``SIBLINGS``: its list is the sibling's, written for the visible run."""

    WARMUPS, WARMUP_KIND, MULTIPLIES = frozenset(SIBLINGS), "list-form scheduler", True
    rate_names = ("lr_a", "lr_b")  # a ChainedScheduler product's variables, fresh once the statements are written

    def __init__(self, analysis: Analysis, call: cst.Call):
        super().__init__(analysis, call)
        self.SCHEDULER = called(analysis, call, SIBLINGS)
        self.NAME = self.SHORT_NAME = self.SCHEDULER.removeprefix(SCHEDULER_MODULE)
        self.LIST_FUNCTION = "MindSpore lr"
        self.sibling = SIBLINGS[self.SCHEDULER]
        self.SIGNATURE = ("optimizer", *self.sibling.signature)
        self.REQUIRED = ("optimizer", *(name for name in self.sibling.signature
                                        if name not in self.sibling.defaults and name != "last_epoch"))
        self.LIST_ARGUMENTS = tuple(name for name in self.sibling.signature if name != "last_epoch")
        self.listed: Listed | None = None

    def _check_owner(self, chosen: list[cst.BaseExpression]) -> None:
        calls = [value for value in chosen if isinstance(value, cst.Call) and self._site(value)]
        if any(COSINE in self.analysis.names_of(call.func) for call in calls) or min(
                calls, key=self.analysis.start, default=self.call) is not self.call:
            raise Elsewhere

    def _site(self, call: cst.Call) -> bool:
        """Whether ``call`` is a site (of this rule or the cosine's): the first site among choices reports them."""
        return bool(self.analysis.names_of(call.func) & (SIBLINGS.keys() | {COSINE}))

    def _warmup_chain(self, tracked, line) -> Chain | None:
        """``SequentialLR(optimizer, [warmup, this], milestones=[M])``: one list, by this site (a cosine's by it)."""
        holding = self._chain_holding(tracked)
        if holding is None:
            return None
        chain_call, element = holding
        schedulers = [self.analysis.program.origin(item.value) or item.value
                      for item in self.analysis.parents[element].elements]
        calls = [value for value in schedulers if isinstance(value, cst.Call) and self._site(value)]
        last = schedulers[-1]
        if any(COSINE in self.analysis.names_of(call.func) for call in calls) or last is not self.call and (
                last in calls and self.analysis.names_of(last.func) & SIBLINGS.keys()
                or min(calls, key=self.analysis.start, default=self.call) is not self.call):
            raise Elsewhere
        return super()._warmup_chain(tracked, line)

    def _arguments(self) -> dict[str, cst.BaseExpression]:
        arguments = super()._arguments()
        if self._resume is not None:
            raise Refused("MIG105", f"last_epoch={self.analysis.code(self._resume)} resumes the {self.NAME}; only a "
                                   "CosineAnnealingLR's resume converts (to its list sliced at the resume step)",
                          self._resume)
        return arguments

    def _values(self, arguments, optimizer_arguments, cadence: Cadence) -> ScheduleValues:
        """The sibling's list over the visible run, from the optimizer's lr, and its claim."""
        if cadence.run_steps is None:
            raise Refused("MIG102", f"the training length is not visible: a {self.NAME} list is written for the "
                                   "run's optimizer steps, and MindSpore raises one step past its end")
        if self._epoch_start and (self._chain is not None or self._loaded):
            raise Refused("MIG106", "scheduler.step() runs at the start of each epoch; a chain or a scheduler whose "
                                   "state is loaded converts only when stepped after the epoch's optimizer steps")
        run_steps = self._run_steps(cadence)
        list_steps = self._list_steps(run_steps)
        if self._epoch_start:
            list_steps = one_epoch_more(list_steps, cadence.step_every)
        frame = Frame(*self._lrs(optimizer_arguments), cadence.step_every, cadence.step_per_epoch, list_steps,
                      "mindspore.nn")
        self.listed = self._listed(frame)
        claim = self._claim(self.listed.source, self.listed.target, run_steps, positive=self.listed.positive)
        return ScheduleValues(frame.max_lr, frame.run_steps, cadence.step_per_epoch, None, claim)

    def _listed(self, frame: Frame) -> Listed:
        """The site's list over the run: its own, or the chain's warmup list then its own from epoch 0."""
        arguments = bind(self.call, self.SIGNATURE).values
        if self._chain is None and self._epoch_start:
            return read_from_second_epoch(self._scheduler_list(self.SCHEDULER, arguments, frame), frame.step_every)
        if self._chain is None:
            return self._scheduler_list(self.SCHEDULER, arguments, frame)
        if self._chain.milestone is None:
            return self._multiplied(arguments, frame)
        milestone = self._count(self._chain.milestone, "milestone")
        split = product(milestone, frame.step_every)
        first = self._scheduler_list(self._chain.warmup_name, self._chain.warmup, replace(frame, run_steps=split))
        second = self._scheduler_list(self.SCHEDULER, arguments,
                                      replace(frame, run_steps=f"{frame.run_steps} - {atom(split)}"))
        shared = ("base_lr", "step_every")
        source = Schedule(f"torch.SequentialLR[{first.source.model},{second.source.model}]", {
            "base_lr": frame.base_lr, "step_every": frame.step_every, "milestones": f"[{milestone}]",
            **{f"{index}.{name}": text for index, part in enumerate((first, second))
               for name, text in part.source.args.items() if name not in shared}})
        target = Schedule(f"mindspore.concat[{first.target.model},{second.target.model}]", {
            "split": split, **{f"{index}.{name}": text for index, part in enumerate((first, second))
                               for name, text in part.target.args.items()}})
        return Listed(f"{first.expression} + ({second.expression} if {atom(frame.run_steps)} > {atom(split)} else [])",
                      source, target, (*first.positive, *second.positive))

    def _multiplied(self, arguments: dict, frame: Frame) -> Listed:
        """``ChainedScheduler([first, this])``: both factors apply at every step: the lists' product over the lr."""
        if SCHEDULER_MODULE + "LambdaLR" in (self._chain.warmup_name, self.SCHEDULER):
            raise Refused("MIG107", "a LambdaLR in a ChainedScheduler sets the lr from its own lambda instead of "
                                   "multiplying it, so the chain has no product form", self._chain.call)
        first = self._scheduler_list(self._chain.warmup_name, self._chain.warmup, frame)
        second = self._scheduler_list(self.SCHEDULER, arguments, frame)
        parts = (first, second)
        source = Schedule(f"torch.ChainedScheduler[{first.source.model},{second.source.model}]", {
            "base_lr": frame.base_lr, "step_every": frame.step_every,
            **{f"{index}.{name}": text for index, part in enumerate(parts)
               for name, text in part.source.args.items() if name not in ("base_lr", "step_every")}})
        target = Schedule(f"mindspore.product[{first.target.model},{second.target.model}]", {
            "base": frame.max_lr, **{f"{index}.{name}": text for index, part in enumerate(parts)
                                     for name, text in part.target.args.items()}})
        first_rate, second_rate = self.rate_names
        return Listed(f"[{first_rate} * {second_rate} / {atom(frame.max_lr)} for {first_rate}, {second_rate} in "
                      f"zip({first.expression}, {second.expression})]", source, target,
                      (*first.positive, *second.positive))

    def _function_reference(self, package: str, package_import: ImportRef, left_to_port: bool):
        return f"{package}.nn", package_import

    def _schedule(self, values: ScheduleValues, cadence: Cadence, list_name: str, function: str):
        return values, self._statements(values.claim.source.args["base_lr"], values.max_lr, values, list_name,
                                        function)

    def _group_schedule(self, values: ScheduleValues, lr: cst.BaseExpression, list_name: str, function: str):
        return self._statements(self.analysis.code(lr), self._float(lr, "lr"), values, list_name, function)

    def _statements(self, base_lr: str, max_lr: str, values: ScheduleValues, list_name: str, nn: str) -> list:
        frame = Frame(base_lr, max_lr, values.claim.source.args["step_every"], values.step_per_epoch,
                      values.total_step, nn, (self.analysis.fresh_name("step"), self.analysis.fresh_name("milestone")))
        if self._chain is not None and self._chain.milestone is None:
            self.rate_names = (self.analysis.fresh_name("lr_a"), self.analysis.fresh_name("lr_b"))
        return [cst.parse_statement(f"{list_name} = {self._listed(frame).expression}\n")]

    def _rewritten(self, function: str) -> str:
        if self._chain is not None and self._chain.milestone is None:
            first = self._chain.warmup_name.removeprefix(SCHEDULER_MODULE)
            return f"ChainedScheduler({first}, {self.NAME}) → one list (the product of their factors)"
        if self._chain is not None:
            warmup = self._chain.warmup_name.removeprefix(SCHEDULER_MODULE)
            return (f"SequentialLR({warmup}, {self.NAME}) → one list ({warmup}'s for "
                    f"{self.analysis.code(self._chain.milestone)} scheduler steps, then the {self.NAME}'s)")
        built = self.listed.expression.split("(")[0].removeprefix("mindspore.nn.")
        return f"{self.NAME} → " + (f"{built}(...)" if "[" not in built else "a list of its rates")

    def _changes(self, values: ScheduleValues, cadence: Cadence, list_name: str) -> Note:
        return Note(self.call, "MIG101", f"{list_name} was written for a run of {values.total_step} optimizer "
                                         f"steps; the verifier found its rates differ from the {self.NAME}'s")



RULE = TorchSchedulersToMindSpore()
