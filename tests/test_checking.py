"""Findings: every code with its message and severity; suppression comments; configuration."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from helpers import DATA, Cli, write_tree

from citekit import config as configuration
from citekit.catalogue import Catalogue
from citekit.checking import check, resolve
from citekit.codes import DEFAULT_SEVERITY, Code, Severity
from citekit.config import Config, ConfigError, build
from citekit.docnumber import Form
from citekit.drafts import Draft
from citekit.findings import Finding, Report, check_draft
from citekit.output.check import finding_line
from citekit.scanning import Span, scan
from citekit.suppression import find

MISPRINT = "16-4-2024 is a known misprint in the conference report (meeting-report.vi.txt)"


def report_of(text: str, catalogue: Catalogue, config: Config | None = None) -> Report:
    return check_draft(Draft.from_text("d.md", text), catalogue, config)


def lines_of(text: str, catalogue: Catalogue, config: Config | None = None) -> list[str]:
    return [finding_line(f) for f in report_of(text, catalogue, config).findings]


def only(text: str, catalogue: Catalogue) -> Finding:
    [finding] = report_of(text, catalogue).findings
    return finding


# --- Every code, its message and its severity ------------------------------------------


def test_default_severities() -> None:
    assert {code.value: severity.value for code, severity in DEFAULT_SEVERITY.items()} == {
        "unknown-document": "warning",
        "wrong-number": "error",
        "wrong-date": "error",
        "wrong-issuer": "error",
        "wrong-kind": "error",
        "non-canonical-number": "warning",
        "inconsistent-citation": "error",
        "possible-namesake": "warning",
        "superseded": "warning",
    }


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "Kết luận số 89-KL/TW của Bộ Chính trị",
            "d.md:1:13: unknown-document 89-KL/TW is in no catalogue; did you mean 88-KL/TW?",
        ),
        (
            "Hướng dẫn 28-HD/BTCTW",
            "d.md:1:11: unknown-document 28-HD/BTCTW is in no catalogue; did you mean 27-HD/BTCTW?",
        ),
        (
            "Chỉ thị số 36-CT/TW",
            "d.md:1:12: unknown-document 36-CT/TW is in no catalogue; "
            "did you mean 35-CT/TW, 39-CT/TW?",
        ),
        (
            "Kết luận 10-KL/BTCTW",
            "d.md:1:10: unknown-document 10-KL/BTCTW is in no catalogue; did you mean 09-KL/BTCTW?",
        ),
        (
            "Quy định số 149-QĐ/TW",
            "d.md:1:13: unknown-document 149-QĐ/TW is in no catalogue; "
            "did you mean 148-QĐ/TW, 147-QĐ/TW, 146-QĐ/TW?",
        ),
        # 148-QĐ/TW is spelled closer, but a KL is suggested only a KL of the same issuer.
        (
            "Kết luận 148-KL/TW",
            "d.md:1:10: unknown-document 148-KL/TW is in no catalogue; did you mean 88-KL/TW?",
        ),
        # No catalogue document has this kind code and issuer: no suggestion at all.
        ("Quyết định 145-QĐ/BTCTW", "d.md:1:12: unknown-document 145-QĐ/BTCTW is in no catalogue"),
        ("Hướng dẫn 27-HD/TW", "d.md:1:11: unknown-document 27-HD/TW is in no catalogue"),
        # A non-canonical spelling of an unknown number is named canonically.
        (
            "theo 89 - kl / tw",
            "d.md:1:6: unknown-document 89-KL/TW is in no catalogue; did you mean 88-KL/TW?",
        ),
    ],
)
def test_unknown_document(builtin: Catalogue, text: str, line: str) -> None:
    [finding] = report_of(text, builtin).findings
    assert finding_line(finding) == line
    assert finding.code is Code.UNKNOWN_DOCUMENT
    assert finding.severity is Severity.WARNING  # a correct citation may be uncatalogued


def test_unknown_document_fields(builtin: Catalogue) -> None:
    finding = only("Kết luận số 89-KL/TW", builtin)
    assert (finding.number, finding.expected, finding.found) == ("89-KL/TW", "88-KL/TW", "89-KL/TW")
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 13, 1, 21)
    assert finding.edit is None  # an unknown number is never "fixed" to a guess
    unsuggested = only("Hướng dẫn 27-HD/TW", builtin)
    assert (unsuggested.expected, unsuggested.found) == (None, "27-HD/TW")


def test_wrong_date(builtin: Catalogue) -> None:
    finding = only("Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị", builtin)
    assert finding_line(finding) == (
        "d.md:1:13: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024"
    )
    assert finding.severity is Severity.ERROR
    assert (finding.number, finding.expected, finding.found) == (
        "145-QĐ/TW",
        "2024-05-10",
        "15-5-2024",
    )
    # From the number to the end of the date.
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (1, 13, 1, 37)


@pytest.mark.parametrize(
    ("date", "said"),
    [
        ("15/5/2024", "15-5-2024"),
        ("15/05/2024", "15-5-2024"),
        ("15 tháng 5 năm 2024", "15-5-2024"),
        ("10-5-2023", "10-5-2023"),
        ("5-10-2024", "5-10-2024"),  # day and month swapped
    ],
)
def test_wrong_date_in_every_form(builtin: Catalogue, date: str, said: str) -> None:
    finding = only(f"Quy định số 145-QĐ/TW, ngày {date}", builtin)
    assert finding.code is Code.WRONG_DATE
    assert finding.message == f"145-QĐ/TW is dated 10-5-2024, not {said}"
    assert finding.found == date


@pytest.mark.parametrize(
    "date", ["10-5-2024", "10/5/2024", "10/05/2024", "10 tháng 5 năm 2024", "10.05.2024"]
)
def test_the_right_date_in_every_form_is_clean(builtin: Catalogue, date: str) -> None:
    assert report_of(f"Quy định số 145-QĐ/TW ngày {date} của Bộ Chính trị", builtin).findings == ()


def test_wrong_date_names_the_known_misprint(builtin: Catalogue) -> None:
    finding = only("Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị", builtin)
    assert finding_line(finding) == (
        f"d.md:1:12: wrong-date 35-CT/TW is dated 14-6-2024, not 16-4-2024 ({MISPRINT})"
    )
    assert (finding.expected, finding.found) == ("2024-06-14", "16-4-2024")


def test_another_wrong_date_is_not_called_a_misprint(builtin: Catalogue) -> None:
    finding = only("Chỉ thị số 35-CT/TW ngày 17-4-2024", builtin)
    assert finding.message == "35-CT/TW is dated 14-6-2024, not 17-4-2024"


def test_an_impossible_date(builtin: Catalogue) -> None:
    finding = only("Quy định số 145-QĐ/TW ngày 31-2-2024", builtin)
    assert finding_line(finding) == (
        "d.md:1:13: wrong-date '31-2-2024' is not a real date; 145-QĐ/TW is dated 10-5-2024"
    )
    assert (finding.expected, finding.found) == ("2024-05-10", "31-2-2024")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Kết luận số 09-KL/BTCTW ngày 1-1-2024 của Ban Tổ chức Trung ương", []),
        ("Kết luận số 09-KL/BTCTW, ngày 30/9/2024", []),
        ("Kết luận số 9-KL/BTCTW ngày 2 tháng 10 năm 2024", ["non-canonical-number"]),
        # 72-QĐ/TW: the year is known, the day is not.
        ("Quyết định số 72-QĐ/TW ngày 5-5-2022 của Bộ Chính trị", []),
    ],
)
def test_a_document_with_an_unknown_date_is_never_flagged_for_its_date(
    builtin: Catalogue, text: str, codes: list[str]
) -> None:
    report = report_of(text, builtin)
    assert [f.code.value for f in report.findings] == codes
    [resolution] = report.resolutions
    assert resolution.document is not None
    assert resolution.document.date is None
    assert resolution.citation.date is not None  # a date was read, and not held against it


def test_wrong_issuer(builtin: Catalogue) -> None:
    text = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị về chuyên gia cao cấp"
    finding = only(text, builtin)
    assert finding_line(finding) == (
        "d.md:1:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị"
    )
    assert finding.severity is Severity.ERROR
    assert (finding.number, finding.expected, finding.found) == (
        "180-QĐ/TW",
        "Ban Bí thư",
        "Bộ Chính trị",
    )
    # From the number to the end of the issuer.
    assert (finding.column, finding.end_column) == (13, text.index(" về") + 1)


@pytest.mark.parametrize(
    "issuer",
    ["Ban Bí thư", "Ban Bí thư khóa XIII", "Ban Bí thư khoá XIII", "BAN BÍ THƯ", "Ban Bi thu"],
)
def test_the_right_issuer_however_written_is_clean(builtin: Catalogue, issuer: str) -> None:
    assert report_of(f"Quy định số 180-QĐ/TW ngày 11-7-2024 của {issuer}", builtin).findings == ()


def test_wrong_issuer_keeps_the_term_as_written(builtin: Catalogue) -> None:
    finding = only("Quy định số 148-QĐ/TW của Ban Bí thư khóa XIII", builtin)
    assert finding.message == "148-QĐ/TW was issued by Bộ Chính trị, not Ban Bí thư"
    assert finding.found == "Ban Bí thư khóa XIII"


def test_wrong_kind(builtin: Catalogue) -> None:
    finding = only("Quyết định số 142-QĐ/TW ngày 23-4-2024 của Bộ Chính trị", builtin)
    assert finding_line(finding) == (
        "d.md:1:15: wrong-kind 142-QĐ/TW is a Quy định, not a Quyết định"
    )
    assert finding.severity is Severity.ERROR
    assert (finding.number, finding.expected, finding.found) == (
        "142-QĐ/TW",
        "Quy định",
        "Quyết định",
    )
    assert (finding.column, finding.end_column) == (15, 24)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("Chỉ thị 142-QĐ/TW", "d.md:1:9: wrong-kind 142-QĐ/TW is a Quy định, not a Chỉ thị"),
        (
            "Quy định số 143-QĐ/TW",
            "d.md:1:13: wrong-kind 143-QĐ/TW is a Quyết định, not a Quy định",
        ),
        (
            "Kết luận 27-HD/BTCTW",
            "d.md:1:10: wrong-kind 27-HD/BTCTW is a Hướng dẫn, not a Kết luận",
        ),
    ],
)
def test_wrong_kind_table(builtin: Catalogue, text: str, line: str) -> None:
    assert lines_of(text, builtin) == [line]


def test_no_kind_word_is_no_wrong_kind(builtin: Catalogue) -> None:
    assert report_of("Văn bản 142-QĐ/TW đã được triển khai.", builtin).findings == ()


@pytest.mark.parametrize(
    ("text", "line", "expected", "found"),
    [
        (
            "Quyết định số 71-QD/TW",
            "d.md:1:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW",
            "71-QĐ/TW",
            "71-QD/TW",
        ),
        (
            "Kết luận 9-KL/BTCTW",
            "d.md:1:10: non-canonical-number write 09-KL/BTCTW, not 9-KL/BTCTW",
            "09-KL/BTCTW",
            "9-KL/BTCTW",
        ),
        (
            "Quy định 148/QĐ-TW",
            "d.md:1:10: non-canonical-number write 148-QĐ/TW, not 148/QĐ-TW",
            "148-QĐ/TW",
            "148/QĐ-TW",
        ),
        (
            "Văn bản 148 – QĐ/TW",
            "d.md:1:9: non-canonical-number write 148-QĐ/TW, not 148 – QĐ/TW",
            "148-QĐ/TW",
            "148 – QĐ/TW",
        ),
        (
            "quy định 148-qđ/tw",
            "d.md:1:10: non-canonical-number write 148-QĐ/TW, not 148-qđ/tw",
            "148-QĐ/TW",
            "148-qđ/tw",
        ),
    ],
)
def test_non_canonical_number(
    builtin: Catalogue, text: str, line: str, expected: str, found: str
) -> None:
    finding = only(text, builtin)
    assert finding_line(finding) == line
    assert finding.severity is Severity.WARNING
    assert (finding.number, finding.expected, finding.found) == (expected, expected, found)
    assert finding.edit is not None
    assert text[finding.edit.start : finding.edit.end] == found
    assert finding.edit.text == expected


def test_every_problem_of_one_citation_in_a_stable_order(builtin: Catalogue) -> None:
    text = "Quyết định số 180-QD/TW ngày 1-7-2024 của Bộ Chính trị"
    assert lines_of(text, builtin) == [
        "d.md:1:15: non-canonical-number write 180-QĐ/TW, not 180-QD/TW",
        "d.md:1:15: wrong-kind 180-QĐ/TW is a Quy định, not a Quyết định",
        "d.md:1:15: wrong-date 180-QĐ/TW is dated 11-7-2024, not 1-7-2024",
        "d.md:1:15: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị",
    ]


def test_a_repeated_citation_is_placed_where_each_copy_stands(builtin: Catalogue) -> None:
    text = (
        "Quy định số 180-QD/TW ngày 1-7-2024 của Bộ Chính trị.\n"
        "Nhắc lại: Quy định số 180-QD/TW ngày 1-7-2024 của Bộ Chính trị.\n"
        "Và lần nữa, Quy định số 180-QD/TW ngày 1-7-2024 của Bộ Chính trị\n"
    )
    report = report_of(text, builtin)
    placed = [(f.line, f.column, f.end_line, f.end_column, f.code.value) for f in report.findings]
    codes = ["non-canonical-number", "wrong-date", "wrong-issuer"]
    ends = {"non-canonical-number": 9, "wrong-date": 23, "wrong-issuer": 40}
    assert placed == [
        (line, column, line, column + ends[code], code)
        for line, column in ((1, 13), (2, 23), (3, 25))
        for code in codes
    ]
    lines = text.split("\n")
    for finding in report.findings:
        assert lines[finding.line - 1][finding.column - 1 :].startswith("180-QD/TW")
    edits = [f.edit for f in report.findings if f.edit is not None]
    assert [text[e.start : e.end] for e in edits] == ["180-QD/TW"] * 3
    assert len({e.start for e in edits}) == 3


def test_a_correct_citation_is_clean_and_resolved(builtin: Catalogue) -> None:
    report = report_of(
        "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị về thẩm quyền …", builtin
    )
    assert report.findings == ()
    [resolution] = report.resolutions
    assert resolution.document is not None
    assert resolution.document.number == "148-QĐ/TW"
    assert resolution.confident is True


def test_a_bare_serial_is_held_to_the_document_it_resolves_to(builtin: Catalogue) -> None:
    assert lines_of("Quy định số 148 ngày 1-1-2024", builtin) == [
        "d.md:1:13: wrong-date 148-QĐ/TW is dated 23-5-2024, not 1-1-2024"
    ]
    # ... but a bare serial is never "non-canonical": it is not a number to rewrite.
    assert report_of("QĐ 148 ngày 23-5-2024 của Bộ Chính trị", builtin).findings == ()


def test_a_state_number_is_not_checked(builtin: Catalogue) -> None:
    [citation] = scan("Quyết định 148/QĐ-UBND")
    assert citation.number.canonical == "148/QĐ-UBND"
    assert citation.number.form is Form.STATE
    assert report_of("Quyết định 148/QĐ-UBND", builtin).findings == ()
    assert report_of("Nghị định số 30/2020/NĐ-CP ngày 5-3-2020", builtin).findings == ()


def test_check_returns_the_problem_spans(builtin: Catalogue) -> None:
    [citation] = scan("Quy định số 180-QĐ/TW ngày 1-7-2024 của Bộ Chính trị")
    resolution, problems = check(builtin, citation)
    assert resolution.document is not None
    assert resolution.document.number == "180-QĐ/TW"
    assert [(p.code, p.span) for p in problems] == [
        (Code.WRONG_DATE, Span(27, 35)),
        (Code.WRONG_ISSUER, Span(40, 52)),
    ]


# --- One number, two documents of different terms: the stated date decides ---------------


def test_the_user_catalogue_has_two_35_ct_tw(two_terms: Catalogue) -> None:
    assert [d.date for d in two_terms.by_number("35-CT/TW")] == [
        dt.date(2024, 6, 14),  # the built-in one, read first
        dt.date(2019, 5, 30),
    ]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Chỉ thị số 35-CT/TW ngày 30-5-2019 của Bộ Chính trị", dt.date(2019, 5, 30)),
        ("Chỉ thị số 35-CT/TW ngày 30/05/2019", dt.date(2019, 5, 30)),
        ("Chỉ thị số 35-CT/TW ngày 14-6-2024 của Bộ Chính trị", dt.date(2024, 6, 14)),
        ("Chỉ thị số 35-CT/TW ngày 14 tháng 6 năm 2024", dt.date(2024, 6, 14)),
        ("Chỉ thị 35 ngày 30-5-2019", dt.date(2019, 5, 30)),
    ],
)
def test_the_stated_date_picks_the_document(two_terms: Catalogue, text: str, date: dt.date) -> None:
    report = report_of(text, two_terms)
    assert report.findings == ()
    [resolution] = report.resolutions
    assert resolution.document is not None
    assert resolution.document.date == date


def test_a_wrong_date_names_every_dated_document_of_the_number(two_terms: Catalogue) -> None:
    assert lines_of("Chỉ thị số 35-CT/TW ngày 1-6-2019", two_terms) == [
        "d.md:1:12: wrong-date no 35-CT/TW is dated 1-6-2019 (known: 30-5-2019, 14-6-2024)"
    ]
    [resolution] = report_of("Chỉ thị số 35-CT/TW ngày 1-6-2019", two_terms).resolutions
    assert resolution.document is not None
    assert resolution.document.date == dt.date(2019, 5, 30)  # the year picks the term


def test_the_misprint_is_named_even_when_two_terms_share_the_number(two_terms: Catalogue) -> None:
    finding = only("Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị", two_terms)
    assert finding.message == (
        f"no 35-CT/TW is dated 16-4-2024 (known: 14-6-2024, 30-5-2019; {MISPRINT})"
    )
    assert finding.expected == "2024-06-14"


def test_without_a_date_the_newest_is_assumed_at_lower_confidence(two_terms: Catalogue) -> None:
    resolution = resolve(two_terms, scan("Chỉ thị số 35-CT/TW của Bộ Chính trị")[0])
    assert resolution.document is not None
    assert resolution.document.date == dt.date(2024, 6, 14)
    assert resolution.confident is False


def test_a_bare_serial_naming_two_documents_is_not_resolved(two_terms: Catalogue) -> None:
    report = report_of("Chỉ thị 35 đã được quán triệt.", two_terms)
    [partial] = report.resolutions  # listed as a partial citation, never an error
    assert (partial.citation.written, partial.document) == ("35", None)
    assert report.findings == ()


# --- Suppression comments ------------------------------------------------------------------

WRONG_DATE_AND_ISSUER = "Quy định số 180-QĐ/TW ngày 1-7-2024 của Bộ Chính trị."


@pytest.mark.parametrize(
    "comment",
    [
        " <!-- citekit: ignore -->",
        "<!--citekit:ignore-->",
        " citekit: ignore",
        " # citekit: ignore",
        " <!-- citekit: ignore[wrong-date, wrong-issuer] -->",
        " <!-- citekit: ignore[wrong-issuer,wrong-date] -->",
    ],
)
def test_ignore_on_the_line_silences_it(builtin: Catalogue, comment: str) -> None:
    text = f"Mở đầu.\n{WRONG_DATE_AND_ISSUER}{comment}\n"
    assert report_of(text, builtin).findings == ()


def test_ignore_at_the_start_of_the_line_silences_it_too(builtin: Catalogue) -> None:
    text = f"<!-- citekit: ignore --> {WRONG_DATE_AND_ISSUER}\n"
    assert report_of(text, builtin).findings == ()


@pytest.mark.parametrize(
    ("comment", "left"),
    [
        ("<!-- citekit: ignore[wrong-date] -->", ["wrong-issuer"]),
        ("<!-- citekit: ignore[wrong-issuer] -->", ["wrong-date"]),
        ("citekit: ignore[wrong-kind]", ["wrong-date", "wrong-issuer"]),
    ],
)
def test_ignore_with_codes_silences_only_those(
    builtin: Catalogue, comment: str, left: list[str]
) -> None:
    text = f"{WRONG_DATE_AND_ISSUER} {comment}\n"
    assert [f.code.value for f in report_of(text, builtin).findings] == left


def test_ignore_next_line(builtin: Catalogue) -> None:
    text = f"<!-- citekit: ignore-next-line -->\n{WRONG_DATE_AND_ISSUER}\n{WRONG_DATE_AND_ISSUER}\n"
    assert lines_of(text, builtin) == [
        "d.md:3:13: wrong-date 180-QĐ/TW is dated 11-7-2024, not 1-7-2024",
        "d.md:3:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị",
    ]


def test_ignore_next_line_does_not_silence_its_own_line(builtin: Catalogue) -> None:
    text = f"{WRONG_DATE_AND_ISSUER} <!-- citekit: ignore-next-line -->\nKết thúc.\n"
    assert [f.code.value for f in report_of(text, builtin).findings] == [
        "wrong-date",
        "wrong-issuer",
    ]


def test_ignore_next_line_with_a_code(builtin: Catalogue) -> None:
    text = f"<!-- citekit: ignore-next-line[wrong-issuer] -->\n{WRONG_DATE_AND_ISSUER}\n"
    assert lines_of(text, builtin) == [
        "d.md:2:13: wrong-date 180-QĐ/TW is dated 11-7-2024, not 1-7-2024",
    ]


def test_a_comment_on_another_line_silences_nothing(builtin: Catalogue) -> None:
    text = f"<!-- citekit: ignore -->\n\n{WRONG_DATE_AND_ISSUER}\n"
    assert len(report_of(text, builtin).findings) == 2


def test_a_wrapped_citation_is_silenced_on_the_line_of_its_number(builtin: Catalogue) -> None:
    text = (
        "Theo Quy định số 145-QĐ/TW <!-- citekit: ignore[wrong-date] -->\n"
        "ngày 15-5-2024 của Bộ Chính trị.\n"
    )
    assert report_of(text, builtin).findings == ()
    assert lines_of(text.replace(" <!-- citekit: ignore[wrong-date] -->", ""), builtin) == [
        "d.md:1:18: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024"
    ]


def test_suppressions_found_by_line() -> None:
    raw = (
        "a <!-- citekit: ignore -->\r\n"
        "b\r\n"
        "<!-- citekit: ignore-next-line[wrong-date] -->\r\n"
        "c citekit: ignore[wrong-kind, non-canonical-number]\r\n"
        "citekit ignore\r\n"
    )
    silenced = find(raw)
    assert silenced.by_line == {
        1: frozenset({"*"}),
        4: frozenset({"wrong-date", "wrong-kind", "non-canonical-number"}),
    }
    assert silenced.silences(1, "wrong-issuer")
    assert not silenced.silences(2, "wrong-issuer")
    assert silenced.silences(4, "wrong-date")
    assert not silenced.silences(4, "wrong-issuer")
    assert find("no comment here").by_line == {}


# --- Configuration: [tool.citekit] or .citekit.yaml, nearest first ------------------------

WRONG_2019 = "Chỉ thị số 35-CT/TW ngày 30-5-2019 của Bộ Chính trị.\n"
"""Wrong for the built-in catalogue; right once the user catalogue is configured."""
WRONG_ISSUER = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị.\n"


def _check(cli: Cli, *args: str) -> tuple[int, str, str]:
    result = cli("check", *args)
    return result.exit_code, result.stdout, result.stderr


def _user_catalogue_text() -> str:
    return (DATA / "user-catalogue.yaml").read_text(encoding="utf-8")


def test_without_configuration_the_2019_directive_is_a_wrong_date(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"docs/draft.md": WRONG_2019})
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(cli, "docs/draft.md")
    assert (code, out) == (
        1,
        "docs/draft.md:1:12: wrong-date 35-CT/TW is dated 14-6-2024, not 30-5-2019\n"
        "Found 1 error and 0 warnings (1 file, 1 citation).\n",
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[tool.citekit]\ncatalogues = ["catalogues/user.yaml"]\n'),
        (".citekit.yaml", "catalogues:\n  - catalogues/user.yaml\n"),
    ],
)
def test_catalogues_from_the_configuration_found_walking_up(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    write_tree(
        tmp_path,
        {
            name: text,
            "catalogues/user.yaml": _user_catalogue_text(),
            "docs/2024/q3/draft.md": WRONG_2019,
        },
    )
    monkeypatch.chdir(tmp_path / "docs")
    assert _check(cli, "2024/q3/draft.md") == (
        0,
        "All citations verified (1 file, 1 citation).\n",
        "",
    )


def test_builtin_false_uses_only_the_configured_catalogues(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            ".citekit.yaml": "catalogues: [user.yaml]\nbuiltin: false\n",
            "user.yaml": _user_catalogue_text(),
            "draft.md": "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(cli, "draft.md")
    assert code == 0  # unknown-document is a warning unless configured an error
    assert out.startswith("draft.md:1:13: unknown-document 148-QĐ/TW is in no catalogue\n")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[tool.citekit]\nignore = ["wrong-issuer"]\n'),
        (".citekit.yaml", "ignore: [wrong-issuer]\n"),
    ],
)
def test_ignore_from_the_configuration(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    write_tree(tmp_path, {name: text, "draft.md": WRONG_ISSUER})
    monkeypatch.chdir(tmp_path)
    assert _check(cli, "draft.md")[:2] == (0, "All citations verified (1 file, 1 citation).\n")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[tool.citekit]\nseverity = { wrong-issuer = "warning" }\n'),
        (".citekit.yaml", "severity:\n  wrong-issuer: warning\n"),
    ],
)
def test_severity_from_the_configuration(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    write_tree(tmp_path, {name: text, "draft.md": WRONG_ISSUER})
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(cli, "draft.md", "--format", "json")
    assert code == 0  # a warning now, so it does not fail the run ...
    [finding] = json.loads(out)
    assert (finding["code"], finding["severity"]) == ("wrong-issuer", "warning")
    assert _check(cli, "draft.md", "--strict")[0] == 1  # ... unless warnings count


def test_severity_can_raise_a_warning_to_an_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            ".citekit.yaml": "severity: {non-canonical-number: error}\n",
            "draft.md": "Quyết định số 71-QD/TW.\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    assert _check(cli, "draft.md") == (
        1,
        "draft.md:1:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW\n"
        "Found 1 error and 0 warnings (1 file, 1 citation).\n",
        "",
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("pyproject.toml", '[tool.citekit]\nexclude = ["archive/**", "*.draft.md"]\n'),
        (".citekit.yaml", "exclude:\n  - archive/**\n  - '*.draft.md'\n"),
    ],
)
def test_exclude_from_the_configuration(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str
) -> None:
    write_tree(
        tmp_path,
        {
            name: text,
            "archive/2019/old.md": WRONG_ISSUER,
            "notes/x.draft.md": WRONG_ISSUER,
            "notes/current.md": WRONG_ISSUER,
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(cli, ".")
    assert code == 1
    assert out == (
        "notes/current.md:1:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, "
        "not Bộ Chính trị\n"
        "Found 1 error and 0 warnings (1 file, 1 citation).\n"
    )
    # A file named on the command line is excluded too.
    assert _check(cli, "archive/2019/old.md")[:2] == (
        0,
        "All citations verified (0 files, 0 citations).\n",
    )


def test_the_nearest_configuration_wins(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.citekit]\nignore = ["wrong-issuer"]\n',
            "team/.citekit.yaml": "ignore: [wrong-date]\n",
            "team/draft.md": WRONG_ISSUER,
            "draft.md": WRONG_ISSUER,
        },
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = _check(cli, "draft.md", "team/draft.md")
    assert code == 1
    assert out == (
        "team/draft.md:1:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, "
        "not Bộ Chính trị\n"
        "Found 1 error and 0 warnings (2 files, 2 citations).\n"
    )


def test_pyproject_before_citekit_yaml_in_one_directory(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.citekit]\nignore = ["wrong-kind"]\n',
            ".citekit.yaml": "ignore: [wrong-date]\n",
        },
    )
    found = configuration.for_directory(tmp_path)
    assert found.path == tmp_path / "pyproject.toml"
    assert found.ignore == frozenset({Code.WRONG_KIND})


def test_a_pyproject_without_the_table_is_passed_by(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".citekit.yaml": "ignore: [wrong-date]\n",
            "pkg/pyproject.toml": '[project]\nname = "x"\n',
        },
    )
    found = configuration.for_file(tmp_path / "pkg" / "draft.md")
    assert found.path == tmp_path / ".citekit.yaml"
    assert found.ignore == frozenset({Code.WRONG_DATE})


def test_no_configuration_is_the_default(tmp_path: Path) -> None:
    assert configuration.for_directory(tmp_path) == Config()
    assert Config().severity_of(Code.WRONG_DATE) is Severity.ERROR
    assert Config().severity_of(Code.NON_CANONICAL_NUMBER) is Severity.WARNING


def test_build_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / ".citekit.yaml"
    built = build(
        {
            "catalogues": ["cat/a.yaml"],
            "builtin": False,
            "ignore": ["wrong-kind"],
            "exclude": ["old/**"],
            "severity": {"wrong-date": "warning"},
        },
        path,
    )
    assert built == Config(
        path=path,
        catalogues=(tmp_path / "cat" / "a.yaml",),
        builtin=False,
        ignore=frozenset({Code.WRONG_KIND}),
        exclude=("old/**",),
        severity={Code.WRONG_DATE: Severity.WARNING},
    )
    assert built.severity_of(Code.WRONG_DATE) is Severity.WARNING
    assert built.excludes(tmp_path / "old" / "a.md")
    assert not built.excludes(tmp_path / "new" / "a.md")
    assert not built.excludes(tmp_path.parent / "elsewhere.md")


KNOWN = "known: " + ", ".join(code.value for code in Code)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([1], "the citekit configuration must be a table"),
        (
            {"colour": True},
            "unknown key 'colour'; known: builtin, catalogues, exclude, ignore, severity",
        ),
        ({"ignore": "wrong-date"}, "'ignore' must be a list of codes"),
        ({"ignore": ["wrong-day"]}, f"'ignore': 'wrong-day' is not a valid Code; {KNOWN}"),
        ({"catalogues": "a.yaml"}, "'catalogues' must be a list of strings"),
        ({"exclude": [1]}, "'exclude' must be a list of strings"),
        ({"severity": ["wrong-date"]}, "'severity' must be a table of code = level"),
        (
            {"severity": {"wrong-date": "fatal"}},
            "severity of wrong-date must be 'error' or 'warning'",
        ),
        (
            {"severity": {"wrong-day": "error"}},
            f"'severity': 'wrong-day' is not a valid Code; {KNOWN}",
        ),
        ({"builtin": "no"}, "'builtin' must be true or false"),
    ],
)
def test_bad_configuration_values(tmp_path: Path, table: object, message: str) -> None:
    path = tmp_path / "pyproject.toml"
    with pytest.raises(ConfigError) as raised:
        build(table, path)
    assert str(raised.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[tool.citekit]\nseverity = { wrong-date = "fatal" }\n',
            "pyproject.toml: severity of wrong-date must be 'error' or 'warning'",
        ),
        (
            ".citekit.yaml",
            "ignore: [wrong-day]\n",
            f".citekit.yaml:1: 'ignore': 'wrong-day' is not a valid Code; {KNOWN}",
        ),
        (
            ".citekit.yaml",
            "builtin: true\nexclude: archive\n",
            ".citekit.yaml:2: 'exclude' must be a list of strings",
        ),
        (".citekit.yaml", "ignore: [\n", ".citekit.yaml:2: invalid YAML: "),
        (".citekit.yaml", "a: &x [1]\nb: *x\n", ".citekit.yaml:2: YAML aliases are not allowed"),
        (
            ".citekit.yaml",
            "ignore: !!python/object/apply:os.system [echo]\n",
            ".citekit.yaml:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not",
        ),
        (".citekit.yaml", "ignore: []\nignore: []\n", ".citekit.yaml:2: 'ignore' is given twice"),
        (".citekit.yaml", "[1]\n", ".citekit.yaml:1: the citekit configuration must be a"),
        (".citekit.yaml", "ignore: []\n---\n", ".citekit.yaml:2: a configuration holds one"),
        (".citekit.yaml", "ignore: " + "[" * 1000 + "]" * 1000, ".citekit.yaml:1: invalid YAML: "),
        (
            ".citekit.yaml",
            "ignore:\n" + "".join("  " * i + "-\n" for i in range(1, 1000)),
            ".citekit.yaml:51: YAML nested more than 50 levels deep",
        ),
        ("pyproject.toml", "[tool.citekit\n", "pyproject.toml: cannot read: "),
    ],
)
def test_a_bad_configuration_exits_2(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str,
    message: str,
) -> None:
    write_tree(tmp_path, {name: text, "docs/draft.md": WRONG_ISSUER})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "docs/draft.md")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"citekit: error: {tmp_path / message}")
    assert result.stderr.count("\n") == 1  # one line, no traceback


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (".citekit.yaml", b"ignore:\n  - x\xff\n"),
        ("pyproject.toml", b"[tool.citekit]\nx = '\xff'\n"),
    ],
)
def test_a_configuration_not_in_utf_8_names_its_line_and_byte(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, data: bytes
) -> None:
    write_tree(tmp_path, {"draft.md": WRONG_ISSUER})
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "draft.md")
    assert result.exit_code == 2
    assert result.stderr == f"citekit: error: {tmp_path / name}:2: not UTF-8 (byte 0xff)\n"


def test_a_missing_configured_catalogue_exits_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path, {".citekit.yaml": "catalogues: [nowhere.yaml]\n", "draft.md": WRONG_ISSUER}
    )
    monkeypatch.chdir(tmp_path)
    result = cli("check", "draft.md")
    assert result.exit_code == 2
    assert result.stderr.startswith("citekit: error: ")
    assert "nowhere.yaml" in result.stderr
