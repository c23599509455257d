"""Every pattern citekit matches, in one place.

All patterns run on *folded* text (see `folding.fold`): lower case, no diacritics, Đ as d,
every dash as "-". None of them can backtrack catastrophically: each quantified piece is
a single character class, and neighbouring pieces use disjoint classes (digits, letters,
separators), so at any position at most one piece can consume the next character and
the engine never has two ways to split the same run of text.
"""

from __future__ import annotations

import re
from typing import Any, cast

from citekit import precompiled
from citekit.spellings import (
    CAPITALISED_WORDS,
    ISSUER_NAME_WORDS,
    KIND_WORDS,
    LEAD_CODES,
    LOCAL_ISSUER_LEADS,
    PARTY_CODE_WORDS,
    PARTY_CODES_UPPER,
)
from citekit.vocabulary import DASHES


class _LazyPattern:
    """Compiles its pattern on first use: start-up pays only for what a command uses;
    and only the first run on a machine compiles it (`citekit.precompiled`).

    Each method asked for is then kept as an attribute of its own, so that later uses
    (a catalogue load asks a million) find it without coming back here.
    """

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = precompiled.compile(*self._args)
        value = getattr(compiled, name)
        setattr(self, name, value)
        return value


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


# Kind words (spellings.KIND_WORDS, longest first, so "quyet dinh" is never read as
# "quy" + rest). "Quy định số 148" -> "quy dinh"; "Chỉ thị 35" -> "chi thi".
_KIND_WORD = "|".join(w.replace(" ", r"\s+") for w in KIND_WORDS)

# Folded Party kind codes, longest first: "qd" is QĐ, "qdi" the older QĐi, "ctr" CTr.
PARTY_CODES = "|".join(PARTY_CODE_WORDS)

# A query's optional lead: "Số 148", "số: 148".
# Example: "so 148-qd/tw" -> rest "148-qd/tw".
QUERY_LEAD = _lazy(r"^so\b\s*:?\s*")

# A kind word at the start of a query, with an optional "số".
# Example: "quy dinh so 148" -> kind "quy dinh", rest "148".
QUERY_KIND = _lazy(rf"^(?P<kind>{_KIND_WORD})\b\s*(?:so\b\s*:?\s*)?")

# A full number in Party order (serial-CODE/ISSUER) or State order (serial/CODE-ISSUER),
# with any separator people type, spaces included.
# Examples: "148-qd/tw", "148 qd tw", "148/qd-tw", "09 - kl / btctw".
QUERY_FULL = _lazy(
    r"(?P<serial>\d{1,6})\s*(?P<sep1>[-/]|\s)\s*(?P<code>[a-z]{1,5})\s*(?P<sep2>[-/]|\s)\s*"
    r"(?P<issuer>[a-z]{1,12}\d{0,2}(?:-[a-z]{1,12}\d{0,2}){0,3})"
)

# A State number with its year: "30/2020/nd-cp", "12/2019/tt-bnv", "03/2011/ttlt-bnv-btc",
# "57/2014/qh13" (a law: the National Assembly's code and term, no kind code).
STATE_YEAR = _lazy(
    r"(?P<serial>\d{1,6})\s*/\s*(?P<year>\d{4})\s*/\s*(?P<code>[a-z]{1,6}\d{0,2})"
    r"(?:\s*-\s*(?P<issuer>[a-z]{1,12}\d{0,2}(?:-[a-z]{1,12}\d{0,2}){0,3}))?"
)

# A Party number typed with nothing between its parts: "145qdtw", "145qđ/tw", "145 qdtw".
QUERY_COMPACT = _lazy(
    rf"(?P<serial>\d{{1,6}})\s*-?\s*(?P<code>{PARTY_CODES})\s*/?\s*(?P<issuer>[a-z]{{2,12}})"
)

# A date on its own, as a query: "10-5-2024", "ngay 8/7/2024", "23 thang 5 nam 2024".
QUERY_DATE = _lazy(
    r"(?:ngay\s*)?(?:(?P<d>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4}))"
)

# Serial and kind code only: "35-ct", "148 qd".
QUERY_SERIAL_CODE = _lazy(r"(?P<serial>\d{1,6})\s*(?:[-/]|\s)\s*(?P<code>[a-z]{1,5})")

# Kind code before the serial: "qd 148", "qd148", "ct-35".
QUERY_CODE_SERIAL = _lazy(r"(?P<code>[a-z]{1,5})\s*-?\s*(?P<serial>\d{1,6})")

