"""The text LibCST parses for a file: its closed functions, which no rewrite can need, cut down to stubs.

Parsing a file with LibCST and building its scopes costs in proportion to the file; in a module of helpers only
the functions near a site matter. A top-level function can be left out of that work when nothing in the file can
reach it or be reached by it:

- nothing in the file names it (its name is one word of the file, its own ``def``), it has no decorator (a
  decorator can register it to be called), it mentions none of the rules' triggers, and it is ASCII (``ast``
  normalises identifiers, LibCST keeps them as written);
- it is *closed*: it reads only its own names, builtins and the module's imports (never a module variable,
  function or class, ``globals()`` or ``eval``), binds only its own names (no ``global``, ``nonlocal``), and holds
  nothing the analysis gathers from the whole module by its spelling (an attribute or item assigned, an import, an
  alias, a changing method, an argparse call), so it can change nothing a rule reads and the analysis finds
  nothing in it.

Such a function becomes a stub of the same lines that still reads the imports it read, so that what a rule asks
of the module (is this import still used?) is answered as before. The stub ends on the
function's last line and keeps its indentation, so every other statement keeps its lines, columns and leading
lines; the conversion prints the original code of every stub (``Analysis.statement_code``), with the leading lines
a rewrite may give it, and never the stub.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Iterable
from dataclasses import dataclass

from migrate.analysis import LINES, MUTATING_PREFIXES, SIZE_CHANGING


#: The builtins that reach a module's names or run code: a function that calls them is not closed.
_REACHING = {"globals", "locals", "vars", "exec", "eval", "compile", "setattr", "delattr", "__import__"}
_READABLE_BUILTINS = frozenset(dir(builtins)) - _REACHING
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_DEFINITIONS = (*_FUNCTIONS, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)
_CHAINS = (ast.Name, ast.Attribute, ast.Subscript, ast.Starred)
_ARGPARSE = frozenset({"add_argument", "parse_args", "parse_known_args", "set_defaults"})


@dataclass(frozen=True)
class Stubbed:
    """The text to parse, the names of the functions it holds as stubs, and every name those functions hold (a
    new name must avoid them as it avoids every name of the module)."""

    text: str
    functions: frozenset[str] = frozenset()
    hidden_names: tuple[str, ...] = ()


def stubbed(text: str, tree: ast.Module, triggers: Iterable[str]) -> Stubbed:
    """``text`` with its closed functions replaced by stubs of the same lines."""
    if "\x0c" in text or not text.endswith(("\n", "\r")):
        return Stubbed(text)
    triggers = tuple(triggers)
    lines = LINES.findall(text)
    names = _module_names(tree, lines, triggers)
    if names is None:
        return Stubbed(text)
    replaced: dict[int, tuple[int, str]] = {}
    functions: set[str] = set()
    hidden: list[str] = []
    for function in tree.body:
        if (not isinstance(function, _FUNCTIONS) or function.decorator_list
                or function.body[0].lineno == function.lineno):
            continue
        code = "".join(lines[function.lineno - 1:function.end_lineno])
        if (any(trigger in code for trigger in triggers) or _mentions(text, function.name) != 1
                or not code.isascii()):
            continue
        reads = _closed_reads(function, *names)
        if reads is not None:
            replaced[function.lineno] = (function.end_lineno, _stub(function, lines, reads))
            functions.add(function.name)
            hidden.extend(_names_in(function))
    if not replaced:
        return Stubbed(text)
    pieces, line = [], 1
    for first in sorted(replaced):
        last, stub = replaced[first]
        pieces.extend(lines[line - 1:first - 1])
        pieces.append(stub)
        line = last + 1
    pieces.extend(lines[line - 1:])
    return Stubbed("".join(pieces), frozenset(functions), tuple(hidden))


def _module_names(tree: ast.Module, lines: list[str], triggers: tuple[str, ...]
                  ) -> tuple[frozenset[str], frozenset[str]] | None:
    """The names a closed function may read (builtins, and the module's imports that nothing else rebinds and
    whose import statement mentions no trigger, as ``from mindspore.nn import cosine_decay_lr as schedule`` does)
    and every name the module binds; None when a star import leaves the module's names unknown."""
    imports, others = set(), set()
    for statement in tree.body:
        if isinstance(statement, _IMPORTS):
            code = "".join(lines[statement.lineno - 1:statement.end_lineno])
            if any(trigger in code for trigger in triggers):
                others.update(_bound(statement))
                continue
            for alias in statement.names:
                if alias.name == "*":
                    return None
                imports.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(statement, _DEFINITIONS):
            others.add(statement.name)
        else:
            others.update(_bound(statement))
    return frozenset((imports | _READABLE_BUILTINS) - others), frozenset(imports | others)


