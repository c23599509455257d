"""Match numbers and titles to catalogue documents: the pieces `queries.lookup` joins.

A number matches the documents that agree with every part it gives (`candidates`), a
number plus a date the document of that date's term (`resolve_number`, see `terms`); a
title matches by a search blind to accents and case, tolerant of a typo.

A different serial is never a match: fuzzy scores only rank suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from citekit.errors import UsageError
from citekit.folding import fold_words
from citekit.terms import Choice, choose

if TYPE_CHECKING:
    import datetime as dt

    from citekit.catalogue import Catalogue
    from citekit.docnumber import DocNumber
    from citekit.model import Document

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
    DATE = "date"


class Match(NamedTuple):
    """A document with how it matched and how well (0-100)."""

    document: Document
    score: float
    match: MatchKind


class Result(NamedTuple):
    """The answer to one query: `found` has one match, `ambiguous` several, else none."""

    query: str
    status: Status
    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...] = ()


def result_of(query: str, matches: list[Match], suggestions: Sequence[Match] = ()) -> Result:
    """The result with these matches: found with one, ambiguous with several."""
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


def resolve_number(catalogue: Catalogue, number: DocNumber, date: dt.date | None) -> Choice:
    """The documents a cited number and its stated date may name; see `terms.choose`.

    `citekit check` (`checking.resolve`) and a pasted citation in `citekit lookup` both
    come here, so they agree on which term a date picks and how sure that is.
    """
    from citekit.docnumber import Form

    if number.form is Form.PARTY:
        documents = catalogue.by_number(number.canonical or "")
    else:
        documents = candidates(catalogue, number)
    return choose(documents, date)


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
        return result_of(query, [])
    ranked = search(catalogue, text, limit=10)
    if len(words.replace(" ", "")) < MIN_TITLE_QUERY:
        return result_of(query, [], ranked[:MAX_SUGGESTIONS])
    from citekit.docnumber import leading_serial

    serial = leading_serial(text)
    plausible = [
        m
        for m in ranked
        if m.score >= TITLE_CUTOFF and (serial is None or m.document.serial == serial)
    ]
    if not plausible:
        return result_of(query, [], ranked[:MAX_SUGGESTIONS])
    best = plausible[0].score
    matches = [m for m in plausible if m.score >= best - TITLE_MARGIN]
    rest = [m for m in ranked if m not in matches][:MAX_SUGGESTIONS]
    return result_of(query, matches, rest)
