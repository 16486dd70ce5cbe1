"""``migrate server`` end to end: a real LSP client (pygls's) talks JSON-RPC over stdio to ``python -m migrate.server``.

Each exchange opens a buffer, waits for its diagnostics, asks for code actions, applies the workspace edit the
way an editor does (0-based lines, UTF-16 columns) and compares the buffer with what
``migrate convert --stdin-filename PATH -`` prints for the same text.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra: pip install 'migrate[lsp]'")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60

TORCH_SCRIPT = """\
import torch

from model import Net, loader

model = Net()
# 😋 tuned by hand
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # ✓ µ 😋
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=200)

for epoch in range(200):
    for inputs, targets in loader:
        optimizer.zero_grad()
        loss = model(inputs, targets)
        loss.backward()
        optimizer.step()
    scheduler.step()
"""
MINDSPORE_SCRIPT = """\
import mindspore.nn as nn

lr = nn.cosine_decay_lr(0.0, 0.1, 100 * len(loader), len(loader), 100)
optimizer = nn.SGD(net.trainable_params(), learning_rate=lr, momentum=0.9)
for epoch in range(100):
    for batch in loader:
        optimizer.step()
"""
NOTHING_TO_DO = "import torch\n\nprint(torch.__version__)\n"


def convert_stdin(text: str, path: Path) -> str:
    """What the command line prints for the buffer (run from elsewhere: the path alone finds the project)."""
    result = subprocess.run([sys.executable, "-m", "migrate", "convert", "-q", "--stdin-filename", str(path), "-"],
                            input=text.encode(), capture_output=True, cwd="/", timeout=TIMEOUT)
    assert result.returncode in (0, 1), result.stderr.decode()
    return result.stdout.decode()


def apply_edit(text: str, edit: types.WorkspaceEdit) -> str:
    """Apply a workspace edit as an editor does: positions are 0-based lines and UTF-16 code units."""
    [change] = edit.document_changes
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: types.Position) -> int:
        if position.line >= len(starts) - 1:
            return len(text)
        line_start = starts[position.line]
        units = 0
        for index, character in enumerate(text[line_start:starts[position.line + 1]]):
            if units >= position.character:
                return line_start + index
            units += 2 if ord(character) > 0xFFFF else 1
        return starts[position.line + 1]

    spans = sorted(((offset(e.range.start), offset(e.range.end), e.new_text) for e in change.edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


class Session:
    """One server process and the client talking to it; diagnostics arrive in a queue per document."""

    def __init__(self, root: Path, initialization_options: dict | None = None):
        self.root, self.initialization_options = root, initialization_options
        self.client = LanguageClient("migrate-test", "1")
        self.published: dict[str, asyncio.Queue] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self._queue(params.uri).put_nowait(params)

    def _queue(self, uri: str) -> asyncio.Queue:
        return self.published.setdefault(uri, asyncio.Queue())

    async def __aenter__(self) -> "Session":
        await self.client.start_io(sys.executable, "-m", "migrate.server", cwd=str(ROOT))
        await asyncio.wait_for(self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=self.root.as_uri(),
            initialization_options=self.initialization_options,
        )), TIMEOUT)
        self.client.initialized(types.InitializedParams())
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), TIMEOUT)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), TIMEOUT)

    async def open(self, path: Path, text: str) -> types.PublishDiagnosticsParams:
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=path.as_uri(), language_id="python", version=1, text=text)))
        return await self.diagnostics(path)

    async def change(self, path: Path, text: str, version: int) -> types.PublishDiagnosticsParams:
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        return await self.diagnostics(path)

    async def diagnostics(self, path: Path) -> types.PublishDiagnosticsParams:
        return await asyncio.wait_for(self._queue(path.as_uri()).get(), TIMEOUT)

    async def actions(self, path: Path, text: str, diagnostics, only=None) -> list[types.CodeAction]:
        end = types.Position(line=len(text.splitlines()), character=0)
        return await asyncio.wait_for(self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=path.as_uri()),
            range=types.Range(start=types.Position(line=0, character=0), end=end),
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )), TIMEOUT)


def exchange(coroutine):
    return asyncio.run(coroutine)


def test_open_diagnose_fix_all_gives_the_buffer_convert_prints(tmp_path):
    path = tmp_path / "train.py"
    expected = convert_stdin(TORCH_SCRIPT, path)
    assert expected != TORCH_SCRIPT

    async def session():
        async with Session(tmp_path) as server:
            started = time.perf_counter()
            published = await server.open(path, TORCH_SCRIPT)
            latency = time.perf_counter() - started
            actions = await server.actions(path, TORCH_SCRIPT, published.diagnostics)
            return published, actions, latency

    published, actions, latency = exchange(session())
    print(f"didOpen → publishDiagnostics: {latency * 1000:.0f} ms (first buffer, rules loaded on demand)")
    assert published.version == 1
    [main] = [diagnostic for diagnostic in published.diagnostics if diagnostic.code == "MIG100"]
    assert main.source == "migrate" and main.severity == types.DiagnosticSeverity.Information
    assert (main.range.start.line, main.range.start.character) == (7, 12)
    assert "[equivalent" in main.message
    [fix_all] = [action for action in actions if action.kind == "source.fixAll.migrate"]
    assert apply_edit(TORCH_SCRIPT, fix_all.edit) == expected
    [quick_fix] = [action for action in actions if action.kind == types.CodeActionKind.QuickFix]
    assert quick_fix.is_preferred and quick_fix.diagnostics[0].code == "MIG100"
    assert apply_edit(TORCH_SCRIPT, quick_fix.edit) == expected
    assert fix_all.edit.document_changes[0].text_document.version == 1


def test_the_projects_configuration_decides_the_direction(tmp_path):
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.migrate]\nto = "torch"\nignore = ["MIG104"]\n')
    path = project / "src" / "train.py"
    expected = convert_stdin(MINDSPORE_SCRIPT, path)
    assert "CosineAnnealingLR" in expected

    async def session():
        async with Session(tmp_path) as server:
            published = await server.open(path, MINDSPORE_SCRIPT)
            actions = await server.actions(path, MINDSPORE_SCRIPT, published.diagnostics,
                                           only=[types.CodeActionKind.SourceFixAll])
            return published, actions

    published, actions = exchange(session())
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["MIG100"]
    [fix_all] = actions
    assert fix_all.kind == "source.fixAll.migrate"
    assert apply_edit(MINDSPORE_SCRIPT, fix_all.edit) == expected


def test_initialization_options_override_the_project_as_the_command_line_does(tmp_path):
    path = tmp_path / "train.py"

    async def session():
        async with Session(tmp_path, {"to": "torch"}) as server:
            return await server.open(path, MINDSPORE_SCRIPT)

    assert [diagnostic.code for diagnostic in exchange(session()).diagnostics] == ["MIG100"]


def test_changes_and_unsafe_fixes_follow_the_buffer(tmp_path):
    """Edits track the buffer's versions; an unsafe fix is offered but not preferred and not part of fix-all."""
    path = tmp_path / "train.py"
    longer_run = TORCH_SCRIPT.replace("for epoch in range(200):", "while not converged():")

    async def session():
        async with Session(tmp_path) as server:
            await server.open(path, NOTHING_TO_DO)
            changed = await server.change(path, longer_run, 2)
            actions = await server.actions(path, longer_run, changed.diagnostics)
            cleared = await server.change(path, NOTHING_TO_DO, 3)
            after = await server.actions(path, NOTHING_TO_DO, cleared.diagnostics)
            return changed, actions, cleared, after

    changed, actions, cleared, after = exchange(session())
    assert changed.version == 2 and "MIG102" in {diagnostic.code for diagnostic in changed.diagnostics}
    [unsafe] = actions
    assert unsafe.kind == types.CodeActionKind.QuickFix and not unsafe.is_preferred and "unsafe" in unsafe.title
    assert unsafe.edit.document_changes[0].text_document.version == 2
    assert "mindspore.nn.cosine_decay_lr" in apply_edit(longer_run, unsafe.edit)
    assert cleared.version == 3 and not cleared.diagnostics and not after


