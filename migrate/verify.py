"""The numeric verifier: checks what a rule claims about a rewrite against the schedule models.

A rule states a *claim*: the schedule the original program's optimizer used (``source``), the one the rewritten
program's optimizer uses (``target``), the length of the training run in optimizer steps when the code shows it,
and for how many leading optimizer steps the two agree (``None``: for the whole run). The verifier computes both
schedules for every sampled value of what the code leaves unknown and returns a verdict. A claim the models
contradict — the schedules part earlier than the rule said — is the one outcome that withholds a rewrite.
"""

from __future__ import annotations

import ast
import itertools
import math
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from migrate import evaluate
from migrate.schedules import REQUIRED, floats_form, model

#: Values tried for an unknown, by the domain of the first parameter it feeds. Learning rates stay above every
#: sampled ``min_lr``: MindSpore's ``min_lr < max_lr`` precondition is a rule's documented assumption. Factors
#: (a decay ``gamma``, LinearLR's ``start_factor``) lie in (0, 1), where torch's and MindSpore's checks accept them;
#: powers are positive floats, as MindSpore's ``power`` must be; a flag is a bool the code leaves to a variable.
SAMPLES: Mapping[str, tuple] = {
    "count": (1, 2, 3, 5, 10, 17, 100),
    "offset": (0, 1, 3),
    "lr": (0.1, 0.001, 1.0),
    "min_lr": (0.0, 1e-06),
    "factor": (0.1, 0.5, 0.9),
    "power": (1.0, 2.0, 0.5),
    "flag": (False, True),
}
#: The domains of real numbers, which a count or offset parameter reading the same unknown overrides.
_REAL_DOMAINS = frozenset({"lr", "min_lr", "factor", "power"})
_WHOLE_DOMAINS = frozenset({"count", "offset"})
#: Domains of a list argument, with the domain of its elements. The code must spell the list out (``[30, 60]``):
#: each element is an expression, its unknowns sampled by the element domain; a list held in a variable is not
#: verifiable (its length is unknown), never sampled as a number.
LIST_DOMAINS: Mapping[str, str] = {"milestones": "count", "lr_list": "lr"}
#: The domain of a function of the epoch (LambdaLR's ``lr_lambda``). The verifier never runs the user's code: only
#: a ``lambda`` of one argument spelled out in the argument, whose body the evaluator reads (numbers, arithmetic,
#: the module's constants and the lambda's own argument), is computed; anything else is not verifiable.
FUNCTION_DOMAIN = "function"
#: The domain of a name a lambda reads besides its argument, unless another parameter gives it one first: lambdas of
#: the epoch divide by or compare with epoch counts (``1 - epoch / args.epochs``).
LAMBDA_UNKNOWN_DOMAIN = "count"
MAX_SAMPLES = 256
MAX_STEPS = 2_000_000
#: A claim whose samples add up to at most this many optimizer steps is computed with Python floats when both of
#: its models have that form (``migrate.schedules.floats_form``): importing NumPy costs more than such a claim.
PYTHON_STEPS = 20_000
#: Arguments the Python floats form takes: where no float operation of the models can overflow, underflow or be
#: invalid (which NumPy reports as FloatingPointError, making a sample invalid) and where ``math.cos`` and
#: ``np.cos`` agree. Beyond them the claim is computed with NumPy.
PYTHON_FLOATS = (1e-100, 1e100)
PYTHON_INTS = 2**53
RTOL = 1e-9
ATOL_SCALE = 1e-12

EQUIVALENT = "equivalent"
DIVERGES = "diverges"
BOUNDED = "bounded"
NOT_VERIFIABLE = "not-verifiable"
CONTRADICTED = "contradicted"


@dataclass(frozen=True)
class Schedule:
    """A schedule API applied to arguments given as source expressions."""

    model: str
    args: Mapping[str, str]


