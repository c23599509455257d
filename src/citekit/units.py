"""Units of a draft, and positions in them: what the checker scans and how it places a finding.

A draft is a sequence of units, each scanned on its own. A text draft is one unit, mapped
to lines and columns by where its lines start (a draft longer than `PIECE` characters is
cut into pieces, see `text_units`); a Word draft has a unit per paragraph, placed by the
paragraph's `Location`. A unit keeps its text as written and an NFC copy for
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
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, overload

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

    NFC never adds or removes a line break, so the text's lines and its NFC's pair one
    to one. A line whose NFC is itself maps one to one; a decomposed line's own map is
    built the first time an offset in it is asked for: only lines with a citation to
    place pay for one.
    """

    __slots__ = ("_maps", "_nfc", "_nfc_starts", "_raw", "_raw_starts")

    def __init__(self, raw: str, nfc: str) -> None:
        self._raw, self._nfc = raw, nfc
        self._raw_starts, self._nfc_starts = _line_starts(raw), _line_starts(nfc)
        self._maps: dict[int, _Breaks] = {}

    def __getitem__(self, offset: int) -> int:
        index = bisect.bisect_right(self._nfc_starts, offset) - 1
        within = offset - self._nfc_starts[index]
        breaks = self._maps.get(index)
        if breaks is None:
            breaks = self._maps[index] = self._line(index)
        return self._raw_starts[index] + breaks[within]

    def _line(self, index: int) -> _Breaks:
        starts, nfc_starts = self._raw_starts, self._nfc_starts
        last = index + 1 >= len(starts)
        raw = self._raw[starts[index] : None if last else starts[index + 1]]
        nfc = self._nfc[nfc_starts[index] : None if last else nfc_starts[index + 1]]
        if raw == nfc:
            return _SAME
        return _one_to_one(raw, nfc) or _line_map(raw)


_SAME = _Breaks()
"""The map of a line its NFC leaves as it is."""

# A letter and the combining marks after it: what NFC composes. Vietnamese NFD text puts
# its tone and vowel marks here (U+0300-U+036F).
_CLUSTER = re.compile("[^\u0300-\u036f]?[\u0300-\u036f]+")


_MARK = re.compile("[\u0300-\u036f]")


def nfc_with_offsets(raw: str) -> tuple[str, OffsetMap | None]:
    """NFC of `raw`, and the map from NFC offsets to raw ones (None when raw is NFC).

    Python tells NFC text from other text at once, unless it holds combining marks: then
    it normalizes all of it to compare. So a text with marks is normalized line by line,
    where a line without them is passed at once and only decomposed lines cost.
    """
    if _MARK.search(raw) is None and unicodedata.is_normalized("NFC", raw):
        return raw, None
    normalize = unicodedata.normalize
    nfc = "\n".join([normalize("NFC", line) for line in raw.split("\n")])
    if nfc == raw:
        return raw, None
    return nfc, OffsetMap(raw, nfc)


def _one_to_one(line: str, nfc: str) -> _Breaks | None:
    """The map of a decomposed line whose NFC composes each letter-and-mark cluster into
    one character and leaves the text between them as it is (Vietnamese NFD); None for
    any other line. Read off the clusters' places, with no cluster normalized: `nfc` is
    checked to hold the line's text between clusters where the map puts it."""
    combining = unicodedata.combining
    breaks = _Breaks()
    starts, deltas = breaks.starts, breaks.deltas
    shift = last = 0  # raw minus NFC offsets so far; where the last cluster ended
    length = len(line)
    for match in _CLUSTER.finditer(line):
        start, end = match.span()
        if nfc[last - shift : start - shift] != line[last:start]:
            return None
        if end < length and combining(line[end]):  # another script's mark: reordered
            return None
        shift += end - start - 1  # the cluster is one character in NFC
        starts.append(end - shift)
        deltas.append(shift)
        last = end
    if len(nfc) != length - shift or nfc[last - shift :] != line[last:]:
        return None
    return breaks


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
    shift, normalize, append = breaks.shift, unicodedata.normalize, out.append
    for match in _CLUSTER.finditer(line):
        start, end = match.span()
        append(line[last:start])
        made += start - last  # the text before maps as the text before it did
        composed = normalize("NFC", match.group())
        for k in range(1, len(composed)):  # most clusters compose into one character
            shift(made + k, start - (made + k))
        append(composed)
        made += len(composed)
        shift(made, end - made)
        last = end
    append(line[last:])
    text = "".join(out)
    return text if text == normalize("NFC", line) else None


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


def _line_starts(raw: str) -> array[int]:
    """Where the lines of `raw` start: 8 bytes a line, where a tuple of ints takes 40."""
    starts = array("q", [0])
    append, find = starts.append, raw.find
    position = find("\n")
    while position != -1:
        append(position + 1)
        position = find("\n", position + 1)
    return starts


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of a draft scanned on its own: a whole text, or one Word paragraph.

    `raw` is the text as written, `text` its NFC form (the same string when `raw` is
    NFC), `to_raw` maps NFC offsets to raw ones. `line_starts` are the raw offsets where
    the unit's draft lines start, the first being `first_line`; a piece of a long text
    draft may start within a line, `first_column` characters into it. `location` is a
    Word paragraph's place, None in a text draft.
    """

    raw: str
    text: str
    to_raw: OffsetMap | None = field(default=None, repr=False)
    line_starts: Sequence[int] = field(default=(0,), repr=False)
    first_line: int = 1
    location: Location | None = None
    first_column: int = 0

    @classmethod
    def lines(cls, raw: str, first_line: int = 1, first_column: int = 0) -> Unit:
        """A text, or a piece of one starting on draft line `first_line`, `first_column`
        characters into it; its lines are the draft's lines."""
        text, to_raw = nfc_with_offsets(raw)
        return cls(raw, text, to_raw, _line_starts(raw), first_line, None, first_column)

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
        if self.first_column:  # a piece that starts within a line
            column += self.first_column if line == 0 else 0
            end_column += self.first_column if end_line == 0 else 0
        first = self.first_line
        return Position(first + line, column, first + end_line, end_column)

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


