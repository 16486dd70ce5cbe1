"""Each output format, byte for byte where a tool parses it, and SARIF against the OASIS schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from migrate import __version__
from migrate.diagnostics import Diagnostic, FixEdits, TextEdit
from migrate.formats import FORMATS, render
from migrate.rule import Code

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "sarif-schema-2.1.0.json"

SOURCE = (
    "import torch\n"
    "sched = CosineAnnealingLR(opt, T_max=100)\n"
    "# 学习率 lr = 0.1\n"
    "\tstep(sched)\n"
    "sched = CosineAnnealingLR(\n"
    "    opt, T_max=10)\n"
)
SOURCES = {"train.py": SOURCE}
CODES = {
    "MIG101": Code("MIG101", "cosine-to-mindspore", "warning", "Rewrite CosineAnnealingLR", "No scheduler object."),
    "MIG102": Code("MIG102", "wide-note", "info", "A note", "Notes explain."),
    "MIG103": Code("MIG103", "broken-step", "error", "A step error", "Steps matter.", "step(s)  ->  s.step()"),
    "MIG900": Code("MIG900", "never-reported", "error", "Unused code", "Known but not reported."),
}

UNSAFE_FIX = FixEdits(
    "unsafe",
    "Replace with `nn.cosine_decay_lr`",
    (TextEdit(2, 9, 2, 42, "cosine_decay_lr(0.0, 0.1, 100, 1, 100)"), TextEdit(1, 1, 1, 1, "import mindspore\n")),
    applied=False,
)
SAFE_DELETION = FixEdits("safe", "Remove the call", (TextEdit(4, 2, 4, 13, ""),), applied=True)


def cosine(**changes) -> Diagnostic:
    values = dict(
        path="train.py",
        line=2,
        col=9,
        code="MIG101",
        name="cosine-to-mindspore",
        severity="warning",
        message="CosineAnnealingLR rewritten, with: care",
        end_line=2,
        end_col=42,
        verdict="equivalent over 200 steps",
        fix=UNSAFE_FIX,
    )
    values.update(changes)
    return Diagnostic(**values)


def note(**changes) -> Diagnostic:
    values = dict(
        path="train.py", line=3, col=7, code="MIG102", name="wide-note", severity="info", message="学习率 is 100%"
    )
    values.update(changes)
    return Diagnostic(**values)


def step_error(**changes) -> Diagnostic:
    values = dict(
        path="train.py",
        line=4,
        col=2,
        code="MIG103",
        name="broken-step",
        severity="error",
        message="first line\nsecond, line",
        end_line=4,
        end_col=13,
        fix=SAFE_DELETION,
    )
    values.update(changes)
    return Diagnostic(**values)


def out(fmt: str, *diagnostics: Diagnostic, sources=SOURCES) -> str:
    return render(fmt, diagnostics, codes=CODES, sources=sources)


def test_formats_are_ruffs_names_for_the_cli_choice():
    """The CLI offers exactly these ``--output-format`` values."""
    assert FORMATS == ("concise", "full", "json", "sarif", "github")


def test_unknown_format_is_rejected_with_the_choices():
    with pytest.raises(ValueError, match="unknown output format 'xml'.*concise, full, json, sarif, github"):
        out("xml", cosine())


def test_formats_module_does_not_import_libcst():
    """Output formats are chosen before any parsing, so loading them must stay off libcst's 170 ms import."""
    code = "import sys, migrate.formats, migrate.config; print('libcst' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


class TestConcise:
    def test_one_line_per_diagnostic_in_the_order_given(self):
        """Diagnostics arrive sorted by the engine; a format must not reorder them."""
        assert out("concise", note(), cosine()) == (
            "train.py:3:7: MIG102 [info] 学习率 is 100%\n"
            "train.py:2:9: MIG101 [warning] CosineAnnealingLR rewritten, with: care\n"
        )

    def test_a_message_with_a_newline_stays_on_one_line(self):
        """``path:line:col:`` parsers (editors, grep) see one finding per line."""
        assert out("concise", step_error()) == "train.py:4:2: MIG103 [error] first line second, line\n"

    def test_no_diagnostics_is_no_output(self):
        assert out("concise") == ""


