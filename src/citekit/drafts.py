"""Read drafts: find the files, and decode them faithfully.

A text `Draft` keeps the text exactly as written (encoding, BOM, line endings, NFC or
NFD) so `--fix` can write it back byte for byte; its `Unit` (see `citekit.units`) keeps an
NFC copy for the scanner and maps offsets back to lines. A large text file is read and
decoded a block at a time, into a unit per piece (`citekit.units.text_units`), so that
its bytes and its whole text are never held together.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from citekit.errors import InputError
from citekit.opening import NotAFile, kind_of, open_file
from citekit.units import Passing, Unit, text_pieces, text_units

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

    A text draft is one `Unit` (a piece of it each, when it is long) and keeps its
    encoding and BOM, so that `--fix` can write it back byte for byte; a Word draft has a
    unit per paragraph.
    """

    path: str
    units: Sequence[Unit]
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
        return cls(path, tuple(text_units([raw])), Format.TEXT, encoding, bom, stamp)

    @property
    def raw(self) -> str:
        """The draft as written, a line to each draft line (a Word paragraph is one).

        For a text draft, its text exactly as written.
        """
        if self.format is Format.TEXT:
            return "".join(unit.raw for unit in self.units)
        return "\n".join(unit.as_lines() for unit in self.units)

    def with_units(self, fixed: dict[int, str]) -> str:
        """A text draft's text with the units in `fixed` (by index) replaced."""
        return "".join(fixed.get(index, unit.raw) for index, unit in enumerate(self.units))

    def encode(self, raw: str) -> bytes:
        """`raw` encoded as this draft was: same encoding, same BOM.

        A legacy Vietnamese encoding (TCVN3, VNI, VISCII, Windows-1258) is written back
        with its own table; a draft its table cannot give back byte for byte (see
        `decode_legacy`) is refused, since the rest of it would change.
        """
        from citekit import legacy  # its tables load only for a draft that needs them

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
    from citekit import legacy

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
        from citekit import legacy

        detected = legacy.detect(data)
        if detected is not None:
            return decode_legacy(data, name, detected, stamp)
        raise _not_utf_8(data, exc.start, name) from None


def _not_utf_8(data: bytes, at: int, name: str, lines_before: int = 0) -> InputError:
    """The error for `data[at]`, a byte UTF-8 refuses (`data` starting on line
    `lines_before` + 1 of the file)."""
    line = lines_before + data.count(b"\n", 0, at) + 1
    return InputError(
        f"{name}:{line}: not UTF-8 (byte 0x{data[at]:02x}); a legacy Vietnamese "
        "encoding? Name it with --encoding tcvn3|vni|viscii|cp1258, or convert the file to UTF-8"
    )


MAX_DRAFT_BYTES = 256 * 1024 * 1024
"""Longest draft read: far above any report (a 100 MB draft checks in seconds), and a
stream that never ends (/dev/zero, a pipe) stops here instead of filling memory."""


def _too_long(name: str) -> InputError:
    limit = MAX_DRAFT_BYTES // (1024 * 1024)
    return InputError(
        f"{name}: more than {MAX_DRAFT_BYTES:,} bytes; drafts are limited to {limit} MiB"
    )


def _bounded(handle: BinaryIO, name: str) -> bytes:
    data = handle.read(MAX_DRAFT_BYTES + 1)
    if len(data) > MAX_DRAFT_BYTES:
        raise _too_long(name)
    return data


BLOCK = 1024 * 1024
"""A text file longer than this is read and decoded a block at a time (`_blocks`)."""


def _decoded(handle: BinaryIO, name: str, codec: str, first: str, read: int) -> Iterator[str]:
    """The text of a file decoded a block at a time, after its `first` text decoded from
    its first `read` bytes; a byte that does not decode is an `InputError` naming its line.
    The file is closed when the text ends (or the iteration is dropped)."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines = first.count("\n")
    with handle:
        yield first
        while block := handle.read(BLOCK):
            if read + len(block) > MAX_DRAFT_BYTES:
                raise _too_long(name)
            held = decoder.getstate()[0]  # the bytes of a character cut by the last block
            try:
                text = decoder.decode(block)
            except UnicodeDecodeError as exc:
                data, offset = held + block, read - len(held)
                raise _undecodable(name, codec, data, exc.start, offset, lines) from None
            read += len(block)
            lines += text.count("\n")
            yield text
        held = decoder.getstate()[0]
        try:
            yield decoder.decode(b"", final=True)
        except UnicodeDecodeError:  # the file ends within a character
            raise _undecodable(name, codec, held, 0, read - len(held), lines) from None


def _undecodable(
    name: str, codec: str, data: bytes, at: int, offset: int, lines: int
) -> InputError:
    """The error for `data[at]`, which `codec` refuses; `data` starts at byte `offset` of
    the file, after `lines` line breaks."""
    if codec == "utf-8":
        return _not_utf_8(data, at, name, lines)
    return InputError(f"{name}: invalid {codec} at byte {offset + at}")


def _blocks(handle: BinaryIO, head: bytes, name: str, stamp: Stamp, once: bool) -> Draft | None:
    """A long Unicode text file, read on from its first block `head`: its units all read
    now, or, `once`, read as they are iterated (`Passing`), the file then left open till
    its end. None if the first block is not UTF-8, UTF-16 or UTF-32 (the caller reads
    the file whole, to recognise a legacy encoding or say where it is wrong)."""
    bom, codec = next(((b, c) for b, c in _BOMS if head.startswith(b)), (b"", "utf-8"))
    if not bom and b"\0" in head[:BINARY_SNIFF]:
        raise BinaryFile(f"{name}: binary file, skipped")
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        first = decoder.decode(head[len(bom) :])
    except UnicodeDecodeError:
        return None
    cut = len(head) - len(decoder.getstate()[0])  # a character the block cut comes again
    handle.seek(cut)
    pieces = text_pieces(_decoded(handle, name, codec, first, cut))
    units = Passing(pieces) if once else tuple(Unit.lines(*piece) for piece in pieces)
    return Draft(name, units, Format.TEXT, codec, bom, stamp)


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


def read_draft(path: Path, encoding: str | None = None, *, once: bool = False) -> Draft:
    """Read one draft: a Word file by its suffix, else text, decoded; `-` reads stdin.

    A FIFO, a socket or a block device is refused, never opened for long (see
    `citekit.opening`); one a walk met (`SpecialFile`) is a `BinaryFile` note. With
    `once`, a long text file's units are read as they are iterated, once (`Passing`):
    what a single pass over the draft needs, in the memory of a piece of it; a byte
    that does not decode is then an `InputError` raised by the iteration.
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
        with contextlib.ExitStack() as closing:
            closing.enter_context(handle)
            if not stat.S_ISREG(info.st_mode):  # /dev/stdin, /dev/zero: read whole, bounded
                return decode(_bounded(handle, name), name, None, encoding)
            head = handle.read(BLOCK)
            if len(head) == BLOCK and encoding is None:
                draft = _blocks(handle, head, name, stamp(info), once)
                if draft is not None:
                    if once:
                        closing.pop_all()  # the units close the file when they end
                    return draft
                handle.seek(0)
                head = b""
            data = head + _bounded(handle, name)
    except OSError as exc:
        raise refused(name, exc) from None
    if len(data) > MAX_DRAFT_BYTES:
        raise _too_long(name)
    return decode(data, name, stamp(info), encoding)
