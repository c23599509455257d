"""Find citations in text: the number, the kind word before it, the date and issuer after.

`iter_scan` takes NFC text and yields `Citation`s with offsets into that text as it
finds them; `scan` lists them. Both are pure functions of the text; checking a citation
against a catalogue is `checking`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from citekit import regexes
from citekit.docnumber import DocNumber, Form, is_party_issuer
from citekit.folding import fold
from citekit.spellings import (
    ISSUER_BY_NAME,
    ISSUER_SPELLING,
    KIND_BY_WORD,
    PARTY_CODE_SPELLING,
    STATE_CODE_SPELLING,
)
from citekit.vocabulary import DASHES, PARTY_CODES_OF, STATE_CODES_OF, Kind

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
    # A year stated alone ("năm 2024"), and a day and month with no year ("ngày 9-5"):
    # `date` is None for both, and neither is a wrong date unless it contradicts.
    year: int | None = None
    day_month: tuple[int, int] | None = None

    @property
    def stated_year(self) -> int | None:
        """The year the citation states, in a full date or alone."""
        return self.date.year if self.date else self.year

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
_SEPARATORS = regexes.SERIAL_SEPARATORS
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
def _number(serial: str, code: str, issuer: str, party_order: bool) -> DocNumber:
    """A number read in Party shape: "148-QĐ/TW" (Party order, dash then slash) is the
    Party's whatever its issuer; "123/QĐ-UBND" is the State's unless its issuer is a
    Party body's ("148/QĐ-TW", a slip of order). A code keeps its Đ."""
    folded = fold(issuer)
    if party_order or is_party_issuer(folded):
        spelled = ISSUER_SPELLING.get(folded, issuer.upper().replace("Ð", "Đ"))
        return DocNumber(int(serial), PARTY_CODE_SPELLING[fold(code)], spelled)
    state_code = STATE_CODE_SPELLING.get(fold(code), code)
    return DocNumber(int(serial), state_code, ISSUER_SPELLING.get(folded, issuer), form=Form.STATE)


@lru_cache(maxsize=512)
def _lead_kind(lead: str) -> tuple[Kind | None, str | None]:
    """The kind a lead names, or, for a bare code lead ("QĐ"), its code."""
    words = " ".join(fold(lead).split())
    kind = KIND_BY_WORD.get(words)
    return (kind, None) if kind else (None, PARTY_CODE_SPELLING.get(words))


class _Facts(NamedTuple):
    """The date and issuer a citation states, each with what was written and where."""

    date: dt.date | None = None
    date_written: str | None = None
    date_span: Span | None = None
    issuer: str | None = None
    issuer_written: str | None = None
    issuer_span: Span | None = None
    year: int | None = None
    day_month: tuple[int, int] | None = None


def _trailer(text: str, trailer: re.Match[str]) -> _Facts:
    """The date and issuer a citation match found after the number."""
    date = date_written = date_span = issuer = issuer_written = issuer_span = None
    year = day_month = None
    day, month, full_year, day2, month2, year2, day3, month3, year4 = trailer.group(
        "d", "m", "y", "d2", "m2", "y2", "d3", "m3", "y4"
    )
    if day or day2:
        start, end = trailer.start("d" if day else "d2"), trailer.end("y" if day else "y2")
        date = _date(full_year or year2, month or month2, day or day2)
        date_written, date_span = text[start:end], Span(start, end)
        year = int(full_year or year2) if date else None  # "31-2-2024": no real date
    elif trailer.group("d5"):  # a table row: "| 08/3/2025 |"
        day5, month5, year5 = trailer.group("d5", "m5", "y5")
        start, end = trailer.start("d5"), trailer.end("y5")
        date = _date(year5, month5, day5)
        date_written, date_span = text[start:end], Span(start, end)
        year = int(year5) if date else None
    elif day3 or year4:
        start = trailer.start("d3" if day3 else "y4")
        end = trailer.end("m3" if day3 else "y4")
        date_written, date_span = text[start:end], Span(start, end)
        if year4:
            year = int(year4)
        else:
            day_month = (int(day3), int(month3))
    issuer, issuer_written, issuer_span = _issuer_of(text, trailer, 0, trailer.end())
    return _Facts(
        date, date_written, date_span, issuer, issuer_written, issuer_span, year, day_month
    )


