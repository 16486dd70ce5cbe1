"""PyTorch ``CosineAnnealingLR`` → MindSpore ``cosine_decay_lr``, with the optimizer it drives.

torch's scheduler is an object stepped by the user; MindSpore's schedule is a per-step list the optimizer takes at
construction. So a site is rewritten only when the code shows how often the scheduler steps (once per optimizer
step, or once per epoch after the batch loop), how many optimizer steps an epoch has and which optimizer it drives.
torch's cosine is periodic and MindSpore's list clamps at ``min_lr``: the claim handed to the verifier says the two
agree for ``(T_max + 1) * step_per_epoch`` optimizer steps, and the verifier decides whether the run is longer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from migrate.analysis import Analysis, atom, bind, plus_one, product
from migrate.edit import EQUAL, SPACED_COMMA, joined_arguments, keyword_argument
from migrate.references import GETATTR, STAR, VALUE, find_references, site_findings
from migrate.rule import Code, Example, Finding, Fix, ImportRef, Note, Refused, Rule
from migrate.verify import Claim, Schedule

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
        cadence = self._cadence(statement, steps, optimizer_name)
        values = self._values(arguments, optimizer_arguments, cadence)
        list_name = self.analysis.fresh_name("lr_schedule")
        function, function_import = self._function_reference()
        schedule = cst.parse_statement(
            f"{list_name} = {function}(min_lr={values.min_lr}, max_lr={values.max_lr}, "
            f"total_step={values.total_step}, step_per_epoch={values.step_per_epoch}, "
            f"decay_epoch={values.decay_epoch})\n"
        )
        replacements: dict[cst.CSTNode, object] = {step: [] for step in steps}
        imports, unsafe, notes = [function_import], [], []
        if mapping is None:
            replacements[statement] = [schedule]
            unsafe.append(Note(optimizer_call, "CA103",
                               f"{self.analysis.code(optimizer_call.func)} has no mapping: build its MindSpore "
                               f"counterpart with learning_rate={list_name} (the list computed at line "
                               f"{self.analysis.line(statement)})"))
            target = f"to pass to the counterpart of {self.analysis.code(optimizer_call.func)} (CA103)"
        else:
            new_optimizer = self._new_optimizer(optimizer_line, optimizer_call, mapping, list_name)
            if self._schedule_fits_before(optimizer_line, statement, (arguments["T_max"], arguments.get("eta_min"))):
                replacements[optimizer_line] = [schedule, new_optimizer]
                replacements[statement] = []
            else:
                self._check_optimizer_can_move(optimizer_line, optimizer_call, optimizer_name, statement)
                replacements[optimizer_line] = []
                replacements[statement] = [schedule, new_optimizer]
            imports.append(ImportRef("mindspore"))
            notes.extend(self._semantic_notes(optimizer_call, mapping, optimizer_arguments))
            target = f"as learning_rate of {mapping.target}"
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
            where = "stored in an attribute" if isinstance(target, cst.Attribute) else "not bound to one variable"
            raise Refused("CA107", f"the scheduler is {where}, so its step() calls cannot be followed")
        return bound[0], target

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
        for other in self._other_schedulers(assignment):
            raise Refused("CA107", f"the optimizer `{optimizer.value}` also drives the scheduler at line "
                                   f"{self.analysis.line(other)}; one optimizer takes one learning-rate list")
        return line, call, optimizer

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
        optimizer_step = self._optimizer_step(optimizer, scope)
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
            run, assumptions = self._counts(run_loops)
            return Cadence("1", run, False, assumptions)
        if scheduler_loops == optimizer_loops[:-1] and len(scheduler_loops) > len(base):
            batch_loop = optimizer_loops[-1]
            if self.analysis.start(step) < self.analysis.end(batch_loop):
                raise Refused("CA106", "scheduler.step() runs at the start of the epoch, before its batches: a "
                                       "one-epoch phase shift a cosine_decay_lr list does not express", step)
            self._unguarded(step, scheduler_loops[-1])
            self._unguarded(batch_loop, scheduler_loops[-1])
            per_epoch, why = self.analysis.iteration_count(batch_loop)
            if per_epoch is None:
                raise Refused("CA106", f"the optimizer steps per epoch are not visible: {why}", batch_loop)
            assumptions = [why] if why else []
            run, more = self._counts(run_loops)
            return Cadence(per_epoch, run, True, assumptions + [a for a in more if a not in assumptions])
        raise Refused("CA106", "scheduler.step() is neither in the optimizer's loop nor right after its batch "
                               "loop, so its cadence is not visible", step)

    def _optimizer_step(self, optimizer: cst.Name, scope) -> cst.CSTNode:
        assignment = self.analysis.single_assignment(optimizer)
        sites = []
        for access in assignment.references:
            statement = self._method_call_statement(access.node, "step")
            parent = self.analysis.parents.get(access.node)
            argument_of = self.analysis.parents.get(parent) if isinstance(parent, cst.Arg) else None
            if statement is not None:
                sites.append(statement)
            elif (isinstance(argument_of, cst.Call) and isinstance(argument_of.func, cst.Attribute)
                  and argument_of.func.attr.value == "step"):
                sites.append(self.analysis.statement(argument_of))
        if len(sites) != 1:
            raise Refused("CA106", f"optimizer.step() is called {len(sites)} times here; the rewrite needs exactly "
                                   "one call site to count optimizer steps")
        if self.analysis.enclosing_scope(sites[0]) is not scope:
            raise Refused("CA106", "optimizer.step() is called inside another function", sites[0])
        return sites[0]

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
        low, high = self.analysis.value(eta_min), self.analysis.value(base_lr)
        if low is not None and high is not None:
            if low >= high:
                raise Refused("CA105", f"eta_min={eta_min} is not below the optimizer's lr={base_lr}: torch anneals "
                                       "upwards or stays constant, cosine_decay_lr requires min_lr < max_lr")
        elif eta_min not in ("0", "0.0"):
            self.assumptions.append(f"eta_min={eta_min} is below lr={base_lr} (MindSpore rejects min_lr >= max_lr)")

    def _schedule_fits_before(self, optimizer_line, statement, expressions) -> bool:
        """Whether the schedule can be computed where the optimizer is built: nothing it reads is bound later."""
        expressions = [*expressions, *self._loop_nodes]
        return not any(expression is not None and self.analysis.assigned_between(expression, optimizer_line,
                                                                                  statement)
                       for expression in expressions)

    def _check_optimizer_can_move(self, optimizer_line, call, optimizer: cst.Name, statement) -> None:
        """Otherwise the optimizer moves down to the scheduler: only if nothing in between depends on it."""
        assignment = self.analysis.single_assignment(optimizer)
        changed = self.analysis.assigned_between(call, optimizer_line, statement) or next(
            (name for name in (self.analysis.assigned_between(node, statement, self._run_loop)
                               for node in self._loop_nodes) if name), None)
        if self.analysis.used_between(assignment, optimizer_line, statement) or changed:
            raise Refused("CA105", "the schedule reads values bound after the optimizer is built, and the optimizer "
                                   "cannot move below them: "
                          + (f"`{changed}` changes in between" if changed else f"`{optimizer.value}` is used in "
                             "between"))

    def _function_reference(self) -> tuple[str, ImportRef]:
        if isinstance(self.call.func, cst.Name) and self.analysis.fresh_name("cosine_decay_lr") == "cosine_decay_lr":
            return "cosine_decay_lr", ImportRef("mindspore.nn", "cosine_decay_lr")
        return "mindspore.nn.cosine_decay_lr", ImportRef("mindspore")

    def _new_optimizer(self, line: cst.SimpleStatementLine, call: cst.Call, mapping: OptimizerMapping,
                       list_name: str) -> cst.SimpleStatementLine:
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
        new_call = call.with_changes(func=cst.parse_expression(mapping.target),
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


RULE = CosineAnnealingToMindSpore()
