"""A realistic draft with planted errors: the exact findings and table of authorities."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import Cli

from citekit.catalogue import Catalogue
from citekit.drafts import read_draft
from citekit.findings import check_draft
from citekit.output.check import finding_line

DRAFT = Path(__file__).parent / "data" / "draft.md"
NAME = "tests/data/draft.md"

FINDINGS = [
    "tests/data/draft.md:12:26: wrong-date 35-CT/TW is dated 14-6-2024, not 16-4-2024 "
    "(16-4-2024 is a known misprint in the conference report (meeting-report.vi.txt))",
    "tests/data/draft.md:18:67: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị",
    "tests/data/draft.md:21:42: wrong-kind 142-QĐ/TW is a Quy định, not a Quyết định",
    "tests/data/draft.md:29:16: wrong-date 146-QĐ/TW is dated 14-5-2024, not 15-5-2024",
    "tests/data/draft.md:33:26: non-canonical-number write 09-KL/BTCTW, not 9-KL/BTCTW",
    "tests/data/draft.md:38:34: non-canonical-number write 71-QĐ/TW, not 71-QD/TW",
    "tests/data/draft.md:47:36: unknown-document 149-QĐ/TW is in no catalogue; "
    "did you mean 148-QĐ/TW, 147-QĐ/TW, 146-QĐ/TW?",
]
SUMMARY = "Found 4 errors and 3 warnings (1 file, 20 citations: 11 verified, 1 not verifiable)."

# (number, line, column, end_line, end_column, code, severity, expected, found)
FINDINGS_JSON = [
    ("35-CT/TW", 12, 26, 12, 49, "wrong-date", "error", "2024-06-14", "16-4-2024"),
    ("180-QĐ/TW", 18, 67, 19, 32, "wrong-issuer", "error", "Ban Bí thư", "Bộ Chính trị"),
    ("142-QĐ/TW", 21, 42, 21, 51, "wrong-kind", "error", "Quy định", "Quyết định"),
    ("146-QĐ/TW", 29, 16, 29, 40, "wrong-date", "error", "2024-05-14", "15-5-2024"),
    (
        "09-KL/BTCTW",
        33,
        26,
        33,
        36,
        "non-canonical-number",
        "warning",
        "09-KL/BTCTW",
        "9-KL/BTCTW",
    ),
    ("71-QĐ/TW", 38, 34, 38, 42, "non-canonical-number", "warning", "71-QĐ/TW", "71-QD/TW"),
    ("149-QĐ/TW", 47, 36, 47, 45, "unknown-document", "warning", "148-QĐ/TW", "149-QĐ/TW"),
]

# (number, kind, date, issuer, lines, verified); titles come from the catalogue.
REFS = [
    ("145-QĐ/TW", "Quy định", "2024-05-10", "Bộ Chính trị", [8], "yes"),
    ("35-CT/TW", "Chỉ thị", "2024-06-14", "Bộ Chính trị", [12, 55], "yes"),
    ("27-HD/BTCTW", "Hướng dẫn", "2024-08-26", "Ban Tổ chức Trung ương", [14], "yes"),
    ("143-QĐ/TW", "Quyết định", "2024-05-03", "Ban Bí thư", [17], "yes"),
    ("180-QĐ/TW", "Quy định", "2024-07-11", "Ban Bí thư", [18], "yes"),
    ("142-QĐ/TW", "Quy định", "2024-04-23", "Bộ Chính trị", [21], "yes"),
    ("148-QĐ/TW", "Quy định", "2024-05-23", "Bộ Chính trị", [23, 48], "yes"),
    ("147-QĐ/TW", "Quyết định", "2024-05-14", "Ban Bí thư", [27], "yes"),
    ("179-QĐ/TW", "Quyết định", "2024-07-08", "Ban Bí thư", [28], "yes"),
    ("146-QĐ/TW", "Quy định", "2024-05-14", "Ban Bí thư", [29, 57], "yes"),
    ("09-KL/BTCTW", "Kết luận", None, "Ban Tổ chức Trung ương", [33], "yes"),
    ("71-QĐ/TW", "Quyết định", "2022-07-18", "Bộ Chính trị", [38], "yes"),
    ("72-QĐ/TW", "Quyết định", None, "Bộ Chính trị", [40], "yes"),
    ("212-QĐ/TW", "Quy định", "2019-12-30", "Ban Bí thư", [40], "yes"),
    ("88-KL/TW", "Kết luận", "2020-09-19", "Bộ Chính trị", [43], "yes"),
    ("39-CT/TW", "Chỉ thị", "2014-08-18", "Bộ Chính trị", [45], "yes"),
    ("149-QĐ/TW", None, None, None, [47], "no"),
]


@pytest.fixture
def in_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from a directory holding tests/data/draft.md, away from any project config."""
    target = tmp_path / NAME
    target.parent.mkdir(parents=True)
    shutil.copyfile(DRAFT, target)
    monkeypatch.chdir(tmp_path)
    return target


