"""What makes migrate fast, asserted as behaviour (never as timings): identical claims are verified once, samples
are compared in batches with the same verdicts, a file's cost does not grow with its sites squared, ``-j`` sends
only candidate files to workers with the serial run's results, results stream per file, huge files are skipped,
nothing heavy is imported before it is needed, and the analysis's cheaper tables are LibCST's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import libcst
import pytest
from click.testing import CliRunner
from libcst.metadata import (
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from migrate import analysis, engine, run, verify
from migrate.cli import main
from migrate.rule import Code, Finding, Fix, Note, Rule
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
    """Each fix's edits come from re-printing only the statements it touches; of the written text, only the
    statements that changed are parsed again."""
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


def test_without_jobs_a_large_run_uses_every_core_and_a_small_one_stays_serial(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project_files(tmp_path)
    for index in range(run.AUTO_PARALLEL_FILES):
        (tmp_path / "src" / f"more_{index}.py").write_text(f"y = {index}\n")
    parallel_runs = []
    in_parallel = run._in_parallel
    monkeypatch.setattr(run, "_in_parallel", lambda work, jobs: parallel_runs.append(jobs) or in_parallel(work, jobs))
    monkeypatch.setattr(run.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    large = CliRunner().invoke(main, ["convert", "--check", "src"])
    assert parallel_runs == [2]
    small = CliRunner().invoke(main, ["convert", "--check", "src/site_0.py", "src/site_1.py", "src/broken.py"])
    assert parallel_runs == [2], "three files run in this process"
    serial = CliRunner().invoke(main, ["convert", "--check", "-j", "1", "src"])
    assert large.stdout == serial.stdout and large.exit_code == serial.exit_code == 3
    assert small.exit_code == 3 and "src/broken.py:" in small.stdout


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


# --- start-up: nothing heavy is imported before it is needed ----------------------------------------------------

#: Modules a command must not import when it does not need them: the verifier's numpy, the parallel runner's
#: machinery, the language server's pygls, and jsonschema, which only the tests use.
HEAVY = ("numpy", "multiprocessing", "concurrent.futures", "pygls", "jsonschema")


def imported_by(arguments: list[str], stdin: str = "") -> set[str]:
    """The modules a cold ``migrate`` process has imported once the command is done."""
    script = ("import sys\nfrom migrate.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script, *arguments], input=stdin, capture_output=True, text=True,
                          check=True)
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


@pytest.mark.parametrize("arguments", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help_import_neither_libcst_nor_numpy(arguments):
    modules = imported_by(arguments)
    assert "click" in modules
    assert not {"libcst", "migrate.engine", "pathspec", *HEAVY} & modules


@pytest.mark.parametrize("output_format", ["json", "concise"])
def test_checking_a_buffer_without_the_api_imports_neither_the_rules_nor_libcst(output_format):
    modules = imported_by(["check", "--output-format", output_format, "--stdin-filename", "x.py", "-"],
                          "import torch\nx = 1\n")
    assert "migrate.engine" in modules
    assert not {"libcst", "migrate.conversion", "migrate.verify", "pathspec", *HEAVY} & modules
    assert not {module for module in modules if module.startswith("migrate.rules.")}


def test_the_quick_fix_on_a_small_site_imports_its_rule_alone_and_no_numpy():
    """The claim of a small site is computed with Python floats (``tests/test_verify_paths.py``)."""
    small = CONVERTIBLE.replace("T_max=200", "T_max=12").replace("range(200)", "range(12)")
    modules = imported_by(["check", "--output-format", "json", "--stdin-filename", "x.py", "-"], small)
    assert {"libcst", "migrate.conversion", "migrate.verify", "migrate.rules.cosine_annealing_to_mindspore"} <= modules
    assert "migrate.rules.cosine_decay_to_torch" not in modules
    assert not {"pathspec", *HEAVY} & modules


def test_the_quick_fix_on_a_large_site_imports_numpy_for_the_verifier_only():
    modules = imported_by(["check", "--output-format", "json", "--stdin-filename", "x.py", "-"], CONVERTIBLE)
    assert "numpy" in modules
    assert not {"multiprocessing", "concurrent.futures", "pygls", "jsonschema"} & modules


def test_every_rule_module_is_declared_as_its_rule_declares_itself():
    """``migrate.rules.DECLARED`` stands for the rules until a file mentions a trigger: it must say what they say."""
    import importlib
    import pkgutil

    import migrate.rules as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        rule = getattr(importlib.import_module(f"migrate.rules.{info.name}"), "RULE", None)
        if isinstance(rule, Rule):
            found.append(package.DeclaredRule(info.name, rule.target, rule.triggers))
    assert list(package.DECLARED) == found
    assert [rule.load() for rule in package.DECLARED] == engine.load_rules(None)


# --- the analysis's tables are LibCST's providers', computed without their whole-module passes -----------------

SYNTAX = """\
import a.b.c as d, e.f
from .x import (y as z, w)
from torch.optim.lr_scheduler import *
x: int = 3
(a, *b), c[1:2, ::3] = d.e = [f, *g] = h
del a, b[0], c.d, (e, f)
x += (y := 3)
for i, (j, *k) in enumerate(z):
    pass
