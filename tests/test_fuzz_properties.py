"""Properties of the parser, the scanner and the catalogue loader under arbitrary input.

Issue 5: nothing is raised but citekit's own errors, and time grows linearly with the
input. The atheris harness in fuzz/ searches the same properties for as long as it is
left to run; these run in CI, derandomised (see conftest.py: HYPOTHESIS_PROFILE=explore
searches longer).
"""

from __future__ import annotations

import math
import random
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from citekit.catalogue import Catalogue
from citekit.docnumber import DocNumber, normalize_number, parse_number
from citekit.drafts import Draft, decode
from citekit.errors import CatalogueError, CitekitError, InputError, UsageError
from citekit.findings import check_draft
from citekit.loading import parse_catalogue
from citekit.matching import Status
from citekit.queries import lookup
from citekit.scanning import scan

ROOT = Path(__file__).resolve().parents[1]
BUILTIN_TEXT = (ROOT / "data" / "documents.yaml").read_text(encoding="utf-8")

LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE = LOWER + LOWER.upper()
PIECES = st.sampled_from(
    [
        *VIETNAMESE,
        *"0123456789",
        *" \n\r\t.,;:()",
        *"-/‐‑‒–—―−",  # every dash the folder knows
        "\u0300",
        "\u0301",
        "\u0303",
        "\u0309",
        "\u0323",  # combining tone marks: NFD text
        "０",
        "９",
        "Quy định ",
        "Quyết định ",
        "Chỉ thị ",
        "Kết luận ",
        "Hướng dẫn ",
        "số ",
        "Số: ",
        "ngày ",
        "tháng ",
        "năm ",
        " của ",
        "Bộ Chính trị",
        "Ban Bí thư",
        "Ban Tổ chức Trung ương",
        " khóa XIII",
        "QĐ",
        "QD",
        "CT",
        "KL",
        "HD",
        "TW",
        "BTCTW",
        "-QĐ/TW",
        "/QĐ-TW",
        "/2020/NĐ-CP",
        "148",
        "2024",
        "23-5-2024",
        "citekit: ignore",
    ]
)
CITATIONISH = st.lists(PIECES, max_size=60).map("".join)
ANY_TEXT = st.one_of(CITATIONISH, st.text(max_size=200))


@given(ANY_TEXT)
@example("30/0020/NĐ-CP")  # found by fuzz/: its year printed as "20" did not parse back
@example("30/0000/NĐ-CP")
def test_parse_number_returns_a_number_or_none(text: str) -> None:
    parsed = parse_number(text)
    assert parsed is None or isinstance(parsed, DocNumber)
    normalized = normalize_number(text)
    assert normalized is None or normalize_number(normalized) == normalized


@given(ANY_TEXT)
def test_scan_finds_citations_within_the_text_in_order(raw: str) -> None:
    text = unicodedata.normalize("NFC", raw)
    previous_end = 0
    for citation in scan(text):
        start, end = citation.span
        assert previous_end <= start < end <= len(text)
        assert citation.written == text[start:end]
        assert citation.number.serial >= 0
        for part in (citation.date_span, citation.issuer_span):
            if part is not None:
                assert end <= part.start < part.end <= len(text)
        previous_end = end


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue(parse_catalogue(BUILTIN_TEXT, "documents.yaml"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(CITATIONISH.map(str.encode), st.binary(max_size=300)))
def test_any_bytes_as_a_draft_are_checked_or_refused(catalogue: Catalogue, data: bytes) -> None:
    """Decoded and checked, or refused with an InputError; every finding on a real line."""
    try:
        draft = decode(data, "d.md")
    except InputError:
        return
    assert isinstance(draft, Draft)
    report = check_draft(draft, catalogue)
    lines = draft.raw.split("\n")
    for finding in report.findings:
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert 1 <= finding.column <= len(lines[finding.line - 1])
        if finding.edit is not None:
            assert draft.raw[finding.edit.start : finding.edit.end] == finding.found


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ANY_TEXT)
def test_any_query_gets_an_answer(catalogue: Catalogue, query: str) -> None:
    try:
        result = lookup(catalogue, query)
    except UsageError:
        return  # an empty query
    assert (len(result.matches) == 1) is (result.status is Status.FOUND)


def _refusal(text: str, name: str = "c.yaml") -> CatalogueError | None:
    """The CatalogueError loading `text` raises, or None if it loads; nothing else."""
    try:
        parse_catalogue(text, name)
    except CatalogueError as exc:
        return exc
    return None


def _assert_one_line_naming(refusal: CatalogueError | None, name: str) -> None:
    if refusal is not None:
        assert refusal.problems
        assert all(problem.path == name for problem in refusal.problems)
        assert str(refusal).startswith(name)
        assert str(refusal).isprintable()


@given(st.text(max_size=300))
def test_the_loader_raises_only_catalogue_errors_on_any_text(text: str) -> None:
    _assert_one_line_naming(_refusal(text), "c.yaml")


