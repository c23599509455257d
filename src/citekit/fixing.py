"""`--fix` and `--diff`: rewrite non-canonical numbers, and nothing else.

A fix edits only the spans of the numbers, in the text as written, then encodes it the
way it was read (encoding, BOM), so line endings, NFC/NFD and every other byte stay.
The write is atomic: a temporary file beside the original, flushed and fsynced, given
the original's owner, group, mode and extended attributes, then renamed over it, if
the original is still as it was read. A file with several hard links, or one that is
not writable, is refused rather than replaced.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from citekit.drafts import Stamp
from citekit.drafts import stamp as drafts_stamp
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
    fixed = fixed_units(report)
    return report.draft.with_units(fixed) if fixed else None


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


class _Refused(Exception):
    """Why a rewrite must not happen; the caller words it."""


def _check_target(target: Path, info: os.stat_result, stamp: Stamp | None) -> None:
    """Refuse a rewrite that would change the file's identity or lose an edit."""
    if stamp is not None and drafts_stamp(info) != stamp:
        raise _Refused("changed while citekit was fixing it")
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("not a regular file")
    if info.st_nlink > 1:
        # A new file renamed over one name would leave the other names on the old text.
        raise _Refused(f"has {info.st_nlink} hard links, which a rewrite would break")
    # os.access asks the kernel (ACLs included); root passes it for any file, so a
    # file nobody may write (mode 444) is refused by its mode too.
    if not os.access(target, os.W_OK) or not info.st_mode & 0o222:
        raise _Refused(f"not writable (mode {stat.S_IMODE(info.st_mode):03o})")


def _xattrs(path: Path) -> dict[str, bytes]:
    """The file's extended attributes (user.*, and ACLs as system.posix_acl_*)."""
    if not hasattr(os, "listxattr"):  # pragma: no cover - not Linux
        return {}
    try:
        names = os.listxattr(path)
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.ENOSYS):
            return {}
        raise
    return {name: os.getxattr(path, name) for name in names}


def _copy_identity(temp: Path, info: os.stat_result, xattrs: dict[str, bytes]) -> None:
    """Give `temp` the original's owner, group, mode and extended attributes.

    Owner first: chown clears set-user-ID bits, which chmod then restores.
    """
    if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()) and hasattr(os, "chown"):
        try:
            os.chown(temp, info.st_uid, info.st_gid)
        except PermissionError:
            raise _Refused("cannot keep its owner and group (not ours to give)") from None
    os.chmod(temp, stat.S_IMODE(info.st_mode))
    for name, value in xattrs.items():
        try:
            os.setxattr(temp, name, value)
        except OSError as exc:
            if name.startswith("security.") and exc.errno in (errno.EPERM, errno.ENOTSUP):
                continue  # a label the system gives a new file itself (SELinux)
            raise _Refused(f"cannot keep its extended attribute {name}: {exc.strerror}") from None


def write_atomic(
    path: Path,
    data: bytes,
    *,
    stamp: Stamp | None = None,
    written: list[str] | None = None,
) -> None:
    """Replace `path`'s content with `data` atomically, keeping the file's identity.

    A symbolic link is followed: its target is rewritten and the link stays a link.
    The new file gets the original's owner, group, mode and extended attributes (ACLs
    among them). Nothing is written, and an `InputError` says why, when the file has
    changed since it was read (`stamp`, from `Draft.stamp`; checked again just before
    the rename), has several hard links, or is not writable. `written` collects the
    files rewritten so far, and an error names them: they were changed all the same.
    """
    target = Path(os.path.realpath(path))
    done = f" ({', '.join(written)} already fixed)" if written else ""
    try:
        info = target.stat()
        _check_target(target, info, stamp)
        xattrs = _xattrs(target)
    except _Refused as exc:
        raise InputError(f"{path}: {exc}; nothing written{done}") from None
    except OSError as exc:  # gone, or not ours to read
        raise InputError(f"{path}: cannot write: {exc.strerror}{done}") from None
    # Named first, created inside the try: however the write ends, even by Ctrl-C the
    # instant the file comes into being, the except below removes it.
    temp = target.parent / f".{target.name}.{secrets.token_hex(6)}.citekit-tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _copy_identity(temp, info, xattrs)
        # The last look: an editor that saved while citekit checked wins. (What is
        # saved between this stat and the rename, a few microseconds, is still lost.)
        if stamp is not None and drafts_stamp(target.stat()) != stamp:
            raise _Refused("changed while citekit was fixing it")
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, _Refused):
            raise InputError(f"{path}: {exc}; nothing written{done}") from None
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write: {exc.strerror}{done}") from None
        raise
    if written is not None:
        written.append(str(path))
