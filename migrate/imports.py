"""Imports around a rewrite: drop those only the replaced code used, add those the new code needs.

Both are decided from the metadata already computed for the rules, so a rewrite costs no second analysis of the
module (LibCST's Add/RemoveImportsVisitor each copy and re-resolve the whole module); only a package requested in
both import styles resolves the rewritten module's scopes once. Added imports go where isort/ruff would keep them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ClassScope, ImportAssignment, MetadataWrapper, ScopeProvider

from migrate.analysis import Analysis, names_in
from migrate.rule import ImportRef


def pruned_imports(analysis: Analysis, replacements: Mapping[cst.CSTNode, object]) -> dict[cst.CSTNode, object]:
    """Replacements that remove the import aliases whose every use lies in replaced code and is not kept. A
    statement that stays where it was, with statements added beside it, is not replaced code: its uses count where
    they are, in it or in the replaced statements it holds."""
    replaced_nodes = [node for node, value in replacements.items() if not _stays(node, value)]
    spans = [(analysis.start(node), analysis.end(node)) for node in replaced_nodes]
    touched = {_top_level(analysis, node) for node in replaced_nodes}
    kept = {name.value for node, value in replacements.items() for written in _nodes(value) if written is not node
            for name in names_in(written)}
    unused: set[cst.ImportAlias] = set()
    replaced: dict[cst.CSTNode, bool] = {}

    def in_replaced_code(node: cst.CSTNode) -> bool:
        """Whether ``node`` lies in a replaced span, asked once per node: a name imported many times (files
        concatenated) has each of its reads asked about for each import."""
        found = replaced.get(node)
        if found is None:
            found = replaced[node] = (_top_level(analysis, node) in touched
                                      and any(low <= analysis.start(node) < high for low, high in spans))
        return found

    scope = analysis.scopes.get(analysis.module)
    for assignment in scope.assignments if scope is not None else ():
        if not isinstance(assignment, ImportAssignment) or assignment.name in kept or not assignment.references:
            continue
        if all(in_replaced_code(access.node) for access in assignment.references):
            unused.update(alias for alias in _aliases(assignment.node) if _bound_name(alias) == assignment.name)
    return _without(analysis, unused)


def _top_level(analysis: Analysis, node: cst.CSTNode) -> cst.CSTNode:
    """The module's statement holding ``node``: a node in another one cannot lie in a span of this one, so its
    position (printed per top-level statement) need not be computed."""
    top = node
    for ancestor in analysis.ancestors(node):
        if ancestor is analysis.module:
            break
        top = ancestor
    return top


def _stays(node: cst.CSTNode, value: object) -> bool:
    return isinstance(value, (list, tuple)) and any(written is node for written in value)


def _nodes(value: object) -> Iterable[cst.CSTNode]:
    return value if isinstance(value, (list, tuple)) else [value]


def _aliases(statement: cst.CSTNode) -> Iterable[cst.ImportAlias]:
    names = statement.names
    return names if isinstance(names, (list, tuple)) else ()


def _bound_name(alias: cst.ImportAlias) -> str:
    if alias.asname is not None:
        return alias.asname.name.value
    name = alias.evaluated_name
    return name.split(".")[0]


def _without(analysis: Analysis, unused: set[cst.ImportAlias]) -> dict[cst.CSTNode, object]:
    replacements: dict[cst.CSTNode, object] = {}
    for statement in {analysis.parents[alias] for alias in unused}:
        kept = [alias for alias in statement.names if alias not in unused]
        line = analysis.parents[statement]
        if not kept and isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            replacements[line] = []
        elif kept:
            last = kept[-1].with_changes(comma=statement.names[-1].comma)
            replacements[statement] = statement.with_changes(names=[*kept[:-1], last])
    return replacements


#: The alias tried first when a package's own name is taken.
SHORT_ALIASES = {"mindspore": "ms", "torch": "th"}


@dataclass(frozen=True)
class AliasedImport(ImportRef):
    """``import module as alias``: the package under a name nothing in the module rebinds."""

    alias: str = ""


def package_reference(analysis: Analysis, site: cst.CSTNode, package: str) -> tuple[str, ImportRef]:
    """The name under which code written at ``site`` reaches ``package``, and the import that binds it.

    ``package`` itself unless the module, or a function around ``site``, binds that name to anything but an import
    of the package (``torch = None``, a parameter named ``mindspore``): then the import gets an alias that no name
    in the module uses, ``ms``/``th`` when free.
    """
    if not _rebound(analysis, site, package):
        return package, ImportRef(package)
    alias = analysis.fresh_name(SHORT_ALIASES.get(package, package))
    return alias, AliasedImport(package, alias=alias)


def _rebound(analysis: Analysis, site: cst.CSTNode, package: str) -> bool:
    """Whether a scope ``site`` sees (its own, enclosing functions', the module's) binds ``package`` otherwise."""
    scope = analysis.scopes.get(site)
    while scope is not None:
        if not isinstance(scope, ClassScope) or scope is analysis.scopes.get(site):
            for assignment in scope.assignments[package]:
                if not _imports_package(assignment, package):
                    return True
        if scope is scope.globals:
            return False
        scope = scope.parent
    return False


def _imports_package(assignment, package: str) -> bool:
    """``import package`` or ``import package.sub``, which bind the name to the package itself."""
    if not isinstance(assignment, ImportAssignment) or not isinstance(assignment.node, cst.Import):
        return False
    return any(alias.asname is None and _bound_name(alias) == package for alias in assignment.node.names)


def with_imports(module: cst.Module, needed: Iterable[ImportRef]) -> cst.Module:
    """``module`` with each needed import added once where isort/ruff would keep it.

    An added import joins the third-party group of the imports at the top of the file, at its sorted place; a
    package requested both as ``import package`` and ``from package.sub import name`` is imported once, as a module.
    """
    refs, module = _one_style(module, list(dict.fromkeys(needed)))
    for ref in refs:
        if not _present(module, ref):
            module = _inserted(module, cst.parse_statement(_import_text(ref) + "\n"))
    return module


def _import_text(ref: ImportRef) -> str:
    if isinstance(ref, AliasedImport):
        return f"import {ref.module} as {ref.alias}"
    return f"import {ref.module}" if ref.name is None else f"from {ref.module} import {ref.name}"


def _one_style(module: cst.Module, refs: list[ImportRef]) -> tuple[list[ImportRef], cst.Module]:
    """``from package.sub import name`` dropped where ``import package [as alias]`` is requested too.

    The uses of ``name`` the from-import was to bind become ``package.sub.name``. Only unbound uses are rewritten,
    and only when nothing in the module binds ``name``; otherwise both imports stay, which is still correct code.
    """
    prefixes = {ref.module: ref.alias if isinstance(ref, AliasedImport) else ref.module
                for ref in refs if ref.name is None and "." not in ref.module}
    kept = []
    for ref in refs:
        package = ref.module.split(".")[0]
        if ref.name is None or isinstance(ref, AliasedImport) or package not in prefixes or _present(module, ref):
            kept.append(ref)
            continue
        qualified = prefixes[package] + ref.module[len(package):] + "." + ref.name
        rewritten = _qualified_uses(module, ref.name, qualified)
        if rewritten is None:
            kept.append(ref)
        else:
            module = rewritten
    return kept, module


def _qualified_uses(module: cst.Module, name: str, qualified: str) -> cst.Module | None:
    """``module`` with every use of ``name`` replaced by ``qualified``; None when ``name`` is bound anywhere or
    also used where an expression cannot stand (a string annotation)."""
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = {scope for scope in wrapper.resolve(ScopeProvider).values() if scope is not None}
    if any(scope.assignments[name] for scope in scopes):
        return None
    uses = {access.node for scope in scopes for access in scope.accesses[name]}
    if not uses or not all(isinstance(use, cst.Name) for use in uses):
        return None
    return module.visit(_Swap(uses, cst.parse_expression(qualified)))


class _Swap(cst.CSTTransformer):
    """Replace the given nodes, by identity, with one expression."""

    def __init__(self, nodes: set[cst.CSTNode], expression: cst.BaseExpression):
        super().__init__()
        self.nodes, self.expression = nodes, expression

    def on_leave(self, original, updated):
        return self.expression.deep_clone() if original in self.nodes else updated


def _present(module: cst.Module, ref: ImportRef) -> bool:
    """Whether a statement at the top level of ``module`` already binds what ``ref`` would."""
    asname = ref.alias if isinstance(ref, AliasedImport) else None
    for statement in module.body:
        for small in statement.body if _is_import(statement) else ():
            if isinstance(small, cst.Import) and ref.name is None:
                found = {(alias.evaluated_name, alias.evaluated_alias) for alias in small.names}
            elif isinstance(small, cst.ImportFrom) and ref.name is not None and not small.relative:
                module_name = get_full_name_for_node(small.module) if small.module is not None else None
                if module_name != ref.module or isinstance(small.names, cst.ImportStar):
                    continue
                found = {(alias.evaluated_name, alias.evaluated_alias) for alias in small.names}
            else:
                continue
            if (ref.name or ref.module, asname) in found:
                return True
    return False


class _Section(IntEnum):
    """isort's sections, in the order they appear in a file."""

    FUTURE = 0
    STDLIB = 1
    THIRD_PARTY = 2
    LOCAL = 3


