"""Word drafts: real .docx files built with python-docx, checked through the CLI.

Errors are planted in a body paragraph, a citation split across runs of different
formatting, a table cell, a nested table, a header, a footer, footnotes and an endnote;
the findings are pinned exactly, in text, JSON and GitHub form.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import Cli

from citekit.catalogue import Catalogue
from citekit.drafts import Format, read_draft
from citekit.errors import InputError
from citekit.findings import check_draft
from citekit.output.check import finding_line
from citekit.quotes import excerpt
from citekit.walking import expand
from citekit.wordfiles import Cell, Location, Part, read_word, read_word_stream

docx = pytest.importorskip("docx")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}s+xml"


# --- building .docx files --------------------------------------------------------------------


def _element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    return element


def _note_reference(paragraph: Any, kind: str, note_id: int) -> None:
    """A superscript reference mark to footnote or endnote `note_id`, as Word writes one."""
    run = paragraph.add_run()
    run.font.superscript = True
    run._r.append(_element(f"w:{kind}Reference", **{"w:id": str(note_id)}))


def _add_notes(document: Any, kind: str, notes: dict[int, str]) -> None:
    """Give the document a footnotes or endnotes part (python-docx writes none)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part as OpcPart

    body = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        f"<w:continuationSeparator/></w:r></w:p></w:{kind}>",
    ]
    for note_id, text in notes.items():
        body.append(
            f'<w:{kind} w:id="{note_id}"><w:p><w:r><w:{kind}Ref/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:{kind}>'
        )
    xml = f'<w:{kind}s xmlns:w="{W_NS}">{"".join(body)}</w:{kind}s>'
    part = OpcPart(
        PackURI(f"/word/{kind}s.xml"),
        NOTES_TYPE.format(kind),
        xml.encode("utf-8"),
        document.part.package,
    )
    relationship = getattr(RELATIONSHIP_TYPE, f"{kind.upper()}S")
    document.part.relate_to(part, relationship)


