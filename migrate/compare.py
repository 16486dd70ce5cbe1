"""The engine behind ``migrate verify``: a torch ``CosineAnnealingLR`` run against its ``cosine_decay_lr`` rewrite.

Both schedules come from the models the rule verifier uses and are compared with its tolerance, so what the
command shows is what the verifier decides. torch's cosine is periodic and MindSpore's list holds ``min_lr`` after
``decay_epoch``: the two agree up to ``T_max`` and part from the step after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from migrate.schedules import model
from migrate.verify import ATOL_SCALE, RTOL

if TYPE_CHECKING:
    import numpy as np

CADENCES = ("epoch", "step")
#: Both schedules are held in memory as float64 arrays; this keeps a comparison well under 1 GB.
MAX_STEPS = 20_000_000
#: Above this many steps ``plot`` draws a subsample; a PNG cannot show more points than that anyway.
PLOT_POINTS = 4000


class InvalidSchedule(ValueError):
    """The arguments give no valid schedule; the message says why in the words of the API that refused them."""


@dataclass(frozen=True, eq=False)
class Comparison:
    """Both per-optimizer-step schedules of one run and where they part."""

    t_max: int
    eta_min: float
    lr: float
    steps_per_epoch: int
    epochs: int
    cadence: str
    torch_lr: np.ndarray
    mindspore_lr: np.ndarray
    within_tolerance: np.ndarray
    atol: float
    first_difference: int | None
    max_deviation: float
    max_deviation_step: int

    @property
    def steps(self) -> int:
        return len(self.torch_lr)

    @property
    def equivalent(self) -> bool:
        return self.first_difference is None

    @property
    def scheduler_step_every(self) -> int:
        return self.steps_per_epoch if self.cadence == "epoch" else 1

    @property
    def expected_difference(self) -> int:
        """The first optimizer step past ``T_max``: where torch's cosine turns back up."""
        return (self.t_max + 1) * self.scheduler_step_every

    def epoch(self, step: int) -> int:
        return step // self.steps_per_epoch

    def torch_code(self) -> str:
        when = (
            f"once per epoch, after every {self.steps_per_epoch} optimizer steps"
            if self.cadence == "epoch"
            else "after every optimizer step"
        )
        return (
            f"optimizer = torch.optim.SGD(params, lr={self.lr!r})\n"
            f"scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={self.t_max!r}, "
            f"eta_min={self.eta_min!r})\n"
            f"# scheduler.step() {when}"
        )

    def mindspore_code(self) -> str:
        return (
            f"lr = {_mindspore_call(self.eta_min, self.lr, self.steps, self.scheduler_step_every, self.t_max)}\n"
            "optimizer = mindspore.nn.SGD(params, learning_rate=lr)"
        )


def _mindspore_call(min_lr, max_lr, total_step, step_per_epoch, decay_epoch) -> str:
    return (
        f"mindspore.nn.cosine_decay_lr(min_lr={min_lr!r}, max_lr={max_lr!r}, total_step={total_step!r}, "
        f"step_per_epoch={step_per_epoch!r}, decay_epoch={decay_epoch!r})"
    )