def _issuer_of(
    text: str, match: re.Match[str], offset: int, said_end: int
) -> tuple[str | None, str | None, Span | None]:
    """The issuer a match names, as (name, written, span): a named body, or a local one.

    `offset` places the match's positions in `text`; `said_end` is where a named body's
    written form ends (with its "khóa XIII", after a number).
    """
    said, local = match.group("said_issuer", "local_issuer")
    if said:
        span = Span(offset + match.start("said_issuer"), offset + said_end)
        return _issuer_name(said), text[span.start : span.end], span
    if local:
        span = Span(offset + match.start("local_issuer"), offset + match.end("local_issuer"))
        written = " ".join(local.split())
        return written, written, span
    return None, None, None


def _before(text: str, start: int, floor: int, facts: _Facts) -> _Facts:
    """Facts written before the number, in its sentence, where an issuing verb follows.

    "Ngày 8-7-2024, Ban Bí thư ban hành Quyết định số 179-QĐ/TW": the date and issuer
    stand before the number, and "ban hành" says they are its own.
    """
    window_start = max(floor, start - _BEFORE_WINDOW)
    window = text[window_start:start]
    cut = max(window.rfind(stop) for stop in _SENTENCE_ENDS) + 1
    window_start += cut
    window = window[cut:]
    if not window or not regexes.ISSUING.search(window):
        return facts
    if facts.date_written is None:
        dated = _last(regexes.DATE_BEFORE, window)
        if dated is not None:
            day, month, year, day2, month2, year2 = dated.group("d", "m", "y", "d2", "m2", "y2")
            span = Span(window_start + dated.start(), window_start + dated.end())
            begin = dated.start("d" if day else "d2") + window_start
            facts = facts._replace(
                date=_date(year or year2, month or month2, day or day2),
                date_written=text[begin : span.end],
                date_span=Span(begin, span.end),
                year=int(year or year2),
            )
    if facts.issuer is None:
        named = _last(regexes.ISSUER_BEFORE, window, "acting", "issues")
        if named is not None:
            said_end = named.end("said_issuer") if named.group("said_issuer") else 0
            issuer, written, where = _issuer_of(text, named, window_start, said_end)
            facts = facts._replace(issuer=issuer, issuer_written=written, issuer_span=where)
    return facts


def _last(pattern: re.Pattern[str], text: str, *groups: str) -> re.Match[str] | None:
    """The last match of `pattern` in `text`, the one nearest the number after it; with
    `groups`, the last one that matched one of them."""
    last = None
    for match in pattern.finditer(text):
        if not groups or any(match.group(g) for g in groups):
            last = match
    return last


_BEFORE_WINDOW = 200
"""How far before a number its sentence's facts are looked for, in characters."""
_SENTENCE_ENDS = (". ", ".\n", "\n\n", "; ", "? ", "! ")


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
    facts: _Facts


def _relative(span: Span | None, base: int) -> Span | None:
    return Span(span.start - base, span.end - base) if span else None


def _state_parts(serial: str, year: str | None, parts: str) -> DocNumber | None:
    """A State number from its parts: "178", "2024", "NĐ-CP"; None for "302/A2"."""
    pieces = parts.split("-")
    if year is None and len(pieces) < 2:
        return None  # "phòng 302/A2", "27/30": a State number has a year or an issuer
    code = STATE_CODE_SPELLING.get(fold(pieces[0]))
    issuers = pieces[1:] if code else pieces
    issuer = "-".join(ISSUER_SPELLING.get(fold(p), p.replace("Ð", "Đ")) for p in issuers)
    return DocNumber(int(serial), code, issuer or None, year=int(year) if year else None,
                     form=Form.STATE)  # fmt: skip


def _list_marker(text: str, match: re.Match[str]) -> bool:
    """Whether a bare number starts a line and is followed by "." or ")": "1. Đối tượng"."""
    start, end = match.start("bare"), match.end("bare")
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 1] in (".", ")")