def test_the_draft_is_hard_wrapped_markdown() -> None:
    lines = DRAFT.read_text(encoding="utf-8").split("\n")
    assert max(len(line) for line in lines) <= 80
    assert lines[0].startswith("# ")
    # The look-alikes are planted, and they stay quiet.
    text = "\n".join(lines)
    for look_alike in ("148 người", "2022-2026", "2020-2025", "024-3823-1234", "2024-QĐ"):
        assert look_alike in text
    assert "(tỷ lệ 27/30)" in text


def test_check_prints_the_exact_findings(cli: Cli, in_copy: Path) -> None:
    result = cli("check", NAME)
    assert result.exit_code == 1
    assert result.stdout == "\n".join([*FINDINGS, SUMMARY]) + "\n"
    assert result.stderr == ""


def test_check_json_of_the_draft(cli: Cli, in_copy: Path) -> None:
    result = cli("check", "--format", "json", NAME)
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    messages = [line.split(": ", 1)[1].split(" ", 1)[1] for line in FINDINGS]
    expected = [
        {
            "path": NAME,
            "line": line,
            "column": column,
            "end_line": end_line,
            "end_column": end_column,
            "code": code,
            "severity": severity,
            "message": message,
            "number": number,
            "expected": want,
            "found": got,
        }
        for (number, line, column, end_line, end_column, code, severity, want, got), message in zip(
            FINDINGS_JSON, messages, strict=True
        )
    ]
    assert found == expected


def test_the_library_finds_the_same(builtin: Catalogue) -> None:
    report = check_draft(read_draft(DRAFT), builtin)
    assert [finding_line(f).split(": ", 1)[1] for f in report.findings] == [
        line.split(": ", 1)[1] for line in FINDINGS
    ]
    assert len(report.resolutions) == 20
    # The wrapped wrong-issuer finding runs from the number to the issuer on the next line.
    wrapped = report.findings[1]
    lines = DRAFT.read_text(encoding="utf-8").split("\n")
    assert lines[wrapped.line - 1][wrapped.column - 1 :] == "180-QĐ/TW"
    assert lines[wrapped.end_line - 1][: wrapped.end_column - 1] == (
        "ngày 11-7-2024 của Bộ Chính trị"
    )


def _refs_expected(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for number, kind, date, issuer, lines, verified in REFS:
        documents = catalogue.by_number(number)
        rows.append(
            {
                "number": number,
                "kind": kind,
                "date": date,
                "issuer": issuer,
                "title": documents[0].title if documents else None,
                "count": len(lines),
                "locations": [{"path": NAME, "line": line} for line in lines],
                "verified": verified,
                "status": STATUS.get(number, "verified"),
                "family": "party",
                "issuer_code": number.split("/")[-1],
            }
        )
    return rows


STATUS = {
    "35-CT/TW": "wrong",
    "180-QĐ/TW": "wrong",
    "142-QĐ/TW": "wrong",
    "146-QĐ/TW": "wrong",
    "09-KL/BTCTW": "wrong",
    "71-QĐ/TW": "wrong",
    "149-QĐ/TW": "not-in-catalogue",
}
"""What checking made of each document's citations, where not all are verified."""


def _where_only(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The table with each location's path and line alone."""
    return [
        {**row, "locations": [{k: loc[k] for k in ("path", "line")} for loc in row["locations"]]}
        for row in table
    ]


def test_refs_json_of_the_draft(cli: Cli, in_copy: Path, builtin: Catalogue) -> None:
    result = cli("refs", "--format", "json", NAME)
    assert result.exit_code == 0
    table = json.loads(result.stdout)
    assert _where_only(table) == _refs_expected(builtin)
    by_number = {row["number"]: row for row in table}
    [written] = by_number["180-QĐ/TW"]["locations"]
    assert (written["kind_written"], written["date_written"], written["issuer_written"]) == (
        "Quy định",
        "11-7-2024",
        "Bộ Chính trị",  # the wrong issuer, as the draft wrote it
    )
    assert by_number["180-QĐ/TW"]["title"] == "Quy định về chuyên gia cao cấp"
    assert by_number["09-KL/BTCTW"]["title"] is None  # the report gives none; none invented


def test_refs_tsv_of_the_draft(cli: Cli, in_copy: Path) -> None:
    result = cli("refs", "--format", "tsv", NAME)
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == [
        "number",
        "kind",
        "date",
        "issuer",
        "title",
        "count",
        "lines",
        "verified",
        "status",
        "family",
        "issuer_code",
    ]
    assert [(r[0], r[5], r[6], r[7], r[8]) for r in rows[1:]] == [
        (
            number,
            str(len(lines)),
            ", ".join(map(str, lines)),
            verified,
            STATUS.get(number, "verified"),
        )
        for number, _, _, _, lines, verified in REFS
    ]
    assert rows[-1] == [
        "149-QĐ/TW",
        "",
        "",
        "",
        "",
        "1",
        "47",
        "no",
        "not-in-catalogue",
        "party",
        "TW",
    ]
