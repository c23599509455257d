"""The number parser: every form of issue 2 section 2, for a few representative numbers."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citekit.catalogue import Catalogue, builtin_path, load_catalogue
from citekit.docnumber import (
    ISSUER_SPELLING,
    PARTY_CODE_SPELLING,
    STATE_CODE_SPELLING,
    DocNumber,
    Form,
    normalize_number,
    parse_number,
)
from citekit.folding import fold
from citekit.matching import MatchKind, Status
from citekit.model import Document, Kind
from citekit.queries import lookup
from citekit.vocabulary import ISSUERS, Family

CATALOGUE = load_catalogue([builtin_path()])
DASHES = {
    "hyphen U+2010": "\u2010",
    "non-breaking hyphen U+2011": "\u2011",
    "en dash U+2013": "\u2013",
    "em dash U+2014": "\u2014",
    "minus sign U+2212": "\u2212",
    "figure dash U+2012": "\u2012",
    "horizontal bar U+2015": "\u2015",
    "full-width hyphen-minus U+FF0D": "\uff0d",
}
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ETH = "\u00d0"  # Ð, Icelandic eth: looks like Đ (U+0110) in most fonts


def bare(text: str) -> str:
    """`text` as typed on a keyboard without Vietnamese input: no marks, Đ as D."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def parts(document: Document) -> tuple[str, str, str]:
    serial, rest = document.number.split("-", 1)
    code, issuer = rest.split("/")
    return serial, code, issuer


def full_forms(document: Document) -> list[tuple[str, str]]:
    """(form, text) pairs that name the whole number of `document`."""
    number = document.number
    serial, code, issuer = parts(document)
    kind = document.kind.value
    forms = [
        ("canonical", number),
        ("lower case", number.lower()),
        ("upper case", number.upper()),
        ("swapped case", number.swapcase()),
        ("no diacritics", bare(number)),
        ("no diacritics, lower case", bare(number).lower()),
        ("NFD", unicodedata.normalize("NFD", f"{kind} số {number}")),
        ("NFKD", unicodedata.normalize("NFKD", f"Số: {number}")),
        ("NFD, State order", unicodedata.normalize("NFD", f"số {serial}/{code}-{issuer}")),
        ("spaces as separators", f"{serial} {code} {issuer}"),
        ("spaces, bare, lower", bare(f"{serial} {code} {issuer}").lower()),
        ("spaces around separators", f"{serial} - {code} / {issuer}"),
        ("no-break spaces", f"{serial}\u00a0{code}\u00a0{issuer}"),
        ("State order", f"{serial}/{code}-{issuer}"),
        ("State order, lower", f"{serial}/{code}-{issuer}".lower()),
        ("leading Số", f"Số {number}"),
        ("leading số", f"số {number}"),
        ("leading Số:", f"Số: {number}"),
        ("leading so, bare", f"so {bare(number)}"),
        ("leading Số, NFD", unicodedata.normalize("NFD", f"Số {number}")),
        ("kind word", f"{kind} {number}"),
        ("kind word and số", f"{kind} số {number}"),
        ("kind word and số, bare", bare(f"{kind} số {number}").lower()),
        ("kind word, State order", f"{kind} số {serial}/{code}-{issuer}"),
        ("full-width digits", number.translate(FULL_WIDTH)),
        ("full-width slash", number.replace("/", "\uff0f")),
        ("surrounding blanks", f"  {number}\t"),
        ("serial without leading zero", f"{int(serial)}-{code}/{issuer}"),
        ("serial with a leading zero", f"0{serial}-{code}/{issuer}"),
        ("serial with two leading zeros", f"00{int(serial)}-{code}/{issuer}"),
    ]
    forms += [(f"dash {name}", number.replace("-", dash)) for name, dash in DASHES.items()]
    forms += [
        (f"State order, dash {name}", f"{serial}/{code}{dash}{issuer}")
        for name, dash in DASHES.items()
    ]
    if "Đ" in number:
        forms += [
            ("look-alike Ð", number.replace("Đ", ETH)),
            ("look-alike ð", number.replace("Đ", ETH).lower()),
            ("look-alike Ð in kind word", f"{kind.replace('đ', 'ð')} số {number}"),
        ]
    return forms


