"""One file's journey: read → pre-filter → compile → parse → run rules → verify → apply → re-parse → report.

The engine knows rules only through ``migrate.rule``: it runs their findings, asks the verifier about each fix,
applies the fixes it accepts in one transformation and turns notes into diagnostics. It writes nothing itself;
the CLI decides what to do with a ``FileResult``. This module is what every file needs (reading, the rules' text
triggers, the results); the conversion of a file with a site (libcst, the verifier) is ``migrate.conversion``,
imported only for such a file.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from migrate import files
from migrate.bridge.codes import CONCERNS
from migrate.config import Config, skips_file
from migrate.diagnostics import Diagnostic, TextEdit, sort_diagnostics
from migrate.rule import Code, Rule
from migrate.rules import DeclaredRule, declared

ENGINE_CODES = (
    Code("MIG001", "unreadable", "error",
         "A path could not be read (missing, no permission, symlink loop, not a regular file).",
         "The file is left untouched and the run goes on with the other files; the exit code is 3. Only regular "
         "files are read, also when named on the command line: a FIFO, a device or a socket is refused without "
         "waiting on it.",
         safety="No fix: make the path a readable regular file, or leave it out of the run."),
    Code("MIG002", "undecodable", "error", "A file's bytes are not valid in its declared encoding.",
         "Files are decoded as Python does (BOM, PEP 263 coding cookie, else UTF-8). A file that does not decode "
         "is left byte-for-byte untouched; the exit code is 3.",
         example=(
             "# -*- coding: ascii -*-\n"
             "scheduler = CosineAnnealingLR(optimizer, T_max=100)  # été, saved as UTF-8\n"
         ),
         safety="No fix: migrate does not guess an encoding. Fix the coding cookie or the bytes, then convert."),
    Code("MIG003", "syntax-error", "error", "A file does not parse as Python.",
         "Nothing is rewritten in a file that does not parse; it is left untouched and the exit code is 3. A file "
         "with a site is compiled (never run) before it is rewritten, so what CPython rejects and LibCST accepts "
         "(a NUL byte, 250 nested parentheses, ``return`` outside a function) is reported here, at the position "
         "CPython gives.",
         example=(
             "scheduler = CosineAnnealingLR(optimizer, T_max=100\n"
         ),
         safety="No fix: nothing is rewritten in a file that does not parse. Fix the syntax error, then convert."),
    Code("MIG004", "rewrite-withheld", "error", "The numeric verifier contradicted a rewrite; it was not applied.",
         "Every rewrite states which learning rates the rewritten program's optimizer uses. When the schedule "
         "models disagree with that claim, the rewrite is a bug in the rule: the site is left unchanged, this "
         "error names the first differing optimizer step, and the exit code is 4.",
         safety="No fix: the rewrite was wrong, so nothing of it is applied. Please report it with the file."),
    Code("MIG005", "invalid-output", "error", "The rewritten text did not parse, so the file was not written.",
         "A rewrite must never leave a file that does not parse. This is a bug in a rule; the file stays as it "
         "was and the exit code is 4.",
         safety="No fix: the output was wrong, so nothing is written. Please report it with the file."),
    Code("MIG006", "overlapping-rewrites", "error", "Rewrites kept changing the same code; one was not applied.",
         "Two sites can need the same statement (two lists stepped after the same loop). The engine applies the "
         "first, then converts the file again so the second applies to the result, up to a few passes, so one run "
         "reaches what repeated runs would. A rewrite still overlapping after the last pass is reported, left "
         "unchanged, and the exit code is 4.",
         example=(
             "import mindspore.nn as nn\n"
             "\n"
             "lr0 = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
             "optimizer0 = nn.SGD(nets[0].trainable_params(), learning_rate=lr0)\n"
             "lr1 = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
             "optimizer1 = nn.SGD(nets[1].trainable_params(), learning_rate=lr1)\n"
             "lr2 = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
             "optimizer2 = nn.SGD(nets[2].trainable_params(), learning_rate=lr2)\n"
             "lr3 = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
             "optimizer3 = nn.SGD(nets[3].trainable_params(), learning_rate=lr3)\n"
             "lr4 = nn.cosine_decay_lr(0.0, 0.1, 10 * len(loader), len(loader), 10)\n"
             "optimizer4 = nn.SGD(nets[4].trainable_params(), learning_rate=lr4)\n"
             "for epoch in range(10):\n"
             "    for batch in loader:\n"
             "        optimizer0(grads[0])\n"
             "        optimizer1(grads[1])\n"
             "        optimizer2(grads[2])\n"
             "        optimizer3(grads[3])\n"
             "        optimizer4(grads[4])\n"
         ),
         safety="No fix in this run: the rewrites that applied are written, this one is not. Run migrate again: it "
                "applies to the result."),
    Code("MIG007", "internal-error", "error", "migrate failed on a file with an unexpected exception.",
         "An exception inside a rule or the verifier is a bug in migrate. It costs only the file it happened on: "
         "the file is left untouched, this error names the exception, the other files are processed, and the exit "
         "code is 4. Please report it with the file.",
         safety="No fix: the file is left untouched. Please report it with the file."),
    Code("MIG008", "unwritable", "error", "A rewritten file could not be written back.",
         "The new text is written to a temporary file next to the original and renamed over it. When that fails "
         "(a read-only folder, an immutable file, the path replaced meanwhile) the original is left untouched, the "
         "other files are processed and the exit code is 3.",
         safety="No fix: make the file and its folder writable, then convert again."),
    Code("MIG009", "file-too-large", "error", "A file is larger than max-file-size; it was skipped.",
         "Parsing time and memory grow with a file's size, so a file above max-file-size in [tool.migrate] "
         "(default 10 MB) is left untouched and reported; the other files are processed and the exit code is 3.",
         safety="No fix: raise max-file-size in [tool.migrate] for that file, or split it."),
)
CODES = {code.code: code for code in ENGINE_CODES}
MAX_PASSES = 4
#: A word without which no ``migrate: skip-file`` comment can be there (matched as the comment's pattern in
#: ``migrate.config`` matches it): most files have none, and tokenizing a file to find out costs.
_MAY_SKIP_FILE = re.compile("skip-file", re.IGNORECASE)


@dataclass
class Options:
    """What the engine needs to know from the command line and the configuration."""

    to: str = "mindspore"
    unsafe_fixes: bool = False
    config: Config | None = None
    fix_edits: bool = True
    """Give each fix the edits that apply it alone (for JSON, SARIF and the editor); the other formats never show
    them, and computing them applies every fix once more."""

    def enabled(self, code: str, path: str) -> bool:
        return self.config is None or self.config.enabled(code, Path(path))

    @property
    def policies(self) -> dict[str, str]:
        """The configuration's choices rules read (``periodic``), through the analysis they are given."""
        return {"periodic": self.config.periodic if self.config is not None else "exact"}


