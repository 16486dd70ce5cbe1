"""A torch scheduler object → the MindSpore per-step list its optimizer takes, for any scheduler with a list form.

torch's scheduler is an object stepped by the user; MindSpore's schedule is a per-step list the optimizer takes at
construction. So a site is rewritten only when the code shows how often the scheduler steps (once per optimizer
step, or once per epoch after the batch loop), how many optimizer steps an epoch has and which optimizer it drives.
``SchedulerSite`` finds all of that in the program model and writes the rewrite (the list before the optimizer, the
MindSpore optimizer, the scheduler's uses); each rule subclasses it with what only its scheduler knows: its
signature, the list and the claim the verifier checks (the ``_values``/``_schedule`` hooks).
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import replace

import libcst as cst

from migrate import evaluate
from migrate.analysis import Analysis, atom, bind, plus_one, read_names
from migrate.bridge.optimizers import TORCH_DEFAULT_LR, Mapping as OptimizerMapping
from migrate.bridge.scheduler_branches import SchedulerBranches
from migrate.bridge.scheduler_cadence import SchedulerCadence
from migrate.bridge.scheduler_optimizer import SchedulerOptimizer
from migrate.bridge.scheduler_parts import (
    BUILDER,
    CHAIN,
    CONDITION,
    COUNT_ARGUMENTS,
    FLAG,
    GROUPS,
    LAZY_LAMBDA,
    OPTIMIZERS,
    SCHEDULER_MODULE,
    STAR_SOURCES,
    Cadence,
    Chain,
    ChainChoice,
    Elsewhere,
    LightningReturn,
    ScheduleValues,
    branches_replaced,
    same_expression,
    same_text,
)
from migrate.bridge.scheduler_uses import SchedulerUses
from migrate.bridge.torch_schedulers import SIBLINGS, Frame, Listed, written_whole
from migrate.edit import without, without_parameters
from migrate.imports import package_reference
from migrate.program import METHOD, NONE_TEST, Use
from migrate.program.builder import (
    Builder,
    builder_edits,
    builder_of,
    in_builder_terms,
    returning_builder_edits,
    returning_builder_of,
)
from migrate.program.model import Route
from migrate.program.values import definitions, float_arguments
from migrate.references import (
    GETATTR,
    STAR,
    VALUE,
    References,
    find_references,
    site_findings,
)
from migrate.rule import Blocked, Finding, Fix, ImportRef, Note, Refused, refusal
from migrate.verify import SAMPLES, Claim, Schedule

INDIRECT = {  # a scheduler reached other than by a call, as refusals name it
    VALUE: "the scheduler is used as a value, not called: the rule cannot see its arguments or its step() calls",
    GETATTR: "getattr(torch.optim.lr_scheduler, ...) cannot be followed; call the class directly so its arguments "
             "can be rewritten",
    STAR: "the scheduler comes from a star import of torch.optim.lr_scheduler that another star import (or a use "
          "other than a call) keeps from being resolved; import it by name so it can be rewritten",
}


def scheduler_findings(analysis: Analysis, site: type[SchedulerSite], indirect: dict[str, str],
                       references: References | None = None) -> Iterator[Finding]:
    """Each call of the site's scheduler (or each of ``references``'s calls), converted or refused; a use other than
    a call is reported with ``indirect``'s message (MIG108); a site that leaves the rewrite to another has none."""
    references = references or find_references(analysis, {site.SCHEDULER}, STAR_SOURCES)
    found = site_findings(references, lambda call: site(analysis, call).convert(), "MIG108", indirect)
    return (finding for finding in found if finding is not None)


