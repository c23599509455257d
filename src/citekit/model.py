"""Value types: catalogue entries and their provenance (kinds: `vocabulary.Kind`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from citekit.vocabulary import Family, Kind

__all__ = [
    "FACTS",
    "Confidence",
    "Contest",
    "Document",
    "Kind",
    "Mention",
    "Misprint",
    "Origin",
    "Relation",
    "RelationType",
    "Source",
    "Status",
]


FACTS = ("number", "kind", "date", "year", "issuer", "title", "term")
"""The facts of an entry that a source may state ("issuer" covers joint issuers too)."""


class Confidence(str, Enum):
    """How well a fact is attested, derived from the sources that state it."""

    TWO_SOURCES = "two-sources"  # two independent publishers (reprints count once)
    ONE_SOURCE = "one-source"
    HARVESTED = "harvested"  # read from the user's own trusted texts, file:line
    REPORT_ONLY = "report-only"  # the catalogue's own source text, nothing public
    CONTESTED = "contested"  # sources disagree; the competing values are kept
    UNKNOWN = "unknown"  # null: no source states it


class Status(str, Enum):
    """Whether a document still applies."""

    IN_FORCE = "in force"
    REPLACED = "replaced"
    EXPIRED = "expired"


class RelationType(str, Enum):
    """How one document relates to another, as a source states it."""

    GUIDES = "guides"
    GUIDED_BY = "guided_by"
    REPLACES = "replaces"
    REPLACED_BY = "replaced_by"
    AMENDS = "amends"
    AMENDED_BY = "amended_by"
    AMENDMENT_PLANNED = "amendment-planned"
    REVIEW_PLANNED = "review-planned"


class Relation(NamedTuple):
    """A stated relation, e.g. 27-HD/BTCTW guides 35-CT/TW.

    `target_date` tells a reused number's documents apart; `date` is when the relation
    took effect (a replacement's date); `source` the page that states it.
    """

    type: RelationType
    target: str | None = None
    note: str | None = None
    target_date: dt.date | None = None
    date: dt.date | None = None
    source: str | None = None


class Source(NamedTuple):
    """A page (or, harvested, a file:line) and the facts its text states."""

    states: tuple[str, ...]
    url: str | None = None
    publisher: str | None = None
    type: str | None = None  # full-text, news, portal, aggregator, report, harvested, unnamed
    harvested: str | None = None  # "reports/q3.md:12"

    @property
    def public(self) -> bool:
        """A public page or publisher, not the catalogue's own report nor a harvested file."""
        if self.type == "unnamed":  # schema 1: "verified" with no source named
            return True
        return self.type not in ("report", "harvested") and bool(self.url or self.publisher)

    @property
    def name(self) -> str:
        """Who says it: the publisher, else the page, else the harvested place."""
        return self.publisher or self.url or self.harvested or "?"


class Contest(NamedTuple):
    """A fact sources disagree on, with every value seen."""

    fact: str
    values: tuple[str, ...]


class Misprint(NamedTuple):
    """A wrong value some source printed for this document, kept so checks can name it."""

    field: str
    printed: str
    where: str
    note: str | None = None


class Mention(NamedTuple):
    """Where the source meeting cited the document: who, and the sentence."""

    by: str
    sentence: str


class Origin(NamedTuple):
    """The catalogue file and line an entry was read from."""

    path: str
    line: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """One catalogue entry. Its key is the number plus the date (serials restart each term)."""

    number: str
    kind: Kind
    date: dt.date | None
    issuers: tuple[str, ...]
    title: str | None
    serial: int
    kind_code: str
    issuer_code: str
    year: int | None = None
    term: str | None = None
    announced: dt.date | None = None
    aliases: tuple[str, ...] = ()
    status: Status | None = None
    sources: tuple[Source, ...] = ()
    contested: tuple[Contest, ...] = ()
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

    @property
    def family(self) -> Family:
        """Party ("148-QĐ/TW": serial, dash, code) or State ("178/2024/NĐ-CP")."""
        head = self.number.split("/", 1)[0]
        return Family.PARTY if "-" in head else Family.STATE

    @property
    def issuer(self) -> str:
        """The issuers as one name: "Bộ Chính trị" or "Bộ Chính trị, Ban Bí thư"."""
        return ", ".join(self.issuers)

    def confidence(self, fact: str) -> Confidence:
        """How well `fact` is attested, from the sources that state it."""
        if any(c.fact == fact for c in self.contested):
            return Confidence.CONTESTED
        if fact == "date" and self.date is None and self.year is not None:
            fact = "year"
        value = {"number": self.number, "kind": self.kind, "date": self.date,
                 "year": self.year, "issuer": self.issuers, "title": self.title,
                 "term": self.term}[fact]  # fmt: skip
        if not value:
            return Confidence.UNKNOWN
        stating = [s for s in self.sources if fact in s.states]
        public = {s.publisher or s.url for s in stating if s.public}
        if len(public) >= 2:
            return Confidence.TWO_SOURCES
        if public:
            return Confidence.ONE_SOURCE
        if any(s.harvested for s in stating):
            return Confidence.HARVESTED
        return Confidence.REPORT_ONLY

    @property
    def verified(self) -> tuple[str, ...]:
        """The facts at least one public source states."""
        sure = (Confidence.ONE_SOURCE, Confidence.TWO_SOURCES)
        return tuple(f for f in FACTS if self.confidence(f) in sure)

    def related(self, *types: RelationType) -> tuple[Relation, ...]:
        """The relations of the given types, in catalogue order."""
        return tuple(r for r in self.relations if r.type in types)