def _section(statement: cst.SimpleStatementLine) -> _Section:
    """Relative imports are local; anything else not in the standard library is taken as third party."""
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        if small.relative:
            return _Section.LOCAL
        module = get_full_name_for_node(small.module)
        if module == "__future__":
            return _Section.FUTURE
    else:
        module = small.names[0].evaluated_name
    return _Section.STDLIB if module.split(".")[0] in sys.stdlib_module_names else _Section.THIRD_PARTY


def _sort_key(statement: cst.SimpleStatementLine) -> tuple[bool, str, str, str]:
    """ruff's isort default: ``import`` lines before ``from`` lines, each by module name, case-insensitively."""
    small = statement.body[0]
    if isinstance(small, cst.ImportFrom):
        module = "." * len(small.relative) + (get_full_name_for_node(small.module) or "")
        return True, module.lower(), module, ""
    alias = small.names[0]
    return False, alias.evaluated_name.lower(), alias.evaluated_name, alias.evaluated_alias or ""


def _inserted(module: cst.Module, line: cst.SimpleStatementLine) -> cst.Module:
    """``module`` with the import ``line`` in the import block at its top, in its own section's group (the
    standard library's for ``import math``, the third-party one for ``import mindspore``)."""
    body = list(module.body)
    start = 1 if body and _is_docstring(body[0]) else 0
    end = start
    while end < len(body) and _is_import(body[end]):
        end += 1
    groups = _groups(body, start, end)
    section = _section(line)
    same = next((group for group in groups if _section(body[group[0]]) == section), None)
    if same is not None:
        index = next((i for i in same if _sort_key(body[i]) > _sort_key(line)), same[-1] + 1)
        if index == same[0]:
            head, tail = _split_at_last_blank(body[index].leading_lines)
            body[index] = body[index].with_changes(leading_lines=tail)
            line = line.with_changes(leading_lines=head)
    else:
        following = [group for group in groups if _section(body[group[0]]) > section]
        index = following[0][0] if following else end
        if index < end:
            head, tail = _split_at_last_blank(body[index].leading_lines)
            body[index] = body[index].with_changes(leading_lines=(cst.EmptyLine(), *tail))
            line = line.with_changes(leading_lines=head)
        elif groups:
            line = line.with_changes(leading_lines=(cst.EmptyLine(),))
        elif index < len(body):
            head, body[index] = _blank_lines_moved(body[index])
            line = line.with_changes(leading_lines=head)
    return module.with_changes(body=[*body[:index], line, *body[index:]])


