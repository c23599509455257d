"""Checks across the drafts checked together: one number, cited two ways.

A document no catalogue holds cannot be checked against its facts, but a set of drafts
can be checked against itself: where one draft says "Kế hoạch số 120-KH/TU ngày
3-4-2025" and another "ngày 5-4-2025", one of them is wrong.

- inconsistent-citation (error): the same number with another date, kind or issuer;
- possible-namesake (warning): the same number with a date of another term. Serials
  restart with each term, so two documents may share it; both may be right.

Only citations of documents no catalogue holds are compared: a catalogued document's
citations are each held to the catalogue, which names the wrong one precisely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from citekit.citation import vn_date
from citekit.codes import Code
from citekit.findings import Finding
from citekit.folding import fold_query
from citekit.terms import term_of

if TYPE_CHECKING:
    from citekit.config import Config
    from citekit.findings import Report
    from citekit.scanning import Citation


@dataclass(frozen=True, slots=True)
class _Fact:
    """A fact a citation states: how it reads, what it compares by, and where it was."""

    reads: str
    value: object
    place: str
    citation: Citation


def _stated(citation: Citation, place: str) -> Iterator[tuple[str, _Fact]]:
    """Each fact the citation states, by name."""
    if citation.date is not None:
        yield "date", _Fact(vn_date(citation.date), citation.date, place, citation)
    if citation.kind is not None:
        yield "kind", _Fact(citation.kind.value, citation.kind, place, citation)
    if citation.issuer is not None:
        yield "issuer", _Fact(citation.issuer, fold_query(citation.issuer), place, citation)


def _code(fact: str, earlier: _Fact, later: _Fact) -> Code:
    """Dates of different terms may be two documents: a namesake, not a contradiction."""
    first, second = earlier.citation.date, later.citation.date
    if fact == "date" and first and second and term_of(first) != term_of(second):
        return Code.POSSIBLE_NAMESAKE
    return Code.INCONSISTENT_CITATION


def inconsistencies(reports: Sequence[Report], config_of: Callable[[str], Config]) -> list[Finding]:
    """Findings for numbers the drafts cite with facts that disagree, at the later one."""
    first: dict[tuple[str, str], _Fact] = {}
    found = []
    for report in reports:
        path = report.draft.path
        config = config_of(path)
        units = report.draft.units
        for resolution, index in zip(report.resolutions, report.cited_in, strict=True):
            number = resolution.citation.number.canonical
            if resolution.document is not None or number is None:
                continue  # placed only when compared: most citations are catalogued
            span = resolution.citation.span
            position = units[index].position(span.start, span.end)
            place = f"{path}:{position.label}"
            for fact, said in _stated(resolution.citation, place):
                earlier = first.setdefault((number, fact), said)
                code = _code(fact, earlier, said)
                if earlier.value == said.value or code in config.ignore:
                    continue
                message = (
                    f"{number} has {fact} {earlier.reads} at {earlier.place}, {said.reads} here"
                )
                if code is Code.POSSIBLE_NAMESAKE:
                    message += " (another term: two documents may share the number)"
                found.append(
                    Finding(
                        path=path,
                        position=position,
                        code=code,
                        severity=config.severity_of(code),
                        message=message,
                        number=number,
                        expected=earlier.reads,
                        found=said.reads,
                    )
                )
    return found
