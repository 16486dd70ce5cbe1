"""A MindSpore list chosen by a flag → the torch optimizer built before the flag's ``if``, and in each branch the
scheduler of that branch's list.

MindSpore code picks its schedule by flag (``if args.lr_scheduler == "cosine": lr = nn.cosine_decay_lr(...)`` ``elif
...: lr = nn.piecewise_constant_lr(...)`` ``else: lr = args.lr``) and builds the optimizer once, after the ``if``,
from whichever list the branch bound. torch needs the optimizer before any scheduler, so it moves up to the ``if``
(what it reads must hold there, and every branch must start from the same lr), each list branch builds its own
pair's scheduler from it, and a branch that binds the constant lr gets a ``LambdaLR`` of factor 1, which keeps it:
``scheduler.step()`` then runs alike in every branch. The site of the first list branch converts the whole choice;
each other branch's scheduler is verified against its list over the same run before anything is written.

``ListChoice`` is the part of ``ListSite`` (``migrate/bridge/list_to_scheduler.py``) that does this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import Assignment

from migrate import verify
from migrate.analysis import Analysis, ends_raising, names_in
from migrate.bridge.list_texts import same_expression
from migrate.bridge.list_torch import in_package
from migrate.rule import Refused
from migrate.verify import Claim

if TYPE_CHECKING:
    from migrate.bridge.list_to_scheduler import ListPair

BRANCH_PAIRS: dict[str, Callable[[Analysis, cst.Call], ListPair]] = {}
"""Each list function's pair, registered by its rule module, so the site owning a choice converts every branch."""

KEEPS_THE_LR = "torch.optim.lr_scheduler.LambdaLR"


def register_branch_pairs(functions, pair_of: Callable[[Analysis, cst.Call], ListPair]) -> None:
    """Let a choice's owner convert a branch holding one of ``functions``' lists with ``pair_of``'s pair."""
    BRANCH_PAIRS.update(dict.fromkeys(functions, pair_of))


@dataclass(frozen=True)
class Choice:
    """The ``if`` whose branches each bind the list's name once (``lines``, with the value each binds), and the
    one read of the name after it."""

    conditional: cst.If
    lines: tuple[tuple[cst.SimpleStatementLine, cst.BaseExpression], ...]
    use: cst.Name
    default: cst.SimpleStatementLine | None = None


