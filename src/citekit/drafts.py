"""Read drafts: find the files, and decode them faithfully.

A text `Draft` keeps the text exactly as written (encoding, BOM, line endings, NFC or
NFD) so `--fix` can write it back byte for byte; its `Unit` (see `citekit.units`) keeps an
NFC copy for the scanner and maps offsets back to lines.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from citekit import legacy
from citekit.errors import InputError
from citekit.opening import NotAFile, kind_of, open_file
from citekit.units import Unit

DRAFT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".docx", ".doc"})
"""What a directory walk picks up. A file named on the command line is read whatever it is."""
WORD_SUFFIXES = frozenset({".docx", ".doc"})
"""Read as Word files (a .doc converted by LibreOffice first); the rest as text."""
LOCK_PREFIX = "~$"
"""Word's lock file beside an open document ("~$aft.docx"): a walk skips it."""
BINARY_SNIFF = 8000
"""Like git: a NUL byte in the first 8000 bytes makes a file binary."""

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFile(InputError):
    """A file with NUL bytes: skipped with a note, as git does (so is a FIFO in a walk)."""


if TYPE_CHECKING:
    _ConcretePath = Path
else:
    _ConcretePath = type(Path())


class SpecialFile(_ConcretePath):
    """A path a walk met that is not a regular file (a FIFO, a socket, a device):
    `read_draft` skips it with a note and never opens it. Named on the command line,
    the same file is refused with an error."""


Stamp = tuple[int, int, int, int, int]
"""What identifies a file's state: device, inode, size, mtime and ctime in ns."""


def stamp(info: os.stat_result) -> Stamp:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class Format(str, Enum):
    """What a draft was read from: it decides how the draft can be diffed and rewritten."""

    TEXT = "text"  # one unit, its lines the file's lines; git diffs it, `--fix` rewrites it
    WORD = "word"  # a unit per paragraph, each one line of the draft


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft: its units in reading order, and how its bytes were encoded.

    A text draft is one `Unit` and keeps its encoding and BOM, so that `--fix` can write
    it back byte for byte; a Word draft has a unit per paragraph.
    """

    path: str
    units: tuple[Unit, ...]
    format: Format = Format.TEXT
    encoding: str = "utf-8"
    bom: bytes = b""
    stamp: Stamp | None = field(default=None, compare=False, repr=False)
    """The file's state when it was read (None for stdin): `--fix` writes only if
    the file is still in that state."""
    rewritable: bool = True
    """Whether encoding the text gives the file's bytes back (legacy encodings may not)."""

    @classmethod
    def from_text(
        cls,
        path: str,
        raw: str,
        encoding: str = "utf-8",
        bom: bytes = b"",
        stamp: Stamp | None = None,
    ) -> Draft:
        return cls(path, (Unit.lines(raw),), Format.TEXT, encoding, bom, stamp)

    @property
    def raw(self) -> str:
        """The draft as written, a line to each draft line (a Word paragraph is one).

        For a text draft, its text exactly as written.
        """
        return "\n".join(unit.as_lines() for unit in self.units)

    def encode(self, raw: str) -> bytes:
        """`raw` encoded as this draft was: same encoding, same BOM.

        A legacy Vietnamese encoding (TCVN3, VNI, VISCII, Windows-1258) is written back
        with its own table; a draft its table cannot give back byte for byte (see
        `decode_legacy`) is refused, since the rest of it would change.
        """
        if self.encoding in legacy.ENCODINGS:
            if not self.rewritable:
                raise InputError(
                    f"{self.path}: cannot rewrite {self.encoding} text byte for byte; "
                    "fix it by hand or convert the file to UTF-8"
                )
            return self.bom + legacy.encode(raw, self.encoding)
        return self.bom + raw.encode(self.encoding)


def decode_legacy(data: bytes, name: str, encoding: str, stamp: Stamp | None = None) -> Draft:
    """A draft typed in a legacy Vietnamese encoding, decoded to (NFC) Unicode."""
    text = legacy.decode(data, encoding)
    canonical = legacy.canonical(encoding)
    try:
        rewritable = legacy.encode(text, canonical) == data
    except InputError:
        rewritable = False
    draft = Draft.from_text(name, text, canonical, b"", stamp)
    return replace(draft, rewritable=rewritable)


