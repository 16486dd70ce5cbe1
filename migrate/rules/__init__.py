"""API mappings: one module per API pair and direction (installed as ``migrate.rules``).

``DECLARED`` names each rule module with its target and its text triggers, so a file that mentions no trigger is
settled without importing the rule modules (and libcst with them). ``tests/test_speed_behaviour.py`` checks that
every module's ``RULE`` is declared here as it declares itself.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrate.rule import Rule


@dataclass(frozen=True)
class DeclaredRule:
    """A rule known by its module, target and triggers; ``load()`` imports it."""

    module: str
    target: str
    triggers: tuple[str, ...]

    def applies_to(self, text: str) -> bool:
        """``Rule.applies_to``, without importing the rule."""
        return any(trigger in text for trigger in self.triggers)

    def load(self) -> Rule:
        return importlib.import_module(f"{__name__}.{self.module}").RULE


DECLARED = (
    DeclaredRule("cosine_annealing_to_mindspore", "mindspore", ("CosineAnnealingLR",)),
    DeclaredRule("cosine_decay_to_torch", "torch", ("cosine_decay_lr",)),
    DeclaredRule("exponential_decay_to_torch", "torch", ("exponential_decay_lr",)),
    DeclaredRule("piecewise_constant_to_torch", "torch", ("piecewise_constant_lr",)),
    DeclaredRule("polynomial_decay_to_torch", "torch", ("polynomial_decay_lr",)),
    DeclaredRule("torch_schedulers_to_mindspore", "mindspore",
                 ("StepLR", "MultiStepLR", "ExponentialLR", "LambdaLR", "LinearLR", "ConstantLR", "PolynomialLR",
                  "ReduceLROnPlateau", "OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts")),
    DeclaredRule("warmup_lr_to_torch", "torch", ("warmup_lr",)),
)


def declared(direction: str | None) -> tuple[DeclaredRule, ...]:
    """The declared rules converting towards ``direction`` (all of them for None), in module order."""
    return tuple(rule for rule in DECLARED if direction is None or rule.target == direction)
