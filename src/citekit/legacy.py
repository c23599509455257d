"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI, VISCII and Windows-1258, to and from Unicode.

Drafts older than Unicode hold Vietnamese as 8-bit text: text files as bytes, Word files as
runs in a legacy font whose characters are the Windows-1252 (or Latin-1) reading of those
bytes. `decode` and `encode` convert bytes; `from_font_text` converts a Word run by its
font (`legacy_font` names the encoding a font family means); `detect` names the encoding
of a text file when its bytes leave no doubt, and says None otherwise.

Sources of the tables (each was derived by a script from its source, not typed):

- TCVN3 and VNI: the tables of UniKey's converter by Pham Kim Long, file ``unikey/data.cpp``
  of fcitx/fcitx5-unikey (commit 6ea3b37637f59ad4ab7804eb1f97afdaee921cd7, GPL-2.0-or-later;
  only the code points are used here), rows ``SingleByteTables`` "TCVN3" and
  ``DoubleByteTables`` "VNI-WIN". The 74 TCVN3 positions agree with GNU libc's iconv
  TCVN5712-1 (VN1, of which VN3 is the subset ABC fonts use).
- VISCII: RFC 1456 (Vietnamese Standardization Working Group, May 1993), Table 1, as GNU libc
  2.36 iconv "VISCII" implements it; 117 positions were checked against the RFC's table
  (rows x0-xB, xE, xF). UniKey's VISCII row agrees except that it folds the six capitals in
  C0 positions (and Õ) to small letters.
- Windows-1258 and the Windows-1252 punctuation in TCVN3 and VNI: Python's own codecs.

TCVN3 (TCVN 5712:1993 VN3) has small toned letters only, plus Ă Â Ê Ô Ơ Ư Đ: a capital with
a tone is the small letter's byte shown in a capitals font such as .VnTimeH. So
``encode("Á", "tcvn3")`` fails, and ``from_font_text(text, ".VnTimeH")`` reads capitals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from citekit.errors import InputError, UsageError

ENCODINGS = ("tcvn3", "vni", "viscii", "cp1258")
"""The legacy encodings citekit reads and writes, by the names `decode` and `encode` take."""

_ALIASES = {"abc": "tcvn3", "vn3": "tcvn3", "vniwin": "vni", "windows1258": "cp1258"}