class ListChoice:
    """The part of ``ListSite`` that reads and converts a list chosen by a flag."""

    def _choice(self, line: cst.SimpleStatementLine, name: cst.Name,
                assignments: list[Assignment]) -> Choice | str | None:
        """The choice ``line`` is one branch of: every binding of ``name`` up to the ``if``'s end is the one binding
        of a branch of the same ``if``/``elif``/``else`` (a branch may instead end by raising), or the default bound
        right before the ``if`` that branches without a binding keep, and what they bind is read once, after it (a
        later binding, ``lr = Tensor(lr, mstype.float32)``, is followed as usual). When ``line`` is in such an
        ``if`` among other bindings of the name but the shape is another, why; None when ``line`` is in no ``if``
        or binds the name alone."""
        analysis = self.analysis
        conditional = analysis.chain_top(line)
        if conditional is None or len(assignments) < 2:
            return None
        where = f"the `if` at line {analysis.line(conditional)} that chooses the list"
        blocks, complete = self._branch_blocks(conditional)
        bound, branch_assignments, later, defaults = {}, [], [], []
        for assignment in assignments:
            statement = analysis.statement(assignment.node)
            if (analysis.parents.get(statement) is analysis.parents.get(conditional)
                    and analysis.start(assignment.node) >= analysis.end(conditional)):
                later.append(statement)
                continue
            value = analysis.assigned_value(assignment) if type(assignment) is Assignment else None
            if (value is not None and analysis.parents.get(value[0]) is analysis.parents.get(conditional)
                    and not defaults):
                defaults.append(value)
                branch_assignments.append(assignment)
                continue
            block = analysis.parents.get(value[0]) if value is not None else None
            if block not in blocks:
                return (f"`{name.value}` is also bound at line {analysis.line(assignment.node)}, outside the branches "
                        f"of {where}: the rule converts a choice whose branches alone bind it, each once")
            if block in bound:
                return (f"`{name.value}` is bound twice in one branch of {where} (lines "
                        f"{analysis.line(bound[block][0])} and {analysis.line(value[0])})")
            bound[block] = value
            branch_assignments.append(assignment)
        if not complete and not defaults:
            return (f"{where} has no `else`, so `{name.value}` may keep another value: the rule converts a choice "
                    f"whose every branch binds it or raises, or keeps the value bound right before the `if`")
        for block in blocks:
            if block not in bound and not ends_raising(block) and not defaults:
                return (f"the branch at line {analysis.line(analysis.parents[block])} of {where} binds no "
                        f"`{name.value}` and does not raise")
        limit = min((analysis.end(statement) for statement in later), default=None)
        reads = sorted({access.node for assignment in branch_assignments for access in assignment.references
                        if limit is None or analysis.start(access.node) < limit}, key=analysis.start)
        if len(reads) != 1 or analysis.start(reads[0]) < analysis.end(conditional):
            lines = ", ".join(str(analysis.line(read)) for read in reads) or "no line"
            return (f"`{name.value}` is read at {'line' if len(reads) == 1 else 'lines'} {lines}, not once after "
                    f"{where}: a torch scheduler can stand in for it only where one optimizer takes it")
        lines = (*defaults, *(bound[block] for block in blocks if block in bound))
        default = defaults[0][0] if defaults else None
        return Choice(conditional, lines, reads[0], default) if len(lines) > 1 else None

    def _in_choice(self, assignment: Assignment) -> bool:
        return any(self.analysis.statement(assignment.node) is line for line, _ in self.choice.lines)

    @staticmethod
    def _branch_blocks(conditional: cst.If) -> tuple[list[cst.BaseSuite], bool]:
        """The chain's branch blocks in order, and whether it ends with ``else`` (a name bound in every branch)."""
        blocks = []
        branch: cst.If | cst.Else | None = conditional
        while isinstance(branch, cst.If):
            blocks.append(branch.body)
            branch = branch.orelse
        if isinstance(branch, cst.Else):
            blocks.append(branch.body)
        return blocks, branch is not None

    def _choice_owner(self) -> cst.Call | None:
        """The list call of the first branch that binds one: its site converts the whole choice."""
        return next((value for _, value in self.choice.lines
                     if isinstance(value, cst.Call) and self.analysis.names_of(value.func) & BRANCH_PAIRS.keys()),
                    None)

    def _choice_alone(self, warmup, groups, others, resume) -> None:
        """A choice converts when the list is the whole learning_rate of one optimizer in every branch."""
        other = ("a warmup_lr list summed before it" if warmup is not None else "param groups" if groups is not None
                 else "other optimizers" if others else "a resume slice" if resume is not None else None)
        if other is not None:
            raise Refused("MIG107", f"the list is chosen by the `if` at line "
                                   f"{self.analysis.line(self.choice.conditional)} and also has {other}; the rule "
                                   "converts a choice only of lists each given whole to one optimizer")

    def _optimizer_moves(self, delivery, list_argument: cst.BaseExpression, base_lr: str) -> None:
        """The torch optimizer is built before the ``if``: what it reads (but the list) must hold there as where it
        was built, and no branch may bind a name its lr reads."""
        analysis, conditional = self.analysis, self.choice.conditional
        for argument in delivery.optimizer_call.args:
            if argument.value is list_argument:
                continue
            why = analysis.unbound_name(argument.value, conditional, delivery.optimizer_line)
            if why is not None:
                raise Refused("MIG105", f"the optimizer would move before the `if` at line "
                                       f"{analysis.line(conditional)} that chooses the list, but there {why}",
                              argument.value)
        written = cst.parse_expression(base_lr)
        why = analysis.unbound_name(written, conditional, delivery.optimizer_line)
        if why is not None:
            raise Refused("MIG105", f"the optimizer would start from lr={base_lr} before the `if` at line "
                                   f"{analysis.line(conditional)} that chooses the list, but there {why}")
        scope = analysis.scopes.get(conditional)
        low, high = analysis.start(conditional), analysis.start(delivery.optimizer_line)
        for name in names_in(written):
            for assignment in analysis.bindings(scope, name.value):
                if (isinstance(assignment, Assignment) and assignment.scope is scope
                        and assignment.node in analysis.positions
                        and low <= analysis.start(assignment.node) < high):
                    raise Refused("MIG105", f"the optimizer would start from lr={base_lr} before the `if` at line "
                                           f"{analysis.line(conditional)} that chooses the list, but `{name.value}` "
                                           f"is bound at line {analysis.line(assignment.node)}", assignment.node)

    def _branch_edits(self, texts: dict[str, str], run, defined, package: str, optimizer: str, scheduler,
                      replacements: dict) -> str:
        """Each other branch's scheduler, verified against its list over the run; the constant lr's branch keeps
        it. Returns what the message says of them."""
        base_lr = texts[self.pair.base_lr]
        described = []
        for line, value in self.choice.lines:
            if value is self.call:
                continue
            where = (f"the default of line {self.analysis.line(line)}" if line is self.choice.default else
                     f"the branch of line {self.analysis.line(line)}")
            if not (isinstance(value, cst.Call) and self.analysis.names_of(value.func) & BRANCH_PAIRS.keys()):
                if not same_expression(self.analysis.code(_without_float(value)), base_lr):
                    raise Refused("MIG107", f"{where} binds `{self.analysis.code(value)}`, not a list function's "
                                           f"list nor the lr {base_lr} the others start from: the torch optimizer "
                                           "is built once, before the `if`, with one lr", value)
                keeps = f"{in_package(KEEPS_THE_LR, package)}({optimizer}, lambda _: 1.0)"
                self._put(line, cst.parse_statement(f"{scheduler} = {keeps}\n"), replacements)
                described.append(f"{where} keeps the constant lr (a LambdaLR of factor 1)")
                continue
            described.append(self._branch_scheduler(line, value, base_lr, texts, run, defined, package, optimizer,
                                                    scheduler, replacements))
        return (f"; the `if` at line {self.analysis.line(self.choice.conditional)} chooses the scheduler: "
                + "; ".join(described))

    def _put(self, line: cst.SimpleStatementLine, statement: cst.SimpleStatementLine, replacements: dict) -> None:
        """``statement`` in place of a branch's binding; the default's, bound before the ``if``, goes after the
        torch optimizer that now comes right before the ``if`` (a branch's scheduler then replaces it)."""
        if line is not self.choice.default:
            replacements[line] = [line.with_changes(body=statement.body)]
            return
        replacements[line] = []
        placed = replacements[self.choice.conditional]
        placed.insert(len(placed) - 1, statement)

    def _branch_scheduler(self, line, call: cst.Call, base_lr: str, texts: dict[str, str], run, defined,
                          package: str, optimizer: str, scheduler, replacements: dict) -> str:
        pair_of = BRANCH_PAIRS[next(iter(sorted(self.analysis.names_of(call.func) & BRANCH_PAIRS.keys())))]
        branch = type(self)(pair_of(self.analysis, call), self.analysis, call)
        where = f"the {branch.pair.function} branch (line {self.analysis.line(line)})"
        try:
            arguments = branch._arguments()
        except Refused as refused:
            raise Refused(refused.code, f"{where}: {refused.message}", refused.node or call) from None
        rejected = branch.pair.rejected(branch, arguments)
        if rejected is not None:
            raise Refused("MIG105", f"{where}: {rejected[1]}", arguments[rejected[0]])
        own = {name: self.analysis.code(value) for name, value in arguments.items()}
        line_of_site = self.analysis.line(self.call)
        if not _same_value(own[branch.pair.base_lr], base_lr, defined):
            differs = f"starts from lr={own[branch.pair.base_lr]} and the branch of line {line_of_site} from {base_lr}"
        elif not _same_value(own["step_per_epoch"], texts["step_per_epoch"], defined):
            differs = (f"steps its scheduler every {own['step_per_epoch']} optimizer steps and the "
                       f"branch of line {line_of_site} every {texts['step_per_epoch']}")
        else:
            differs = None
        if differs is not None:
            raise Refused("MIG107", f"{where} {differs}: the torch optimizer is built once, before the `if`, and "
                                   "scheduler.step() has one place", call)
        source, destination, agrees_for = branch._plain_schedules(own, run)
        claim = Claim(source, destination, run_steps=own["total_step"] if run is None else run.steps,
                      agrees_for=agrees_for, definitions=defined)
        verdict = verify.verify(claim, self.analysis.constants)
        if verdict.kind != verify.EQUIVALENT:
            raise Refused("MIG105", f"{where} would not keep its learning rates as "
                                   f"{branch.pair.scheduler_name}: {verdict.detail}", call)
        built = f"{in_package(branch.pair.scheduler, package)}({optimizer}, {branch.pair.scheduler_arguments(own)})"
        self._put(line, cst.parse_statement(f"{scheduler} = {built}\n"), replacements)
        replacements.update({spent: [] for spent in branch.pair.spent(branch) if spent not in replacements})
        return f"{where} → {branch.pair.scheduler_name} [{verdict.kind}: {verdict.detail}]"