@dataclass
class Tally:
    """Rewrites by outcome, for the closing summary."""

    equivalent: int = 0
    changed: int = 0
    not_applied: int = 0
    withheld: int = 0


@dataclass
class FileResult:
    """What happened to one file; ``output`` is the new bytes, or None when nothing changes."""

    path: str
    diagnostics: list[Diagnostic]
    original: bytes | None = None
    output: bytes | None = None
    failed: bool = False
    tally: Tally = field(default_factory=Tally)
    internal_error: bool = False

    @property
    def changed(self) -> bool:
        return self.output is not None


def load_rules(direction: str | None) -> list[Rule]:
    """Every rule ``migrate.rules`` declares that converts towards ``direction`` (all for None); importing a rule
    imports libcst."""
    return [rule.load() for rule in declared(direction)]


def all_codes() -> dict[str, Code]:
    """Every code: the engine's, and each concern a rule raises, named and summarised as the concern (each rule's
    own text and example are in ``documented_by``)."""
    table = dict(CODES)
    for code, entries in documented_by().items():
        concern = CONCERNS[code]
        table[code] = replace(entries[0][1], name=concern.name, severity=concern.severity, summary=concern.summary)
    return table


def documented_by() -> dict[str, list[tuple[Rule, Code]]]:
    """Each concern's documentation by every rule that raises it, in rule order."""
    found: dict[str, list[tuple[Rule, Code]]] = {}
    for rule in load_rules(None):
        for code in rule.codes:
            found.setdefault(code.code, []).append((rule, code))
    return found


def process_path(path: str, options: Options, rules: Sequence[Rule | DeclaredRule]) -> FileResult:
    try:
        data = files.read_bytes(path)
    except files.SourceError as error:
        return _failure(path, error.code, error.message)
    return process_bytes(data, path, options, rules)


