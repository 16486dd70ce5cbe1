"""PyTorch ``CosineAnnealingLR`` → MindSpore ``cosine_decay_lr``, with the optimizer it drives.

torch's scheduler is an object stepped by the user; MindSpore's schedule is a per-step list the optimizer takes at
construction. So a site is rewritten only when the code shows how often the scheduler steps (once per optimizer
step, or once per epoch after the batch loop), how many optimizer steps an epoch has and which optimizer it drives.
torch's cosine is periodic and MindSpore's list clamps at ``min_lr``: the claim handed to the verifier says the two
agree for ``(T_max + 1) * step_per_epoch`` optimizer steps, and the verifier decides whether the run is longer.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from migrate import evaluate
from migrate.analysis import Analysis, atom, bind, plus_one, product
from migrate.edit import EQUAL, SPACED_COMMA, joined_arguments, keyword_argument
from migrate.imports import package_reference
from migrate.references import GETATTR, STAR, VALUE, find_references, site_findings
from migrate.program import ARGUMENT
from migrate.program.cadence import NotVisible, cadence
from migrate.rule import Code, Example, Finding, Fix, ImportRef, Note, Refused, Rule
from migrate.verify import SAMPLES, Claim, Schedule

SCHEDULER_MODULE = "torch.optim.lr_scheduler."
SCHEDULER = SCHEDULER_MODULE + "CosineAnnealingLR"
SIGNATURE = ("optimizer", "T_max", "eta_min", "last_epoch")
STAR_SOURCES = {"torch.optim.lr_scheduler"}
INDIRECT = {
    VALUE: "CosineAnnealingLR used as a value, not called: the rule cannot see its arguments or its step() calls",
    GETATTR: "getattr(..., 'CosineAnnealingLR') cannot be followed; call the class directly so its arguments can be "
             "rewritten",
    STAR: "CosineAnnealingLR comes from a star import of torch.optim.lr_scheduler; import it by name so it can be "
          "resolved and rewritten",
}
TORCH_DEFAULT_LR = "0.001"
NO_NUMERIC_EFFECT = ("foreach", "fused", "differentiable", "capturable")
#: torch optimizer attributes that hold or change the lr, with what they do; none exists on a MindSpore optimizer.
LR_STATE = {
    "param_groups": "reads the lr through {name}.param_groups",
    "defaults": "reads the default lr through {name}.defaults",
    "load_state_dict": "restores the groups' lr and initial_lr with {name}.load_state_dict()",
    "add_param_group": "adds a param group with its own lr with {name}.add_param_group()",
}
GROUP_WRITERS = ("update", "setdefault", "__setitem__")


@dataclass(frozen=True)
class OptimizerMapping:
    """How one torch optimizer's construction becomes a MindSpore one."""

    target: str
    positional: tuple[str, ...]
    keyword_only: tuple[str, ...]
    renames: tuple[tuple[str, str], ...]
    defaults: tuple[tuple[str, str], ...] = ()
    refused: tuple[tuple[str, str], ...] = ()
    differences: str = ""


_ADAM_POSITIONAL = ("params", "lr", "betas", "eps", "weight_decay", "amsgrad")
_ADAM_KEYWORDS = ("foreach", "maximize", "capturable", "differentiable", "fused", "decoupled_weight_decay")
_WEIGHT_DECAY_NOTE = (
    "MindSpore applies weight_decay only to parameters whose names contain neither 'beta' nor 'gamma' "
    "(norm layers); torch decays every parameter"
)
OPTIMIZERS = {
    "torch.optim.SGD": OptimizerMapping(
        target="mindspore.nn.SGD",
        positional=("params", "lr", "momentum", "dampening", "weight_decay", "nesterov"),
        keyword_only=("maximize", "foreach", "differentiable", "fused"),
        renames=(("momentum", "momentum"), ("dampening", "dampening"), ("weight_decay", "weight_decay"),
                 ("nesterov", "nesterov")),
        refused=(("maximize", "False"),),
    ),
    "torch.optim.Adam": OptimizerMapping(
        target="mindspore.nn.Adam",
        positional=_ADAM_POSITIONAL,
        keyword_only=_ADAM_KEYWORDS,
        renames=(("eps", "eps"), ("weight_decay", "weight_decay"), ("amsgrad", "use_amsgrad")),
        refused=(("maximize", "False"), ("decoupled_weight_decay", "False")),
    ),
    "torch.optim.AdamW": OptimizerMapping(
        target="mindspore.nn.AdamWeightDecay",
        positional=_ADAM_POSITIONAL,
        keyword_only=_ADAM_KEYWORDS[:-1],
        renames=(("eps", "eps"), ("weight_decay", "weight_decay")),
        defaults=(("eps", "1e-08"), ("weight_decay", "0.01")),
        refused=(("maximize", "False"), ("amsgrad", "False")),
        differences="mindspore.nn.AdamWeightDecay applies no bias correction, so its first updates are larger "
        "than torch AdamW's",
    ),
}
for _name in ("SGD", "Adam", "AdamW"):
    OPTIMIZERS[f"torch.optim.{_name.lower()}.{_name}"] = OPTIMIZERS[f"torch.optim.{_name}"]
OPTIMIZERS["torch.optim.adamw.AdamW"] = OPTIMIZERS["torch.optim.AdamW"]


@dataclass
class Cadence:
    """How the run steps the scheduler: optimizer steps per scheduler step, and the run length if visible."""

    step_every: str
    run_steps: str | None
    per_epoch: bool
    assumptions: list[str]


@dataclass(frozen=True)
class ScheduleValues:
    """The cosine_decay_lr arguments of one site as source text, with what the verifier is told about them."""

    min_lr: str
    max_lr: str
    total_step: str
    step_per_epoch: str
    decay_epoch: str
    t_max: str
    agreement: str
    claim: Claim