def decode(
    data: bytes, name: str, stamp: Stamp | None = None, encoding: str | None = None
) -> Draft:
    """Decode a draft's bytes: UTF-8 (BOM or not), or UTF-16 or UTF-32 with a BOM; or
    the legacy Vietnamese `encoding` named, or detected where that is unambiguous."""
    if encoding is not None:
        return decode_legacy(data, name, encoding, stamp)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                at = len(bom) + exc.start  # an offset in the file, BOM included
                if codec == "utf-8":
                    raise _not_utf_8(data, at, name) from None
                raise InputError(f"{name}: invalid {codec} at byte {at}") from None
            return Draft.from_text(name, text, codec, bom, stamp)
    if b"\0" in data[:BINARY_SNIFF]:
        raise BinaryFile(f"{name}: binary file, skipped")
    try:
        return Draft.from_text(name, data.decode("utf-8"), stamp=stamp)
    except UnicodeDecodeError as exc:
        detected = legacy.detect(data)
        if detected is not None:
            return decode_legacy(data, name, detected, stamp)
        raise _not_utf_8(data, exc.start, name) from None


def _not_utf_8(data: bytes, at: int, name: str) -> InputError:
    line = data.count(b"\n", 0, at) + 1
    return InputError(
        f"{name}:{line}: not UTF-8 (byte 0x{data[at]:02x}); a legacy Vietnamese "
        "encoding? Name it with --encoding tcvn3|vni|viscii|cp1258, or convert the file to UTF-8"
    )


MAX_DRAFT_BYTES = 256 * 1024 * 1024
"""Longest draft read: far above any report (a 100 MB draft checks in seconds), and a
stream that never ends (/dev/zero, a pipe) stops here instead of filling memory."""


def _bounded(handle: BinaryIO, name: str) -> bytes:
    data = handle.read(MAX_DRAFT_BYTES + 1)
    if len(data) > MAX_DRAFT_BYTES:
        limit = MAX_DRAFT_BYTES // (1024 * 1024)
        raise InputError(
            f"{name}: more than {MAX_DRAFT_BYTES:,} bytes; drafts are limited to {limit} MiB"
        )
    return data


_ZIP_MAGIC = b"PK\x03\x04"


def _read_stdin() -> Draft:
    """The draft on stdin: text, or a Word file (known by its zip magic)."""
    import sys

    name = "<stdin>"
    if sys.stdin is None:  # Python's stdin when file descriptor 0 was closed
        raise InputError(f"{name}: cannot read: standard input is closed")
    try:
        data = _bounded(sys.stdin.buffer, name)
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if data.startswith(_ZIP_MAGIC):
        import io

        from citekit.wordfiles import read_word_stream

        return read_word_stream(io.BytesIO(data), name)
    return decode(data, name)


def refused(name: str, exc: OSError) -> InputError:
    """The error for a draft that cannot be opened (`exc` from `open_file`)."""
    if isinstance(exc, IsADirectoryError):
        try:  # a folder a walk could not list comes here: say why it could not
            with os.scandir(name):
                pass
        except OSError as inner:
            return InputError(f"{name}: cannot read: {inner.strerror}")
        return InputError(f"{name}: is a directory")
    if isinstance(exc, NotAFile):
        return InputError(
            f"{name}: is {exc.kind}, not a file; refused (pipe it in: citekit check - < {name})"
        )
    if isinstance(exc, FileNotFoundError):
        return InputError(f"{name}: no such file")
    return InputError(f"{name}: cannot read: {exc.strerror}")


def read_draft(path: Path, encoding: str | None = None) -> Draft:
    """Read one draft: a Word file by its suffix, else text, decoded; `-` reads stdin.

    A FIFO, a socket or a block device is refused, never opened for long (see
    `citekit.opening`); one a walk met (`SpecialFile`) is a `BinaryFile` note.
    """
    name = str(path)
    if isinstance(path, SpecialFile):
        try:
            kind = kind_of(os.stat(path).st_mode) or "not a regular file"
        except OSError:
            kind = "not a regular file"
        raise BinaryFile(f"{name}: {kind}, skipped")
    if name == "-":
        return _read_stdin()
    if path.suffix.lower() in WORD_SUFFIXES:
        from citekit.wordfiles import read_word

        return read_word(path)
    try:
        handle, info = open_file(path)
        with handle:
            data = _bounded(handle, name)
    except OSError as exc:
        raise refused(name, exc) from None
    return decode(data, name, stamp(info) if stat.S_ISREG(info.st_mode) else None, encoding)
