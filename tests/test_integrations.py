"""migrate as other tools drive it, through the command line: an editor applying the JSON fix edits, code scanning
reading SARIF, CI reading GitHub annotations and report files, parallel runs, ``[tool.migrate]``, suppression
comments and the exit codes a hook or a CI job acts on."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from migrate.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "torch_to_mindspore"
SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
CASES = sorted(case for case in FIXTURES.iterdir() if (case / "input.py").is_file())
REWRITTEN_CASES = [case for case in CASES if (case / "output.py").read_bytes() != (case / "input.py").read_bytes()]

PER_EPOCH = FIXTURES / "fully_qualified_per_epoch"  # MIG104 warning on line 6, a safe MIG100 rewrite on line 7
UNSAFE = FIXTURES / "run_length_unknown"  # an unsafe rewrite (MIG100 + MIG102 on line 4), not applied by default
UNSAFE_APPLIED = FIXTURES / "run_length_unknown_unsafe_applied"  # the same input, converted with --unsafe-fixes
NEWLINE = re.compile(r"\r\n|\r|\n")

TWO_SITES = '''\
import torch


def train_a(model, loader):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=50)
    for epoch in range(50):
        for batch in loader:
            model(batch).backward()
            optimizer.step()
        scheduler.step()


def train_b(model, data):
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20, eta_min=1e-5)
    for epoch in range(20):
        for inputs in data:
            model(inputs).backward()
            opt.step()
        sched.step()
'''


def run(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def case_args(case: Path) -> list[str]:
    path = case / "args"
    return path.read_text().split() if path.exists() else []


def text_of(case: Path, name: str = "input.py") -> str:
    return (case / name).read_text(encoding="utf-8")


def expected_lines(case: Path, path: str) -> list[str]:
    """The case's expected concise diagnostics, for the file called ``path``."""
    return text_of(case, "diagnostics.txt").replace("input.py", path).splitlines()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- editor quick-fix: the JSON edits an editor applies give what `convert` prints ---------------------------------


def apply_edits(buffer: str, edits: list[dict]) -> str:
    """ruff's edit shape: 1-based row and column (code points), end exclusive; applied back to front."""
    starts = [0] + [match.end() for match in NEWLINE.finditer(buffer)]

    def offset(position: dict) -> int:
        row, column = position["row"], position["column"]
        assert 1 <= row <= len(starts) and column >= 1, position
        line_end = starts[row] if row < len(starts) else len(buffer)
        assert starts[row - 1] + column - 1 <= line_end, position
        return starts[row - 1] + column - 1

    spans = sorted((offset(edit["location"]), offset(edit["end_location"]), edit["content"]) for edit in edits)
    for (start, end, _), (next_start, _, _) in zip(spans, spans[1:]):
        assert start <= end <= next_start, "the edits of one fix overlap"
    for start, end, content in reversed(spans):
        buffer = buffer[:start] + content + buffer[end:]
    return buffer


def editor_diagnostics(buffer: str, path: str, args: list[str]) -> list[dict]:
    result = run("check", "--output-format", "json", *args, "--stdin-filename", path, "-", input=buffer.encode())
    assert result.exit_code in (0, 1), result.output
    diagnostics = json.loads(result.stdout)
    assert {diagnostic["filename"] for diagnostic in diagnostics} <= {path}
    return diagnostics


def converted_buffer(buffer: str, path: str, args: list[str]) -> bytes:
    result = run("convert", *args, "--stdin-filename", path, "-", input=buffer.encode())
    assert result.exit_code in (0, 1), result.output
    return result.stdout_bytes


def offered_fixes(diagnostics: list[dict], unsafe: bool) -> list[dict]:
    """The fixes an editor offers: those with edits; the unsafe ones only when the user opted in."""
    return [diagnostic["fix"] for diagnostic in diagnostics if diagnostic["fix"] and diagnostic["fix"]["edits"]
            and (unsafe or diagnostic["fix"]["applicability"] == "safe")]


def fix_all_like_an_editor(buffer: str, path: str, args: list[str]) -> tuple[str, int]:
    """Apply the first fix offered, ask again, until none is left; the fixed buffer and how many fixes it took."""
    applied = 0
    while fixes := offered_fixes(editor_diagnostics(buffer, path, args), unsafe="--unsafe-fixes" in args):
        assert applied < 10, "applying the offered fixes does not converge"
        buffer = apply_edits(buffer, fixes[0]["edits"])
        applied += 1
    return buffer, applied


