"""The conversion of one parsed file with a site: the rules' findings, verified, applied in one transformation and
reported (``migrate.engine`` reads the file and imports this module only when a rule's trigger is in it).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

import libcst as cst
from libcst.metadata import MetadataWrapper

from migrate import engine, files, stubs, verify
from migrate.analysis import LINES, Analysis, ast_tree
from migrate.bridge.codes import CONCERNS
from migrate.config import parse_noqa
from migrate.diagnostics import SAFE, UNSAFE, Diagnostic, FixEdits
from migrate.engine import CODES, FileResult, Tally
from migrate.imports import pruned_imports, with_imports
from migrate.rule import Finding, Fix, Note

#: A word without which no ``noqa`` comment can be there (matched as the comment's pattern in ``migrate.config``
#: matches it): most files have none, and tokenizing a file to find out costs.
_MAY_SUPPRESS = re.compile("noqa", re.IGNORECASE)


class Conversion:
    """The rules' findings on one parsed file, verified, applied and reported."""

    def __init__(self, path, data, source, rules, options):
        self.path, self.data, self.source, self.rules, self.options = path, data, source, rules, options
        self.diagnostics: list[Diagnostic] = []
        self.tally = Tally()
        self.offered: list[tuple[Finding, int]] = []
        self.deferred: list[tuple[Finding, int]] = []

    def run(self) -> FileResult:
        text = self.source.text
        rejected = engine.compile_error(text, self.path)
        if rejected is None:
            tree = ast_tree(text)
            triggers = [trigger for rule in self.rules for trigger in rule.triggers]
            parsed = stubs.stubbed(text, tree, triggers) if tree is not None else stubs.Stubbed(text)
            try:
                wrapper = self._analysed(parsed, tree) if parsed.functions else None
                if wrapper is None:
                    wrapper = self._analysed(stubs.Stubbed(text), tree)
            except cst.ParserSyntaxError as error:
                rejected = _libcst_error(error)
        if rejected is not None:
            line, col, message = rejected
            diagnostic = Diagnostic(self.path, line, col, "MIG003", "syntax-error", "error", message)
            return FileResult(self.path, [diagnostic], original=self.data, failed=True)
        self.codes = {code.code: code for rule in self.rules for code in rule.codes}
        self.suppressed = parse_noqa(self.source.text) if _MAY_SUPPRESS.search(self.source.text) else {}
        accepted: list[tuple[Finding, int]] = []
        claimed: list[tuple[tuple[int, int], tuple[int, int]]] = []
        for rule in self.rules:
            for finding in rule.findings(self.analysis):
                index = self._decide(finding)
                if index is None:
                    continue
                spans = [(self.analysis.start(node), self.analysis.end(node)) for node in finding.fix.replacements]
                if any(low < other_high and other_low < high for low, high in spans for other_low, other_high in claimed):
                    self.deferred.append((finding, index))
                    diagnostic = self.diagnostics[index]
                    self.diagnostics[index] = replace(diagnostic, fix=replace(diagnostic.fix, applied=False))
                    continue
                claimed.extend(spans)
                accepted.append((finding, index))
        output = None
        text = self.source.text
        if accepted:
            text = self._apply(wrapper, [finding.fix for finding, _ in accepted])
            if text is None:
                for finding, index in accepted:
                    self._withdraw(index, "MIG005", "the rewritten file does not parse; nothing was written")
                accepted, text = [], self.source.text
            elif text != self.source.text:
                output = files.encode(self.source, text)
        for _, index in accepted:
            if self.diagnostics[index].fix.applicability == SAFE:
                self.tally.equivalent += 1
            else:
                self.tally.changed += 1
        if self.options.fix_edits:
            self._attach_edits(wrapper, accepted, [*self.offered, *self.deferred], text)
        return FileResult(self.path, self.diagnostics, original=self.data, output=output, tally=self.tally)

    def _analysed(self, parsed: stubs.Stubbed, tree: ast.Module) -> MetadataWrapper | None:
        """Parse and analyse the file's text, or it with stubs; None when it holds stubs but the statements' code
        cannot be cut from the file's text, since printing the module would print the stubs."""
        wrapper = MetadataWrapper(cst.parse_module(parsed.text), unsafe_skip_copy=True)
        self.analysis = Analysis(wrapper, self.source.text, self.options.policies, tree, parsed.hidden_names)
        self.stubbed = {statement.body: statement for statement in wrapper.module.body
                        if isinstance(statement, cst.FunctionDef) and statement.name.value in parsed.functions}
        """Each stub's body, to its statement: a rewrite may give a stub other leading lines, never another body."""
        if self.stubbed and not self.analysis.positions.cut:
            return None
        return wrapper

    def _decide(self, finding: Finding):
        """Report a finding; return the index of its diagnostic when its fix is to be applied."""
        if not self._shown(finding.note):
            return None
        if finding.fix is None:
            self._report(finding.note)
            for note in finding.notes:
                self._report(note)
            return None
        fix = finding.fix
        limit = self.options.config.verifier_samples if self.options.config else verify.MAX_SAMPLES
        verdict = verify.verify(fix.claim, self.analysis.constants, limit)
        if verdict.withholds:
            self.tally.withheld += 1
            self._report(Note(finding.note.node, "MIG004", f"{finding.note.code} rewrite withheld: {verdict.detail}"),
                         severity="error")
            return None
        unsafe = verdict.changes_behaviour or verdict.kind == verify.NOT_VERIFIABLE or bool(fix.unsafe)
        apply = not unsafe or self.options.unsafe_fixes
        applicability = UNSAFE if unsafe else SAFE
        status = ("" if not unsafe else " (unsafe fix, applied)" if apply
                  else " (unsafe fix, not applied: --unsafe-fixes applies it)")
        main = self._report(finding.note, suffix=f" [{verdict.text()}]{status}", verdict=verdict.text(),
                            fix=(applicability, apply))
        for note in finding.notes:
            self._report(note)
        if verdict.changes_behaviour:
            self._report(fix.changes, suffix=f" [{verdict.text()}]", verdict=verdict.text())
        elif verdict.kind == verify.NOT_VERIFIABLE:
            self._report(Note(fix.changes.node, fix.changes.code, "the verifier could not check this rewrite, so its "
                                                                  "learning rates may differ from the original's"),
                         suffix=f" [{verdict.text()}]", verdict=verdict.text())
        for note in fix.unsafe:
            self._report(note)
        if not apply:
            self.tally.not_applied += 1
            self.offered.append((finding, main))
            return None
        for note in fix.once_applied:
            self._report(note)
        return main

    def _shown(self, note: Note) -> bool:
        """False when ``# noqa`` on the note's line or the selection hides its code; its fix is then not applied."""
        codes = self.suppressed.get(self.analysis.start(note.node)[0], frozenset())
        return codes is not None and note.code not in codes and self.options.enabled(note.code, self.path)

    def _report(self, note: Note, suffix: str = "", severity: str | None = None, verdict: str | None = None,
                fix: tuple[str, bool] | None = None) -> int:
        if not self._shown(note) and fix is None:
            return -1
        code = self.codes.get(note.code) or CODES.get(note.code) or CONCERNS[note.code]
        (line, col), (end_line, end_col) = self.analysis.start(note.node), self.analysis.end(note.node)
        fix_edits = FixEdits(fix[0], note.message, (), fix[1]) if fix else None
        self.diagnostics.append(Diagnostic(
            self.path, line, col + 1, note.code, code.name, severity or code.severity, note.message + suffix,
            end_line, end_col + 1, verdict, fix_edits,
        ))
        return len(self.diagnostics) - 1

    def _withdraw(self, index: int, code: str, message: str) -> None:
        """An accepted fix that is not applied after all: its diagnostic says so, and an error says why."""
        diagnostic = self.diagnostics[index]
        self.diagnostics[index] = replace(diagnostic, fix=replace(diagnostic.fix, applied=False))
        self.diagnostics.append(replace(diagnostic, code=code, name=CODES[code].name, severity="error",
                                        message=f"{diagnostic.code} {message}", verdict=None, fix=None))
        self.tally.withheld += 1

    def _apply(self, wrapper, fixes: list[Fix], whole: bool = True) -> str | None:
        """All given fixes in one pass, imports included; None when the result does not parse or compile.

        Compiling (never running) also catches what the parser accepts but Python rejects, such as ``return``
        outside a function. Only the top-level statements the fixes touch are transformed and printed again, so a
        file with many sites costs one pass over the file, not one per site. The statements that changed are
        parsed again, each must end its line, and the text that is written is compiled whole: the others are the
        original's, which parsed, so the whole text parses. ``whole=False`` compiles only the statements that
        changed: enough for the edits of one fix.
        """
        replacements: dict = {}
        for fix in fixes:
            replacements.update(fix.replacements)
        replacements.update(pruned_imports(self.analysis, replacements))
        module = self._replaced(wrapper.module, replacements)
        module = with_imports(module, [ref for fix in fixes for ref in fix.add_imports])
        module = _without_new_leading_blank_lines(module, wrapper.module)
        changed = self._changed_code(module)
        text = module.code if changed is None and not self.stubbed else self._code(module)
        checked = text if changed is None else "".join(changed)
        try:
            cst.parse_module(checked)
        except cst.ParserSyntaxError:
            return None
        if changed is not None and not all(code.endswith(("\n", "\r")) for code in changed):
            return None
        return text if engine.compile_error(text if whole else checked, self.path) is None else None

    def _changed_code(self, module: cst.Module) -> list[str] | None:
        """The printed code of the top-level statements that are not the original ones; None when more than the
        statements changed (header or footer lines, the final newline, the indentation), so the whole text is to
        be parsed."""
        original = self.analysis.module
        if (not _same_nodes(module.header, original.header) or not _same_nodes(module.footer, original.footer)
                or not module.has_trailing_newline or not original.has_trailing_newline or not module.body
                or (module.default_indent, module.default_newline) != (original.default_indent,
                                                                       original.default_newline)):
            return None
        return [self._code_of(module, statement) for statement in module.body if statement not in self._original_code]

    def _replaced(self, module: cst.Module, replacements: dict) -> cst.Module:
        """``module`` with the replacements made, rebuilding only the nodes on the way from the module to each
        replaced node: what visiting the whole module with ``_Replace`` gives, at a cost that does not grow with
        the code around a site."""
        transformer = _Replace(replacements)
        on_the_way: set[cst.CSTNode] = set()
        for node in replacements:
            if node is not module and node not in self.analysis.parents:
                return module.visit(transformer)
            for ancestor in self.analysis.ancestors(node):
                if ancestor in on_the_way:
                    break
                on_the_way.add(ancestor)
        return _rebuilt(module, transformer, on_the_way)

    @property
    def _original_code(self) -> Mapping[cst.CSTNode, str]:
        """The printed code of each original top-level statement, reused by every text the fixes produce."""
        return self.analysis.statement_code

    def _code_of(self, module: cst.Module, statement: cst.CSTNode) -> str:
        cached = self._original_code.get(statement)
        if cached is not None:
            return cached
        stub = self.stubbed.get(statement.body) if isinstance(statement, cst.FunctionDef) else None
        return module.code_for_node(statement) if stub is None else self._unstubbed(module, statement, stub)

    def _unstubbed(self, module: cst.Module, statement: cst.FunctionDef, stub: cst.FunctionDef) -> str:
        """The original code of the function ``stub`` stands for, after the leading lines ``statement`` (the stub
        with other leading lines) has."""
        if any(getattr(statement, field) is not getattr(stub, field)
               for field in _field_names(cst.FunctionDef) if field != "leading_lines"):
            raise ValueError(f"a rewrite changed more than the leading lines of {stub.name.value}(), parsed as a stub")
        own = LINES.findall(self._original_code[stub])[len(stub.leading_lines):]
        return "".join([*(module.code_for_node(line) for line in statement.leading_lines), *own])

    def _code(self, module: cst.Module) -> str:
        """``module.code``, printing again only the top-level statements that are not the original ones."""
        if not module.has_trailing_newline or not module.body:
            if self.stubbed:
                raise ValueError("the rewritten module cannot be printed without its stubs")
            return module.code
        return "".join([*(module.code_for_node(line) for line in module.header),
                        *(self._code_of(module, statement) for statement in module.body),
                        *(module.code_for_node(line) for line in module.footer)])

    def _attach_edits(self, wrapper, accepted, offered, applied_text: str) -> None:
        """Give every fix the line edits that apply it alone to the original buffer, as ruff's JSON does.

        An editor applies one quick-fix and asks again; repeating that reaches what ``convert`` writes. A fix that
        was not applied (unsafe) carries its edits too, for the editor to offer.
        """
        for finding, index in (*accepted, *offered):
            alone = (applied_text if accepted == [(finding, index)]
                     else self._apply(wrapper, [finding.fix], whole=False))
            if alone is not None:
                diagnostic = self.diagnostics[index]
                edits = tuple(engine.line_edits(self.source.text, alone))
                self.diagnostics[index] = replace(diagnostic, fix=replace(diagnostic.fix, edits=edits))


