"""Fixes in Word drafts (`citekit.word.fix_word`, `diff_word`), on real .docx files.

Non-canonical numbers are rewritten in the runs that hold them, plainly or as tracked
changes; numbers in fields, hyperlinks and tracked changes are left alone and reported.
The copies are read back with citekit, zipfile and python-docx, and, when LibreOffice
is installed, exported to PDF and read with pdftotext.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from test_word_annotate import (
    LIBREOFFICE_DRAFT,
    WHEN,
    W,
    build_review_draft,
    element,
    libreoffice,  # noqa: F401  (a fixture shared with it)
    to_pdf,
)

from citekit.catalogue import Catalogue
from citekit.errors import UsageError
from citekit.findings import Report, check_draft
from citekit.fixing import fixed_units
from citekit.word import FixResult, Skipped, diff_word, fix_word
from citekit.wordfiles import read_word

docx = pytest.importorskip("docx")


@pytest.fixture
def review(tmp_path: Path, builtin: Catalogue) -> tuple[Path, Report]:
    source = build_review_draft(tmp_path / "draft.docx")
    return source, check_draft(read_word(source), builtin)


def fixed_texts(report: Report) -> list[str]:
    """The draft's paragraphs as fixing them should leave them."""
    fixed = fixed_units(report)
    return [fixed.get(i, unit.raw) for i, unit in enumerate(report.draft.units)]


