"""Lines a git diff adds, for `check --changed-only`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from citekit import regexes
from citekit.errors import UsageError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            # Literal: a file named `report[1].md` is that file, not a glob matching
            # `report1.md`.
            ["git", "--literal-pathspecs", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("--changed-only needs git, and git is not installed") from None


def added_lines(path: Path, base: str | None) -> set[int] | None:
    """1-based lines of `path` that the diff against `base` (default HEAD) adds.

    None means every line counts: the file is new to git, or the repository has no
    commit yet.
    """
    folder = path.resolve().parent
    name = path.resolve().name
    if _git(["rev-parse", "--git-dir"], folder).returncode != 0:
        raise UsageError(f"{path}: --changed-only needs a git repository")
    if _git(["ls-files", "--error-unmatch", "--", name], folder).returncode != 0:
        return None
    rev = base or "HEAD"
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], folder).returncode != 0:
        if base:
            raise UsageError(f"--base {base}: no such revision")
        return None
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", rev, "--", name], folder)
    if diff.returncode != 0:
        raise UsageError(f"{path}: git diff failed: {diff.stderr.strip()}")
    lines: set[int] = set()
    for match in regexes.HUNK.finditer(diff.stdout):
        start = int(match["start"])
        count = int(match["count"]) if match["count"] is not None else 1
        lines.update(range(start, start + count))
    return lines
