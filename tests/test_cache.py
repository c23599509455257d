"""The catalogue cache read back: the same answers as the catalogue it was built from, and
an exact lookup that decodes one bucket of the index of numbers. Crafted caches are in
test_hostile_inputs.py (D20)."""

from __future__ import annotations

import itertools
import random
import zlib
from pathlib import Path

import pytest
from helpers import SHIPPED

from citekit import cache
from citekit.catalogue import Catalogue, load_catalogue
from citekit.queries import lookup

KINDS = (
    ("Hướng dẫn", "HD/BTCTW", "Ban Tổ chức Trung ương"),
    ("Quy định", "QĐ/TW", "Bộ Chính trị"),
)


def _generated(count: int = 3000, serials: int = 1200) -> str:
    """`count` entries, each number shared by two or three documents of different terms,
    shuffled so that catalogue order is no sorted order."""
    entries = []
    for i in range(count):
        serial, year = 10 + i % serials, (2003, 2008, 2013)[i // serials]
        kind, code, issuer = KINDS[serial % 2]
        entries.append(
            f"  - number: {serial}-{code}\n    kind: {kind}\n"
            f"    date: '{year}-{1 + serial % 12:02}-{1 + serial % 28:02}'\n"
            f"    issuer: {issuer}\n    title: {kind} số {serial} năm {year}\n"
        )
    random.Random(0).shuffle(entries)
    return "documents:\n" + "".join(entries)


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    path = tmp_path / "generated.yaml"
    path.write_text(_generated(), encoding="utf-8")
    return path


@pytest.fixture(params=["shipped", "generated"])
def catalogue_path(request: pytest.FixtureRequest, generated: Path) -> Path:
    return SHIPPED if request.param == "shipped" else generated


def _cached(path: Path) -> Catalogue:
    """The catalogue at `path`, read back from its cache (written first if need be)."""
    load_catalogue([path])
    catalogue = load_catalogue([path])
    assert catalogue._payload is not None  # read from the cache, not built
    return catalogue


def _buckets(catalogue: Catalogue) -> int:
    assert catalogue._payload is not None
    return catalogue._payload.buckets


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CITEKIT_CACHE_DIR", str(tmp_path / "cache"))


def test_a_cached_catalogue_answers_as_the_built_one(catalogue_path: Path) -> None:
    built = load_catalogue([catalogue_path], use_cache=False)
    numbers = built.numbers()
    assert len(numbers) == len(set(numbers)) > 100
    assert _cached(catalogue_path).numbers() == numbers  # every bucket merged, in order
    cached = _cached(catalogue_path)
    for number in numbers:
        assert cached.by_number(number) == built.by_number(number), number
    assert cached.by_number("1-XX/TW") == built.by_number("1-XX/TW") == []
    assert cached.numbers() == numbers  # merged with the buckets already decoded


def test_the_generated_catalogue_shares_numbers_across_buckets(generated: Path) -> None:
    built = load_catalogue([generated], use_cache=False)
    assert {len(built.by_number(n)) for n in built.numbers()} == {2, 3}
    assert _buckets(_cached(generated)) == 1200 // cache.NUMBERS_PER_BUCKET


def test_an_exact_lookup_decodes_one_bucket(generated: Path) -> None:
    catalogue = _cached(generated)
    buckets = _buckets(catalogue)
    result = lookup(catalogue, "11-QĐ/TW")
    assert len(result.matches) == 3
    assert list(catalogue._buckets) == [cache.bucket("11-QĐ/TW", buckets)]
    assert catalogue._indexes == {}  # the whole index of numbers never decoded
    same = next(n for n in range(12, 1210) if cache.bucket(f"{n}-HD/BTCTW", buckets) == 0)
    catalogue.by_number(f"{same}-HD/BTCTW")
    catalogue.by_number(f"{same}-HD/BTCTW")
    assert sorted(catalogue._buckets) == sorted({0, cache.bucket("11-QĐ/TW", buckets)})


def test_the_bucket_of_a_number_is_the_same_in_every_run() -> None:
    """crc32 of the UTF-8 bytes, never hash() (salted per process for strings)."""
    assert cache.bucket("148-QĐ/TW", 2**32) == zlib.crc32("148-QĐ/TW".encode()) == 2_448_042_253
    assert cache.bucket("\udcff", 7) == zlib.crc32(b"\xed\xb3\xbf") % 7  # no UnicodeEncodeError


def test_the_number_parts_hold_every_number_once_in_its_bucket() -> None:
    index = {f"{n}-QĐ/TW": (n, n + 1) for n in range(10, 1000)}
    parts = cache.number_parts(index)
    ends = memoryview(parts["number_offsets"]).cast("Q").tolist()
    assert len(ends) == 990 // cache.NUMBERS_PER_BUCKET + 1
    assert ends[0] == 0
    assert ends[-1] == len(parts["number_buckets"])
    merged: dict[str, tuple[int, ...]] = {}
    for i, (start, end) in enumerate(itertools.pairwise(ends)):
        bucket = cache.decoded(parts["number_buckets"][start:end])
        assert all(cache.bucket(number, len(ends) - 1) == i for number in bucket)
        merged |= bucket
    assert merged == index
    empty = cache.number_parts({})  # one bucket, empty
    assert cache.decoded(empty["number_buckets"]) == {}
    assert empty["number_offsets"] == bytes(8) + len(empty["number_buckets"]).to_bytes(8, "little")


@pytest.mark.parametrize("paused_before", [False, True])
def test_a_cold_load_pauses_the_cycle_collector_and_restores_it(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paused_before: bool
) -> None:
    import gc

    from citekit import loading
    from citekit.errors import CatalogueError

    seen: list[bool] = []
    real = loading.load_file

    def load_file(path: Path) -> list[object]:
        seen.append(gc.isenabled())
        return real(path)

    monkeypatch.setattr(loading, "load_file", load_file)
    bad = tmp_path / "bad.yaml"
    bad.write_text("documents:\n  - number: 1-QĐ/TW\n    kind: Luật lệ\n", encoding="utf-8")
    if paused_before:
        gc.disable()
    try:
        assert len(load_catalogue([generated])) == 3000  # built, then cached
        with pytest.raises(CatalogueError):
            load_catalogue([bad])
        assert seen == [False, False]
        assert gc.isenabled() is not paused_before  # as it was, after a load and a failure
    finally:
        gc.enable()
