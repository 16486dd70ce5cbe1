"""``migrate server``: the rewrites as a language server (LSP over stdio), for editors.

Every open buffer is converted as ``migrate convert --stdin-filename PATH -`` converts it, with the configuration of
the project the file belongs to: its diagnostics are published on open, change and save; each fix is offered as a
quick-fix of its diagnostic, and ``source.fixAll.migrate`` turns the buffer into what ``convert -`` prints (the
fixes it applies: safe ones, unless the project enables unsafe fixes). The engine speaks 1-based lines and
code-point columns; LSP speaks 0-based lines and, unless the client negotiates otherwise, UTF-16 columns.

pygls is imported by this module alone (``pip install 'migrate[lsp]'``): nothing else in migrate needs it.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from migrate import __version__, engine, files
from migrate.config import TARGETS, Config, ConfigError, command_line_overrides, find_config, load_config
from migrate.diagnostics import SAFE, Diagnostic

FIX_ALL = "source.fixAll.migrate"
SOURCE = "migrate"
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}
_LSP_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Conversion:
    """One version of a buffer and what the engine made of it; ``output`` is None when nothing changes."""

    version: int | None
    text: str
    diagnostics: tuple[Diagnostic, ...]
    output: str | None


class Positions:
    """Maps the engine's positions in ``text`` to LSP positions, in the code units the client negotiated.

    The engine's diagnostics count lines as Python's tokenizer does (``\\n``, ``\\r\\n``, ``\\r``), as LSP does; its
    fix edits count them as ``str.splitlines`` does (which also breaks at form feeds and other separators), so
    an edit position goes through its offset in the text.
    """

    def __init__(self, text: str, units):
        self.text, self.units = text, units
        self.starts = [0] + [match.end() for match in _LSP_LINE_BREAK.finditer(text)]
        edit_lines = text.splitlines(keepends=True)
        self.edit_starts = [0]
        for line in edit_lines:
            self.edit_starts.append(self.edit_starts[-1] + len(line))

    def diagnostic(self, line: int, col: int) -> types.Position:
        """A diagnostic's 1-based line and column (code points)."""
        row = min(max(line - 1, 0), len(self.starts) - 1)
        return self._at(min(self.starts[row] + max(col - 1, 0), self._line_end(row)))

    def edit(self, line: int, col: int) -> types.Position:
        """A fix edit's 1-based line and column: the line after the last one is the end of the text."""
        row = line - 1
        offset = self.edit_starts[row] + col - 1 if row < len(self.edit_starts) else len(self.text)
        return self._at(min(offset, len(self.text)))

    def _line_end(self, row: int) -> int:
        end = self.starts[row + 1] if row + 1 < len(self.starts) else len(self.text)
        return end - len(_trailing_break(self.text[self.starts[row]:end]))

    def _at(self, offset: int) -> types.Position:
        row = _row_of(self.starts, offset)
        return types.Position(line=row, character=self.units(self.text[self.starts[row]:offset]))


def _row_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def _trailing_break(line: str) -> str:
    match = _LSP_LINE_BREAK.search(line)
    return match.group() if match else ""


def buffer_bytes(text: str) -> bytes:
    """The bytes a file holding ``text`` would have: encoded as its PEP 263 cookie says, else UTF-8."""
    utf8 = text.encode("utf-8")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(utf8).readline)
        return utf8 if encoding in ("utf-8", "utf-8-sig") else text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return utf8


def options_for(path: Path, overrides: dict) -> engine.Options:
    """The engine options of ``path``: its project's ``[tool.migrate]``, under the client's settings
    (as ``migrate.run.Run.options_for`` puts the command line's)."""
    found = find_config(path.parent)
    config = (load_config(found) if found else Config()).merged(**overrides)
    return engine.Options(to=config.to, unsafe_fixes=config.unsafe_fixes, config=config)


@cache
def _rules(direction: str):
    return tuple(engine.load_rules(direction))


def convert(text: str, path: Path, overrides: dict, version: int | None = None) -> Conversion:
    """What ``migrate convert --stdin-filename PATH -`` makes of the buffer: its diagnostics and output.

    A file the project's ``exclude`` names gets nothing, as in ``migrate convert``; an invalid configuration is
    one error diagnostic on the first line.
    """
    try:
        options = options_for(path, overrides)
    except ConfigError as error:
        return Conversion(version, text, (Diagnostic(str(path), 1, 1, "config", "configuration", "error",
                                                     str(error)),), None)
    if options.config.is_excluded(path.resolve()):
        return Conversion(version, text, (), None)
    result = engine.process_bytes(buffer_bytes(text), str(path), options, _rules(options.to))
    output = None
    if result.output is not None:
        output = files.decode(result.output).text
        if output == text:
            output = None
    return Conversion(version, text, tuple(result.diagnostics), output)


