"""The command line as users run it: modes, stdin, exit codes, and bad input that must never be damaged."""

from __future__ import annotations

import codecs
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_to_mindspore"
CONVERTIBLE = (FIXTURES / "periodic_past_t_max_clamp_unsafe_applied" / "input.py").read_text().replace(
    "range(30)", "range(10)")


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    return tmp_path


def test_convert_rewrites_in_place_and_exits_1(project):
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    result = run("convert", "src")
    assert result.exit_code == 1
    text = (project / "src" / "train.py").read_text()
    assert "mindspore.nn.cosine_decay_lr(min_lr=0.001, max_lr=0.1, total_step=10 * len(loader)" in text
    assert "scheduler.step()" not in text
    assert "src/train.py:4:13: MIG100" in result.stdout
    assert "1 rewritten" in result.stderr


def test_second_run_is_a_clean_no_op(project):
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    run("convert", "src")
    converted = (project / "src" / "train.py").read_bytes()
    result = run("convert", "src")
    assert result.exit_code == 0
    assert (project / "src" / "train.py").read_bytes() == converted
    assert result.stdout == ""


def test_check_writes_nothing_and_exits_1(project):
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    result = run("convert", "--check", "src")
    assert result.exit_code == 1
    assert (project / "src" / "train.py").read_text() == CONVERTIBLE


def test_diff_applies_with_git_apply(project):
    path = project / "src" / "train.py"
    path.write_text(CONVERTIBLE)
    result = run("convert", "--diff", "src")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/src/train.py\n+++ b/src/train.py\n")
    assert path.read_text() == CONVERTIBLE
    subprocess.run(["git", "init", "-q"], check=True)
    subprocess.run(["git", "apply"], input=result.stdout.encode(), check=True)
    expected = project / "expected.py"
    expected.write_text(CONVERTIBLE)
    run("convert", "expected.py")
    assert path.read_text() == expected.read_text()


def test_stdin_prints_converted_buffer_byte_exact(project):
    result = CliRunner().invoke(main, ["convert", "--stdin-filename", "src/train.py", "-"],
                                input=CONVERTIBLE.encode())
    assert result.exit_code == 1
    file = project / "src" / "train.py"
    file.write_text(CONVERTIBLE)
    run("convert", "src/train.py")
    assert result.stdout_bytes == file.read_bytes()
    assert "src/train.py:4:13: MIG100" in result.stderr


def test_stdin_without_changes_echoes_input_exactly():
    text = b"x = 1\n\n\n# trailing comment without newline"
    result = CliRunner().invoke(main, ["convert", "-"], input=text)
    assert result.exit_code == 0
    assert result.stdout_bytes == text


def test_syntax_error_is_reported_untouched_and_others_still_convert(project):
    broken = b"import torch\nCosineAnnealingLR(opt, T_max=\n"
    (project / "src" / "broken.py").write_bytes(broken)
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    result = run("convert", "src")
    assert result.exit_code == 3
    assert (project / "src" / "broken.py").read_bytes() == broken
    assert "src/broken.py:" in result.stdout and "MIG003" in result.stdout
    assert "cosine_decay_lr" in (project / "src" / "train.py").read_text()


def test_undecodable_file_is_reported_untouched(project):
    data = b"import torch\nname = '\xff\xfe'  # CosineAnnealingLR\n"
    (project / "src" / "bad.py").write_bytes(data)
    result = run("convert", "src")
    assert result.exit_code == 3
    assert "src/bad.py:1:1: MIG002" in result.stdout
    assert (project / "src" / "bad.py").read_bytes() == data


def test_pep263_latin1_file_is_converted_and_stays_latin1(project):
    source = "# -*- coding: latin-1 -*-\n# Schätzung\n" + CONVERTIBLE
    (project / "src" / "latin.py").write_bytes(source.encode("latin-1"))
    result = run("convert", "src")
    assert result.exit_code == 1
    data = (project / "src" / "latin.py").read_bytes()
    assert "# Schätzung".encode("latin-1") in data
    assert b"cosine_decay_lr" in data


