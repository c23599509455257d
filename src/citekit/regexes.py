"""Every pattern citekit matches, in one place.

All patterns run on *folded* text (see `folding.fold`): lower case, no diacritics, Đ as d,
every dash as "-". None of them can backtrack catastrophically: each quantified piece is
a single character class, and neighbouring pieces use disjoint classes (digits, letters,
separators), so at any position at most one piece can consume the next character and
the engine never has two ways to split the same run of text.
"""

from __future__ import annotations

import re

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
QUERY_LEAD = re.compile(r"^so\b\s*:?\s*")

# A kind word at the start of a query, with an optional "số".
# Example: "quy dinh so 148" -> kind "quy dinh", rest "148".
QUERY_KIND = re.compile(rf"^(?P<kind>{_KIND_WORD})\b\s*(?:so\b\s*:?\s*)?")

# A full number in Party order (serial-CODE/ISSUER) or State order (serial/CODE-ISSUER),
# with any separator people type, spaces included.
# Examples: "148-qd/tw", "148 qd tw", "148/qd-tw", "09 - kl / btctw".
QUERY_FULL = re.compile(
    r"(?P<serial>\d{1,6})\s*(?:[-/]|\s)\s*(?P<code>[a-z]{1,5})\s*(?:[-/]|\s)\s*(?P<issuer>[a-z]{1,12})"
)

# A State number with its year: "30/2020/nd-cp", "12/2019/tt-bnv".
STATE_YEAR = re.compile(
    r"(?P<serial>\d{1,6})\s*/\s*(?P<year>\d{4})\s*/\s*(?P<code>[a-z]{1,6})\s*-\s*(?P<issuer>[a-z]{1,12}(?:-[a-z]{1,12})?)"
)

# Serial and kind code only: "35-ct", "148 qd".
QUERY_SERIAL_CODE = re.compile(r"(?P<serial>\d{1,6})\s*(?:[-/]|\s)\s*(?P<code>[a-z]{1,5})")

# Kind code before the serial: "qd 148", "qd148", "ct-35".
QUERY_CODE_SERIAL = re.compile(r"(?P<code>[a-z]{1,5})\s*-?\s*(?P<serial>\d{1,6})")

# A bare serial: "212".
QUERY_SERIAL = re.compile(r"(?P<serial>\d{1,6})")

# A catalogue date, ISO only: "2024-05-23". Whether it is a real date is checked apart.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Anything between words of folded text, for title search: "boi duong, cap" -> "boi duong cap".
NON_WORD = re.compile(r"[\W_]+")