def partial_forms(document: Document) -> list[tuple[str, str, str | None, Kind | None]]:
    """(form, text, code, kind) for partial numbers that pick out `document` alone."""
    serial, code, _ = parts(document)
    plain = str(int(serial))
    kind = document.kind
    word = kind.value
    forms: list[tuple[str, str, str | None, Kind | None]] = [
        ("serial and code", f"{serial}-{code}", code, None),
        ("serial and code, bare lower", bare(f"{serial}-{code}").lower(), code, None),
        ("serial and code, spaced", f"{plain} {code}", code, None),
        ("serial and code, en dash", f"{plain}\u2013{code}", code, None),
        ("code before serial", f"{code} {plain}", code, None),
        ("code before serial, bare", bare(f"{code} {plain}"), code, None),
        ("code before serial, no space", f"{code}{plain}", code, None),
        ("code, dash, serial", f"{code}-{plain}", code, None),
        ("serial alone", plain, None, None),
        ("serial alone, leading zero", f"0{plain}", None, None),
        ("serial alone, full-width", plain.translate(FULL_WIDTH), None, None),
        ("Số and serial", f"Số {plain}", None, None),
        ("kind word", f"{word} {plain}", None, kind),
        ("kind word and số", f"{word} số {plain}", None, kind),
        ("kind word and Số:", f"{word} Số: {plain}", None, kind),
        ("kind word, bare", bare(f"{word} so {plain}").lower(), None, kind),
        ("kind word, upper case", f"{word} số {plain}".upper(), None, kind),
        ("kind word, NFD", unicodedata.normalize("NFD", f"{word} số {plain}"), None, kind),
        ("kind word, full-width digits", f"{word} {plain.translate(FULL_WIDTH)}", None, kind),
        ("kind word, serial and code", f"{word} số {serial}-{code}", code, kind),
    ]
    if "đ" in word:
        forms.append(("look-alike ð in kind word", f"{word.replace('đ', ETH)} {plain}", None, kind))
    return forms


REPRESENTATIVE = ("09-KL/BTCTW", "27-HD/BTCTW", "35-CT/TW", "71-QĐ/TW", "148-QĐ/TW")
"""A few numbers that between them have every feature the forms vary: a leading zero,
a long issuer, Đ in the code, one to three digits, and five kinds."""
DOCUMENTS = [CATALOGUE.by_number(number)[0] for number in REPRESENTATIVE]

FULL = [
    pytest.param(text, doc.number, id=f"{doc.number} {form}")
    for doc in DOCUMENTS
    for form, text in full_forms(doc)
]
PARTIAL = [
    pytest.param(text, doc.number, code, kind, id=f"{doc.number} {form}")
    for doc in DOCUMENTS
    for form, text, code, kind in partial_forms(doc)
]


def test_the_representatives_differ_in_kind_and_shape() -> None:
    assert len({d.kind for d in DOCUMENTS}) == len(DOCUMENTS)
    assert {len(str(d.serial)) for d in DOCUMENTS} == {1, 2, 3}
    assert any("Đ" in d.number for d in DOCUMENTS)


@pytest.mark.parametrize(("text", "number"), FULL)
def test_full_forms_parse_to_the_canonical_number(text: str, number: str) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.form is Form.PARTY
    assert parsed.canonical == number
    assert normalize_number(text) == number


@pytest.mark.parametrize(("text", "number"), FULL)
def test_full_forms_look_up_the_document(text: str, number: str) -> None:
    result = lookup(CATALOGUE, text)
    assert result.status is Status.FOUND
    [match] = result.matches
    assert match.document.number == number
    expected = MatchKind.EXACT if text.strip() == number else MatchKind.NORMALIZED
    assert match.match is expected
    assert match.score == 100


@pytest.mark.parametrize(("text", "number", "code", "kind"), PARTIAL)
def test_partial_forms_parse(text: str, number: str, code: str | None, kind: Kind | None) -> None:
    document = CATALOGUE.by_number(number)[0]
    parsed = parse_number(text)
    assert parsed == DocNumber(document.serial, code, None, kind, form=Form.PARTIAL)
    assert parsed.canonical is None
    assert normalize_number(text) is None


