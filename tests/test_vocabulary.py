"""The one vocabulary, and proof that every table derived from it agrees with it.

Each test derives one consumer's view (parser, scanner, loader, folding, benchmark
generator) from `citekit.vocabulary` and checks it against the vocabulary itself, so a
kind, code or issuer added there is seen everywhere or fails here.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest

from citekit import regexes, spellings
from citekit.docnumber import Form, parse_number
from citekit.folding import fold
from citekit.loading import parse_catalogue
from citekit.scanning import scan
from citekit.vocabulary import D_LIKE, DASHES, ISSUERS, PARTY_CODES, STATE_CODES, Family, Kind

CODES = [spec.code for spec in PARTY_CODES]
ISSUER_CODES = sorted({issuer.code for issuer in ISSUERS if issuer.family is Family.PARTY})
STATE_ISSUERS = sorted({issuer.code for issuer in ISSUERS if issuer.family is Family.STATE})
PARTY_KINDS = [kind for kind in Kind if kind.codes]
STATE_KINDS = [kind for kind in Kind if not kind.codes]
NAMED = [
    (name, issuer.name)
    for issuer in ISSUERS
    if issuer.name
    for name in (issuer.name, *issuer.aliases)
]


def test_every_code_has_a_kind_and_no_code_is_listed_twice() -> None:
    assert all(spec.kinds for spec in (*PARTY_CODES, *STATE_CODES))
    assert len(set(CODES)) == len(CODES)
    state = [spec.code for spec in STATE_CODES]
    assert len(set(state)) == len(state)


@pytest.mark.parametrize(
    "words",
    [spellings.KIND_WORDS, spellings.PARTY_CODE_WORDS, spellings.ISSUER_NAME_WORDS],
    ids=["kind words", "codes", "issuer names"],
)
def test_alternations_try_longer_spellings_first(words: tuple[str, ...]) -> None:
    for i, earlier in enumerate(words):
        for later in words[i + 1 :]:
            assert not later.startswith(earlier) or later == earlier, (earlier, later)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("issuer", ISSUER_CODES)
def test_the_parser_spells_every_code_and_issuer_as_the_vocabulary(code: str, issuer: str) -> None:
    number = f"12-{code}/{issuer}"
    assert parse_number(number).canonical == number  # type: ignore[union-attr]
    typed = f"12 {fold(code)} {fold(issuer)}"  # accents and case lost, as people type
    assert parse_number(typed).canonical == number  # type: ignore[union-attr]


def _state_number(kind: Kind) -> str:
    """A State number of this kind: "12/2024/NĐ-CP", or a law's "12/2024/QH15"."""
    return f"12/2024/{kind.state_codes[0]}-CP" if kind.state_codes else "12/2024/QH15"


@pytest.mark.parametrize("kind", STATE_KINDS)
def test_the_parser_and_scanner_read_every_state_kind_word(kind: Kind) -> None:
    parsed = parse_number(f"{kind.value} 12")
    assert parsed is not None
    assert (parsed.kind, parsed.form) == (kind, Form.PARTIAL)
    number = _state_number(kind)
    assert parse_number(number).canonical == number  # type: ignore[union-attr]
    (found,) = scan(f"Theo {kind.value} số {number}, các cơ quan.")
    assert (found.kind, found.written, found.number.form) == (kind, number, Form.STATE)


@pytest.mark.parametrize("code", [spec.code for spec in STATE_CODES])
@pytest.mark.parametrize("issuer", STATE_ISSUERS)
def test_state_codes_and_issuers_round_trip(code: str, issuer: str) -> None:
    number = f"05/2023/{code}-{issuer}"
    assert parse_number(number).canonical == number  # type: ignore[union-attr]
    (found,) = scan(f"Căn cứ {number} và các văn bản khác.")
    assert found.number.canonical == number


@pytest.mark.parametrize("kind", PARTY_KINDS)
def test_the_parser_and_scanner_read_every_kind_word(kind: Kind) -> None:
    parsed = parse_number(f"{kind.value} 12")
    assert parsed is not None
    assert (parsed.kind, parsed.form) == (kind, Form.PARTIAL)
    number = f"12-{kind.codes[0]}/TW"
    (found,) = scan(f"Theo {kind.value} số {number}, các cấp ủy.")
    assert (found.kind, found.written, found.number.canonical) == (kind, number, number)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("issuer", ISSUER_CODES)
def test_the_scanner_finds_every_code_and_issuer(code: str, issuer: str) -> None:
    number = f"7-{code}/{issuer}"
    (found,) = scan(f"Căn cứ {number} và các văn bản khác.")
    assert found.number.canonical == f"07-{code}/{issuer}"


@pytest.mark.parametrize(("written", "name"), NAMED)
def test_the_scanner_reads_every_issuer_name(written: str, name: str) -> None:
    (found,) = scan(f"Quy định số 148-QĐ/TW ngày 23-5-2024 của {written} về cán bộ.")
    assert found.issuer == name


@pytest.mark.parametrize("code", [spec.code for spec in PARTY_CODES if spec.leads])
def test_leading_codes_lead_a_serial(code: str) -> None:
    (found,) = scan(f"Thực hiện {code} 148, các chi bộ.")
    assert (found.bare, found.number.serial, found.number.code) == (True, 148, code)


@pytest.mark.parametrize("kind", list(Kind))
def test_the_loader_accepts_every_kind(kind: Kind) -> None:
    number = f"05-{kind.codes[0]}/TW" if kind.codes else _state_number(kind)
    text = (
        "schema: 1\ndocuments:\n"
        f"  - number: {number}\n    kind: {kind.value}\n"
        "    date: '2024-01-02'\n    issuer: Bộ Chính trị\n    title: null\n"
    )
    (document,) = parse_catalogue(text, "vocabulary.yaml")
    assert document.kind is kind


@pytest.mark.parametrize("dash", DASHES)
def test_every_dash_folds_and_separates(dash: str) -> None:
    assert fold(dash) == "-"
    assert dash in regexes.SERIAL_SEPARATORS
    assert re.fullmatch(f"[{regexes.DASH_CLASS}]", dash)
    (found,) = scan(f"Căn cứ 148{dash}QĐ/TW.")
    assert found.number.canonical == "148-QĐ/TW"


@pytest.mark.parametrize("letter", D_LIKE)
def test_every_d_like_letter_folds_to_d(letter: str) -> None:
    assert fold(letter) == "d"


def test_the_benchmark_generator_uses_the_vocabulary() -> None:
    path = Path(__file__).parent.parent / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    for entry in module.documents(300):
        parsed = parse_number(str(entry["number"]))
        assert parsed is not None
        assert parsed.canonical == entry["number"]
        assert parsed.code in Kind(entry["kind"]).codes
        assert parsed.issuer in ISSUER_CODES