class SchedulerSite(SchedulerBranches, SchedulerOptimizer, SchedulerCadence, SchedulerUses, ABC):
    """One scheduler call on its way to a Finding; a subclass says what its scheduler becomes (the hooks)."""

    SCHEDULER = ""
    NAME = ""
    SHORT_NAME = ""
    LIST_FUNCTION = ""
    SIGNATURE: tuple[str, ...] = ()
    REQUIRED: tuple[str, ...] = ("optimizer",)
    LIST_ARGUMENTS: tuple[str, ...] = ()
    """The scheduler's arguments the list reads, which must have their value where the list is built."""
    MULTIPLIES = False
    """Whether a ``ChainedScheduler`` of this scheduler and another (their factors multiplied) converts."""
    WARMUPS = frozenset({SCHEDULER_MODULE + "LinearLR"})
    WARMUP_KIND = "LinearLR"
    """The schedulers a ``SequentialLR`` may run before this one, and how refusals name them."""

    def __init__(self, analysis: Analysis, call: cst.Call):
        self.analysis = analysis
        self.call = call
        self.assumptions: list[str] = []
        self._loop_nodes: list[cst.BaseExpression] = []
        self._counted_at: list[tuple[cst.BaseExpression, cst.CSTNode]] = []
        """The counts of loops in a function the run calls, written in the caller's terms, with that call: what
        they read must hold from where the list is built to the call (``args.epochs = ...`` in between)."""
        self._run_loop: cst.CSTNode | None = None
        self._runner: cst.CSTNode | None = None
        self._reads: list[Use] = []
        self._passes: list[tuple[cst.Arg, cst.Name]] = []
        self._kept_attributes: list[tuple[cst.SimpleStatementLine, int | None]] = []
        self._read_owners: dict[int, str] = {}
        self._stale_reads: set[int] = set()
        self._saved: list[Use] = []
        self._optimizer_step_node: cst.CSTNode | None = None
        self._none_first: cst.SimpleStatementLine | None = None
        self._step_guards: dict[cst.CSTNode, cst.If] = {}
        self._builder: Builder | None = None
        self._group_lrs: list[tuple[int, cst.DictElement]] = []
        self._positive: list[str] = []
        self._chain: Chain | None = None
        self._chain_choice: ChainChoice | None = None
        self._branch_listed: dict[cst.SimpleStatementLine, Listed] = {}
        self._choice_verdicts: list[str] = []
        self._choice_split: str | None = None
        self._conditional: cst.If | None = None
        self._flag_guard: cst.If | None = None
        self._handed: Route | None = None
        self._handed_names: set[str] = set()
        self._branches: dict[cst.SimpleStatementLine, cst.BaseExpression] = {}
        self._branch_verdicts: list[str] = []
        self._groups: cst.BaseExpression | None = None
        self._group_count: int | None = 1
        self._resume: cst.BaseExpression | None = None
        self._optimizer_choice: list[tuple[cst.SimpleStatementLine, cst.Call, OptimizerMapping]] = []
        self._choice_lrs: dict[cst.SimpleStatementLine, cst.BaseExpression] = {}
        self._default_branch: cst.SimpleStatementLine | None = None
        self._lightning: LightningReturn | None = None
        self._epoch_start = False
        self._default_lr = TORCH_DEFAULT_LR
        self._early_exits: list[cst.CSTNode] = []
        self._optimizer_line: cst.SimpleStatementLine | None = None
        self._initial_lr: tuple[cst.For, cst.BaseExpression] | None = None
        self._loaded: list[cst.SimpleStatementLine] = []
        self._optimizer_loaded = False
        self._blockers: list[Note] = []

    def convert(self) -> Finding | None:
        """The site's finding; a refusal reports every blocker found and every behaviour change the site has that
        does not depend on what blocked it, each at its own line, so the user learns all of them at once."""
        try:
            return self._convert()
        except Elsewhere:
            return None
        except (Refused, Blocked) as refused:
            if isinstance(refused, Refused):
                self._blockers.append(Note(refused.node or self.call, refused.code, refused.message))
            cited = [Note(note.node, note.code, self._citing_the_call(note.message, note.node))
                     for note in [*self._blockers, *self._also()]]
            return refusal(cited[:len(self._blockers)], cited[len(self._blockers):], self.analysis.line)

    def _citing_the_call(self, message: str, node: cst.CSTNode) -> str:
        """``message``, reported at ``node``, with the line of the scheduler call it is about when it is reported
        on another line and does not say so."""
        line = self.analysis.line(self.call)
        if self.analysis.line(node) == line or f"line {line}" in message:
            return message
        return f"{message} (the {self.NAME} of line {line})"

    def _convert(self) -> Finding:
        arguments = self._arguments()
        statement, steps = self._scheduler()
        optimizer_line, optimizer_call, optimizer_name = self._optimizer(arguments, statement)
        mapping = OPTIMIZERS.get(next(iter(sorted(self.analysis.names_of(optimizer_call.func)
                                                  & OPTIMIZERS.keys())), ""))
        if mapping is not None:
            self._default_lr = mapping.default_lr
        optimizer_arguments = self._optimizer_arguments(optimizer_call, mapping)
        self._check_reads_no_optimizer(arguments, optimizer_name)
        self._check_param_groups(optimizer_call, mapping)
        if self._lightning is not None:
            cadence = self._lightning_cadence()
        else:
            cadence = self._cadence(statement, steps, optimizer_name)
            self._check_reads(steps[0], optimizer_line, mapping)
        if self._chain_choice is not None:
            self._split_at_the_warmup(cadence)
        if self._resume is not None:
            self._check_resume(optimizer_call)
        if self._optimizer_choice:
            self._check_optimizer_choice()
        values = self._values(arguments, optimizer_arguments, cadence)
        reads = [*((arguments.get(name), statement) for name in self.LIST_ARGUMENTS),
                 *((node, node) for node in self._loop_nodes), *self._counted_at]
        if self._chain is not None:
            reads += [(value, self._chain.warmup_line) for name, value in self._chain.warmup.items()
                      if name != "optimizer"]
            reads.append((self._chain.milestone, self._chain.line))
        if self._handed is not None:
            values, cadence = self._handed_values(values, cadence, optimizer_line, optimizer_arguments)
            reads = self._handed_reads()
        if mapping is None:
            reads.append((optimizer_arguments["lr"], optimizer_line))
        else:
            reads += [(argument.value, optimizer_line) for argument in optimizer_call.args]
        reads = [(node, at) for node, at in reads if node is not None]
        if self._conditional is not None or self._chain_choice is not None:
            place, after = statement, self._after_condition(statement, optimizer_line, optimizer_name, reads, mapping)
        elif self._optimizer_choice:
            place = self._choice_place(reads)
        elif self._returns_alone():
            place = self._returning_builder_place(optimizer_line)
        elif self._handed is not None:
            place = self._handed_place(optimizer_line, reads, mapping)
        else:
            place = self._place(statement, optimizer_line, optimizer_name, reads, moves=mapping is not None)
        if self._blockers:
            raise Blocked
        package, package_import = package_reference(self.analysis, place, "mindspore")
        list_name = self.analysis.fresh_name("lr_schedule")
        function, function_import = self._function_reference(package, package_import, mapping is None)
        own_list = self._member_list_name(list_name) if self._chain_choice is not None else list_name
        values, schedule = self._schedule(values, cadence, own_list, function)
        group_lists = {}
        for index, element in self._group_lrs:
            group_list = self.analysis.fresh_name(f"{list_name}_group{index}")
            group_lists[element] = group_list
            schedule += self._group_schedule(values, element.value, group_list, function)
        replacements: dict[cst.CSTNode, object] = {self._removed_with(step): [] for step in steps}
        replacements[statement] = []
        for kept, index in self._kept_attributes:
            replacements[kept] = self._without_attribute(kept, index)
        if self._initial_lr is not None:
            replacements[self._initial_lr[0]] = []
        if self._chain is not None:
            replacements[self._chain.warmup_line] = []
            replacements[self._chain.scheduler_line] = []
        owner = self.analysis.code(self.analysis.parents[optimizer_call].targets[0].target)
        if self._lightning is not None:
            replacements[self._lightning.value] = cst.Name(owner) if isinstance(
                self.analysis.parents[optimizer_call].targets[0].target, cst.Name) else cst.parse_expression(owner)
        for read in self._reads:
            replacements.update(self._read_replacement(read))
        self._pass_edits(replacements)
        for loaded in self._loaded:
            replacements[loaded] = []
        for saved in self._saved:
            element = self.analysis.parents[saved.call]
            container = self.analysis.parents[element]
            kept = [other for other in container.elements if other is not element]
            if kept and container.elements[-1] is element:
                kept[-1] = kept[-1].with_changes(comma=element.comma)
            replacements[container] = container.with_changes(elements=kept)
        imports, unsafe, notes = [function_import], [], []
        if self._resume is not None:
            imports.append(package_reference(self.analysis, place, "math")[1])
        if mapping is None:
            replacements[place] = [*schedule] + ([] if place is statement else [place])
            unsafe.append(Note(optimizer_call, "MIG103",
                               f"{self.analysis.code(optimizer_call.func)} has no mapping: build its MindSpore "
                               f"counterpart with learning_rate={list_name} (the list computed at line "
                               f"{self.analysis.line(place)})"))
            target = f"to pass to the counterpart of {self.analysis.code(optimizer_call.func)} (MIG103)"
        else:
            target_class = package + mapping.target.removeprefix("mindspore")
            new_optimizer = self._new_optimizer(optimizer_line, optimizer_call, mapping, list_name, target_class,
                                                group_lists)
            replacements[optimizer_line] = []
            if self._optimizer_choice and self._chain_choice is not None:
                replacements.pop(optimizer_line)
                replacements[statement] = schedule
                replacements.update(self._branch_lists(own_list, values, cadence, package, optimizer_arguments))
                replacements = self._choice_lists(replacements, list_name, own_list, values, cadence, package)
                top = self.analysis.chain_top(optimizer_line)
                built = {}
                for line, call, chosen in self._optimizer_choice:
                    built[line] = self._new_optimizer(line, call, chosen, list_name,
                                                      package + chosen.target.removeprefix("mindspore"), {})
                    if call is not optimizer_call:
                        notes.extend(self._semantic_notes(call, chosen, self._optimizer_arguments(call, chosen)))
                replacements[top] = []
                replacements[after] = [branches_replaced(top, built).with_changes(leading_lines=()), after]
            elif self._optimizer_choice:
                if not self._choice_lrs:
                    replacements[place] = [*schedule, place]
                for line, call, chosen in self._optimizer_choice:
                    own = ([] if not self._choice_lrs else schedule if call is optimizer_call
                           else self._group_schedule(values, self._choice_lrs[line], list_name, function))
                    replacements[line] = [*own, self._new_optimizer(
                        line, call, chosen, list_name, package + chosen.target.removeprefix("mindspore"), {})]
                    if call is not optimizer_call:
                        notes.extend(self._semantic_notes(call, chosen, self._optimizer_arguments(call, chosen)))
            elif self._returns_alone():
                returned = ([cst.SimpleStatementLine([cst.Return(schedule[0].body[0].value)])]
                            if len(schedule) == 1 else [*schedule, cst.parse_statement(f"return {list_name}\n")])
                edits = returning_builder_edits(self.analysis.program, self._builder, returned, list_name)
                replacements[optimizer_line] = [edits.pop("call"), new_optimizer]
                replacements.update(edits)
                if self._branches:
                    replacements.update(self._branch_lists(list_name, values, cadence, package, optimizer_arguments,
                                                           returned=True))
            elif self._chain_choice is not None:
                replacements[statement] = schedule
                replacements.update(self._branch_lists(own_list, values, cadence, package, optimizer_arguments))
                replacements = self._choice_lists(replacements, list_name, own_list, values, cadence, package)
                replacements[after] = [new_optimizer, after]
            elif self._conditional is not None:
                replacements[statement] = schedule
                for constant in [self._none_first] if self._none_first is not None else []:
                    replacements[constant] = self._constant_lr(constant, list_name, optimizer_arguments)
                if self._flag_guard is not None:
                    replacements[optimizer_line] = self._constant_lr(optimizer_line, list_name, optimizer_arguments)
                replacements.update(self._branch_lists(list_name, values, cadence, package, optimizer_arguments))
                replacements[after] = [new_optimizer, after]
            else:
                replacements[place] = [*schedule, new_optimizer] + ([] if place in (statement, optimizer_line)
                                                                   else [place])
            imports.append(package_import)
            notes.extend(self._semantic_notes(optimizer_call, mapping, optimizer_arguments))
            notes.extend(self._read_note(read) for read in self._reads)
            notes.extend(Note(loaded, "MIG113", "scheduler.load_state_dict() is dropped: MindSpore has no scheduler; "
                                                "the list is read at the optimizer's global_step, which restoring the "
                                                f"optimizer's checkpoint brings back (mindspore.load_param_into_net("
                                                f"{owner}, ...)), so a resumed run goes on where the checkpoint left "
                                                "off, as torch's scheduler did; the list is this run's, while torch "
                                                "also restores T_max, eta_min and the base lrs from the checkpoint, so "
                                                "resume with the arguments the checkpoint was saved with")
                         for loaded in self._loaded)
            notes.extend(Note(saved.call, "MIG113", f"scheduler.state_dict() is dropped from this dict: MindSpore has "
                                                   "no scheduler; the list is read at the optimizer's global_step, "
                                                   f"which mindspore.save_checkpoint({owner}, path) saves, so a "
                                                   "resume restores the optimizer, not a scheduler")
                         for saved in self._saved)
            target = (f"as learning_rate of {target_class}" if not self._optimizer_choice
                      else "as learning_rate of the optimizer the flag chooses")
        notes.extend(self._schedule_notes(values, own_list))
        if self._builder is not None and not self._returns_alone():
            replacements.update(builder_edits(self.analysis.program, self._builder))
        assumptions = list(dict.fromkeys(cadence.assumptions + self.assumptions))
        message = (
            f"{self._rewritten(function)} {target}, stepped "
            + ("once per epoch" if cadence.per_epoch else "once per optimizer step")
            + (self._otherwise(list_name) if self._none_first is not None or self._flag_guard is not None else "")
            + (self._chosen() if self._branches else "")
            + "".join(self._choice_verdicts)
            + (self._builder_gets() if self._builder is not None else "")
            + (self._handed_where(optimizer_line) if self._handed is not None else "")
            + (self._resumed() if self._resume is not None else "")
            + (f"; scheduler.step() runs at the start of each epoch (torch's order before 1.1), so epoch e trains "
               f"at the lr of scheduler epoch e + 1: {list_name} is read from its second epoch"
               if self._epoch_start else "")
            + (self._optimizers_chosen(list_name) if self._optimizer_choice else "")
            + "".join(f"; param group {index} gets its own list {group_lists[element]} (from its lr="
                      f"{self.analysis.code(element.value)})" for index, element in self._group_lrs)
            + (f"; assumes {'; '.join(assumptions)}" if assumptions else "")
            + "".join(f"; an epoch can end early at line {self.analysis.line(leaving)} (MIG106)"
                      for leaving in cadence.early_exits)
        )
        if self._lightning is not None:
            unsafe.append(self._lightning_note(owner, list_name))
        unsafe += [Note(leaving, "MIG106", f"{self._exit_text(leaving)} can end an epoch's batch loop early: "
                                           f"such an epoch has fewer optimizer steps than the list's step_per_epoch="
                                           f"{cadence.step_every}, and from there the list, read at the optimizer's "
                                           "step count, runs ahead of torch's per-epoch schedule")
                   for leaving in cadence.early_exits]
        shadowed = self.analysis.shadowed_builtins(replacements)
        if shadowed:
            raise Refused("MIG105", f"the rewrite calls {', '.join(f'`{name}`' for name in shadowed)}, which this "
                                   "module binds itself, so the new code would not call Python's own")
        fix = Fix(replacements, values.claim, self._changes(values, cadence, list_name), unsafe,
                  add_imports=tuple(dict.fromkeys(imports)),
                  once_applied=self._left_to_port(optimizer_call, owner) if mapping is not None else ())
        return Finding(Note(self.call, "MIG100", message), notes, fix=fix)

    def _removed_with(self, step: cst.CSTNode) -> cst.CSTNode:
        """The statement that goes with a step() the list replaces: the ``if`` that holds it alone, without an
        ``else`` (its guard, or the ``if phase == "train":`` that picks its phase), else the step itself."""
        if step in self._step_guards:
            return self._step_guards[step]
        alone = [selecting for selecting in self.analysis.phase_selections(step).values()
                 if selecting.orelse is None and list(selecting.body.body) == [step]]
        return alone[0] if alone else step

    def _check_reads_no_optimizer(self, arguments: dict, optimizer: cst.BaseExpression) -> None:
        """A list argument that reads the torch optimizer (``eta_min=optimizer.param_groups[0]["lr"] * 0.01``)
        cannot be computed: the MindSpore optimizer is built from the list, after it."""
        spelled = re.compile(r"(?<![\w.])" + re.escape(self.analysis.code(optimizer)) + r"(?![\w])")
        others = [*self._branches.values(), *(self._chain_choice.warmups.values() if self._chain_choice else ()),
                  *((self._chain.warmup_call,) if self._chain is not None else ())]
        read = [arguments.get(name) for name in self.LIST_ARGUMENTS] + [
            argument.value for call in others if isinstance(call, cst.Call) and call is not self.call
            for argument in call.args[1:]]
        for node in read:
            if node is not None and spelled.search(self.analysis.code(node)):
                raise Refused("MIG105", f"`{self.analysis.code(node)}` reads the torch optimizer, and the MindSpore "
                                       "optimizer is built from the list, after it: write the value itself (the lr "
                                       "the optimizer was given)", node)

    def _check_owner(self, chosen: list[cst.BaseExpression]) -> None:
        """A flag's choice among schedulers is rewritten by one site; raises Elsewhere when it is another's."""

    def _also(self) -> list[Note]:
        """Behaviour changes a refused site still reports, checked apart from what blocked it."""
        return []

    @abstractmethod
    def _values(self, arguments, optimizer_arguments, cadence: Cadence) -> ScheduleValues:
        """The list's values and claim from the scheduler's and the optimizer's arguments and the cadence."""

    @abstractmethod
    def _schedule(self, values: ScheduleValues, cadence: Cadence, list_name: str,
                  function: str) -> tuple[ScheduleValues, list[cst.SimpleStatementLine]]:
        """The statements that bind ``list_name``, with the values they were written from."""

    @abstractmethod
    def _group_schedule(self, values: ScheduleValues, lr: cst.BaseExpression, list_name: str,
                        function: str) -> list[cst.SimpleStatementLine]:
        """The statements of a param group's own list, the same schedule from the group's lr."""

    @abstractmethod
    def _changes(self, values: ScheduleValues, cadence: Cadence, list_name: str) -> Note:
        """What the verifier will find when the rewritten run's learning rates differ."""

    def _schedule_notes(self, values: ScheduleValues, list_name: str) -> list[Note]:
        """Notes the written schedule brings (a form chosen over the plain call, and why)."""
        return []

    def _rewritten(self, function: str) -> str:
        """What became what, as the rewrite's message opens."""
        return f"{self.NAME} → {function}(...)"

    def _resumed(self) -> str:
        """How a resume was converted, as the rewrite's message says it."""
        return ""

    def _function_reference(self, package: str, package_import: ImportRef, left_to_port: bool) -> tuple[str, ImportRef]:
        """The list function from-imported where the scheduler was called by its bare name and the optimizer is
        left to port; with a converted optimizer (``import mindspore`` anyway) the qualified name, written once
        rather than rewritten from the from-import over the whole module."""
        if (left_to_port and isinstance(self.call.func, cst.Name)
                and self.analysis.fresh_name(self.LIST_FUNCTION) == self.LIST_FUNCTION):
            return self.LIST_FUNCTION, ImportRef("mindspore.nn", self.LIST_FUNCTION)
        return f"{package}.nn.{self.LIST_FUNCTION}", package_import

    def _optimizer_lr(self) -> str | None:
        """The lr of the optimizer this scheduler drives as written (torch's default when left out); None when
        its construction is not found or has no mapping."""
        optimizer = bind(self.call, self.SIGNATURE).values.get("optimizer")
        call = self.analysis.program.origin(optimizer) if optimizer is not None else None
        names = self.analysis.names_of(call.func) & OPTIMIZERS.keys() if call is not None else set()
        if not names:
            return None
        mapping = OPTIMIZERS[min(names)]
        lr = bind(call, mapping.positional, mapping.keyword_only).values.get("lr")
        return self.analysis.code(lr) if lr is not None else mapping.default_lr

    def _lrs(self, optimizer_arguments: dict) -> tuple[str, str]:
        """The optimizer's lr as torch reads it and as MindSpore's float (torch's default when left out), in the
        builder's terms when a builder returns the list."""
        base_lr = optimizer_arguments.get("lr")
        torch_lr = self.analysis.code(base_lr) if base_lr is not None else self._default_lr
        max_lr = self._float(base_lr, "lr") if base_lr is not None else self._default_lr
        value = self._value(base_lr) if base_lr is not None else None
        if value is not None and not isinstance(value, bool) and value <= 0:
            raise Refused("MIG105", f"lr={torch_lr}: MindSpore's lr lists need an lr above 0 (torch also takes 0, "
                                   "and keeps it)", base_lr)
        if base_lr is not None and value is None:
            self.assumptions.append(f"lr={torch_lr} is above 0 (MindSpore's lr lists need one; torch also takes 0)")
        if self._returns_alone():
            return tuple(in_builder_terms(self.analysis.program, self._builder, text, "max_lr")
                         for text in (torch_lr, max_lr))
        return torch_lr, max_lr

    def _list_steps(self, run_steps: str | None) -> str | None:
        """How long the list must be for ``run_steps``: with the scheduler's state loaded from a checkpoint the run
        can resume mid-way, its loop from a start epoch (``range(start, E)``), while the optimizer's restored
        global_step reads the list from where the checkpoint left off, so the list covers the run from epoch 0. A
        chain's chosen main leaves out the warmup's steps."""
        warmup = f" - {atom(self._choice_split)}" if self._choice_split else ""
        if warmup and run_steps is not None and run_steps.endswith(warmup):
            return f"{self._whole_list_steps(run_steps.removesuffix(warmup))}{warmup}"
        return self._whole_list_steps(run_steps)

    def _whole_list_steps(self, run_steps: str | None) -> str | None:
        if not self._loaded or run_steps is None:
            return run_steps
        if not self._optimizer_loaded:
            raise Refused("MIG107", f"scheduler.load_state_dict() at line {self.analysis.line(self._loaded[0])} "
                                   "restores the schedule's epoch, but the optimizer's state is not loaded with it: "
                                   "MindSpore keeps that step in the optimizer's global_step, so a resumed list "
                                   "would start again at its first entry", self._loaded[0])
        tree = ast.parse(run_steps, mode="eval").body
        factor, read_after = "", ""
        if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Add) and self._reads:
            tree, read_after = tree.left, f" + {ast.unparse(tree.right)}"
        if isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult):
            tree, factor = tree.left, f" * {atom(ast.unparse(tree.right))}"
        if not (isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Sub)):
            raise Refused("MIG107", f"scheduler.load_state_dict() at line {self.analysis.line(self._loaded[0])} "
                                   f"resumes the schedule, but the run ({run_steps} optimizer steps) does not show "
                                   "where a resumed run starts (a `range(start_epoch, epochs)` loop), so the list "
                                   "cannot be sized for it", self._loaded[0])
        self.assumptions.append("a resumed run restores the optimizer's global_step with its checkpoint, as torch "
                                "restored the scheduler's, and the checkpoint comes from a run with the same "
                                "schedule arguments (torch's load_state_dict also restores T_max, eta_min and the "
                                "base lrs; the list is built from the resumed run's)")
        start = ast.unparse(tree.right)
        self._loop_nodes = [node.args[1].value if isinstance(node, cst.Call) and len(node.args) == 2
                            and self.analysis.names_of(node.func) & {"builtins.range"}
                            and same_expression(self.analysis.code(node.args[0].value), start) else node
                            for node in self._loop_nodes]
        return f"{atom(ast.unparse(tree.left))}{factor}{read_after}"

    def _run_steps(self, cadence: Cadence) -> str | None:
        """The run's optimizer steps, one scheduler period more when the lr is read (a read after the last
        epoch's step reads the list there); None when the run is not visible."""
        run_steps = cadence.run_steps
        if (run_steps is not None and not self._positive_run(run_steps)
                and not any("at least once" in assumption for assumption in cadence.assumptions)):
            self.assumptions.append(f"the run has at least one optimizer step ({run_steps} > 0; MindSpore rejects a "
                                    "list of no step)")
        if self._reads and run_steps is not None and not self._epoch_start:
            run_steps = f"{run_steps} + {atom(cadence.step_every)}"
        return f"{run_steps} - {atom(self._choice_split)}" if self._choice_split and run_steps else run_steps

    def _positive_run(self, run_steps: str) -> bool:
        """Whether the run is a product of factors already known or said to be above 0: constants, ``len(...)``
        (assumed at least 1 where the loop is counted), counts the rule states."""
        pending, stated = [ast.parse(run_steps, mode="eval").body], set(map(same_text, self._positive))
        while pending:
            node = pending.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
                pending += [node.left, node.right]
                continue
            value = self.analysis.value(ast.unparse(node))
            if not (isinstance(node, ast.Call) and ast.unparse(node.func) == "len" or same_text(ast.unparse(node))
                    in stated or isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0):
                return False
        return True

    def _claim(self, source: Schedule, target: Schedule, run_steps: str | None, agrees_for: str | None = None,
               positive: tuple[str, ...] = ()) -> Claim:
        """The claim of this site's rewrite, with what the program states and defines where the scheduler is."""
        return Claim(source, target, run_steps=run_steps, agrees_for=agrees_for,
                     positive=(*self._positive, *positive), stated=self.analysis.program.stated,
                     definitions=definitions(self.analysis, self.analysis.program.function_of(self.call)))

    def _scheduler_list(self, name: str, arguments: dict, frame: Frame, node: cst.CSTNode | None = None,
                        where: str | None = None) -> Listed:
        """A scheduler of ``SIBLINGS`` with these bound arguments as its list over the frame's run; refusals name
        it by ``where`` (a branch and its line) or by its name."""
        sibling = SIBLINGS[name]
        where = where or name.removeprefix(SCHEDULER_MODULE)
        self._lambda_reads_hold(arguments)
        milestones = arguments.get("milestones")
        for element in milestones.elements if isinstance(milestones, (cst.List, cst.Tuple)) else ():
            text = self.analysis.code(element.value)
            if written_whole(text) and not written_whole(text, self._fractional):
                raise Refused("MIG105", f"{where}: the milestone {text} reads an argument the command line may give "
                                       "as a fraction (argparse type=float), at which torch never decays; declare it "
                                       "type=int, or write int(...)", element.value)
        for count in ("step_size", "total_iters"):
            if count in arguments and not written_whole(self.analysis.code(arguments[count]), self._fractional):
                raise Refused("MIG105", f"{where}: {count}="
                                       f"{self.analysis.code(arguments[count])} may not be a whole number of epochs "
                                       "(a float or a division), which torch takes and a list of epochs does not: "
                                       "the rule converts a whole count (int(...), //)", arguments[count])
        texts = {**sibling.defaults, **{key: self.analysis.code(value) for key, value in arguments.items()
                                        if key != "optimizer"}}
        try:
            listed = sibling.listed(texts, frame)
        except (ValueError, SyntaxError) as error:
            raise Refused("MIG105", f"{where}: {error}", node) from None
        self._assume_positive(listed.positive)
        return listed

    @functools.cached_property
    def _fractional(self) -> frozenset[str]:
        """The names and attributes a run may give a fraction: an argparse default that is one, or an argument
        declared ``type=float`` (``--warmup-epochs 1.5``)."""
        return frozenset(name for name, value in self.analysis.program.stated
                         if isinstance(value, float) and not value.is_integer()) | float_arguments(self.analysis)

    def _lambda_reads_hold(self, arguments: dict) -> None:
        """A LambdaLR's lambda reads its free names and attributes at every scheduler step, the list once, where it
        is built: none of them may be assigned after the scheduler (in the training loop, or for a shorter run)."""
        function = arguments.get("lr_lambda")
        if not isinstance(function, cst.Lambda):
            return
        analysis = self.analysis
        built = analysis.end(analysis.statement(function))
        own = {parameter.name.value for parameter in function.params.params}
        for name in read_names(function.body):
            scope = analysis.scopes.get(name)
            if name.value in own or scope is None:
                continue
            later = sorted((assignment.node for assignment in scope[name.value]
                            if getattr(assignment, "node", None) in analysis.positions
                            and analysis.start(assignment.node) >= built), key=analysis.start)
            if later:
                raise Refused("MIG105", f"`{name.value}` is assigned at line {analysis.line(later[0])}, after the "
                                       f"LambdaLR is built: {LAZY_LAMBDA}", later[0])
        why = analysis.attribute_changed(function.body, built, (10**9, 0))
        if why is not None:
            raise Refused("MIG105", f"{why}, after the LambdaLR is built: {LAZY_LAMBDA}", function)
        home = analysis.program.function_of(function)
        for attribute in analysis.self_attributes_read(function.body):
            stores = [target for target in analysis.attribute_targets(f"self.{attribute}")
                      if analysis.program.function_of(target) is not home or analysis.start(target) >= built]
            if stores or analysis.attribute_set_from_outside(attribute):
                where = f" at line {analysis.line(stores[0])}" if stores else " from outside its class"
                raise Refused("MIG105", f"`self.{attribute}` is assigned{where}, apart from where the LambdaLR is "
                                       f"built: {LAZY_LAMBDA}", stores[0] if stores else function)

    def _assume_positive(self, counts: tuple[str, ...]) -> None:
        """Say that each count a list is written for (``total_iters``, a milestone) is taken above 0 where the code
        does not fix it: torch accepts 0 (``total_iters=0`` keeps one factor throughout, a milestone at 0 or below
        is never reached), which the list does not follow. The verifier keeps them positive (``Listed.positive``)."""
        for text in counts:
            value = self.analysis.value(text)
            assumption = f"{text} > 0 (torch also takes 0 or less, where it behaves otherwise)"
            if (value is None or value <= 0) and assumption not in self.assumptions:
                self.assumptions.append(assumption)

    def _require_below(self, low: str, high: str, refusal: str, assumption: str,
                       node: cst.CSTNode | None = None) -> None:
        """``low < high`` where MindSpore requires it: refused (MIG105, at ``node``) with ``refusal`` completed by
        when it fails; when it cannot be decided, assumed (said in the message) and kept positive in the verifier's
        samples."""
        when = self._not_below(low, high)
        if when is not None:
            raise Refused("MIG105", refusal.format(when=when), node)
        if low not in ("0", "0.0") and None in (self.analysis.value(low), self.analysis.value(high)):
            self.assumptions.append(assumption)
            self._positive.append(f"{atom(high)} - {atom(low)}")

    def _not_below(self, low: str, high: str) -> str | None:
        """Why ``low < high`` fails, as a clause for a refusal ("" when both are known, " (with lr=...)" for a
        sample), or None when it holds. Unknowns both share (``eta_min=args.lr``) are tried with the verifier's
        samples, since the verifier would give both sides the same value and contradict the rewrite."""
        known_low, known_high = self.analysis.value(low), self.analysis.value(high)
        if known_low is not None and known_high is not None:
            return "" if known_low >= known_high else None
        if same_expression(low, high):
            return " (the same expression)"
        for sample in self._shared_samples(low, high):
            try:
                below = evaluate.evaluate(low, self.analysis.constants, sample)
                above = evaluate.evaluate(high, self.analysis.constants, sample)
            except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
                continue
            if below >= above:
                return " (with " + ", ".join(f"{name}={value}" for name, value in sample.items()) + ")"
        return None

    def _shared_samples(self, low: str, high: str) -> list[dict]:
        """The verifier's samples of the unknowns ``low`` and ``high`` share (none when they share none)."""
        try:
            below, above = (evaluate.unknowns(text, self.analysis.constants) for text in (low, high))
        except evaluate.NotEvaluable:
            return []
        if not set(below) & set(above):
            return []
        counts = set()
        for name, value in self._arguments().items():
            if name in COUNT_ARGUMENTS:
                try:
                    counts.update(evaluate.unknowns(self.analysis.code(value), self.analysis.constants))
                except evaluate.NotEvaluable:
                    continue
        domains = {name: SAMPLES["count" if name in counts else "lr"] for name in above}
        domains.update((name, SAMPLES["count" if name in counts else "min_lr"]) for name in below
                       if name not in domains)
        return [dict(zip(domains, point)) for point in itertools.product(*domains.values())]

    def _arguments(self) -> dict[str, cst.BaseExpression]:
        bound = bind(self.call, self.SIGNATURE)
        if bound.error:
            raise Refused("MIG105", f"cannot read the arguments of {self.NAME}: {bound.error}")
        for required in self.REQUIRED:
            if required not in bound.values:
                raise Refused("MIG105", f"{self.NAME} without {required}")
        last_epoch = bound.values.get("last_epoch")
        if (last_epoch is not None and self.analysis.code(last_epoch).replace(" ", "") != "-1"
                and not self._fresh_by_default(last_epoch)):
            self._resume = last_epoch
        return bound.values

    def _fresh_by_default(self, last_epoch: cst.BaseExpression) -> bool:
        """``last_epoch=last_epoch`` in a builder whose parameter defaults to -1 and that no call gives one (the
        shape of transformers' ``get_*_schedule_with_warmup``): always a fresh schedule."""
        program = self.analysis.program
        function = program.function_of(self.call)
        if not isinstance(last_epoch, cst.Name) or not isinstance(function, cst.FunctionDef):
            return False
        parameter = next((param for param in (*function.params.params, *function.params.kwonly_params)
                          if param.name.value == last_epoch.value), None)
        calls = program.call_sites(function)
        scope = self.analysis.scopes.get(last_epoch)
        return (parameter is not None and parameter.default is not None
                and self.analysis.code(parameter.default).replace(" ", "") == "-1"
                and scope is not None and len(scope[last_epoch.value]) == 1 and bool(calls)
                and not any(argument.star for call in calls for argument in call.args)
                and all(program.parameter_for(call, argument) is not parameter.name
                        for call in calls for argument in call.args))

    def _resume_epoch(self) -> str:
        """The epoch the resumed scheduler stands at once built: ``last_epoch + 1`` (``start_epoch`` for the usual
        ``last_epoch=start_epoch - 1``)."""
        node = self._resume
        if (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Subtract)
                and isinstance(node.right, cst.Integer) and node.right.value == "1"):
            return self.analysis.code(node.left)
        return plus_one(self.analysis.code(node))

    def _check_resume(self, optimizer_call: cst.Call) -> None:
        """A resume converts when the program sets each group's ``initial_lr`` by hand, so that the lr the
        scheduler resumes from is the optimizer's own (what torch needs, SEMANTICS 5); an optimizer state loaded
        from a checkpoint brings an lr the code does not show."""
        text = self.analysis.code(self._resume)
        other = self._also_has(CHAIN, FLAG, CONDITION, BUILDER, GROUPS)
        if other:
            raise Refused("MIG105", f"last_epoch={text} resumes {other}; only a plain scheduler's resume "
                                   "converts (to the list sliced at the resume step)", self._resume)
        for use in self.analysis.program.follow(optimizer_call).uses:
            if use.kind == METHOD and use.detail == "load_state_dict":
                raise Refused("MIG105", f"last_epoch={text} resumes from the optimizer state loaded at line "
                                       f"{self.analysis.line(use.call)}: the lr torch goes on from is the "
                                       "checkpoint's, which the code does not show (MindSpore resumes by restoring "
                                       "the optimizer's global_step with its checkpoint instead)", self._resume)
        if self._initial_lr is None:
            raise Refused("MIG105", f"last_epoch={text} resumes a schedule, but no param group's initial_lr is set "
                                   "before it: torch raises KeyError here whenever last_epoch is not -1; set "
                                   "`group[\"initial_lr\"]` for each group (or load the optimizer's state), then "
                                   "convert", self._resume)

    def _scheduler(self) -> tuple[cst.SimpleStatementLine, list[cst.SimpleStatementLine]]:
        """The line that binds the scheduler (``x = ...`` or ``self.x = ...``) and its ``step()`` statements: the
        only uses a list can stand in for."""
        parent = self.analysis.parents.get(self.call)
        target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
        line = self.analysis.parents.get(parent) if target is not None else None
        tracked = self.analysis.program.follow(self.call)
        if isinstance(parent, cst.Return) and parent.value is self.call and len(tracked.bindings) == 1:
            self._builder = returning_builder_of(self.analysis.program, parent, tracked.bindings[0].statement,
                                                 bind(self.call, self.SIGNATURE).values.get("optimizer"))
            if self._builder is not None:
                line = self.analysis.statement(parent)
                target = self._builder.call_line.body[0].targets[0].target
                if len(self._builder.returns) > 1:
                    self._branches = self._returned_branches()
        self._chain = self._warmup_chain(tracked, line)
        if self._chain_choice is not None:
            choice = self._chain_choice
            mains = replace(tracked, bindings=[binding for binding in tracked.bindings
                                               if binding.statement is not choice.alone],
                            competitors=[(statement, value) for statement, value in tracked.competitors
                                         if statement is not choice.line])
            if mains.competitors:
                self._branches = self._flag_branches(mains, line, self._unfollowed(target, mains))
            tracked = replace(self.analysis.program.follow(choice.call), competitors=[])
        if self._chain is not None:
            line, tracked = self._chain.line, self.analysis.program.follow(self._chain.call)
            parent = line.body[0]
            target = (self._builder.call_line.body[0].targets[0].target if self._returns_alone()
                      else parent.targets[0].target)
        if isinstance(line, cst.SimpleStatementLine) and len(tracked.bindings) == 1:
            self._none_first = self._none_binding(tracked, line)
        if (isinstance(line, cst.SimpleStatementLine) and len(tracked.bindings) == 2 and not tracked.competitors
                and tracked.bindings[0].statement is line):
            self._builder = builder_of(self.analysis.program, line, tracked.bindings[1].statement)
        if self._none_first is not None:
            self._conditional = self._condition_of(line)
        elif tracked.competitors and isinstance(line, cst.SimpleStatementLine) and len(tracked.bindings) == 1:
            self._branches = self._flag_branches(tracked, line, self._unfollowed(target, tracked))
        self._kept_attributes = self._attributes_of_handed(tracked)
        if (not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1
                or (tracked.competitors and self._conditional is None)
                or len(tracked.bindings) != 1 + (self._builder is not None and self._builder.index is not None)
                + len(self._kept_attributes)):
            raise Refused("MIG107", self._unfollowed(target, tracked) + self._returned_after_branches(tracked))
        steps, none_tests = [], []
        for use in tracked.uses:
            if use.kind == NONE_TEST and (self._none_first is not None or not tracked.competitors or any(
                    isinstance(value, cst.Name) for value in self._branches.values())):
                none_tests.append(use)
                continue
            if use.detail in ("get_last_lr", "get_lr") and not use.call.args:
                self._reads.append(use)
                continue
            if use.detail == "state_dict" and not use.call.args and self._saved_in_dict(use):
                self._saved.append(use)
                continue
            if use.detail == "load_state_dict" and (loaded := self._method_call_statement(use)) is not None:
                self._loaded.append(loaded)
                continue
            if self._lightning is None and (lightning := self._lightning_return(use)) is not None:
                self._lightning = lightning
                continue
            statement = self._method_call_statement(use) if use.detail == "step" else None
            if statement is None:
                used = self.analysis.first_line(self.analysis.statement(use.node))
                self._blockers.append(Note(use.node, "MIG107", f"the scheduler is used at line "
                                           f"{self.analysis.line(use.node)} (`{used}`); a {self.LIST_FUNCTION} list "
                                           "has no such use"))
                continue
            if use.call.args and not self._epoch_argument_counts_steps(use.call, statement):
                raise Refused("MIG106", f"scheduler.step({self.analysis.code(use.call.args[0].value)}) at line "
                                       f"{self.analysis.line(use.call)} jumps to an epoch (closed form); the list "
                                       "follows it only where that epoch is the count of its calls (step(epoch + 1) "
                                       "once at the end of `for epoch in range(E)`, no `continue`)")
            steps.append(statement)
        if steps and self._lightning is not None:
            raise Refused("MIG106", f"the scheduler is stepped at line {self.analysis.line(steps[0])} and also "
                                   "returned to Lightning, which steps it too", steps[0])
        if not steps and self._lightning is None:
            if self._blockers:
                raise Blocked
            raise Refused("MIG106", "the scheduler's step() is never called here, so its cadence is not visible"
                          + self._through_a_global())
        for use in none_tests:
            self._guard_step(use, steps)
        if len(steps) > 1:
            lines = ", ".join(str(self.analysis.line(step)) for step in steps)
            raise Refused("MIG106", f"scheduler.step() is called at lines {lines}; only one call site can be "
                                   "mapped to a list")
        if self._conditional is None and not tracked.competitors and steps:
            self._guarded_by_its_flag(line, steps[0])
        self._passes = self._handed_to_helpers(tracked)
        return line, steps

    def _epoch_argument_counts_steps(self, call: cst.Call, statement) -> bool:
        """``scheduler.step(epoch + 1)`` right in ``for epoch in range(E)`` (``step(epoch)`` in ``range(1, E + 1)``)
        that nothing skips: the epoch it jumps to is the count of its calls, so torch's closed form gives the lr
        ``step()`` would. A ``continue`` anywhere in the loop would skip a call but not the count."""
        loops = self.analysis.loops(statement)
        argument = call.args[0] if len(call.args) == 1 else None
        if argument is None or argument.keyword or argument.star or not loops:
            return False
        loop = loops[-1]
        if not (isinstance(loop, cst.For) and isinstance(loop.target, cst.Name) and isinstance(loop.iter, cst.Call)
                and self.analysis.names_of(loop.iter.func) & {"builtins.range"} and 1 <= len(loop.iter.args) <= 2
                and not any(given.keyword or given.star for given in loop.iter.args)):
            return False
        if any(isinstance(leaving, cst.Continue) for leaving in self.analysis.loop_exits(loop, loop)):
            return False
        start = self._literal_start(loop.iter.args[0].value) if len(loop.iter.args) == 2 else "0"
        wanted = {"0": f"{loop.target.value} + 1", "1": loop.target.value}.get(start)
        if wanted is None or "".join(self.analysis.code(argument.value).split()) != wanted.replace(" ", ""):
            return False
        self.assumptions.append(f"scheduler.step({wanted}) jumps to the count of its calls, one per epoch (torch's "
                                "closed form, the lr step() gives)")
        return True

    def _literal_start(self, start: cst.BaseExpression) -> str:
        """The loop's start as written, or the integer a name bound once to one holds (``start_epoch = 0``)."""
        assignment = self.analysis.single_assignment(start) if isinstance(start, cst.Name) else None
        found = self.analysis.assigned_value(assignment) if assignment is not None else None
        if found is not None and isinstance(found[1], cst.Integer):
            return found[1].value
        return self.analysis.code(start).strip()

    def _handed_to_helpers(self, tracked) -> list[tuple[cst.Arg, cst.Name]]:
        """The arguments that hand the scheduler to a helper (``train_one_epoch(..., scheduler)``): with the
        scheduler gone they go too, with the helper's parameter, so the helper must have that one call."""
        program = self.analysis.program
        for argument, _ in tracked.passes:
            call = self.analysis.parents[argument]
            function = program.callee(call)
            if program.call_sites(function) != [call]:
                raise Refused("MIG107", f"the scheduler is passed to {self.analysis.code(call.func)}() at line "
                                       f"{self.analysis.line(call)}, which is called from several places: its "
                                       "scheduler parameter cannot be dropped for this call alone", call)
        return tracked.passes

    def _attributes_of_handed(self, tracked) -> list[tuple[cst.SimpleStatementLine, int | None]]:
        """``self.lr_scheduler = lr_scheduler`` (or its place in ``self.a, self.b = a, b``) in the ``__init__`` the
        scheduler is handed to (``Trainer(..., lr_scheduler=scheduler)``): the class keeps it to step it in its
        methods; it goes with the parameter. Each line, with the place in its tuple (None: the whole line)."""
        handed = [name for _, name in tracked.passes]
        program = self.analysis.program
        found = []
        for binding in tracked.bindings:
            line = binding.statement
            assign = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
            if not (isinstance(binding.target, cst.Attribute) and isinstance(assign, cst.Assign)
                    and len(assign.targets) == 1):
                continue
            index = None
            value = assign.value
            if isinstance(assign.targets[0].target, (cst.Tuple, cst.List)):
                targets = [element.value for element in assign.targets[0].target.elements]
                if not isinstance(value, (cst.Tuple, cst.List)) or len(value.elements) != len(targets):
                    continue
                index = targets.index(binding.target)
                value = value.elements[index].value
            if isinstance(value, cst.Name) and any(program.function_of(name) is program.function_of(line)
                                                   and name.value == value.value for name in handed):
                found.append((line, index))
        return found

    def _without_attribute(self, line: cst.SimpleStatementLine, index: int | None) -> list:
        """The line that kept the scheduler in an attribute, without it."""
        if index is None:
            return []
        assign = line.body[0]
        targets = without(assign.targets[0].target.elements, {assign.targets[0].target.elements[index]})
        values = without(assign.value.elements, {assign.value.elements[index]})
        if len(targets) == 1:
            return [line.with_changes(body=[assign.with_changes(
                targets=[assign.targets[0].with_changes(target=targets[0].value)], value=values[0].value)])]
        return [line.with_changes(body=[assign.with_changes(
            targets=[assign.targets[0].with_changes(target=assign.targets[0].target.with_changes(elements=targets))],
            value=assign.value.with_changes(elements=values))])]

    def _pass_edits(self, replacements: dict) -> None:
        """Drops the arguments that handed the scheduler to helpers, and the parameters that received them."""
        calls: dict[cst.Call, set] = {}
        parameters: dict[cst.Parameters, set] = {}
        for argument, name in self._passes:
            calls.setdefault(self.analysis.parents[argument], set()).add(argument)
            declared = self.analysis.parents[name]
            parameters.setdefault(self.analysis.parents[declared], set()).add(declared)
        for call, dropped in calls.items():
            inside = [node for node in replacements if self.analysis.start(call) <= self.analysis.start(node)
                      and self.analysis.end(node) <= self.analysis.end(call)]
            if inside:
                raise Refused("MIG107", f"the call at line {self.analysis.line(call)} hands the scheduler to a helper "
                                       "and is rewritten itself", call)
            replacements[call] = call.with_changes(args=without(call.args, dropped))
        for declared, dropped in parameters.items():
            replacements[declared] = without_parameters(declared, dropped)

    def _through_a_global(self) -> str:
        """Where the scheduler is bound to a module global (``global scheduler``), that its uses in other functions
        are not followed: the reason step() looks never called."""
        function = self.analysis.program.function_of(self.call)
        assign = self.analysis.parents.get(self.call)
        if not (isinstance(function, cst.FunctionDef) and isinstance(assign, cst.Assign) and len(assign.targets) == 1
                and isinstance(assign.targets[0].target, cst.Name)):
            return ""
        name = assign.targets[0].target.value
        if not any(isinstance(node, cst.Global) and any(item.name.value == name for item in node.names)
                   and function in self.analysis.ancestors(node) for node in self.analysis.nodes(cst.Global)):
            return ""
        return (f": `{name}` is a module global (`global {name}` in {function.name.value}()), and the rule follows "
                "the scheduler through the functions it is handed to, not through a global into other functions")