def _libcst_error(error: cst.ParserSyntaxError) -> tuple[int, int, str]:
    """LibCST's position as its message states it (``raw_line`` can be the line after)."""
    cited = re.match(r"parser error: error at (\d+):(\d+): (.*)", error.message, re.DOTALL)
    if cited:
        return int(cited[1]), int(cited[2]) + 1, f"cannot parse: {cited[3]}"
    return error.raw_line, error.raw_column + 1, f"cannot parse: {error.message}"


def _without_new_leading_blank_lines(module: cst.Module, original: cst.Module) -> cst.Module:
    """Removing a file's first import must not leave the file starting with the blank line that followed it."""
    if not module.body or not original.body or original.body[0].leading_lines or module.header:
        return module
    first = module.body[0]
    lines = list(first.leading_lines)
    while lines and lines[0].comment is None:
        lines.pop(0)
    if len(lines) == len(first.leading_lines):
        return module
    return module.with_changes(body=[first.with_changes(leading_lines=lines), *module.body[1:]])


def _with_carried_lines(statement, carried):
    """``statement`` preceded by the lines of removed statements before it: all of them when it has none of its
    own, else only their comments, so paragraphs keep one blank line."""
    if not carried:
        return statement
    own = list(statement.leading_lines)
    lines = carried if not own else [line for line in carried if line.comment is not None]
    return statement.with_changes(leading_lines=(*lines, *own))