# A bare serial: "212".
QUERY_SERIAL = _lazy(r"(?P<serial>\d{1,6})")

# A number at the start of a longer query, as in a pasted citation. Only a number marked
# as one counts: after "so" or a kind word, or followed by a kind code. A bare leading
# number may be words of a title ("2022 - 2026 ...").
# Examples: "quy dinh so 149-qd/tw ngay 11-7-2024 ..." -> 149; "so 181 ve ..." -> 181;
# "149-qd/tw ve chuyen gia" -> 149; "149 qd ..." -> 149.
LEADING_NUMBER = _lazy(
    rf"^(?:(?P<so>so\b\s*:?\s*)|(?P<kind>{_KIND_WORD})\b\s*(?:so\b\s*:?\s*)?)?"
    rf"(?P<serial>\d{{1,6}})(?!\d)(?:\s*(?:[-/]|\s)\s*(?P<code>{PARTY_CODES})\b)?"
)

# A catalogue date, ISO only: "2024-05-23". Whether it is a real date is checked apart.
ISO_DATE = _lazy(r"\d{4}-\d{2}-\d{2}")


# --- Scanning drafts -------------------------------------------------------------------
# The scanner runs on NFC text as written: folding 20 MB first would cost more than the
# scan. So these patterns spell accents and case out in classes ("[Qq]", "[uúùủũụ...]")
# rather than using re.IGNORECASE, which makes Python's engine about five times slower
# on Unicode classes. Dates and issuers are matched at the offset where a number ends.

DASH_CLASS = "\\-" + DASHES
_SEP = rf"[ \t]{{0,2}}[{DASH_CLASS}/][ \t]{{0,2}}"
SERIAL_SEPARATORS = "-/" + DASHES
"""What may stand between a serial and its code: "/" and every dash in DASH_CLASS."""

_VARIANTS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđð",
}


def _blind(word: str) -> str:
    """A pattern for folded `word` that matches it with any accents and any case.

    Example: "quy dinh" matches "Quy định", "QUY ĐỊNH", "quy dinh".
    """
    return "".join(_blind_chars(word))


def _blind_chars(word: str) -> list[str]:
    """`_blind(word)` a character at a time: a class for each letter, a gap for a space."""
    out = []
    for char in word:
        if char == " ":
            out.append(r"\s{1,3}")
        else:
            variants = _VARIANTS.get(char, char)
            out.append("[" + "".join(dict.fromkeys(variants + variants.upper())) + "]")
    return out


def _cased(code: str) -> str:
    """A code in either case: "KL" -> "[Kk][Ll]"; Đ also as D and the look-alike Ð."""
    return "".join(_blind("d") if c in "ĐD" else f"[{c.upper()}{c.lower()}]" for c in code)