def build_draft(path: Path) -> Path:
    """A report with an error planted in every place a Word draft can hold one."""
    document = docx.Document()
    document.add_paragraph("Báo cáo sơ kết công tác tổ chức xây dựng Đảng quý IV năm 2024")
    # body ¶2: a wrong date; footnote id 2 is referred to first, so it is footnote 1.
    paragraph = document.add_paragraph(
        "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị, các cấp ủy "
        "đã tổ chức quán triệt đến 148 người."
    )
    _note_reference(paragraph, "footnote", 2)
    # body ¶3: one citation split into runs of different formatting.
    paragraph = document.add_paragraph("Theo Quy định số ")
    paragraph.add_run("148-").bold = True
    paragraph.add_run("QĐ/TW").italic = True
    paragraph.add_run(" ngày 23-5-2025").underline = True
    paragraph.add_run(" của Bộ Chính trị, việc tạm đình chỉ công tác được thực hiện chặt chẽ.")
    _note_reference(paragraph, "footnote", 1)
    _note_reference(paragraph, "endnote", 1)
    # table 1: a wrong kind in row 2 cell 3, a nested table in row 3 cell 2.
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ("STT", "Văn bản", "Ghi chú"), strict=True):
        cell.text = text
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Ban Bí thư"
    table.cell(1, 2).text = "Quyết định số 142-QĐ/TW"
    table.cell(2, 0).text = "2"
    nested = table.cell(2, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "Kết luận"
    nested.cell(0, 1).text = "Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương"
    # body ¶4: a line break between the kind word and the number.
    paragraph = document.add_paragraph("Đề nghị tổng kết Quy định số")
    run = paragraph.add_run()
    run.add_break()
    run.add_text("149-QĐ/TW của Ban Bí thư.")
    # body ¶5: Word's non-breaking hyphen reads as "-"; the number is still misspelt.
    paragraph = document.add_paragraph("Thực hiện Quyết định số 71")
    paragraph.add_run()._r.append(_element("w:noBreakHyphen"))
    paragraph.add_run("QD/TW ngày 18-7-2022 của Bộ Chính trị về tổng biên chế.")
    section = document.sections[0]
    section.header.paragraphs[0].text = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị"
    section.footer.paragraphs[0].text = "Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị"
    _add_notes(
        document,
        "footnote",
        {
            1: "Quy định số 146-QĐ/TW ngày 15-5-2024 của Ban Bí thư.",
            2: "Xem Hướng dẫn số 27-HD/BTCTW ngày 26-8-2024 của Ban Tổ chức Trung ương.",
        },
    )
    _add_notes(document, "endnote", {1: "Kết luận số 88-KL/TW ngày 19-9-2020 của Ban Bí thư."})
    document.save(str(path))
    return path


FINDINGS = [
    "draft.docx:body ¶2:23: wrong-date 145-QĐ/TW is dated 10-5-2024, not 15-5-2024 — "
    "“Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị, các cấp ủy đã…”",
    "draft.docx:body ¶3:18: wrong-date 148-QĐ/TW is dated 23-5-2024, not 23-5-2025 — "
    "“Theo Quy định số 148-QĐ/TW ngày 23-5-2025 của Bộ Chính trị, việc tạm đình chỉ…”",
    "draft.docx:table 1 row 2 cell 3 ¶1:15: wrong-kind 142-QĐ/TW is a Quy định, "
    "not a Quyết định — “Quyết định số 142-QĐ/TW”",
    "draft.docx:table 1 row 3 cell 2 > table 1 row 1 cell 2 ¶1:13: non-canonical-number "
    "write 09-KL/BTCTW, not 9-KL/BTCTW — “Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương”",
    "draft.docx:body ¶4:30: unknown-document 149-QĐ/TW is in no catalogue; "
    "did you mean 148-QĐ/TW, 147-QĐ/TW, 146-QĐ/TW? — "
    "“Đề nghị tổng kết Quy định số 149-QĐ/TW của Ban Bí thư.”",
    "draft.docx:body ¶5:25: non-canonical-number write 71-QĐ/TW, not 71-QD/TW — "
    "“Thực hiện Quyết định số 71-QD/TW ngày 18-7-2022 của Bộ Chính trị về tổng biên…”",
    "draft.docx:header 1 ¶1:13: wrong-issuer 180-QĐ/TW was issued by Ban Bí thư, "
    "not Bộ Chính trị — “Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị”",
    "draft.docx:footer 1 ¶1:12: wrong-date 35-CT/TW is dated 14-6-2024, not 16-4-2024 "
    "(16-4-2024 is a known misprint in the conference report (meeting-report.vi.txt)) — "
    "“Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị”",
    "draft.docx:footnote 2 ¶1:14: wrong-date 146-QĐ/TW is dated 14-5-2024, not 15-5-2024 — "
    "“Quy định số 146-QĐ/TW ngày 15-5-2024 của Ban Bí thư.”",
    "draft.docx:endnote 1 ¶1:14: wrong-issuer 88-KL/TW was issued by Bộ Chính trị, "
    "not Ban Bí thư — “Kết luận số 88-KL/TW ngày 19-9-2020 của Ban Bí thư.”",
]
SUMMARY = "Found 7 errors and 3 warnings (1 file, 12 citations: 2 verified, 1 not verifiable)."


@pytest.fixture
def draft(here: Path) -> Path:
    return build_draft(here / "draft.docx")


# --- check: the exact findings --------------------------------------------------------------


def test_check_prints_the_exact_findings(cli: Cli, draft: Path) -> None:
    result = cli("check", "draft.docx")
    assert result.exit_code == 1
    assert result.stdout == "\n".join([*FINDINGS, SUMMARY]) + "\n"
    assert result.stderr == ""


def _where(
    part: str,
    paragraph: int,
    number: int | None = None,
    cells: tuple[tuple[int, int, int], ...] = (),
) -> dict[str, Any]:
    inner = cells[-1] if cells else (None, None, None)
    return {
        "part": part,
        "part_number": number,
        "paragraph": paragraph,
        "table": inner[0],
        "row": inner[1],
        "cell": inner[2],
        "table_path": [{"table": t, "row": r, "cell": c} for t, r, c in cells],
    }


# (line, column, end_column, code, severity, number, expected, found, location)
FINDINGS_JSON = [
    (2, 23, 47, "wrong-date", "error", "145-QĐ/TW", "2024-05-10", "15-5-2024", _where("body", 2)),
    (3, 18, 42, "wrong-date", "error", "148-QĐ/TW", "2024-05-23", "23-5-2025", _where("body", 3)),
    (
        *(1, 15, 24, "wrong-kind", "error", "142-QĐ/TW", "Quy định", "Quyết định"),
        _where("table", 1, cells=((1, 2, 3),)),
    ),
    (
        *(1, 13, 23, "non-canonical-number", "warning", "09-KL/BTCTW", "09-KL/BTCTW"),
        "9-KL/BTCTW",
        _where("table", 1, cells=((1, 3, 2), (1, 1, 2))),
    ),
    (
        4,
        30,
        39,
        "unknown-document",
        "warning",
        "149-QĐ/TW",
        "148-QĐ/TW",
        "149-QĐ/TW",
        _where("body", 4),
    ),
    (
        *(5, 25, 33, "non-canonical-number", "warning", "71-QĐ/TW", "71-QĐ/TW", "71-QD/TW"),
        _where("body", 5),
    ),
    (
        *(1, 13, 54, "wrong-issuer", "error", "180-QĐ/TW", "Ban Bí thư", "Bộ Chính trị"),
        _where("header", 1, 1),
    ),
    (
        *(1, 12, 35, "wrong-date", "error", "35-CT/TW", "2024-06-14", "16-4-2024"),
        _where("footer", 1, 1),
    ),
    (
        *(1, 14, 38, "wrong-date", "error", "146-QĐ/TW", "2024-05-14", "15-5-2024"),
        _where("footnote", 1, 2),
    ),
    (
        *(1, 14, 52, "wrong-issuer", "error", "88-KL/TW", "Bộ Chính trị", "Ban Bí thư"),
        _where("endnote", 1, 1),
    ),
]


def test_check_json_of_the_draft(cli: Cli, draft: Path) -> None:
    result = cli("check", "--format", "json", "draft.docx")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    messages = [line.split(": ", 1)[1].split(" ", 1)[1].split(" — “")[0] for line in FINDINGS]
    quotes = [line.split(" — “")[1][:-1] for line in FINDINGS]
    expected = [
        {
            "path": "draft.docx",
            "line": line,
            "column": column,
            "end_line": line,
            "end_column": end_column,
            "code": code,
            "severity": severity,
            "message": message,
            "number": number,
            "expected": want,
            "found": got,
            **where,
            "quote": quote,
        }
        for (
            line,
            column,
            end_column,
            code,
            severity,
            number,
            want,
            got,
            where,
        ), message, quote in zip(FINDINGS_JSON, messages, quotes, strict=True)
    ]
    assert found == expected
    assert list(found[0]) == list(expected[0])  # the Word fields follow the usual ones


def test_json_of_a_text_draft_has_no_word_fields(cli: Cli, here: Path) -> None:
    (here / "d.md").write_text("Quy định số 145-QĐ/TW ngày 15-5-2024.\n", encoding="utf-8")
    [finding] = json.loads(cli("check", "-f", "json", "d.md").stdout)
    assert not {"part", "paragraph", "table_path", "quote"} & set(finding)


def test_github_annotates_the_file_with_the_location_in_the_message(cli: Cli, draft: Path) -> None:
    result = cli("check", "--format", "github", "draft.docx")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(FINDINGS)
    assert lines[2] == (
        "::error file=draft.docx,title=citekit wrong-kind::table 1 row 2 cell 3 ¶1:15: "
        "142-QĐ/TW is a Quy định, not a Quyết định — “Quyết định số 142-QĐ/TW”"
    )
    assert lines[3].startswith("::warning file=draft.docx,title=citekit non-canonical-number::")


def test_the_library_reads_every_part_in_order(builtin: Catalogue, here: Path) -> None:
    word = read_draft(build_draft(Path("draft.docx")))
    assert word.format is Format.WORD
    labels = [(unit.location.label, unit.raw) for unit in word.units if unit.raw]
    assert [label for label, _ in labels] == [
        "body ¶1",
        "body ¶2",
        "body ¶3",
        "table 1 row 1 cell 1 ¶1",
        "table 1 row 1 cell 2 ¶1",
        "table 1 row 1 cell 3 ¶1",
        "table 1 row 2 cell 1 ¶1",
        "table 1 row 2 cell 2 ¶1",
        "table 1 row 2 cell 3 ¶1",
        "table 1 row 3 cell 1 ¶1",
        "table 1 row 3 cell 2 > table 1 row 1 cell 1 ¶1",
        "table 1 row 3 cell 2 > table 1 row 1 cell 2 ¶1",
        "body ¶4",
        "body ¶5",
        "header 1 ¶1",
        "footer 1 ¶1",
        "footnote 1 ¶1",
        "footnote 2 ¶1",
        "endnote 1 ¶1",
    ]
    texts = dict(labels)
    assert texts["body ¶3"] == (
        "Theo Quy định số 148-QĐ/TW ngày 23-5-2025 của Bộ Chính trị, "
        "việc tạm đình chỉ công tác được thực hiện chặt chẽ."
    )
    assert texts["body ¶4"] == "Đề nghị tổng kết Quy định số\n149-QĐ/TW của Ban Bí thư."
    assert texts["footnote 1 ¶1"].startswith(" Xem Hướng dẫn số 27-HD/BTCTW")
    report = check_draft(word, builtin)
    assert [finding_line(f) for f in report.findings] == FINDINGS
    assert len(report.resolutions) == len(report.cited_in) == 12


# --- refs --------------------------------------------------------------------------------


def test_refs_tsv_lists_locations(cli: Cli, draft: Path) -> None:
    result = cli("refs", "--format", "tsv", "draft.docx")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0][6] == "lines"
    assert [(row[0], row[5], row[6], row[7]) for row in rows[1:]] == [
        ("145-QĐ/TW", "1", "body ¶2", "yes"),
        ("148-QĐ/TW", "1", "body ¶3", "yes"),
        ("180-QĐ/TW", "2", "table 1 row 2 cell 2 ¶1, header 1 ¶1", "yes"),
        ("142-QĐ/TW", "1", "table 1 row 2 cell 3 ¶1", "yes"),
        ("09-KL/BTCTW", "1", "table 1 row 3 cell 2 > table 1 row 1 cell 2 ¶1", "yes"),
        ("149-QĐ/TW", "1", "body ¶4", "no"),
        ("71-QĐ/TW", "1", "body ¶5", "yes"),
        ("35-CT/TW", "1", "footer 1 ¶1", "yes"),
        ("27-HD/BTCTW", "1", "footnote 1 ¶1", "yes"),
        ("146-QĐ/TW", "1", "footnote 2 ¶1", "yes"),
        ("88-KL/TW", "1", "endnote 1 ¶1", "yes"),
    ]


