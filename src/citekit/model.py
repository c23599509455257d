"""Value types: catalogue entries and their provenance (kinds: `vocabulary.Kind`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from citekit.vocabulary import Kind

__all__ = ["FACTS", "Document", "Kind", "Mention", "Misprint", "Origin", "Relation", "RelationType"]


FACTS = ("number", "kind", "date", "year", "issuer", "title")
"""The facts of an entry that its `verified` list may name."""


class RelationType(str, Enum):
    """How one document relates to another, as the source states it."""

    GUIDES = "guides"
    AMENDMENT_PLANNED = "amendment-planned"
    REVIEW_PLANNED = "review-planned"


@dataclass(frozen=True, slots=True)
class Relation:
    """A stated relation, e.g. 27-HD/BTCTW guides 35-CT/TW."""

    type: RelationType
    target: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Misprint:
    """A wrong value some source printed for this document, kept so checks can name it."""

    field: str
    printed: str
    where: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """Where the source meeting cited the document: who, and the sentence."""

    by: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Origin:
    """The catalogue file and line an entry was read from."""

    path: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One catalogue entry. Its key is the number plus the date (serials restart each term)."""

    number: str
    kind: Kind
    date: dt.date | None
    issuer: str
    title: str | None
    serial: int
    kind_code: str
    issuer_code: str
    year: int | None = None
    verified: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str | None = None
    cited: Mention | None = None
    misprints: tuple[Misprint, ...] = ()
    relations: tuple[Relation, ...] = ()
    origin: Origin | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, dt.date | None]:
        """The identity of the entry: its number and its date."""
        return (self.number, self.date)

    @property
    def known_year(self) -> int | None:
        """The year of issue, from the date or, failing that, the year alone."""
        return self.date.year if self.date else self.year