# Each entry is "letter=bytes in hex"; a VNI letter is a base byte and a mark byte.
_TCVN3_SOURCE = (
    "Ă=A1 Â=A2 Ê=A3 Ô=A4 Ơ=A5 Ư=A6 Đ=A7 ă=A8 â=A9 ê=AA ô=AB ơ=AC "
    "ư=AD đ=AE à=B5 ả=B6 ã=B7 á=B8 ạ=B9 ằ=BB ẳ=BC ẵ=BD ắ=BE ặ=C6 "
    "ầ=C7 ẩ=C8 ẫ=C9 ấ=CA ậ=CB è=CC ẻ=CE ẽ=CF é=D0 ẹ=D1 ề=D2 ể=D3 "
    "ễ=D4 ế=D5 ệ=D6 ì=D7 ỉ=D8 ĩ=DC í=DD ị=DE ò=DF ỏ=E1 õ=E2 ó=E3 "
    "ọ=E4 ồ=E5 ổ=E6 ỗ=E7 ố=E8 ộ=E9 ờ=EA ở=EB ỡ=EC ớ=ED ợ=EE ù=EF "
    "ủ=F1 ũ=F2 ú=F3 ụ=F4 ừ=F5 ử=F6 ữ=F7 ứ=F8 ự=F9 ỳ=FA ỷ=FB ỹ=FC "
    "ý=FD ỵ=FE"
)
_VISCII_SOURCE = (
    "Ẳ=02 Ẵ=05 Ẫ=06 Ỷ=14 Ỹ=19 Ỵ=1E Ạ=80 Ắ=81 Ằ=82 Ặ=83 Ấ=84 Ầ=85 "
    "Ẩ=86 Ậ=87 Ẽ=88 Ẹ=89 Ế=8A Ề=8B Ể=8C Ễ=8D Ệ=8E Ố=8F Ồ=90 Ổ=91 "
    "Ỗ=92 Ộ=93 Ợ=94 Ớ=95 Ờ=96 Ở=97 Ị=98 Ỏ=99 Ọ=9A Ỉ=9B Ủ=9C Ũ=9D "
    "Ụ=9E Ỳ=9F Õ=A0 ắ=A1 ằ=A2 ặ=A3 ấ=A4 ầ=A5 ẩ=A6 ậ=A7 ẽ=A8 ẹ=A9 "
    "ế=AA ề=AB ể=AC ễ=AD ệ=AE ố=AF ồ=B0 ổ=B1 ỗ=B2 Ỡ=B3 Ơ=B4 ộ=B5 "
    "ờ=B6 ở=B7 ị=B8 Ự=B9 Ứ=BA Ừ=BB Ử=BC ơ=BD ớ=BE Ư=BF À=C0 Á=C1 "
    "Â=C2 Ã=C3 Ả=C4 Ă=C5 ẳ=C6 ẵ=C7 È=C8 É=C9 Ê=CA Ẻ=CB Ì=CC Í=CD "
    "Ĩ=CE ỳ=CF Đ=D0 ứ=D1 Ò=D2 Ó=D3 Ô=D4 ạ=D5 ỷ=D6 ừ=D7 ử=D8 Ù=D9 "
    "Ú=DA ỹ=DB ỵ=DC Ý=DD ỡ=DE ư=DF à=E0 á=E1 â=E2 ã=E3 ả=E4 ă=E5 "
    "ữ=E6 ẫ=E7 è=E8 é=E9 ê=EA ẻ=EB ì=EC í=ED ĩ=EE ỉ=EF đ=F0 ự=F1 "
    "ò=F2 ó=F3 ô=F4 õ=F5 ỏ=F6 ọ=F7 ụ=F8 ù=F9 ú=FA ũ=FB ủ=FC ý=FD "
    "ợ=FE Ữ=FF"
)
_VNI_SOURCE = (
    "Á=41D9 á=61F9 À=41D8 à=61F8 Ả=41DB ả=61FB Ã=41D5 ã=61F5 Ạ=41CF ạ=61EF "
    "Â=41C2 â=61E2 Ấ=41C1 ấ=61E1 Ầ=41C0 ầ=61E0 Ẩ=41C5 ẩ=61E5 Ẫ=41C3 ẫ=61E3 "
    "Ậ=41C4 ậ=61E4 Ă=41CA ă=61EA Ắ=41C9 ắ=61E9 Ằ=41C8 ằ=61E8 Ẳ=41DA ẳ=61FA "
    "Ẵ=41DC ẵ=61FC Ặ=41CB ặ=61EB Đ=D1 đ=F1 É=45D9 é=65F9 È=45D8 è=65F8 "
    "Ẻ=45DB ẻ=65FB Ẽ=45D5 ẽ=65F5 Ẹ=45CF ẹ=65EF Ê=45C2 ê=65E2 Ế=45C1 ế=65E1 "
    "Ề=45C0 ề=65E0 Ể=45C5 ể=65E5 Ễ=45C3 ễ=65E3 Ệ=45C4 ệ=65E4 Í=CD í=ED "
    "Ì=CC ì=EC Ỉ=C6 ỉ=E6 Ĩ=D3 ĩ=F3 Ị=D2 ị=F2 Ó=4FD9 ó=6FF9 "
    "Ò=4FD8 ò=6FF8 Ỏ=4FDB ỏ=6FFB Õ=4FD5 õ=6FF5 Ọ=4FCF ọ=6FEF Ô=4FC2 ô=6FE2 "
    "Ố=4FC1 ố=6FE1 Ồ=4FC0 ồ=6FE0 Ổ=4FC5 ổ=6FE5 Ỗ=4FC3 ỗ=6FE3 Ộ=4FC4 ộ=6FE4 "
    "Ơ=D4 ơ=F4 Ớ=D4D9 ớ=F4F9 Ờ=D4D8 ờ=F4F8 Ở=D4DB ở=F4FB Ỡ=D4D5 ỡ=F4F5 "
    "Ợ=D4CF ợ=F4EF Ú=55D9 ú=75F9 Ù=55D8 ù=75F8 Ủ=55DB ủ=75FB Ũ=55D5 ũ=75F5 "
    "Ụ=55CF ụ=75EF Ư=D6 ư=F6 Ứ=D6D9 ứ=F6F9 Ừ=D6D8 ừ=F6F8 Ử=D6DB ử=F6FB "
    "Ữ=D6D5 ữ=F6F5 Ự=D6CF ự=F6EF Ý=59D9 ý=79F9 Ỳ=59D8 ỳ=79F8 Ỷ=59DB ỷ=79FB "
    "Ỹ=59D5 ỹ=79F5 Ỵ=CE ỵ=EE"
)

_UNDEFINED = "\ufffd"
"""What a byte with no meaning in an encoding decodes to."""


class UnknownEncodingError(UsageError):
    """An encoding name that is none of `ENCODINGS` (nor one of their aliases)."""