else:
    print([m for n in o if (p := n) for m in n if m], {q: r for q, r in s}, (v for v in w))
async def f(a, /, b: "List[int]" = 1, *args: X, c, d=2, **kw) -> "R":
    global G
    g = lambda x, *y, z=1, **w: x + z
    async with open(a) as (fa, fb), g() as h:
        async for q in r:
            yield q
    try:
        pass
    except (E1, E2) as e:
        raise X from e
@dec.orator(arg)
class C(Base, metaclass=M, **kw):
    attr: typing.List["C"] = []
    def m(self): return super().m(CosineAnnealingLR)
match cmd:
    case [Point(x=0, y=yy), *rest] if yy > 0: pass
    case {"k": v, **others}: pass
    case str() | bytes() as s: pass
print(f"{x!r:>{width}} {y=}", *args, **kwargs)
with a as b.c, d as e[0]: pass
[a.b for a.b in c]  # the end\r\n
"""


CUT_FROM_SOURCE = [
    "x = 1; y = 2\r\n\r\n# c\r\n@dec\r\n# between\r\n@dec2(\r\n 1)\r\ndef f():\r\n    pass\r\n    # in body\r\n\r\n"
    "# footer\r\n",
    "(\n  1\n)\nx = [\n1,\n]  # c\n(\ny) = 3\nz = \"\"\"\n# not a comment\n\"\"\"\n",
    "\x0cx = 1\n\x0c\ny = 2\n",
    "x = 1\r# c\ry = 2\r",
]
"""Sources whose top-level statements' code is cut from the text (CRLF, decorators and comments between them, a
parenthesis on a line of its own) or printed because cutting cannot be trusted (form feeds, lone carriage returns)."""


def _sources() -> list[str]:
    return [SYNTAX, "# header\n\nx = 1  # no final newline", *CUT_FROM_SOURCE,
            *(path.read_text() for path in sorted(FIXTURES.glob("*/*.py"))[:40])]


class _Visited(libcst.CSTVisitor):
    def __init__(self):
        self.order: list[libcst.CSTNode] = []

    def on_visit(self, node) -> bool:
        self.order.append(node)
        return True


@pytest.mark.parametrize("source", _sources(), ids=range(len(_sources())))
def test_the_analysis_tables_are_libcsts(source):
    module = libcst.parse_module(source)
    tables = MetadataWrapper(module, unsafe_skip_copy=True).resolve_many(
        (ParentNodeProvider, PositionProvider, QualifiedNameProvider, ScopeProvider, ExpressionContextProvider))
    facts = analysis.Analysis(MetadataWrapper(module, unsafe_skip_copy=True), source)
    assert dict(facts.parents) == dict(tables[ParentNodeProvider])
    assert analysis.expression_contexts(module) == dict(tables[ExpressionContextProvider])
    for node in reversed(list(tables[PositionProvider])):
        assert facts.positions[node] == tables[PositionProvider][node]
    assert facts.statement_code == {statement: module.code_for_node(statement) for statement in module.body}
    for node, names in tables[QualifiedNameProvider].items():
        assert facts.qualified[node] == (names() if callable(names) else names)
    scopes = tables[ScopeProvider]
    in_module = [node for node in scopes if node is module or node in facts.parents]
    assert [_scope_shape(facts.scopes[node]) for node in in_module] == [_scope_shape(scopes[node]) for node in in_module]
    visited = _Visited()
    module.visit(visited)
    assert facts.nodes(libcst.Call, libcst.Name) == [node for node in visited.order
                                                      if isinstance(node, (libcst.Call, libcst.Name))]


@pytest.mark.parametrize("source, cut", [(CUT_FROM_SOURCE[0], True), (CUT_FROM_SOURCE[1], True),
                                         (CUT_FROM_SOURCE[2], False), (CUT_FROM_SOURCE[3], False)])
def test_statement_code_is_cut_from_the_source_where_the_cuts_are_proven(source, cut):
    """Each top-level statement's code is sliced from the text instead of printed again (the test above checks it
    against LibCST's printing); where a cut cannot be proven the analysis prints it."""
    module = libcst.parse_module(source)
    sliced = analysis._statement_code(module, source, analysis.ast_tree(source))
    assert (sliced is not None) == cut
    if cut:
        header = "".join(module.code_for_node(line) for line in module.header)
        footer = "".join(module.code_for_node(line) for line in module.footer)
        assert header + "".join(sliced[statement] for statement in module.body) + footer == source


