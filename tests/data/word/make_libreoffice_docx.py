"""Make libreoffice.docx: a draft built with python-docx, then opened and saved by
LibreOffice Writer, so that citekit is tested on the XML Writer writes.

Run from the repository root:  python tests/data/word/make_libreoffice_docx.py
It needs python-docx and LibreOffice (soffice) on PATH.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1]))

import docx  # noqa: E402
from test_word_annotate import add_footnotes, element, note_reference  # noqa: E402


def build(path: Path) -> None:
    document = docx.Document()
    title = document.add_paragraph("Báo cáo kiểm tra việc thực hiện quy định của Đảng")
    document.add_comment(title.runs, "Sửa tiêu đề theo mẫu", author="Lan", initials="L")
    paragraph = document.add_paragraph("Thực hiện Quy định số 145-QĐ/TW ngày 15-5-2024 ")
    paragraph.add_run("của Bộ Chính trị.")
    note_reference(paragraph, 1)
    # A tracked change: "Ban Bí thư" deleted, "Bộ Chính trị" inserted, by a reviewer.
    paragraph = document.add_paragraph("Theo Quyết định số 71-QD/TW ngày 18-7-2022 của ")
    stamp = {"w:author": "Lan", "w:date": "2025-01-01T00:00:00Z"}
    deleted = element("w:del", **{"w:id": "101", **stamp})
    run = element("w:r")
    text = element("w:delText")
    text.text = "Ban Bí thư"
    run.append(text)
    deleted.append(run)
    inserted = element("w:ins", **{"w:id": "102", **stamp})
    run = element("w:r")
    text = element("w:t")
    text.text = "Bộ Chính trị"
    run.append(text)
    inserted.append(run)
    paragraph._p.append(deleted)
    paragraph._p.append(inserted)
    paragraph.add_run(".")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Văn bản"
    table.cell(0, 1).text = "Ghi chú"
    table.cell(1, 0).text = "Kết luận số 9-KL/BTCTW của Ban Tổ chức Trung ương"
    table.cell(1, 1).text = "Đã thực hiện"
    document.sections[0].header.paragraphs[
        0
    ].text = "Quy định số 180-QĐ/TW ngày 11-7-2024 của Bộ Chính trị"
    add_footnotes(document, {1: "Quy định số 146-QĐ/TW ngày 15-5-2024 của Ban Bí thư."})
    document.save(str(path))


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "libreoffice.docx"
        build(source)
        out = Path(work) / "out"
        profile = (Path(work) / "profile").as_uri()
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "docx:MS Word 2007 XML",
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
        )
        (HERE / "libreoffice.docx").write_bytes((out / "libreoffice.docx").read_bytes())


if __name__ == "__main__":
    main()
