"""Check citations against the catalogue and turn what is wrong into findings.

Codes (stable; scripts and suppression comments name them), with default severities:
- unknown-document (warning): a central Party number no catalogue has;
- wrong-number (error): no catalogue has the number, but the stated kind, date and
  issuer are exactly one catalogue document's, under another number;
- wrong-date (error): the stated date (or year, or day and month) is not the catalogue's;
- wrong-issuer (error): the stated issuer is not the catalogue's;
- wrong-kind (error): the kind word is not the catalogue's;
- non-canonical-number (warning): the number is not spelled the catalogue's way;
- superseded (warning): the document was replaced or expired before the check's date.
State and local Party numbers no catalogue has are listed, never reported.
Across drafts: inconsistent-citation and possible-namesake (`citekit.crosscheck`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from citekit.citation import vn_date
from citekit.codes import Code
from citekit.folding import fold_query
from citekit.matching import number_suggestions, resolve_number
from citekit.model import RelationType, Status
from citekit.relations import relation_text
from citekit.spellings import NAMED_ISSUERS

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.model import Document
    from citekit.scanning import Citation, Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """What is wrong with one citation, before it is placed in a file."""

    code: Code
    message: str
    span: Span
    number: str
    expected: str | None = None
    found: str | None = None


class Resolution(NamedTuple):
    """A citation and the catalogue document it names (None when none or unsure).

    A tuple rather than a frozen dataclass: a long draft makes one per citation.
    """

    citation: Citation
    document: Document | None
    confident: bool


def resolve(catalogue: Catalogue, citation: Citation) -> Resolution:
    """Which document a citation names: its number, and its stated date choosing the term.

    The rule is `terms.choose`, shared with `citekit lookup`. A full citation names the
    preferred document, or else the newest, confidently only when the choice is certain;
    a bare serial ("Chỉ thị 35") names only a preferred document, never confidently.
    """
    choice = resolve_number(catalogue, citation.number, citation.date)
    if citation.bare:
        return Resolution(citation, choice.preferred, confident=False)
    document = choice.preferred or (choice.documents[0] if choice.documents else None)
    return Resolution(citation, document, confident=choice.confident)


def check(
    catalogue: Catalogue, citation: Citation, as_of: dt.date | None = None
) -> tuple[Resolution, list[Problem]]:
    """Resolve a citation and list what is wrong with it (`as_of`: for superseded)."""
    resolution = resolve(catalogue, citation)
    document = resolution.document
    number = citation.number
    if document is None:
        if citation.bare or not number.central:
            return resolution, []  # a short form, a State or local number: nothing to hold
        wrong = _wrong_number(catalogue, citation)
        return resolution, [wrong or _unknown(catalogue, citation)]
    problems = []
    if not citation.bare and citation.written != document.number:
        problems.append(
            Problem(
                code=Code.NON_CANONICAL_NUMBER,
                message=f"write {document.number}, not {citation.written}",
                span=citation.span,
                number=document.number,
                expected=document.number,
                found=citation.written,
            )
        )
    if citation.kind and citation.kind is not document.kind:
        problems.append(
            Problem(
                code=Code.WRONG_KIND,
                message=f"{document.number} is a {document.kind.value}, "
                f"not a {citation.kind.value}",
                span=citation.span,
                number=document.number,
                expected=document.kind.value,
                found=citation.kind.value,
            )
        )
    problems += _date_problems(catalogue, citation, document)
    if citation.issuer and not _issuer_agrees(citation.issuer, document):
        problems.append(
            Problem(
                code=Code.WRONG_ISSUER,
                message=f"{document.number} was issued by {document.issuer}, not {citation.issuer}",
                span=citation.issuer_span or citation.span,
                number=document.number,
                expected=document.issuer,
                found=citation.issuer_written,
            )
        )
    if as_of is not None and not citation.bare and (gone := _superseded(document, as_of)):
        problems.append(
            Problem(
                code=Code.SUPERSEDED,
                message=gone,
                span=citation.span,
                number=document.number,
                found=citation.written,
            )
        )
    return resolution, problems


def _issuer_agrees(stated: str, document: Document) -> bool:
    """A stated issuer agrees when it names the document's issuers or one of them.

    Two local bodies' names never disagree for sure: one body goes by several ("Tỉnh ủy
    Quảng Nam", "Ban Thường vụ Tỉnh ủy"). A body the vocabulary names (the Politburo, the
    Government) differs from every other.
    """
    said = fold_query(stated)
    if said == fold_query(document.issuer) or any(
        said == fold_query(issuer) for issuer in document.issuers
    ):
        return True
    named = NAMED_ISSUERS
    return stated not in named and not any(issuer in named for issuer in document.issuers)


def _superseded(document: Document, as_of: dt.date) -> str | None:
    """Why the document no longer applies on `as_of`, or None."""
    for relation in document.related(RelationType.REPLACED_BY):
        if relation.date is not None and relation.date <= as_of:
            return f"{document.number} was {relation_text(relation)}"
    if document.status is Status.EXPIRED:
        return f"{document.number} has expired"
    return None


def _wrong_number(catalogue: Catalogue, citation: Citation) -> Problem | None:
    """A number no catalogue has, whose stated kind, date and issuer name one document."""
    if citation.kind is None or citation.date is None:
        return None
    matches = [
        d
        for d in catalogue.by_date(citation.date)
        if d.kind is citation.kind
        and (citation.issuer is None or _issuer_agrees(citation.issuer, d))
    ]
    if len(matches) != 1:
        return None
    [document] = matches
    by = f" by the {citation.issuer}" if citation.issuer else ""
    return Problem(
        code=Code.WRONG_NUMBER,
        message=f"{citation.number.canonical} is in no catalogue; the {citation.kind.value} "
        f"of {vn_date(citation.date)}{by} is {document.number}",
        span=citation.span,
        number=citation.number.canonical or citation.written,
        expected=document.number,
        found=citation.written,
    )


def _partial_date_problem(citation: Citation, document: Document) -> list[Problem]:
    """A year alone, or a day and month alone: wrong only where it contradicts."""
    stated = citation.date_written or ""
    if citation.year is not None:
        known = document.known_year
        if known is None or known == citation.year:
            return []
        expected = vn_date(document.date) if document.date else str(known)
    elif citation.day_month is not None and document.date is not None:
        if citation.day_month == (document.date.day, document.date.month):
            return []
        expected = vn_date(document.date)
    else:
        return []
    return [
        Problem(
            code=Code.WRONG_DATE,
            message=f"{document.number} is dated {expected}, not {stated}",
            span=citation.date_span or citation.span,
            number=document.number,
            expected=document.date.isoformat() if document.date else str(document.known_year),
            found=stated,
        )
    ]


def _date_problems(catalogue: Catalogue, citation: Citation, document: Document) -> list[Problem]:
    if citation.date_written is None:
        return []  # nothing stated: never flagged
    if citation.date is None and (citation.year is not None or citation.day_month is not None):
        return _partial_date_problem(citation, document)
    if document.date is None or citation.date == document.date:
        return []  # the catalogue does not know the day, or the date agrees
    expected = vn_date(document.date)
    stated = citation.date_written
    if citation.date is None:
        message = f"'{stated}' is not a real date; {document.number} is dated {expected}"
    else:
        said = vn_date(citation.date)
        iso = citation.date.isoformat()
        misprint = next(
            (m for m in document.misprints if m.field == "date" and m.printed == iso), None
        )
        # The misprint is named whether or not documents of other terms share the number.
        note = f"{said} is a known misprint in {misprint.where}" if misprint else None
        others = [d for d in catalogue.by_number(document.number) if d is not document and d.date]
        if others:
            dates = ", ".join(vn_date(d.date) for d in [document, *others] if d.date)
            known = f"known: {dates}; {note}" if note else f"known: {dates}"
            message = f"no {document.number} is dated {said} ({known})"
        else:
            message = f"{document.number} is dated {expected}, not {said}"
            message += f" ({note})" if note else ""
    return [
        Problem(
            code=Code.WRONG_DATE,
            message=message,
            span=citation.date_span or citation.span,
            number=document.number,
            expected=document.date.isoformat(),
            found=stated,
        )
    ]


def _unknown(catalogue: Catalogue, citation: Citation) -> Problem:
    number = citation.number
    near = [
        m.document.number
        for m in number_suggestions(catalogue, number)
        if m.document.kind_code == number.code and m.document.issuer_code == number.issuer
    ]
    hint = f"; did you mean {', '.join(dict.fromkeys(near))}?" if near else ""
    return Problem(
        code=Code.UNKNOWN_DOCUMENT,
        message=f"{number.canonical} is in no catalogue{hint}",
        span=citation.span,
        number=number.canonical or citation.written,
        expected=near[0] if near else None,
        found=citation.written,
    )