def document_xml(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        return ElementTree.fromstring(archive.read("word/document.xml"))


def test_fix_rewrites_numbers_in_their_runs(review: tuple[Path, Report], tmp_path: Path) -> None:
    source, report = review
    original = source.read_bytes()
    out = tmp_path / "fixed.docx"
    result = fix_word(source, report, out, track_changes=False, when=WHEN)
    assert result == FixResult(fixed=2)
    assert source.read_bytes() == original
    assert [u.raw for u in read_word(out).units] == fixed_texts(report)
    # "7" + "1-QD/T" (underlined) + "W ngày…": the new number goes into the first run's
    # span, the underlined run is left empty and dropped, the last one trimmed.
    paragraph = docx.Document(str(out)).paragraphs[3]
    assert [(r.text, r.underline) for r in paragraph.runs] == [
        ("Thực hiện Quyết định số 71-QĐ/TW", None),
        (" ngày 18-7-2022 của Bộ Chính trị.", None),
    ]
    # Nothing else changed: the other paragraphs keep their runs and formatting.
    runs = docx.Document(str(out)).paragraphs[2].runs
    assert [(r.text, r.bold, r.italic) for r in runs][1:3] == [
        ("14", True, None),
        ("8-QĐ", None, True),
    ]
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        assert before.namelist() == after.namelist()
        changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert changed == {"word/document.xml"}


def test_fix_with_tracked_changes(review: tuple[Path, Report], tmp_path: Path) -> None:
    source, report = review
    out = tmp_path / "tracked.docx"
    result = fix_word(source, report, out, track_changes=True, author="citekit", when=WHEN)
    assert result == FixResult(fixed=2)
    # Deleted text is not read, inserted text is: the copy reads as the fixed draft.
    assert [u.raw for u in read_word(out).units] == fixed_texts(report)
    root = document_xml(out)
    deletions = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")]
    insertions = ["".join(t.text or "" for t in i.iter(f"{W}t")) for i in root.iter(f"{W}ins")]
    assert deletions == ["71-QD/TW", "9-KL/BTCTW"]
    assert insertions == ["71-QĐ/TW", "09-KL/BTCTW"]
    revisions = [*root.iter(f"{W}del"), *root.iter(f"{W}ins")]
    assert {(r.get(f"{W}author"), r.get(f"{W}date")) for r in revisions} == {
        ("citekit", "2025-03-04T05:06:07Z")
    }
    ids = [r.get(f"{W}id") for r in revisions]
    assert len(set(ids)) == len(ids)
    # The three runs of the split number are deleted with their formatting.
    underlined = [r for d in root.iter(f"{W}del") for r in d if r.find(f"{W}rPr/{W}u") is not None]
    assert ["".join(t.text or "" for t in r.iter(f"{W}delText")) for r in underlined] == ["1-QD/T"]
    assert docx.Document(str(out)).paragraphs[3].text.startswith("Thực hiện Quyết định số ")


def test_fix_refuses_to_overwrite_the_original(review: tuple[Path, Report]) -> None:
    source, report = review
    with pytest.raises(UsageError):
        fix_word(source, report, source, track_changes=False, when=WHEN)


def test_diff_word(review: tuple[Path, Report]) -> None:
    source, report = review
    assert diff_word(report) == (
        f"--- a/{source}\n+++ b/{source}\n"
        "@@ body ¶4 @@\n"
        "-Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị.\n"
        "+Thực hiện Quyết định số 71-QĐ/TW ngày 18-7-2022 của Bộ Chính trị.\n"
        "@@ table 1 row 2 cell 1 ¶1 @@\n"
        "-Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương\n"
        "+Kết luận số 09-KL/BTCTW của Ban Tổ chức Trung ương\n"
    )


def test_diff_word_of_nothing_to_fix(tmp_path: Path, builtin: Catalogue) -> None:
    document = docx.Document()
    document.add_paragraph("Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.")
    document.save(str(tmp_path / "clean.docx"))
    assert diff_word(check_draft(read_word(tmp_path / "clean.docx"), builtin)) == ""


# --- what is left alone -----------------------------------------------------------------------


def _run(text: str) -> Any:
    run = element("w:r")
    t = element("w:t", **{"xml:space": "preserve"})
    t.text = text
    run.append(t)
    return run


def _field_char(kind: str) -> Any:
    run = element("w:r")
    run.append(element("w:fldChar", **{"w:fldCharType": kind}))
    return run


def build_guarded_draft(path: Path) -> Path:
    """A misspelt number in a hyperlink, a simple field, a complex field, a tracked
    insertion, and one in plain text."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    document = docx.Document()
    paragraph = document.add_paragraph("Xem Quy định số ")
    rid = document.part.relate_to(
        "https://example.org/148", RELATIONSHIP_TYPE.HYPERLINK, is_external=True
    )
    link = element("w:hyperlink", **{"r:id": rid})
    link.append(_run("148-QD/TW"))
    paragraph._p.append(link)
    paragraph = document.add_paragraph("Theo Quyết định số ")
    simple = element("w:fldSimple", **{"w:instr": " DOCPROPERTY So "})
    simple.append(_run("71-QD/TW"))
    paragraph._p.append(simple)
    paragraph = document.add_paragraph("Theo Quy định số ")
    instruction = element("w:r")
    code = element("w:instrText", **{"xml:space": "preserve"})
    code.text = " REF so_van_ban "
    instruction.append(code)
    for part in (
        _field_char("begin"),
        instruction,
        _field_char("separate"),
        _run("148-QD/TW"),
        _field_char("end"),
    ):
        paragraph._p.append(part)
    paragraph = document.add_paragraph("Theo Quyết định số ")
    inserted = element(
        "w:ins", **{"w:id": "7", "w:author": "Lan", "w:date": "2025-01-01T00:00:00Z"}
    )
    inserted.append(_run("71-QD/TW"))
    paragraph._p.append(inserted)
    document.add_paragraph("Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương.")
    document.save(str(path))
    return path


@pytest.mark.parametrize("track_changes", [False, True])
def test_numbers_word_computes_or_links_are_left_alone(
    tmp_path: Path, builtin: Catalogue, track_changes: bool
) -> None:
    source = build_guarded_draft(tmp_path / "guarded.docx")
    report = check_draft(read_word(source), builtin)
    out = tmp_path / "out.docx"
    result = fix_word(source, report, out, track_changes=track_changes, when=WHEN)
    assert result == FixResult(
        fixed=1,
        skipped=(
            Skipped("body ¶1", "148-QD/TW", "not fixed: inside a hyperlink"),
            Skipped("body ¶2", "71-QD/TW", "not fixed: inside a field"),
            Skipped("body ¶3", "148-QD/TW", "not fixed: inside a field"),
            Skipped("body ¶4", "71-QD/TW", "not fixed: inside a tracked change"),
        ),
    )
    assert str(result.skipped[0]) == "body ¶1: 148-QD/TW: not fixed: inside a hyperlink"
    texts = [u.raw for u in read_word(out).units]
    assert texts == [
        *(u.raw for u in report.draft.units[:4]),
        "Kết luận số 09-KL/BTCTW của Ban Tổ chức Trung ương.",
    ]


def test_diff_word_leaves_out_what_fixing_leaves_alone(tmp_path: Path, builtin: Catalogue) -> None:
    source = build_guarded_draft(tmp_path / "guarded.docx")
    report = check_draft(read_word(source), builtin)
    result = fix_word(source, report, tmp_path / "out.docx", track_changes=False, when=WHEN)
    assert [edit.text for edit in result.applied] == ["09-KL/BTCTW"]
    everything = diff_word(report)
    shown = diff_word(report, result.applied)
    assert everything.count("@@ body") == 5
    assert shown.count("@@ body") == 1
    assert "@@ body ¶5 @@" in shown
    assert "+Kết luận số 09-KL/BTCTW của Ban Tổ chức Trung ương." in shown


# --- a file saved by LibreOffice --------------------------------------------------------------


def test_fix_a_file_saved_by_libreoffice(tmp_path: Path, builtin: Catalogue) -> None:
    report = check_draft(read_word(LIBREOFFICE_DRAFT), builtin)
    out = tmp_path / "tracked.docx"
    result = fix_word(LIBREOFFICE_DRAFT, report, out, track_changes=True, when=WHEN)
    assert result == FixResult(fixed=2)
    assert [u.raw for u in read_word(out).units] == fixed_texts(report)
    root = document_xml(out)
    # The reviewer's tracked change is kept beside citekit's.
    authors = sorted(
        r.get(f"{W}author", "") for r in [*root.iter(f"{W}del"), *root.iter(f"{W}ins")]
    )
    assert authors == ["Lan", "Lan", "citekit", "citekit", "citekit", "citekit"]


# --- LibreOffice ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
@pytest.mark.parametrize("track_changes", [False, True])
def test_libreoffice_shows_the_fixed_numbers(
    review: tuple[Path, Report],
    tmp_path: Path,
    libreoffice: Path,  # noqa: F811
    track_changes: bool,
) -> None:
    source, report = review
    out = tmp_path / "fixed.docx"
    fix_word(source, report, out, track_changes=track_changes, when=WHEN)
    text, _ = to_pdf(libreoffice, out)
    assert "Thực hiện Quyết định số 71-QĐ/TW" in text or "71-QĐ/TW ngày 18-7-2022" in text
    assert "09-KL/BTCTW" in " ".join(text.split()).replace("- ", "-")
    # A tracked deletion is still shown (struck through) until it is accepted.
    assert ("71-QD/TW" in text) is track_changes


def test_an_error_inside_a_word_file_names_the_file(tmp_path: Path) -> None:
    """Messages raised deep in a part (a corrupt part, a run that cannot be cut) reach the
    user with the file's name; one that names a file already is left as it is."""
    import re

    from citekit.errors import InputError
    from citekit.word._package import open_word

    source = build_guarded_draft(tmp_path / "guarded.docx")
    out = tmp_path / "out.docx"
    named = re.escape(str(source))
    with (
        pytest.raises(InputError, match=f"^{named}: corrupt Word file: x$"),
        open_word(source, out),
    ):
        raise InputError("corrupt Word file: x")
    with (
        pytest.raises(InputError, match=f"^{re.escape(str(out))}: cannot write: y$"),
        open_word(source, out),
    ):
        raise InputError(f"{out}: cannot write: y")