class UnencodableError(InputError):
    """Text holds a character the legacy encoding has no bytes for."""

    def __init__(self, char: str, position: int, encoding: str) -> None:
        self.char = char
        self.position = position
        self.encoding = encoding
        name = unicodedata.name(char, "no name")
        hint = (
            " (TCVN3 writes toned capitals only in a capitals font)" if encoding == "tcvn3" else ""
        )
        super().__init__(
            f"{char!r} (U+{ord(char):04X} {name}) at character {position} "
            f"cannot be written in {encoding}{hint}"
        )


@dataclass(frozen=True, slots=True)
class _Codec:
    """One encoding as tables: what each byte reads as, and the bytes of each character."""

    reads: tuple[str, ...]
    """For each byte value, the text it decodes to (a VNI mark byte: combining marks)."""
    writes: Mapping[str, bytes]
    """For each character the encoding can write (NFC), its bytes."""


def _parse(source: str) -> dict[str, bytes]:
    pairs = (entry.split("=") for entry in source.split())
    return {letter: bytes.fromhex(code) for letter, code in pairs}


def _windows_1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return _UNDEFINED


def _writes_of(reads: list[str]) -> dict[str, bytes]:
    """The inverse of `reads` for the characters a single byte stands for."""
    writes = {text: bytes([byte]) for byte, text in enumerate(reads) if len(text) == 1}
    writes.pop(_UNDEFINED, None)
    return writes


def _tcvn3() -> _Codec:
    reads = [chr(b) for b in range(0x80)] + [_windows_1252(b) for b in range(0x80, 0xA1)]
    reads += [_UNDEFINED] * (0x100 - 0xA1)  # what VN3 leaves unassigned stays so
    for letter, code in _parse(_TCVN3_SOURCE).items():
        reads[code[0]] = letter
    return _Codec(tuple(reads), _writes_of(reads))


def _viscii() -> _Codec:
    reads = [chr(b) for b in range(0x100)]
    for letter, code in _parse(_VISCII_SOURCE).items():
        reads[code[0]] = letter
    return _Codec(tuple(reads), _writes_of(reads))


def _vni() -> _Codec:
    letters = _parse(_VNI_SOURCE)
    reads = [chr(b) for b in range(0x80)] + [_windows_1252(b) for b in range(0x80, 0x100)]
    for letter, code in letters.items():
        if len(code) == 1:
            reads[code[0]] = letter
    for letter, code in letters.items():
        if len(code) == 2:
            # A mark byte reads as the combining marks it adds to its base ("ô" is ơ, so
            # the acute of "ôù" adds U+0301 alone). Read alone or after a base of the
            # other case, it still shows those marks; NFC joins them to the letter.
            base = unicodedata.normalize("NFD", reads[code[0]])
            reads[code[1]] = unicodedata.normalize("NFD", letter).removeprefix(base)
    plain = {t: c for t, c in _writes_of(reads).items() if not unicodedata.combining(t)}
    return _Codec(tuple(reads), {**plain, **letters})


def _cp1258() -> _Codec:
    reads = [bytes([b]).decode("cp1258", errors="replace") for b in range(0x100)]
    return _Codec(tuple(reads), _writes_of(reads))


_BUILDERS = {"tcvn3": _tcvn3, "vni": _vni, "viscii": _viscii, "cp1258": _cp1258}


@cache
def _codec(encoding: str) -> _Codec:
    return _BUILDERS[encoding]()


def canonical(encoding: str) -> str:
    name = re.sub(r"[\s_.-]", "", encoding.lower())
    name = _ALIASES.get(name, name)
    if name not in ENCODINGS:
        raise UnknownEncodingError(
            f"unknown legacy encoding {encoding!r}; known: {', '.join(ENCODINGS)}"
        )
    return name


def decode(data: bytes, encoding: str) -> str:
    """`data` in a legacy `encoding` as NFC Unicode.

    A byte the encoding leaves unassigned reads as U+FFFD. Windows-1258 writes tones as
    combining marks after the letter; NFC joins them to it.

    >>> decode(b"Quy\\xd5t \\xae\\xdenh", "tcvn3")
    'Quyết định'
    """
    reads = _codec(canonical(encoding)).reads
    return unicodedata.normalize("NFC", "".join(reads[byte] for byte in data))


_TONES = "\u0300\u0301\u0303\u0309\u0323"
"""The five tone marks, as combining characters: grave, acute, tilde, hook, dot below."""


def _split_tone(char: str) -> tuple[str, str]:
    """A letter as (the letter without its tone, the tone mark or "")."""
    marks = unicodedata.normalize("NFD", char)
    tone = "".join(m for m in marks if m in _TONES)
    return unicodedata.normalize("NFC", "".join(m for m in marks if m not in _TONES)), tone