class TestFull:
    def test_unsafe_fix_not_applied_shows_source_underline_help_note_and_verdict(self):
        assert out("full", cosine()) == (
            "train.py:2:9: MIG101 [warning] CosineAnnealingLR rewritten, with: care\n"
            "  |\n"
            "1 | import torch\n"
            "2 | sched = CosineAnnealingLR(opt, T_max=100)\n"
            "  |         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            "3 | # 学习率 lr = 0.1\n"
            "  |\n"
            "help: Replace with `nn.cosine_decay_lr`\n"
            "note: This is an unsafe fix and may change runtime behavior (not applied)\n"
            "verdict: equivalent over 200 steps\n"
        )

    def test_applied_unsafe_fix_says_it_was_applied(self):
        applied = FixEdits(UNSAFE_FIX.applicability, UNSAFE_FIX.message, UNSAFE_FIX.edits, applied=True)
        assert "may change runtime behavior (applied)\n" in out("full", cosine(fix=applied))

    def test_safe_fix_has_help_but_no_unsafe_note(self):
        text = out("full", step_error())
        assert "help: Remove the call\n" in text
        assert "unsafe" not in text

    def test_caret_is_under_the_column_after_wide_characters_and_tabs(self):
        """Columns count code points; the terminal shows CJK as two cells and a tab as four spaces."""
        assert out("full", note(end_line=3, end_col=9), step_error(fix=None)) == (
            "train.py:3:7: MIG102 [info] 学习率 is 100%\n"
            "  |\n"
            "2 | sched = CosineAnnealingLR(opt, T_max=100)\n"
            "3 | # 学习率 lr = 0.1\n"
            "  |          ^^\n"
            "4 |     step(sched)\n"
            "  |\n"
            "\n"
            "train.py:4:2: MIG103 [error] first line second, line\n"
            "  |\n"
            "3 | # 学习率 lr = 0.1\n"
            "4 |     step(sched)\n"
            "  |     ^^^^^^^^^^^\n"
            "5 | sched = CosineAnnealingLR(\n"
            "  |\n"
        )

    def test_combining_marks_take_no_column(self):
        """A decomposed accent is a code point of its own but draws on the letter before it."""
        accented = note(path="cafe.py", line=1, col=9, end_line=1, end_col=10)
        text = out("full", accented, sources={"cafe.py": "cafe\u0301 = f(x)\n"})
        assert "1 | cafe\u0301 = f(x)\n  |        ^\n" in text

    def test_multi_line_range_underlines_each_line_from_its_code(self):
        text = out("full", cosine(line=5, end_line=6, end_col=19, fix=None, verdict=None))
        assert text.endswith(
            "  |\n"
            "4 |     step(sched)\n"
            "5 | sched = CosineAnnealingLR(\n"
            "  |         ^^^^^^^^^^^^^^^^^^\n"
            "6 |     opt, T_max=10)\n"
            "  |     ^^^^^^^^^^^^^^\n"
            "  |\n"
        )

    def test_diagnostic_without_end_gets_one_caret(self):
        assert "3 | # 学习率 lr = 0.1\n  |          ^\n" in out("full", note())

    def test_file_not_in_sources_prints_the_line_without_context(self):
        assert out("full", note(path="gone.py")) == "gone.py:3:7: MIG102 [info] 学习率 is 100%\n"