def test_refs_json_gives_each_location_its_fields(cli: Cli, draft: Path) -> None:
    result = cli("refs", "--format", "json", "draft.docx")
    assert result.exit_code == 0
    by_number = {row["number"]: row for row in json.loads(result.stdout)}
    written = {"kind_written": "Quy định", "date_written": "11-7-2024"}
    assert by_number["180-QĐ/TW"]["locations"] == [
        {
            "path": "draft.docx",
            "line": 1,
            **_where("table", 1, cells=((1, 2, 2),)),
            **written,
            "issuer_written": "Ban Bí thư",
        },
        {
            "path": "draft.docx",
            "line": 1,
            **_where("header", 1, 1),
            **written,
            "issuer_written": "Bộ Chính trị",
        },
    ]
    assert by_number["146-QĐ/TW"]["locations"] == [
        {
            "path": "draft.docx",
            "line": 1,
            **_where("footnote", 1, 2),
            "kind_written": "Quy định",
            "date_written": "15-5-2024",
            "issuer_written": "Ban Bí thư",
        }
    ]
    assert by_number["180-QĐ/TW"]["status"] == "wrong"


def test_refs_of_a_word_and_a_text_draft_names_the_files(cli: Cli, draft: Path, here: Path) -> None:
    (here / "notes.md").write_text("\nQuy định số 145-QĐ/TW\n", encoding="utf-8")
    result = cli("refs", "-f", "tsv", "draft.docx", "notes.md")
    row = next(r.split("\t") for r in result.stdout.splitlines() if r.startswith("145-QĐ/TW"))
    assert row[5:] == ["2", "draft.docx:body ¶2, notes.md:2", "yes", "wrong", "party", "TW"]


