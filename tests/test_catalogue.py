"""The shipped catalogue against the reference; validation; user catalogues."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import SHIPPED, SHIPPED_PATH, Cli, builtin_size
from hypothesis import given
from hypothesis import strategies as st

from citekit import consistency
from citekit.catalogue import ENV_VAR, Catalogue, Sources, builtin_path, env_paths, load_catalogue
from citekit.errors import CatalogueError
from citekit.loading import load_file, parse_catalogue
from citekit.matching import Status
from citekit.model import Confidence, Document, Kind, RelationType
from citekit.queries import lookup

WriteYaml = Callable[..., Path]
REFERENCE_MD = Path(__file__).resolve().parents[2] / "shared" / "reference" / "documents.md"

BCT, BBT, BTC = "Bộ Chính trị", "Ban Bí thư", "Ban Tổ chức Trung ương"
ALL = frozenset({"number", "kind", "date", "issuer"})


@dataclass(frozen=True)
class Ref:
    """One row of the reference table (reference/documents.md), in the report's order."""

    number: str
    kind: Kind
    date: dt.date | None
    issuer: str
    verified: frozenset[str]  # facts the reference says were checked
    unverified: frozenset[str] = frozenset()  # facts it says are unconfirmed
    sources: tuple[str, ...] = ()  # public websites it names
    year: int | None = None


D = dt.date
REFERENCE = (
    Ref("09-KL/BTCTW", Kind.KET_LUAN, None, BTC, frozenset(), ALL),
    Ref(
        "35-CT/TW", Kind.CHI_THI, D(2024, 6, 14), BCT, ALL, sources=("baoquangtri.vn", "laodong.vn")
    ),
    Ref("27-HD/BTCTW", Kind.HUONG_DAN, D(2024, 8, 26), BTC, frozenset(), ALL),
    Ref(
        "145-QĐ/TW",
        Kind.QUY_DINH,
        D(2024, 5, 10),
        BCT,
        ALL,
        sources=("thuvienphapluat.vn", "tcnn.vn"),
    ),
    Ref("143-QĐ/TW", Kind.QUYET_DINH, D(2024, 5, 3), BBT, frozenset(), ALL),
    Ref("180-QĐ/TW", Kind.QUY_DINH, D(2024, 7, 11), BBT, frozenset(), ALL),
    Ref("142-QĐ/TW", Kind.QUY_DINH, D(2024, 4, 23), BCT, ALL, sources=("sggp.org.vn",)),
    Ref("148-QĐ/TW", Kind.QUY_DINH, D(2024, 5, 23), BCT, ALL, sources=("thuvienphapluat.vn",)),
    Ref(
        "147-QĐ/TW",
        Kind.QUYET_DINH,
        D(2024, 5, 14),
        BBT,
        frozenset({"kind", "date", "title"}),
        frozenset({"issuer"}),
    ),
    Ref("179-QĐ/TW", Kind.QUYET_DINH, D(2024, 7, 8), BBT, frozenset(), ALL),
    Ref(
        "146-QĐ/TW",
        Kind.QUY_DINH,
        D(2024, 5, 14),
        BBT,
        ALL,
        sources=("baodongthap.vn", "tayninh.dcs.vn"),
    ),
    Ref("71-QĐ/TW", Kind.QUYET_DINH, D(2022, 7, 18), BCT, ALL),
    Ref(
        "72-QĐ/TW",
        Kind.QUYET_DINH,
        None,
        BCT,
        frozenset({"number", "year"}),
        frozenset({"date", "issuer"}),
        year=2022,
    ),
    Ref("212-QĐ/TW", Kind.QUY_DINH, D(2019, 12, 30), BBT, frozenset(), ALL),
    Ref("88-KL/TW", Kind.KET_LUAN, D(2020, 9, 19), BCT, frozenset(), ALL),
    Ref(
        "39-CT/TW",
        Kind.CHI_THI,
        D(2014, 8, 18),
        BCT,
        frozenset({"number", "date", "issuer"}),
        frozenset({"title"}),
    ),
)
OFFICIAL_TITLES = {
    "148-QĐ/TW": "Quy định về thẩm quyền của người đứng đầu trong việc tạm đình chỉ công tác "
    "đối với cán bộ cấp dưới trong trường hợp cần thiết hoặc khi có dấu hiệu vi phạm nghiêm "
    "trọng quy định của Đảng, pháp luật của Nhà nước",
    "142-QĐ/TW": "Quy định thí điểm giao quyền, trách nhiệm cho người đứng đầu "
    "trong công tác cán bộ",
    "146-QĐ/TW": "Quy định chức năng, nhiệm vụ, quyền hạn, cơ cấu tổ chức, mối quan hệ công tác "
    "của đảng đoàn, ban cán sự đảng cấp tỉnh",
    "71-QĐ/TW": "Quyết định về tổng biên chế của hệ thống chính trị giai đoạn 2022 - 2026",
    "145-QĐ/TW": "Quy định về chế độ bồi dưỡng, cập nhật kiến thức, kỹ năng đối với cán bộ lãnh "
    "đạo, quản lý các cấp",
}
BY_NUMBER = {ref.number: ref for ref in REFERENCE}


