"""`--fix` and `--diff`: rewrite non-canonical numbers, and nothing else.

A fix edits only the spans of the numbers, in the text as written, then encodes it the
way it was read (encoding, BOM), so line endings, NFC/NFD and every other byte stay.
The write is atomic: a temporary file beside the original, flushed and fsynced, given
the original's permissions, then renamed over it.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from citekit.errors import InputError
from citekit.findings import Edit, Report


def apply(raw: str, edits: Iterable[Edit]) -> str:
    """`raw` with the edits applied (they must not overlap)."""
    out = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        out.append(raw[position : edit.start])
        out.append(edit.text)
        position = edit.end
    out.append(raw[position:])
    return "".join(out)


def fixed_units(report: Report) -> dict[int, str]:
    """Each unit that a fix changes, by its index: its text as written, fixed."""
    edits: dict[int, set[Edit]] = {}
    for finding in report.findings:
        if finding.edit is not None:
            edits.setdefault(finding.edit.unit, set()).add(finding.edit)
    return {index: apply(report.draft.units[index].raw, e) for index, e in edits.items()}


def fixed_text(report: Report) -> str | None:
    """A text draft's text with every fixable finding fixed, or None if nothing changes."""
    return fixed_units(report).get(0)  # a text draft is one unit


def _lines(text: str) -> list[str]:
    """Lines as git and patch see them: split at "\n" only, each keeping its ending."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def unified_diff(report: Report, fixed: str) -> str:
    """A unified diff from the draft as written to `fixed`, in the form `patch` reads.

    A last line without a line ending is marked as git marks it, so that the removed
    and the added line do not run together.
    """
    path = report.draft.path
    out = []
    for line in difflib.unified_diff(
        _lines(report.draft.raw), _lines(fixed), fromfile=f"a/{path}", tofile=f"b/{path}"
    ):
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path`'s content with `data` atomically, keeping its permissions.

    A symbolic link is followed: its target is rewritten and the link stays a link.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError as exc:  # gone, or not ours to read
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    # Named first, created inside the try: however the write ends, even by Ctrl-C the
    # instant the file comes into being, the except below removes it.
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.citekit-tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror}") from None
        raise
