"""Inputs that must never crash, hang or mislead the run: huge numbers, bad files, text only LibCST accepts.

Each test here failed before the behaviour it names existed: an OverflowError traceback, a NumPy warning and a
MIG004 blaming a rule, minutes in the evaluator, a PermissionError traceback from the write, a read blocking on a
FIFO, MIG005 for input CPython rejects, MIG003 one line off, MIG108 on a type annotation.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate import engine, evaluate, files, outcome, run, verify
from migrate.cli import main
from migrate.rule import Code, Rule
from migrate.verify import Claim, Schedule

FORWARD = """import torch

{before}optimizer = torch.optim.SGD(model.parameters(), lr={lr})
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max}, eta_min={eta_min})
for epoch in range({epochs}):
    for batch in loader:
        optimizer.step()
    scheduler.step()
"""
REVERSE = """import mindspore

lr = mindspore.nn.cosine_decay_lr({min_lr}, {max_lr}, {total_step}, {step_per_epoch}, {decay_epoch})
optimizer = mindspore.nn.SGD(net.trainable_params(), learning_rate=lr)
for epoch in range({epochs}):
    for step in range({step_per_epoch}):
        optimizer(grads)
"""
CONVERTIBLE = FORWARD.format(before="", lr="0.1", t_max="10", eta_min="0.0", epochs="10")
HUGE = ("10**400", "1e400", "-1e400", "2**1024", "2**100", "1e308", "10**10**8", "1e-320")


def invoke(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    return tmp_path


# Hole 6: huge and infinite values.

@pytest.mark.parametrize("text", ["10**400", "1e400", "2**1024", "2**64", "1e308 * 10", "1e308 ** 2", "int(1e300)",
                                  "math.ceil(1e300)", "float(10**400)", "10**10**8", "(2**40) ** (2**40)"])
def test_a_value_beyond_the_evaluators_bounds_is_too_large_at_once(text):
    started = time.perf_counter()
    with pytest.raises(evaluate.TooLarge):
        evaluate.evaluate(text, {}, {})
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text, value", [("2**63", 2**63), ("10**18", 10**18), ("1e308", 1e308), ("2**-10**8", 0.0)])
def test_a_large_value_within_the_bounds_is_still_known(text, value):
    assert evaluate.evaluate(text, {}, {}) == value


def test_a_constant_bound_to_a_huge_value_is_too_large_never_a_sampled_unknown():
    constants = evaluate.module_constants("T = 10**10**8\nHALF = T // 2\nEPOCHS = 3\n")
    assert constants["EPOCHS"] == 3
    assert evaluate.unknowns("HALF * x", constants) == ["x"]
    with pytest.raises(evaluate.TooLarge):
        evaluate.evaluate("HALF + 1", constants, {})


def _torch(base_lr="0.1", t_max="10"):
    return Schedule("torch.CosineAnnealingLR", {"base_lr": base_lr, "T_max": t_max, "eta_min": "0.0",
                                                "step_every": "1"})


def _mindspore(max_lr="0.1", decay_epoch="10"):
    return Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": max_lr, "total_step": "11",
                                                  "step_per_epoch": "1", "decay_epoch": decay_epoch})


def test_a_schedule_that_overflows_float64_is_not_verifiable_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = verify.verify(Claim(_torch(base_lr="1e308"), _mindspore(max_lr="1e308"), run_steps="11",
                                      agrees_for="11"))
    assert verdict.kind == verify.NOT_VERIFIABLE and not verdict.withholds
    assert "overflow" in verdict.detail


def test_a_sample_that_overflows_is_invalid_input_and_the_others_decide():
    """lr=1.0 makes torch's closed form overflow; 0.1 and 0.001 still show the rewrite equivalent."""
    claim = Claim(_torch(base_lr="args.lr * 1e308"), _mindspore(max_lr="args.lr * 1e308"), run_steps="11",
                  agrees_for="11")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        verdict = verify.verify(claim)
    assert verdict.kind == verify.EQUIVALENT
    assert verdict.samples == 2


def _forward(value: str, slot: str) -> str:
    arguments = {"before": "", "lr": "0.1", "t_max": "10", "eta_min": "0.0", "epochs": "10", slot: value}
    return FORWARD.format(**arguments)


def _reverse(value: str, slot: str) -> str:
    arguments = {"min_lr": "0.0", "max_lr": "0.1", "total_step": "100", "step_per_epoch": "10", "decay_epoch": "10",
                 "epochs": "10", slot: value}
    return REVERSE.format(**arguments)