@pytest.mark.parametrize(("text", "number", "code", "kind"), PARTIAL)
def test_partial_forms_find_the_one_document(
    text: str, number: str, code: str | None, kind: Kind | None
) -> None:
    result = lookup(CATALOGUE, text)
    assert result.status is Status.FOUND
    [match] = result.matches
    assert match.document.number == number
    assert match.match is MatchKind.PARTIAL
    assert 0 < match.score < 100


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("9-KL/BTCTW", "09-KL/BTCTW"),
        ("09-KL/BTCTW", "09-KL/BTCTW"),
        ("009-KL/BTCTW", "09-KL/BTCTW"),
        ("9 kl btctw", "09-KL/BTCTW"),
        ("148 qd tw", "148-QĐ/TW"),
        ("148/QĐ-TW", "148-QĐ/TW"),
        ("Quy định 148-QĐ/TW", "148-QĐ/TW"),
        ("quy dinh so 148 qd tw", "148-QĐ/TW"),
        ("5-qdns/tw", "05-QĐNS/TW"),
        ("12-qdi/tw", "12-QĐi/TW"),
        ("7-ctr/tw", "07-CTr/TW"),
        ("3-da/tw", "03-ĐA/TW"),
        ("36-hd/vptw", "36-HD/VPTW"),
        ("1-kl/dukcqtw", "01-KL/ĐUKCQTW"),
        ("２７－ＨＤ／ＢＴＣＴＷ", "27-HD/BTCTW"),
    ],
)
def test_normalize_number_table(text: str, canonical: str) -> None:
    assert normalize_number(text) == canonical


def test_the_issue_examples_parse_to_structured_numbers() -> None:
    assert parse_number("148 qd tw") == DocNumber(148, "QĐ", "TW")
    assert parse_number("Quy định 148") == DocNumber(148, kind=Kind.QUY_DINH, form=Form.PARTIAL)
    assert parse_number("35-CT") == DocNumber(35, "CT", form=Form.PARTIAL)
    assert parse_number("212") == DocNumber(212, form=Form.PARTIAL)
    assert parse_number("QĐ 148") == DocNumber(148, "QĐ", form=Form.PARTIAL)
    assert parse_number("9-KL/BTCTW") == parse_number("09-KL/BTCTW") == DocNumber(9, "KL", "BTCTW")


@pytest.mark.parametrize(
    ("number", "codes"),
    [
        (DocNumber(148, "QĐ", "TW"), ("QĐ",)),
        (DocNumber(148, kind=Kind.QUY_DINH, form=Form.PARTIAL), ("QĐ", "QĐi")),
        (DocNumber(148, kind=Kind.QUYET_DINH, form=Form.PARTIAL), ("QĐ", "QĐNS")),
        (DocNumber(35, kind=Kind.CHI_THI, form=Form.PARTIAL), ("CT",)),
        (DocNumber(212, form=Form.PARTIAL), None),
    ],
)
def test_codes_a_number_may_carry(number: DocNumber, codes: tuple[str, ...] | None) -> None:
    assert number.codes == codes