def test_bom_and_crlf_are_kept(project):
    data = codecs.BOM_UTF8 + CONVERTIBLE.replace("\n", "\r\n").encode()
    (project / "src" / "win.py").write_bytes(data)
    run("convert", "src")
    out = (project / "src" / "win.py").read_bytes()
    assert out.startswith(codecs.BOM_UTF8)
    assert b"cosine_decay_lr" in out
    assert out.count(b"\n") == out.count(b"\r\n")


def test_file_mode_is_kept_and_no_temporary_file_is_left(project):
    path = project / "src" / "train.py"
    path.write_text(CONVERTIBLE)
    path.chmod(0o751)
    run("convert", "src")
    assert stat.S_IMODE(path.stat().st_mode) == 0o751
    assert sorted(p.name for p in (project / "src").iterdir()) == ["train.py"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permission bits")
def test_unreadable_file_is_reported(project):
    path = project / "src" / "secret.py"
    path.write_text(CONVERTIBLE)
    path.chmod(0)
    result = run("convert", "src")
    assert result.exit_code == 3
    assert "MIG001" in result.stdout


def test_dangling_symlink_is_a_read_error(project):
    (project / "src" / "gone.py").symlink_to(project / "nowhere.py")
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    result = run("convert", "src")
    assert result.exit_code == 3
    assert "src/gone.py:1:1: MIG001" in result.stdout
    assert "cosine_decay_lr" in (project / "src" / "train.py").read_text()


def test_symlink_loop_is_reported_and_the_rest_processed(project):
    (project / "src" / "loop").symlink_to(project / "src", target_is_directory=True)
    (project / "src" / "train.py").write_text(CONVERTIBLE)
    result = run("convert", "src")
    assert result.exit_code == 3
    assert "MIG001" in result.stdout and "symlink loop" in result.stdout
    assert "cosine_decay_lr" in (project / "src" / "train.py").read_text()


def test_missing_path_is_an_error(project):
    result = run("convert", "nope.py")
    assert result.exit_code == 3
    assert "nope.py:1:1: MIG001" in result.stdout


def test_file_without_the_api_is_not_parsed(project):
    (project / "src" / "other.py").write_text("def broken(:\n")
    result = run("convert", "src")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_usage_error_exits_2():
    assert run("convert", "--to", "tensorflow", "x.py").exit_code == 2


def test_help_and_version_do_not_import_libcst():
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['migrate', sys.argv[1]]\n"
        "try:\n    runpy.run_module('migrate', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('libcst' in sys.modules)\n"
    )
    for flag in ("--help", "--version"):
        out = subprocess.run([sys.executable, "-c", probe, flag], capture_output=True, text=True, check=True)
        assert out.stdout.strip().endswith("False"), out.stdout


def test_rules_lists_every_code_by_concern_with_the_directions_that_raise_it():
    from migrate.bridge.codes import CONCERNS
    from migrate.engine import ENGINE_CODES

    result = run("rules")
    assert result.exit_code == 0
    for code in ENGINE_CODES:
        assert f"{code.code:<7} {code.name:<27} {code.severity:<8} {'-':<16} {code.summary}" in result.stdout
    for concern in CONCERNS.values():
        assert f"{concern.code:<7} {concern.name:<27} {concern.severity:<8} " in result.stdout
        assert concern.summary in result.stdout
    assert "MIG106  cadence-not-visible         warning  mindspore,torch " in result.stdout
    assert "MIG115  framework-stepped           warning  mindspore " in result.stdout


def test_explain_prints_each_rules_own_documentation_of_a_concern():
    from migrate.rules.cosine_annealing_to_mindspore import RULE as FORWARD
    from migrate.rules.cosine_decay_to_torch import RULE as REVERSE

    result = run("explain", "mig101")
    assert result.exit_code == 0
    for rule in (FORWARD, REVERSE):
        documented = rule.code("MIG101")
        assert documented.why in result.stdout and documented.example.rstrip() in result.stdout
    assert result.stdout.index(FORWARD.summary) < result.stdout.index(REVERSE.summary)
    assert run("explain", "ca101").stdout == result.stdout, "an old code explains the concern it became"
    assert run("explain", "XX999").exit_code == 2
