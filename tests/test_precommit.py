"""The real pre-commit tool, with this repository as the hook source, refuses a bad draft."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture
def hook_rev() -> str:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if head.returncode != 0:
        pytest.skip("not a git checkout: the hook source needs a commit")
    return head.stdout.strip()


def test_precommit_refuses_a_wrong_date_and_accepts_the_fix(tmp_path: Path, hook_rev: str) -> None:
    repo = tmp_path / "drafts"
    repo.mkdir()
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("CITEKIT_CATALOGUE", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=repo, env=env, capture_output=True, text=True, check=False, timeout=600
        )

    assert run("git", "init", "-q", "-b", "main").returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {hook_rev}\n    hooks:\n      - id: citekit\n",
        encoding="utf-8",
    )
    installed = run(sys.executable, "-m", "pre_commit", "install")
    assert installed.returncode == 0, installed.stderr

    draft = repo / "bao-cao.md"
    draft.write_text(
        "# Báo cáo\n\nThực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị.\n",
        encoding="utf-8",
    )
    run("git", "add", "-A")
    refused = run("git", "commit", "-m", "draft with a wrong date")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "bao-cao.md:3:23: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024" in output, (
        output
    )
    assert _git("rev-parse", "--verify", "HEAD", cwd=repo).returncode != 0  # nothing committed

    draft.write_text(
        "# Báo cáo\n\nThực hiện Quy định số 145-QĐ/TW ngày 10-5-2024 của Bộ Chính trị.\n",
        encoding="utf-8",
    )
    run("git", "add", "-A")
    accepted = run("git", "commit", "-m", "draft with the right date")
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert "citekit...." in output
    assert "Passed" in output
    log = _git("log", "--oneline", cwd=repo)
    assert log.stdout.count("\n") == 1
