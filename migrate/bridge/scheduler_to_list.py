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
from dataclasses import dataclass, fields, replace

import libcst as cst

from migrate import evaluate, verify
from migrate.analysis import Analysis, atom, bind, plus_one, product, read_names
from migrate.bridge.optimizers import WEIGHT_DECAY_DIFFERENCE, bound_arguments, towards
from migrate.bridge.optimizers import Mapping as OptimizerMapping
from migrate.bridge.torch_schedulers import SIBLINGS, Frame, Listed, written_whole
from migrate.edit import EQUAL, SPACED_COMMA, joined_arguments, keyword_argument, without, without_parameters
from migrate.imports import package_reference
from migrate.program import ARGUMENT, ATTRIBUTE, METHOD, NONE_TEST, STORED, Use
from migrate.program.budget import Cap, batch_cap, step_budget
from migrate.program.builder import (
    Builder,
    builder_edits,
    builder_of,
    in_builder_terms,
    returning_builder_edits,
    returning_builder_of,
)
from migrate.program.cadence import ACCUMULATION, NotVisible, cadence
from migrate.program.model import Route, bound_names, calls_in, shadows_globals, substituted
from migrate.program.values import definitions, float_arguments
from migrate.references import (
    GETATTR,
    STAR,
    VALUE,
    References,
    find_references,
    site_findings,
)
from migrate.rule import Blocked, Finding, Fix, ImportRef, Note, Refused, blocking, refusal
from migrate.verify import SAMPLES, Claim, Schedule

SCHEDULER_MODULE = "torch.optim.lr_scheduler."
STAR_SOURCES = {"torch.optim.lr_scheduler"}
INDIRECT = {  # a scheduler reached other than by a call, as refusals name it
    VALUE: "the scheduler is used as a value, not called: the rule cannot see its arguments or its step() calls",
    GETATTR: "getattr(torch.optim.lr_scheduler, ...) cannot be followed; call the class directly so its arguments "
             "can be rewritten",
    STAR: "the scheduler comes from a star import of torch.optim.lr_scheduler that another star import (or a use "
          "other than a call) keeps from being resolved; import it by name so it can be rewritten",
}
TORCH_DEFAULT_LR = "0.001"
#: The shapes a site can have besides the plain scheduler, as refusals name them (``SchedulerSite._also_has``).
CHAIN, FLAG, CONDITION, BUILDER = ("a warmup chain", "a scheduler chosen by a flag",
                                   "a scheduler created under a condition", "a builder function")
GROUPS, RESUME, OPTIMIZER_CHOICE, READS = ("param groups with their own lr", "a resume",
                                           "an optimizer chosen by a flag", "reads of its lr")
RECOMPUTED_GET_LR = ("; torch 2.13's get_lr() outside step() returned a value recomputed from the current lr, "
                     "which no optimizer step used (torch warns to call get_last_lr()), so a value this line logs "
                     "can differ from what torch logged; the training's lrs do not")
#: Methods of a torch module that return a one-pass iterator.
ITERATOR_METHODS = frozenset({"parameters", "named_parameters", "children", "modules", "buffers"})
NO_NUMERIC_EFFECT = ("foreach", "fused", "differentiable", "capturable")
#: torch optimizer attributes that hold or change the lr, with what they do; none exists on a MindSpore optimizer.
LR_STATE = {
    "param_groups": "reads the lr through {name}.param_groups",
    "defaults": "reads the default lr through {name}.defaults",
    "load_state_dict": "restores the groups' lr and initial_lr with {name}.load_state_dict()",
    "add_param_group": "adds a param group with its own lr with {name}.add_param_group()",
}
LEFT_TO_PORT = {
    "step": "a MindSpore optimizer is a Cell called with the gradients, `optimizer(grads)`, where `loss, grads = "
            "mindspore.value_and_grad(forward_fn, None, optimizer.parameters)(...)`",
    "zero_grad": "MindSpore computes gradients functionally (mindspore.value_and_grad), so there is nothing to zero: "
                 "drop this call when the training step is ported",
    "state_dict": "save the optimizer with mindspore.save_checkpoint(optimizer, path): its parameters and "
                  "global_step, the step count its learning-rate list is read at",
    "load_state_dict": "restore the optimizer with mindspore.load_param_into_net(optimizer, "
                       "mindspore.load_checkpoint(path)): its parameters and global_step, where its learning-rate "
                       "list goes on from",
}
ARGUMENT_IDIOM = ("{callee}() gets it here, and does with it what it did with a torch optimizer: port that (in "
                  "MindSpore the training step is mindspore.value_and_grad and `optimizer(grads)`; loss scaling is "
                  "mindspore.amp.DynamicLossScaler)")
OTHER_IDIOM = "`{name}` has no counterpart on a MindSpore optimizer: port this line by hand"
GROUP_WRITERS = ("update", "setdefault", "__setitem__")
#: Keys of a torch param group a MindSpore group dict takes as they are ("lr" becomes that group's own list).
GROUP_KEYS = {"params", "lr", "weight_decay"}

#: Why a LambdaLR's lambda cannot read what changes after the scheduler is built.
LAZY_LAMBDA = "its lambda reads it at every scheduler step, a MindSpore list only once, where it is built"


OPTIMIZERS = towards("mindspore")


@dataclass
class Cadence:
    """How the run steps the scheduler: optimizer steps per scheduler step, and the run length if visible."""

    step_every: str
    run_steps: str | None
    per_epoch: bool
    assumptions: list[str]

    @property
    def step_per_epoch(self) -> str:
        """The list's step_per_epoch: the optimizer steps of a scheduler step when it steps per epoch, else 1."""
        return self.step_every if self.per_epoch else "1"


@dataclass(frozen=True)
class Chain:
    """A ``SequentialLR`` of a warmup and this scheduler (or a ``ChainedScheduler`` of the two, with no
    milestone): the chain's call and line (stepped by the user), the warmup's, this scheduler's line, the warmup's
    arguments, the milestone and the warmup's qualified name."""

    call: cst.Call
    line: cst.SimpleStatementLine
    warmup_call: cst.Call
    warmup_line: cst.CSTNode
    scheduler_line: cst.CSTNode
    warmup: dict
    milestone: cst.BaseExpression | None
    warmup_name: str


@dataclass(frozen=True)
class ChainChoice:
    """``SequentialLR(optimizer, [warmup, main], milestones=[M])`` whose members are each chosen by a flag's ``if``
    (torchvision's reference recipe), perhaps under ``if M > 0: ... else: scheduler = main``: the chain's call and
    line, its milestone, the warmup's branches (line → call) and ``if``, the ``else`` binding the main alone, and
    the last statement of the construction, after which the optimizer is built."""

    call: cst.Call
    line: cst.SimpleStatementLine
    milestone: cst.BaseExpression
    warmups: dict
    warmup_top: cst.If
    alone: cst.SimpleStatementLine | None
    last: cst.CSTNode


@dataclass(frozen=True)
class LightningReturn:
    """``configure_optimizers`` handing the scheduler to Lightning's Trainer, which steps it every epoch or every
    optimizer step (``interval``): the returned expression, and the interval as written."""

    value: cst.BaseExpression
    interval: str


@dataclass(frozen=True)
class ScheduleValues:
    """One site's list as source text: the lr it starts from (as MindSpore's float), its length and steps per
    epoch, the optimizer step up to which it is known to agree with torch, and the claim the verifier checks."""

    max_lr: str
    total_step: str
    step_per_epoch: str
    agreement: str | None
    claim: Claim


class Elsewhere(Exception):
    """The site is rewritten, or refused, by another site: a flag's branch whose choice another branch converts."""


def scheduler_findings(analysis: Analysis, site: type[SchedulerSite], indirect: dict[str, str],
                       references: References | None = None) -> Iterator[Finding]:
    """Each call of the site's scheduler (or each of ``references``'s calls), converted or refused; a use other than
    a call is reported with ``indirect``'s message (MIG108); a site that leaves the rewrite to another has none."""
    references = references or find_references(analysis, {site.SCHEDULER}, STAR_SOURCES)
    found = site_findings(references, lambda call: site(analysis, call).convert(), "MIG108", indirect)
    return (finding for finding in found if finding is not None)


LR_WORDS = frozenset({"lr", "lrs", "learning", "schedule", "scheduler", "warmup"})
"""Words of a function's name that say it moves the optimizer's lr (``SWALR``, ``adjust_learning_rate``,
``GradualWarmupScheduler``, ``get_cosine_schedule_with_warmup``)."""


def _sets_lrs(function: str) -> bool:
    """Whether a function defined outside the module, given the optimizer, is named as something that moves its lr:
    the rewrite cannot see its body, and assuming it leaves the lr alone would hide a change."""
    leaf = function.rpartition(".")[2]
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|_|\d)|[A-Z]?[a-z]+|[A-Z]+", leaf)
    return leaf.endswith("LR") or any(word.lower() in LR_WORDS for word in words)


