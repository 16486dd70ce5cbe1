"""Builder functions: an object created in a function that returns it, in a tuple, to its one caller.

``optimizer, scheduler = build_optimizer(model, lr, epochs)`` is how much real training code is laid out. A rewrite
that replaces the returned object by something computed inside the builder needs values only the caller knows (how
many batches an epoch has); they come in as new parameters, given at the one call. Values the caller already passes
(``epochs``) are read through the builder's own parameters, so relations between them stay visible to the verifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from migrate.analysis import names_in
from migrate.program.model import Program, bound_names, calls_in, own_returns


@dataclass
class Builder:
    """``function`` returns the object at ``index`` of the tuple it returns (``returned``) to its one ``call``,
    whose line ``call_line`` unpacks it (``index`` None: the object is returned alone, and ``consumed`` is the
    parameter through which the builder received what it was built from); ``added`` are the parameters a rewrite
    adds, with the caller's value."""

    function: cst.FunctionDef
    returned: cst.Return
    index: int | None
    call: cst.Call
    call_line: cst.SimpleStatementLine
    added: dict[str, str] = field(default_factory=dict)
    consumed: cst.Param | None = None
    returns: tuple[cst.Return, ...] = ()


def builder_of(program: Program, creation_line: cst.CSTNode, caller_line: cst.CSTNode) -> Builder | None:
    """The builder that creates its object at ``creation_line`` and hands it to ``caller_line``, or None."""
    analysis = program.analysis
    function = program.function_of(creation_line)
    if not isinstance(function, cst.FunctionDef) or program.class_of(function) is not None:
        return None
    calls = program.call_sites(function)
    if len(calls) != 1 or not isinstance(caller_line, cst.SimpleStatementLine) or len(caller_line.body) != 1:
        return None
    assign = caller_line.body[0]
    if not isinstance(assign, cst.Assign) or assign.value is not calls[0] or len(assign.targets) != 1:
        return None
    returns = own_returns(function.body)
    if len(returns) != 1 or not isinstance(returns[0].value, cst.Tuple):
        return None
    target = assign.targets[0].target
    elements = returns[0].value.elements
    if not isinstance(target, (cst.Tuple, cst.List)) or len(target.elements) != len(elements):
        return None
    if any(isinstance(element, cst.StarredElement) for element in (*elements, *target.elements)):
        return None
    if any(argument.star for argument in calls[0].args) or function.params.star_kwarg is not None:
        return None
    created = creation_line.body[0].targets[0].target
    index = next((position for position, element in enumerate(elements)
                  if isinstance(element.value, cst.Name) and isinstance(created, cst.Name)
                  and element.value.value == created.value), None)
    if index is None or analysis.statement(returns[0]) is not function.body.body[-1]:
        return None
    return Builder(function, returns[0], index, calls[0], caller_line)


def returning_builder_of(program: Program, returned: cst.Return, caller_line: cst.CSTNode,
                         consumed: cst.BaseExpression, absorbed: tuple[cst.CSTNode, ...] = ()) -> Builder | None:
    """``def make_scheduler(optimizer, ...): ...; return CosineAnnealingLR(optimizer, ...)`` called once as
    ``scheduler = make_scheduler(optimizer, ...)``: the builder returns the object alone, made from its parameter
    ``consumed`` and used for nothing else. The builder's other statements make no calls, so its call can move
    earlier (before what that parameter receives is built) without reordering effects. ``absorbed`` are lines of
    the builder the rewrite removes with the return (a chain's member schedulers): they may call and use
    ``consumed``."""
    analysis = program.analysis
    function = program.function_of(returned)
    if not isinstance(function, cst.FunctionDef) or program.class_of(function) is not None:
        return None
    calls = program.call_sites(function)
    if len(calls) != 1 or not isinstance(caller_line, cst.SimpleStatementLine) or len(caller_line.body) != 1:
        return None
    assign = caller_line.body[0]
    if (not isinstance(assign, cst.Assign) or assign.value is not calls[0] or len(assign.targets) != 1
            or not isinstance(assign.targets[0].target, cst.Name)):
        return None
    returns = own_returns(function.body)
    if not _returns_at_the_end(analysis, function, returns) or returned not in returns:
        return None
    if any(argument.star for argument in calls[0].args) or function.params.star_kwarg is not None \
            or function.params.star_arg not in (cst.MaybeSentinel.DEFAULT, None) and \
            not isinstance(function.params.star_arg, cst.ParamStar):
        return None
    parameter = next((param for param in (*function.params.params, *function.params.kwonly_params)
                      if isinstance(consumed, cst.Name) and param.name.value == consumed.value), None)
    if parameter is None or _argument_of(program, calls[0], parameter) is None:
        return None
    uses = [node for node in names_in(function.body) if node.value == parameter.name.value
            and analysis.statement(node) not in absorbed]
    if len(uses) != len(returns) or consumed not in uses or any(
            not any(analysis.parents.get(analysis.parents.get(use)) is returned_call.value
                    for returned_call in returns) for use in uses):
        return None
    if any(calls_in(statement) for statement in _effects(analysis, function, returns) if statement not in absorbed):
        return None
    return Builder(function, returned, None, calls[0], caller_line, consumed=parameter, returns=tuple(returns))


