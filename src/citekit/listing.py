"""`citekit list`: the catalogue's documents that meet every filter given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from citekit.folding import fold_query
from citekit.model import Document


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """What a listing keeps; None keeps everything. Dates are inclusive: `since` and
    `until` bound the signing date, and a document of unknown date is left out of them."""

    kind: str | None = None
    issuer: str | None = None
    year: int | None = None
    date: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def keeps(self, document: Document) -> bool:
        if self.kind is not None and fold_query(document.kind.value) != fold_query(self.kind):
            return False
        if self.issuer is not None and fold_query(self.issuer) not in fold_query(document.issuer):
            return False
        if self.year is not None and document.known_year != self.year:
            return False
        when = document.date
        if self.date is not None and when != self.date:
            return False
        if self.since is not None and (when is None or when < self.since):
            return False
        return self.until is None or (when is not None and when <= self.until)


def select(documents: Iterable[Document], filters: Filters) -> list[Document]:
    """The documents `filters` keeps, in catalogue order."""
    return [d for d in documents if filters.keeps(d)]
