"""Coverage-guided fuzzing of citekit's parser, scanner and catalogue loader (atheris).

    python -m pip install atheris
    mkdir -p /tmp/citekit-corpus
    python fuzz/fuzz_citekit.py /tmp/citekit-corpus fuzz/seeds -max_total_time=600 -timeout=10

libFuzzer's options follow the corpus directories: -max_total_time=SECONDS to stop,
-timeout=SECONDS for one input (citekit needs milliseconds: an input over the limit
is a hang), -rss_limit_mb=MB, -jobs=N -workers=N to run several. Inputs that reach new
code are saved in the first directory; a crash or a hang is written to crash-* or
timeout-* in the current directory, and `python fuzz/fuzz_citekit.py crash-...` replays
it. atheris is not a dependency of citekit: install it into the venv that runs this.

The first byte of an input picks the target, the rest is its input:
0 parse_number / normalize_number, 1 scan, 2 parse_catalogue, 3 decode + check_draft,
4 lookup, 5 a .docx file's bytes (read_word_stream + check_draft; the seed
`docx` is a valid Word file, which libFuzzer mutates byte by byte: members, headers,
offsets, compressed streams), 6 a Word part's XML (the next byte picks the part and
the compression: stored, deflate, bzip2, LZMA; the XML is zipped into an otherwise
valid .docx). Property: nothing is raised but citekit's own errors (CitekitError),
and the results hold together (a normalised number normalises to itself; a
citation's text is the text at its span; a finding stands on a line of the draft).
"""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile

import atheris

with atheris.instrument_imports(include=["citekit"]):
    from citekit.catalogue import Catalogue, builtin_path
    from citekit.docnumber import normalize_number, parse_number
    from citekit.drafts import decode
    from citekit.errors import CitekitError
    from citekit.findings import check_draft
    from citekit.loading import load_file, parse_catalogue
    from citekit.queries import lookup
    from citekit.scanning import scan
    from citekit.wordfiles import read_word_stream

CATALOGUE = Catalogue(load_file(builtin_path()))


def _number(text: str) -> None:
    parse_number(text)
    normalized = normalize_number(text)
    if normalized is not None:
        assert normalize_number(normalized) == normalized, (text, normalized)


def _scan(text: str) -> None:
    text = unicodedata.normalize("NFC", text)
    for citation in scan(text):
        start, end = citation.span
        assert 0 <= start < end <= len(text), citation
        assert text[start:end] == citation.written, citation


def _check(data: bytes) -> None:
    draft = decode(data, "fuzz.md")
    lines = draft.raw.split("\n")
    for finding in check_draft(draft, CATALOGUE).findings:
        assert 1 <= finding.line <= len(lines), finding
        assert 1 <= finding.column <= len(lines[finding.line - 1]), finding


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>",
    "word/_rels/document.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rIdH" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship '
    'Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'footnotes" Target="footnotes.xml"/></Relationships>',
    "word/document.xml": f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body><w:p><w:r>'
    "<w:t>Theo Quy định số 145-QĐ/TW ngày 15/6/2024</w:t></w:r><w:r><w:footnoteReference "
    'w:id="1"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nghị quyết 18-NQ/TW</w:t>'
    '</w:r></w:p></w:tc></w:tr></w:tbl><w:sectPr><w:headerReference w:type="default" '
    'r:id="rIdH"/></w:sectPr></w:body></w:document>',
    "word/header1.xml": f'<w:hdr xmlns:w="{_W}"><w:p><w:r><w:t>Chỉ thị 35-CT/TW</w:t>'
    "</w:r></w:p></w:hdr>",
    "word/footnotes.xml": f'<w:footnotes xmlns:w="{_W}"><w:footnote w:id="1"><w:p><w:r>'
    "<w:t>Kết luận 21-KL/TW</w:t></w:r></w:p></w:footnote></w:footnotes>",
}
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def docx(replace: dict[str, bytes] | None = None, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A small valid .docx (body, table, header, footnote), parts replaced as given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, (replace or {}).get(name, text.encode()))
    return buffer.getvalue()


def _word(data: bytes) -> None:
    draft = read_word_stream(io.BytesIO(data), "fuzz.docx")
    for finding in check_draft(draft, CATALOGUE).findings:
        assert 1 <= finding.line <= len(draft.units), finding


def _word_part(data: bytes) -> None:
    if not data:
        return
    names = list(_PARTS)
    name = names[data[0] % len(names)]
    method = _METHODS[(data[0] // len(names)) % len(_METHODS)]
    _word(docx({name: data[1:]}, method))


def test_one_input(data: bytes) -> None:
    if not data:
        return
    target, body = data[0] % 7, data[1:]
    text = body.decode("utf-8", "replace")
    try:
        if target == 0:
            _number(text)
        elif target == 1:
            _scan(text)
        elif target == 2:
            parse_catalogue(text, "fuzz.yaml")
        elif target == 3:
            _check(body)
        elif target == 4:
            lookup(CATALOGUE, text)
        elif target == 5:
            _word(body)
        else:
            _word_part(body)
    except CitekitError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
