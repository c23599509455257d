"""The one vocabulary: kinds of document, their codes, issuers, their codes and names.

Every other table citekit uses (the parser's spellings, the scanner's alternations, the
loader's allowed kinds, the benchmark's generator) is derived from the tables here by
`spellings.py`, the way eyecite derives its patterns from reporters-db. Adding a kind, a
code or an issuer is one edit, in this file.

Data only: no folding, no patterns. Spellings are canonical and NFC ("QĐ" with Đ,
U+0110), as the documents print them.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import NamedTuple


class Family(str, Enum):
    """Which system a number belongs to: 148-QĐ/TW is the Party's, 178/2024/NĐ-CP the State's."""

    PARTY = "party"
    STATE = "state"


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
    LUAT = "Luật"
    BO_LUAT = "Bộ luật"
    PHAP_LENH = "Pháp lệnh"
    NGHI_DINH = "Nghị định"
    THONG_TU = "Thông tư"
    THONG_TU_LIEN_TICH = "Thông tư liên tịch"
    CONG_DIEN = "Công điện"

    @property
    def codes(self) -> tuple[str, ...]:
        """The Party kind codes a number of this kind may carry (QĐ serves two kinds)."""
        return PARTY_CODES_OF[self]

    @property
    def state_codes(self) -> tuple[str, ...]:
        """The State kind codes a number of this kind may carry: Nghị định -> NĐ."""
        return STATE_CODES_OF[self]


CAPITALISED_ONLY: frozenset[Kind] = frozenset({Kind.LUAT, Kind.BO_LUAT})
"""Kind words that name a document only capitalised: "Luật số 57/2014/QH13", but "kỷ
luật 46 đảng viên" and "pháp luật" are common words."""


class CodeSpec(NamedTuple):
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

STATE_CODES: tuple[CodeSpec, ...] = (
    CodeSpec("NĐ", (Kind.NGHI_DINH,)),  # 178/2024/NĐ-CP
    CodeSpec("QĐ", (Kind.QUYET_DINH,)),  # 12/2019/QĐ-UBND, 1234/QĐ-TTg
    CodeSpec("NQ", (Kind.NGHI_QUYET,)),  # 35/2023/NQ-UBTVQH15
    CodeSpec("CT", (Kind.CHI_THI,)),  # 05/CT-TTg
    CodeSpec("TT", (Kind.THONG_TU,)),  # 06/2023/TT-BNV
    CodeSpec("TTLT", (Kind.THONG_TU_LIEN_TICH,)),  # 03/2011/TTLT-BNV-BTC
    CodeSpec("CĐ", (Kind.CONG_DIEN,)),  # 58/CĐ-TTg
    CodeSpec("TTr", (Kind.TO_TRINH,)),  # 245/TTr-UBND
    CodeSpec("KH", (Kind.KE_HOACH,)),
    CodeSpec("TB", (Kind.THONG_BAO,)),
    CodeSpec("BC", (Kind.BAO_CAO,)),
    CodeSpec("HD", (Kind.HUONG_DAN,)),
    CodeSpec("PL", (Kind.PHAP_LENH,)),
)
"""State kind codes, the first part after the serial (and year): "NĐ" in 178/2024/NĐ-CP.
A Luật or Bộ luật carries none ("57/2014/QH13"), nor a Công văn ("1256/UBND-NC")."""

PARTY_CODES_OF: dict[Kind, tuple[str, ...]] = {
    kind: tuple(spec.code for spec in PARTY_CODES if kind in spec.kinds) for kind in Kind
}
"""`Kind.codes`, by kind: the scanner asks once per member of a list."""
STATE_CODES_OF: dict[Kind, tuple[str, ...]] = {
    kind: tuple(spec.code for spec in STATE_CODES if kind in spec.kinds) for kind in Kind
}
"""`Kind.state_codes`, by kind."""


