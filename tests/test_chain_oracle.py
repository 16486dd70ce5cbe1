"""The registered family and chain models against the real torch 2.13 and MindSpore 2.10, at the values the
verifier samples, and the verifier's cross-framework verdicts confirmed by the real libraries."""

import itertools
import math
import random

import numpy as np
import pytest
from oracles import sgd

from migrate import verify
from migrate.schedules import model
from migrate.verify import ATOL_SCALE, RTOL, SAMPLES, Claim, Schedule

SEED = 20251215
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def lrs_seen(optimizer, scheduler, step_every, steps):
    group = optimizer.param_groups[0]
    seen = np.empty(steps)
    for i in range(steps):
        seen[i] = group["lr"]
        if (i + 1) % step_every == 0:
            scheduler.step()
    return seen


def real_chain(torch, base_lr, start_factor, end_factor, total_iters, milestone, T_max, eta_min, step_every, steps):
    lr_scheduler = torch.optim.lr_scheduler
    optimizer = sgd(torch, [base_lr])
    scheduler = lr_scheduler.SequentialLR(
        optimizer,
        [lr_scheduler.LinearLR(optimizer, start_factor=start_factor, end_factor=end_factor, total_iters=total_iters),
         lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_max, eta_min=eta_min)],
        milestones=[milestone],
    )
    return lrs_seen(optimizer, scheduler, step_every, steps)


def chain_configs(count):
    rng = random.Random(SEED)
    for index in range(count):
        base_lr = 10 ** rng.uniform(-5, 0)
        total_iters = rng.choice([1, 3, 5, rng.randint(1, 30)])
        milestone = total_iters if index % 3 else rng.randint(0, 35)
        T_max = rng.choice([1, 2, rng.randint(1, 50), rng.randint(50, 400)])
        eta_min = rng.choice([0.0, 1e-6, base_lr * rng.uniform(0, 0.9)])
        step_every = rng.choice([1, 1, rng.randint(2, 9)])
        epochs = rng.randint(1, milestone + 5 * T_max + 3)
        yield (base_lr, rng.choice([1 / 3, 0.1, 0.5, 0.9, rng.uniform(0.01, 1.0)]),
               rng.choice([1.0, 1.0, 0.5, rng.uniform(0.0, 1.0)]), total_iters, milestone, T_max, eta_min,
               step_every, min(epochs * step_every, 6000))


def test_linear_warmup_cosine_is_bit_identical_to_torch(torch):
    steps = 0
    for *args, run in chain_configs(80):
        modelled = model("torch.LinearWarmupCosine").per_step(dict(zip(TORCH_CHAIN, args)), run)
        assert modelled.tolist() == real_chain(torch, *args, run).tolist(), args
        steps += run
    assert steps > 20_000


TORCH_CHAIN = ["base_lr", "start_factor", "end_factor", "total_iters", "milestone", "T_max", "eta_min", "step_every"]


def test_linear_warmup_cosine_long_run_is_bit_identical_to_torch(torch):
    args = (0.1, 0.25, 1.0, 5, 5, 100, 0.001, 1)
    run = 5 + 50 * 2 * 100
    modelled = model("torch.LinearWarmupCosine").per_step(dict(zip(TORCH_CHAIN, args)), run)
    assert modelled.tolist() == real_chain(torch, *args, run).tolist()


