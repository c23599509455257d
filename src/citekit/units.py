"""Units of a draft, and positions in them: what the checker scans and how it places a finding.

A draft is a sequence of units, each scanned on its own. A text draft is one unit, mapped
to lines and columns by where its lines start; a Word draft has a unit per paragraph,
placed by the paragraph's `Location`. A unit keeps its text as written and an NFC copy for
the scanner, with a map from NFC offsets back to offsets in what was written.

Every unit also covers one or more *lines of the draft*, numbered from 1 through the whole
draft: a text draft's lines, or a Word draft's paragraphs (one line each). Suppression
comments and `--changed-only` speak of these lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from citekit.quotes import excerpt

if TYPE_CHECKING:
    from citekit.wordfiles import Location


class Position(NamedTuple):
    """Where a finding or a citation is: 1-based, the end exclusive.

    In a text draft, line and column. In a Word draft, `location` is the paragraph's
    place, `line` and `end_line` its number within what holds it, and the columns count
    characters from the paragraph's start. A tuple rather than a frozen dataclass, as
    `Span` is: `refs` makes one per citation.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    location: Location | None = None

    @property
    def label(self) -> str:
        """What a reader looks for: "12" (a line), or "body ¶12" (a Word paragraph)."""
        return self.location.label if self.location is not None else str(self.line)


class _Breaks:
    """One decomposed line's map: the points where NFC and raw offsets' difference changes."""

    __slots__ = ("deltas", "starts")

    def __init__(self) -> None:
        self.starts, self.deltas = array("q", [0]), array("q", [0])

    def shift(self, at: int, delta: int) -> None:
        if delta != self.deltas[-1]:
            if self.starts[-1] == at:
                self.deltas[-1] = delta
            else:
                self.starts.append(at)
                self.deltas.append(delta)

    def __getitem__(self, offset: int) -> int:
        return offset + self.deltas[bisect.bisect_right(self.starts, offset) - 1]


class OffsetMap:
    """NFC offsets to raw ones, for a text with decomposed (NFD) lines.

    A line already in NFC maps one to one; a decomposed line's own map is built the first
    time an offset in it is asked for. Making the NFC text is then C-speed line by line,
    and only lines with a citation to place pay for a map.
    """

    __slots__ = ("_decomposed", "_maps", "_nfc_starts", "_raw", "_raw_starts")

    def __init__(self, raw: str, nfc_starts: array[int], raw_starts: array[int],
                 decomposed: set[int]) -> None:  # fmt: skip
        self._raw = raw
        self._nfc_starts = nfc_starts
        self._raw_starts = raw_starts
        self._decomposed = decomposed
        self._maps: dict[int, _Breaks] = {}

    def __getitem__(self, offset: int) -> int:
        index = bisect.bisect_right(self._nfc_starts, offset) - 1
        within = offset - self._nfc_starts[index]
        if index not in self._decomposed:
            return self._raw_starts[index] + within
        breaks = self._maps.get(index)
        if breaks is None:
            start = self._raw_starts[index]
            end = self._raw_starts[index + 1] if index + 1 < len(self._raw_starts) else None
            breaks = self._maps[index] = _line_map(self._raw[start:end])
        return self._raw_starts[index] + breaks[within]


# A letter and the combining marks after it: what NFC composes. Vietnamese NFD text puts
# its tone and vowel marks here (U+0300-U+036F).
_CLUSTER = re.compile("[^\u0300-\u036f]?[\u0300-\u036f]+")


def nfc_with_offsets(raw: str) -> tuple[str, OffsetMap | None]:
    """NFC of `raw`, and the map from NFC offsets to raw ones (None when raw is NFC)."""
    if unicodedata.is_normalized("NFC", raw):
        return raw, None
    pieces: list[str] = []
    nfc_starts, raw_starts = array("q"), array("q")
    decomposed: set[int] = set()
    done = base = 0
    for index, line in enumerate(raw.splitlines(keepends=True)):
        nfc_starts.append(done)
        raw_starts.append(base)
        if unicodedata.is_normalized("NFC", line):
            pieces.append(line)
        else:
            pieces.append(unicodedata.normalize("NFC", line))
            decomposed.add(index)
        done += len(pieces[-1])
        base += len(line)
    return "".join(pieces), OffsetMap(raw, nfc_starts, raw_starts, decomposed)


def _line_map(line: str) -> _Breaks:
    """The map of one decomposed line, its NFC made cluster by cluster (one character at
    a time where it holds other marks than Vietnamese ones)."""
    breaks = _Breaks()
    if _compose(line, breaks) is None:
        breaks = _Breaks()
        _compose_slowly(line, breaks)
    return breaks