class CosineAnnealingToMindSpore(Rule):
    name = "cosine-annealing-to-mindspore"
    family = "CA"
    target = "mindspore"
    triggers = ("CosineAnnealingLR",)
    summary = "torch.optim.lr_scheduler.CosineAnnealingLR → mindspore.nn.cosine_decay_lr"
    codes = (
        Code("CA100", "cosine-annealing-to-cosine-decay", "info",
             "CosineAnnealingLR rewritten into a cosine_decay_lr list given to the MindSpore optimizer.",
             "MindSpore has no scheduler object: the optimizer takes the whole per-step schedule at construction. "
             "The rewrite computes that list from T_max, eta_min, the optimizer's lr and the training loop, "
             "builds the MindSpore optimizer with it, and removes the scheduler's step() calls. The message "
             "carries the verifier's verdict and every assumption the rewrite makes.",
             "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
             "scheduler = CosineAnnealingLR(optimizer, T_max=100)\n"
             "for epoch in range(100):\n    for batch in loader:\n        ...\n        optimizer.step()\n"
             "    scheduler.step()\n"),
        Code("CA101", "periodic-past-t-max", "warning",
             "The run is longer than T_max scheduler steps: torch's lr climbs back, the MindSpore list does not.",
             "torch's CosineAnnealingLR is periodic: after T_max steps the lr rises again to the base lr "
             "(period 2*T_max). cosine_decay_lr stays at min_lr after decay_epoch epochs. From the first "
             "optimizer step of epoch T_max+1 the two runs use different learning rates; the verdict gives that "
             "step and the largest difference. Applied only with --unsafe-fixes.",
             "scheduler = CosineAnnealingLR(optimizer, T_max=10)\nfor epoch in range(30):\n    ...\n"),
        Code("CA102", "run-length-unknown", "warning",
             "The training length is not visible, so the list length is a guess MindSpore can crash on.",
             "A MindSpore optimizer raises one step past the end of its learning-rate list. When the loop "
             "bounds are not visible (a while loop, an iterator without len), the list is made (T_max+1) epochs "
             "long — the part where both schedules agree — and a longer run crashes. Set total_step to the "
             "real run length. Applied only with --unsafe-fixes.",
             "while not done:\n    for batch in loader:\n        ...\n    scheduler.step()\n"),
        Code("CA103", "optimizer-not-converted", "warning",
             "The optimizer is not one the rule maps; the schedule must be passed to it by hand.",
             "Only torch.optim.SGD, Adam and AdamW are mapped. For any other optimizer the list is computed, the "
             "optimizer construction is left as it is, and this diagnostic says which name to pass as "
             "learning_rate= to its MindSpore counterpart. Until then the run uses a constant lr, so the fix is "
             "unsafe.",
             "optimizer = torch.optim.RMSprop(model.parameters(), lr=0.01)\n"),
        Code("CA104", "optimizer-semantics-differ", "warning",
             "The MindSpore optimizer does not update parameters exactly as the torch one did.",
             "mindspore.nn.AdamWeightDecay applies no bias correction; MindSpore optimizers skip weight decay on "
             "parameters named beta/gamma; an argument with no MindSpore counterpart (maximize=True, "
             "amsgrad=True for AdamW) makes the site unconvertible. The verifier checks learning rates, not "
             "update rules: these are reported at the optimizer, and the rewrite is still applied when its "
             "learning rates are equivalent (that is what equivalent means here).",
             "optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\n"),
        Code("CA105", "unsupported-arguments", "warning",
             "The call's arguments have no exact cosine_decay_lr equivalent; the site is left unchanged.",
             "cosine_decay_lr needs float 0 <= min_lr < max_lr and whole positive counts, has no resume "
             "argument (last_epoch), and cannot see through *args/**kwargs. Such a call is reported and kept.",
             "CosineAnnealingLR(optimizer, T_max=10, last_epoch=start_epoch - 1)\n"),
        Code("CA106", "cadence-not-visible", "warning",
             "How often the scheduler steps is not visible; the site is left unchanged.",
             "The list is indexed by optimizer step, so the rewrite needs to know whether step() runs once per "
             "optimizer step or once per epoch after the batch loop, and how many optimizer steps an epoch has. "
             "A step() in another function, under a condition, before the epoch's batches, called with an "
             "epoch, or missing is reported and the site kept.",
             "for epoch in range(100):\n    scheduler.step()\n    for batch in loader:\n        ...\n"),
        Code("CA107", "scheduler-used-otherwise", "warning",
             "The scheduler object is used for more than step(); a list cannot stand in for it.",
             "state_dict(), get_last_lr(), passing the scheduler to a framework or storing it in an attribute "
             "need the object. The site is left unchanged; port those uses by hand (get_last_lr()[0] is "
             "lr_schedule[step]).",
             "print(scheduler.get_last_lr()[0])\n"),
        Code("CA108", "indirect-reference", "warning",
             "CosineAnnealingLR is reached indirectly (star import, getattr, used as a value or base class).",
             "Such references cannot be followed to a call with known arguments, and rewriting half of them would "
             "break the code, so each is reported and left as it is.",
             "from torch.optim.lr_scheduler import *\n"),
        Code("CA109", "optimizer-not-found", "warning",
             "The optimizer the scheduler drives, and so its base lr (max_lr), cannot be found.",
             "max_lr is the lr of the optimizer's construction. When the first argument is not a variable bound "
             "once to a visible optimizer call in the same function, the site is left unchanged.",
             "scheduler = CosineAnnealingLR(make_optimizer(model), T_max=10)\n"),
        Code("CA110", "optimizer-lr-state-used", "warning",
             "The torch optimizer's lr is read or changed through state a MindSpore optimizer does not have.",
             "optimizer.param_groups, optimizer.defaults, load_state_dict() and add_param_group() exist only on "
             "a torch optimizer. A read would fail in the converted file (in MindSpore the current lr is "
             "optimizer.get_lr()); a write, a restored state or an added group changes the lr torch's chainable "
             "schedule goes on from, which a fixed list cannot follow. The use is named (also inside a helper of "
             "the module the optimizer is passed to) and the site is left unchanged.",
             "for group in optimizer.param_groups:\n    group[\"lr\"] = max(group[\"lr\"], 1e-4)\n"),
    )
    examples = (
        Example(
            before=(
                "import torch\n\n"
                "optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\n"
                "scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)\n"
                "for epoch in range(100):\n"
                "    for batch in loader:\n"
                "        optimizer.step()\n"
                "    scheduler.step()\n"
            ),
            after=(
                "import mindspore\n\n"
                "lr_schedule = mindspore.nn.cosine_decay_lr(min_lr=0.0, max_lr=0.1, total_step=100 * len(loader), "
                "step_per_epoch=len(loader), decay_epoch=100)\n"
                "optimizer = mindspore.nn.SGD(model.trainable_params(), learning_rate=lr_schedule, momentum=0.9)\n"
                "for epoch in range(100):\n"
                "    for batch in loader:\n"
                "        optimizer.step()\n"
            ),
            codes=("CA100",),
        ),
    )

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        references = find_references(analysis, {SCHEDULER}, STAR_SOURCES)
        return site_findings(references, lambda call: _Site(analysis, call).convert(), "CA108", INDIRECT)


