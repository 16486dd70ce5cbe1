"""What makes migrate fast, asserted as behaviour (never as timings): identical claims are verified once, samples
are compared in batches with the same verdicts, a file's cost does not grow with its sites squared, ``-j`` sends
only candidate files to workers with the serial run's results, results stream per file, and huge files are
skipped."""

from __future__ import annotations

from pathlib import Path

import libcst
import pytest
from click.testing import CliRunner

from migrate import engine, run, verify
from migrate.cli import main
from migrate.verify import Claim, Schedule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_to_mindspore"
CONVERTIBLE = (FIXTURES / "fully_qualified_per_epoch" / "input.py").read_text()


def site(index: int) -> str:
    return f'''

def train_{index}(model, loader):
    optimizer_{index} = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler_{index} = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer_{index}, T_max={10 + index})
    for epoch in range({10 + index}):
        for batch in loader:
            model(batch).backward()
            optimizer_{index}.step()
        scheduler_{index}.step()
'''


def sites(count: int) -> str:
    return "import torch\n" + "".join(site(index) for index in range(count))


def periodic_claim(t_max: str = "EPOCHS") -> Claim:
    """A claim whose samples disagree past T_max for some values of the unknowns and not for others."""
    torch = Schedule("torch.CosineAnnealingLR", {"base_lr": "lr", "T_max": t_max, "step_every": "n"})
    mindspore = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": "lr", "total_step": "epochs * n",
                                                       "step_per_epoch": "n", "decay_epoch": t_max})
    return Claim(torch, mindspore, run_steps="epochs * n", agrees_for=f"{t_max} * n")


@pytest.fixture
def fresh_memo(monkeypatch):
    monkeypatch.setattr(verify, "_MEMO", {})


def test_an_identical_claim_is_verified_once(fresh_memo, monkeypatch):
    first = verify.verify(periodic_claim(), {"EPOCHS": 10})
    monkeypatch.setattr(verify, "_verify", lambda *args: pytest.fail("verified again"))
    assert verify.verify(periodic_claim(), {"EPOCHS": 10, "UNRELATED": 3}) is first


def test_constants_equal_in_python_but_not_to_mindspore_are_different_claims(fresh_memo):
    as_int = verify.verify(periodic_claim(), {"EPOCHS": 10})
    as_float = verify.verify(periodic_claim(), {"EPOCHS": 10.0})
    assert as_int.kind == verify.DIVERGES
    assert as_float.kind == verify.CONTRADICTED and "decay_epoch" in as_float.detail


def test_samples_compared_together_give_the_verdict_of_samples_compared_one_by_one(fresh_memo, monkeypatch):
    together = verify.verify(periodic_claim("10"))
    assert together.kind == verify.DIVERGES and together.samples > 100
    monkeypatch.setattr(verify, "_MEMO", {})
    monkeypatch.setattr(verify, "BATCH_STEPS", 1)
    alone = verify.verify(periodic_claim("10"))
    assert alone == together


def test_a_file_with_many_sites_is_parsed_whole_as_often_as_one_with_two(monkeypatch):
    """Each fix's edits come from re-printing only the statements it touches; only the written text is re-parsed."""
    rules = engine.load_rules("mindspore")
    real_parse = libcst.parse_module

    def whole_parses(text: str) -> tuple[int, engine.FileResult]:
        parsed: list[int] = []

        def counting(source, *args, **kwargs):
            parsed.append(len(source) >= len(text) * 0.8)
            return real_parse(source, *args, **kwargs)

        monkeypatch.setattr(libcst, "parse_module", counting)
        result = engine.process_bytes(text.encode(), "train.py", engine.Options(), rules)
        monkeypatch.setattr(libcst, "parse_module", real_parse)
        return sum(parsed), result

    two, two_result = whole_parses(sites(2))
    six, six_result = whole_parses(sites(6))
    assert two_result.tally.equivalent == 2 and six_result.tally.equivalent == 6
    assert all(diagnostic.fix.edits for diagnostic in six_result.diagnostics if diagnostic.fix)
    assert six == two


def project_files(root: Path) -> None:
    (root / "src").mkdir()
    for index in range(5):
        (root / "src" / f"site_{index}.py").write_text(sites(index + 1))
        (root / "src" / f"plain_{index}.py").write_text(f"x = {index}\n")
    (root / "src" / "broken.py").write_text("import torch\nCosineAnnealingLR(\n")
    (root / "src" / "latin.py").write_bytes(b"# CosineAnnealingLR \xe9\n")


@pytest.mark.parametrize("jobs", ["2", "0"])
def test_parallel_run_reports_what_the_serial_run_does(tmp_path, monkeypatch, jobs):
    monkeypatch.chdir(tmp_path)
    project_files(tmp_path)
    serial = CliRunner().invoke(main, ["convert", "--check", "-j", "1", "src"])
    parallel = CliRunner().invoke(main, ["convert", "--check", "-j", jobs, "src"])
    assert serial.exit_code == parallel.exit_code == 3
    assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr
    assert "src/broken.py:" in serial.stdout and "src/site_4.py:" in serial.stdout


def test_the_parent_sends_a_worker_only_files_a_rule_may_rewrite(tmp_path):
    project_files(tmp_path)
    options = engine.Options()
    assert isinstance(run._triage(str(tmp_path / "src" / "site_0.py"), options), bytes)
    plain = run._triage(str(tmp_path / "src" / "plain_0.py"), options)
    assert isinstance(plain, engine.FileResult) and not plain.diagnostics
    latin = run._triage(str(tmp_path / "src" / "latin.py"), options)
    assert isinstance(latin, engine.FileResult) and latin.diagnostics[0].code == "MIG002"


def test_a_files_diagnostics_are_printed_before_the_next_file_is_processed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    project_files(tmp_path)
    printed_before: dict[str, str] = {}
    real_process = run._process

    def recording(path, options):
        printed_before[path] = capsys.readouterr().out
        return real_process(path, options)

    monkeypatch.setattr(run, "_process", recording)
    code = run.Run(("src",), "check", {}, "concise", None, None, 1, True).execute()
    assert code == 3
    assert "src/site_0.py:" in printed_before["src/site_1.py"]
    assert "src/site_1.py:" not in printed_before["src/site_1.py"]


def test_a_file_above_the_size_limit_is_skipped_with_a_diagnostic(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.py").write_text(CONVERTIBLE)
    (tmp_path / "small.py").write_text("x = 1\n")
    monkeypatch.setattr(run, "MAX_FILE_SIZE", 100)
    result = CliRunner().invoke(main, ["convert", "--check", "."])
    assert result.exit_code == 3
    assert result.stdout.startswith("big.py:1:1: MIG009 [error]")
    assert "more than max-file-size (100)" in result.stdout
    assert (tmp_path / "big.py").read_text() == CONVERTIBLE
