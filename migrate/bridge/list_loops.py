"""Questions about loops and functions a rule asks before it counts a run or places a statement: can this
iteration end early, can this helper return before its end, can a statement follow this line."""

from __future__ import annotations

import libcst as cst

from migrate.analysis import Analysis
from migrate.program.model import own_returns


def insertable(analysis: Analysis, statement: cst.CSTNode) -> bool:
    """A line of its own in a block, that does not leave the function: a statement can follow it."""
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], (cst.Expr, cst.Assign, cst.AugAssign, cst.AnnAssign))
            and isinstance(analysis.parents.get(statement), (cst.IndentedBlock, cst.Module)))


def binds_zero(line: cst.CSTNode) -> bool:
    """``name = 0`` alone on its line: a counter's start."""
    return (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and isinstance(line.body[0], cst.Assign)
            and len(line.body[0].targets) == 1 and isinstance(line.body[0].targets[0].target, cst.Name)
            and isinstance(line.body[0].value, cst.Integer) and line.body[0].value.value == "0")


def adds_one(line: cst.CSTNode) -> bool:
    """``name += 1`` alone on its line: a counter's increment."""
    return (isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1
            and isinstance(line.body[0], cst.AugAssign) and isinstance(line.body[0].operator, cst.AddAssign)
            and isinstance(line.body[0].value, cst.Integer) and line.body[0].value.value == "1")


def plain_line(line: cst.CSTNode) -> bool:
    """A simple statement line that cannot leave the iteration (no return, break, continue or raise)."""
    return isinstance(line, cst.SimpleStatementLine) and not any(
        isinstance(small, (cst.Return, cst.Break, cst.Continue, cst.Raise)) for small in line.body)


def leaves_early(loop: cst.CSTNode) -> bool:
    """True when the loop's own body has a break or continue (not those of loops or functions inside it)."""
    finder = _EarlyExits()
    loop.body.visit(finder)
    return finder.found


def returns_inside(loop: cst.CSTNode) -> bool:
    """True when the loop's body (nested loops included, functions inside it not) has a return."""
    return bool(own_returns(loop.body))


def returns_early(function: cst.CSTNode) -> bool:
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
