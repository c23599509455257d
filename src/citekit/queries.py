"""Answer a query typed or pasted by a user, most certain evidence first.

1. the exact canonical number;
2. a date alone ("10-5-2024", "ngày 8/7/2024"): the documents of that day;
3. the number normalised from however it was typed ("148 qd tw", "145qdtw");
4. a partial number, found when it picks out exactly one document;
5. a pasted citation ("Chỉ thị số 35-CT/TW ngày 14-6-2024 của …"): its number, its date
   choosing the term by the same rule as `citekit check` (`matching.resolve_number`);
   a short one narrows by what it says ("Quy định 146 của Ban Bí thư");
6. a title search, blind to accents and case, tolerant of a typo, narrowed to an issuer
   the query names ("Bộ Chính trị bồi dưỡng"); titles' variants (aliases) count.

This module comes after the scanner in the pipeline: only a pasted citation needs it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from citekit.errors import UsageError
from citekit.folding import nfc
from citekit.matching import (
    MAX_QUERY,
    MAX_SUGGESTIONS,
    Match,
    MatchKind,
    Result,
    Status,
    candidates,
    number_suggestions,
    resolve_number,
    result_of,
    search,
    title_lookup,
)
from citekit.terms import newest_first

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.model import Document
    from citekit.scanning import Citation


def lookup(catalogue: Catalogue, query: str) -> Result:
    """Resolve one query; raise UsageError for an empty one."""
    text = " ".join(nfc(query).split())[:MAX_QUERY]
    if not text or not text.isprintable():
        text = "".join(c for c in text if c.isprintable()).strip()
    if not text:
        raise UsageError("empty query: type a document number or words of its title")
    exact = catalogue.by_number(text)
    if exact:
        return result_of(query, [Match(d, 100.0, MatchKind.EXACT) for d in newest_first(exact)])
    # Parsing comes after the exact match: an exact lookup never imports the parser.
    from citekit.docnumber import Form, parse_number

    dated = _date_query(text)
    if dated is not None:
        on_day = [Match(d, 100.0, MatchKind.DATE) for d in catalogue.by_date(dated)]
        return result_of(query, on_day)
    number = parse_number(text)
    if number is None:
        cited = _pasted_citation(text)
        if cited is None:
            short = _short_citation(catalogue, text)
            if short is not None:
                return result_of(query, short)
            return _issuer_title_lookup(catalogue, query, text)
        return _pasted_lookup(catalogue, query, text, cited)
    found = newest_first(candidates(catalogue, number))
    if number.form is Form.PARTIAL:
        matches = [Match(d, 90.0, MatchKind.PARTIAL) for d in found]
    else:
        matches = [Match(d, 100.0, MatchKind.NORMALIZED) for d in found]
    if matches:
        return result_of(query, matches)
    return result_of(query, [], number_suggestions(catalogue, number))


def _date_query(text: str) -> dt.date | None:
    """The date a query is, when it is nothing but a date."""
    from citekit import regexes
    from citekit.folding import fold_query

    match = regexes.QUERY_DATE.fullmatch(fold_query(text))
    if match is None:
        return None
    day, month, year = (
        match["d"] or match["d2"],
        match["m"] or match["m2"],
        match["y"] or match["y2"],
    )
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _short_citation(catalogue: Catalogue, text: str) -> list[Match] | None:
    """A short citation with what it says: "Quy định 146 của Ban Bí thư", "Chỉ thị 35 năm
    2024". Its kind, issuer and date narrow the documents with its serial."""
    from citekit.docnumber import leading_serial
    from citekit.scanning import scan

    serial = leading_serial(text)
    found = scan(text)
    if serial is None or not found or not found[0].bare or found[0].number.serial != serial:
        return None
    cited = found[0]
    if cited.issuer is None and cited.stated_year is None:
        return None  # a kind and a serial alone: the number path has answered it
    documents = [
        d
        for d in candidates(catalogue, cited.number)
        if (cited.issuer is None or _names(cited.issuer, d))
        and (cited.date is None or d.date == cited.date)
        and (cited.stated_year is None or d.known_year == cited.stated_year)
    ]
    return [Match(d, 95.0, MatchKind.PARTIAL) for d in newest_first(documents)]


def _names(issuer: str, document: Document) -> bool:
    from citekit.folding import fold_query

    said = fold_query(issuer)
    return any(said == fold_query(name) for name in (document.issuer, *document.issuers))


def _issuer_title_lookup(catalogue: Catalogue, query: str, text: str) -> Result:
    """Title words with an issuer's name among them: the issuer narrows the titles."""
    from citekit import regexes

    named = regexes.ISSUER_BEFORE.search(text)
    if named is None or not named.group("said_issuer"):
        return title_lookup(catalogue, query, text)
    issuer = named.group("said_issuer")
    rest = (text[: named.start()] + " " + text[named.end() :]).strip()
    if not rest:
        return title_lookup(catalogue, query, text)
    ranked = title_lookup(catalogue, query, rest)
    matches = [m for m in ranked.matches if _names(issuer, m.document)]
    if matches:
        return result_of(query, matches)
    widened = search(catalogue, rest, limit=50)
    narrowed = [m for m in widened if _names(issuer, m.document)][:MAX_SUGGESTIONS]
    return result_of(query, [], narrowed)


def _pasted_citation(text: str) -> Citation | None:
    """The full citation a pasted phrase starts with: "Kết luận số 09-KL/BTCTW của …".

    Only a citation at the start counts: "Hướng dẫn một số nội dung Chỉ thị số 35-CT/TW"
    is the title of 27-HD/BTCTW, not a citation of 35-CT/TW.
    """
    from citekit.docnumber import leading_serial
    from citekit.scanning import scan

    serial = leading_serial(text)
    if serial is None:
        return None
    cited = [c for c in scan(text) if not c.bare]
    if cited and cited[0].number.serial == serial:
        return cited[0]
    return None


def _pasted_lookup(catalogue: Catalogue, query: str, text: str, cited: Citation) -> Result:
    """A pasted citation resolves by its number and date as `citekit check` resolves it:
    found when that is certain, else ambiguous with the preferred term first. When no
    document has the number, its title words and its number both suggest."""
    choice = resolve_number(catalogue, cited.number, cited.date)
    if choice.documents:
        return result_of(query, [Match(d, 100.0, MatchKind.NORMALIZED) for d in choice.documents])
    by_title = title_lookup(catalogue, query, text)
    if by_title.status is not Status.NOT_FOUND:  # pragma: no cover - serial rule forbids
        return by_title
    suggestions: dict[object, Match] = {}
    for match in [*by_title.suggestions[:2], *number_suggestions(catalogue, cited.number)]:
        suggestions.setdefault(match.document.key, match)
    return result_of(query, [], list(suggestions.values())[:MAX_SUGGESTIONS])