CASES = [("mindspore", _forward(value, slot), 4) for value in HUGE for slot in ("lr", "t_max", "eta_min", "epochs")]
CASES += [("torch", _reverse(value, slot), 3) for value in HUGE
          for slot in ("min_lr", "max_lr", "total_step", "step_per_epoch", "decay_epoch", "epochs")]


@pytest.mark.parametrize("to, source, line", CASES, ids=[f"{to}-{index}" for index, (to, _, _) in enumerate(CASES)])
def test_a_huge_value_gets_a_diagnostic_at_the_site_and_exit_at_most_1(to, source, line, project):
    path = project / "src" / "train.py"
    path.write_text(source)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = invoke("convert", "--to", to, "src")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code <= 1, result.output
    assert f"src/train.py:{line}:" in result.stdout
    assert not [warning for warning in caught if issubclass(warning.category, RuntimeWarning)]


def test_a_run_over_many_files_goes_on_past_a_huge_value(project):
    (project / "src" / "a_huge.py").write_text(_forward("10**400", "t_max"))
    (project / "src" / "b_tower.py").write_text(_forward("T", "t_max").replace("optimizer =", "T = 10**10**8\n"
                                                                               "optimizer =", 1))
    (project / "src" / "c_train.py").write_text(CONVERTIBLE)
    started = time.perf_counter()
    result = invoke("convert", "src")
    assert time.perf_counter() - started < 60
    assert result.exit_code == 1, result.output
    assert "cosine_decay_lr" in (project / "src" / "c_train.py").read_text()
    assert "src/a_huge.py:4:13: MIG100" in result.stdout and "src/b_tower.py:5:13: MIG100" in result.stdout


class _Exploding(Rule):
    """A rule with a bug: it raises on every file that mentions its trigger."""

    name, target, triggers = "exploding", "mindspore", ("explode_here",)
    codes = (Code("EX100", "exploding", "info", "test", "test"),)

    def findings(self, analysis):
        raise OverflowError("int too large to convert to float")


def test_an_exception_in_a_rule_costs_only_its_file(project, monkeypatch):
    rules = (*engine.load_rules("mindspore"), _Exploding())
    monkeypatch.setattr(run, "_rules", lambda direction: rules)
    broken = CONVERTIBLE + "explode_here = 1\n"
    (project / "src" / "a_broken.py").write_text(broken)
    (project / "src" / "b_train.py").write_text(CONVERTIBLE)
    result = invoke("convert", "src")
    assert result.exit_code == 4
    assert ("src/a_broken.py:1:1: MIG007 [error] internal error, the file was left untouched: OverflowError: int "
            "too large to convert to float") in result.stdout
    assert (project / "src" / "a_broken.py").read_text() == broken
    assert "cosine_decay_lr" in (project / "src" / "b_train.py").read_text()
    assert "2 files checked, 1 rewritten, 1 failed" in result.stderr


