"""Small edits of call arguments that keep the user's layout and comments; shared by every rule."""

from __future__ import annotations

import libcst as cst

EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
SPACED_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def keyword_argument(argument: cst.Arg, keyword: str, value: cst.BaseExpression) -> cst.Arg:
    """``argument`` passed by keyword ``keyword`` with ``value``, keeping its comma and layout."""
    equal = argument.equal if argument.keyword is not None else EQUAL
    return argument.with_changes(keyword=cst.Name(keyword), equal=equal, value=value)


def joined_arguments(arguments: list[cst.Arg], added: list[cst.Arg], last_comma) -> list[cst.Arg]:
    """Arguments with commas between them; appended ones take the layout (not the comments) of those before."""
    everything = [*arguments, *added]
    between = layout_of(next((argument.comma for argument in reversed(arguments[:-1])
                               if isinstance(argument.comma, cst.Comma)), SPACED_COMMA))
    joined = []
    for index, argument in enumerate(everything):
        if index == len(everything) - 1:
            joined.append(argument.with_changes(comma=last_comma))
        elif index >= len(arguments) - 1 or not isinstance(argument.comma, cst.Comma):
            joined.append(argument.with_changes(comma=between))
        else:
            joined.append(argument)
    return joined


def layout_of(comma: cst.Comma) -> cst.Comma:
    """``comma`` without the comment it may carry, so copying it does not copy the comment."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return comma.with_changes(whitespace_after=after)


def without(items: tuple, dropped: set) -> list:
    """Arguments or parameters with those in ``dropped`` removed; the last one kept takes the last one's comma, so
    no trailing comma appears where there was none."""
    kept = [item for item in items if item not in dropped]
    if kept and items and items[-1] in dropped:
        kept[-1] = kept[-1].with_changes(comma=items[-1].comma)
    return kept


def without_parameters(parameters: cst.Parameters, dropped: set) -> cst.Parameters:
    """``parameters`` with the ``cst.Param`` nodes in ``dropped`` removed, wherever they are declared; a bare ``*``
    left with no keyword-only parameter after it goes too."""
    kwonly = without(parameters.kwonly_params, dropped)
    star = parameters.star_arg
    if not kwonly and isinstance(star, cst.ParamStar):
        star = cst.MaybeSentinel.DEFAULT
    params = without(parameters.params, dropped)
    if star is not parameters.star_arg and params and parameters.kwonly_params:
        params[-1] = params[-1].with_changes(comma=parameters.kwonly_params[-1].comma)
    return parameters.with_changes(params=params, kwonly_params=kwonly, star_arg=star,
                                   posonly_params=without(parameters.posonly_params, dropped))
