"""``[tool.migrate]`` discovery, validation and matching, and the ``# noqa`` / skip-file markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.config import Config, ConfigError, find_config, load_config, parse_noqa, skips_file


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_with(tmp_path: Path, body: str) -> Config:
    return load_config(write(tmp_path / "pyproject.toml", f"[tool.migrate]\n{body}"))


def error_for(tmp_path: Path, body: str) -> str:
    with pytest.raises(ConfigError) as caught:
        config_with(tmp_path, body)
    return str(caught.value)


class TestFindConfig:
    def test_nearest_pyproject_with_the_table_above_a_file(self, tmp_path):
        project = write(tmp_path / "pyproject.toml", "[tool.migrate]\n")
        source = write(tmp_path / "src" / "pkg" / "train.py", "")
        assert find_config(source) == project

    def test_a_folder_start_looks_in_the_folder_itself(self, tmp_path):
        project = write(tmp_path / "pyproject.toml", "[tool.migrate]\nto = 'torch'\n")
        assert find_config(tmp_path) == project

    def test_pyproject_without_the_table_is_skipped_like_ruff(self, tmp_path):
        """A sub-package's own pyproject.toml must not hide the project's configuration."""
        project = write(tmp_path / "pyproject.toml", "[tool.migrate]\n")
        write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'sub'\n\n[tool.ruff]\nline-length = 99\n")
        assert find_config(tmp_path / "sub" / "train.py") == project

    def test_nearer_table_wins_over_a_farther_one(self, tmp_path):
        write(tmp_path / "pyproject.toml", "[tool.migrate]\n")
        nearer = write(tmp_path / "sub" / "pyproject.toml", "[tool.migrate]\nto = 'torch'\n")
        assert find_config(tmp_path / "sub") == nearer

    def test_none_when_no_pyproject_has_the_table(self, tmp_path):
        write(tmp_path / "pyproject.toml", "[tool.other]\nmigrate = true\n")
        assert find_config(tmp_path / "train.py") is None

    def test_a_broken_pyproject_that_never_mentions_migrate_is_skipped(self, tmp_path):
        """Someone else's broken file cannot hold our table, so it must not stop the run."""
        project = write(tmp_path / "pyproject.toml", "[tool.migrate]\n")
        write(tmp_path / "sub" / "pyproject.toml", "[project\n")
        assert find_config(tmp_path / "sub") == project

    def test_a_broken_pyproject_that_may_hold_the_table_is_an_error(self, tmp_path):
        write(tmp_path / "pyproject.toml", "[tool.migrate]\nto = \n")
        with pytest.raises(ConfigError, match="pyproject.toml: invalid TOML"):
            find_config(tmp_path)


class TestLoadConfig:
    def test_every_key_in_kebab_case(self, tmp_path):
        config = config_with(
            tmp_path,
            "to = 'torch'\n"
            "select = ['MIG1']\n"
            "ignore = ['MIG102']\n"
            "exclude = ['legacy/*.py']\n"
            "unsafe-fixes = true\n"
            "verifier-samples = 32\n"
            "fail-on = 'warning'\n"
            "periodic = 'clamp'\n"
            "max-file-size = 2048\n"
            "[tool.migrate.per-file-ignores]\n"
            "'tests/**' = ['MIG2', 'MIG3']\n",
        )
        assert config == Config(
            to="torch",
            select=("MIG1",),
            ignore=("MIG102",),
            exclude=("legacy/*.py",),
            per_file_ignores={"tests/**": ("MIG2", "MIG3")},
            unsafe_fixes=True,
            verifier_samples=32,
            fail_on="warning",
            periodic="clamp",
            max_file_size=2048,
            root=tmp_path.resolve(),
        )

    def test_snake_case_spellings_are_accepted(self, tmp_path):
        body = "unsafe_fixes = true\nverifier_samples = 8\nper_file_ignores = {'a.py' = ['MIG']}\n"
        config = config_with(tmp_path, body)
        assert (config.unsafe_fixes, config.verifier_samples) == (True, 8)
        assert dict(config.per_file_ignores) == {"a.py": ("MIG",)}

    def test_empty_table_gives_defaults_rooted_at_the_file(self, tmp_path):
        assert config_with(tmp_path, "") == Config(root=tmp_path.resolve())

    def test_defaults(self):
        config = Config()
        assert (config.to, config.select, config.ignore, config.exclude) == ("mindspore", (), (), ())
        assert (dict(config.per_file_ignores), config.unsafe_fixes, config.verifier_samples) == ({}, False, 256)
        assert config.fail_on == "rewrite"
        assert config.root is None

    def test_pyproject_without_the_table_gives_defaults(self, tmp_path):
        path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
        assert load_config(path) == Config(root=tmp_path.resolve())