class TestJson:
    RUFF_KEYS = set("code name message severity filename location end_location noqa_row url cell fix".split())

    def test_has_ruffs_keys_plus_verdict(self):
        """Editors and CI scripts written for ``ruff --output-format json`` must read it unchanged."""
        (entry,) = json.loads(out("json", cosine()))
        assert set(entry) == self.RUFF_KEYS | {"verdict"}
        assert entry["url"] is None and entry["cell"] is None

    def test_positions_fix_edits_and_verdict(self):
        (entry,) = json.loads(out("json", cosine()))
        assert entry["location"] == {"row": 2, "column": 9}
        assert entry["end_location"] == {"row": 2, "column": 42}
        assert entry["noqa_row"] == 2
        assert entry["verdict"] == "equivalent over 200 steps"
        assert entry["fix"] == {
            "applicability": "unsafe",
            "message": "Replace with `nn.cosine_decay_lr`",
            "applied": False,
            "edits": [
                {
                    "content": "cosine_decay_lr(0.0, 0.1, 100, 1, 100)",
                    "location": {"row": 2, "column": 9},
                    "end_location": {"row": 2, "column": 42},
                },
                {
                    "content": "import mindspore\n",
                    "location": {"row": 1, "column": 1},
                    "end_location": {"row": 1, "column": 1},
                },
            ],
        }

    def test_no_fix_is_null_and_missing_end_is_the_start(self):
        (entry,) = json.loads(out("json", note()))
        assert entry["fix"] is None and entry["verdict"] is None
        assert entry["end_location"] == entry["location"] == {"row": 3, "column": 7}

    def test_deletion_is_empty_content_and_applied_is_kept(self):
        (entry,) = json.loads(out("json", step_error()))
        assert entry["fix"]["edits"][0]["content"] == ""
        assert entry["fix"]["applied"] is True
        assert entry["message"] == "first line\nsecond, line"

    def test_indented_utf8_array_ending_in_a_newline(self):
        text = out("json", note(), cosine())
        assert text.startswith('[\n  {\n    "code": "MIG102"') and text.endswith("]\n")
        assert "学习率" in text
        assert [entry["code"] for entry in json.loads(text)] == ["MIG102", "MIG101"]

    def test_no_diagnostics_is_an_empty_array(self):
        assert out("json") == "[]\n"


