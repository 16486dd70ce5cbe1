"""MindSpore ``cosine_decay_lr`` → PyTorch ``CosineAnnealingLR``, with the optimizer that takes the list.

The shared machinery (``migrate/bridge/list_to_scheduler.py``) follows the list to its optimizers, places
``scheduler.step()`` and writes the torch side; this module says what only this pair knows. The list clamps at
``min_lr`` and torch's cosine is periodic: the two agree for ``(decay_epoch + 1) * step_per_epoch`` optimizer steps,
and where the run goes past that the exact rewrite steps the scheduler only while ``last_epoch < T_max``. A resume
builds the optimizer at the cosine's lr of its epoch, and its claim is the resumed run itself (the sliced list
against torch resuming from that lr), or, for a scheduler held at ``T_max``, the uninterrupted run it continues.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from migrate.analysis import Analysis, atom, plus_one, product
from migrate.bridge.list_texts import argument_text, same_expression
from migrate.bridge.list_choice import register_branch_pairs
from migrate.bridge.list_to_scheduler import (
    HorizonPair,
    ListSite,
    ResumingPair,
    list_findings,
)
from migrate.references import GETATTR, STAR, VALUE
from migrate.rule import Finding, Rule, documentation
from migrate.schedules.mindspore_lr import check_cosine_decay_lr
from migrate.verify import Claim, Schedule

FUNCTIONS = frozenset({"mindspore.nn.cosine_decay_lr", "mindspore.nn.dynamic_lr.cosine_decay_lr"})
SIGNATURE = ("min_lr", "max_lr", "total_step", "step_per_epoch", "decay_epoch")
INDIRECT = {
    VALUE: "cosine_decay_lr used as a value, not called: the rule cannot see its arguments or the optimizer it feeds",
    GETATTR: "getattr(..., 'cosine_decay_lr') cannot be followed; call the function directly so its arguments can "
             "be rewritten",
    STAR: "cosine_decay_lr comes from a star import of mindspore.nn that another star import (or a use other "
          "than a call) keeps from being resolved; import it by name so it can be rewritten",
}
NOT_BELOW = ("MindSpore rejects min_lr >= max_lr when it builds the list (ValueError), so there is no schedule to "
             "convert; a CosineAnnealingLR with eta_min >= lr would anneal upwards or stay constant instead")


class CosineDecayPair(HorizonPair, ResumingPair):
    """cosine_decay_lr's arguments as CosineAnnealingLR's: max_lr is the optimizer's lr, min_lr eta_min,
    decay_epoch T_max, and the scheduler steps once every step_per_epoch optimizer steps."""

    functions = FUNCTIONS
    signature = SIGNATURE
    scheduler = "torch.optim.lr_scheduler.CosineAnnealingLR"
    base_lr = "max_lr"
    kind = "cosine"
    source_model = "mindspore.cosine_decay_lr"
    destination_model = "torch.CosineAnnealingLR"
    warmup_models = ("mindspore.warmup_lr+cosine_decay_lr", "torch.LambdaWarmupCosine")
    held_model = "torch.HeldCosineAnnealingLR"
    agreement_text = "(decay_epoch + 1) * step_per_epoch"
    hold_remedy = " (a torch port steps it only while last_epoch < T_max)"
    group_sharing = "one eta_min, one T_max and one cadence"
    group_result = "anneals each group from its own lr to the shared eta_min"

    def check(self, **values) -> None:
        check_cosine_decay_lr(**values)

    def scheduler_arguments(self, texts: dict[str, str]) -> str:
        return f"T_max={texts['decay_epoch']}, eta_min={texts['min_lr']}"

    def destination(self, texts: dict[str, str]) -> dict[str, str]:
        return {"base_lr": texts["max_lr"], "T_max": texts["decay_epoch"], "eta_min": texts["min_lr"],
                "step_every": texts["step_per_epoch"]}

    def agreement(self, texts: dict[str, str]) -> str:
        return product(plus_one(texts["decay_epoch"]), texts["step_per_epoch"])

    def step_lambda(self, texts: dict[str, str], step: str, math: str) -> str:
        """MindSpore's cosine at the epoch of the step, held at decay_epoch, over max_lr (the min_lr terms left out
        when it is written 0)."""
        every, epochs = texts["step_per_epoch"], texts["decay_epoch"]
        epoch = step if same_expression(every, "1") else f"{step} // {atom(every)}"
        cosine = f"(1 + {math}.cos({math}.pi * min({epoch}, {epochs}) / {atom(epochs)}))"
        if any(same_expression(texts["min_lr"], zero) for zero in ("0", "0.0")):
            return f"lambda {step}: {cosine} / 2"
        low, high = atom(texts["min_lr"]), atom(texts["max_lr"])
        return f"lambda {step}: ({low} + ({texts['max_lr']} - {low}) * {cosine} / 2) / {high}"

    def rejected(self, site: ListSite, arguments: dict[str, cst.BaseExpression]) -> tuple[str, str] | None:
        """min_lr visibly not below max_lr: the same expression, or values that say so."""
        if "min_lr" not in arguments or "max_lr" not in arguments:
            return None
        low, high = (site.analysis.code(arguments[name]) for name in ("min_lr", "max_lr"))
        if same_expression(low, high):
            return "min_lr", f"min_lr and max_lr are the same expression, {low}: {NOT_BELOW}"
        values = site.value_of(arguments["min_lr"]), site.value_of(arguments["max_lr"])
        if all(type(value) in (int, float) for value in values) and values[0] >= values[1]:
            return "min_lr", f"min_lr={low} is not below max_lr={high}: {NOT_BELOW}"
        return None

    def _holds_min_lr(self, texts: dict[str, str]) -> str:
        return (f"the list holds {argument_text('min_lr', texts['min_lr'])} from epoch "
                f"{argument_text('decay_epoch', texts['decay_epoch'])} on")

    def past_agreement(self, texts: dict[str, str], agreement: str) -> str:
        return (f"{self._holds_min_lr(texts)}, where a plain CosineAnnealingLR would climb back towards max_lr from "
                f"optimizer step {agreement}")

    def diverging(self, texts: dict[str, str]) -> str:
        return (f"MindSpore holds min_lr={texts['min_lr']} while torch's lr climbs back towards max_lr (period "
                "2 * decay_epoch)")

    def in_chain_past_agreement(self) -> str:
        return "it holds min_lr and SequentialLR's CosineAnnealingLR would climb back"

    def hold_condition(self, scheduler: object) -> str:
        return f"{scheduler}.last_epoch < {scheduler}.T_max"

    def hold_reason(self) -> str:
        return "the list holds min_lr after decay_epoch; torch's cosine would climb back"

    def held_note(self, texts: dict[str, str], agreement: str, scheduler: object) -> str:
        return (f"{self._holds_min_lr(texts)} and torch's cosine is periodic, so {scheduler}.step() runs only while "
                f"{self.hold_condition(scheduler)}: a plain CosineAnnealingLR would climb back towards max_lr from "
                f"optimizer step {agreement} on")

    def hold_refused(self, texts: dict[str, str], agreement: str) -> str:
        return (f"{self._holds_min_lr(texts)}, and the run goes past it: a plain CosineAnnealingLR climbs back from "
                f"optimizer step {agreement}; periodic = \"refuse\" keeps the site (\"exact\" stops scheduler.step() "
                "at T_max, \"clamp\" writes the plain scheduler as an unsafe fix)")

    def resumed_lr(self, site: ListSite, arguments: dict[str, cst.BaseExpression], texts: dict[str, str],
                   epoch: str, held: bool, math: str) -> str:
        """torch's closed form at the resume epoch (held at T_max), in torch's order, ``eta_min + (base_lr -
        eta_min) * (1 + cos(pi * e / T_max)) / 2`` (the eta_min terms left out when it is 0, which changes no bit)."""
        epoch = f"min({epoch}, {texts['decay_epoch']})" if held else epoch
        cosine = f"(1 + {math}.cos({math}.pi * {atom(epoch)} / {atom(texts['decay_epoch'])}))"
        if site.value_of(arguments["min_lr"]) == 0:
            return f"{atom(texts['max_lr'])} * {cosine} / 2"
        min_lr = atom(texts["min_lr"])
        return f"{min_lr} + ({texts['max_lr']} - {min_lr}) * {cosine} / 2"

    def resumed_claim(self, texts: dict[str, str], epoch: str, skipped: str, start_lr: str, run: str | None,
                      agrees_for: str) -> Claim:
        """The list sliced at the resume step against torch resuming at its epoch from the optimizer's lr as
        written (``migrate/schedules/resume.py``), so the verifier checks that expression too."""
        source = Schedule("mindspore.sliced_cosine_decay_lr", {**texts, "start": skipped})
        destination = Schedule("torch.ResumedCosineAnnealingLR", {
            "initial_lr": texts["max_lr"], "start_lr": start_lr, "T_max": texts["decay_epoch"],
            "eta_min": texts["min_lr"], "start_epoch": epoch, "step_every": texts["step_per_epoch"]})
        return Claim(source, destination, run_steps=run if run is not None else f"{texts['total_step']} - {skipped}",
                     agrees_for=f"{atom(agrees_for)} - {skipped}")


PAIR = CosineDecayPair()
register_branch_pairs(FUNCTIONS, lambda analysis, call: PAIR)


class CosineDecayToTorch(Rule):
    name = "cosine-decay-to-torch"
    target = "torch"
    triggers = ("cosine_decay_lr",)
    summary = "mindspore.nn.cosine_decay_lr → torch.optim.lr_scheduler.CosineAnnealingLR"
    codes, examples = documentation(__file__)

    def findings(self, analysis: Analysis) -> Iterator[Finding]:
        """Each site's finding."""
        return list_findings(analysis, FUNCTIONS, lambda call: PAIR, INDIRECT)


RULE = CosineDecayToTorch()