class SchedulerSite(ABC):
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
        replacements: dict[cst.CSTNode, object] = {self._step_guards.get(step, step): [] for step in steps}
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
                replacements[after] = [_branches_replaced(top, built).with_changes(leading_lines=()), after]
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
        )
        if self._lightning is not None:
            unsafe.append(self._lightning_note(owner, list_name))
        fix = Fix(replacements, values.claim, self._changes(values, cadence, list_name), unsafe,
                  add_imports=tuple(dict.fromkeys(imports)),
                  once_applied=self._left_to_port(optimizer_call, owner) if mapping is not None else ())
        return Finding(Note(self.call, "MIG100", message), notes, fix=fix)

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
        return self.analysis.code(lr) if lr is not None else TORCH_DEFAULT_LR

    def _lrs(self, optimizer_arguments: dict) -> tuple[str, str]:
        """The optimizer's lr as torch reads it and as MindSpore's float (torch's default when left out), in the
        builder's terms when a builder returns the list."""
        base_lr = optimizer_arguments.get("lr")
        torch_lr = self.analysis.code(base_lr) if base_lr is not None else TORCH_DEFAULT_LR
        max_lr = self._float(base_lr, "lr") if base_lr is not None else TORCH_DEFAULT_LR
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
            if name in _COUNT_ARGUMENTS:
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

    def _unfollowed(self, target, tracked) -> str:
        """Why the scheduler cannot be followed to its step() calls: the other values its variable holds, each
        with its line, or where it goes instead."""
        parent = self.analysis.parents.get(self.call)
        function = self.analysis.program.function_of(self.call)
        if target is None and isinstance(parent, cst.Return) and isinstance(function, cst.FunctionDef):
            return (f"{function.name.value}() returns the scheduler; a builder that returns it alone converts when "
                    "it is called once, its result bound to a name, its optimizer parameter used only for the "
                    "scheduler and no other call in its body (its call moves before the optimizer is built)")
        if target is None and isinstance(parent, cst.Lambda):
            return (f"a lambda (line {self.analysis.line(parent)}) builds the scheduler; the rule follows a builder "
                    "written as a function that returns it (`def make_scheduler(optimizer): return ...`), not a "
                    "lambda")
        if target is None:
            return "the scheduler is not bound to a variable, so its step() calls cannot be followed"
        name = self.analysis.code(target)
        through = [statement for statement, _ in tracked.competitors
                   if not self.analysis.first_line(statement).startswith((f"{name} =", f"{name}: "))]
        others = [f"line {self.analysis.line(statement)} (`{self.analysis.first_line(statement if through else value)}`)"
                  for statement, value in tracked.competitors]
        holder = (f"`{name}` is used through a name that" if through else f"`{name}`")
        if others:
            return (f"{holder} also holds other values: {', '.join(others)}; one list can "
                    f"stand only for this {self.NAME}, which would become a {self.LIST_FUNCTION} list given to the "
                    "optimizer")
        lines = ", ".join(str(self.analysis.line(binding.statement)) for binding in tracked.bindings[1:])
        function = self.analysis.program.function_of(self.call)
        calls = self.analysis.program.call_sites(function) if isinstance(function, cst.FunctionDef) else []
        if len(calls) > 1:
            return (f"{function.name.value}() builds the scheduler and returns it to {len(calls)} calls (lines "
                    f"{', '.join(str(self.analysis.line(call)) for call in calls)}); a builder converts when it has "
                    "one call, since the list it would build needs each caller's loop")
        return (f"the scheduler is passed on and bound again (line {lines}); the list must be computed where the "
                "optimizer is built" if lines else
                f"`{self.analysis.code(target)}` is bound in a way its step() calls cannot be followed through")

    def _returned_after_branches(self, tracked) -> str:
        """A hint for a builder whose flag's branches bind the scheduler and one ``return`` hands it back: the
        shape with a ``return`` in each branch converts."""
        program = self.analysis.program
        builder = program.function_of(tracked.bindings[0].statement) if tracked.bindings else None
        if not tracked.competitors or not isinstance(builder, cst.FunctionDef) or not any(
                program.function_of(binding.statement) is not builder for binding in tracked.bindings) or not all(
                program.function_of(statement) is builder and self.analysis.chain_top(statement) is not None
                for statement, _ in tracked.competitors):
            return ""
        return ("; a builder whose flag chooses the scheduler converts when each branch returns its own "
                "(`if ...: return StepLR(...)` `else: return CosineAnnealingLR(...)`)")

    def _flag_branches(self, tracked, line, unfollowed: str) -> dict:
        """``if flag: scheduler = <this>(...) elif ...: scheduler = StepLR(...) else: ...``: every branch
        of one ``if`` chain binds the scheduler once, to a scheduler of the same optimizer that has a list form (or
        to None). The branches by statement, with the value each binds."""
        bound = {binding: value for binding, value in tracked.competitors}
        bound[line] = self.call
        default, top = self._default_then_override(bound)
        top = top or self.analysis.chain_top(line)
        if top is None:
            raise Refused("MIG107", f"{unfollowed}; the variable is not chosen by a flag's `if` (the one way several "
                                   "values convert together): give each training phase's scheduler and optimizer "
                                   "names of their own, then convert")
        blocks, exhaustive = self._branch_blocks(top)
        self._check_owner(list(bound.values()))
        optimizer = self.analysis.code(bind(self.call, self.SIGNATURE).values["optimizer"])
        problems = []
        if not exhaustive and default is None:
            problems.append("not every path through the flag's `if` binds it")
        if exhaustive and default is not None:
            problems.append(f"line {self.analysis.line(default)} is replaced on every path through the `if`")
        blocks = [block for block in blocks if not _raises(block)]
        for statement, value in bound.items():
            if statement is default:
                if not isinstance(value, cst.Call) or value is not self.call and not self._sibling(value, optimizer):
                    problems.append(f"line {self.analysis.line(statement)} (`{self.analysis.first_line(value)}`) has "
                                    "no list form here")
            elif self.analysis.parents.get(statement) not in blocks:
                problems.append(f"line {self.analysis.line(statement)} is not a branch of that `if`")
            elif isinstance(value, cst.Name) and value.value == "None":
                continue
            elif not isinstance(value, cst.Call) or value is not self.call and not self._sibling(value, optimizer):
                problems.append(f"line {self.analysis.line(statement)} (`{self.analysis.first_line(value)}`) has no "
                                "list form here")
        holders = {self.analysis.parents.get(statement) for statement in bound if statement is not default}
        if len(holders) != len(bound) - (default is not None):
            problems.append("a branch binds it twice")
        elif any(block not in holders for block in blocks):
            problems.append("a branch of that `if` neither binds it nor raises")
        if problems:
            raise Refused("MIG107", f"{unfollowed}; the branches convert together only when each becomes a list: "
                                   + "; ".join(problems))
        self._conditional, self._default_branch = top, default
        return {statement: bound[statement] for statement in sorted(bound, key=self.analysis.start)}

    def _default_then_override(self, bound: dict) -> tuple[cst.SimpleStatementLine | None, cst.If | None]:
        """``scheduler = StepLR(...)`` right before ``if args.cosine: scheduler = CosineAnnealingLR(...)``: the
        first binding is the choice's ``else``. That binding and the ``if`` whose branches bind the rest; (None, None)
        for any other shape."""
        outside = [statement for statement in bound if self.analysis.chain_top(statement) is None]
        tops = {id(top): top for statement in bound if (top := self.analysis.chain_top(statement)) is not None}
        if len(outside) != 1 or len(tops) != 1:
            return None, None
        default, top = outside[0], next(iter(tops.values()))
        block = self.analysis.parents.get(default)
        body = list(getattr(block, "body", ()))
        if (self.analysis.parents.get(top) is not block or default not in body
                or body.index(default) + 1 >= len(body) or body[body.index(default) + 1] is not top):
            return None, None
        return default, top

    def _branch_blocks(self, top: cst.If) -> tuple[list, bool]:
        """The bodies of an ``if``/``elif``/``else`` chain, and whether it ends with an ``else`` (some branch
        runs whatever the flags)."""
        blocks, node = [], top
        while isinstance(node, cst.If):
            blocks.append(node.body)
            node = node.orelse
        if isinstance(node, cst.Else):
            blocks.append(node.body)
        return blocks, isinstance(node, cst.Else)

    def _sibling(self, call: cst.Call, optimizer: str) -> bool:
        names = self.analysis.names_of(call.func) & SIBLINGS.keys()
        if not names:
            return False
        sibling = SIBLINGS[next(iter(names))]
        bound = bind(call, ("optimizer", *sibling.signature))
        given = bound.values.get("optimizer")
        return (not bound.error and "last_epoch" not in bound.values and given is not None
                and self.analysis.code(given) == optimizer)

    def _warmup_chain(self, tracked, line) -> Chain | None:
        """``SequentialLR(optimizer, [LinearLR(optimizer, ...), this], milestones=[M])``, each scheduler bound to a
        variable used only there: the chain becomes one list. Any other chain holding this scheduler is refused by
        name, since it alone is not what the optimizer follows."""
        holding = self._chain_holding(tracked)
        if holding is None:
            return None
        chain_call, element = holding
        names = self.analysis.names_of(chain_call.func)
        where = f"{self.analysis.code(chain_call.func)}(...) at line {self.analysis.line(chain_call)}"
        refusal = (f"this {self.NAME} is part of {where}; the optimizer follows the chain, so the {self.SHORT_NAME} "
                   "alone cannot become its list: ")
        sequential = SCHEDULER_MODULE + "SequentialLR" in names
        if not sequential and not (self.MULTIPLIES and SCHEDULER_MODULE + "ChainedScheduler" in names):
            raise Refused("MIG107", refusal + f"only SequentialLR({self.WARMUP_KIND}, {self.NAME}) converts",
                          chain_call)
        bound = bind(chain_call, ("optimizer", "schedulers", "milestones", "last_epoch") if sequential
                     else ("schedulers", "optimizer")).values
        inner = bound.get("schedulers")
        milestones = bound.get("milestones")
        chosen = [f"`{self.analysis.code(item.value)}`" for item in getattr(inner, "elements", ())
                  if isinstance(item.value, cst.Name) and self.analysis.program.origin(item.value) is None]
        if chosen or len(tracked.uses) != 1:
            why = self._chosen_chain(tracked, chain_call, element) if sequential else "it is no SequentialLR"
            if why is None or not chosen:
                return None
            several = [item for item in getattr(inner, "elements", ()) if isinstance(item.value, cst.Name)
                       and len(self._member_values(item.value)) > 1]
            if not several:
                raise Refused("MIG107", refusal + why, chain_call)
            raise Refused("MIG107", refusal + f"{', '.join(chosen)} {'is' if len(chosen) == 1 else 'are'} not bound "
                                             "to one scheduler construction (chosen in a flag's branches, or given "
                                             "from elsewhere), and a chain converts only when each of its "
                                             f"schedulers is one, or a flag's `if` chooses each of the two: {why}",
                          chain_call)
        if (not isinstance(inner, cst.List) or len(inner.elements) != 2 or inner.elements[1] is not element
                or sequential and (not isinstance(milestones, cst.List) or len(milestones.elements) != 1)
                or "last_epoch" in bound):
            raise Refused("MIG107", refusal + f"it converts as [{self.WARMUP_KIND}, {self.NAME}] with one milestone",
                          chain_call)
        warmup_call = self.analysis.program.origin(inner.elements[0].value)
        warmup_names = self.analysis.names_of(warmup_call.func) & self.WARMUPS if warmup_call is not None else set()
        if not warmup_names:
            raise Refused("MIG107", refusal + f"its warmup is not a {self.WARMUP_KIND} the rule can read", chain_call)
        warmup_name = min(warmup_names)
        warmup = bind(warmup_call, ("optimizer", *SIBLINGS[warmup_name].signature))
        warmup_tracked = self.analysis.program.follow(warmup_call)
        chain_line = self.analysis.statement(chain_call)
        warmup_line = self.analysis.statement(warmup_call)
        if (warmup.error or "last_epoch" in warmup.values or len(warmup_tracked.uses) != 1
                or chain_line in (warmup_line, line)
                or warmup_tracked.competitors or not isinstance(chain_line, cst.SimpleStatementLine)
                or not isinstance(chain_line.body[0], cst.Assign | cst.Return)
                or isinstance(chain_line.body[0], cst.Assign) and len(chain_line.body[0].targets) != 1
                or self.analysis.parents.get(chain_call) is not chain_line.body[0]):
            raise Refused("MIG107", refusal + f"its {self.WARMUP_KIND} or the chain is used or bound in a way the "
                                             "rule does not follow (each scheduler bound to a variable the chain "
                                             "alone uses)", chain_call)
        returned = self.analysis.parents.get(chain_call)
        if isinstance(returned, cst.Return):
            self._chain_builder(chain_call, returned, bound.get("optimizer"), (warmup_line, line), refusal)
        for optimizer in (warmup.values.get("optimizer"), bound.get("optimizer", None if sequential else False)):
            if optimizer is False:
                continue
            if optimizer is None or self.analysis.code(optimizer) != self.analysis.code(
                    bind(self.call, self.SIGNATURE).values["optimizer"]):
                raise Refused("MIG107", refusal + "its schedulers drive different optimizers", chain_call)
        return Chain(chain_call, chain_line, warmup_call, warmup_line, line, dict(warmup.values),
                     milestones.elements[0].value if sequential else None, warmup_name)

    def _chain_builder(self, chain_call: cst.Call, returned: cst.Return, optimizer, members: tuple,
                       refusal: str) -> None:
        """``return SequentialLR(optimizer, [warmup, cosine], ...)`` at the end of a builder called once: the
        builder returns the chain's list instead, and its member schedulers' lines go with the chain."""
        tracked = self.analysis.program.follow(chain_call)
        function = self.analysis.program.function_of(chain_call)
        if len(tracked.bindings) == 1 and optimizer is not None:
            self._builder = returning_builder_of(self.analysis.program, returned, tracked.bindings[0].statement,
                                                 optimizer, absorbed=members)
        if self._builder is None or any(self.analysis.program.function_of(member) is not function
                                        for member in members):
            self._builder = None
            owner = f"{function.name.value}()" if isinstance(function, cst.FunctionDef) else "the function"
            raise Refused("MIG107", refusal + f"{owner} returns the chain, and only a builder called once, whose other "
                                             "statements build the chain's schedulers from the optimizer it is "
                                             "given, returns its list instead", chain_call)

    def _chosen_chain(self, tracked, chain_call: cst.Call, element: cst.Element) -> str | None:
        """torchvision's recipe: ``if flag: main = StepLR(...) elif ...: main = CosineAnnealingLR(...)``, then
        ``if W > 0: (if method: warmup = LinearLR(...) else: warmup = ConstantLR(...)); scheduler =
        SequentialLR(optimizer, [warmup, main], milestones=[W]) else: scheduler = main``. Sets
        ``self._chain_choice`` (and the main's branches) when the chain has that shape, else says why not; a warmup's
        site leaves the chain to the main's."""
        analysis = self.analysis
        bound = bind(chain_call, ("optimizer", "schedulers", "milestones", "last_epoch")).values
        inner, milestones = bound.get("schedulers"), bound.get("milestones")
        members = getattr(inner, "elements", ())
        if (not isinstance(inner, cst.List) or len(members) != 2 or not isinstance(milestones, cst.List)
                or len(milestones.elements) != 1 or "last_epoch" in bound):
            return "it converts as [warmup, scheduler] with one milestone"
        if members[0] is element:
            main = self._member_values(members[1].value)
            if isinstance(main, str):
                return main
            if any(isinstance(value, cst.Call) and analysis.names_of(value.func) & (
                    SIBLINGS.keys() | {SCHEDULER_MODULE + "CosineAnnealingLR"}) for value in main.values()):
                raise Elsewhere
            return "the scheduler it runs after the warmup is no scheduler a rule converts"
        chain_line = analysis.statement(chain_call)
        assign = chain_line.body[0] if isinstance(chain_line, cst.SimpleStatementLine) else None
        if (not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or analysis.parents.get(chain_call)
                is not assign or not isinstance(assign.targets[0].target, cst.Name) or len(chain_line.body) != 1):
            return "the chain is not bound to a variable of its own"
        optimizer = analysis.code(bind(self.call, self.SIGNATURE).values["optimizer"])
        if bound.get("optimizer") is None or analysis.code(bound["optimizer"]) != optimizer:
            return "its schedulers drive different optimizers"
        warmups = self._member_values(members[0].value)
        if isinstance(warmups, str):
            return warmups
        for line, value in warmups.items():
            if not isinstance(value, cst.Call) or not self._sibling(value, optimizer):
                return (f"the warmup of line {analysis.line(line)} (`{analysis.first_line(value)}`) is no scheduler "
                        "of the same optimizer with a list form")
            if len(analysis.program.follow(value).uses) != 1:
                return (f"the warmup of line {analysis.line(line)} (`{analysis.first_line(value)}`) is also used "
                        "otherwise than in the chain")
        warmup_top = analysis.chain_top(next(iter(warmups))) if len(warmups) > 1 else None
        chained = analysis.program.follow(chain_call)
        alone = None
        if chained.competitors:
            alone, value = chained.competitors[0]
            outer = analysis.parents.get(analysis.parents.get(chain_line))
            if (len(chained.competitors) != 1 or not isinstance(value, cst.Name)
                    or value.value != analysis.code(members[1].value) or not isinstance(outer, cst.If)
                    or outer.body is not analysis.parents.get(chain_line) or not isinstance(outer.orelse, cst.Else)
                    or analysis.parents.get(alone) is not outer.orelse.body):
                return ("the chain's variable is also bound otherwise than by `else: scheduler = main` after the "
                        "`if` that builds the chain")
        others = {id(use.node) for use in tracked.uses if use.kind != STORED}
        if others != ({id(use.node) for use in chained.uses} if alone is not None else set()):
            return "the scheduler is also used otherwise than through the chain"
        last = analysis.parents.get(analysis.parents.get(chain_line)) if alone is not None else chain_line
        construction = warmup_top or next(iter(warmups))
        if analysis.parents.get(construction) is not analysis.parents.get(chain_line) or analysis.start(
                construction) > analysis.start(chain_line):
            return "the warmup is not built right before the chain, in its block"
        self._chain_choice = ChainChoice(chain_call, chain_line, milestones.elements[0].value, warmups, warmup_top,
                                         alone, last)
        return None

    def _member_values(self, member: cst.BaseExpression) -> dict | str:
        """What a chain's member variable holds: each statement binding it, with its value; when several, they are
        the branches of one flag's ``if`` (a branch that raises binds nothing), every path binding it once."""
        analysis = self.analysis
        if not isinstance(member, cst.Name):
            return f"`{analysis.code(member)}` is no variable"
        found = {}
        for assignment in analysis.bindings(analysis.scopes.get(member), member.value):
            assigned = analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
            if assigned is None:
                return f"`{member.value}` is bound otherwise than by `{member.value} = ...` on a line of its own"
            found[assigned[0]] = assigned[1]
        if len(found) < 2:
            return found or f"`{member.value}` is not bound here"
        top = analysis.chain_top(next(iter(found)))
        blocks, exhaustive = self._branch_blocks(top) if top is not None else ([], False)
        holders = [analysis.parents.get(line) for line in found]
        if (top is None or not exhaustive or len(set(map(id, holders))) != len(found)
                or any(block not in holders and not _raises(block) for block in blocks)
                or any(holder not in blocks for holder in holders)):
            return (f"`{member.value}` is bound in several places that are not the branches of one flag's `if` "
                    "(with an `else`), each binding it once or raising")
        return found

    def _chain_holding(self, tracked) -> tuple[cst.Call, cst.Element] | None:
        """The scheduler chain (``SequentialLR``, ``ChainedScheduler``...) whose list of schedulers is this
        scheduler's only use, and its element there."""
        stored = [use for use in tracked.uses if use.kind == STORED]
        if len(stored) != 1:
            return None
        element = self.analysis.parents.get(stored[0].node)
        chain_call = self.analysis.parents.get(self.analysis.parents.get(self.analysis.parents.get(element)))
        names = self.analysis.names_of(chain_call.func) if isinstance(chain_call, cst.Call) else set()
        if not any(name.startswith(SCHEDULER_MODULE) for name in names):
            return None
        return chain_call, element

    def _none_binding(self, tracked, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine | None:
        """``scheduler = None`` before the ``if`` that creates the scheduler, in the same block: a scheduler
        created only under a flag. The only other value the variable may hold; None when that is not the shape."""
        if len(tracked.competitors) != 1:
            return None
        binding, value = tracked.competitors[0]
        conditional = self._condition_of(line)
        if (not (isinstance(value, cst.Name) and value.value == "None") or conditional is None
                or not isinstance(binding, cst.SimpleStatementLine) or len(binding.body) != 1
                or self.analysis.parents.get(binding) is not self.analysis.parents.get(conditional)
                or self.analysis.start(binding) > self.analysis.start(conditional)):
            return None
        return binding

    def _guarded_by_its_flag(self, line, step) -> None:
        """``if args.cosine: scheduler = CosineAnnealingLR(...)`` and ``if args.cosine: scheduler.step()``: the
        step runs exactly when the scheduler exists, so the list takes the flag's branch and the optimizer otherwise
        keeps its constant lr, as with a scheduler bound to None first. The test must be the same, read no call and
        nothing bound or set twice, and the guard hold the step alone."""
        created, guard = self._condition_of(line), self._condition_of(step)
        if (created is None or guard is None or guard is created or len(guard.body.body) != 1
                or self.analysis.code(guard.test) != self.analysis.code(created.test)
                or not self._stable_test(created.test)):
            return
        self._conditional = self._flag_guard = created
        self._step_guards[step] = guard

    def _stable_test(self, test: cst.BaseExpression) -> bool:
        """A flag's test that holds the same value wherever it is read: no call, each name bound once, and no
        attribute it reads (``args.cosine``) set anywhere in the module."""
        if calls_in(test) or any(self.analysis.single_assignment(name) is None for name in read_names(test)):
            return False
        read = {self.analysis.code(node) for node in self.analysis.nodes(cst.Attribute)
                if test in self.analysis.ancestors(node) or node is test}
        return not any(self.analysis.code(node) in read for node in self.analysis.nodes(cst.Attribute)
                       if isinstance(self.analysis.parents.get(node), (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)))

    def _condition_of(self, line: cst.SimpleStatementLine) -> cst.If | None:
        """The ``if`` (without ``else``) whose body holds ``line`` directly."""
        block = self.analysis.parents.get(line)
        conditional = self.analysis.parents.get(block)
        if isinstance(conditional, cst.If) and conditional.body is block and conditional.orelse is None:
            return conditional
        return None

    def _guard_step(self, use: Use, steps: list[cst.SimpleStatementLine]) -> None:
        """A None test of the scheduler must be ``if scheduler is not None:`` (or ``if scheduler:``) around a
        step() alone, with no ``else``: the whole ``if`` then goes with the step. (A scheduler never bound to None
        passes the test every time, so its step runs as if unguarded.)"""
        test = self.analysis.parents.get(use.node)
        if isinstance(test, cst.Comparison) and isinstance(test.comparisons[0].operator, cst.IsNot):
            conditional = self.analysis.parents.get(test)
        else:
            conditional = test
        guarded = next((step for step in steps if self._condition_of(step) is conditional), None)
        line = self.analysis.line(use.node)
        if (not isinstance(conditional, cst.If) or conditional.test not in (use.node, test) or guarded is None
                or conditional.orelse is not None):
            quoted = self.analysis.first_line(self.analysis.statement(use.node))
            raise Refused("MIG107", f"the scheduler is tested at line {line} (`{quoted}`); only `if scheduler is not "
                                   "None: scheduler.step()`, with no else, goes with the list", use.node)
        if len(conditional.body.body) != 1:
            other = next(statement for statement in conditional.body.body if statement is not guarded)
            raise Refused("MIG107", f"`if {self.analysis.code(conditional.test)}:` at line {line} does more than "
                                   f"step the scheduler (line {self.analysis.line(other)}: `"
                                   f"{self.analysis.first_line(other)}`); only the step() can go with the list",
                          use.node)
        self._step_guards[guarded] = conditional

    def _after_condition(self, statement, optimizer_line, optimizer: cst.Name, reads, mapping) -> cst.CSTNode:
        """Where the MindSpore optimizer is built when the scheduler is created under a flag: right after that
        ``if``, with the list (or the constant lr) the flag chose."""
        conditional = self._chain_choice.last if self._chain_choice is not None else self._conditional
        moved = self.analysis.chain_top(optimizer_line) if self._optimizer_choice else optimizer_line
        block = self.analysis.parents.get(conditional)
        following = block.body[block.body.index(conditional) + 1:] if hasattr(block, "body") else []
        why = None
        if mapping is None:
            why = "the optimizer has no mapping, so it cannot be built after the flag's `if`"
        elif not following:
            why = (f"nothing follows {'the `if` at ' if isinstance(conditional, cst.If) else ''}line "
                   f"{self.analysis.line(conditional)} to build the optimizer before")
        elif self.analysis.parents.get(moved) is not block:
            why = f"the optimizer (line {self.analysis.line(optimizer_line)}) is built in another block"
        else:
            for node, at in reads:
                places = ([statement, *self._branches, *self._choice_lines()] if at in self._loop_nodes
                          else [statement] if at is statement else [following[0]])
                for place in places:
                    why = why or self.analysis.unbound_name(node, place, at)
            lr = self._lr_argument(optimizer_line)
            constants = [self._none_first] if self._none_first is not None else [
                branch for branch, value in self._branches.items() if isinstance(value, cst.Name)]
            for place in constants if lr is not None else []:
                why = why or self.analysis.unbound_name(lr, place, optimizer_line)
            why = why or self._optimizer_cannot_move(moved, optimizer, conditional, following[0])
        if why is not None and self._chain_choice is not None:
            raise Refused("MIG105", f"the rewrite builds the MindSpore optimizer after the chain (line "
                                   f"{self.analysis.line(self._chain_choice.line)}), where the lists exist, but "
                                   f"{why}", statement)
        if why is not None:
            raise Refused("MIG105", f"the scheduler is created under `if {self.analysis.code(conditional.test)}:` "
                                   f"and {why}", statement)
        return following[0]

    def _choice_lines(self) -> list[cst.CSTNode]:
        """The lines a chain of chosen members builds lists at besides the main's branches."""
        choice = self._chain_choice
        if choice is None:
            return []
        return [*choice.warmups, choice.line, *([choice.alone] if choice.alone is not None else [])]

    def _member_list_name(self, list_name: str) -> str:
        """A fresh name for the list a chain's chosen main scheduler becomes (``main_lr_scheduler`` →
        ``main_lr_schedule``)."""
        members = bind(self._chain_choice.call, ("optimizer", "schedulers")).values["schedulers"].elements
        return self._list_variable(members[1].value, list_name)

    def _list_variable(self, variable: cst.BaseExpression, fallback: str) -> str:
        name = variable.value if isinstance(variable, cst.Name) else fallback
        renamed = re.sub(r"sched(uler)?", "schedule", name)
        return self.analysis.fresh_name(renamed if renamed != name else f"{name}_lrs")

    def _split_at_the_warmup(self, cadence: Cadence) -> None:
        """A chain's chosen main runs from the milestone on: its run and list leave out the warmup's steps (where
        the main runs alone the milestone is 0, so they cover that run too; ``_run_steps``, ``_list_steps``)."""
        if cadence.run_steps is None:
            raise Refused("MIG102", "the training length is not visible: the chain's lists are written for the "
                                   "run's optimizer steps, and MindSpore raises one step past the end",
                          self._chain_choice.call)
        self._choice_split = product(self._count(self._chain_choice.milestone, "milestone"), cadence.step_every)

    def _alone_verdict(self, claim: Claim) -> verify.Verdict:
        """A main's claim where the scheduler runs alone: the milestone read as 0 (the `else` of `if M > 0`)."""
        milestone = re.compile(r"(?<![\w.])" + re.escape(self.analysis.code(self._chain_choice.milestone))
                               + r"(?![\w(])")

        def at_zero(schedule: Schedule) -> Schedule:
            return replace(schedule, args={key: milestone.sub("0", text) for key, text in schedule.args.items()})

        return verify.verify(replace(
            claim, source=at_zero(claim.source), target=at_zero(claim.target),
            run_steps=milestone.sub("0", claim.run_steps), agrees_for=None,
            positive=tuple(text for text in claim.positive if not milestone.search(text))), self.analysis.constants)

    def _choice_lists(self, replacements: dict, list_name: str, main_list: str, values: ScheduleValues,
                      cadence: Cadence, package: str) -> dict:
        """A chain of chosen members: each warmup branch becomes its list over the milestone's optimizer steps, the
        chain the warmup list then the main's (torch restarts the main at the milestone), the ``else`` the main's
        list alone. Every warmup is verified with every main against torch's SequentialLR. The main's branches
        (in ``replacements``) build their list only when the run gets past the warmup: torch never steps the main
        otherwise, and its arguments (``T_max=epochs - warmup``) may then be out of MindSpore's range."""
        choice = self._chain_choice
        if self._epoch_start:
            raise Refused("MIG106", "scheduler.step() runs at the start of each epoch; a chain converts only when "
                                   "stepped after the epoch's optimizer steps", choice.call)
        milestone = self._count(choice.milestone, "milestone")
        guard = self.analysis.parents.get(self.analysis.parents.get(choice.line))
        guarded = choice.alone is not None and same_expression(self.analysis.code(guard.test),
                                                               f"{self.analysis.code(choice.milestone)} > 0")
        self._assume_positive((self.analysis.code(choice.milestone),))
        if choice.alone is not None and not guarded:
            raise Refused("MIG107", f"the chain is built under `if {self.analysis.code(guard.test)}:` and the "
                                   "scheduler runs alone otherwise; the rewrite builds the scheduler's list only "
                                   "for a run that gets past the warmup, which the `else` follows only when the "
                                   f"test is `{self.analysis.code(choice.milestone)} > 0`", guard)
        split = product(milestone, cadence.step_every)
        whole = values.total_step.removesuffix(f" - {atom(split)}")
        past_warmup = f"{atom(whole)} > {atom(split)}"
        own = self.analysis.statement(self.call)
        for line in dict.fromkeys((own, *self._branches)):
            why = self.analysis.unbound_name(choice.milestone, line, choice.line)
            if why is not None:
                raise Refused("MIG105", f"the scheduler of line {self.analysis.line(line)} is built as a list only "
                                       f"when the run gets past the warmup, which reads "
                                       f"{self.analysis.code(choice.milestone)} there, but {why}", line)
            if isinstance(replacements.get(line), list):
                replacements[line] = [_built_only_if(statement, past_warmup) for statement in replacements[line]]
        members = bind(choice.call, ("optimizer", "schedulers")).values["schedulers"].elements
        warmup_list = self._list_variable(members[0].value, "warmup_lr")
        source = values.claim.source.args
        frame = Frame(source["base_lr"], values.max_lr, cadence.step_every, values.step_per_epoch, split,
                      f"{package}.nn", (self.analysis.fresh_name("step"), self.analysis.fresh_name("milestone")))
        mains = {own: Listed("", values.claim.source, values.claim.target, tuple(values.claim.positive)),
                 **self._branch_listed}
        for main_line, main in mains.items() if choice.alone is not None else ():
            verdict = self._alone_verdict(replace(values.claim, source=main.source, target=main.target, positive=(
                *_bearing_on(values.claim, main.source, main.target), *main.positive)))
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG105", f"the scheduler of line {self.analysis.line(main_line)} alone (line "
                                       f"{self.analysis.line(choice.alone)}, where the milestone is 0) would not keep "
                                       f"its learning rates as its list: {verdict.detail}", main_line)
        if choice.alone is not None:
            self.assumptions.append(f"{self.analysis.code(choice.milestone)} is 0 where the scheduler runs alone "
                                    "(line " f"{self.analysis.line(choice.alone)}), not below (checked at 0)")
        built = []
        for line, value in choice.warmups.items():
            name = next(iter(self.analysis.names_of(value.func) & SIBLINGS.keys()))
            where = f"the {name.removeprefix(SCHEDULER_MODULE)} warmup (line {self.analysis.line(line)})"
            listed = self._scheduler_list(name, bind(value, ("optimizer", *SIBLINGS[name].signature)).values, frame,
                                          value, where)
            for main_line, main in mains.items():
                claim = replace(values.claim, source=Schedule(
                    f"torch.SequentialLR[{listed.source.model},{main.source.model}]", {
                        "base_lr": source["base_lr"], "step_every": source["step_every"],
                        "milestones": f"[{milestone}]",
                        **{f"{index}.{key}": text for index, part in enumerate((listed, main))
                           for key, text in part.source.args.items() if key not in ("base_lr", "step_every")}}),
                    target=Schedule(f"mindspore.concat[{listed.target.model},{main.target.model}]", {
                        "split": split, **{f"{index}.{key}": text for index, part in enumerate((listed, main))
                                           for key, text in part.target.args.items()}}),
                    agrees_for=None, positive=(*_bearing_on(values.claim, listed.source, main.source, listed.target,
                                                            main.target), *listed.positive, *main.positive))
                verdict = verify.verify(claim, self.analysis.constants)
                if verdict.kind != verify.EQUIVALENT:
                    raise Refused("MIG105", f"{where} then the scheduler of line {self.analysis.line(main_line)} "
                                           f"would not keep their learning rates as one list: {verdict.detail}",
                                  value)
            built.append(f"{where} → its list [{verdict.kind} with each scheduler: {verdict.detail}]")
            statement = cst.parse_statement(f"{warmup_list} = {listed.expression}\n")
            replacements[line] = [line.with_changes(body=statement.body)]
        replacements[choice.line] = [choice.line.with_changes(
            body=cst.parse_statement(f"{list_name} = {warmup_list} + {main_list}\n").body)]
        if choice.alone is not None:
            replacements[choice.alone] = [choice.alone.with_changes(
                body=cst.parse_statement(f"{list_name} = {main_list}\n").body)]
        if guarded:
            self.assumptions = [assumption for assumption in self.assumptions if not assumption.startswith(
                f"{self.analysis.code(choice.milestone)} > 0 ")]
        self._choice_verdicts.append(
            f"; the SequentialLR of line {self.analysis.line(choice.line)} becomes {list_name} = {warmup_list} + "
            f"{main_list} (the warmup's list for {self.analysis.code(choice.milestone)} scheduler steps, then the "
            "scheduler's from its start, where torch restarts it)"
            + (f", and {list_name} = {main_list} where line {self.analysis.line(choice.alone)} used the scheduler "
               "alone" if choice.alone is not None else "") + ": " + "; ".join(built))
        return replacements

    def _lr_argument(self, optimizer_line) -> cst.BaseExpression | None:
        call = optimizer_line.body[0].value
        mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(call.func) & OPTIMIZERS.keys())))]
        return bind(call, mapping.positional, mapping.keyword_only).values.get("lr")

    def _constant_lr(self, line, list_name: str, optimizer_arguments) -> list[cst.SimpleStatementLine]:
        """``scheduler = None`` becomes the optimizer's constant lr, which the flag's branch replaces by the list."""
        lr = optimizer_arguments.get("lr")
        text = self.analysis.code(lr) if lr is not None else TORCH_DEFAULT_LR
        assignment = cst.parse_statement(f"{list_name} = {text}\n")
        return [line.with_changes(body=assignment.body)]

    def _branch_lists(self, list_name: str, values: ScheduleValues, cadence: Cadence, package: str,
                      optimizer_arguments, returned: bool = False) -> dict:
        """Each other branch's scheduler as its list (verified here, since the fix's claim is this site's), or
        the constant lr for a None branch."""
        replacements = {}
        frame = None
        for line, value in self._branches.items():
            if value is self.call:
                continue
            if isinstance(value, cst.Name):
                replacements[line] = self._constant_lr(line, list_name, optimizer_arguments)
                continue
            where = f"the {self.analysis.code(value.func)} branch (line {self.analysis.line(line)})"
            if cadence.run_steps is None:
                raise Refused("MIG106", f"{where} needs the run length for its list, and the loops do not show it",
                              value)
            frame = frame or Frame(values.claim.source.args["base_lr"], values.max_lr, cadence.step_every,
                                   values.step_per_epoch, values.total_step, f"{package}.nn",
                                   (self.analysis.fresh_name("step"), self.analysis.fresh_name("milestone")))
            name = next(iter(self.analysis.names_of(value.func) & SIBLINGS.keys()))
            listed = self._scheduler_list(name, bind(value, ("optimizer", *SIBLINGS[name].signature)).values, frame,
                                          value, where)
            self._branch_listed[line] = listed
            claim = replace(values.claim, source=listed.source, target=listed.target, agrees_for=None,
                            positive=(*_bearing_on(values.claim, listed.source, listed.target), *listed.positive))
            verdict = verify.verify(claim, self.analysis.constants)
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG105", f"{where} would not keep its learning rates as a list: {verdict.detail}",
                              value)
            built = listed.expression.split("(")[0] + "(...)" if "(" in listed.expression.split("[")[0] \
                else "a list of its rates"
            self._branch_verdicts.append(f"{where} → {built} [{verdict.kind}: {verdict.detail}]")
            statement = cst.parse_statement(f"return {listed.expression}\n" if returned
                                            else f"{list_name} = {listed.expression}\n")
            replacements[line] = [line.with_changes(body=statement.body)]
        return replacements

    def _builder_gets(self) -> str:
        builder = self._builder
        given = ", ".join(f"{name}={value}" for name, value in builder.added.items())
        if self._returns_alone():
            return (f"; {builder.function.name.value}() returns the list instead of the scheduler, without "
                    f"`{builder.consumed.name.value}`" + (f" and with {given}" if given else "")
                    + f"; its call moves from line {self.analysis.line(builder.call)} to before the optimizer "
                      f"(line {self.analysis.line(self._optimizer_line)}), which takes the list")
        kept = len(builder.returned.value.elements) - 1
        returns = "the MindSpore optimizer alone" if kept == 1 else f"its other {kept} values, without the scheduler"
        return (f"; {builder.function.name.value}() returns {returns}"
                + (f" and gets {given} from its call at line {self.analysis.line(builder.call)}" if given else ""))

    def _returned_branches(self) -> dict:
        """A builder's returns, each ending a branch of its flag's ``if``: this scheduler and schedulers of the
        same optimizer with a list form, by return line."""
        optimizer = self._builder.consumed.name.value
        self._check_owner([returned.value for returned in self._builder.returns])
        branches = {}
        for returned in self._builder.returns:
            line = self.analysis.statement(returned)
            if returned.value is not self.call and not self._sibling(returned.value, optimizer):
                raise Refused("MIG107", f"{self._builder.function.name.value}() returns "
                                        f"`{self.analysis.first_line(returned.value)}` at line "
                                        f"{self.analysis.line(returned)}, which has no list form here; its branches "
                                        "convert together only when each returns a scheduler that becomes a list",
                              returned)
            branches[line] = returned.value
        return branches

    def _returns_alone(self) -> bool:
        """The scheduler comes from a builder that returns it alone, built from the optimizer it is given."""
        return self._builder is not None and self._builder.index is None

    def _returning_builder_place(self, optimizer_line) -> cst.CSTNode:
        """The optimizer's line, before which the builder's call moves (it must read the same values there), and
        only a plain scheduler: the other shapes each move the scheduler's construction too."""
        other = self._also_has(CONDITION, GROUPS, *((FLAG,) if len(self._builder.returns) == 1 else ()))
        if other:
            raise Refused("MIG107", f"{self._builder.function.name.value}() returns the scheduler and the site also "
                                   f"has {other}; each converts alone, not together", self.call)
        for argument in self._builder.call.args:
            why = self.analysis.unbound_name(argument.value, optimizer_line, argument.value)
            if why is not None and argument.value is not self._builder_argument():
                raise Refused("MIG105", f"the call of {self._builder.function.name.value}() would move before the "
                                       f"optimizer (line {self.analysis.line(optimizer_line)}), but there {why}",
                              argument.value)
        return optimizer_line

    def _builder_argument(self) -> cst.BaseExpression | None:
        program = self.analysis.program
        return next((argument.value for argument in self._builder.call.args
                     if (received := program.parameter_for(self._builder.call, argument)) is not None
                     and received.value == self._builder.consumed.name.value), None)

    def _chosen(self) -> str:
        chooser = (f"{self._builder.function.name.value}() returns the list of whichever branch runs"
                   if self._returns_alone() else f"the `if` at line {self.analysis.line(self._conditional)} "
                                                  "chooses the list")
        return (f"; {chooser}: "
                + "; ".join(self._branch_verdicts or ["the other branches keep the optimizer's constant lr"]))

    def _otherwise(self, list_name: str) -> str:
        conditional = self._condition_of(self.analysis.statement(self.call))
        return (f" when `{self.analysis.code(conditional.test)}` holds; otherwise {list_name} is the constant lr "
                "the torch optimizer kept")

    def _method_call_statement(self, use) -> cst.SimpleStatementLine | None:
        """The line of ``use``'s method call when that call is a statement of its own."""
        expression = self.analysis.parents.get(use.call)
        line = self.analysis.parents.get(expression)
        if isinstance(expression, cst.Expr) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def _optimizer(self, arguments, statement) -> tuple[cst.SimpleStatementLine, cst.Call, cst.BaseExpression]:
        """The line building the optimizer the scheduler drives (``x = ...`` or ``self.x = ...``, in the scheduler's
        function), its call, and how the scheduler names it."""
        optimizer = arguments["optimizer"]
        program = self.analysis.program
        call = program.origin(optimizer)
        if call is None and isinstance(optimizer, cst.Name):
            self._optimizer_choice = self._chosen_optimizers(optimizer, statement)
            call = self._optimizer_choice[0][1] if self._optimizer_choice else None
        parent = self.analysis.parents.get(call) if call is not None else None
        line = self.analysis.parents.get(parent) if isinstance(parent, cst.Assign) else None
        if (not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or len(parent.targets) != 1
                or not isinstance(parent.targets[0].target, (cst.Name, cst.Attribute))):
            raise Refused("MIG109", f"`{self.analysis.code(optimizer)}` is not bound once to an optimizer "
                                   f"construction here{self._bound_at(optimizer)}, so the base lr (max_lr) is "
                                   "unknown", optimizer)
        home = program.function_of(self._builder.call) if self._returns_alone() else program.function_of(statement)
        if program.function_of(line) is not home:
            self._handed = self._handed_route(line, home)
            if self._handed is None:
                raise Refused("MIG109", f"the optimizer `{self.analysis.code(optimizer)}` is built in another "
                                       f"function (line {self.analysis.line(line)}){self._handed_advice(line, home)}",
                              optimizer)
        self._optimizer_line = line
        name = self.analysis.code(parent.targets[0].target)
        tracked = program.follow(call)
        chosen = {line for line, _, _ in self._optimizer_choice}
        if any(other not in chosen for other, _ in tracked.competitors):
            statement_, _ = next((other, value) for other, value in tracked.competitors if other not in chosen)
            raise Refused("MIG109", f"`{name}` is bound again at line {self.analysis.line(statement_)}, so which "
                                   "optimizer the scheduler drives is not one construction", optimizer)
        for use in tracked.uses:
            with blocking(self._blockers, self.call):
                self._check_use(use, name)
        return line, call, optimizer

    def _handed_route(self, optimizer_line, home) -> Route | None:
        """``optimizer = SGD(...)`` then ``fit(model, optimizer, loader, epochs)``, where fit() builds the scheduler
        from the optimizer it is given and trains: the calls from the optimizer's function to the scheduler's, each
        made once, the first after the optimizer and in the same loops (so at most one scheduler per optimizer; a
        call skipped by a condition steps nothing). The list is then computed where the optimizer is built, its
        counts written with the calls' arguments. None when that is not the shape."""
        program = self.analysis.program
        owner = program.function_of(optimizer_line)
        route = program.route(self.call, owner)
        if route is None or not isinstance(home, cst.FunctionDef):
            return None
        if (self.analysis.loops(route.anchor) != self.analysis.loops(optimizer_line)
                or self.analysis.start(route.anchor) < self.analysis.end(optimizer_line)):
            return None
        return route

    def _in_optimizer_terms(self, text: str | None, optimizer_line) -> str | None:
        """``text``, written in the function that builds the scheduler, in the terms of the one that builds the
        optimizer: that function's definitions (``total = epochs * len(loader)``) written out, then its parameters
        replaced by the arguments of the calls on the way."""
        if text is None or self._handed is None:
            return text
        local = dict(definitions(self.analysis, self._handed.hops[-1].function))
        for _ in range(len(local)):
            named = {name.value for name in read_names(cst.parse_expression(text))} & local.keys()
            if not named:
                break
            text = substituted(text, {name: local[name] for name in named})
        moved = self.analysis.program.in_frame_terms(text, self._handed, self._handed.hops[-1])
        owner = self._handed.hops[0].function
        if moved is None and shadows_globals(text, self._handed.hops[-1].function, owner):
            raise Refused("MIG105", f"`{text}` reads a global that {owner.name.value}() binds to a value of its own "
                                   f"where the optimizer is built (line {self.analysis.line(optimizer_line)})")
        if moved is None:
            raise Refused("MIG105", f"`{text}` reads names of {self._handed.hops[-1].function.name.value}() that its "
                                   f"caller does not give it, so its value where the optimizer is built (line "
                                   f"{self.analysis.line(optimizer_line)}) is not visible")
        return moved

    def _handed_values(self, values: ScheduleValues, cadence: Cadence, optimizer_line,
                       optimizer_arguments) -> tuple[ScheduleValues, Cadence]:
        """The site's texts in the terms of the function that builds the optimizer. Its own lr is written there
        already, so no name it reads may be one the scheduler's function binds (it would be read as that)."""
        other = self._also_has(CHAIN, FLAG, CONDITION, BUILDER, RESUME, OPTIMIZER_CHOICE)
        if other or self._lightning is not None:
            raise Refused("MIG109", f"the optimizer is built in another function (line "
                                   f"{self.analysis.line(optimizer_line)}) and the site also has "
                                   f"{other or 'another shape'}; each converts alone, not together", self.call)
        bound = set()
        for hop in self._handed.hops[1:]:
            bound |= bound_names(hop.function)
        lr = optimizer_arguments.get("lr")
        clash = {name.value for name in read_names(lr) if name.value in bound
                 and self.analysis.program.in_frame_terms(name.value, self._handed, self._handed.hops[-1])
                 != name.value} if lr is not None else set()
        if clash:
            raise Refused("MIG109", f"the optimizer's lr `{self.analysis.code(lr)}` (line "
                                   f"{self.analysis.line(optimizer_line)}) reads `{min(clash)}`, which the function "
                                   "that builds the scheduler binds to something else", lr)

        def moved(value):
            if isinstance(value, str):
                text = self._in_optimizer_terms(value, optimizer_line)
                self._handed_names |= {name.value for name in read_names(cst.parse_expression(text))}
                return text
            if isinstance(value, Schedule):
                return replace(value, args={key: moved(text) for key, text in value.args.items()})
            if isinstance(value, Claim):
                return replace(value, source=moved(value.source), target=moved(value.target),
                               run_steps=moved(value.run_steps), agrees_for=moved(value.agrees_for),
                               positive=tuple(moved(text) for text in value.positive),
                               definitions=definitions(self.analysis, self.analysis.program.function_of(
                                   optimizer_line)))
            return value

        translated = replace(values, **{item.name: moved(getattr(values, item.name)) for item in fields(values)})
        return translated, replace(cadence, step_every=moved(cadence.step_every), run_steps=moved(cadence.run_steps))

    def _handed_place(self, optimizer_line, reads, mapping) -> cst.CSTNode:
        """The optimizer's line, where the list is computed: what the first call passes must hold its value there."""
        if mapping is None:
            raise Refused("MIG103", "the optimizer, built in another function, has no mapping", self.call)
        for node, at in reads:
            why = self.analysis.unbound_name(node, optimizer_line, at)
            if why is not None:
                raise Refused("MIG105", f"the list is computed where the optimizer is built (line "
                                       f"{self.analysis.line(optimizer_line)}), but there {why}", node)
        return optimizer_line

    def _handed_where(self, optimizer_line) -> str:
        helper = self._handed.hops[-1].function.name.value
        return (f"; the list is computed where the optimizer is built (line {self.analysis.line(optimizer_line)}), "
                f"{helper}()'s counts written with the arguments of its call at line "
                f"{self.analysis.line(self._handed.anchor)}")

    def _handed_reads(self) -> list[tuple[cst.BaseExpression, cst.CSTNode]]:
        """What the moved counts read where the optimizer is built: the first call's arguments they name, as the
        call passes them."""
        call = self._handed.anchor
        return [(argument.value, call) for argument in call.args
                if {name.value for name in read_names(argument.value)} & self._handed_names]

    def _handed_advice(self, optimizer_line, home) -> str:
        """Why an optimizer handed to the function that builds the scheduler is not followed there."""
        program = self.analysis.program
        owner = program.function_of(optimizer_line)
        route = program.route(self.call, owner)
        if route is None or not isinstance(home, cst.FunctionDef):
            return ""
        call = self.analysis.line(route.anchor)
        loop = next((loop for loop in self.analysis.loops(route.anchor)
                     if loop not in self.analysis.loops(optimizer_line)), None)
        if loop is not None:
            return (f" and handed to {home.name.value}() (called at line {call}) in a loop it is not built in (line "
                    f"{self.analysis.line(loop)}): each call builds a new scheduler on the same optimizer, restarting "
                    "the schedule, which one list given to the optimizer cannot do")
        return (f" and handed to {home.name.value}() (called at line {call}), which builds the scheduler: MindSpore "
                "takes the list when the optimizer is built, and the call does not follow it where the list can be "
                "computed")

    def _chosen_optimizers(self, optimizer: cst.Name, statement) -> list:
        """``if args.optimizer == "sgd": optimizer = SGD(...) elif ...: optimizer = Adam(...) else: raise ...``
        before the scheduler: each branch binds the name once to a mapped optimizer. With the same lr one list
        serves whichever runs; with different lrs (kept in ``_choice_lrs``) each branch builds its own. The
        branches' (line, call, mapping) in source order; [] when the bindings are not such a choice (the caller then
        reports them)."""
        scope = self.analysis.scopes.get(optimizer)
        lines, top = [], None
        for assignment in scope[optimizer.value] if scope is not None else []:
            node = getattr(assignment, "node", None)
            target = self.analysis.parents.get(node) if node is not None else None
            assign = self.analysis.parents.get(target) if isinstance(target, cst.AssignTarget) else None
            line = self.analysis.parents.get(assign) if isinstance(assign, cst.Assign) else None
            if not (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
                    and len(assign.targets) == 1 and isinstance(assign.value, cst.Call)):
                return []
            choice = self.analysis.chain_top(line)
            if choice is None or top not in (None, choice):
                return []
            top = choice
            lines.append(line)
        if top is None or len(lines) < 2:
            return []
        blocks, exhaustive = self._branch_blocks(top)
        holders = [self.analysis.parents.get(line) for line in lines]
        block = self.analysis.parents.get(top)
        anchor = next((node for node in (statement, *self.analysis.ancestors(statement))
                       if self.analysis.parents.get(node) is block), None)
        if (not exhaustive or len(set(holders)) != len(lines)
                or any(block not in holders and not _raises(block) for block in blocks)
                or anchor is None or self.analysis.end(top) > self.analysis.start(anchor)):
            return []
        chosen, lrs = [], {}
        for line in sorted(lines, key=self.analysis.start):
            call = line.body[0].value
            names = self.analysis.names_of(call.func) & OPTIMIZERS.keys()
            if not names:
                raise Refused("MIG103", f"the optimizer chosen at line {self.analysis.line(line)} "
                                       f"({self.analysis.code(call.func)}) has no mapping, so the choice cannot "
                                       "convert as a whole", call)
            mapping = OPTIMIZERS[next(iter(sorted(names)))]
            lr = self._optimizer_arguments(call, mapping).get("lr")
            lrs[self.analysis.line(line)] = self.analysis.code(lr) if lr is not None else TORCH_DEFAULT_LR
            chosen.append((line, call, mapping))
        if len(set(lrs.values())) > 1:
            for line, call, mapping in chosen:
                lr = self._optimizer_arguments(call, mapping).get("lr")
                if lr is None:
                    raise Refused("MIG109", f"the `if` at line {self.analysis.line(top)} chooses optimizers with "
                                           f"different lrs, and the one at line {self.analysis.line(line)} takes "
                                           "torch's default: give it lr= so its branch can build its own list", call)
                self._choice_lrs[line] = lr
        return chosen

    def _bound_at(self, optimizer: cst.BaseExpression) -> str:
        """Where a name bound several times is bound, for the refusal that says which binding is meant."""
        scope = self.analysis.scopes.get(optimizer) if isinstance(optimizer, cst.Name) else None
        nodes = [getattr(assignment, "node", None) for assignment in scope[optimizer.value]] if scope else []
        lines = sorted({self.analysis.line(node) for node in nodes if node is not None})
        if len(lines) < 2:
            return ""
        return (f" (it is bound at lines {', '.join(map(str, lines))}, not as a choice by one `if` whose every "
                "branch binds it or raises)")

    def _also_has(self, *shapes: str) -> str | None:
        """The first of ``shapes`` (``CHAIN``, ``FLAG``...) this site has: the shapes convert one at a time, since
        each moves the scheduler or the optimizer in its own way."""
        present = {CHAIN: self._chain is not None or self._chain_choice is not None, FLAG: bool(self._branches),
                   CONDITION: self._conditional is not None, BUILDER: self._builder is not None,
                   GROUPS: bool(self._group_lrs), RESUME: self._resume is not None,
                   OPTIMIZER_CHOICE: bool(self._optimizer_choice), READS: bool(self._reads)}
        return next((shape for shape in shapes if present[shape]), None)

    def _lightning_module(self, owner: cst.ClassDef | None, depth: int = 4) -> bool:
        """Whether ``owner`` derives from Lightning's ``LightningModule``: directly, through classes of this module,
        or through a class imported from elsewhere in a module that imports Lightning (``BenchmarkModule`` of a
        library built on it). Only then does a Trainer call its ``configure_optimizers`` and step what it returns;
        a plain ``torch.nn.Module`` with such a method is driven by the script's own loop."""
        if owner is None or depth == 0:
            return False
        for base in owner.bases:
            names = self.analysis.names_of(base.value)
            if any(name.endswith("LightningModule") for name in names):
                return True
            own = self.analysis.program.own_class(base.value)
            if own is not None and self._lightning_module(own, depth - 1):
                return True
            if own is None and names and not any(name.startswith(("torch.", "builtins.")) for name in names) \
                    and self._imports_lightning:
                return True
        return False

    @functools.cached_property
    def _imports_lightning(self) -> bool:
        modules = [self.analysis.code(alias.name) for node in self.analysis.nodes(cst.Import) for alias in node.names]
        modules += [self.analysis.code(node.module) for node in self.analysis.nodes(cst.ImportFrom) if node.module]
        return any(module.split(".")[0] in ("lightning", "pytorch_lightning") for module in modules)

    def _lightning_return(self, use: Use) -> LightningReturn | None:
        """The scheduler returned from a LightningModule's ``configure_optimizers``: ``[optimizer], [scheduler]``,
        ``{"optimizer": ..., "lr_scheduler": scheduler}`` or a scheduler config dict ``{"scheduler": scheduler,
        "interval": "epoch" | "step"}`` in either; a ``frequency`` other than 1 or a ``monitor`` is not followed."""
        function = self.analysis.program.function_of(self.call)
        if not (isinstance(function, cst.FunctionDef) and function.name.value == "configure_optimizers"
                and self._lightning_module(self.analysis.program.class_of(function))):
            return None
        node, interval = use.node, "epoch"
        parent = self.analysis.parents.get(node)
        if isinstance(parent, cst.DictElement) and _string(parent.key) == "scheduler":
            config = self.analysis.parents[parent]
            entries = {_string(element.key): element.value for element in config.elements
                       if isinstance(element, cst.DictElement)}
            if set(entries) - {"scheduler", "interval", "frequency", "name"} or len(entries) != len(config.elements):
                return None
            interval = _string(entries.get("interval", cst.SimpleString('"epoch"')))
            frequency = entries.get("frequency")
            if interval not in ("epoch", "step") or frequency is not None and self.analysis.code(frequency) != "1":
                return None
            node, parent = config, self.analysis.parents.get(config)
        if isinstance(parent, cst.DictElement) and _string(parent.key) == "lr_scheduler":
            returned = self.analysis.parents[parent]
            if len(returned.elements) != 2:
                return None
        elif isinstance(parent, cst.Element) and isinstance(self.analysis.parents.get(parent), cst.List):
            listed = self.analysis.parents[parent]
            returned = self.analysis.parents.get(self.analysis.parents.get(listed))
            if len(listed.elements) != 1 or not (isinstance(returned, cst.Tuple) and len(returned.elements) == 2):
                return None
        else:
            return None
        statement = self.analysis.parents.get(returned)
        if not (isinstance(statement, cst.Return) and statement.value is returned):
            return None
        return LightningReturn(returned, interval)

    def _lightning_cadence(self) -> Cadence:
        """Lightning steps an "epoch" scheduler after each epoch's batches and a "step" one after each optimizer
        step; the run is ``max_epochs`` epochs of ``num_training_batches`` optimizer steps (the MIG115 assumptions)."""
        other = self._also_has(CHAIN, FLAG, CONDITION, BUILDER, RESUME, OPTIMIZER_CHOICE, READS)
        if other:
            raise Refused("MIG115", f"the scheduler is returned to Lightning and the site also has {other}; "
                                   "each converts alone, not together", self._lightning.value)
        batches, epochs = "self.trainer.num_training_batches", "self.trainer.max_epochs"
        run = product(epochs, batches)
        if self._lightning.interval == "step":
            return Cadence("1", run, False, [])
        return Cadence(batches, run, True, [])

    def _lightning_note(self, owner: str, list_name: str) -> Note:
        every = ("after every epoch's batches" if self._lightning.interval == "epoch"
                 else "after every optimizer step")
        return Note(self._lightning.value, "MIG115",
                    f"Lightning's Trainer stepped this scheduler {every} (interval \"{self._lightning.interval}\"); "
                    f"configure_optimizers now returns the MindSpore optimizer {owner} with {list_name}, one entry "
                    "per optimizer step of self.trainer.max_epochs epochs of self.trainer.num_training_batches "
                    "batches (assumes one optimizer step per batch: accumulate_grad_batches=1, no max_steps); the "
                    "Trainer drives torch optimizers only, so port the training loop to MindSpore with that run")

    def _check_optimizer_choice(self) -> None:
        """An optimizer choice converts with a plain scheduler: the other shapes each move the optimizer too."""
        other = (self._also_has(BUILDER, GROUPS, RESUME) if self._chain_choice is not None and not self._choice_lrs
                 else self._also_has(CHAIN, FLAG, CONDITION, BUILDER, GROUPS, RESUME))
        if other:
            line = self.analysis.line(self._optimizer_choice[0][0])
            raise Refused("MIG109", f"the optimizer is chosen by the `if` around line {line} and the site also has "
                                   f"{other}; each converts alone, not together", self.call)
        chosen = {line for line, _, _ in self._optimizer_choice}
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        for block in self._branch_blocks(top)[0] if self._chain_choice is not None else ():
            extra = next((statement for statement in block.body if statement not in chosen), None)
            if extra is not None and not _raises(block):
                raise Refused("MIG109", f"the `if` at line {self.analysis.line(top)} that chooses the optimizer moves "
                                       "after the chain's lists, and its branch also runs "
                                       f"`{self.analysis.first_line(extra)}` (line {self.analysis.line(extra)}), "
                                       "which would then run after them", extra)

    def _choice_place(self, reads) -> cst.CSTNode:
        """The ``if`` that chooses the optimizer: the list is built before it, for every branch."""
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        why = next(filter(None, (self.analysis.unbound_name(node, top, at) for node, at in reads)), None)
        if why is not None:
            raise Refused("MIG105", f"the list is built before the `if` at line {self.analysis.line(top)} that "
                                   f"chooses the optimizer, and there {why}", self.call)
        return top

    def _optimizers_chosen(self, list_name: str) -> str:
        top = self.analysis.chain_top(self._optimizer_choice[0][0])
        built = ", ".join(f"{self.analysis.code(call.func)} → {chosen.target} (line {self.analysis.line(line)})"
                          for line, call, chosen in self._optimizer_choice)
        if self._chain_choice is not None:
            return (f"; the `if` at line {self.analysis.line(top)} chooses the optimizer: it moves after the chain's "
                    f"lists (line {self.analysis.line(self._chain_choice.line)}) and each branch's optimizer takes "
                    f"{list_name} ({built})")
        if self._choice_lrs:
            return (f"; the `if` at line {self.analysis.line(top)} chooses optimizers with different lrs: each branch "
                    f"builds {list_name} from its own lr, annealed as torch anneals from it, before its optimizer "
                    f"({built})")
        return (f"; the `if` at line {self.analysis.line(top)} chooses the optimizer: {list_name} is built before it "
                f"and each branch's optimizer takes it ({built})")

    def _check_use(self, use, name: str) -> None:
        """A use of the optimizer a list cannot follow refuses the site (MIG110: lr state; MIG107: another
        scheduler); a call to a function defined elsewhere is an assumption of the rewrite."""
        program = self.analysis.program
        if use.kind == ATTRIBUTE and use.detail == "param_groups" and (read := self._lr_group_read(use)):
            self._reads.append(read)
            return
        if self._resume is not None and (initial := self._initial_lr_loop(use)) is not None:
            self._initial_lr = initial
            return
        if use.kind == METHOD and use.detail == "load_state_dict" and self._loaded:
            self._optimizer_loaded = True
            return
        if use.kind in (METHOD, ATTRIBUTE) and use.detail in LR_STATE:
            attribute = self.analysis.parents[use.node]
            function = program.function_of(use.node)
            local = self.analysis.code(use.node)
            calls = ", ".join(str(self.analysis.line(call)) for call in program.call_sites(function))
            where = (f"in {function.name.value}() (line {self.analysis.line(function)}"
                     + (f", called at line {calls}" if calls else "") + "), "
                     if function is not program.function_of(self.call) and isinstance(function, cst.FunctionDef)
                     else "")
            raise Refused("MIG110", where + self._lr_state_message(attribute, local, name), attribute)
        if use.kind != ARGUMENT or use.call is self.call or self._returns_alone() and use.call is self._builder.call:
            return
        if self._chain is not None and use.call in (self._chain.call, self._chain.warmup_call):
            return
        if use.call in self._branches.values() or self._chain_choice is not None and (
                use.call is self._chain_choice.call or use.call in self._chain_choice.warmups.values()):
            return
        callee = self.analysis.names_of(use.call.func)
        if any(qualified.startswith(SCHEDULER_MODULE) for qualified in callee):
            raise Refused("MIG107", f"the optimizer `{name}` also drives the scheduler at line "
                                   f"{self.analysis.line(use.call)}; one optimizer takes one learning-rate list")
        if isinstance(use.call.func, cst.Attribute) and use.call.func.attr.value == "step":
            return
        outside = self._super_bases(use.call) or ([use.call.func] if program.callee(use.call) is None else [])
        for base in outside:
            if _sets_lrs(self.analysis.code(base)) or any(qualified.startswith(SCHEDULER_MODULE)
                                                          for qualified in self.analysis.names_of(base)):
                raise Refused("MIG107", f"the optimizer `{name}` is also given to {self.analysis.code(use.call.func)}() "
                                       f"at line {self.analysis.line(use.call)}"
                                       + (f", of the base class {self.analysis.code(base)}" if base is not use.call.func
                                          else "")
                                       + ", defined elsewhere, whose name says it schedules or sets the lr: the list "
                                         "cannot follow an lr another scheduler moves", use.call)
        if not any(qualified.startswith("builtins.") for qualified in callee):
            self.assumptions.append(f"{self.analysis.code(use.call.func)}() at line {self.analysis.line(use.call)} "
                                    f"neither reads nor changes the lr of `{name}`")

    def _super_bases(self, call: cst.Call) -> list[cst.BaseExpression]:
        """The bases of the class whose method makes ``call`` when it is ``super().<method>(...)``: what runs is
        theirs (a subclass of torch's ``LRScheduler`` hands the optimizer to it this way)."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call)
                and isinstance(func.value.func, cst.Name) and func.value.func.value == "super"):
            return []
        owner = next((node for node in self.analysis.ancestors(call) if isinstance(node, cst.ClassDef)), None)
        return [base.value for base in owner.bases] if owner is not None else []

    def _initial_lr_loop(self, use: Use) -> tuple[cst.For, cst.BaseExpression] | None:
        """``for group in optimizer.param_groups: group["initial_lr"] = value`` in the scheduler's block, before
        it: torch's resume idiom, with the value the schedule goes on from."""
        attribute = self.analysis.parents.get(use.node)
        loop = self.analysis.parents.get(attribute)
        statement = self.analysis.statement(self.call)
        if not (use.kind == ATTRIBUTE and use.detail == "param_groups" and isinstance(loop, cst.For)
                and loop.iter is attribute and isinstance(loop.target, cst.Name)
                and self.analysis.parents.get(loop) is self.analysis.parents.get(statement)
                and self.analysis.end(loop) <= self.analysis.start(statement)
                and isinstance(loop.body, cst.IndentedBlock) and len(loop.body.body) == 1 and not loop.orelse):
            return None
        line = loop.body.body[0]
        only = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
        if isinstance(only, cst.Expr) and isinstance(only.value, cst.Call):
            return self._initial_lr_default(loop, only.value)
        if not (isinstance(only, cst.Assign) and len(only.targets) == 1):
            return None
        target = only.targets[0].target
        if not (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)
                and target.value.value == loop.target.value and subscript_key(target) == "initial_lr"):
            return None
        return loop, only.value

    @staticmethod
    def _initial_lr_default(loop: cst.For, call: cst.Call) -> tuple[cst.For, cst.BaseExpression] | None:
        """``group.setdefault("initial_lr", value)``: what assigning it does on an optimizer whose groups have no
        ``initial_lr`` yet, as a resume on an optimizer without a loaded state has (``_check_resume``)."""
        func = call.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "setdefault" and isinstance(func.value, cst.Name)
                and func.value.value == loop.target.value and len(call.args) == 2
                and not any(argument.keyword or argument.star for argument in call.args)
                and isinstance(call.args[0].value, cst.SimpleString)
                and call.args[0].value.evaluated_value == "initial_lr"):
            return None
        return loop, call.args[1].value

    def _lr_state_message(self, attribute: cst.Attribute, local: str, name: str) -> str:
        line = self.analysis.line(attribute)
        use = self.analysis.first_line(self.analysis.statement(attribute))
        what = LR_STATE[attribute.attr.value].format(name=local)
        if attribute.attr.value in ("param_groups", "defaults") and not self._writes_groups(attribute):
            return (f"`{use}` at line {line} {what}, which a MindSpore optimizer does not have, so the converted "
                    f"file would fail there; in MindSpore the lr of the current step is `{name}.get_lr()` (or the "
                    "schedule list indexed by the optimizer step): port that line, then convert")
        if attribute.attr.value in ("param_groups", "defaults"):
            what = what.replace("reads", "writes")
        return (f"`{use}` at line {line} {what}: torch's {self.NAME} goes on from the lr it finds there, a "
                f"{self.LIST_FUNCTION} list cannot, so this site cannot be converted")

    def _writes_groups(self, attribute: cst.Attribute) -> bool:
        """``opt.param_groups[0]["lr"] = …`` (or ``+=``), or a ``for g in opt.param_groups:`` whose body writes
        ``g[...]`` or calls ``g.update(...)``."""
        node, parent = attribute, self.analysis.parents.get(attribute)
        while isinstance(parent, cst.Subscript) and parent.value is node:
            node, parent = parent, self.analysis.parents.get(parent)
        if _assigned(node, parent):
            return True
        if not (isinstance(parent, cst.For) and parent.iter is node and isinstance(parent.target, cst.Name)):
            return False
        group = parent.target
        for assignment in self.analysis.scopes[group][group.value]:
            if getattr(assignment, "node", None) is not group:
                continue
            for access in assignment.references:
                use = self.analysis.parents.get(access.node)
                if isinstance(use, cst.Subscript) and _assigned(use, self.analysis.parents.get(use)):
                    return True
                if isinstance(use, cst.Attribute) and use.attr.value in GROUP_WRITERS:
                    return True
        return False

    def _check_param_groups(self, call: cst.Call, mapping: OptimizerMapping | None) -> None:
        """Param groups with their own "lr" get their own list (MindSpore keeps a group's plain "lr" constant).

        A list literal is read (or the list literal a name is bound to once and never changed); any other params
        expression that could hold groups is an assumption of the rewrite. Also counts the groups, which decides
        what MindSpore's ``get_lr()`` returns (a float for one, a tuple for several); None when not visible.
        """
        positional = mapping.positional if mapping else ("params",)
        params = bind(call, positional, mapping.keyword_only if mapping else ()).values.get("params")
        if params is None:
            return
        groups = self._group_literal(params)
        plain = groups is None and (self._plain_parameters(params) or self._groups_sharing_the_lr(params))
        self._group_count = (len(groups) or 1) if groups is not None else 1 if plain else None
        if groups is None:
            if not plain:
                self.assumptions.append(f"{self.analysis.code(params)} has no per-group \"lr\" (MindSpore keeps a "
                                        "group's own lr constant)")
            return
        for index, group in enumerate(groups, 1):
            if any(isinstance(element, cst.StarredDictElement) for element in group.elements):
                raise Refused("MIG105", f"param group {index} (line {self.analysis.line(group)}) unpacks `**` "
                                       "entries, so whether it sets its own lr is not visible", group)
            keys = {element.key.evaluated_value: element for element in group.elements
                    if isinstance(element.key, cst.SimpleString)}
            other = sorted(set(keys) - GROUP_KEYS) or (["a computed key"] if len(keys) < len(group.elements)
                                                       else [])
            if other:
                raise Refused("MIG104", f"param group {index} (line {self.analysis.line(group)}) sets {other[0]}, "
                                       "which a MindSpore group dict does not take (it takes params, lr and "
                                       "weight_decay)", group)
            if "lr" in keys:
                self._group_lrs.append((index, keys["lr"]))
        if self._group_lrs and self._conditional is not None:
            raise Refused("MIG105", f"param groups set their own lr (line {self.analysis.line(self._group_lrs[0][1])}) "
                                   f"and the scheduler is created under `if "
                                   f"{self.analysis.code(self._conditional.test)}:`; every branch would need one "
                                   "list per group, which is not written yet", params)
        if self._group_lrs and not isinstance(params, (cst.List, cst.Tuple)):
            raise Refused("MIG105", f"the param groups `{self.analysis.code(params)}` set their own lr at line "
                                   f"{self.analysis.line(self._group_lrs[0][1])}; one list per group is written "
                                   "when the groups are a list in the optimizer call itself", params)
        self._groups = params if isinstance(params, (cst.List, cst.Tuple)) else None

    def _group_literal(self, params: cst.BaseExpression) -> list[cst.Dict] | None:
        """The group dicts of a list/tuple literal of params (followed through a name bound once and not
        changed after), or None when what params holds is not visible."""
        if isinstance(params, cst.Name):
            assignment = self.analysis.single_assignment(params)
            bound = self.analysis.assigned_value(assignment) if assignment is not None else None
            changed = bound is None or any(not isinstance(self.analysis.parents.get(access.node), cst.Arg)
                                           for access in assignment.references)
            return None if changed else self._group_literal(bound[1])
        if not isinstance(params, (cst.List, cst.Tuple)):
            return None
        if any(isinstance(element, cst.StarredElement) for element in params.elements):
            return None
        return [element.value for element in params.elements if isinstance(element.value, cst.Dict)]

    def _groups_sharing_the_lr(self, params: cst.BaseExpression) -> bool:
        """Params that are plain or groups none of which sets its own lr (``[{"params": p, "weight_decay": w} for
        ...]``), or a name every binding of which is one of these (torchvision's ``parameters``): the optimizer
        has one lr for every group, so one list serves them and MindSpore's get_lr() is one value."""
        if isinstance(params, cst.Name):
            scope = self.analysis.scopes.get(params)
            bound = [self.analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
                     for assignment in (scope[params.value] if scope is not None else [])]
            return bool(bound) and not self.analysis.changed_through(params.value) and all(
                value is not None and not isinstance(value[1], cst.Name) and self._groups_sharing_the_lr(value[1])
                for value in bound)
        if isinstance(params, (cst.ListComp, cst.GeneratorExp)) and isinstance(params.elt, cst.Dict):
            keys = [element.key for element in params.elt.elements if isinstance(element, cst.DictElement)]
            return (len(keys) == len(params.elt.elements) and all(isinstance(key, cst.SimpleString) for key in keys)
                    and not {key.evaluated_value for key in keys} - GROUP_KEYS - {"lr"}
                    and "lr" not in {key.evaluated_value for key in keys})
        return self._plain_parameters(params)

    def _plain_parameters(self, params: cst.BaseExpression) -> bool:
        """``model.parameters()``, or a comprehension/``filter``/``list`` over such, or a name bound once to one of
        these (``parameters = model.parameters()``): tensors, never groups."""
        if isinstance(params, cst.Name):
            assignment = self.analysis.single_assignment(params)
            assigned = self.analysis.assigned_value(assignment) if assignment is not None else None
            return (assigned is not None and not isinstance(assigned[1], cst.Name)
                    and not self.analysis.changed_through(params.value) and self._plain_parameters(assigned[1]))
        if isinstance(params, (cst.ListComp, cst.GeneratorExp)):
            return not isinstance(params.elt, cst.Dict) and not (
                isinstance(params.elt, cst.Call) and self.analysis.names_of(params.elt.func) & {"builtins.dict"})
        if not isinstance(params, cst.Call):
            return False
        if isinstance(params.func, cst.Attribute) and params.func.attr.value in ("parameters", "trainable_params"):
            return True
        return bool(self.analysis.names_of(params.func) & {"builtins.filter", "builtins.list"}) and any(
            self._plain_parameters(argument.value) for argument in params.args)

    def _optimizer_arguments(self, call: cst.Call, mapping: OptimizerMapping | None):
        if mapping is None:
            lr = next((argument.value for argument in call.args
                       if argument.keyword is not None and argument.keyword.value == "lr"), None)
            if lr is None:
                raise Refused("MIG109", f"{self.analysis.code(call.func)} is not a mapped optimizer and has no "
                                       "lr= argument, so the base lr (max_lr) is unknown", call)
            return {"lr": lr}
        return bound_arguments(self.analysis, call, mapping)

    def _cadence(self, statement, steps, optimizer: cst.Name) -> Cadence:
        step = steps[0]
        scope = self.analysis.enclosing_scope(statement)
        optimizer_step = self._optimizer_step(optimizer)
        self._optimizer_step_node = optimizer_step
        if self.analysis.enclosing_scope(optimizer_step) is not scope or self.analysis.enclosing_scope(step) is not scope:
            return self._helper_cadence(statement, step, optimizer_step)
        base = self.analysis.loops(statement)
        scheduler_loops = self.analysis.loops(step)
        optimizer_loops = self.analysis.loops(optimizer_step)
        if optimizer_loops[:len(base)] != base or len(optimizer_loops) == len(base):
            raise Refused("MIG106", "optimizer.step() is not in a loop of its own after the scheduler is built",
                          optimizer_step)
        run_loops = optimizer_loops[len(base):]
        self._loop_nodes = [self.analysis.unwrapped(loop.iter) for loop in run_loops if isinstance(loop, cst.For)]
        self._run_loop = run_loops[0]
        together = self._stepped_together(optimizer_step, step, optimizer_loops[-1])
        if self.analysis.guards(optimizer_step, optimizer_loops[-1]) and not together:
            raise Refused("MIG106", "optimizer.step() runs under a condition, so the optimizer steps per epoch are "
                                   "not visible", optimizer_step)
        if scheduler_loops == optimizer_loops:
            if self.analysis.start(step) < self.analysis.start(optimizer_step):
                raise Refused("MIG106", "scheduler.step() runs before optimizer.step() in the same loop: every "
                                       "optimizer step would use the next step's lr", step)
            if not together:
                self._unguarded(step, scheduler_loops[-1])
            for leaving in self.analysis.loop_exits(optimizer_loops[-1], run_loops[0]):
                if self.analysis.start(optimizer_step) < self.analysis.start(leaving) < self.analysis.start(step):
                    raise Refused("MIG106", f"{self._exit_text(leaving)} comes between optimizer.step() and "
                                           "scheduler.step(): an optimizer step can go without its scheduler step, "
                                           "which a list indexed by optimizer step cannot follow", leaving)
            run, assumptions = self._counts(run_loops, optimizer_step)
            if together:
                assumptions.append(ACCUMULATION.format(line=self.analysis.line(together[0])))
            return Cadence("1", run, False, assumptions)
        if scheduler_loops == optimizer_loops[:-1] and len(scheduler_loops) > len(base):
            batch_loop = optimizer_loops[-1]
            if self.analysis.start(step) < self.analysis.end(batch_loop):
                self._epoch_start = self._steps_first(step, batch_loop, scheduler_loops[-1], run_loops[0])
            self._unguarded(step, scheduler_loops[-1])
            self._unguarded(batch_loop, scheduler_loops[-1])
            cap = batch_cap(self.analysis, batch_loop, optimizer_step)
            self._check_whole_epochs(batch_loop, scheduler_loops[-1], step, run_loops[0], cap)
            per_epoch, why = self.analysis.iteration_count(batch_loop)
            if per_epoch is None:
                raise Refused("MIG106", f"the optimizer steps per epoch are not visible: {why}", batch_loop)
            if cap is not None:
                per_epoch = f"min({per_epoch}, {cap.count})"
                self._loop_nodes.append(cap.limit)
            assumptions = [why] if why else []
            if cap is not None:
                assumptions.append(f"{cap.count} > 0 (MindSpore needs step_per_epoch > 0)")
                self._positive.append(cap.count)
            run, more = self._counts(run_loops, optimizer_step)
            return Cadence(per_epoch, run, True, assumptions + [a for a in more if a not in assumptions])
        raise Refused("MIG106", "scheduler.step() is neither in the optimizer's loop nor right after its batch "
                               "loop, so its cadence is not visible", step)

    def _creation(self, optimizer: cst.BaseExpression) -> cst.Call | None:
        """The optimizer's construction: the one call it holds, or the first branch of an optimizer choice (the
        branches bind the same name, so they share its uses)."""
        return self._optimizer_choice[0][1] if self._optimizer_choice else self.analysis.program.origin(optimizer)

    def _optimizer_step(self, optimizer: cst.Name) -> cst.CSTNode:
        """The one statement where the optimizer steps: ``optimizer.step()`` or ``scaler.step(optimizer)``, here
        or in a function of this module the optimizer reaches as a global or a parameter."""
        tracked = self.analysis.program.follow(self._creation(optimizer))
        sites = [self.analysis.statement(use.call) for use in tracked.methods("step")]
        stepped_by = [use.call for use in tracked.of_kind(ARGUMENT)
                      if isinstance(use.call.func, cst.Attribute) and use.call.func.attr.value == "step"]
        for call in stepped_by:
            own = self.analysis.program.instance_of_own_class(call.func.value)
            if own is not None:
                raise Refused("MIG106", f"`{self.analysis.code(call)}` at line {self.analysis.line(call)} calls the "
                                       f"step() of {own.name.value}, a class of this module, which may step the "
                                       "optimizer any number of times: the optimizer steps are not visible", call)
        sites += [self.analysis.statement(call) for call in stepped_by]
        sites = self._one_of_two_branches(sites)
        if len(sites) != 1:
            lines = ", ".join(str(self.analysis.line(site)) for site in sites)
            raise Refused("MIG106", f"optimizer.step() is called {len(sites)} times" + (f" (lines {lines})" if lines
                                   else "") + "; the rewrite needs exactly one call site to count optimizer steps")
        return sites[0]

    def _one_of_two_branches(self, sites: list[cst.CSTNode]) -> list[cst.CSTNode]:
        """``[the if]`` for two step sites, one in each branch of an ``if``/``else`` (``if scaler is not None:
        scaler.step(optimizer)`` ``else: optimizer.step()``), each a statement of its branch itself in a branch
        that nothing can leave early: whichever runs, the ``if`` steps the optimizer once. Else ``sites``."""
        if len(sites) != 2:
            return sites
        blocks = [self.analysis.parents.get(site) for site in sites]
        conditional = next((owner for block in blocks if isinstance(owner := self.analysis.parents.get(block), cst.If)),
                           None)
        if not (conditional is not None and isinstance(conditional.orelse, cst.Else)
                and {id(block) for block in blocks} == {id(conditional.body), id(conditional.orelse.body)}):
            return sites
        if any(_may_leave(block) for block in blocks):
            return sites
        return [conditional]

    def _left_to_port(self, optimizer_call: cst.Call, owner: str) -> list[Note]:
        """Each use of the converted optimizer that is still torch's API, with the MindSpore idiom (MIG112)."""
        notes = []
        removed = {self.call, *self._branches.values()} | (
            {self._chain.call, self._chain.warmup_call} if self._chain is not None else set()) | (
            {self._chain_choice.call, *self._chain_choice.warmups.values()} if self._chain_choice is not None
            else set())
        loop = self._initial_lr[0] if self._initial_lr is not None else None
        for use in self.analysis.program.follow(optimizer_call).uses:
            if loop is not None and loop in self.analysis.ancestors(use.node):
                continue
            if use.kind == ARGUMENT and use.call not in removed:
                node, idiom = use.call, ARGUMENT_IDIOM.format(callee=self.analysis.code(use.call.func))
            elif use.kind in (METHOD, ATTRIBUTE) and all(use.node is not read.node for read in self._reads):
                node = use.call if use.kind == METHOD else self.analysis.parents[use.node]
                idiom = LEFT_TO_PORT.get(use.detail, OTHER_IDIOM.format(name=use.detail))
            else:
                continue
            notes.append(Note(node, "MIG112", f"`{self.analysis.first_line(node)}` uses {owner} as a torch "
                                             f"optimizer, and it is a MindSpore one now: {idiom}"))
        return notes

    def _saved_in_dict(self, use: Use) -> bool:
        """``{..., "scheduler": scheduler.state_dict(), ...}``: a checkpoint entry that can be dropped alone."""
        element = self.analysis.parents.get(use.call)
        return (isinstance(element, cst.DictElement) and element.value is use.call
                and isinstance(self.analysis.parents.get(element), cst.Dict))

    def _read_replacement(self, read: Use) -> dict:
        """``get_last_lr()[0]`` → ``float(opt.get_lr())``; ``get_last_lr()`` → ``[float(opt.get_lr())]``; with
        several param groups MindSpore's ``get_lr()`` is a tuple, read by index. A read after the iteration's
        optimizer steps and before scheduler.step() takes the last step's entry, ``opt.learning_rate(step - 1)``,
        which is how ``get_lr()`` itself reads the list."""
        stale = id(read) in self._stale_reads
        if read.detail == "param_groups":
            owner = self.analysis.code(self.analysis.parents[read.node].value)
            position = self.analysis.code(read.call.value.slice[0].slice.value)
            index = None if self._group_count == 1 else position
            return {read.call: cst.parse_expression(f"float({_current_lr(owner, index, stale)})")}
        owner = self._read_owners[id(read)]
        subscript = self.analysis.parents.get(read.call)
        index = (self.analysis.code(subscript.slice[0].slice.value).strip()
                 if isinstance(subscript, cst.Subscript) and len(subscript.slice) == 1
                 and isinstance(subscript.slice[0].slice, cst.Index) else None)
        if self._group_count == 1:
            current = cst.parse_expression(f"float({_current_lr(owner, None, stale)})")
            if index in ("0", "-1"):
                return {subscript: current}
            return {read.call: cst.List([cst.Element(current)])}
        if index is not None:
            return {subscript: cst.parse_expression(f"float({_current_lr(owner, index, stale)})")}
        if stale:
            return {read.call: cst.parse_expression(f"[float(lr({owner}.global_step - 1)) for lr in "
                                                    f"{owner}.learning_rate]")}
        return {read.call: cst.parse_expression(f"[float(lr) for lr in {owner}.get_lr()]")}

    def _read_note(self, read: Use) -> Note:
        stale, group = id(read) in self._stale_reads, None
        if read.detail == "param_groups":
            owner = self.analysis.code(self.analysis.parents[read.node].value)
            if self._group_count != 1:
                group = self.analysis.code(read.call.value.slice[0].slice.value)
        else:
            owner = self._read_owners[id(read)]
        source = _current_lr(owner, group, stale)
        what = (f"{source}: the lr of the optimizer's last step (it runs after the iteration's optimizer steps and "
                "before scheduler.step(), where get_lr() would give the next step's), from the list" if stale else
                f"{source}: the lr of the optimizer's next step, from the list")
        return Note(read.call, "MIG111", f"{self._read_text(read)} reads {what} (as float32, the precision "
                                         "MindSpore's optimizer uses it in)"
                    + (RECOMPUTED_GET_LR if read.detail == "get_lr" else ""))

    def _read_text(self, read: Use) -> str:
        return (f"scheduler.{read.detail}()" if read.detail != "param_groups"
                else f"`{self.analysis.code(read.call)}`")

    def _lr_group_read(self, use: Use) -> Use | None:
        """``opt.param_groups[i]["lr"]`` read (not written): the lr of the optimizer's next step, which a MindSpore
        optimizer gives as ``opt.get_lr()``. As a Use whose ``call`` is the whole read."""
        attribute = self.analysis.parents.get(use.node)
        index = self.analysis.parents.get(attribute)
        key = self.analysis.parents.get(index)
        if not (isinstance(index, cst.Subscript) and index.value is attribute and isinstance(key, cst.Subscript)
                and key.value is index and len(index.slice) == 1 and len(key.slice) == 1):
            return None
        position, name = index.slice[0].slice, key.slice[0].slice
        if not (isinstance(position, cst.Index) and isinstance(position.value, cst.Integer)
                and isinstance(name, cst.Index) and isinstance(name.value, cst.SimpleString)
                and name.value.evaluated_value == "lr"):
            return None
        outer = self.analysis.parents.get(key)
        if _assigned(key, outer) or isinstance(outer, (cst.Subscript, cst.Attribute)) and outer.value is key:
            return None
        return Use(use.node, use.kind, "param_groups", key)

    def _check_reads(self, step, optimizer_line, mapping) -> None:
        """``get_last_lr()`` / ``param_groups[i]["lr"]`` reads become the optimizer's lr from the list: MindSpore's
        ``get_lr()`` (the next step's entry) where no scheduler.step() comes before the next optimizer step, the
        last step's entry where the read follows an optimizer step of the iteration and precedes scheduler.step().
        Reads count from the function that runs the training loop (a helper's, through its call; the caller's of a
        helper that steps, around its call)."""
        if not self._reads:
            return
        program = self.analysis.program
        frame = self._runner or program.function_of(step)
        optimizer_path = self._path(program.route(self._optimizer_step_node, frame))
        step_path = self._path(program.route(step, frame))
        for read in self._reads:
            with blocking(self._blockers, self.call):
                self._check_read(read, frame, optimizer_line, mapping, optimizer_path, step_path)

    def _check_read(self, read: Use, frame, optimizer_line, mapping, optimizer_path: tuple, step_path: tuple) -> None:
        """One lr read: refused where the list cannot say what torch's scheduler reports, else noted stale when it
        reads the last step's entry."""
        program = self.analysis.program
        line = self.analysis.line(read.call)
        if mapping is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} reads the lr of an optimizer the "
                                   "rule does not convert (MIG103)", read.call)
        if self._group_count is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line}: how many param groups the optimizer "
                                   "has is not visible, and MindSpore's get_lr() is a float for one group and a "
                                   "tuple for several", read.call)
        route = program.route(read.call, frame)
        if route is None:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} is read in a function that "
                                   f"{'scheduler.step()' if frame is self.analysis.module else frame.name.value + '()'} "
                                   "does not call from exactly one place, so when it runs is not visible",
                          read.call)
        if read.detail != "param_groups":
            self._read_owners[id(read)] = self._optimizer_text_in(read, optimizer_line)
        if self._run_loop is not None and self._run_loop not in set(self.analysis.ancestors(route.anchor)):
            return
        here = self._path(route)
        if self._epoch_start and not step_path < here < optimizer_path:
            raise Refused("MIG107", f"{self._read_text(read)} at line {line} is not between scheduler.step() at "
                                   "the start of the epoch and the epoch's first optimizer step, where "
                                   "MindSpore's list gives the lr torch's scheduler reports; read it there, "
                                   "then convert", read.call)
        if optimizer_path < here < step_path:
            if self._none_first is not None or self._flag_guard is not None:
                raise Refused("MIG107", f"{self._read_text(read)} at line {line} runs after the iteration's "
                                       "optimizer steps and before scheduler.step(), where the lr is the last "
                                       "step's entry of the list; when the scheduler is not created the "
                                       "optimizer gets a constant lr, which has no entries", read.call)
            self._stale_reads.add(id(read))

    def _path(self, route) -> tuple:
        """Where a node runs within one iteration of the stepping function's loops: the position of each hop of its
        route, so two paths compare in the order the nodes run."""
        return tuple(self.analysis.start(hop.node) for hop in route.hops)

    def _optimizer_text_in(self, read: Use, optimizer_line) -> str:
        """How the optimizer is named where ``read`` is: the name it is built under, the parameter of the
        read's function that receives it, or the attribute its class keeps it in."""
        program = self.analysis.program
        there, home = program.function_of(read.call), program.function_of(optimizer_line)
        target = optimizer_line.body[0].targets[0].target
        if there is home or (isinstance(target, cst.Attribute) and program.class_of(home) is not None
                             and program.class_of(there) is program.class_of(home)):
            return self.analysis.code(target)
        tracked = program.follow(self._creation(target))
        names = [reference for reference in tracked.references
                 if program.function_of(reference) is there and (isinstance(reference, cst.Name) or isinstance(
                     reference, cst.Attribute) and program.is_self(reference.value))]
        names += [binding.target for binding in tracked.bindings
                  if isinstance(binding.target, cst.Attribute) and program.class_of(there) is not None
                  and program.class_of(program.function_of(binding.statement)) is program.class_of(there)
                  and program.function_of(binding.statement).name.value == "__init__" and not tracked.competitors]
        if not names:
            raise Refused("MIG107", f"{self._read_text(read)} at line {self.analysis.line(read.call)} is read where "
                                   "the optimizer's name is not visible", read.call)
        return self.analysis.code(names[0])

    def _helper_cadence(self, statement, step, optimizer_step) -> Cadence:
        """The optimizer steps in a function called from the scheduler's loop (``train(epoch)``)."""
        try:
            found = cadence(self.analysis.program, step, optimizer_step, statement,
                            tuple(self._step_guards.values()))
        except NotVisible as error:
            raise Refused("MIG106", error.message, error.node) from None
        self._loop_nodes = found.reads
        program = self.analysis.program
        into = program.route(step, found.runner) if found.runner is not program.function_of(step) else found.route
        if into is not None and into.through_calls:
            in_runner = found.run_loop is not None and program.function_of(found.run_loop) is found.runner
            inside = (found.step_every,) if in_runner else (
                found.step_every, found.run_steps)
            self._counted_at = [(cst.parse_expression(text), into.hops[0].node) for text in inside
                                if text is not None]
        self._run_loop = found.run_loop
        self._runner = found.runner
        if found.epoch_start:
            self._epoch_start = self._steps_first_allowed(step, BUILDER)
        assumptions = list(found.assumptions)
        if found.route.through_calls:
            assumptions.append(f"{found.route.hops[1].function.name.value}() runs its loop once per call")
        program = self.analysis.program
        home = program.function_of(statement)
        if self._builder is not None:
            return self._builder_cadence(found, assumptions, step)
        if found.runner is not home and isinstance(found.runner, cst.FunctionDef):
            assumptions.append(f"{found.runner.name.value}() runs once for each scheduler built at line "
                               f"{self.analysis.line(statement)}")
        counts = []
        for text in (found.step_every, found.run_steps):
            moved = program.in_method_terms(text, home, evaluated=True) if text is not None else (None, [])
            if moved is None:
                moved = program.in_instance_terms(text, found.runner, home, evaluated=True)
            if moved is None and (built := program.construction_in(found.runner, home)) is not None:
                raise Refused("MIG106", f"`{text}` reads attributes of the {self.analysis.code(built.func)} built at "
                                       f"line {self.analysis.line(built)}, which the list can read only when "
                                       f"{found.runner.name.value}() is called on it once, outside any loop, no "
                                       "attribute of it is set from outside, __init__ sets each from its "
                                       "arguments, and no global it reads is bound where the optimizer is built",
                              step)
            if moved is None:
                raise Refused("MIG106", f"`{text}` reads attributes whose value where the optimizer is built "
                                       f"(line {self.analysis.line(statement)}) is not visible", step)
            counts.append(moved[0])
            self._loop_nodes += moved[1]
        if found.runner is not home:
            self._check_held_from_construction(counts, home, step)
        return Cadence(counts[0], counts[1], found.per_epoch, assumptions)

    def _check_held_from_construction(self, counts: list[str | None], home, step) -> None:
        """The list is built when ``__init__`` runs, the run later, in another method: what the counts read through
        ``__init__``'s parameters (the caller's ``args``, ``cfg``) must not change after the instance is built
        (``trainer = Trainer(args); args.epochs = 5; trainer.fit()``). Refused (MIG106) when it may."""
        program, analysis = self.analysis.program, self.analysis
        if not (isinstance(home, cst.FunctionDef) and home.name.value == "__init__"):
            return
        for construction in program.call_sites(home):
            given = dict(program.arguments(construction))
            scope = analysis.enclosing_scope(construction)
            end = analysis.end(scope) if scope is not analysis.module else (10**9, 0)
            for text in counts:
                if text is None:
                    continue
                expression = cst.parse_expression(substituted(text, given))
                why = analysis.attribute_changed(expression, analysis.end(construction), end)
                if why is not None:
                    raise Refused("MIG106", f"the list is built when {analysis.code(construction.func)}(...) runs "
                                           f"(line {analysis.line(construction)}) and the run reads "
                                           f"`{analysis.code(expression)}` later: {why}", step)

    def _builder_cadence(self, found, assumptions: list[str], step) -> Cadence:
        """The cadence in the builder's terms: what only the caller knows comes in as new parameters, given at
        its call, where everything they read must already hold the value the loops read."""
        builder, program = self._builder, self.analysis.program
        every = in_builder_terms(program, builder, found.step_every, "step_per_epoch" if found.per_epoch
                                 else "step_every")
        run = in_builder_terms(program, builder, found.run_steps, "total_step") if found.run_steps else None
        anchor = self._optimizer_line if self._returns_alone() else builder.call_line
        for node in self._loop_nodes:
            why = self.analysis.unbound_name(node, anchor, node)
            if why is not None:
                where = (f"from its call, which moves to line {self.analysis.line(anchor)}" if self._returns_alone()
                         else f"from its call at line {self.analysis.line(anchor)}")
                raise Refused("MIG105", f"{builder.function.name.value}() would need `{self.analysis.code(node)}` "
                                       f"{where}, but {why}", step)
        self._loop_nodes = []
        return Cadence(every, run, found.per_epoch, assumptions)

    def _check_whole_epochs(self, batch_loop, epoch_loop, step, outermost, cap: Cap | None) -> None:
        """Every epoch must be a whole pass of the batch loop followed by scheduler.step(), or the end of the run.

        A ``break``/``continue`` of the batch loop makes an epoch shorter than the list's ``step_per_epoch``; one
        of the epoch loop between the batch loop and scheduler.step() skips a scheduler step (a ``break`` of the
        outermost run loop ends the run instead, which keeps every step that ran as it was).
        """
        early = [leaving for leaving in self.analysis.loop_exits(batch_loop, outermost)
                 if cap is None or leaving is not cap.exit]
        if early:
            raise Refused("MIG106", f"{self._exit_text(early[0])} can end an epoch's batch loop early, so an epoch "
                                   "can have fewer optimizer steps than the list's step_per_epoch and the two "
                                   "schedules drift apart", early[0])
        for leaving in self.analysis.loop_exits(epoch_loop, outermost):
            ends_run = isinstance(leaving, cst.Break) and epoch_loop is outermost
            between = self.analysis.start(batch_loop) < self.analysis.start(leaving) < self.analysis.start(step)
            if between and not ends_run:
                raise Refused("MIG106", f"{self._exit_text(leaving)} can skip scheduler.step() after an epoch's "
                                       "optimizer steps, which the list cannot follow", leaving)

    def _steps_first(self, step, batch_loop, epoch_loop, outermost) -> bool:
        """``scheduler.step()`` before the epoch's batch loop (torch's order before 1.1): each epoch trains at the
        next scheduler epoch's lr. A ``continue`` between the two would step the scheduler without the epoch's
        batches."""
        if self.analysis.end(step) > self.analysis.start(batch_loop):
            raise Refused("MIG106", "scheduler.step() runs inside the epoch's batch loop, but not after the optimizer's "
                                   "step, so its cadence is not visible", step)
        for leaving in self.analysis.loop_exits(epoch_loop, outermost):
            ends_run = isinstance(leaving, cst.Break) and epoch_loop is outermost
            if self.analysis.end(step) <= self.analysis.start(leaving) < self.analysis.start(batch_loop) \
                    and not ends_run:
                raise Refused("MIG106", f"{self._exit_text(leaving)} can skip an epoch's batches after its "
                                       "scheduler.step(), which the list cannot follow", leaving)
        return self._steps_first_allowed(step)

    def _steps_first_allowed(self, step, *more: str) -> bool:
        other = self._also_has(RESUME, CHAIN, FLAG, *more)
        if other:
            raise Refused("MIG106", f"scheduler.step() runs at the start of each epoch, before its batches, and the "
                                   f"site also has {other}; each converts alone, not together", step)
        return True

    def _exit_text(self, leaving: cst.CSTNode) -> str:
        """An early exit as a message names it: `continue` at line 30 (under `if not torch.isfinite(loss):`)."""
        keyword = {cst.Break: "break", cst.Continue: "continue", cst.Raise: "raise"}[type(leaving)]
        condition = next((node for node in self.analysis.ancestors(leaving) if isinstance(node, cst.If)), None)
        under = f" (under `if {self.analysis.code(condition.test)}:`)" if condition is not None else ""
        return f"`{keyword}` at line {self.analysis.line(leaving)}{under}"

    def _stepped_together(self, optimizer_step, step, loop) -> list[cst.CSTNode]:
        """The ``if`` statements that hold both optimizer.step() and scheduler.step() and nothing else can skip
        (``if (i + 1) % accumulate == 0:``): a list indexed by the optimizer's step count follows them exactly."""
        guards = self.analysis.guards(optimizer_step, loop)
        own = [guard for guard in self.analysis.guards(step, loop) if guard is not self._step_guards.get(step)]
        if not guards or len(own) != len(guards) or any(
                mine is not theirs or not isinstance(mine, cst.If) for mine, theirs in zip(own, guards)):
            return []
        return guards

    def _unguarded(self, node: cst.CSTNode, loop: cst.CSTNode) -> None:
        if [guard for guard in self.analysis.guards(node, loop) if guard is not self._step_guards.get(node)]:
            raise Refused("MIG106", "scheduler.step() runs under a condition, so how often it runs is not "
                                   "visible", node)

    def _counts(self, loops, optimizer_step) -> tuple[str | None, list[str]]:
        """The run length in optimizer steps (None when a loop's length is not visible) and what that assumes;
        a ``while`` step budget of the outermost run loop counts its loop, or the whole run when it counts
        optimizer steps (inside another loop its counter may restart, so the run would be longer)."""
        counts, assumptions = [], []
        for loop in loops:
            budget = step_budget(self.analysis, loop, optimizer_step) if loop is loops[0] else None
            if budget is not None:
                self._loop_nodes.append(budget.limit)
                if budget.counted is not loop:
                    return budget.count, assumptions
                counts.append(budget.count)
                continue
            count, why = self.analysis.iteration_count(loop)
            if count is None:
                return None, assumptions
            cap = batch_cap(self.analysis, loop, optimizer_step) if loop is loops[-1] else None
            counts.append(f"min({count}, {cap.count})" if cap is not None else count)
            if why:
                assumptions.append(why)
        return product(*counts), assumptions

    def _count(self, node: cst.BaseExpression, name: str) -> str:
        """``node`` as a whole positive int for MindSpore, or Refused."""
        text = self.analysis.code(node)
        if written_whole(text) and not written_whole(text, self._fractional):
            raise Refused("MIG105", f"{name}={text} reads an argument the command line may give as a fraction "
                                   f"(argparse type=float), which torch takes and {self.LIST_FUNCTION} needs as a "
                                   "whole number: declare it type=int, or write int(...)", node)
        value = self._value(node)
        if value is None and not written_whole(text):
            raise Refused("MIG105", f"{name}={text} may not be a whole number (a float or a true division), which "
                                   f"torch takes and {self.LIST_FUNCTION} needs whole: write int(...) or //", node)
        if value is not None:
            if isinstance(value, bool) or float(value) <= 0 or float(value) != int(value):
                raise Refused("MIG105", f"{name}={self.analysis.code(node)}: {self.LIST_FUNCTION} needs a whole number "
                                       "> 0", node)
            return self.analysis.code(node) if isinstance(value, int) else str(int(value))
        if self.analysis.static_type(node) is int:
            self.assumptions.append(f"{text} is above 0")
            self._positive.append(text)
            return text
        self.assumptions.append(f"{self.analysis.code(node)} is a whole number above 0")
        self._positive.append(self.analysis.code(node))
        if isinstance(node, cst.Call) and "builtins.float" in self.analysis.names_of(node.func) and len(node.args) == 1:
            return f"int({self.analysis.code(node.args[0].value)})"
        return f"int({self.analysis.code(node)})"

    def _float(self, node: cst.BaseExpression, name: str) -> str:
        value = self._value(node)
        text = self.analysis.code(node)
        if isinstance(value, bool):
            raise Refused("MIG105", f"{name}={text} is not a number", node)
        if value is not None and value < 0:
            raise Refused("MIG105", f"{name}={text} is negative: {self.LIST_FUNCTION} needs min_lr >= 0 and "
                                   "max_lr > 0", node)
        if isinstance(node, cst.Integer):
            return f"{value}.0"
        if self.analysis.static_type(node) is float:
            return text
        return f"float({text})"

    def _value(self, node: cst.BaseExpression):
        return self.analysis.value(self.analysis.code(node))

    def _place(self, statement, optimizer_line, optimizer: cst.Name, reads, moves: bool) -> cst.CSTNode:
        """The statement before which the schedule (and, when ``moves``, the MindSpore optimizer) is built.

        Tried in order: the optimizer's line, the scheduler's, then each statement after the scheduler's up to
        the training loop. A place fits when every expression read there has the value the original evaluated
        (``reads``: expression and where the original evaluated it) and, below the optimizer's line, nothing
        between uses the optimizer.
        """
        candidates = ([optimizer_line] if moves else []) + [statement]
        block = self.analysis.parents.get(statement)
        around_run = {self._run_loop, *self.analysis.ancestors(self._run_loop)}
        if block in around_run:
            for candidate in block.body[block.body.index(statement) + 1:]:
                candidates.append(candidate)
                if candidate in around_run:
                    break
        reasons = []
        for place in candidates:
            why = next(filter(None, (self.analysis.unbound_name(node, place, at) for node, at in reads)), None)
            if why is None and moves and place is not optimizer_line:
                why = self._optimizer_cannot_move(optimizer_line, optimizer, statement, place)
            if why is None:
                return place
            reasons.append(why)
        raise Refused("MIG105", "the schedule cannot be built where everything it reads has the value the original "
                               "used: " + "; ".join(dict.fromkeys((reasons[0], reasons[-1]))))

    def _optimizer_cannot_move(self, optimizer_line, optimizer: cst.Name, statement, place) -> str | None:
        """Why the optimizer cannot be built at ``place`` instead of its own line, or None."""
        if self.analysis.parents.get(place) is not self.analysis.parents.get(optimizer_line):
            return f"the optimizer cannot move from line {self.analysis.line(optimizer_line)} into another block"
        tracked = self.analysis.program.follow(self._creation(optimizer))
        low, high = self.analysis.end(optimizer_line), self.analysis.start(place)
        removed = (statement, self.analysis.statement(self.call), self._default_branch, self._conditional,
                   *self._choice_lines(),
                   *((self._chain.line, self._chain.warmup_line, self._chain.scheduler_line) if self._chain is not None
                     else ()))
        skipped = [(self.analysis.start(line), self.analysis.end(line)) for line in removed if line is not None]
        for node in sorted(tracked.references[1:], key=self.analysis.start):
            runs = self._runs_at(node, optimizer_line)
            where = self.analysis.start(runs) if runs is not None else None
            if where is not None and low <= where < high and not any(start <= where < end for start, end in skipped):
                through = "" if runs is node else f" (in a function called at line {self.analysis.line(runs)})"
                return (f"`{self.analysis.code(optimizer)}` is used at line {self.analysis.line(node)}{through}, so "
                        "the optimizer cannot move below that line")
        return self._read_differently_later(optimizer_line, low, high, skipped)

    def _read_differently_later(self, moved: cst.CSTNode, low, high, skipped) -> str | None:
        """A name the moved optimizer reads that is deleted between its old and new place, or that holds a one-pass
        iterator (``parameters = model.parameters()``) something reads there: built later, the optimizer would not
        get what it got."""
        for name in dict.fromkeys(name.value for name in read_names(moved)):
            between = [node for node in self.analysis.nodes(cst.Name)
                       if node.value == name and low <= self.analysis.start(node) < high
                       and not any(start <= self.analysis.start(node) < end for start, end in skipped)]
            deleted = next((node for node in between if isinstance(self.analysis.parents.get(node), cst.Del)), None)
            if deleted is not None:
                return f"`del {name}` at line {self.analysis.line(deleted)} comes before it"
            if between and self._one_pass(name, moved):
                return (f"`{name}` holds a one-pass iterator, which line {self.analysis.line(between[0])} reads "
                        "first")
        return None

    def _one_pass(self, name: str, moved: cst.CSTNode) -> bool:
        """Whether ``name`` is bound to an iterator a first pass uses up: ``model.parameters()``, a generator
        expression, ``iter``/``filter``/``map``."""
        scope = self.analysis.scopes.get(moved)
        for assignment in scope[name] if scope is not None else ():
            assigned = self.analysis.assigned_value(assignment) if hasattr(assignment, "node") else None
            value = assigned[1] if assigned is not None else None
            if isinstance(value, cst.GeneratorExp) or isinstance(value, cst.Call) and (
                    isinstance(value.func, cst.Attribute) and value.func.attr.value in ITERATOR_METHODS
                    or self.analysis.names_of(value.func) & {"builtins.iter", "builtins.filter", "builtins.map"}):
                return True
        return False

    def _runs_at(self, node: cst.CSTNode, line: cst.CSTNode) -> cst.CSTNode | None:
        """Where a use of the optimizer runs as seen from ``line``'s function: the use itself, or, inside a function
        of this module, its first call (None when it is never called)."""
        program = self.analysis.program
        frame = program.function_of(line)
        function = program.function_of(node)
        for _ in range(4):
            if function is frame or not isinstance(function, cst.FunctionDef):
                return node
            calls = program.call_sites(function)
            if not calls:
                return None
            node = min(calls, key=self.analysis.start)
            function = program.function_of(node)
        return node

    def _new_optimizer(self, line: cst.SimpleStatementLine, call: cst.Call, mapping: OptimizerMapping,
                       list_name: str, target: str, group_lists: dict) -> cst.SimpleStatementLine:
        """The MindSpore construction, edited from the torch one so its layout and comments stay."""
        renames = dict(mapping.renames)
        given, arguments = set(), []
        for index, argument in enumerate(call.args):
            name = argument.keyword.value if argument.keyword else mapping.positional[index]
            given.add(name)
            if name == "params" and argument.value is self._groups:
                arguments.append(argument.with_changes(value=self._group_dicts(argument.value, group_lists)))
            elif name == "params":
                arguments.append(argument.with_changes(value=cst.parse_expression(self._params(argument.value))))
            elif name == "lr":
                arguments.append(keyword_argument(argument, "learning_rate", cst.Name(list_name)))
            elif name == "betas":
                first, second = self._betas(argument.value)
                arguments += [keyword_argument(argument, "beta1", first).with_changes(comma=SPACED_COMMA),
                              keyword_argument(argument, "beta2", second)]
            elif name in renames:
                arguments.append(keyword_argument(argument, renames[name], argument.value))
        if "lr" not in given:
            arguments.insert(1, cst.Arg(cst.Name(list_name), keyword=cst.Name("learning_rate"), equal=EQUAL,
                                        comma=SPACED_COMMA))
        added = [cst.Arg(cst.parse_expression(value), keyword=cst.Name(renames[name]), equal=EQUAL)
                 for name, value in mapping.defaults if name not in given]
        dropped = sorted(given & set(NO_NUMERIC_EFFECT))
        if dropped:
            self.assumptions.append(f"{', '.join(dropped)} only change how torch computes, not what")
        new_call = call.with_changes(func=cst.parse_expression(target),
                                     args=joined_arguments(arguments, added, call.args[-1].comma))
        assign = line.body[0]
        return line.with_changes(body=[assign.with_changes(value=new_call)], leading_lines=())

    def _group_dicts(self, groups: cst.BaseExpression, group_lists: dict) -> cst.BaseExpression:
        """The param group list with each group's params as MindSpore takes them and its lr as its own list."""
        elements = []
        for element in groups.elements:
            if not isinstance(element.value, cst.Dict):
                elements.append(element)
                continue
            entries = []
            for entry in element.value.elements:
                key = entry.key.evaluated_value
                if key == "params":
                    entry = entry.with_changes(value=cst.parse_expression(self._params(entry.value)))
                elif entry in group_lists:
                    entry = entry.with_changes(value=cst.Name(group_lists[entry]))
                entries.append(entry)
            elements.append(element.with_changes(value=element.value.with_changes(elements=entries)))
        return groups.with_changes(elements=elements)

    def _params(self, params: cst.BaseExpression) -> str:
        if (isinstance(params, cst.Call) and not params.args and isinstance(params.func, cst.Attribute)
                and params.func.attr.value == "parameters"):
            return f"{self.analysis.code(params.func.value)}.trainable_params()"
        self.assumptions.append(f"{self.analysis.code(params)} holds MindSpore Parameters")
        return self.analysis.code(params)

    def _betas(self, betas: cst.BaseExpression) -> list[cst.BaseExpression]:
        if isinstance(betas, cst.Tuple) and len(betas.elements) == 2:
            texts = [self._float(element.value, f"beta{index}") for index, element in enumerate(betas.elements, 1)]
        else:
            text = atom(self.analysis.code(betas))
            texts = [f"float({text}[0])", f"float({text}[1])"]
        return [cst.parse_expression(text) for text in texts]

    def _semantic_notes(self, call: cst.Call, mapping: OptimizerMapping, arguments) -> list[Note]:
        notes = []
        if mapping.differences:
            notes.append(Note(call, "MIG104", mapping.differences))
        weight_decay = arguments.get("weight_decay")
        decays = dict(mapping.defaults).get("weight_decay") if weight_decay is None else self.analysis.code(weight_decay)
        if decays is not None and self.analysis.value(decays) != 0:
            notes.append(Note(call, "MIG104", f"weight_decay={decays}: {WEIGHT_DECAY_DIFFERENCE}"))
        return notes


