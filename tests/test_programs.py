"""Realistic training scripts (``tests/programs/<direction>/*.py``), each converted and run by the differential
harness in both modes: no conversion may change the learning rates silently, crash the tool or refuse without a
diagnostic at the site; the scripts that convert exactly today must keep doing so. The share of sites rewritten
exactly by default is printed (issue 9 targets 90 %), not asserted.

Each script's docstring says its shape and what the tool should do ("Expect: rewrite", "Expect: refuse (...)",
"Expect: rewrite with a warning (...)"); scripts run with no command-line arguments, so argparse defaults apply.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import differential

PROGRAMS = Path(__file__).parent / "programs"
TARGETS = {"torch_to_mindspore": "mindspore", "mindspore_to_torch": "torch", "schedulers_to_mindspore": "mindspore"}
COSINE_FOLDERS = ("torch_to_mindspore", "mindspore_to_torch")
"""The folders of CosineAnnealingLR/cosine_decay_lr scripts (one site each); ``schedulers_to_mindspore`` holds
torch's other list-form schedulers."""

EXACT_TODAY = {
    "torch_to_mindspore/amp_scaler_helper",
    "schedulers_to_mindspore/step_lr_at_epoch_start_old_torch_order",
    "torch_to_mindspore/build_scheduler_per_iteration_handed_to_helper",
    "torch_to_mindspore/builder_returns_tuple",
    "torch_to_mindspore/builder_sequential_warmup",
    "torch_to_mindspore/checkpoint_state_dict",
    "torch_to_mindspore/cifar_globals_train_helper",
    "torch_to_mindspore/flag_choice_cos_or_step",
    "torch_to_mindspore/flag_choice_elif_raise",
    "torch_to_mindspore/inline_per_epoch",
    "torch_to_mindspore/loader_defined_after_scheduler",
    "torch_to_mindspore/iters_per_epoch_cap",
    "torch_to_mindspore/logs_get_last_lr",
    "torch_to_mindspore/main_train_one_epoch_params",
    "torch_to_mindspore/none_first_guarded_step",
    "torch_to_mindspore/param_groups_backbone_head",
    "torch_to_mindspore/per_iteration_t_max_in_steps",
    "torch_to_mindspore/runs_past_t_max",
    "torch_to_mindspore/sequential_warmup_cosine",
    "torch_to_mindspore/step_budget_while",
    "torch_to_mindspore/trainer_class_attributes",
    "torch_to_mindspore/torchvision_reference_warmup_recipe",
    "torch_to_mindspore/torchvision_reference_optimizer_flag_param_groups",
    "torch_to_mindspore/transfer_learning_phase_loop",
    "torch_to_mindspore/trainer_builds_its_loader_in_init",
    "mindspore_to_torch/argparse_sizes",
    "mindspore_to_torch/written_out_warmup_then_cosine",
    "mindspore_to_torch/config_dict_sizes",
    "mindspore_to_torch/dataset_size_positional_adam",
    "mindspore_to_torch/decay_epoch_shorter_than_run",
    "mindspore_to_torch/fit_one_epoch_helper",
    "mindspore_to_torch/flag_choice_cosine_step_constant",
    "mindspore_to_torch/flag_choice_default_step_else_raises",
    "mindspore_to_torch/flag_default_then_override",
    "mindspore_to_torch/helper_returns_lr_list",
    "mindspore_to_torch/inline_dict_iterator",
    "mindspore_to_torch/logs_lr_by_step",
    "mindspore_to_torch/one_list_two_optimizers",
    "mindspore_to_torch/step_budget_while",
    "mindspore_to_torch/tensor_float32_wrapper",
    "mindspore_to_torch/train_one_step_cell",
    "mindspore_to_torch/train_one_step_cell_in_helper",
    "mindspore_to_torch/train_step_value_and_grad",
    "mindspore_to_torch/tutorial_iterator_and_eval_model",
    "mindspore_to_torch/trainer_class_attributes",
    "mindspore_to_torch/warmup_plus_cosine",
    "mindspore_to_torch/resume_sliced_list",
    "torch_to_mindspore/resume_start_epoch",
    "torch_to_mindspore/optimizer_chosen_by_flag",
    "torch_to_mindspore/optimizer_flag_different_lrs",
    "torch_to_mindspore/optimizer_flag_step_first_constant_branch",
    "torch_to_mindspore/default_step_overridden_by_cosine_flag",
    "torch_to_mindspore/flag_choice_poly_lambda",
    "torch_to_mindspore/star_import_scheduler",
    "mindspore_to_torch/param_groups_no_decay_bias",
    "torch_to_mindspore/builder_returns_scheduler",
    "torch_to_mindspore/per_iteration_total_steps",
    "torch_to_mindspore/config_dict_hparams",
    "torch_to_mindspore/get_scheduler_by_name",
    "torch_to_mindspore/step_at_epoch_start_darts",
    "torch_to_mindspore/sequential_lambda_warmup_cosine",
    "torch_to_mindspore/sequential_constant_warmup_cosine_per_step",
    "torch_to_mindspore/checkpoint_resume_state_dicts",
    "schedulers_to_mindspore/exponential_lr_per_iteration",
    "schedulers_to_mindspore/flag_step_or_multistep",
    "schedulers_to_mindspore/lambda_lr_linear_warmup",
    "schedulers_to_mindspore/linear_lr_trainer_class",
    "schedulers_to_mindspore/multistep_lr_main",
    "schedulers_to_mindspore/step_lr_train_helper",
    "schedulers_to_mindspore/sequential_warmup_multistep",
    "schedulers_to_mindspore/sequential_constant_then_exponential_per_step",
    "schedulers_to_mindspore/sequential_lambda_warmup_step_helper",
    "schedulers_to_mindspore/chained_step_and_exponential",
    "torch_to_mindspore/run_helper_passes_scheduler_keyword",
    "torch_to_mindspore/train_one_epoch_steps_scheduler_per_batch",
    "torch_to_mindspore/trainer_fit_loops_train_one_epoch",
    "torch_to_mindspore/cifar_train_test_best_checkpoint",
    "mindspore_to_torch/trainer_fit_loops_train_epoch",
    "torch_to_mindspore/gradient_accumulation",
    "torch_to_mindspore/logs_param_group_lr_in_helper",
    "torch_to_mindspore/train_helper_steps_scheduler_after_batches",
    "torch_to_mindspore/trainer_train_epoch_steps_scheduler_tuple_attributes",
    "torch_to_mindspore/tqdm_loader_epochs_from_one",
    "torch_to_mindspore/validation_early_stopping_break",
    "mindspore_to_torch/tqdm_dataset_iterator_warmup",
    "torch_to_mindspore/gradient_accumulation_helper_hf_style",
    "torch_to_mindspore/darts_step_first_train_helper",
    "torch_to_mindspore/step_with_epoch_argument",
    "torch_to_mindspore/scheduler_builder_returns_sequential_chain",
    "torch_to_mindspore/trainer_receives_scheduler_in_constructor",
    "torch_to_mindspore/hf_no_trainer_accumulation_budget",
    "torch_to_mindspore/logs_lr_after_helper_steps_scheduler",
    "torch_to_mindspore/trange_epochs_optim_alias",
    "torch_to_mindspore/torchvision_reference_checkpoints",
    "torch_to_mindspore/flag_created_flag_stepped",
    "torch_to_mindspore/train_function_builds_scheduler_from_given_optimizer",
    "mindspore_to_torch/model_zoo_config_class_logs_get_lr",
}
"""Scripts expected to rewrite whose default verdict is ``exact`` now: a regression turns one of them red."""


