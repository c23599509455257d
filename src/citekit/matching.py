"""Resolve a query to catalogue documents, most certain evidence first.

1. the exact canonical number;
2. the number normalised from however it was typed;
3. a partial number, found when it picks out exactly one document;
4. a title search, blind to accents and case, tolerant of a typo.

A different serial is never a match: fuzzy scores only rank suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from citekit.errors import UsageError
from citekit.folding import fold_words, nfc

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.docnumber import DocNumber
    from citekit.model import Document
    from citekit.scanning import Citation

TITLE_CUTOFF = 75.0
"""Lowest title score (0-100) that counts as a match."""
TITLE_MARGIN = 6.0
"""Title matches this close to the best are equally plausible: the query is ambiguous."""
MIN_TITLE_QUERY = 4
"""Fewer letters than this never match a title (every title contains "a")."""
SUGGESTION_CUTOFF = 70.0
MAX_SUGGESTIONS = 3
MAX_QUERY = 1000
"""Longer queries are cut to this many characters: no title is longer."""


class Status(str, Enum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


class MatchKind(str, Enum):
    EXACT = "exact"
    NORMALIZED = "normalized"
    PARTIAL = "partial"
    TITLE = "title"


@dataclass(frozen=True, slots=True)
class Match:
    """A document with how it matched and how well (0-100)."""

    document: Document
    score: float
    match: MatchKind


@dataclass(frozen=True, slots=True)
class Result:
    """The answer to one query: `found` has one match, `ambiguous` several, else none."""

    query: str
    status: Status
    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...] = ()


def _newest_first(documents: list[Document]) -> list[Document]:
    """By date, newest first; a year alone sorts after the dated documents of its year."""

    def when(document: Document) -> tuple[int, int]:
        day = document.date.toordinal() if document.date else 0
        return (document.known_year or 0, day)

    return sorted(documents, key=when, reverse=True)


def _result(query: str, matches: list[Match], suggestions: list[Match] = ()) -> Result:  # type: ignore[assignment]
    status = (
        Status.NOT_FOUND if not matches else Status.FOUND if len(matches) == 1 else Status.AMBIGUOUS
    )
    return Result(query, status, tuple(matches), tuple(suggestions))


def candidates(catalogue: Catalogue, number: DocNumber) -> list[Document]:
    """Documents that agree with every part the number gives."""
    from citekit.docnumber import Form

    if number.form is Form.STATE:
        return catalogue.by_number(number.canonical or "")
    codes = number.codes
    return [
        document
        for document in catalogue.by_serial(number.serial)
        if (codes is None or document.kind_code in codes)
        and (number.issuer is None or document.issuer_code == number.issuer)
        and (number.kind is None or number.code is not None or document.kind is number.kind)
    ]


def number_suggestions(catalogue: Catalogue, number: DocNumber) -> list[Match]:
    """Documents whose number looks like `number`: ranked, never matches.

    Ties in spelling similarity go to the nearest serial: 148-QĐ/TW for 149-QĐ/TW.
    """
    from rapidfuzz import fuzz, process

    typed = number.canonical or str(number.serial)
    found = process.extract(
        typed, catalogue.numbers(), scorer=fuzz.ratio, limit=20, score_cutoff=SUGGESTION_CUTOFF
    )
    scored = [
        Match(document, float(score), MatchKind.PARTIAL)
        for choice, score, _ in found
        for document in catalogue.by_number(choice)
    ]
    scored += [
        Match(d, SUGGESTION_CUTOFF, MatchKind.PARTIAL) for d in catalogue.by_serial(number.serial)
    ]
    seen: set[object] = set()
    ranked = []
    for match in sorted(scored, key=lambda m: (-m.score, abs(m.document.serial - number.serial))):
        if match.document.key not in seen:
            seen.add(match.document.key)
            ranked.append(match)
    return ranked[:MAX_SUGGESTIONS]


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


def lookup(catalogue: Catalogue, query: str) -> Result:
    """Resolve one query; raise UsageError for an empty one."""
    text = " ".join(nfc(query).split())[:MAX_QUERY]
    if not text or not text.isprintable():
        text = "".join(c for c in text if c.isprintable()).strip()
    if not text:
        raise UsageError("empty query: type a document number or words of its title")
    exact = catalogue.by_number(text)
    if exact:
        return _result(query, [Match(d, 100.0, MatchKind.EXACT) for d in _newest_first(exact)])
    # Parsing comes after the exact match: an exact lookup never imports the parser.
    from citekit.docnumber import Form, parse_number

    number = parse_number(text)
    if number is None:
        cited = _pasted_citation(text)
        if cited is None:
            return title_lookup(catalogue, query, text)
        return _pasted_lookup(catalogue, query, text, cited)
    found = _newest_first(candidates(catalogue, number))
    if number.form is Form.PARTIAL:
        matches = [Match(d, 90.0, MatchKind.PARTIAL) for d in found]
    else:
        matches = [Match(d, 100.0, MatchKind.NORMALIZED) for d in found]
    if matches:
        return _result(query, matches)
    return _result(query, [], number_suggestions(catalogue, number))


def _pasted_lookup(catalogue: Catalogue, query: str, text: str, cited: Citation) -> Result:
    """A pasted citation resolves by its number, its date picking the term; when no
    document has the number, its title words and its number both suggest."""
    found = _newest_first(candidates(catalogue, cited.number))
    if cited.date is not None and any(d.date == cited.date for d in found):
        found = [d for d in found if d.date == cited.date]
    if found:
        return _result(query, [Match(d, 100.0, MatchKind.NORMALIZED) for d in found])
    by_title = title_lookup(catalogue, query, text)
    if by_title.status is not Status.NOT_FOUND:  # pragma: no cover - serial rule forbids
        return by_title
    suggestions: dict[object, Match] = {}
    for match in [*by_title.suggestions[:2], *number_suggestions(catalogue, cited.number)]:
        suggestions.setdefault(match.document.key, match)
    return _result(query, [], list(suggestions.values())[:MAX_SUGGESTIONS])


def search(catalogue: Catalogue, text: str, limit: int = 10) -> list[Match]:
    """Titles ranked by similarity to `text`, best first, at most `limit`.

    Accent- and case-blind: titles are folded once ahead of time (and cached), the
    query the same way. See `titleindex.rank` for the scorers.
    """
    from citekit import titleindex

    folded = fold_words(text[:MAX_QUERY])
    if not folded:
        raise UsageError("empty search: type words of a title")
    ranked = titleindex.rank(folded, catalogue, limit)
    return [Match(catalogue.document(i), round(score, 1), MatchKind.TITLE) for i, score in ranked]


def title_lookup(catalogue: Catalogue, query: str, text: str) -> Result:
    """Lookup by title: found when one title stands out, ambiguous when several tie.

    A query that starts with a number ("Quy định số 149-QĐ/TW về …", a pasted citation)
    matches only titles of documents with that serial: others are suggestions.
    """
    words = fold_words(text)
    if not words:  # emoji, punctuation or lone marks: not a word to look for
        return _result(query, [])
    ranked = search(catalogue, text, limit=10)
    if len(words.replace(" ", "")) < MIN_TITLE_QUERY:
        return _result(query, [], ranked[:MAX_SUGGESTIONS])
    from citekit.docnumber import leading_serial

    serial = leading_serial(text)
    plausible = [
        m
        for m in ranked
        if m.score >= TITLE_CUTOFF and (serial is None or m.document.serial == serial)
    ]
    if not plausible:
        return _result(query, [], ranked[:MAX_SUGGESTIONS])
    best = plausible[0].score
    matches = [m for m in plausible if m.score >= best - TITLE_MARGIN]
    rest = [m for m in ranked if m not in matches][:MAX_SUGGESTIONS]
    return _result(query, matches, rest)