def _compose(line: str, breaks: _Breaks) -> str | None:
    """The line in NFC, composing its letter-and-mark clusters; None if that is not the
    line's whole NFC (it holds other decomposed characters)."""
    out: list[str] = []
    last = made = 0
    shift = breaks.shift
    for match in _CLUSTER.finditer(line):
        start, end = match.span()
        out.append(line[last:start])
        made += start - last
        shift(made, start - made)
        composed = unicodedata.normalize("NFC", match.group())
        for k in range(len(composed)):
            shift(made + k, start - (made + k))
        out.append(composed)
        made += len(composed)
        shift(made, end - made)
        last = end
    out.append(line[last:])
    made += len(line) - last
    shift(made, len(line) - made)
    text = "".join(out)
    return text if text == unicodedata.normalize("NFC", line) else None


def _compose_slowly(line: str, breaks: _Breaks) -> str:
    """The line in NFC, one character and its combining marks at a time."""
    pieces = []
    made = start = 0
    length = len(line)
    shift = breaks.shift
    while start < length:
        end = start + 1
        while end < length and unicodedata.combining(line[end]):
            end += 1
        piece = unicodedata.normalize("NFC", line[start:end])
        for k in range(len(piece)):
            shift(made + k, start - (made + k))
        pieces.append(piece)
        made += len(piece)
        start = end
    shift(made, length - made)
    return "".join(pieces)


def _line_starts(raw: str) -> tuple[int, ...]:
    starts = [0]
    find = raw.find
    position = find("\n")
    while position != -1:
        starts.append(position + 1)
        position = find("\n", position + 1)
    return tuple(starts)


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of a draft scanned on its own: a whole text, or one Word paragraph.

    `raw` is the text as written, `text` its NFC form (the same string when `raw` is
    NFC), `to_raw` maps NFC offsets to raw ones. `line_starts` are the raw offsets where
    the unit's draft lines start, the first being `first_line`. `location` is a Word
    paragraph's place, None in a text draft.
    """

    raw: str
    text: str
    to_raw: OffsetMap | None = field(default=None, repr=False)
    line_starts: tuple[int, ...] = field(default=(0,), repr=False)
    first_line: int = 1
    location: Location | None = None

    @classmethod
    def lines(cls, raw: str) -> Unit:
        """A whole text, its lines the draft's lines."""
        text, to_raw = nfc_with_offsets(raw)
        return cls(raw, text, to_raw, _line_starts(raw))

    @classmethod
    def paragraph(cls, raw: str, location: Location, line: int) -> Unit:
        """A Word paragraph, the draft's line `line` (a line break in it starts none)."""
        text, to_raw = nfc_with_offsets(raw)
        return cls(raw, text, to_raw, first_line=line, location=location)

    def raw_offset(self, offset: int) -> int:
        """The offset in the text as written of an offset in the NFC text."""
        return self.to_raw[offset] if self.to_raw is not None else offset

    def line_of(self, offset: int) -> int:
        """The draft line (see the module's docstring) of an NFC offset."""
        return self.first_line + bisect.bisect_right(self.line_starts, self.raw_offset(offset)) - 1

    def position(self, start: int, end: int) -> Position:
        """The position of the NFC offsets [start, end)."""
        starts = self.line_starts
        if self.to_raw is not None:
            start, end = self.to_raw[start], self.to_raw[end]
        line = end_line = bisect.bisect_right(starts, start) - 1
        if line + 1 < len(starts) and starts[line + 1] <= end:  # most end where they start
            end_line = bisect.bisect_right(starts, end, line) - 1
        column, end_column = start - starts[line] + 1, end - starts[end_line] + 1
        if self.location is not None:  # a paragraph is numbered within what holds it
            paragraph = self.location.paragraph
            return Position(paragraph, column, paragraph, end_column, self.location)
        return Position(line + 1, column, end_line + 1, end_column)

    @property
    def is_nfd(self) -> bool:
        return self.to_raw is not None and unicodedata.is_normalized("NFD", self.raw)

    def quote(self, start: int, end: int) -> str | None:
        """In a Word paragraph, the sentence around NFC offsets [start, end); else None.

        A Word user has no line numbers to go by, so a finding quotes its sentence.
        """
        if self.location is None:
            return None
        return excerpt(self.raw, self.raw_offset(start), self.raw_offset(end))

    def as_lines(self) -> str:
        """The text as written, a line of it to each of the unit's draft lines."""
        return self.raw if self.location is None else self.raw.replace("\n", " ")
