"""Find the drafts under the paths a user names: git's walk inside a work tree.

Inside a git work tree git itself says which files there are (`git ls-files -co
--exclude-standard`): tracked files, and untracked ones that no .gitignore, no
`.git/info/exclude` and no `core.excludesFile` excludes, with every negation (`!keep.md`)
as git reads it. Outside a work tree, or without git, the .gitignore files under the
walked folder are read here, as far as `pathspec` follows git's rules.

A walk never hides what it could not read: a folder it cannot list is yielded itself,
and reading it as a draft says why (`w/locked: cannot read: Permission denied`). A FIFO,
socket or device is yielded as a `SpecialFile`, which the reader skips with a note
without opening it.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.drafts import DRAFT_SUFFIXES, LOCK_PREFIX, SpecialFile

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


Keep = Callable[[str], bool]
"""Whether a walk keeps a draft, asked of its path under the walked folder ("a/b.md")."""


def expand(paths: Sequence[Path], keeping: Callable[[Path], Keep] | None = None) -> Iterator[Path]:
    """Files named, and draft files under directories named, in order.

    `keeping`, given a folder about to be walked, says which of its drafts to keep
    (`--changed-only`: those git's diff adds lines to); a file named is always kept.
    """
    for path in paths:
        if str(path) != "-" and path.is_dir():
            yield from walk(path, keeping(path) if keeping is not None else None)
        else:
            yield path


def walk(root: Path, keep: Keep | None = None) -> Iterator[Path]:
    """Draft files under `root`, folder by folder: a folder's files (sorted), then its
    subfolders (sorted). Git decides what is ignored in a work tree; see the module.
    `keep` filters the drafts by their path under `root`, before anything else is
    asked of them."""
    listed = _git_files(root)
    if listed is None:
        for found in _walk_tree(root):
            if keep is None or keep(found.relative_to(root).as_posix()):
                yield found
        return
    files, unreadable = listed
    # A tracked file in a folder git could not list is that folder's error, not its own.
    files = [f for f in files if not any(f[: len(u)] == u for u in unreadable)]
    top = str(root)
    for relative in sorted(files + unreadable, key=_walk_order):
        if relative in unreadable:
            yield root.joinpath(*relative)
            continue
        name = relative[-1]
        if name.startswith(LOCK_PREFIX) or os.path.splitext(name)[1].lower() not in DRAFT_SUFFIXES:
            continue
        if keep is not None and not keep("/".join(relative)):
            continue
        path = os.path.join(top, *relative)  # os.path, not pathlib, until a draft is kept
        try:
            mode = os.stat(path).st_mode
        except PermissionError:  # in a folder this user cannot search: say so
            yield Path(path)
            continue
        except OSError:  # git lists a tracked file deleted from the work tree
            continue
        if stat.S_ISREG(mode):
            yield Path(path)
        elif not stat.S_ISDIR(mode):
            yield SpecialFile(path)


_UNREADABLE = re.compile(rb"^warning: could not open directory '(.+?)/?': ", re.MULTILINE)
"""git's warning for a folder it cannot list (its messages read in the C locale)."""


def _walk_order(parts: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """A key sorting paths as the folder-by-folder walk yields them."""
    return (*((1, folder) for folder in parts[:-1]), (0, parts[-1]))


def _git_files(root: Path) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]] | None:
    """The files git lists under `root`, and the folders it could not list, as path
    parts relative to it; None when `root` is not in a work tree or git is not at hand."""
    try:
        run = subprocess.run(
            [
                "git",
                "--literal-pathspecs",
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
                "--",
                ".",
            ],
            cwd=root,
            capture_output=True,
            check=False,
            env={**os.environ, "LC_ALL": "C", "LANGUAGE": "C"},
        )
    except OSError:  # no git, or `root` vanished or cannot be entered
        return None
    if run.returncode != 0:
        return None
    names = {os.fsdecode(name) for name in run.stdout.split(b"\0") if name}
    folders = _git_unreadable(root, _UNREADABLE.findall(run.stderr))
    return [tuple(n.split("/")) for n in names], folders


def _git_unreadable(root: Path, warned: list[bytes]) -> list[tuple[str, ...]]:
    """The folders git warned it could not open (named from the work tree's top), as
    path parts relative to `root`."""
    if not warned:
        return []
    top = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, check=False
    )
    base = Path(os.fsdecode(top.stdout.rstrip(b"\n")))
    out = []
    for name in warned:
        try:
            relative = (base / os.fsdecode(name)).relative_to(root.resolve())
        except ValueError:
            continue
        out.append(relative.parts)
    return out


def _walk_tree(root: Path) -> Iterator[Path]:
    """The walk outside a work tree: .gitignore files read with `pathspec`.

    The .gitignore files of the folders above `root`, up to the git work tree's root,
    count too (a work tree git could not list, say one it refuses as unsafe).
    """
    top = root.resolve()
    # Bases are absolute; a walked path is placed under `top` by its place under `root`.
    specs = _ancestor_specs(top)

    def ignored(path: Path, is_dir: bool) -> bool:
        absolute = top / path.relative_to(root)
        for base, spec in specs:
            try:
                relative = absolute.relative_to(base).as_posix()
            except ValueError:
                continue
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False

    unreadable: list[OSError] = []
    for directory, dirnames, filenames in os.walk(root, onerror=unreadable.append):
        while unreadable:  # os.walk reports a folder it cannot list, then goes on
            error = unreadable.pop(0)
            if error.filename is not None:
                yield Path(error.filename)
        here = Path(directory)
        spec = _ignore_spec(here)
        if spec is not None:
            specs.append((top / here.relative_to(root), spec))
        dirnames[:] = sorted(
            d for d in dirnames if d != ".git" and not ignored(here / d, is_dir=True)
        )
        for filename in sorted(filenames):
            path = here / filename
            if filename.startswith(LOCK_PREFIX) or path.suffix.lower() not in DRAFT_SUFFIXES:
                continue
            if not ignored(path, is_dir=False):
                yield path if _regular(path) else SpecialFile(path)
    for error in unreadable:  # the last folder's, or `root` itself
        if error.filename is not None:
            yield Path(error.filename)


def _regular(path: Path) -> bool:
    """Whether `path` is a regular file (or cannot be stat'ed: reading it says why)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return True


def _ignore_spec(directory: Path) -> GitIgnoreSpec | None:
    gitignore = directory / ".gitignore"
    if not os.path.isfile(gitignore):  # never raises, even in a folder we cannot search
        return None
    from pathspec import GitIgnoreSpec

    try:
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return GitIgnoreSpec.from_lines(lines)


def _ancestor_specs(top: Path) -> list[tuple[Path, GitIgnoreSpec]]:
    """The .gitignore files above `top` (absolute) up to its git work tree's root.

    Outside a work tree, none: a .gitignore means something only inside one.
    """
    if os.path.exists(top / ".git"):
        return []
    specs = []
    for folder in top.parents:
        spec = _ignore_spec(folder)
        if spec is not None:
            specs.append((folder, spec))
        if os.path.exists(folder / ".git"):
            return specs
    return []