@pytest.fixture(scope="module")
def everything() -> list[Document]:
    """Every entry of the shipped catalogue."""
    return load_file(SHIPPED)


@pytest.fixture(scope="module")
def shipped(everything: list[Document]) -> dict[str, Document]:
    """The shipped catalogue's first entries: the documents of the 2024 conference."""
    return {d.number: d for d in everything[: len(REFERENCE)]}


# --- the shipped catalogue ------------------------------------------------------------


def test_the_shipped_catalogue_starts_with_the_conferences_documents_in_order(
    everything: list[Document],
) -> None:
    assert [d.number for d in everything[: len(REFERENCE)]] == [r.number for r in REFERENCE]
    with SHIPPED.open(encoding="utf-8") as handle:
        assert len(everything) == len(yaml.safe_load(handle)["documents"])
    assert len({d.key for d in everything}) == len(everything)


SURE = (Confidence.ONE_SOURCE, Confidence.TWO_SOURCES)
FIVE = ("number", "kind", "date", "issuer", "title")


def _stated_by_a_page(document: Document, fact: str) -> bool:
    return any(s.url for s in document.sources if fact in s.states)


def test_the_shipped_catalogue_meets_its_reach_targets(everything: list[Document]) -> None:
    """At least 150 documents whose five facts a public page states (its URL recorded),
    75 of them with every fact stated by two independent publishers."""
    stated = [
        d
        for d in everything
        if all(d.confidence(f) in SURE and _stated_by_a_page(d, f) for f in FIVE)
    ]
    two = [d for d in stated if all(d.confidence(f) is Confidence.TWO_SOURCES for f in FIVE)]
    assert len(stated) >= 150
    assert len(two) >= 75


def test_every_public_source_names_its_page_or_its_publisher(everything: list[Document]) -> None:
    for document in everything:
        for source in document.sources:
            assert source.states, document.number
            if source.type == "report":
                assert source.publisher == "meeting-report.vi.txt"
            else:
                assert source.url or source.publisher, document.number


def test_the_shipped_catalogue_is_consistent_across_entries(everything: list[Document]) -> None:
    assert consistency.problems(everything) == []


def test_the_shipped_catalogue_sits_where_the_package_finds_it() -> None:
    path = SHIPPED_PATH()
    assert path.is_file()
    assert path.name == "documents.yaml"
    assert path.read_bytes() == SHIPPED.read_bytes()  # installed, or this checkout's


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda r: r.number)
def test_entry_agrees_with_the_reference(shipped: dict[str, Document], ref: Ref) -> None:
    document = shipped[ref.number]
    assert document.kind is ref.kind
    assert document.date == ref.date
    assert document.issuer == ref.issuer
    assert document.known_year == (ref.date.year if ref.date else ref.year)
    publishers = {s.publisher for s in document.sources}
    assert set(ref.sources) <= publishers
    for fact in ref.unverified & set(document.verified):
        # A fact the reference left unconfirmed counts only where a page now states it.
        assert _stated_by_a_page(document, "year" if fact == "date" and not ref.date else fact)
    for fact in ref.verified - {"year"}:
        level = document.confidence(fact)
        assert level in (*SURE, Confidence.REPORT_ONLY), (fact, level)
    assert document.cited is not None
    assert document.number in document.cited.sentence


