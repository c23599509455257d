"""One draft model: units with positions, one checking loop for text and Word drafts."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from citekit import drafts as drafts_module
from citekit.authorities import authorities
from citekit.catalogue import Catalogue
from citekit.drafts import Draft, Format, read_draft
from citekit.errors import InputError
from citekit.findings import Edit, Report, check_draft, iter_checks
from citekit.fixing import fixed_units
from citekit.output.check import finding_json, finding_line
from citekit.units import Passing, Position, Unit, text_pieces, text_units
from citekit.wordfiles import Cell, Location, Part


def word(*paragraphs: str) -> Draft:
    """A Word draft of body paragraphs, as the reader makes one."""
    units = tuple(
        Unit.paragraph(text, Location(part=Part.BODY, paragraph=line), line)
        for line, text in enumerate(paragraphs, start=1)
    )
    return Draft("d.docx", units, Format.WORD)


# --- units and positions ------------------------------------------------------------------

LINES = "ab\ncd\n\nef"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 2, Position(1, 1, 1, 3)),
        (3, 5, Position(2, 1, 2, 3)),
        (1, 4, Position(1, 2, 2, 2)),  # across a line break
        (4, 6, Position(2, 2, 3, 1)),  # an end at a line's start is on that line
        (7, 9, Position(4, 1, 4, 3)),
        (9, 9, Position(4, 3, 4, 3)),
    ],
)
def test_a_text_unit_places_offsets_by_line_and_column(
    start: int, end: int, expected: Position
) -> None:
    unit = Unit.lines(LINES)
    assert unit.position(start, end) == expected
    assert unit.line_of(start) == expected.line
    assert expected.label == str(expected.line)


def test_an_nfd_unit_places_nfc_offsets_in_the_text_as_written() -> None:
    raw = unicodedata.normalize("NFD", "Đề án\nQuyết định 71")
    unit = Unit.lines(raw)
    assert unit.text == unicodedata.normalize("NFC", raw) != raw
    assert unit.is_nfd
    start = unit.text.index("71")
    assert unit.position(start, start + 2) == Position(2, raw.index("71") - raw.index("\n"), 2, 17)
    assert unit.as_lines() is raw


ODD_MARKS = ["\u05b0", "\u0591", "\u1dc0", "\u20d0", "\u3099", "\u0345", "\u0340", "\u0344"]
ODD_TEXT = ["\u0958", "\u212b", "\u1100", "\u1161", "\uac00", "\u0b47", "\u0b3e", "q\u0301"]


def test_a_decomposed_lines_map_read_off_its_clusters_is_the_one_made_cluster_by_cluster() -> None:
    """`units._one_to_one` maps a Vietnamese NFD line without normalizing its clusters
    one by one; wherever it answers, every NFC offset maps where the cluster-by-cluster
    map (`_line_map`) puts it, and it declines lines with other scripts' marks next to a
    cluster, a cluster that stays two characters, or text NFC changes between them."""
    import bisect
    import random

    from citekit import units

    chosen = random.Random(11)
    viet = unicodedata.normalize(
        "NFD", "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị, Ư ữ"
    )
    alphabet = [*"abcdeghiklmnopqrtuvxyĐđ ,.-–“”0123456789ơưâăêô", *ODD_MARKS, *ODD_TEXT]
    alphabet += ["\u0301", "\u0300", "\u0309", "\u0303", "\u0323", "\u0302", "\u0306", "\u031b"]
    answered = declined = 0
    for _ in range(20_000):
        line = viet
        for _ in range(chosen.randint(0, 3)):
            cut = chosen.randint(0, len(line))
            line = line[:cut] + chosen.choice(alphabet) + line[cut:]
        nfc = unicodedata.normalize("NFC", line)
        if nfc == line:
            continue
        fast = units._one_to_one(line, nfc)
        if fast is None:
            declined += 1
            continue
        answered += 1
        slow = units._line_map(line)
        for offset in range(len(nfc) + 1):
            ours = fast.deltas[bisect.bisect_right(fast.starts, offset) - 1]
            theirs = slow.deltas[bisect.bisect_right(slow.starts, offset) - 1]
            assert ours == theirs, (line, offset)
    assert answered > 5_000
    assert declined > 1_000
    assert units._one_to_one("o\u0323\u0302\u05b0", "\u1ed9\u05b0") is None  # a mark after


def test_a_word_paragraph_is_one_draft_line_placed_by_its_location() -> None:
    where = Location(part=Part.TABLE, paragraph=2, cells=(Cell(1, 2, 3),))
    unit = Unit.paragraph("Một\nhai. Số 148-QD/TW ở đây", where, 7)
    start = unit.text.index("148")
    position = unit.position(start, start + 9)
    assert position == Position(2, start + 1, 2, start + 10, where)
    assert position.label == "table 1 row 2 cell 3 ¶2"
    assert unit.line_of(start) == 7  # the line suppression and --changed-only count
    assert unit.quote(start, start + 9) == "Số 148-QD/TW ở đây"
    assert unit.as_lines() == "Một hai. Số 148-QD/TW ở đây"


def test_a_text_unit_quotes_nothing() -> None:
    assert Unit.lines("Số 148-QD/TW").quote(3, 12) is None


def test_a_word_draft_reads_one_paragraph_a_line() -> None:
    draft = word("một", "hai\nba", "")
    assert draft.raw == "một\nhai ba\n"
    assert Draft.from_text("d.md", "x\ny").raw == "x\ny"


# --- one checking loop --------------------------------------------------------------------


def test_text_and_word_are_checked_alike(builtin: Catalogue) -> None:
    sentence = "Theo Quy định số 145-QĐ/TW ngày 15-5-2024 và Quyết định 71-QD/TW."
    text = check_draft(Draft.from_text("d.md", sentence), builtin)
    docx = check_draft(word(sentence), builtin)

    def core(report: Report) -> list[tuple[object, ...]]:
        return [
            (f.code, f.message, f.number, f.line, f.column, f.end_column) for f in report.findings
        ]

    assert core(text) == core(docx)
    assert [f.quote for f in text.findings] == [None, None]
    assert all(f.quote for f in docx.findings)
    assert text.resolutions == docx.resolutions
    assert "part" not in finding_json(text.findings[0])
    assert finding_json(docx.findings[0])["part"] == "body"


def test_lines_select_word_paragraphs_as_they_select_text_lines(builtin: Catalogue) -> None:
    """What a Word --changed-only would pass: the draft lines (paragraphs) to keep."""
    draft = word("Quyết định 71-QD/TW.", "Quyết định 9-KL/BTCTW.", "Quyết định 71-QD/TW.")
    kept = check_draft(draft, builtin, lines={3})
    assert [f.position.label for f in kept.findings] == ["body ¶3"]
    assert len(kept.resolutions) == 3  # refs still sees every citation


def test_suppression_comments_count_word_paragraphs(builtin: Catalogue) -> None:
    draft = word(
        "<!-- citekit: ignore-next-line -->",
        "Quyết định 71-QD/TW.",
        "Quyết định 71-QD/TW. <!-- citekit: ignore[wrong-date] -->",
    )
    report = check_draft(draft, builtin)
    assert [finding_line(f).split(" — ")[0] for f in report.findings] == [
        "d.docx:body ¶3:12: non-canonical-number write 71-QĐ/TW, not 71-QD/TW"
    ]


def test_word_findings_carry_edits_to_their_paragraphs(builtin: Catalogue) -> None:
    """What a Word --fix would apply: each edit names its unit."""
    draft = word("Không số.", unicodedata.normalize("NFD", "Quyết định 71-QD/TW."))
    [finding] = check_draft(draft, builtin).findings
    expected = unicodedata.normalize("NFD", "71-QĐ/TW")
    assert finding.edit == Edit(
        draft.units[1].raw.index("71"), draft.units[1].raw.index("/TW") + 3, expected, 1
    )
    report = check_draft(draft, builtin)
    assert fixed_units(report) == {1: unicodedata.normalize("NFD", "Quyết định 71-QĐ/TW.")}


def test_a_report_places_each_citation(builtin: Catalogue) -> None:
    report = check_draft(word("Không số.", "Theo Quy định số 148-QĐ/TW."), builtin)
    [(resolution, place)] = report.places()
    assert resolution.citation.written == "148-QĐ/TW"
    assert place.label == "body ¶2"
    assert report.cited_in == (1,)


def test_authorities_gather_text_and_word_citations(builtin: Catalogue) -> None:
    text = check_draft(Draft.from_text("a.md", "x\nQuy định số 148-QĐ/TW"), builtin)
    docx = check_draft(word("Quy định 148", "Quyết định 999-QĐ/TW"), builtin)
    table = authorities([text, docx])
    assert [(a.number, a.verified) for a in table] == [("148-QĐ/TW", "yes"), ("999-QĐ/TW", "no")]
    assert [c.text(with_path=True) for c in table[0].locations] == ["a.md:2", "d.docx:body ¶1"]
    assert [c.text(with_path=False) for c in table[1].locations] == ["body ¶2"]
    assert table[0].locations[0].position == Position(2, 13, 2, 22)


# --- long text drafts: pieces, read once ----------------------------------------------------


PARAGRAPH = (
    "Thực hiện Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị, Ban Thường vụ\n"
    "đã ban hành Kế hoạch số 120-KH/TU; các chi bộ học tập Quy định số 148-QD/TW.\n"
    "\n"
)
ONE_LINE = "Quy định số 148-QD/TW; Kết luận số 21-KL/TW; tiếp tục quán triệt. "


def _places(draft: Draft, catalogue: Catalogue) -> list[tuple[str, Position]]:
    return [(f.code.value, f.position) for f in check_draft(draft, catalogue).findings]


@pytest.mark.parametrize("text", [PARAGRAPH * 60, ONE_LINE * 90, (ONE_LINE * 7 + "\n") * 20])
@pytest.mark.parametrize("piece", [64, 200, 1000])
def test_a_long_text_is_cut_into_pieces_that_give_it_back_and_place_findings_the_same(
    text: str, piece: int, builtin: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = Draft.from_text("d.md", text)
    assert len(whole.units) == 1
    units = tuple(text_units(iter([text[:150], text[150:151], text[151:]]), piece))
    assert len(units) > 2
    assert "".join(unit.raw for unit in units) == text
    assert all(len(unit.raw) < 2 * piece + 200 for unit in units)
    cut = Draft("d.md", units)
    assert cut.raw == text
    findings = _places(cut, builtin)
    assert findings == _places(whole, builtin)
    at = text.rindex("148-QD/TW")
    line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    assert ("non-canonical-number", Position(line, column, line, column + 9)) in findings


def test_pieces_are_cut_at_a_blank_line_when_there_is_one(builtin: Catalogue) -> None:
    units = tuple(text_units([PARAGRAPH * 10], 300))
    assert all(unit.raw.endswith("\n\n") for unit in units[:-1])


def test_a_suppression_comment_silences_the_first_line_of_the_next_piece(
    builtin: Catalogue,
) -> None:
    text = "x\n" * 30 + "<!-- citekit: ignore-next-line -->\n" + "Quy định số 148-QD/TW\n"
    cut = tuple(text_units([text], 40))
    assert cut[-2].raw.endswith("ignore-next-line -->\n")  # the comment ends a piece
    assert check_draft(Draft("d.md", cut), builtin).findings == ()


def test_units_read_once_are_held_one_at_a_time() -> None:
    units = Passing(text_pieces([PARAGRAPH * 10], 300))
    seen = []
    for index, unit in enumerate(units):
        assert units[len(units) - 1] is unit
        assert len(units) == index + 1
        if index:
            with pytest.raises(IndexError):
                units[index - 1]
        seen.append(unit.raw)
    assert "".join(seen) == PARAGRAPH * 10
    with pytest.raises(RuntimeError):
        list(units)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files over 4 KiB read a block at a time, cut into pieces of about 1,000 characters."""
    monkeypatch.setattr(drafts_module, "BLOCK", 4096)
    monkeypatch.setattr("citekit.units.PIECE", 1000)
    monkeypatch.setattr(drafts_module, "text_pieces", lambda chunks: text_pieces(chunks, 1000))


