"""The table of authorities: every document the drafts cite, and where, in first-cited order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from citekit.codes import Verdict

if TYPE_CHECKING:
    from citekit.checking import Resolution
    from citekit.drafts import Draft
    from citekit.findings import Checked, Report
    from citekit.model import Document
    from citekit.scanning import Citation, Span
    from citekit.units import Position, Unit
    from citekit.vocabulary import Family, Kind


class Cited(NamedTuple):
    """Where a document is cited: a citation in a unit of the draft at `path`, with
    what the draft wrote with it (kind, date, issuer).

    A tuple rather than a frozen dataclass, and placed only when asked: `refs` makes
    one per citation.
    """

    path: str
    unit: Unit
    citation: Citation

    @property
    def span(self) -> Span:
        return self.citation.span

    @property
    def position(self) -> Position:
        """A line of a text draft, or a Word paragraph."""
        return self.unit.position(self.span.start, self.span.end)

    def text(self, *, with_path: bool) -> str:
        """The place, "12" or "body ¶3"; with the path, "draft.md:12"."""
        place = self.position.label
        return f"{self.path}:{place}" if with_path else place


@dataclass(slots=True)
class Authority:
    """One document a draft cites, and where.

    `status` sums up its citations' verdicts: wrong if any is, else verified if any is,
    else partial or not-in-catalogue. `family` is party or state (None for a short form
    nothing resolved); `issuer_code` is the code in its number.
    """

    number: str
    document: Document | None
    verified: str  # "yes", "low" (bare serial or term unsure), "no" (in no catalogue)
    status: Verdict
    family: Family | None
    issuer_code: str | None
    locations: list[Cited] = field(default_factory=list)


_RANK = {Verdict.WRONG: 3, Verdict.VERIFIED: 2, Verdict.NOT_IN_CATALOGUE: 1, Verdict.PARTIAL: 0}


class Authorities:
    """The table of authorities, built as checked citations stream past (`add`, `add_draft`).

    It holds one entry per document and a place per citation: what the table lists.
    """

    __slots__ = ("_table",)

    def __init__(self) -> None:
        self._table: dict[object, Authority] = {}

    def add(self, path: str, unit: Unit, resolution: Resolution, verdict: Verdict) -> None:
        """A citation, checked, of the draft at `path`, cited in `unit`."""
        citation, document = resolution.citation, resolution.document
        number = citation.number
        if document is not None:
            key: object = document.key
            label = document.number
            verified = "yes" if resolution.confident else "low"
        else:
            label = number.canonical or _short_form(citation.kind, citation.written)
            key = ("?", label)
            verified = "no"
        entry = self._table.get(key)
        if entry is None:
            family = document.family if document else number.family
            code = document.issuer_code if document else number.issuer
            entry = self._table[key] = Authority(label, document, verified, verdict, family, code)
        if verified == "yes":  # one confident citation verifies the document
            entry.verified = "yes"
        if _RANK[verdict] > _RANK[entry.status]:
            entry.status = verdict
        entry.locations.append(Cited(path, unit, citation))

    def add_draft(self, draft: Draft, checked: Iterable[Checked]) -> None:
        """The citations of `draft`, checked (`citekit.findings.iter_checks`)."""
        path, units = draft.path, draft.units
        for one in checked:
            self.add(path, units[one.unit], one.resolution, one.verdict)

    def entries(self) -> list[Authority]:
        """Every document cited, in order of first citation."""
        return list(self._table.values())


def authorities(reports: Sequence[Report]) -> list[Authority]:
    """Every document cited, in order of first citation."""
    table = Authorities()
    for report in reports:
        path, units = report.draft.path, report.draft.units
        verdicts = report.verdicts or (Verdict.VERIFIED,) * len(report.resolutions)
        for resolution, index, verdict in zip(
            report.resolutions, report.cited_in, verdicts, strict=True
        ):
            table.add(path, units[index], resolution, verdict)
    return table.entries()


def _short_form(kind: Kind | None, written: str) -> str:
    """How a short form is listed: "Quy định 144"."""
    return f"{kind.value} {written}" if kind else written