def _groups(body: list[cst.CSTNode], start: int, end: int) -> list[list[int]]:
    """The indices of the import lines in ``body[start:end]``, in runs separated by blank lines."""
    groups: list[list[int]] = []
    for index in range(start, end):
        if not groups or _blank_lines_before(body[index]):
            groups.append([])
        groups[-1].append(index)
    return groups


def _blank_lines_before(statement: cst.CSTNode) -> bool:
    return any(line.comment is None for line in statement.leading_lines)


def _split_at_last_blank(lines: Sequence[cst.EmptyLine]) -> tuple[tuple[cst.EmptyLine, ...], tuple[cst.EmptyLine, ...]]:
    """The lines up to the last blank one (the gap before a group), and the comments that belong to the statement."""
    blanks = [index for index, line in enumerate(lines) if line.comment is None]
    cut = blanks[-1] + 1 if blanks else 0
    return tuple(lines[:cut]), tuple(lines[cut:])


def _blank_lines_moved(statement: cst.CSTNode) -> tuple[tuple[cst.EmptyLine, ...], cst.CSTNode]:
    """The blank line that opened ``statement``, if any, for a new import block before it, and ``statement`` with
    the blank lines ruff wants after an import block instead: two before a def or class, else one."""
    lines = list(statement.leading_lines)
    head = lines[:1] if lines and lines[0].comment is None else []
    while lines and lines[0].comment is None:
        lines.pop(0)
    wanted = 2 if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) else 1
    return tuple(head), statement.with_changes(leading_lines=(*(cst.EmptyLine() for _ in range(wanted)), *lines))


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.SimpleString))