def encode(text: str, encoding: str) -> bytes:
    """`text` (NFC or not) in a legacy `encoding`; the inverse of `decode`.

    Raises `UnencodableError` for the first character the encoding cannot write, such as
    a toned capital in TCVN3 or "é" in VNI (whose 0xE9 is a tone mark).

    >>> encode("Quyết định", "vni")
    b'Quye\\xe1t \\xf1\\xf2nh'
    """
    name = canonical(encoding)
    writes = _codec(name).writes
    out = bytearray()
    for position, char in enumerate(unicodedata.normalize("NFC", text)):
        code = writes.get(char)
        if code is None and name == "cp1258":
            base, tone = _split_tone(char)
            if tone and base in writes and tone in writes:
                code = writes[base] + writes[tone]
        if code is None:
            raise UnencodableError(char, position, name)
        out += code
    return bytes(out)


# Font families. ABC's TCVN3 fonts are named ".Vn…" (".VnTime", ".VnArial Narrow"), and a
# name ending in "H" (".VnTimeH", ".VnArialH") is its all-capitals twin; VNI's are
# "VNI-…" ("VNI-Times", "VNI-Helve-Condense"); VISCII fonts carry "VISCII" in their name.
_FONT_PATTERNS = (
    (re.compile(r"\.vn", re.IGNORECASE), "tcvn3"),
    (re.compile(r"vni[- ]", re.IGNORECASE), "vni"),
    (re.compile(r".*\bviscii\b", re.IGNORECASE), "viscii"),
)


def legacy_font(name: str) -> str | None:
    """The legacy encoding a font family stands for, or None for a Unicode font.

    >>> legacy_font(".VnTimeH"), legacy_font("VNI-Times"), legacy_font("Times New Roman")
    ('tcvn3', 'vni', None)
    """
    family = name.strip()
    for pattern, encoding in _FONT_PATTERNS:
        if pattern.match(family):
            return encoding
    return None


def _capitals_font(name: str) -> bool:
    family = name.strip()
    return legacy_font(family) == "tcvn3" and family.endswith("H")


def _byte_of(char: str) -> int | None:
    """The byte a legacy font shows as `char` in Word: Windows-1252, Latin-1, or the
    U+F0xx private-use form Word gives bytes of symbol-charset fonts."""
    code = _WINDOWS_1252_BYTES.get(char)
    if code is not None:
        return code
    point = ord(char)
    if point < 0x100:
        return point
    if 0xF000 <= point <= 0xF0FF:
        return point - 0xF000
    return None


_WINDOWS_1252_BYTES = {
    _windows_1252(b): b for b in range(0x80, 0x100) if _windows_1252(b) != _UNDEFINED
}


def from_font_text(text: str, font: str) -> str:
    """A Word run's `text` in Unicode, given the family name of its `font`.

    A run in a legacy font holds the legacy bytes as the characters Windows-1252 (or
    Latin-1) gives them; they are decoded with the font's encoding. A character no byte
    gives (Unicode typed into a legacy-font run) is kept. A capitals font such as
    .VnTimeH shows every letter as a capital, and so reads. A Unicode font's text is
    returned unchanged.

    >>> from_font_text("Quy\\xd5t \\xae\\xdenh", ".VnTimeH")
    'QUYẾT ĐỊNH'
    """
    encoding = legacy_font(font)
    if encoding is None:
        return text
    pieces: list[str] = []
    pending = bytearray()
    for char in text:
        code = _byte_of(char)
        if code is None:
            pieces.append(decode(bytes(pending), encoding))
            pending.clear()
            pieces.append(char)
        else:
            pending.append(code)
    pieces.append(decode(bytes(pending), encoding))
    result = "".join(pieces)
    if _capitals_font(font):
        result = "".join(c.upper() if len(c.upper()) == 1 else c for c in result)
    return unicodedata.normalize("NFC", result)


def to_font_text(text: str, font: str) -> str:
    """Unicode `text` as a Word run in the legacy `font` holds it: the inverse of
    `from_font_text`, each legacy byte as its Windows-1252 character (Latin-1 where
    Windows-1252 has none). A Unicode font's text is returned unchanged.

    Raises `UnencodableError` for a character the font's encoding cannot write.

    >>> to_font_text("71-QĐ/TW", ".VnTime")
    '71-Q§/TW'
    """
    encoding = legacy_font(font)
    if encoding is None:
        return text
    return "".join(_FONT_CHARS[byte] for byte in encode(text, encoding))