#: The scheduler arguments that count epochs or steps: an unknown they read is a whole number of them, also where
#: an lr bound reads it (``eta_min=args.lr / (10 * args.epochs)``).
_COUNT_ARGUMENTS = frozenset({"T_max", "step_size", "total_iters", "milestones"})


def _may_leave(block: cst.CSTNode) -> bool:
    """Whether a ``break``, ``continue``, ``return`` or ``raise`` in ``block`` (not in a function it defines) can
    leave it before its end."""
    pending = [block]
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Break, cst.Continue, cst.Return, cst.Raise)):
            return True
        if not isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            pending.extend(node.children)
    return False


def _raises(block: cst.BaseSuite) -> bool:
    """A branch that only raises (``else: raise ValueError(...)``): the run never gets past it."""
    body = getattr(block, "body", ())
    return (len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1
            and isinstance(body[0].body[0], cst.Raise))




def _branches_replaced(node: cst.CSTNode, replaced: dict) -> cst.CSTNode:
    """An ``if``/``elif``/``else`` chain with statements of its branches swapped by identity."""
    if not isinstance(node, (cst.If, cst.Else)):
        return node
    body = node.body.with_changes(body=[replaced.get(statement, statement) for statement in node.body.body])
    if isinstance(node, cst.If):
        return node.with_changes(body=body, orelse=_branches_replaced(node.orelse, replaced))
    return node.with_changes(body=body)


