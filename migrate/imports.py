"""Imports around a rewrite: drop those only the replaced code used, add those the new code needs.

Both are decided from the metadata already computed for the rules, so a rewrite costs no second analysis of the
module (LibCST's Add/RemoveImportsVisitor each copy and re-resolve the whole module).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import libcst as cst
from libcst.metadata import ClassScope, ImportAssignment

from migrate.analysis import Analysis, names_in
from migrate.rule import ImportRef


def pruned_imports(analysis: Analysis, replacements: Mapping[cst.CSTNode, object]) -> dict[cst.CSTNode, object]:
    """Replacements that remove the import aliases whose every use lies in replaced code and is not kept."""
    spans = [(analysis.start(node), analysis.end(node)) for node in replacements]
    kept = {name.value for value in replacements.values() for node in _nodes(value) for name in names_in(node)}
    unused: set[cst.ImportAlias] = set()
    scope = analysis.scopes.get(analysis.module)
    for assignment in scope.assignments if scope is not None else ():
        if not isinstance(assignment, ImportAssignment) or assignment.name in kept or not assignment.references:
            continue
        inside = all(any(low <= analysis.start(access.node) < high for low, high in spans)
                     for access in assignment.references)
        if inside:
            unused.update(alias for alias in _aliases(assignment.node) if _bound_name(alias) == assignment.name)
    return _without(analysis, unused)


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
            for assignment in scope.assignments:
                if assignment.name == package and not _imports_package(assignment, package):
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
    """``module`` with each needed import added once after the imports at its top, ``import`` lines first."""
    present = {_text(statement) for statement in module.body if _is_import(statement)}
    lines = []
    for ref in sorted(dict.fromkeys(needed), key=lambda ref: ref.name is not None):
        text = _import_text(ref)
        if text not in present:
            lines.append(cst.parse_statement(text + "\n"))
            present.add(text)
    if not lines:
        return module
    body = list(module.body)
    index = 0
    while index < len(body) and (_is_import(body[index]) or (index == 0 and _is_docstring(body[index]))):
        index += 1
    return module.with_changes(body=[*body[:index], *lines, *body[index:]])


def _import_text(ref: ImportRef) -> str:
    if isinstance(ref, AliasedImport):
        return f"import {ref.module} as {ref.alias}"
    return f"import {ref.module}" if ref.name is None else f"from {ref.module} import {ref.name}"


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr) and isinstance(statement.body[0].value, cst.SimpleString))


def _text(statement: cst.SimpleStatementLine) -> str:
    return cst.Module(body=[statement.with_changes(leading_lines=())]).code.strip()
