"""The one vocabulary: kinds of document, their codes, issuers, their codes and names.

Every other table citekit uses (the parser's spellings, the scanner's alternations, the
loader's allowed kinds, the benchmark's generator) is derived from the tables here by
`spellings.py`, the way eyecite derives its patterns from reporters-db. Adding a kind, a
code or an issuer is one edit, in this file.

Data only: no folding, no patterns. Spellings are canonical and NFC ("QĐ" with Đ,
U+0110), as the documents print them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """Kinds of document, by the word a draft writes before the number."""

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
        """The Party kind codes a number of this kind may carry (QĐ serves two kinds)."""
        return tuple(spec.code for spec in PARTY_CODES if self in spec.kinds)


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """A kind code of Party numbers ("QĐ" in 148-QĐ/TW) and the kinds that use it.

    `leads` when drafts also write the code before a serial, as a kind word: "QĐ 148".
    """

    code: str
    kinds: tuple[Kind, ...]
    leads: bool = False


PARTY_CODES: tuple[CodeSpec, ...] = (
    # One series serves both Quy định and Quyết định: the code alone cannot tell them.
    CodeSpec("QĐ", (Kind.QUY_DINH, Kind.QUYET_DINH), leads=True),
    CodeSpec("QĐi", (Kind.QUY_DINH,)),  # a few XII-term Quy định: 08-QĐi/TW
    CodeSpec("QĐNS", (Kind.QUYET_DINH,)),  # personnel decisions
    CodeSpec("CT", (Kind.CHI_THI,), leads=True),
    CodeSpec("KL", (Kind.KET_LUAN,), leads=True),
    CodeSpec("HD", (Kind.HUONG_DAN,), leads=True),
    CodeSpec("NQ", (Kind.NGHI_QUYET,)),
    CodeSpec("QC", (Kind.QUY_CHE,)),
    CodeSpec("TB", (Kind.THONG_BAO,)),
    CodeSpec("BC", (Kind.BAO_CAO,)),
    CodeSpec("KH", (Kind.KE_HOACH,)),
    CodeSpec("CTr", (Kind.CHUONG_TRINH,)),
    CodeSpec("ĐA", (Kind.DE_AN,)),
    CodeSpec("CV", (Kind.CONG_VAN,)),
    CodeSpec("TTr", (Kind.TO_TRINH,)),
)
"""Party kind codes, as the numbers print them."""

STATE_CODES: tuple[str, ...] = ("NĐ", "QĐ", "NQ", "TTLT", "UBND")
"""State codes whose canonical spelling folding would lose (the Đ), or that are common."""


@dataclass(frozen=True, slots=True)
class Issuer:
    """A body that issues documents: its name, the other names drafts give it, its code.

    The code is what its numbers carry after "/" ("BTCTW" in 27-HD/BTCTW). "TW" is shared
    by the Central Committee, the Politburo and the Secretariat, so a number's code never
    tells which of them issued it. A code with no name is known only by its spelling.
    """

    code: str
    name: str | None = None
    aliases: tuple[str, ...] = ()


ISSUERS: tuple[Issuer, ...] = (
    Issuer("TW", "Bộ Chính trị"),
    Issuer("TW", "Ban Bí thư"),
    Issuer("TW", "Ban Chấp hành Trung ương", aliases=("Ban Chấp hành Trung ương Đảng",)),
    Issuer("BTCTW", "Ban Tổ chức Trung ương"),
    Issuer("BTGTW", "Ban Tuyên giáo Trung ương"),
    Issuer("BDVTW", "Ban Dân vận Trung ương"),
    Issuer("BKTW", "Ban Kinh tế Trung ương"),
    Issuer("BNCTW", "Ban Nội chính Trung ương"),
    Issuer("VPTW", "Văn phòng Trung ương Đảng", aliases=("Văn phòng Trung ương",)),
    Issuer("UBKTTW", "Ủy ban Kiểm tra Trung ương"),
    Issuer("BTGDVTW"),
    Issuer("ĐUKCQTW"),
    Issuer("ĐUKDNTW"),
    Issuer("ĐUQSTW"),
    Issuer("ĐUCATW"),
)
"""Central Party issuers. A citation names one after "của"; its number carries the code."""

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
"""Every dash people type or paste between serial and code, besides ASCII "-"."""

D_LIKE = "ĐđÐð"
"""Letters that stand for Đ: Đ/đ, and the look-alike eth (U+00D0) people type for it."""

TERMS: dict[str, tuple[int, int]] = {
    "IX": (2001, 2006),
    "X": (2006, 2011),
    "XI": (2011, 2016),
    "XII": (2016, 2021),
    "XIII": (2021, 2026),
    "XIV": (2026, 2031),
}
"""Terms (khóa) of the Central Committee and the years they span. A National Congress
opens each one, in its first year; Party serials restart with each term."""