def _check_count(name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidSchedule(f"{name} must be a positive whole number, got {value!r}")


def compare(
    t_max: int, eta_min: float, lr: float, steps_per_epoch: int, epochs: int, cadence: str = "epoch"
) -> Comparison:
    """Compute both schedules of an ``epochs``-long run and find where they differ beyond the verifier's tolerance.

    ``cadence`` says when torch's ``scheduler.step()`` runs: ``"epoch"`` (after every ``steps_per_epoch`` optimizer
    steps, ``T_max`` in epochs) or ``"step"`` (after every optimizer step, ``T_max`` in optimizer steps). Raises
    :class:`InvalidSchedule` with MindSpore's own message when ``cosine_decay_lr`` rejects the arguments.
    """
    import numpy as np

    if cadence not in CADENCES:
        raise InvalidSchedule(f"cadence must be 'epoch' or 'step', got {cadence!r}")
    _check_count("steps_per_epoch", steps_per_epoch)
    _check_count("epochs", epochs)
    steps = epochs * steps_per_epoch
    if steps > MAX_STEPS:
        raise InvalidSchedule(f"the run is {steps:,} optimizer steps; migrate verify compares at most {MAX_STEPS:,}")
    step_every = steps_per_epoch if cadence == "epoch" else 1
    listed = {"min_lr": eta_min, "max_lr": lr, "total_step": steps, "step_per_epoch": step_every, "decay_epoch": t_max}
    try:
        mindspore_lr = model("mindspore.cosine_decay_lr").per_step(listed, steps)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise InvalidSchedule(f"MindSpore rejects {_mindspore_call(*listed.values())}:\n{exc}") from exc
    torch_lr = model("torch.CosineAnnealingLR").per_step(
        {"base_lr": lr, "T_max": t_max, "eta_min": eta_min, "step_every": step_every}, steps
    )
    atol = ATOL_SCALE * max(abs(lr), abs(eta_min))
    within_tolerance = np.isclose(mindspore_lr, torch_lr, rtol=RTOL, atol=atol)
    differing = np.flatnonzero(~within_tolerance)
    deviation = np.abs(torch_lr - mindspore_lr)
    worst = int(np.argmax(deviation))
    return Comparison(
        t_max=t_max,
        eta_min=eta_min,
        lr=lr,
        steps_per_epoch=steps_per_epoch,
        epochs=epochs,
        cadence=cadence,
        torch_lr=torch_lr,
        mindspore_lr=mindspore_lr,
        within_tolerance=within_tolerance,
        atol=atol,
        first_difference=int(differing[0]) if differing.size else None,
        max_deviation=float(deviation[worst]),
        max_deviation_step=worst,
    )


def _verdict(c: Comparison) -> list[str]:
    at = c.max_deviation_step
    if c.max_deviation == 0:
        worst = "bit-identical at every step"
    else:
        worst = f"max deviation {c.max_deviation:.3g} at optimizer step {at:,} (epoch {c.epoch(at)})"
    if c.equivalent:
        return [f"equivalent over all {c.steps:,} optimizer steps", worst]
    first = c.first_difference
    lines = [f"diverges from optimizer step {first:,} (epoch {c.epoch(first)})", worst]
    if first == c.expected_difference:
        unit = "epochs" if c.cadence == "epoch" else "optimizer steps"
        lines += [
            f"past T_max={c.t_max} {unit} torch's cosine rises again (it is periodic)",
            f"while cosine_decay_lr holds min_lr: they agree for runs of at most {first:,} optimizer steps",
        ]
    return lines


def _table_steps(c: Comparison) -> list[int]:
    """The first steps, the steps around the divergence and the worst one, and the last steps."""
    last = c.steps - 1
    chosen = {0, 1, 2, last - 1, last}
    if c.equivalent:
        chosen |= {round(k * last / 8) for k in range(1, 8)}
    else:
        chosen |= {c.first_difference + offset for offset in (-2, -1, 0, 1)} | {c.max_deviation_step}
    return sorted(step for step in chosen if 0 <= step <= last)


def _table(c: Comparison) -> list[str]:
    header = f"  {'step':>9}  {'epoch':>7}  {'torch lr':>20}  {'MindSpore lr':>20}  {'torch - MindSpore':>18}"
    rows = [header]
    previous = None
    for step in _table_steps(c):
        if previous is not None and step > previous + 1:
            rows.append(f"  {'...':>9}")
        torch_lr, mindspore_lr = float(c.torch_lr[step]), float(c.mindspore_lr[step])
        mark = " " if c.within_tolerance[step] else "*"
        rows.append(
            f"{mark} {step:>9}  {c.epoch(step):>7}  {torch_lr:>20.15g}  {mindspore_lr:>20.15g}"
            f"  {torch_lr - mindspore_lr:>18.3g}"
        )
        previous = step
    if not c.equivalent:
        rows.append("  (* outside tolerance)")
    return rows


def render(c: Comparison) -> str:
    """The report ``migrate verify`` prints: both programs, the run, the verdict and a table of sample steps."""

    def block(title: str, text: str) -> list[str]:
        first, *rest = text.splitlines()
        return [f"{title:<11}{first}", *(f"{'':<11}{line}" for line in rest)]

    run = f"{c.steps:,} optimizer steps ({c.epochs} epochs of {c.steps_per_epoch})"
    lines = [
        *block("torch", c.torch_code()),
        *block("MindSpore", c.mindspore_code()),
        *block("run", run),
        *block("verdict", "\n".join(_verdict(c))),
        *block("tolerance", f"|MindSpore - torch| <= {c.atol:.3g} + {RTOL:g} * |torch| (as the rule verifier)"),
        "",
        *_table(c),
    ]
    return "\n".join(lines) + "\n"


def _plot_steps(c: Comparison):
    """All steps, or for long runs an even subsample that keeps the steps either side of the divergence."""
    import numpy as np

    if c.steps <= PLOT_POINTS:
        return np.arange(c.steps)
    kept = [np.linspace(0, c.steps - 1, PLOT_POINTS).astype(np.int64), [c.max_deviation_step]]
    if not c.equivalent:
        kept.append([max(c.first_difference - 1, 0), c.first_difference])
    return np.unique(np.concatenate(kept))


def plot(c: Comparison, path: str) -> None:
    """Draw both lr curves against the optimizer step into a PNG at ``path``, the divergence marked."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("plotting needs matplotlib: pip install 'migrate[plot]'") from exc

    steps = _plot_steps(c)
    figure = Figure(figsize=(10, 5.6), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    curve = {"drawstyle": "steps-post"}
    axes.plot(steps, c.torch_lr[steps], color="C0", linewidth=2.2, label="torch CosineAnnealingLR", **curve)
    axes.plot(
        steps, c.mindspore_lr[steps], color="C1", linewidth=1.6, linestyle="--", label="MindSpore cosine_decay_lr",
        **curve,
    )
    if not c.equivalent:
        _mark_divergence(axes, c)
    axes.set_xlabel("optimizer step")
    axes.set_ylabel("learning rate")
    axes.set_xlim(0, c.steps - 1 if c.steps > 1 else 1)
    epochs = axes.secondary_xaxis("top", functions=(lambda s: s / c.steps_per_epoch, lambda e: e * c.steps_per_epoch))
    epochs.set_xlabel("epoch")
    axes.set_title(
        f"T_max={c.t_max}, eta_min={c.eta_min:g}, lr={c.lr:g}, {c.steps_per_epoch} steps/epoch, {c.epochs} epochs, "
        f"scheduler.step() per {c.cadence}"
    )
    axes.grid(alpha=0.3)
    figure.legend(loc="outside lower center", ncols=3, frameon=False)
    figure.savefig(path, dpi=110)


def _mark_divergence(axes, c: Comparison) -> None:
    """A vertical line at the first differing step and a label near the top, on the side with more room."""
    step = c.first_difference
    axes.axvline(step, color="C3", linestyle=":", linewidth=1.4, label="first difference")
    on_left = step > 0.4 * c.steps
    axes.annotate(
        f"diverges from step {step:,}\n(epoch {c.epoch(step)})",
        xy=(step, float(c.mindspore_lr[step])),
        xytext=(-10 if on_left else 10, 0.95),
        textcoords=("offset points", "axes fraction"),
        ha="right" if on_left else "left",
        multialignment="left",
        va="top",
        color="C3",
        bbox={"boxstyle": "round", "facecolor": "white", "edgecolor": "C3", "alpha": 0.9},
        arrowprops={"arrowstyle": "->", "color": "C3"},
    )
