"""Checking as a stream: citations scanned, checked, compared across drafts and counted
as they come, with what the library collects (`Report`, `Batch`) built from the same
stream. Memory on huge drafts is measured in tests/test_hostile.py (D21)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_tree

from citekit import findings, scanning
from citekit.authorities import Authorities, authorities
from citekit.batch import BatchOptions, check_paths, collect, stream_paths
from citekit.catalogue import Catalogue
from citekit.codes import Verdict
from citekit.config import Config
from citekit.crosscheck import inconsistencies
from citekit.drafts import Draft
from citekit.findings import Report, check_draft, iter_checks

LISTS = [
    "các Quy định số 142-QĐ/TW, 148-QĐ/TW và 145-QĐ/TW của Bộ Chính trị",
    "Bộ Chính trị ban hành các Quy định số 142-QĐ/TW, 148-QĐ/TW",
    "148-QĐ/TW, 149-QĐ/TW, 150-QĐ/TW của Ban Bí thư, 151-QĐ/TW và 152-QĐ/TW; 153-QĐ/TW",
    "Quy định số 148-QĐ/TW. Quy định 144 và Nghị định 178",
    "Số: 15-KH/TU    Hà Tĩnh, ngày 3 tháng 4 năm 2025\nKế hoạch số 16-KH/TU",
    "",
]


@pytest.mark.parametrize("text", LISTS)
def test_iter_scan_yields_what_scan_lists(text: str) -> None:
    assert list(scanning.iter_scan(text)) == scanning.scan(text)


def test_a_list_is_held_only_until_its_issuer() -> None:
    """Its members come out once a member names the issuer; the citation after it, at once."""
    text = "các Quy định số 142-QĐ/TW, 148-QĐ/TW của Bộ Chính trị; Quy định số 149-QĐ/TW"
    citations = scanning.iter_scan(text)
    first = next(citations)
    assert (first.written, first.issuer) == ("142-QĐ/TW", "Bộ Chính trị")
    assert [c.written for c in citations] == ["148-QĐ/TW", "149-QĐ/TW"]


def test_a_list_longer_than_any_sentence_lets_its_first_members_go(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bound, not a sentence anyone writes: past it, earlier members keep no issuer."""
    text = "148-QĐ/TW, 149-QĐ/TW, 150-QĐ/TW của Bộ Chính trị"
    assert [c.issuer for c in scanning.scan(text)] == ["Bộ Chính trị"] * 3
    monkeypatch.setattr(scanning, "_LIST_LIMIT", 2)
    assert [c.issuer for c in scanning.scan(text)] == [None, None, "Bộ Chính trị"]


DRAFT = (
    "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị.\n"
    "Quy định 148 và Quy định số 148-QD/TW; Quyết định số 71-QD/TW.\n"
    "Quy định số 149-QĐ/TW ngày 23-5-2024 của Bộ Chính trị; 149-QĐ/TW.\n"
    "Kế hoạch số 120-KH/TU ngày 3-4-2025; Kế hoạch số 120-KH/TU ngày 5-4-2025.\n"
) * 3


def test_a_report_collects_the_stream(builtin: Catalogue) -> None:
    draft = Draft.from_text("d.md", DRAFT)
    collected = Report.collect(draft, iter_checks(draft, builtin))
    assert collected == check_draft(draft, builtin)
    assert len(collected.resolutions) == 24
    assert collected.counts()[Verdict.WRONG] > 0


