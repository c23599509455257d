"""Find citations in text: the number, the kind word before it, the date and issuer after.

`scan` takes NFC text and returns `Citation`s with offsets into that text. It is a pure
function of the text; checking a citation against a catalogue is `checking`'s job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from citekit import regexes
from citekit.docnumber import (
    ISSUER_SPELLING,
    KIND_BY_WORD,
    PARTY_CODE_SPELLING,
    DocNumber,
    Form,
)
from citekit.folding import fold
from citekit.model import Kind

BEFORE = 40
"""How far back from a number to look for its kind word."""
AFTER = 160
"""How far past a number to look for its date and issuer."""

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


def _kind_before(text: str, start: int) -> Kind | None:
    window = fold(text[max(0, start - BEFORE) : start])
    match = regexes.KIND_BEFORE.search(window)
    return KIND_BY_WORD[" ".join(match["kind"].split())] if match else None


def _date_after(
    window: str, offset: int, original: str
) -> tuple[dt.date | None, str | None, Span | None, int]:
    match = regexes.DATE_AFTER.match(window)
    if not match:
        return None, None, None, 0
    day = match["d"] or match["d2"]
    month = match["m"] or match["m2"]
    year = match["y"] or match["y2"]
    start = offset + match.start("d" if match["d"] else "d2")
    end = offset + match.end()
    written = original[start:end]
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        date = None  # "ngày 31-2-2024": written, but no real date; reported as written
    return date, written, Span(start, end), match.end()


def _issuer_after(
    window: str, offset: int, original: str
) -> tuple[str | None, str | None, Span | None]:
    match = regexes.ISSUER_AFTER.match(window)
    if not match:
        return None, None, None
    name = ISSUER_NAMES[" ".join(match["issuer"].split())]
    span = Span(offset + match.start("issuer"), offset + match.end())
    return name, original[span.start : span.end], span


def _lead_kind(lead: str) -> Kind | None:
    folded = " ".join(fold(lead).split())
    return KIND_BY_WORD.get(folded)


def scan(text: str) -> list[Citation]:
    """Every citation in `text` (NFC), in order of position."""
    found = []
    for match in regexes.CITATION.finditer(text):
        if match["serial"]:
            code = PARTY_CODE_SPELLING[fold(match["code"])]
            issuer_code = fold(match["issuer"])
            number = DocNumber(
                int(match["serial"]), code, ISSUER_SPELLING.get(issuer_code, issuer_code.upper())
            )
            start, end = match.start("serial"), match.end()
            kind = _kind_before(text, start)
            bare = False
        else:
            lead = match["lead"] or ""
            kind = _lead_kind(lead)
            if kind is None and not lead.isupper():
                continue  # "qd 148" in running text is not a citation; "QĐ 148" is
            lead_code = None if kind else PARTY_CODE_SPELLING[fold(lead)]
            number = DocNumber(int(match["bare"]), lead_code, None, kind, form=Form.PARTIAL)
            start, end = match.start("bare"), match.end("bare")
            bare = True
        window = fold(text[end : end + AFTER])
        date, date_written, date_span, used = _date_after(window, end, text)
        issuer, issuer_written, issuer_span = _issuer_after(window[used:], end + used, text)
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
