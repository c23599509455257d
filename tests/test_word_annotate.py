"""Review comments on Word drafts (`citekit.word.annotate`), on real .docx files.

The drafts are built with python-docx: a citation split mid-number across runs of
different formatting, one in a table, a header, a footnote, an existing comment. Each
annotated copy is read back with zipfile and python-docx, and, when LibreOffice is
installed, opened by it and exported to PDF with its comments. One draft was saved by
LibreOffice Writer itself (tests/data/word/libreoffice.docx, see its README).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from citekit.catalogue import Catalogue
from citekit.errors import InputError, UsageError
from citekit.findings import Report, check_draft
from citekit.word import annotate, convert_doc
from citekit.wordfiles import read_word

docx = pytest.importorskip("docx")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_NS = W[1:-1]
WHEN = dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc)
DATA = Path(__file__).parent / "data" / "word"
LIBREOFFICE_DRAFT = DATA / "libreoffice.docx"
SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed")


# --- building drafts --------------------------------------------------------------------------


def element(tag: str, **attributes: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    made = OxmlElement(tag)
    for name, value in attributes.items():
        made.set(qn(name), value)
    return made


def add_footnotes(document: Any, notes: dict[int, str]) -> None:
    """A footnotes part (python-docx writes none), and a reference to each note."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part as OpcPart

    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    ]
    for note_id, text in notes.items():
        body.append(
            f'<w:footnote w:id="{note_id}"><w:p><w:r><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {text}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<w:footnotes xmlns:w="{W_NS}">{"".join(body)}</w:footnotes>'
    part = OpcPart(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml.encode("utf-8"),
        document.part.package,
    )
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def note_reference(paragraph: Any, note_id: int) -> None:
    run = paragraph.add_run()
    run.font.superscript = True
    run._r.append(element("w:footnoteReference", **{"w:id": str(note_id)}))


def build_review_draft(path: Path) -> Path:
    """A draft with an error in the body, split runs, a table, a header and a footnote,
    and a comment a reviewer left before citekit."""
    document = docx.Document()
    reviewed = document.add_paragraph("Báo cáo sơ kết công tác quý IV năm 2024")
    document.add_comment(reviewed.runs, "Thêm số liệu quý IV", author="Lan", initials="L")
    # body ¶2: a wrong date.
    paragraph = document.add_paragraph(
        "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị."
    )
    note_reference(paragraph, 1)
    # body ¶3: the number split mid-number: "14" bold, "8-QĐ" italic, "/TW ngày 23-5-2025".
    paragraph = document.add_paragraph("Theo Quy định số ")
    paragraph.add_run("14").bold = True
    paragraph.add_run("8-QĐ").italic = True
    paragraph.add_run("/TW ngày 23-5-2025 của Bộ Chính trị, việc tạm đình chỉ công tác.")
    # body ¶4: a misspelt number (QD for QĐ), also split.
    paragraph = document.add_paragraph("Thực hiện Quyết định số 7")
    paragraph.add_run("1-QD/T").underline = True
    paragraph.add_run("W ngày 18-7-2022 của Bộ Chính trị.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Văn bản"
    table.cell(1, 0).text = "Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương"
    table.cell(1, 1).text = "Quyết định số 142-QĐ/TW"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị"
    add_footnotes(document, {1: "Quy định số 146-QĐ/TW ngày 15-5-2024 của Ban Bí thư."})
    document.save(str(path))
    return path


# --- reading the result -----------------------------------------------------------------------


def comments(path: Path) -> dict[str, tuple[str, str, str]]:
    """Each comment of a .docx by id: author, date, text."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/comments.xml"))
    return {
        c.get(f"{W}id", ""): (
            c.get(f"{W}author", ""),
            c.get(f"{W}date", ""),
            "".join(t.text or "" for t in c.iter(f"{W}t")),
        )
        for c in root.iter(f"{W}comment")
    }


def anchored(path: Path, part: str) -> dict[str, str]:
    """The text each comment range of a part marks, by the comment's id."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read(part))
    out: dict[str, str] = {}
    open_ranges: set[str] = set()
    for item in root.iter():
        if item.tag == f"{W}commentRangeStart":
            open_ranges.add(item.get(f"{W}id", ""))
            out.setdefault(item.get(f"{W}id", ""), "")
        elif item.tag == f"{W}commentRangeEnd":
            open_ranges.discard(item.get(f"{W}id", ""))
        elif item.tag == f"{W}t":
            for key in open_ranges:
                out[key] += item.text or ""
    return out


def references(path: Path, part: str) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read(part))
    return [r.get(f"{W}id", "") for r in root.iter(f"{W}commentReference")]


@pytest.fixture
def review(tmp_path: Path, builtin: Catalogue) -> tuple[Path, Report]:
    source = build_review_draft(tmp_path / "draft.docx")
    return source, check_draft(read_word(source), builtin)


# --- annotate ---------------------------------------------------------------------------------


EXPECTED = {
    # where the comment is anchored, what it marks, what it says
    ("word/document.xml", "145-QĐ/TW ngày 15-5-2024"): (
        "145-QĐ/TW is dated 10-5-2024, not 15-5-2024 [citekit: wrong-date]"
    ),
    ("word/document.xml", "148-QĐ/TW ngày 23-5-2025"): (
        "148-QĐ/TW is dated 23-5-2024, not 23-5-2025 [citekit: wrong-date]"
    ),
    (
        "word/document.xml",
        "71-QD/TW",
    ): "write 71-QĐ/TW, not 71-QD/TW [citekit: non-canonical-number]",
    ("word/document.xml", "9-KL/BTCTW"): (
        "write 09-KL/BTCTW, not 9-KL/BTCTW [citekit: non-canonical-number]"
    ),
    ("word/document.xml", "142-QĐ/TW"): (
        "142-QĐ/TW is a Quy định, not a Quyết định [citekit: wrong-kind]"
    ),
    ("word/footnotes.xml", "146-QĐ/TW ngày 15-5-2024"): (
        "146-QĐ/TW is dated 14-5-2024, not 15-5-2024 [citekit: wrong-date]"
    ),
}
HEADER_COMMENT = (
    "header 1 ¶1: 180-QĐ/TW was issued by Ban Bí thư, not Bộ Chính trị [citekit: wrong-issuer]"
)


def test_annotate_anchors_a_comment_on_each_citation(
    review: tuple[Path, Report], tmp_path: Path
) -> None:
    source, report = review
    original = source.read_bytes()
    out = tmp_path / "annotated.docx"
    assert annotate(source, report, out, when=WHEN) == 7
    assert source.read_bytes() == original
    said = comments(out)
    # The reviewer's comment is kept, with its id; the new ones take ids of their own.
    assert said["0"] == ("Lan", said["0"][1], "Thêm số liệu quý IV")
    new = {key: value for key, value in said.items() if value[0] == "citekit"}
    assert len(new) == 7
    assert {date for _, date, _ in new.values()} == {"2025-03-04T05:06:07Z"}
    found = {}
    for part in ("word/document.xml", "word/footnotes.xml"):
        for key, text in anchored(out, part).items():
            if key in new:
                found[part, text] = new[key][2]
        assert sorted(references(out, part)) == sorted(anchored(out, part))
    # The header's finding is commented at the start of the body, naming the header.
    assert found.pop(("word/document.xml", "")) == HEADER_COMMENT
    assert found == EXPECTED


def test_annotate_keeps_text_formatting_and_other_parts(
    review: tuple[Path, Report], tmp_path: Path
) -> None:
    source, report = review
    out = tmp_path / "annotated.docx"
    annotate(source, report, out, when=WHEN)
    assert [u.raw for u in read_word(out).units] == [u.raw for u in report.draft.units]
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        names = [info.filename for info in before.infolist()]
        assert [info.filename for info in after.infolist()][: len(names)] == names
        changed = {n for n in names if before.read(n) != after.read(n)}
        # A new comment goes into the existing comments part: no new part, no new type.
        assert changed == {"word/document.xml", "word/footnotes.xml", "word/comments.xml"} | {
            "word/_rels/footnotes.xml.rels"
        } - set(names) or changed <= {
            "word/document.xml",
            "word/footnotes.xml",
            "word/comments.xml",
        }
    # The runs cut around the split number keep their formatting.
    paragraph = docx.Document(str(out)).paragraphs[2]
    formatted = [(r.text, r.bold, r.italic) for r in paragraph.runs if r.text]
    assert formatted[:4] == [
        ("Theo Quy định số ", None, None),
        ("14", True, None),
        ("8-QĐ", None, True),
        ("/TW ngày 23-5-2025", None, None),
    ]


def test_annotate_creates_the_comments_part(tmp_path: Path, builtin: Catalogue) -> None:
    document = docx.Document()
    document.add_paragraph("Theo Quy định số 148-QD/TW của Bộ Chính trị.")
    source = tmp_path / "plain.docx"
    document.save(str(source))
    with zipfile.ZipFile(source) as archive:
        assert "word/comments.xml" not in archive.namelist()
    out = tmp_path / "out.docx"
    assert annotate(source, check_draft(read_word(source), builtin), out, when=WHEN) == 1
    with zipfile.ZipFile(out) as archive:
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert 'PartName="/word/comments.xml"' in types
    assert 'relationships/comments" Target="comments.xml"' in rels
    assert list(comments(out).values()) == [
        (
            "citekit",
            "2025-03-04T05:06:07Z",
            "write 148-QĐ/TW, not 148-QD/TW [citekit: non-canonical-number]",
        )
    ]
    assert anchored(out, "word/document.xml") == {"1": "148-QD/TW"}
    # python-docx, which checks relationships and content types, opens the copy.
    assert docx.Document(str(out)).paragraphs[0].text.startswith("Theo Quy định")


def test_annotate_refuses_to_overwrite_the_original(review: tuple[Path, Report]) -> None:
    source, report = review
    with pytest.raises(UsageError, match="would overwrite the original"):
        annotate(source, report, source, when=WHEN)


def test_annotate_refuses_a_report_of_other_text(
    review: tuple[Path, Report], tmp_path: Path, builtin: Catalogue
) -> None:
    source, _ = review
    other = tmp_path / "other.docx"
    document = docx.Document()
    document.add_paragraph("Quy định số 148-QD/TW")
    document.save(str(other))
    report = check_draft(read_word(other), builtin)
    with pytest.raises(InputError, match="changed since it was checked"):
        annotate(source, report, tmp_path / "out.docx", when=WHEN)


def test_annotate_a_file_saved_by_libreoffice(tmp_path: Path, builtin: Catalogue) -> None:
    """Comments, tracked changes, footnotes, a table and a header, as Writer writes them."""
    draft = read_word(LIBREOFFICE_DRAFT)
    texts = [u.raw for u in draft.units]
    assert "Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 của Bộ Chính trị." in texts
    report = check_draft(draft, builtin)
    codes = sorted((f.position.label, f.code.value) for f in report.findings)
    assert codes == LIBREOFFICE_FINDINGS
    out = tmp_path / "annotated.docx"
    before = comments(LIBREOFFICE_DRAFT)
    assert annotate(LIBREOFFICE_DRAFT, report, out, when=WHEN) == len(codes)
    after = comments(out)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == len(before) + len(codes)
    assert [u.raw for u in read_word(out).units] == texts


LIBREOFFICE_FINDINGS = [
    ("body ¶2", "wrong-date"),
    ("body ¶3", "non-canonical-number"),
    ("footnote 1 ¶1", "wrong-date"),
    ("header 1 ¶1", "wrong-issuer"),
    ("table 1 row 2 cell 1 ¶1", "non-canonical-number"),
]


# --- LibreOffice ------------------------------------------------------------------------------

_EXPORT_NOTES = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export">
<prop oor:name="ExportNotes" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


def soffice(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert SOFFICE is not None
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LibreOffice profile that exports comments to PDF.

    LibreOffice 7.4 ignores the filter's JSON options on the command line, and a new
    profile's first start rewrites its settings: the profile is made by one conversion,
    then told to export comments.
    """
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) not installed")
    home = tmp_path_factory.mktemp("libreoffice")
    profile = home / "profile"
    warm = home / "warm.txt"
    warm.write_text("x", encoding="utf-8")
    soffice(profile, "--convert-to", "odt", "--outdir", str(home), str(warm))
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_EXPORT_NOTES, encoding="utf-8")
    return profile


def to_pdf(profile: Path, path: Path) -> tuple[str, list[str]]:
    """Open `path` in LibreOffice and export it to PDF: its text, and its comments' texts."""
    outdir = path.parent / "pdf"
    done = soffice(profile, "--convert-to", "pdf", "--outdir", str(outdir), str(path))
    pdf = outdir / (path.stem + ".pdf")
    assert pdf.is_file(), done.stdout + done.stderr  # LibreOffice could not open it
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    # A comment is a /Text annotation; pdftotext prints no annotations, so they are read
    # from the PDF's objects (LibreOffice writes them uncompressed, in UTF-16 hex).
    raw = pdf.read_bytes()
    notes = [
        bytes.fromhex(m.group(1).decode()).decode("utf-16").lstrip("\ufeff")
        for m in re.finditer(rb"/Contents\s*<([0-9A-Fa-f]+)>", raw)
    ]
    return text, notes


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_libreoffice_opens_the_annotated_copy(
    review: tuple[Path, Report], tmp_path: Path, libreoffice: Path
) -> None:
    source, report = review
    out = tmp_path / "annotated.docx"
    annotate(source, report, out, when=WHEN)
    text, notes = to_pdf(libreoffice, out)
    assert "Theo Quy định số 148-QĐ/TW ngày 23-5-2025" in text
    for said in [*EXPECTED.values(), HEADER_COMMENT, "Thêm số liệu quý IV"]:
        assert said in notes


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
def test_libreoffice_opens_its_own_file_annotated(
    tmp_path: Path, libreoffice: Path, builtin: Catalogue
) -> None:
    report = check_draft(read_word(LIBREOFFICE_DRAFT), builtin)
    out = tmp_path / "annotated.docx"
    annotate(LIBREOFFICE_DRAFT, report, out, when=WHEN)
    _, notes = to_pdf(libreoffice, out)
    assert "write 09-KL/BTCTW, not 9-KL/BTCTW [citekit: non-canonical-number]" in notes


# --- .doc files -------------------------------------------------------------------------------


def test_convert_doc_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _: None)
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as caught:
        convert_doc(doc, tmp_path / "work")
    assert str(caught.value) == (
        f"{doc}: a .doc file needs LibreOffice to be read: install LibreOffice "
        "(apt install libreoffice-writer-nogui) or save the file as .docx"
    )


@pytest.mark.slow
@needs_soffice
def test_convert_doc_reads_a_word_97_file(
    review: tuple[Path, Report], tmp_path: Path, builtin: Catalogue
) -> None:
    source, report = review
    made = tmp_path / "made"
    done = soffice(tmp_path / "profile", "--convert-to", "doc", "--outdir", str(made), str(source))
    doc = made / "draft.doc"
    assert doc.is_file(), done.stderr
    converted = convert_doc(doc, tmp_path / "work")
    assert converted == tmp_path / "work" / "draft.docx"
    again = check_draft(read_word(converted), builtin)
    assert sorted(f.number for f in again.findings) == sorted(f.number for f in report.findings)


@pytest.mark.slow
@needs_soffice
def test_convert_doc_of_a_broken_file(tmp_path: Path) -> None:
    doc = tmp_path / "broken.doc"
    doc.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2000))  # an OLE header, no more
    with pytest.raises(InputError) as caught:
        convert_doc(doc, tmp_path / "work")
    assert str(caught.value) == (
        f"{doc}: LibreOffice could not convert it to .docx (Error: source file could not be loaded)"
    )