class TestSarif:
    @pytest.fixture(scope="class")
    def validator(self):
        if not SARIF_SCHEMA.is_file():
            pytest.skip(f"the OASIS SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
        schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        return cls(schema)

    def test_declared_schema_draft_is_the_one_validating(self, validator):
        """The OASIS schema declares draft-04; validating with another draft would check different rules."""
        assert validator.schema["$schema"] == "http://json-schema.org/draft-04/schema#"
        assert isinstance(validator, jsonschema.Draft4Validator)

    def test_every_kind_of_diagnostic_validates(self, validator):
        log = json.loads(out("sarif", cosine(), note(), step_error(), note(path="gone.py", line=0, col=0)))
        validator.validate(log)

    def test_empty_run_validates(self, validator):
        log = json.loads(out("sarif"))
        validator.validate(log)
        assert log["runs"][0]["results"] == []

    def test_driver_lists_every_known_code_as_a_rule(self):
        """All codes, not just the reported ones, so ruleIndex is stable across runs and code scanning shows docs."""
        driver = json.loads(out("sarif", note()))["runs"][0]["tool"]["driver"]
        assert driver["name"] == "migrate" and driver["version"] == __version__
        assert [rule["id"] for rule in driver["rules"]] == ["MIG101", "MIG102", "MIG103", "MIG900"]
        assert driver["rules"][2] == {
            "id": "MIG103",
            "name": "broken-step",
            "shortDescription": {"text": "A step error"},
            "fullDescription": {"text": "Steps matter."},
            "help": {"text": "A step error\n\nSteps matter.\n\nstep(s)  ->  s.step()"},
            "defaultConfiguration": {"level": "error"},
        }

    def test_results_point_at_their_rule_with_their_level(self):
        log = json.loads(out("sarif", cosine(), note(), step_error()))
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        results = log["runs"][0]["results"]
        assert [rules[result["ruleIndex"]]["id"] for result in results] == [result["ruleId"] for result in results]
        assert [result["ruleId"] for result in results] == ["MIG101", "MIG102", "MIG103"]
        assert [result["level"] for result in results] == ["warning", "note", "error"]
        assert results[2]["message"]["text"] == "first line\nsecond, line"

    def test_an_unknown_code_still_gets_a_rule(self):
        log = json.loads(out("sarif", note(code="MIG001", name="unreadable-file", severity="error")))
        result = log["runs"][0]["results"][0]
        rule = log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
        assert rule["id"] == "MIG001" and rule["defaultConfiguration"] == {"level": "error"}

    def test_location_is_a_relative_forward_slash_uri_with_exclusive_end(self):
        log = json.loads(out("sarif", cosine(path="src\\my train.py"), sources={}))
        physical = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "src/my%20train.py", "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {"startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 42}
        assert log["runs"][0]["columnKind"] == "unicodeCodePoints"

    def test_file_level_diagnostic_has_no_region(self):
        """SARIF lines start at 1; a finding about the whole file has only the artifact."""
        log = json.loads(out("sarif", note(line=0, col=0)))
        assert "region" not in log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]

    def test_fix_edits_become_replacements(self):
        (fix,) = json.loads(out("sarif", cosine()))["runs"][0]["results"][0]["fixes"]
        assert fix["description"] == {"text": "Replace with `nn.cosine_decay_lr`"}
        assert fix["properties"] == {"applicability": "unsafe", "applied": False}
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"]["uri"] == "train.py"
        assert change["replacements"] == [
            {
                "deletedRegion": {"startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 42},
                "insertedContent": {"text": "cosine_decay_lr(0.0, 0.1, 100, 1, 100)"},
            },
            {
                "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
                "insertedContent": {"text": "import mindspore\n"},
            },
        ]

    def test_verdict_is_a_property_and_absent_without_one(self):
        results = json.loads(out("sarif", cosine(), note()))["runs"][0]["results"]
        assert results[0]["properties"] == {"verdict": "equivalent over 200 steps"}
        assert "properties" not in results[1] and "fixes" not in results[1]

    def test_fingerprint_follows_the_line_text_not_its_number(self):
        """Inserting lines above a finding must not make code scanning see a new alert."""
        before = json.loads(out("sarif", cosine()))["runs"][0]["results"][0]
        shifted = {"train.py": "# a new first line\n    " + SOURCE}
        after = json.loads(out("sarif", cosine(line=3, end_line=3), sources=shifted))["runs"][0]["results"][0]
        assert before["partialFingerprints"] == after["partialFingerprints"]

    def test_fingerprints_differ_by_code_and_by_repeated_line(self):
        repeated = {"train.py": "x = CosineAnnealingLR(o, 5)\nx = CosineAnnealingLR(o, 5)\n"}
        results = json.loads(
            out("sarif", cosine(line=1), cosine(line=2), note(line=1), sources=repeated)
        )["runs"][0]["results"]
        hashes = [result["partialFingerprints"]["primaryLocationLineHash"] for result in results]
        assert len(set(hashes)) == 3
        assert hashes[0].split(":")[0] == hashes[1].split(":")[0]
        assert [digest.split(":")[1] for digest in hashes] == ["1", "2", "1"]


class TestGithub:
    def test_annotation_per_diagnostic_with_level_by_severity(self):
        assert out("github", cosine(), note()) == (
            "::warning title=migrate (MIG101),file=train.py,line=2,col=9,endLine=2,endColumn=42"
            "::CosineAnnealingLR rewritten, with: care\n"
            "::notice title=migrate (MIG102),file=train.py,line=3,col=7,endLine=3,endColumn=7::学习率 is 100%25\n"
        )

    def test_message_escapes_percent_and_line_breaks(self):
        text = out("github", step_error(message="100% done\r\nnext, line: here"))
        assert text.endswith("::100%25 done%0D%0Anext, line: here\n")
        assert text.startswith("::error ")

    def test_properties_escape_comma_and_colon(self):
        """An unescaped ``,`` or ``:`` in the path would end the property and drop the annotation's location."""
        text = out("github", note(path="C:/odd,name.py"))
        assert "file=C%3A/odd%2Cname.py,line=3," in text

    def test_file_level_diagnostic_has_no_position(self):
        expected = "::notice title=migrate (MIG102),file=train.py::学习率 is 100%25\n"
        assert out("github", note(line=0, col=0)) == expected