def test_an_exception_in_the_verifier_is_an_internal_error_too(monkeypatch):
    def broken_verify(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(verify, "verify", broken_verify)
    result = engine.process_bytes(CONVERTIBLE.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    assert result.output is None and result.internal_error and result.failed
    assert [d.code for d in result.diagnostics] == ["MIG007"]
    assert "RecursionError: maximum recursion depth exceeded" in result.diagnostics[0].message
    assert outcome.exit_code([result], "write", lambda path: "rewrite") == 4


def test_internal_error_is_a_documented_engine_code():
    assert {"MIG007", "MIG008"} <= set(engine.CODES)


# Hole 7: files the tool cannot read or replace.

def test_a_file_that_cannot_be_replaced_is_a_per_file_error(project, monkeypatch):
    real_replace = os.replace

    def refuse_locked(source, target):
        if os.path.basename(target) == "a_locked.py":
            raise PermissionError(1, "Operation not permitted")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", refuse_locked)
    (project / "src" / "a_locked.py").write_text(CONVERTIBLE)
    (project / "src" / "b_train.py").write_text(CONVERTIBLE)
    result = invoke("convert", "src")
    assert result.exit_code == 3
    assert ("src/a_locked.py:1:1: MIG008 [error] cannot write file: Operation not permitted; it was left untouched"
            in result.stdout)
    assert (project / "src" / "a_locked.py").read_text() == CONVERTIBLE
    assert "cosine_decay_lr" in (project / "src" / "b_train.py").read_text()
    assert sorted(path.name for path in (project / "src").iterdir()) == ["a_locked.py", "b_train.py"]
    assert "2 files checked, 1 rewritten, 1 failed" in result.stderr


def test_a_file_whose_folder_is_replaced_before_the_write_is_a_per_file_error(tmp_path):
    folder = tmp_path / "moved"
    folder.mkdir()
    (folder / "train.py").write_text(CONVERTIBLE)
    shutil.rmtree(folder)
    folder.write_text("now a file")
    with pytest.raises(files.SourceError) as raised:
        files.write_atomically(str(folder / "train.py"), b"x = 1\n")
    assert raised.value.code == "MIG008"
    assert folder.read_text() == "now a file"


def _immutable(path: Path) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0


def test_an_immutable_file_is_left_untouched_and_the_run_goes_on(project):
    locked = project / "src" / "a_locked.py"
    locked.write_text(CONVERTIBLE)
    if not _immutable(locked):
        pytest.skip("chattr +i is not available or not permitted here")
    try:
        (project / "src" / "b_train.py").write_text(CONVERTIBLE)
        result = invoke("convert", "src")
        assert result.exit_code == 3
        assert "src/a_locked.py:1:1: MIG008 [error] cannot write file" in result.stdout
        assert locked.read_text() == CONVERTIBLE
        assert "cosine_decay_lr" in (project / "src" / "b_train.py").read_text()
    finally:
        subprocess.run([shutil.which("chattr"), "-i", str(locked)], check=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_on_the_command_line_is_refused_without_blocking(project):
    os.mkfifo(project / "src" / "x.py")
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    completed = subprocess.run([sys.executable, "-m", "migrate", "convert", "src/x.py", "src/train.py"],
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 3
    assert "src/x.py:1:1: MIG001 [error] not a regular file (a FIFO)" in completed.stdout
    assert "cosine_decay_lr" in (project / "src" / "train.py").read_text()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_in_a_tree_is_skipped_silently_without_blocking(project):
    os.mkfifo(project / "src" / "x.py")
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    completed = subprocess.run([sys.executable, "-m", "migrate", "convert", "src"], capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 1
    assert "src/x.py" not in completed.stdout + completed.stderr
    assert "cosine_decay_lr" in (project / "src" / "train.py").read_text()


def test_a_character_device_is_not_read(project):
    result = invoke("convert", "/dev/null")
    assert result.exit_code == 3
    assert "MIG001 [error] not a regular file (a character device)" in result.stdout


# Hole 8 and 10: text CPython rejects, and the position MIG003 gives.

@pytest.mark.parametrize("tail", ["# NUL \0 here\n", "depth = " + "(" * 250 + "1" + ")" * 250 + "\n",
                                  "return 1\n", "y = = 2\nz = 3\n", "if x:\npass\n", "x = (1,\n"])
def test_text_cpython_rejects_is_mig003_at_cpythons_position(tail):
    source = CONVERTIBLE + tail
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    assert result.output is None and result.failed and not result.internal_error
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MIG003"
    try:
        compile(source, "train.py", "exec")
    except SyntaxError as error:
        expected = (error.lineno or 9, error.offset or 1)
    if "\0" in tail:
        expected = (9, 7)
    assert (diagnostic.line, diagnostic.col) == expected
    assert outcome.exit_code([result], "write", lambda path: "rewrite") == 3


def test_libcsts_own_syntax_error_is_placed_where_its_message_says(monkeypatch):
    monkeypatch.setattr(engine, "compile_error", lambda text, path: None)
    source = "x = 1\ny = = 2\nz = 3\n# CosineAnnealingLR\n"
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "MIG003" and diagnostic.line == 2
    assert "error at" not in diagnostic.message


def test_files_without_a_site_or_skipped_are_not_compiled(monkeypatch):
    compiled = []
    monkeypatch.setattr(engine, "compile_error", lambda text, path: compiled.append(path))
    rules = engine.load_rules("mindspore")
    engine.process_bytes(b"x = (\n", "other.py", engine.Options(), rules)
    engine.process_bytes(b"# migrate: skip-file\nCosineAnnealingLR(\n", "skipped.py", engine.Options(), rules)
    assert compiled == []


def test_compiler_warnings_are_not_printed(capsys):
    source = CONVERTIBLE + 'pattern = "\\d"\n'
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = engine.process_bytes(source.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    assert result.output is not None
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("to, source", [
    ("mindspore", "from torch.optim.lr_scheduler import CosineAnnealingLR\n\n\n"
                  "def build(optimizer, scheduler: CosineAnnealingLR = None) -> 'CosineAnnealingLR | None':\n"
                  "    current: CosineAnnealingLR = scheduler\n    return current\n"),
    ("torch", "from mindspore.nn import cosine_decay_lr\n\n\n"
              "def build(factory: cosine_decay_lr) -> cosine_decay_lr:\n    return factory\n"),
])
def test_an_annotation_is_not_a_use(to, source):
    result = engine.process_bytes(source.encode(), "train.py", engine.Options(to=to), engine.load_rules(to))
    assert result.diagnostics == [] and result.output is None