def _returns_at_the_end(analysis, function: cst.FunctionDef, returns: list[cst.Return]) -> bool:
    """Every return ends the function: the last statement, or the last statement of a branch of a final
    ``if``/``elif``/``else`` chain whose every branch returns or raises, or that a final return or raise follows (so
    no path falls through to None)."""
    if not returns:
        return False
    last = function.body.body[-1]
    terminal = _block_end(function.body)
    ends = [terminal] if terminal is not None else []
    chain = last if isinstance(last, cst.If) else None
    if chain is None and len(function.body.body) > 1 and isinstance(function.body.body[-2], cst.If) and ends:
        chain = function.body.body[-2]
    final_return = bool(ends)
    node, has_else, falls = chain, False, False
    while isinstance(node, cst.If):
        end = _block_end(node.body)
        falls = falls or end is None
        ends.extend([end] if end is not None else [])
        node = node.orelse
    if isinstance(node, cst.Else):
        end = _block_end(node.body)
        falls = falls or end is None
        ends.extend([end] if end is not None else [])
        has_else = True
    exhaustive = final_return or (chain is not None and has_else and not falls)
    ends = [end for end in ends if isinstance(end, cst.Return)]
    return exhaustive and sorted(map(id, ends)) == sorted(map(id, returns))


def _block_end(block: cst.BaseSuite) -> cst.CSTNode | None:
    """The block's closing return or raise; None for a block that falls through."""
    statements = getattr(block, "body", [])
    last = statements[-1] if statements else None
    if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], (cst.Return, cst.Raise)):
        return last.body[-1]
    return None


def _effects(analysis, function: cst.FunctionDef, returns: list[cst.Return]) -> list[cst.CSTNode]:
    """What the builder runs besides its returns and raises: its other statements and the tests of its ``if``."""
    found = []
    ending = {analysis.statement(returned) for returned in returns}
    for statement in function.body.body:
        if statement in ending or _raises(statement):
            continue
        if isinstance(statement, cst.If):
            node = statement
            while isinstance(node, cst.If):
                found.append(node.test)
                found.extend(line for line in node.body.body if line not in ending and not _raises(line))
                node = node.orelse
            if isinstance(node, cst.Else):
                found.extend(line for line in node.body.body if line not in ending and not _raises(line))
            continue
        found.append(statement)
    return found


def _raises(line: cst.CSTNode) -> bool:
    return isinstance(line, cst.SimpleStatementLine) and isinstance(line.body[-1], cst.Raise)


def in_builder_terms(program: Program, builder: Builder, text: str, name: str) -> str:
    """``text``, written in the caller, as the builder reads it: names the caller passes become the parameters
    that receive them, values added before are their parameters; anything else the builder cannot see becomes a
    new parameter named after ``name``."""
    passed = {program.analysis.code(argument.value): parameter.value
              for argument in builder.call.args
              if (parameter := program.parameter_for(builder.call, argument)) is not None
              and _stable(argument.value)}
    known = {value: parameter for parameter, value in builder.added.items()}
    replaced = cst.parse_expression(text).visit(_Known({**passed, **known}))
    translated = cst.Module(body=[]).code_for_node(replaced)
    caller = program.function_of(builder.call)
    own = bound_names(builder.function)
    parameters = {parameter.name.value for parameter in (*builder.function.params.params,
                                                         *builder.function.params.kwonly_params)}
    outside = bound_names(caller) if isinstance(caller, cst.FunctionDef) else set()
    if all(node.value in parameters or (node.value not in own and node.value not in outside)
           for node in names_in(replaced)):
        return translated
    parameter = program.analysis.fresh_name(name)
    builder.added[parameter] = text
    return parameter


def _stable(value: cst.BaseExpression) -> bool:
    """A name, an attribute or ``len()`` of one: an argument the caller's loops read the same value of, so a
    count written in the caller may read the parameter that receives it."""
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "len" \
            and len(value.args) == 1 and not value.args[0].star:
        value = value.args[0].value
    return isinstance(value, (cst.Name, cst.Attribute))


