"""MindSpore ``cosine_decay_lr`` → PyTorch ``CosineAnnealingLR``, with the optimizer that takes the list.

MindSpore's schedule is a per-step list the optimizer reads by its global step; torch's is an object the user steps.
So a site is rewritten only when the list reaches exactly one mapped optimizer, through names and float wrappers
alone (or after a ``warmup_lr`` list, ``warmup + lr``, which becomes a ``SequentialLR`` of a ``LambdaLR`` ramp and
the cosine). The optimizer becomes the torch one with ``lr=max_lr``, a ``CosineAnnealingLR`` follows it, and
``scheduler.step()`` goes where the code shows it runs once every ``step_per_epoch`` optimizer steps — or, when the
training loop is out of sight, a warning says where to call it. The list clamps at ``min_lr`` and torch's cosine
is periodic: the claim says the two agree for ``(decay_epoch + 1) * step_per_epoch`` optimizer steps (and never past
the list's end, where MindSpore raises) of a run as long as the visible loops make it, or of ``total_step`` when the
loops are out of sight; the verifier decides whether the run outlasts the agreement. Where the run goes past
``decay_epoch`` the exact rewrite steps the scheduler only while ``last_epoch < T_max`` (``periodic`` chooses).
A list sliced at a whole epoch (``lr[start_epoch * step_per_epoch:]``, a resume) becomes torch's resume: the
optimizer built at the cosine's lr of that epoch, ``initial_lr`` set, ``last_epoch=start_epoch - 1``; the claim is the
resumed run itself (the sliced list against torch resuming from that lr), or, for a scheduler held at ``T_max``, the
uninterrupted run it continues.
"""

from __future__ import annotations

import ast
import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from migrate import evaluate, verify
from migrate.analysis import LOOPS, Analysis, atom, bind, names_in, plus_one, product
from migrate.bridge.optimizers import WEIGHT_DECAY_DIFFERENCE, towards
from migrate.bridge.optimizers import Mapping as OptimizerMapping
from migrate.edit import EQUAL, joined_arguments, keyword_argument
from migrate.imports import package_reference
from migrate.program import ARGUMENT, ATTRIBUTE, METHOD
from migrate.program.budget import Budget, step_budget
from migrate.program.model import MAX_CALL_DEPTH, own_returns
from migrate.program.values import definitions
from migrate.references import GETATTR, STAR, VALUE, find_references, site_findings
from migrate.rule import Finding, Fix, Note, Refused, Rule, documentation
from migrate.schedules.mindspore_lr import check_cosine_decay_lr, check_warmup_lr
from migrate.verify import SAMPLES, Claim, Schedule

FUNCTIONS = {"mindspore.nn.cosine_decay_lr", "mindspore.nn.dynamic_lr.cosine_decay_lr"}
SIGNATURE = ("min_lr", "max_lr", "total_step", "step_per_epoch", "decay_epoch")
STAR_SOURCES = {"mindspore.nn", "mindspore.nn.dynamic_lr"}
INDIRECT = {
    VALUE: "cosine_decay_lr used as a value, not called: the rule cannot see its arguments or the optimizer it feeds",
    GETATTR: "getattr(..., 'cosine_decay_lr') cannot be followed; call the function directly so its arguments can "
             "be rewritten",
    STAR: "cosine_decay_lr comes from a star import of mindspore.nn that another star import (or a use other "
          "than a call) keeps from being resolved; import it by name so it can be rewritten",
}
WARMUP = {"mindspore.nn.warmup_lr", "mindspore.nn.dynamic_lr.warmup_lr"}
TENSORS = {"mindspore.Tensor", "mindspore.common.Tensor", "mindspore.common.tensor.Tensor"}
ARRAYS = {"numpy.array", "numpy.asarray"}
MODELS = {"mindspore.Model", "mindspore.train.Model", "mindspore.train.model.Model"}
MODEL_RUNS = ("train", "fit")
STEP_CELLS = {"mindspore.nn.TrainOneStepCell", "mindspore.nn.wrap.TrainOneStepCell",
              "mindspore.nn.wrap.cell_wrapper.TrainOneStepCell"}
DATASET_ITERATORS = ("create_dict_iterator", "create_tuple_iterator")
PARAMETER_LISTS = ("trainable_params", "get_parameters")
GROUP_KEYS = {"params", "lr", "weight_decay"}
"""What a MindSpore group dict holds that a torch param group means the same by."""
SCHEDULER = "torch.optim.lr_scheduler.CosineAnnealingLR"
NOT_BELOW = ("MindSpore rejects min_lr >= max_lr when it builds the list (ValueError), so there is no schedule to "
             "convert; a CosineAnnealingLR with eta_min >= lr would anneal upwards or stay constant instead")
WARMUP_SIGNATURE = ("learning_rate", "total_step", "step_per_epoch", "warmup_epoch")
WARMUP_SCHEDULER = "torch.optim.lr_scheduler.LambdaLR"
CHAIN = "torch.optim.lr_scheduler.SequentialLR"


def _in_package(qualified: str, package: str) -> str:
    """``torch.optim.X`` written under the name ``package`` reaches torch by (``th`` when ``torch`` is rebound)."""
    return package + qualified.removeprefix("torch")


OPTIMIZERS = towards("torch")


@dataclass(frozen=True)
class Run:
    """The optimizer steps the visible loops make, as source text: at most that many when ``exact`` is False (a
    break, continue, return or condition can cut the run short). ``loop`` is the outermost of those loops;
    ``helper`` names the function the optimizer steps in when the loops are around a call of it: a warning about
    the run then goes on the list's call, as the loop and the step are in different functions."""

    steps: str
    loop: cst.CSTNode
    exact: bool
    helper: str | None = None


@dataclass(frozen=True)
class Warmup:
    """``warmup_lr(...)`` concatenated before the list (``warmup + lr``): its call, its arguments, and the line
    that binds it to a name when it is not written in the sum itself."""

    call: cst.Call
    arguments: dict
    line: cst.SimpleStatementLine | None


@dataclass(frozen=True)
class Resume:
    """``list[start:]`` with ``start`` a whole number of epochs of the list's step_per_epoch: training restarts at
    ``epoch`` (source text, read where the optimizer is built), ``expression`` the node that text comes from, so its
    names can be checked on the way there (None for a number the rule computed)."""

    subscript: cst.Subscript
    epoch: str
    expression: cst.BaseExpression | None


@dataclass(frozen=True)
class Group:
    """One param group dict of the optimizer (``index`` counts from 1): its ``"lr"`` entry, and the cosine_decay_lr
    call that entry's list comes from (None when it is no such list). A group without ``"lr"`` takes the
    optimizer's learning_rate."""

    index: int
    node: cst.BaseExpression
    lr: cst.DictElement | None
    call: cst.Call | None


@dataclass(frozen=True)
class ParamGroups:
    """The optimizer's param group dicts, written in its call or bound once to a name (``line``) read only there;
    ``params`` is the optimizer's params argument (the list, or the name), ``learning_rate`` the cosine_decay_lr
    call of the optimizer's own learning_rate (None when it is no such list), ``main`` the call whose site converts
    them all: that one, else the first group's. ``order`` holds the ``{"order_params": ...}`` entries, which only
    order the parameters (torch keeps the groups' order) and go."""

    params: cst.BaseExpression
    literal: cst.List | cst.Tuple
    line: cst.SimpleStatementLine | None
    groups: tuple[Group, ...]
    learning_rate: cst.Call | None
    main: cst.Call | None
    order: tuple[cst.BaseElement, ...] = ()


@dataclass
class Cadence:
    """Where ``scheduler.step()`` goes: after ``anchor``, or by hand as ``by_hand`` says when no place is proven.
    ``epoch_call`` marks an anchor that is a call running one whole epoch (the batch loop is in the helper)."""

    anchor: cst.CSTNode | None
    description: str
    assumptions: list[str]
    by_hand: Note | None = None
    epoch_call: bool = False


@dataclass
class Delivery:
    """The path of the list to its optimizer: the statements that only carry it, and the optimizer's construction."""

    carriers: list[cst.SimpleStatementLine]
    optimizer_call: cst.Call
    optimizer_line: cst.SimpleStatementLine
    optimizer_name: cst.Name | cst.Attribute
    mapping: OptimizerMapping

    @property
    def owner(self) -> str | None:
        """``self`` when the optimizer is an attribute of the instance (``self.optimizer``), else None."""
        target = self.optimizer_name
        return target.value.value if isinstance(target, cst.Attribute) else None


TORCH_OPTIMIZER_API = ("step", "zero_grad", "param_groups", "state_dict", "load_state_dict", "add_param_group")
STEP_IDIOM = ("a torch optimizer is not called with gradients: compute the loss, `loss.backward()`, then "
              "`optimizer.step()` (and `optimizer.zero_grad()` before the next batch)")
CELL_IDIOM = ("{callee}() takes a MindSpore optimizer; in torch write the step out: forward, `loss.backward()`, "
              "`optimizer.step()`, `optimizer.zero_grad()`")
PARAMETERS_IDIOM = ("torch computes gradients with `loss.backward()` on the model's parameters (the optimizer holds "
                    "them in optimizer.param_groups): mindspore.value_and_grad has no torch counterpart here")


class CosineDecayToTorch(Rule):
    name = "cosine-decay-to-torch"
    target = "torch"
    triggers = ("cosine_decay_lr",)
    summary = "mindspore.nn.cosine_decay_lr → torch.optim.lr_scheduler.CosineAnnealingLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding; a list that is one param group's among others has none of its own: the site of the
        groups' main list converts (or refuses) them all."""
        references = find_references(analysis, FUNCTIONS, STAR_SOURCES)
        found = site_findings(references, lambda call: _Site(analysis, call).convert(), "MIG108", INDIRECT)
        return (finding for finding in found if finding is not None)


