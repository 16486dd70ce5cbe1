"""Imports a formatter would keep: added ones in the third-party group at their sorted place, one style per package,
removed ones leaving no empty group, and ``ruff check --select I,F401`` clean on converted fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from migrate import engine
from migrate.imports import AliasedImport, with_imports
from migrate.rule import ImportRef

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINDSPORE = ImportRef("mindspore")
TORCH = ImportRef("torch")
COSINE_DECAY_LR = ImportRef("mindspore.nn", "cosine_decay_lr")


def _added(text: str, *refs: ImportRef) -> str:
    return with_imports(cst.parse_module(text), refs).code


@pytest.mark.parametrize("before, refs, after", [
    pytest.param("import argparse\n\nimport torch\nfrom torch.utils import data\n\nx = 1\n", [MINDSPORE],
                 "import argparse\n\nimport mindspore\nimport torch\nfrom torch.utils import data\n\nx = 1\n",
                 id="before-a-later-module"),
    pytest.param("import mindspore.nn as nn\nfrom mindspore import Model\n\nx = 1\n", [TORCH],
                 "import mindspore.nn as nn\nimport torch\nfrom mindspore import Model\n\nx = 1\n",
                 id="import-lines-before-from-lines"),
    pytest.param("import torch\nfrom torch import nn\n\nx = 1\n", [COSINE_DECAY_LR],
                 "import torch\nfrom mindspore.nn import cosine_decay_lr\nfrom torch import nn\n\nx = 1\n",
                 id="from-line-among-from-lines"),
    pytest.param("import numpy as np\n\nx = 1\n", [MINDSPORE],
                 "import mindspore\nimport numpy as np\n\nx = 1\n",
                 id="first-of-its-group"),
    pytest.param("import mindspore\n\nfrom model import Net\n\nx = 1\n", [TORCH],
                 "import mindspore\nimport torch\n\nfrom model import Net\n\nx = 1\n",
                 id="first-third-party-group-when-a-later-one-is-the-users-own"),
    pytest.param("import os\n\n# models\nimport torch\n\nx = 1\n", [MINDSPORE],
                 "import os\n\nimport mindspore\n# models\nimport torch\n\nx = 1\n",
                 id="a-comment-stays-with-its-import"),
    pytest.param("import os\n\nfrom . import helpers\n\nx = 1\n", [MINDSPORE],
                 "import os\n\nimport mindspore\n\nfrom . import helpers\n\nx = 1\n",
                 id="new-group-between-stdlib-and-local"),
    pytest.param('"""Doc."""\n\nfrom . import helpers\n\nx = 1\n', [MINDSPORE],
                 '"""Doc."""\n\nimport mindspore\n\nfrom . import helpers\n\nx = 1\n',
                 id="new-group-before-local"),
    pytest.param('"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nx = 1\n', [MINDSPORE],
                 '"""Doc."""\nfrom __future__ import annotations\n\nimport os\n\nimport mindspore\n\nx = 1\n',
                 id="new-group-after-future-and-stdlib"),
    pytest.param('"""Doc."""\n\n\ndef main():\n    pass\n', [MINDSPORE],
                 '"""Doc."""\n\nimport mindspore\n\n\ndef main():\n    pass\n',
                 id="new-block-before-a-def"),
    pytest.param("# header\nx = 1\n", [MINDSPORE], "# header\nimport mindspore\n\nx = 1\n",
                 id="new-block-before-code"),
    pytest.param("import argparse\n\nimport torch\n\nx = 1\n", [AliasedImport("mindspore", alias="ms")],
                 "import argparse\n\nimport mindspore as ms\nimport torch\n\nx = 1\n",
                 id="aliased"),
    pytest.param("import mindspore\n\nx = 1\n", [MINDSPORE, MINDSPORE], "import mindspore\n\nx = 1\n",
                 id="already-there"),
])
def test_an_added_import_lands_where_ruff_keeps_it(before, refs, after):
    assert _added(before, *refs) == after


@pytest.mark.parametrize("refs, prefix", [
    ([COSINE_DECAY_LR, MINDSPORE], "mindspore"),
    ([AliasedImport("mindspore", alias="ms"), COSINE_DECAY_LR], "ms"),
])
def test_a_package_requested_both_ways_is_imported_once_as_a_module(refs, prefix):
    before = "import torch\n\n\ndef main(model):\n    lr = cosine_decay_lr(0.0, 0.1, 10, 1, 10)\n    return lr\n"
    after = _added(before, *refs)
    import_line = f"import mindspore as {prefix}" if prefix != "mindspore" else "import mindspore"
    assert after == (f"{import_line}\nimport torch\n\n\ndef main(model):\n"
                     f"    lr = {prefix}.nn.cosine_decay_lr(0.0, 0.1, 10, 1, 10)\n    return lr\n")


def test_both_styles_stay_when_the_name_is_bound_elsewhere():
    before = "import torch\n\n\ndef cosine_decay_lr():\n    pass\n\n\nx = cosine_decay_lr()\n"
    after = _added(before, MINDSPORE, COSINE_DECAY_LR)
    assert after.startswith("import mindspore\nimport torch\nfrom mindspore.nn import cosine_decay_lr\n")
    assert "x = cosine_decay_lr()" in after



def test_both_styles_stay_when_the_name_is_also_in_a_string_annotation():
    before = 'import torch\n\nx: "cosine_decay_lr"\ny = cosine_decay_lr(0.0, 0.1, 10, 1, 10)\n'
    after = _added(before, MINDSPORE, COSINE_DECAY_LR)
    assert after.endswith('x: "cosine_decay_lr"\ny = cosine_decay_lr(0.0, 0.1, 10, 1, 10)\n')
    assert "from mindspore.nn import cosine_decay_lr\n" in after


SCRIPT = """\
import os

