"""How the list machinery compares source text, reads the lists it spells out, and writes text into messages."""

from __future__ import annotations

import ast

import libcst as cst

from migrate.analysis import Analysis, atom


def same_expression(left: str, right: str) -> bool:
    """The same expression, however it is spaced or parenthesised."""
    try:
        return ast.dump(ast.parse(left, mode="eval")) == ast.dump(ast.parse(right, mode="eval"))
    except SyntaxError:
        return False


def over(expression: str, divisor: str) -> str:
    """``expression / divisor`` as a factor: without the divisor where the expression's leftmost factor is it
    (``lr * (i + 1) / warmup_steps`` over ``lr`` is ``(i + 1) / warmup_steps``), else divided by it."""
    tree = ast.parse(expression, mode="eval")
    target = ast.dump(ast.parse(divisor, mode="eval").body)
    parent, node = tree, tree.body
    while isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        if (isinstance(node.op, ast.Mult) and ast.dump(node.left) == target
                and not isinstance(node.left, ast.BinOp)):
            if parent is tree:
                tree.body = node.right
            else:
                parent.left = node.right
            return ast.unparse(tree)
        parent, node = node, node.left
    return f"{atom(expression)} / {atom(divisor)}"


def written_into(analysis: Analysis, subscript: cst.Subscript) -> bool:
    """Whether ``subscript`` is assigned to or deleted (``lr[:warmup] = ...``, ``lr[i] *= 2``, ``del lr[0]``),
    not read."""
    parent = analysis.parents.get(subscript)
    return (isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.AnnAssign)) and parent.target is subscript
            or isinstance(parent, cst.Del))


def written_into_refusal(analysis: Analysis, subscript: cst.Subscript, scheduler: str) -> str:
    """Why a list changed in place has no scheduler, for MIG107."""
    return (f"`{analysis.first_line(analysis.statement(subscript))}` at line {analysis.line(subscript)} changes the "
            f"list in place; a {scheduler} computes each step's lr itself, so the rule converts a list given to "
            "its optimizer as built")


def argument_text(name: str, text: str) -> str:
    """An argument for a message: ``name=text``, or the name alone when the code spells it so."""
    return name if text == name else f"{name}={text}"


def count_text(text: str) -> str:
    """A count for a message: a number as it is, an expression quoted so the sentence still reads."""
    return text if text.isdigit() else f"`{text}`"


def slice_text(analysis: Analysis, subscript: cst.Subscript) -> str:
    """A slice for a message: ``lr[start:]`` quoted whole, a slice of a call by its brackets alone."""
    if isinstance(subscript.value, cst.Call):
        return f"the slice `[{', '.join(analysis.code(element) for element in subscript.slice)}]`"
    return f"`{analysis.code(subscript)}`"


def dict_key(entry: cst.BaseDictElement) -> str | None:
    """A dict entry's key when it is a plain string (``"lr"``), else None."""
    if isinstance(entry, cst.DictElement) and isinstance(entry.key, cst.SimpleString):
        return entry.key.evaluated_value
    return None


def spelled(analysis: Analysis, node: cst.BaseExpression) -> cst.List | cst.Tuple | None:
    """The list literal ``node`` is, or the one a name bound once (alone on its line) holds, without a starred
    element; None otherwise."""
    if isinstance(node, cst.Name):
        assignment = analysis.single_assignment(node)
        bound = analysis.assigned_value(assignment) if assignment is not None else None
        node = bound[1] if bound is not None else node
    listed = isinstance(node, (cst.List, cst.Tuple)) and all(isinstance(item, cst.Element) for item in node.elements)
    return node if listed else None


def elements(text: str) -> list[str]:
    """The element texts of a list spelled out as ``text``."""
    return [cst.Module([]).code_for_node(element.value) for element in cst.parse_expression(text).elements]