@pytest.mark.parametrize(
    ("bom", "codec"), [(b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")]
)
@pytest.mark.parametrize("once", [False, True])
def test_a_long_file_is_read_a_block_at_a_time_into_pieces(
    tmp_path: Path, builtin: Catalogue, small_blocks: None, bom: bytes, codec: str, once: bool
) -> None:
    text = unicodedata.normalize("NFD", PARAGRAPH) * 40 + PARAGRAPH * 40  # NFD, then NFC
    path = tmp_path / "long.md"
    path.write_bytes(bom + text.encode(codec))
    draft = read_draft(path, once=once)
    assert isinstance(draft.units, Passing) is once
    assert (draft.encoding, draft.bom) == (codec, bom)
    found = [(c.verdict, c.findings) for c in iter_checks(draft, builtin)]
    expected = [
        (c.verdict, c.findings) for c in iter_checks(Draft.from_text(str(path), text), builtin)
    ]
    assert found == expected
    assert len(found) == 240
    if not once:
        assert draft.raw == text
        assert len(draft.units) > 10


def test_a_long_file_with_a_bad_byte_past_its_first_block_names_the_line(
    tmp_path: Path, builtin: Catalogue, small_blocks: None
) -> None:
    path = tmp_path / "long.md"
    path.write_bytes((PARAGRAPH * 100).encode() + b"B\xe1o c\xe1o\n")
    with pytest.raises(InputError, match=r"long.md:301: not UTF-8 \(byte 0xe1\)"):
        read_draft(path)
    draft = read_draft(path, once=True)  # found as the pass reaches it
    with pytest.raises(InputError, match=r"long.md:301: not UTF-8 \(byte 0xe1\)"):
        list(iter_checks(draft, builtin))


@pytest.mark.parametrize(
    ("encoding", "error"),
    [("utf-8", r"long.md:301: not UTF-8 \(byte 0xe1\); a legacy"), ("utf-16-le", "invalid")],
)
def test_a_long_file_ending_within_a_character_is_an_error(
    tmp_path: Path, small_blocks: None, encoding: str, error: str
) -> None:
    path = tmp_path / "long.md"
    bom = b"\xff\xfe" if encoding == "utf-16-le" else b""
    path.write_bytes(bom + (PARAGRAPH * 100).encode(encoding) + "ấ".encode(encoding)[:-1])
    with pytest.raises(InputError, match=error):
        read_draft(path)


def test_a_long_legacy_file_is_still_recognised(
    tmp_path: Path, builtin: Catalogue, small_blocks: None
) -> None:
    from citekit import legacy

    path = tmp_path / "tcvn3.txt"
    path.write_bytes(legacy.encode(PARAGRAPH * 100, "tcvn3"))
    draft = read_draft(path, encoding=None)
    assert draft.encoding == "tcvn3"
    assert draft.raw == PARAGRAPH * 100