def test_there_are_rewritten_cases_to_check_the_edits_on():
    assert len(REWRITTEN_CASES) >= 5


@pytest.mark.parametrize("case", REWRITTEN_CASES, ids=lambda case: case.name)
def test_json_fix_edits_applied_to_the_buffer_give_what_convert_prints(case, workdir):
    buffer, args = text_of(case), case_args(case)
    fixed, applied = fix_all_like_an_editor(buffer, "src/train.py", args)
    assert applied >= 1
    assert fixed.encode() == converted_buffer(buffer, "src/train.py", args)
    assert fixed == text_of(case, "output.py")


def test_fixes_of_two_independent_sites_applied_one_after_the_other_give_what_convert_prints(workdir):
    fixes = offered_fixes(editor_diagnostics(TWO_SITES, "train.py", []), unsafe=False)
    assert len(fixes) == 2
    fixed, applied = fix_all_like_an_editor(TWO_SITES, "train.py", [])
    assert applied == 2
    assert fixed.encode() == converted_buffer(TWO_SITES, "train.py", [])
    assert fixed.count("mindspore.nn.cosine_decay_lr(") == 2
    assert "torch" not in fixed


def framework_names_not_imported(text: str) -> set[str]:
    tree = ast.parse(text)
    imported = {alias.asname or alias.name.split(".")[0]
                for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id in ("torch", "mindspore")}
    return used - imported


@pytest.mark.parametrize("site", [0, 1], ids=["first_site_alone", "second_site_alone"])
def test_each_quick_fix_alone_leaves_every_used_framework_imported(site, workdir):
    fixes = offered_fixes(editor_diagnostics(TWO_SITES, "train.py", []), unsafe=False)
    fixed = apply_edits(TWO_SITES, fixes[site]["edits"])
    assert fixed.count("mindspore.nn.cosine_decay_lr(") == 1
    assert framework_names_not_imported(fixed) == set()


def test_unsafe_fix_not_applied_still_carries_the_edits_of_convert_with_unsafe_fixes(workdir):
    (fix,) = [diagnostic["fix"] for diagnostic in editor_diagnostics(text_of(UNSAFE), "train.py", [])
              if diagnostic["fix"]]
    assert (fix["applicability"], fix["applied"]) == ("unsafe", False)
    fixed = apply_edits(text_of(UNSAFE), fix["edits"])
    assert fixed.encode() == converted_buffer(text_of(UNSAFE), "train.py", ["--unsafe-fixes"])
    assert fixed == text_of(UNSAFE_APPLIED, "output.py")


# --- SARIF, GitHub annotations, report files ------------------------------------------------------------------------


@pytest.fixture
def fixture_tree(workdir):
    """A copy of every case folder under ``fixtures/`` in the working directory."""
    shutil.copytree(FIXTURES, workdir / "fixtures")
    return workdir / "fixtures"


def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is needed to validate SARIF")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the OASIS SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    assert validator is jsonschema.Draft4Validator, "the schema declares draft-04"
    validator.check_schema(schema)
    return validator(schema)


def test_sarif_of_a_fixture_directory_validates_with_relative_uris_and_rules(fixture_tree):
    validator = sarif_validator()
    result = run("check", "--output-format", "sarif", "fixtures")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    validator.validate(log)

    (sarif_run,) = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert {"MIG100", "MIG102", "MIG104", "MIG108"} <= {result["ruleId"] for result in results}
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]
    locations = [location["physicalLocation"]["artifactLocation"] for result in results
                 for location in result["locations"]]
    locations += [change["artifactLocation"] for result in results for fix in result.get("fixes", [])
                  for change in fix["artifactChanges"]]
    assert any(result.get("fixes") for result in results)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["primaryLocationLineHash"]
    for location in locations:
        assert location["uriBaseId"] == "%SRCROOT%"
        assert not urlsplit(location["uri"]).scheme and not location["uri"].startswith("/")
        assert (fixture_tree.parent / unquote(location["uri"])).is_file()


