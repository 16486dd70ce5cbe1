"""The sibling schedulers' and MindSpore list functions' models without torch or MindSpore: hand-computed values."""

import math

import numpy as np
import pytest

from migrate.schedules import mindspore_family as msf
from migrate.schedules import torch_family as tf
from migrate.schedules.torch_cosine import RESUME_WITHOUT_INITIAL_LR


def run(scheduler_class, epochs, lrs=(0.1,), **kwargs):
    groups = [{"lr": lr} for lr in lrs]
    scheduler = scheduler_class(groups, **kwargs)
    seen = []
    for _ in range(epochs):
        seen.append(groups[0]["lr"])
        scheduler.step()
    return seen


class TestTorchReplicas:
    def test_step_lr_multiplies_the_current_lr(self):
        assert run(tf.TorchStepLR, 7, step_size=3, gamma=0.5) == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]

    def test_step_lr_is_a_running_product_not_a_power(self):
        seen = run(tf.TorchStepLR, 3, lrs=(0.3,), step_size=1, gamma=0.7)
        assert seen[2] == 0.3 * 0.7 * 0.7 == 0.147
        assert seen[2] != 0.3 * 0.7**2

    def test_multistep_counts_repeated_milestones(self):
        assert run(tf.TorchMultiStepLR, 6, milestones=[2, 4, 4], gamma=0.5) == [0.1, 0.1, 0.05, 0.05, 0.0125, 0.0125]

    def test_multistep_milestone_zero_decays_at_construction(self):
        assert run(tf.TorchMultiStepLR, 2, milestones=[0], gamma=0.5) == [0.05, 0.05]

    def test_constant_lr(self):
        assert run(tf.TorchConstantLR, 5, factor=0.5, total_iters=3) == [0.05, 0.05, 0.05, 0.1, 0.1]

    def test_constant_lr_total_iters_zero_stays_scaled(self):
        assert run(tf.TorchConstantLR, 3, factor=0.5, total_iters=0) == [0.05, 0.05, 0.05]

    def test_linear_lr_reaches_the_end_factor(self):
        seen = run(tf.TorchLinearLR, 6, start_factor=0.25, total_iters=3)
        assert seen == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1], rel=1e-15)

    def test_exponential_and_polynomial(self):
        assert run(tf.TorchExponentialLR, 3, gamma=0.5) == [0.1, 0.05, 0.025]
        assert run(tf.TorchPolynomialLR, 6, total_iters=4, power=2.0) == pytest.approx(
            [0.1 * (1 - e / 4) ** 2 for e in range(5)] + [0.0], abs=1e-17
        )

    def test_lambda_lr_uses_the_base_lr_each_epoch(self):
        assert run(tf.TorchLambdaLR, 4, lr_lambda=lambda e: e + 1) == [0.1, 0.2, 0.30000000000000004, 0.4]

    def test_lambda_lr_needs_one_function_per_group(self):
        with pytest.raises(ValueError, match="^Expected 2 lr_lambdas, but got 1$"):
            tf.TorchLambdaLR([{"lr": 0.1}, {"lr": 0.2}], [lambda e: 1])

    def test_validation_messages(self):
        with pytest.raises(ValueError, match="^Constant multiplicative factor expected to be between 0 and 1.$"):
            tf.TorchConstantLR([{"lr": 0.1}], factor=2.0)
        with pytest.raises(ValueError, match="^Starting multiplicative factor expected"):
            tf.TorchLinearLR([{"lr": 0.1}], start_factor=0.0)

    def test_resume_needs_initial_lr(self):
        with pytest.raises(KeyError) as caught:
            tf.TorchStepLR([{"lr": 0.1}], step_size=2, last_epoch=3)
        assert caught.value.args[0] == RESUME_WITHOUT_INITIAL_LR.format(index=0)

    def test_resume_on_a_decay_epoch_decays_at_construction(self):
        groups = [{"lr": 0.1, "initial_lr": 0.1}]
        tf.TorchStepLR(groups, step_size=4, gamma=0.5, last_epoch=3)
        assert groups[0]["lr"] == 0.05

    def test_step_with_epoch_uses_the_closed_form(self):
        groups = [{"lr": 0.1}]
        scheduler = tf.TorchStepLR(groups, step_size=2, gamma=0.5)
        scheduler.step(5)
        assert groups[0]["lr"] == 0.1 * 0.5**2

    def test_external_write_carries_on(self):
        groups = [{"lr": 0.1}]
        scheduler = tf.TorchExponentialLR(groups, gamma=0.5)
        groups[0]["lr"] = 1.0
        scheduler.step()
        assert groups[0]["lr"] == 0.5


