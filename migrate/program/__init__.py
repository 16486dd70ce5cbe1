"""A model of the training program in one module, shared by every rule and both directions.

It knows training programs, not any API pair: where an object a call creates is stored (variables, ``self``
attributes, values returned by builder functions, parameters of helpers), every use of it, which module functions
call which, and the chain of calls and loops that leads from one statement to another. Rules ask it questions; it
never imports or runs the code it reads.
"""

from migrate.program.flow import (
    ARGUMENT,
    ATTRIBUTE,
    METHOD,
    NONE_TEST,
    OTHER,
    RETURNED,
    STORED,
    Binding,
    Tracked,
    Use,
)
from migrate.program.model import Program, Route

__all__ = [
    "ARGUMENT",
    "ATTRIBUTE",
    "METHOD",
    "NONE_TEST",
    "OTHER",
    "RETURNED",
    "STORED",
    "Binding",
    "Program",
    "Route",
    "Tracked",
    "Use",
]
