"""The schedule models without torch or MindSpore: values measured with the real libraries, validation, the registry."""

import math

import numpy as np
import pytest

from migrate.schedules import (
    REQUIRED,
    TorchCosineAnnealingLR,
    cosine_annealing_per_step,
    cosine_decay_lr,
    cosine_decay_per_step,
    model,
    names,
    warmup_lr,
    warmup_per_step,
)
from migrate.schedules.torch_cosine import RESUME_WITHOUT_INITIAL_LR
from migrate.verify import ATOL_SCALE, RTOL

#: Measured with torch 2.13: stepped per epoch with T_max=4, base lr 0.1, eta_min 0.01, epochs 0..12.
TORCH_T4 = [
    0.1,
    0.08681980515339464,
    0.05500000000000001,
    0.023180194846605363,
    0.01,
    0.023180194846605363,
    0.05500000000000002,
    0.08681980515339469,
    0.10000000000000006,
    0.0868198051533947,
    0.05500000000000005,
    0.023180194846605412,
    0.01,
]


def closed(e, base_lr, T, eta_min):
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * e / T)) / 2


def run_scheduler(base_lrs, T_max, eta_min, epochs, **kwargs):
    """The lr of every group in each epoch 0..epochs-1 (read before the epoch's ``step()``)."""
    groups = [{"lr": lr} for lr in base_lrs]
    scheduler = TorchCosineAnnealingLR(groups, T_max, eta_min, **kwargs)
    seen = []
    for _ in range(epochs):
        seen.append([group["lr"] for group in groups])
        scheduler.step()
    return seen


def recursive_per_step(base_lr, T_max, eta_min, step_every, steps):
    """What an optimizer step sees when the exact state machine is stepped after every ``step_every`` steps."""
    group = {"lr": base_lr}
    scheduler = TorchCosineAnnealingLR([group], T_max, eta_min)
    seen = np.empty(steps)
    for i in range(steps):
        seen[i] = group["lr"]
        if (i + 1) % step_every == 0:
            scheduler.step()
    return seen


