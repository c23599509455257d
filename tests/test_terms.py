"""One rule picks the term a number plus a date names, for `lookup` and `check` alike."""

from __future__ import annotations

import datetime as dt

import pytest

from citekit.catalogue import Catalogue
from citekit.checking import resolve
from citekit.matching import Status
from citekit.queries import lookup
from citekit.scanning import scan
from citekit.terms import CONGRESS_CLOSED, Choice, choose, term_of

Y2019 = dt.date(2019, 5, 30)
Y2024 = dt.date(2024, 6, 14)


# (pasted citation, preferred date or None, certain)
CASES = [
    ("Chỉ thị số 35-CT/TW ngày 30-5-2019 của Bộ Chính trị", Y2019, True),
    ("Chỉ thị số 35-CT/TW ngày 14-6-2024 của Bộ Chính trị", Y2024, True),
    # No document of that date; the date's term holds one: preferred, not certain.
    ("Chỉ thị số 35-CT/TW ngày 1-3-2019 của Bộ Chính trị", Y2019, False),
    ("Chỉ thị số 35-CT/TW ngày 30-5-2020 của Bộ Chính trị", Y2019, False),
    ("Chỉ thị số 35-CT/TW ngày 16-4-2024 của Bộ Chính trị", Y2024, False),
    ("Chỉ thị số 35-CT/TW ngày 1-6-2021 của Bộ Chính trị", Y2024, False),  # term XIII
    # Neither term: the newest, not certain.
    ("Chỉ thị số 35-CT/TW ngày 1-3-2010 của Bộ Chính trị", None, False),
    ("Chỉ thị số 35-CT/TW của Bộ Chính trị", None, False),
]


@pytest.mark.parametrize(("text", "preferred", "certain"), CASES)
def test_lookup_and_check_agree_on_the_term(
    two_terms: Catalogue, text: str, preferred: dt.date | None, certain: bool
) -> None:
    result = lookup(two_terms, text)
    [citation] = scan(text)
    resolution = resolve(two_terms, citation)
    assert resolution.document is not None
    assert resolution.confident is certain
    assert result.status is (Status.FOUND if certain else Status.AMBIGUOUS)
    assert result.matches[0].document == resolution.document
    assert resolution.document.date == (preferred or Y2024)
    if not certain:
        assert {m.document.date for m in result.matches} == {Y2019, Y2024}


def test_a_bare_serial_takes_only_a_preferred_document(two_terms: Catalogue) -> None:
    [in_term] = scan("Chỉ thị 35 ngày 1-6-2019")
    resolution = resolve(two_terms, in_term)
    assert resolution.document is not None
    assert resolution.document.date == Y2019
    assert resolution.confident is False
    [undated] = scan("Chỉ thị 35 đã được quán triệt.")
    assert resolve(two_terms, undated).document is None


def test_one_candidate_is_certain_whatever_the_date(two_terms: Catalogue) -> None:
    [citation] = scan("Quy định số 148-QĐ/TW ngày 1-1-2001 của Bộ Chính trị")
    assert resolve(two_terms, citation).confident is True
    assert lookup(two_terms, "Quy định số 148-QĐ/TW ngày 1-1-2001").status is Status.FOUND


def test_without_a_date_none_is_preferred_and_the_newest_leads(two_terms: Catalogue) -> None:
    choice = choose(two_terms.by_number("35-CT/TW"), None)
    assert (choice.preferred, choice.confident) == (None, False)
    assert [d.date for d in choice.documents] == [Y2024, Y2019]
    assert choose([], Y2019) == Choice((), None, confident=False)


@pytest.mark.parametrize(
    ("date", "term"),
    [
        (dt.date(1990, 1, 1), 0),
        (dt.date(2016, 1, 27), 4),
        (dt.date(2016, 1, 28), 5),  # the closing day opens the new term
        (dt.date(2021, 1, 31), 5),
        (dt.date(2021, 2, 1), 6),
        (dt.date(2030, 1, 1), len(CONGRESS_CLOSED)),
    ],
)
def test_term_boundaries(date: dt.date, term: int) -> None:
    assert term_of(date) == term
