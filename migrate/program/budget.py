"""Step budgets and batch caps: loops whose length a counter sets, not only an iterable.

Real training code often runs for a number of optimizer steps rather than epochs::

    step = 0
    while step < max_steps:
        for batch in loader:
            ...
            optimizer.step()
            step += 1
            if step >= max_steps:
                break

The run is then exactly ``max_steps`` optimizer steps: the counter starts at a literal, grows by one with every
optimizer step (or every iteration of the ``while``), and the loop that holds the step leaves as soon as the
budget is spent. Anything else (a second write of the counter, a ``continue`` that skips the increment, a check
that does not end the stepping loop) is not a budget, and the run length stays unknown.

A batch loop capped by its index (``for i, batch in enumerate(loader): if i >= iters: break`` before the step)
runs ``min(len(loader), iters)`` times.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
from libcst.metadata import Assignment

from migrate.analysis import Analysis, difference, plus_one

_BELOW = (cst.LessThan, cst.LessThanEqual)
_ABOVE = (cst.GreaterThan, cst.GreaterThanEqual)


@dataclass(frozen=True)
class Budget:
    """``count`` iterations of ``counted`` (the ``while`` itself, or the loop that holds the step, in which case
    ``count`` is the whole run); ``limit`` is the expression the counter is compared with."""

    count: str
    counted: cst.CSTNode
    limit: cst.BaseExpression


def step_budget(analysis: Analysis, loop: cst.CSTNode, stepping: cst.CSTNode, *,
                checked_first: bool = False) -> Budget | None:
    """The budget of the ``while`` loop ``loop`` around the statement ``stepping``, or None if it has none.

    With ``checked_first`` the stepping loop may also leave at the top of its body, ``if counter >= limit: break``
    before both the step and the increment: no step runs once the budget is spent, either way."""
    bound = _bound(loop)
    if bound is None:
        return None
    counter, limit, inclusive = bound
    writes = _writes(analysis, counter, loop)
    if writes is None:
        return None
    start, increment = writes
    counted = analysis.loops(increment)[-1]
    if analysis.guards(increment, counted) or _continues(analysis, counted):
        return None
    if _rebound_inside(analysis, limit, loop):
        return None
    count = _count(analysis.code(limit), start, inclusive)
    if counted is loop:
        return Budget(count, loop, limit)
    stepping_loops = analysis.loops(stepping)
    if inclusive or not stepping_loops or stepping_loops[-1] is not counted or analysis.loops(counted)[-1:] != [loop]:
        return None
    if analysis.guards(stepping, counted):
        return None
    if not _leaves_when_spent(analysis, counted, counter, limit, after=(increment, stepping)) and not (
            checked_first and _leaves_when_spent(analysis, counted, counter, limit, before=(increment, stepping))):
        return None
    return Budget(count, counted, limit)


def _bound(loop: cst.CSTNode) -> tuple[str, cst.BaseExpression, bool] | None:
    """``counter < limit`` (or ``<=``, or written the other way round) as (counter, limit, inclusive)."""
    if not isinstance(loop, cst.While) or not isinstance(loop.test, cst.Comparison):
        return None
    if len(loop.test.comparisons) != 1:
        return None
    left, target = loop.test.left, loop.test.comparisons[0]
    operator, right = target.operator, target.comparator
    if isinstance(operator, _BELOW) and isinstance(left, cst.Name):
        return left.value, right, isinstance(operator, cst.LessThanEqual)
    if isinstance(operator, _ABOVE) and isinstance(right, cst.Name):
        return right.value, left, isinstance(operator, cst.GreaterThanEqual)
    return None


def _writes(analysis: Analysis, counter: str, loop: cst.While) -> tuple[str, cst.CSTNode] | None:
    """The counter's literal start (bound once before the loop) and its one ``+= 1`` inside the loop."""
    scope = analysis.scopes.get(loop.test)
    if scope is None:
        return None
    assignments = [assignment for assignment in scope[counter] if isinstance(assignment, Assignment)
                   and assignment.scope is scope]
    start = increment = None
    for assignment in assignments:
        statement = analysis.parents.get(assignment.node)
        if isinstance(statement, cst.AugAssign) and _adds_one(statement) and loop in analysis.ancestors(statement):
            if increment is not None:
                return None
            increment = statement
            continue
        value = analysis.assigned_value(assignment) if type(assignment) is Assignment else None
        if (value is None or not isinstance(value[1], cst.Integer) or start is not None
                or loop in analysis.ancestors(value[0]) or not analysis.runs_before(value[0], loop)):
            return None
        start = value[1].value
    if start is None or increment is None:
        return None
    return start, increment


def _adds_one(statement: cst.AugAssign) -> bool:
    return (isinstance(statement.operator, cst.AddAssign) and isinstance(statement.value, cst.Integer)
            and statement.value.value == "1")


def _continues(analysis: Analysis, loop: cst.CSTNode) -> bool:
    return any(isinstance(leaving, cst.Continue) for leaving in analysis.loop_exits(loop))


