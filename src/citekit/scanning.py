"""Find citations in text: the number, the kind word before it, the date and issuer after.

`scan` takes NFC text and returns `Citation`s with offsets into that text. It is a pure
function of the text; checking a citation against a catalogue is `checking`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import NamedTuple

from citekit import regexes
from citekit.docnumber import DocNumber, Form
from citekit.folding import fold
from citekit.spellings import ISSUER_BY_NAME, ISSUER_SPELLING, KIND_BY_WORD, PARTY_CODE_SPELLING
from citekit.vocabulary import DASHES, Kind

# Span and Citation are immutable NamedTuples rather than frozen dataclasses: the scanner
# makes one Citation and up to three Spans per citation, and for the 118,000 citations
# of a 20 MB draft tuple construction saves about 0.3 s (measured with timeit).


class Span(NamedTuple):
    """Offsets [start, end) in the scanned text."""

    start: int
    end: int


class Citation(NamedTuple):
    """One citation phrase found in a text.

    `number` is complete for "148-QĐ/TW" and has only a serial (and the kind) for a bare
    "Quy định số 148"; `bare` tells which. Stated parts are None when the text omits them.
    """

    span: Span
    written: str
    number: DocNumber
    bare: bool
    kind: Kind | None = None
    date: dt.date | None = None
    date_written: str | None = None
    issuer: str | None = None
    issuer_written: str | None = None
    # Where the date and issuer stand, relative to `base`: most citations need no
    # absolute span for them (only a wrong date or issuer does), so none is made up front.
    base: int = 0
    relative_date: Span | None = None
    relative_issuer: Span | None = None

    @property
    def date_span(self) -> Span | None:
        """Where the stated date stands in the text, if one is stated."""
        rel = self.relative_date
        return Span(self.base + rel.start, self.base + rel.end) if rel else None

    @property
    def issuer_span(self) -> Span | None:
        """Where the stated issuer stands in the text, if one is stated."""
        rel = self.relative_issuer
        return Span(self.base + rel.start, self.base + rel.end) if rel else None


_BEFORE_NOT = frozenset(DASHES) | {"-", "/", "_"}
"""Characters that make a match part of a longer token when they stand before it."""


@lru_cache(maxsize=4096)
def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None  # "ngày 31-2-2024": written, but no real date; reported as written


@lru_cache(maxsize=512)
def _issuer_name(written: str) -> str:
    return ISSUER_BY_NAME[" ".join(fold(written).split())]


@lru_cache(maxsize=4096)
def _number(serial: str, code: str, issuer: str) -> DocNumber:
    issuer_code = fold(issuer)
    return DocNumber(
        int(serial),
        PARTY_CODE_SPELLING[fold(code)],
        ISSUER_SPELLING.get(issuer_code, issuer_code.upper()),
    )


@lru_cache(maxsize=512)
def _lead_kind(lead: str) -> tuple[Kind | None, str | None]:
    """The kind a lead names, or, for a bare code lead ("QĐ"), its code."""
    words = " ".join(fold(lead).split())
    kind = KIND_BY_WORD.get(words)
    return (kind, None) if kind else (None, PARTY_CODE_SPELLING.get(words))


def _trailer(
    text: str, trailer: re.Match[str]
) -> tuple[dt.date | None, str | None, Span | None, str | None, str | None, Span | None]:
    """The date and issuer a citation match found, each as (value, written, span)."""
    date = date_written = date_span = issuer = issuer_written = issuer_span = None
    day, month, year, day2, month2, year2, said_issuer = trailer.group(
        "d", "m", "y", "d2", "m2", "y2", "said_issuer"
    )
    if day or day2:
        date_start = trailer.start("d" if day else "d2")
        date_end = trailer.end("y" if day else "y2")
        date = _date(year or year2, month or month2, day or day2)
        date_written = text[date_start:date_end]
        date_span = Span(date_start, date_end)
    if said_issuer:
        issuer_span = Span(trailer.start("said_issuer"), trailer.end())
        issuer = _issuer_name(said_issuer)
        issuer_written = text[issuer_span.start : issuer_span.end]
    return date, date_written, date_span, issuer, issuer_written, issuer_span


def _serial_start(text: str, separator: int) -> int:
    """Where the serial before a separator starts: "148 -QĐ/TW" -> 0; -1 if none.

    At most two blanks and five digits, as the NUMBER pattern allows.
    """
    digits_end = separator
    while digits_end > max(0, separator - 2) and text[digits_end - 1] in " \t":
        digits_end -= 1
    first = digits_end
    while first > max(0, digits_end - 5) and text[first - 1].isdigit():
        first -= 1
    return first if first < digits_end else -1


class _Parsed(NamedTuple):
    """What one citation text says, its offsets relative to where the match starts."""

    start: int
    end: int
    number: DocNumber
    bare: bool
    kind: Kind | None
    date: dt.date | None
    date_written: str | None
    date_span: Span | None
    issuer: str | None
    issuer_written: str | None
    issuer_span: Span | None


def _relative(span: Span | None, base: int) -> Span | None:
    return Span(span.start - base, span.end - base) if span else None


def _parsed(text: str, match: re.Match[str], lead: str | None) -> _Parsed:
    """Read a NUMBER or LEAD_TAIL match (`lead` is the kind word or code before it)."""
    kind, lead_code = _lead_kind(lead) if lead else (None, None)
    serial, code, issuer_code = match.group("serial", "code", "issuer")
    bare_serial = match.group("bare") if "bare" in match.re.groupindex else None  # LEAD_TAIL
    if serial:
        number = _number(serial, code, issuer_code)
        start, end, bare = match.start("serial"), match.end("issuer"), False
    else:
        number = DocNumber(int(bare_serial or 0), lead_code, None, kind, form=Form.PARTIAL)
        start, end, bare = match.start("bare"), match.end("bare"), True
    date, date_written, date_span, issuer, issuer_written, issuer_span = _trailer(text, match)
    base = match.start()
    return _Parsed(
        start - base,
        end - base,
        number,
        bare,
        kind,
        date,
        date_written,
        _relative(date_span, base),
        issuer,
        issuer_written,
        _relative(issuer_span, base),
    )


_MEMO_LIMIT = 20_000
"""Distinct citation texts remembered per scan: a long draft repeats its citations."""


def scan(text: str) -> list[Citation]:
    """Every citation in `text` (NFC), in order of position.

    A citation's text ("Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị") is
    parsed once per scan; where it appears again only its offsets are new.
    """
    found = []
    # Bound methods of the compiled patterns, fetched once: this loop runs per citation.
    search = regexes.CITATION_START.search
    number_at = regexes.NUMBER.match
    tail_at = regexes.LEAD_TAIL.match
    not_before = _BEFORE_NOT
    separators = regexes.SERIAL_SEPARATORS
    memo: dict[tuple[str | None, str], _Parsed] = {}
    position = 0
    while start_match := search(text, position):
        first = start_match.start()
        if text[first] in separators:  # "-QĐ/TW": the number starts at its serial
            first = _serial_start(text, first)
            if first < 0:
                position = start_match.start() + 1
                continue
        if first:  # the start of a token: not inside a word, number or range
            before = text[first - 1]
            if (
                before.isalnum()
                or before in not_before
                or (before == "." and text[first].isdigit())  # "1.148", not "xong.Quy"
            ):
                position = start_match.start() + 1
                continue
        if text[first].isdigit():
            lead = None
            match = number_at(text, first)
            if match is None:  # pragma: no cover - CITATION_START and NUMBER agree
                position = start_match.start() + 1
                continue
        else:
            lead = start_match.group()
            match = tail_at(text, start_match.end())
            if match is None:  # a kind word with no number after it
                position = start_match.end()
                continue
        base = match.start()
        position = match.end()
        key = (lead, match.group())
        parsed = memo.get(key)
        if parsed is None:
            parsed = _parsed(text, match, lead)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = parsed
        start, end = base + parsed.start, base + parsed.end
        found.append(
            Citation(
                Span(start, end),
                text[start:end],
                parsed.number,
                parsed.bare,
                parsed.kind,
                parsed.date,
                parsed.date_written,
                parsed.issuer,
                parsed.issuer_written,
                base,
                parsed.date_span,
                parsed.issuer_span,
            )
        )
    return found