class TestCosineDecayLR:
    def test_documented_example(self):
        assert cosine_decay_lr(0.01, 0.1, 6, 2, 2) == [0.1, 0.1, 0.05500000000000001, 0.05500000000000001, 0.01, 0.01]

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            ((0.0, 0.1, 1, 1, 1), [0.1]),
            ((0.0, 0.1, 5, 1, 1), [0.1, 0.0, 0.0, 0.0, 0.0]),
            ((0.0, 0.1, 3, 10, 2), [0.1, 0.1, 0.1]),
            ((0.0, 1e-300, 4, 1, 2), [1e-300, 5e-301, 0.0, 0.0]),
        ],
    )
    def test_edge_values(self, args, expected):
        assert cosine_decay_lr(*args) == expected

    def test_clamped_at_min_lr_where_torch_turns_back(self):
        listed = cosine_decay_lr(0.01, 0.1, 13, 1, 4)
        assert listed[:5] == TORCH_T4[:5]
        assert listed[4:] == [0.01] * 9

    def test_matches_the_python_closed_form(self):
        listed = cosine_decay_lr(0.001, 0.3, 700, 7, 60)
        assert listed == [closed(min(i // 7, 60), 0.3, 60, 0.001) for i in range(700)]

    def test_numpy_float_arguments_give_numpy_float_elements(self):
        listed = cosine_decay_lr(np.float64(0.01), np.float64(0.1), 3, 1, 2)
        assert all(type(value) is np.float64 for value in listed)
        assert listed == cosine_decay_lr(0.01, 0.1, 3, 1, 2)


#: MindSpore 2.10's messages, in its check order.
COSINE_DECAY_ERRORS = [
    (
        (0, 0.1, 6, 2, 2),
        TypeError,
        "For 'cosine_decay_lr', the argument 'min_lr' must be type of float, but got 'min_lr' type: <class 'int'>.",
    ),
    (
        (None, 0.1, 6, 2, 2),
        TypeError,
        "For 'cosine_decay_lr', the argument 'min_lr' must be type of float, but got 'min_lr' type: "
        "<class 'NoneType'>.",
    ),
    ((-0.01, 0.1, 6, 2, 2), ValueError, "The 'min_lr' must be float and must >= 0, but got '-0.01' with type 'float'."),
    ((math.nan, 0.1, 6, 2, 2), ValueError, "The 'min_lr' must be a legal value, but got 'nan'."),
    ((0.0, 1, 6, 2, 2), TypeError, "The 'max_lr' must be float, but got 'int'"),
    ((0.0, True, 6, 2, 2), TypeError, "The 'max_lr' must be float, but got 'bool'"),
    ((0.0, 0.0, 6, 2, 2), ValueError, "The 'max_lr' must be float and must > 0, but got '0.0' with type 'float'."),
    ((0.0, math.inf, 6, 2, 2), ValueError, "The 'max_lr' must be a legal value, but got 'inf'."),
    ((0.0, 0.1, 0, 2, 2), ValueError, "The 'total_step' must be int and must > 0, but got '0' with type 'int'."),
    ((0.0, 0.1, 6.0, 2, 2), TypeError, "The 'total_step' must be int, but got 'float'"),
    ((0.0, 0.1, np.int64(6), 2, 2), TypeError, "The 'total_step' must be int, but got 'int64'"),
    (
        (0.0, 0.1, True, 2, 2),
        TypeError,
        "The 'total_step' must be int and must > 0, but got 'True' with type 'bool'.",
    ),
    ((0.0, 0.1, 6, 0, 2), ValueError, "The 'step_per_epoch' must be int and must > 0, but got '0' with type 'int'."),
    ((0.0, 0.1, 6, 2, -3), ValueError, "The 'decay_epoch' must be int and must > 0, but got '-3' with type 'int'."),
    (
        (0.2, 0.1, 0, 2, 2),
        ValueError,
        "The 'total_step' must be int and must > 0, but got '0' with type 'int'.",
    ),
    (
        (0.1, 0.1, 6, 2, 2),
        ValueError,
        "For 'cosine_decay_lr', the 'max_lr' must be greater than the 'min_lr', but got 'max_lr' value: 0.1, "
        "'min_lr' value: 0.1.",
    ),
]


@pytest.mark.parametrize(("args", "error", "message"), COSINE_DECAY_ERRORS)
def test_cosine_decay_validation(args, error, message):
    for compute in (lambda: cosine_decay_lr(*args), lambda: cosine_decay_per_step(*args, steps=4)):
        with pytest.raises(error) as caught:
            compute()
        assert type(caught.value) is error
        assert str(caught.value) == message


class TestWarmupLR:
    def test_starts_at_zero(self):
        assert warmup_lr(0.1, 6, 2, 2) == [0.0, 0.0, 0.05, 0.05, 0.1, 0.1]

    def test_checks_warmup_epoch_before_total_step(self):
        with pytest.raises(ValueError, match="'warmup_epoch' must be int and must > 0"):
            warmup_lr(0.1, 0, 2, 0)

    def test_learning_rate_must_be_float(self):
        with pytest.raises(TypeError) as caught:
            warmup_lr(1, 6, 2, 2)
        assert str(caught.value) == (
            "For 'warmup_lr', the argument 'learning_rate' must be type of float, but got 'learning_rate' type: "
            "<class 'int'>."
        )

    def test_per_step_is_bit_identical_and_fails_past_the_end(self):
        per_step = warmup_per_step(0.3, 50, 3, 7, steps=60)
        assert per_step[:50].tolist() == warmup_lr(0.3, 50, 3, 7)
        assert np.all(per_step[50:] == np.inf)


class TestCosineDecayPerStep:
    def test_bit_identical_to_the_list(self):
        for args in [(0.01, 0.1, 1000, 7, 97), (0.0, 1.0, 999, 1, 998), (1e-6, 3e-4, 5000, 50, 3), (0.0, 0.1, 4, 9, 1)]:
            assert cosine_decay_per_step(*args, steps=args[2]).tolist() == cosine_decay_lr(*args)

    def test_past_the_end_is_infinite(self):
        per_step = cosine_decay_per_step(0.01, 0.1, 6, 2, 2, steps=9)
        assert per_step[:6].tolist() == cosine_decay_lr(0.01, 0.1, 6, 2, 2)
        assert np.all(np.isposinf(per_step[6:]))

    def test_a_shorter_run_reads_a_prefix(self):
        assert cosine_decay_per_step(0.01, 0.1, 10**12, 3, 5, steps=20).tolist() == cosine_decay_lr(
            0.01, 0.1, 20, 3, 5
        )

    def test_huge_counts_fit(self):
        per_step = cosine_decay_per_step(0.0, 0.1, 10, 2**63 + 5, 2**64 - 1, steps=10)
        assert per_step.tolist() == [0.1] * 10


class TestTorchStateMachine:
    def test_construction_is_an_initial_step_that_keeps_the_lr(self):
        groups = [{"lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10)
        assert (scheduler.last_epoch, scheduler.base_lrs, groups[0]["lr"]) == (0, [0.1], 0.1)
        assert groups[0]["initial_lr"] == 0.1
        assert scheduler.get_last_lr() == [0.1]

    def test_periodic_past_t_max(self):
        assert [lrs[0] for lrs in run_scheduler([0.1], 4, 0.01, 13)] == TORCH_T4

    def test_t_max_one_alternates_exactly(self):
        assert [lrs[0] for lrs in run_scheduler([0.1], 1, 0.0, 6)] == [0.1, 0.0] * 3

    def test_eta_min_above_base_lr_inverts(self):
        seen = [lrs[0] for lrs in run_scheduler([0.01], 4, 0.1, 9)]
        assert seen[:5] == pytest.approx([0.01, 0.02318, 0.055, 0.08682, 0.1], abs=1e-5)
        assert seen[8] == pytest.approx(0.01)

    def test_negative_eta_min_goes_negative(self):
        seen = [lrs[0] for lrs in run_scheduler([0.1], 4, -0.05, 5)]
        assert seen[3] == pytest.approx(-0.0280, abs=1e-4)
        assert seen[4] == -0.05

    def test_fractional_t_max(self):
        seen = [lrs[0] for lrs in run_scheduler([0.1], 2.5, 0.0, 6)]
        assert seen == pytest.approx([0.1, 0.06545, 0.009549, 0.009549, 0.06545, 0.1], abs=1e-5)

    def test_groups_share_eta_min(self):
        seen = run_scheduler([0.1, 0.01, 0.02], 4, 0.02, 5)
        for group, base_lr in enumerate([0.1, 0.01]):
            expected = [closed(e, base_lr, 4, 0.02) for e in range(5)]
            assert [lrs[group] for lrs in seen] == pytest.approx(expected, rel=1e-14)
        assert seen[4][1] == 0.02 > seen[1][1] > 0.01
        assert [lrs[2] for lrs in seen] == [0.02] * 5

    def test_step_with_epoch_jumps_by_the_closed_form(self):
        groups = [{"lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10, eta_min=0.001)
        scheduler.step(7)
        assert scheduler.last_epoch == 7
        assert groups[0]["lr"] == closed(7, 0.1, 10, 0.001)
        scheduler.step(25)
        assert groups[0]["lr"] == closed(25, 0.1, 10, 0.001)
        scheduler.step()
        assert groups[0]["lr"] == pytest.approx(closed(26, 0.1, 10, 0.001), rel=1e-12)

    def test_external_lr_write_persists(self):
        groups = [{"lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10, eta_min=0.001)
        for _ in range(3):
            scheduler.step()
        groups[0]["lr"] /= 2
        ratios = []
        for e in range(4, 10):
            scheduler.step()
            ratios.append((groups[0]["lr"] - 0.001) / (closed(e, 0.1, 10, 0.001) - 0.001))
        first = (closed(3, 0.1, 10, 0.001) / 2 - 0.001) / (closed(3, 0.1, 10, 0.001) - 0.001)
        assert ratios == pytest.approx([first] * 6, rel=1e-12)
        assert scheduler.get_last_lr() == [groups[0]["lr"]]

    def test_resume_needs_initial_lr(self):
        with pytest.raises(KeyError) as caught:
            TorchCosineAnnealingLR([{"lr": 0.1, "initial_lr": 0.1}, {"lr": 0.1}], T_max=10, last_epoch=3)
        assert caught.value.args[0] == RESUME_WITHOUT_INITIAL_LR.format(index=1)
        assert "param_groups[1] when resuming scheduler with last_epoch >= 0." in caught.value.args[0]

    def test_any_last_epoch_but_minus_one_resumes(self):
        with pytest.raises(KeyError):
            TorchCosineAnnealingLR([{"lr": 0.1}], T_max=10, last_epoch=-2)

    def test_resume_continues_from_the_current_lr(self):
        groups = [{"lr": 0.1, "initial_lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10, last_epoch=3)
        assert (scheduler.last_epoch, groups[0]["lr"]) == (4, 0.1)
        seen = []
        for _ in range(3):
            scheduler.step()
            seen.append(groups[0]["lr"])
        assert seen == pytest.approx([0.0764, 0.0528, 0.0315], abs=1e-4)

    def test_resume_at_the_checkpointed_lr_matches_the_uninterrupted_run(self):
        uninterrupted = [lrs[0] for lrs in run_scheduler([0.1], 10, 0.001, 12)]
        groups = [{"lr": uninterrupted[4], "initial_lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10, eta_min=0.001, last_epoch=3)
        resumed = [groups[0]["lr"]]
        for _ in range(7):
            scheduler.step()
            resumed.append(groups[0]["lr"])
        assert resumed == uninterrupted[4:]

    def test_fresh_construction_keeps_an_existing_initial_lr(self):
        groups = [{"lr": 0.05, "initial_lr": 0.1}]
        scheduler = TorchCosineAnnealingLR(groups, T_max=10)
        assert scheduler.base_lrs == [0.1]
        assert groups[0]["lr"] == 0.05

    @pytest.mark.parametrize(
        ("T_max", "epoch", "message"),
        [(0, None, "integer modulo by zero"), (0.0, None, "float modulo"), (0, 3, "float division by zero")],
    )
    def test_t_max_zero_fails_at_the_first_step(self, T_max, epoch, message):
        scheduler = TorchCosineAnnealingLR([{"lr": 0.1}], T_max=T_max)
        with pytest.raises(ZeroDivisionError, match=f"^{message}$"):
            scheduler.step(epoch)

    def test_bad_argument_types_fail_like_torch(self):
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -: 'int' and 'str'"):
            TorchCosineAnnealingLR([{"lr": 0.1}], T_max="4").step()
        with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -: 'float' and 'list'"):
            TorchCosineAnnealingLR([{"lr": 0.1}], T_max=4, eta_min=[0.0]).step()


class TestTorchPerStep:
    """The verifier's closed form against the exact recursion, within the verifier's tolerance."""

    def test_epoch_cadence_repeats_each_epoch(self):
        per_step = cosine_annealing_per_step(0.1, 4, 0.01, 3, steps=39)
        assert per_step.tolist() == pytest.approx([lr for lr in TORCH_T4 for _ in range(3)], rel=1e-14)

    def test_is_the_closed_form_bit_for_bit(self):
        per_step = cosine_annealing_per_step(0.3, 7, 0.001, 2, steps=100)
        assert per_step.tolist() == [closed(i // 2, 0.3, 7, 0.001) for i in range(100)]

    @pytest.mark.parametrize(
        ("base_lr", "T_max", "eta_min", "step_every", "steps"),
        [
            (0.1, 4, 0.01, 1, 200),
            (1.0, 1000, 0.0, 1, 50 * 2000 + 1),
            (0.1, 997, 0.001, 1, 20 * 2 * 997),
            (3e-4, 17, 1e-6, 5, 17 * 2 * 5 * 7),
            (0.5, 999, 0.25, 3, 3 * 2 * 999 * 3),
            (0.1, 10**4, 0.001, 1, 3 * 2 * 10**4),
            (0.01, 4, 0.1, 2, 100),
            (0.1, 6, -0.05, 1, 100),
            (1.0, 10**5, 0.0, 1, 5 * 10**5 + 1),
            # After each trough torch adds a tiny increment to eta_min and keeps the rounding of that sum; the
            # relative offset grows like T_max**2 * eta_min / (base_lr - eta_min) and reaches 1.14e-9 past T_max
            # here, over RTOL, so this case stops at T_max.
            (0.1, 10**5, 0.001, 1, 10**5 + 1),
        ],
    )
    def test_agrees_with_the_recursion_within_tolerance(self, base_lr, T_max, eta_min, step_every, steps):
        vectorized = cosine_annealing_per_step(base_lr, T_max, eta_min, step_every, steps)
        recursive = recursive_per_step(base_lr, T_max, eta_min, step_every, steps)
        atol = ATOL_SCALE * max(abs(base_lr), abs(eta_min))
        assert np.isclose(recursive, vectorized, rtol=RTOL, atol=atol).all()

    def test_rejects_a_non_positive_step_every(self):
        with pytest.raises(ValueError, match="step_every"):
            cosine_annealing_per_step(0.1, 10, 0.0, 0, steps=10)


LR = ("base_lr", "lr", REQUIRED)
EVERY = ("step_every", "count", 1)
LISTED = [("total_step", "count", REQUIRED), ("step_per_epoch", "count", REQUIRED), ("decay_epoch", "count", REQUIRED)]


class TestRegistry:
    def test_names(self):
        assert names() == [
            "mindspore.cosine_decay_lr", "mindspore.epoch_function_list", "mindspore.exponential_decay_lr",
            "mindspore.inverse_decay_lr", "mindspore.linear_warmup_cosine", "mindspore.milestone_rates",
            "mindspore.natural_exp_decay_lr", "mindspore.periodic_cosine",
            "mindspore.piecewise_constant_lr", "mindspore.polynomial_decay_lr", "mindspore.sliced_cosine_decay_lr",
            "mindspore.warmup_lr", "mindspore.warmup_lr+cosine_decay_lr", "torch.ConstantLR",
            "torch.CosineAnnealingLR", "torch.EpochStartCosineAnnealingLR", "torch.ExponentialLR",
            "torch.HeldCosineAnnealingLR", "torch.LambdaLR",
            "torch.LambdaWarmupCosine", "torch.LinearLR", "torch.LinearWarmupCosine", "torch.MultiStepLR",
            "torch.PolynomialLR", "torch.ResumedCosineAnnealingLR", "torch.StepLR",
        ]

    @pytest.mark.parametrize(
        ("name", "params"),
        [
            (
                "torch.CosineAnnealingLR",
                [
                    ("base_lr", "lr", REQUIRED),
                    ("T_max", "count", REQUIRED),
                    ("eta_min", "min_lr", 0.0),
                    ("step_every", "count", 1),
                ],
            ),
            (
                "mindspore.cosine_decay_lr",
                [
                    ("min_lr", "min_lr", REQUIRED),
                    ("max_lr", "lr", REQUIRED),
                    ("total_step", "count", REQUIRED),
                    ("step_per_epoch", "count", REQUIRED),
                    ("decay_epoch", "count", REQUIRED),
                ],
            ),
            (
                "mindspore.warmup_lr",
                [
                    ("learning_rate", "lr", REQUIRED),
                    ("total_step", "count", REQUIRED),
                    ("step_per_epoch", "count", REQUIRED),
                    ("warmup_epoch", "count", REQUIRED),
                ],
            ),
            ("torch.StepLR", [LR, ("step_size", "count", REQUIRED), ("gamma", "factor", 0.1), EVERY]),
            ("torch.MultiStepLR", [LR, ("milestones", "milestones", REQUIRED), ("gamma", "factor", 0.1), EVERY]),
            ("torch.ConstantLR", [LR, ("factor", "factor", 1.0 / 3), ("total_iters", "count", 5), EVERY]),
            (
                "torch.LinearLR",
                [LR, ("start_factor", "factor", 1.0 / 3), ("end_factor", "factor", 1.0), ("total_iters", "count", 5),
                 EVERY],
            ),
            ("torch.ExponentialLR", [LR, ("gamma", "factor", REQUIRED), EVERY]),
            ("torch.PolynomialLR", [LR, ("total_iters", "count", 5), ("power", "power", 1.0), EVERY]),
            ("torch.LambdaLR", [LR, ("lr_lambda", "function", REQUIRED), EVERY]),
            (
                "torch.LinearWarmupCosine",
                [
                    LR,
                    ("start_factor", "factor", 1.0 / 3),
                    ("end_factor", "factor", 1.0),
                    ("total_iters", "count", 5),
                    ("milestone", "count", REQUIRED),
                    ("T_max", "count", REQUIRED),
                    ("eta_min", "min_lr", 0.0),
                    EVERY,
                ],
            ),
            (
                "mindspore.piecewise_constant_lr",
                [("milestone", "milestones", REQUIRED), ("learning_rates", "lr_list", REQUIRED)],
            ),
            *(
                (
                    f"mindspore.{function}",
                    [("learning_rate", "lr", REQUIRED), ("decay_rate", "factor", REQUIRED), *LISTED,
                     ("is_stair", "flag", False)],
                )
                for function in ("exponential_decay_lr", "natural_exp_decay_lr", "inverse_decay_lr")
            ),
            (
                "mindspore.polynomial_decay_lr",
                [("learning_rate", "lr", REQUIRED), ("end_learning_rate", "min_lr", REQUIRED), *LISTED,
                 ("power", "power", REQUIRED), ("update_decay_epoch", "flag", False)],
            ),
            (
                "mindspore.linear_warmup_cosine",
                [
                    ("base_lr", "lr", REQUIRED),
                    ("start_factor", "factor", REQUIRED),
                    ("end_factor", "factor", REQUIRED),
                    ("total_iters", "count", REQUIRED),
                    ("milestone", "count", REQUIRED),
                    ("min_lr", "min_lr", REQUIRED),
                    ("decay_epoch", "count", REQUIRED),
                    ("step_per_epoch", "count", REQUIRED),
                    ("total_step", "count", REQUIRED),
                ],
            ),
        ],
    )
    def test_params(self, name, params):
        assert [(p.name, p.domain, p.default) for p in model(name).params] == params

    def test_domains_are_ones_the_verifier_samples(self):
        """Every domain is sampled, a list of sampled elements, or a lambda the claim spells out."""
        from migrate.verify import FUNCTION_DOMAIN, LIST_DOMAINS, SAMPLES

        assert {p.domain for name in names() for p in model(name).params} <= {*SAMPLES, *LIST_DOMAINS, FUNCTION_DOMAIN}
        assert set(LIST_DOMAINS.values()) <= set(SAMPLES)

    def test_unknown_model(self):
        with pytest.raises(KeyError, match="no schedule model 'torch.OneCycleLR'; known models: mindspore.cosine_decay_lr"):
            model("torch.OneCycleLR")

    def test_per_step_arrays(self):
        torch_lrs = model("torch.CosineAnnealingLR").per_step(
            {"base_lr": 0.1, "T_max": 10, "eta_min": 0.001, "step_every": 5}, 80
        )
        ms_lrs = model("mindspore.cosine_decay_lr").per_step(
            {"min_lr": 0.001, "max_lr": 0.1, "total_step": 75, "step_per_epoch": 5, "decay_epoch": 10}, 80
        )
        warm = model("mindspore.warmup_lr").per_step(
            {"learning_rate": 0.1, "total_step": 6, "step_per_epoch": 2, "warmup_epoch": 2}, 6
        )
        assert torch_lrs.dtype == ms_lrs.dtype == warm.dtype == np.float64
        assert torch_lrs.shape == ms_lrs.shape == (80,)
        assert (torch_lrs[:55] == ms_lrs[:55]).sum() > 0
        assert np.isclose(torch_lrs[:55], ms_lrs[:55], rtol=1e-12).all()
        assert not np.isclose(torch_lrs[55], ms_lrs[55])
        assert np.isposinf(ms_lrs[75:]).all()
        assert warm.tolist() == [0.0, 0.0, 0.05, 0.05, 0.1, 0.1]

    def test_torch_t_max_zero_raises(self):
        with pytest.raises(ZeroDivisionError):
            model("torch.CosineAnnealingLR").per_step({"base_lr": 0.1, "T_max": 0, "eta_min": 0.0, "step_every": 1}, 5)

    def test_invalid_mindspore_arguments_raise(self):
        with pytest.raises(ValueError, match="'max_lr' must be greater than the 'min_lr'"):
            model("mindspore.cosine_decay_lr").per_step(
                {"min_lr": 0.2, "max_lr": 0.1, "total_step": 5, "step_per_epoch": 1, "decay_epoch": 2}, 5
            )

    def test_the_verifier_finds_the_divergence(self):
        from migrate.verify import DIVERGES, Claim, Schedule, verify

        claim = Claim(
            Schedule(
                "torch.CosineAnnealingLR", {"base_lr": "0.1", "T_max": "10", "eta_min": "0.001", "step_every": "5"}
            ),
            Schedule(
                "mindspore.cosine_decay_lr",
                {"min_lr": "0.001", "max_lr": "0.1", "total_step": "150", "step_per_epoch": "5", "decay_epoch": "10"},
            ),
            run_steps="150",
            agrees_for="55",
        )
        verdict = verify(claim)
        assert (verdict.kind, verdict.first_difference) == (DIVERGES, 55)