# --- --fix and --diff rewrite Word files too ---------------------------------------------


def test_diff_shows_text_and_word_fixes_and_writes_nothing(
    cli: Cli, draft: Path, here: Path
) -> None:
    (here / "a.md").write_text("Quyết định số 71-QD/TW.\n", encoding="utf-8")
    before = {path: path.read_bytes() for path in (draft, here / "a.md")}
    result = cli("check", "--diff", "a.md", "draft.docx")
    assert "+Quyết định số 71-QĐ/TW." in result.stdout
    assert "--- a/draft.docx\n+++ b/draft.docx\n" in result.stdout
    assert {path: path.read_bytes() for path in before} == before


def test_fix_rewrites_text_and_word_drafts_together(cli: Cli, draft: Path, here: Path) -> None:
    (here / "a.md").write_text("Quyết định số 71-QD/TW.\n", encoding="utf-8")
    result = cli("check", "--fix", "a.md", "draft.docx")
    assert "non-canonical-number" not in result.stdout
    assert (here / "a.md").read_text(encoding="utf-8") == "Quyết định số 71-QĐ/TW.\n"
    assert "non-canonical-number" not in cli("check", "draft.docx").stdout


# --- files that are not readable .docx -------------------------------------------------------


def _zip(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _document(body: str) -> str:
    return f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}</w:body></w:document>'


OLE = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)
ENCRYPTED = OLE + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
BOMB = "<!DOCTYPE d [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "notes.docx",
            "Quy định số 145-QĐ/TW\n".encode(),
            "notes.docx: not a Word file: a .docx is a zip archive, and this is not one",
        ),
        (
            "cut.docx",
            _zip({"word/document.xml": _document("")})[:60],
            "cut.docx: corrupt Word file: File is not a zip file",
        ),
        (
            "empty.docx",
            _zip({"docProps/app.xml": "<Properties/>"}),
            "empty.docx: not a Word document: it has no word/document.xml",
        ),
        (
            "nobody.docx",
            _zip({"word/document.xml": f'<w:document xmlns:w="{W_NS}"/>'}),
            "nobody.docx: not a Word document: word/document.xml has no body",
        ),
        (
            "broken.docx",
            _zip({"word/document.xml": _document("<w:p><w:r><w:t>x</w:r></w:p>")}),
            "broken.docx: corrupt Word file: word/document.xml is not well-formed XML "
            "(line 1, column 188)",
        ),
        (
            "entities.docx",
            _zip({"word/document.xml": BOMB + _document("<w:p><w:r><w:t>&b;</w:t></w:r></w:p>")}),
            "entities.docx: word/document.xml declares a DOCTYPE or entities; refused",
        ),
        (
            "secret.docx",
            ENCRYPTED,
            "secret.docx: password-protected Word file; citekit cannot read encrypted "
            "documents (remove the password in Word and save again)",
        ),
        (
            "old.doc",
            OLE,
            "old.doc: LibreOffice could not convert it to .docx (Error: source file could "
            "not be loaded)"
            if shutil.which("soffice")
            else "old.doc: a .doc file needs LibreOffice to be read: install LibreOffice "
            "(apt install libreoffice-writer-nogui) or save the file as .docx",
        ),
        (
            "renamed.docx",
            OLE,
            "renamed.docx: a Word 97-2003 .doc file; citekit reads .docx only "
            "(open it in Word and save it as .docx)",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) and value.endswith((".doc", ".docx")) else "",
)
@pytest.mark.parametrize("command", ["check", "refs"])
def test_an_unreadable_word_file_is_one_line_and_exit_2(
    cli: Cli, here: Path, name: str, data: bytes, message: str, command: str
) -> None:
    (here / name).write_bytes(data)
    result = cli(command, name)
    assert result.exit_code == 2
    assert result.stderr == f"citekit: error: {message}\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "iso-8859-1"])