class Issuer(NamedTuple):
    """A body that issues documents: its name, the other names drafts give it, its code.

    The code is what its numbers carry after "/" ("BTCTW" in 27-HD/BTCTW). "TW" is shared
    by the Central Committee, the Politburo and the Secretariat, so a number's code never
    tells which of them issued it. A code with no name is known only by its spelling.
    """

    code: str
    name: str | None = None
    aliases: tuple[str, ...] = ()
    family: Family = Family.PARTY


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
    Issuer("BCĐTW", "Ban Chỉ đạo Trung ương"),  # a central steering committee
    # Local Party issuers. Their names carry a place ("Tỉnh ủy Quảng Nam"); see
    # LOCAL_ISSUER_WORDS for how drafts name them.
    Issuer("TU"),  # tỉnh ủy, thành ủy trực thuộc Trung ương
    Issuer("ThU"),  # thành ủy trực thuộc tỉnh
    Issuer("HU"),  # huyện ủy
    Issuer("QU"),  # quận ủy
    Issuer("TXU"),  # thị xã ủy
    Issuer("ĐU"),  # đảng ủy
    Issuer("ĐUK"),  # đảng ủy khối
    Issuer("BCS"),  # ban cán sự đảng
    Issuer("ĐĐ"),  # đảng đoàn
    # State issuers, after the kind code of a State number.
    Issuer("CP", "Chính phủ", family=Family.STATE),
    Issuer("TTg", "Thủ tướng Chính phủ", family=Family.STATE),
    Issuer("QH", "Quốc hội", family=Family.STATE),
    Issuer("UBTVQH", "Ủy ban Thường vụ Quốc hội", family=Family.STATE),
    Issuer("BNV", "Bộ Nội vụ", family=Family.STATE),
    Issuer("BTC", "Bộ Tài chính", family=Family.STATE),
    Issuer("UBND", family=Family.STATE),
    Issuer("HĐND", family=Family.STATE),
)
"""Issuers: central Party bodies first, then local Party and State ones. A citation names
one after "của"; its number carries the code."""

LOCAL_ISSUER_WORDS: tuple[str, ...] = (
    "Ban Thường vụ Đảng ủy Khối",
    "Đảng ủy Khối",
    "Ban cán sự đảng",
    "Đảng đoàn",
    "Cơ quan Thường trực Ban Chỉ đạo",
    "Ban Chỉ đạo",
    "Ban Thường vụ Tỉnh ủy",
    "Ban Thường vụ Thành ủy",
    "Ban Thường vụ Huyện ủy",
    "Ban Thường vụ Quận ủy",
    "Ban Thường vụ Đảng ủy",
    "Ban Chấp hành Đảng bộ",
    "Tỉnh ủy",
    "Thành ủy",
    "Huyện ủy",
    "Quận ủy",
    "Thị ủy",
    "Đảng ủy",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "UBND",
    "HĐND",
)
"""How drafts name local issuers before their place ("của Tỉnh ủy Quảng Nam", "của UBND
tỉnh Đồng Nai"): the scanner reads such an issuer as written, place included."""

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
"""Every dash people type or paste between serial and code, besides ASCII "-"."""

D_LIKE = "ĐđÐð"
"""Letters that stand for Đ: Đ/đ, and the look-alike eth (U+00D0) people type for it."""


class Term(NamedTuple):
    """A term (khóa) of the Central Committee: from the close of the National Congress that
    elected it. Party serials restart with each term."""

    name: str
    opened: dt.date


TERMS: tuple[Term, ...] = (
    Term("VIII", dt.date(1996, 7, 1)),
    Term("IX", dt.date(2001, 4, 22)),
    Term("X", dt.date(2006, 4, 25)),
    Term("XI", dt.date(2011, 1, 19)),
    Term("XII", dt.date(2016, 1, 28)),
    # "sáng 1/2/2021 ... Đại hội đại biểu toàn quốc lần thứ XIII của Đảng đã bế mạc"
    # (baohanam.com.vn; vovworld.vn: "sáng 01/02 ... bế mạc").
    Term("XIII", dt.date(2021, 2, 1)),
    # "Chiều ngày 23/1/2026, Đại hội ... lần thứ XIV của Đảng ... đã họp phiên bế mạc"
    # (vneconomy.vn, the closing press release).
    Term("XIV", dt.date(2026, 1, 23)),
)
"""Terms in order, each opened by the close of its Congress. Append the next one when its
Congress has closed; until then the last term runs on."""