class TestConfigErrors:
    def test_unknown_key_names_file_key_and_the_likely_spelling(self, tmp_path):
        message = error_for(tmp_path, "selct = ['MIG']\n")
        assert message == f"{tmp_path / 'pyproject.toml'}: [tool.migrate] unknown key 'selct' (did you mean 'select'?)"

    def test_unknown_key_far_from_any_lists_the_known_ones(self, tmp_path):
        assert "known keys: to, select, ignore, exclude, per-file-ignores" in error_for(tmp_path, "colour = 1\n")

    def test_invalid_target(self, tmp_path):
        message = error_for(tmp_path, "to = 'jax'\n")
        assert "[tool.migrate] 'to' must be one of 'mindspore', 'torch', not 'jax'" in message

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ("select = 'MIG'\n", "'select' must be a list of strings, not a string ('MIG')"),
            ("ignore = ['MIG', 1]\n", "'ignore' must be a list of strings"),
            ("exclude = {a = 1}\n", "'exclude' must be a list of strings, not a table"),
            ("per-file-ignores = ['a.py']\n", "'per-file-ignores' must be a table of pattern = [codes]"),
            ("per-file-ignores = {'a.py' = 'MIG'}\n", "'per-file-ignores' 'a.py' must be a list of strings"),
            ("unsafe-fixes = 'yes'\n", "'unsafe-fixes' must be true or false, not a string ('yes')"),
            ("verifier-samples = 1.5\n", "'verifier-samples' must be an integer, not a float (1.5)"),
            ("verifier-samples = true\n", "'verifier-samples' must be an integer, not a boolean (True)"),
            ("to = 3\n", "'to' must be one of 'mindspore', 'torch', not 3"),
            ("fail-on = 'error'\n", "'fail-on' must be one of 'rewrite', 'warning', not 'error'"),
        ],
    )
    def test_wrong_types_name_the_key(self, tmp_path, body, expected):
        assert expected in error_for(tmp_path, body)

    def test_sample_cap_must_be_positive(self, tmp_path):
        assert "'verifier-samples' must be at least 1, not 0" in error_for(tmp_path, "verifier-samples = 0\n")

    def test_code_prefixes_must_look_like_codes(self, tmp_path):
        """A lower-case or misspelt prefix would otherwise select nothing, silently."""
        assert "'mig1' is not a code prefix" in error_for(tmp_path, "select = ['mig1']\n")

    def test_negated_per_file_ignores_pattern_is_refused_rather_than_misread(self, tmp_path):
        message = error_for(tmp_path, "[tool.migrate.per-file-ignores]\n'!keep.py' = ['CA1']\n")
        assert "negated pattern '!keep.py' is not supported in per-file-ignores" in message

    def test_a_lone_negation_mark_is_an_empty_pattern(self, tmp_path):
        assert "empty pattern" in error_for(tmp_path, "exclude = ['!/']\n")

    def test_both_spellings_of_one_key(self, tmp_path):
        message = error_for(tmp_path, "unsafe-fixes = true\nunsafe_fixes = false\n")
        assert "is given twice (as 'unsafe-fixes' and 'unsafe_fixes')" in message

    def test_invalid_toml_names_the_file(self, tmp_path):
        assert error_for(tmp_path, "select = [\n").startswith(f"{tmp_path / 'pyproject.toml'}: invalid TOML: ")

    def test_non_utf8_file(self, tmp_path):
        path = tmp_path / "pyproject.toml"
        path.write_bytes(b"[tool.migrate]\n# caf\xe9\n")
        with pytest.raises(ConfigError, match="pyproject.toml: not UTF-8"):
            load_config(path)

    def test_table_that_is_not_a_table(self, tmp_path):
        path = write(tmp_path / "pyproject.toml", "[tool]\nmigrate = 'yes'\n")
        with pytest.raises(ConfigError, match=r"\[tool.migrate\] must be a table, not a string"):
            load_config(path)

    def test_missing_file(self, tmp_path):
        with pytest.raises(ConfigError, match="pyproject.toml: cannot read"):
            load_config(tmp_path / "pyproject.toml")


