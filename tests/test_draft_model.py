"""One draft model: units with positions, one checking loop for text and Word drafts."""

from __future__ import annotations

import unicodedata

import pytest

from citekit.authorities import authorities
from citekit.catalogue import Catalogue
from citekit.drafts import Draft, Format
from citekit.findings import Edit, Report, check_draft
from citekit.fixing import fixed_units
from citekit.output.check import finding_json, finding_line
from citekit.units import Position, Unit
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
