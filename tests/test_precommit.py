"""The shipped ``.pre-commit-hooks.yaml`` run by the real pre-commit, the way a user's repository would use it.

The hook source is a git repository made from this working tree (tracked and untracked-not-ignored files, so
uncommitted work is what gets tested); pre-commit clones it at its HEAD sha and pip-installs the package into its
own virtualenv, once per test session (one ``PRE_COMMIT_HOME``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CASE = REPO / "fixtures" / "torch_to_mindspore" / "fully_qualified_per_epoch"
TORCH_SOURCE = (CASE / "input.py").read_bytes()
CONVERTED = (CASE / "output.py").read_bytes()
EXPECTED_DIAGNOSTICS = (CASE / "diagnostics.txt").read_text().replace("input.py", "f.py").splitlines()
REFUSAL = REPO / "fixtures" / "torch_to_mindspore" / "star_import_two_sources"  # one MIG108 warning, nothing to rewrite
REFUSED_SOURCE = (REFUSAL / "input.py").read_bytes()
REFUSAL_DIAGNOSTIC = (REFUSAL / "diagnostics.txt").read_text().replace("input.py", "refused.py").strip()

pytestmark = [
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="the pre-commit executable is not installed"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]


def _environment(home: Path, pre_commit_home: Path) -> dict[str, str]:
    """A fresh machine's view: no git configuration or repository of the caller's, a known identity, no prompts."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        HOME=str(home),
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",
        PIP_NO_INPUT="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test",
        GIT_AUTHOR_EMAIL="test@example.com",
        GIT_COMMITTER_NAME="Test",
        GIT_COMMITTER_EMAIL="test@example.com",
        GIT_TERMINAL_PROMPT="0",
    )
    return env


def _git(env, cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def _copy_working_tree(destination: Path, env) -> None:
    listed = _git(env, REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the working tree is listed too
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


@pytest.fixture(scope="session")
def hooks(tmp_path_factory):
    """(environment, hook repository path, its HEAD sha), with the hooks' virtualenv already installed."""
    root = tmp_path_factory.mktemp("pre-commit")
    (root / "home").mkdir()
    env = _environment(root / "home", root / "cache")
    if subprocess.run(["git", "rev-parse"], cwd=REPO, env=env, capture_output=True).returncode != 0:
        pytest.skip(f"{REPO} is not a git checkout, so there is no file list to build the hook repository from")
    source = root / "hook-repo"
    source.mkdir()
    _copy_working_tree(source, env)
    _git(env, source, "init", "-q")
    _git(env, source, "add", "-A")
    _git(env, source, "commit", "-q", "-m", "migrate working tree")
    sha = _git(env, source, "rev-parse", "HEAD").strip()
    installer = _project(root / "installer", env, source, sha, ["migrate", "migrate-check"])
    install = _pre_commit(env, installer, "install-hooks", timeout=900)
    assert install.returncode == 0, install.stdout
    return env, source, sha


def _project(path: Path, env, source: Path, sha: str, hook_ids: list[str]) -> Path:
    """A git repository whose .pre-commit-config.yaml takes ``hook_ids`` from the hook repository."""
    path.mkdir()
    _git(env, path, "init", "-q")
    hook_lines = "".join(f"      - id: {hook_id}\n" for hook_id in hook_ids)
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {sha}\n    hooks:\n{hook_lines}"
    )
    _git(env, path, "add", ".pre-commit-config.yaml")
    return path


def _pre_commit(env, cwd: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(["pre-commit", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=timeout)


def _git_commit(env, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "commit", "-m", "train"], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(hooks, tmp_path):
    env, source, sha = hooks

    def make(*hook_ids: str) -> Path:
        return _project(tmp_path / "project", env, source, sha, list(hook_ids))

    return env, make


def _stage(env, project: Path, name: str, data: bytes) -> Path:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _git(env, project, "add", name)
    return path


def test_manifest_is_valid_for_pre_commit():
    result = subprocess.run(["pre-commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_environment_has_neither_torch_nor_mindspore(hooks):
    env, _, _ = hooks
    pythons = list(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/bin/python"))
    assert len(pythons) == 1, pythons
    probe = "import importlib.util as u; print([m for m in ('torch', 'mindspore') if u.find_spec(m)])"
    found = subprocess.run([pythons[0], "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_commit_of_pytorch_code_fails_rewrites_the_file_and_passes_once_re_added(project):
    env, make = project
    repo = make("migrate")
    assert _pre_commit(env, repo, "install").returncode == 0
    path = _stage(env, repo, "f.py", TORCH_SOURCE)

    refused = _git_commit(env, repo)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "exit code: 1" in output
    assert path.read_bytes() == CONVERTED
    for line in EXPECTED_DIAGNOSTICS:
        assert line in output
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=repo, env=env).returncode != 0

    _git(env, repo, "add", "f.py")
    accepted = _git_commit(env, repo)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _git(env, repo, "show", "HEAD:f.py").encode() == CONVERTED


def test_run_on_pytorch_file_fails_and_rewrites_it(project):
    env, make = project
    repo = make("migrate")
    path = _stage(env, repo, "f.py", TORCH_SOURCE)
    result = _pre_commit(env, repo, "run", "--files", "f.py")
    assert result.returncode == 1, result.stdout
    assert path.read_bytes() == CONVERTED
    assert "Failed" in result.stdout
    for line in EXPECTED_DIAGNOSTICS:
        assert line in result.stdout


def test_clean_file_passes(project):
    env, make = project
    repo = make("migrate", "migrate-check")
    path = _stage(env, repo, "f.py", CONVERTED)
    result = _pre_commit(env, repo, "run", "--files", "f.py")
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("Passed") == 2
    assert path.read_bytes() == CONVERTED


def test_check_hook_fails_and_leaves_the_file_untouched(project):
    env, make = project
    repo = make("migrate-check")
    path = _stage(env, repo, "f.py", TORCH_SOURCE)
    result = _pre_commit(env, repo, "run", "--files", "f.py")
    assert result.returncode == 1, result.stdout
    assert path.read_bytes() == TORCH_SOURCE
    assert "files were modified by this hook" not in result.stdout
    for line in EXPECTED_DIAGNOSTICS:
        assert line in result.stdout


def test_refused_site_passes_unless_fail_on_warning_and_excluded_files_stay_untouched(project):
    env, make = project
    repo = make("migrate")
    assert _pre_commit(env, repo, "install").returncode == 0
    (repo / ".gitignore").write_text("legacy/\n")
    refused = _stage(env, repo, "refused.py", REFUSED_SOURCE)
    built = _stage(env, repo, "build/lib/train.py", TORCH_SOURCE)
    (repo / "legacy").mkdir()
    ignored = repo / "legacy" / "old.py"
    ignored.write_bytes(TORCH_SOURCE)
    _git(env, repo, "add", ".gitignore", "build/lib/train.py")
    _git(env, repo, "add", "-f", "legacy/old.py")

    accepted = _git_commit(env, repo)
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert REFUSAL_DIAGNOSTIC in output
    assert "1 file checked" in output
    assert (refused.read_bytes(), built.read_bytes(), ignored.read_bytes()) == (REFUSED_SOURCE, TORCH_SOURCE,
                                                                                 TORCH_SOURCE)

    (repo / "pyproject.toml").write_text('[tool.migrate]\nfail-on = "warning"\n')
    _stage(env, repo, "refused.py", REFUSED_SOURCE + b"\n# touched, so the hook sees the file again\n")
    _git(env, repo, "add", "pyproject.toml")
    failed = _git_commit(env, repo)
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert "exit code: 1" in output
    assert REFUSAL_DIAGNOSTIC in output