def test_github_format_annotates_warnings_with_file_and_line(workdir):
    write(workdir / "src" / "train.py", text_of(PER_EPOCH))
    result = run("check", "--output-format", "github", "src")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert re.fullmatch(r"::warning title=migrate \(MIG104\),file=src/train\.py,line=6,col=13,endLine=6,"
                        r"endColumn=\d+::weight_decay=5e-4: MindSpore applies weight_decay .*", lines[0])
    assert lines[1].startswith("::notice title=migrate (MIG100),file=src/train.py,line=7,col=13,")
    assert [line.split(",")[:3] for line in lines[2:]] == [
        ["::notice title=migrate (MIG112)", "file=src/train.py", "line=11"],
        ["::notice title=migrate (MIG112)", "file=src/train.py", "line=14"]]


def test_output_file_gets_the_diagnostics_and_stdout_none(workdir):
    path = write(workdir / "train.py", text_of(PER_EPOCH))
    result = run("convert", "-o", "report.txt", "train.py")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (workdir / "report.txt").read_text(encoding="utf-8").splitlines() == expected_lines(PER_EPOCH, "train.py")
    assert path.read_text(encoding="utf-8") == text_of(PER_EPOCH, "output.py")


def test_output_file_with_stdin_leaves_stdout_to_the_code(workdir):
    result = run("convert", "--output-format", "json", "-o", "report.json", "--stdin-filename", "train.py", "-",
                 input=text_of(PER_EPOCH).encode())
    assert result.stdout_bytes == (PER_EPOCH / "output.py").read_bytes()
    report = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
    assert [(entry["code"], entry["location"]["row"]) for entry in report] == [
        ("MIG104", 6), ("MIG100", 7), ("MIG112", 11), ("MIG112", 14)]


# --- parallel runs ---------------------------------------------------------------------------------------------------


def test_parallel_run_gives_the_same_files_and_output_as_a_serial_one(tmp_path):
    outcomes = []
    for name, jobs in (("serial", "1"), ("parallel", "2")):
        root = tmp_path / name
        shutil.copytree(FIXTURES, root / "fixtures")
        write(root / "fixtures" / "zz_broken.py", "import torch\nCosineAnnealingLR(opt, T_max=\n")
        done = subprocess.run([sys.executable, "-m", "migrate", "convert", "-j", jobs, "fixtures"], cwd=root,
                              capture_output=True)
        files = {path.relative_to(root): path.read_bytes() for path in sorted(root.rglob("*.py"))}
        outcomes.append((done.returncode, done.stdout, done.stderr, files))
    serial, parallel = outcomes
    assert serial[0] == 3
    assert b"MIG100" in serial[1] and b"Rewrote" in serial[2]
    assert parallel == serial


# --- [tool.migrate] --------------------------------------------------------------------------------------------------


@pytest.fixture
def project(workdir):
    """``project/src/pkg/train.py`` holding a MIG104 warning and a safe rewrite, run from outside the project."""
    write(workdir / "project" / "src" / "pkg" / "train.py", text_of(PER_EPOCH))
    return workdir / "project"


def configure(project: Path, body: str) -> None:
    write(project / "pyproject.toml", f"[project]\nname = 'demo'\n\n[tool.migrate]\n{body}\n")


LEFT_TO_PORT = ("MIG112", "MIG112")
"""The per-epoch example's ``optimizer.zero_grad()`` and ``optimizer.step()``, left to port once it is rewritten."""


def codes_in(result) -> list[str]:
    return re.findall(r": ([A-Z]+[0-9]+) \[", result.stdout)


def test_ignore_in_pyproject_found_above_the_file_hides_the_code_until_the_command_line_replaces_it(project):
    configure(project, 'ignore = ["MIG104"]')
    result = run("check", "project/src/pkg/train.py")
    assert codes_in(result) == ["MIG100", *LEFT_TO_PORT]
    assert codes_in(run("check", "--ignore", "MIG105", "project/src/pkg/train.py")) == ["MIG104", "MIG100", *LEFT_TO_PORT]


def test_select_on_the_command_line_replaces_the_files_select(project):
    configure(project, 'select = ["MIG100"]')
    assert codes_in(run("check", "project/src/pkg/train.py")) == ["MIG100"]
    assert codes_in(run("check", "--select", "CA1", "project/src/pkg/train.py")) == ["MIG104", "MIG100", *LEFT_TO_PORT]