def builder_edits(program: Program, builder: Builder) -> dict[cst.CSTNode, object]:
    """The builder's new parameters, its return without the object, and the call that gives the new values and
    no longer unpacks the object."""
    analysis = program.analysis
    elements = list(builder.returned.value.elements)
    kept = _without(elements, builder.index)
    value = kept[0].value if len(kept) == 1 else builder.returned.value.with_changes(elements=kept)
    returned_line = analysis.statement(builder.returned)
    assign = builder.call_line.body[0]
    targets = _without(list(assign.targets[0].target.elements), builder.index)
    target = targets[0].value if len(targets) == 1 else assign.targets[0].target.with_changes(elements=targets)
    arguments = [*builder.call.args]
    if arguments and arguments[-1].comma is cst.MaybeSentinel.DEFAULT and builder.added:
        arguments[-1] = arguments[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    added = list(builder.added.items())
    for position, (parameter, caller_value) in enumerate(added):
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if position < len(added) - 1 \
            else cst.MaybeSentinel.DEFAULT
        arguments.append(cst.Arg(cst.parse_expression(caller_value), keyword=cst.Name(parameter),
                                 equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
                                 comma=comma))
    call = builder.call.with_changes(args=arguments)
    line = builder.call_line.with_changes(body=[assign.with_changes(
        targets=[assign.targets[0].with_changes(target=target)], value=call)])
    return {
        builder.function.params: _with_parameters(builder.function.params, [name for name, _ in added]),
        returned_line: [returned_line.with_changes(body=[builder.returned.with_changes(value=value)])],
        builder.call_line: [line],
    }


def returning_builder_edits(program: Program, builder: Builder, returned_statements: list,
                            result: str) -> dict[cst.CSTNode, object]:
    """A returning builder rewritten to build and return what replaces its object: its consumed parameter gone,
    the new ones added, its return line replaced by ``returned_statements``; and the new call, binding ``result``,
    as a line (the caller places it)."""
    analysis = program.analysis
    params = builder.function.params
    kept = [param for param in params.params if param is not builder.consumed]
    kept_keywords = [param for param in params.kwonly_params if param is not builder.consumed]
    trimmed = params.with_changes(params=_commas(kept, last=True), kwonly_params=_commas(kept_keywords, last=True))
    if not trimmed.kwonly_params and isinstance(trimmed.star_arg, cst.ParamStar):
        trimmed = trimmed.with_changes(star_arg=cst.MaybeSentinel.DEFAULT)
    argument = _argument_of(program, builder.call, builder.consumed)
    arguments = [arg for arg in builder.call.args if arg is not argument]
    if arguments:
        arguments[-1] = arguments[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    added = list(builder.added.items())
    for position, (parameter, caller_value) in enumerate(added):
        if arguments or position:
            arguments[-1] = arguments[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        arguments.append(cst.Arg(cst.parse_expression(caller_value), keyword=cst.Name(parameter),
                                 equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
    assign = builder.call_line.body[0]
    line = builder.call_line.with_changes(body=[assign.with_changes(
        targets=[assign.targets[0].with_changes(target=cst.Name(result))],
        value=builder.call.with_changes(args=arguments))], leading_lines=())
    return {
        params: _with_parameters(trimmed, [name for name, _ in added]),
        analysis.statement(builder.returned): returned_statements,
        builder.call_line: [],
        "call": line,
    }


def _argument_of(program: Program, call: cst.Call, parameter: cst.Param) -> cst.Arg | None:
    """The argument of ``call`` that ``parameter`` receives."""
    return next((argument for argument in call.args
                 if (received := program.parameter_for(call, argument)) is not None
                 and received.value == parameter.name.value), None)


def _with_parameters(parameters: cst.Parameters, names: list[str]) -> cst.Parameters:
    """New parameters without defaults: positional at the end when that is valid, else keyword-only."""
    if not names:
        return parameters
    new = [cst.Param(cst.Name(name)) for name in names]
    plain = (parameters.star_arg is cst.MaybeSentinel.DEFAULT and not parameters.kwonly_params
             and all(parameter.default is None for parameter in parameters.params))
    if plain:
        return parameters.with_changes(params=[*_commas(parameters.params), *_commas(new, last=True)])
    star = parameters.star_arg if parameters.star_arg is not cst.MaybeSentinel.DEFAULT else cst.ParamStar()
    return parameters.with_changes(star_arg=star, kwonly_params=[*_commas(parameters.kwonly_params),
                                                                 *_commas(new, last=True)])


def _commas(parameters, last: bool = False) -> list[cst.Param]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    result = [parameter.with_changes(comma=comma) for parameter in parameters]
    if last and result:
        result[-1] = result[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return result


def _without(elements: list, index: int) -> list:
    kept = [element for position, element in enumerate(elements) if position != index]
    if kept and index == len(elements) - 1:
        kept[-1] = kept[-1].with_changes(comma=elements[-1].comma)
    return kept


class _Known(cst.CSTTransformer):
    """Replaces each subexpression whose code is a key by the name it maps to."""

    def __init__(self, names: dict[str, str]):
        super().__init__()
        self.names = names

    def on_leave(self, original, updated):
        if isinstance(original, cst.BaseExpression):
            name = self.names.get(cst.Module(body=[]).code_for_node(original))
            if name is not None:
                return cst.Name(name)
        if isinstance(updated, cst.Attribute):
            return updated.with_changes(attr=original.attr)
        return updated