def _bound(statement: ast.AST, nested: bool = False) -> set[str]:
    """Every name ``statement`` binds in its own scope: a function or class defined in it binds its name, and only
    with ``nested`` the names bound inside it too."""
    names, pending = set(), [statement]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, _IMPORTS):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        if isinstance(node, _DEFINITIONS) and node is not statement:
            names.add(node.name)
            if not nested:
                continue
        pending.extend(ast.iter_child_nodes(node))
    return names


def _closed_reads(function: ast.AST, readable: frozenset[str], module: frozenset[str]) -> list[str] | None:
    """The imports a closed function reads, sorted; None when it is not closed.

    Its own names are every name bound anywhere in it (nested scopes included); one that is also a module name
    makes it not closed, so no shadowing has to be resolved."""
    own = _bound(function, nested=True) - {function.name}
    own.update(argument.arg for argument in ast.walk(function) if isinstance(argument, ast.arg))
    if own & module:
        return None
    reads = set()
    for node in ast.walk(function):
        if isinstance(node, (ast.Global, ast.Nonlocal, *_IMPORTS)) or _recorded(node):
            return None
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in own:
            if node.id not in readable:
                return None
            if node.id not in _READABLE_BUILTINS:
                reads.add(node.id)
    return sorted(reads)


def _recorded(node: ast.AST) -> bool:
    """Whether ``node`` is something the analysis gathers from the whole module by its spelling, wherever it is:
    an attribute or item assigned or deleted (``args.cos = False`` in a helper of its own ``args``), an import, a
    name bound to another object's name (an alias), a method that changes its object or its size, or an argparse
    call. A function holding one is parsed whole, so that the analysis sees what it saw without stubs."""
    if isinstance(node, (ast.Attribute, ast.Subscript)) and not isinstance(node.ctx, ast.Load):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and isinstance(node.value, _CHAINS):
        return True
    if isinstance(node, ast.withitem) and node.optional_vars is not None and isinstance(node.context_expr, _CHAINS):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr
        return (method.lstrip("_").startswith(MUTATING_PREFIXES) or method in SIZE_CHANGING
                or method in _ARGPARSE)
    return False


def _stub(function: ast.AST, lines: list[str], reads: list[str]) -> str:
    """A function of the same name and lines whose body reads ``reads``: a parenthesised tuple spanning the
    function's lines, indented as its body, so LibCST gives the lines after it to the same statements."""
    newline = _newline(lines[function.lineno - 1])
    body_line = lines[function.body[0].lineno - 1]
    indent = body_line[:len(body_line) - len(body_line.lstrip(" \t"))]
    keyword = "async def" if isinstance(function, ast.AsyncFunctionDef) else "def"
    span = function.end_lineno - function.lineno + 1
    items = "".join(f"{name}, " for name in reads)
    if span == 2:
        return f"{keyword} {function.name}():{newline}{indent}({items.rstrip()}){newline}"
    return (f"{keyword} {function.name}():{newline}{indent}({items.rstrip()}{newline}"
            + newline * (span - 3) + f"{indent}){newline}")


def _names_in(function: ast.AST) -> list[str]:
    """The names LibCST would give ``function`` (closed: no import, ``global`` or ``nonlocal``) as ``Name``
    nodes: every identifier but an attribute's."""
    names = []
    for node in ast.walk(function):
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, ast.arg):
            names.append(node.arg)
        elif isinstance(node, (*_DEFINITIONS, ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.append(node.name)
        elif isinstance(node, ast.keyword) and node.arg:
            names.append(node.arg)
        elif isinstance(node, ast.MatchClass):
            names.extend(node.kwd_attrs)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.append(node.rest)
        elif isinstance(node, ast.Constant) and any(node.value is constant for constant in (None, True, False)):
            names.append(str(node.value))
    return names


def _newline(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else line[-1]


def _mentions(text: str, name: str) -> int:
    """How many times ``name`` is a word of the text: in code, attributes, strings and comments alike."""
    return len(re.findall(rf"\b{re.escape(name)}\b", text))