def test_exclude_skips_a_walked_file_and_a_named_one_only_with_force_exclude(project):
    legacy = write(project / "legacy" / "old.py", text_of(PER_EPOCH))
    configure(project, 'exclude = ["legacy/"]')
    result = run("convert", "project")
    assert "project/legacy/old.py" not in result.output
    assert "1 file checked, 1 rewritten" in result.stderr
    assert legacy.read_text(encoding="utf-8") == text_of(PER_EPOCH)
    forced = run("convert", "--force-exclude", "project/legacy/old.py")
    assert forced.exit_code == 0
    assert legacy.read_text(encoding="utf-8") == text_of(PER_EPOCH)
    named = run("convert", "project/legacy/old.py")
    assert named.exit_code == 1
    assert legacy.read_text(encoding="utf-8") == text_of(PER_EPOCH, "output.py")


def test_per_file_ignores_apply_to_the_matching_files_only(project):
    write(project / "tests" / "test_train.py", text_of(PER_EPOCH))
    configure(project, '[tool.migrate.per-file-ignores]\n"tests/*" = ["MIG104"]')
    result = run("check", "project")
    assert re.findall(r"^(\S+):\d+:\d+: (MIG\d+)", result.stdout, re.MULTILINE) == [
        ("project/src/pkg/train.py", "MIG104"), ("project/src/pkg/train.py", "MIG100"),
        *(("project/src/pkg/train.py", code) for code in LEFT_TO_PORT),
        ("project/tests/test_train.py", "MIG100"), *(("project/tests/test_train.py", code) for code in LEFT_TO_PORT),
    ]


def test_unsafe_fixes_in_pyproject_applies_a_rewrite_that_otherwise_is_not(project):
    path = write(project / "src" / "periodic.py", text_of(UNSAFE))
    run("convert", "project/src/periodic.py")
    assert path.read_text(encoding="utf-8") == text_of(UNSAFE)
    configure(project, "unsafe-fixes = true")
    result = run("convert", "project/src/periodic.py")
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == text_of(UNSAFE_APPLIED, "output.py")
    assert "(unsafe fix, applied)" in result.stdout


def test_unknown_key_is_a_configuration_error_naming_it(project):
    configure(project, 'ignore = ["MIG104"]\nunsafe_fixess = true')
    result = run("convert", "project/src/pkg/train.py")
    assert result.exit_code == 2
    assert "unknown key 'unsafe_fixess'" in result.stderr
    assert (project / "src" / "pkg" / "train.py").read_text(encoding="utf-8") == text_of(PER_EPOCH)


@pytest.mark.parametrize("order", [("plain", "lenient"), ("lenient", "plain")], ids=lambda order: f"{order[0]}_first")
def test_each_file_gets_the_configuration_nearest_to_it(order, workdir):
    configure(workdir / "lenient", "unsafe-fixes = true")
    for name in order:
        write(workdir / name / "train.py", text_of(UNSAFE))
    run("convert", *(f"{name}/train.py" for name in order))
    assert (workdir / "lenient" / "train.py").read_text(encoding="utf-8") == text_of(UNSAFE_APPLIED, "output.py")
    assert (workdir / "plain" / "train.py").read_text(encoding="utf-8") == text_of(UNSAFE)


def test_malformed_code_prefix_on_the_command_line_is_a_usage_error(workdir):
    write(workdir / "train.py", text_of(PER_EPOCH))
    result = run("convert", "--select", "ca100", "train.py")
    assert result.exit_code == 2
    assert "--select" in result.stderr and "'ca100'" in result.stderr
    assert (workdir / "train.py").read_text(encoding="utf-8") == text_of(PER_EPOCH)


# --- suppression comments ------------------------------------------------------------------------------------------


def with_comment(text: str, line: int, comment: str) -> str:
    lines = text.splitlines(keepends=True)
    lines[line - 1] = lines[line - 1].rstrip("\n") + f"  {comment}\n"
    return "".join(lines)


def test_noqa_with_a_code_hides_that_code_only(workdir):
    path = write(workdir / "train.py", with_comment(text_of(UNSAFE), 4, "# noqa: MIG102"))
    result = run("convert", "train.py")
    assert codes_in(result) == ["MIG100"]
    assert "(unsafe fix, not applied" in result.stdout
    assert path.read_text(encoding="utf-8") == with_comment(text_of(UNSAFE), 4, "# noqa: MIG102")


