"""The verifier's verdicts, and the safety net: a rewrite whose claim the models contradict is withheld."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import engine, evaluate, verify
from migrate.cli import main
from migrate.verify import Claim, Schedule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_to_mindspore"


def torch(base_lr="0.1", t_max="10", eta_min="0.0", step_every="1"):
    return Schedule("torch.CosineAnnealingLR",
                    {"base_lr": base_lr, "T_max": t_max, "eta_min": eta_min, "step_every": step_every})


def mindspore(min_lr="0.0", max_lr="0.1", total_step="11", step_per_epoch="1", decay_epoch="10"):
    return Schedule("mindspore.cosine_decay_lr", {"min_lr": min_lr, "max_lr": max_lr, "total_step": total_step,
                                                  "step_per_epoch": step_per_epoch, "decay_epoch": decay_epoch})


def test_equivalent_within_t_max():
    verdict = verify.verify(Claim(torch(), mindspore(), run_steps="11", agrees_for="11"))
    assert verdict.kind == verify.EQUIVALENT


def test_periodicity_past_t_max_diverges_at_epoch_t_max_plus_one():
    claim = Claim(torch(step_every="5", eta_min="0.001"),
                  mindspore(min_lr="0.001", total_step="150", step_per_epoch="5"),
                  run_steps="150", agrees_for="55")
    verdict = verify.verify(claim)
    assert verdict.kind == verify.DIVERGES
    assert verdict.first_difference == 55
    assert verdict.max_deviation == pytest.approx(0.099, abs=1e-12)


def test_list_shorter_than_the_run_is_reported_as_raising():
    verdict = verify.verify(Claim(torch(), mindspore(total_step="5"), run_steps="8", agrees_for="5"))
    assert verdict.kind == verify.DIVERGES
    assert verdict.first_difference == 5
    assert "MindSpore raises" in verdict.detail


def test_unknown_run_length_is_bounded():
    verdict = verify.verify(Claim(torch(), mindspore(), run_steps=None, agrees_for="11"))
    assert verdict.kind == verify.BOUNDED
    assert "at most 11 optimizer steps" in verdict.detail


def test_unknowns_are_sampled_consistently_on_both_sides():
    claim = Claim(torch(t_max="args.epochs", step_every="len(loader)"),
                  mindspore(total_step="args.epochs * len(loader)", step_per_epoch="len(loader)",
                            decay_epoch="args.epochs"),
                  run_steps="args.epochs * len(loader)", agrees_for="(args.epochs + 1) * len(loader)")
    verdict = verify.verify(claim)
    assert verdict.kind == verify.EQUIVALENT
    assert verdict.samples == 49


def test_claim_the_models_contradict_withholds():
    claim = Claim(torch(), mindspore(decay_epoch="12"), run_steps="11", agrees_for="11")
    verdict = verify.verify(claim)
    assert verdict.withholds
    assert "differ from step 1" in verdict.detail


def test_mindspore_validation_failure_contradicts_the_claim():
    verdict = verify.verify(Claim(torch(), mindspore(min_lr="0"), run_steps="11", agrees_for="11"))
    assert verdict.withholds
    assert "TypeError" in verdict.detail and "min_lr" in verdict.detail


def test_expression_the_evaluator_cannot_read_is_not_verifiable():
    verdict = verify.verify(Claim(torch(t_max="[10]"), mindspore(), run_steps="11", agrees_for="11"))
    assert verdict.kind == verify.NOT_VERIFIABLE


def test_a_deliberately_wrong_rule_is_withheld(tmp_path, monkeypatch):
    """decay_epoch off by one in both the emitted code and its claim: the models catch it, nothing is written."""
    from migrate.rules import cosine_annealing_to_mindspore as rule

    real_count = rule.CosineSite._count
    monkeypatch.setattr(rule.CosineSite, "_count", lambda self, node, name: f"{real_count(self, node, name)} + 1")
    source = (FIXTURES / "fully_qualified_per_epoch" / "input.py").read_text()
    target = tmp_path / "train.py"
    target.write_text(source)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert", "train.py"])
    assert result.exit_code == 4
    assert target.read_text() == source
    assert "train.py:7:13: MIG004 [error] MIG100 rewrite withheld" in result.stdout
    assert "1 rewrite withheld" in result.stderr


def test_the_real_rule_passes_the_same_check():
    data = (FIXTURES / "fully_qualified_per_epoch" / "input.py").read_bytes()
    result = engine.process_bytes(data, "train.py", engine.Options(), engine.load_rules("mindspore"))
    assert result.tally.withheld == 0 and result.tally.equivalent == 1


def test_verify_command_shows_the_divergence_and_exits_1():
    result = CliRunner().invoke(main, ["verify", "--t-max", "10", "--eta-min", "0.001", "--lr", "0.1",
                                       "--steps-per-epoch", "5", "--epochs", "30"])
    assert result.exit_code == 1
    assert "diverges from optimizer step 55 (epoch 11)" in result.stdout


def test_verify_command_exits_0_when_the_run_stays_within_t_max():
    result = CliRunner().invoke(main, ["verify", "--t-max", "10", "--lr", "0.1", "--steps-per-epoch", "5",
                                       "--epochs", "11"])
    assert result.exit_code == 0


def test_verify_command_prints_mindsporess_own_error_for_invalid_inputs():
    result = CliRunner().invoke(main, ["verify", "--t-max", "10", "--eta-min", "0.2", "--lr", "0.1",
                                       "--steps-per-epoch", "5", "--epochs", "11"])
    assert result.exit_code == 2
    assert "the 'max_lr' must be greater than the 'min_lr'" in result.stderr


def test_overlapping_rewrites_apply_only_the_first():
    """An engine guard: two fixes that replace the same statement must not both be applied."""
    import libcst as cst

    from migrate.rule import Code, Finding, Fix, Note, Rule

    class Overlapping(Rule):
        name, target, triggers = "overlap", "mindspore", ("x",)
        codes = (Code("OV100", "overlap", "info", "test", "test"),)

        def findings(self, analysis):
            statement = analysis.module.body[0]
            for value in ("1", "2"):
                claim = Claim(torch(), mindspore(), run_steps="11", agrees_for="11")
                replacement = [cst.parse_statement(f"x = {value}\n")]
                yield Finding(Note(statement, "OV100", "rewrite"), fix=Fix({statement: replacement}, claim,
                                                                           Note(statement, "OV100", "changes")))

    result = engine.process_bytes(b"x = 0\n", "f.py", engine.Options(), [Overlapping()])
    assert result.output == b"x = 1\n"
    assert [d.code for d in result.diagnostics] == ["MIG006", "OV100", "OV100"]
    assert result.tally.withheld == 1 and result.tally.equivalent == 1


def test_rewrite_whose_output_does_not_parse_is_not_written():
    """An engine guard: Python rejects ``return`` outside a function, so this output must never reach the file."""
    import libcst as cst

    from migrate.rule import Code, Finding, Fix, Note, Rule

    class Broken(Rule):
        name, target, triggers = "broken", "mindspore", ("x",)
        codes = (Code("BR100", "broken", "info", "test", "test"),)

        def findings(self, analysis):
            statement = analysis.module.body[0]
            claim = Claim(torch(), mindspore(), run_steps="11", agrees_for="11")
            yield Finding(Note(statement, "BR100", "rewrite"),
                          fix=Fix({statement: [cst.parse_statement("return x\n")]}, claim,
                                  Note(statement, "BR100", "changes")))

    result = engine.process_bytes(b"x = 0\n", "f.py", engine.Options(), [Broken()])
    assert result.output is None
    assert [d.code for d in result.diagnostics] == ["BR100", "MIG005"]
    assert result.tally.withheld == 1


# --- arguments beyond numbers: lists spelled out, flags, lambdas; the sampled factor and power domains -----------


def step_lr(base_lr="0.1", step_size="2", gamma="0.5", step_every="1"):
    return Schedule("torch.StepLR", {"base_lr": base_lr, "step_size": step_size, "gamma": gamma,
                                     "step_every": step_every})


def piecewise(milestone, learning_rates):
    return Schedule("mindspore.piecewise_constant_lr", {"milestone": milestone, "learning_rates": learning_rates})


def exponential_decay(learning_rate="0.1", decay_rate="0.5", total_step="8", step_per_epoch="1", decay_epoch="1",
                      is_stair="False"):
    return Schedule("mindspore.exponential_decay_lr", {
        "learning_rate": learning_rate, "decay_rate": decay_rate, "total_step": total_step,
        "step_per_epoch": step_per_epoch, "decay_epoch": decay_epoch, "is_stair": is_stair})


def test_a_literal_list_evaluates_element_by_element():
    """StepLR's lrs are a running product, so the piecewise rates written as one are the same floats."""
    claim = Claim(step_lr(), piecewise("[2, 4, 6]", "[0.1, 0.1 * 0.5, 0.1 * 0.5 * 0.5]"), run_steps="6")
    assert verify.verify(claim).kind == verify.EQUIVALENT
    tupled = Claim(step_lr(), piecewise("(2, 4, 6)", "(0.1, 0.1 * 0.5, 0.1 * 0.5 * 0.5)"), run_steps="6")
    assert verify.verify(tupled).kind == verify.EQUIVALENT