class TestChains:
    def test_sequential_warmup_then_cosine_restarts_at_the_base_lr(self):
        groups = [{"lr": 0.1}]
        scheduler = tf.TorchSequentialLR(
            groups,
            [tf.TorchLinearLR(groups, 0.25, total_iters=3), tf.TorchChainableCosineAnnealingLR(groups, 4, 0.0)],
            milestones=[3],
        )
        seen = []
        for _ in range(8):
            seen.append(groups[0]["lr"])
            scheduler.step()
        assert seen[:3] == pytest.approx([0.025, 0.05, 0.075], rel=1e-15)
        assert seen[3] == 0.1
        assert seen[4:] == pytest.approx([0.1 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(1, 5)], abs=1e-17)

    def test_sequential_restart_ignores_the_current_lr(self):
        groups = [{"lr": 0.1}]
        scheduler = tf.TorchSequentialLR(
            groups, [tf.TorchConstantLR(groups, 0.5, 10), tf.TorchStepLR(groups, 2, 0.1)], milestones=[2]
        )
        scheduler.step()
        groups[0]["lr"] = 7.0
        scheduler.step()
        assert groups[0]["lr"] == 0.1

    def test_sequential_checks(self):
        groups = [{"lr": 0.1}]
        with pytest.raises(ValueError, match="expects number of schedulers provided to be one more"):
            tf.TorchSequentialLR(groups, [tf.TorchStepLR(groups, 2)], [3])
        with pytest.raises(ValueError, match="belong to the same optimizer"):
            tf.TorchSequentialLR(groups, [tf.TorchStepLR([{"lr": 0.1}], 2)], [])

    def test_chained_multiplies_in_order(self):
        groups = [{"lr": 1.0}]
        scheduler = tf.TorchChainedScheduler([tf.TorchConstantLR(groups, 0.5, 2), tf.TorchExponentialLR(groups, 0.5)])
        seen = []
        for _ in range(4):
            seen.append(groups[0]["lr"])
            scheduler.step()
        assert seen == [0.5, 0.25, 0.25, 0.125]


def recursive_per_step(scheduler_class, base_lr, step_every, steps, **kwargs):
    groups = [{"lr": base_lr}]
    scheduler = scheduler_class(groups, **kwargs)
    seen = []
    for i in range(steps):
        seen.append(groups[0]["lr"])
        if (i + 1) % step_every == 0:
            scheduler.step()
    return seen


class TestTorchPerStep:
    @pytest.mark.parametrize(
        ("name", "kwargs"),
        [
            ("torch.StepLR", {"step_size": 3, "gamma": 0.7}),
            ("torch.StepLR", {"step_size": 2.5, "gamma": 0.7}),
            ("torch.StepLR", {"step_size": 2**64 - 1, "gamma": 0.7}),
            ("torch.MultiStepLR", {"milestones": [0, 3, 3.0, 9, 10**30], "gamma": 0.3}),
            ("torch.ConstantLR", {"factor": 0.3, "total_iters": 7}),
            ("torch.LinearLR", {"start_factor": 0.1, "end_factor": 0.9, "total_iters": 11}),
            ("torch.LinearLR", {"start_factor": 0.3, "total_iters": 2**64 - 1}),
            ("torch.ExponentialLR", {"gamma": 0.97}),
            ("torch.PolynomialLR", {"total_iters": 13, "power": 1.7}),
            ("torch.LambdaLR", {"lr_lambda": lambda e: 1 / (e + 1)}),
        ],
    )
    def test_bit_identical_to_the_recursion(self, name, kwargs):
        modelled = tf.torch_per_step(name, 0.3, kwargs, 3, 100)
        assert modelled.tolist() == recursive_per_step(tf.REPLICAS[name], 0.3, 3, 100, **kwargs)

    def test_sequential_per_step(self):
        schedulers = [("torch.LinearLR", {"start_factor": 0.2, "total_iters": 4}), ("torch.StepLR", {"step_size": 3})]
        modelled = tf.sequential_per_step(0.1, schedulers, [4], 2, 40)
        groups = [{"lr": 0.1}]
        replica = tf.TorchSequentialLR(
            groups, [tf.TorchLinearLR(groups, 0.2, total_iters=4), tf.TorchStepLR(groups, 3)], [4]
        )
        seen = []
        for i in range(40):
            seen.append(groups[0]["lr"])
            if i % 2 == 1:
                replica.step()
        assert modelled.tolist() == seen

    def test_chained_per_step_refuses_a_cosine(self):
        with pytest.raises(KeyError, match="multiplicative"):
            tf.chained_per_step(0.1, [("torch.CosineAnnealingLR", {"T_max": 3})], 1, 5)

    def test_rejects_a_non_positive_step_every(self):
        with pytest.raises(ValueError, match="step_every"):
            tf.torch_per_step("torch.StepLR", 0.1, {"step_size": 2}, 0, 5)

    def test_models(self):
        by_name = {model.name: model for model in tf.models()}
        assert set(by_name) == {
            "torch.StepLR", "torch.MultiStepLR", "torch.ConstantLR", "torch.LinearLR", "torch.ExponentialLR",
            "torch.PolynomialLR", "torch.LambdaLR", "torch.SequentialLR", "torch.ChainedScheduler",
        }
        step_lr = by_name["torch.StepLR"]
        args = {parameter.name: parameter.default for parameter in step_lr.params} | {"base_lr": 1.0, "step_size": 2}
        assert step_lr.per_step(args, 5).tolist() == [1.0, 1.0, 0.1, 0.1, 0.1 * 0.1]
        sequential = by_name["torch.SequentialLR"]
        lrs = sequential.per_step(
            {"base_lr": 1.0, "schedulers": [("torch.ConstantLR", {"factor": 0.5}), ("torch.ExponentialLR", {"gamma": 0.5})],
             "milestones": [2], "step_every": 1}, 4
        )
        assert lrs.tolist() == [0.5, 0.5, 1.0, 0.5]