def process_bytes(data: bytes, path: str, options: Options, rules: Sequence[Rule | DeclaredRule]) -> FileResult:
    """The file's result; an unexpected exception becomes MIG007 on this file alone, which stays untouched.

    ``rules`` may be declared rules (``migrate.rules.DECLARED``): only those whose triggers the file mentions are
    imported, so a file without a site costs neither the rule modules nor libcst."""
    try:
        return _process_bytes(data, path, options, rules)
    except Exception as error:  # a bug in a rule or the verifier must not stop the run over the other files
        detail = next(iter(str(error).splitlines()), "")
        message = f"internal error, the file was left untouched: {type(error).__name__}: {detail}"
        result = _failure(path, "MIG007", message, data)
        result.internal_error = True
        return result


def _process_bytes(data: bytes, path: str, options: Options, rules: Sequence[Rule | DeclaredRule]) -> FileResult:
    try:
        source = files.decode(data)
    except files.SourceError as error:
        return _failure(path, error.code, error.message, data)
    active = [rule.load() if isinstance(rule, DeclaredRule) else rule
              for rule in rules if rule.applies_to(source.text)]
    if not active or _MAY_SKIP_FILE.search(source.text) and skips_file(source.text):
        return FileResult(path, [], original=data)
    from migrate.conversion import Conversion

    first = Conversion(path, data, source, active, options)
    result = first.run()
    if first.deferred:
        _apply_deferred(result, [index for _, index in first.deferred], active, options)
    result.diagnostics = sort_diagnostics(result.diagnostics)
    return result


def _apply_deferred(result: FileResult, deferred: list[int], rules: Sequence[Rule], options: Options) -> None:
    """Convert the converted text again, so rewrites that overlapped an applied one apply to its result.

    ``deferred`` indexes the first pass's diagnostics; their verdicts and edits stand, since their code is unchanged.
    """
    for _ in range(MAX_PASSES - 1):
        if not deferred or result.output is None:
            break
        from migrate.conversion import Conversion

        again = Conversion(result.path, result.output, files.decode(result.output), rules, options).run()
        if again.failed or again.output is None:
            break
        applied = again.tally.equivalent + again.tally.changed
        for index in deferred[:applied]:
            diagnostic = result.diagnostics[index]
            result.diagnostics[index] = replace(diagnostic, fix=replace(diagnostic.fix, applied=True))
        deferred = deferred[applied:]
        result.output = again.output
        result.tally.equivalent += again.tally.equivalent
        result.tally.changed += again.tally.changed
        result.tally.withheld += again.tally.withheld
        result.diagnostics += [diagnostic for diagnostic in again.diagnostics if diagnostic.severity == "error"]
    for index in deferred:
        diagnostic = result.diagnostics[index]
        result.diagnostics.append(replace(diagnostic, code="MIG006", name=CODES["MIG006"].name, severity="error",
                                          message=f"{diagnostic.code} not applied: other rewrites change the same "
                                                  f"code in each of {MAX_PASSES} passes", verdict=None, fix=None))
        result.tally.withheld += 1


def _failure(path: str, code: str, message: str, data: bytes | None = None) -> FileResult:
    diagnostic = Diagnostic(path, 1, 1, code, CODES[code].name, "error", message)
    return FileResult(path, [diagnostic], original=data, failed=True)


def compile_error(text: str, path: str) -> tuple[int, int, str] | None:
    """Where and why CPython refuses ``text`` (1-based line and column), or None; nothing is run.

    LibCST accepts some text CPython rejects (a NUL byte, too deeply nested brackets); compiling catches those, and
    gives the position CPython's own message refers to. Compiler warnings (invalid escapes) are not the user's
    concern here and are not printed.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError) as error:
        reason = getattr(error, "msg", None) or str(error) or type(error).__name__
        line, col = getattr(error, "lineno", None), getattr(error, "offset", None)
        if line is None and "\0" in text:
            before = text[:text.index("\0")]
            line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        return line or 1, max(col or 1, 1), f"cannot compile: {reason}"
    return None


def line_edits(old: str, new: str) -> list[TextEdit]:
    """Whole-line edits turning ``old`` into ``new`` (1-based, end exclusive: the line after the last one)."""
    import difflib

    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(TextEdit(i1 + 1, 1, i2 + 1, 1, "".join(new_lines[j1:j2])))
    return edits