def test_a_doctype_is_refused_by_the_parser_in_any_encoding(tmp_path: Path, encoding: str) -> None:
    declared = "utf-16" if encoding.startswith("utf-16") else encoding
    text = f'<?xml version="1.0" encoding="{declared}"?>\n{BOMB}\n' + _document(
        "<w:p><w:r><w:t>&b;</w:t></w:r></w:p>"
    )
    path = tmp_path / "entities.docx"
    path.write_bytes(_zip({"word/document.xml": text.encode(encoding)}))
    with pytest.raises(InputError) as raised:
        read_word(path)
    assert str(raised.value).endswith("word/document.xml declares a DOCTYPE or entities; refused")


def test_doctype_written_as_text_is_not_a_doctype(tmp_path: Path) -> None:
    """Only a declaration is refused: the characters in a comment or CDATA are text."""
    body = "<w:p><w:r><w:t><![CDATA[<!DOCTYPE html> <!ENTITY x>]]></w:t></w:r></w:p>"
    path = tmp_path / "html.docx"
    path.write_bytes(_zip({"word/document.xml": "<!-- <!DOCTYPE d> -->" + _document(body)}))
    [unit] = read_word(path).units
    assert unit.text == "<!DOCTYPE html> <!ENTITY x>"


def test_an_unreadable_word_file_among_good_ones(cli: Cli, draft: Path, here: Path) -> None:
    (here / "old.doc").write_bytes(OLE)
    result = cli("check", "old.doc", "draft.docx")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stdout.splitlines()[-1] == (
        "Found 7 errors and 3 warnings "
        "(1 file, 12 citations: 2 verified, 1 not verifiable; 1 file could not be read)."
    )