def _scope_shape(scope) -> tuple | None:
    """What a scope holds, by its nodes' identities: the names it binds with their accesses, the accesses in it."""
    if scope is None:
        return None
    assignments = sorted((assignment.name, type(assignment).__name__, id(getattr(assignment, "node", None)),
                          sorted(id(access.node) for access in assignment.references))
                         for assignment in scope.assignments)
    accesses = sorted((id(access.node), sorted((referent.name, id(getattr(referent, "node", None)))
                                               for referent in access.referents))
                      for access in scope.accesses)
    return type(scope).__name__, scope._name_prefix, json.dumps([assignments, accesses])


# --- the written text is checked where it changed, and compiled whole --------------------------------------------

class _LateFutureImport(Rule):
    """Rewrites the second statement into a ``__future__`` import: it compiles alone, but not after a statement."""

    name, target, triggers = "late", "mindspore", ("x",)
    codes = (Code("LF100", "late", "info", "A rewrite valid alone, invalid in its file.", "It tests the guard."),)

    def findings(self, facts):
        statement = facts.module.body[1]
        source = Schedule("torch.CosineAnnealingLR",
                          {"base_lr": "0.1", "T_max": "10", "eta_min": "0.0", "step_every": "1"})
        target = Schedule("mindspore.cosine_decay_lr", {"min_lr": "0.0", "max_lr": "0.1", "total_step": "11",
                                                        "step_per_epoch": "1", "decay_epoch": "10"})
        fix = Fix({statement: [libcst.parse_statement("from __future__ import annotations\n")]},
                  Claim(source, target, "11", "11"), Note(statement, "LF100", "changes"))
        yield Finding(Note(statement, "LF100", "rewrite"), fix=fix)


def test_a_rewrite_valid_alone_but_not_in_its_file_is_not_written():
    result = engine.process_bytes(b"y = 1\nx = 0\n", "f.py", engine.Options(), [_LateFutureImport()])
    assert result.output is None
    assert [diagnostic.code for diagnostic in result.diagnostics] == ["LF100", "MIG005"]
