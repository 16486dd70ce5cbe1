"""A safe evaluator for the small expressions a schedule is built from.

It walks Python's ``ast`` and understands numbers, arithmetic and a few pure built-ins. Anything else — a name
that is not a known constant, an attribute, a call to user code — is an *unknown*: a leaf the caller gives a
value for. Nothing the user wrote is ever imported or executed.

Every value it produces is a finite float or an int of at most 64 bits, the range NumPy (and so MindSpore's
argument checks and the schedule models) can take: a literal, a constant or an intermediate result beyond that
(``2**64``, ``10**400``, ``1e400``, ``1e308 * 10``) is *too large*, a kind of not evaluable, and a power is refused
before it is computed when its result would be larger, so ``10**10**8`` costs nothing.
"""

from __future__ import annotations

import ast
import functools
import math
import operator
from collections.abc import Mapping

#: An int of more bits is too large: NumPy takes ints up to 64 bits (``np.isinf(2**64)`` is a TypeError, which
#: makes MindSpore reject such a count), and every such int converts to a float.
MAX_INT_BITS = 64


class NotEvaluable(Exception):
    """The expression uses a construct the evaluator does not model."""


class TooLarge(NotEvaluable):
    """A value, or an intermediate result, is infinite, NaN or an int beyond ``MAX_INT_BITS``."""


class _TooLargeConstant:
    """The value of a module constant bound to a number too large: known to be unusable, never sampled."""

    def __repr__(self) -> str:
        return "TOO_LARGE"


TOO_LARGE = _TooLargeConstant()


def _check_size(value):
    """``value`` itself when it is a number a float can hold; TooLarge otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NotEvaluable(f"not a real number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TooLarge(f"not a finite number: {value!r}")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TooLarge(f"an integer of {value.bit_length()} bits, beyond {MAX_INT_BITS}")
    return value


def _power(base, exponent):
    """``base ** exponent``, refused before computing when an int result would have more than ``MAX_INT_BITS``.

    A float power that overflows raises OverflowError, which the caller reports as TooLarge.
    """
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        if (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS:
            raise TooLarge(f"{base}**{exponent} has more than {MAX_INT_BITS} bits")
    return base**exponent


_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_BUILTINS = {"int": int, "float": float, "abs": abs, "min": min, "max": max, "round": round}
_MATH = {"math.ceil": math.ceil, "math.cos": math.cos, "math.floor": math.floor, "math.pi": math.pi}


def parse(text: str) -> ast.expr:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise NotEvaluable(f"not an expression: {text!r}") from exc


def substitute(text: str, definitions: Mapping[str, str], depth: int = 4) -> str:
    """``text`` with each name in ``definitions`` read as its (parenthesised) definition, repeatedly for names a
    definition uses, up to ``depth`` levels. Inside a lambda its parameters shadow definitions of the same name, and
    a definition that reads one of them is left unexpanded there (it would be captured). Text that does not parse
    is returned as it is (the verifier reports it)."""
    try:
        tree = parse(text)
    except NotEvaluable:
        return text
    before = ast.unparse(tree)
    for _ in range(depth):
        tree = _Definitions(definitions).visit(tree)
        after = ast.unparse(tree)
        if after == before:
            break
        before = after
    return before


class _Definitions(ast.NodeTransformer):
    def __init__(self, definitions: Mapping[str, str]):
        self.definitions, self.shadowed = definitions, set()

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        names = {argument.arg for argument in node.args.args}
        before, self.shadowed = self.shadowed, self.shadowed | names
        node.body = self.visit(node.body)
        self.shadowed = before
        return node

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in self.definitions or node.id in self.shadowed:
            return node
        definition = ast.parse(f"({self.definitions[node.id]})", mode="eval").body
        if any(isinstance(inner, ast.Name) and inner.id in self.shadowed for inner in ast.walk(definition)):
            return node
        return definition


def unknowns(text: str, constants: Mapping[str, object]) -> list[str]:
    """The unknown leaves of ``text`` in order of appearance, as normalised source text."""
    found: dict[str, None] = {}
    _collect(parse(text), constants, found)
    return list(found)


def _collect(node: ast.expr, constants, found) -> None:
    if isinstance(node, ast.Constant):
        _check_number(node.value)
    elif isinstance(node, ast.Name):
        if node.id not in constants:
            found[node.id] = None
    elif isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _collect(node.left, constants, found)
        _collect(node.right, constants, found)
    elif isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        _collect(node.operand, constants, found)
    elif isinstance(node, ast.Call) and _pure_call(node):
        for argument in node.args:
            _collect(argument, constants, found)
    elif isinstance(node, (ast.IfExp, ast.Compare, ast.BoolOp)) and _decidable(node):
        for part in ast.iter_child_nodes(node):
            if isinstance(part, ast.expr):
                _collect(part, constants, found)
    elif ast.unparse(node) in _MATH:
        return
    elif isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        found[ast.unparse(node)] = None
    else:
        raise NotEvaluable(f"cannot evaluate {ast.unparse(node)!r}")


_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}


def _decidable(node: ast.expr) -> bool:
    """A conditional the evaluator decides: ``a if test else b`` over numeric comparisons joined by and/or (a
    warmup lambda's ``(e + 1) / w if e < w else 1.0``)."""
    if isinstance(node, ast.Compare):
        return all(type(op) in _COMPARE for op in node.ops)
    if isinstance(node, ast.BoolOp):
        return all(isinstance(value, (ast.Compare, ast.BoolOp)) and _decidable(value) for value in node.values)
    return isinstance(node, ast.IfExp) and isinstance(node.test, (ast.Compare, ast.BoolOp)) and _decidable(node.test)


def _truth(node: ast.expr, constants, values) -> bool:
    if isinstance(node, ast.BoolOp):
        decide = all if isinstance(node.op, ast.And) else any
        return decide(_truth(value, constants, values) for value in node.values)
    left = _evaluate(node.left, constants, values)
    for op, comparator in zip(node.ops, node.comparators, strict=True):
        right = _evaluate(comparator, constants, values)
        if not _COMPARE[type(op)](left, right):
            return False
        left = right
    return True


def _pure_call(node: ast.Call) -> bool:
    name = ast.unparse(node.func)
    return (name in _BUILTINS or name in _MATH) and not node.keywords


def _check_number(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NotEvaluable(f"not a number: {value!r}")
    _check_size(value)


def evaluate(text: str, constants: Mapping[str, object], values: Mapping[str, object]):
    """The value of ``text`` with module constants and the given values for its unknowns.

    Raises TooLarge when a value on the way does not fit a float, and what Python raises for the arithmetic
    otherwise (ZeroDivisionError, TypeError, ...).
    """
    return _evaluate(_parsed(text), constants, values)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> ast.expr:
    """``parse(text)`` for ``evaluate``, which only reads the tree: the verifier evaluates the same texts for each
    of its samples, and parsing is most of an evaluation's cost. (``parse`` hands out a fresh tree each time, for
    callers that rewrite it.)"""
    return parse(text)


def _evaluate(node: ast.expr, constants, values):
    try:
        return _check_size(_evaluate_unchecked(node, constants, values))
    except OverflowError as exc:
        raise TooLarge(f"{ast.unparse(node)} overflows: {exc}") from None


def _evaluate_unchecked(node: ast.expr, constants, values):
    if isinstance(node, ast.Constant):
        _check_number(node.value)
        return node.value
    if isinstance(node, ast.Name):
        if constants.get(node.id, None) is TOO_LARGE:
            raise TooLarge(f"{node.id} is bound to a number too large to evaluate")
        if node.id in constants:
            return constants[node.id]
        return values[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left, constants, values), _evaluate(node.right, constants, values))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand, constants, values))
    if isinstance(node, ast.Call) and _pure_call(node):
        name = ast.unparse(node.func)
        function = _BUILTINS.get(name) or _MATH[name]
        return function(*(_evaluate(argument, constants, values) for argument in node.args))
    if isinstance(node, ast.IfExp) and _decidable(node):
        chosen = node.body if _truth(node.test, constants, values) else node.orelse
        return _evaluate(chosen, constants, values)
    text = ast.unparse(node)
    if text in _MATH:
        return _MATH[text]
    if text in values:
        return values[text]
    raise NotEvaluable(f"cannot evaluate {text!r}")


