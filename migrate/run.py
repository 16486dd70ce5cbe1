"""A whole run over many files: configuration, discovery, processing (in parallel if asked), writing, reporting.

The CLI hands over its options; this module decides per file what is read, written or printed, and the exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click

from migrate import engine, files, formats, outcome
from migrate.config import Config, command_line_overrides, find_config, load_config
from migrate.diagnostics import Diagnostic, sort_diagnostics
from migrate.outcome import EXIT_USAGE, display_path
from migrate.rule import Code
from migrate.rules import DeclaredRule, declared

if TYPE_CHECKING:
    from migrate.discover import Discovery

STDIN = "-"


@dataclass
class Run:
    paths: tuple[str, ...]
    mode: str
    overrides: dict
    output_format: str
    output_file: str | None
    stdin_filename: str | None
    jobs: int | None
    quiet: bool
    configs: dict = field(default_factory=dict)
    discovery: Discovery | None = None
    exit_policy: outcome.ExitPolicy = outcome.ExitPolicy()
    statistics: bool = False
    progress: Progress | None = None

    @classmethod
    def from_options(cls, paths, mode: str, options: dict) -> "Run":
        overrides = command_line_overrides(
            to=options["to"],
            unsafe_fixes=options["unsafe_fixes"],
            select=_split(options["select"]),
            ignore=_split(options["ignore"]),
            exclude=_split(options["exclude"]),
            fail_on=options["fail_on"],
            periodic=options["periodic"],
        )
        return cls(tuple(paths), mode, overrides, options["output_format"] or "concise", options["output_file"],
                   options["stdin_filename"], options["jobs"], options["quiet"], discovery=options.get("discovery"),
                   exit_policy=options["exit_policy"], statistics=options["statistics"])

    def options_for(self, path: str) -> engine.Options:
        """The engine options of one file: the ``[tool.migrate]`` nearest to it, under the command line's values."""
        folder = Path(path).resolve().parent
        if folder not in self.configs:
            found = find_config(folder)
            self.configs[folder] = (load_config(found) if found else Config()).merged(**self.overrides)
        config = self.configs[folder]
        return engine.Options(to=config.to, unsafe_fixes=config.unsafe_fixes, config=config,
                              fix_edits=self.output_format in formats.EDIT_FORMATS)

    def execute(self) -> int:
        """Raises ConfigError when a configuration on the way is invalid."""
        if STDIN in self.paths:
            if len(self.paths) > 1:
                click.echo("migrate: '-' (stdin) cannot be combined with other paths", err=True)
                return EXIT_USAGE
            results = self._delivered([self._stdin(self.options_for(self.stdin_filename or "stdin.py"))])
        else:
            results = self._delivered(self._files())
        return outcome.exit_code(results, self.mode, self._fail_on, self.exit_policy)

    def _delivered(self, results: Iterable[engine.FileResult]) -> list[_Delivered]:
        """Deliver each file's result as it comes (in path order), then report; only what the summary and the
        report need is kept, never the files' bytes."""
        report = _Report(self)
        delivered = []
        for result in results:
            if self.progress is not None and (result.diagnostics or result.output is not None):
                self.progress.clear()
            self._deliver(result)
            report.add(result)
            delivered.append(_Delivered.of(result))
        report.finish(delivered)
        return delivered

    def _fail_on(self, path: str) -> str:
        return self.options_for(path).config.fail_on

    def _excluded(self, path: str) -> bool:
        return self.options_for(path).config.is_excluded(Path(path))

    def _stdin(self, options: engine.Options) -> engine.FileResult:
        path = self.stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        result = engine.process_bytes(data, _shown(path), options, _rules(options.to))
        if self.mode in ("write", "diff"):
            sys.stdout.buffer.write(result.output if result.output is not None else data)
            sys.stdout.buffer.flush()
        return result

    def _files(self) -> Iterator[engine.FileResult]:
        """Every file's result, in the order of their shown paths, each as soon as it and those before it are done."""
        import heapq

        from migrate import discover

        errors: list[tuple[str, files.SourceError]] = []
        discovery = self.discovery or discover.Discovery()
        work = sorted(((_shown(path), self.options_for(path))
                       for path in discover.python_files(self.paths, errors, discovery, self._excluded)),
                      key=lambda item: item[0])
        failures = sorted((engine.FileResult(_shown(path), [_error(path, error)], failed=True) for path, error in errors),
                          key=lambda result: result.path)
        self.progress = progress = Progress(len(work), enabled=not self.quiet and sys.stderr.isatty())
        jobs = worker_count(self.jobs, len(work))
        processed = _in_parallel(work, jobs) if jobs > 1 and len(work) > 1 else (_process(*item) for item in work)
        yield from heapq.merge(failures, (progress.advance(result) for result in processed),
                               key=lambda result: result.path)
        progress.clear()

    def _deliver(self, result: engine.FileResult) -> None:
        if result.output is None or self.paths == (STDIN,):
            return
        if self.mode == "diff":
            click.echo(unified_diff(result.path, result.original, result.output), nl=False)
        elif self.mode == "write":
            try:
                files.write_atomically(result.path, result.output)
            except files.SourceError as error:
                result.diagnostics.append(_error(result.path, error))
                result.output, result.failed = None, True
                return
            if not self.quiet:
                click.echo(f"Rewrote {result.path}", err=True)