def _parsed(text: str, match: re.Match[str], lead: str | None) -> _Parsed | None:
    """Read a NUMBER or LEAD_TAIL match (`lead` is the kind word or code before it)."""
    kind, lead_code = _lead_kind(lead) if lead else (None, None)
    serial, code, issuer_code, parts = match.group("serial", "code", "issuer", "parts")
    bare_serial = match.group("bare") if "bare" in match.re.groupindex else None  # LEAD_TAIL
    number: DocNumber | None
    if serial and code:
        party_order = text[match.end("code") : match.start("issuer")].strip() == "/"
        number = _number(serial, code, issuer_code, party_order)
        start, end, bare = match.start("serial"), match.end("issuer"), False
    elif serial:
        number = _state_parts(serial, match.group("year"), parts)
        start, end, bare = match.start("serial"), match.end("parts"), False
    else:
        year = match.group("bare_year")
        if (
            not year
            and not match.group("so")
            and _YEAR_LIKE[0] <= int(bare_serial or 0) <= _YEAR_LIKE[1]
        ):
            return None  # "Kế hoạch 2025", "Chương trình 2021": a year, not a serial
        if _list_marker(text, match):
            return None  # "... Quyết định\n1. Đối tượng": the number numbers a list
        number = DocNumber(
            int(bare_serial or 0),
            lead_code,
            None,
            kind,
            year=int(year) if year else None,
            form=Form.PARTIAL,
        )
        start, end, bare = match.start("bare"), match.end("bare_year" if year else "bare"), True
    if number is None:
        return None
    facts = _trailer(text, match)
    base = match.start()
    facts = facts._replace(
        date_span=_relative(facts.date_span, base), issuer_span=_relative(facts.issuer_span, base)
    )
    return _Parsed(start - base, end - base, number, bare, kind, facts)


_YEAR_LIKE = (1945, 2100)
"""A bare number in this range after a kind word, with no "số", is read as a year."""

_MEMO_LIMIT = 20_000
"""Distinct citation texts remembered per scan: a long draft repeats its citations."""


_LIST_LIMIT = 10_000
"""Members of one list held back for an issuer written after them: a list this long
with no issuer yet ("148-QĐ/TW, 149-QĐ/TW, ..." over megabytes) is no sentence anyone
writes, and holding it whole would hold the draft's every citation."""


def scan(text: str) -> list[Citation]:
    """Every citation in `text` (NFC), in order of position: `iter_scan`'s, as a list."""
    return list(iter_scan(text))


ScanMemo = dict[tuple[str | None, str], "_Parsed | None"]
"""Each distinct citation text scanned, read: what `iter_scan` remembers, and what scans
of the pieces of a draft, or of the drafts of a batch, may share (`memo`)."""


def iter_scan(text: str, memo: ScanMemo | None = None) -> Iterator[Citation]:
    """Every citation in `text` (NFC), in order of position (see `_scan`); scans may share
    their `memo`, as a citation's reading depends on its text alone."""
    return _scan(text, {} if memo is None else memo)


