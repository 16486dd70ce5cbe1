"""The warmup-then-cosine chain models without torch or MindSpore: against the replica state machines, each other
and the verifier (the real libraries are in ``test_chain_oracle.py``)."""

import math
import random

import numpy as np
import pytest

from migrate import verify
from migrate.schedules import cosine_decay_lr, model
from migrate.schedules import warmup_cosine as wc
from migrate.verify import ATOL_SCALE, RTOL, Claim, Schedule


def torch_args(base_lr=0.1, start_factor=0.25, end_factor=1.0, total_iters=3, milestone=3, T_max=10, eta_min=0.001,
               step_every=1):
    return {"base_lr": base_lr, "start_factor": start_factor, "end_factor": end_factor, "total_iters": total_iters,
            "milestone": milestone, "T_max": T_max, "eta_min": eta_min, "step_every": step_every}


def mindspore_args(base_lr=0.1, start_factor=0.25, end_factor=1.0, total_iters=3, milestone=3, min_lr=0.001,
                   decay_epoch=10, step_per_epoch=1, total_step=40):
    return {"base_lr": base_lr, "start_factor": start_factor, "end_factor": end_factor, "total_iters": total_iters,
            "milestone": milestone, "min_lr": min_lr, "decay_epoch": decay_epoch, "step_per_epoch": step_per_epoch,
            "total_step": total_step}