def test_a_wrong_list_element_is_found():
    verdict = verify.verify(Claim(step_lr(), piecewise("[2, 5, 6]", "[0.1, 0.05, 0.025]"), run_steps="6",
                                  agrees_for="4"))
    assert (verdict.kind, verdict.first_difference) == (verify.DIVERGES, 4)


def test_unknowns_inside_a_list_are_sampled_by_the_element_domain():
    claim = Claim(step_lr(base_lr="lr", step_size="n", gamma="g"),
                  piecewise("[n, 2 * n, 3 * n]", "[lr, lr * g, lr * g * g]"), run_steps="3 * n")
    verdict = verify.verify(claim)
    assert verdict.kind == verify.EQUIVALENT
    assert verdict.samples == len(verify.SAMPLES["lr"]) * len(verify.SAMPLES["count"]) * len(verify.SAMPLES["factor"])


def test_a_list_element_unknown_feeds_a_count():
    claim = Claim(Schedule("torch.MultiStepLR", {"base_lr": "0.1", "milestones": "[a, 2 * a]", "gamma": "0.5"}),
                  piecewise("[a, 2 * a, 3 * a]", "[0.1, 0.1 * 0.5, 0.1 * 0.5 * 0.5]"), run_steps="3 * a")
    verdict = verify.verify(claim)
    assert verdict.kind == verify.EQUIVALENT
    assert verdict.samples == len(verify.SAMPLES["count"])