class _Site:
    """One ``cosine_decay_lr(...)`` call on its way to a Finding."""

    def __init__(self, analysis: Analysis, call: cst.Call):
        self.analysis = analysis
        self.call = call
        self.list_node: cst.BaseExpression = call
        self.assumptions: list[str] = []
        self.program = analysis.program
        self.step_reads: list[cst.Subscript] = []
        self.step_statement: cst.CSTNode | None = None
        self.warmup: Warmup | None = None
        self.other_uses: list[cst.Name] = []
        self.resume_slice: cst.Subscript | None = None
        self.group_carriers: list[cst.SimpleStatementLine] = []

    def convert(self) -> Finding | None:
        """The site's finding (None for a param group's list another site converts with the others); a refusal
        also reports every behaviour change the site has that does not depend on what blocked it, each at its own
        line, so the user learns all of them at once. A refusal placed away from the call names the call's line."""
        try:
            return self._convert()
        except Refused as refused:
            node = refused.node or self.call
            note = Note(node, refused.code, self._citing_the_call(refused.message, node))
            seen = {(note.code, self.analysis.line(note.node))}
            also = [extra for extra in self._also(refused) if (extra.code, self.analysis.line(extra.node)) not in seen]
            return Finding(note, also)

    def _citing_the_call(self, message: str, node: cst.CSTNode) -> str:
        """``message``, reported at ``node``, with the line of the cosine_decay_lr call it is about when it is
        reported elsewhere and does not say so."""
        line = self.analysis.line(self.call)
        if self.analysis.line(node) == line or f"line {line}" in message:
            return message
        return f"{message} (the cosine_decay_lr list of line {line})"

    def _also(self, refused: Refused) -> list[Note]:
        """Behaviour changes checked on their own: min_lr not below max_lr, and a run (or, out of sight, the list)
        that passes decay_epoch, where the list holds min_lr and a plain CosineAnnealingLR would climb back."""
        notes = []
        arguments = bind(self.call, SIGNATURE).values
        why = self._not_below(arguments)
        if why is not None and not (refused.code == "MIG105" and refused.node in (None, self.call,
                                                                                 arguments["min_lr"])):
            notes.append(Note(arguments["min_lr"], "MIG105", f"{why}: {NOT_BELOW}"))
        if all(name in arguments for name in ("min_lr", "total_step", "step_per_epoch", "decay_epoch")):
            notes += self._past_decay_epoch(arguments)
        return notes

    def _past_decay_epoch(self, arguments: dict[str, cst.BaseExpression]) -> list[Note]:
        """MIG101 when the run the loops show (else the list itself) goes past (decay_epoch + 1) * step_per_epoch
        optimizer steps, found by a probe of the site that stops wherever the site's own conversion is blocked. A
        run is counted from the list's first entry, so not with a resume slice; a warmup before the list has its
        own check (MIG118)."""
        probe = _Site(self.analysis, self.call)
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
        total = texts["total_step"]
        agreement = product(plus_one(texts["decay_epoch"]), texts["step_per_epoch"])
        reach = total if run is None else f"min({atom(run.steps)}, {atom(total)})"
        if self._at_most(reach, agreement):
            return []
        goes = "goes" if self._at_most(plus_one(agreement), reach) else "can go"
        what = (f"the list has total_step={total} entries and {goes} past" if run is None else
                f"the run (the loop at line {self.analysis.line(run.loop)}, {run.steps} optimizer steps) {goes} past")
        return [Note(self.call, "MIG101", f"{what} (decay_epoch + 1) * step_per_epoch = {agreement} optimizer steps: "
                                         f"the list holds {_named('min_lr', texts['min_lr'])} from epoch "
                                         f"{_named('decay_epoch', texts['decay_epoch'])} on, where a plain "
                                         "CosineAnnealingLR would climb back towards max_lr from optimizer step "
                                         f"{agreement}" + ("" if run is not None else " if the run gets there")
                                         + " (a torch port steps it only while last_epoch < T_max)")]

    def _not_below(self, arguments: dict[str, cst.BaseExpression]) -> str | None:
        """Why min_lr is visibly not below max_lr (the same expression, or values that say so); None otherwise."""
        if "min_lr" not in arguments or "max_lr" not in arguments:
            return None
        low, high = (self.analysis.code(arguments[name]) for name in ("min_lr", "max_lr"))
        if _same(low, high):
            return f"min_lr and max_lr are the same expression, {low}"
        values = self._value(arguments["min_lr"]), self._value(arguments["max_lr"])
        if all(type(value) in (int, float) for value in values) and values[0] >= values[1]:
            return f"min_lr={low} is not below max_lr={high}"
        return None

    def _convert(self) -> Finding | None:
        arguments = self._in_caller_terms(self._arguments())
        texts = {name: self.analysis.code(value) for name, value in arguments.items()}
        delivery = self._delivery()
        groups = self._param_groups(delivery)
        if groups is not None and groups.main is not self.call and self.call in self._group_calls(groups):
            return None
        warmup = self._warmup_texts(texts) if self.warmup is not None else None
        optimizer_arguments = self._optimizer_arguments(delivery)
        self._check_moves(delivery, [arguments["min_lr"], arguments["max_lr"], arguments["decay_epoch"],
                                     *([self.warmup.arguments["warmup_epoch"]] if warmup else [])])
        others = self._other_deliveries()
        group_lrs = (self._group_lrs(groups, texts, others, delivery.optimizer_call) if groups is not None
                     else {})
        if others and (warmup is not None or self.step_reads):
            raise Refused("MIG107", "the list feeds several optimizers and is "
                                   + ("read element by element" if self.step_reads else "summed with a warmup")
                                   + ": each optimizer would need its own scheduler, and the rule writes that only "
                                   "for a list given to the optimizers alone", others[0].optimizer_call)
        resume = self._resume(arguments) if self.resume_slice is not None else None
        if resume is not None:
            self._resumable(resume, delivery, others)
        scheduler = self._scheduler_name(delivery, several=bool(others))
        cadence = self._cadence(delivery, arguments["step_per_epoch"], scheduler)
        why = self._not_below(arguments)
        if why is not None:
            written = bind(self.call, SIGNATURE).values["min_lr"]
            raise Refused("MIG105", f"{why}: {NOT_BELOW}", written)

        place = self._construction_place(delivery)
        package, package_import = package_reference(self.analysis, place, "torch")
        optimizer = self.analysis.code(delivery.optimizer_name)
        cosine_arguments = f"{optimizer}, T_max={texts['decay_epoch']}, eta_min={texts['min_lr']}"
        cosine = f"{_in_package(SCHEDULER, package)}({cosine_arguments})"
        replacements: dict[cst.CSTNode, object] = {carrier: [] for carrier in delivery.carriers}
        replacements[delivery.optimizer_line] = []
        replacements.update(self._current_lr_reads(scheduler))

        step_every = texts["step_per_epoch"]
        agreement = product(plus_one(texts["decay_epoch"]), step_every)
        run = self._run(cadence, delivery, arguments)
        skipped = product(atom(resume.epoch), step_every) if resume is not None else None
        resumed_run = run.steps if run is not None else None
        if resume is not None and run is not None:
            run = dataclasses.replace(run, steps=f"{skipped} + {atom(run.steps)}")
        destination_args = {"base_lr": texts["max_lr"], "T_max": texts["decay_epoch"], "eta_min": texts["min_lr"],
                            "step_every": step_every}
        if warmup is None:
            total = texts["total_step"]
            source = Schedule("mindspore.cosine_decay_lr", texts)
            destination = Schedule("torch.CosineAnnealingLR", destination_args)
            agrees_for = agreement if run is None else f"min({total}, {agreement})"
        else:
            total = f"{atom(warmup['total_step'])} + {atom(texts['total_step'])}"
            source = Schedule("mindspore.warmup_lr+cosine_decay_lr", {
                "learning_rate": warmup["learning_rate"], "warmup_total_step": warmup["total_step"],
                "warmup_step_per_epoch": warmup["step_per_epoch"], "warmup_epoch": warmup["warmup_epoch"], **texts})
            destination = Schedule("torch.LambdaWarmupCosine", {**destination_args,
                                                                "warmup_epochs": warmup["warmup_epoch"]})
            agrees_for = total
        run_steps = total if run is None else run.steps
        defined = definitions(self.analysis, self.analysis.program.function_of(self.call))
        claim = Claim(source, destination, run_steps=run_steps, agrees_for=agrees_for, definitions=defined)
        held = warmup is None and self._held(claim, texts, agreement)
        notes = self._semantic_notes(delivery, optimizer_arguments, grouped=groups is not None)
        if held:
            claim = Claim(source, Schedule("torch.HeldCosineAnnealingLR", dict(destination.args)),
                          run_steps=run_steps, agrees_for=agrees_for, definitions=defined)
            notes.append(Note(self.call, "MIG114", f"the list holds {_named('min_lr', texts['min_lr'])} from epoch "
                                                  f"{_named('decay_epoch', texts['decay_epoch'])} on and torch's "
                                                  f"cosine is periodic, so {scheduler}.step() runs only while "
                                                  f"{scheduler}.last_epoch < {scheduler}.T_max: a plain "
                                                  "CosineAnnealingLR would climb back towards max_lr from "
                                                  f"optimizer step {agreement} on"))
        grouped = self._group_verdicts(groups, group_lrs, claim) if groups is not None else ""
        imports = [package_import]
        params = self._grouped_params(groups, group_lrs, replacements) if groups is not None else None
        if resume is None:
            torch_lr = (self._torch_lr(groups, texts, optimizer_arguments.get("learning_rate")) if groups is not None
                        else texts["max_lr"])
            new_optimizer = self._new_optimizer(delivery, optimizer_arguments, torch_lr, package, params)
            scheduler_lines = ([cst.parse_statement(f"{scheduler} = {cosine}\n")] if warmup is None else
                               self._chain_statements(scheduler, package, optimizer, cosine, warmup["warmup_epoch"]))
        else:
            math, math_import = package_reference(self.analysis, place, "math")
            imports.append(math_import)
            epoch = f"min({resume.epoch}, {texts['decay_epoch']})" if held else resume.epoch
            start_lr = self._resumed_lr(texts, epoch, math, self._value(arguments["min_lr"]) == 0)
            if not held and math == "math":
                claim = dataclasses.replace(self._resumed_claim(texts, resume, skipped, start_lr, resumed_run,
                                                                agrees_for), definitions=defined)
            new_optimizer = self._new_optimizer(delivery, optimizer_arguments, start_lr, package, params)
            group = self.analysis.fresh_name("group")
            last_epoch = str(int(resume.epoch) - 1) if resume.epoch.isdigit() else f"{atom(resume.epoch)} - 1"
            scheduler_lines = [
                cst.parse_statement(f"for {group} in {optimizer}.param_groups:\n"
                                    f"    {group}[\"initial_lr\"] = {texts['max_lr']}\n"),
                cst.parse_statement(f"{scheduler} = {_in_package(SCHEDULER, package)}({cosine_arguments}, "
                                    f"last_epoch={last_epoch})\n"),
            ]
            self.assumptions.append(f"the start epoch {resume.epoch} is not negative (a negative start would count "
                                    "from the list's end)")
        replacements[place] = [new_optimizer, *scheduler_lines]
        if resume is not None:
            replacements.update({line: [] for line in self._read_only_by_the_slice(resume)})
        if cadence.anchor is not None:
            replacements[cadence.anchor] = [cadence.anchor, self._step_statement(scheduler, held)]
        if run is None:
            self.assumptions.append(f"a run of at most {_named('total_step', total)} optimizer steps (the loops do "
                                    "not show it; past the list MindSpore raises, torch runs on)")
        changes = self._changes(dict(texts, total_step=total), agreement, run, held or warmup is not None)
        unsafe = []
        if cadence.by_hand is not None:
            by_hand = cadence.by_hand
            unsafe.append(Note(by_hand.node, by_hand.code, by_hand.message + (
                f", and only while {scheduler}.last_epoch < {scheduler}.T_max (the list holds min_lr after "
                "decay_epoch; torch's cosine would climb back)" if held else "")))
        if run is None and cadence.anchor is not None:
            unsafe += self._helper_run_not_visible(cadence.anchor, delivery, total) or [
                Note(self.call, "MIG102", f"the loops around the optimizer step (line "
                                         f"{self.analysis.line(cadence.anchor)}) do not show how many steps the run "
                                         f"has, and it can exceed the list's {_named('total_step', total)} "
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
        converted = (f"cosine_decay_lr → {SCHEDULER}" if warmup is None else
                     f"warmup_lr + cosine_decay_lr → {CHAIN}([LambdaLR (warmup_lr's ramp from 0), "
                     f"CosineAnnealingLR], milestones=[{warmup['warmup_epoch']}])")
        message = (
            f"{converted} driving {delivery.mapping.target}"
            + (f" ({self.analysis.code(delivery.optimizer_name)})" if others else "")
            + f", stepped {cadence.description}{also}{grouped}"
            + (self._resume_description(resume, last_epoch, skipped, claim.source.model.endswith("sliced_cosine_decay_lr"))
               if resume is not None else "")
            + (f"; assumes {'; '.join(assumptions)}" if assumptions else "")
        )
        changes, *unsafe = (Note(note.node, note.code, self._citing_the_call(note.message, note.node))
                            for note in (changes, *unsafe))
        return Finding(
            Note(self.call, "MIG100", message),
            notes,
            fix=Fix(replacements, claim, changes, unsafe, add_imports=tuple(dict.fromkeys(imports)),
                    once_applied=once_applied),
        )

    def _groups_argument(self, entry: cst.DictElement) -> cst.Arg:
        """The optimizer's params argument when the list is a param group's ``"lr"``: the group dicts in a list
        written in the optimizer call, or bound once to a name the call alone reads."""
        analysis = self.analysis
        element = analysis.parents.get(analysis.parents.get(entry))
        literal = analysis.parents.get(element)
        line = analysis.line(entry)
        if not isinstance(element, cst.Element) or not isinstance(literal, (cst.List, cst.Tuple)):
            raise Refused("MIG107", f"the list is the \"lr\" of a dict at line {line} that is not in a list of "
                                   "param groups", entry)
        holder = analysis.parents.get(literal)
        passed = literal
        if isinstance(holder, cst.Assign) and holder.value is literal:
            target = holder.targets[0].target if len(holder.targets) == 1 else None
            assignment = analysis.single_assignment(target) if isinstance(target, cst.Name) else None
            reads = [access.node for access in assignment.references] if assignment is not None else []
            if assignment is None or analysis.assigned_value(assignment) is None or len(reads) != 1:
                what = (f"`{analysis.code(target)}` is read at lines "
                        f"{', '.join(str(analysis.line(read)) for read in reads)}" if len(reads) > 1 else
                        "they are not bound once to one variable read once")
                raise Refused("MIG107", f"the list is a param group's \"lr\" (line {line}), and {what}: the "
                                       "rule converts param groups handed to one optimizer alone", entry)
            passed = reads[0]
            holder = analysis.parents.get(passed)
        call = analysis.parents.get(holder) if isinstance(holder, cst.Arg) and holder.value is passed else None
        names = analysis.names_of(call.func) if isinstance(call, cst.Call) else set()
        if names & OPTIMIZERS.keys():
            mapping = OPTIMIZERS[next(iter(sorted(names & OPTIMIZERS.keys())))]
            if bind(call, mapping.positional, mapping.keyword_only).values.get("params") is passed:
                return holder
        if any(name.startswith("mindspore.nn.") for name in names):
            raise Refused("MIG103", f"{analysis.code(call.func)} has no torch mapping here (only SGD, Momentum, Adam "
                                   "and AdamWeightDecay), and a torch scheduler needs a torch optimizer", call)
        raise Refused("MIG107", f"the list is a param group's \"lr\" (line {line}), and the groups are not the params "
                               "of an optimizer here", entry)

    def _param_groups(self, delivery: Delivery) -> ParamGroups | None:
        """The optimizer's param group dicts, written in the call or bound once to a name read only there; None
        when its params are no such list."""
        analysis = self.analysis
        params = bind(delivery.optimizer_call, delivery.mapping.positional,
                      delivery.mapping.keyword_only).values.get("params")
        literal, line = params, None
        if isinstance(params, cst.Name):
            assignment = analysis.single_assignment(params)
            bound = analysis.assigned_value(assignment) if assignment is not None else None
            if bound is None or len(assignment.references) != 1:
                return None
            line, literal = bound
        if not isinstance(literal, (cst.List, cst.Tuple)):
            return None
        if not any(isinstance(element.value, cst.Dict) for element in literal.elements):
            return None
        groups = []
        order = [element for element in literal.elements if _orders_parameters(element.value)]
        for index, element in enumerate((element for element in literal.elements if element not in order), 1):
            group = element.value
            entries = group.elements if isinstance(group, cst.Dict) else ()
            entry = next((entry for entry in entries if _key(entry) == "lr"), None)
            groups.append(Group(index, group, entry, self._list_call(entry.value) if entry is not None else None))
        learning_rate = bind(delivery.optimizer_call, delivery.mapping.positional,
                             delivery.mapping.keyword_only).values.get("learning_rate")
        optimizer_list = self._list_call(learning_rate) if learning_rate is not None else None
        main = optimizer_list or next((group.call for group in groups if group.call is not None), None)
        return ParamGroups(params, literal, line, tuple(groups), optimizer_list, main, tuple(order))

    @staticmethod
    def _group_calls(groups: ParamGroups) -> set[cst.Call]:
        return {group.call for group in groups.groups if group.call is not None} | (
            {groups.learning_rate} if groups.learning_rate is not None else set())

    def _list_call(self, value: cst.BaseExpression) -> cst.Call | None:
        """The cosine_decay_lr call a group's lr (or the optimizer's learning_rate) is: the call itself, in float
        wrappers, or through names each bound once. None for anything else."""
        analysis = self.analysis
        for _ in range(MAX_CALL_DEPTH):
            if isinstance(value, cst.Call) and analysis.names_of(value.func) & FUNCTIONS:
                return value
            if (isinstance(value, cst.Call) and analysis.names_of(value.func) & (TENSORS | ARRAYS) and value.args
                    and value.args[0].keyword is None and not value.args[0].star):
                value = value.args[0].value
            elif (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                  and value.func.attr.value == "astype"):
                value = value.func.value
            elif isinstance(value, cst.Name):
                assignment = analysis.single_assignment(value)
                bound = analysis.assigned_value(assignment) if assignment is not None else None
                if bound is None:
                    return None
                value = bound[1]
            else:
                return None
        return None

    def _group_lrs(self, groups: ParamGroups, texts: dict[str, str], others: list[Delivery],
                   optimizer_call: cst.Call) -> dict[cst.DictElement, str]:
        """Each group's torch ``"lr"``: its list's max_lr. torch's one CosineAnnealingLR anneals every group from its
        own lr to one eta_min, T_max and cadence, so each group's list must be a cosine_decay_lr list converted
        with this one (followed to this optimizer alone) with the same min_lr, total_step, step_per_epoch and
        decay_epoch; otherwise the group is refused at its line."""
        analysis = self.analysis
        for group in groups.groups:
            self._check_group_keys(group, f"param group {group.index} (line {analysis.line(group.node)})")
        if all(group.lr is None for group in groups.groups):
            return {}
        if self.call not in self._group_calls(groups):
            raise Refused("MIG107", f"the list reaches the optimizer at line {analysis.line(optimizer_call)}, whose "
                                   "param groups it feeds through a helper or a name bound more than once; the rule "
                                   "converts param groups whose lists are cosine_decay_lr calls bound once in the "
                                   "optimizer's function")
        combined = ("the list also feeds another optimizer" if others else
                    f"`{analysis.code(self.step_reads[0])}` reads the list" if self.step_reads else
                    "a warmup list is added to it" if self.warmup is not None else
                    "the list is sliced (a resume)" if self.resume_slice is not None else None)
        if combined is not None:
            raise Refused("MIG118", f"the list feeds param groups (line {analysis.line(groups.literal)}) and "
                                   f"{combined}: the rule converts param groups whose lists feed their optimizer "
                                   "alone")
        lrs: dict[cst.DictElement, str] = {}
        checked: dict[cst.Call, str] = {self.call: texts["max_lr"]}
        for group in groups.groups:
            where = f"param group {group.index} (line {analysis.line(group.node)})"
            if group.lr is None and groups.learning_rate is None:
                raise Refused("MIG118", f"{where} has no \"lr\" and takes the optimizer's learning_rate, which is "
                                       "no cosine_decay_lr list: MindSpore keeps that group's lr constant, and "
                                       "torch's one CosineAnnealingLR would anneal every group", group.node)
            if group.lr is None:
                continue
            if group.call is None:
                raise Refused("MIG118", f"{where} takes lr={analysis.code(group.lr.value)}, not a cosine_decay_lr "
                                       "list followed here: MindSpore uses it as it is, and torch's one "
                                       "CosineAnnealingLR anneals every group from its own lr, so each group needs a "
                                       "cosine list with the same min_lr, total_step, step_per_epoch and "
                                       "decay_epoch", group.lr)
            if group.call not in checked:
                checked[group.call] = self._group_list(group, where, texts, optimizer_call)
            lrs[group.lr] = checked[group.call]
        return lrs

    @staticmethod
    def _check_group_keys(group: Group, where: str) -> None:
        """A group is a dict written out whose keys torch's param groups take with the same meaning."""
        if not isinstance(group.node, cst.Dict):
            raise Refused("MIG105", f"{where} is not a dict written out, so whether it sets its own lr is not "
                                   "visible", group.node)
        keys = [_key(entry) for entry in group.node.elements]
        if None in keys:
            raise Refused("MIG105", f"{where} unpacks `**` entries or computes a key, so what it sets is not "
                                   "visible", group.node)
        other = sorted(set(keys) - GROUP_KEYS)
        if other:
            raise Refused("MIG104", f"{where} sets {other[0]!r}, which torch's param groups do not take with "
                                   "MindSpore's meaning (params, lr and weight_decay are mapped)", group.node)

    def _group_list(self, group: Group, where: str, texts: dict[str, str], optimizer_call: cst.Call) -> str:
        """The max_lr of another group's list, once that list is shown to reach this optimizer alone with this
        list's min_lr, total_step, step_per_epoch and decay_epoch, and its max_lr to mean the same in the group's
        dict as where the list is built."""
        analysis = self.analysis
        built = f"the list of line {analysis.line(group.call)}"
        probe = _Site(analysis, group.call)
        try:
            arguments = probe._arguments()
            delivery = probe._delivery()
        except Refused as refused:
            raise Refused(refused.code, f"{where} takes {built}, which cannot be converted ({refused.message}): the "
                                        "param groups convert together", group.node) from None
        own = {name: analysis.code(value) for name, value in arguments.items()}
        if (probe.warmup is not None or probe.resume_slice is not None or probe.step_reads or probe.other_uses
                or delivery.optimizer_call is not optimizer_call):
            raise Refused("MIG118", f"{where} takes {built}, which is also summed, sliced, read or given to "
                                   "another optimizer: the rule converts param groups whose lists feed their "
                                   "optimizer alone", group.node)
        for name in ("min_lr", "total_step", "step_per_epoch", "decay_epoch"):
            if not self._equal(own[name], texts[name]):
                raise Refused("MIG118", f"{where} takes {built}, whose {name}={own[name]} is not the "
                                       f"{name}={texts[name]} of the list at line {analysis.line(self.call)}: "
                                       "torch's one CosineAnnealingLR has one eta_min, one T_max and one cadence "
                                       "for every param group", group.node)
        probe._check_moves(delivery, [arguments["max_lr"]])
        self.group_carriers += delivery.carriers
        return own["max_lr"]

    def _group_verdicts(self, groups: ParamGroups, lrs: dict[cst.DictElement, str], claim: Claim) -> str:
        """Each other group's claim, its list against the one scheduler from the group's lr, verified here (the
        fix carries this list's claim); a group whose verdict is not equivalent is refused at its line. The part of
        the message that says so."""
        analysis = self.analysis
        if not lrs:
            return ""
        parts = []
        for group in groups.groups:
            lr = lrs.get(group.lr) if group.lr is not None else claim.target.args["base_lr"]
            if group.call is self.call or (group.lr is None and groups.learning_rate is self.call):
                taken = "" if group.lr is not None else " (the optimizer's lr=)"
                parts.append(f"group {group.index} at lr={lr}{taken} from this list")
                continue
            source = Schedule(claim.source.model, {**claim.source.args, "max_lr": lr})
            target = Schedule(claim.target.model, {**claim.target.args, "base_lr": lr})
            verdict = verify.verify(dataclasses.replace(claim, source=source, target=target), analysis.constants)
            where = f"param group {group.index} (line {analysis.line(group.node)})"
            if verdict.kind != verify.EQUIVALENT:
                raise Refused("MIG118", f"{where} takes the list of line {analysis.line(group.call)}, and the one "
                                       f"CosineAnnealingLR from its lr={lr} is not equivalent to it "
                                       f"({verdict.text()}): the param groups convert together", group.node)
            parts.append(f"group {group.index} at lr={lr} from the list of line {analysis.line(group.call)} "
                         f"[{verdict.text()}]")
        return (f"; param groups (line {analysis.line(groups.literal)}): " + ", ".join(parts)
                + "; the one scheduler anneals each group from its own lr to the shared eta_min")

    def _torch_lr(self, groups: ParamGroups, texts: dict[str, str], learning_rate: cst.BaseExpression | None
                  ) -> str | None:
        """torch's ``lr=``, taken by the groups without their own: this list's max_lr when it is the optimizer's
        learning_rate, else the learning_rate as written, a number (every group then has its own lr)."""
        if groups.learning_rate is self.call or all(group.lr is None for group in groups.groups):
            return texts["max_lr"]
        if learning_rate is None:
            return None
        value = self._value(learning_rate)
        if (type(value) in (int, float)) or isinstance(learning_rate, cst.Attribute):
            return self.analysis.code(learning_rate)
        raise Refused("MIG118", f"the optimizer's learning_rate={self.analysis.code(learning_rate)} (line "
                               f"{self.analysis.line(learning_rate)}) is neither a cosine_decay_lr list nor a number: "
                               "the param groups convert when torch's lr= can be written", learning_rate)

    def _grouped_params(self, groups: ParamGroups, lrs: dict[cst.DictElement, str],
                        replacements: dict) -> cst.BaseExpression:
        """The torch param groups, each dict's params as torch takes them and its ``"lr"`` its list's max_lr: the
        new params argument when they are written in the call, else the name, its binding rewritten in place. The
        other groups' lists go."""
        elements = []
        for element in groups.literal.elements:
            if element in groups.order:
                continue
            entries = []
            for entry in element.value.elements:
                if _key(entry) == "params":
                    entry = entry.with_changes(value=self._params(entry.value))
                elif entry in lrs:
                    entry = entry.with_changes(value=cst.parse_expression(lrs[entry]))
                entries.append(entry)
            elements.append(element.with_changes(value=element.value.with_changes(elements=entries)))
        if groups.order and groups.literal.elements[-1] in groups.order:
            elements[-1] = elements[-1].with_changes(comma=groups.literal.elements[-1].comma)
        literal = groups.literal.with_changes(elements=elements)
        replacements.update({carrier: [] for carrier in self.group_carriers})
        if groups.line is None:
            return literal
        replacements[groups.literal] = literal
        return groups.params

    def _resumable(self, resume: Resume, delivery: Delivery, others: list[Delivery]) -> None:
        """A resume converts for a list that only feeds one optimizer: the start epoch moves to the optimizer's
        line unchanged (MIG105 otherwise), no element of the full list is read (it is not the optimizer's lr), and no
        warmup is summed after the slice."""
        where = f"{_slice_text(self.analysis, resume.subscript)} at line {self.analysis.line(resume.subscript)}"
        if others or self.step_reads or self.warmup is not None:
            why = ("the list also feeds another optimizer" if others else
                   f"`{self.analysis.code(self.step_reads[0])}` reads the list before the slice" if self.step_reads
                   else "a warmup list is added after the slice")
            raise Refused("MIG117", f"{where} resumes the list, and {why}: the rule resumes a CosineAnnealingLR only "
                                   "for a list sliced on its way to one optimizer", resume.subscript)
        if resume.expression is not None:
            self._check_moves(delivery, [resume.expression], since=resume.expression)

    def _read_only_by_the_slice(self, resume: Resume) -> list[cst.SimpleStatementLine]:
        """The line binding the slice's start (``start_step = start_epoch * steps``) when the slice, which goes, is
        its only reader: it would be left unused."""
        start = resume.subscript.slice[0].slice.lower
        assignment = self.analysis.single_assignment(start) if isinstance(start, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None or not (isinstance(bound[0], cst.SimpleStatementLine) and len(bound[0].body) == 1):
            return []
        if any(access.node is not start for access in assignment.references):
            return []
        return [bound[0]]

    def _resume_description(self, resume: Resume, last_epoch: str, skipped: str, direct: bool) -> str:
        verified = ("verified on the resumed run: the sliced list against torch resuming from the optimizer's lr "
                    "as written" if direct else f"verified over that run, the {skipped} optimizer steps the slice "
                    "skips included")
        return (f"; resumed at epoch {resume.epoch}, where {_slice_text(self.analysis, resume.subscript)} (line "
                f"{self.analysis.line(resume.subscript)}) starts: the optimizer starts at the cosine's lr of that epoch, "
                f"each param group's initial_lr is max_lr, and CosineAnnealingLR(last_epoch={last_epoch}) continues "
                f"as the uninterrupted run does ({verified})")

    def _scheduler_name(self, delivery: Delivery, several: bool) -> _FreshName:
        """``scheduler``; with several optimizers, one per optimizer named after it (``optimizer_g`` →
        ``scheduler_g``)."""
        base = "scheduler"
        if several:
            name = delivery.optimizer_name.attr.value if delivery.owner else delivery.optimizer_name.value
            suffix = next((name[len(prefix):] for prefix in ("optimizer", "optim", "opt") if name.startswith(prefix)),
                          f"_{name}")
            base = f"scheduler{suffix}" if suffix else base
        return _FreshName(self.analysis, base, delivery.owner,
                          self._class_attributes(delivery) if delivery.owner else set())

    def _another_optimizer(self, delivery: Delivery, arguments, texts: dict[str, str], claim: Claim, held: bool,
                           replacements: dict, notes: list[Note]) -> tuple[_FreshName, Cadence, object]:
        """Another optimizer the same list feeds: the torch optimizer, its own CosineAnnealingLR, and its step()
        where its own optimizer steps show; it must use the list over the same run as the first (the same claim),
        and its step() must have a place (no MIG116)."""
        optimizer_arguments = self._optimizer_arguments(delivery)
        self._check_moves(delivery, [arguments["min_lr"], arguments["max_lr"], arguments["decay_epoch"]])
        scheduler = self._scheduler_name(delivery, several=True)
        cadence = self._cadence(delivery, arguments["step_per_epoch"], scheduler)
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
            f"{scheduler} = {_in_package(SCHEDULER, package)}({name}, T_max={texts['decay_epoch']}, "
            f"eta_min={texts['min_lr']})\n")
        replacements[delivery.optimizer_line] = []
        replacements[place] = [self._new_optimizer(delivery, optimizer_arguments, texts["max_lr"], package),
                               scheduler_line]
        existing = replacements.get(cadence.anchor)
        step = self._step_statement(scheduler, held)
        replacements[cadence.anchor] = [*existing, step] if isinstance(existing, list) else [cadence.anchor, step]
        notes.extend(self._semantic_notes(delivery, optimizer_arguments))
        return scheduler, cadence, package_import

    def _warmup_texts(self, texts: dict[str, str]) -> dict[str, str]:
        """The warmup list's arguments as text, once it is proven to be the first phase SequentialLR reproduces:
        warmup_epoch whole epochs of the list's step_per_epoch (``total_step = warmup_epoch * step_per_epoch``)
        rising to max_lr, and a cosine list that ends by decay_epoch + 1 epochs (SequentialLR's cosine is periodic;
        the list would hold min_lr). Otherwise MIG118 says which."""
        warmup = self.warmup
        found = {name: self.analysis.code(value) for name, value in warmup.arguments.items()}
        values = [self._value(warmup.arguments[name]) for name in WARMUP_SIGNATURE]
        if all(value is not None for value in values):
            try:
                check_warmup_lr(*values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects this warmup_lr call ({type(error).__name__}: {error})",
                              warmup.call) from None
        every, epochs = texts["step_per_epoch"], found["warmup_epoch"]
        whole = product(atom(epochs), atom(every))
        mismatch = (
            f"its step_per_epoch={found['step_per_epoch']} is not the cosine list's {every}"
            if not self._equal(found["step_per_epoch"], every) else
            f"its total_step={found['total_step']} is not warmup_epoch * step_per_epoch = {whole}, so the cosine "
            "does not start at an epoch boundary"
            if not self._equal(found["total_step"], whole) else
            f"it rises to learning_rate={found['learning_rate']}, not to the cosine's max_lr={texts['max_lr']}"
            if not self._equal(found["learning_rate"], texts["max_lr"]) else
            f"the cosine list's total_step={texts['total_step']} goes past (decay_epoch + 1) * step_per_epoch, "
            "where it holds min_lr and SequentialLR's CosineAnnealingLR would climb back"
            if not self._at_most(texts["total_step"], product(plus_one(texts["decay_epoch"]), every)) else None)
        for name in names_in(warmup.arguments["warmup_epoch"]):
            scope = self.analysis.scopes.get(name)
            if scope is not None and len(scope[name.value]) > 1:
                raise Refused("MIG105", f"`{name.value}` is assigned more than once, and the LambdaLR that replaces "
                                       "warmup_lr reads it at every scheduler step", name)
        if mismatch is not None:
            raise Refused("MIG118", f"the list follows a warmup_lr list at line {self.analysis.line(warmup.call)}, "
                                   f"and {mismatch}: no SequentialLR(LambdaLR, CosineAnnealingLR) reproduces the "
                                   "sum", warmup.call)
        return found

    def _equal(self, left: str, right: str) -> bool:
        """The same expression, or the same value for every sampled count."""
        return _same(left, right) or (self._at_most(left, right) and self._at_most(right, left))

    def _chain_statements(self, scheduler: _FreshName, package: str, optimizer: str, cosine: str,
                          warmup_epochs: str) -> list[cst.BaseStatement]:
        """warmup_lr's ramp from 0 as a LambdaLR (LinearLR cannot start at 0), the cosine, and the SequentialLR
        that switches at warmup_epochs, restarting the cosine at max_lr as the list's second part does."""
        warmup_name = self.analysis.fresh_name("warmup_scheduler")
        cosine_name = self.analysis.fresh_name("cosine_scheduler")
        read = {name.value for name in names_in(cst.parse_expression(warmup_epochs))}
        epoch = next(name for name in ("epoch", "warmup_epoch", "e") if name not in read)
        return [
            cst.parse_statement(f"{warmup_name} = {_in_package(WARMUP_SCHEDULER, package)}({optimizer}, "
                                f"lambda {epoch}: {epoch} / {atom(warmup_epochs)})\n"),
            cst.parse_statement(f"{cosine_name} = {cosine}\n"),
            cst.parse_statement(f"{scheduler} = {_in_package(CHAIN, package)}({optimizer}, [{warmup_name}, "
                                f"{cosine_name}], milestones=[{warmup_epochs}])\n"),
        ]

    def _held(self, claim: Claim, texts: dict[str, str], agreement: str) -> bool:
        """Whether the scheduler must stop stepping at T_max: the list holds min_lr past decay_epoch within the run,
        where torch's periodic cosine would climb back. ``periodic = "clamp"`` keeps the plain scheduler (MIG101,
        unsafe); ``"refuse"`` keeps the site."""
        policy = self.analysis.policies.get("periodic", "exact")
        constants = self.analysis.constants
        if policy == "clamp" or verify.verify(claim, constants).kind != verify.DIVERGES:
            return False
        whole_list = Claim(claim.source, claim.target, run_steps=texts["total_step"], agrees_for=agreement,
                           definitions=claim.definitions)
        if verify.verify(whole_list, constants).kind != verify.DIVERGES:
            return False
        if policy == "refuse":
            raise Refused("MIG101", f"the list holds {_named('min_lr', texts['min_lr'])} from epoch "
                                   f"{_named('decay_epoch', texts['decay_epoch'])} on, and the run goes past it: a "
                                   "plain CosineAnnealingLR "
                                   f"climbs back from optimizer step {agreement}; periodic = \"refuse\" keeps the "
                                   "site (\"exact\" stops scheduler.step() at T_max, \"clamp\" writes the plain "
                                   "scheduler as an unsafe fix)")
        return True

    @staticmethod
    def _step_statement(scheduler: _FreshName, held: bool) -> cst.BaseStatement:
        """``scheduler.step()``, or, to hold eta_min after T_max as the list holds min_lr, the step only while the
        scheduler has not reached T_max."""
        if not held:
            return cst.parse_statement(f"{scheduler}.step()\n")
        return cst.parse_statement(f"if {scheduler}.last_epoch < {scheduler}.T_max:\n    {scheduler}.step()\n")

    def _left_to_port(self, delivery: Delivery) -> list[Note]:
        """Each use of the converted optimizer that is still MindSpore's API, with the torch idiom (MIG112)."""
        name = self.analysis.code(delivery.optimizer_name)
        notes = []
        for use in self.program.follow(delivery.optimizer_call).uses:
            parent = self.analysis.parents.get(use.node)
            if isinstance(parent, cst.Call) and parent.func is use.node:
                node, idiom = parent, STEP_IDIOM
            elif use.kind == ARGUMENT:
                node, idiom = use.call, CELL_IDIOM.format(callee=self.analysis.code(use.call.func))
            elif use.kind in (ATTRIBUTE, METHOD) and use.detail == "parameters":
                node, idiom = parent, PARAMETERS_IDIOM
            elif use.kind in (ATTRIBUTE, METHOD) and use.detail not in TORCH_OPTIMIZER_API:
                node, idiom = parent, f"`{use.detail}` is MindSpore optimizer API: port this line by hand"
            else:
                continue
            notes.append(Note(node, "MIG112", f"`{self.analysis.first_line(node)}` uses {name} as a MindSpore "
                                             f"optimizer, and it is a torch one now: {idiom}"))
        return notes

    def _changes(self, texts: dict[str, str], agreement: str, run: Run | None, held: bool) -> Note:
        """The warning shown when the verifier finds the run's learning rates change: the run outlasting the list
        (MIG102) unless the visible run provably ends within it, else the list outlasting the agreement (MIG101).
        A ``held`` scheduler stops at T_max as the list does, so the run outlasting the list is all that is left."""
        total, min_lr = texts["total_step"], texts["min_lr"]
        clamped = (f"MindSpore holds min_lr={min_lr} while torch's lr climbs back towards max_lr (period "
                   "2 * decay_epoch)")
        if run is None or self._at_most(run.steps, total):
            return Note(self.call, "MIG101",
                        f"the list has total_step={total} entries but the schedules agree only for "
                        f"(decay_epoch + 1) * step_per_epoch = {agreement} optimizer steps: from then on {clamped}")
        runs = "runs" if run.exact else "can run up to"
        through = f" (through {run.helper}, which steps the optimizer)" if run.helper is not None else ""
        message = (f"the loop at line {self.analysis.line(run.loop)}{through} {runs} {run.steps} optimizer steps but "
                   f"the list has total_step={total} entries: MindSpore raises at optimizer step {total} (counted "
                   "from 0, the first past the end of the list) and the original program stops there, while torch's "
                   "scheduler runs on")
        if not held and not self._at_most(total, agreement):
            message += f"; before that, from optimizer step {agreement} = (decay_epoch + 1) * step_per_epoch, {clamped}"
        return Note(self.call if run.helper is not None else run.loop, "MIG102", message)

    def _at_most(self, left: str, right: str) -> bool:
        """True when ``left <= right`` for every value the verifier samples for the counts the texts leave
        unknown (the same expression always is)."""
        if _same(left, right):
            return True
        constants = self.analysis.constants
        try:
            names = list(dict.fromkeys(evaluate.unknowns(left, constants) + evaluate.unknowns(right, constants)))
            return all(evaluate.evaluate(left, constants, values) <= evaluate.evaluate(right, constants, values)
                       for values in (dict(zip(names, point))
                                      for point in itertools.product(SAMPLES["count"], repeat=len(names))))
        except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
            return False

    def _run(self, cadence: Cadence, delivery: Delivery, arguments) -> Run | None:
        """The run the loops around ``scheduler.step()``'s place show, in optimizer steps; None when a loop's count
        is not visible (a while loop, an iterable of unknown length), the scheduler is stepped by hand, or the
        optimizer steps in a helper not reached from the optimizer's function through one call site per function.

        The place is the optimizer step itself (one step per innermost iteration, the loops around a helper's call
        included) or the proven batch loop (as many steps per pass as step_per_epoch). Counts are written with the
        names the list's arguments use, so the verifier samples one unknown where the code has one quantity under
        two spellings."""
        anchor = cadence.anchor
        if anchor is None:
            return None
        program = self.program
        frame, base = self._frame(delivery, anchor)
        route = program.route(anchor, frame)
        if route is None:
            return None
        around = program.loops(route)[len(base):]
        loops = [loop for loop, _ in around]
        spellings = self._spellings([arguments["total_step"], arguments["step_per_epoch"]])
        budget = self._budget(around, route)
        counts = [self._loop_count(loop, spellings) for loop in loops]
        if budget is not None:
            counts[0] = budget.count
            if budget.counted is not loops[0]:
                counts = counts[:1]
        counts = [count if count is None or hop is route.hops[0] else program.in_frame_terms(count, route, hop)
                  for count, (_, hop) in zip(counts, around)]
        counts = [(self._in_builder_terms(count, frame, delivery) or [None])[-1] for count in counts]
        counts = [spellings.get(count, count) if count is not None else None for count in counts]
        if budget is not None and counts[0] is not None:
            whole = budget.counted is not loops[0]
            self.assumptions.append(
                f"`while {self.analysis.code(loops[0].test)}` (line {self.analysis.line(loops[0])}) "
                + (f"is a budget of {counts[0]} optimizer steps: its counter grows with each step and the batch loop "
                   f"at line {self.analysis.line(budget.counted)} leaves when it is spent" if whole else
                   f"runs {counts[0]} times"))
            if whole:
                return Run(counts[0], loops[0], not _returns(loops[0]))
        if isinstance(anchor, LOOPS) or cadence.epoch_call:
            counts.append(self.analysis.code(arguments["step_per_epoch"]))
        if isinstance(anchor, LOOPS):
            loops.append(anchor)
        if not loops or any(count is None for count in counts):
            return None
        exact = (not program.guards(route, route.hops[0].function)
                 and not any(_leaves_early(loop) or _returns(loop) for loop in loops)
                 and not any(_returns_early(hop.function) for hop in route.hops[1:]))
        helper = route.hops[-1].function if route.through_calls else None
        named = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        return Run(product(*counts), loops[0], exact, named if helper is not None else None)

    def _budget(self, around, route) -> Budget | None:
        """The step budget of the run's outermost loop, a ``while`` in the function that makes the run: its
        iterations, or the whole run when its counter counts the optimizer steps (``while step < total_steps``
        around the batch loop, which leaves when the budget is spent)."""
        if not around or self.step_statement is None:
            return None
        loop, hop = around[0]
        if not isinstance(loop, cst.While) or hop is not route.hops[0]:
            return None
        return step_budget(self.analysis, loop, self.step_statement, checked_first=True)

    def _helper_run_not_visible(self, anchor: cst.CSTNode, delivery: Delivery, total: str) -> list[Note]:
        """MIG102 when the optimizer steps in a helper that is not called from one place inside a loop: no run
        length to compare with the list, which may end before the run does."""
        program = self.program
        helper = program.function_of(anchor)
        frame, base = self._frame(delivery, anchor)
        if helper is frame:
            return []
        route = program.route(anchor, frame)
        if route is not None and program.loops(route)[len(base):]:
            return []
        name = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        calls = program.call_sites(helper)
        called = (f"called from {len(calls)} places" if len(calls) > 1 else
                  "not called from a loop here" if calls else "not called where its calls can be followed")
        return [Note(self.call, "MIG102", f"the optimizer steps inside {name} (line {self.analysis.line(anchor)}), "
                                      f"{called}, so the run's length is not visible and can exceed the list's "
                                      f"total_step={total} entries: MindSpore raises at optimizer step {total} and "
                                      "the original program stops there, while torch's scheduler runs on")]

    def _spellings(self, expressions: list[cst.BaseExpression]) -> dict[str, str]:
        """For each name these expressions read that is bound once here to a value (``steps = len(loader)``), the
        value's text mapped to the name; and each ``dataset.get_dataset_size()`` they call, to its own text."""
        spellings: dict[str, str] = {}
        for expression in expressions:
            for name in names_in(expression):
                for value in self._alias(name):
                    spellings.setdefault(self.analysis.code(value), name.value)
            finder = _DatasetSizes(self.analysis)
            expression.visit(finder)
            for text in finder.found:
                spellings.setdefault(text, text)
        return spellings

    def _loop_count(self, loop: cst.CSTNode, spellings: dict[str, str]) -> str | None:
        """How many times ``loop`` runs, in the list's own spelling where it has one; a pass over a MindSpore
        dataset (or its iterators) is ``dataset.get_dataset_size()`` batches."""
        iterable = _unenumerated(self.analysis, loop.iter) if isinstance(loop, cst.For) else None
        if iterable is not None:
            for text, spelling in spellings.items():
                dataset = _dataset_size_of(self.analysis, cst.parse_expression(text))
                if dataset is not None and _iterates(self.analysis, iterable, dataset):
                    return spelling
        count, _ = self.analysis.iteration_count(loop)
        if count is None:
            return None
        return spellings.get(count, count)

    def _construction_place(self, delivery: Delivery) -> cst.SimpleStatementLine:
        """The first list line when only list lines lie between it and an optimizer line without comments above it,
        so the blank lines and comments that opened the paragraph stay; else the optimizer's own line."""
        line = delivery.optimizer_line
        if not delivery.carriers or any(leading.comment is not None for leading in line.leading_lines):
            return line
        block = self.analysis.parents[line].body
        first = block.index(delivery.carriers[0]) if delivery.carriers[0] in block else -1
        between = block[first + 1:block.index(line)] if first >= 0 else None
        return delivery.carriers[0] if between is not None and set(between) <= set(delivery.carriers) else line

    def _arguments(self) -> dict[str, cst.BaseExpression]:
        bound = bind(self.call, SIGNATURE)
        if bound.error:
            raise Refused("MIG105", f"cannot read the arguments of cosine_decay_lr: {bound.error}")
        missing = [name for name in SIGNATURE if name not in bound.values]
        if missing:
            raise Refused("MIG105", f"cosine_decay_lr without {', '.join(missing)}")
        values = [self._value(bound.values[name]) for name in SIGNATURE]
        if all(value is not None for value in values):
            try:
                check_cosine_decay_lr(*values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects this call ({type(error).__name__}: {error}), so it has "
                                       "no schedule to convert") from None
        return {name: bound.values[name] for name in SIGNATURE}

    def _in_caller_terms(self, arguments: dict[str, cst.BaseExpression]) -> dict[str, cst.BaseExpression]:
        """For ``return cosine_decay_lr(...)``, the whole body's end of a helper called from one place
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
        if function.body.body[-1] is not line or _returns_early(function) or program.class_of(function) is not None:
            raise Refused("MIG107", f"the list is returned from {name}, which can return something else first",
                          parent)
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
                elif (read.value in _bound_names(function)
                      or (caller_scope is not None and any(assignment.scope is caller_scope
                                                           for assignment in caller_scope[read.value]))):
                    return_what = f"`{read.value}` means something else in {name} and where it is called"
                else:
                    continue
                raise Refused("MIG107", f"the list is returned from {name} and {return_what}, so its arguments "
                                       f"cannot be written at the call, line {analysis.line(call)}", parent)
            substituted[key] = given[value.value] if isinstance(value, cst.Name) and value.value in given else (
                value.visit(_Parameters(given)))
        values = [self._value(substituted[key]) for key in SIGNATURE]
        if all(value is not None for value in values):
            try:
                check_cosine_decay_lr(*values)
            except (TypeError, ValueError) as error:
                raise Refused("MIG105", f"MindSpore rejects the list {name} returns for the call at line "
                                       f"{analysis.line(call)} ({type(error).__name__}: {error})", call) from None
        self.list_node = call
        self.assumptions.append(f"{name} (line {analysis.line(function)}) is no longer called and can be removed")
        return substituted

    def _value(self, node: cst.BaseExpression):
        return self.analysis.value(self.analysis.code(node))

    def _delivery(self) -> Delivery:
        arg, carriers = self._follow(self.list_node)
        optimizer_call = self.analysis.parents[arg]
        mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(optimizer_call.func) & OPTIMIZERS.keys())))]
        line, name = self._optimizer_binding(optimizer_call)
        scope, loops = self.analysis.enclosing_scope(line), self.analysis.loops(line)
        for statement in (self.analysis.statement(self.list_node), *carriers):
            if self.analysis.enclosing_scope(statement) is not scope or self.analysis.loops(statement) != loops:
                raise Refused("MIG109", f"the list is built at line {self.analysis.line(statement)} but the optimizer "
                                       f"taking it at line {self.analysis.line(line)}, in another function or loop",
                              optimizer_call)
        return Delivery(carriers, optimizer_call, line, name, mapping)

    def _other_deliveries(self) -> list[Delivery]:
        """The other optimizers the list itself feeds (``optimizer_g`` and ``optimizer_d`` of a GAN), each built in
        the list's function and loop like the first."""
        deliveries = []
        for use in self.other_uses:
            arg, carriers = self._follow(use)
            optimizer_call = self.analysis.parents[arg]
            mapping = OPTIMIZERS[next(iter(sorted(self.analysis.names_of(optimizer_call.func) & OPTIMIZERS.keys())))]
            line, name = self._optimizer_binding(optimizer_call)
            if (self.analysis.enclosing_scope(line) is not self.analysis.enclosing_scope(self.list_node)
                    or self.analysis.loops(line) != self.analysis.loops(self.list_node)):
                raise Refused("MIG109", f"the list also feeds the optimizer at line {self.analysis.line(line)}, in "
                                       "another function or loop", optimizer_call)
            deliveries.append(Delivery(carriers, optimizer_call, line, name, mapping))
        return deliveries

    def _follow(self, node: cst.BaseExpression) -> tuple[cst.Arg, list[cst.SimpleStatementLine]]:
        """From the list to the optimizer argument taking it, through float wrappers and single-use names."""
        carriers: list[cst.SimpleStatementLine] = []
        while True:
            node = self._unwrapped(node)
            parent = self.analysis.parents.get(node)
            if isinstance(parent, cst.Arg) and parent.value is node:
                return self._learning_rate_argument(parent), carriers
            if isinstance(parent, cst.DictElement) and parent.value is node and _key(parent) == "lr":
                return self._groups_argument(parent), carriers
            if isinstance(parent, cst.Subscript) and parent.value is node and self._resume_slice(parent):
                node = parent
                continue
            if (isinstance(parent, cst.BinaryOperation) and isinstance(parent.operator, cst.Add)
                    and parent.right is node and self.warmup is None):
                self.warmup = self._warmup(parent.left)
                if self.warmup is not None:
                    if self.warmup.line is not None:
                        carriers.append(self.warmup.line)
                        carriers.sort(key=self.analysis.start)
                    node = parent
                    continue
            if isinstance(parent, cst.Assign) and parent.value is node:
                line, name = self._carrier(parent, node)
                carriers.append(line)
                node = (self._only_attribute_use(line, name) if isinstance(name, cst.Attribute)
                        else self._only_use(line, name))
                continue
            raise self._other_use(node, parent)

    def _warmup(self, left: cst.BaseExpression) -> Warmup | None:
        """``warmup_lr(...)`` (or a name bound once to it and read only here) on the left of ``left + list``."""
        line = None
        call = left
        if isinstance(left, cst.Name):
            assignment = self.analysis.single_assignment(left)
            bound = self.analysis.assigned_value(assignment) if assignment is not None else None
            if bound is None:
                return None
            line, call = bound
            others = [access.node for access in assignment.references if access.node is not left]
            if others:
                raise Refused("MIG107", f"the warmup list `{left.value}` is also used at line "
                                       f"{self.analysis.line(others[0])}, so it cannot be removed with the list", left)
        if not isinstance(call, cst.Call) or not self.analysis.names_of(call.func) & WARMUP:
            return None
        bound = bind(call, WARMUP_SIGNATURE)
        missing = [name for name in WARMUP_SIGNATURE if name not in bound.values]
        if bound.error or missing:
            raise Refused("MIG105", "cannot read the arguments of warmup_lr: "
                                   + (bound.error or f"without {', '.join(missing)}"), call)
        return Warmup(call, dict(bound.values), line)

    def _resume_slice(self, subscript: cst.Subscript) -> bool:
        """Whether ``subscript`` is ``list[start:]``, a resume, followed on to the optimizer (its start is checked
        against step_per_epoch once the arguments are read); False for an element read; any other slice is refused
        here, at its line."""
        elements = subscript.slice
        if not any(isinstance(element.slice, cst.Slice) for element in elements):
            return False
        text, line = _slice_text(self.analysis, subscript), self.analysis.line(subscript)
        part = elements[0].slice
        if len(elements) != 1 or part.lower is None or part.upper is not None or part.step is not None:
            raise Refused("MIG117", f"{text} at line {line} takes another part of the list than its tail from a "
                                   "start step: only `list[start:]`, a resume at an epoch boundary, has a "
                                   "CosineAnnealingLR equivalent", subscript)
        if self.warmup is not None:
            raise Refused("MIG117", f"{text} at line {line} slices the warmup and the cosine together: a "
                                   "SequentialLR is not resumed here", subscript)
        if self.resume_slice is not None and self.resume_slice is not subscript:
            raise Refused("MIG117", f"{text} at line {line} slices the list already sliced at line "
                                   f"{self.analysis.line(self.resume_slice)}", subscript)
        self.resume_slice = subscript
        return True

    def _resume(self, arguments: dict[str, cst.BaseExpression]) -> Resume | None:
        """The epoch ``list[start:]`` resumes at: ``start`` spelled ``epochs * step_per_epoch`` (directly or through
        a name bound once), or numbers whose quotient is whole. None for a start at step 0 (nothing skipped);
        MIG117 at the slice when the start is not visibly at an epoch boundary, where torch cannot resume."""
        subscript = self.resume_slice
        start = subscript.slice[0].slice.lower
        every = arguments["step_per_epoch"]
        epoch = next(filter(None, (self._epochs_in(candidate, every) for candidate in (start, *self._alias(start)))),
                     None)
        values = self._value(start), self._value(every)
        if epoch is None and type(values[0]) is int and values[0] == 0:
            return None
        if epoch is None and all(type(value) is int and value > 0 for value in values) and not values[0] % values[1]:
            epoch = Resume(subscript, str(values[0] // values[1]), None)
        if epoch is not None:
            return epoch
        why = (f"{values[0]} is not a whole number of epochs of step_per_epoch={values[1]}"
               if all(type(value) is int for value in values) else
               f"`{self.analysis.code(start)}` is not visibly a whole number of epochs times "
               f"step_per_epoch={self.analysis.code(every)}")
        raise Refused("MIG117", f"{_slice_text(self.analysis, subscript)} at line {self.analysis.line(subscript)} resumes "
                               f"the list at optimizer step {self.analysis.code(start)}, and {why}: torch resumes a "
                               "CosineAnnealingLR (last_epoch) only at an epoch boundary, so the list cannot be "
                               "written as one; slice at `start_epoch * step_per_epoch`", subscript)

    def _epochs_in(self, start: cst.BaseExpression, every: cst.BaseExpression) -> Resume | None:
        """``epochs`` for ``start`` spelled ``epochs * every`` (either order)."""
        if isinstance(start, cst.BinaryOperation) and isinstance(start.operator, cst.Multiply):
            for factor, epochs in ((start.right, start.left), (start.left, start.right)):
                if self._is_step_per_epoch(factor, every):
                    return Resume(self.resume_slice, self.analysis.code(epochs), epochs)
        return None

    def _is_step_per_epoch(self, factor: cst.BaseExpression, every: cst.BaseExpression) -> bool:
        """The same expression as step_per_epoch, or one bound once to the other (``steps = len(loader)``)."""
        spellings = [self.analysis.code(node) for node in (every, *self._alias(every))]
        return any(_same(self.analysis.code(node), spelling)
                   for node in (factor, *self._alias(factor)) for spelling in spellings)

    @staticmethod
    def _resumed_claim(texts: dict[str, str], resume: Resume, skipped: str, start_lr: str, run: str | None,
                       agrees_for: str) -> Claim:
        """The resumed run itself: the list sliced at the resume step against torch resuming at its epoch from the
        optimizer's lr as written (``migrate/schedules/resume.py``), so the verifier checks that expression too."""
        source = Schedule("mindspore.sliced_cosine_decay_lr", {**texts, "start": skipped})
        destination = Schedule("torch.ResumedCosineAnnealingLR", {
            "initial_lr": texts["max_lr"], "start_lr": start_lr, "T_max": texts["decay_epoch"],
            "eta_min": texts["min_lr"], "start_epoch": resume.epoch, "step_every": texts["step_per_epoch"]})
        return Claim(source, destination, run_steps=run if run is not None else f"{texts['total_step']} - {skipped}",
                     agrees_for=f"{atom(agrees_for)} - {skipped}")

    @staticmethod
    def _resumed_lr(texts: dict[str, str], epoch: str, math: str, zero_min_lr: bool) -> str:
        """torch's closed form at ``epoch``, in torch's order, ``eta_min + (base_lr - eta_min) * (1 + cos(pi * e /
        T_max)) / 2`` (the eta_min terms left out when it is 0, which changes no bit)."""
        cosine = f"(1 + {math}.cos({math}.pi * {atom(epoch)} / {atom(texts['decay_epoch'])}))"
        if zero_min_lr:
            return f"{atom(texts['max_lr'])} * {cosine} / 2"
        min_lr = atom(texts["min_lr"])
        return f"{min_lr} + ({texts['max_lr']} - {min_lr}) * {cosine} / 2"

    def _unwrapped(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """The outermost of ``Tensor(node[, float32])``, ``np.array(node[, dtype])``, ``….astype(np.float32)``.

        A MindSpore optimizer turns any of them into the same float32 tensor it makes from the list itself.
        """
        while True:
            arg = self.analysis.parents.get(node)
            call = self.analysis.parents.get(arg) if isinstance(arg, cst.Arg) else None
            if (isinstance(call, cst.Call) and call.args[0] is arg and arg.keyword is None and not arg.star
                    and self.analysis.names_of(call.func) & (TENSORS | ARRAYS)
                    and len(call.args) <= 2 and all(self._float_dtype(other) for other in call.args[1:])):
                node = call
                continue
            attribute = self.analysis.parents.get(node)
            call = self.analysis.parents.get(attribute) if isinstance(attribute, cst.Attribute) else None
            if (isinstance(call, cst.Call) and call.func is attribute and attribute.value is node
                    and attribute.attr.value == "astype" and isinstance(node, cst.Call)
                    and self.analysis.names_of(node.func) & ARRAYS
                    and len(call.args) == 1 and self._float_dtype(call.args[0])):
                node = call
                continue
            return node

    def _float_dtype(self, argument: cst.Arg) -> bool:
        if argument.star or (argument.keyword is not None and argument.keyword.value != "dtype"):
            return False
        for name in self.analysis.names_of(argument.value):
            package, _, leaf = name.partition(".")
            if name == "builtins.float" or (package in ("mindspore", "numpy")
                                            and leaf.rsplit(".", 1)[-1] in ("float32", "float64")):
                return True
        return False

    def _learning_rate_argument(self, arg: cst.Arg) -> cst.Arg:
        call = self.analysis.parents[arg]
        index = next(index for index, candidate in enumerate(call.args) if candidate is arg)
        slot = arg.keyword.value if arg.keyword is not None else ("learning_rate" if index == 1 else None)
        names = self.analysis.names_of(call.func)
        function = self.analysis.code(call.func)
        if slot == "learning_rate" and names & OPTIMIZERS.keys():
            return arg
        if slot == "learning_rate" and any(name.startswith("mindspore.nn.") for name in names):
            raise Refused("MIG103", f"{function} has no torch mapping here (only SGD, Momentum, Adam and "
                                   "AdamWeightDecay), and a torch scheduler needs a torch optimizer", call)
        raise Refused("MIG107", f"the list is passed to `{function}(...)` at line {self.analysis.line(call)}; a "
                               "torch scheduler cannot stand in for it there", call)

    def _carrier(self, assign: cst.Assign, value: cst.BaseExpression) -> tuple[cst.SimpleStatementLine, cst.Name]:
        line = self.analysis.parents.get(assign)
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        simple = isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
        if simple and isinstance(target, cst.Attribute) and self.program.is_self(target.value):
            return line, target
        if not isinstance(target, cst.Name) or not simple:
            raise Refused("MIG107", "the list is stored in something other than one variable or one attribute of "
                                   "self, so its uses cannot be followed", value)
        return line, target

    def _only_attribute_use(self, line: cst.SimpleStatementLine, target: cst.Attribute) -> cst.Attribute:
        """The one read of ``self.<attr>`` in its class, which stores it only at ``line``."""
        attribute = self.analysis.code(target)
        for statement, _ in self.program.other_attribute_values(target, line):
            raise Refused("MIG107", f"`{attribute}` is also assigned at line {self.analysis.line(statement)}, so the "
                                   "list cannot be followed to its use", statement)
        reads = self.program.attribute_references(target)
        if len(reads) == 1:
            return reads[0]
        if not reads:
            raise Refused("MIG107", f"the list `{attribute}` is never given to an optimizer here")
        lines = ", ".join(str(self.analysis.line(read)) for read in reads)
        raise Refused("MIG107", f"the list `{attribute}` is read at lines {lines}; a torch scheduler can stand in for "
                               "it only where one optimizer takes it", reads[1])

    def _holds_the_list(self, line: cst.SimpleStatementLine) -> bool:
        """Whether ``line`` binds the cosine_decay_lr call's own list (not a Tensor made from it)."""
        return line.body[0].value is self.list_node

    def _indexed_by_name(self, use: cst.Name) -> bool:
        """``lr[step]``: one element read at a variable index (a candidate for the optimizer's current lr)."""
        parent = self.analysis.parents.get(use)
        return (isinstance(parent, cst.Subscript) and parent.value is use and len(parent.slice) == 1
                and isinstance(parent.slice[0].slice, cst.Index) and isinstance(parent.slice[0].slice.value, cst.Name)
                and not isinstance(self.analysis.parents.get(parent), (cst.AssignTarget, cst.Del, cst.AugAssign)))

    def _current_lr_reads(self, scheduler: _FreshName) -> dict[cst.CSTNode, cst.BaseExpression]:
        """Each ``lr[step]`` read as the torch optimizer's current lr, ``scheduler.get_last_lr()[0]``.

        That is the list's element the optimizer's next step uses when ``step`` counts the optimizer steps made so
        far: bound to 0 once before the loops, increased by one right after the optimizer step in the same block,
        and read in that block before the step, with nothing between that can leave the iteration. Anything else is
        refused at the read (MIG107)."""
        replacements = {}
        for read in self.step_reads:
            why = self._not_a_step_count(read)
            if why is not None:
                raise Refused("MIG107", f"`{self.analysis.code(read)}` at line {self.analysis.line(read)} reads one "
                                       f"element of the list, and {why}; a torch scheduler has no list (the lr of "
                                       "step i is scheduler.get_last_lr()[0] while step i runs)", read)
            current = f"{scheduler}.get_last_lr()[0]"
            replacements[read] = cst.parse_expression(current)
            counter = self.analysis.code(read.slice[0].slice.value)
            self.assumptions.append(f"`{self.analysis.code(read)}` (line {self.analysis.line(read)}) becomes "
                                    f"{current}, the lr of the optimizer step that follows it, as {counter} counts "
                                    "the optimizer steps made")
        return replacements

    def _not_a_step_count(self, read: cst.Subscript) -> str | None:
        """Why ``lr[counter]`` is not the lr of the optimizer step that follows the read; None when it is."""
        analysis, program = self.analysis, self.program
        if self.step_statement is None:
            return "scheduler.step() has no proven place"
        statement = analysis.statement(read)
        function = program.function_of(statement)
        step = self.step_statement
        if program.function_of(step) is not function:
            route = program.route(step, function)
            if route is None or self._helpers_skip_or_repeat(route.hops[1:]):
                return "the optimizer steps in a helper not called once per iteration where it is read"
            step = analysis.statement(route.anchor)
        block = analysis.parents.get(step)
        if not isinstance(analysis.parents.get(block), LOOPS) or statement not in block.body:
            return "it is not read in the loop body that steps the optimizer"
        counter = read.slice[0].slice.value
        scope = analysis.scopes.get(counter)
        assignments = [assignment for assignment in scope[counter.value]] if scope is not None else []
        statements = [analysis.statement(assignment.node) for assignment in assignments
                      if getattr(assignment, "node", None) is not None and assignment.node in analysis.positions]
        starts = [line for line in statements if _binds_zero(line)]
        increments = [line for line in statements if _adds_one(line) and line in block.body]
        if len(statements) != len(assignments) or len(statements) != 2 or len(starts) != 1 or len(increments) != 1:
            return (f"`{counter.value}` is not a counter bound to 0 once and increased by 1 once, in the loop that "
                    "steps the optimizer")
        body = list(block.body)
        read_at, step_at, increment_at = (body.index(line) for line in (statement, step, increments[0]))
        if not read_at < step_at < increment_at:
            return f"it is not read before the optimizer step at line {analysis.line(step)} and the increment of " \
                   f"`{counter.value}` after it"
        if any(not _plain_line(line) for line in body[read_at:increment_at + 1]):
            return f"a statement between it and the increment of `{counter.value}` can leave the iteration"
        start = starts[0]
        loops = analysis.loops(step)
        outermost = next((loop for loop in loops if loop not in analysis.loops(start)), None)
        if (program.function_of(start) is not function or outermost is None or analysis.guards(start, function)
                or not analysis.runs_before(start.body[0].targets[0].target, outermost)):
            return f"`{counter.value} = 0` is not bound once, unconditionally, before the loops that step the optimizer"
        return None

    def _class_attributes(self, delivery: Delivery) -> set[str]:
        """Every attribute name the optimizer's class uses: a new ``self.<name>`` must not be one of them."""
        owner = self.program.class_of(self.program.function_of(delivery.optimizer_line))
        finder = _AttributeNames()
        (owner or self.analysis.module).visit(finder)
        return finder.names

    def _only_use(self, line: cst.SimpleStatementLine, name: cst.Name) -> cst.Name:
        """The one read of the value ``line`` binds to ``name``, up to the next assignment of the name."""
        scope = self.analysis.scopes[name]
        assignments = sorted((assignment for assignment in scope[name.value] if isinstance(assignment, Assignment)),
                             key=lambda assignment: self.analysis.start(assignment.node))
        block = self.analysis.parents[line]
        statements = []
        for assignment in assignments:
            bound = self.analysis.assigned_value(assignment) if type(assignment) is Assignment else None
            if bound is None or self.analysis.parents.get(bound[0]) is not block:
                raise Refused("MIG107", f"`{name.value}` is also bound at line {self.analysis.line(assignment.node)}, "
                                       "so the list cannot be followed to its use", assignment.node)
            statements.append(bound[0])
        later = sorted((s for s in statements if self.analysis.start(s) > self.analysis.start(line)),
                       key=self.analysis.start)
        first = min(self.analysis.start(s) for s in statements)
        limit = self.analysis.end(later[0]) if later else None
        reads = {access.node for assignment in assignments for access in assignment.references}
        uses = []
        for read in sorted(reads, key=self.analysis.start):
            position = self.analysis.start(read)
            if position < first:
                raise Refused("MIG107", f"`{name.value}` is read at line {position[0]} before the list is assigned "
                                       "to it", read)
            if self.analysis.end(line) <= position and (limit is None or position < limit):
                uses.append(read)
        if self._holds_the_list(line):
            self.step_reads += [self.analysis.parents[use] for use in uses if self._indexed_by_name(use)]
            uses = [use for use in uses if not self._indexed_by_name(use)]
        if len(uses) == 1:
            return uses[0]
        if not uses:
            raise Refused("MIG107", f"the list `{name.value}` is never given to an optimizer here")
        refusals, reached = [], []
        for use in uses:
            try:
                reached.append(self._follow(use))
            except Refused as refused:
                refusals.append(refused)
        if refusals:
            raise refusals[0]
        if (self._holds_the_list(line) and len({id(self.analysis.parents[arg]) for arg, _ in reached}) == 1
                and not any(carriers for _, carriers in reached)):
            return uses[0]
        if self.other_uses or self.warmup is not None or not self._holds_the_list(line):
            lines = ", ".join(str(self.analysis.line(use)) for use in uses)
            raise Refused("MIG107", f"the list `{name.value}` feeds several optimizers (lines {lines}) through "
                                   "another list or a wrapper; each would need its own scheduler")
        self.other_uses = uses[1:]
        return uses[0]

    def _other_use(self, node: cst.BaseExpression, parent) -> Refused:
        if isinstance(parent, cst.Subscript) and parent.value is node:
            text = self.analysis.code(parent)
            return Refused("MIG107", f"`{text}` at line {self.analysis.line(parent)} reads one element of the list; "
                                    "a torch scheduler has no list (the lr of step i is "
                                    "scheduler.get_last_lr()[0] while step i runs)", parent)
        if isinstance(parent, cst.BinaryOperation):
            other = parent.right if parent.left is node else parent.left
            warmup = isinstance(other, cst.Call) and self.analysis.names_of(other.func) & WARMUP
            what = "a warmup_lr list" if warmup else f"`{self.analysis.code(other)}`"
            return Refused("MIG118", f"the list is combined with {what} at line {self.analysis.line(parent)}: "
                                    "one list of several phases has no single CosineAnnealingLR equivalent"
                                    + ("; only a warmup_lr list before it (warmup_lr(...) + cosine_decay_lr(...)) "
                                       "converts, to SequentialLR" if warmup else ""),
                           parent)
        if isinstance(parent, cst.Return):
            function = next((scope for scope in self.analysis.ancestors(parent)
                             if isinstance(scope, cst.FunctionDef)), None)
            where = f"`{function.name.value}()`" if function is not None else "the function"
            return Refused("MIG107", f"the list is returned from {where}; the rule converts a list built and given "
                                    "to its optimizer in one function: build it where the optimizer is built",
                           parent)
        statement = self.analysis.statement(node)
        return Refused("MIG107", f"the list is used at line {self.analysis.line(node)} "
                                f"(`{self.analysis.first_line(statement)}`), not given to an optimizer", node)

    def _optimizer_binding(self, call: cst.Call) -> tuple[cst.SimpleStatementLine, cst.Name | cst.Attribute]:
        parent = self.analysis.parents.get(call)
        target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
        line = self.analysis.parents.get(parent)
        if (isinstance(target, cst.Attribute) and self.program.is_self(target.value)
                and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1):
            for statement, _ in self.program.other_attribute_values(target, line):
                raise Refused("MIG106", f"`{self.analysis.code(target)}` is also assigned at line "
                                       f"{self.analysis.line(statement)}, so its steps cannot be followed", statement)
            return line, target
        assignment = self.analysis.single_assignment(target) if isinstance(target, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None or bound[1] is not call:
            raise Refused("MIG109", f"the optimizer `{self.analysis.code(call.func)}(...)` is not bound to one "
                                   "variable, so there is nothing for the scheduler to drive", call)
        return bound[0], target

    def _optimizer_arguments(self, delivery: Delivery) -> dict[str, cst.BaseExpression]:
        mapping, call = delivery.mapping, delivery.optimizer_call
        bound = bind(call, mapping.positional, mapping.keyword_only)
        if bound.error:
            raise Refused("MIG105", f"cannot read the optimizer's arguments: {bound.error}", call)
        if "params" not in bound.values:
            raise Refused("MIG105", "the optimizer has no params", call)
        for name, accepted in mapping.required:
            value = bound.values.get(name)
            if value is not None and self.analysis.code(value) not in accepted:
                raise Refused("MIG104", f"{name}={self.analysis.code(value)} has no {mapping.target} counterpart",
                              value)
        return bound.values

    def _check_moves(self, delivery: Delivery, expressions: list[cst.BaseExpression],
                     since: cst.CSTNode | None = None) -> None:
        """min_lr, max_lr and decay_epoch move to the optimizer's line: none of their names may change on the way
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
                for assignment in scope[name.value]:
                    node = getattr(assignment, "node", None)
                    if node is None or node not in self.analysis.positions:
                        continue
                    if (self.analysis.start(first) <= self.analysis.start(node) <= self.analysis.end(last)
                            and self.analysis.statement(node) not in removed):
                        raise Refused("MIG105", f"`{name.value}` is assigned at line {self.analysis.line(node)}, "
                                               "between the list and the optimizer that will use it instead", node)

    def _cadence(self, delivery: Delivery, step_per_epoch: cst.BaseExpression, scheduler: _FreshName) -> Cadence:
        steps, runs = self._optimizer_steps(delivery)
        every = _count_text(self.analysis.code(step_per_epoch))
        per_step = self._value(step_per_epoch) == 1
        how_often = "right after every optimizer step" if per_step else f"once every {every} optimizer steps"
        if steps and runs:
            raise Refused("MIG106", f"the optimizer is stepped at line {self.analysis.line(steps[0])} and also by "
                                   f"`{self.analysis.code(runs[0].func)}(...)` at line {self.analysis.line(runs[0])}",
                          runs[0])
        if runs:
            lines = ", ".join(str(self.analysis.line(run)) for run in runs)
            run = runs[0]
            where = f"line{'s' if len(runs) > 1 else ''} {lines}"
            return self._by_hand(run, f"`{self.analysis.first_line(run)}` at {where} runs the optimizer out "
                                      f"of sight: call {scheduler}.step() {how_often}"
                                      + ("" if per_step else f" (at the end of each epoch when an epoch is {every} "
                                                             "batches), e.g. from a callback's on_train_epoch_end"),
                                 every)
        if not steps:
            raise Refused("MIG106", f"the optimizer `{self.analysis.code(delivery.optimizer_name)}` is never stepped here, so there "
                                   "is no place for scheduler.step()", delivery.optimizer_call)
        if len(steps) > 1:
            lines = ", ".join(str(self.analysis.line(step)) for step in steps)
            raise Refused("MIG106", f"the optimizer is stepped at lines {lines}; the rewrite needs exactly one "
                                   "step site to place scheduler.step()", steps[0])
        step = steps[0]
        statement = self.analysis.statement(step)
        self.step_statement = statement
        frame, _ = self._frame(delivery, statement)
        nested = self.program.function_of(statement) is not self.program.function_of(delivery.optimizer_line)
        if not nested and self.analysis.start(statement) < self.analysis.end(delivery.optimizer_line):
            raise Refused("MIG106", "the optimizer is stepped before it is built", statement)
        if per_step:
            place = self._per_step_place(statement, frame, delivery)
            if place is not None:
                where = (f"line {self.analysis.line(place)}" if place is statement else
                         f"after the call at line {self.analysis.line(place)}, which steps the optimizer once, at "
                         f"line {self.analysis.line(statement)}")
                return Cadence(place, f"after every optimizer step ({where})", [])
            return self._by_hand(statement, f"call {scheduler}.step() right after the optimizer step at line "
                                            f"{self.analysis.line(statement)}", every)
        if nested:
            return self._cadence_through_calls(statement, delivery, step_per_epoch, scheduler)
        batch_loop, proof = self._batch_loop(statement, delivery.optimizer_line, step_per_epoch)
        if batch_loop is not None and isinstance(proof, list):
            return Cadence(batch_loop, f"once per epoch, after the batch loop at line {self.analysis.line(batch_loop)}",
                           proof)
        return self._by_hand(batch_loop or statement,
                             f"{proof}: call {scheduler}.step() once every {every} optimizer steps (after the batch "
                             f"loop if one pass over it is {every} batches)", every)

    def _per_step_place(self, statement: cst.CSTNode, frame: cst.CSTNode, delivery: Delivery) -> cst.CSTNode | None:
        """Where ``scheduler.step()`` runs right after each optimizer step and sees the scheduler built with the
        optimizer: the step's own line, or the call of the helper that makes exactly that one step."""
        if _insertable(self.analysis, statement) and self._sees(self.program.function_of(statement), delivery):
            return statement
        route = self.program.route(statement, frame)
        if route is None:
            return None
        for index in range(len(route.hops) - 2, -1, -1):
            if self._helpers_skip_or_repeat(route.hops[index + 1:]):
                return None
            hop = route.hops[index]
            call = self.analysis.statement(hop.node)
            if _insertable(self.analysis, call) and self._sees(hop.function, delivery):
                return call
        return None

    def _helpers_skip_or_repeat(self, hops) -> bool:
        """Whether one call of the first of ``hops`` can make other than one pass to the last hop's node: a loop,
        a condition or an early ``return`` on the way."""
        return any(self.analysis.loops(hop.node) or self.analysis.guards(hop.node, hop.function)
                   or _returns_early(hop.function) for hop in hops)

    def _sees(self, function: cst.CSTNode, delivery: Delivery) -> bool:
        """Whether the scheduler built with the optimizer can be read in ``function``: a fresh variable of the
        optimizer's function (or a closure of it, or any function when that is the module), or a fresh
        ``self.<name>`` in a method of the optimizer's class whose first parameter has the same name."""
        program = self.program
        built = program.function_of(delivery.optimizer_line)
        if delivery.owner is not None:
            return (isinstance(function, cst.FunctionDef) and program.class_of(function) is program.class_of(built)
                    and bool(function.params.params) and function.params.params[0].name.value == delivery.owner
                    and not any(isinstance(decorator.decorator, cst.Name)
                                and decorator.decorator.value in ("staticmethod", "classmethod")
                                for decorator in function.decorators))
        return function is built or built is self.analysis.module or built in set(self.analysis.ancestors(function))

    def _frame(self, delivery: Delivery, node: cst.CSTNode) -> tuple[cst.CSTNode, list[cst.CSTNode]]:
        """The function whose loops make the run that reaches ``node``, and the loops already around the
        optimizer's construction there: the optimizer's own function; or, for an optimizer stored in ``self``, the
        method of its class that leads to ``node`` through one call site per function and that the module never
        calls itself (``fit()``, called on an instance from outside)."""
        program = self.program
        built = program.function_of(delivery.optimizer_line)
        own = built, self.analysis.loops(delivery.optimizer_line)
        if delivery.owner is None or program.route(node, built) is not None:
            return own
        function = program.function_of(node)
        for _ in range(MAX_CALL_DEPTH):
            calls = program.call_sites(function) if isinstance(function, cst.FunctionDef) else []
            if not calls:
                break
            if len(calls) > 1:
                return own
            function = program.function_of(calls[0])
        else:
            return own
        if function is built or not self._sees(function, delivery):
            return own
        return function, []

    def _in_builder_terms(self, text: str | None, frame: cst.CSTNode, delivery: Delivery) -> list[str]:
        """``text``, read in ``frame``, as the optimizer's function would read it: itself, and with each
        ``self.x`` replaced by the value that function stores in it; empty when a ``self.x`` is not stored once
        there (its value in ``frame`` is not visible)."""
        built = self.program.function_of(delivery.optimizer_line)
        if text is None:
            return []
        if frame is built:
            return [text]
        translated = self.program.in_method_terms(text, built)
        return [] if translated is None else list(dict.fromkeys([text, translated[0]]))

    def _cadence_through_calls(self, statement: cst.CSTNode, delivery: Delivery, step_per_epoch: cst.BaseExpression,
                               scheduler: _FreshName) -> Cadence:
        """The epoch's end when the optimizer steps in a helper reached from the optimizer's function through one
        call site per function: after the batch loop when that loop is in the optimizer's function (a train_step()
        called per batch), after the helper's call when the helper holds the batch loop (a train_one_epoch() called
        per epoch). The batch loop must visibly run step_per_epoch optimizer steps per pass, counted in the
        caller's terms."""
        analysis, program = self.analysis, self.program
        every = _count_text(analysis.code(step_per_epoch))
        frame, base = self._frame(delivery, statement)
        function = program.function_of(statement)
        name = f"{function.name.value}()" if isinstance(function, cst.FunctionDef) else "a lambda"

        def by_hand(node: cst.CSTNode, why: str) -> Cadence:
            return self._by_hand(node, f"the optimizer steps inside {name} (line {analysis.line(statement)}) and "
                                       f"{why}: call {scheduler}.step() once every {every} optimizer steps, e.g. "
                                       f"after the loop that calls {name} {every} times per epoch", every)

        route = program.route(statement, frame)
        if route is None:
            calls = program.call_sites(function)
            return by_hand(statement, f"is called from {len(calls)} places" if len(calls) > 1 else
                           "is not called from the function that builds the optimizer" if calls else
                           "is never called where its calls can be followed")
        around = program.loops(route)
        if [loop for loop, _ in around[:len(base)]] != base or len(around) == len(base):
            return by_hand(statement, "no loop of its own after the optimizer is built runs it")
        loop, hop = around[-1]
        index = route.hops.index(hop)
        built = program.function_of(delivery.optimizer_line)
        if index == 0 and frame is built and analysis.start(loop) < analysis.end(delivery.optimizer_line):
            return by_hand(loop, "the loop around it starts before the optimizer is built")
        proof = self._pass_through_calls(route, loop, hop, step_per_epoch, delivery)
        if isinstance(proof, str):
            return by_hand(loop, proof)
        if frame is not built:
            runner = f"{frame.name.value}()"
            proof.append(f"{runner} runs once for each {program.class_of(built).name.value} built (a second call "
                         "would run past the list)")
        if index == 0:
            inside = f" (the optimizer steps in {name}, called once per batch)" if route.through_calls else ""
            return Cadence(loop, f"once per epoch, after the batch loop at line {analysis.line(loop)}{inside}", proof)
        helper = route.hops[1].function
        called = f"{helper.name.value}()" if isinstance(helper, cst.FunctionDef) else "a lambda"
        outer = [other for other, where in around[len(base):] if where is not route.hops[0] and other is not loop]
        if outer:
            return by_hand(outer[0], f"the loop at line {analysis.line(outer[0])} runs its batch loop several times "
                                     f"per call of {called}")
        if self._helpers_skip_or_repeat(route.hops[1:index]) or analysis.guards(loop, hop.function) or any(
                _returns_early(other.function) for other in route.hops[1:index + 1]):
            return by_hand(loop, f"a condition or an early return can skip the batch loop at line "
                                 f"{analysis.line(loop)} in a call of {called}")
        anchor = analysis.statement(route.hops[0].node)
        if not _insertable(analysis, anchor):
            return by_hand(anchor, f"the call of {called} at line {analysis.line(anchor)} is not a line of its own "
                                   "a statement can follow")
        return Cadence(anchor, f"once per epoch, after each call of {called} (line {analysis.line(anchor)}), whose "
                               f"batch loop at line {analysis.line(loop)} steps the optimizer", proof, epoch_call=True)

    def _pass_through_calls(self, route, loop: cst.CSTNode, hop, step_per_epoch,
                            delivery: Delivery) -> list[str] | str:
        """The assumptions proving one pass of ``loop`` (in ``hop``'s function) makes step_per_epoch optimizer
        steps, one per iteration down the route; else why not."""
        analysis, program = self.analysis, self.program
        index = route.hops.index(hop)
        line = analysis.line(loop)
        if analysis.guards(hop.node, loop) or any(analysis.guards(other.node, other.function)
                                                  for other in route.hops[index + 1:]):
            return f"the optimizer step runs under a condition in the loop at line {line}"
        if _leaves_early(loop) or analysis.loop_exits(loop):
            return f"the loop at line {line} can end an iteration early"
        if index > 0 and _returns(loop):
            return f"the loop at line {line} can return before its end"
        if any(_returns_early(other.function) for other in route.hops[index + 1:]):
            return "it can return before its optimizer step"

        frame = route.hops[0].function

        def in_frame(text: str | None) -> list[str]:
            if text is not None and index > 0:
                text = program.in_frame_terms(text, route, hop)
            return self._in_builder_terms(text, frame, delivery)

        count, why = analysis.iteration_count(loop)
        counts = in_frame(count)
        candidates = [step_per_epoch, *self._alias(step_per_epoch)]
        for text in counts:
            if any(_same(text, analysis.code(node)) for node in candidates):
                return [f"one pass over {text[4:-1]} is {text} iterations"] if why and text.startswith("len(") else (
                    [why] if why else [])
        dataset = next(filter(None, (_dataset_size_of(analysis, node) for node in candidates)), None)
        iterable = _unenumerated(analysis, loop.iter) if isinstance(loop, cst.For) else None
        for text in in_frame(analysis.code(iterable)) if iterable is not None else []:
            if dataset is not None and _iterates(analysis, cst.parse_expression(text), dataset):
                return [f"one pass over {text} is {dataset}.get_dataset_size() batches"]
        runs = f"`{count}` times" if count is not None else f"an unknown number of times ({why})"
        return f"the batch loop at line {line} runs {runs}, not visibly step_per_epoch={analysis.code(step_per_epoch)}"

    def _by_hand(self, node: cst.CSTNode, message: str, every: str) -> Cadence:
        return Cadence(None, f"by hand once every {every} optimizer steps (MIG116)", [],
                       Note(node, "MIG116", message))

    def _optimizer_steps(self, delivery: Delivery) -> tuple[list[cst.Call], list[cst.Call]]:
        """The calls that step the optimizer (``opt(grads)``, ``opt.step()``, ``x.step(opt)``, a TrainOneStepCell
        built on it) and the ``model.train(...)`` calls that run it out of sight, wherever the program model follows
        the optimizer: its variable, and the parameters of the module's functions it is passed to."""
        steps: list[cst.Call] = []
        runs: list[cst.Call] = []
        tracked = self.program.follow(delivery.optimizer_call)
        self._refuse_competitors(tracked, f"the optimizer `{self.analysis.code(delivery.optimizer_name)}`")
        for use in sorted(tracked.uses, key=lambda use: self.analysis.start(use.node)):
            node = use.node
            parent = self.analysis.parents.get(node)
            if isinstance(parent, cst.Call) and parent.func is node:
                steps.append(parent)
            elif use.kind in (METHOD, ATTRIBUTE):
                if use.kind == METHOD and use.detail == "step":
                    steps.append(use.call)
            elif use.kind == ARGUMENT:
                call = use.call
                names = self.analysis.names_of(call.func)
                if isinstance(call.func, cst.Attribute) and call.func.attr.value == "step":
                    steps.append(call)
                elif names & (MODELS | STEP_CELLS):
                    found_steps, found_runs = self._wrapper_uses(call, bool(names & STEP_CELLS))
                    steps += found_steps
                    runs += found_runs
                else:
                    raise Refused("MIG106", f"the optimizer is passed to `{self.analysis.code(call.func)}(...)` at "
                                           f"line {self.analysis.line(call)}, where its steps are not visible", call)
            else:
                statement = self.analysis.statement(node)
                raise Refused("MIG106", f"the optimizer is used at line {self.analysis.line(node)} "
                                       f"(`{self.analysis.first_line(statement)}`), where its steps are not "
                                       "visible", node)
        return steps, runs

    def _refuse_competitors(self, tracked, what: str) -> None:
        """A place the object is stored that also holds another value hides which one a use sees."""
        for statement, value in tracked.competitors:
            raise Refused("MIG106", f"{what} is also given another value at line {self.analysis.line(statement)} "
                                   f"(`{self.analysis.first_line(statement)}`), so its steps cannot be followed",
                          value)

    def _wrapper_uses(self, call: cst.Call, step_cell: bool) -> tuple[list[cst.Call], list[cst.Call]]:
        """A Model's train()/fit() calls, or a TrainOneStepCell's calls (each one optimizer step), followed like the
        optimizer into the module's functions it is passed to."""
        parent = self.analysis.parents.get(call)
        target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
        if not isinstance(target, cst.Name) or self.analysis.single_assignment(target) is None:
            raise Refused("MIG106", f"`{self.analysis.code(call.func)}(...)` at line {self.analysis.line(call)} is not "
                                   "bound to one variable, so how it runs the optimizer is not visible", call)
        tracked = self.program.follow(call)
        self._refuse_competitors(tracked, f"`{target.value}`")
        steps, runs = [], []
        for use in sorted(tracked.uses, key=lambda use: self.analysis.start(use.node)):
            node = use.node
            parent = self.analysis.parents.get(node)
            if step_cell and isinstance(parent, cst.Call) and parent.func is node:
                steps.append(parent)
            elif use.kind in (METHOD, ATTRIBUTE):
                if not step_cell and use.kind == METHOD and use.detail in MODEL_RUNS:
                    runs.append(use.call)
            elif step_cell and use.kind == ARGUMENT and self.analysis.names_of(use.call.func) & MODELS:
                found_steps, found_runs = self._wrapper_uses(use.call, False)
                steps += found_steps
                runs += found_runs
            else:
                raise Refused("MIG106", f"`{target.value}` is used at line {self.analysis.line(node)}, where how it "
                                       "runs the optimizer is not visible", node)
        if not steps and not runs:
            raise Refused("MIG106", f"`{target.value}` never runs the optimizer here", call)
        return steps, runs

    def _batch_loop(self, statement, optimizer_line, step_per_epoch) -> tuple[cst.CSTNode | None, list[str] | str]:
        """The loop around the optimizer step and the assumptions proving it has step_per_epoch iterations, or
        the loop (if any) and why that is not proven."""
        base = self.analysis.loops(optimizer_line)
        loops = self.analysis.loops(statement)
        if loops[:len(base)] != base or len(loops) == len(base):
            return None, "the optimizer step is not in a loop of its own after the optimizer is built"
        loop = loops[-1]
        if self.analysis.start(loop) < self.analysis.end(optimizer_line):
            return None, "the loop around the optimizer step starts before the optimizer is built"
        line = self.analysis.line(loop)
        if self.analysis.guards(statement, loop):
            return loop, f"the optimizer step runs under a condition in the loop at line {line}"
        if _leaves_early(loop):
            return loop, f"the loop at line {line} has a break or continue"
        count, why = self.analysis.iteration_count(loop)
        every = self.analysis.code(step_per_epoch)
        candidates = [step_per_epoch, *self._alias(step_per_epoch)]
        if count is not None and any(_same(count, self.analysis.code(node)) for node in candidates):
            return loop, [why] if why else []
        dataset = next(filter(None, (_dataset_size_of(self.analysis, node) for node in candidates)), None)
        iterable = _unenumerated(self.analysis, loop.iter) if isinstance(loop, cst.For) else None
        if dataset is not None and iterable is not None and _iterates(self.analysis, iterable, dataset):
            return loop, [f"one pass over {self.analysis.code(iterable)} is {dataset}.get_dataset_size() batches"]
        runs = f"{count} times" if count is not None else f"an unknown number of times ({why})"
        return loop, f"the batch loop at line {line} runs {runs}, not visibly step_per_epoch={every}"

    def _alias(self, node: cst.BaseExpression) -> list[cst.BaseExpression]:
        """The value of a name bound once to it in this function, e.g. ``steps = dataset.get_dataset_size()``."""
        if not isinstance(node, cst.Name):
            return []
        assignment = self.analysis.single_assignment(node)
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        return [bound[1]] if bound is not None else []

    def _new_optimizer(self, delivery: Delivery, values, max_lr: str, package: str,
                       params: cst.BaseExpression | None = None) -> cst.SimpleStatementLine:
        """The torch construction, edited from the MindSpore one so its layout and comments stay; ``params``, when
        given, is what the params argument becomes (the param groups)."""
        mapping, call = delivery.mapping, delivery.optimizer_call
        renames = dict(mapping.renames)
        given, arguments = set(), []
        for index, argument in enumerate(call.args):
            name = argument.keyword.value if argument.keyword else mapping.positional[index]
            given.add(name)
            if name == "params":
                arguments.append(argument.with_changes(
                    value=params if params is not None else self._params(argument.value)))
            elif name == "learning_rate":
                arguments.append(keyword_argument(argument, "lr", cst.parse_expression(max_lr)))
            elif name in ("beta1", "beta2"):
                if not any(other in given for other in ("beta1", "beta2") if other != name):
                    arguments.append(keyword_argument(argument, "betas", self._betas(values)))
            elif name in renames:
                arguments.append(keyword_argument(argument, renames[name], argument.value))
        inert = sorted(given & set(mapping.inert))
        if inert:
            self.assumptions.append(f"{', '.join(inert)} only change how MindSpore computes, not what")
        added = [cst.Arg(cst.parse_expression(value), keyword=cst.Name(name), equal=EQUAL)
                 for name, value in mapping.defaults if name not in given]
        new_call = call.with_changes(func=cst.parse_expression(_in_package(mapping.target, package)),
                                     args=joined_arguments(arguments, added, call.args[-1].comma))
        line = delivery.optimizer_line
        return line.with_changes(body=[line.body[0].with_changes(value=new_call)])

    def _params(self, params: cst.BaseExpression) -> cst.BaseExpression:
        if (isinstance(params, cst.Call) and not params.args and isinstance(params.func, cst.Attribute)
                and params.func.attr.value in PARAMETER_LISTS):
            return params.with_changes(func=params.func.with_changes(attr=cst.Name("parameters")))
        self.assumptions.append(f"{self.analysis.code(params)} holds torch parameters")
        return params

    def _betas(self, values) -> cst.BaseExpression:
        first, second = (self.analysis.code(values[name]) if name in values else default
                         for name, default in (("beta1", "0.9"), ("beta2", "0.999")))
        return cst.parse_expression(f"({first}, {second})")

    def _semantic_notes(self, delivery: Delivery, values, grouped: bool = False) -> list[Note]:
        """How the torch optimizer updates differently. With param groups MindSpore decays every parameter of a
        group by its weight_decay (its beta/gamma filter is for an ungrouped optimizer), as torch does."""
        mapping, call = delivery.mapping, delivery.optimizer_call
        notes = [Note(call, "MIG104", mapping.differences)] if mapping.differences else []
        if grouped:
            return notes
        weight_decay = values.get("weight_decay")
        decays = (dict(mapping.defaults).get("weight_decay") if weight_decay is None
                  else self.analysis.code(weight_decay))
        if decays is not None and self.analysis.value(decays) != 0:
            notes.append(Note(call, "MIG104", f"weight_decay={decays}: {WEIGHT_DECAY_DIFFERENCE}"))
        return notes


class _FreshName:
    """A new module-wide name, taken when first written: a site refused before that leaves it to the next site.
    With an ``owner`` (``self``) it is an attribute, ``self.<name>``, whose name is also none of ``taken``."""

    def __init__(self, analysis: Analysis, base: str, owner: str | None = None, taken: set[str] = frozenset()):
        self.analysis, self.base, self.owner, self.taken = analysis, base, owner, taken
        self._name: str | None = None

    def __str__(self) -> str:
        if self._name is None:
            name = self.analysis.fresh_name(self.base)
            while name in self.taken:
                name = self.analysis.fresh_name(self.base)
            self._name = f"{self.owner}.{name}" if self.owner else name
        return self._name


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


def _bound_names(function: cst.FunctionDef) -> set[str]:
    """The names a function binds in its body (assignments, loop targets), not counting nested functions."""
    finder = _Bindings()
    function.body.visit(finder)
    return finder.names


class _Bindings(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.names |= {name.value for name in names_in(node.target)}

    def visit_For(self, node: cst.For) -> None:
        self.names |= {name.value for name in names_in(node.target)}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


class _AttributeNames(cst.CSTVisitor):
    def __init__(self):
        self.names: set[str] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.names.add(node.attr.value)


def _insertable(analysis: Analysis, statement: cst.CSTNode) -> bool:
    """A line of its own in a block, that does not leave the function: a statement can follow it."""
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], (cst.Expr, cst.Assign, cst.AugAssign, cst.AnnAssign))
            and isinstance(analysis.parents.get(statement), (cst.IndentedBlock, cst.Module)))


def _binds_zero(line: cst.CSTNode) -> bool:
    return (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and isinstance(line.body[0], cst.Assign)
            and len(line.body[0].targets) == 1 and isinstance(line.body[0].targets[0].target, cst.Name)
            and isinstance(line.body[0].value, cst.Integer) and line.body[0].value.value == "0")


def _adds_one(line: cst.CSTNode) -> bool:
    return (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
            and isinstance(line.body[0], cst.AugAssign) and isinstance(line.body[0].operator, cst.AddAssign)
            and isinstance(line.body[0].value, cst.Integer) and line.body[0].value.value == "1")


def _plain_line(line: cst.CSTNode) -> bool:
    """A simple statement line that cannot leave the iteration (no return, break, continue or raise)."""
    return isinstance(line, cst.SimpleStatementLine) and not any(
        isinstance(small, (cst.Return, cst.Break, cst.Continue, cst.Raise)) for small in line.body)


def _leaves_early(loop: cst.CSTNode) -> bool:
    """True when the loop's own body has a break or continue (not those of loops or functions inside it)."""
    finder = _EarlyExits()
    loop.body.visit(finder)
    return finder.found


def _returns(loop: cst.CSTNode) -> bool:
    """True when the loop's body (nested loops included, functions inside it not) has a return."""
    return bool(own_returns(loop.body))


def _returns_early(function: cst.CSTNode) -> bool:
    """True when a helper can return before its end (a last ``return loss`` is its end), skipping what follows."""
    if not isinstance(function, cst.FunctionDef):
        return False
    statements = list(function.body.body)
    last = statements[-1]
    if isinstance(last, cst.Return) or (isinstance(last, cst.SimpleStatementLine)
                                        and isinstance(last.body[-1], cst.Return)):
        statements.pop()
    return any(own_returns(statement) for statement in statements)


class _EarlyExits(cst.CSTVisitor):
    def __init__(self):
        self.found = False

    def visit_Break(self, node: cst.Break) -> None:
        self.found = True

    def visit_Continue(self, node: cst.Continue) -> None:
        self.found = True

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


class _DatasetSizes(cst.CSTVisitor):
    """The ``dataset.get_dataset_size()`` calls in an expression, as text."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.found: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        if _dataset_size_of(self.analysis, node) is not None:
            self.found.append(self.analysis.code(node))


def _orders_parameters(value: cst.BaseExpression) -> bool:
    """``{"order_params": ...}``: MindSpore's order of the parameters, no group of its own."""
    return isinstance(value, cst.Dict) and [_key(entry) for entry in value.elements] == ["order_params"]


def _key(entry: cst.BaseDictElement) -> str | None:
    """A dict entry's key when it is a plain string (``"lr"``), else None."""
    if isinstance(entry, cst.DictElement) and isinstance(entry.key, cst.SimpleString):
        return entry.key.evaluated_value
    return None


def _slice_text(analysis: Analysis, subscript: cst.Subscript) -> str:
    """A slice for a message: ``lr[start:]`` quoted whole, a slice of a call by its brackets alone."""
    if isinstance(subscript.value, cst.Call):
        return f"the slice `[{', '.join(analysis.code(element) for element in subscript.slice)}]`"
    return f"`{analysis.code(subscript)}`"


def _named(name: str, text: str) -> str:
    """An argument for a message: ``name=text``, or the name alone when the code spells it so."""
    return name if text == name else f"{name}={text}"


def _count_text(text: str) -> str:
    """A count for a message: a number as it is, an expression quoted so the sentence still reads."""
    return text if text.isdigit() else f"`{text}`"


def _same(left: str, right: str) -> bool:
    try:
        return ast.dump(ast.parse(left, mode="eval")) == ast.dump(ast.parse(right, mode="eval"))
    except SyntaxError:
        return False


def _dataset_size_of(analysis: Analysis, node: cst.BaseExpression) -> str | None:
    """``dataset`` for ``dataset.get_dataset_size()``."""
    if (isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get_dataset_size"):
        return analysis.code(node.func.value)
    return None


def _unenumerated(analysis: Analysis, iterable: cst.BaseExpression) -> cst.BaseExpression:
    if (isinstance(iterable, cst.Call) and analysis.names_of(iterable.func) & {"builtins.enumerate"}
            and len(iterable.args) == 1 and not iterable.args[0].star and iterable.args[0].keyword is None):
        return iterable.args[0].value
    return iterable


def _iterates(analysis: Analysis, iterable: cst.BaseExpression, dataset: str) -> bool:
    """True for ``dataset``, ``dataset.create_dict_iterator(...)`` and ``dataset.create_tuple_iterator(...)``."""
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute):
        return iterable.func.attr.value in DATASET_ITERATORS and analysis.code(iterable.func.value) == dataset
    return isinstance(iterable, (cst.Name, cst.Attribute)) and analysis.code(iterable) == dataset


RULE = CosineDecayToTorch()
