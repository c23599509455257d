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
import unicodedata
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
    to_raw: tuple[int, ...] | None = field(default=None, repr=False)
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
