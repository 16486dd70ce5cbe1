"""Which files a run reads: ignore files with git's semantics, ruff's default exclusions, explicit paths, and only
regular files."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from migrate.cli import main
from migrate.discover import DEFAULT_EXCLUDES, Discovery, python_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "torch_to_mindspore"
CONVERTIBLE = (FIXTURES / "fully_qualified_per_epoch" / "input.py").read_bytes()

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def write(root: Path, *names: str, data: bytes = b"x = 1\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)


def found(*paths: str, discovery: Discovery = Discovery(), excluded=lambda path: False) -> tuple[list, list]:
    errors: list = []
    return python_files(paths, errors, discovery, excluded), [(path, error.message) for path, error in errors]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def repo(tree):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git_init(tree)
    return tree


class TestDefaultExclusions:
    def test_ruffs_folders_are_skipped_at_any_depth(self, tree):
        for name in DEFAULT_EXCLUDES:
            write(tree, f"{name}/a.py", f"src/{name}/b.py")
        write(tree, "src/train.py")
        assert found(".") == (["src/train.py"], [])

    def test_other_hidden_folders_are_walked_as_ruff_walks_them(self, tree):
        write(tree, ".github/scripts/release.py")
        assert found(".") == ([".github/scripts/release.py"], [])

    def test_only_py_files_are_taken_from_a_walk(self, tree):
        write(tree, "a.py", "b.pyi", "c.txt", "d.py.orig")
        assert found(".") == (["a.py"], [])

    def test_a_named_file_is_read_whatever_its_extension(self, tree):
        write(tree, "stub.pyi")
        assert found("stub.pyi") == (["stub.pyi"], [])

    def test_they_apply_when_no_ignore_file_is_respected(self, tree):
        write(tree, ".venv/lib/x.py", "train.py")
        assert found(".", discovery=Discovery(respect_gitignore=False)) == (["train.py"], [])


class TestGitignore:
    def test_ignored_folders_and_files_are_pruned(self, repo):
        (repo / ".gitignore").write_text("generated/\n*_pb2.py\n")
        write(repo, "generated/model.py", "src/generated/deep.py", "src/api_pb2.py", "src/train.py")
        assert found(".") == (["src/train.py"], [])

    def test_a_nested_gitignore_is_relative_to_its_folder(self, repo):
        (repo / "sub").mkdir()
        (repo / "sub" / ".gitignore").write_text("/local.py\n")
        write(repo, "local.py", "sub/local.py", "sub/deeper/local.py")
        assert found(".") == (["local.py", "sub/deeper/local.py"], [])

    def test_negation_re_includes_and_a_deeper_file_overrides_a_shallower_one(self, repo):
        (repo / ".gitignore").write_text("gen_*.py\n!gen_keep.py\n")
        (repo / "sub").mkdir()
        (repo / "sub" / ".gitignore").write_text("!gen_b.py\n")
        write(repo, "gen_a.py", "gen_keep.py", "sub/gen_a.py", "sub/gen_b.py")
        assert found(".") == (["gen_keep.py", "sub/gen_b.py"], [])

    def test_negation_cannot_re_include_a_file_below_an_ignored_folder(self, repo):
        (repo / ".gitignore").write_text("out/\n!out/keep.py\n")
        write(repo, "out/keep.py", "main.py")
        assert found(".") == (["main.py"], [])

    def test_dot_ignore_overrides_gitignore_in_the_same_folder(self, repo):
        (repo / ".gitignore").write_text("vendored.py\nother.py\n")
        (repo / ".ignore").write_text("!vendored.py\n")
        write(repo, "vendored.py", "other.py")
        assert found(".") == (["vendored.py"], [])

    def test_git_info_exclude_is_respected(self, repo):
        (repo / ".git" / "info").mkdir(exist_ok=True)
        (repo / ".git" / "info" / "exclude").write_text("scratch/\n")
        write(repo, "scratch/try.py", "main.py")
        assert found(".") == (["main.py"], [])

    def test_ignore_files_above_the_walked_folder_count_up_to_the_repository_root(self, repo):
        (repo / ".gitignore").write_text("src/gen/\n")
        write(repo, "src/gen/a.py", "src/b.py")
        assert found("src") == (["src/b.py"], [])

    def test_walking_from_inside_the_repository_finds_its_root(self, repo, monkeypatch):
        (repo / ".gitignore").write_text("gen/\n")
        write(repo, "src/gen/a.py", "src/b.py")
        monkeypatch.chdir(repo / "src")
        assert found(".") == (["b.py"], [])

    def test_no_respect_gitignore_reads_ignored_files(self, repo):
        (repo / ".gitignore").write_text("generated/\n")
        (repo / ".ignore").write_text("other/\n")
        write(repo, "generated/model.py", "other/x.py")
        discovery = Discovery(respect_gitignore=False)
        assert found(".", discovery=discovery) == (["generated/model.py", "other/x.py"], [])

    def test_outside_a_repository_gitignore_does_not_count_but_dot_ignore_does(self, tree):
        if any((parent / ".git").exists() for parent in tree.parents):
            pytest.skip("the temporary folder is inside a git repository")
        (tree / ".gitignore").write_text("a.py\n")
        (tree / ".ignore").write_text("b.py\n")
        write(tree, "a.py", "b.py")
        assert found(".") == (["a.py"], [])


class TestExplicitPaths:
    def test_a_named_file_is_read_even_where_a_walk_would_skip_it(self, repo):
        (repo / ".gitignore").write_text("ignored.py\n")
        write(repo, "build/gen.py", "ignored.py", "legacy/old.py")
        named = ("build/gen.py", "ignored.py", "legacy/old.py")
        assert found(*named, excluded=lambda path: path.startswith("legacy")) == (sorted(named), [])

    def test_force_exclude_applies_every_exclusion_to_named_files(self, repo):
        (repo / ".gitignore").write_text("ignored.py\nout/\n")
        write(repo, "build/gen.py", "ignored.py", "out/deep/x.py", "legacy/old.py", "src/train.py")
        named = ("build/gen.py", "ignored.py", "out/deep/x.py", "legacy/old.py", "src/train.py")
        forced = Discovery(force_exclude=True)
        assert found(*named, discovery=forced, excluded=lambda path: path == "legacy/old.py") == (["src/train.py"], [])

    def test_force_exclude_applies_to_a_named_folder(self, repo):
        write(repo, "build/gen.py")
        assert found("build") == (["build/gen.py"], [])
        assert found("build", discovery=Discovery(force_exclude=True)) == ([], [])

    def test_force_exclude_does_not_look_above_the_repository(self, tmp_path, monkeypatch):
        """A checkout that happens to live under a folder called ``build`` is not excluded whole."""
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        project = tmp_path / "build" / "project"
        write(project, "src/train.py")
        git_init(project)
        monkeypatch.chdir(project)
        assert found("src/train.py", discovery=Discovery(force_exclude=True)) == (["src/train.py"], [])

    def test_each_file_once_sorted_whatever_the_order_given(self, tree):
        write(tree, "b.py", "src/a.py")
        assert found("src", "b.py", ".", "src/a.py") == (["b.py", "src/a.py"], [])

    def test_a_missing_path_is_an_error(self, tree):
        assert found("nope.py") == ([], [("nope.py", "no such file or directory")])

    def test_user_exclusion_prunes_a_folder_without_walking_it(self, tree):
        write(tree, "legacy/deep/old.py", "main.py")
        asked = []

        def excluded(path):
            asked.append(path)
            return path == "legacy"

        assert found(".", excluded=excluded) == (["main.py"], [])
        assert not any(path.startswith("legacy/") for path in asked)


class TestOnlyRegularFiles:
    def test_a_fifo_in_a_walk_is_skipped_silently_and_a_named_one_is_left_to_the_reader_to_refuse(self, tree):
        os.mkfifo(tree / "pipe.py")
        write(tree, "main.py")
        assert found(".") == (["main.py"], [])
        assert found("pipe.py") == (["pipe.py"], [])

    def test_a_socket_in_a_walk_is_skipped_silently(self, tree):
        with socket.socket(socket.AF_UNIX) as server:
            server.bind("sock.py")
            assert found(".") == ([], [])

    def test_a_symlink_to_a_regular_file_is_read(self, tree):
        write(tree, "real.py")
        (tree / "link.py").symlink_to(tree / "real.py")
        assert found(".") == (["link.py", "real.py"], [])

    def test_a_dangling_symlink_is_an_error(self, tree):
        (tree / "gone.py").symlink_to(tree / "nowhere.py")
        files, errors = found(".")
        assert files == [] and errors == [("gone.py", "cannot stat: No such file or directory")]

    def test_a_symlink_loop_is_reported_once_and_the_rest_walked(self, tree):
        write(tree, "src/main.py")
        (tree / "src" / "loop").symlink_to(tree / "src", target_is_directory=True)
        files, errors = found("src")
        assert files == ["src/main.py"]
        assert errors == [("src/loop", "symlink loop: directory already visited")]

    @pytest.mark.skipif(os.geteuid() == 0, reason="root lists folders whatever their permission bits")
    def test_an_unreadable_folder_is_reported(self, tree):
        write(tree, "locked/x.py", "main.py")
        (tree / "locked").chmod(0)
        try:
            files, errors = found(".")
        finally:
            (tree / "locked").chmod(0o755)
        assert files == ["main.py"]
        assert errors == [("locked", "cannot list directory: Permission denied")]


def run(*args):
    return CliRunner().invoke(main, list(args))


@needs_git
def test_convert_in_a_git_repository_touches_only_tracked_sources(repo):
    """issue 12's acceptance: a virtualenv, build output and a gitignored folder hold convertible code too."""
    (repo / ".gitignore").write_text("scratch/\n")
    untouched = [".venv/lib/python3.11/site-packages/trainer.py", "venv/train.py", "build/lib/train.py",
                 "dist/train.py", "scratch/try.py"]
    write(repo, "src/train.py", "src/pkg/loop.py", *untouched, data=CONVERTIBLE)
    subprocess.run(["git", "add", "src", ".gitignore"], cwd=repo, check=True, capture_output=True)

    result = run("convert", ".")
    assert result.exit_code == 1, result.output
    assert (repo / "src" / "train.py").read_bytes() != CONVERTIBLE
    assert (repo / "src" / "pkg" / "loop.py").read_bytes() != CONVERTIBLE
    for name in untouched:
        assert (repo / name).read_bytes() == CONVERTIBLE, name
        assert name not in result.output
    assert "2 files checked" in result.stderr

    write(repo, "src/train.py", "src/pkg/loop.py", data=CONVERTIBLE)
    without_path = run("convert", "--check")
    assert without_path.exit_code == 1
    assert "2 files checked, 2 would be rewritten" in without_path.stderr

    os.mkfifo(repo / "src" / "pipe.py")
    assert "pipe.py" not in run("convert", "--check", "src").output
    assert "src/pipe.py:1:1: MIG001 [error] not a regular file (a FIFO)" in run("convert", "src/pipe.py").output
    os.remove(repo / "src" / "pipe.py")

    named = run("convert", "--check", "build/lib/train.py")
    assert "1 file checked, 1 would be rewritten" in named.stderr
    forced = run("convert", "--check", "--force-exclude", "build/lib/train.py", "src/train.py")
    assert "1 file checked, 1 would be rewritten" in forced.stderr
    everything = run("convert", "--check", "--no-respect-gitignore", ".")
    assert "3 files checked" in everything.stderr
