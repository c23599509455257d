"""Hostile Word files, round two: whatever a .docx holds, one error line and the run goes on.

Each case is a small file built here (a valid .docx, then one thing broken), checked
beside a good draft: the broken one is one `citekit: error:` line, the good one is
still checked, exit 2. docs/robustness.md lists them with measured time and memory.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_hostile import assert_one_error, in_process, peak_rss_mb, process

from citekit import wordfiles

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD = "d.md"
DRAFT = "Theo Quy định số 145-QĐ/TW ngày 15/6/2024.\n"


def _document(body: str, declaration: str = "") -> bytes:
    document = f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return (declaration + document).encode()


def _zip(document: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


PARAGRAPH = _document("<w:p><w:r><w:t>Chỉ thị 35-CT/TW</w:t></w:r></w:p>")


def _flip(data: bytes, offset: int) -> bytes:
    """`data` with the byte at `offset` inverted: a corrupt compressed stream."""
    out = bytearray(data)
    out[offset] ^= 0xFF
    return bytes(out)


def _member_data(data: bytes) -> int:
    """The offset of the first member's compressed data (after its local header)."""
    name_length = int.from_bytes(data[26:28], "little")
    extra_length = int.from_bytes(data[28:30], "little")
    return 30 + name_length + extra_length


def _corrupt(method: int) -> bytes:
    data = _zip(PARAGRAPH, method)
    return _flip(data, _member_data(data) + 12)


def _central_directory_past_the_start() -> bytes:
    """An end record whose central-directory offset lies past the file: zipfile then
    seeks before the start of the file (EINVAL)."""
    data = bytearray(_zip(PARAGRAPH))
    end = data.rfind(b"PK\x05\x06")
    data[end + 16 : end + 20] = (len(data) + 10_000).to_bytes(4, "little")
    return bytes(data)


CASES = [
    pytest.param(
        _zip(_document("<w:p/>", '<?xml version="1.0" encoding="x-bogus"?>')),
        "corrupt Word file: word/document.xml cannot be decoded (unknown encoding: x-bogus)",
        id="D1-unknown-encoding",
    ),
    pytest.param(
        _zip(_document("<w:p/>", '<?xml version="1.0" encoding="UTF-7"?>')),
        "corrupt Word file: word/document.xml cannot be decoded "
        "(multi-byte encodings are not supported)",
        id="D1-utf-7",
    ),
    pytest.param(_corrupt(zipfile.ZIP_LZMA), "corrupt Word file: Corrupt input data", id="D2-lzma"),
    pytest.param(
        _corrupt(zipfile.ZIP_BZIP2), "corrupt Word file: Invalid data stream", id="D3-bzip2"
    ),
    pytest.param(
        _central_directory_past_the_start(),
        "corrupt Word file: Invalid argument",
        id="D3-offset",
    ),
]


@pytest.mark.parametrize(("data", "message"), CASES)
def test_a_corrupt_word_file_is_one_line_and_the_others_are_checked(
    here: Path, data: bytes, message: str
) -> None:
    (here / "bad.docx").write_bytes(data)
    (here / GOOD).write_text(DRAFT, encoding="utf-8")
    run = in_process("check", "bad.docx", GOOD)
    assert_one_error(run, f"bad.docx: {message}")
    assert run.out.endswith("(1 file, 1 citation; 1 file could not be read).\n")


@pytest.mark.slow
@pytest.mark.parametrize(("data", "message"), CASES[:3])
def test_a_corrupt_word_file_through_the_executable(here: Path, data: bytes, message: str) -> None:
    (here / "bad.docx").write_bytes(data)
    (here / GOOD).write_text(DRAFT, encoding="utf-8")
    assert_one_error(process("check", "bad.docx", GOOD, cwd=here), f"bad.docx: {message}")


def test_a_bomb_of_empty_paragraphs_is_refused_at_the_tag_limit(here: Path) -> None:
    """D4: 31 KB unpacking to 20 MB of `<w:p/>` took 23 s and 907 MB; now refused
    before expat builds a tree (measured 0.26 s, 76 MB)."""
    data = _zip(_document("<w:p/>" * (20 * 1024 * 1024 // 6)))
    assert len(data) < 40_000
    (here / "bomb.docx").write_bytes(data)
    code, peak = peak_rss_mb("check", "bomb.docx", cwd=here)
    assert code == 2
    assert peak < 150
    assert_one_error(
        in_process("check", "bomb.docx"),
        f"bomb.docx: more than {wordfiles.MAX_TAGS:,} XML tags in all; refused (a zip bomb?)",
    )


def test_more_paragraphs_than_the_limit_are_refused(here: Path) -> None:
    (here / "many.docx").write_bytes(_zip(_document("<w:p/>" * (wordfiles.MAX_PARAGRAPHS + 1))))
    assert_one_error(
        in_process("check", "many.docx"),
        f"many.docx: more than {wordfiles.MAX_PARAGRAPHS:,} paragraphs; refused (a zip bomb?)",
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "body",
    [
        "<w:p/>" * (wordfiles.MAX_PARAGRAPHS - 1),
        "<w:p>" + "<w:r/>" * (wordfiles.MAX_TAGS - 10) + "</w:p>",
    ],
    ids=["paragraphs", "tags"],
)
def test_the_worst_word_file_under_the_limits_is_bounded(here: Path, body: str) -> None:
    """Just under each limit: measured 1.0 s and 66 MB (paragraphs), 1.0 s and 133 MB
    (one paragraph of a million runs, 6 MB of XML)."""
    (here / "big.docx").write_bytes(_zip(_document(body)))
    code, peak = peak_rss_mb("check", "big.docx", cwd=here)
    assert (code, peak < 300) == (0, True)


def test_a_word_file_on_stdin_is_read(here: Path) -> None:
    """Minor: a .docx piped in was "binary file, skipped"; its zip magic is read."""
    run = in_process("check", "-", stdin=_zip(PARAGRAPH))
    assert (run.code, run.err) == (0, "")
    assert run.out == "All citations verified (1 file, 1 citation).\n"


NEGATIVE_SEEK = Path(__file__).parent / "data" / "negative-seek.docx"
"""Found by fuzz/fuzz_docx.py in its first seconds: a member whose offset lies before
the start of the data. From a file, the seek fails with EINVAL; from stdin (read into
memory) it was a `ValueError: negative seek value` traceback."""


def test_a_member_before_the_start_of_the_data(here: Path) -> None:
    data = NEGATIVE_SEEK.read_bytes()
    (here / "bad.docx").write_bytes(data)
    assert_one_error(
        in_process("check", "bad.docx"), "bad.docx: corrupt Word file: Invalid argument"
    )
    assert_one_error(
        in_process("check", "-", stdin=data),
        "<stdin>: corrupt Word file: negative seek value -348",
    )
