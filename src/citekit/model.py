"""Value types: kinds of document, catalogue entries and their provenance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """Kinds of Party document, by the word a draft writes before the number."""

    QUY_DINH = "Quy định"
    QUYET_DINH = "Quyết định"
    CHI_THI = "Chỉ thị"
    KET_LUAN = "Kết luận"
    HUONG_DAN = "Hướng dẫn"
    NGHI_QUYET = "Nghị quyết"
    QUY_CHE = "Quy chế"
    THONG_BAO = "Thông báo"
    BAO_CAO = "Báo cáo"
    KE_HOACH = "Kế hoạch"
    CHUONG_TRINH = "Chương trình"
    DE_AN = "Đề án"
    CONG_VAN = "Công văn"
    TO_TRINH = "Tờ trình"

    @property
    def codes(self) -> tuple[str, ...]:
        """The kind codes a number of this kind may carry (QĐ serves two kinds)."""
        return KIND_CODES[self]


KIND_CODES: dict[Kind, tuple[str, ...]] = {
    Kind.QUY_DINH: ("QĐ", "QĐi"),
    Kind.QUYET_DINH: ("QĐ", "QĐNS"),
    Kind.CHI_THI: ("CT",),
    Kind.KET_LUAN: ("KL",),
    Kind.HUONG_DAN: ("HD",),
    Kind.NGHI_QUYET: ("NQ",),
    Kind.QUY_CHE: ("QC",),
    Kind.THONG_BAO: ("TB",),
    Kind.BAO_CAO: ("BC",),
    Kind.KE_HOACH: ("KH",),
    Kind.CHUONG_TRINH: ("CTr",),
    Kind.DE_AN: ("ĐA",),
    Kind.CONG_VAN: ("CV",),
    Kind.TO_TRINH: ("TTr",),
}

ISSUERS = {
    "bo chinh tri": "Bộ Chính trị",
    "ban bi thu": "Ban Bí thư",
    "ban chap hanh trung uong dang": "Ban Chấp hành Trung ương",
    "ban chap hanh trung uong": "Ban Chấp hành Trung ương",
    "ban to chuc trung uong": "Ban Tổ chức Trung ương",
    "ban tuyen giao trung uong": "Ban Tuyên giáo Trung ương",
    "ban dan van trung uong": "Ban Dân vận Trung ương",
    "ban kinh te trung uong": "Ban Kinh tế Trung ương",
    "ban noi chinh trung uong": "Ban Nội chính Trung ương",
    "van phong trung uong dang": "Văn phòng Trung ương Đảng",
    "van phong trung uong": "Văn phòng Trung ương Đảng",
    "uy ban kiem tra trung uong": "Ủy ban Kiểm tra Trung ương",
}
"""Central issuers a citation names after "của", by folded name (longest first where
one is a prefix of another), with their full names."""

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
