"""The shared analysis behind the forward holes of issue 8, on the shapes both rules meet.

The fixtures under ``fixtures/torch_to_mindspore/`` show each hole end to end; these tests pin the shared helpers
the reverse rule is to call too: the package name under which added code reaches its import, the early exits of a
loop, and whether a name read by moved code is bound where it lands.
"""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper

from migrate import engine
from migrate.analysis import Analysis
from migrate.imports import AliasedImport, package_reference, with_imports
from migrate.rule import ImportRef


def _analysis(text: str) -> Analysis:
    return Analysis(MetadataWrapper(cst.parse_module(text)), text)


def _find(analysis: Analysis, kind, index: int = 0):
    found = []

    class Finder(cst.CSTVisitor):
        def on_visit(self, node):
            if isinstance(node, kind):
                found.append(node)
            return True

    analysis.module.visit(Finder())
    return found[index]


def _line_starting(analysis: Analysis, text: str) -> cst.CSTNode:
    class Finder(cst.CSTVisitor):
        found = None

        def visit_SimpleStatementLine(self, node):
            if Finder.found is None and analysis.code(node).strip().startswith(text):
                Finder.found = node

    analysis.module.visit(Finder())
    return Finder.found


@pytest.mark.parametrize("text, package", [
    ("import torch\ntorch = None\n\ndef main():\n    x = 1\n", "torch"),
    ("import mindspore\n\ndef main(mindspore=False):\n    x = 1\n", "mindspore"),
    ("def main():\n    from helpers import mindspore\n    x = 1\n", "mindspore"),
    ("import torch\n\ndef main():\n    global torch\n    torch = 3\n\ndef other():\n    x = 1\n", "torch"),
])
def test_a_rebound_package_name_gets_a_free_alias(text, package):
    analysis = _analysis(text)
    site = _line_starting(analysis, "x = 1")
    name, ref = package_reference(analysis, site, package)
    assert name != package and isinstance(ref, AliasedImport) and ref.alias == name
    module = with_imports(analysis.module, [ref])
    assert f"import {package} as {name}\n" in module.code


@pytest.mark.parametrize("text", [
    "import torch.optim\n\ndef main():\n    x = 1\n",
    "class Config:\n    torch = 'cuda'\n\ndef main():\n    x = 1\n",
    "def other(torch):\n    return torch\n\ndef main():\n    x = 1\n",
])
def test_the_package_name_stays_when_nothing_the_site_sees_rebinds_it(text):
    analysis = _analysis(text)
    assert package_reference(analysis, _line_starting(analysis, "x = 1"), "torch") == ("torch", ImportRef("torch"))


def test_an_alias_that_is_taken_is_not_reused():
    analysis = _analysis("torch = None\nth = 2\n\ndef main():\n    x = 1\n")
    name, _ = package_reference(analysis, _line_starting(analysis, "x = 1"), "torch")
    assert name == "th_2"


LOOP = """\
def main(loader, model, optimizer, scheduler):
    for epoch in range(10):
        for i, batch in enumerate(loader):
            if i >= 3:
                break
            try:
                loss = model(batch)
                if loss is None:
                    raise ValueError(loss)
            except ValueError:
                pass
            for inner in batch:
                if inner:
                    continue
                raise RuntimeError(inner)
            if loss > 1:
                raise RuntimeError(loss)
            optimizer.step()
        scheduler.step()
"""


def test_loop_exits_are_its_own_breaks_and_continues_and_the_raises_a_try_catches():
    analysis = _analysis(LOOP)
    batch_loop = _find(analysis, cst.For, 1)
    exits = analysis.loop_exits(batch_loop)
    assert [(type(node).__name__, analysis.line(node)) for node in exits] == [("Break", 5), ("Raise", 9)]
    epoch_loop = _find(analysis, cst.For, 0)
    assert analysis.loop_exits(epoch_loop) == [exits[1]]


PLACES = """\
def main(args):
    optimizer = make(args)
    if args.big:
        size = 2
    with open(args.path) as handle:
        loader = load(handle)
    for batch in loader:
        last = batch
    epochs = args.epochs
    total = epochs * len(loader)
"""


@pytest.mark.parametrize("read, place, problem", [
    ("len(loader)", "optimizer = make(args)",
     "`loader` is not bound on every path before line 2 (it is bound at line 6)"),
    ("len(loader)", "epochs = args.epochs", None),
    ("size", "epochs = args.epochs", "`size` is not bound on every path before line 9 (it is bound at line 4)"),
    ("last", "epochs = args.epochs", "`last` is not bound on every path before line 9 (it is bound at line 8)"),
    ("handle", "epochs = args.epochs", None),
    ("args.lr * 2", "optimizer = make(args)", None),
    ("len(range(3))", "optimizer = make(args)", None),
])
def test_a_read_name_must_be_bound_on_every_path_where_the_code_lands(read, place, problem):
    analysis = _analysis(PLACES + f"    probe = {read}\n")
    probe = _line_starting(analysis, "probe =").body[0].value
    landing = _line_starting(analysis, place)
    assert analysis.unbound_name(probe, landing, landing) == problem


def test_a_name_bound_again_between_the_new_place_and_the_original_use_is_named():
    analysis = _analysis("def main(args):\n    n = 1\n    a = 0\n    n = 2\n    use(n)\n")
    probe = _line_starting(analysis, "use(n)").body[0].value
    assert analysis.unbound_name(probe, _line_starting(analysis, "a = 0"), probe) == "`n` is bound again at line 4"


def test_an_optimizer_passed_to_a_function_defined_elsewhere_is_an_assumption_of_the_rewrite():
    text = ("import torch\nfrom logs import record\n\n"
            "optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
            "scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10)\n"
            "for epoch in range(10):\n    for batch in loader:\n        record(optimizer)\n        optimizer.step()\n"
            "    scheduler.step()\n")
    result = engine.process_bytes(text.encode(), "train.py", engine.Options(), engine.load_rules("mindspore"))
    [main] = [diagnostic for diagnostic in result.diagnostics if diagnostic.code == "MIG100"]
    assert "record() at line 8 neither reads nor changes the lr of `optimizer`" in main.message
    assert result.output is not None
