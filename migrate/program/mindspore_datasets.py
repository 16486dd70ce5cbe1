"""MindSpore datasets in a training program: a pass over ``dataset`` (or its iterators) is
``dataset.get_dataset_size()`` batches, whatever name the size is bound to."""

from __future__ import annotations

import libcst as cst

from migrate.analysis import Analysis

DATASET_ITERATORS = ("create_dict_iterator", "create_tuple_iterator")


class DatasetSizes(cst.CSTVisitor):
    """The ``dataset.get_dataset_size()`` calls in an expression, as text."""

    def __init__(self, analysis: Analysis):
        self.analysis = analysis
        self.found: list[str] = []

    def visit_Call(self, node: cst.Call) -> None:
        if dataset_size_of(self.analysis, node) is not None:
            self.found.append(self.analysis.code(node))


def dataset_size_of(analysis: Analysis, node: cst.BaseExpression) -> str | None:
    """``dataset`` for ``dataset.get_dataset_size()``."""
    if (isinstance(node, cst.Call) and not node.args and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "get_dataset_size"):
        return analysis.code(node.func.value)
    return None


def unenumerated(analysis: Analysis, iterable: cst.BaseExpression) -> cst.BaseExpression:
    """``x`` for ``enumerate(x)`` or ``tqdm(x)``, which have as many iterations; else ``iterable`` itself."""
    return analysis.unwrapped(iterable)


def iterates(analysis: Analysis, iterable: cst.BaseExpression, dataset: str) -> bool:
    """True for ``dataset``, ``dataset.create_dict_iterator(...)`` and ``dataset.create_tuple_iterator(...)``, and
    for a name bound once to such an iterator (each pass over it is one epoch of the dataset)."""
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Attribute):
        return iterable.func.attr.value in DATASET_ITERATORS and analysis.code(iterable.func.value) == dataset
    if isinstance(iterable, cst.Name) and iterable in analysis.scopes:
        assignment = analysis.single_assignment(iterable)
        bound = analysis.assigned_value(assignment) if assignment is not None else None
        if bound is not None and isinstance(bound[1], cst.Call) and iterates(analysis, bound[1], dataset):
            return True
    return isinstance(iterable, (cst.Name, cst.Attribute)) and analysis.code(iterable) == dataset
