"""The library without the CLI: `citekit.check_text`, `citekit.check_path`, lazy exports."""

from __future__ import annotations

import doctest
import io
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

import citekit
from citekit import findings
from citekit.catalogue import Catalogue
from citekit.codes import Code, Severity
from citekit.config import Config
from citekit.errors import InputError
from citekit.units import Position
from citekit.wordfiles import Part

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = "Mở đầu.\nTheo Quy định số 148-QD/TW và Quy định số 145-QĐ/TW ngày 15-5-2024.\n"


def _docx(path: Path, *paragraphs: str) -> Path:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
    path.write_bytes(buffer.getvalue())
    return path


def test_check_text_places_findings_by_line_and_column() -> None:
    report = citekit.check_text(TEXT)
    assert [(f.path, f.line, f.column, f.code) for f in report.findings] == [
        ("<text>", 2, 18, Code.NON_CANONICAL_NUMBER),
        ("<text>", 2, 43, Code.WRONG_DATE),
    ]
    assert report.findings[0].position == Position(2, 18, 2, 27)
    assert report.findings[0].quote is None
    assert [r.document.number for r in report.resolutions if r.document] == [
        "148-QĐ/TW",
        "145-QĐ/TW",
    ]


def test_check_text_takes_a_path_a_catalogue_and_a_config(builtin: Catalogue) -> None:
    config = Config(
        ignore=frozenset({Code.WRONG_DATE}), severity={Code.NON_CANONICAL_NUMBER: Severity.ERROR}
    )
    report = citekit.check_text(TEXT, builtin, path="draft.md", config=config)
    [finding] = report.findings
    assert (finding.path, finding.code, finding.severity) == (
        "draft.md",
        Code.NON_CANONICAL_NUMBER,
        Severity.ERROR,
    )
    assert report.draft.path == "draft.md"


def test_check_text_of_clean_text_finds_nothing() -> None:
    report = citekit.check_text("Không có trích dẫn nào.")
    assert report.findings == report.resolutions == ()


def test_check_path_reads_a_text_file(tmp_path: Path) -> None:
    draft = tmp_path / "draft.md"
    draft.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())  # with a UTF-8 BOM
    report = citekit.check_path(draft)
    assert [(f.path, f.line, f.column) for f in report.findings] == [
        (str(draft), 2, 18),
        (str(draft), 2, 43),
    ]
    assert report.findings == citekit.check_path(str(draft)).findings


def test_check_path_reads_a_word_file(tmp_path: Path) -> None:
    draft = _docx(tmp_path / "draft.docx", "Mở đầu.", "Theo Quy định số 148-QD/TW. Hết.")
    [finding] = citekit.check_path(draft).findings
    assert finding.code is Code.NON_CANONICAL_NUMBER
    location = finding.position.location
    assert location is not None
    assert (location.part, location.paragraph, finding.position.label) == (Part.BODY, 2, "body ¶2")
    assert (finding.line, finding.column, finding.end_column) == (2, 18, 27)
    assert finding.quote == "Theo Quy định số 148-QD/TW."


def test_check_path_of_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        citekit.check_path(tmp_path / "missing.md")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("check_text", findings.check_text),
        ("check_path", findings.check_path),
        ("Report", findings.Report),
        ("Finding", findings.Finding),
        ("Position", Position),
    ],
)
def test_the_draft_api_is_exported(name: str, value: object) -> None:
    assert name in citekit.__all__
    assert getattr(citekit, name) is value


def test_every_export_resolves() -> None:
    for name in citekit.__all__:
        assert getattr(citekit, name) is not None


def test_importing_citekit_imports_no_checking_code() -> None:
    code = "import sys, citekit; print(sorted(m for m in sys.modules if m.startswith('citekit')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['citekit']"


@pytest.mark.parametrize("module", [citekit, findings], ids=["citekit", "findings"])
def test_the_docstring_examples_run(module: ModuleType) -> None:
    failed, attempted = doctest.testmod(module)
    assert (failed, attempted > 0) == (0, True)