@pytest.mark.parametrize("milestone", ["milestones", "args.milestones", "list(range(3))", "[*steps]"])
def test_a_list_the_code_does_not_spell_out_is_not_verifiable(milestone):
    verdict = verify.verify(Claim(step_lr(), piecewise(milestone, "[0.1, 0.05, 0.025]"), run_steps="6"))
    assert verdict.kind == verify.NOT_VERIFIABLE
    assert verdict.samples == 0


def test_a_list_argument_where_a_number_goes_is_not_verifiable():
    assert verify.verify(Claim(step_lr(step_size="[2]"), piecewise("[2]", "[0.1]"), run_steps="2")).kind == (
        verify.NOT_VERIFIABLE)


def test_a_literal_flag():
    torch_side = Schedule("torch.ExponentialLR", {"base_lr": "0.1", "gamma": "0.5", "step_every": "2"})
    stair = exponential_decay(decay_epoch="2", is_stair="True")
    assert verify.verify(Claim(torch_side, stair, run_steps="8")).kind == verify.EQUIVALENT
    smooth = verify.verify(Claim(torch_side, exponential_decay(decay_epoch="2", is_stair="False"), run_steps="8",
                                 agrees_for="1"))
    assert (smooth.kind, smooth.first_difference) == (verify.DIVERGES, 1)