# Party kind codes as drafts write them: QĐ, qđ, QD, Qd, CTr, ĐA ...
_CODE = "(?:" + "|".join(_cased(c) for c in PARTY_CODES_UPPER) + ")"
_UPPER = "A-ZĐÐ" + "".join(dict.fromkeys("".join(_VARIANTS.values()).upper()))
# Party issuer codes: any ending in TW, in any case (TW, BTCTW, btctw, ĐUQSTW), or any
# code written in capitals (TU, HU, ĐUK, BCS, ĐĐ, ThU, CQTTBCĐ): local and other bodies.
# A capitals code never holds "TW" but at its end: "148-QĐ/TWX" is no number.
_NOT_TW = "(?![Tt][Ww])"
_ISSUER = rf"(?:[A-Za-zĐđÐ]{{0,8}}[Tt][Ww]|{_NOT_TW}[ĐÐA-Z](?:{_NOT_TW}[A-Za-zĐđÐ]){{0,9}})"
# Where a number ends: no letter, digit or dash follows. An underscore may: Markdown's
# "__148-QĐ/TW__" emphasis.
_NUMBER_END = rf"(?![^\W_]|[{DASH_CLASS}])"
# A State number's parts after the serial (and year): a code and issuers joined by "-",
# each a capital letter and letters, a National Assembly's term at the end of some:
# "NĐ-CP", "QĐ-TTg", "TTLT-BNV-BTC", "QH13", "NQ-UBTVQH15", "UBND-NC".
_STATE_PART = r"[ĐÐA-Z][A-Za-zĐđÐ]{0,9}\d{0,2}"
_STATE_PARTS = rf"{_STATE_PART}(?:-{_STATE_PART}){{0,4}}"
_SO = rf"(?:{_blind('so')}\b[ \t]{{0,2}}:?[ \t\r\n]{{0,3}})"  # "số", "số:", "so"
# Markup that may stand between the parts of a citation in Markdown or HTML: emphasis
# ("**", "_"), a footnote marker ("[^1]"), the end of a link ("](https://…)") or a tag.
# Each alternative starts with its own character, so the gap never backtracks.
_GAP = r"""(?:[\s,*_]|\[\^?\w{1,6}\]|\]\([^()\s]{0,300}\)|</?[A-Za-z]{1,6}>)"""
_DAY_MONTH_YEAR = (  # 23-5-2024, 23/05/2024, 23.5.2024: one separator throughout
    rf"(?P<d>\d{{1,2}})\s{{0,2}}(?P<sep>[{DASH_CLASS}/.])\s{{0,2}}(?P<m>\d{{1,2}})"
    rf"\s{{0,2}}(?P=sep)\s{{0,2}}(?P<y>\d{{4}})"
)
_WORDED = (  # 23 tháng 5 năm 2024
    rf"(?P<d2>\d{{1,2}})\s{{1,3}}{_blind('thang')}\s{{1,3}}(?P<m2>\d{{1,2}})"
    rf"\s{{1,3}}{_blind('nam')}\s{{1,3}}(?P<y2>\d{{4}})"
)
_DAY_MONTH = (  # 9-5, 9/5: a day and month with no year
    rf"(?P<d3>\d{{1,2}})[{DASH_CLASS}/.](?P<m3>\d{{1,2}})(?![\d{DASH_CLASS}/]|\.\d)"
)


# The scanner's one pass looks for where a citation can be: a kind word (or an upper-case
# code) followed by a blank, the separator-code-issuer part of a Party number ("-QĐ/TW"),
# or the "/" that starts a State number's year or code ("/2024/NĐ-CP", "/CĐ-TTg").
# Every alternative begins with a literal character ("Q", "q", "C", "-", "/", ...),
# which lets Python's engine skip ahead to the next possible first character instead of
# trying each position: about four times faster than the same alternatives written with
# classes, and a number is found from its separator because digits are far commoner in
# drafts than dashes. The scanner then walks back to the serial, checks that the
# character before a citation is not a letter, digit, "/", "." or dash (a lookbehind
# here would cost the speed-up), and reads the rest with LEAD_TAIL or NUMBER, below.
#   "Quy định số 148-QĐ/TW", "Chỉ thị 35", "QĐ 148"  -> a lead, then LEAD_TAIL
#   "148-QĐ/TW", "09-KL/BTCTW", "148/QĐ-TW", "71 - QD / TW"  -> "-QĐ/TW", then NUMBER
#   "178/2024/NĐ-CP", "58/CĐ-TTg", "1256/UBND-NC"  -> "/2024/N", "/CĐ-T", then NUMBER
def _literal_first(word: str) -> list[list[str]]:
    """The spellings of a kind word the start pattern looks for, each a list of pieces:
    its first letter literal (upper or lower case, any accent), the rest accent-blind."""
    first = word[0]
    variants = _VARIANTS.get(first, first)
    if word in CAPITALISED_WORDS:  # "Luật", "LUẬT", never "kỷ luật"
        variants = variants.upper()
    rest = _blind_chars(word[1:])
    return [[re.escape(v), *rest] for v in dict.fromkeys(variants + variants.upper())]


def _trie(alternatives: list[list[str]]) -> str:
    """The alternatives (each a list of pieces) as one pattern, their shared leading
    pieces written once: "ab|ac" -> "a(?:b|c)". The engine then reads a shared start once
    instead of once per alternative (a third faster on a draft than the flat list).

    Alternatives keep their order among those sharing a start, and pieces that differ are
    tried in the order their first alternative came: longest first stays longest first.
    """
    groups: dict[str, list[list[str]]] = {}
    for pieces in alternatives:
        groups.setdefault(pieces[0] if pieces else "", []).append(pieces[1:])
    out = []
    for first, rests in groups.items():
        if len(rests) == 1:
            out.append(first + "".join(rests[0]))
        elif all(rests):
            out.append(f"{first}(?:{_trie(rests)})")
        else:  # pragma: no cover - one alternative ends where another goes on: none here
            out.append(f"{first}(?:{'|'.join(''.join(r) for r in rests)})")
    return "|".join(out)