class _Site:
    """One ``CosineAnnealingLR(...)`` call on its way to a Finding."""

    def __init__(self, analysis: Analysis, call: cst.Call):
        self.analysis = analysis
        self.call = call
        self.assumptions: list[str] = []
        self._loop_nodes: list[cst.BaseExpression] = []
        self._run_loop: cst.CSTNode | None = None

    def convert(self) -> Finding:
        arguments = self._arguments()
        statement, scheduler = self._bound_statement()
        optimizer_line, optimizer_call, optimizer_name = self._optimizer(arguments)
        steps = self._scheduler_steps(scheduler)
        mapping = OPTIMIZERS.get(next(iter(sorted(self.analysis.names_of(optimizer_call.func)
                                                  & OPTIMIZERS.keys())), ""))
        optimizer_arguments = self._optimizer_arguments(optimizer_call, mapping)
        self._check_param_groups(optimizer_call, mapping)
        cadence = self._cadence(statement, steps, optimizer_name)
        values = self._values(arguments, optimizer_arguments, cadence)
        reads = [(arguments["T_max"], statement), (arguments.get("eta_min"), statement),
                 *((node, node) for node in self._loop_nodes)]
        if mapping is None:
            reads.append((optimizer_arguments["lr"], optimizer_line))
        else:
            reads += [(argument.value, optimizer_line) for argument in optimizer_call.args]
        place = self._place(statement, optimizer_line, optimizer_name,
                            [(node, at) for node, at in reads if node is not None], moves=mapping is not None)
        package, package_import = package_reference(self.analysis, place, "mindspore")
        list_name = self.analysis.fresh_name("lr_schedule")
        function, function_import = self._function_reference(package, package_import)
        schedule = cst.parse_statement(
            f"{list_name} = {function}(min_lr={values.min_lr}, max_lr={values.max_lr}, "
            f"total_step={values.total_step}, step_per_epoch={values.step_per_epoch}, "
            f"decay_epoch={values.decay_epoch})\n"
        )
        replacements: dict[cst.CSTNode, object] = {step: [] for step in steps}
        replacements[statement] = []
        imports, unsafe, notes = [function_import], [], []
        if mapping is None:
            replacements[place] = [schedule] + ([] if place is statement else [place])
            unsafe.append(Note(optimizer_call, "CA103",
                               f"{self.analysis.code(optimizer_call.func)} has no mapping: build its MindSpore "
                               f"counterpart with learning_rate={list_name} (the list computed at line "
                               f"{self.analysis.line(place)})"))
            target = f"to pass to the counterpart of {self.analysis.code(optimizer_call.func)} (CA103)"
        else:
            target_class = package + mapping.target.removeprefix("mindspore")
            new_optimizer = self._new_optimizer(optimizer_line, optimizer_call, mapping, list_name, target_class)
            replacements[optimizer_line] = []
            replacements[place] = [schedule, new_optimizer] + ([] if place in (statement, optimizer_line)
                                                               else [place])
            imports.append(package_import)
            notes.extend(self._semantic_notes(optimizer_call, mapping, optimizer_arguments))
            target = f"as learning_rate of {target_class}"
        assumptions = cadence.assumptions + self.assumptions
        message = (
            f"CosineAnnealingLR → {function}(...) {target}, stepped "
            + ("once per epoch" if cadence.per_epoch else "once per optimizer step")
            + (f"; assumes {'; '.join(assumptions)}" if assumptions else "")
        )
        fix = Fix(replacements, values.claim, self._changes(values, cadence, list_name), unsafe,
                  add_imports=tuple(dict.fromkeys(imports)))
        return Finding(Note(self.call, "CA100", message), notes, fix=fix)

    def _values(self, arguments, optimizer_arguments, cadence: Cadence) -> ScheduleValues:
        """The cosine_decay_lr arguments as source text, and the claim that ties them to the torch schedule."""
        base_lr = optimizer_arguments.get("lr")
        eta_min = arguments.get("eta_min")
        t_max_text = self.analysis.code(arguments["T_max"])
        base_lr_text = self.analysis.code(base_lr) if base_lr is not None else TORCH_DEFAULT_LR
        eta_min_text = self.analysis.code(eta_min) if eta_min is not None else "0.0"
        decay_epoch = self._count(arguments["T_max"], "T_max")
        min_lr = self._float(eta_min, "eta_min") if eta_min is not None else "0.0"
        max_lr = self._float(base_lr, "lr") if base_lr is not None else TORCH_DEFAULT_LR
        self._check_order(eta_min_text, base_lr_text)
        agreement = product(plus_one(t_max_text), cadence.step_every)
        total_step = cadence.run_steps or product(plus_one(decay_epoch), cadence.step_every)
        step_per_epoch = cadence.step_every if cadence.per_epoch else "1"
        source = Schedule("torch.CosineAnnealingLR", {"base_lr": base_lr_text, "T_max": t_max_text,
                                                      "eta_min": eta_min_text, "step_every": cadence.step_every})
        target = Schedule("mindspore.cosine_decay_lr", {"min_lr": min_lr, "max_lr": max_lr, "total_step": total_step,
                                                        "step_per_epoch": step_per_epoch, "decay_epoch": decay_epoch})
        claim = Claim(source, target, run_steps=cadence.run_steps, agrees_for=agreement)
        return ScheduleValues(min_lr, max_lr, total_step, step_per_epoch, decay_epoch, t_max_text, agreement, claim)

    def _changes(self, values: ScheduleValues, cadence: Cadence, list_name: str) -> Note:
        """What the verifier will find when the rewritten run's learning rates differ."""
        if cadence.run_steps is None:
            return Note(self.call, "CA102",
                        f"the training length is not visible: {list_name} has {values.total_step} entries "
                        f"((T_max + 1) epochs, where both schedules agree) and MindSpore raises one step past "
                        f"its end; set total_step to the run length")
        return Note(self.call, "CA101",
                    f"the run can be longer than T_max={values.t_max} scheduler steps: from optimizer step "
                    f"{values.agreement} on, torch's lr climbs back towards the base lr (period 2*T_max) while "
                    f"{list_name} stays at min_lr")

    def _arguments(self) -> dict[str, cst.BaseExpression]:
        bound = bind(self.call, SIGNATURE)
        if bound.error:
            raise Refused("CA105", f"cannot read the arguments of CosineAnnealingLR: {bound.error}")
        for required in ("optimizer", "T_max"):
            if required not in bound.values:
                raise Refused("CA105", f"CosineAnnealingLR without {required}")
        last_epoch = bound.values.get("last_epoch")
        if last_epoch is not None and self.analysis.code(last_epoch).replace(" ", "") != "-1":
            raise Refused("CA105", f"last_epoch={self.analysis.code(last_epoch)} resumes a schedule; "
                                   "cosine_decay_lr has no resume argument (resume by slicing the list: "
                                   "lr_schedule[(last_epoch + 1) * step_per_epoch:])", last_epoch)
        return bound.values

    def _bound_statement(self) -> tuple[cst.SimpleStatementLine, cst.Name]:
        parent = self.analysis.parents.get(self.call)
        target = parent.targets[0].target if isinstance(parent, cst.Assign) and len(parent.targets) == 1 else None
        assignment = self.analysis.single_assignment(target) if isinstance(target, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None:
            raise Refused("CA107", self._unfollowed(target))
        return bound[0], target

    def _unfollowed(self, target) -> str:
        """Why the scheduler's variable cannot stand for this one call: the other values it holds, each with its
        line, or where the scheduler is stored instead."""
        if isinstance(target, cst.Attribute):
            return (f"the scheduler is stored in `{self.analysis.code(target)}`, an attribute; its step() calls are "
                    "followed only through a variable of one function")
        if not isinstance(target, cst.Name):
            return "the scheduler is not bound to a variable, so its step() calls cannot be followed"
        others = [f"line {self.analysis.line(statement)} (`{self.analysis.first_line(value)}`)"
                  for statement, value in self.analysis.program.follow(self.call).competitors]
        return (f"`{target.value}` also holds other values: {', '.join(others)}; one list can stand only for this "
                f"CosineAnnealingLR, which would become a cosine_decay_lr list given to the optimizer"
                if others else f"`{target.value}` is bound more than once, so its step() calls cannot be followed")

    def _scheduler_steps(self, scheduler: cst.Name) -> list[cst.SimpleStatementLine]:
        assignment = self.analysis.single_assignment(scheduler)
        steps = []
        for access in sorted(assignment.references, key=lambda access: self.analysis.start(access.node)):
            statement = self._method_call_statement(access.node, "step")
            if statement is None:
                use = self.analysis.statement(access.node)
                raise Refused("CA107", f"the scheduler is used at line {self.analysis.line(access.node)} "
                                       f"(`{self.analysis.first_line(use)}`); a cosine_decay_lr list "
                                       "has no such use")
            call = statement.body[0].value
            if call.args:
                raise Refused("CA106", f"scheduler.step({self.analysis.code(call.args[0].value)}) at line "
                                       f"{self.analysis.line(call)} jumps to an epoch (closed form); the list "
                                       "cannot follow it")
            steps.append(statement)
        if not steps:
            raise Refused("CA106", "the scheduler's step() is never called here, so its cadence is not visible")
        if len(steps) > 1:
            lines = ", ".join(str(self.analysis.line(step)) for step in steps)
            raise Refused("CA106", f"scheduler.step() is called at lines {lines}; only one call site can be "
                                   "mapped to a list")
        return steps

    def _method_call_statement(self, name: cst.Name, method: str) -> cst.SimpleStatementLine | None:
        """The line ``name.method(...)`` when that call is a statement of its own."""
        attribute = self.analysis.parents.get(name)
        call = self.analysis.parents.get(attribute)
        if not (isinstance(attribute, cst.Attribute) and attribute.value is name and attribute.attr.value == method
                and isinstance(call, cst.Call) and call.func is attribute):
            return None
        expression = self.analysis.parents.get(call)
        line = self.analysis.parents.get(expression)
        if isinstance(expression, cst.Expr) and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            return line
        return None

    def _optimizer(self, arguments) -> tuple[cst.SimpleStatementLine, cst.Call, cst.Name]:
        optimizer = arguments["optimizer"]
        assignment = self.analysis.single_assignment(optimizer) if isinstance(optimizer, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None or not isinstance(bound[1], cst.Call):
            raise Refused("CA109", f"`{self.analysis.code(optimizer)}` is not a variable bound once to an "
                                   "optimizer construction here, so the base lr (max_lr) is unknown", optimizer)
        line, call = bound
        if self.analysis.enclosing_scope(line) is not self.analysis.enclosing_scope(self.call):
            raise Refused("CA109", f"the optimizer `{optimizer.value}` is built in another scope", optimizer)
        self._check_lr_state(assignment, optimizer.value)
        for other in self._other_schedulers(assignment):
            raise Refused("CA107", f"the optimizer `{optimizer.value}` also drives the scheduler at line "
                                   f"{self.analysis.line(other)}; one optimizer takes one learning-rate list")
        return line, call, optimizer

    def _check_lr_state(self, optimizer: Assignment, name: str) -> None:
        """Refuse the site when the lr is read or changed through torch optimizer state (CA110), directly or in a
        function of this module the optimizer is passed to; a function defined elsewhere is an assumption."""
        for access in sorted(optimizer.references, key=lambda access: self.analysis.start(access.node)):
            attribute = self._lr_state(access.node)
            if attribute is not None:
                raise Refused("CA110", self._lr_state_message(attribute, name, name), attribute)
            call = self._passed_to(access.node)
            if call is None:
                continue
            definition = self.analysis.single_assignment(call.func)
            function = definition.node if definition is not None else None
            parameter = (_parameter_of(call, self.analysis.parents[access.node], function)
                         if isinstance(function, cst.FunctionDef) else None)
            if parameter is None:
                self.assumptions.append(f"{self.analysis.code(call.func)}() at line {self.analysis.line(call)} "
                                        f"neither reads nor changes the lr of `{name}`")
                continue
            attribute = self._parameter_lr_state(function, parameter)
            if attribute is not None:
                raise Refused("CA110", f"line {self.analysis.line(call)} passes `{name}` to "
                                       f"{function.name.value}() (line {self.analysis.line(function)}), where "
                              + self._lr_state_message(attribute, self.analysis.code(attribute.value), name), call)

    def _passed_to(self, node: cst.CSTNode) -> cst.Call | None:
        """The call ``f(..., node, ...)`` of a function named by a plain name other than a builtin (and other
        than the scheduler this site converts)."""
        argument = self.analysis.parents.get(node)
        call = self.analysis.parents.get(argument) if isinstance(argument, cst.Arg) else None
        if not isinstance(call, cst.Call) or call is self.call or not isinstance(call.func, cst.Name) or argument.star:
            return None
        if any(name.startswith("builtins.") for name in self.analysis.names_of(call.func)):
            return None
        return call

    def _lr_state(self, node: cst.CSTNode) -> cst.Attribute | None:
        attribute = self.analysis.parents.get(node)
        if isinstance(attribute, cst.Attribute) and attribute.value is node and attribute.attr.value in LR_STATE:
            return attribute
        return None

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
        return (f"`{use}` at line {line} {what}: torch's CosineAnnealingLR goes on from the lr it finds there, a "
                "cosine_decay_lr list cannot, so this site cannot be converted")

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

    def _parameter_lr_state(self, function: cst.FunctionDef, parameter: str) -> cst.Attribute | None:
        """The first use of lr state through ``parameter`` inside ``function``."""
        body_scope = self.analysis.scopes.get(function.body.body[0]) if function.body.body else None
        for assignment in body_scope[parameter] if body_scope is not None else ():
            if not isinstance(getattr(assignment, "node", None), cst.Param):
                continue
            for access in sorted(assignment.references, key=lambda access: self.analysis.start(access.node)):
                attribute = self._lr_state(access.node)
                if attribute is not None:
                    return attribute
        return None

    def _other_schedulers(self, optimizer: Assignment) -> list[cst.Call]:
        """torch schedulers other than this one built on the same optimizer."""
        found = []
        for access in optimizer.references:
            argument = self.analysis.parents.get(access.node)
            call = self.analysis.parents.get(argument) if isinstance(argument, cst.Arg) else None
            if (isinstance(call, cst.Call) and call is not self.call
                    and any(name.startswith(SCHEDULER_MODULE) for name in self.analysis.names_of(call.func))):
                found.append(call)
        return found

    def _check_param_groups(self, call: cst.Call, mapping: OptimizerMapping | None) -> None:
        """Param groups with their own "lr" are refused: MindSpore keeps a group's "lr" constant.

        A list literal is read (or the list literal a name is bound to once and never changed); any other params
        expression that could hold groups is an assumption of the rewrite.
        """
        positional = mapping.positional if mapping else ("params",)
        params = bind(call, positional, mapping.keyword_only if mapping else ()).values.get("params")
        if params is None:
            return
        groups = self._group_literal(params)
        if groups is None:
            if not self._plain_parameters(params):
                self.assumptions.append(f"{self.analysis.code(params)} has no per-group \"lr\" (MindSpore keeps a "
                                        "group's own lr constant)")
            return
        own = []
        for index, group in enumerate(groups, 1):
            if any(isinstance(element, cst.StarredDictElement) for element in group.elements):
                raise Refused("CA105", f"param group {index} (line {self.analysis.line(group)}) unpacks `**` "
                                       "entries, so whether it sets its own lr is not visible", group)
            lr = next((element.value for element in group.elements
                       if isinstance(element.key, cst.SimpleString) and element.key.evaluated_value == "lr"), None)
            if lr is not None:
                own.append(f"group {index} lr={self.analysis.code(lr)} (line {self.analysis.line(group)})")
        if own:
            raise Refused("CA105", f"param groups set their own lr: {', '.join(own)}; MindSpore keeps a group's "
                                   "\"lr\" constant instead of scheduling it, and one list per group is not built "
                                   "yet", params)

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

    def _plain_parameters(self, params: cst.BaseExpression) -> bool:
        """``model.parameters()``, or a comprehension/``filter``/``list`` over such: tensors, never groups."""
        if isinstance(params, (cst.ListComp, cst.GeneratorExp)):
            return not isinstance(params.elt, cst.Dict)
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
                raise Refused("CA109", f"{self.analysis.code(call.func)} is not a mapped optimizer and has no "
                                       "lr= argument, so the base lr (max_lr) is unknown", call)
            return {"lr": lr}
        bound = bind(call, mapping.positional, mapping.keyword_only)
        if bound.error:
            raise Refused("CA105", f"cannot read the optimizer's arguments: {bound.error}", call)
        if "params" not in bound.values:
            raise Refused("CA105", "the optimizer has no params", call)
        for name, accepted in mapping.refused:
            value = bound.values.get(name)
            if value is not None and self.analysis.code(value) != accepted:
                raise Refused("CA104", f"{name}={self.analysis.code(value)} has no {mapping.target} counterpart",
                              value)
        return bound.values

    def _cadence(self, statement, steps, optimizer: cst.Name) -> Cadence:
        step = steps[0]
        scope = self.analysis.enclosing_scope(statement)
        if self.analysis.enclosing_scope(step) is not scope:
            raise Refused("CA106", "scheduler.step() is called inside another function, so how often it runs is "
                                   "not visible", step)
        optimizer_step = self._optimizer_step(optimizer)
        if self.analysis.enclosing_scope(optimizer_step) is not scope:
            return self._helper_cadence(statement, step, optimizer_step)
        base = self.analysis.loops(statement)
        scheduler_loops = self.analysis.loops(step)
        optimizer_loops = self.analysis.loops(optimizer_step)
        if optimizer_loops[:len(base)] != base or len(optimizer_loops) == len(base):
            raise Refused("CA106", "optimizer.step() is not in a loop of its own after the scheduler is built",
                          optimizer_step)
        run_loops = optimizer_loops[len(base):]
        self._loop_nodes = [loop.iter for loop in run_loops if isinstance(loop, cst.For)]
        self._run_loop = run_loops[0]
        if self.analysis.guards(optimizer_step, optimizer_loops[-1]):
            raise Refused("CA106", "optimizer.step() runs under a condition, so the optimizer steps per epoch are "
                                   "not visible", optimizer_step)
        if scheduler_loops == optimizer_loops:
            if self.analysis.start(step) < self.analysis.start(optimizer_step):
                raise Refused("CA106", "scheduler.step() runs before optimizer.step() in the same loop: every "
                                       "optimizer step would use the next step's lr", step)
            self._unguarded(step, scheduler_loops[-1])
            for leaving in self.analysis.loop_exits(optimizer_loops[-1], run_loops[0]):
                if self.analysis.start(optimizer_step) < self.analysis.start(leaving) < self.analysis.start(step):
                    raise Refused("CA106", f"{self._exit_text(leaving)} comes between optimizer.step() and "
                                           "scheduler.step(): an optimizer step can go without its scheduler step, "
                                           "which a list indexed by optimizer step cannot follow", leaving)
            run, assumptions = self._counts(run_loops)
            return Cadence("1", run, False, assumptions)
        if scheduler_loops == optimizer_loops[:-1] and len(scheduler_loops) > len(base):
            batch_loop = optimizer_loops[-1]
            if self.analysis.start(step) < self.analysis.end(batch_loop):
                raise Refused("CA106", "scheduler.step() runs at the start of the epoch, before its batches: a "
                                       "one-epoch phase shift a cosine_decay_lr list does not express", step)
            self._unguarded(step, scheduler_loops[-1])
            self._unguarded(batch_loop, scheduler_loops[-1])
            self._check_whole_epochs(batch_loop, scheduler_loops[-1], step, run_loops[0])
            per_epoch, why = self.analysis.iteration_count(batch_loop)
            if per_epoch is None:
                raise Refused("CA106", f"the optimizer steps per epoch are not visible: {why}", batch_loop)
            assumptions = [why] if why else []
            run, more = self._counts(run_loops)
            return Cadence(per_epoch, run, True, assumptions + [a for a in more if a not in assumptions])
        raise Refused("CA106", "scheduler.step() is neither in the optimizer's loop nor right after its batch "
                               "loop, so its cadence is not visible", step)

    def _optimizer_step(self, optimizer: cst.Name) -> cst.CSTNode:
        """The one statement where the optimizer steps: ``optimizer.step()`` or ``scaler.step(optimizer)``, here
        or in a function of this module the optimizer reaches as a global or a parameter."""
        creation = self.analysis.program.origin(optimizer)
        tracked = self.analysis.program.follow(creation)
        sites = [self.analysis.statement(use.call) for use in tracked.methods("step")]
        sites += [self.analysis.statement(use.call) for use in tracked.of_kind(ARGUMENT)
                  if isinstance(use.call.func, cst.Attribute) and use.call.func.attr.value == "step"]
        if len(sites) != 1:
            lines = ", ".join(str(self.analysis.line(site)) for site in sites)
            raise Refused("CA106", f"optimizer.step() is called {len(sites)} times" + (f" (lines {lines})" if lines
                                   else "") + "; the rewrite needs exactly one call site to count optimizer steps")
        return sites[0]

    def _helper_cadence(self, statement, step, optimizer_step) -> Cadence:
        """The optimizer steps in a function called from the scheduler's loop (``train(epoch)``)."""
        try:
            found = cadence(self.analysis.program, step, optimizer_step, statement)
        except NotVisible as error:
            raise Refused("CA106", error.message, error.node) from None
        self._loop_nodes = found.reads
        self._run_loop = found.run_loop
        helper = found.route.hops[1].function.name.value
        assumptions = [*found.assumptions, f"{helper}() runs its loop once per call"]
        return Cadence(found.step_every, found.run_steps, found.per_epoch, assumptions)

    def _check_whole_epochs(self, batch_loop, epoch_loop, step, outermost) -> None:
        """Every epoch must be a whole pass of the batch loop followed by scheduler.step(), or the end of the run.

        A ``break``/``continue`` of the batch loop makes an epoch shorter than the list's ``step_per_epoch``; one
        of the epoch loop between the batch loop and scheduler.step() skips a scheduler step (a ``break`` of the
        outermost run loop ends the run instead, which keeps every step that ran as it was).
        """
        early = self.analysis.loop_exits(batch_loop, outermost)
        if early:
            raise Refused("CA106", f"{self._exit_text(early[0])} can end an epoch's batch loop early, so an epoch "
                                   "can have fewer optimizer steps than the list's step_per_epoch and the two "
                                   "schedules drift apart", early[0])
        for leaving in self.analysis.loop_exits(epoch_loop, outermost):
            ends_run = isinstance(leaving, cst.Break) and epoch_loop is outermost
            between = self.analysis.start(batch_loop) < self.analysis.start(leaving) < self.analysis.start(step)
            if between and not ends_run:
                raise Refused("CA106", f"{self._exit_text(leaving)} can skip scheduler.step() after an epoch's "
                                       "optimizer steps, which the list cannot follow", leaving)

    def _exit_text(self, leaving: cst.CSTNode) -> str:
        """An early exit as a message names it: `continue` at line 30 (under `if not torch.isfinite(loss):`)."""
        keyword = {cst.Break: "break", cst.Continue: "continue", cst.Raise: "raise"}[type(leaving)]
        condition = next((node for node in self.analysis.ancestors(leaving) if isinstance(node, cst.If)), None)
        under = f" (under `if {self.analysis.code(condition.test)}:`)" if condition is not None else ""
        return f"`{keyword}` at line {self.analysis.line(leaving)}{under}"

    def _unguarded(self, node: cst.CSTNode, loop: cst.CSTNode) -> None:
        if self.analysis.guards(node, loop):
            raise Refused("CA106", "scheduler.step() runs under a condition, so how often it runs is not "
                                   "visible", node)

    def _counts(self, loops) -> tuple[str | None, list[str]]:
        """The run length in optimizer steps (None when a loop's length is not visible) and what that assumes."""
        counts, assumptions = [], []
        for loop in loops:
            count, why = self.analysis.iteration_count(loop)
            if count is None:
                return None, assumptions
            counts.append(count)
            if why:
                assumptions.append(why)
        return product(*counts), assumptions

    def _count(self, node: cst.BaseExpression, name: str) -> str:
        """``node`` as a whole positive int for MindSpore, or Refused."""
        value = self._value(node)
        if value is not None:
            if isinstance(value, bool) or float(value) <= 0 or float(value) != int(value):
                raise Refused("CA105", f"{name}={self.analysis.code(node)}: cosine_decay_lr needs a whole number "
                                       "> 0", node)
            return self.analysis.code(node) if isinstance(value, int) else str(int(value))
        if self.analysis.static_type(node) is int:
            return self.analysis.code(node)
        self.assumptions.append(f"{self.analysis.code(node)} is a whole number")
        if isinstance(node, cst.Call) and "builtins.float" in self.analysis.names_of(node.func) and len(node.args) == 1:
            return f"int({self.analysis.code(node.args[0].value)})"
        return f"int({self.analysis.code(node)})"

    def _float(self, node: cst.BaseExpression, name: str) -> str:
        value = self._value(node)
        text = self.analysis.code(node)
        if isinstance(value, bool):
            raise Refused("CA105", f"{name}={text} is not a number", node)
        if value is not None and value < 0:
            raise Refused("CA105", f"{name}={text} is negative: cosine_decay_lr needs min_lr >= 0 and "
                                   "max_lr > 0", node)
        if isinstance(node, cst.Integer):
            return f"{value}.0"
        if self.analysis.static_type(node) is float:
            return text
        return f"float({text})"

    def _value(self, node: cst.BaseExpression):
        return self.analysis.value(self.analysis.code(node))

    def _check_order(self, eta_min: str, base_lr: str) -> None:
        """MindSpore rejects min_lr >= max_lr: that configuration is the user's, refused here with a warning.

        Unknowns shared by both (``eta_min=args.lr``) are tried with the verifier's samples, since the verifier
        itself would give both sides the same value and contradict the rewrite.
        """
        refusal = (f"eta_min={eta_min} is not below the optimizer's lr={base_lr}{{when}}: torch anneals upwards or "
                   "stays constant, cosine_decay_lr requires min_lr < max_lr")
        low, high = self.analysis.value(eta_min), self.analysis.value(base_lr)
        if low is not None and high is not None:
            if low >= high:
                raise Refused("CA105", refusal.format(when=""))
            return
        if _same_expression(eta_min, base_lr):
            raise Refused("CA105", refusal.format(when=" (the same expression)"))
        for values in self._order_samples(eta_min, base_lr):
            try:
                low = evaluate.evaluate(eta_min, self.analysis.constants, values)
                high = evaluate.evaluate(base_lr, self.analysis.constants, values)
            except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
                continue
            if low >= high:
                sample = ", ".join(f"{name}={value}" for name, value in values.items())
                raise Refused("CA105", refusal.format(when=f" (with {sample})"))
        if eta_min not in ("0", "0.0"):
            self.assumptions.append(f"eta_min={eta_min} is below lr={base_lr} (MindSpore rejects min_lr >= max_lr)")

    def _order_samples(self, eta_min: str, base_lr: str) -> list[dict]:
        """The verifier's samples of the unknowns eta_min and lr share (none when they share none)."""
        try:
            low, high = (evaluate.unknowns(text, self.analysis.constants) for text in (eta_min, base_lr))
        except evaluate.NotEvaluable:
            return []
        if not set(low) & set(high):
            return []
        domains = {name: SAMPLES["lr"] for name in high}
        domains.update((name, SAMPLES["min_lr"]) for name in low if name not in domains)
        return [dict(zip(domains, point)) for point in itertools.product(*domains.values())]

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
        raise Refused("CA105", "the schedule cannot be built where everything it reads has the value the original "
                               "used: " + "; ".join(dict.fromkeys((reasons[0], reasons[-1]))))

    def _optimizer_cannot_move(self, optimizer_line, optimizer: cst.Name, statement, place) -> str | None:
        """Why the optimizer cannot be built at ``place`` instead of its own line, or None."""
        if self.analysis.parents.get(place) is not self.analysis.parents.get(optimizer_line):
            return f"the optimizer cannot move from line {self.analysis.line(optimizer_line)} into another block"
        assignment = self.analysis.single_assignment(optimizer)
        low, high = self.analysis.end(optimizer_line), self.analysis.start(place)
        skipped = (self.analysis.start(statement), self.analysis.end(statement))
        for access in sorted(assignment.references, key=lambda access: self.analysis.start(access.node)):
            where = self._runs_at(access.node, optimizer_line)
            if where is not None and low <= where < high and not skipped[0] <= where < skipped[1]:
                return (f"`{optimizer.value}` is used at line {self.analysis.line(access.node)}, so the optimizer "
                        "cannot move below that line")
        return None

    def _runs_at(self, node: cst.CSTNode, line: cst.CSTNode) -> tuple[int, int] | None:
        """Where a use of the optimizer runs as seen from ``line``'s function: the use itself, or, inside a function
        of this module, its first call (None when it is never called)."""
        program = self.analysis.program
        frame = program.function_of(line)
        function = program.function_of(node)
        for _ in range(4):
            if function is frame or not isinstance(function, cst.FunctionDef):
                return self.analysis.start(node)
            calls = program.call_sites(function)
            if not calls:
                return None
            node = min(calls, key=self.analysis.start)
            function = program.function_of(node)
        return self.analysis.start(node)

    def _function_reference(self, package: str, package_import: ImportRef) -> tuple[str, ImportRef]:
        if isinstance(self.call.func, cst.Name) and self.analysis.fresh_name("cosine_decay_lr") == "cosine_decay_lr":
            return "cosine_decay_lr", ImportRef("mindspore.nn", "cosine_decay_lr")
        return f"{package}.nn.cosine_decay_lr", package_import

    def _new_optimizer(self, line: cst.SimpleStatementLine, call: cst.Call, mapping: OptimizerMapping,
                       list_name: str, target: str) -> cst.SimpleStatementLine:
        """The MindSpore construction, edited from the torch one so its layout and comments stay."""
        renames = dict(mapping.renames)
        given, arguments = set(), []
        for index, argument in enumerate(call.args):
            name = argument.keyword.value if argument.keyword else mapping.positional[index]
            given.add(name)
            if name == "params":
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
            notes.append(Note(call, "CA104", mapping.differences))
        weight_decay = arguments.get("weight_decay")
        decays = dict(mapping.defaults).get("weight_decay") if weight_decay is None else self.analysis.code(weight_decay)
        if decays is not None and self.analysis.value(decays) != 0:
            notes.append(Note(call, "CA104", f"weight_decay={decays}: {_WEIGHT_DECAY_NOTE}"))
        return notes


def _same_expression(left: str, right: str) -> bool:
    try:
        return ast.dump(ast.parse(left, mode="eval")) == ast.dump(ast.parse(right, mode="eval"))
    except SyntaxError:
        return False


def _parameter_of(call: cst.Call, argument: cst.Arg, function: cst.FunctionDef) -> str | None:
    """The parameter of ``function`` that ``argument`` of ``call`` binds, or None when unpacking hides it."""
    if argument.keyword is not None:
        return argument.keyword.value
    index = call.args.index(argument)
    parameters = [*function.params.posonly_params, *function.params.params]
    if index < len(parameters) and not any(earlier.star for earlier in call.args[:index]):
        return parameters[index].name.value
    return None


def _assigned(node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    """Whether ``node`` is the target ``parent`` assigns to."""
    return isinstance(parent, cst.AssignTarget) or (isinstance(parent, cst.AugAssign) and parent.target is node)


RULE = CosineAnnealingToMindSpore()