@pytest.mark.parametrize("number", sorted(OFFICIAL_TITLES))
def test_official_titles(shipped: dict[str, Document], number: str) -> None:
    assert shipped[number].title == OFFICIAL_TITLES[number]


@pytest.mark.parametrize("ref", REFERENCE, ids=lambda r: r.number)
def test_titles_begin_with_the_kind(shipped: dict[str, Document], ref: Ref) -> None:
    title = shipped[ref.number].title
    if ref.number == "09-KL/BTCTW":
        assert title is None
    else:
        assert title is not None
        assert title.startswith(ref.kind.value + " ")


def test_35_ct_tw_records_the_reports_misprint(shipped: dict[str, Document]) -> None:
    document = shipped["35-CT/TW"]
    assert document.date == dt.date(2024, 6, 14)
    [misprint] = document.misprints
    assert misprint.field == "date"
    assert misprint.printed == "2024-04-16"
    assert "meeting-report" in misprint.where
    assert [n for n, d in shipped.items() if d.misprints] == ["35-CT/TW"]


def test_27_hd_btctw_guides_35_ct_tw(shipped: dict[str, Document]) -> None:
    [relation] = shipped["27-HD/BTCTW"].related(RelationType.GUIDES)
    assert relation.target == "35-CT/TW"
    assert relation.target_date == dt.date(2024, 6, 14)


def test_148_qd_tw_was_replaced_by_377_qd_tw(everything: list[Document]) -> None:
    """Quy định 377-QĐ/TW of 8-10-2025 replaced several cadre-work rules, 148-QĐ/TW among
    them, as pages state; the relation is recorded on both sides with its page."""
    by_key = {d.key: d for d in everything}
    old = by_key["148-QĐ/TW", dt.date(2024, 5, 23)]
    new = by_key["377-QĐ/TW", dt.date(2025, 10, 8)]
    [replaced] = old.related(RelationType.REPLACED_BY)
    assert (replaced.target, replaced.target_date) == (new.number, new.date)
    assert replaced.source
    assert any(r.target == old.number for r in new.related(RelationType.REPLACES))


@pytest.mark.parametrize(
    ("numbers", "relation"),
    [
        (("71-QĐ/TW", "72-QĐ/TW", "212-QĐ/TW"), RelationType.AMENDMENT_PLANNED),
        (("88-KL/TW", "39-CT/TW"), RelationType.REVIEW_PLANNED),
    ],
)
def test_planned_amendments_and_reviews(
    shipped: dict[str, Document], numbers: tuple[str, ...], relation: RelationType
) -> None:
    having = {n for n, d in shipped.items() if relation in {r.type for r in d.relations}}
    assert having == set(numbers)


def test_09_kl_btctw_has_no_date_and_no_title(shipped: dict[str, Document]) -> None:
    document = shipped["09-KL/BTCTW"]
    assert document.date is None
    assert document.year is None
    assert document.title is None


def test_72_qd_tw_has_a_year_and_no_day(shipped: dict[str, Document]) -> None:
    document = shipped["72-QĐ/TW"]
    assert document.date is None
    assert document.year == 2022
    assert document.known_year == 2022


def test_the_catalogue_file_is_nfc_utf8() -> None:
    raw = SHIPPED.read_bytes()
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "\t" not in text


def test_every_loaded_text_is_nfc(everything: list[Document]) -> None:
    for document in everything:
        texts = [document.number, document.issuer, document.title or "", document.note or ""]
        if document.cited:
            texts += [document.cited.by, document.cited.sentence]
        for text in texts:
            assert unicodedata.is_normalized("NFC", text), (document.number, text)


def test_the_header_names_the_conference_and_its_date() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert "date: '2024-10-02'" in text
    assert "Ban Tổ chức Trung ương" in text


def _reference_rows() -> list[list[str]]:
    text = REFERENCE_MD.read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(r"\d+-[^ ]+/[A-Z]+", cells[0]):
            rows.append(cells)
    return rows


