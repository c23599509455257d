"""Word through the CLI: --annotate, --fix (tracked or not), --diff, and legacy encodings."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from helpers import Cli, executable, subprocess_env

from citekit import legacy

WRONG_DATE = (
    "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị, các cấp ủy đã quán triệt."
)


def _draft(path: Path) -> Path:
    """Two findings: a wrong date, and a number split across runs, one of them bold."""
    document = docx.Document()
    document.add_paragraph(WRONG_DATE)
    paragraph = document.add_paragraph("Việc thực hiện Quyết định số ")
    paragraph.add_run("71-QD").bold = True
    paragraph.add_run("/TW ngày 18-7-2022 của Bộ Chính trị bảo đảm tiến độ.")
    document.save(str(path))
    return path


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(name).decode("utf-8")


def test_annotate_writes_a_comment_per_finding_and_leaves_the_draft(cli: Cli, here: Path) -> None:
    draft = _draft(here / "draft.docx")
    before = draft.read_bytes()
    result = cli("check", "draft.docx", "--annotate", "out.docx")
    assert result.exit_code == 1  # the findings stand; the copy shows them
    assert draft.read_bytes() == before
    comments = _part(here / "out.docx", "word/comments.xml")
    assert "145-QĐ/TW is dated 10-5-2024, not 15-5-2024" in comments
    assert "write 71-QĐ/TW, not 71-QD/TW" in comments
    assert comments.count('w:author="citekit"') == 2
    body = _part(here / "out.docx", "word/document.xml")
    assert body.count("<w:commentRangeStart") == 2
    assert result.stderr == "citekit: note: out.docx: 2 comments\n"


def test_annotate_several_drafts_into_a_folder(cli: Cli, here: Path) -> None:
    _draft(here / "a.docx")
    _draft(here / "b.docx")
    assert cli("check", "a.docx", "b.docx", "--annotate-dir", "notes").exit_code == 1
    assert sorted(p.name for p in (here / "notes").iterdir()) == [
        "a.citekit.docx",
        "b.citekit.docx",
    ]


def test_annotate_refuses_a_text_draft(cli: Cli, here: Path) -> None:
    (here / "t.md").write_text("Quy định số 148-QĐ/TW.\n", encoding="utf-8")
    result = cli("check", "t.md", "--annotate", "x.docx")
    assert result.exit_code == 2
    assert result.stderr == (
        "citekit: error: t.md: --annotate writes Word comments into a .docx copy; "
        "for a text draft, read the findings\n"
    )
    assert not (here / "x.docx").exists()


def test_diff_shows_the_word_fix_paragraph_by_paragraph(cli: Cli, here: Path) -> None:
    _draft(here / "draft.docx")
    result = cli("check", "draft.docx", "--diff")
    assert result.stdout == (
        "--- a/draft.docx\n+++ b/draft.docx\n@@ body ¶2 @@\n"
        "-Việc thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị bảo đảm tiến độ.\n"
        "+Việc thực hiện Quyết định số 71-QĐ/TW ngày 18-7-2022 của Bộ Chính trị bảo đảm tiến độ.\n"
    )


@pytest.mark.parametrize("tracked", [False, True])
def test_fix_rewrites_the_runs_keeping_their_formatting(
    cli: Cli, here: Path, tracked: bool
) -> None:
    draft = _draft(here / "draft.docx")
    args = ["check", "draft.docx", "--fix", *(["--track-changes"] if tracked else [])]
    result = cli(*args)
    assert result.stdout.splitlines()[-2:] == [
        "Fixed 1 number.",
        "Found 1 error and 0 warnings (1 file, 2 citations).",
    ]
    body = _part(draft, "word/document.xml")
    if tracked:
        assert '<w:del w:id="' in body
        assert 'w:author="citekit"' in body
        assert "<w:delText" in body
        inserted = body[body.index("<w:ins ") : body.index("</w:ins>")]
        assert "<w:b/>" in inserted  # the insertion keeps the bold run's formatting
        assert "71-QĐ/TW" in inserted
    else:
        assert "<w:del " not in body
        runs = docx.Document(str(draft)).paragraphs[1].runs
        bold = "".join(r.text for r in runs if r.bold)
        assert "71-QĐ" in bold  # the bold run holds the fixed serial and code
    # Deleted text is not read, inserted text is: the fix reads as accepted.
    assert "non-canonical-number" not in cli("check", "draft.docx").stdout


def test_track_changes_goes_with_fix(cli: Cli, here: Path) -> None:
    _draft(here / "draft.docx")
    result = cli("check", "draft.docx", "--track-changes")
    assert (result.exit_code, result.stderr) == (
        2,
        "citekit: error: --track-changes goes with --fix\n",
    )


def test_a_text_draft_in_a_legacy_encoding(cli: Cli, here: Path) -> None:
    text = "Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị về chế độ bồi dưỡng.\n"
    (here / "old.txt").write_bytes(legacy.encode(text, "vni"))
    result = cli("check", "old.txt", "--encoding", "vni")
    assert result.stdout.startswith(
        "old.txt:1:13: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024"
    )
    bad = cli("check", "old.txt", "--encoding", "ebcdic")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("citekit: error: ")


def test_fix_re_encodes_a_legacy_draft_in_its_own_encoding(cli: Cli, here: Path) -> None:
    text = "Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị.\n"
    (here / "old.txt").write_bytes(legacy.encode(text, "tcvn3"))
    assert cli("check", "old.txt", "--encoding", "tcvn3", "--fix").exit_code == 0
    fixed = (here / "old.txt").read_bytes()
    assert legacy.decode(fixed, "tcvn3") == text.replace("71-QD/TW", "71-QĐ/TW")


@pytest.mark.slow
def test_annotate_through_the_installed_executable(here: Path) -> None:
    _draft(here / "draft.docx")
    done = subprocess.run(
        [executable(), "check", "draft.docx", "--annotate", "out.docx"],
        cwd=here,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "145-QĐ/TW is dated 10-5-2024" in _part(here / "out.docx", "word/comments.xml")


def _legacy_word_draft(path: Path, font: str) -> Path:
    """A draft typed in a legacy font, its number split across two runs, one bold."""
    encoding = legacy.legacy_font(font)
    assert encoding is not None

    def shown(text: str) -> str:
        return legacy.to_font_text(text, font)

    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, bold in (
        ("Việc thực hiện Quyết định số ", False),
        ("71-QD", True),
        ("/TW ngày 18-7-2022 của Bộ Chính trị; Quy định số 145-QĐ/TW ngày 15-5-2024.", False),
    ):
        run = paragraph.add_run(shown(text))
        run.bold = bold
        run.font.name = font
    # and one run with the number among accented letters, some written in two VNI bytes
    text = "Căn cứ Quyết định số 71-QD/TW, Hướng dẫn số 27-HD/BTCTW đã được triển khai."
    document.add_paragraph().add_run(shown(text)).font.name = font
    document.save(str(path))
    return path


@pytest.mark.parametrize("tracked", [False, True])
@pytest.mark.parametrize("font", [".VnTime", "VNI-Times"])
def test_fix_re_encodes_a_legacy_word_run_in_its_font(
    cli: Cli, here: Path, tracked: bool, font: str
) -> None:
    draft = _legacy_word_draft(here / "old.docx", font)
    args = ["check", "old.docx", "--fix", *(["--track-changes"] if tracked else [])]
    result = cli(*args)
    assert "Fixed 2 numbers." in result.stdout, result.stderr
    paragraphs = docx.Document(str(draft)).paragraphs
    runs = paragraphs[0].runs
    assert {r.font.name for r in runs} == {font}  # every run keeps the legacy font
    body = _part(draft, "word/document.xml")
    assert legacy.to_font_text("71-QĐ", font) in body  # Đ written as the font's byte
    assert "71-QĐ" not in body  # never as Unicode inside a legacy run
    if not tracked:
        bold = "".join(r.text for r in runs if r.bold)
        assert "71-QĐ" in legacy.from_font_text(bold, font)  # the bold run holds the fix
        assert legacy.from_font_text(paragraphs[1].text, font) == (
            "Căn cứ Quyết định số 71-QĐ/TW, Hướng dẫn số 27-HD/BTCTW đã được triển khai."
        )
    again = cli("check", "old.docx")
    assert "non-canonical-number" not in again.stdout
    assert "old.docx:body ¶1:" in again.stdout  # the wrong date, still found at its place
    assert "145-QĐ/TW is dated 10-5-2024, not 15-5-2024" in again.stdout


def test_annotate_a_legacy_word_draft(cli: Cli, here: Path) -> None:
    draft = _legacy_word_draft(here / "old.docx", "VNI-Times")
    before = draft.read_bytes()
    result = cli("check", "old.docx", "--annotate", "out.docx")
    assert result.stderr == "citekit: note: out.docx: 3 comments\n"
    assert draft.read_bytes() == before
    body = _part(here / "out.docx", "word/document.xml")
    assert body.count("<w:commentRangeStart") == 3
    text = "".join(
        legacy.from_font_text(r.text, "VNI-Times")
        for r in docx.Document(str(here / "out.docx")).paragraphs[0].runs
    )
    assert text.startswith("Việc thực hiện Quyết định số 71-QD/TW ngày 18-7-2022")