def _same_value(left: str, right: str, defined: tuple[tuple[str, str], ...]) -> bool:
    """The same expression once the names the function binds once are read as what they are bound to
    (``steps`` and ``dataset.get_dataset_size()`` after ``steps = dataset.get_dataset_size()``)."""
    return same_expression(left, right) or same_expression(_expanded(left, dict(defined)),
                                                           _expanded(right, dict(defined)))


def _expanded(text: str, defined: dict[str, str], depth: int = 3) -> str:
    """``text`` with each defined name replaced by its definition, ``depth`` times over."""
    node = cst.parse_expression(text)
    for _ in range(depth):
        node = node.visit(_Definitions(defined))
    return cst.Module([]).code_for_node(node)


class _Definitions(cst.CSTTransformer):
    """Names replaced by their definitions, parenthesized; attribute names after a dot are not names."""

    def __init__(self, defined: dict[str, str]):
        self.defined = defined

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(value=original.value.visit(self))

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if original.value not in self.defined:
            return updated
        return cst.parse_expression(f"({self.defined[original.value]})")


def _without_float(value: cst.BaseExpression) -> cst.BaseExpression:
    """``x`` of ``float(x)``: a constant lr the optimizer takes as the float it is."""
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "float"
            and len(value.args) == 1 and value.args[0].keyword is None and not value.args[0].star):
        return value.args[0].value
    return value


