"""Extraction: every citation form of issue 3, and the look-alikes that are not citations."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from helpers import DATA

from citekit.catalogue import Catalogue
from citekit.codes import Verdict
from citekit.docnumber import DocNumber, Form
from citekit.drafts import Draft
from citekit.findings import check_draft
from citekit.model import Kind
from citekit.scanning import Citation, Span, scan

QD, QDI, CT, KL, HD = Kind.QUY_DINH, Kind.QUYET_DINH, Kind.CHI_THI, Kind.KET_LUAN, Kind.HUONG_DAN
D = dt.date

# What a citation is, in one comparable tuple:
# (start of the number, number as written, canonical number or serial, kind word, date,
#  issuer, bare)
Row = tuple[int, str, str, Kind | None, dt.date | None, str | None, bool]


def row(citation: Citation) -> Row:
    number = citation.number.canonical or str(citation.number.serial)
    return (
        citation.span.start,
        citation.written,
        number,
        citation.kind,
        citation.date,
        citation.issuer,
        citation.bare,
    )


EXTRACTION: list[tuple[str, list[Row]]] = [
    # Kind words.
    (
        "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị",
        [(12, "148-QĐ/TW", "148-QĐ/TW", QD, D(2024, 5, 23), "Bộ Chính trị", False)],
    ),
    (
        "Quyết định 143-QĐ/TW ngày 3-5-2024 của Ban Bí thư",
        [(11, "143-QĐ/TW", "143-QĐ/TW", QDI, D(2024, 5, 3), "Ban Bí thư", False)],
    ),
    (
        "Chỉ thị 35-CT/TW ngày 14-6-2024 của Bộ Chính trị",
        [(8, "35-CT/TW", "35-CT/TW", CT, D(2024, 6, 14), "Bộ Chính trị", False)],
    ),
    (
        "Kết luận số 88-KL/TW ngày 19-9-2020 của Bộ Chính trị",
        [(12, "88-KL/TW", "88-KL/TW", KL, D(2020, 9, 19), "Bộ Chính trị", False)],
    ),
    (
        "Hướng dẫn số 27-HD/BTCTW ngày 26-8-2024 của Ban Tổ chức Trung ương",
        [(13, "27-HD/BTCTW", "27-HD/BTCTW", HD, D(2024, 8, 26), "Ban Tổ chức Trung ương", False)],
    ),
    # Lower case kind word, "số:" with a colon, no kind word at all.
    (
        "theo quy định số: 145-QĐ/TW",
        [(18, "145-QĐ/TW", "145-QĐ/TW", QD, None, None, False)],
    ),
    ("Văn bản 145-QĐ/TW đã ban hành.", [(8, "145-QĐ/TW", "145-QĐ/TW", None, None, None, False)]),
    # A number alone, at the very start of the text and in parentheses.
    ("145-QĐ/TW", [(0, "145-QĐ/TW", "145-QĐ/TW", None, None, None, False)]),
    ("(Quy định 145-QĐ/TW)", [(10, "145-QĐ/TW", "145-QĐ/TW", QD, None, None, False)]),
    # Spellings the parser accepts: kept as written, parsed to the canonical number.
    ("Quyết định số 71-QD/TW", [(14, "71-QD/TW", "71-QĐ/TW", QDI, None, None, False)]),
    ("Kết luận 9-KL/BTCTW", [(9, "9-KL/BTCTW", "09-KL/BTCTW", KL, None, None, False)]),
    ("Quy định 148/QĐ-TW", [(9, "148/QĐ-TW", "148-QĐ/TW", QD, None, None, False)]),
    ("Quy định 148–QĐ/TW", [(9, "148–QĐ/TW", "148-QĐ/TW", QD, None, None, False)]),
    ("Văn bản 71 - QD / TW", [(8, "71 - QD / TW", "71-QĐ/TW", None, None, None, False)]),
    ("quy định 148-qđ/tw", [(9, "148-qđ/tw", "148-QĐ/TW", QD, None, None, False)]),
    # Issuers, with the term after Ban Bí thư.
    (
        "Quy định số 180-QĐ/TW ngày 11-7-2024 của Ban Bí thư khóa XIII",
        [(12, "180-QĐ/TW", "180-QĐ/TW", QD, D(2024, 7, 11), "Ban Bí thư", False)],
    ),
    (
        "Kết luận số 09-KL/BTCTW của Ban Tổ chức Trung ương",
        [(12, "09-KL/BTCTW", "09-KL/BTCTW", KL, None, "Ban Tổ chức Trung ương", False)],
    ),
    (
        "Nghị quyết số 18-NQ/TW ngày 25-10-2017 của Ban Chấp hành Trung ương Đảng khóa XII",
        [
            (
                14,
                "18-NQ/TW",
                "18-NQ/TW",
                Kind.NGHI_QUYET,
                D(2017, 10, 25),
                "Ban Chấp hành Trung ương",
                False,
            )
        ],
    ),
    # A citation wrapped across line breaks, as hard-wrapped Markdown has it.
    (
        "Thực hiện Quy định\nsố 148-QĐ/TW ngày\n23-5-2024 của Bộ\nChính trị, các cấp ủy",
        [(22, "148-QĐ/TW", "148-QĐ/TW", QD, D(2024, 5, 23), "Bộ Chính trị", False)],
    ),
    (
        "Quy định số 148-QĐ/TW ngày 23\ntháng 5 năm 2024 của\nBộ Chính trị",
        [(12, "148-QĐ/TW", "148-QĐ/TW", QD, D(2024, 5, 23), "Bộ Chính trị", False)],
    ),
    # Several citations in one sentence; a kind word is not carried across a citation.
    (
        "Chỉ thị 35-CT/TW, Quy định 142-QĐ/TW và Kết luận số 09-KL/BTCTW đều đã có hiệu lực.",
        [
            (8, "35-CT/TW", "35-CT/TW", CT, None, None, False),
            (27, "142-QĐ/TW", "142-QĐ/TW", QD, None, None, False),
            (52, "09-KL/BTCTW", "09-KL/BTCTW", KL, None, None, False),
        ],
    ),
    (
        "Quy định số 145-QĐ/TW ngày 10-5-2024 và 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị",
        [
            # A list shares its kind word and its issuer, wherever it is written.
            (12, "145-QĐ/TW", "145-QĐ/TW", QD, D(2024, 5, 10), "Bộ Chính trị", False),
            # A list shares its kind word: "các Quy định số 142-QĐ/TW, 148-QĐ/TW".
            (40, "148-QĐ/TW", "148-QĐ/TW", QD, D(2024, 5, 23), "Bộ Chính trị", False),
        ],
    ),
    # A kind word (or an upper-case kind code) with a bare serial.
    ("Quy định số 148", [(12, "148", "148", QD, None, None, True)]),
    ("QĐ 148", [(3, "148", "148", None, None, None, True)]),
    ("QĐ số 148.", [(6, "148", "148", None, None, None, True)]),
    ("Chỉ thị 35 đã nêu", [(8, "35", "35", CT, None, None, True)]),
    (
        "Quy định số 148 ngày 23-5-2024 của Bộ Chính trị",
        [(12, "148", "148", QD, D(2024, 5, 23), "Bộ Chính trị", True)],
    ),
    ("Quy định số\n148 của Bộ Chính trị", [(12, "148", "148", QD, None, "Bộ Chính trị", True)]),
]

LOOK_ALIKES = [
    "148 người",
    "Đảng bộ có 148 người tham dự.",
    "giai đoạn 2022-2026",
    "biên chế giai đoạn 2022 - 2026",
    "nhiệm kỳ 2020-2025",
    "nhiệm kỳ 2020–2025",
    "024-3823-1234",
    "Điện thoại: 024-3823-1234.",
    "2024-QĐ",
    "Quyết định 2024-QĐ",
    "tỷ lệ 27/30",
    "Quy định 27/30",
    "đạt 27/30 chỉ tiêu",
    "qđ 148",  # a lower-case code in running text is not a kind word
    "Quy định 1.000",
    "Quy định 148,5",
    "Quy định 148a",
    "QĐ148",
    "A148-QĐ/TW",  # glued to a word
    "148-QĐ/TWX",
]


@pytest.mark.parametrize(("text", "expected"), EXTRACTION, ids=[t for t, _ in EXTRACTION])
def test_extraction(text: str, expected: list[Row]) -> None:
    assert [row(c) for c in scan(text)] == expected


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_are_not_citations(text: str) -> None:
    assert scan(text) == []


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_look_alikes_beside_a_citation_leave_only_the_citation(text: str) -> None:
    found = scan(f"{text}, theo Quy định số 145-QĐ/TW; {text}")
    assert [c.written for c in found] == ["145-QĐ/TW"]


DATE_FORMS = [
    ("23-5-2024", D(2024, 5, 23)),
    ("23/5/2024", D(2024, 5, 23)),
    ("23/05/2024", D(2024, 5, 23)),
    ("23 tháng 5 năm 2024", D(2024, 5, 23)),
    ("3-5-2024", D(2024, 5, 3)),
    ("03/05/2024", D(2024, 5, 3)),
    ("23.5.2024", D(2024, 5, 23)),
]


@pytest.mark.parametrize("comma", ["", ","], ids=["no-comma", "comma"])
@pytest.mark.parametrize(("written", "date"), DATE_FORMS)
def test_date_forms_with_and_without_a_comma(comma: str, written: str, date: dt.date) -> None:
    text = f"Quy định số 148-QĐ/TW{comma} ngày {written}{comma} của Bộ Chính trị."
    [citation] = scan(text)
    assert citation.date == date
    assert citation.date_written == written
    start = 27 + len(comma)
    assert citation.date_span == Span(start, start + len(written))
    assert citation.issuer == "Bộ Chính trị"
    assert citation.issuer_written == "Bộ Chính trị"


@pytest.mark.parametrize(
    "text",
    [
        "Quy định số 148-QĐ/TW ngày 23-5/2024",  # mixed separators
        "Quy định số 148-QĐ/TW ngày 23-5-24",  # two-digit year
        "Quy định số 148-QĐ/TW ngày 23-5-20245",
        "Quy định số 148-QĐ/TW, được ban hành ngày 23-5-2024",  # too far from the number
    ],
)
def test_no_date_is_read_where_none_is_written(text: str) -> None:
    [citation] = scan(text)
    assert (citation.date, citation.date_written, citation.date_span) == (None, None, None)


def test_an_impossible_date_is_kept_as_written() -> None:
    [citation] = scan("Quy định số 145-QĐ/TW ngày 31-2-2024")
    assert citation.date is None
    assert citation.date_written == "31-2-2024"
    assert citation.date_span == Span(27, 36)


@pytest.mark.parametrize(
    ("text", "issuer", "written"),
    [
        ("của Bộ Chính trị", "Bộ Chính trị", "Bộ Chính trị"),
        ("của Ban Bí thư", "Ban Bí thư", "Ban Bí thư"),
        ("của Ban Bí thư khóa XIII", "Ban Bí thư", "Ban Bí thư khóa XIII"),
        ("của Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương"),
        ("của Văn phòng Trung ương Đảng", "Văn phòng Trung ương Đảng", "Văn phòng Trung ương Đảng"),
        (
            "của Ủy ban Kiểm tra Trung ương",
            "Ủy ban Kiểm tra Trung ương",
            "Ủy ban Kiểm tra Trung ương",
        ),
        ("của BỘ CHÍNH TRỊ", "Bộ Chính trị", "BỘ CHÍNH TRỊ"),
        ("của Bộ\nChính trị", "Bộ Chính trị", "Bộ\nChính trị"),
    ],
)
def test_issuers(text: str, issuer: str, written: str) -> None:
    [citation] = scan(f"Quy định số 148-QĐ/TW ngày 23-5-2024 {text} về …")
    assert citation.issuer == issuer
    assert citation.issuer_written == written
    assert citation.issuer_span == Span(41, 41 + len(written))


@pytest.mark.parametrize(
    "text",
    [
        "Quy định số 148-QĐ/TW của Bộ trưởng",
        "Quy định số 148-QĐ/TW của Bộ Chính trịx",
        "Quy định số 148-QĐ/TW về công tác của Bộ Chính trị",
    ],
)
def test_no_issuer_is_read_where_none_follows(text: str) -> None:
    [citation] = scan(text)
    assert (citation.issuer, citation.issuer_written, citation.issuer_span) == (None, None, None)


def test_the_number_itself_is_parsed() -> None:
    [full, bare, code] = scan("Kết luận 9-KL/BTCTW, Quy định số 148 và QĐ 147")
    assert full.number == DocNumber(9, "KL", "BTCTW")
    assert full.span == Span(9, 19)
    assert bare.number == DocNumber(148, None, None, QD, form=Form.PARTIAL)
    assert bare.span == Span(33, 36)
    assert code.number == DocNumber(147, "QĐ", None, None, form=Form.PARTIAL)
    assert code.span == Span(43, 46)


def test_spans_cover_the_wrapped_citation() -> None:
    text = "Thực hiện Quy định\nsố 148-QĐ/TW ngày\n23-5-2024 của Bộ\nChính trị."
    [citation] = scan(text)
    assert citation.span == Span(22, 31)
    assert citation.date_span == Span(37, 46)
    assert text[37:46] == "23-5-2024"
    assert citation.issuer_span == Span(51, 63)
    assert citation.issuer_written == "Bộ\nChính trị"


def test_a_bare_serial_wrapped_with_crlf_is_found() -> None:
    assert [row(c) for c in scan("Quy định số\r\n148 về")] == [
        (13, "148", "148", QD, None, None, True)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đã xong.Quy định số 145-QĐ/TW", (20, "145-QĐ/TW", "145-QĐ/TW", QD, None, None, False)),
        ("1.Quy định số 145-QĐ/TW", (14, "145-QĐ/TW", "145-QĐ/TW", QD, None, None, False)),
        ("Đã xong.Quy định số 148", (20, "148", "148", QD, None, None, True)),
    ],
)
def test_a_kind_word_right_after_a_full_stop(text: str, expected: Row) -> None:
    """A missing space after a full stop still leaves a kind word a kind word."""
    assert [row(c) for c in scan(text)] == [expected]


def test_a_full_number_wrapped_with_crlf_is_found() -> None:
    [citation] = scan("Quy định\r\nsố 148-QĐ/TW ngày\r\n23-5-2024 của Bộ\r\nChính trị")
    assert row(citation) == (
        13,
        "148-QĐ/TW",
        "148-QĐ/TW",
        QD,
        D(2024, 5, 23),
        "Bộ Chính trị",
        False,
    )


def test_a_spaced_full_number_after_a_kind_word_is_one_full_citation() -> None:
    assert [row(c) for c in scan("Quyết định số 71 - QD / TW")] == [
        (14, "71 - QD / TW", "71-QĐ/TW", QDI, None, None, False)
    ]


# --- NFD text: decoded by drafts, scanned as NFC, placed in the text as written -------------

NFD_TEXT = (
    "Ghi chú đầu dòng.\n"
    "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị và "
    "Quyết định số 71-QD/TW.\n"
)


def test_nfd_text_scans_like_nfc() -> None:
    nfc = unicodedata.normalize("NFC", NFD_TEXT)
    nfd = unicodedata.normalize("NFD", NFD_TEXT)
    assert nfd != nfc
    draft = Draft.from_text("nfd.md", nfd)
    [unit] = draft.units
    assert unit.text == nfc
    assert unit.is_nfd
    assert [row(c) for c in scan(unit.text)] == [row(c) for c in scan(nfc)]
    assert [c.written for c in scan(unit.text)] == ["145-QĐ/TW", "71-QD/TW"]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_nfd_and_nfc_positions_point_at_the_number_as_written(
    builtin: Catalogue, form: str
) -> None:
    raw = unicodedata.normalize(form, NFD_TEXT)
    report = check_draft(Draft.from_text("d.md", raw), builtin)
    line = raw.split("\n")[1]
    # Columns count characters as written: NFD has more of them before each number.
    expected_columns = {"NFC": (23, 82), "NFD": (30, 101)}[form]
    assert (line.index("145-"), line.index("71-")) == tuple(c - 1 for c in expected_columns)
    assert [(f.line, f.column, f.code.value) for f in report.findings] == [
        (2, expected_columns[0], "wrong-date"),
        (2, expected_columns[1], "non-canonical-number"),
    ]
    wrong_date = report.findings[0]
    assert line[wrong_date.column - 1 : wrong_date.end_column - 1] == unicodedata.normalize(
        form, "145-QĐ/TW ngày 15-5-2024"
    )
    assert wrong_date.message == "145-QĐ/TW is dated 10-5-2024, not 15-5-2024"


def test_nfd_bare_serial_resolves_at_lower_confidence(builtin: Catalogue) -> None:
    raw = unicodedata.normalize("NFD", "Theo Quy định số 148, cấp ủy …")
    report = check_draft(Draft.from_text("d.md", raw), builtin)
    [resolution] = report.resolutions
    assert resolution.document is not None
    assert resolution.document.number == "148-QĐ/TW"
    assert resolution.confident is False
    [(_, place)] = report.places()
    assert (place.line, place.column) == (1, raw.index("148") + 1)


# --- Bare serials: resolved against the catalogue when exactly one document fits ---------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Quy định số 148", "148-QĐ/TW"),
        ("QĐ 148", "148-QĐ/TW"),
        ("Quyết định 147", "147-QĐ/TW"),
        ("Chỉ thị 39", "39-CT/TW"),
        ("Hướng dẫn số 27", "27-HD/BTCTW"),
        ("Kết luận 9", "09-KL/BTCTW"),
    ],
)
def test_bare_serials_resolve_at_lower_confidence(
    builtin: Catalogue, text: str, number: str
) -> None:
    report = check_draft(Draft.from_text("d.md", text), builtin)
    [resolution] = report.resolutions
    assert resolution.citation.bare
    assert resolution.document is not None
    assert resolution.document.number == number
    assert resolution.confident is False
    assert report.findings == ()


def test_a_full_number_resolves_with_confidence(builtin: Catalogue) -> None:
    report = check_draft(Draft.from_text("d.md", "Quy định số 148-QĐ/TW"), builtin)
    [resolution] = report.resolutions
    assert resolution.document is not None
    assert resolution.document.number == "148-QĐ/TW"
    assert resolution.confident is True


@pytest.mark.parametrize(
    "text",
    [
        "Quyết định số 148",  # 148-QĐ/TW is a Quy định: no Quyết định 148 fits
        "Quy định 143",  # 143-QĐ/TW is a Quyết định
        "Chỉ thị 148",
        "Quy định số 999",
    ],
)
def test_bare_serials_that_fit_nothing_are_partial_citations(builtin: Catalogue, text: str) -> None:
    report = check_draft(Draft.from_text("d.md", text), builtin)
    [partial] = report.resolutions  # listed as a short form nothing resolves ...
    assert partial.document is None
    assert report.verdicts == (Verdict.PARTIAL,)
    assert report.findings == ()  # ... and never an error


@pytest.mark.parametrize(
    "text",
    ["theo kế hoạch 5 năm", "báo cáo 2024 của tỉnh", "chương trình 3 tháng", "Kế hoạch 2025"],
)
def test_quantities_and_years_after_a_kind_word_are_not_citations(text: str) -> None:
    assert scan(text) == []


def test_the_start_pattern_as_a_trie_finds_what_the_flat_alternation_finds() -> None:
    """CITATION_START is written as a trie of its alternatives (`regexes._trie`), for
    speed; it must find exactly what the alternatives joined one after another find."""
    from citekit import regexes
    from citekit.spellings import KIND_WORDS

    flat = re.compile(
        "|".join(
            ["".join(alt) + regexes._LEAD for w in KIND_WORDS for alt in regexes._literal_first(w)]
            + [re.escape(code) + regexes._LEAD for code in regexes._lead_codes()]
            + [re.escape(dash) + regexes._CODE_ISSUER for dash in regexes.SERIAL_SEPARATORS]
        )
    )
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "corpus").glob("*.md"))]
    texts.append(
        "Thông tư liên tịch số 03/2011/TTLT-BNV-BTC, thông tư 12, THÔNG TƯ\tliên  tịch 5; "
        "Luật 57/2014/QH13, kỷ luật, LUẬT số 1, Bộ luật 2, QĐ 148, QÐ 9, quyet dinh 71-QD/TW"
    )
    for text in texts:
        ours = [(m.span(), m.group()) for m in regexes.CITATION_START.finditer(text)]
        assert ours == [(m.span(), m.group()) for m in flat.finditer(text)]
        assert ours


def test_a_kind_word_with_no_digit_after_it_is_no_start_and_changes_no_citation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CITATION_START takes a kind word only where a digit follows after LEAD_TAIL's gap
    (markup, "số"), to spare the scanner a trip per "kế hoạch thực hiện"; the scan must
    find what it finds when every kind word is a start and LEAD_TAIL alone decides."""
    from citekit import regexes
    from citekit.spellings import KIND_WORDS

    assert regexes.CITATION_START.search("ban hành kế hoạch thực hiện") is None
    assert regexes.CITATION_START.search("ban hành kế hoạch  **số:\n 5") is not None
    every_word = re.compile(
        regexes._trie(
            [[*alt, regexes._BLANK] for w in KIND_WORDS for alt in regexes._literal_first(w)]
            + [[*map(re.escape, code), regexes._BLANK] for code in regexes._lead_codes()]
            + [[re.escape(dash), regexes._CODE_ISSUER] for dash in regexes.SERIAL_SEPARATORS]
        )
    )
    texts = [p.read_text(encoding="utf-8") for p in sorted((DATA / "corpus").glob("*.md"))]
    texts += [
        "kế hoạch thực hiện Kế hoạch số 5-KH/TU, Thông tư liên tịch, Thông tư liên tịch 03",
        "Quy định   **số:\n 148, Quy định \t\t\t 9-QĐ/TW, Quy định\n\n\n\n5, QĐ \t_7",
        "BỘ LUẬT hình sự, Bộ luật 100, Luật số 57/2014/QH13, hướng dẫn 1 người, Chỉ thị số",
        "Quyết định** số 12 năm 2019; các Quy định số 1-QĐ/TW, 2-QĐ/TW của Bộ Chính trị",
    ]
    ours = [scan(text) for text in texts]
    monkeypatch.setattr(regexes, "CITATION_START", every_word)
    assert ours == [scan(text) for text in texts]
    assert all(ours[-4:])


def test_a_short_form_read_as_a_list_number_does_not_decide_a_later_one() -> None:
    """A scan remembers each citation text it has read; a bare number after a kind word
    at a line's start is a list's number when "." or ")" follows it, a short form when
    not, so what follows is part of what is remembered."""
    later = "Theo Quyết định\n1 và Quyết định 2 đã nêu"
    assert [c.written for c in scan(later)] == ["1", "2"]
    listed = "Căn cứ Quyết định\n1. Đối tượng áp dụng\n\n"  # "1." numbers a list
    assert [c.written for c in scan(listed + later)] == ["1", "2"]  # was ["2"]