def lsp_diagnostic(diagnostic: Diagnostic, positions: Positions) -> types.Diagnostic:
    start = positions.diagnostic(diagnostic.line, diagnostic.col)
    end = positions.diagnostic(diagnostic.end_line, diagnostic.end_col) if diagnostic.end_line else start
    return types.Diagnostic(
        range=types.Range(start=start, end=end),
        message=diagnostic.message,
        severity=SEVERITIES.get(diagnostic.severity, types.DiagnosticSeverity.Error),
        code=diagnostic.code,
        source=SOURCE,
    )


def text_edits(edits, positions: Positions) -> list[types.TextEdit]:
    return [types.TextEdit(range=types.Range(start=positions.edit(edit.line, edit.col),
                                             end=positions.edit(edit.end_line, edit.end_col)),
                           new_text=edit.content)
            for edit in edits]


class MigrateServer(LanguageServer):
    """Keeps the last conversion of each open buffer, so code actions reuse what diagnostics computed."""

    def __init__(self):
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.conversions: dict[str, Conversion] = {}
        self.overrides: dict = {}

    def conversion(self, uri: str) -> Conversion:
        """The conversion of the buffer's current version, computed when it is not known yet."""
        document = self.workspace.get_text_document(uri)
        known = self.conversions.get(uri)
        if known is None or known.version != document.version or known.text != document.source:
            known = convert(document.source, _path_of(uri, self.workspace.root_path), self.overrides,
                            document.version)
            self.conversions[uri] = known
        return known

    def positions(self, text: str) -> Positions:
        return Positions(text, self.workspace.position_codec.client_num_units)

    def publish(self, uri: str) -> None:
        conversion = self.conversion(uri)
        positions = self.positions(conversion.text)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=conversion.version,
            diagnostics=[lsp_diagnostic(diagnostic, positions) for diagnostic in conversion.diagnostics],
        ))

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        conversion = self.conversion(uri)
        positions = self.positions(conversion.text)
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        if _wants(wanted, types.CodeActionKind.QuickFix):
            for diagnostic in conversion.diagnostics:
                if diagnostic.fix is None or not diagnostic.fix.edits:
                    continue
                shown = lsp_diagnostic(diagnostic, positions)
                if not _overlaps(shown.range, params.range):
                    continue
                safe = diagnostic.fix.applicability == SAFE
                actions.append(types.CodeAction(
                    title=f"{diagnostic.code}: apply the rewrite" + ("" if safe else
                                                                     " (unsafe: read the warnings first)"),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    is_preferred=safe,
                    edit=self._edit(uri, conversion, text_edits(diagnostic.fix.edits, positions)),
                ))
        if conversion.output is not None and _wants(wanted, FIX_ALL):
            edits = text_edits(engine.line_edits(conversion.text, conversion.output), positions)
            actions.append(types.CodeAction(
                title="migrate: fix all (what `migrate convert` writes)",
                kind=FIX_ALL,
                edit=self._edit(uri, conversion, edits),
            ))
        return actions

    @staticmethod
    def _edit(uri: str, conversion: Conversion, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        """Edits bound to the version they were computed on, so a client drops them once the buffer moved on."""
        return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=conversion.version),
            edits=edits,
        )])


def _wants(only, kind: str) -> bool:
    """LSP's ``only`` filter: a kind is wanted when it is, or is under, one of the listed kinds."""
    return only is None or any(kind == wanted or kind.startswith(f"{wanted}.") for wanted in only)


def _overlaps(first: types.Range, second: types.Range) -> bool:
    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character
    return key(first.start) <= key(second.end) and key(second.start) <= key(first.end)


def _path_of(uri: str, root: str | None) -> Path:
    """The file a buffer stands for; an unsaved buffer is taken to be a file in the workspace's root."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else Path(root or ".") / "untitled.py"


def create_server() -> MigrateServer:
    server = MigrateServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: MigrateServer, params: types.InitializeParams) -> None:
        """``initializationOptions`` may carry ``{"to": "torch"}`` and ``{"unsafeFixes": true}``, which override
        the project's configuration as the command line's ``--to`` and ``--unsafe-fixes`` do."""
        settings = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        ls.overrides = command_line_overrides(to=settings.get("to"), unsafe_fixes=settings.get("unsafeFixes"))

    @server.feature(types.INITIALIZED)
    def initialized(ls: MigrateServer, params: types.InitializedParams) -> None:
        """Convert each rule's own example once, so the first buffer opened does not wait for the parser, the
        rules and the schedule models to load."""
        for direction in TARGETS:
            for rule in _rules(direction):
                for example in rule.examples[:1]:
                    engine.process_bytes(example.before.encode(), "warm-up.py", engine.Options(to=direction), [rule])

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MigrateServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MigrateServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MigrateServer, params: types.DidSaveTextDocumentParams) -> None:
        """Converted again even when the text is unchanged: the project's configuration may have changed."""
        ls.conversions.pop(params.text_document.uri, None)
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MigrateServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.conversions.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                            diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]))
    def code_action(ls: MigrateServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    return server


def serve() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    create_server().start_io()


if __name__ == "__main__":
    serve()
