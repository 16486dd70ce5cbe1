"""Values a program states for its unknowns without fixing them: command-line defaults.

``parser.add_argument("--epochs", type=int, default=200)`` then ``args = parser.parse_args()`` says the program runs
with ``args.epochs == 200`` unless told otherwise. That is not a constant (any run may pass ``--epochs 90``), so the
verifier samples it *besides* its usual values: the configuration the script runs by default is always checked.
"""

from __future__ import annotations

import libcst as cst

from migrate import evaluate
from migrate.analysis import Analysis


def stated_defaults(analysis: Analysis) -> dict[str, object]:
    """``{"args.epochs": 200, ...}`` for each number an argparse parser of the module gives as a default, keyed
    by how the parsed namespace reads it; nothing for a parser whose result is bound in any other way."""
    finder = _Arguments()
    analysis.module.visit(finder)
    defaults: dict[str, object] = {}
    for parser, namespaces in finder.parsed.items():
        for dest, default in finder.defaults.get(parser, {}).items():
            try:
                value = evaluate.evaluate(default, analysis.constants, {})
            except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                for namespace in namespaces:
                    defaults[f"{namespace}.{dest}"] = value
    return defaults


class _Arguments(cst.CSTVisitor):
    """``p.add_argument("--name", ..., default=<expr>)`` and ``ns = p.parse_args()``, by the parser's name."""

    def __init__(self):
        self.defaults: dict[str, dict[str, str]] = {}
        self.parsed: dict[str, list[str]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        method = node.func
        if not (isinstance(method, cst.Attribute) and isinstance(method.value, cst.Name)
                and method.attr.value == "add_argument"):
            return
        keywords = {argument.keyword.value: argument.value for argument in node.args if argument.keyword}
        default = keywords.get("default")
        dest = _dest(node, keywords)
        if default is not None and dest is not None:
            code = cst.Module(body=[]).code_for_node(default)
            self.defaults.setdefault(method.value.value, {})[dest] = code

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if (len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name) and isinstance(value, cst.Call)
                and isinstance(value.func, cst.Attribute) and isinstance(value.func.value, cst.Name)
                and value.func.attr.value == "parse_args"):
            self.parsed.setdefault(value.func.value.value, []).append(node.targets[0].target.value)


def _dest(call: cst.Call, keywords: dict[str, cst.BaseExpression]) -> str | None:
    """argparse's ``dest``: the keyword, else the first long option (``--iters-per-epoch`` → ``iters_per_epoch``),
    else a positional name."""
    dest = keywords.get("dest")
    if isinstance(dest, cst.SimpleString):
        return dest.evaluated_value
    names = [argument.value.evaluated_value for argument in call.args
             if argument.keyword is None and isinstance(argument.value, cst.SimpleString)]
    long = [name for name in names if isinstance(name, str) and name.startswith("--")]
    chosen = long[0][2:] if long else names[0] if names and not names[0].startswith("-") else None
    return chosen.replace("-", "_") if chosen else None
