"""Lookup: order of confidence, never a different serial, ambiguity, title search."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from citekit.catalogue import Catalogue, builtin_path, load_catalogue
from citekit.citation import subject, vn_date
from citekit.errors import CitekitError, UsageError
from citekit.matching import MatchKind, Status, search
from citekit.model import Document
from citekit.queries import lookup

WriteYaml = Callable[..., Path]
CATALOGUE = load_catalogue([builtin_path()])
SERIALS = {d.serial for d in CATALOGUE}


@pytest.mark.parametrize(
    ("query", "number", "match"),
    [
        ("148-QĐ/TW", "148-QĐ/TW", MatchKind.EXACT),
        ("09-KL/BTCTW", "09-KL/BTCTW", MatchKind.EXACT),
        ("148 qd tw", "148-QĐ/TW", MatchKind.NORMALIZED),
        ("9-KL/BTCTW", "09-KL/BTCTW", MatchKind.NORMALIZED),
        ("148/QĐ-TW", "148-QĐ/TW", MatchKind.NORMALIZED),
        ("Quy định 148", "148-QĐ/TW", MatchKind.PARTIAL),
        ("35-CT", "35-CT/TW", MatchKind.PARTIAL),
        ("212", "212-QĐ/TW", MatchKind.PARTIAL),
        ("QĐ 148", "148-QĐ/TW", MatchKind.PARTIAL),
        ("chuyen gia cao cap", "180-QĐ/TW", MatchKind.TITLE),
        ("CHUYÊN GIA CAO CẤP", "180-QĐ/TW", MatchKind.TITLE),
        ("chuyen gia cao cpa", "180-QĐ/TW", MatchKind.TITLE),
        ("chuyên gia cao cấp", "180-QĐ/TW", MatchKind.TITLE),
        (unicodedata.normalize("NFD", "chuyên gia cao cấp"), "180-QĐ/TW", MatchKind.TITLE),
        ("tham quyen cua nguoi dung dau", "148-QĐ/TW", MatchKind.TITLE),
        ("bao ve chinh tri noi bo", "39-CT/TW", MatchKind.TITLE),
        ("bảo vệ chính trị nội bộ", "39-CT/TW", MatchKind.TITLE),
        ("bao ve chinh tri noi bi", "39-CT/TW", MatchKind.TITLE),
        ("tổng biên chế của hệ thống chính trị", "71-QĐ/TW", MatchKind.TITLE),
        ("2022 - 2026 tổng biên chế của hệ thống chính trị", "71-QĐ/TW", MatchKind.TITLE),
        ("Hướng dẫn một số nội dung Chỉ thị số 35-CT/TW", "27-HD/BTCTW", MatchKind.TITLE),
    ],
)
def test_order_of_confidence(query: str, number: str, match: MatchKind) -> None:
    result = lookup(CATALOGUE, query)
    assert result.status is Status.FOUND
    assert result.query == query
    [found] = result.matches
    assert found.document.number == number
    assert found.match is match
    assert 0 <= found.score <= 100


def test_scores_fall_with_confidence() -> None:
    scores = [
        lookup(CATALOGUE, query).matches[0].score
        for query in ("148-QĐ/TW", "148 qd tw", "Quy định 148")
    ]
    assert scores[0] == scores[1] == 100
    assert scores[2] < 100


def test_a_title_match_with_a_typo_scores_below_an_exact_one() -> None:
    clean = lookup(CATALOGUE, "chuyen gia cao cap").matches[0]
    typo = lookup(CATALOGUE, "chuyen gia cao cpa").matches[0]
    assert clean.score == 100
    assert 0 < typo.score < clean.score


@pytest.mark.parametrize("query", ["149-QĐ/TW", "148-NQ/TW", "14-QĐ/TW", "1480-QĐ/TW"])
def test_a_different_serial_is_never_a_match(query: str) -> None:
    result = lookup(CATALOGUE, query)
    assert result.status is Status.NOT_FOUND
    assert result.matches == ()
    assert all(0 <= s.score <= 100 for s in result.suggestions)


@pytest.mark.parametrize("query", ["149-QĐ/TW", "148-NQ/TW"])
def test_148_may_be_offered_as_a_suggestion(query: str) -> None:
    result = lookup(CATALOGUE, query)
    assert result.suggestions[0].document.number == "148-QĐ/TW"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("149", Status.NOT_FOUND),
        ("149-QĐ", Status.NOT_FOUND),
        ("QĐ 149", Status.NOT_FOUND),
        ("Quy định 149", Status.NOT_FOUND),
        ("Quy định số 149-QĐ/TW", Status.NOT_FOUND),
        ("148-CT", Status.NOT_FOUND),
        ("148-QĐ/BTCTW", Status.NOT_FOUND),
        ("35-QĐ/TW", Status.NOT_FOUND),
        ("Chỉ thị 148", Status.NOT_FOUND),
        ("Quyết định 148", Status.NOT_FOUND),
        ("Kết luận 35", Status.NOT_FOUND),
    ],
)
def test_numbers_that_disagree_with_every_document(query: str, status: Status) -> None:
    result = lookup(CATALOGUE, query)
    assert result.status is status
    assert result.matches == ()


@pytest.mark.parametrize(
    "query",
    [
        "149-QĐ/TW về chuyên gia cao cấp",
        "Quy định 149 về chuyên gia cao cấp",
        "Quy định số 149-QĐ/TW ngày 11-7-2024 của Ban Bí thư về chuyên gia cao cấp",
        "Số 181 về chuyên gia cao cấp",
        "181-QĐ chuyên gia cao cấp",
    ],
)
def test_a_title_never_overrides_a_different_serial(query: str) -> None:
    """A pasted citation with a wrong number is not found; the title only suggests."""
    result = lookup(CATALOGUE, query)
    assert result.status is Status.NOT_FOUND
    assert "180-QĐ/TW" in [s.document.number for s in result.suggestions]


@pytest.mark.parametrize(
    "query",
    [
        "Quy định số 180-QĐ/TW ngày 11-7-2024 của Ban Bí thư về chuyên gia cao cấp",
        "Quy định 180 về chuyên gia cao cấp",
        "180-QĐ/TW về chuyên gia cao cấp",
    ],
)
def test_a_title_with_its_own_number_is_found(query: str) -> None:
    result = lookup(CATALOGUE, query)
    assert result.status is Status.FOUND
    assert result.matches[0].document.number == "180-QĐ/TW"


def _serial_forms(document: Document, serial: int) -> list[str]:
    """Ways to write `document`'s number with its serial replaced by `serial`.

    The last two are pasted citations, number then title: title search must not
    override the number.
    """
    code, issuer, kind = document.kind_code, document.issuer_code, document.kind.value
    number = f"{serial:02d}-{code}/{issuer}"
    forms = [
        number,
        number.lower(),
        f"{serial} {code} {issuer}",
        f"{serial}/{code}-{issuer}",
        f"0{serial}-{code}/{issuer}",
        f"Số {number}",
        f"{kind} {serial}",
        f"{kind} số {number}",
        f"{code} {serial}",
        f"{serial}-{code}",
        str(serial),
    ]
    about = subject(document)
    if about:
        when = f" ngày {vn_date(document.date)}" if document.date else ""
        forms.append(f"{kind} số {number}{when} của {document.issuer} {about}")
        forms.append(f"{number} {document.title}")
    return forms


FORMS = st.integers(min_value=0, max_value=12)


@given(st.integers(min_value=0, max_value=99_999), st.sampled_from(CATALOGUE.documents), FORMS)
def test_a_query_never_matches_a_document_with_a_different_serial(
    serial: int, document: Document, form: int
) -> None:
    assume(serial not in SERIALS)
    forms = _serial_forms(document, serial)
    query = forms[form % len(forms)]
    result = lookup(CATALOGUE, query)
    assert result.status is Status.NOT_FOUND, (query, result.matches)
    assert result.matches == ()


@given(st.sampled_from(CATALOGUE.documents), FORMS)
def test_the_same_forms_with_the_real_serial_find_the_document(
    document: Document, form: int
) -> None:
    forms = _serial_forms(document, document.serial)
    query = forms[form % len(forms)]
    result = lookup(CATALOGUE, query)
    assert result.status is Status.FOUND, query
    assert result.matches[0].document.number == document.number


def test_several_plausible_titles_are_ambiguous() -> None:
    result = lookup(CATALOGUE, "quy che lam viec mau")
    assert result.status is Status.AMBIGUOUS
    assert sorted(m.document.number for m in result.matches) == [
        "143-QĐ/TW",
        "147-QĐ/TW",
        "179-QĐ/TW",
    ]
    assert all(m.match is MatchKind.TITLE for m in result.matches)
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert not {m.document.number for m in result.suggestions} & {
        m.document.number for m in result.matches
    }


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("35-CT/TW", MatchKind.EXACT),
        ("35 ct tw", MatchKind.NORMALIZED),
        ("Chỉ thị số 35-CT/TW", MatchKind.NORMALIZED),
        ("35-CT", MatchKind.PARTIAL),
        ("Chỉ thị 35", MatchKind.PARTIAL),
        ("35", MatchKind.PARTIAL),
    ],
)
def test_one_number_two_documents_is_ambiguous_newest_first(
    two_terms: Catalogue, query: str, match: MatchKind
) -> None:
    result = lookup(two_terms, query)
    assert result.status is Status.AMBIGUOUS
    assert [
        (m.document.number, m.document.date and m.document.date.isoformat()) for m in result.matches
    ] == [
        ("35-CT/TW", "2024-06-14"),
        ("35-CT/TW", "2019-05-30"),
    ]
    assert {m.match for m in result.matches} == {match}


def test_newest_first_within_one_year(write_yaml: WriteYaml) -> None:
    """Serials restart with a term, so one number can recur within a congress year."""
    user = write_yaml(
        """documents:
  - number: 35-CT/TW
    kind: Chỉ thị
    date: '2024-01-10'
    issuer: Bộ Chính trị
    title: null
  - number: 35-CT/TW
    kind: Chỉ thị
    date: '2024-12-01'
    issuer: Bộ Chính trị
    title: null
