"""A list sliced at a whole epoch, ``lr[start_epoch * step_per_epoch:]``: a resume, which torch writes as its
scheduler's ``last_epoch``. ``ListResume`` is the part of ``ListSite`` that finds and checks it."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrate.bridge.list_delivery import Delivery
from migrate.bridge.list_texts import same_expression, slice_text, written_into, written_into_refusal
from migrate.rule import Refused


@dataclass(frozen=True)
class Resume:
    """``list[start:]`` with ``start`` a whole number of epochs of the list's step_per_epoch: training restarts at
    ``epoch`` (source text, read where the optimizer is built), ``expression`` the node that text comes from, so its
    names can be checked on the way there (None for a number the rule computed)."""

    subscript: cst.Subscript
    epoch: str
    expression: cst.BaseExpression | None


class ListResume:
    """The part of ``ListSite`` that reads and checks the resume slice on the list's way to its optimizer."""

    def _resume_slice(self, subscript: cst.Subscript) -> bool:
        """Whether ``subscript`` is ``list[start:]``, a resume, followed on to the optimizer (its start is checked
        against step_per_epoch once the arguments are read); False for an element read; any other slice is refused
        here, at its line."""
        elements = subscript.slice
        if not any(isinstance(element.slice, cst.Slice) for element in elements):
            return False
        if written_into(self.analysis, subscript):
            raise Refused("MIG107", written_into_refusal(self.analysis, subscript, self.pair.scheduler_name),
                          subscript)
        text, line = slice_text(self.analysis, subscript), self.analysis.line(subscript)
        part = elements[0].slice
        if len(elements) != 1 or part.lower is None or part.upper is not None or part.step is not None:
            raise Refused("MIG117", f"{text} at line {line} takes another part of the list than its tail from a "
                                   "start step: only `list[start:]`, a resume at an epoch boundary, has a "
                                   f"{self.pair.scheduler_name} equivalent", subscript)
        if self.warmup is not None:
            raise Refused("MIG117", f"{text} at line {line} slices the warmup and the {self.pair.kind} together: a "
                                   "SequentialLR is not resumed here", subscript)
        if self.resume_slice is not None and self.resume_slice is not subscript:
            raise Refused("MIG117", f"{text} at line {line} slices the list already sliced at line "
                                   f"{self.analysis.line(self.resume_slice)}", subscript)
        self.resume_slice = subscript
        return True

    def _resume(self, arguments: dict[str, cst.BaseExpression]) -> Resume | None:
        """The epoch ``list[start:]`` resumes at: ``start`` spelled ``epochs * step_per_epoch`` (directly or through
        a name bound once), or numbers whose quotient is whole. None for a start at step 0 (nothing skipped);
        MIG117 at the slice when the start is not visibly at an epoch boundary, where torch cannot resume."""
        subscript = self.resume_slice
        start = subscript.slice[0].slice.lower
        every = arguments["step_per_epoch"]
        epoch = next(filter(None, (self._epochs_in(candidate, every) for candidate in (start, *self._alias(start)))),
                     None)
        values = self.value_of(start), self.value_of(every)
        if epoch is None and type(values[0]) is int and values[0] == 0:
            return None
        if epoch is None and all(type(value) is int and value > 0 for value in values) and not values[0] % values[1]:
            epoch = Resume(subscript, str(values[0] // values[1]), None)
        if epoch is not None:
            return epoch
        why = (f"{values[0]} is not a whole number of epochs of step_per_epoch={values[1]}"
               if all(type(value) is int for value in values) else
               f"`{self.analysis.code(start)}` is not visibly a whole number of epochs times "
               f"step_per_epoch={self.analysis.code(every)}")
        raise Refused("MIG117", f"{slice_text(self.analysis, subscript)} at line {self.analysis.line(subscript)} "
                               f"resumes the list at optimizer step {self.analysis.code(start)}, and {why}: torch "
                               f"resumes a {self.pair.scheduler_name} (last_epoch) only at an epoch boundary, so the "
                               "list cannot be written as one; slice at `start_epoch * step_per_epoch`", subscript)

    def _epochs_in(self, start: cst.BaseExpression, every: cst.BaseExpression) -> Resume | None:
        """``epochs`` for ``start`` spelled ``epochs * every`` (either order)."""
        if isinstance(start, cst.BinaryOperation) and isinstance(start.operator, cst.Multiply):
            for factor, epochs in ((start.right, start.left), (start.left, start.right)):
                if self._is_step_per_epoch(factor, every):
                    return Resume(self.resume_slice, self.analysis.code(epochs), epochs)
        return None

    def _is_step_per_epoch(self, factor: cst.BaseExpression, every: cst.BaseExpression) -> bool:
        """The same expression as step_per_epoch, or one bound once to the other (``steps = len(loader)``)."""
        spellings = [self.analysis.code(node) for node in (every, *self._alias(every))]
        return any(same_expression(self.analysis.code(node), spelling)
                   for node in (factor, *self._alias(factor)) for spelling in spellings)

    def _resumable(self, resume: Resume, delivery: Delivery, others: list[Delivery]) -> None:
        """A resume converts for a list that only feeds one optimizer: the start epoch moves to the optimizer's
        line unchanged (MIG105 otherwise), no element of the full list is read (it is not the optimizer's lr), and no
        warmup is summed after the slice."""
        where = f"{slice_text(self.analysis, resume.subscript)} at line {self.analysis.line(resume.subscript)}"
        if not self.pair.resumes:
            raise Refused("MIG117", f"{where} resumes the list, and the rule resumes no {self.pair.scheduler_name}: "
                                   "it does not write the lr the optimizer restarts from", resume.subscript)
        if others or self.step_reads or self.warmup is not None:
            why = ("the list also feeds another optimizer" if others else
                   f"`{self.analysis.code(self.step_reads[0])}` reads the list before the slice" if self.step_reads
                   else "a warmup list is added after the slice")
            raise Refused("MIG117", f"{where} resumes the list, and {why}: the rule resumes a "
                                   f"{self.pair.scheduler_name} only for a list sliced on its way to one optimizer",
                          resume.subscript)
        if resume.expression is not None:
            self._check_moves(delivery, [resume.expression], since=resume.expression)

    def _read_only_by_the_slice(self, resume: Resume) -> list[cst.SimpleStatementLine]:
        """The line binding the slice's start (``start_step = start_epoch * steps``) when the slice, which goes, is
        its only reader: it would be left unused."""
        start = resume.subscript.slice[0].slice.lower
        assignment = self.analysis.single_assignment(start) if isinstance(start, cst.Name) else None
        bound = self.analysis.assigned_value(assignment) if assignment is not None else None
        if bound is None or not (isinstance(bound[0], cst.SimpleStatementLine) and len(bound[0].body) == 1):
            return []
        if any(access.node is not start for access in assignment.references):
            return []
        return [bound[0]]

    def _resume_description(self, resume: Resume, last_epoch: str, skipped: str, direct: bool) -> str:
        verified = ("verified on the resumed run: the sliced list against torch resuming from the optimizer's lr "
                    "as written" if direct else f"verified over that run, the {skipped} optimizer steps the slice "
                    "skips included")
        return (f"; resumed at epoch {resume.epoch}, where {slice_text(self.analysis, resume.subscript)} (line "
                f"{self.analysis.line(resume.subscript)}) starts: the optimizer starts at the {self.pair.kind}'s lr "
                f"of that epoch, each param group's initial_lr is {self.pair.base_lr}, and "
                f"{self.pair.scheduler_name}(last_epoch={last_epoch}) continues as the uninterrupted run does "
                f"({verified})")
