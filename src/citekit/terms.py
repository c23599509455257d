"""Which of several documents sharing a number a date names: the term decides.

Serials restart with each term of the Party Central Committee, so "35-CT/TW" names the
directive of 30-5-2019 (term XII) and the one of 14-6-2024 (term XIII). `choose` is the
one rule by which `citekit lookup` and `citekit check` pick among them:

1. one candidate: it, with certainty (a stated date that differs is the draft's
   mistake, for `check` to report);
2. several, and exactly one dated the stated date: it, with certainty;
3. several, none (or more than one) dated so: no certainty. All stay candidates, in
   order of preference: those dated the stated date, then those of the stated date's
   term, then the rest; newest first within each. When exactly one document leads
   (the only one of the date, or the only one of the term) it is `preferred`:
   "35-CT/TW ngày 1-3-2019" prefers the directive of 2019 without being sure of it.

A term runs from the close of one National Congress to the close of the next. A
document known only by its year is of the stated date's term when the year is the same.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from citekit.vocabulary import TERMS

if TYPE_CHECKING:
    from citekit.model import Document

CONGRESS_CLOSED = tuple(term.opened for term in TERMS)
"""The closing day of each National Congress: the first day of a new term's numbering."""


def term_of(date: dt.date) -> int:
    """An index of the term `date` falls in (0: before the first congress listed)."""
    return bisect.bisect_right(CONGRESS_CLOSED, date)


def term_name(date: dt.date) -> str | None:
    """The name of the term `date` falls in ("XIII"), None before the first listed."""
    index = term_of(date)
    return TERMS[index - 1].name if index else None


class Choice(NamedTuple):
    """The documents a number plus a date may name, the most likely first.

    `preferred` is the one document the evidence points to, if any; `confident` says
    whether that evidence is certain (rules 1 and 2 above).
    """

    documents: tuple[Document, ...]
    preferred: Document | None
    confident: bool


def newest_first(documents: Sequence[Document]) -> list[Document]:
    """By date, newest first; a year alone sorts after the dated documents of its year."""

    def when(document: Document) -> tuple[int, int]:
        day = document.date.toordinal() if document.date else 0
        return (document.known_year or 0, day)

    return sorted(documents, key=when, reverse=True)


def _same_term(document: Document, date: dt.date) -> bool:
    if document.date is not None:
        return term_of(document.date) == term_of(date)
    return document.year == date.year


def choose(documents: Sequence[Document], date: dt.date | None) -> Choice:
    """Apply the rules above to the candidates for one number and its stated date."""
    newest = newest_first(documents)
    if len(newest) <= 1:
        only = newest[0] if newest else None
        return Choice(tuple(newest), only, confident=only is not None)
    if date is None:
        return Choice(tuple(newest), None, confident=False)
    dated = [d for d in newest if d.date == date]
    if len(dated) == 1:
        return Choice((dated[0],), dated[0], confident=True)
    in_term = [d for d in newest if d not in dated and _same_term(d, date)]
    rest = [d for d in newest if d not in dated and d not in in_term]
    lead = dated or in_term
    preferred = lead[0] if len(lead) == 1 else None
    return Choice((*dated, *in_term, *rest), preferred, confident=False)