# Mutations of the real catalogue: what an editor slip or a hostile hand might do to it.
TOKENS = [
    "\t",
    " ",
    "\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.mkdir ['x']",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!int ",
    "!local ",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "? ",
    "'",
    '"',
    "#",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\ufeff",
    "\0",
    "\x85",
    "\u2028",
    "2024-02-30",
    "null",
    "~",
    "yes",
    "0x1F",
    ".inf",
    "\\",
    "²⁰²⁴",
    "9" * 5000,
    "٢٠٢٤",
    "QĐ",
    "Đ",
    "\u0301",
    "documents:",
    "number: 148-QĐ/TW",
    "date: ",
    "misprints: [{field: date, printed: x, where: y}]",
]


@st.composite
def mutated(draw: st.DrawFn, text: str = BUILTIN_TEXT) -> str:
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "copy-line", "drop-line"]))
        if operation == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif operation == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=40)) :]
        elif operation == "replace":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at + 1 :]
        else:
            lines = text.split("\n")
            index = min(text.count("\n", 0, at), len(lines) - 1)
            if operation == "copy-line":
                lines.insert(draw(st.integers(min_value=0, max_value=len(lines))), lines[index])
            else:
                del lines[index]
            text = "\n".join(lines)
    return text


@given(mutated())
def test_the_loader_raises_only_catalogue_errors_on_a_mutated_catalogue(text: str) -> None:
    _assert_one_line_naming(_refusal(text, "documents.yaml"), "documents.yaml")


FIELDS = ["number", "kind", "date", "year", "issuer", "title", "verified", "sources", "note"]
FIELDS += ["cited", "misprints", "relations", "by", "sentence", "field", "printed", "where"]
FIELDS += ["type", "target", "schema", "source", "documents"]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(
        [
            *("148-QĐ/TW", "148 qd tw", "Quy định", "Chỉ thị", "2024-05-23", "2024-02-30"),
            *("²⁰²⁴", "2024", "Bộ Chính trị", "date", "guides", "35-CT/TW", "number", "", " "),
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=6), inner, max_size=5)
    ),
    max_leaves=12,
)


@given(
    st.dictionaries(
        st.sampled_from(FIELDS) | st.text(max_size=6),
        VALUES,
        max_size=4,
    ),
    st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=9) | VALUES, max_size=4),
)
def test_the_loader_raises_only_catalogue_errors_on_any_yaml_shape(
    top: dict[Any, Any], documents: list[Any]
) -> None:
    text = yaml.safe_dump({**top, "documents": documents}, allow_unicode=True)
    _assert_one_line_naming(_refusal(text), "c.yaml")


def test_citekit_errors_are_one_family() -> None:
    for error in (CatalogueError, InputError, UsageError):
        assert issubclass(error, CitekitError)


# Linearity: the same unit repeated n and 8n times. Time is CPU time of this process
# (time.process_time), the best of three runs, with n grown until one run takes 20 ms:
# linear work takes about 8 times as long at 8n, quadratic work 64 times. Allowing 24
# leaves three times the linear figure for noise on a shared machine while any
# quadratic path still fails.
GROWTH = 8
ALLOWED = 24.0
MIN_SECONDS = 0.02


def _cpu_seconds(work: Callable[[Any], object], argument: Any) -> float:
    best = math.inf
    for _ in range(3):
        start = time.process_time()
        work(argument)
        best = min(best, time.process_time() - start)
    return best


def _assert_linear(work: Callable[[Any], object], build: Callable[[int], Any]) -> None:
    n = 256
    small = _cpu_seconds(work, build(n))
    while small < MIN_SECONDS and n < 2**22:
        n *= 2
        small = _cpu_seconds(work, build(n))
    large = _cpu_seconds(work, build(GROWTH * n))
    ratio = large / small
    assert ratio <= ALLOWED, f"n={n}: {small:.4f} s; {GROWTH}n: {large:.4f} s ({ratio:.1f}×)"


def _random_unit(seed: int) -> str:
    rng = random.Random(seed)
    alphabet = [*VIETNAMESE[:40], *"0123456789-/ ", "số ", "Quy định ", "QĐ/TW", "ngày "]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 30)))


SCAN_UNITS = [
    "1-",
    "Quy định số ",
    "Quy định số 148-QĐ/TW ngày 23-5-2024 của Bộ Chính trị; ",
    "-QĐ/TW",
    "ngày 1-1-",
    "Quyết định số 1 tháng 2 năm ",
    *(_random_unit(seed) for seed in range(3)),
]


@pytest.mark.slow
@pytest.mark.parametrize("unit", SCAN_UNITS, ids=repr)
def test_scan_time_grows_linearly(unit: str) -> None:
    _assert_linear(scan, lambda n: unicodedata.normalize("NFC", unit * n))


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["148 ", "quy dinh so ", "qd tw "], ids=repr)
def test_parse_number_time_grows_linearly(unit: str) -> None:
    _assert_linear(parse_number, lambda n: unit * n)


def _catalogue_text(entries: int) -> str:
    lines = ["documents:"]
    for n in range(1, entries + 1):
        lines += [
            f"  - number: {n:02d}-QĐ/TW",
            "    kind: Quy định",
            f"    date: '{2000 + n % 25}-0{1 + n % 9}-1{n % 10}'",
            "    issuer: Bộ Chính trị",
            f'    title: "Quy định về việc số {n}"',
        ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_parse_catalogue_time_grows_linearly() -> None:
    _assert_linear(lambda text: parse_catalogue(text, "c.yaml"), _catalogue_text)