def test_noqa_on_the_optimizer_line_keeps_the_rewrite_and_hides_its_warning(workdir):
    path = write(workdir / "train.py", with_comment(text_of(PER_EPOCH), 6, "# noqa: MIG104"))
    result = run("convert", "train.py")
    assert codes_in(result) == ["MIG100", *LEFT_TO_PORT]
    assert path.read_text(encoding="utf-8") == with_comment(text_of(PER_EPOCH, "output.py"), 6, "# noqa: MIG104")


def test_bare_noqa_on_the_scheduler_line_suppresses_its_rewrite(workdir):
    source = with_comment(text_of(PER_EPOCH), 7, "# noqa")
    path = write(workdir / "train.py", source)
    result = run("convert", "train.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert path.read_text(encoding="utf-8") == source


def test_skip_file_marker_leaves_the_file_alone_and_others_are_converted(workdir):
    skipped = write(workdir / "src" / "keep.py", "# migrate: skip-file\n" + text_of(PER_EPOCH))
    converted = write(workdir / "src" / "train.py", text_of(PER_EPOCH))
    result = run("convert", "src")
    assert "src/keep.py" not in result.output
    assert skipped.read_text(encoding="utf-8") == "# migrate: skip-file\n" + text_of(PER_EPOCH)
    assert converted.read_text(encoding="utf-8") == text_of(PER_EPOCH, "output.py")


# --- exit codes ------------------------------------------------------------------------------------------------------


def test_clean_files_exit_0(workdir):
    write(workdir / "src" / "converted.py", text_of(PER_EPOCH, "output.py"))
    write(workdir / "src" / "other.py", text_of(FIXTURES / "user_class_named_cosine"))
    for command in (["convert"], ["convert", "--check"], ["check"]):
        assert run(*command, "src").exit_code == 0


def test_a_warning_without_a_change_exits_0_unless_fail_on_warning(workdir):
    path = write(workdir / "train.py", text_of(FIXTURES / "star_import_two_sources"))
    result = run("convert", "train.py")
    assert result.exit_code == 0
    assert codes_in(result) == ["MIG108"]
    assert run("convert", "--fail-on", "warning", "train.py").exit_code == 1
    assert path.read_text(encoding="utf-8") == text_of(FIXTURES / "star_import_two_sources")


@pytest.mark.parametrize("args", [
    ["convert", "--output-format", "xml", "train.py"],
    ["convert", "--jobs", "-1", "train.py"],
    ["convert", "--no-such-option", "train.py"],
    ["convert", "--exit-zero", "--exit-non-zero-on-fix", "train.py"],
    ["convert", "-", "train.py"],
], ids=["unknown-format", "negative-jobs", "unknown-option", "exclusive-exit-flags", "stdin-and-path"])
def test_usage_errors_exit_2_and_write_nothing(args, workdir):
    path = write(workdir / "train.py", text_of(PER_EPOCH))
    assert run(*args, input="").exit_code == 2
    assert path.read_text(encoding="utf-8") == text_of(PER_EPOCH)


@pytest.mark.parametrize("command", [["convert"], ["convert", "--check"], ["check"]], ids=" ".join)
def test_syntax_error_exits_3_even_when_another_file_changes(command, workdir):
    broken = write(workdir / "src" / "broken.py", "import torch\nCosineAnnealingLR(opt, T_max=\n")
    write(workdir / "src" / "train.py", text_of(PER_EPOCH))
    result = run(*command, "src")
    assert result.exit_code == 3
    assert re.search(r"^src/broken\.py:\d+:\d+: MIG003 \[error\]", result.stdout, re.MULTILINE)
    assert "src/train.py:7:13: MIG100" in result.stdout
    assert broken.read_text(encoding="utf-8") == "import torch\nCosineAnnealingLR(opt, T_max=\n"


def test_syntax_error_on_stdin_exits_3_and_echoes_the_buffer(workdir):
    buffer = b"import torch\nCosineAnnealingLR(opt, T_max=\n"
    result = run("convert", "--stdin-filename", "train.py", "-", input=buffer)
    assert result.exit_code == 3
    assert result.stdout_bytes == buffer
    assert "train.py:" in result.stderr and "MIG003" in result.stderr