def test_a_zip_bomb_is_refused(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citekit import wordfiles

    monkeypatch.setattr(wordfiles, "MAX_BYTES", 10_000)
    paragraph = "<w:p><w:r><w:t>" + "0" * 20_000 + "</w:t></w:r></w:p>"
    data = _zip({"word/document.xml": _document(paragraph)})
    assert len(data) < 1000  # it packs small and unpacks past the limit
    with pytest.raises(InputError, match=r"^bomb\.docx: word/document\.xml unpacks to more than"):
        read_word_stream(io.BytesIO(data), "bomb.docx")


def test_the_size_limit_counts_every_part_read(here: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from citekit import wordfiles

    monkeypatch.setattr(wordfiles, "MAX_BYTES", 3_000)
    document = _document('<w:sectPr><w:headerReference r:id="h" w:type="default"/></w:sectPr>')
    header = f'<w:hdr xmlns:w="{W_NS}"><w:p><w:r><w:t>{"x" * 2_000}</w:t></w:r></w:p></w:hdr>'
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="h" Type="{R_NS}/header" Target="header1.xml"/></Relationships>'
    )
    data = _zip(
        {
            "word/document.xml": document,
            "word/_rels/document.xml.rels": rels,
            "word/header1.xml": header,
            "word/header2.xml": header,
        }
    )
    read_word_stream(io.BytesIO(data), "one.docx")  # one header: within the limit
    twice = rels.replace("</Relationships>", "") + (
        f'<Relationship Id="g" Type="{R_NS}/header" Target="header2.xml"/></Relationships>'
    )
    document = document.replace("</w:sectPr>", '<w:headerReference r:id="g" w:type="first"/>')
    document = document.replace("</w:body>", "</w:sectPr></w:body>")
    data = _zip(
        {
            "word/document.xml": document,
            "word/_rels/document.xml.rels": twice,
            "word/header1.xml": header,
            "word/header2.xml": header,
        }
    )
    with pytest.raises(InputError, match=r"word/header2\.xml unpacks to more than"):
        read_word_stream(io.BytesIO(data), "two.docx")


def test_read_word_names_a_missing_file_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.docx: no such file$"):
        read_word(tmp_path / "nope.docx")
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(InputError, match=r"folder\.docx: is a directory$"):
        read_word(tmp_path / "folder.docx")


# --- what a paragraph's text is ----------------------------------------------------------------

RUN = "<w:r><w:t>{}</w:t></w:r>"


@pytest.mark.parametrize(
    ("paragraph", "text"),
    [
        # Runs join without a space; xml:space keeps a run's edge blanks.
        (
            '<w:r><w:t xml:space="preserve">Quy định số </w:t></w:r><w:r><w:t>148</w:t></w:r>',
            "Quy định số 148",
        ),
        ("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/></w:r>", "a\tb\nc\n"),
        ("<w:r><w:t>148</w:t><w:noBreakHyphen/><w:t>QĐ/TW</w:t></w:r>", "148-QĐ/TW"),
        ("<w:r><w:t>Quy đ</w:t><w:softHyphen/><w:t>ịnh</w:t></w:r>", "Quy định"),
        # Tab stops in the paragraph's properties are not tabs in its text.
        (
            '<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>' + RUN.format("x"),
            "x",
        ),
        # Hyperlinks, fields, smart tags, content controls, insertions: their runs count.
        ('<w:hyperlink r:id="x">' + RUN.format("148-QĐ/TW") + "</w:hyperlink>", "148-QĐ/TW"),
        ('<w:fldSimple w:instr="REF x">' + RUN.format("35-CT/TW") + "</w:fldSimple>", "35-CT/TW"),
        (
            "<w:r><w:fldChar w:fldCharType='begin'/></w:r><w:r><w:instrText> PAGE </w:instrText>"
            "</w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>" + RUN.format("7"),
            "7",
        ),
        (
            "<w:sdt><w:sdtPr><w:alias w:val='t'/></w:sdtPr><w:sdtContent>"
            + RUN.format("a")
            + "</w:sdtContent></w:sdt>",
            "a",
        ),
        ("<w:ins w:id='1' w:author='A'>" + RUN.format("new") + "</w:ins>", "new"),
        # Deleted text and moved-away text are gone from what the reader sees.
        ("<w:del w:id='1' w:author='A'><w:r><w:delText>149-QĐ/TW</w:delText></w:r></w:del>", ""),
        ("<w:moveFrom w:id='2' w:author='A'>" + RUN.format("old") + "</w:moveFrom>", ""),
        # A text box's paragraphs are not this paragraph's text.
        (
            RUN.format("x")
            + "<w:r><w:pict><v:textbox xmlns:v='urn:v'><w:txbxContent><w:p>"
            + RUN.format("box")
            + "</w:p></w:txbxContent></v:textbox></w:pict></w:r>",
            "x",
        ),
        ("<w:r><w:t/></w:r>", ""),
    ],
)
def test_paragraph_text(paragraph: str, text: str) -> None:
    data = _zip({"word/document.xml": _document(f"<w:p>{paragraph}</w:p>")})
    [unit] = read_word_stream(io.BytesIO(data), "t.docx").units
    assert unit.raw == text


def test_content_controls_around_paragraphs_tables_rows_and_cells() -> None:
    cell = "<w:tc><w:p>" + RUN.format("c") + "</w:p></w:tc>"
    body = (
        "<w:sdt><w:sdtContent><w:p>" + RUN.format("p") + "</w:p></w:sdtContent></w:sdt>"
        "<w:tbl><w:sdt><w:sdtContent><w:tr>" + cell + "<w:customXml>" + cell + "</w:customXml>"
        "</w:tr></w:sdtContent></w:sdt></w:tbl>"
    )
    units = read_word_stream(io.BytesIO(_zip({"word/document.xml": _document(body)})), "t").units
    assert [u.location.label for u in units] == [
        "body ¶1",
        "table 1 row 1 cell 1 ¶1",
        "table 1 row 1 cell 2 ¶1",
    ]


def test_a_strict_open_xml_document_reads_like_a_transitional_one(tmp_path: Path) -> None:
    built = build_draft(tmp_path / "draft.docx")
    strict = tmp_path / "strict.docx"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(strict, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                data = data.replace(
                    W_NS.encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"
                )
                data = data.replace(
                    R_NS.encode(), b"http://purl.oclc.org/ooxml/officeDocument/relationships"
                )
            target.writestr(info, data)
    assert read_word(strict).units == read_word(built).units


def test_a_docx_named_doc_is_read(tmp_path: Path) -> None:
    built = build_draft(tmp_path / "draft.docx")
    renamed = built.rename(tmp_path / "draft.doc")
    assert read_draft(renamed).format is Format.WORD


# --- locations and quotes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "label"),
    [
        (Location(part=Part.BODY, paragraph=12), "body ¶12"),
        (Location(part=Part.TABLE, paragraph=1, cells=(Cell(1, 2, 3),)), "table 1 row 2 cell 3 ¶1"),
        (
            Location(part=Part.TABLE, paragraph=2, cells=(Cell(2, 1, 1), Cell(1, 2, 2))),
            "table 2 row 1 cell 1 > table 1 row 2 cell 2 ¶2",
        ),
        (Location(part=Part.FOOTNOTE, paragraph=1, part_number=3), "footnote 3 ¶1"),
        (
            Location(part=Part.HEADER, paragraph=2, part_number=1, cells=(Cell(1, 1, 1),)),
            "header 1 table 1 row 1 cell 1 ¶2",
        ),
    ],
)
def test_location_labels(location: Location, label: str) -> None:
    assert location.label == label


SENTENCES = "Mở đầu. Thực hiện Quy định số 148-QĐ/TW của Bộ Chính trị. Kết thúc."


@pytest.mark.parametrize(
    ("text", "number", "quote"),
    [
        # The sentence, not its neighbours.
        (SENTENCES, "148-QĐ/TW", "Thực hiện Quy định số 148-QĐ/TW của Bộ Chính trị."),
        # "1.148" and "TP.HCM" do not end a sentence.
        ("Mục 1.2 và TP.HCM theo 148-QĐ/TW", "148-QĐ/TW", "Mục 1.2 và TP.HCM theo 148-QĐ/TW"),
        # Blanks of any kind read as one space.
        ("Theo\tQuy định\nsố  148-QĐ/TW", "148-QĐ/TW", "Theo Quy định số 148-QĐ/TW"),
        # A long sentence is cut at words on both sides, about 80 characters in all.
        (
            "Trong năm qua, các cấp ủy và tổ chức đảng đã quán triệt và triển khai thực hiện "
            "nghiêm túc Quy định số 148-QĐ/TW về thẩm quyền của người đứng đầu trong việc tạm "
            "đình chỉ công tác đối với cán bộ cấp dưới.",
            "148-QĐ/TW",
            "…thực hiện nghiêm túc Quy định số 148-QĐ/TW về thẩm quyền của người đứng đầu…",
        ),
        # Near the start, the room left over goes to the right.
        (
            "148-QĐ/TW quy định thẩm quyền của người đứng đầu trong việc tạm đình chỉ công tác "
            "đối với cán bộ cấp dưới.",
            "148-QĐ/TW",
            "148-QĐ/TW quy định thẩm quyền của người đứng đầu trong việc tạm đình chỉ công…",
        ),
    ],
)
def test_excerpt(text: str, number: str, quote: str) -> None:
    start = text.index(number)
    assert excerpt(text, start, start + len(number)) == quote


# --- suppression and configuration ----------------------------------------------------------


def _one_paragraph_docx(path: Path, *texts: str) -> Path:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_suppression_comments_count_a_paragraph_as_a_line(cli: Cli, here: Path) -> None:
    _one_paragraph_docx(
        here / "d.docx",
        "Quy định số 145-QĐ/TW ngày 15-5-2024. citekit: ignore[wrong-date]",
        "citekit: ignore-next-line",
        "Quyết định số 142-QĐ/TW.",
        "Quyết định số 71-QD/TW.",
        "Quyết định 999 của tỉnh.",  # a short form nothing resolves: partial, never a finding
    )
    result = cli("check", "d.docx")
    assert result.stdout.splitlines() == [
        "d.docx:body ¶4:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW — "
        "“Quyết định số 71-QD/TW.”",
        "Found 0 errors and 1 warning (1 file, 4 citations: 0 verified, 1 not verifiable).",
    ]


def test_configuration_applies_to_word_drafts(cli: Cli, here: Path) -> None:
    (here / ".citekit.yaml").write_text("ignore: [non-canonical-number]\n", encoding="utf-8")
    _one_paragraph_docx(here / "d.docx", "Quyết định số 71-QD/TW.")
    assert cli("check", "d.docx").stdout == "All citations verified (1 file, 1 citation).\n"


def test_a_citation_never_runs_from_one_paragraph_into_the_next(cli: Cli, here: Path) -> None:
    _one_paragraph_docx(here / "d.docx", "Quyết định", "148-QĐ/TW", "ngày 1-1-2020")
    assert cli("check", "d.docx").stdout == "All citations verified (1 file, 1 citation).\n"


def test_nfd_text_in_a_word_file(cli: Cli, here: Path) -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024.")
    _one_paragraph_docx(here / "d.docx", text)
    [finding] = json.loads(cli("check", "-f", "json", "d.docx").stdout)
    # Columns count characters as written: the decomposed accents before the number too.
    assert finding["column"] == text.index("145") + 1
    assert finding["quote"] == text


# --- directories ---------------------------------------------------------------------------


def test_a_directory_walk_takes_docx_and_skips_lock_files(cli: Cli, here: Path) -> None:
    folder = here / "drafts"
    folder.mkdir()
    _one_paragraph_docx(folder / "a.docx", "Quyết định số 71-QD/TW.")
    (folder / "~$a.docx").write_bytes(b"\x05Owner" + bytes(150))  # Word's lock file
    (folder / "b.md").write_text("Quyết định số 71-QD/TW.\n", encoding="utf-8")
    assert list(expand([folder])) == [folder / "a.docx", folder / "b.md"]
    result = cli("check", "drafts")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "drafts/a.docx",
        "drafts/b.md",
        "Found 0 errors and 2 warnings (2 files, 2 citations).",
    ]