@dataclass(frozen=True)
class Script:
    name: str
    program: differential.Program
    expectation: str

    @property
    def expects_exact_rewrite(self) -> bool:
        return self.expectation.startswith("Expect: rewrite") and "warning" not in self.expectation


def _expectation(source: str) -> str:
    docstring = ast.get_docstring(ast.parse(source)) or ""
    return next((line for line in docstring.splitlines() if line.startswith("Expect:")), "")


def _scripts() -> list[Script]:
    scripts = []
    for folder, target in TARGETS.items():
        for path in sorted((PROGRAMS / folder).glob("*.py")):
            source = path.read_text()
            name = f"{folder}/{path.stem}"
            scripts.append(Script(name, differential.Program(source, target, (), name), _expectation(source)))
    return scripts


SCRIPTS = _scripts()


def _site_count(source: str) -> int:
    """Calls to ``CosineAnnealingLR``/``cosine_decay_lr`` by their last name, as the harness finds a site."""
    calls = (node.func for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call))
    names = (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "") for func in calls)
    return sum(1 for name in names if name in differential.SITE_CALLS)


def _first_code(outcome: differential.Outcome) -> str:
    return outcome.diagnostics.split(" ", 2)[1] if outcome.diagnostics else "-"


def test_both_directions_hold_at_least_twenty_scripts_with_one_site_and_an_expectation():
    for folder in COSINE_FOLDERS:
        assert len([script for script in SCRIPTS if script.name.startswith(folder)]) >= 20, folder
    for script in SCRIPTS:
        assert script.expectation, f"{script.name}: the docstring has no 'Expect:' line"
        if script.name.startswith(COSINE_FOLDERS):
            assert _site_count(script.program.source) == 1, f"{script.name}: the share counts one site per script"


