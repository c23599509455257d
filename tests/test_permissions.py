"""Permissions for real: the installed executable run without root's overrides.

A test suite run as root cannot see a "permission denied": root reads and writes
everything. Here the executable runs under `setpriv` with CAP_DAC_OVERRIDE,
CAP_DAC_READ_SEARCH and CAP_FOWNER dropped from its bounding set (still uid 0, so the
files the test made stay its own, but mode bits now bind it); as an ordinary user it
runs as itself. Without either, the tests are skipped. docs/robustness.md lists them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_hostile import CITEKIT, TIMEOUT, Run, _env, assert_one_error

DRAFT = "Theo Quy định số 145-QĐ/TW ngày 15/6/2024.\n"
VALID = """\
documents:
  - number: 148-QĐ/TW
    kind: Quy định
    date: 2024-05-23
    issuer: Ban Chấp hành Trung ương
    title: về thẩm quyền trong công tác cán bộ
"""
_DROP = "-dac_override,-dac_read_search,-fowner"


def _prefix() -> list[str] | None:
    """The command that runs the executable without root's overrides, or None."""
    if os.name != "posix":
        return None
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, f"--bounding-set={_DROP}", f"--inh-caps={_DROP}", "--"]
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    return prefix if probe.returncode == 0 else None


PREFIX = _prefix()
pytestmark = pytest.mark.skipif(
    PREFIX is None, reason="root without setpriv (or not allowed to drop capabilities)"
)


def unprivileged(*args: str, cwd: Path, **env: str) -> Run:
    assert PREFIX is not None
    done = subprocess.run(
        [*PREFIX, CITEKIT, *args],
        cwd=cwd,
        env=_env(**{"CITEKIT_CACHE_DIR": str(cwd / ".cache"), **env}),
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(done.returncode, done.stdout.decode(), done.stderr.decode("utf-8", "replace"))


@pytest.fixture
def locked(here: Path) -> Iterator[Path]:
    """`here`, where the test sets modes; every mode is opened again at the end so
    pytest can remove the files."""
    yield here
    for folder, folders, files in os.walk(here):
        for name in folders + files:
            path = Path(folder, name)
            if not path.is_symlink():
                path.chmod(0o755)


def test_an_unreadable_draft(locked: Path) -> None:
    (locked / "secret.md").write_text(DRAFT, encoding="utf-8")
    (locked / "d.md").write_text(DRAFT, encoding="utf-8")
    (locked / "secret.md").chmod(0)
    run = unprivileged("check", "secret.md", "d.md", cwd=locked)
    assert_one_error(run, "secret.md: cannot read: Permission denied")
    assert run.out.endswith("(1 file, 1 citation; 1 file could not be read).\n")


def test_an_unreadable_word_file(locked: Path) -> None:
    (locked / "secret.docx").write_bytes(b"PK\x03\x04")
    (locked / "secret.docx").chmod(0)
    run = unprivileged("check", "secret.docx", cwd=locked)
    assert_one_error(run, "secret.docx: cannot read: Permission denied")


def test_an_unreadable_catalogue(locked: Path) -> None:
    (locked / "secret.yaml").write_text(VALID, encoding="utf-8")
    (locked / "secret.yaml").chmod(0)
    for args in (["list", "--catalogue", "secret.yaml"], ["catalogue", "check", "secret.yaml"]):
        run = unprivileged(*args, cwd=locked)
        assert run.code == 2
        assert run.err.strip().endswith("secret.yaml: cannot read: Permission denied")


@pytest.mark.parametrize("git", [False, True], ids=["plain", "git"])
def test_an_unreadable_subfolder_in_a_walk_is_reported(locked: Path, git: bool) -> None:
    """D7: the folder was skipped silently, and the run said "All citations verified"."""
    if git:
        if shutil.which("git") is None:
            pytest.skip("needs git")
        subprocess.run(["git", "init", "-q", str(locked)], check=True)
    for name in ("w/a.md", "w/locked/b.md", "w/z/c.md"):
        (locked / name).parent.mkdir(parents=True, exist_ok=True)
        (locked / name).write_text(DRAFT, encoding="utf-8")
    (locked / "w" / "locked").chmod(0)
    run = unprivileged("check", "w", cwd=locked)
    assert_one_error(run, f"{Path('w', 'locked')}: cannot read: Permission denied")
    assert run.out.endswith("(2 files, 2 citations; 1 file could not be read).\n")


def test_a_folder_that_cannot_be_searched(locked: Path) -> None:
    """Readable (its names listed) but not searchable: each draft says why."""
    (locked / "w").mkdir()
    (locked / "w" / "a.md").write_text(DRAFT, encoding="utf-8")
    (locked / "w").chmod(0o444)
    run = unprivileged("check", "w", cwd=locked)
    assert_one_error(run, f"{Path('w', 'a.md')}: cannot read: Permission denied")


def test_fix_of_a_read_only_file(locked: Path) -> None:
    (locked / "d.md").write_text("Kết luận 9-KL/BTCTW\n", encoding="utf-8")
    (locked / "d.md").chmod(0o444)
    run = unprivileged("check", "--fix", "d.md", cwd=locked)
    assert_one_error(run, "d.md: not writable (mode 444); nothing written")
    assert (locked / "d.md").read_text(encoding="utf-8") == "Kết luận 9-KL/BTCTW\n"


def test_fix_in_a_read_only_folder(locked: Path) -> None:
    (locked / "w").mkdir()
    (locked / "w" / "d.md").write_text("Kết luận 9-KL/BTCTW\n", encoding="utf-8")
    (locked / "w").chmod(0o555)
    run = unprivileged("check", "--fix", "w/d.md", cwd=locked)
    assert_one_error(run, "w/d.md: cannot write: Permission denied")
    assert os.listdir(locked / "w") == ["d.md"]


def test_an_unwritable_cache_folder_is_passed_by(locked: Path) -> None:
    (locked / "d.md").write_text(DRAFT, encoding="utf-8")
    (locked / "cache").mkdir()
    (locked / "cache").chmod(0o555)
    run = unprivileged("check", "d.md", cwd=locked, CITEKIT_CACHE_DIR=str(locked / "cache"))
    assert (run.code != 2, run.err) == (True, "")
    assert os.listdir(locked / "cache") == []


def test_an_unreadable_configuration(locked: Path) -> None:
    (locked / "d.md").write_text(DRAFT, encoding="utf-8")
    (locked / ".citekit.yaml").write_text("ignore: []\n", encoding="utf-8")
    (locked / ".citekit.yaml").chmod(0)
    run = unprivileged("check", "d.md", cwd=locked)
    assert run.code == 2
    assert run.err.endswith(".citekit.yaml: cannot read: Permission denied\n")
    assert run.err.count("\n") == 1