def _patch_zip(data: bytes, *, flag: int = 0, method: int | None = None) -> bytes:
    """Set bits of every member's general-purpose flag, or its compression method."""
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = out.find(signature)
        while at != -1:
            out[at + flag_at] |= flag
            if method is not None:
                out[at + method_at : at + method_at + 2] = method.to_bytes(2, "little")
            at = out.find(signature, at + 4)
    return bytes(out)


@pytest.mark.parametrize(
    ("patch", "reason"),
    [
        ({"flag": 1}, "its parts are password-protected"),
        ({"method": 99}, "That compression method is not supported"),
    ],
)
def test_a_zip_member_citekit_cannot_unpack(patch: dict[str, int], reason: str) -> None:
    data = _patch_zip(_zip({"word/document.xml": _document("<w:p/>")}), **patch)
    with pytest.raises(InputError) as caught:
        read_word_stream(io.BytesIO(data), "odd.docx")
    assert str(caught.value) == f"odd.docx: corrupt Word file: {reason}"


def test_nesting_too_deep_to_read_is_an_input_error() -> None:
    depth = 3000
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
    data = _zip({"word/document.xml": _document(body)})
    with pytest.raises(InputError, match=r"^deep\.docx: tables or content controls nested too"):
        read_word_stream(io.BytesIO(data), "deep.docx")