def _built_only_if(line: cst.SimpleStatementLine, condition: str) -> cst.SimpleStatementLine:
    """``name = value`` as ``name = value if condition else []``."""
    assign = line.body[0]
    value = cst.parse_expression(f"{cst.Module([]).code_for_node(assign.value)} if {condition} else []")
    return line.with_changes(body=[assign.with_changes(value=value)])


def _bearing_on(claim: Claim, *schedules: Schedule) -> tuple[str, ...]:
    """The site's positive assumptions that read only what ``schedules`` and the run read: another branch's claim
    keeps those, not the ones about the site's own arguments (``lr - eta_min`` means nothing to a StepLR, and its
    ``eta_min`` would be sampled as a count there)."""
    read = set(itertools.chain.from_iterable(
        re.findall(r"[A-Za-z_][\w.]*", text) for schedule in schedules for text in schedule.args.values()))
    read.update(re.findall(r"[A-Za-z_][\w.]*", claim.run_steps or ""))
    return tuple(text for text in claim.positive if set(re.findall(r"[A-Za-z_][\w.]*", text)) <= read)


def same_text(text: str) -> str:
    """An expression's text as parsed, so spacing and parentheses do not tell two spellings apart."""
    try:
        return ast.unparse(ast.parse(text, mode="eval"))
    except SyntaxError:
        return text


def same_expression(left: str, right: str) -> bool:
    try:
        return ast.dump(ast.parse(left, mode="eval")) == ast.dump(ast.parse(right, mode="eval"))
    except SyntaxError:
        return False


def _string(node: cst.BaseExpression | None) -> str | None:
    return node.evaluated_value if isinstance(node, cst.SimpleString) else None


def subscript_key(subscript: cst.Subscript) -> str | None:
    """The string key of ``x["key"]``."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    return _string(subscript.slice[0].slice.value)



def _current_lr(owner: str, group: str | None, last_step: bool) -> str:
    """A MindSpore optimizer's lr from its list: the next step's (``get_lr()``) or the last step's, of one group."""
    if not last_step:
        return f"{owner}.get_lr()" if group is None else f"{owner}.get_lr()[{group}]"
    cell = f"{owner}.learning_rate" if group is None else f"{owner}.learning_rate[{group}]"
    return f"{cell}({owner}.global_step - 1)"


def _assigned(node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    """Whether ``node`` is the target ``parent`` assigns to."""
    return isinstance(parent, cst.AssignTarget) or (isinstance(parent, cst.AugAssign) and parent.target is node)