def test_a_flag_left_to_a_variable_is_sampled_both_ways():
    torch_side = Schedule("torch.ExponentialLR", {"base_lr": "0.1", "gamma": "0.5", "step_every": "2"})
    verdict = verify.verify(Claim(torch_side, exponential_decay(decay_epoch="2", is_stair="args.stair"),
                                  run_steps="8", agrees_for="1"))
    assert verdict.kind == verify.DIVERGES
    assert "args.stair=False" in verdict.detail and "1 of 2 samples differ" in verdict.detail


@pytest.mark.parametrize("flag", ["1", "not stair", "STAIR"])
def test_a_flag_that_is_not_a_bool_is_not_verifiable(flag):
    torch_side = Schedule("torch.ExponentialLR", {"base_lr": "0.1", "gamma": "0.5"})
    verdict = verify.verify(Claim(torch_side, exponential_decay(is_stair=flag), run_steps="8"), {"STAIR": 1})
    assert verdict.kind == verify.NOT_VERIFIABLE


def lambda_lr(lr_lambda, base_lr="0.1"):
    return Schedule("torch.LambdaLR", {"base_lr": base_lr, "lr_lambda": lr_lambda})


def test_a_lambda_of_the_epoch_is_computed():
    assert verify.verify(Claim(lambda_lr("lambda e: 0.5 ** e"), exponential_decay(), run_steps="8")).kind == (
        verify.EQUIVALENT)
    wrong = verify.verify(Claim(lambda_lr("lambda e: 0.5 ** (e + 1)"), exponential_decay(), run_steps="8",
                                agrees_for="0"))
    assert (wrong.kind, wrong.first_difference) == (verify.DIVERGES, 0)


def test_a_lambda_reads_module_constants_but_its_argument_shadows_them():
    claim = Claim(lambda_lr("lambda epoch: GAMMA ** epoch"), exponential_decay(), run_steps="8")
    assert verify.verify(claim, {"GAMMA": 0.5, "epoch": 7}).kind == verify.EQUIVALENT


def test_what_a_lambda_reads_besides_its_argument_is_sampled_as_an_epoch_count():
    def listed(function: str) -> Schedule:
        return Schedule("mindspore.epoch_function_list", {"learning_rate": "0.1", "lr_lambda": function,
                                                          "step_per_epoch": "1", "total_step": "n"})

    same = verify.verify(Claim(lambda_lr("lambda e: (1 - e / n) ** 0.9"), listed("lambda k: (1 - k / n) ** 0.9"),
                               run_steps="n"))
    assert same.kind == verify.EQUIVALENT and "n" in same.detail
    shifted = verify.verify(Claim(lambda_lr("lambda e: (1 - e / n) ** 0.9"),
                                  listed("lambda k: (1 - k / (n + 1)) ** 0.9"), run_steps="n"))
    assert shifted.kind == verify.CONTRADICTED


@pytest.mark.parametrize("lr_lambda", ["schedule_fn", "lambda e, f=1: 0.5 ** e",
                                       "lambda *e: 1.0", "lambda: 1.0", "lambda e: helper(e)"])
def test_a_function_the_verifier_would_have_to_run_is_not_verifiable(lr_lambda):
    verdict = verify.verify(Claim(lambda_lr(lr_lambda), exponential_decay(), run_steps="8"))
    assert verdict.kind == verify.NOT_VERIFIABLE