def _rebound_inside(analysis: Analysis, limit: cst.BaseExpression, loop: cst.While) -> bool:
    """Whether a name the limit reads is bound inside the loop, or an attribute or item limit is changed there
    (assigned, or by a call that writes it: ``cfg.epochs += extra``, ``cfg.on_epoch_end(...)``)."""
    if isinstance(limit, cst.Integer):
        return False
    if isinstance(limit, (cst.Attribute, cst.Subscript)):
        return analysis.attribute_changed(limit, analysis.start(loop), analysis.end(loop)) is not None
    if not isinstance(limit, cst.Name):
        return True
    scope = analysis.scopes.get(limit)
    if scope is None:
        return True
    return any(isinstance(assignment, Assignment) and assignment.node in analysis.parents
               and loop in analysis.ancestors(assignment.node) for assignment in scope[limit.value])


def _leaves_when_spent(analysis: Analysis, loop: cst.CSTNode, counter: str, limit: cst.BaseExpression,
                       after: tuple[cst.CSTNode, ...] = (), before: tuple[cst.CSTNode, ...] = ()) -> bool:
    """Whether ``loop``'s own body holds ``if counter >= limit: break`` after each statement of ``after`` and
    before each statement of ``before``."""
    limit_text = analysis.code(limit)
    for statement in loop.body.body:
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            continue
        if not _spent(analysis, statement.test, counter, limit_text):
            continue
        body = statement.body.body
        breaks = (len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1
                  and isinstance(body[0].body[0], cst.Break))
        return (breaks and all(analysis.end(node) <= analysis.start(statement) for node in after)
                and all(analysis.end(statement) <= analysis.start(node) for node in before))
    return False


def _spent(analysis: Analysis, test: cst.BaseExpression, counter: str, limit: str) -> bool:
    """``counter >= limit``, ``counter == limit`` or ``limit <= counter``."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    left, operator, right = test.left, test.comparisons[0].operator, test.comparisons[0].comparator
    if isinstance(operator, (cst.GreaterThanEqual, cst.Equal)):
        return analysis.code(left) == counter and analysis.code(right) == limit
    if isinstance(operator, cst.LessThanEqual):
        return analysis.code(left) == limit and analysis.code(right) == counter
    return False


def _count(limit: str, start: str, inclusive: bool) -> str:
    count = limit if start == "0" else difference(limit, start)
    return plus_one(count) if inclusive else count


@dataclass(frozen=True)
class Cap:
    """``for i, ... in enumerate(...)`` left by ``if i >= limit: break`` before the step: at most ``count``
    iterations; ``exit`` is that ``break``."""

    count: str
    limit: cst.BaseExpression
    exit: cst.Break


def batch_cap(analysis: Analysis, loop: cst.CSTNode, stepping: cst.CSTNode) -> Cap | None:
    """The cap of the batch loop ``loop`` whose body holds ``stepping``, or None if it has none."""
    index = _enumerate_index(analysis, loop)
    if index is None:
        return None
    for statement in loop.body.body:
        if analysis.start(statement) >= analysis.start(stepping):
            return None
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            continue
        limit = _index_limit(analysis, statement.test, index)
        body = statement.body.body
        if limit is None or not (len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine)
                                 and len(body[0].body) == 1 and isinstance(body[0].body[0], cst.Break)):
            continue
        bound, inclusive = limit
        if _rebound_inside(analysis, bound, loop) or _writes_index(analysis, loop, index):
            return None
        text = analysis.code(bound)
        return Cap(plus_one(text) if inclusive else text, bound, body[0].body[0])
    return None


def _enumerate_index(analysis: Analysis, loop: cst.CSTNode) -> str | None:
    """``i`` of ``for i, ... in enumerate(x)`` (counting from 0)."""
    if not isinstance(loop, cst.For) or not isinstance(loop.iter, cst.Call):
        return None
    if not analysis.names_of(loop.iter.func) & {"builtins.enumerate"} or len(loop.iter.args) != 1:
        return None
    target = loop.target
    if not isinstance(target, cst.Tuple) or len(target.elements) != 2:
        return None
    first = target.elements[0].value
    return first.value if isinstance(first, cst.Name) else None


def _index_limit(analysis: Analysis, test: cst.BaseExpression, index: str):
    """``i >= limit`` (or ``limit <= i``): (limit, False); ``i > limit`` (``limit < i``): (limit, True)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    left, operator, right = test.left, test.comparisons[0].operator, test.comparisons[0].comparator
    if analysis.code(left) == index and isinstance(operator, _ABOVE):
        return right, isinstance(operator, cst.GreaterThan)
    if analysis.code(right) == index and isinstance(operator, _BELOW):
        return left, isinstance(operator, cst.LessThan)
    return None


def _writes_index(analysis: Analysis, loop: cst.For, index: str) -> bool:
    scope = analysis.scopes.get(loop.body)
    if scope is None:
        return True
    return any(isinstance(assignment, Assignment) and assignment.node in analysis.parents
               and loop.body in analysis.ancestors(assignment.node) for assignment in scope[index])
