"""The pieces a scheduler site and its parts share: the shapes a site records (its cadence, a warmup chain, a
choice of chain, Lightning's return, the list's values), the torch facts they check against, and small helpers
over LibCST nodes and expression text."""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass

import libcst as cst

from migrate.bridge.optimizers import towards
from migrate.verify import Claim, Schedule

SCHEDULER_MODULE = "torch.optim.lr_scheduler."
STAR_SOURCES = {"torch.optim.lr_scheduler"}


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
    early_exits: tuple[cst.CSTNode, ...] = ()
    """A ``break``/``continue`` that can end an epoch's batch loop early: the list is written for whole epochs,
    which such an epoch is not, so the fix is unsafe and says so at each."""

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


LR_WORDS = frozenset({"lr", "lrs", "learning", "schedule", "scheduler", "warmup"})
"""Words of a function's name that say it moves the optimizer's lr (``SWALR``, ``adjust_learning_rate``,
``GradualWarmupScheduler``, ``get_cosine_schedule_with_warmup``)."""


"""Words of a function's name that say it moves the optimizer's lr (``SWALR``, ``adjust_learning_rate``,
``GradualWarmupScheduler``, ``get_cosine_schedule_with_warmup``)."""


def sets_lrs(function: str) -> bool:
    """Whether a function defined outside the module, given the optimizer, is named as something that moves its lr:
    the rewrite cannot see its body, and assuming it leaves the lr alone would hide a change."""
    leaf = function.rpartition(".")[2]
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\b|_|\d)|[A-Z]?[a-z]+|[A-Z]+", leaf)
    return leaf.endswith("LR") or any(word.lower() in LR_WORDS for word in words)


#: The scheduler arguments that count epochs or steps: an unknown they read is a whole number of them, also where
#: an lr bound reads it (``eta_min=args.lr / (10 * args.epochs)``).
COUNT_ARGUMENTS = frozenset({"T_max", "step_size", "total_iters", "milestones"})


def may_leave(block: cst.CSTNode) -> bool:
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


def only_raises(block: cst.BaseSuite) -> bool:
    """A branch that only raises (``else: raise ValueError(...)``): the run never gets past it."""
    body = getattr(block, "body", ())
    return (len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1
            and isinstance(body[0].body[0], cst.Raise))


def branches_replaced(node: cst.CSTNode, replaced: dict) -> cst.CSTNode:
    """An ``if``/``elif``/``else`` chain with statements of its branches swapped by identity."""
    if not isinstance(node, (cst.If, cst.Else)):
        return node
    body = node.body.with_changes(body=[replaced.get(statement, statement) for statement in node.body.body])
    if isinstance(node, cst.If):
        return node.with_changes(body=body, orelse=branches_replaced(node.orelse, replaced))
    return node.with_changes(body=body)


def built_only_if(line: cst.SimpleStatementLine, condition: str) -> cst.SimpleStatementLine:
    """``name = value`` as ``name = value if condition else []``."""
    assign = line.body[0]
    value = cst.parse_expression(f"{cst.Module([]).code_for_node(assign.value)} if {condition} else []")
    return line.with_changes(body=[assign.with_changes(value=value)])


def bearing_on(claim: Claim, *schedules: Schedule) -> tuple[str, ...]:
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


def string_value(node: cst.BaseExpression | None) -> str | None:
    return node.evaluated_value if isinstance(node, cst.SimpleString) else None


def subscript_key(subscript: cst.Subscript) -> str | None:
    """The string key of ``x["key"]``."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return None
    return string_value(subscript.slice[0].slice.value)


def current_lr(owner: str, group: str | None, last_step: bool) -> str:
    """A MindSpore optimizer's lr from its list: the next step's (``get_lr()``) or the last step's, of one group."""
    if not last_step:
        return f"{owner}.get_lr()" if group is None else f"{owner}.get_lr()[{group}]"
    cell = f"{owner}.learning_rate" if group is None else f"{owner}.learning_rate[{group}]"
    return f"{cell}({owner}.global_step - 1)"


def assigned_to(node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    """Whether ``node`` is the target ``parent`` assigns to."""
    return isinstance(parent, cst.AssignTarget) or (isinstance(parent, cst.AugAssign) and parent.target is node)
