"""Legacy Vietnamese encodings: the tables, round trips, Word font runs and detection."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from helpers import DATA
from hypothesis import given
from hypothesis import strategies as st

from citekit import legacy
from citekit.errors import InputError, UsageError
from citekit.legacy import (
    ENCODINGS,
    UnencodableError,
    UnknownEncodingError,
    decode,
    detect,
    encode,
    from_font_text,
    legacy_font,
)

LEGACY = DATA / "legacy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def _letters() -> list[str]:
    """The 134 Vietnamese letters outside ASCII, built from Unicode (not from the tables)."""
    found = ["đ", "Đ"]
    for base in "aăâeêioôơuưy":
        for tone in TONES:
            letter = unicodedata.normalize("NFC", base + tone)
            if not letter.isascii():
                found += [letter, letter.upper()]
    return found


LETTERS = _letters()
SMALL = [c for c in LETTERS if c.islower()]
CAPITALS = [c for c in LETTERS if c.isupper()]
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"
"""The only capitals outside ASCII that TCVN3 (VN3) has a byte for."""


def test_letter_inventory() -> None:
    assert len(LETTERS) == len(set(LETTERS)) == 134
    assert all(len(c) == 1 for c in LETTERS)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("letter", LETTERS)
def test_every_letter_round_trips(encoding: str, letter: str) -> None:
    if encoding == "tcvn3" and letter.isupper() and letter not in TCVN3_CAPITALS:
        with pytest.raises(UnencodableError, match="capitals font"):
            encode(letter, encoding)
        return
    data = encode(letter, encoding)
    assert decode(data, encoding) == letter
    assert decode(encode(unicodedata.normalize("NFD", letter), encoding), encoding) == letter


@pytest.mark.parametrize("letter", CAPITALS)
def test_tcvn3_capitals_read_from_the_capitals_font(letter: str) -> None:
    # .VnTimeH shows the small letter's byte as the capital.
    data = encode(letter.lower(), "tcvn3")
    assert from_font_text(data.decode("cp1252"), ".VnTimeH") == letter


@pytest.mark.parametrize("encoding", ["tcvn3", "viscii"])
def test_single_byte_tables_give_each_letter_its_own_byte(encoding: str) -> None:
    letters = [c for c in LETTERS if encoding != "tcvn3" or c in SMALL or c in TCVN3_CAPITALS]
    codes = [encode(c, encoding) for c in letters]
    assert all(len(code) == 1 for code in codes)
    assert len(set(codes)) == len(letters)


def test_viscii_is_a_full_table() -> None:
    # RFC 1456: all 128 upper bytes and six C0 bytes are Vietnamese letters.
    high = decode(bytes(range(0x80, 0x100)), "viscii")
    assert set(high) <= set(LETTERS)
    assert decode(bytes([2, 5, 6, 0x14, 0x19, 0x1E]), "viscii") == "ẲẴẪỶỸỴ"


def test_vni_uses_a_base_and_a_mark() -> None:
    assert all(len(encode(c, "vni")) <= 2 for c in LETTERS)
    assert encode("ấ", "vni") == b"a\xe1"
    assert encode("Ấ", "vni") == b"A\xc1"


PHRASE = "Quyết định số 148-QĐ/TW"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("tcvn3", b"Quy\xd5t \xae\xdenh s\xe8 148-Q\xa7/TW"),
        ("vni", b"Quye\xe1t \xf1\xf2nh so\xe1 148-Q\xd1/TW"),
        ("viscii", b"Quy\xaat \xf0\xb8nh s\xaf 148-Q\xd0/TW"),
        ("cp1258", b"Quy\xea\xect \xf0i\xf2nh s\xf4\xec 148-Q\xd0/TW"),
    ],
)
def test_known_phrase(encoding: str, data: bytes) -> None:
    assert encode(PHRASE, encoding) == data
    assert decode(data, encoding) == PHRASE


@pytest.mark.parametrize(
    ("encoding", "data", "text"),
    [
        # The TestPhrases of duydev/vietnamese-conversion (an independent converter), as bytes.
        ("tcvn3", b"Xin ch\xb5o c\xb8c b\xb9n", "Xin chào các bạn"),
        ("tcvn3", b"T\xabi \xaei h\xe4c", "Tôi đi học"),
        ("vni", b"Xin cha\xf8o ca\xf9c ba\xefn", "Xin chào các bạn"),
        ("vni", b"To\xe2i \xf1i ho\xefc", "Tôi đi học"),
        # RFC 1456 Table 1, row x0: A. O^` O~ o^` A` DD a` dd at 0x80 ... 0xF0.
        ("viscii", b"\x80\x90\xa0\xb0\xc0\xd0\xe0\xf0", "ẠỒÕồÀĐàđ"),
        # Row xF: O^' Y` o^' U+ y` u+ i? U+~ at 0x8F ... 0xFF.
        ("viscii", b"\x8f\x9f\xaf\xbf\xcf\xdf\xef\xff", "ỐỲốƯỳưỉỮ"),
        # Windows-1258: base letter, then the tone as a combining mark (0xEC acute).
        ("cp1258", b"Vi\xea\xf2t Nam", "Việt Nam"),
    ],
)
def test_fixed_bytes_from_the_sources(encoding: str, data: bytes, text: str) -> None:
    assert decode(data, encoding) == text
    assert encode(text, encoding) == data


def test_cp1258_prefers_a_precomposed_byte() -> None:
    assert encode("á", "cp1258") == b"\xe1"
    assert encode("ấ", "cp1258") == b"\xe2\xec"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("tcvn3", "Ấn"),  # a toned capital: only a capitals font shows it
        ("tcvn3", "ö"),  # 0xF6 is ử
        ("vni", "Müller"),  # 0xFC is a mark (breve and tilde) in VNI
        ("vni", "x\u0301"),  # a tone on a consonant
        ("viscii", "“Quyết”"),  # VISCII has no curly quotes
        ("cp1258", "ő"),
    ],
)
def test_unencodable_text_is_refused(encoding: str, text: str) -> None:
    with pytest.raises(UnencodableError) as caught:
        encode(text, encoding)
    assert isinstance(caught.value, InputError)
    assert encoding in str(caught.value)
    assert "U+" in str(caught.value)


def test_unencodable_error_names_the_character_and_position() -> None:
    with pytest.raises(UnencodableError) as caught:
        encode("Quyết định số 148 “x”", "viscii")
    assert caught.value.char == "“"
    assert caught.value.position == 18


@pytest.mark.parametrize("name", ["VNI-Win", "ABC", "vn3", "Windows-1258", "VISCII", "TCVN3"])
def test_encoding_aliases(name: str) -> None:
    assert decode(b"Vi", name) == "Vi"


def test_unknown_encoding_is_a_usage_error() -> None:
    with pytest.raises(UnknownEncodingError, match="known: tcvn3, vni, viscii, cp1258"):
        decode(b"x", "utf-7")
    assert issubclass(UnknownEncodingError, UsageError)


def test_unassigned_bytes_read_as_replacement() -> None:
    # VN3 leaves 0xC0 unassigned; Windows-1252 leaves 0x81 undefined.
    assert decode(b"\xc0", "tcvn3") == "\ufffd"
    assert decode(b"\x81", "cp1258") == "\ufffd"


def test_windows_punctuation_in_tcvn3_and_vni() -> None:
    assert decode(b"\x93\xa7\xb5\x94 \x96", "tcvn3") == "“Đà” –"
    assert decode(b"\x93\xd1a\xf8\x94", "vni") == "“Đà”"


def test_vni_mark_after_a_base_of_the_other_case() -> None:
    # Word's "change case" can leave a capital base before a small mark: it still shows Á.
    assert decode(b"A\xf9", "vni") == "Á"
    assert decode(b"\xd4\xf9", "vni") == "Ớ"


@given(st.text(alphabet=st.sampled_from([*LETTERS, *"abcdeghiklmnopqrstuvxy ,.-/0123456789"])))
def test_round_trip_property(text: str) -> None:
    for encoding in ("vni", "viscii", "cp1258"):
        assert decode(encode(text, encoding), encoding) == text
    small = text.lower()
    assert decode(encode(small, "tcvn3"), "tcvn3") == small


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", "tcvn3"),
        (".VnTimeH", "tcvn3"),
        (".VnArial", "tcvn3"),
        (".VnArialH", "tcvn3"),
        (".VnArial Narrow", "tcvn3"),
        (" .VnCentury Schoolbook ", "tcvn3"),
        ("VNI-Times", "vni"),
        ("VNI-Helve", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("vni-times", "vni"),
        ("VISCII", "viscii"),
        ("Times VISCII", "viscii"),
        ("Times New Roman", None),
        ("Arial", None),
        ("VNtimes new roman", None),  # not an ABC ".Vn" font
        ("Vni", None),
        ("", None),
    ],
)
def test_legacy_font(font: str, expected: str | None) -> None:
    assert legacy_font(font) == expected


@pytest.mark.parametrize(
    ("text", "font", "expected"),
    [
        ("Quy\xd5t \xae\xdenh s\xe8 148-Q\xa7/TW", ".VnTime", "Quyết định số 148-QĐ/TW"),
        ("Quy\xd5t \xae\xdenh s\xe8 148-Q\xa7/TW", ".VnTimeH", "QUYẾT ĐỊNH SỐ 148-QĐ/TW"),
        ("quy\xd5t \xae\xdenh", ".VnArialH", "QUYẾT ĐỊNH"),
        ("Quye\xe1t \xf1\xf2nh so\xe1 148-Q\xd1/TW", "VNI-Times", "Quyết định số 148-QĐ/TW"),
        ("Quy\xaat \xf0\xb8nh", "VISCII", "Quyết định"),
        # Word gives bytes 0x80-0x9F as Windows-1252 characters: VISCII's Ạ is 0x80 (€).
        ("\u20acn", "VISCII", "Ạn"),
        ("\u201cQuy\xd5t\u201d", ".VnTime", "“Quyết”"),
        # Unicode typed into a legacy-font run stays as it is.
        ("Quy\xd5t ệ", ".VnTime", "Quyết ệ"),
        # The private-use form Word gives the bytes of a symbol-charset font.
        ("\uf0ae\uf0de", ".VnTime", "đị"),
        ("Quyết định", "Times New Roman", "Quyết định"),
    ],
)
def test_from_font_text(text: str, font: str, expected: str) -> None:
    assert from_font_text(text, font) == expected


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_detects_a_realistic_sample(encoding: str) -> None:
    data = (LEGACY / f"{encoding}.txt").read_bytes()
    assert detect(data) == encoding
    expected = (LEGACY / "utf8.txt").read_text(encoding="utf-8")
    text = decode(data, encoding)
    if encoding == "viscii":
        expected = expected.replace("“", '"').replace("”", '"')
    if encoding == "tcvn3":
        expected = expected.replace("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban chấp hành Trung ƯƠNG")
    assert text == expected


@pytest.mark.parametrize(
    "data",
    [
        pytest.param((LEGACY / "utf8.txt").read_bytes(), id="utf-8"),
        pytest.param("Quyết định".encode("utf-16"), id="utf-16"),
        pytest.param(b"Quyet dinh so 148-QD/TW", id="ascii"),
        pytest.param(b"", id="empty"),
        # VISCII and Windows-1258 read these Latin-1 letters alike: "cá và gà à á".
        pytest.param(b"c\xe1 v\xe0 g\xe0 \xe0 \xe1 v\xe0 c\xe1", id="viscii-or-cp1258"),
        pytest.param(b"Quy\xd5t \xae\xdenh s\xe8 148-Q\xa7/TW", id="too-short"),
        pytest.param("Le café est très chaud, où est la crème brûlée?".encode("cp1252"), id="fr"),
        pytest.param("Größe Übung für Straße".encode("latin-1"), id="de"),
        pytest.param(bytes(range(0x80, 0x100)) * 3, id="noise"),
    ],
)
def test_detection_refuses_to_guess(data: bytes) -> None:
    assert detect(data) is None


def test_detection_needs_a_clear_lead() -> None:
    # Half TCVN3, half VNI: neither reading is Vietnamese enough.
    tcvn3 = encode("các cấp ủy tổ chức thực hiện nghiêm túc quyết định này", "tcvn3")
    vni = encode("các cấp ủy tổ chức thực hiện nghiêm túc quyết định này", "vni")
    assert detect(tcvn3) == "tcvn3"
    assert detect(vni) == "vni"
    assert detect(tcvn3 + b" " + vni) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("quyết", True),
        ("Nghiêm", True),
        ("ƯƠNG", True),
        ("QĐ", True),
        ("khuya", True),
        ("thùc", False),  # a stop coda takes only the acute or the dot below
        ("ChÊp", False),  # mixed case
        ("cẽn", False),  # c is spelt k before e
        ("T«i", False),
        ("ủũnh", False),  # two tones
    ],
)
def test_syllable_check(word: str, expected: bool) -> None:
    assert legacy._is_vietnamese(word) is expected


def test_a_word_run_in_a_legacy_font_is_checked_as_unicode(tmp_path: Path) -> None:
    """A .docx typed with .VnTime holds TCVN3 bytes as Windows characters: decoded by the
    run's font, its citations are read like any other."""
    import docx

    from citekit.findings import check_path

    said = "Quyết định số 179-QĐ/TW ngày 9-7-2024 của Ban Bí thư"
    shown = encode(said, "tcvn3").decode("cp1252", errors="replace")
    document = docx.Document()
    run = document.add_paragraph().add_run(shown)
    run.font.name = ".VnTime"
    path = tmp_path / "old.docx"
    document.save(str(path))
    report = check_path(path)
    [finding] = report.findings
    assert finding.code.value == "wrong-date"
    assert finding.message.startswith("179-QĐ/TW is dated 8-7-2024, not 9-7-2024")
