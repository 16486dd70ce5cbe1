"""A whole run over many files: configuration, discovery, processing (in parallel if asked), writing, reporting.

The CLI hands over its options; this module decides per file what is read, written or printed, and the exit code.
"""

from __future__ import annotations

import functools
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import click

from migrate import discover, engine, files, formats, outcome
from migrate.config import Config, command_line_overrides, find_config, load_config
from migrate.diagnostics import Diagnostic, sort_diagnostics
from migrate.outcome import EXIT_USAGE, display_path

STDIN = "-"


@dataclass
class Run:
    paths: tuple[str, ...]
    mode: str
    overrides: dict
    output_format: str
    output_file: str | None
    stdin_filename: str | None
    jobs: int
    quiet: bool
    configs: dict = field(default_factory=dict)
    discovery: discover.Discovery = discover.Discovery()
    exit_policy: outcome.ExitPolicy = outcome.ExitPolicy()
    statistics: bool = False

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
                   options["stdin_filename"], options["jobs"], options["quiet"], discovery=options["discovery"],
                   exit_policy=options["exit_policy"], statistics=options["statistics"])

    def options_for(self, path: str) -> engine.Options:
        """The engine options of one file: the ``[tool.migrate]`` nearest to it, under the command line's values."""
        folder = Path(path).resolve().parent
        if folder not in self.configs:
            found = find_config(folder)
            self.configs[folder] = (load_config(found) if found else Config()).merged(**self.overrides)
        config = self.configs[folder]
        return engine.Options(to=config.to, unsafe_fixes=config.unsafe_fixes, config=config)

    def execute(self) -> int:
        """Raises ConfigError when a configuration on the way is invalid."""
        if STDIN in self.paths:
            if len(self.paths) > 1:
                click.echo("migrate: '-' (stdin) cannot be combined with other paths", err=True)
                return EXIT_USAGE
            results = [self._stdin(self.options_for(self.stdin_filename or "stdin.py"))]
        else:
            results = self._files()
        for result in results:
            self._deliver(result)
        self._report(results)
        return outcome.exit_code(results, self.mode, self._fail_on, self.exit_policy)

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

    def _files(self) -> list[engine.FileResult]:
        errors: list[tuple[str, files.SourceError]] = []
        paths, options = [], []
        for path in discover.python_files(self.paths, errors, self.discovery, self._excluded):
            paths.append(_shown(path))
            options.append(self.options_for(path))
        results = [engine.FileResult(_shown(path), [_error(path, error)], failed=True) for path, error in errors]
        progress = Progress(len(paths), enabled=not self.quiet and sys.stderr.isatty())
        if self.jobs > 1 and len(paths) > 1:
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                results += [progress.advance(result) for result in pool.map(_process, paths, options, chunksize=8)]
        else:
            results += [progress.advance(_process(path, chosen)) for path, chosen in zip(paths, options)]
        progress.finish()
        return sorted(results, key=lambda result: result.path)

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

    def _report(self, results: list[engine.FileResult]) -> None:
        diagnostics = sort_diagnostics(d for result in results for d in result.diagnostics)
        sources = {result.path: _text(result.original) for result in results if result.diagnostics}
        code_on_stdout = self.paths == (STDIN,) and self.mode in ("write", "diff") or self.mode == "diff"
        color = not self.output_file and formats.use_color(sys.stderr if code_on_stdout else sys.stdout)
        if self.statistics:
            text = outcome.statistics(diagnostics, self.output_format)
        else:
            text = formats.render(self.output_format, diagnostics, codes=engine.all_codes(), sources=sources,
                                  color=color)
        if self.output_file:
            Path(self.output_file).write_text(text, encoding="utf-8")
        elif text:
            click.echo(text, nl=False, err=code_on_stdout, color=color)
        if not self.quiet:
            click.echo(outcome.summary(results, self.mode), err=True)


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

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _process(path: str, options: engine.Options) -> engine.FileResult:
    return engine.process_path(path, options, _rules(options.to))


@functools.cache
def _rules(direction: str):
    return tuple(engine.load_rules(direction))


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
