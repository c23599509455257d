"""Read drafts: find the files, and decode them faithfully.

A text `Draft` keeps the text exactly as written (encoding, BOM, line endings, NFC or
NFD) so `--fix` can write it back byte for byte; its `Unit` (see `citekit.units`) keeps an
NFC copy for the scanner and maps offsets back to lines.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO

from citekit.errors import InputError
from citekit.units import Unit

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

    @classmethod
    def from_text(cls, path: str, raw: str, encoding: str = "utf-8", bom: bytes = b"") -> Draft:
        return cls(path, (Unit.lines(raw),), Format.TEXT, encoding, bom)

    @property
    def raw(self) -> str:
        """The draft as written, a line to each draft line (a Word paragraph is one).

        For a text draft, its text exactly as written.
        """
        return "\n".join(unit.as_lines() for unit in self.units)

    def encode(self, raw: str) -> bytes:
        """`raw` encoded as this draft was: same encoding, same BOM."""
        return self.bom + raw.encode(self.encoding)


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


def read_draft(path: Path) -> Draft:
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
