"""Closed functions are parsed as stubs (``migrate.stubs``): which functions qualify, that a stub keeps every other
line and column, and that a conversion gives the same text and diagnostics with stubs as without them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate import engine, stubs

ROOT = Path(__file__).resolve().parents[1]
TRIGGERS = ("CosineAnnealingLR", "cosine_decay_lr")

CLOSED = '''\
def smoothed(values, weight=0.9):
    """A running mean, as a logging helper writes it."""
    total, seen = 0.0, []
    for value in values:
        total = weight * total + (1 - weight) * value
        seen = seen + [total]
    return {"last": total, "history": seen}
'''


def stubbed_text(source: str) -> tuple[str, tuple[str, ...]]:
    parsed = stubs.stubbed(source, ast.parse(source), TRIGGERS)
    return parsed.text, parsed.hidden_names


def test_a_closed_function_nothing_names_becomes_a_stub_of_the_same_lines_reading_its_imports():
    source = ("import math\nimport torch\n\n\n" + CLOSED.replace("return {", "return math.pi, torch.tensor(seen), {")
              + "\n\nEPOCHS = 3\n")
    text, hidden = stubbed_text(source)
    assert text.splitlines()[4:11] == ["def smoothed():", "    (math, torch,", "", "", "", "", "    )"]
    assert text.count("\n") == source.count("\n")
    assert text.splitlines()[:4] == source.splitlines()[:4] and text.endswith("\n\nEPOCHS = 3\n")
    assert {"values", "weight", "total", "seen", "value"} <= set(hidden)
    ast.parse(text)


@pytest.mark.parametrize("change, why", [
    ("{name}(values)\n", "named elsewhere in the file"),
    ("# see {name}\n", "named in a comment: a name in text may be looked up"),
    ("WEIGHT = 0.5\nweight = WEIGHT\n", "binds a module variable's name"),
    ("config = {{}}\n", "reads a module variable"),
    ("import os\n", "writes into an import"),
    ("from torch.optim.lr_scheduler import *\n", "a star import hides the module's names"),
])
def test_a_function_that_can_reach_the_rest_of_the_module_is_parsed_whole(change, why):
    body = {
        "reads a module variable": CLOSED.replace("seen = 0.0, []", "seen = config['start'], []"),
        "writes into an import": CLOSED.replace("seen = seen + [total]", "os.environ['LAST'] = str(total)"),
    }.get(why, CLOSED)
    source = change.format(name="smoothed") + "\n\n" + body
    assert stubbed_text(source)[0] == source, why


@pytest.mark.parametrize("function", [
    "def disable(args):\n    args.cos = False\n    return args\n",
    "def alias(cfg):\n    c = cfg\n    return c\n",
    "def reconfigure(self):\n    del self.warmup_epochs\n    return self\n",
    "def use_lightning(x):\n    import pytorch_lightning\n    return x\n",
    "def options(parser):\n    parser.add_argument('--epochs', default=7)\n    return parser\n",
    "def merged(config, other):\n    config.update(other)\n    return config\n",
    "def grown(rows):\n    rows.append(1)\n    return rows\n",
    "def body_on_the_def_line(a): return (a +\n    1)\n",
    "@functools.cache\n" + CLOSED,
    CLOSED.replace("total, seen = 0.0, []", "global history\n    total, seen = 0.0, []"),
    CLOSED.replace("total, seen = 0.0, []", "total, seen = eval('0.0'), []"),
    CLOSED.replace("return {", "scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(None, 3)\n    return {"),
    CLOSED.replace("return {", "lr = schedule(0.0, 0.1, 10, 1, 10)\n    return {"),
    "def one_line(x): return x\n",
])
def test_a_function_holding_what_the_analysis_gathers_by_spelling_or_decorated_dynamic_or_triggering_is_parsed_whole(
        function):
    source = "import functools\nimport torch\nfrom mindspore.nn import cosine_decay_lr as schedule\n\n\n" + function
    assert stubbed_text(source)[0] == source


def test_the_names_a_stub_hides_are_those_libcst_gives_as_names():
    source = ("import torch\n\n\ndef loaded(path, *, strict=True):\n    device = 'cpu' if strict else None\n"
              "    match path:\n        case dict(kind=1):\n            return None\n"
              "        case {'kind': 2, **rest}:\n            return rest\n"
              "    return torch.tensor(path, device=device)\n")
    compile(source, "x.py", "exec")
    _, hidden = stubbed_text(source)
    assert set(hidden) == {"loaded", "path", "strict", "True", "device", "None", "dict", "kind", "rest", "torch"}


def test_a_stub_keeps_the_line_endings_and_the_indentation_of_the_body():
    source = "import torch\r\n\r\n\r\ndef scaled(x):\r\n\tx = x * 2\r\n\r\n\treturn torch.relu(x)\r\n\t# done\r\n"
    text, _ = stubbed_text(source)
    assert text == "import torch\r\n\r\n\r\ndef scaled():\r\n\t(torch,\r\n\r\n\t)\r\n\t# done\r\n"


def rules_triggers(rules) -> list[str]:
    return [trigger for rule in rules for trigger in rule.triggers]


def inputs(direction: str) -> list[Path]:
    return sorted([*ROOT.glob(f"fixtures/{direction}/*/input.py"), *ROOT.glob(f"tests/programs/{direction}/*.py")])


@pytest.mark.parametrize("direction, to", [("torch_to_mindspore", "mindspore"), ("mindspore_to_torch", "torch")])
def test_a_conversion_with_stubs_gives_the_text_and_diagnostics_of_one_without(direction, to, monkeypatch):
    """Every fixture and test program, with a closed helper added before and after its code, converts to the same
    bytes with the same diagnostics and quick-fix edits whether the helpers are stubs or parsed whole."""
    rules = engine.load_rules(to)
    compared = stubbed = 0
    for path in inputs(direction):
        source = path.read_text()
        if "__future__" in source or "smoothed" in source:
            continue
        data = (CLOSED.replace("smoothed", "smoothed_before") + "\n\n" + source.rstrip("\n") + "\n\n\n"
                + CLOSED.replace("\n", "\n\n", 2)).encode()
        results = []
        for parse_stubs in (True, False):
            if not parse_stubs:
                monkeypatch.setattr(stubs, "stubbed", lambda text, tree, triggers: stubs.Stubbed(text))
            for unsafe in (False, True):
                options = engine.Options(to=to, unsafe_fixes=unsafe, fix_edits=True)
                result = engine.process_bytes(data, str(path), options, rules)
                results.append((result.output, result.diagnostics))
        monkeypatch.undo()
        assert results[:2] == results[2:], path
        output = results[0][0]
        if output is not None:
            assert CLOSED.replace("smoothed", "smoothed_before") in output.decode(), path
            assert output.decode().endswith(CLOSED.replace("\n", "\n\n", 2)), path
        compared += 1
        stubbed += bool(stubs.stubbed(data.decode(), ast.parse(data), rules_triggers(rules)).functions)
    assert compared > 100 and stubbed > compared * 0.9