def module_constants(source: str, tree: ast.Module | None = None) -> dict[str, object]:
    """Names bound exactly once in the whole module (by any binding: assignments, parameters, imports, loop
    targets...) to a numeric expression of earlier constants, at module level or inside a function
    (``epochs = 90``, ``epochs, warmup = 90, 5``): wherever such a name is read it can only hold that value.

    A name whose value is too large maps to TOO_LARGE, so that it reads as too large rather than as an unknown
    the verifier would sample with small values. ``tree`` is ``source`` already parsed by ``ast``, when it is.
    """
    if tree is None:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return {}
    bound: dict[str, int] = {}
    assignments = []
    for node in ast.walk(tree):
        kind = type(node)
        if kind not in _BINDERS:
            continue
        for target in _targets(node):
            bound[target] = bound.get(target, 0) + 1
        if (kind is ast.Assign or kind is ast.AnnAssign) and node.value is not None:
            assignments.append(node)
    constants: dict[str, object] = {}
    assignments.sort(key=lambda node: (node.lineno, node.col_offset))
    for statement in assignments:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if len(targets) != 1:
            continue
        for name, value in _pairs(targets[0], statement.value):
            if bound.get(name) != 1:
                continue
            try:
                constants[name] = _evaluate(value, constants, {})
            except TooLarge:
                constants[name] = TOO_LARGE
            except (NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
                continue
    return constants


def _pairs(target: ast.expr, value: ast.expr) -> list[tuple[str, ast.expr]]:
    """``name = value``, or each name of ``a, b = x, y`` with its own value."""
    if isinstance(target, ast.Name):
        return [(target.id, value)]
    if (isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List))
            and len(target.elts) == len(value.elts) and not any(isinstance(item, ast.Starred) for item in value.elts)):
        return [pair for inner, item in zip(target.elts, value.elts) for pair in _pairs(inner, item)]
    return []


#: The node types ``_targets`` finds names bound by (a parsed tree has no subclasses of them): most nodes bind none.
_BINDERS = frozenset({ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.comprehension,
                      ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.withitem,
                      ast.ExceptHandler, ast.NamedExpr, ast.MatchAs, ast.MatchStar, ast.MatchMapping, ast.Lambda,
                      ast.Global, ast.Nonlocal})


def _targets(node: ast.AST):
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Name):
                    yield leaf.id
    elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        for leaf in ast.walk(node.target):
            if isinstance(leaf, ast.Name):
                yield leaf.id
    elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        for leaf in ast.walk(node.optional_vars):
            if isinstance(leaf, ast.Name):
                yield leaf.id
    elif isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    elif isinstance(node, ast.NamedExpr):
        yield node.target.id
    elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    elif isinstance(node, ast.MatchMapping) and node.rest:
        yield node.rest
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        arguments = node.args
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            yield argument.arg
        for argument in (arguments.vararg, arguments.kwarg):
            if argument is not None:
                yield argument.arg
    elif isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            yield (alias.asname or alias.name).split(".")[0]
    elif isinstance(node, (ast.Global, ast.Nonlocal)):
        yield from node.names
    elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
        yield node.target.id
