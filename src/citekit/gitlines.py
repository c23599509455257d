"""Lines a git diff adds, for `check --changed-only`.

git runs a few times per repository, not per file: the diff of the whole work tree
against the base is read once and split by file. A file git does not track is new:
every line of it counts.
"""

from __future__ import annotations

import codecs
import os
import re
import subprocess
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from citekit.errors import UsageError

# A unified diff hunk header; the added side: "@@ -10,2 +12,3 @@" -> start 12, count 3.
HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@", re.MULTILINE)
# The new side's file name: "+++ b/docs/a.md", or C-quoted: '+++ "b/docs/t\\303\\241.md"';
# git ends a name holding a space with a tab.
NEW_FILE = re.compile(
    r'^\+\+\+ (?:b/(?P<plain>.*?)|"b/(?P<quoted>(?:[^"\\]|\\.)*)"|/dev/null)\t?$', re.M
)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            # Literal: a file named `report[1].md` is that file, not a glob matching
            # `report1.md`.
            ["git", "--literal-pathspecs", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise UsageError("--changed-only needs git, and git is not installed") from None


@lru_cache(maxsize=64)
def _toplevel(folder: Path) -> Path | None:
    done = _git(["rev-parse", "--show-toplevel"], folder)
    return Path(done.stdout.strip()) if done.returncode == 0 else None


def _unquote(quoted: str) -> str:
    """A C-quoted git path, decoded: octal escapes are UTF-8 bytes."""
    raw = codecs.escape_decode(quoted.encode("utf-8", "surrogateescape"))[0]
    return raw.decode("utf-8", "surrogateescape")


@lru_cache(maxsize=16)
def _added(top: Path, base: str | None) -> tuple[frozenset[str], dict[str, frozenset[int]]] | None:
    """For the repository at `top`: the tracked files, and the lines the diff against
    `base` adds to each changed one. None when there is no commit to diff against."""
    rev = base or "HEAD"
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top).returncode != 0:
        if base:
            raise UsageError(f"--base {base}: no such revision")
        return None
    tracked = _git(["ls-files", "-z"], top)
    diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", rev], top)
    if diff.returncode != 0 or tracked.returncode != 0:
        raise UsageError(f"{top}: git diff failed: {(diff.stderr or tracked.stderr).strip()}")
    added: dict[str, set[int]] = {}
    names = list(NEW_FILE.finditer(diff.stdout))
    for index, header in enumerate(names):
        name = header["plain"] if header["plain"] is not None else header["quoted"]
        if name is None:
            continue  # a deleted file
        if header["quoted"] is not None:
            name = _unquote(name)
        end = names[index + 1].start() if index + 1 < len(names) else len(diff.stdout)
        lines = added.setdefault(name, set())
        for match in HUNK.finditer(diff.stdout, header.end(), end):
            start = int(match["start"])
            count = int(match["count"]) if match["count"] is not None else 1
            lines.update(range(start, start + count))
    files = frozenset(name for name in tracked.stdout.split("\0") if name)
    return files, {name: frozenset(lines) for name, lines in added.items()}


@lru_cache(maxsize=4096)
def _place(folder: str) -> tuple[Path, str] | None:
    """The repository holding `folder` (its links resolved), and the folder's path in
    it ("" at the top); None outside a repository. Asked once per folder: a walk meets
    hundreds of files in each. The file itself is not resolved: git tracks a link as
    the link."""
    resolved = Path(folder).resolve()
    # Where git would start: the nearest folder up holding .git (one git call per
    # repository rather than per folder); git itself decides when none does.
    start = next((d for d in (resolved, *resolved.parents) if (d / ".git").exists()), resolved)
    top = _toplevel(start)
    if top is None:
        return None
    inside = resolved.relative_to(top).as_posix()
    return top, "" if inside == "." else inside


def added_lines(path: Path, base: str | None) -> frozenset[int] | None:
    """1-based lines of `path` that the diff against `base` (default HEAD) adds.

    None means every line counts: the file is new to git, or the repository has no
    commit yet. An unchanged file has none.
    """
    # os.path, not pathlib: a walk asks this of every file it meets.
    absolute = os.path.abspath(path)
    place = _place(os.path.dirname(absolute))
    if place is None:
        raise UsageError(f"{path}: --changed-only needs a git repository")
    top, folder = place
    base_name = os.path.basename(absolute)
    found = _added(top, base)
    if found is None:
        return None
    tracked, added = found
    name = f"{folder}/{base_name}" if folder else base_name
    if name not in tracked:
        return None
    return added.get(name, frozenset())


def adds_under(folder: Path, base: str | None) -> Callable[[str], bool]:
    """A test of a path under `folder` ("a/b.md", as a walk of it lists it): whether
    the diff against `base` may add lines to it (`added_lines` is not empty). A walk
    asks it of every file before looking at the file at all."""
    place = _place(os.path.abspath(folder))
    if place is None:
        raise UsageError(f"{folder}: --changed-only needs a git repository")
    top, inside = place
    found = _added(top, base)
    if found is None:  # no commit yet: every line of every file counts
        return lambda name: True
    tracked, added = found
    prefix = f"{inside}/" if inside else ""

    def adds(name: str) -> bool:
        name = prefix + name
        return name not in tracked or bool(added.get(name))

    return adds


def forget() -> None:
    """Drop what git said: a new run asks again (the work tree may have changed)."""
    _toplevel.cache_clear()
    _place.cache_clear()
    _added.cache_clear()