def _lines_before(before, after, statements: list) -> list:
    """The leading lines of ``before`` that go to the first statement of its replacement. When the statement stays,
    after statements put before it, they get the blank lines that open its paragraph, and its comments stay on it."""
    lines = list(before.leading_lines)
    if not any(statement is after for statement in statements):
        return lines
    return lines[:next((index for index, line in enumerate(lines) if line.comment is not None), len(lines))]


def _rebuilt(node: cst.CSTNode, transformer: _Replace, on_the_way: set[cst.CSTNode]):
    """``node`` as ``transformer`` leaves it, where only the nodes in ``on_the_way`` hold a replaced node."""
    replacement = transformer.replacements.get(node)
    if replacement is not None and not _statement_sequence(replacement):
        return replacement
    if node not in on_the_way:
        return node
    changes = {}
    for name in _field_names(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            new = _rebuilt(value, transformer, on_the_way)
            if new is not value:
                changes[name] = new
        elif isinstance(value, (list, tuple)) and any(isinstance(item, cst.CSTNode) and (
                item in on_the_way or item in transformer.replacements) for item in value):
            changes[name] = tuple(_rebuilt(item, transformer, on_the_way) if isinstance(item, cst.CSTNode) else item
                                  for item in value)
    return transformer.on_leave(node, node.with_changes(**changes) if changes else node)


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(kind))