STATE = [
    ("30/2020/NĐ-CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("30/2020/ND-CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("30/2020/nđ-cp", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("30/2020/NÐ-CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("30 / 2020 / NĐ – CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("Số 30/2020/NĐ-CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("３０/２０２０/NĐ-CP", 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    (unicodedata.normalize("NFD", "30/2020/NĐ-CP"), 30, "NĐ", "CP", 2020, "30/2020/NĐ-CP"),
    ("123/QĐ-UBND", 123, "QĐ", "UBND", None, "123/QĐ-UBND"),
    ("123/QD-UBND", 123, "QĐ", "UBND", None, "123/QĐ-UBND"),
    ("123/qđ-ubnd", 123, "QĐ", "UBND", None, "123/QĐ-UBND"),
    ("123 / QĐ \u2013 UBND", 123, "QĐ", "UBND", None, "123/QĐ-UBND"),
    ("số 123/QĐ-UBND", 123, "QĐ", "UBND", None, "123/QĐ-UBND"),
]


@pytest.mark.parametrize(("text", "serial", "code", "issuer", "year", "canonical"), STATE)
def test_state_numbers_are_a_form_of_their_own(
    text: str, serial: int, code: str, issuer: str, year: int | None, canonical: str
) -> None:
    parsed = parse_number(text)
    assert parsed == DocNumber(serial, code, issuer, year=year, form=Form.STATE)
    assert parsed.canonical == canonical
    assert normalize_number(text) == canonical


@pytest.mark.parametrize("text", ["30/2020/NĐ-CP", "123/QĐ-UBND"])
def test_state_numbers_are_not_party_documents(builtin: Catalogue, text: str) -> None:
    result = lookup(builtin, text)
    assert result.status is Status.NOT_FOUND
    assert result.matches == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "-",
        "/",
        "Số",
        "QĐ",
        "QĐ/TW",
        "abc",
        "quy định",
        "Quy định số",
        "chuyen gia cao cap",
        "148-XY/TW",
        "xyz 148",
        "148-QĐ/TW/extra",
        "148-QĐ/TW 2024",
        "ABC-QĐ/TW",
        "148--",
        "2024-05-23",
        "1234567",
        "1234567-QĐ/TW",
    ],
)
def test_non_numbers_parse_to_none(text: str) -> None:
    assert parse_number(text) is None
    assert normalize_number(text) is None


# Hypothesis: text built from the pieces numbers are made of, and arbitrary text.
PIECES = st.sampled_from(
    [
        *"0123456789 -/:",
        *DASHES.values(),
        "０",
        "９",
        "\u0301",
        "\u0323",
        ETH,
        "Số ",
        "số",
        "Quy định ",
        "quyet dinh ",
        "Chỉ thị ",
        *PARTY_CODE_SPELLING.values(),
        *PARTY_CODE_SPELLING,
        *ISSUER_SPELLING.values(),
        *STATE_CODE_SPELLING.values(),
        "CP",
        "UBND",
        "/2020/",
    ]
)
NUMBERISH = st.lists(PIECES, max_size=10).map("".join)


@given(st.one_of(NUMBERISH, st.text(max_size=30)))
def test_normalize_number_is_idempotent(text: str) -> None:
    once = normalize_number(text)
    if once is not None:
        assert normalize_number(once) == once


@given(
    st.integers(min_value=0, max_value=999_999),
    st.sampled_from(sorted(PARTY_CODE_SPELLING.values())),
    st.sampled_from(sorted(i.code for i in ISSUERS if i.family is Family.PARTY)),
)
def test_party_canonical_round_trips(serial: int, code: str, issuer: str) -> None:
    number = DocNumber(serial, code, issuer)
    assert number.canonical is not None
    assert parse_number(number.canonical) == number
    assert normalize_number(number.canonical) == number.canonical


@given(
    st.integers(min_value=1, max_value=999_999),
    st.sampled_from(sorted({*STATE_CODE_SPELLING.values(), "TT", "CT"})),
    st.sampled_from(["CP", "UBND", "BNV", "TTg", "NHNN", "BNV-BTC"]),
    st.one_of(st.none(), st.integers(min_value=1945, max_value=2100)),
)
def test_state_canonical_round_trips(serial: int, code: str, issuer: str, year: int | None) -> None:
    number = DocNumber(serial, code, issuer, year=year, form=Form.STATE)
    assert number.canonical is not None
    assert parse_number(number.canonical) == number


@pytest.mark.parametrize("document", CATALOGUE.documents, ids=lambda d: d.number)
def test_parse_of_a_catalogue_number_round_trips(document: Document) -> None:
    parsed = parse_number(document.number)
    assert parsed == DocNumber(document.serial, document.kind_code, document.issuer_code)
    assert parsed.canonical == document.number


@given(st.text(max_size=40))
def test_fold_keeps_every_offset(text: str) -> None:
    assert len(fold(text)) == len(text)
