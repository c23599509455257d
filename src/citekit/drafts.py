"""Read drafts: find the files, decode them faithfully, and map offsets back to lines.

A `Draft` keeps the text exactly as written (encoding, BOM, line endings, NFC or NFD) so
`--fix` can write it back byte for byte, and an NFC copy for the scanner, with a map
from NFC offsets to offsets in what was written.
"""

from __future__ import annotations

import bisect
import codecs
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from citekit.errors import InputError

if TYPE_CHECKING:
    from citekit.wordfiles import WordDraft

DRAFT_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".docx"})
"""What a directory walk picks up. A file named on the command line is read whatever it is."""
WORD_SUFFIXES = frozenset({".docx", ".doc"})
"""Read as Word files (a .doc only to be refused with a clear message); the rest as text."""
LOCK_PREFIX = "~$"
"""Word's lock file beside an open document ("~$aft.docx"): a walk skips it."""
BINARY_SNIFF = 8000
"""Like git: a NUL byte in the first 8000 bytes makes a file binary."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class BinaryFile(InputError):
    """A file with NUL bytes: skipped with a note, as git does."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A decoded draft: the text as written, its NFC form, and how to map between them."""

    path: str
    raw: str
    encoding: str = "utf-8"
    bom: bytes = b""
    text: str = ""
    to_raw: tuple[int, ...] | None = None
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)

    @classmethod
    def from_text(cls, path: str, raw: str, encoding: str = "utf-8", bom: bytes = b"") -> Draft:
        text, to_raw = nfc_with_offsets(raw)
        starts = [0]
        find = raw.find
        position = find("\n")
        while position != -1:
            starts.append(position + 1)
            position = find("\n", position + 1)
        return cls(path, raw, encoding, bom, text, to_raw, tuple(starts))

    def raw_offset(self, offset: int) -> int:
        """The offset in the text as written of an offset in the NFC text."""
        return self.to_raw[offset] if self.to_raw is not None else offset

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column, in characters as written, of an NFC offset."""
        raw = self.raw_offset(offset)
        index = bisect.bisect_right(self.line_starts, raw) - 1
        return index + 1, raw - self.line_starts[index] + 1

    @property
    def is_nfd(self) -> bool:
        return self.to_raw is not None and unicodedata.is_normalized("NFD", self.raw)

    def encode(self, raw: str) -> bytes:
        """`raw` encoded as this draft was: same encoding, same BOM."""
        return self.bom + raw.encode(self.encoding)


def nfc_with_offsets(raw: str) -> tuple[str, tuple[int, ...] | None]:
    """NFC of `raw`, and for each NFC offset the raw offset (None when raw is NFC)."""
    if unicodedata.is_normalized("NFC", raw):
        return raw, None
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    length = len(raw)
    while start < length:
        end = start + 1
        while end < length and unicodedata.combining(raw[end]):
            end += 1
        piece = unicodedata.normalize("NFC", raw[start:end])
        pieces.append(piece)
        offsets.extend([start] * len(piece))
        start = end
    offsets.append(length)
    return "".join(pieces), tuple(offsets)


def decode(data: bytes, name: str) -> Draft:
    """Decode a draft's bytes: UTF-8 (BOM or not) or UTF-16 with a BOM."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Draft.from_text(name, data[len(bom) :].decode(encoding), encoding, bom)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: invalid {encoding} at byte {exc.start}") from None
    if b"\0" in data[:BINARY_SNIFF]:
        raise BinaryFile(f"{name}: binary file, skipped")
    try:
        return Draft.from_text(name, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{name}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); a legacy Vietnamese "
            "encoding such as Windows-1258 or TCVN3? Convert the file to UTF-8"
        ) from None


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


def read_draft(path: Path) -> Draft | WordDraft:
    """Read one draft: a Word file by its suffix, else text, decoded; `-` reads stdin."""
    name = str(path)
    if name == "-":
        import sys

        return decode(_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>")
    if path.suffix.lower() in WORD_SUFFIXES:
        from citekit.wordfiles import read_word

        return read_word(path)
    try:
        with path.open("rb") as handle:
            data = _bounded(handle, name)
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory") from None
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}") from None
    return decode(data, name)