def _same_nodes(these: Sequence[cst.CSTNode], those: Sequence[cst.CSTNode]) -> bool:
    return len(these) == len(those) and all(this is that for this, that in zip(these, those))


def _statement_sequence(value) -> bool:
    return isinstance(value, (list, tuple))


class _Replace(cst.CSTTransformer):
    """Swap nodes by identity; a statement mapped to a sequence is spliced into its block."""

    def __init__(self, replacements):
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original, updated):
        replacement = self.replacements.get(original)
        if replacement is not None and not _statement_sequence(replacement):
            return replacement
        if isinstance(updated, (cst.IndentedBlock, cst.Module)):
            return self._splice(original, updated)
        return updated

    def _splice(self, original, updated):
        """Replace statements by their sequences; a removed statement's leading lines move to the next one."""
        body, carried = [], []
        for before, after in zip(original.body, updated.body):
            replacement = self.replacements.get(before)
            if not _statement_sequence(replacement):
                body.append(_with_carried_lines(after, carried))
                carried = []
                continue
            statements = [after if statement is before else statement for statement in replacement]
            if not statements:
                carried = [*carried, *before.leading_lines]
                continue
            if statements[0] is after:
                body.append(_with_carried_lines(after, carried))
            else:
                first = statements[0].with_changes(leading_lines=())
                body.append(_with_carried_lines(first, [*carried, *_lines_before(before, after, statements)]))
            body.extend(statements[1:])
            carried = []
        if not body and isinstance(updated, cst.IndentedBlock):
            body = [cst.SimpleStatementLine([cst.Pass()])]
        return updated.with_changes(body=body)