class Progress:
    """A one-line counter on stderr, redrawn in place; only on a terminal, so logs and pipes stay clean."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled and total > 1

    def advance(self, result: engine.FileResult) -> engine.FileResult:
        self.done += 1
        if self.enabled:
            sys.stderr.write(f"\rmigrate: {self.done}/{self.total} files")
            sys.stderr.flush()
        return result

    def clear(self) -> None:
        """Erase the counter, before other output; the next file redraws it."""
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


#: Formats whose output for many files is the outputs for each file, one after the other: printed as files finish.
STREAMED_FORMATS = {"concise": "", "full": "\n"}
#: Formats that quote the source lines of a diagnostic, so its file's text is kept until the report.
QUOTING_FORMATS = ("full", "sarif")
AUTO_PARALLEL_FILES = 32
"""Without ``-j``, a run of this many files or more uses one process per core (``migrate --help`` says so)."""
#: ``max-file-size`` when the configuration sets none: larger files are skipped with TOO_LARGE.
MAX_FILE_SIZE = 10 * 1024 * 1024
TOO_LARGE = "MIG009"


@dataclass
class _Delivered:
    """What is left of a file's result once delivered: enough for the summary and the exit code."""

    path: str
    diagnostics: list[Diagnostic]
    changed: bool
    failed: bool
    tally: engine.Tally
    internal_error: bool

    @classmethod
    def of(cls, result: engine.FileResult) -> _Delivered:
        return cls(result.path, result.diagnostics, result.changed, result.failed, result.tally,
                   result.internal_error)


class _Report:
    """The diagnostics of a run: printed per file as it is delivered where the format allows, else at the end."""

    def __init__(self, run: Run):
        self.run = run
        self.code_on_stdout = run.paths == (STDIN,) and run.mode in ("write", "diff") or run.mode == "diff"
        self.color = not run.output_file and formats.use_color(sys.stderr if self.code_on_stdout else sys.stdout)
        self.streamed = (not run.output_file and not run.statistics and run.output_format in STREAMED_FORMATS)
        self.diagnostics: list[Diagnostic] = []
        self.sources: dict[str, str] = {}
        self.printed = False

    @functools.cached_property
    def codes(self) -> Mapping[str, Code]:
        return _AllCodes()

    def add(self, result: engine.FileResult) -> None:
        diagnostics = sort_diagnostics(result.diagnostics)
        if not diagnostics:
            return
        sources = {result.path: _text(result.original)} if self.run.output_format in QUOTING_FORMATS else {}
        if not self.streamed:
            self.diagnostics += diagnostics
            self.sources.update(sources)
            return
        text = formats.render(self.run.output_format, diagnostics, codes=self.codes, sources=sources,
                              color=self.color)
        if text:
            separator = STREAMED_FORMATS[self.run.output_format] if self.printed else ""
            click.echo(separator + text, nl=False, err=self.code_on_stdout, color=self.color)
            self.printed = True

    def finish(self, results: list[_Delivered]) -> None:
        if not self.streamed:
            diagnostics = sort_diagnostics(self.diagnostics)
            if self.run.statistics:
                text = outcome.statistics(diagnostics, self.run.output_format)
            else:
                text = formats.render(self.run.output_format, diagnostics, codes=self.codes, sources=self.sources,
                                      color=self.color)
            if self.run.output_file:
                Path(self.run.output_file).write_text(text, encoding="utf-8")
            elif text:
                click.echo(text, nl=False, err=self.code_on_stdout, color=self.color)
        if not self.run.quiet:
            click.echo(outcome.summary(results, self.run.mode), err=True)


