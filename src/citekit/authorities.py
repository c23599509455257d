"""The table of authorities: every document the drafts cite, and where, in first-cited order."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from citekit.findings import Report
    from citekit.model import Document
    from citekit.scanning import Span
    from citekit.units import Position, Unit


class Cited(NamedTuple):
    """Where a document is cited: a span of a unit of the draft at `path`.

    A tuple rather than a frozen dataclass, and placed only when asked: `refs` makes
    one per citation.
    """

    path: str
    unit: Unit
    span: Span

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
    """One document a draft cites, and where."""

    number: str
    document: Document | None
    verified: str  # "yes", "low" (bare serial or term unsure), "no" (in no catalogue)
    locations: list[Cited] = field(default_factory=list)


def authorities(reports: Sequence[Report]) -> list[Authority]:
    """Every document cited, in order of first citation."""
    table: dict[object, Authority] = {}
    for report in reports:
        path, units = report.draft.path, report.draft.units
        for resolution, index in zip(report.resolutions, report.cited_in, strict=True):
            citation, document = resolution.citation, resolution.document
            if document is not None:
                key: object = document.key
                number = document.number
                verified = "yes" if resolution.confident else "low"
            else:
                number = citation.number.canonical or citation.written
                key = ("?", number)
                verified = "no"
            entry = table.setdefault(key, Authority(number, document, verified))
            if verified == "yes":  # one confident citation verifies the document
                entry.verified = "yes"
            entry.locations.append(Cited(path, units[index], citation.span))
    return list(table.values())