class TestMindSporeLists:
    def test_piecewise_constant_lr(self):
        assert msf.piecewise_constant_lr([2, 5], [0.1, 0.05]) == [0.1, 0.1, 0.05, 0.05, 0.05]
        per_step = msf.piecewise_constant_per_step([2, 5], [0.1, 0.05], 7)
        assert per_step[:5].tolist() == [0.1, 0.1, 0.05, 0.05, 0.05]
        assert np.isposinf(per_step[5:]).all()

    def test_decays(self):
        assert msf.exponential_decay_lr(0.1, 0.5, 6, 2, 1) == [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
        assert msf.exponential_decay_lr(0.1, 0.5, 4, 1, 2, True) == [0.1, 0.1, 0.05, 0.05]
        assert msf.exponential_decay_lr(0.1, 0.25, 2, 1, 2)[1] == 0.1 * 0.25**0.5
        assert msf.natural_exp_decay_lr(0.1, 0.5, 3, 1, 2) == [0.1 * math.e ** (-0.5 * e) for e in range(3)]
        assert msf.natural_exp_decay_lr(0.1, 0.5, 3, 1, 2, True) == [0.1, 0.1, 0.1 * math.e**-1.0]
        assert msf.inverse_decay_lr(0.1, 1.0, 3, 1, 1) == [0.1, 0.05, 0.1 / 3]

    def test_polynomial_decay_holds_the_end(self):
        assert msf.polynomial_decay_lr(0.1, 0.01, 5, 1, 2, 1.0) == [0.1, 0.05500000000000001, 0.01, 0.01, 0.01]

    def test_polynomial_decay_update_grows_the_horizon(self):
        listed = msf.polynomial_decay_lr(0.1, 0.0, 5, 1, 2, 1.0, True)
        assert listed == [0.1, 0.05, 0.0, 0.1 * (1 - 3 / 4), 0.0]

    @pytest.mark.parametrize("args", [(0.1, 0.9, 50, 3, 4, False), (0.1, 0.9, 50, 3, 4, True), (1e-3, 2.0, 7, 1, 1, False)])
    def test_per_step_is_bit_identical(self, args):
        for function in ("exponential_decay", "natural_exp_decay", "inverse_decay"):
            listed = getattr(msf, f"{function}_lr")(*args)
            per_step = getattr(msf, f"{function}_per_step")(*args, steps=args[2] + 2)
            assert per_step[: args[2]].tolist() == listed
            assert np.isposinf(per_step[args[2] :]).all()

    def test_messages(self):
        with pytest.raises(TypeError, match=r"^The type of 'milestone' should be one of '\['tuple', 'list'\]'"):
            msf.piecewise_constant_lr(3, [0.1])
        with pytest.raises(TypeError, match="^The type of 'learning_rates\\[0\\]' must be 'float', but got 'int'.$"):
            msf.piecewise_constant_lr([3], [1])
        with pytest.raises(ValueError, match=r"must be greater than milestone\[0\], but got milestone\[1\]: 2"):
            msf.piecewise_constant_lr([3, 2], [0.1, 0.2])
        with pytest.raises(TypeError, match="^The type of 'is_stair' should be 'bool', but got type 'int'.$"):
            msf.exponential_decay_lr(0.1, 0.9, 5, 1, 1, 1)
        with pytest.raises(TypeError, match="^For 'polynomial_decay_lr', the argument 'end_learning_rate' must be"):
            msf.polynomial_decay_lr(0.1, 0, 5, 1, 1, 1.0)

    def test_models(self):
        by_name = {model.name: model for model in msf.models()}
        exponential = by_name["mindspore.exponential_decay_lr"]
        args = {"learning_rate": 0.1, "decay_rate": 0.5, "total_step": 4, "step_per_epoch": 2, "decay_epoch": 1,
                "is_stair": False}
        assert exponential.per_step(args, 5).tolist() == [0.1, 0.1, 0.05, 0.05, math.inf]
        listed = by_name["mindspore.epoch_function_list"]
        args = {"learning_rate": 0.1, "lr_lambda": lambda epoch: 0.5 ** epoch, "step_per_epoch": 2, "total_step": 5}
        assert listed.per_step(args, 6).tolist() == [0.1, 0.1, 0.05, 0.05, 0.025, math.inf]
        assert len(by_name) == 7
