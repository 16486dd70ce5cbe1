"""Diagnostic codes by concern, shared by every rule and both directions.

A concern (the cadence is not visible, the optimizer is not found, the run passes the schedule's horizon) has one
code whatever the API pair, so ``ignore = ["MIG106"]`` or ``# noqa: MIG106`` means the same thing for every rule.
A rule documents, for each concern it raises, its own example, fix and safety (``migrate explain`` shows them all);
the name, severity and summary are the concern's. The codes of the first releases, one set per rule, still work
in configuration and ``noqa`` comments through ``REDIRECTS``, as ruff's redirected rules do.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concern:
    code: str
    name: str
    severity: str
    summary: str


CONCERNS = {concern.code: concern for concern in (
    Concern("MIG100", "rewritten", "info", "A schedule was rewritten into the other framework's form."),
    Concern("MIG101", "past-the-horizon", "warning",
            "The run passes the schedule's horizon, where the two frameworks' schedules part."),
    Concern("MIG102", "run-length-unknown", "warning",
            "The run's length is not visible, so it can outlast what the rewrite builds."),
    Concern("MIG103", "optimizer-not-converted", "warning", "The optimizer has no counterpart the rule writes."),
    Concern("MIG104", "optimizer-semantics-differ", "warning",
            "The rewritten optimizer computes differently from the original, whatever the schedule."),
    Concern("MIG105", "unsupported-arguments", "warning",
            "An argument has no exact counterpart or cannot be read; the site is left unchanged."),
    Concern("MIG106", "cadence-not-visible", "warning",
            "How often the schedule steps is not visible; the site is left unchanged."),
    Concern("MIG107", "schedule-used-otherwise", "warning",
            "The schedule object has a use its counterpart cannot stand in for; the site is left unchanged."),
    Concern("MIG108", "indirect-reference", "warning",
            "The API is reached indirectly (star import, getattr, used as a value); reported as it is."),
    Concern("MIG109", "optimizer-not-found", "warning",
            "The optimizer the schedule drives is not one visible construction; the site is left unchanged."),
    Concern("MIG110", "optimizer-lr-state-used", "warning",
            "The code reads or writes the optimizer's lr state, which a schedule list cannot follow."),
    Concern("MIG111", "lr-read-rewritten", "info", "A read of the current lr was rewritten."),
    Concern("MIG112", "left-to-port", "info",
            "A line still uses the source framework's optimizer API and is left to port."),
    Concern("MIG113", "scheduler-state-dropped", "warning", "The scheduler's saved state was dropped."),
    Concern("MIG114", "exact-past-the-horizon", "info",
            "The run passes the horizon, and the rewrite is the exact form that follows the original there."),
    Concern("MIG115", "framework-stepped", "warning", "A training framework steps the schedule."),
    Concern("MIG116", "step-by-hand", "warning",
            "Where the new scheduler steps is not visible: the fix says where to step it by hand."),
    Concern("MIG117", "sliced-list", "warning", "The schedule list is sliced where the other framework cannot resume."),
    Concern("MIG118", "combined-list", "warning",
            "The list is combined with another (a warmup, param groups) in a way the rule does not convert."),
    Concern("MIG119", "no-list-form", "warning",
            "A scheduler no rule converts (it follows a metric, or has no rule yet); the site is left unchanged."),
)}

#: The per-rule codes of earlier releases, by the concern each became.
REDIRECTS = {
    "CA100": "MIG100", "CD100": "MIG100", "CA101": "MIG101", "CD101": "MIG101", "CA102": "MIG102",
    "CD112": "MIG102", "CA103": "MIG103", "CD103": "MIG103", "CA104": "MIG104", "CD104": "MIG104",
    "CA105": "MIG105", "CD105": "MIG105", "CA106": "MIG106", "CD106": "MIG106", "CA107": "MIG107",
    "CD107": "MIG107", "CA108": "MIG108", "CD110": "MIG108", "CA109": "MIG109", "CD111": "MIG109",
    "CA110": "MIG110", "CA111": "MIG111", "CA112": "MIG112", "CD113": "MIG112", "CA113": "MIG113",
    "CA114": "MIG114", "CD114": "MIG114", "CA115": "MIG115", "CD102": "MIG116", "CD108": "MIG117",
    "CD109": "MIG118",
}
#: Prefixes of earlier releases: a rule's family selected all its codes.
PREFIX_REDIRECTS = {"CA": "MIG1", "CD": "MIG1", "CA1": "MIG1", "CD1": "MIG1"}


def redirected(code: str) -> str:
    """A code or prefix given in configuration or a ``noqa`` comment, as today's code or prefix."""
    upper = code.upper()
    return REDIRECTS.get(upper) or PREFIX_REDIRECTS.get(upper) or code
