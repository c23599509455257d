"""Find citations in text: the number, the kind word before it, the date and issuer after.

`scan` takes NFC text and returns `Citation`s with offsets into that text. It is a pure
function of the text; checking a citation against a catalogue is `checking`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from citekit import regexes
from citekit.docnumber import (
    ISSUER_SPELLING,
    KIND_BY_WORD,
    PARTY_CODE_SPELLING,
    DocNumber,
    Form,
)
from citekit.folding import DASHES, fold
from citekit.model import Kind

ISSUER_NAMES = {
    "bo chinh tri": "Bộ Chính trị",
    "ban bi thu": "Ban Bí thư",
    "ban chap hanh trung uong": "Ban Chấp hành Trung ương",
    "ban chap hanh trung uong dang": "Ban Chấp hành Trung ương",
    "ban to chuc trung uong": "Ban Tổ chức Trung ương",
    "ban tuyen giao trung uong": "Ban Tuyên giáo Trung ương",
    "ban dan van trung uong": "Ban Dân vận Trung ương",
    "ban kinh te trung uong": "Ban Kinh tế Trung ương",
    "ban noi chinh trung uong": "Ban Nội chính Trung ương",
    "van phong trung uong": "Văn phòng Trung ương Đảng",
    "van phong trung uong dang": "Văn phòng Trung ương Đảng",
    "uy ban kiem tra trung uong": "Ủy ban Kiểm tra Trung ương",
}


@dataclass(frozen=True, slots=True)
class Span:
    """Offsets [start, end) in the scanned text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
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
    date_span: Span | None = None
    issuer: str | None = None
    issuer_written: str | None = None
    issuer_span: Span | None = None


_BEFORE_NOT = frozenset(DASHES) | {"-", "/"}


def _starts_clean(text: str, start: int) -> bool:
    """Whether a match at `start` begins a token: not inside a word, number or range.

    A "." before a number makes it part of one ("1.148-QĐ/TW"); before a kind word it
    ends a sentence ("xong.Quy định số 145-QĐ/TW").
    """
    if start == 0:
        return True
    before = text[start - 1]
    if before.isalnum() or before == "_" or before in _BEFORE_NOT:
        return False
    return before != "." or not text[start].isdigit()


def _date_after(text: str, end: int) -> tuple[dt.date | None, str | None, Span | None, int]:
    match = regexes.DATE_AFTER.match(text, end)
    if not match:
        return None, None, None, end
    day = match["d"] or match["d2"]
    month = match["m"] or match["m2"]
    year = match["y"] or match["y2"]
    start = match.start("d" if match["d"] else "d2")
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        date = None  # "ngày 31-2-2024": written, but no real date; reported as written
    return date, text[start : match.end()], Span(start, match.end()), match.end()


@lru_cache(maxsize=512)
def _issuer_name(written: str) -> str:
    return ISSUER_NAMES[" ".join(fold(written).split())]


def _issuer_after(text: str, end: int) -> tuple[str | None, str | None, Span | None]:
    match = regexes.ISSUER_AFTER.match(text, end)
    if not match:
        return None, None, None
    span = Span(match.start("issuer"), match.end())
    return _issuer_name(match["issuer"]), text[span.start : span.end], span


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


def scan(text: str) -> list[Citation]:
    """Every citation in `text` (NFC), in order of position."""
    found = []
    # Bound methods of the compiled patterns, fetched once: this loop runs per citation.
    search = regexes.CITATION_START.search
    number_at = regexes.NUMBER.match
    tail_at = regexes.LEAD_TAIL.match
    position = 0
    while start_match := search(text, position):
        first = start_match.start()
        if not _starts_clean(text, first):
            position = first + 1
            continue
        kind, lead_code = None, None
        if text[first].isdigit():
            match = number_at(text, first)
            if match is None:  # pragma: no cover - CITATION_START and NUMBER agree
                position = first + 1
                continue
        else:
            match = tail_at(text, start_match.end())
            if match is None:  # a kind word with no number after it
                position = start_match.end()
                continue
            kind, lead_code = _lead_kind(start_match.group())
        position = match.end()
        if match["serial"]:
            number = _number(match["serial"], match["code"], match["issuer"])
            start, end, bare = match.start("serial"), match.end(), False
        else:
            number = DocNumber(int(match["bare"]), lead_code, None, kind, form=Form.PARTIAL)
            start, end, bare = match.start("bare"), match.end("bare"), True
        date, date_written, date_span, after = _date_after(text, end)
        issuer, issuer_written, issuer_span = _issuer_after(text, after)
        found.append(
            Citation(
                span=Span(start, end),
                written=text[start:end],
                number=number,
                bare=bare,
                kind=kind,
                date=date,
                date_written=date_written,
                date_span=date_span,
                issuer=issuer,
                issuer_written=issuer_written,
                issuer_span=issuer_span,
            )
        )
    return found