def _lead_codes() -> list[str]:
    """Codes written as a kind word ("QĐ 148"), with Đ also as its look-alike Ð."""
    return list(dict.fromkeys(v for c in LEAD_CODES for v in (c, c.replace("Đ", "Ð"))))


_CODE_ISSUER = rf"[ \t]{{0,2}}{_CODE}{_SEP}{_ISSUER}{_NUMBER_END}"
_BLANK = "[ \t\r\n]{1,3}"
# What LEAD_TAIL allows between a kind word and its serial: markup, then "số".
_LEAD_GAP = r"(?:\*{1,3}|_{1,3})?[ \t]{0,2}"
# A kind word is a start only where a digit follows after that gap, as LEAD_TAIL needs:
# "kế hoạch thực hiện", "được hướng dẫn thêm" are common words, and each start the
# engine rejects here is one less trip through the scanner's Python (a tenth of a
# draft's scan).
_LEAD = rf"{_BLANK}(?={_LEAD_GAP}{_SO}?\d)"
CITATION_START = _lazy(
    _trie(
        [[*alt, _LEAD] for word in KIND_WORDS for alt in _literal_first(word)]
        + [[*map(re.escape, code), _LEAD] for code in _lead_codes()]
        + [[re.escape(dash), _CODE_ISSUER] for dash in SERIAL_SEPARATORS]
    )
)
# Where a State number can be, searched apart: as one more alternative of CITATION_START
# it would cost a third of the scan's speed; alone it costs almost nothing.
STATE_START = _lazy(rf"/(?:\d{{4}}/[{_UPPER}]|{_STATE_PART}-[ĐÐA-Z])")

# What may follow a number: its date, then its issuer, each optional (NUMBER and
# LEAD_TAIL below end with them, so one match reads a whole citation).
#   date:   " ngày 23-5-2024", ", ngày 23/05/2024", " ngày 23 tháng 5 năm 2024",
#           " ngày 22.9.2021", "** ngày 9-5" (no year), " năm 2024" (a year alone)
#   issuer: " của Bộ Chính trị", ", của Ban Bí thư khóa XIII", " của Tỉnh ủy Quảng Nam"
# Each piece is anchored by its leading word ("ngày", "năm", "của") after at most a few
# blanks, commas or markup, so a failed attempt costs a few characters, never a scan.
_DATE_AFTER = rf"""
    (?:{_GAP}{{0,6}}
        (?:{_blind("ngay")}\s{{1,3}}(?:{_DAY_MONTH_YEAR}|{_WORDED}|{_DAY_MONTH})
          | {_blind("nam")}\s{{1,3}}(?P<y4>\d{{4}})
          | \|\s{{0,3}}(?P<d5>\d{{1,2}})/(?P<m5>\d{{1,2}})/(?P<y5>\d{{4}})\s{{0,3}}(?=\|))
    (?!\d))?
"""
# A place after a local issuer's name: "Quảng Nam", "tỉnh Đồng Nai", "thành phố Hà Nội",
# or the administrative level alone: "UBND tỉnh".
_ADMIN = "|".join(
    _blind(w) for w in ("thanh pho", "thi xa", "thi tran", "tinh", "huyen", "quan", "xa", "phuong")
)
_PLACE_NAME = rf"[{_UPPER}]\w{{0,15}}(?:\s{{1,2}}[{_UPPER}]\w{{0,15}}){{0,3}}"
_PLACE = rf"(?:\s{{1,2}}(?:(?:{_ADMIN})(?:\s{{1,2}}{_PLACE_NAME})?|{_PLACE_NAME}))?"
# Issuer names: the central ones by name, local ones by their lead words and place.
_ISSUER_NAMES = rf"""
        (?:
            (?P<said_issuer>{"|".join(_blind(w) for w in ISSUER_NAME_WORDS)})
            (?:\s{{1,3}},?\s{{0,3}}{_blind("khoa")}\s{{1,3}}[IVXLCivxlc]{{1,6}}\b)?
          | (?P<local_issuer>(?:{"|".join(_blind(w) for w in LOCAL_ISSUER_LEADS)}){_PLACE})
        )
        (?!\w)
"""
# The issuer after the number: "của Bộ Chính trị", or in the next cell of a table row
# that gave the date in the cell before ("| 08/3/2025 | Đảng ủy Khối ... |").
_ISSUER_AFTER = rf"""
    (?:
        (?:{_GAP}{{0,6}}{_blind("cua")}\s{{1,3}} | (?<=\d)\s{{0,3}}\|\s{{0,3}})
        {_ISSUER_NAMES}
    )?
"""