def replica_per_step(args, steps):
    epochs = -(-steps // args["step_every"])
    per_epoch = wc.sequential_replica_per_epoch(*(args[name] for name in list(args)[:-1]), epochs)
    return [per_epoch[i // args["step_every"]] for i in range(steps)]


class TestTorchChain:
    def test_measured_recipe(self):
        """SEMANTICS 6: b=0.1, eta_min=0.001, W=3, s=0.25 ramps 0.025, 0.05, 0.075, then restarts the cosine at b."""
        lrs = model("torch.LinearWarmupCosine").per_step(torch_args(T_max=9), 13)
        assert lrs[:4].tolist() == pytest.approx([0.025, 0.05, 0.075, 0.1], rel=1e-15)
        assert lrs[12] == pytest.approx(0.001, abs=1e-17)

    @pytest.mark.parametrize("milestone", [0, -2, 1, 3, 7, 3.0, 2.5, 40])
    def test_bit_identical_to_the_replica_chain(self, milestone):
        """Whole milestones by segments, a restart at M <= 0 from the base lr, others on the state machines."""
        for T_max in (1, 4, 7, 2.5):
            args = torch_args(milestone=milestone, T_max=T_max, total_iters=4, step_every=3)
            modelled = model("torch.LinearWarmupCosine").per_step(args, 150)
            assert modelled.tolist() == replica_per_step(args, 150), (milestone, T_max)

    def test_bit_identical_over_many_periods_with_eta_min(self):
        args = torch_args(base_lr=0.3, eta_min=1e-4, T_max=13, milestone=5, total_iters=5)
        assert model("torch.LinearWarmupCosine").per_step(args, 2000).tolist() == replica_per_step(args, 2000)

    def test_bad_arguments_raise_what_torch_raises(self):
        with pytest.raises(ValueError, match="^Starting multiplicative factor"):
            model("torch.LinearWarmupCosine").per_step(torch_args(start_factor=0.0), 5)
        with pytest.raises(ZeroDivisionError, match="float division by zero"):
            model("torch.LinearWarmupCosine").per_step(torch_args(T_max=0), 5)
        assert len(model("torch.LinearWarmupCosine").per_step(torch_args(T_max=0), 3)) == 3


class TestMindSporeList:
    def written_list(self, args):
        """The rewrite's list, built as the emitted code builds it, from the bit-exact ``cosine_decay_lr``."""
        b, s, e, W, M = (args[n] for n in ("base_lr", "start_factor", "end_factor", "total_iters", "milestone"))
        spe, T = args["step_per_epoch"], args["decay_epoch"]
        cycle = cosine_decay_lr(args["min_lr"], b, T + 1, 1, T)
        warmup = [b * (s + (e - s) * min(step // spe, W) / W) for step in range(M * spe)]
        return warmup + [cycle[min((step // spe - M) % (2 * T), -(step // spe - M) % (2 * T))]
                         for step in range(M * spe, args["total_step"])]

    @pytest.mark.parametrize(
        "args",
        [mindspore_args(), mindspore_args(step_per_epoch=3, total_step=100, milestone=4, total_iters=2),
         mindspore_args(milestone=0, total_step=25), mindspore_args(decay_epoch=1, total_step=9, end_factor=0.5)],
    )
    def test_bit_identical_to_the_written_list(self, args):
        listed = self.written_list(args)
        modelled = model("mindspore.linear_warmup_cosine").per_step(args, len(listed) + 2)
        assert modelled[: len(listed)].tolist() == listed
        assert np.isposinf(modelled[len(listed) :]).all()

    def test_within_decay_epoch_the_cosine_is_cosine_decay_lr(self):
        args = mindspore_args(step_per_epoch=2, decay_epoch=10, total_step=(3 + 11) * 2)
        modelled = model("mindspore.linear_warmup_cosine").per_step(args, args["total_step"])
        assert modelled[6:].tolist() == cosine_decay_lr(0.001, 0.1, 22, 2, 10)

    def test_validation(self):
        with pytest.raises(ValueError, match="'max_lr' must be greater than the 'min_lr'"):
            model("mindspore.linear_warmup_cosine").per_step(mindspore_args(min_lr=0.2), 5)
        with pytest.raises(TypeError, match="'total_step' must be int"):
            model("mindspore.linear_warmup_cosine").per_step(mindspore_args(total_step=40.0), 5)
        with pytest.raises(ZeroDivisionError):
            model("mindspore.linear_warmup_cosine").per_step(mindspore_args(total_iters=0), 1)
        with pytest.raises(TypeError, match="cannot be interpreted as an integer"):
            model("mindspore.linear_warmup_cosine").per_step(mindspore_args(milestone=2.5), 5)


def configurations(count):
    rng = random.Random(7)
    for _ in range(count):
        warmup = rng.choice([1, 2, 5, rng.randint(1, 30)])
        T_max = rng.choice([1, 3, rng.randint(1, 200)])
        base_lr = 10 ** rng.uniform(-5, 0)
        eta_min = rng.choice([0.0, base_lr * rng.uniform(0, 0.5)])
        spe = rng.choice([1, 1, rng.randint(2, 40)])
        epochs = rng.randint(1, warmup + 6 * T_max + 5)
        yield base_lr, rng.choice([1 / 3, 0.1, 0.9, rng.uniform(0.01, 1)]), rng.choice([1.0, 0.5]), warmup, T_max, \
            eta_min, spe, epochs


def test_agree_within_the_verifiers_tolerance_when_the_milestone_is_the_warmup():
    """Any run length: past T_max both are periodic; the warmup's running product and closed form round apart."""
    steps = 0
    for base_lr, s, e, W, T, m, spe, epochs in configurations(300):
        run = epochs * spe
        torch_lrs = model("torch.LinearWarmupCosine").per_step(torch_args(base_lr, s, e, W, W, T, m, spe), run)
        ms_lrs = model("mindspore.linear_warmup_cosine").per_step(
            mindspore_args(base_lr, s, e, W, W, m, T, spe, run), run)
        assert np.allclose(ms_lrs, torch_lrs, rtol=RTOL, atol=ATOL_SCALE * base_lr), (base_lr, s, e, W, T, m, spe)
        steps += run
    assert steps > 100_000


def torch_schedule(**args):
    return Schedule("torch.LinearWarmupCosine", args)


def mindspore_schedule(**args):
    return Schedule("mindspore.linear_warmup_cosine", args)


class TestVerifier:
    def test_literal_arguments_are_equivalent_for_the_whole_periodic_run(self):
        claim = Claim(
            torch_schedule(base_lr="0.1", start_factor="0.25", total_iters="3", milestone="3", T_max="10",
                           eta_min="0.001", step_every="5"),
            mindspore_schedule(base_lr="0.1", start_factor="0.25", end_factor="1.0", total_iters="3", milestone="3",
                               min_lr="0.001", decay_epoch="10", step_per_epoch="5", total_step="60 * 5"),
            run_steps="60 * 5")
        verdict = verify.verify(claim)
        assert verdict.kind == verify.EQUIVALENT and verdict.samples == 1

    def test_torchs_defaults_are_its_own(self):
        """start_factor 1/3, end_factor 1.0, total_iters 5, eta_min 0.0, step_every 1, as torch's."""
        claim = Claim(torch_schedule(base_lr="0.1", milestone="5", T_max="7"),
                      mindspore_schedule(base_lr="0.1", start_factor="1 / 3", end_factor="1.0", total_iters="5",
                                         milestone="5", min_lr="0.0", decay_epoch="7", step_per_epoch="1",
                                         total_step="40"),
                      run_steps="40")
        assert verify.verify(claim).kind == verify.EQUIVALENT

    def test_sampled_unknowns_are_equivalent(self):
        claim = Claim(
            torch_schedule(base_lr="args.lr", start_factor="s", end_factor="e", total_iters="args.warmup",
                           milestone="args.warmup", T_max="args.epochs", eta_min="m",
                           step_every="len(loader)"),
            mindspore_schedule(base_lr="args.lr", start_factor="s", end_factor="e", total_iters="args.warmup",
                               milestone="args.warmup", min_lr="m", decay_epoch="args.epochs",
                               step_per_epoch="len(loader)", total_step="(args.warmup + 3 * args.epochs) * len(loader)"),
            run_steps="(args.warmup + 3 * args.epochs) * len(loader)")
        verdict = verify.verify(claim)
        assert verdict.kind == verify.EQUIVALENT, verdict.detail
        assert verdict.samples == verify.MAX_SAMPLES
        assert {"args.lr", "s", "e", "args.warmup", "args.epochs", "m", "len(loader)"} <= set(
            verdict.detail.split(" of ")[-1].split(", "))

    def test_a_milestone_other_than_the_warmup_on_one_side_diverges(self):
        """torch holds the warmed-up lr from epoch W to M; a list that starts its cosine at W parts at W + 1."""
        claim = Claim(
            torch_schedule(base_lr="0.1", start_factor="0.25", total_iters="3", milestone="5", T_max="10",
                           step_every="4"),
            mindspore_schedule(base_lr="0.1", start_factor="0.25", end_factor="1.0", total_iters="3", milestone="3",
                               min_lr="0.0", decay_epoch="10", step_per_epoch="4", total_step="80"),
            run_steps="80", agrees_for="16")
        verdict = verify.verify(claim)
        assert (verdict.kind, verdict.first_difference) == (verify.DIVERGES, 16)

    def test_a_milestone_other_than_the_warmup_on_both_sides_is_equivalent(self):
        for milestone in ("2", "5"):
            claim = Claim(
                torch_schedule(base_lr="0.1", start_factor="0.25", total_iters="3", milestone=milestone, T_max="10"),
                mindspore_schedule(base_lr="0.1", start_factor="0.25", end_factor="1.0", total_iters="3",
                                   milestone=milestone, min_lr="0.0", decay_epoch="10", step_per_epoch="1",
                                   total_step="40"),
                run_steps="40")
            assert verify.verify(claim).kind == verify.EQUIVALENT

    def test_a_run_past_the_list_raises(self):
        claim = Claim(torch_schedule(base_lr="0.1", milestone="5", T_max="7"),
                      mindspore_schedule(base_lr="0.1", start_factor="1 / 3", end_factor="1.0", total_iters="5",
                                         milestone="5", min_lr="0.0", decay_epoch="7", step_per_epoch="1",
                                         total_step="12"),
                      run_steps="20", agrees_for="12")
        verdict = verify.verify(claim)
        assert (verdict.kind, verdict.first_difference) == (verify.DIVERGES, 12)
        assert "MindSpore raises" in verdict.detail

    def test_a_clamped_cosine_list_differs_from_the_periodic_chain(self):
        """The chain is periodic: a plain cosine_decay_lr after the warmup parts at epoch M + T_max + 1."""
        period_end = (3 + 10 + 1) * 2
        lrs = model("torch.LinearWarmupCosine").per_step(
            {**torch_args(step_every=2), "eta_min": 0.0}, 60)
        clamped = [0.1 * (0.25 + 0.75 * min(i // 2, 3) / 3) for i in range(6)] + cosine_decay_lr(0.0, 0.1, 54, 2, 10)
        close = np.isclose(clamped, lrs, rtol=RTOL, atol=ATOL_SCALE * 0.1)
        assert close[:period_end].all() and not close[period_end]
        assert math.isclose(lrs[period_end], lrs[period_end - 4], rel_tol=1e-12)


def test_milestone_rates_are_torch_multistep_for_runs_shorter_and_longer_than_the_milestones():
    """The MultiStepLR list: bit-identical to torch's running product whether or not the run passes the last
    milestone, and it raises (``+inf`` past the end) one step past total_step like every MindSpore list."""
    from migrate.schedules import model

    for epochs in (3, 7, 12):
        torch_args = {"base_lr": 0.1, "milestones": [5, 8], "gamma": 0.1, "step_every": 4}
        list_args = {"milestones": [5, 8], "learning_rates": [0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1], "step_per_epoch": 4,
                     "total_step": epochs * 4, "whole_only": False}
        expected = model("torch.MultiStepLR").per_step(torch_args, epochs * 4)
        actual = model("mindspore.milestone_rates").per_step(list_args, epochs * 4 + 1)
        assert list(actual[:-1]) == list(expected)
        assert actual[-1] == float("inf")


def test_a_milestone_that_is_not_whole_never_fires_in_torch_nor_in_the_whole_only_list():
    """``milestones=[0.5 * n, 0.75 * n]``: torch decays only at an epoch equal to a milestone, so 2.5 never fires
    and 6.0 does; the list that counts whole milestones only agrees, the plain count does not."""
    from migrate.schedules import model

    torch_args = {"base_lr": 0.1, "milestones": [2.5, 6.0], "gamma": 0.1, "step_every": 2}
    list_args = {"milestones": [2.5, 6.0], "learning_rates": [0.1, 0.1 * 0.1, 0.1 * 0.1 * 0.1], "step_per_epoch": 2,
                 "total_step": 20}
    expected = list(model("torch.MultiStepLR").per_step(torch_args, 20))
    assert expected[5 * 2] == 0.1 and expected[7 * 2] != 0.1
    whole = model("mindspore.milestone_rates").per_step({**list_args, "whole_only": True}, 20)
    plain = model("mindspore.milestone_rates").per_step({**list_args, "whole_only": False}, 20)
    assert list(whole) == expected and list(plain) != expected