def _scan(text: str, memo: ScanMemo) -> Iterator[Citation]:
    """Every citation in `text` (NFC), in order of position, each as soon as it is final.

    A citation's text ("Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị") is
    parsed once per scan; where it appears again only its offsets are new. What depends
    on the text around it (facts written before the number, the kind word a list shares)
    is read per occurrence. The members of a list ("các Quy định số 142-QĐ/TW, 148-QĐ/TW
    của Bộ Chính trị") wait until the list names its issuer or ends, as a later member's
    issuer is theirs too: only the current list is held, never the draft's citations.
    """
    # Bound methods of the compiled patterns, fetched once: this loop runs per citation.
    search = _merged_search(regexes.CITATION_START.search, regexes.STATE_START.search)
    number_at = regexes.NUMBER.match
    tail_at = regexes.LEAD_TAIL.match
    joined = regexes.LIST_JOIN.fullmatch
    position = 0
    last_end = 0  # where the previous citation's match ended
    last: Citation | None = None  # the previous citation, as final as it is so far
    held: list[Citation] = []  # members of the current list an issuer may still reach
    while start_match := search(text, position):
        first, lead, match = _locate(text, start_match, number_at, tail_at)
        if match is None:
            position = start_match.end() if first < 0 else start_match.start() + 1
            continue
        base = match.start()
        key = _memo_key(text, match, lead)
        if key in memo:
            parsed = memo[key]
        else:
            parsed = _parsed(text, match, lead)
            if len(memo) < _MEMO_LIMIT:
                memo[key] = parsed
        if parsed is None:
            position = start_match.start() + 1
            continue
        position = match.end()
        start, end = base + parsed.start, base + parsed.end
        facts, kind = parsed.facts, parsed.kind
        in_list = last is not None and lead is None and joined(text, last_end, start) is not None
        if in_list and last is not None and kind is None:
            kind = _shared_kind(last.kind, parsed.number)
        if facts.date_written is None or facts.issuer is None:
            lead_start = start_match.start() if lead else start
            facts = _with_facts_before(text, lead_start, last_end, facts, base)
        if facts.date_written is None and _after_header(text, start):
            facts = _header_date(text, end, facts, base)
        if in_list and last is not None:
            facts = _shared_issuer(held, last, facts, base)
        elif held:  # the list before this citation ended
            yield from _drained(held)
        last_end = position
        last = _citation(text, Span(start, end), parsed, kind, facts, base)
        if last.issuer is None and len(held) < _LIST_LIMIT - 1:
            held.append(last)  # the first of a list, perhaps, whose issuer comes later
            continue
        if held:  # this member has the list's issuer, and so have those before it now
            yield from _drained(held)
        yield last
    yield from held


def _memo_key(text: str, match: re.Match[str], lead: str | None) -> tuple[str | None, str]:
    """What a match's reading depends on: its text and lead, and for a short form the
    character after it ("Quyết định\n1." numbers a list, "Quyết định\n1 của" cites)."""
    if match.group("serial") is None:
        return lead, match.group() + text[match.end() : match.end() + 1]
    return lead, match.group()


def _drained(held: list[Citation]) -> list[Citation]:
    """The citations `held`, no longer held."""
    drained = held.copy()
    held.clear()
    return drained


def _citation(
    text: str, span: Span, parsed: _Parsed, kind: Kind | None, facts: _Facts, base: int
) -> Citation:
    return Citation(
        span,
        text[span.start : span.end],
        parsed.number,
        parsed.bare,
        kind,
        facts.date,
        facts.date_written,
        facts.issuer,
        facts.issuer_written,
        base,
        facts.date_span,
        facts.issuer_span,
        facts.year,
        facts.day_month,
    )


_Search = Callable[[str, int], "re.Match[str] | None"]


def _merged_search(*searches: _Search) -> _Search:
    """One search that finds the earliest match of several patterns searched apart.

    Each pattern's next match is remembered until the scan passes it, and a pattern
    with no match left is not searched again: every pattern reads the text once, so
    the scan stays linear whatever the text holds.
    """
    pending: list[re.Match[str] | None] = [None] * len(searches)
    done = [False] * len(searches)

    def search(text: str, position: int) -> re.Match[str] | None:
        best = None
        for i, find in enumerate(searches):
            match = pending[i]
            if not done[i] and (match is None or match.start() < position):
                match = pending[i] = find(text, position)
                done[i] = match is None
            if match is not None and (best is None or match.start() < best.start()):
                best = match
        return best

    return search


def _shared_issuer(held: list[Citation], earlier: Citation, facts: _Facts, base: int) -> _Facts:
    """One issuer for a whole list: "các Quy định số 142-QĐ/TW, 148-QĐ/TW ... của Bộ Chính
    trị" says who issued each; so does "Bộ Chính trị ban hành các Quy định số 142-QĐ/TW,
    148-QĐ/TW". The list's earlier members without one (those `held`) take this member's,
    and this one takes theirs (`earlier`, the member before it)."""
    if facts.issuer is not None:
        for i, cited in enumerate(held):
            if cited.issuer is None:
                held[i] = cited._replace(
                    issuer=facts.issuer,
                    issuer_written=facts.issuer_written,
                    relative_issuer=_moved(facts.issuer_span, base, cited.base),
                )
        return facts
    if earlier.issuer is None:
        return facts
    return facts._replace(
        issuer=earlier.issuer,
        issuer_written=earlier.issuer_written,
        issuer_span=_moved(earlier.relative_issuer, earlier.base, base),
    )