_FONT_CHARS = tuple(
    chr(b) if _windows_1252(b) == _UNDEFINED else _windows_1252(b) for b in range(0x100)
)
"""The character Word shows for each byte of a legacy font: the inverse of `_byte_of`."""

# Detection: decode with every encoding and count the words with a non-ASCII letter that
# are Vietnamese syllables (onset, vowel nucleus, coda, at most one tone) or capital-consonant
# abbreviations such as "QĐ". Typographic punctuation (U+2010-U+206F: dashes, curly quotes,
# bullets) separates words like ASCII punctuation; other symbols stay inside words and spoil
# them, which is how a wrong reading ("T«i", "Quy\u00d5t") shows itself.
_ONSET = "(?P<onset>ngh|ng|gh|gi|kh|ch|nh|ph|th|tr|qu|[bcdđghklmnprstvx])?"
_NUCLEI = (
    "a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê "
    "ui uô uơ ưa ưi ươ ưu uy uya uyê yê oai oay oao oeo uây uôi ươi ươu iêu yêu uyu"
)
_SYLLABLE = re.compile(
    _ONSET
    + "(?P<nucleus>"
    + "|".join(sorted(_NUCLEI.split(), key=len, reverse=True))
    + ")(?P<coda>ng|nh|ch|[cmnpt])?"
)
_ABBREVIATION = re.compile("[BCDĐGHKLMNPQRSTVX]*Đ[BCDĐGHKLMNPQRSTVX]*")
_SEPARATORS = re.compile(r"[\s\x21-\x40\x5b-\x60\x7b-\x7f\u00a0\u2010-\u206f]+")
_FRONT = ("e", "ê", "i", "y")
_STOP_TONES = ("\u0301", "\u0323")
"""A syllable ending in c, ch, p or t takes the acute or the dot below, nothing else."""
_PALATAL_NUCLEI = {
    "ch": ("a", "ê", "i", "oa", "uê", "uy"),
    "nh": ("a", "ê", "i", "y", "oa", "uê", "uy"),
}
MIN_SYLLABLES = 8
"""`detect` names an encoding only when its reading has at least this many accented syllables."""
_GOOD = 0.85
"""... and at least this share of the words with a non-ASCII character are Vietnamese..."""
_MARGIN = 0.3
"""... and every other reading's share is lower by this much."""


def _is_vietnamese(word: str) -> bool:
    """A Vietnamese syllable as spelt (onset, nucleus, coda, tone that fits them), in lower,
    Title or UPPER case, or an abbreviation with Đ such as "QĐ"."""
    if _ABBREVIATION.fullmatch(word):
        return True
    lower = word.lower()
    if word not in (lower, word.upper(), word[0] + word[1:].lower()):
        return False
    tones = [m for m in unicodedata.normalize("NFD", lower) if m in _TONES]
    match = _SYLLABLE.fullmatch("".join(_split_tone(c)[0] for c in lower))
    if match is None or len(tones) > 1:
        return False
    onset, nucleus, coda = match.group("onset", "nucleus", "coda")
    tone = tones[0] if tones else ""
    front = nucleus.startswith(_FRONT)
    return not (
        (coda in ("c", "ch", "p", "t") and tone not in _STOP_TONES)
        or (coda in _PALATAL_NUCLEI and nucleus not in _PALATAL_NUCLEI[coda])
        or (onset == "c" and front)
        or (onset == "k" and not front)
        or (onset in ("gh", "ngh") and not nucleus.startswith(("e", "ê", "i")))
        or (onset in ("g", "ng") and nucleus.startswith(("e", "ê")))
        or (onset == "ng" and nucleus.startswith("i"))
    )


def _score(text: str) -> tuple[int, float]:
    """(Vietnamese words with a non-ASCII letter, their share of all non-ASCII words)."""
    words = [w for w in _SEPARATORS.split(text) if w and not w.isascii()]
    good = sum(1 for w in words if _is_vietnamese(w))
    return good, (good / len(words) if words else 0.0)


def detect(data: bytes) -> str | None:
    """The legacy encoding `data` is in, when only one reading makes Vietnamese of it.

    None for ASCII, for valid UTF-8 (and text with a UTF-16 byte-order mark), for text with
    too few accented words, and whenever two encodings read it about as well.

    >>> detect("Quyết định số 148".encode()) is None
    True
    """
    if data.isascii() or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return None
    scores = {name: _score(decode(data, name)) for name in ENCODINGS}
    best = max(scores, key=lambda name: scores[name][1])
    count, share = scores[best]
    if count < MIN_SYLLABLES or share < _GOOD:
        return None
    if any(scores[n][1] > share - _MARGIN for n in ENCODINGS if n != best):
        return None
    return best