def test_positions_are_utf16_and_edits_count_lines_as_the_engine_does():
    from migrate.diagnostics import TextEdit
    from migrate.server import Positions, text_edits

    def utf16(text: str) -> int:
        return len(text.encode("utf-16-le")) // 2

    text = 'x = "😋"; y = 1\r\nz = 2\x0cw = 3\n'
    positions = Positions(text, utf16)
    assert positions.diagnostic(1, 10) == types.Position(line=0, character=10)
    assert positions.diagnostic(1, 99) == types.Position(line=0, character=15)
    # str.splitlines (the engine's fix edits) breaks at the form feed; LSP does not.
    assert positions.edit(3, 1) == types.Position(line=1, character=6)
    [whole] = text_edits([TextEdit(1, 1, 4, 1, "")], positions)
    assert whole.range.end == types.Position(line=2, character=0)


def test_nothing_but_the_server_imports_pygls():
    code = ("import sys; import migrate.engine, migrate.config, migrate.cli; "
            "from migrate import engine; engine.load_rules('torch'); print('pygls' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=TIMEOUT)
    assert result.stdout.strip() == "False", result.stderr


def test_an_invalid_configuration_is_one_error_and_an_excluded_file_gets_nothing(tmp_path):
    from migrate.server import convert

    (tmp_path / "pyproject.toml").write_text('[tool.migrate]\nto = "jax"\n')
    [error] = convert(TORCH_SCRIPT, tmp_path / "train.py", {}).diagnostics
    assert (error.line, error.severity) == (1, "error") and "to" in error.message
    (tmp_path / "pyproject.toml").write_text('[tool.migrate]\nexclude = ["legacy/"]\n')
    assert convert(TORCH_SCRIPT, tmp_path / "legacy" / "train.py", {}).diagnostics == ()
    assert convert(TORCH_SCRIPT, tmp_path / "train.py", {}).output is not None
