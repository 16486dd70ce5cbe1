"""The verifier computes small claims with Python floats and large ones with NumPy: the verdict must not depend on
which ran. Each claim here is verified both ways (the NumPy way whatever its size) and the verdicts compared whole:
kind, text, first differing step, largest deviation and sample count."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrate import engine, verify
from migrate.verify import Claim, Schedule

ROOT = Path(__file__).resolve().parents[1]


def torch_cosine(t_max="T", eta_min="0.0", every="n", base_lr="lr", held=False) -> Schedule:
    name = "torch.HeldCosineAnnealingLR" if held else "torch.CosineAnnealingLR"
    return Schedule(name, {"base_lr": base_lr, "T_max": t_max, "eta_min": eta_min, "step_every": every})


def cosine_decay(total="epochs * n", per="n", decay="T", min_lr="0.0", max_lr="lr", periodic=False) -> Schedule:
    name = "mindspore.periodic_cosine" if periodic else "mindspore.cosine_decay_lr"
    return Schedule(name, {"min_lr": min_lr, "max_lr": max_lr, "total_step": total, "step_per_epoch": per,
                           "decay_epoch": decay})


WARMUP = Schedule("mindspore.warmup_lr", {"learning_rate": "lr", "total_step": "epochs * n", "step_per_epoch": "n",
                                          "warmup_epoch": "T"})

#: Claims on the models with a Python floats form: equivalent, diverging (periodic past T_max), bounded,
#: contradicted, invalid samples (min_lr above max_lr, a float count, T_max=0), MindSpore raising past its list.
CLAIMS = [
    Claim(torch_cosine(), cosine_decay(), run_steps="epochs * n", agrees_for="epochs * n"),
    Claim(torch_cosine(), cosine_decay(), run_steps="epochs * n", agrees_for="T * n"),
    Claim(torch_cosine(), cosine_decay(), run_steps="epochs * n"),
    Claim(torch_cosine(), cosine_decay(periodic=True), run_steps="epochs * n", agrees_for="epochs * n"),
    Claim(torch_cosine(), cosine_decay(periodic=True), run_steps="epochs * n"),
    Claim(torch_cosine(held=True), cosine_decay(), run_steps="epochs * n", agrees_for="epochs * n"),
    Claim(torch_cosine(held=True), cosine_decay(), run_steps="epochs * n"),
    Claim(torch_cosine(eta_min="0.001"), cosine_decay(min_lr="0.001"), run_steps="epochs * n"),
    Claim(torch_cosine(eta_min="lo"), cosine_decay(min_lr="lo"), run_steps="epochs * n", positive=("lr - lo",)),
    Claim(torch_cosine(), cosine_decay(total="T * n"), run_steps="epochs * n"),
    Claim(torch_cosine(), cosine_decay(total="T * n"), agrees_for="T * n"),
    Claim(torch_cosine(), cosine_decay(decay="T + 1"), run_steps="epochs * n", agrees_for="epochs * n"),
    Claim(torch_cosine(t_max="0"), cosine_decay(), run_steps="epochs * n"),
    Claim(torch_cosine(t_max="10.0"), cosine_decay(decay="10.0"), run_steps="epochs * n"),
    Claim(torch_cosine(t_max="10"), cosine_decay(decay="10", max_lr="0.0"), run_steps="epochs * n"),
    Claim(torch_cosine(t_max="10", every="1"), cosine_decay(decay="10", per="1", total="30"), run_steps="30"),
    Claim(torch_cosine(t_max="-4", every="1"), cosine_decay(decay="4", per="1", total="30"), run_steps="30"),
    Claim(torch_cosine(t_max="7", every="3", base_lr="1e-300"), cosine_decay(decay="7", per="3", total="60",
                                                                          max_lr="1e-300"), run_steps="60"),
    Claim(torch_cosine(t_max="7", every="3", base_lr="1e+300"), cosine_decay(decay="7", per="3", total="60",
                                                                          max_lr="1e+300"), run_steps="60"),
    Claim(torch_cosine(t_max="7", every="3", base_lr="0.5", eta_min="0.5"),
          cosine_decay(decay="7", per="3", total="60", max_lr="0.5", min_lr="0.5"), run_steps="60"),
    Claim(WARMUP, cosine_decay(), run_steps="epochs * n"),
    Claim(Schedule("mindspore.warmup_lr", {"learning_rate": "lr", "total_step": "epochs * n", "step_per_epoch": "n",
                                           "warmup_epoch": "T"}), WARMUP, run_steps="epochs * n",
          agrees_for="epochs * n"),
]
CONSTANTS = [{}, {"T": 10, "epochs": 30}, {"T": 10, "epochs": 10}, {"T": 3}]


def fixture_claims() -> list[tuple[Claim, dict, int]]:
    """Every claim the rules make on the golden fixtures of both directions, with its constants: the chain and
    family models among them."""
    made: list[tuple[Claim, dict, int]] = []
    real = verify.verify

    def recording(claim, constants=None, max_samples=verify.MAX_SAMPLES):
        made.append((claim, dict(constants or {}), max_samples))
        return real(claim, constants, max_samples)

    verify.verify = recording
    try:
        for direction, folder in (("mindspore", "torch_to_mindspore"), ("torch", "mindspore_to_torch")):
            rules = engine.load_rules(direction)
            for source in sorted((ROOT / "fixtures" / folder).glob("*/input.py")):
                options = engine.Options(to=direction)
                engine.process_bytes(source.read_bytes(), "input.py", options, rules)
    finally:
        verify.verify = real
    return made


def both_ways(claim: Claim, constants: dict, max_samples: int = verify.MAX_SAMPLES, monkeypatch=None):
    """The verdict computed with NumPy, and with Python floats (None where the floats form declines the claim)."""
    try:
        plan = verify._plan(claim, constants)
    except (verify.evaluate.NotEvaluable, KeyError) as error:  # refused before either form is chosen
        refused = verify.Verdict(verify.NOT_VERIFIABLE, verify._reason(error))
        return refused, refused
    samples = plan.samples(max_samples, dict(claim.stated))
    with_numpy = verify._verdict_of_samples(claim, constants, plan, samples, None)
    if not verify._has_floats_form(claim):
        return with_numpy, None
    monkeypatch.setattr(verify, "PYTHON_STEPS", verify.MAX_STEPS * max_samples)
    try:
        with_floats = verify._verdict_of_samples(claim, constants, plan, samples, verify._PythonFloats())
    except verify._BeyondPythonFloats:
        with_floats = None
    return with_numpy, with_floats


def test_python_floats_and_numpy_give_the_same_verdicts(monkeypatch):
    compared = declined = 0
    kinds = set()
    for claim in CLAIMS:
        for constants in CONSTANTS:
            with_numpy, with_floats = both_ways(claim, constants, monkeypatch=monkeypatch)
            if with_floats is None:
                declined += 1
                continue
            assert with_floats == with_numpy, (claim, constants)
            compared += 1
            kinds.add(getattr(with_numpy, "kind", None))
    assert compared >= 60 and declined >= 4
    assert {verify.EQUIVALENT, verify.DIVERGES, verify.BOUNDED, verify.CONTRADICTED, verify.NOT_VERIFIABLE} <= kinds


def test_the_fixtures_claims_get_the_same_verdicts_both_ways(monkeypatch):
    claims = fixture_claims()
    models = {schedule.model for claim, _, _ in claims for schedule in (claim.source, claim.target)}
    assert {"torch.LinearWarmupCosine", "mindspore.milestone_rates", "torch.StepLR"} & models
    on_floats = 0
    for claim, constants, max_samples in claims:
        with_numpy, with_floats = both_ways(claim, constants, max_samples, monkeypatch)
        if with_floats is not None:
            assert with_floats == with_numpy, claim
            on_floats += 1
        monkeypatch.setattr(verify, "_MEMO", {})
        monkeypatch.undo()
        assert verify._verify(claim, constants, max_samples) == with_numpy, claim
    assert on_floats >= len(claims) // 2


def test_a_claim_beyond_the_python_budget_is_computed_with_numpy(monkeypatch):
    claim = Claim(torch_cosine(), cosine_decay(), run_steps="epochs * n", agrees_for="T * n")
    constants = {"T": 10, "epochs": 30}
    with_numpy, _ = both_ways(claim, constants, monkeypatch=monkeypatch)
    monkeypatch.setattr(verify, "PYTHON_STEPS", 10)
    declined = []
    real = verify._verdict_of_samples

    def recording(claim, constants, plan, samples, floats):
        declined.append(floats is None)
        return real(claim, constants, plan, samples, floats)

    monkeypatch.setattr(verify, "_verdict_of_samples", recording)
    assert verify._verify(claim, constants, verify.MAX_SAMPLES) == with_numpy
    assert declined == [False, True]


def imports_numpy(code: str) -> bool:
    script = f"import sys\nfrom migrate import verify\n{code}\nprint('numpy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return done.stdout.split()[-1] == "True"


CLAIM_CODE = (
    "from migrate.verify import Claim, Schedule\n"
    "torch = Schedule('torch.CosineAnnealingLR', {{'base_lr': '0.1', 'T_max': '10', 'step_every': 'n'}})\n"
    "ms = Schedule('mindspore.cosine_decay_lr', {{'min_lr': '0.0', 'max_lr': '0.1', 'total_step': '{steps}',"
    " 'step_per_epoch': 'n', 'decay_epoch': '10'}})\n"
    "print(verify.verify(Claim(torch, ms, run_steps='{steps}', agrees_for='{steps}')).kind)\n"
)


@pytest.mark.parametrize(("steps", "numpy"), [("10 * n", False), ("1000 * n", True)])
def test_numpy_is_imported_only_for_a_large_claim(steps, numpy):
    assert imports_numpy(CLAIM_CODE.format(steps=steps)) is numpy