@pytest.mark.parametrize("script", [script for script in SCRIPTS if script.expectation.startswith("Expect: refuse (MIG")],
                         ids=lambda script: script.name)
def test_a_refused_script_reports_the_code_its_docstring_names(script):
    code = script.expectation.removeprefix("Expect: refuse (").split(":")[0]
    outcome = differential.judge(script.program, unsafe_fixes=False)
    assert outcome.verdict == differential.REFUSED
    assert f" {code} " in outcome.diagnostics, outcome.diagnostics


@pytest.mark.parametrize("unsafe_fixes", [False, True], ids=["default", "unsafe-fixes"])
@pytest.mark.parametrize("script", SCRIPTS, ids=[script.name for script in SCRIPTS])
def test_script_converts_without_silent_change_crash_or_unreported_refusal(script, unsafe_fixes):
    outcome = differential.judge(script.program, unsafe_fixes)
    assert outcome.verdict != differential.INVALID, outcome.detail
    assert not outcome.failed, f"{outcome.verdict}: {outcome.detail}\n{outcome.diagnostics}"


@pytest.mark.parametrize("name", sorted(EXACT_TODAY))
def test_scripts_that_convert_exactly_today_keep_converting_exactly(name):
    script = next(script for script in SCRIPTS if script.name == name)
    assert script.expects_exact_rewrite, f"{name} is not marked 'Expect: rewrite'"
    outcome = differential.judge(script.program, unsafe_fixes=False)
    assert outcome.verdict == differential.EXACT, f"{outcome.verdict}: {outcome.detail}\n{outcome.diagnostics}"


def test_share_of_sites_rewritten_exactly_by_default(capsys):
    rows, exact = [], 0
    for script in SCRIPTS:
        default, unsafe = (differential.judge(script.program, unsafe_fixes) for unsafe_fixes in (False, True))
        exact += default.verdict == differential.EXACT
        rows.append(f"{script.name:58} {default.verdict:9} {unsafe.verdict:9} {_first_code(default):7} "
                    f"{script.expectation}")
    share = exact / len(SCRIPTS)
    with capsys.disabled():
        print(f"\n{'script':58} {'default':9} {'unsafe':9} {'first':7} expectation")
        print("\n".join(rows))
        print(f"sites rewritten exactly by default: {exact} of {len(SCRIPTS)} ({share:.0%}; issue 9 targets 90 %)")
    assert exact >= len(EXACT_TODAY)
