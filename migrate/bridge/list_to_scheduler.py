"""A MindSpore per-step list function → a torch scheduler stepped by the training loop: the machinery every such
rule shares, parameterized by the rule's ``ListPair``.

MindSpore's schedule is a per-step list the optimizer reads by its global step; torch's is an object the user steps.
So a site is rewritten only when the list reaches mapped optimizers through names and float wrappers alone (or after
a ``warmup_lr`` list, ``warmup + lr``, which becomes a ``SequentialLR`` of a ``LambdaLR`` ramp and the pair's
scheduler). Each optimizer becomes the torch one with the list's starting lr, the pair's scheduler follows it, and
``scheduler.step()`` goes where the code shows it runs once every ``step_per_epoch`` optimizer steps — or, when the
training loop is out of sight, a warning says where to call it. The claim covers a run as long as the visible loops
make it, or ``total_step`` when they are out of sight; where the pair's plain scheduler agrees with the list for
fewer steps than the run, the pair may hold it there (``periodic`` chooses). A list sliced at a whole epoch
(``lr[start_epoch * step_per_epoch:]``) becomes torch's resume, ``last_epoch=start_epoch - 1``.

``ListSite`` is one call on its way to a Finding; its parts live beside this module: ``list_delivery`` (the list's
path to its optimizers), ``list_resume``, ``list_groups`` (param groups), ``list_cadence`` (where scheduler.step()
goes and how long the run is) and ``list_torch`` (the torch statements and notes).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

import libcst as cst
import libcst.matchers as matchers

from migrate import evaluate, verify
from migrate.analysis import Analysis, atom, bind, names_in, plus_one, product
from migrate.bridge.list_cadence import Cadence, ListCadence, Run
from migrate.bridge.list_choice import ListChoice
from migrate.bridge.list_delivery import (
    WARMUP_SIGNATURE,
    Delivery,
    HandWarmup,
    ListDelivery,
    Warmup,
)
from migrate.bridge.list_groups import ListGroups
from migrate.bridge.list_loops import returns_early
from migrate.bridge.list_resume import ListResume
from migrate.bridge.list_texts import argument_text, over, same_expression
from migrate.bridge.list_torch import CHAIN, FreshName, TorchSide, in_package
from migrate.imports import package_reference
from migrate.program.model import body_bindings
from migrate.program.values import definitions
from migrate.references import find_references, site_findings
from migrate.rule import Blocked, Finding, Fix, Note, Refused, refusal
from migrate.schedules.mindspore_lr import check_warmup_lr
from migrate.verify import SAMPLES, Claim, Schedule

COUNTS = ("total_step", "step_per_epoch")
"""The arguments every list function of the family has: how long the list is, and how many steps an epoch is."""


MINDSPORE_STAR_SOURCES = frozenset({"mindspore.nn", "mindspore.nn.dynamic_lr"})
"""The modules whose star import can bind a MindSpore list function."""


def list_findings(analysis: Analysis, functions: set[str] | frozenset[str], pair_of: Callable[[cst.Call], ListPair],
                  indirect: dict[str, str], keep: Callable[[cst.Call], bool] = lambda call: True) -> Iterator[Finding]:
    """Each call of ``functions`` that ``keep`` takes, converted with its pair or refused; a use other than a call
    is reported with ``indirect``'s message (MIG108); a list that is one param group's among others has none of its
    own: the site of the groups' main list converts (or refuses) them all."""
    references = find_references(analysis, set(functions), set(MINDSPORE_STAR_SOURCES))
    references.calls = [call for call in references.calls if keep(call)]
    found = site_findings(references, lambda call: ListSite(pair_of(call), analysis, call).convert(), "MIG108",
                          indirect)
    return (finding for finding in found if finding is not None)


