"""The verifier's verdicts, and the safety net: a rewrite whose claim the models contradict is withheld."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import engine, verify
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

    real_count = rule._Site._count
    monkeypatch.setattr(rule._Site, "_count", lambda self, node, name: f"{real_count(self, node, name)} + 1")
    source = (FIXTURES / "fully_qualified_per_epoch" / "input.py").read_text()
    target = tmp_path / "train.py"
    target.write_text(source)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["convert", "train.py"])
    assert result.exit_code == 4
    assert target.read_text() == source
    assert "train.py:7:13: MIG004 [error] CA100 rewrite withheld" in result.stdout
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
        name, family, target, triggers = "overlap", "OV", "mindspore", ("x",)
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
        name, family, target, triggers = "broken", "BR", "mindspore", ("x",)
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
