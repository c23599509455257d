"""Find the drafts under the paths a user names: git's walk inside a work tree.

Inside a git work tree git itself says which files there are (`git ls-files -co
--exclude-standard`): tracked files, and untracked ones that no .gitignore, no
`.git/info/exclude` and no `core.excludesFile` excludes, with every negation (`!keep.md`)
as git reads it. Outside a work tree, or without git, the .gitignore files under the
walked folder are read here, as far as `pathspec` follows git's rules.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.drafts import DRAFT_SUFFIXES, LOCK_PREFIX

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec


def expand(paths: Sequence[Path]) -> Iterator[Path]:
    """Files named, and draft files under directories named, in order."""
    for path in paths:
        if str(path) != "-" and path.is_dir():
            yield from walk(path)
        else:
            yield path


def walk(root: Path) -> Iterator[Path]:
    """Draft files under `root`, folder by folder: a folder's files (sorted), then its
    subfolders (sorted). Git decides what is ignored in a work tree; see the module."""
    listed = _git_files(root)
    if listed is None:
        yield from _walk_tree(root)
        return
    for relative in sorted(listed, key=_walk_order):
        path = root.joinpath(*relative)
        name = relative[-1]
        if (
            not name.startswith(LOCK_PREFIX)
            and path.suffix.lower() in DRAFT_SUFFIXES
            and path.is_file()  # git lists a tracked file deleted from the work tree
        ):
            yield path


def _walk_order(parts: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """A key sorting paths as the folder-by-folder walk yields them."""
    return (*((1, folder) for folder in parts[:-1]), (0, parts[-1]))


def _git_files(root: Path) -> list[tuple[str, ...]] | None:
    """The files git lists under `root`, as path parts relative to it; None when `root`
    is not in a work tree or git is not at hand."""
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
        )
    except OSError:  # no git, or `root` vanished
        return None
    if run.returncode != 0:
        return None
    names = {os.fsdecode(name) for name in run.stdout.split(b"\0") if name}
    return [tuple(name.split("/")) for name in names]


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

    for directory, dirnames, filenames in os.walk(root):
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
                yield path


def _ignore_spec(directory: Path) -> GitIgnoreSpec | None:
    gitignore = directory / ".gitignore"
    if not gitignore.is_file():
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
    if (top / ".git").exists():
        return []
    specs = []
    for folder in top.parents:
        spec = _ignore_spec(folder)
        if spec is not None:
            specs.append((folder, spec))
        if (folder / ".git").exists():
            return specs
    return []