@pytest.mark.skipif(not REFERENCE_MD.is_file(), reason="reference notes not beside the checkout")
def test_the_table_above_transcribes_reference_documents_md() -> None:
    """The REFERENCE table here is a faithful copy of reference/documents.md."""
    rows = _reference_rows()
    assert [row[0] for row in rows] == [ref.number for ref in REFERENCE]
    for (number, kind, date, issuer, _status), ref in zip(rows, REFERENCE, strict=True):
        assert kind == ref.kind.value, number
        assert issuer.split(" (")[0] == ref.issuer, number
        found = re.search(r"(\d{1,2})-(\d{1,2})-(\d{4})", date)
        if ref.date is None:
            assert found is None, number
        else:
            assert found is not None, number
            day, month, year = map(int, found.groups())
            assert dt.date(year, month, day) == ref.date, number
    statuses = {row[0]: row[4] for row in rows}
    for ref in REFERENCE:
        for source in ref.sources:
            assert source in statuses[ref.number], ref.number
        if not ref.verified:
            assert statuses[ref.number].startswith("report only"), ref.number


# --- validation -------------------------------------------------------------------------

GOOD = """\
documents:
  - number: 148-QĐ/TW
    kind: Quy định
    date: '2024-05-23'
    issuer: Bộ Chính trị
    title: Quy định về thẩm quyền của người đứng đầu
"""
ENTRY = GOOD.split("documents:\n", 1)[1]
BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
documents: *i
"""

INVALID = [
    pytest.param(
        GOOD.replace("    issuer: Bộ Chính trị\n", ""),
        ["2: 148-QĐ/TW: missing field 'issuer'"],
        id="missing required field",
    ),
    pytest.param(
        GOOD.replace("    title: Quy định về thẩm quyền của người đứng đầu\n", ""),
        ["2: 148-QĐ/TW: missing field 'title'"],
        id="missing title (null is how to say unknown)",
    ),
    pytest.param(
        GOOD.replace("2024-05-23", "2024-02-31"),
        ["4: 148-QĐ/TW: date '2024-02-31' is not a real date"],
        id="not a real date",
    ),
    pytest.param(
        GOOD.replace("'2024-05-23'", "'23-5-2024'"),
        ["4: 148-QĐ/TW: date '23-5-2024' is not an ISO date (yyyy-mm-dd)"],
        id="not an ISO date",
    ),
    pytest.param(
        GOOD.replace("kind: Quy định", "kind: Sắc lệnh"),
        [f"3: 148-QĐ/TW: unknown kind 'Sắc lệnh'; known: {', '.join(k.value for k in Kind)}"],
        id="unknown kind",
    ),
    pytest.param(
        GOOD.replace("148-QĐ/TW", "148-QD/TW"),
        ["2: 148-QD/TW: number is not in canonical form; write '148-QĐ/TW'"],
        id="non-canonical number QD",
    ),
    pytest.param(
        GOOD.replace("148-QĐ/TW", "148 QĐ TW"),
        ["2: 148 QĐ TW: number is not in canonical form; write '148-QĐ/TW'"],
        id="non-canonical number spaces",
    ),
    pytest.param(
        GOOD.replace("148-QĐ/TW", "9-KL/BTCTW").replace("kind: Quy định", "kind: Kết luận"),
        ["2: 9-KL/BTCTW: number is not in canonical form; write '09-KL/BTCTW'"],
        id="non-canonical number without leading zero",
    ),
    pytest.param(
        GOOD.replace("148-QĐ/TW", "148-QĐ"),
        ["2: 148-QĐ: '148-QĐ' is not a document number"],
        id="partial number",
    ),
    pytest.param(
        GOOD.replace("kind: Quy định", "kind: Chỉ thị"),
        ["3: 148-QĐ/TW: a Chỉ thị does not carry code QĐ"],
        id="kind and code disagree",
    ),
    pytest.param(
        GOOD + ENTRY,
        ["7: 148-QĐ/TW (2024-05-23) duplicates the entry at {path}:2"],
        id="duplicate number and date",
    ),
    pytest.param(
        GOOD + "    pages: 12\n",
        ["7: 148-QĐ/TW: unknown field 'pages'"],
        id="unknown field",
    ),
    pytest.param(
        "colour: red\n" + GOOD,
        ["1: unknown field 'colour'"],
        id="unknown top-level field",
    ),
    pytest.param(
        GOOD + "    year: 2023\n",
        ["7: 148-QĐ/TW: year 2023 differs from the date's year"],
        id="year disagrees with date",
    ),
    pytest.param(
        GOOD + "    verified: [colour]\n",
        ["7: 148-QĐ/TW: verified names unknown fact 'colour'"],
        id="verified names an unknown fact",
    ),
    pytest.param(
        GOOD.replace("kind: Quy định", "kind: [Quy định]"),
        ["3: 148-QĐ/TW: 'kind' must be text"],
        id="kind is a list",
    ),
    pytest.param(
        GOOD + "    verified: number\n",
        ["7: 148-QĐ/TW: 'verified' must be a list of text"],
        id="verified is not a list",
    ),
    pytest.param(
        GOOD.replace("'2024-05-23'", "null") + "    year: 1850\n",
        ["7: 148-QĐ/TW: year '1850' is not a year between 1930 and 2100"],
        id="year out of range",
    ),
    pytest.param(
        GOOD + "    misprints: the date\n",
        ["7: 148-QĐ/TW: 'misprints' must be a list of mappings"],
        id="misprints is not a list",
    ),
    pytest.param(
        GOOD + "    misprints:\n      - field: colour\n        printed: red\n        where: x\n",
        [
            "8: 148-QĐ/TW: misprint field 'colour' is not one of "
            "('number', 'kind', 'date', 'year', 'issuer', 'title', 'term')"
        ],
        id="misprint of an unknown fact",
    ),
    pytest.param(
        GOOD + "    relations:\n      - type: cites\n        target: 35-CT/TW\n",
        [
            "8: 148-QĐ/TW: relation type must be one of guides, guided_by, replaces, "
            "replaced_by, amends, amended_by, amendment-planned, review-planned"
        ],
        id="unknown relation type",
    ),
    pytest.param(
        GOOD + "    relations:\n      - type: guides\n",
        ["8: 148-QĐ/TW: missing field 'target'"],
        id="guides without a target",
    ),
    pytest.param(
        GOOD + "    cited: the report\n",
        ["7: 148-QĐ/TW: 'cited' must be a mapping with 'by' and 'sentence'"],
        id="cited is not a mapping",
    ),
    pytest.param(
        GOOD + "    cited:\n      by: report\n",
        ["8: 148-QĐ/TW: missing field 'sentence'"],
        id="cited without its sentence",
    ),
    pytest.param(
        "source: the report\n" + GOOD,
        ["1: 'source' must be a mapping"],
        id="source is not a mapping",
    ),
    pytest.param(
        "source:\n  colour: red\n" + GOOD,
        ["2: unknown field 'colour'"],
        id="unknown source field",
    ),
    pytest.param("schema: 1\n", ["1: 'documents' must be a list"], id="no documents"),
    pytest.param(
        GOOD.replace("issuer: Bộ Chính trị", "issuer: ''"),
        ["5: 148-QĐ/TW: 'issuer' is empty; write null if it is unknown"],
        id="empty issuer",
    ),
    pytest.param(
        "- number: 148-QĐ/TW\n",
        ["1: top level must be a mapping with a 'documents' list"],
        id="top level is a list",
    ),
    pytest.param(
        "documents: 148-QĐ/TW\n",
        ["1: 'documents' must be a list"],
        id="documents is not a list",
    ),
    pytest.param(
        "documents:\n  - 148-QĐ/TW\n",
        ["2: each document must be a mapping"],
        id="a document is not a mapping",
    ),
    pytest.param(
        "schema: 3\n" + GOOD,
        ["1: schema 3 is not supported (this citekit reads 1 and 2)"],
        id="schema 3",
    ),
    pytest.param("", ["file is empty; expected 'documents:'"], id="empty file"),
    pytest.param("# only a comment\n", ["file is empty; expected 'documents:'"], id="comment only"),
    pytest.param(
        "documents:\n\t- number: 148-QĐ/TW\n",
        ["2: invalid YAML: found character that cannot start any token"],
        id="tab-indented YAML",
    ),
    pytest.param(
        "documents:\n  - number: '148-QĐ/TW\n    kind: Quy định\n",
        ["4: invalid YAML: found unexpected end of stream"],
        id="unclosed quote",
    ),
    pytest.param(
        "documents:\n  - number: !!python/object/apply:os.system ['echo owned']\n",
        ["2: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"],
        id="python object tag",
    ),
    pytest.param(
        "documents: !!python/name:os.system\n",
        ["1: YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"],
        id="python name tag",
    ),
    pytest.param(BOMB, ["2: YAML aliases are not allowed"], id="alias bomb"),
    pytest.param(
        GOOD + "---\n" + GOOD,
        ["7: a catalogue holds one YAML document, not several"],
        id="several YAML documents",
    ),
    pytest.param(
        "documents: !!seq\n" + ENTRY.replace("2024-05-23", "2024-02-30"),
        ["4: 148-QĐ/TW: date '2024-02-30' is not a real date"],
        id="a tagged list is validated too",
    ),
    pytest.param(
        "documents:\n  - &doc\n" + ENTRY.replace("  - ", "    ", 1) + "  - *doc\n",
        ["8: YAML aliases are not allowed"],
        id="one alias",
    ),
    pytest.param(
        GOOD.encode("utf-8") + b"    note: caf\xe9\n",
        ["7: not UTF-8 (byte 0xe9 at offset {offset})"],
        id="not UTF-8",
    ),
]


@pytest.mark.parametrize(("content", "expected"), INVALID)
def test_invalid_catalogues_name_file_line_and_problem(
    write_yaml: WriteYaml, content: str | bytes, expected: list[str]
) -> None:
    path = write_yaml(content)
    with pytest.raises(CatalogueError) as caught:
        load_file(path)
    offset = len(GOOD.encode("utf-8")) + len(b"    note: caf")
    wanted = [
        f"{path}{':' if m[0].isdigit() else ': '}{m.format(path=path, offset=offset)}"
        for m in expected
    ]
    assert [str(p) for p in caught.value.problems] == wanted
    assert str(caught.value) == wanted[0]


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(CatalogueError) as caught:
        load_file(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}: no such file"]


def test_a_directory_is_not_a_catalogue(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError) as caught:
        load_file(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory, not a catalogue file"


def test_every_problem_of_a_file_is_reported_at_once(write_yaml: WriteYaml) -> None:
    text = GOOD.replace("2024-05-23", "2024-02-31") + ENTRY.replace("Quy định\n", "Sắc lệnh\n", 1)
    path = write_yaml(text)
    with pytest.raises(CatalogueError) as caught:
        load_file(path)
    lines = [p.line or 0 for p in caught.value.problems]
    assert lines == [4, 8]
    assert [p.message.split(":")[1].strip() for p in caught.value.problems] == [
        "date '2024-02-31' is not a real date",
        "unknown kind 'Sắc lệnh'; known",
    ]
    assert str(caught.value).endswith("(and 1 more problem(s))")


def test_a_valid_snippet_loads(write_yaml: WriteYaml) -> None:
    [document] = load_file(write_yaml(GOOD))
    assert document.number == "148-QĐ/TW"
    assert document.date == dt.date(2024, 5, 23)
    assert document.serial == 148
    assert document.kind_code == "QĐ"
    assert document.issuer_code == "TW"
    assert document.origin is not None
    assert document.origin.line == 2


@pytest.mark.parametrize(
    ("content", "field", "value"),
    [
        (GOOD.replace("'2024-05-23'", "2024-05-23"), "date", dt.date(2024, 5, 23)),
        (GOOD.replace("'2024-05-23'", "null"), "date", None),
        (GOOD.replace("Quy định về thẩm quyền của người đứng đầu", "null"), "title", None),
        (
            GOOD.replace("Bộ Chính trị", unicodedata.normalize("NFD", "Bộ Chính trị")),
            "issuer",
            "Bộ Chính trị",
        ),
        (
            GOOD.replace("148-QĐ/TW", unicodedata.normalize("NFD", "148-QĐ/TW")),
            "number",
            "148-QĐ/TW",
        ),
        ("\ufeff" + GOOD, "number", "148-QĐ/TW"),
    ],
)
def test_lenient_where_harmless(
    write_yaml: WriteYaml, content: str, field: str, value: object
) -> None:
    [document] = load_file(write_yaml(content))
    assert getattr(document, field) == value
    if isinstance(value, str):
        assert unicodedata.is_normalized("NFC", getattr(document, field))


@pytest.mark.parametrize(
    "content",
    [
        "documents: !!seq\n" + ENTRY,
        "documents: !!seq [{number: 148-QĐ/TW, kind: Quy định, date: '2024-05-23', "
        "issuer: Bộ Chính trị, title: null}]\n",
        "documents: [{number: 148-QĐ/TW, kind: Quy định, date: '2024-05-23', "
        "issuer: Bộ Chính trị, title: null}]\n",
        "---\n" + GOOD,
    ],
)
def test_every_list_style_keeps_its_documents(write_yaml: WriteYaml, content: str) -> None:
    """A document is never dropped silently, however its list is written."""
    [document] = load_file(write_yaml(content))
    assert document.number == "148-QĐ/TW"
    assert document.date == dt.date(2024, 5, 23)


def test_parse_catalogue_names_the_file_it_is_given() -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(GOOD.replace("2024-05-23", "2024-13-01"), "mine.yaml")
    assert str(caught.value) == "mine.yaml:4: 148-QĐ/TW: date '2024-13-01' is not a real date"


# --- user catalogues ----------------------------------------------------------------


def test_duplicates_across_files_fail(write_yaml: WriteYaml) -> None:
    shipped = builtin_path().read_text(encoding="utf-8")
    start = shipped.index("  - number: 148-QĐ/TW")
    end = shipped.index("\n\n", start)
    copy = write_yaml("documents:\n" + shipped[start:end] + "\n", "copy.yaml")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue([builtin_path(), copy])
    line = shipped[:start].count("\n") + 1
    assert str(caught.value) == (
        f"{copy}:2: 148-QĐ/TW (2024-05-23) duplicates the entry at {builtin_path()}:{line}"
    )


def test_a_user_catalogue_adds_to_the_builtin(user_catalogue: Path) -> None:
    catalogue = load_catalogue(Sources(paths=(user_catalogue,)).resolve())
    assert len(catalogue) == 18
    assert [d.date and d.date.isoformat() for d in catalogue.by_number("35-CT/TW")] == [
        "2024-06-14",
        "2019-05-30",
    ]


def test_no_builtin_uses_the_users_catalogues_alone(user_catalogue: Path) -> None:
    catalogue = load_catalogue(Sources(paths=(user_catalogue,), builtin=False).resolve())
    assert sorted(d.number for d in catalogue) == ["18-NQ/TW", "35-CT/TW"]
    assert lookup(catalogue, "148-QĐ/TW").status is Status.NOT_FOUND


def test_no_catalogue_at_all_is_an_error() -> None:
    with pytest.raises(CatalogueError, match="no catalogue"):
        load_catalogue(Sources(builtin=False).resolve())


def test_env_paths_split_on_os_pathsep(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    monkeypatch.setenv(ENV_VAR, f"{one}{os.pathsep}{os.pathsep}{two}{os.pathsep}")
    assert env_paths() == [one, two]
    assert Sources().resolve() == [builtin_path(), one, two]
    assert Sources(use_env=False).resolve() == [builtin_path()]
    assert env_paths("") == []


@pytest.fixture
def two_user_files(write_yaml: WriteYaml) -> tuple[Path, Path]:
    first = write_yaml(
        GOOD.replace("148-QĐ/TW", "501-QĐ/TW").replace("thẩm quyền", "thứ nhất"), "first.yaml"
    )
    second = write_yaml(
        GOOD.replace("148-QĐ/TW", "502-QĐ/TW").replace("thẩm quyền", "thứ hai"), "second.yaml"
    )
    return first, second


def _found(cli: Cli, args: list[str], env: dict[str, str] | None = None) -> tuple[list[str], int]:
    """Which of 501-QĐ/TW, 502-QĐ/TW and 148-QĐ/TW the CLI finds, and its exit code."""
    queries = ["501-QĐ/TW", "502-QĐ/TW", "148-QĐ/TW"]
    result = cli("lookup", *queries, "--format", "tsv", *args, env=env)
    assert "Traceback" not in result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == queries
    return [row[0] for row in rows if row[1] == "found"], result.exit_code


def test_cli_catalogue_option_is_repeatable(cli: Cli, two_user_files: tuple[Path, Path]) -> None:
    first, second = two_user_files
    both = ["--catalogue", str(first), "-c", str(second)]
    assert _found(cli, both) == (["501-QĐ/TW", "502-QĐ/TW", "148-QĐ/TW"], 0)
    assert _found(cli, ["--catalogue", str(first)]) == (["501-QĐ/TW", "148-QĐ/TW"], 1)


def test_cli_reads_citekit_catalogue(cli: Cli, two_user_files: tuple[Path, Path]) -> None:
    first, second = two_user_files
    env = {ENV_VAR: f"{first}{os.pathsep}{second}"}
    assert _found(cli, [], env) == (["501-QĐ/TW", "502-QĐ/TW", "148-QĐ/TW"], 0)


def test_cli_combines_env_and_option(cli: Cli, two_user_files: tuple[Path, Path]) -> None:
    first, second = two_user_files
    env = {ENV_VAR: str(first)}
    assert _found(cli, ["-c", str(second)], env) == (
        ["501-QĐ/TW", "502-QĐ/TW", "148-QĐ/TW"],
        0,
    )


def test_cli_no_builtin(cli: Cli, two_user_files: tuple[Path, Path]) -> None:
    first, second = two_user_files
    args = ["--no-builtin", "-c", str(first), "-c", str(second)]
    assert _found(cli, args) == (["501-QĐ/TW", "502-QĐ/TW"], 1)
    assert _found(cli, ["--no-builtin"], {ENV_VAR: str(first)}) == (["501-QĐ/TW"], 1)


def test_cli_no_builtin_and_no_catalogue(cli: Cli) -> None:
    result = cli("lookup", "148-QĐ/TW", "--no-builtin")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no catalogue" in result.stderr


def test_an_invalid_user_catalogue_stops_the_cli(cli: Cli, write_yaml: WriteYaml) -> None:
    bad = write_yaml(GOOD.replace("2024-05-23", "2024-02-31"))
    result = cli("lookup", "148-QĐ/TW", "-c", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"citekit: error: {bad}:4: 148-QĐ/TW: date '2024-02-31' is not a real date\n"
    )


def test_the_user_catalogue_fixture_is_valid(user_catalogue: Path) -> None:
    documents = load_file(user_catalogue)
    assert [(d.number, d.date) for d in documents] == [
        ("35-CT/TW", dt.date(2019, 5, 30)),
        ("18-NQ/TW", dt.date(2017, 10, 25)),
    ]


def test_catalogue_type(builtin: Catalogue) -> None:
    assert len(builtin) == builtin_size()
    assert [d.number for d in builtin] == [ref.number for ref in REFERENCE]
    assert builtin.numbers() == [ref.number for ref in REFERENCE]
    assert [d.number for d in builtin.by_serial(148)] == ["148-QĐ/TW"]
    assert builtin.by_number("148-QD/TW") == []


_RESTS = [
    "-QĐ/TW", "-CT/TW", "-NQ/TW", "-KL/BTCTW", "-HD/BTCTW", "-KH/TU", "-QĐ/TW ", "-qd/tw",
    " QĐ/TW", "/QĐ-TW", "-QĐ/TƯ", "/2024/NĐ-CP", "/2014/QH13", "/QĐ-TTg", "/2024/TT-BTC",
    "-TB/CQTTBCĐ", "-CV/VPTW", "/0020/NĐ-CP", "-QĐ", "/TW", "-QĐTW", "-XX/TW", "", "-",
]  # fmt: skip
"""The rest of a number after its serial: Party and State shapes, typos, non-numbers."""


@given(
    serials=st.lists(st.from_regex("[0-9]{1,7}", fullmatch=True), min_size=2, max_size=6),
    rest=st.sampled_from(_RESTS),
)
def test_a_number_read_by_its_shape_reads_as_parse_number_reads_it(
    serials: list[str], rest: str
) -> None:
    """The loader parses each shape of number once (`_parsed_number`), then reuses it for
    every serial of as many digits: the same as parsing each number."""
    from citekit.docnumber import parse_number
    from citekit.loading import Shapes, _parsed_number

    shapes: Shapes = {}
    for serial in serials:
        number = serial + rest
        assert _parsed_number(number, shapes) == parse_number(number)


def test_every_shipped_number_reads_as_parse_number_reads_it(everything: list[Document]) -> None:
    from citekit.docnumber import parse_number
    from citekit.loading import Shapes, _parsed_number

    numbers = [d.number for d in everything] + [
        r.target for d in everything for r in d.relations if r.target
    ]
    shapes: Shapes = {}
    assert [_parsed_number(n, shapes) for n in numbers] == list(map(parse_number, numbers))
    assert len(shapes) < len(numbers) // 4  # the memo is what is being tested