def test_the_memo_of_checked_citations_is_bounded(
    builtin: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft of distinct citations is checked the same, remembered or not."""
    draft = Draft.from_text("d.md", DRAFT)
    remembered = check_draft(draft, builtin)
    monkeypatch.setattr(findings, "_MEMO_LIMIT", 1)
    monkeypatch.setattr(findings, "_BATCH", 2)
    assert check_draft(draft, builtin) == remembered


@pytest.mark.parametrize(
    ("first", "later", "code"),
    [
        ("ngày 3-4-2025 của Tỉnh ủy", "ngày 5-4-2025", "inconsistent-citation"),
        ("ngày 3-4-2025", "ngày 3-4-2020", "possible-namesake"),
        ("của Tỉnh ủy", "của tỉnh ủy", None),
        ("ngày 3-4-2025", "ngày 3-4-2025", None),
        ("", "ngày 3-4-2025", None),
    ],
)
def test_drafts_are_checked_against_each_other_as_they_stream(
    here: Path, first: str, later: str, code: str | None
) -> None:
    write_tree(
        here,
        {
            "a.md": f"Kế hoạch số 120-KH/TU {first}.\n",
            "b.md": f"Quyết định số 71-QD/TW.\nKế hoạch số 120-KH/TU {later}.\n",
        },
    )
    options = BatchOptions()
    stream = stream_paths(["a.md", "b.md"], options)
    found = [(f.path, f.line, f.code.value) for f in stream.findings()]
    expected = [("b.md", 1, "non-canonical-number")] + ([("b.md", 2, code)] if code else [])
    assert [f for f in found if f[2] != "unknown-document"] == expected
    batch = check_paths(["a.md", "b.md"], options)
    assert batch.across == inconsistencies(batch.reports, lambda _: Config())
    assert [(f.path, f.line, f.code.value) for f in batch.findings()] == found


def test_a_stream_counts_what_passed(here: Path) -> None:
    write_tree(here, {"a.md": DRAFT, "b.md": "\0", "c.md": "Quy định số 148-QĐ/TW.\n"})
    stream = stream_paths(["a.md", "b.md", "c.md", "gone.md"])
    streamed = list(stream.findings())
    batch = check_paths(["a.md", "b.md", "c.md", "gone.md"])
    assert streamed == list(batch.findings())
    assert (stream.files, stream.citations, stream.unreadable) == (2, 25, 1)
    assert (batch.files, batch.citations, batch.unreadable) == (2, 25, 1)
    assert stream.verdicts() == batch.verdicts()
    assert [s.path for s in stream.skipped] == ["b.md", "gone.md"]


def test_a_draft_left_unread_is_still_checked(here: Path) -> None:
    """Taking the next draft finishes the one before: counted, and compared across."""
    write_tree(
        here,
        {
            "a.md": "Kế hoạch số 120-KH/TU ngày 3-4-2025.\n",
            "b.md": "Kế hoạch số 120-KH/TU ngày 5-4-2025.\n",
        },
    )
    stream = stream_paths(["a.md", "b.md"])
    drafts = stream.drafts()
    next(drafts)  # a.md, its citations never asked for
    second = next(drafts)
    [checked] = list(second.checked)
    assert [f.code.value for f in checked.across] == ["inconsistent-citation"]
    assert stream.citations == 2


def test_refs_builds_its_table_from_the_stream(here: Path) -> None:
    write_tree(here, {"a.md": DRAFT, "c.md": "Quy định số 148-QĐ/TW.\n"})
    table = Authorities()
    for one in stream_paths(["a.md", "c.md"]).drafts():
        table.add_draft(one.draft, one.checked)
    held = authorities(collect(stream_paths(["a.md", "c.md"])).reports)
    assert table.entries() == held


def test_a_repeat_is_compared_again_unless_its_citation_agreed(builtin: Catalogue) -> None:
    """Crosscheck skips a repeat of the last citation that agreed with all before it;
    one that disagreed is compared again each time, as another draft's config may
    report what this one's ignores."""
    from citekit.checking import resolve
    from citekit.codes import Code
    from citekit.crosscheck import Crosscheck

    draft = Draft.from_text(
        "d.md",
        "Kế hoạch số 120-KH/TU ngày 3-4-2025.\n" * 2 + "Kế hoạch số 120-KH/TU ngày 5-4-2025.\n" * 2,
    )
    [unit] = draft.units
    said = [resolve(builtin, cited) for cited in scanning.scan(unit.text)]
    quiet = Config(ignore=frozenset({Code.INCONSISTENT_CITATION}))
    crosscheck = Crosscheck()
    assert crosscheck.compare("d.md", unit, said[0], Config()) == ()
    assert crosscheck.compare("d.md", unit, said[1], Config()) == ()
    assert crosscheck.compare("d.md", unit, said[2], quiet) == ()
    [again] = crosscheck.compare("d.md", unit, said[3], Config())
    assert (again.line, again.code) == (4, Code.INCONSISTENT_CITATION)
    assert crosscheck.compare("d.md", unit, said[0], quiet) == ()
