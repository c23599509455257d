"""Checks across the drafts checked together: one number, cited two ways.

A document no catalogue holds cannot be checked against its facts, but a set of drafts
can be checked against itself, as its citations are read (`Crosscheck`): where one
draft says "Kế hoạch số 120-KH/TU ngày 3-4-2025" and another "ngày 5-4-2025", one of
them is wrong.

- inconsistent-citation (error): the same number with another date, kind or issuer;
- possible-namesake (warning): the same number with a date of another term. Serials
  restart with each term, so two documents may share it; both may be right.

Only citations of documents no catalogue holds are compared: a catalogued document's
citations are each held to the catalogue, which names the wrong one precisely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from citekit.citation import vn_date
from citekit.codes import Code
from citekit.findings import Finding
from citekit.folding import fold_query
from citekit.terms import term_of

if TYPE_CHECKING:
    import datetime as dt

    from citekit.checking import Resolution
    from citekit.config import Config
    from citekit.findings import Report
    from citekit.scanning import Citation
    from citekit.units import Position


class Placing(Protocol):
    """What places a citation: a draft's unit, or a position already found."""

    def position(self, start: int, end: int) -> Position: ...


@dataclass(frozen=True, slots=True)
class _Fact:
    """A fact a citation states: how it reads, what it compares by, where it was, and the
    date the citation states (to tell a namesake of another term)."""

    reads: str
    value: object
    place: str
    date: dt.date | None


def _stated(citation: Citation) -> Iterator[tuple[str, object]]:
    """Each fact the citation states, by name, as it compares."""
    if citation.date is not None:
        yield "date", citation.date
    if citation.kind is not None:
        yield "kind", citation.kind
    if citation.issuer is not None:
        yield "issuer", _folded(citation.issuer)


@lru_cache(maxsize=1024)
def _folded(issuer: str) -> str:
    return fold_query(issuer)


def _reads(fact: str, citation: Citation) -> str:
    """How a fact the citation states reads."""
    if fact == "date" and citation.date is not None:
        return vn_date(citation.date)
    if fact == "kind" and citation.kind is not None:
        return citation.kind.value
    return citation.issuer or ""


def _code(fact: str, earlier: _Fact, later: _Fact) -> Code:
    """Dates of different terms may be two documents: a namesake, not a contradiction."""
    first, second = earlier.date, later.date
    if fact == "date" and first and second and term_of(first) != term_of(second):
        return Code.POSSIBLE_NAMESAKE
    return Code.INCONSISTENT_CITATION


class Crosscheck:
    """Drafts checked against each other as their citations stream past, in reading order.

    It remembers the first facts stated with each number no catalogue holds (one per
    number and fact, however long the drafts), so a later citation that disagrees gets
    its finding where it stands, in the order the drafts' own findings come.
    """

    __slots__ = ("_agreed", "_first")

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], _Fact] = {}
        # What the last citation that agreed with all before it stated: a repeat of it
        # agrees too (first facts are never replaced), and drafts repeat their citations.
        self._agreed: tuple[object, ...] = ()

    def compare(
        self, path: str, unit: Placing, resolution: Resolution, config: Config
    ) -> tuple[Finding, ...]:
        """Findings for the citation `resolution` (cited in `unit` of the draft at `path`)
        whose facts disagree with those stated first with its number."""
        if resolution.document is not None:
            return ()  # most citations are catalogued
        citation = resolution.citation
        stated = (citation.number, citation.date, citation.kind, citation.issuer)
        if stated == self._agreed:
            return ()
        number = citation.number.canonical
        if number is None:
            return ()
        first = self._first
        position = None  # placed only when first or different: a draft repeats itself
        found = []
        agreed = True
        for fact, value in _stated(citation):
            earlier = first.get((number, fact))
            if earlier is not None and earlier.value == value:
                continue
            if position is None:
                position = unit.position(citation.span.start, citation.span.end)
            said = _Fact(_reads(fact, citation), value, f"{path}:{position.label}", citation.date)
            if earlier is None:
                first[number, fact] = said
                continue
            agreed = False  # a repeat must be compared again: another config may report it
            code = _code(fact, earlier, said)
            if code in config.ignore:
                continue
            message = f"{number} has {fact} {earlier.reads} at {earlier.place}, {said.reads} here"
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
        if agreed:
            self._agreed = stated
        return tuple(found)


def inconsistencies(reports: Sequence[Report], config_of: Callable[[str], Config]) -> list[Finding]:
    """Findings for numbers the drafts cite with facts that disagree, at the later one."""
    crosscheck = Crosscheck()
    found: list[Finding] = []
    for report in reports:
        path = report.draft.path
        config = config_of(path)
        units = report.draft.units
        for resolution, index in zip(report.resolutions, report.cited_in, strict=True):
            found.extend(crosscheck.compare(path, units[index], resolution, config))
    return found