class ListPair(ABC):
    """What a rule knows of its own pair, asked by ``ListSite``: the list function (its qualified names and
    signature, which must hold ``total_step`` and ``step_per_epoch``), the torch scheduler and how the list's
    arguments become its arguments, the verifier's models of both, and the sentences only this pair can write.

    ``base_lr`` is the argument the torch optimizer takes as ``lr=`` (each param group's own); ``kind`` names the
    schedule in messages ("the cosine's lr"); ``defaults`` are the texts of the arguments a call may leave out;
    ``group_sharing`` and ``group_result`` say what one scheduler shares across param groups and what it does to
    them. The rest is optional, each part asked only by a pair that has it:

    - the agreement, how many optimizer steps the plain scheduler follows the list for (``agreement``, None: all of
      them), said in words by ``agreement_text`` and a ``HorizonPair``'s ``past_agreement`` and ``diverging``;
    - a hold (``held_model``, the verifier's model of the scheduler stepped only while a ``HorizonPair``'s
      ``hold_condition`` holds), which keeps the scheduler on the list past the agreement;
    - a resume (a ``ResumingPair``): the torch optimizer's lr at the resume epoch and the resumed claim;
    - a warmup (``warmup_models``, the verifier's models of ``warmup_lr(...) + list`` and of the SequentialLR that
      replaces it).
    """

    functions: frozenset[str]
    signature: tuple[str, ...]
    scheduler: str
    base_lr: str
    kind: str
    source_model: str
    destination_model: str
    defaults: Mapping[str, str] = MappingProxyType({})
    group_sharing = ""
    group_result = ""
    agreement_text = ""
    warmup_models: tuple[str, str] | None = None
    held_model: str | None = None
    hold_remedy = ""
    resumes = False

    @property
    def function(self) -> str:
        """The list function as messages name it (``cosine_decay_lr``)."""
        return min(self.functions).rsplit(".", 1)[-1]

    @property
    def scheduler_name(self) -> str:
        """The torch scheduler as messages name it (``CosineAnnealingLR``)."""
        return self.scheduler.rsplit(".", 1)[-1]

    @property
    def checked(self) -> tuple[str, ...]:
        """The arguments ``check`` takes: the whole signature, but for one the pair knows itself."""
        return self.signature

    @abstractmethod
    def check(self, **values) -> None:
        """Raise what MindSpore raises for these values of the ``checked`` arguments (TypeError, ValueError)."""

    @abstractmethod
    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        """The scheduler's arguments after the optimizer, from the list's arguments as text."""

    @abstractmethod
    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        """The arguments of ``destination_model``, ``base_lr`` and ``step_every`` among them."""

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """The argument at which MindSpore visibly has no list to convert, and why (MIG105); None otherwise."""
        return None

    def derived(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> dict[str, cst.BaseExpression]:
        """Arguments the pair reads off the call's own, added to them: for a list function without
        ``total_step``/``step_per_epoch`` (``piecewise_constant_lr``), the counts its other arguments imply, and
        any argument the pair reads as something else (a list spelled out where it was named). It raises
        Refused where they cannot be read. Nothing by default."""
        return {}

    def spent(self, site: ListSite) -> list[cst.CSTNode]:
        """Statements only the call read (``milestone = [...]`` spelled out into the scheduler): removed with the
        list. Nothing by default."""
        return []

    def source(self, texts: dict[str, str]) -> dict[str, str]:
        """The arguments of ``source_model``: the call's, by default."""
        return texts

    def agreement(self, texts: dict[str, str]) -> str | None:
        """How many optimizer steps the plain scheduler follows the list for, as text; None for all of them."""
        return None

    def step_lambda(self, texts: dict[str, str], step: str, math: str) -> str | None:
        """The list's own formula as a ``LambdaLR`` factor of the optimizer step ``step`` (counted from the list's
        first entry) over ``base_lr``: what a scheduler stepped after every optimizer step follows, as it must when
        a warmup written out per step comes before the list. None: the pair has none."""
        return None


class HorizonPair(ListPair):
    """A pair whose plain torch scheduler leaves the list after an agreement (``agreement``): what happens past
    it, in words, and the hold (``held_model``) that keeps the scheduler on the list there."""

    @abstractmethod
    def past_agreement(self, texts: dict[str, str], agreement: str) -> str:
        """What happens from optimizer step ``agreement`` on, where the plain scheduler leaves the list."""

    @abstractmethod
    def diverging(self, texts: dict[str, str]) -> str:
        """How the two schedules differ past the agreement."""

    @abstractmethod
    def in_chain_past_agreement(self) -> str:
        """Why a warmup's SequentialLR cannot go past the agreement."""

    @abstractmethod
    def hold_condition(self, scheduler: object) -> str:
        """The test under which the held scheduler still steps."""

    @abstractmethod
    def hold_reason(self) -> str:
        """Why the scheduler is held, for the by-hand warning."""

    @abstractmethod
    def held_note(self, texts: dict[str, str], agreement: str, scheduler: object) -> str:
        """MIG114: the scheduler is held where the plain one would leave the list."""

    @abstractmethod
    def hold_refused(self, texts: dict[str, str], agreement: str) -> str:
        """MIG101 when ``periodic = "refuse"`` keeps a site the hold would convert."""


class ResumingPair(ListPair):
    """A pair that converts a resume (``list[start:]``): the torch optimizer's lr at the resume epoch, and the
    resumed run's claim."""

    resumes = True

    @abstractmethod
    def resumed_lr(self, site: ListSite, arguments: dict[str, cst.BaseExpression], texts: dict[str, str],
                   epoch: str, held: bool, math: str) -> str:
        """The torch optimizer's lr for a run resumed at ``epoch``."""

    def resumed_claim(self, texts: dict[str, str], epoch: str, skipped: str, start_lr: str, run: str | None,
                      agrees_for: str) -> Claim | None:
        """The resumed run itself as a claim; None to verify the uninterrupted run it continues."""
        return None


class ListSite(ListDelivery, ListChoice, ListResume, ListGroups, ListCadence, TorchSide):
    """One call of the pair's list function on its way to a Finding."""

    def __init__(self, pair: ListPair, analysis: Analysis, call: cst.Call):
        self.pair = pair
        self.analysis = analysis
        self.call = call
        self.list_node: cst.BaseExpression = call
        self.assumptions: list[str] = []
        self.program = analysis.program
        self.step_reads: list[cst.Subscript] = []
        self.lr_reads: set[cst.Call] = set()
        self.late_reads: list[cst.Call] = []
        self.step_statement: cst.CSTNode | None = None
        self.warmup: Warmup | HandWarmup | None = None
        self.other_uses: list[cst.Name] = []
        self.resume_slice: cst.Subscript | None = None
        self.group_carriers: list[cst.SimpleStatementLine] = []
        self.blockers: list[Note] = []
        self.choice = None

    def convert(self) -> Finding | None:
        """The site's finding (None for a param group's list another site converts with the others); a refusal
        reports every blocker found and every behaviour change the site has that does not depend on what blocked
        it, each at its own line, so the user learns all of them at once. A refusal placed away from the call
        names the call's line."""
        try:
            return self._convert()
        except (Refused, Blocked) as refused:
            if isinstance(refused, Refused):
                self.blockers.append(Note(refused.node or self.call, refused.code, refused.message))
            notes = [Note(note.node, note.code, self._citing_the_call(note.message, note.node))
                     for note in self.blockers]
            return refusal(notes, self._also(notes), self.analysis.line)

    def _citing_the_call(self, message: str, node: cst.CSTNode) -> str:
        """``message``, reported at ``node``, with the line of the list's call it is about when it is reported
        elsewhere and does not say so."""
        line = self.analysis.line(self.call)
        if self.analysis.line(node) == line or f"line {line}" in message:
            return message
        return f"{message} (the {self.pair.function} list of line {line})"

    def _also(self, blockers: list[Note]) -> list[Note]:
        """Behaviour changes checked on their own: arguments MindSpore rejects, and a run (or, out of sight, the
        list) that passes the steps the pair's plain scheduler agrees with the list for."""
        notes = []
        arguments = bind(self.call, self.pair.signature).values
        rejected = self.pair.rejected(self, arguments)
        if rejected is not None:
            name, message = rejected
            if not any(note.code == "MIG105" and note.node in (self.call, arguments[name]) for note in blockers):
                notes.append(Note(arguments[name], "MIG105", message))
        if all(name in arguments for name in self.pair.signature if name != self.pair.base_lr):
            notes += self._past_agreement(arguments)
        return notes

    def _past_agreement(self, arguments: dict[str, cst.BaseExpression]) -> list[Note]:
        """MIG101 when the run the loops show (else the list itself) goes past the optimizer steps the pair's plain
        scheduler agrees with the list for, found by a probe of the site that stops wherever the site's own
        conversion is blocked. A run is counted from the list's first entry, so not with a resume slice; a warmup
        before the list has its own check (MIG118)."""
        probe = type(self)(self.pair, self.analysis, self.call)
        run = None
        try:
            arguments = probe._in_caller_terms(probe._arguments())
            delivery = probe._delivery()
            cadence = probe._cadence(delivery, arguments["step_per_epoch"], "scheduler")
            run = probe._run(cadence, delivery, arguments) if probe.resume_slice is None else None
        except Refused:
            pass
        if probe.warmup is not None:
            return []
        texts = {name: self.analysis.code(value) for name, value in arguments.items()}
        agreement = self.pair.agreement(texts)
        if agreement is None:
            return []
        total = texts["total_step"]
        reach = total if run is None else f"min({atom(run.steps)}, {atom(total)})"
        if self._at_most(reach, agreement):
            return []
        goes = "goes" if self._at_most(plus_one(agreement), reach) else "can go"
        what = (f"the list has total_step={total} entries and {goes} past" if run is None else
                f"the run (the loop at line {self.analysis.line(run.loop)}, {run.steps} optimizer steps) {goes} past")
        return [Note(self.call, "MIG101", f"{what} {self.pair.agreement_text} = {agreement} optimizer steps: "
                                         + self.pair.past_agreement(texts, agreement)
                                         + ("" if run is not None else " if the run gets there")
                                         + self.pair.hold_remedy)]

    def _convert(self) -> Finding | None:
        arguments = self._in_caller_terms(self._arguments())
        texts = {name: self.analysis.code(value) for name, value in arguments.items()}
        delivery = self._delivery()
        if self.choice is not None and self._choice_owner() is not self.call:
            return None
        groups = self._param_groups(delivery)
        if groups is not None and groups.main is not self.call and self.call in self._group_calls(groups):
            return None
        hand = self.warmup if isinstance(self.warmup, HandWarmup) else None
        warmup = self._warmup_texts(texts) if self.warmup is not None and hand is None else None
        if hand is not None:
            self._check_hand_warmup(hand, arguments)
        optimizer_arguments = self._optimizer_arguments(delivery)
        self._check_moves(delivery, [*self._moving(arguments),
                                     *([self.warmup.arguments["warmup_epoch"]] if warmup else []),
                                     *((hand.element, *hand.bounds) if hand is not None else ())])
        others = self._other_deliveries()
        group_lrs = (self._group_lrs(groups, texts, others, delivery.optimizer_call) if groups is not None
                     else {})
        if others and (self.warmup is not None or self.step_reads):
            raise Refused("MIG107", "the list feeds several optimizers and is "
                                   + ("read element by element" if self.step_reads else "summed with a warmup")
                                   + ": each optimizer would need its own scheduler, and the rule writes that only "
                                   "for a list given to the optimizers alone", others[0].optimizer_call)
        resume = self._resume(arguments) if self.resume_slice is not None else None
        if resume is not None:
            self._resumable(resume, delivery, others)
        if self.choice is not None:
            self._choice_alone(self.warmup, groups, others, resume)
        scheduler = self._scheduler_name(delivery, several=bool(others))
        cadence = self._cadence(delivery, arguments["step_per_epoch"] if hand is None else cst.Integer("1"), scheduler)
        lr_reads, read_notes = self._optimizer_lr_reads(delivery, cadence.anchor, groups is None and not others)
        rejected = self.pair.rejected(self, arguments)
        if rejected is not None:
            name, message = rejected
            raise Refused("MIG105", message, bind(self.call, self.pair.signature).values[name])

        place = self.choice.conditional if self.choice is not None else self._construction_place(delivery)
        package, package_import = package_reference(self.analysis, place, "torch")
        optimizer = self.analysis.code(delivery.optimizer_name)
        scheduler_arguments = f"{optimizer}, {self.pair.scheduler_arguments(texts)}"
        scheduler_call = f"{in_package(self.pair.scheduler, package)}({scheduler_arguments})"
        replacements: dict[cst.CSTNode, object] = {carrier: [] for carrier in delivery.carriers}
        replacements[delivery.optimizer_line] = []
        replacements.update(self._current_lr_reads(scheduler))
        replacements.update(lr_reads)

        step_every = texts["step_per_epoch"]
        agreement = self.pair.agreement(texts)
        run = self._run(cadence, delivery, arguments)
        skipped = product(atom(resume.epoch), step_every) if resume is not None else None
        resumed_run = run.steps if run is not None else None
        if resume is not None and run is not None:
            run = dataclasses.replace(run, steps=f"{skipped} + {atom(run.steps)}", resumed=(skipped, run.steps))
        destination_args = self.pair.destination(texts)
        math, math_import = package_reference(self.analysis, place, "math")
        if hand is not None:
            length = hand.length
            total = agrees_for = f"{atom(length)} + {atom(texts['total_step'])}"
            warmup_lambda, list_lambda = self._hand_lambdas(hand, texts, "math")
            source, destination = self._hand_schedules(hand, texts, warmup_lambda, list_lambda)
        elif warmup is None:
            total = texts["total_step"]
            source, destination, agrees_for = self._plain_schedules(texts, run)
        else:
            total = f"{atom(warmup['total_step'])} + {atom(texts['total_step'])}"
            source_model, destination_model = self.pair.warmup_models
            source = Schedule(source_model, {
                "learning_rate": warmup["learning_rate"], "warmup_total_step": warmup["total_step"],
                "warmup_step_per_epoch": warmup["step_per_epoch"], "warmup_epoch": warmup["warmup_epoch"], **texts})
            destination = Schedule(destination_model, {**destination_args, "warmup_epochs": warmup["warmup_epoch"]})
            agrees_for = total
        run_steps = total if run is None else run.steps
        self._check_late_reads(run.steps if run is not None else None, total)
        if self.blockers:
            raise Blocked
        defined = definitions(self.analysis, self.analysis.program.function_of(self.call))
        claim = Claim(source, destination, run_steps=run_steps, agrees_for=agrees_for, definitions=defined)
        if hand is not None:
            self._check_alone(texts, list_lambda, defined)
        held = self.warmup is None and self._held(claim, texts, agreement)
        if held and self.choice is not None:
            raise Refused("MIG101", f"{self.pair.hold_reason()}, and the run goes past it: the scheduler would be "
                                    "held there, which the rule writes for a list not chosen by a flag")
        notes = self._semantic_notes(delivery, optimizer_arguments, grouped=groups is not None) + [
            Note(note.node, note.code, self._citing_the_call(note.message, note.node)) for note in read_notes]
        if held:
            claim = Claim(source, Schedule(self.pair.held_model, dict(destination.args)),
                          run_steps=run_steps, agrees_for=agrees_for, definitions=defined)
            notes.append(Note(self.call, "MIG114", self.pair.held_note(texts, agreement, scheduler)))
        grouped = self._group_verdicts(groups, group_lrs, claim) if groups is not None else ""
        imports = [package_import]
        params = self._grouped_params(groups, group_lrs, replacements) if groups is not None else None
        if resume is None:
            torch_lr = (self._torch_lr(groups, texts, optimizer_arguments.get("learning_rate")) if groups is not None
                        else texts[self.pair.base_lr])
            new_optimizer = self._new_optimizer(delivery, optimizer_arguments, torch_lr, package, params)
            if hand is not None:
                imports.append(math_import)
                scheduler_lines = self._hand_chain_statements(scheduler, package, optimizer,
                                                              self._hand_lambdas(hand, texts, math), length)
            elif warmup is None:
                scheduler_lines = [cst.parse_statement(f"{scheduler} = {scheduler_call}\n")]
            else:
                scheduler_lines = self._chain_statements(scheduler, package, optimizer, scheduler_call,
                                                         warmup["warmup_epoch"])
        else:
            imports.append(math_import)
            start_lr = self.pair.resumed_lr(self, arguments, texts, resume.epoch, held, math)
            resumed = (self.pair.resumed_claim(texts, resume.epoch, skipped, start_lr, resumed_run, agrees_for)
                       if not held and math == "math" else None)
            if resumed is not None:
                claim = dataclasses.replace(resumed, definitions=defined)
            new_optimizer = self._new_optimizer(delivery, optimizer_arguments, start_lr, package, params)
            group = self.analysis.fresh_name("group")
            last_epoch = str(int(resume.epoch) - 1) if resume.epoch.isdigit() else f"{atom(resume.epoch)} - 1"
            scheduler_lines = [
                cst.parse_statement(f"for {group} in {optimizer}.param_groups:\n"
                                    f"    {group}[\"initial_lr\"] = {texts[self.pair.base_lr]}\n"),
                cst.parse_statement(f"{scheduler} = {in_package(self.pair.scheduler, package)}("
                                    f"{scheduler_arguments}, last_epoch={last_epoch})\n"),
            ]
            self.assumptions.append(f"the start epoch {resume.epoch} is not negative (a negative start would count "
                                    "from the list's end)")
        chosen = ""
        if self.choice is None:
            replacements[place] = [new_optimizer, *scheduler_lines]
        else:
            self._optimizer_moves(delivery, optimizer_arguments.get("learning_rate"), torch_lr)
            replacements[place] = [new_optimizer, place]
            own = next(line for line, value in self.choice.lines if value is self.call)
            self._put(own, scheduler_lines[0], replacements)
            chosen = self._branch_edits(texts, run, defined, package, optimizer, scheduler, replacements)
        home = self.program.function_of(self.list_node)
        replacements.update({line: [] for line in self.pair.spent(self)
                             if line not in replacements and self.program.function_of(line) is home})
        if resume is not None:
            replacements.update({line: [] for line in self._read_only_by_the_slice(resume)})
        if cadence.anchor is not None:
            replacements[cadence.anchor] = [cadence.anchor, self._step_statement(scheduler, held)]
        if cadence.handed is not None:
            self._handed_edits(cadence, scheduler, replacements)
        if run is None:
            self.assumptions.append(f"a run of at most {argument_text('total_step', total)} optimizer steps (the "
                                    "loops do not show it; past the list MindSpore raises, torch runs on)")
        changes = self._changes(dict(texts, total_step=total), agreement, run, held or self.warmup is not None)
        unsafe = []
        if cadence.by_hand is not None:
            by_hand = cadence.by_hand
            unsafe.append(Note(by_hand.node, by_hand.code, by_hand.message + (
                f", and only while {self.pair.hold_condition(scheduler)} ({self.pair.hold_reason()})" if held
                else "")))
        if run is None and cadence.anchor is not None:
            unsafe += self._helper_run_not_visible(cadence.anchor, delivery, total) or [
                Note(self.call, "MIG102", f"the loops around the optimizer step (line "
                                         f"{self.analysis.line(cadence.anchor)}) do not show how many steps the run "
                                         f"has, and it can exceed the list's {argument_text('total_step', total)} "
                                         f"entries: MindSpore raises at optimizer step {total} and the "
                                         "original program stops there, while torch's scheduler runs on")]
        once_applied = self._left_to_port(delivery)
        also = ""
        for other in others:
            other_scheduler, other_cadence, other_import = self._another_optimizer(
                other, arguments, texts, claim, held, replacements, notes)
            once_applied += self._left_to_port(other)
            imports.append(other_import)
            also += (f"; the list also feeds {self.analysis.code(other.optimizer_name)} (line "
                     f"{self.analysis.line(other.optimizer_line)}), which gets its own {other_scheduler} stepped "
                     f"{other_cadence.description}")
        assumptions = cadence.assumptions + [a for a in self.assumptions if a not in cadence.assumptions]
        converted = (f"the warmup list + {self.pair.function} → {CHAIN}([LambdaLR (the warmup's entries), LambdaLR "
                     f"({self.pair.function}'s formula per optimizer step)], milestones=[{length}])" if hand else
                     f"{self.pair.function} → {self.pair.scheduler}" if warmup is None else
                     f"warmup_lr + {self.pair.function} → {CHAIN}([LambdaLR (warmup_lr's ramp from 0), "
                     f"{self.pair.scheduler_name}], milestones=[{warmup['warmup_epoch']}])")
        message = (
            f"{converted} driving {delivery.mapping.target}"
            + (f" ({self.analysis.code(delivery.optimizer_name)})" if others else "")
            + f", stepped {cadence.description}{also}{grouped}{chosen}"
            + (self._resume_description(resume, last_epoch, skipped, resumed is not None) if resume is not None
               else "")
            + (f"; assumes {'; '.join(assumptions)}" if assumptions else "")
        )
        changes, *unsafe = (Note(note.node, note.code, self._citing_the_call(note.message, note.node))
                            for note in (changes, *unsafe))
        shadowed = self.analysis.shadowed_builtins(replacements)
        if shadowed:
            raise Refused("MIG105", f"the rewrite calls {', '.join(f'`{name}`' for name in shadowed)}, which this "
                                   "module binds itself, so the new code would not call Python's own")
        return Finding(
            Note(self.call, "MIG100", message),
            notes,
            fix=Fix(replacements, claim, changes, unsafe, add_imports=tuple(dict.fromkeys(imports)),
                    once_applied=once_applied),
        )

    def _another_optimizer(self, delivery: Delivery, arguments, texts: dict[str, str], claim: Claim, held: bool,
                           replacements: dict, notes: list[Note]) -> tuple[FreshName, Cadence, object]:
        """Another optimizer the same list feeds: the torch optimizer, its own scheduler, and its step()
        where its own optimizer steps show; it must use the list over the same run as the first (the same claim),
        and its step() must have a place (no MIG116)."""
        optimizer_arguments = self._optimizer_arguments(delivery)
        self._check_moves(delivery, self._moving(arguments))
        scheduler = self._scheduler_name(delivery, several=True)
        cadence = self._cadence(delivery, arguments["step_per_epoch"], scheduler)
        self._optimizer_lr_reads(delivery, cadence.anchor, alone=False)
        if self.blockers:
            raise Blocked
        name = self.analysis.code(delivery.optimizer_name)
        if cadence.anchor is None:
            raise Refused("MIG106", f"the list also feeds {name}, whose scheduler.step() has no proven place: "
                                   f"{cadence.by_hand.message}", delivery.optimizer_call)
        run = self._run(cadence, delivery, arguments)
        if (claim.run_steps if run is None else run.steps) != claim.run_steps:
            raise Refused("MIG107", f"the list feeds several optimizers that step for different runs ({name}: "
                                   f"{'not visible' if run is None else run.steps}, the first: {claim.run_steps}), "
                                   "so one verdict cannot cover their schedulers", delivery.optimizer_call)
        place = self._construction_place(delivery)
        package, package_import = package_reference(self.analysis, place, "torch")
        scheduler_line = cst.parse_statement(
            f"{scheduler} = {in_package(self.pair.scheduler, package)}({name}, "
            f"{self.pair.scheduler_arguments(texts)})\n")
        replacements[delivery.optimizer_line] = []
        replacements[place] = [self._new_optimizer(delivery, optimizer_arguments, texts[self.pair.base_lr], package),
                               scheduler_line]
        if cadence.handed is not None:
            raise Refused("MIG106", f"the list also feeds {name}, which steps in {cadence.handed[0].name.value}(): "
                                   "only one scheduler is handed to a helper", delivery.optimizer_call)
        existing = replacements.get(cadence.anchor)
        step = self._step_statement(scheduler, held)
        replacements[cadence.anchor] = [*existing, step] if isinstance(existing, list) else [cadence.anchor, step]
        notes.extend(self._semantic_notes(delivery, optimizer_arguments))
        return scheduler, cadence, package_import

    def _warmup_texts(self, texts: dict[str, str]) -> dict[str, str]:
        """The warmup list's arguments as text, once it is proven to be the first phase SequentialLR reproduces:
        warmup_epoch whole epochs of the list's step_per_epoch (``total_step = warmup_epoch * step_per_epoch``)
        rising to the list's base lr, and a list that ends within the agreement (SequentialLR's scheduler is not
        held). Otherwise MIG118 says which."""
        warmup = self.warmup
        if self.pair.warmup_models is None:
            raise Refused("MIG118", f"the list follows a warmup_lr list at line {self.analysis.line(warmup.call)}: "
                                   f"the rule has no SequentialLR(LambdaLR, {self.pair.scheduler_name}) for the sum",
                          warmup.call)
        found = {name: self.analysis.code(value) for name, value in warmup.arguments.items()}
        values = [self.value_of(warmup.arguments[name]) for name in WARMUP_SIGNATURE]
        if all(value is not None for value in values):
            try:
                check_warmup_lr(*values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects this warmup_lr call ({type(error).__name__}: {error})",
                              warmup.call) from None
        every, epochs = texts["step_per_epoch"], found["warmup_epoch"]
        whole = product(atom(epochs), atom(every))
        kind, base_lr, agreement = self.pair.kind, self.pair.base_lr, self.pair.agreement(texts)
        mismatch = (
            f"its step_per_epoch={found['step_per_epoch']} is not the {kind} list's {every}"
            if not self._equal(found["step_per_epoch"], every) else
            f"its total_step={found['total_step']} is not warmup_epoch * step_per_epoch = {whole}, so the {kind} "
            "does not start at an epoch boundary"
            if not self._equal(found["total_step"], whole) else
            f"it rises to learning_rate={found['learning_rate']}, not to the {kind}'s {base_lr}={texts[base_lr]}"
            if not self._equal(found["learning_rate"], texts[base_lr]) else
            f"the {kind} list's total_step={texts['total_step']} goes past {self.pair.agreement_text}, "
            f"where {self.pair.in_chain_past_agreement()}"
            if agreement is not None and not self._at_most(texts["total_step"], agreement) else None)
        for name in names_in(warmup.arguments["warmup_epoch"]):
            scope = self.analysis.scopes.get(name)
            if scope is not None and len(scope[name.value]) > 1:
                raise Refused("MIG105", f"`{name.value}` is assigned more than once, and the LambdaLR that replaces "
                                       "warmup_lr reads it at every scheduler step", name)
        why = self.analysis.attribute_changed(warmup.arguments["warmup_epoch"], self.analysis.start(warmup.call),
                                              (10**9, 0))
        if why is not None:
            raise Refused("MIG105", f"{why}, after the list is built, and the LambdaLR that replaces warmup_lr reads "
                                   "it at every scheduler step", warmup.call)
        if mismatch is not None:
            raise Refused("MIG118", f"the list follows a warmup_lr list at line {self.analysis.line(warmup.call)}, "
                                   f"and {mismatch}: no SequentialLR(LambdaLR, {self.pair.scheduler_name}) "
                                   "reproduces the sum", warmup.call)
        return found

    def _check_hand_warmup(self, hand: HandWarmup, arguments: dict[str, cst.BaseExpression]) -> None:
        """A warmup written out converts when the pair writes its list as a lambda of the optimizer step, and the
        lambdas' names hold: the LambdaLRs read the warmup's element and the list's arguments at every scheduler
        step, the lists only where they were built."""
        if self.pair.step_lambda({name: "1" for name in self.pair.signature}, "step", "math") is None:
            raise Refused("MIG118", f"the list follows a warmup list written out at line "
                                   f"{self.analysis.line(hand.comprehension)}: the rule has no per-step form of "
                                   f"{self.pair.function} for a SequentialLR after it", hand.comprehension)
        read = {"warmup": hand.element, **{f"warmup bound {index}": bound for index, bound in enumerate(hand.bounds)},
                **{name: value for name, value in arguments.items() if name not in ("total_step",)}}
        found = self.reassigned(read)
        if found is not None:
            raise Refused("MIG105", found[1], read[found[0]])

    def _check_alone(self, texts: dict[str, str], list_lambda: str, defined) -> None:
        """An empty warmup (``range(0)``) leaves the pair's LambdaLR alone: it must follow the pair's list over the
        list's whole length by itself (the chain's claim samples warmups of at least one step)."""
        alone = Claim(Schedule(self.pair.source_model, self.pair.source(texts)),
                      Schedule("torch.LambdaLR", {"base_lr": texts[self.pair.base_lr], "lr_lambda": list_lambda,
                                                  "step_every": "1"}),
                      run_steps=texts["total_step"], agrees_for=texts["total_step"], definitions=defined)
        verdict = verify.verify(alone, self.analysis.constants)
        if verdict.kind != verify.EQUIVALENT:
            raise Refused("MIG105", f"with an empty warmup the {self.pair.function} list's LambdaLR alone would not "
                                   f"keep its learning rates: {verdict.detail}")

    def _hand_lambdas(self, hand: HandWarmup, texts: dict[str, str], math: str) -> tuple[str, str]:
        """The warmup's element over the list's base lr as a lambda of its index (``lambda i: (i + 1) / W`` for
        ``lr * (i + 1) / W``), and the pair's list as a lambda of the optimizer step from the milestone."""
        base_lr = texts[self.pair.base_lr]
        read = {name.value for name in names_in(hand.element)} | {name for text in texts.values()
                                                                   for name in re.findall(r"\w+", text)}
        step = next(name for name in ("step", "list_step", "lambda_step") if name not in read)
        element = over(hand.element_text, base_lr)
        return f"lambda {hand.index}: {element}", self.pair.step_lambda(texts, step, math)

    def _hand_schedules(self, hand: HandWarmup, texts: dict[str, str], warmup_lambda: str,
                        list_lambda: str) -> tuple[Schedule, Schedule]:
        """The verifier's models: the written-out list (one element per step) then the pair's, against a
        SequentialLR of the two LambdaLRs stepped after every optimizer step."""
        length = hand.length
        element = f"lambda {hand.index}: {hand.element_text}"
        source = Schedule(f"mindspore.sum[mindspore.epoch_function_list,{self.pair.source_model}]", {
            "split": length, "0.learning_rate": "1.0", "0.lr_lambda": element, "0.step_per_epoch": "1",
            "0.total_step": length, **{f"1.{name}": text for name, text in self.pair.source(texts).items()}})
        destination = Schedule("torch.SequentialLR[torch.LambdaLR,torch.LambdaLR]", {
            "base_lr": texts[self.pair.base_lr], "milestones": f"[{length}]", "0.lr_lambda": warmup_lambda,
            "1.lr_lambda": list_lambda, "step_every": "1"})
        return source, destination

    def _plain_schedules(self, texts: dict[str, str], run: Run | None) -> tuple[Schedule, Schedule, str]:
        """The list and the pair's scheduler as the verifier's schedules, and how long they must agree: the whole
        list, or within the pair's agreement."""
        total, agreement = texts["total_step"], self.pair.agreement(texts)
        source = Schedule(self.pair.source_model, self.pair.source(texts))
        destination = Schedule(self.pair.destination_model, self.pair.destination(texts))
        return source, destination, (total if agreement is None else agreement if run is None else
                                     f"min({total}, {agreement})")

    def _equal(self, left: str, right: str) -> bool:
        """The same expression, or the same value for every sampled count."""
        return same_expression(left, right) or (self._at_most(left, right) and self._at_most(right, left))

    def _held(self, claim: Claim, texts: dict[str, str], agreement: str | None) -> bool:
        """Whether the scheduler must be held (the pair's ``hold_condition``): the run goes past the agreement,
        where the plain scheduler leaves the list. ``periodic = "clamp"`` keeps the plain scheduler (MIG101,
        unsafe); ``"refuse"`` keeps the site."""
        policy = self.analysis.policies.get("periodic", "exact")
        constants = self.analysis.constants
        if (self.pair.held_model is None or policy == "clamp"
                or verify.verify(claim, constants).kind != verify.DIVERGES):
            return False
        whole_list = Claim(claim.source, claim.target, run_steps=texts["total_step"], agrees_for=agreement,
                           definitions=claim.definitions)
        if verify.verify(whole_list, constants).kind != verify.DIVERGES:
            return False
        if policy == "refuse":
            raise Refused("MIG101", self.pair.hold_refused(texts, agreement))
        return True

    def _changes(self, texts: dict[str, str], agreement: str | None, run: Run | None, held: bool) -> Note:
        """The warning shown when the verifier finds the run's learning rates change: the run outlasting the list
        (MIG102) unless the visible run provably ends within it, else the list outlasting the agreement (MIG101).
        A ``held`` scheduler follows the list past the agreement, so the run outlasting the list is all that is
        left."""
        total = texts["total_step"]
        if agreement is None and (run is None or self._at_most(run.steps, total)):
            return Note(self.call, "MIG101", f"{self.pair.scheduler_name} parts from the list within its "
                                             f"total_step={total} entries")
        if run is None or self._at_most(run.steps, total):
            return Note(self.call, "MIG101",
                        f"the list has total_step={total} entries but the schedules agree only for "
                        f"{self.pair.agreement_text} = {agreement} optimizer steps: from then on "
                        f"{self.pair.diverging(texts)}")
        runs = "runs" if run.exact else "can run up to"
        through = f" (through {run.helper}, which steps the optimizer)" if run.helper is not None else ""
        if run.resumed is None:
            message = (f"the loop at line {self.analysis.line(run.loop)}{through} {runs} {run.steps} optimizer steps "
                       f"but the list has total_step={total} entries: MindSpore raises at optimizer step {total} "
                       "(counted from 0, the first past the end of the list) and the original program stops there, "
                       "while torch's scheduler runs on")
        else:
            skipped, own = run.resumed
            message = (f"the loop at line {self.analysis.line(run.loop)}{through} {runs} {own} optimizer steps on "
                       f"the list sliced at {skipped}, which leaves {total} - {atom(skipped)} of its "
                       f"total_step={total} entries: MindSpore raises at the run's optimizer step {total} - "
                       f"{atom(skipped)} (counted from 0, the first past the end of the slice) and the original "
                       "program stops there, while torch's scheduler runs on")
        if not held and agreement is not None and not self._at_most(total, agreement):
            message += (f"; before that, from optimizer step {agreement} = {self.pair.agreement_text}, "
                        f"{self.pair.diverging(texts)}")
        return Note(self.call if run.helper is not None else run.loop, "MIG102", message)

    def _at_most(self, left: str, right: str) -> bool:
        """True when ``left <= right`` for every value the verifier samples for the counts the texts leave
        unknown (the same expression always is)."""
        if same_expression(left, right):
            return True
        constants = self.analysis.constants
        defined = dict(definitions(self.analysis, self.analysis.program.function_of(self.call)))
        try:
            if defined:
                left, right = evaluate.substitute(left, defined), evaluate.substitute(right, defined)
            names = list(dict.fromkeys(evaluate.unknowns(left, constants) + evaluate.unknowns(right, constants)))
            return all(evaluate.evaluate(left, constants, values) <= evaluate.evaluate(right, constants, values)
                       for values in (dict(zip(names, point))
                                      for point in itertools.product(SAMPLES["count"], repeat=len(names))))
        except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
            return False

    def _arguments(self) -> dict[str, cst.BaseExpression]:
        signature = self.pair.signature
        bound = bind(self.call, signature)
        if bound.error:
            raise Refused("MIG105", f"cannot read the arguments of {self.pair.function}: {bound.error}")
        walrus = next(iter(matchers.findall(self.call, matchers.NamedExpr())), None)
        if isinstance(walrus, cst.NamedExpr):
            raise Refused("MIG105", f"`{self.analysis.code(walrus)}` binds `{self.analysis.code(walrus.target)}` "
                                   f"inside the {self.pair.function} call, which the rewrite replaces: bind it on a "
                                   "line of its own, then convert", walrus)
        missing = [name for name in signature if name not in bound.values and name not in self.pair.defaults]
        if missing:
            raise Refused("MIG105", f"{self.pair.function} without {', '.join(missing)}")
        defaults = self.pair.defaults
        arguments = {name: bound.values[name] if name in bound.values else cst.parse_expression(defaults[name])
                     for name in signature}
        values = {name: self.value_of(arguments[name]) for name in self.pair.checked}
        if all(value is not None for value in values.values()):
            try:
                self.pair.check(**values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects this call ({type(error).__name__}: {error}), so it has "
                                       "no schedule to convert") from None
        return {**arguments, **self.pair.derived(self, arguments)}

    def _in_caller_terms(self, arguments: dict[str, cst.BaseExpression]) -> dict[str, cst.BaseExpression]:
        """For ``return <list function>(...)``, the whole body's end of a helper called from one place
        (``lr = get_lr(0.1, epochs, steps)``), the arguments as the caller gives them: each parameter replaced by
        the caller's argument, whose names are the caller's own, and the list followed from that call. Otherwise
        the arguments as they are."""
        analysis, program = self.analysis, self.program
        parent = analysis.parents.get(self.call)
        function = program.function_of(self.call)
        if not isinstance(parent, cst.Return) or not isinstance(function, cst.FunctionDef):
            return arguments
        name = f"`{function.name.value}()`"
        calls = program.call_sites(function)
        line = analysis.statement(parent)
        if len(calls) != 1:
            raise Refused("MIG107", f"the list is returned from {name}, called from {len(calls) or 'no'} place"
                                   f"{'s' if len(calls) != 1 else ''} here: each call would need its own scheduler",
                          parent)
        if program.class_of(function) is not None:
            raise Refused("MIG107", f"the list is returned from {name}, a method: the rule follows a list returned "
                                   "by a module function, not by a method", parent)
        if function.body.body[-1] is not line or returns_early(function):
            raise Refused("MIG107", f"the list is returned from {name}, which can return something else first",
                          parent)
        effect = _effect_before(function, line)
        if effect is not None:
            raise Refused("MIG107", f"the list is returned from {name}, which also does "
                                   f"`{analysis.first_line(effect)}` (line {analysis.line(effect)}): the rewrite would "
                                   "drop its only call, and that with it", effect)
        call = calls[0]
        given = {}
        for argument in call.args:
            parameter = program.parameter_for(call, argument)
            if parameter is None or argument.star:
                raise Refused("MIG107", f"the list is returned from {name}, whose call at line {analysis.line(call)} "
                                       "passes an argument that cannot be matched to a parameter", call)
            given[parameter.value] = argument.value
        parameters = {parameter.name.value for parameter in (*function.params.params, *function.params.kwonly_params)}
        caller_scope = analysis.scopes.get(call)
        substituted = {}
        for key, value in arguments.items():
            for read in names_in(value):
                if read.value in given:
                    continue
                if read.value in parameters:
                    return_what = f"{name} leaves `{read.value}` to its default"
                elif (read.value in body_bindings(function)
                      or (caller_scope is not None and any(assignment.scope is caller_scope
                                                           for assignment in caller_scope[read.value]))):
                    return_what = f"`{read.value}` means something else in {name} and where it is called"
                else:
                    continue
                raise Refused("MIG107", f"the list is returned from {name} and {return_what}, so its arguments "
                                       f"cannot be written at the call, line {analysis.line(call)}", parent)
            substituted[key] = given[value.value] if isinstance(value, cst.Name) and value.value in given else (
                value.visit(_Parameters(given)))
        values = {name: self.value_of(substituted[name]) for name in self.pair.checked}
        if all(value is not None for value in values.values()):
            try:
                self.pair.check(**values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects the list {name} returns for the call at line "
                                       f"{analysis.line(call)} ({type(error).__name__}: {error})", call) from None
        self.list_node = call
        self.assumptions.append(f"{name} (line {analysis.line(function)}) is no longer called and can be removed")
        return substituted

    def value_of(self, node: cst.BaseExpression):
        """``node``'s value from literals and module constants, or None when it depends on anything else."""
        return self.analysis.value(self.analysis.code(node))

    def rejected_whatever_the_counts(self, arguments: dict[str, cst.BaseExpression],
                                     counts: tuple[str, ...]) -> tuple[str, str] | None:
        """What MindSpore rejects in these arguments (the pair's ``checked`` ones) whatever values the code leaves
        to ``counts``, which must be positive ints (an lr of 1 rather than 1.0), as ``ListPair.rejected`` reports
        it; None when it accepts them or an argument other than a count is unknown."""
        values = {name: self.value_of(arguments[name]) if name in arguments else None for name in self.pair.checked}
        unknown = {name: 1 for name in counts if values.get(name) is None}
        if any(value is None for name, value in values.items() if name not in unknown):
            return None
        try:
            self.pair.check(**{**values, **unknown})
        except (TypeError, ValueError) as error:
            name = next((name for name in self.pair.checked if f"'{name}'" in str(error) and name in arguments),
                        next(iter(arguments)))
            return name, (f"MindSpore rejects this call ({type(error).__name__}: {error}), so it has no schedule "
                          "to convert")
        return None

    def reassigned(self, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """The first of these arguments that reads a name assigned more than once, and why that blocks a
        ``LambdaLR`` (as ``ListPair.rejected`` reports it): the lambda reads the name at every scheduler step, not
        when the list was built."""
        for argument, expression in arguments.items():
            for name in names_in(expression):
                scope = self.analysis.scopes.get(name)
                if scope is not None and len(scope[name.value]) > 1:
                    return argument, (f"`{name.value}` is assigned more than once, and the LambdaLR that replaces "
                                      f"{self.pair.function} reads it at every scheduler step")
            why = self.analysis.attribute_changed(expression, self.analysis.start(self.call), (10**9, 0))
            resized = self.analysis.size_changed(expression, self.analysis.start(self.call), (10**9, 0))
            if why is None and resized is not None:
                why = (f"`{self.analysis.first_line(resized)}` at line {self.analysis.line(resized)} changes what it "
                       "reads")
            if why is not None:
                return argument, (f"{why}, after the list is built, and the LambdaLR that replaces "
                                  f"{self.pair.function} reads it at every scheduler step")
        return None

    def _moving(self, arguments: dict[str, cst.BaseExpression]) -> list[cst.BaseExpression]:
        """The arguments the torch optimizer and scheduler read at the optimizer's line: all but the counts."""
        return [value for name, value in arguments.items() if name not in COUNTS]

    def _check_moves(self, delivery: Delivery, expressions: list[cst.BaseExpression],
                     since: cst.CSTNode | None = None) -> None:
        """The list's arguments but the counts move to the optimizer's line: none of their names may change on the way
        (from the list, or from ``since`` when that is earlier)."""
        first = min([self.analysis.statement(node) for node in (self.list_node, since) if node is not None],
                    key=self.analysis.start)
        last = delivery.optimizer_line
        removed = set(delivery.carriers)
        for expression in expressions:
            for name in names_in(expression):
                scope = self.analysis.scopes.get(name)
                if scope is None:
                    continue
                for assignment in self.analysis.bindings(scope, name.value):
                    node = getattr(assignment, "node", None)
                    if node is None or node not in self.analysis.positions:
                        continue
                    if (self.analysis.start(first) <= self.analysis.start(node) <= self.analysis.end(last)
                            and self.analysis.statement(node) not in removed):
                        raise Refused("MIG105", f"`{name.value}` is assigned at line {self.analysis.line(node)}, "
                                               "between the list and the optimizer that will use it instead", node)
            why = self.analysis.attribute_changed(expression, self.analysis.end(first), self.analysis.end(last))
            resized = self.analysis.size_changed(expression, self.analysis.end(first), self.analysis.end(last))
            if why is None and resized is not None and self.analysis.statement(resized) not in removed:
                why = (f"`{self.analysis.first_line(resized)}` at line {self.analysis.line(resized)} changes what "
                       f"`{self.analysis.code(expression)}` reads")
            if why is not None:
                raise Refused("MIG105", f"{why}, between the list and the optimizer that will use it instead",
                              expression if expression in self.analysis.positions else None)


def _effect_before(function: cst.FunctionDef, end: cst.CSTNode) -> cst.CSTNode | None:
    """The first statement of ``function`` before ``end`` that does something besides binding local names: a call
    made for its effect (``print(...)``, ``cfg.update(...)``), an attribute or item assigned (``cfg.total = ...``),
    a ``global``/``nonlocal``, a ``del``. None when there is none."""
    for statement in function.body.body:
        if statement is end:
            break
        pending = [statement]
        while pending:
            node = pending.pop()
            if isinstance(node, (cst.Global, cst.Nonlocal, cst.Del)) or isinstance(node, cst.Expr) and not isinstance(
                    node.value, (cst.SimpleString, cst.ConcatenatedString)):
                return statement
            if isinstance(node, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)) and isinstance(
                    node.target, (cst.Attribute, cst.Subscript)):
                return statement
            if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                pending.extend(node.children)
    return None


class _Parameters(cst.CSTTransformer):
    """Parameters replaced by the caller's argument nodes (kept as they are, so their scopes still answer)."""

    def __init__(self, given: dict[str, cst.BaseExpression]):
        super().__init__()
        atomic = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)
        self.given = {name: value if isinstance(value, atomic) or value.lpar
                      else value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
                      for name, value in given.items()}

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        value = self.given.get(original.value.value) if isinstance(original.value, cst.Name) else None
        return updated.with_changes(value=value) if value is not None else updated

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        value = self.given.get(original.value)
        return value if value is not None else updated