class _AllCodes(Mapping):
    """``engine.all_codes()``, loaded when a format first reads it: only some formats list the codes, and loading
    them imports every rule module."""

    @functools.cached_property
    def _table(self) -> dict[str, Code]:
        return engine.all_codes()

    def __getitem__(self, code: str) -> Code:
        return self._table[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def worker_count(asked: int | None, files: int) -> int:
    """The processes a run uses: ``-j N`` as asked (0: one per core); without it, one per core for a run of
    ``AUTO_PARALLEL_FILES`` files or more, as ruff runs in parallel by default, and one below that, where starting
    workers (each imports LibCST) costs more than it saves (a pre-commit hook's few files, an editor's one)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if asked is None:
        return cores if files >= AUTO_PARALLEL_FILES else 1
    return asked or cores


def _in_parallel(work: list[tuple[str, engine.Options]], jobs: int) -> Iterator[engine.FileResult]:
    """The results of ``work`` in its order, computed by ``jobs`` worker processes.

    This process reads each file and applies the rules' cheap text triggers itself, so a worker only ever gets a
    file some rule may rewrite, with its bytes. At most a few files per worker are in flight, so memory does not
    grow with the number of files.
    """
    from concurrent.futures import ProcessPoolExecutor

    window = 4 * jobs
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for path, options in work:
            triaged = _triage(path, options)
            if isinstance(triaged, bytes):
                triaged = pool.submit(_process_bytes, triaged, path, options)
            pending.append(triaged)
            while sum(not isinstance(item, engine.FileResult) for item in pending) > window:
                yield _resolved(pending.popleft())
        while pending:
            yield _resolved(pending.popleft())


def _resolved(item) -> engine.FileResult:
    return item if isinstance(item, engine.FileResult) else item.result()


def _triage(path: str, options: engine.Options) -> engine.FileResult | bytes:
    """The file's result when reading it and the rules' text triggers settle it, else its bytes for a worker."""
    rules = _rules(options.to)
    too_large = _too_large(path, options)
    if too_large is not None:
        return too_large
    try:
        data = files.read_bytes(path)
        text = files.decode(data).text
    except files.SourceError:
        return engine.process_path(path, options, rules)
    if any(rule.applies_to(text) for rule in rules):
        return data
    return engine.process_bytes(data, path, options, rules)


def _too_large(path: str, options: engine.Options) -> engine.FileResult | None:
    """A skipped file's result when it is larger than ``max-file-size``: parsing it would take too long."""
    limit = getattr(options.config, "max_file_size", None) or MAX_FILE_SIZE
    try:
        size = os.stat(path).st_size
    except OSError:
        return None
    if size <= limit:
        return None
    message = (f"{size} bytes, more than max-file-size ({limit}): the file was skipped; raise max-file-size in "
               "[tool.migrate] to convert it")
    return engine.FileResult(path, [Diagnostic(path, 1, 1, TOO_LARGE, "file-too-large", "error", message)],
                             failed=True)


def _process(path: str, options: engine.Options) -> engine.FileResult:
    too_large = _too_large(path, options)
    if too_large is not None:
        return too_large
    return engine.process_path(path, options, _rules(options.to))


def _process_bytes(data: bytes, path: str, options: engine.Options) -> engine.FileResult:
    return engine.process_bytes(data, path, options, _rules(options.to))


def _rules(direction: str) -> tuple[DeclaredRule, ...]:
    """The rules towards ``direction`` as declared: the engine imports one only for a file that mentions its
    trigger."""
    return declared(direction)


def _error(path: str, error: files.SourceError) -> Diagnostic:
    return Diagnostic(_shown(path), 1, 1, error.code, engine.CODES[error.code].name, "error", error.message)


def _split(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _shown(path: str) -> str:
    return display_path(path)


def _text(data: bytes | None) -> str:
    if data is None:
        return ""
    try:
        return files.decode(data).text
    except files.SourceError:
        return ""


def unified_diff(path: str, old: bytes, new: bytes) -> str:
    """A diff ``git apply`` accepts: ``a/`` and ``b/`` headers, a marker where a file ends without a newline."""
    import difflib

    old_lines = _text(old).splitlines(keepends=True)
    new_lines = _text(new).splitlines(keepends=True)
    out = []
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{path}", f"b/{path}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