import torch

from . import helpers

model = helpers.Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=20)

for epoch in range(20):
    for inputs, targets in helpers.loader:
        optimizer.step()
    scheduler.step()
print(os.getcwd())
"""


def _converted(text: str) -> str:
    options = engine.Options(to="mindspore")
    result = engine.process_bytes(text.encode(), "train.py", options, engine.load_rules(options.to))
    assert result.output is not None, [diagnostic.concise() for diagnostic in result.diagnostics]
    return result.output.decode()


def test_an_emptied_group_is_refilled_by_the_added_import_without_extra_blank_lines():
    head = _converted(SCRIPT).split("model =")[0]
    assert head == "import os\n\nimport mindspore\n\nfrom . import helpers\n\n"


def test_an_emptied_group_leaves_no_doubled_blank_line():
    text = SCRIPT.replace("import os\n\nimport torch\n", "import os\n\nimport numpy\n\nimport torch\n")
    head = _converted(text.replace("print(os.getcwd())", "print(os.getcwd(), numpy)")).split("model =")[0]
    assert head == "import os\n\nimport mindspore\nimport numpy\n\nfrom . import helpers\n\n"


def test_a_removed_import_at_the_head_of_its_group_keeps_the_gap_before_the_group():
    text = SCRIPT.replace("import torch\n", "import torch\nimport torchvision\n")
    head = _converted(text.replace("print(os.getcwd())", "print(os.getcwd(), torchvision)")).split("model =")[0]
    assert head == "import os\n\nimport mindspore\nimport torchvision\n\nfrom . import helpers\n\n"


def _ruff() -> str | None:
    beside = Path(sys.executable).with_name("ruff")
    return str(beside) if beside.exists() else shutil.which("ruff")


def _ruff_findings(ruff: str, root: Path) -> set[str]:
    """The files under ``root`` with an I or F401 finding; isolated, so only the file's own text decides."""
    result = subprocess.run([ruff, "check", "--isolated", "--no-cache", "--select", "I,F401", "--exit-zero",
                             "--output-format", "json", "."], cwd=root, capture_output=True, text=True, check=True)
    return {str(Path(finding["filename"]).relative_to(root)) for finding in json.loads(result.stdout)}


def test_ruff_keeps_the_imports_of_every_converted_fixture_whose_input_it_kept(tmp_path):
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    cases = sorted(path for path in FIXTURES.glob("*/*") if (path / "input.py").is_file())
    for case in cases:
        folder = tmp_path / f"{case.parent.name}__{case.name}"
        folder.mkdir()
        shutil.copy(case / "input.py", folder / "input.py")
        shutil.copy(case / "output.py", folder / "output.py")
    flagged = _ruff_findings(ruff, tmp_path)
    clean = [case for case in cases if f"{case.parent.name}__{case.name}/input.py" not in flagged]
    assert len(clean) >= len(cases) // 2
    assert [f"{case.parent.name}/{case.name}" for case in clean
            if f"{case.parent.name}__{case.name}/output.py" in flagged] == []