# A full number, from its first digit, with what follows it. Party numbers
# ("148-QĐ/TW", "148 / qd - tw", "120-KH/HU"), else State ones ("178/2024/NĐ-CP",
# "58/CĐ-TTg", "57/2014/QH13"). Which family a Party-shaped match belongs to is
# decided by its issuer code: "123/QĐ-UBND" is the State's.
# Example: "148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị".
_FULL = rf"""
    (?P<serial>\d{{1,5}})
    (?:
        {_SEP}(?P<code>{_CODE}){_SEP}(?P<issuer>{_ISSUER}){_NUMBER_END}
      | /(?:(?P<year>\d{{4}})/)?(?P<parts>{_STATE_PARTS}){_NUMBER_END}
    )
"""
NUMBER = _lazy(_FULL + _DATE_AFTER + _ISSUER_AFTER, re.VERBOSE)

# Words that make a number after a kind word a quantity, not a serial: "kế hoạch 5 năm",
# "chương trình 3 tháng", "báo cáo 12 trang".
# "ngày" and "năm" count only where no date follows: "Quy định 148 ngày 23-5-2024" and
# "Quyết định 12 năm 2019" are citations.
_UNITS = "|".join(
    [rf"{_blind('ngay')}(?!\s{{1,3}}\d)", rf"{_blind('nam')}(?!\s{{1,3}}\d{{4}})"]
    + [_blind(w) for w in ("thang", "tuan", "gio", "nguoi", "lan", "trang", "muc", "diem",
                            "dong", "trieu", "ty", "km", "ha", "phan tram", "%")]
)  # fmt: skip

# What follows a kind word: markup, "số" (optional), then a full number, or a bare serial
# that no code follows (a short form: "Quy định 144"), or a serial and year ("Quy định
# 69/2022"), then the date and issuer. Examples: "số 148-QĐ/TW", "148", "số: 35".
# Not "148 người" (the kind word must come first) nor "2022-2026" (a dash follows).
LEAD_TAIL = _lazy(
    rf"""
    {_LEAD_GAP}
    (?P<so>{_SO})?
    (?:
        {_FULL}
      | (?P<bare>\d{{1,5}})(?:/(?P<bare_year>(?:19|20)\d\d))?(?![^\W_]|[{DASH_CLASS}/]|[.,]\d)
        (?!\s{{1,3}}(?:{_UNITS})(?!\w))
    )
    """
    + _DATE_AFTER
    + _ISSUER_AFTER,
    re.VERBOSE,
)

# Facts written before a number, in the same sentence: "Ngày 8-7-2024, Ban Bí thư ban
# hành Quyết định số 179-QĐ/TW", "Thay mặt Bộ Chính trị, đồng chí … đã ký ban hành Quy
# định số 144-QĐ/TW". Only read where the words between say the body issued it.
DATE_BEFORE = _lazy(rf"{_blind('ngay')}\s{{1,3}}(?:{_DAY_MONTH_YEAR}|{_WORDED})(?!\d)")
# The issuer before the number: the body a signer acted for ("Thay mặt Bộ Chính trị, đồng
# chí … đã ký", "T/M Ban Bí thư"), or the one right before the verb ("Ban Bí thư ban hành",
# "Bộ Chính trị vừa ký ban hành"). Other bodies named in the sentence (a signer's titles,
# "Thường trực Ban Bí thư") are not its issuer.
ISSUER_BEFORE = _lazy(
    rf"""
    (?P<acting>(?:{_blind("thay mat")}|T/M)\s{{1,3}})?
    {_ISSUER_NAMES}
    (?P<issues>\s{{1,3}}(?:(?:{_blind("da")}|{_blind("vua")}|{_blind("moi")})\s{{1,3}})?
        (?:{_blind("ky")}\s{{1,3}})?{_blind("ban hanh")})?
    """,
    re.VERBOSE,
)
ISSUING = _lazy(rf"{_blind('ban hanh')}|{_blind('ky')}\b|{_blind('thong qua')}")

# Between two numbers of one list ("các Quy định số 142-QĐ/TW, 148-QĐ/TW và 145-QĐ/TW"):
# the later numbers share the first one's kind word.
LIST_JOIN = _lazy(rf"[\s,]{{0,4}}(?:{_blind('va')}\s{{1,3}})?")