def _moved(span: Span | None, base: int, to: int) -> Span | None:
    """A span relative to `base`, made relative to `to`."""
    return Span(span.start + base - to, span.end + base - to) if span else None


def _header_date(text: str, end: int, facts: _Facts, base: int) -> _Facts:
    """The date a document header gives on the number's line: "Số: 15-KH/TU    Hà Tĩnh,
    ngày 3 tháng 4 năm 2025"."""
    line_end = text.find("\n", end)
    dated = regexes.DATE_BEFORE.search(text, end, len(text) if line_end < 0 else line_end)
    if dated is None:
        return facts
    day, month, year, day2, month2, year2 = dated.group("d", "m", "y", "d2", "m2", "y2")
    begin, stop = dated.start("d" if day else "d2"), dated.end()
    date = _date(year or year2, month or month2, day or day2)
    return facts._replace(
        date=date,
        date_written=text[begin:stop],
        date_span=Span(begin - base, stop - base),
        year=int(year or year2) if date else None,
    )


_HEADER = re.compile(r"[ \t]*[Ss][ốỐo][ \t]*:[ \t]*")
"""A document header's number line, up to the number: "Số: " at a line's start."""


def _after_header(text: str, start: int) -> bool:
    """Whether the number at `start` follows "Số:" at the start of its line."""
    line_start = text.rfind("\n", max(0, start - 40), start) + 1
    return _HEADER.fullmatch(text, line_start, start) is not None


def _shared_kind(kind: Kind | None, number: DocNumber) -> Kind | None:
    """The kind word of a list ("các Quy định số 142-QĐ/TW, 148-QĐ/TW"), where it fits."""
    if kind is None or number.code is None:
        return None
    codes = PARTY_CODES_OF if number.form is Form.PARTY else STATE_CODES_OF
    return kind if number.code in codes[kind] else None


_Matcher = Callable[[str, int], "re.Match[str] | None"]


def _locate(
    text: str, start_match: re.Match[str], number_at: _Matcher, tail_at: _Matcher
) -> tuple[int, str | None, re.Match[str] | None]:
    """Where a possible citation starts, its lead, and the whole citation's match.

    The match is None where the place is not a citation; the start is -1 where a kind
    word has no number after it, so the scan skips past the word.
    """
    first = start_match.start()
    if text[first] in _SEPARATORS:  # "-QĐ/TW", "/2024/NĐ": the number starts at its serial
        first = _serial_start(text, first)
        if first < 0:
            return 0, None, None
    if first:  # the start of a token: not inside a word, number or range
        before = text[first - 1]
        digit = text[first].isdigit()
        if (
            before.isalnum()
            or (before in _BEFORE_NOT and (digit or before != "_"))  # "_Kết luận 14_"
            or (before == "." and digit)  # "1.148", not "xong.Quy"
        ):
            return 0, None, None
    if text[first].isdigit():
        return first, None, number_at(text, first)  # None: "/2024/Nam" is not a number
    lead = start_match.group()
    match = tail_at(text, start_match.end())
    return (first, lead, match) if match else (-1, lead, None)


def _with_facts_before(text: str, start: int, floor: int, facts: _Facts, base: int) -> _Facts:
    """`facts` (spans relative to `base`) completed with facts written before `start`."""
    if regexes.ISSUING.search(text, max(floor, start - _BEFORE_WINDOW), start) is None:
        return facts  # most citations: no issuing verb before them, nothing to read
    absolute = facts._replace(date_span=None, issuer_span=None)
    before = _before(text, start, floor, absolute)
    if before is absolute:
        return facts
    if facts.date_written is None and before.date_written is not None:
        facts = facts._replace(
            date=before.date,
            date_written=before.date_written,
            date_span=_relative(before.date_span, base),
            year=before.year,
        )
    if facts.issuer is None and before.issuer is not None:
        facts = facts._replace(
            issuer=before.issuer,
            issuer_written=before.issuer_written,
            issuer_span=_relative(before.issuer_span, base),
        )
    return facts