def test_factors_and_powers_are_sampled():
    exponential = Claim(Schedule("torch.ExponentialLR", {"base_lr": "lr", "gamma": "g", "step_every": "n"}),
                        exponential_decay("lr", "g", "10 * n", "n", "1"), run_steps="10 * n")
    verdict = verify.verify(exponential)
    assert verdict.kind == verify.EQUIVALENT
    assert "g" in verdict.detail and verdict.samples == 3 * 3 * 7
    polynomial = Claim(
        Schedule("torch.PolynomialLR", {"base_lr": "lr", "total_iters": "k", "power": "p"}),
        Schedule("mindspore.polynomial_decay_lr", {
            "learning_rate": "lr", "end_learning_rate": "0.0", "total_step": "k + 5", "step_per_epoch": "1",
            "decay_epoch": "k", "power": "p"}),
        run_steps="k + 5")
    verdict = verify.verify(polynomial)
    assert verdict.kind == verify.EQUIVALENT
    assert verdict.samples == 3 * 7 * len(verify.SAMPLES["power"])


def test_samples_where_an_assumed_positive_value_is_not_are_no_runs():
    """eta_min=0.01 with an unknown lr: sampling lr=0.001 would make MindSpore reject min_lr >= max_lr, which the
    rule states as its assumption; such a sample is not a run of the rewritten program, not a contradiction."""
    source = Schedule("torch.CosineAnnealingLR", {"base_lr": "lr", "T_max": "10", "eta_min": "0.01"})
    target = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.01", "max_lr": "lr", "total_step": "11",
                                                    "step_per_epoch": "1", "decay_epoch": "10"})
    assert verify.verify(Claim(source, target, run_steps="11")).kind == verify.CONTRADICTED
    verdict = verify.verify(Claim(source, target, run_steps="11", positive=("lr - 0.01",)))
    assert verdict.kind == verify.EQUIVALENT, verdict.detail


def test_counts_just_past_the_claims_own_literals_are_probed():
    """T_max=200 with a run of args.epochs epochs: the count domain stops at 100, so without probing 201 and 202
    the clamp of the MindSpore list past T_max would never be sampled and the plain list would pass as exact."""
    source = Schedule("torch.CosineAnnealingLR", {"base_lr": "0.1", "T_max": "200", "step_every": "1"})
    target = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": "0.1", "total_step": "args.epochs",
                                                    "step_per_epoch": "1", "decay_epoch": "200"})
    verdict = verify.verify(Claim(source, target, run_steps="args.epochs", agrees_for="201"))
    assert verdict.kind == verify.DIVERGES, verdict.detail
    assert verdict.first_difference == 201


def test_constants_are_names_bound_once_anywhere_in_the_module():
    """A local ``epochs = 9`` (or ``epochs, warmup = 10, 2``) can only hold that value wherever it is read; a name
    also bound as a parameter, an import, a loop target or a second assignment is not a constant."""
    from migrate import evaluate

    source = (
        "import torch as lr\n"
        "def main():\n"
        "    epochs, warmup = 10, 2\n"
        "    total = epochs * 4\n"
        "    steps = 3\n"
        "    for batches in range(2):\n"
        "        pass\n"
        "def helper(steps):\n"
        "    return steps\n"
        "batches = 5\n"
        "lr = 0.1\n"
    )
    assert evaluate.module_constants(source) == {"epochs": 10, "warmup": 2, "total": 40}


def test_a_defined_name_is_read_as_its_definition_not_sampled_apart():
    source = Schedule("torch.CosineAnnealingLR", {"base_lr": "0.1", "T_max": "t_max", "step_every": "n"})
    target = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": "0.1", "total_step": "epochs * n",
                                                    "step_per_epoch": "n", "decay_epoch": "t_max"})
    apart = verify.verify(Claim(source, target, run_steps="epochs * n"))
    assert apart.kind == verify.CONTRADICTED, "t_max and epochs sampled apart: the run can pass T_max"
    defined = verify.verify(Claim(source, target, run_steps="epochs * n", definitions=(("t_max", "epochs"),)))
    assert defined.kind == verify.EQUIVALENT and "t_max" not in defined.detail


def test_a_definition_never_reaches_into_a_lambda_whose_argument_it_reads():
    assert evaluate.substitute("lambda e: e / t + u", {"t": "e * 2", "u": "epochs"}) == "lambda e: e / t + epochs"