@dataclass(frozen=True)
class Claim:
    """The source schedule and its rewrite agree over ``run_steps`` optimizer steps (or, when the run is not
    visible, ``agrees_for``). ``positive`` are expressions the rule assumes above zero and says so (MindSpore's
    preconditions, such as ``max_lr - min_lr``): a sample where one is not is no run of the rewritten program.
    ``stated`` are values the program states for unknowns (an argparse ``default=``): sampled besides the domain's
    values, since the program runs with them unless told otherwise, and never taken as the only value.
    ``definitions`` are names the program binds once to an expression (``t_max = cfg.epochs``): the verifier reads
    each as its expression, so a derived quantity is never sampled apart from what it derives from."""

    source: Schedule
    target: Schedule
    run_steps: str | None = None
    agrees_for: str | None = None
    positive: tuple[str, ...] = ()
    stated: tuple[tuple[str, object], ...] = ()
    definitions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    kind: str
    detail: str
    first_difference: int | None = None
    max_deviation: float | None = None
    samples: int = 0

    @property
    def withholds(self) -> bool:
        return self.kind == CONTRADICTED

    @property
    def changes_behaviour(self) -> bool:
        return self.kind in (DIVERGES, BOUNDED)

    def text(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


@dataclass
class _Outcome:
    values: dict
    steps: int
    agree: int
    claimed: int
    deviation: float
    raises: str | None = None


#: How many of a claim's largest whole-number literals give probe values (see ``_Plan.samples``).
MAX_PROBED_LITERALS = 4


@dataclass
class _Plan:
    unknowns: dict[str, str] = field(default_factory=dict)
    literals: set[int] = field(default_factory=set)

    def add(self, text: str, domain: str, constants, parameter: bool = True) -> None:
        """The unknowns of ``text``, read by a parameter of ``domain`` (or, with ``parameter`` False, by the run's
        length or a positive assumption, which only default to counts)."""
        if domain not in (FUNCTION_DOMAIN, "flag"):
            self.literals.update(node.value for node in ast.walk(evaluate.parse(text))
                                 if isinstance(node, ast.Constant) and type(node.value) is int
                                 and node.value >= max(SAMPLES["count"]) - 1)
        if domain in LIST_DOMAINS:
            for element in _spelled_list(text).elts:
                self.add(ast.unparse(element), LIST_DOMAINS[domain], constants, parameter)
            return
        if domain == FUNCTION_DOMAIN:
            argument, body = _spelled_lambda(text)
            scope = {name: value for name, value in constants.items() if name != argument}
            for name in evaluate.unknowns(body, scope):
                if name == argument:
                    continue
                leaf = evaluate.parse(name)
                if any(isinstance(node, ast.Call) and not _length_of_a_name(node)
                       or isinstance(node, ast.Name) and node.id == argument for node in ast.walk(leaf)):
                    raise evaluate.NotEvaluable(f"the lambda runs {name}, code the verifier does not run")
                self.unknowns.setdefault(name, LAMBDA_UNKNOWN_DOMAIN)
            return
        if domain == "flag":
            flag = _flag_leaf(text)
            if flag is not None and flag not in constants:
                self.unknowns.setdefault(flag, domain)
            return
        for name in evaluate.unknowns(text, constants):
            if parameter:
                self._note(name, domain)
            else:
                self.unknowns.setdefault(name, domain)

    def _note(self, name: str, domain: str) -> None:
        """An unknown's domain: the first parameter's that reads it, except that a count (or offset) parameter
        reading it makes a real-valued one a count (a loop's ``args.epochs`` is a whole number of epochs, also where it divides a gamma first:
        ``0.5 ** (1 / args.epochs)``). A lambda's other names only default to counts."""
        if name not in self.unknowns or domain in _WHOLE_DOMAINS and self.unknowns[name] in _REAL_DOMAINS:
            self.unknowns[name] = domain

    def samples(self, limit: int, stated: Mapping[str, object] | None = None) -> list[dict]:
        """The grid of sampled values, thinned to ``limit`` points when larger by a fixed pseudo-random choice: an
        even stride through the product aliases with its axes' lengths, so that with five or six unknowns whole
        combinations (a warmup longer than the resume epoch, say) were never drawn. Each unknown's stated value
        comes first on its axis, so the point where all of them hold is the first and always kept."""
        stated = stated or {}
        names = list(self.unknowns)
        axes = [tuple(dict.fromkeys([*([stated[name]] if name in stated else []), *SAMPLES[self.unknowns[name]]]))
                for name in names]
        grid = list(itertools.product(*axes))
        if len(grid) > limit:
            picked = random.Random(len(grid)).sample(range(1, len(grid)), max(limit - 1, 0))
            grid = [grid[0], *(grid[index] for index in sorted(picked))]
        return [dict(zip(names, point)) for point in dict.fromkeys([*grid, *self._probes(names, axes)])]

    def _probes(self, names: list[str], axes: list[tuple]) -> list[tuple]:
        """Counts just past the claim's own large literals (``T_max=200``, a list of ``100 * steps``): the domain
        stops at 100, and a run of ``args.epochs`` epochs crosses such a horizon only above it (a smaller literal
        is crossed by the domain's own values). Each is tried on one
        count at a time, the others at their first value, and kept whatever the thinning."""
        probes = []
        base = tuple(axis[0] for axis in axes)
        for literal in sorted(self.literals)[-MAX_PROBED_LITERALS:]:
            for position, name in enumerate(names):
                if self.unknowns[name] == "count":
                    for value in (literal + 1, literal + 2):
                        probes.append(base[:position] + (value,) + base[position + 1:])
        return probes


def _length_of_a_name(call: ast.Call) -> bool:
    """``len(loader)``, ``len(self.loader)``: a count the verifier samples as it does outside a lambda, where the
    rule has stated what it assumes of it (one pass over the loader has that many batches)."""
    argument = call.args[0] if len(call.args) == 1 and not call.keywords else None
    while isinstance(argument, ast.Attribute):
        argument = argument.value
    return isinstance(call.func, ast.Name) and call.func.id == "len" and isinstance(argument, ast.Name)


def verify(claim: Claim, constants: Mapping[str, object] | None = None, max_samples: int = MAX_SAMPLES) -> Verdict:
    """Compare both schedules of ``claim`` on every sample of its unknowns; an identical claim is computed once."""
    constants = constants or {}
    claim = _defined(claim)
    key = _memo_key(claim, constants, max_samples)
    verdict = _MEMO.get(key)
    if verdict is None:
        verdict = _verify(claim, constants, max_samples)
        if len(_MEMO) >= MEMO_SIZE:
            del _MEMO[next(iter(_MEMO))]
        _MEMO[key] = verdict
    return verdict


#: Verdicts by claim, for a process: a repository's files repeat the same schedules, and the engine verifies a
#: file again when it converts it a second time. Oldest first, so the first entry is dropped when full.
_MEMO: dict[tuple, Verdict] = {}
MEMO_SIZE = 4096
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _defined(claim: Claim) -> Claim:
    """``claim`` with each defined name in its texts replaced by its definition (a lambda's own argument and
    names that shadow a definition are left alone by ``evaluate.substitute``)."""
    if not claim.definitions:
        return claim
    definitions = dict(claim.definitions)

    def expand(text: str | None) -> str | None:
        return evaluate.substitute(text, definitions) if text is not None else None

    def schedule(original: Schedule) -> Schedule:
        return Schedule(original.model, {name: expand(text) for name, text in original.args.items()})

    return replace(claim, source=schedule(claim.source), target=schedule(claim.target),
                   run_steps=expand(claim.run_steps), agrees_for=expand(claim.agrees_for),
                   positive=tuple(expand(text) for text in claim.positive), definitions=())


def _memo_key(claim: Claim, constants: Mapping[str, object], max_samples: int) -> tuple:
    """What the verdict depends on: the claim's texts and the constants they name, by ``repr`` so that ``1``,
    ``1.0`` and ``True`` (equal, but not to MindSpore's type checks) and ``0.0``/``-0.0`` stay apart."""
    texts = [*claim.source.args.values(), *claim.target.args.values(), claim.run_steps or "", claim.agrees_for or "",
             *claim.positive]
    named = sorted({name for text in texts for name in _IDENTIFIER.findall(text) if name in constants})
    return (claim.source.model, tuple(sorted(claim.source.args.items())), claim.target.model,
            tuple(sorted(claim.target.args.items())), claim.run_steps, claim.agrees_for, claim.positive,
            tuple((name, repr(constants[name])) for name in named), claim.stated, max_samples)


def _verify(claim: Claim, constants: Mapping[str, object], max_samples: int) -> Verdict:
    try:
        plan = _plan(claim, constants)
    except (evaluate.NotEvaluable, KeyError) as exc:
        return Verdict(NOT_VERIFIABLE, _reason(exc))
    samples = plan.samples(max_samples, dict(claim.stated))
    if _has_floats_form(claim):
        try:
            return _verdict_of_samples(claim, constants, plan, samples, _PythonFloats())
        except _BeyondPythonFloats:
            pass
    return _verdict_of_samples(claim, constants, plan, samples, None)


def _has_floats_form(claim: Claim) -> bool:
    try:
        return all(floats_form(model(schedule.model)) for schedule in (claim.source, claim.target))
    except KeyError:
        return False


class _BeyondPythonFloats(Exception):
    """The claim is too large for Python floats, or its arguments leave ``PYTHON_FLOATS``: NumPy computes it."""


class _PythonFloats:
    """The budget of a claim computed with Python floats: ``PYTHON_STEPS`` in all, arguments in range."""

    def __init__(self):
        self.steps = 0

    def take(self, steps: int, *arguments: tuple[Schedule, dict]) -> None:
        """Count a sample's steps; raise _BeyondPythonFloats past the budget or for an argument out of range."""
        self.steps += steps
        if self.steps > PYTHON_STEPS or not all(
            _in_python_range(given[parameter.name], parameter.domain)
            for schedule, given in arguments for parameter in model(schedule.model).params
        ):
            raise _BeyondPythonFloats()


def _in_python_range(value, domain: str) -> bool:
    """A count is a whole number (a float count would put ``math.cos`` far from zero, where it is not compared
    with ``np.cos``); other numbers lie in ``PYTHON_FLOATS``."""
    if isinstance(value, bool):
        return domain != "count"
    if isinstance(value, int):
        return abs(value) <= PYTHON_INTS
    if domain == "count":
        return False
    if isinstance(value, float):
        return value == 0.0 or PYTHON_FLOATS[0] <= abs(value) <= PYTHON_FLOATS[1]
    return False


def _verdict_of_samples(claim: Claim, constants, plan: _Plan, samples: list[dict], floats: _PythonFloats | None
                        ) -> Verdict:
    """The verdict over ``samples``, computed with Python floats when ``floats`` is given, else with NumPy."""
    runs: list[_Run] = []
    invalid: list[str] = []
    for values in samples:
        try:
            runs.append(_run(claim, constants, values, floats))
        except _InvalidSample as exc:
            invalid.append(str(exc))
        except (evaluate.NotEvaluable, KeyError) as exc:
            return Verdict(NOT_VERIFIABLE, _reason(exc))
    if not runs:
        why = next((reason for reason in invalid if reason), None)
        if why and not plan.unknowns:
            return Verdict(NOT_VERIFIABLE, f"the schedules cannot be computed: {why}")
        return Verdict(NOT_VERIFIABLE, "no sampled value gives a valid original schedule within the step budget"
                                       + (f" ({why})" if why else ""))
    return _verdict(claim, plan, _compared_floats(runs) if floats else _compared(runs))


def _plan(claim: Claim, constants) -> _Plan:
    """The claim's unknowns with their domains: a lambda's names last, so that a name another parameter also reads
    (the lr a written-out warmup scales) takes that parameter's domain, not the lambda's default."""
    plan = _Plan()
    lambdas = []
    for schedule in (claim.source, claim.target):
        parameters = {parameter.name: parameter for parameter in model(schedule.model).params}
        unknown = set(schedule.args) - set(parameters)
        if unknown:
            raise KeyError(f"{schedule.model} has no parameter {sorted(unknown)[0]!r}")
        for name, parameter in parameters.items():
            if name in schedule.args and parameter.domain == FUNCTION_DOMAIN:
                lambdas.append(schedule.args[name])
            elif name in schedule.args:
                plan.add(schedule.args[name], parameter.domain, constants)
            elif parameter.default is REQUIRED:
                raise KeyError(f"{schedule.model} needs {name!r}")
    for text in lambdas:
        plan.add(text, FUNCTION_DOMAIN, constants)
    for text in (claim.run_steps, claim.agrees_for, *claim.positive):
        if text is not None:
            plan.add(text, "count", constants, parameter=False)
    return plan


def _arguments(schedule: Schedule, constants, values) -> dict:
    arguments = {}
    for parameter in model(schedule.model).params:
        if parameter.name in schedule.args:
            arguments[parameter.name] = _value(schedule.args[parameter.name], parameter.domain, constants, values)
        else:
            arguments[parameter.name] = parameter.default
    return arguments


def _value(text: str, domain: str, constants, values):
    """An argument's value: a number, a list spelled out element by element, a lambda of the epoch, or a flag."""
    if domain in LIST_DOMAINS:
        node = _spelled_list(text)
        items = [_value(ast.unparse(element), LIST_DOMAINS[domain], constants, values) for element in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if domain == FUNCTION_DOMAIN:
        argument, body = _spelled_lambda(text)
        scope = {name: value for name, value in constants.items() if name != argument}
        return lambda epoch: evaluate.evaluate(body, scope, {**values, argument: epoch})
    if domain == "flag":
        flag = _flag_leaf(text)
        value = evaluate.parse(text).value if flag is None else constants[flag] if flag in constants else values[flag]
        if not isinstance(value, bool):
            raise evaluate.NotEvaluable(f"a flag must be True or False, not {value!r}")
        return value
    return evaluate.evaluate(text, constants, values)


def _spelled_list(text: str) -> ast.List | ast.Tuple:
    node = evaluate.parse(text)
    if not isinstance(node, (ast.List, ast.Tuple)):
        raise evaluate.NotEvaluable(f"{text.strip()!r} is not a list the code spells out, so its length is unknown")
    return node


def _spelled_lambda(text: str) -> tuple[str, str]:
    """The argument and body of ``lambda argument: body``; what else the body reads is sampled like any unknown."""
    node = evaluate.parse(text)
    signature = node.args if isinstance(node, ast.Lambda) else None
    if signature is None or len(signature.args) != 1 or (
        signature.posonlyargs or signature.vararg or signature.kwonlyargs or signature.kwarg or signature.defaults
    ):
        raise evaluate.NotEvaluable(f"{text.strip()!r} is code the verifier does not run (only a lambda of the epoch)")
    return signature.args[0].arg, ast.unparse(node.body)


def _flag_leaf(text: str) -> str | None:
    """``None`` for a literal ``True``/``False``; the text of a name or attribute, an unknown sampled both ways
    (the evaluator's module constants hold numbers only, so a module-level flag is one too)."""
    node = evaluate.parse(text)
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return None
    if isinstance(node, (ast.Name, ast.Attribute)):
        return ast.unparse(node)
    raise evaluate.NotEvaluable(f"cannot evaluate {text.strip()!r} as a flag")


class _InvalidSample(Exception):
    """A sample the original program rejects, beyond the step budget, or whose numbers leave float64's range."""


#: What a value beyond float64's range raises: in the evaluator, in Python's float arithmetic, in NumPy.
_OVERFLOWS = (evaluate.TooLarge, OverflowError, FloatingPointError)


@dataclass
class _Run:
    """One sample's two schedules, not compared yet; ``raises`` when the rewritten program fails instead."""

    values: dict
    steps: int
    claimed: int
    source: object = None
    target: object = None
    raises: str | None = None


def _run(claim: Claim, constants, values, floats: _PythonFloats | None = None) -> _Run:
    """One sample: both schedules over the run (or just past the claimed agreement when the run is unknown).

    NumPy runs with overflow, underflow and invalid operations raising, so a schedule beyond float64's range (an lr
    of 1e308 overflows, one of 1e-320 loses its precision) makes the sample invalid instead of printing a warning
    and comparing infinities or rounded subnormals. With ``floats`` the schedules are lists of Python floats,
    computed only for arguments where none of that can happen (else _BeyondPythonFloats).
    """
    try:
        source_args = _arguments(claim.source, constants, values)
        run = _count(claim.run_steps, constants, values)
        claimed = _count(claim.agrees_for, constants, values)
        assumed = [evaluate.evaluate(text, constants, values) for text in claim.positive]
    except (*_OVERFLOWS, ArithmeticError, TypeError, ValueError) as exc:
        raise _InvalidSample(_overflow_reason(exc)) from None
    if any(value <= 0 for value in assumed):
        raise _InvalidSample("a value the rewrite assumes positive is not")
    if run is None and claimed is None:
        raise evaluate.NotEvaluable("the claim gives neither the run length nor the agreement length")
    steps = run if run is not None else claimed + 1
    if steps > MAX_STEPS or steps < 1:
        raise _InvalidSample()
    if floats is not None:
        return _run_floats(claim, constants, values, source_args, steps, claimed, floats)
    import numpy as np

    with np.errstate(all="raise"):
        try:
            source = model(claim.source.model).per_step(source_args, steps)
        except (*_OVERFLOWS, ArithmeticError, TypeError, ValueError) as exc:
            raise _InvalidSample(_overflow_reason(exc)) from None
        expected = steps if claimed is None else min(claimed, steps)
        try:
            target = model(claim.target.model).per_step(_arguments(claim.target, constants, values), steps)
        except _OVERFLOWS as exc:
            raise _InvalidSample(_overflow_reason(exc)) from None
        except (ArithmeticError, TypeError, ValueError) as exc:
            return _Run(values, steps, expected, raises=f"{type(exc).__name__}: {exc}")
    return _Run(values, steps, expected, source, target)


def _run_floats(claim: Claim, constants, values, source_args: dict, steps: int, claimed: int | None,
                floats: _PythonFloats) -> _Run:
    """``_run``'s schedules as lists of Python floats, its exceptions raised in its order.

    The target's arguments are evaluated first only to check their range; when that fails, the evaluation in
    ``_run``'s turn, after the source schedule, raises it again.
    """
    checked = [(claim.source, source_args)]
    try:
        checked.append((claim.target, _arguments(claim.target, constants, values)))
    except (evaluate.NotEvaluable, KeyError, ArithmeticError, TypeError, ValueError):
        pass
    floats.take(steps, *checked)
    try:
        source = floats_form(model(claim.source.model))(source_args, steps)
    except (*_OVERFLOWS, ArithmeticError, TypeError, ValueError) as exc:
        raise _InvalidSample(_overflow_reason(exc)) from None
    expected = steps if claimed is None else min(claimed, steps)
    try:
        target = floats_form(model(claim.target.model))(_arguments(claim.target, constants, values), steps)
    except _OVERFLOWS as exc:
        raise _InvalidSample(_overflow_reason(exc)) from None
    except (ArithmeticError, TypeError, ValueError) as exc:
        return _Run(values, steps, expected, raises=f"{type(exc).__name__}: {exc}")
    return _Run(values, steps, expected, source, target)


#: How many optimizer steps (summed over samples) one vectorised comparison takes at most, to bound its memory.
BATCH_STEPS = 1 << 20


def _compared(runs: list[_Run]) -> list[_Outcome]:
    """Every sample's outcome, comparing the schedules of many samples in one vectorised pass."""
    outcomes: list[_Outcome | None] = [None] * len(runs)
    batch: list[int] = []
    size = 0
    for index, run in enumerate(runs):
        if run.raises is not None:
            outcomes[index] = _Outcome(run.values, run.steps, 0, run.claimed, float("inf"), raises=run.raises)
            continue
        if batch and size + run.steps > BATCH_STEPS:
            _compare_batch([runs[i] for i in batch], batch, outcomes)
            batch, size = [], 0
        batch.append(index)
        size += run.steps
    if batch:
        _compare_batch([runs[i] for i in batch], batch, outcomes)
    return outcomes


def _compare_batch(runs: list[_Run], indices: list[int], outcomes: list) -> None:
    """Per sample: the first step where the schedules differ beyond tolerance, and the largest finite deviation.

    The tolerance is relative (``RTOL``) plus an absolute part scaled by the sample's largest finite source lr.
    """
    import numpy as np

    lengths = np.array([run.steps for run in runs])
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    source = np.concatenate([run.source for run in runs])
    target = np.concatenate([run.target for run in runs])
    with np.errstate(all="ignore"):
        source_finite = np.isfinite(source)
        scales = np.maximum.reduceat(np.where(source_finite, np.abs(source), 0.0), starts)
        close = np.isclose(target, source, rtol=RTOL, atol=np.repeat(ATOL_SCALE * scales, lengths), equal_nan=False)
        differing = np.flatnonzero(~close)
        both = np.isfinite(target) & source_finite
        deviations = np.maximum.reduceat(np.where(both, np.abs(target - source), 0.0), starts)
    first = np.searchsorted(differing, starts)
    for position, (run, index) in enumerate(zip(runs, indices)):
        start = int(starts[position])
        found = int(differing[first[position]]) if first[position] < differing.size else None
        agree = found - start if found is not None and found < start + run.steps else run.steps
        deviation = float(deviations[position])
        if agree < run.steps and not np.isfinite(run.target[agree]):
            deviation = float("inf")
        outcomes[index] = _Outcome(run.values, run.steps, agree, run.claimed, deviation)


def _compared_floats(runs: list[_Run]) -> list[_Outcome]:
    """``_compared`` for schedules given as lists of Python floats: ``np.isclose``'s test, element by element."""
    outcomes = []
    for run in runs:
        if run.raises is not None:
            outcomes.append(_Outcome(run.values, run.steps, 0, run.claimed, float("inf"), raises=run.raises))
            continue
        scale = max((abs(value) for value in run.source if math.isfinite(value)), default=0.0)
        atol = ATOL_SCALE * scale
        agree = next((step for step, (target, source) in enumerate(zip(run.target, run.source))
                      if not (abs(target - source) <= atol + RTOL * abs(source) and math.isfinite(source)
                              or target == source)), run.steps)
        deviation = max((abs(target - source) for target, source in zip(run.target, run.source)
                         if math.isfinite(target) and math.isfinite(source)), default=0.0)
        if agree < run.steps and not math.isfinite(run.target[agree]):
            deviation = float("inf")
        outcomes.append(_Outcome(run.values, run.steps, agree, run.claimed, deviation))
    return outcomes


def _overflow_reason(exc: BaseException) -> str:
    """Why a sample is invalid, when a number leaves float64's range; empty for the program's own errors."""
    if isinstance(exc, FloatingPointError):
        return f"float64 {exc}"
    return str(exc) if isinstance(exc, _OVERFLOWS) else ""


def _count(text: str | None, constants, values) -> int | None:
    if text is None:
        return None
    value = evaluate.evaluate(text, constants, values)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError("a step count must be whole")
    return int(value)


def _verdict(claim: Claim, plan: _Plan, outcomes: list[_Outcome]) -> Verdict:
    count = len(outcomes)
    for outcome in outcomes:
        if outcome.agree < outcome.claimed:
            return Verdict(
                CONTRADICTED,
                f"the rule claims agreement for {outcome.claimed} optimizer steps but the schedules differ from "
                f"step {outcome.agree}{_at(plan, outcome)}" + (f" ({outcome.raises})" if outcome.raises else ""),
                outcome.agree,
                outcome.deviation,
                count,
            )
    if claim.run_steps is None:
        bound = claim.agrees_for if plan.unknowns and _mentions_unknown(claim.agrees_for, plan) else None
        steps = outcomes[0].claimed
        return Verdict(
            BOUNDED,
            f"equivalent while the run is at most {bound or steps} optimizer steps{_over(plan, count)}",
            None if bound else steps,
            None,
            count,
        )
    diverging = [outcome for outcome in outcomes if outcome.agree < outcome.steps]
    if not diverging:
        return Verdict(EQUIVALENT, f"over the whole run{_over(plan, count)}", None, 0.0, count)
    first = diverging[0]
    how = "MindSpore raises" if first.deviation == float("inf") else f"max deviation {first.deviation:.3g}"
    share = f", {len(diverging)} of {count} samples differ" if plan.unknowns else ""
    return Verdict(
        DIVERGES,
        f"from optimizer step {first.agree}{_at(plan, first)}, {how}{share}",
        first.agree,
        first.deviation,
        count,
    )


def _mentions_unknown(text: str | None, plan: _Plan) -> bool:
    return text is not None and any(name in text for name in plan.unknowns)


def _at(plan: _Plan, outcome: _Outcome) -> str:
    if not plan.unknowns:
        return ""
    values = ", ".join(f"{name}={value}" for name, value in outcome.values.items())
    return f" with {values}"


def _over(plan: _Plan, count: int) -> str:
    if not plan.unknowns:
        return ""
    return f" for {count} sampled values of {', '.join(plan.unknowns)}"


def _reason(exc: BaseException) -> str:
    return str(exc.args[0]) if exc.args else type(exc).__name__
