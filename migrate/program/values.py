"""Values a program states for its unknowns without fixing them (command-line defaults), and the names it binds
once to an expression of them (derived quantities).

``parser.add_argument("--epochs", type=int, default=200)`` then ``args = parser.parse_args()`` says the program runs
with ``args.epochs == 200`` unless told otherwise. That is not a constant (any run may pass ``--epochs 90``), so the
verifier samples it *besides* its usual values: the configuration the script runs by default is always checked.
"""

from __future__ import annotations

import libcst as cst

from migrate import evaluate
from migrate.analysis import Analysis
from migrate.program.model import READING_CALLS, calls_in


def stated_defaults(analysis: Analysis) -> dict[str, object]:
    """``{"args.epochs": 200, ...}`` for each number an argparse parser of the module gives as a default, keyed
    by how the parsed namespace reads it; nothing for a parser whose result is bound in any other way."""
    defaults: dict[str, object] = {}
    for read, keywords in _parsed_arguments(analysis):
        if "default" not in keywords:
            continue
        try:
            number = evaluate.evaluate(analysis.code(keywords["default"]), analysis.constants, {})
        except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
            continue
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            defaults[read] = number
    return defaults


def float_arguments(analysis: Analysis) -> frozenset[str]:
    """``{"args.warmup_epochs"}`` for each argument an argparse parser of the module declares ``type=float``: a
    run may give it a fraction whatever its default."""
    return frozenset(read for read, keywords in _parsed_arguments(analysis)
                     if isinstance(keywords.get("type"), cst.Name) and keywords["type"].value == "float")


def _parsed_arguments(analysis: Analysis) -> list[tuple[str, dict[str, cst.BaseExpression]]]:
    """Each ``add_argument`` of a parser whose ``parse_args()`` result is bound to a name, as that name reads it
    (``args.epochs``), with the call's keywords."""
    by_parser: dict[str, dict[str, dict[str, cst.BaseExpression]]] = {}
    for call in analysis.nodes(cst.Call):
        method = call.func
        if not (isinstance(method, cst.Attribute) and isinstance(method.value, cst.Name)
                and method.attr.value == "add_argument"):
            continue
        keywords = {argument.keyword.value: argument.value for argument in call.args if argument.keyword}
        dest = _dest(call, keywords)
        if dest is not None:
            by_parser.setdefault(method.value.value, {})[dest] = keywords
    found = []
    for assign in analysis.nodes(cst.Assign):
        value = assign.value
        if not (len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name)
                and isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
                and isinstance(value.func.value, cst.Name) and value.func.attr.value == "parse_args"):
            continue
        namespace = assign.targets[0].target.value
        found += [(f"{namespace}.{dest}", keywords)
                  for dest, keywords in by_parser.get(value.func.value.value, {}).items()]
    return found


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


def definitions(analysis: Analysis, function: cst.CSTNode) -> tuple[tuple[str, str], ...]:
    """``(("t_max", "cfg.epochs - cfg.warmup"), ...)`` for each name ``function`` binds exactly once, by a plain
    assignment, to an expression the verifier can read (arithmetic over names, attributes, numbers and
    ``READING_CALLS``). A name bound anywhere else in the function (a loop target, a parameter, a second assignment)
    is no definition. Every function's are found in one pass over the module, the first time one is asked for."""
    return analysis.program.definitions.get(function, ())


def all_definitions(analysis: Analysis) -> dict[cst.CSTNode, tuple[tuple[str, str], ...]]:
    """Each function's definitions (see ``definitions``), by function."""
    found: dict[cst.CSTNode, dict[str, str]] = {}
    for assign in analysis.nodes(cst.Assign):
        if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
            continue
        name = assign.targets[0].target
        scope = analysis.scopes.get(name)
        if scope is None or len(list(scope[name.value])) != 1:
            continue
        text = analysis.code(assign.value)
        try:
            evaluate.unknowns(text, {})
        except evaluate.NotEvaluable:
            continue
        if any(not _reads_only(analysis, call) for call in calls_in(assign.value)):
            continue
        found.setdefault(analysis.program.function_of(assign), {})[name.value] = text
    return {function: tuple(sorted(names.items())) for function, names in found.items()}


def _reads_only(analysis: Analysis, call: cst.Call) -> bool:
    return bool(analysis.names_of(call.func) & READING_CALLS)
