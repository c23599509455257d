"""Open a file to read it whole, never blocking on it: what drafts, Word files, catalogues
and the cache all read through.

Opening a FIFO for reading waits for a writer, forever if none comes. A file is
therefore opened with O_NONBLOCK, checked with fstat, and only then read (blocking
again): a regular file or a character device (/dev/stdin on a terminal, /dev/zero,
which the readers bound) is read; a named pipe, a socket or a block device is refused
with `NotAFile`, unless it is this process's own stdin (/dev/stdin, /dev/fd/0).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class NotAFile(OSError):
    """What was opened is a FIFO, a socket or a block device; `kind` says which."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"is {kind}, not a file", str(path))
        self.kind = kind


def kind_of(mode: int) -> str | None:
    """What a file that is not to be read is ("a named pipe (FIFO)"), or None."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a block device"
    return None


def _is_stdin(info: os.stat_result) -> bool:
    try:
        own = os.fstat(0)
    except OSError:
        return False
    return (own.st_dev, own.st_ino) == (info.st_dev, info.st_ino)


def open_file(path: Path) -> tuple[BinaryIO, os.stat_result]:
    """`path` opened for reading in binary, and its fstat.

    Raises `IsADirectoryError` for a folder, `NotAFile` for a FIFO, socket or block
    device, and any other `OSError` as `open` does.
    """
    fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        kind = kind_of(info.st_mode)
        if kind is not None and not _is_stdin(info):
            raise NotAFile(path, kind)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return open(fd, "rb"), info
    except BaseException:
        os.close(fd)
        raise
