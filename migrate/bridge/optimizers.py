"""One two-way table of the torch and MindSpore optimizers a schedule rewrite rebuilds.

Each pair states both constructors once (their positional order, keyword-only arguments, the arguments that have
a counterpart only at one value, the ones that change how a framework computes but not what) and how their
arguments correspond. ``towards("mindspore")`` and ``towards("torch")`` read it in one direction each, so a rule
converting either way, for any schedule API, builds the other framework's optimizer from the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from migrate.analysis import Analysis, bind
from migrate.rule import Refused


TORCH_DEFAULT_LR = "0.001"
"""The lr torch's SGD, Adam and AdamW take when the code leaves it out."""


@dataclass(frozen=True)
class Constructor:
    """One framework's optimizer class.

    ``defaults`` are its defaults where the other framework's differ (written out when converting *from* it, so the
    rebuilt optimizer computes as this one did); ``fixed`` the arguments with a counterpart only at these spellings;
    ``inert`` the arguments dropped because they change how it computes, not what; ``default_lr`` its lr when the
    code leaves it out (the list then starts there).
    """

    names: tuple[str, ...]
    positional: tuple[str, ...]
    keyword_only: tuple[str, ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    fixed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    inert: tuple[str, ...] = ()
    default_lr: str = TORCH_DEFAULT_LR


@dataclass(frozen=True)
class Pair:
    """A torch optimizer and its MindSpore counterpart; ``arguments`` maps torch names to MindSpore names (besides
    the parameters and the learning rate, which every rule writes itself); ``directions`` the targets this pair
    converts towards; ``differences`` what the two compute differently whatever the arguments."""

    torch: Constructor
    mindspore: Constructor
    arguments: tuple[tuple[str, str], ...]
    directions: tuple[str, ...] = ("mindspore", "torch")
    differences: str = ""


@dataclass(frozen=True)
class Mapping:
    """A pair read in one direction: the source constructor's signature, the target class, how each source
    argument is renamed, and the source's differing defaults, fixed and inert arguments."""

    target: str
    positional: tuple[str, ...]
    keyword_only: tuple[str, ...]
    renames: tuple[tuple[str, str], ...]
    defaults: tuple[tuple[str, str], ...]
    required: tuple[tuple[str, tuple[str, ...]], ...]
    inert: tuple[str, ...]
    differences: str
    default_lr: str = TORCH_DEFAULT_LR


#: Applies to every pair with weight decay: the two frameworks decay different parameters.
WEIGHT_DECAY_DIFFERENCE = ("MindSpore applies weight_decay only to parameters whose names contain neither 'beta' nor "
                           "'gamma' (norm layers); torch decays every parameter")

_ADAM_POSITIONAL = ("params", "lr", "betas", "eps", "weight_decay", "amsgrad")
_ADAM_KEYWORDS = ("foreach", "maximize", "capturable", "differentiable", "fused", "decoupled_weight_decay")
_NOT_MAXIMIZING = ("maximize", ("False",))
_NO_LOSS_SCALE = ("loss_scale", ("1.0", "1"))


def _mindspore_names(name: str, module: str) -> tuple[str, ...]:
    return tuple(f"mindspore.nn{path}.{name}" for path in ("", ".optim", f".optim.{module}"))


def _torch_names(name: str) -> tuple[str, ...]:
    return f"torch.optim.{name}", f"torch.optim.{name.lower()}.{name}"


_TORCH_SGD = Constructor(
    _torch_names("SGD"), ("params", "lr", "momentum", "dampening", "weight_decay", "nesterov"),
    keyword_only=("maximize", "foreach", "differentiable", "fused"), fixed=(_NOT_MAXIMIZING,))

PAIRS = (
    Pair(_TORCH_SGD,
         Constructor(_mindspore_names("SGD", "sgd"),
                     ("params", "learning_rate", "momentum", "dampening", "weight_decay", "nesterov", "loss_scale"),
                     fixed=(_NO_LOSS_SCALE,)),
         arguments=(("momentum", "momentum"), ("dampening", "dampening"), ("weight_decay", "weight_decay"),
                    ("nesterov", "nesterov"))),
    Pair(_TORCH_SGD,
         Constructor(_mindspore_names("Momentum", "momentum"),
                     ("params", "learning_rate", "momentum", "weight_decay", "loss_scale", "use_nesterov"),
                     fixed=(_NO_LOSS_SCALE,)),
         arguments=(("momentum", "momentum"), ("weight_decay", "weight_decay"), ("nesterov", "use_nesterov")),
         directions=("torch",)),
    Pair(Constructor(_torch_names("Adam"), _ADAM_POSITIONAL, keyword_only=_ADAM_KEYWORDS,
                     fixed=(_NOT_MAXIMIZING, ("decoupled_weight_decay", ("False",)))),
         Constructor(_mindspore_names("Adam", "adam"),
                     ("params", "learning_rate", "beta1", "beta2", "eps", "use_locking", "use_nesterov",
                      "weight_decay", "loss_scale", "use_amsgrad"),
                     keyword_only=("use_lazy", "use_offload"),
                     fixed=(("use_nesterov", ("False",)), _NO_LOSS_SCALE, ("use_lazy", ("False",)),
                            ("use_offload", ("False",))),
                     inert=("use_locking",)),
         arguments=(("eps", "eps"), ("weight_decay", "weight_decay"), ("amsgrad", "use_amsgrad"))),
    Pair(Constructor(_torch_names("AdamW"), _ADAM_POSITIONAL, keyword_only=_ADAM_KEYWORDS[:-1],
                     defaults=(("eps", "1e-08"), ("weight_decay", "0.01")),
                     fixed=(_NOT_MAXIMIZING, ("amsgrad", ("False",)))),
         Constructor(_mindspore_names("AdamWeightDecay", "adam"),
                     ("params", "learning_rate", "beta1", "beta2", "eps", "weight_decay"),
                     defaults=(("eps", "1e-06"), ("weight_decay", "0.0"))),
         arguments=(("eps", "eps"), ("weight_decay", "weight_decay")),
         differences="torch.optim.AdamW applies bias correction and mindspore.nn.AdamWeightDecay does not, so "
                     "MindSpore's first updates are larger than torch's"),
    Pair(Constructor(_torch_names("Adadelta"), ("params", "lr", "rho", "eps", "weight_decay", "foreach"),
                     keyword_only=("capturable", "maximize", "differentiable"), fixed=(_NOT_MAXIMIZING,),
                     default_lr="1.0"),
         Constructor(_mindspore_names("Adadelta", "adadelta"),
                     ("params", "learning_rate", "rho", "epsilon", "loss_scale", "weight_decay"),
                     fixed=(_NO_LOSS_SCALE,), default_lr="1.0"),
         arguments=(("rho", "rho"), ("eps", "epsilon"), ("weight_decay", "weight_decay"))),
)


def towards(target: str) -> dict[str, Mapping]:
    """Every source optimizer, by each qualified name it is reached by, read towards ``target``."""
    found = {}
    for pair in PAIRS:
        if target not in pair.directions:
            continue
        source, destination = (pair.torch, pair.mindspore) if target == "mindspore" else (pair.mindspore, pair.torch)
        renames = pair.arguments if target == "mindspore" else tuple((b, a) for a, b in pair.arguments)
        mapping = Mapping(destination.names[0], source.positional, source.keyword_only, renames, source.defaults,
                          source.fixed, source.inert, pair.differences, source.default_lr)
        found.update(dict.fromkeys(source.names, mapping))
    return found


def bound_arguments(analysis: Analysis, call: cst.Call, mapping: Mapping) -> dict[str, cst.BaseExpression]:
    """The optimizer call's arguments by name, read with ``mapping``'s signature; Refused when they cannot be read,
    give no params, or set an argument the other framework's optimizer has no counterpart for."""
    bound = bind(call, mapping.positional, mapping.keyword_only)
    if bound.error:
        raise Refused("MIG105", f"cannot read the optimizer's arguments: {bound.error}", call)
    if "params" not in bound.values:
        raise Refused("MIG105", "the optimizer has no params", call)
    for name, accepted in mapping.required:
        value = bound.values.get(name)
        if value is not None and analysis.code(value) not in accepted:
            raise Refused("MIG104", f"{name}={analysis.code(value)} has no {mapping.target} counterpart", value)
    return bound.values
