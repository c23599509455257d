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


class _LazyPattern:
    """Compiles its pattern on first use: start-up pays only for what a command uses."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)


def _lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return cast("re.Pattern[str]", _LazyPattern(pattern, flags))


# Kind words, longest first so "quyet dinh" is never read as "quy" + rest.
# "Quy định số 148" -> "quy dinh"; "Chỉ thị 35" -> "chi thi".
KIND_WORDS = (
    "chuong trinh",
    "quyet dinh",
    "nghi quyet",
    "huong dan",
    "thong bao",
    "quy dinh",
    "ket luan",
    "ke hoach",
    "cong van",
    "to trinh",
    "quy che",
    "bao cao",
    "chi thi",
    "de an",
)
_KIND_WORD = "|".join(w.replace(" ", r"\s+") for w in KIND_WORDS)

# Folded Party kind codes: "qd" is QĐ, "qdi" the older QĐi, "ctr" CTr, "da" ĐA.
PARTY_CODES = "qdns|qdi|qd|nq|ctr|ct|kl|hd|qc|tb|bc|kh|da|cv|ttr"

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
    r"(?P<serial>\d{1,6})\s*(?:[-/]|\s)\s*(?P<code>[a-z]{1,5})\s*(?:[-/]|\s)\s*(?P<issuer>[a-z]{1,12})"
)

# A State number with its year: "30/2020/nd-cp", "12/2019/tt-bnv".
STATE_YEAR = _lazy(
    r"(?P<serial>\d{1,6})\s*/\s*(?P<year>\d{4})\s*/\s*(?P<code>[a-z]{1,6})\s*-\s*(?P<issuer>[a-z]{1,12}(?:-[a-z]{1,12})?)"
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

# Anything between words of folded text, for title search: "boi duong, cap" -> "boi duong cap".
NON_WORD = _lazy(r"[\W_]+")


# --- Scanning drafts -------------------------------------------------------------------
# The scanner runs on NFC text as written (folding 20 MB first would cost more than the
# scan), so its patterns accept accents, case and dashes themselves. Only the short
# windows around a hit are folded, for the date and issuer patterns further down.

DASH_CLASS = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SEP = rf"[ \t]{{0,2}}[{DASH_CLASS}/][ \t]{{0,2}}"
# Party kind codes as drafts write them, any case, Đ or D or the look-alike Ð.
_CODE = r"(?:Q[ĐDÐ](?:NS|I)?|NQ|CTR?|KL|HD|QC|TB|BC|KH|[ĐDÐ]A|CV|TTR)"
# Central issuer codes all end in TW: TW, BTCTW, VPTW, UBKTTW, ĐUQSTW ...
_ISSUER = r"[A-ZĐÐ]{0,8}TW"

_VOWELS = {
    "a": "aàáảãạăằắẳẵặâầấẩẫậ",
    "e": "eèéẻẽẹêềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọôồốổỗộơờớởỡợ",
    "u": "uùúủũụưừứửữự",
    "y": "yỳýỷỹỵ",
    "d": "dđð",
}


def _accent_blind(word: str) -> str:
    """A pattern for `word` (folded) that matches it with or without accents."""
    out = []
    for char in word:
        if char == " ":
            out.append(r"\s{1,3}")
        elif char in _VOWELS:
            out.append(f"[{_VOWELS[char]}]")
        else:
            out.append(char)
    return "".join(out)


_KIND_WORD_TEXT = "|".join(_accent_blind(w) for w in KIND_WORDS)
_SO = r"(?:s[oốôố]\b[ \t]{0,2}:?[ \t\n]{0,3})"

# One pass finds both kinds of citation; case-insensitive, on NFC text.
#   full:  "148-QĐ/TW", "09-KL/BTCTW", "148/QĐ-TW", "71 - QD / TW"
#   bare:  "Quy định số 148", "Chỉ thị 35", "QĐ 148" (a kind word or code, then a serial
#          that no code follows)
# The full branch starts with a digit and the bare branch with a letter, so they never
# compete for the same start. Inside each branch, neighbouring pieces use disjoint
# classes (digits / separators / letters), and every repeat is bounded.
CITATION = _lazy(
    rf"""
    (?<![\w/.{DASH_CLASS}])
    (?:
        (?P<serial>\d{{1,5}}){_SEP}(?P<code>{_CODE}){_SEP}(?P<issuer>{_ISSUER})(?![\w{DASH_CLASS}])
      |
        (?P<lead>{_KIND_WORD_TEXT}|Q[ĐDÐ]|CT|KL|HD)[ \t\n]{{1,3}}{_SO}?
        (?P<bare>\d{{1,5}})(?![\w{DASH_CLASS}/]|[.,]\d)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

# The kind word just before a full number, in a folded window that ends at the number.
# Example: "... theo quy dinh so " -> "quy dinh".
KIND_BEFORE = _lazy(rf"(?:^|[^a-z])(?P<kind>{_KIND_WORD})\s{{1,3}}(?:so\s{{0,3}}:?\s{{0,3}})?$")

# The date just after a number, in a folded window that starts at the number's end.
# Examples: " ngay 23-5-2024", ", ngay 23/05/2024", " ngay 23 thang 5 nam 2024".
DATE_AFTER = _lazy(
    r"""
    ^\s{0,3},?\s{0,3}ngay\s{1,3}
    (?:
        (?P<d>\d{1,2})\s{0,2}(?P<sep>[-/.])\s{0,2}(?P<m>\d{1,2})\s{0,2}(?P=sep)\s{0,2}(?P<y>\d{4})
      | (?P<d2>\d{1,2})\s{1,3}thang\s{1,3}(?P<m2>\d{1,2})\s{1,3}nam\s{1,3}(?P<y2>\d{4})
    )
    (?!\d)
    """,
    re.VERBOSE,
)

# The issuer after the number (and date): " cua Bo Chinh tri", ", cua Ban Bi thu khoa XIII".
ISSUER_AFTER = _lazy(
    r"""
    ^\s{0,3},?\s{0,3}cua\s{1,3}
    (?P<issuer>
        bo\s{1,3}chinh\s{1,3}tri
      | ban\s{1,3}bi\s{1,3}thu
      | ban\s{1,3}chap\s{1,3}hanh\s{1,3}trung\s{1,3}uong(?:\s{1,3}dang)?
      | ban\s{1,3}to\s{1,3}chuc\s{1,3}trung\s{1,3}uong
      | ban\s{1,3}tuyen\s{1,3}giao\s{1,3}trung\s{1,3}uong
      | ban\s{1,3}dan\s{1,3}van\s{1,3}trung\s{1,3}uong
      | ban\s{1,3}kinh\s{1,3}te\s{1,3}trung\s{1,3}uong
      | ban\s{1,3}noi\s{1,3}chinh\s{1,3}trung\s{1,3}uong
      | van\s{1,3}phong\s{1,3}trung\s{1,3}uong(?:\s{1,3}dang)?
      | uy\s{1,3}ban\s{1,3}kiem\s{1,3}tra\s{1,3}trung\s{1,3}uong
    )
    (?:\s{1,3},?\s{0,3}khoa\s{1,3}(?P<term>[ivxlc]{1,6})\b)?
    (?![a-z])
    """,
    re.VERBOSE,
)

# A suppression comment: "citekit: ignore", "citekit: ignore[wrong-date, wrong-kind]",
# "citekit: ignore-next-line".
SUPPRESS = _lazy(
    r"citekit:\s{0,3}(?P<what>ignore-next-line|ignore)(?:\[(?P<codes>[a-z\-, ]{1,200})\])?"
)

# A unified diff hunk header; the added side: "@@ -10,2 +12,3 @@" -> start 12, count 3.
HUNK = _lazy(r"^@@ -\d+(?:,\d+)? \+(?P<start>\d+)(?:,(?P<count>\d+))? @@", re.MULTILINE)