def written_list(ms_nn, base_lr, s, e, W, M, min_lr, T, spe, total_step):
    """The rewrite's list as the emitted code builds it, with the real ``cosine_decay_lr``."""
    cycle = ms_nn.cosine_decay_lr(min_lr=min_lr, max_lr=base_lr, total_step=T + 1, step_per_epoch=1, decay_epoch=T)
    warmup = [base_lr * (s + (e - s) * min(step // spe, W) / W) for step in range(M * spe)]
    return warmup + [cycle[min((step // spe - M) % (2 * T), -(step // spe - M) % (2 * T))]
                     for step in range(M * spe, total_step)]


def test_linear_warmup_cosine_list_is_bit_identical_to_mindsporess(ms_nn):
    for base_lr, s, e, W, M, T, m, spe, run in chain_configs(80):
        run = max(run, M * spe)  # the written list has at least its warmup's steps
        listed = written_list(ms_nn, base_lr, s, e, W, M, m, T, spe, run)
        args = dict(zip(MINDSPORE_CHAIN, (base_lr, s, e, W, M, m, T, spe, run)))
        modelled = model("mindspore.linear_warmup_cosine").per_step(args, run + 2)
        assert modelled[:run].tolist() == listed
        assert np.isposinf(modelled[run:]).all()
        if run > M * spe and run <= (M + T + 1) * spe:
            plain = ms_nn.cosine_decay_lr(m, base_lr, run - M * spe, spe, T)
            assert listed[M * spe :] == plain


MINDSPORE_CHAIN = ["base_lr", "start_factor", "end_factor", "total_iters", "milestone", "min_lr", "decay_epoch",
                   "step_per_epoch", "total_step"]


def test_the_chain_rewrite_is_equivalent_under_the_real_libraries(torch, ms_nn):
    """Where the milestone is the warmup, real torch and the real list agree within the verifier's tolerance."""
    for base_lr, s, e, W, _, T, m, spe, run in chain_configs(60):
        run = max(run, W * spe)
        used = real_chain(torch, base_lr, s, e, W, W, T, m, spe, run)
        listed = np.array(written_list(ms_nn, base_lr, s, e, W, W, m, T, spe, run))
        assert np.allclose(listed, used, rtol=RTOL, atol=ATOL_SCALE * base_lr), (base_lr, s, e, W, T, m, spe)


# --- every registered family model at the values the verifier samples --------------------------------------------


def variations(baseline: dict, domains: dict):
    """The baseline, then each sampled parameter through every value of its domain, the others at the baseline."""
    yield dict(baseline)
    for name, domain in domains.items():
        for value in SAMPLES[domain]:
            yield {**baseline, name: value}


TORCH_FAMILY = {
    "StepLR": ({"step_size": 3, "gamma": 0.1}, {"step_size": "count", "gamma": "factor"}),
    "MultiStepLR": ({"milestones": [2, 5, 5, 9], "gamma": 0.1}, {"gamma": "factor"}),
    "ConstantLR": ({"factor": 1 / 3, "total_iters": 5}, {"factor": "factor", "total_iters": "count"}),
    "LinearLR": ({"start_factor": 1 / 3, "end_factor": 1.0, "total_iters": 5},
                 {"start_factor": "factor", "end_factor": "factor", "total_iters": "count"}),
    "ExponentialLR": ({"gamma": 0.9}, {"gamma": "factor"}),
    "PolynomialLR": ({"total_iters": 5, "power": 1.0}, {"total_iters": "count", "power": "power"}),
}


@pytest.mark.parametrize("name", sorted(TORCH_FAMILY))
def test_torch_family_models_at_sampled_values_are_bit_identical(torch, name):
    baseline, domains = TORCH_FAMILY[name]
    for kwargs, base_lr, step_every in itertools.product(
        variations(baseline, domains), SAMPLES["lr"], SAMPLES["count"][:4]
    ):
        steps = 120
        optimizer = sgd(torch, [base_lr])
        real = getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs)
        args = {"base_lr": base_lr, **kwargs, "step_every": step_every}
        modelled = model(f"torch.{name}").per_step(args, steps)
        assert modelled.tolist() == lrs_seen(optimizer, real, step_every, steps).tolist(), args


def test_lambda_lr_model_of_a_claimed_lambda_is_bit_identical(torch):
    """The verifier computes a claimed lambda with the evaluator: the same floats as Python's own lambda."""
    for text in ("lambda e: 0.95 ** e", "lambda epoch: min(1.0, (epoch + 1) / 5)", "lambda e: 1 / (1 + 0.5 * e)"):
        for base_lr, step_every in itertools.product(SAMPLES["lr"], (1, 3)):
            optimizer = sgd(torch, [base_lr])
            real = torch.optim.lr_scheduler.LambdaLR(optimizer, eval(text))
            args = {"base_lr": base_lr, "lr_lambda": verify._value(text, "function", {}, {}), "step_every": step_every}
            modelled = model("torch.LambdaLR").per_step(args, 60)
            assert modelled.tolist() == lrs_seen(optimizer, real, step_every, 60).tolist(), text


DECAYS = ["exponential_decay_lr", "natural_exp_decay_lr", "inverse_decay_lr"]


@pytest.mark.parametrize("function", DECAYS)
def test_mindspore_decay_models_at_sampled_values_are_bit_identical(ms_nn, function):
    baseline = {"learning_rate": 0.1, "decay_rate": 0.9, "total_step": 30, "step_per_epoch": 2, "decay_epoch": 3,
                "is_stair": False}
    domains = {"learning_rate": "lr", "decay_rate": "factor", "total_step": "count", "step_per_epoch": "count",
               "decay_epoch": "count", "is_stair": "flag"}
    for args in variations(baseline, domains):
        listed = getattr(ms_nn, function)(*args.values())
        modelled = model(f"mindspore.{function}").per_step(args, args["total_step"] + 1)
        assert modelled[:-1].tolist() == listed and math.isinf(modelled[-1]), args


def test_mindspore_polynomial_model_at_sampled_values_is_bit_identical(ms_nn):
    baseline = {"learning_rate": 0.1, "end_learning_rate": 0.0, "total_step": 30, "step_per_epoch": 2,
                "decay_epoch": 5, "power": 1.0, "update_decay_epoch": False}
    domains = {"learning_rate": "lr", "end_learning_rate": "min_lr", "total_step": "count",
               "step_per_epoch": "count", "decay_epoch": "count", "power": "power", "update_decay_epoch": "flag"}
    for args in variations(baseline, domains):
        listed = ms_nn.polynomial_decay_lr(*args.values())
        modelled = model("mindspore.polynomial_decay_lr").per_step(args, args["total_step"])
        assert modelled.tolist() == listed, args


def test_mindspore_piecewise_model_of_sampled_elements_is_bit_identical(ms_nn):
    for count, lr in itertools.product(SAMPLES["count"], SAMPLES["lr"]):
        milestone, learning_rates = [count, 2 * count, 3 * count], [lr, lr * 0.5, lr * 0.5 * 0.5]
        listed = ms_nn.piecewise_constant_lr(milestone, learning_rates)
        modelled = model("mindspore.piecewise_constant_lr").per_step(
            {"milestone": milestone, "learning_rates": learning_rates}, len(listed))
        assert modelled.tolist() == listed


# --- the verifier's cross-framework verdicts, confirmed by the real libraries ------------------------------------


def sampled_runs(claim):
    """The arguments of both sides at every value the verifier samples, and the run length."""
    plan = verify._plan(claim, {})
    for values in plan.samples(verify.MAX_SAMPLES):
        yield (verify._arguments(claim.source, {}, values), verify._arguments(claim.target, {}, values),
               verify._count(claim.run_steps, {}, values))


def assert_real_libraries_agree(torch, claim, real_target):
    """The verifier says equivalent, and so do real torch and the real MindSpore list at every sampled value."""
    assert verify.verify(claim).kind == verify.EQUIVALENT
    name = claim.source.model.removeprefix("torch.")
    for source, target, run in sampled_runs(claim):
        optimizer = sgd(torch, [source["base_lr"]])
        kwargs = {key: value for key, value in source.items() if key not in ("base_lr", "step_every")}
        used = lrs_seen(optimizer, getattr(torch.optim.lr_scheduler, name)(optimizer, **kwargs),
                        source["step_every"], run)
        listed = real_target(target)
        assert len(listed) >= run
        assert np.allclose(listed[:run], used, rtol=RTOL, atol=ATOL_SCALE * source["base_lr"]), (source, target)


def test_step_lr_is_piecewise_constant_with_running_product_rates(torch, ms_nn):
    claim = Claim(Schedule("torch.StepLR", {"base_lr": "lr", "step_size": "n", "gamma": "g"}),
                  Schedule("mindspore.piecewise_constant_lr",
                           {"milestone": "[n, 2 * n, 3 * n]", "learning_rates": "[lr, lr * g, lr * g * g]"}),
                  run_steps="3 * n")
    assert_real_libraries_agree(torch, claim, lambda t: ms_nn.piecewise_constant_lr(t["milestone"],
                                                                                   t["learning_rates"]))


def test_multistep_lr_is_piecewise_constant(torch, ms_nn):
    claim = Claim(Schedule("torch.MultiStepLR", {"base_lr": "lr", "milestones": "[30, 80]", "gamma": "g",
                                                 "step_every": "n"}),
                  Schedule("mindspore.piecewise_constant_lr",
                           {"milestone": "[30 * n, 80 * n, 100 * n]", "learning_rates": "[lr, lr * g, lr * g * g]"}),
                  run_steps="100 * n")
    assert_real_libraries_agree(torch, claim, lambda t: ms_nn.piecewise_constant_lr(t["milestone"],
                                                                                   t["learning_rates"]))


def test_exponential_lr_is_exponential_decay(torch, ms_nn):
    claim = Claim(Schedule("torch.ExponentialLR", {"base_lr": "lr", "gamma": "g", "step_every": "n"}),
                  Schedule("mindspore.exponential_decay_lr",
                           {"learning_rate": "lr", "decay_rate": "g", "total_step": "40 * n", "step_per_epoch": "n",
                            "decay_epoch": "1", "is_stair": "stair"}),
                  run_steps="40 * n")
    assert_real_libraries_agree(torch, claim, lambda t: ms_nn.exponential_decay_lr(*t.values()))


def test_polynomial_lr_is_polynomial_decay(torch, ms_nn):
    claim = Claim(Schedule("torch.PolynomialLR", {"base_lr": "lr", "total_iters": "k", "power": "p"}),
                  Schedule("mindspore.polynomial_decay_lr",
                           {"learning_rate": "lr", "end_learning_rate": "0.0", "total_step": "k + 10",
                            "step_per_epoch": "1", "decay_epoch": "k", "power": "p"}),
                  run_steps="k + 10")
    assert_real_libraries_agree(torch, claim, lambda t: ms_nn.polynomial_decay_lr(*t.values()))


def test_where_the_real_libraries_differ_the_verifier_says_so(torch, ms_nn):
    """A piecewise list whose first milestone is one step late: the verifier names the step real torch and the
    real list part at."""
    claim = Claim(Schedule("torch.StepLR", {"base_lr": "0.1", "step_size": "3", "gamma": "0.5"}),
                  Schedule("mindspore.piecewise_constant_lr",
                           {"milestone": "[4, 6, 9]", "learning_rates": "[0.1, 0.05, 0.025]"}),
                  run_steps="9", agrees_for="3")
    verdict = verify.verify(claim)
    optimizer = sgd(torch, [0.1])
    used = lrs_seen(optimizer, torch.optim.lr_scheduler.StepLR(optimizer, 3, 0.5), 1, 9)
    listed = np.array(ms_nn.piecewise_constant_lr([4, 6, 9], [0.1, 0.05, 0.025]))
    first = int(np.flatnonzero(~np.isclose(listed, used, rtol=RTOL, atol=ATOL_SCALE * 0.1))[0])
    assert (verdict.kind, verdict.first_difference) == (verify.DIVERGES, first) == (verify.DIVERGES, 3)


# --- chains of the other schedulers: the composite models the sibling rule's claims name ---------------------------

WARMUPS_THEN_DECAYS = [
    ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 3}, "MultiStepLR",
     {"milestones": [2, 5], "gamma": 0.1}),
    ("ConstantLR", {"factor": 0.5, "total_iters": 4}, "ExponentialLR", {"gamma": 0.9}),
    ("LinearLR", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 2}, "StepLR", {"step_size": 2, "gamma": 0.5}),
    ("ConstantLR", {"factor": 1 / 3, "total_iters": 2}, "PolynomialLR", {"total_iters": 6, "power": 2.0}),
]


@pytest.mark.parametrize("first, first_args, second, second_args", WARMUPS_THEN_DECAYS,
                         ids=[f"{first}-{second}" for first, _, second, _ in WARMUPS_THEN_DECAYS])
def test_the_sequential_composite_model_is_bit_identical_to_torch(torch, first, first_args, second, second_args):
    name = f"torch.SequentialLR[torch.{first},torch.{second}]"
    for base_lr, milestone, step_every in itertools.product((0.1, 0.003), (1, 3, 4), (1, 3)):
        steps = 14 * step_every
        optimizer = sgd(torch, [base_lr])
        lr_scheduler = torch.optim.lr_scheduler
        real = lr_scheduler.SequentialLR(optimizer, [getattr(lr_scheduler, first)(optimizer, **first_args),
                                                     getattr(lr_scheduler, second)(optimizer, **second_args)],
                                         milestones=[milestone])
        args = {"base_lr": base_lr, "milestones": [milestone], "step_every": step_every,
                **{f"0.{key}": value for key, value in first_args.items()},
                **{f"1.{key}": value for key, value in second_args.items()}}
        assert model(name).per_step(args, steps).tolist() == lrs_seen(optimizer, real, step_every, steps).tolist()


def test_the_concatenation_model_is_the_real_lists_one_after_the_other(ms_nn):
    """``warmup + exponential_decay_lr(...)``: the first list's steps, then the second's, raising past its end."""
    spe, split, total = 3, 6, 12
    warmup = [0.1 * (0.25 + 0.75 * min(step // spe, 2) / 2) for step in range(split)]
    decay = ms_nn.exponential_decay_lr(0.1, 0.5, total, spe, 2, True)
    args = {"split": split, "0.learning_rate": 0.1, "0.lr_lambda": lambda epoch: 0.25 + 0.75 * min(epoch, 2) / 2,
            "0.step_per_epoch": spe, "0.total_step": split, "1.learning_rate": 0.1, "1.decay_rate": 0.5,
            "1.total_step": total, "1.step_per_epoch": spe, "1.decay_epoch": 2, "1.is_stair": True}
    modelled = model("mindspore.concat[mindspore.epoch_function_list,mindspore.exponential_decay_lr]").per_step(
        args, split + total + 2)
    assert modelled[:split + total].tolist() == warmup + list(decay)
    assert np.isposinf(modelled[split + total:]).all()


@pytest.mark.parametrize("first, first_args", [("ConstantLR", {"factor": 0.1, "total_iters": 5}),
                                               ("LinearLR", {"start_factor": 0.01, "end_factor": 1.0, "total_iters": 3})])
def test_a_warmup_then_the_cosine_composite_follows_torch_within_the_tolerance(torch, first, first_args):
    """The cosine part is its closed form, torch recurses: equal within the verifier's tolerance, periodic past T_max."""
    name = f"torch.SequentialLR[torch.{first},torch.CosineAnnealingLR]"
    for base_lr, milestone, T_max, eta_min, step_every in itertools.product(
            (0.1, 1e-3), (2, 5), (3, 8), (0.0, 1e-5), (1, 4)):
        steps = (milestone + 3 * T_max) * step_every
        optimizer = sgd(torch, [base_lr])
        lr_scheduler = torch.optim.lr_scheduler
        real = lr_scheduler.SequentialLR(optimizer, [getattr(lr_scheduler, first)(optimizer, **first_args),
                                                     lr_scheduler.CosineAnnealingLR(optimizer, T_max, eta_min)],
                                         milestones=[milestone])
        args = {"base_lr": base_lr, "milestones": [milestone], "step_every": step_every, "1.T_max": T_max,
                "1.eta_min": eta_min, **{f"0.{key}": value for key, value in first_args.items()}}
        modelled = model(name).per_step(args, steps)
        assert np.allclose(modelled, lrs_seen(optimizer, real, step_every, steps), rtol=RTOL, atol=ATOL_SCALE * base_lr)


def test_the_chained_composite_model_is_bit_identical_to_torch(torch):
    name = "torch.ChainedScheduler[torch.StepLR,torch.ExponentialLR]"
    for base_lr, step_every in itertools.product((0.1, 0.003), (1, 3)):
        steps = 12 * step_every
        optimizer = sgd(torch, [base_lr])
        lr_scheduler = torch.optim.lr_scheduler
        real = lr_scheduler.ChainedScheduler([lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5),
                                              lr_scheduler.ExponentialLR(optimizer, gamma=0.9)])
        args = {"base_lr": base_lr, "step_every": step_every, "0.step_size": 3, "0.gamma": 0.5, "1.gamma": 0.9}
        assert model(name).per_step(args, steps).tolist() == lrs_seen(optimizer, real, step_every, steps).tolist()


def test_the_product_model_is_the_real_lists_multiplied_over_the_lr(ms_nn):
    spe, total = 2, 10
    steps = ms_nn.exponential_decay_lr(0.1, 0.5, total, spe, 3, True)
    decay = ms_nn.exponential_decay_lr(0.1, 0.9, total, spe, 1, True)
    part = {"learning_rate": 0.1, "total_step": total, "step_per_epoch": spe, "is_stair": True}
    args = {"base": 0.1, **{f"0.{key}": value for key, value in {**part, "decay_rate": 0.5, "decay_epoch": 3}.items()},
            **{f"1.{key}": value for key, value in {**part, "decay_rate": 0.9, "decay_epoch": 1}.items()}}
    modelled = model("mindspore.product[mindspore.exponential_decay_lr,mindspore.exponential_decay_lr]").per_step(
        args, total + 1)
    assert np.allclose(modelled[:total], [a * b / 0.1 for a, b in zip(steps, decay)], rtol=1e-15, atol=0)
    assert np.isposinf(modelled[total])


@pytest.mark.parametrize("warmup_epochs, epochs, steps, min_lr, decay_epoch", [
    (2, 8, 3, 0.0, 6), (1, 5, 4, 1e-4, 4), (3, 7, 1, 0.0, 2), (2, 6, 5, 1e-3, 9)])
def test_a_written_out_warmup_rewrite_follows_the_real_lists(torch, ms_nn, warmup_epochs, epochs, steps, min_lr,
                                                              decay_epoch):
    """The rule's two lambdas (``over`` the warmup's element, the cosine pair's ``step_lambda``) in a real
    SequentialLR stepped per optimizer step give the real MindSpore list ``[...] + nn.cosine_decay_lr(...)``."""
    from migrate.bridge.list_texts import over
    from migrate.rules.cosine_decay_to_torch import CosineDecayPair

    lr, warmup = 0.1, warmup_epochs * steps
    total = (epochs - warmup_epochs) * steps
    listed = [lr * (i + 1) / warmup for i in range(warmup)] + list(
        ms_nn.cosine_decay_lr(min_lr, lr, total, steps, decay_epoch))
    texts = {"min_lr": repr(min_lr), "max_lr": "lr", "total_step": "total", "step_per_epoch": "steps",
             "decay_epoch": "decay_epoch"}
    scope = {"math": math, "lr": lr, "warmup": warmup, "steps": steps, "decay_epoch": decay_epoch, "min": min}
    warmup_lambda = eval(f"lambda i: {over('lr * (i + 1) / warmup', 'lr')}", scope)  # noqa: S307 - the test's own text
    cosine_lambda = eval(CosineDecayPair().step_lambda(texts, "step", "math"), scope)  # noqa: S307
    optimizer = sgd(torch, [lr])
    lr_scheduler = torch.optim.lr_scheduler
    scheduler = lr_scheduler.SequentialLR(optimizer, [lr_scheduler.LambdaLR(optimizer, warmup_lambda),
                                                      lr_scheduler.LambdaLR(optimizer, cosine_lambda)],
                                          milestones=[warmup])
    np.testing.assert_allclose(lrs_seen(optimizer, scheduler, 1, warmup + total), listed, rtol=1e-12, atol=1e-15)