"""
    )
    catalogue = load_catalogue([builtin_path(), user])
    result = lookup(catalogue, "35-CT/TW")
    assert [m.document.date.isoformat() for m in result.matches if m.document.date] == [
        "2024-12-01",
        "2024-06-14",
        "2024-01-10",
    ]


def test_a_partial_number_naming_two_documents_is_ambiguous(write_yaml: WriteYaml) -> None:
    user = write_yaml(
        """documents:
  - number: 148-NQ/TW
    kind: Nghị quyết
    date: '2010-01-01'
    issuer: Ban Chấp hành Trung ương
    title: null
"""
    )
    catalogue = load_catalogue([builtin_path(), user])
    assert lookup(catalogue, "148").status is Status.AMBIGUOUS
    assert {m.document.number for m in lookup(catalogue, "148").matches} == {
        "148-QĐ/TW",
        "148-NQ/TW",
    }
    for query, number in [
        ("148-QĐ", "148-QĐ/TW"),
        ("Quy định 148", "148-QĐ/TW"),
        ("148-NQ", "148-NQ/TW"),
        ("Nghị quyết 148", "148-NQ/TW"),
        ("148-NQ/TW", "148-NQ/TW"),
    ]:
        result = lookup(catalogue, query)
        assert result.status is Status.FOUND, query
        assert result.matches[0].document.number == number


def test_the_user_catalogue_adds_findable_documents(two_terms: Catalogue) -> None:
    result = lookup(two_terms, "18-NQ/TW")
    assert result.status is Status.FOUND
    assert result.matches[0].document.issuer == "Ban Chấp hành Trung ương"
    assert lookup(CATALOGUE, "18-NQ/TW").status is Status.NOT_FOUND


@pytest.mark.parametrize("query", ["", " ", "\t\n", "   \u00a0 ", "\x00", "\x1b\x07"])
def test_an_empty_query_is_a_usage_error(query: str) -> None:
    with pytest.raises(UsageError, match="empty query") as caught:
        lookup(CATALOGUE, query)
    assert isinstance(caught.value, CitekitError)
    assert caught.value.exit_code == 2


def test_search_ranks_titles_with_scores() -> None:
    ranked = search(CATALOGUE, "chuyen gia cao cap", limit=5)
    assert len(ranked) == 5
    assert ranked[0].document.number == "180-QĐ/TW"
    assert ranked[0].score == 100
    scores = [m.score for m in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 100 for s in scores)
    assert all(m.match is MatchKind.TITLE for m in ranked)


@pytest.mark.parametrize("limit", [1, 3, 12])
def test_search_limit(limit: int) -> None:
    assert len(search(CATALOGUE, "quy dinh", limit=limit)) == limit


def test_search_leaves_out_documents_without_a_title() -> None:
    numbers = [m.document.number for m in search(CATALOGUE, "quy dinh", limit=100)]
    assert len(numbers) == len(CATALOGUE) - 1
    assert "09-KL/BTCTW" not in numbers


def test_search_finds_words_that_are_not_side_by_side() -> None:
    assert search(CATALOGUE, "boi duong kien thuc", limit=1)[0].document.number == "145-QĐ/TW"


@pytest.mark.parametrize("text", ["", "  ", "!!!", "–"])
def test_an_empty_search_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="empty search"):
        search(CATALOGUE, text)


def test_a_query_too_short_for_titles_only_suggests() -> None:
    result = lookup(CATALOGUE, "ve")
    assert result.status is Status.NOT_FOUND
    assert result.matches == ()


def _words_by_regex(text: str) -> str:
    """fold_words as first written: fold, then every run of non-word characters (and
    "_") one space. The one-pass table must say the same of every character."""
    import re

    from citekit.folding import fold, nfc

    return re.sub(r"[\W_]+", " ", fold(nfc(text))).strip()


@pytest.mark.parametrize(
    "plane",
    [range(0x10000), pytest.param(range(0x10000, 0x110000), marks=pytest.mark.slow)],
    ids=["basic plane", "other planes"],
)
def test_fold_words_agrees_with_the_regex_on_every_character(plane: range) -> None:
    from citekit.folding import fold_words

    differ = [
        hex(code)
        for code in plane
        if not 0xD800 <= code < 0xE000
        and fold_words(f"a{chr(code)}b") != _words_by_regex(f"a{chr(code)}b")
    ]
    assert differ == []


@given(st.text(max_size=60))
def test_fold_words_agrees_with_the_regex_on_any_text(text: str) -> None:
    from citekit.folding import fold_words

    assert fold_words(text) == _words_by_regex(text)


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Quy định về  công tác   cán bộ", "quy dinh ve cong tac can bo"),
        ("  (sửa đổi, bổ sung) — khóa XIII.", "sua doi bo sung khoa xiii"),
        ("snake_case_word", "snake case word"),
        ("Đảng\u00a0bộ\ttỉnh\n", "dang bo tinh"),
    ],
)
def test_fold_words_keeps_words_one_space_apart(title: str, words: str) -> None:
    from citekit.folding import fold_words

    assert fold_words(title) == words