def test_a_word_finding_in_colour(builtin: Catalogue, here: Path) -> None:
    report = check_draft(
        read_draft(_one_paragraph_docx(Path("d.docx"), "QĐ số 71-QD/TW.")), builtin
    )
    assert finding_line(report.findings[0], colour=True) == (
        "\033[1md.docx:body ¶1:7:\033[0m \033[33mnon-canonical-number\033[0m "
        "write 71-QĐ/TW, not 71-QD/TW\033[2m — “QĐ số 71-QD/TW.”\033[0m"
    )


def test_headers_and_footers_are_numbered_by_section_then_kind() -> None:
    def part(tag: str, text: str) -> str:
        return f'<w:{tag} xmlns:w="{W_NS}"><w:p>{RUN.format(text)}</w:p></w:{tag}>'

    def ref(kind: str, rel: str, type_: str) -> str:
        return f'<w:{kind}Reference r:id="{rel}" w:type="{type_}"/>'

    first_section = ref("header", "even1", "even") + ref("header", "h1", "default")
    first_section += ref("footer", "f1", "default") + ref("header", "first1", "first")
    second_section = ref("header", "h2", "default") + ref("header", "h1", "first")
    second_section += ref("header", "gone", "even") + ref("footer", "web", "default")
    body = (
        f"<w:p><w:pPr><w:sectPr>{first_section}</w:sectPr></w:pPr>{RUN.format('one')}</w:p>"
        f"<w:p>{RUN.format('two')}<w:r><w:footnoteReference w:id='5'/></w:r></w:p>"
        f"<w:sectPr>{second_section}</w:sectPr>"
    )
    targets = {
        "h1": "header1.xml",
        "even1": "header2.xml",
        "first1": "header3.xml",
        "h2": "/word/header4.xml",  # an absolute target
        "f1": "footer1.xml",
        "gone": "header9.xml",  # no such part: nothing to read
        "notes": "footnotes.xml",
    }
    rels = "".join(
        f'<Relationship Id="{rel}" Type="{R_NS}/{"footnotes" if rel == "notes" else "header"}" '
        f'Target="{target}"/>'
        for rel, target in targets.items()
    )
    rels += f'<Relationship Id="web" Type="{R_NS}/hyperlink" Target="https://example.invalid" '
    rels += 'TargetMode="External"/>'
    notes = "".join(
        f'<w:footnote w:id="{note}"><w:p>{RUN.format(f"note {note}")}</w:p></w:footnote>'
        for note in (3, 5)
    )
    data = _zip(
        {
            "word/document.xml": _document(body),
            "word/_rels/document.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships">{rels}</Relationships>'
            ),
            "word/header1.xml": part("hdr", "default 1"),
            "word/header2.xml": part("hdr", "even 1"),
            "word/header3.xml": part("hdr", "first 1"),
            "word/header4.xml": part("hdr", "default 2"),
            "word/footer1.xml": part("ftr", "footer 1"),
            "word/footnotes.xml": f'<w:footnotes xmlns:w="{W_NS}">{notes}</w:footnotes>',
        }
    )
    units = read_word_stream(io.BytesIO(data), "sections.docx").units
    assert [(u.location.label, u.raw) for u in units] == [
        ("body ¶1", "one"),
        ("body ¶2", "two"),
        ("header 1 ¶1", "default 1"),
        ("header 2 ¶1", "first 1"),
        ("header 3 ¶1", "even 1"),
        ("header 4 ¶1", "default 2"),
        ("footer 1 ¶1", "footer 1"),
        # The note the text refers to comes first; one nothing refers to, after it.
        ("footnote 1 ¶1", "note 5"),
        ("footnote 2 ¶1", "note 3"),
    ]


def test_the_readme_shows_real_findings() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Word drafts", 1)[1]
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    lines = example.splitlines()
    assert len(lines) == 5
    assert set(lines) <= set(FINDINGS)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_doc_file_is_converted_and_read(cli: Cli, here: Path) -> None:
    """A Word 97-2003 .doc, as office archives hold them: LibreOffice converts it to .docx
    in a temporary folder; findings name the .doc."""
    import subprocess

    _one_paragraph_docx(here / "source.docx", "Quyết định số 71-QD/TW ngày 18-7-2022.")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "doc", "--outdir", str(here / "out"),
         str(here / "source.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    (here / "out" / "source.doc").rename(here / "old.doc")
    result = cli("check", "old.doc")
    assert result.stdout.splitlines()[0] == (
        "old.doc:body ¶1:15: non-canonical-number write 71-QĐ/TW, not 71-QD/TW — "
        "“Quyết định số 71-QD/TW ngày 18-7-2022.”"
    )
    assert list(here.glob("*.docx")) == [here / "source.docx"]  # nothing left beside it