class TestMerged:
    def test_given_values_override_and_none_keeps_the_file_value(self):
        base = Config(to="torch", select=("MIG1",), unsafe_fixes=True, verifier_samples=64)
        merged = base.merged(to=None, select=["MIG2"], unsafe_fixes=False, verifier_samples=None)
        assert merged == Config(to="torch", select=("MIG2",), unsafe_fixes=False, verifier_samples=64)

    def test_merging_leaves_the_original_alone(self):
        base = Config(ignore=("MIG1",))
        base.merged(ignore=("MIG2",))
        assert base.ignore == ("MIG1",)


class TestExclude:
    @pytest.fixture
    def config(self, tmp_path):
        return Config(exclude=("tests/fixtures/**", "legacy/*.py", "build", "*_pb2.py", "cache/"), root=tmp_path)

    @pytest.mark.parametrize(
        "relative",
        [
            "tests/fixtures/case/input.py",
            "legacy/old.py",
            "build/lib/x.py",
            "src/build/x.py",
            "src/deep/proto_pb2.py",
            "src/cache/x.py",
        ],
    )
    def test_excluded(self, config, tmp_path, relative):
        assert config.is_excluded(tmp_path / relative)

    @pytest.mark.parametrize(
        "relative",
        [
            "tests/test_fixtures.py",
            "legacy/sub/old.py",
            "src/legacy/old.py",
            "src/builder.py",
            "proto_pb2.pyi",
            "cache",
        ],
    )
    def test_not_excluded(self, config, tmp_path, relative):
        assert not config.is_excluded(tmp_path / relative)

    def test_matching_a_folder_excludes_the_folder_itself(self, config, tmp_path):
        """The engine can prune a whole tree without walking it."""
        (tmp_path / "src" / "cache").mkdir(parents=True)
        assert config.is_excluded(tmp_path / "src" / "cache")
        assert config.is_excluded(tmp_path / "legacy" / "tool.py")

    def test_relative_paths_are_taken_from_the_working_directory(self, config, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert config.is_excluded(Path("legacy/old.py"))
        assert not config.is_excluded(Path("src/old.py"))

    def test_paths_outside_the_root_match_nothing(self, config, tmp_path):
        assert not config.is_excluded(tmp_path.parent / "legacy" / "old.py")

    def test_a_later_negation_re_includes_a_file_as_in_gitignore(self, tmp_path):
        config = Config(exclude=("generated/*.py", "!generated/keep.py"), root=tmp_path)
        assert config.is_excluded(tmp_path / "generated" / "other.py")
        assert not config.is_excluded(tmp_path / "generated" / "keep.py")

    def test_a_negation_cannot_re_include_below_an_excluded_folder(self, tmp_path):
        """git's rule: discovery prunes the folder, so the folder itself must stay excluded."""
        (tmp_path / "vendor" / "keep").mkdir(parents=True)
        config = Config(exclude=("vendor/", "!vendor/keep/x.py"), root=tmp_path)
        assert config.is_excluded(tmp_path / "vendor")
        assert config.is_excluded(tmp_path / "vendor" / "keep")

    def test_the_root_itself_is_never_excluded(self, tmp_path):
        assert not Config(exclude=("*",), root=tmp_path).is_excluded(tmp_path)

    def test_without_a_root_patterns_are_relative_to_the_working_directory(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        assert Config(exclude=("legacy/*.py",)).is_excluded(tmp_path / "legacy" / "old.py")


class TestEnabled:
    def test_everything_is_enabled_by_default(self, tmp_path):
        assert Config(root=tmp_path).enabled("MIG101", tmp_path / "a.py")

    def test_select_keeps_only_matching_prefixes(self, tmp_path):
        config = Config(select=("MIG1", "MIG201"), root=tmp_path)
        assert config.enabled("MIG102", tmp_path / "a.py")
        assert config.enabled("MIG201", tmp_path / "a.py")
        assert not config.enabled("MIG202", tmp_path / "a.py")

    def test_ignore_wins_even_over_a_more_specific_select(self, tmp_path):
        """Documented difference from ruff: no longest-prefix rule."""
        config = Config(select=("MIG101",), ignore=("MIG1",), root=tmp_path)
        assert not config.enabled("MIG101", tmp_path / "a.py")

    def test_per_file_ignores_apply_only_to_matching_paths(self, tmp_path):
        config = Config(per_file_ignores={"tests/**": ("MIG2",), "__init__.py": ("MIG101",)}, root=tmp_path)
        assert not config.enabled("MIG201", tmp_path / "tests" / "unit" / "t.py")
        assert config.enabled("MIG101", tmp_path / "tests" / "unit" / "t.py")
        assert config.enabled("MIG201", tmp_path / "src" / "t.py")
        assert not config.enabled("MIG101", tmp_path / "src" / "pkg" / "__init__.py")


class TestNoqa:
    def test_bare_noqa_suppresses_everything_on_its_line(self):
        assert parse_noqa("import torch\nsched = make()  # noqa\n") == {2: None}

    def test_codes_after_a_colon(self):
        assert parse_noqa("x = 1  # noqa: MIG101\n") == {1: frozenset({"MIG101"})}

    def test_several_codes_separated_by_commas_or_spaces(self):
        text = "a = 1  # noqa: MIG101, MIG102\nb = 2  # noqa:MIG103 MIG104 because reasons\n"
        assert parse_noqa(text) == {1: frozenset({"MIG101", "MIG102"}), 2: frozenset({"MIG103", "MIG104"})}

    def test_keyword_and_codes_are_case_insensitive(self):
        assert parse_noqa("a = 1  # NOQA\nb = 2  # NoQa: mig101\n") == {1: None, 2: frozenset({"MIG101"})}

    def test_noqa_inside_a_string_does_not_count(self):
        assert parse_noqa('s = "# noqa: MIG101"\nt = """\n# noqa\n"""\n') == {}

    def test_noqa_after_another_comment_directive(self):
        assert parse_noqa("x = f()  # type: ignore  # noqa: MIG101\n") == {1: frozenset({"MIG101"})}

    def test_a_word_starting_with_noqa_is_not_a_marker(self):
        assert parse_noqa("x = 1  # noqanother thing\n") == {}

    def test_colon_without_codes_is_a_bare_noqa(self):
        assert parse_noqa("x = 1  # noqa:\n") == {1: None}

    def test_file_tokenize_rejects_gives_nothing(self):
        assert parse_noqa("x = (1,  # noqa\n") == {}


class TestSkipFile:
    def test_marker_on_its_own_line(self):
        assert skips_file("import torch\n  # migrate: skip-file\nx = 1\n")

    def test_spacing_and_case_are_tolerated(self):
        assert skips_file("#Migrate:  SKIP-FILE  \n")

    def test_marker_after_code_does_not_count(self):
        """Only a line-of-its-own marker is a deliberate file-wide opt-out."""
        assert not skips_file("x = 1  # migrate: skip-file\n")

    def test_marker_inside_a_string_does_not_count(self):
        assert not skips_file('doc = """\n# migrate: skip-file\n"""\n')

    def test_file_that_does_not_tokenize_can_still_opt_out(self):
        """A Python 2 leftover should be skipped, not reported as unparsable."""
        assert skips_file("if py2:\n        print 'x'\n    else\n# migrate: skip-file\n")

    def test_no_marker(self):
        assert not skips_file("# migrate: skip-this-line\nx = 1\n")