PIECE = 256 * 1024
"""The length, in characters, past which a text draft is cut into units (`text_units`):
far above any report, and small enough that reading a draft of any size holds the file's
text once and a piece of it, never the text twice."""

_CUTS = (("\n\n",), ("\n",), ("; ", ". "))
"""Where a piece may end, best first: after a blank line, after a line end, after a
sentence's end. A citation never runs over a blank line; a cut elsewhere is made only in a
stretch of `PIECE // 2` characters that has no blank line."""


def _cut(text: str, low: int, high: int) -> int:
    """Where to end a piece within text[low:high], the best place `_CUTS` names and the
    last of its kind; -1 if there is no place to."""
    for separators in _CUTS:
        at = max(text.rfind(separator, low, high) for separator in separators)
        if at != -1:
            return at + len(separators[0])
    return -1


def _first_cut(text: str, low: int) -> int:
    """The first place any of `_CUTS` names in text[low:], or -1."""
    found = [
        at + len(separator)
        for separators in _CUTS
        for separator in separators
        if (at := text.find(separator, low)) != -1
    ]
    return min(found, default=-1)


class Piece(NamedTuple):
    """A stretch of a text draft as written, and where it starts: draft line `line`,
    `column` characters into it. What a `Unit` is made from."""

    raw: str
    line: int
    column: int


def text_units(chunks: Iterable[str], piece: int = PIECE) -> Iterator[Unit]:
    """The units of a text draft whose text comes in `chunks` (as a file is decoded).

    A text up to `piece` characters long is one unit. A longer one is cut into units of
    about `piece` characters at the best place `_CUTS` finds, each unit numbering its
    lines and columns from where it starts in the draft; joined, their raw texts give the
    draft's text back. Besides the units made, only the text not yet cut is held.
    """
    for raw, line, column in text_pieces(chunks, piece):
        yield Unit.lines(raw, line, column)


def text_pieces(chunks: Iterable[str], piece: int = PIECE) -> Iterator[Piece]:
    """The pieces `text_units` makes units of: the text as written, cut, not normalized."""
    pending: list[str] = []  # text not yet in a unit
    held = searched = 0  # its length; how far into it a cut was looked for in vain
    line, column = 1, 0
    made = False
    for chunk in chunks:
        pending.append(chunk)
        held += len(chunk)
        if held < piece:
            continue
        text = "".join(pending) if len(pending) > 1 else pending[0]
        pending.clear()
        start = 0
        while held - start >= piece:
            low = max(start + piece // 2, searched)
            cut = _cut(text, low, start + piece)
            if cut == -1:  # a long stretch with no place to cut: cut where one comes
                cut = _first_cut(text, low)
            if cut == -1:  # none in what was read: read on
                searched = max(held - 2, start)
                break
            one = text[start:cut]
            made = True
            yield Piece(one, line, column)
            breaks = one.count("\n")
            column = len(one) - one.rfind("\n") - 1 if breaks else column + len(one)
            line += breaks
            start = searched = cut
        rest = text[start:] if start else text
        del text
        pending.append(rest)
        held, searched = len(rest), searched - start
    rest = "".join(pending)
    if rest or not made:
        yield Piece(rest, line, column)


class Passing(Sequence[Unit]):
    """A long text draft's units, made from the file as they are iterated, once.

    Only the unit the iteration is at is held, so one pass over a draft of any length
    (what `citekit check` makes) takes the memory of a piece of it. Indexing reaches that
    unit only, and `len` counts the units made so far; a draft to be read twice (to fix
    it, or to report on it afterwards) is read with its units all held instead.
    `pieces` reads the draft once too, as the pieces the units are made of.
    """

    __slots__ = ("_current", "_index", "_pieces")

    def __init__(self, pieces: Iterator[Piece]) -> None:
        self._pieces: Iterator[Piece] | None = pieces
        self._index = -1
        self._current: Unit | None = None

    def pieces(self) -> Iterator[Piece]:
        """The draft's pieces as written, in order (instead of its units)."""
        pieces, self._pieces = self._pieces, None
        if pieces is None:
            raise RuntimeError("a draft read once was iterated twice")
        return pieces

    def __iter__(self) -> Iterator[Unit]:
        for raw, line, column in self.pieces():
            self._current = Unit.lines(raw, line, column)
            self._index += 1
            yield self._current
        self._current = None

    def __len__(self) -> int:
        return self._index + 1

    @overload
    def __getitem__(self, index: int) -> Unit: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Unit]: ...
    def __getitem__(self, index: int | slice) -> Unit | Sequence[Unit]:
        if isinstance(index, slice) or index != self._index or self._current is None:
            raise IndexError(f"unit {index} of a draft read once is not the current one")
        return self._current
