"""The scanner on realistic drafts: every citation found, nothing else, facts read right.

The corpus (tests/data/corpus/) was written for the project in the style of provincial
reports, government announcements, news pages and legal portals, and annotated by hand;
`bench/corpus.py` prints the same scores as a table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "corpus.py"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_corpus"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, object]:
    return _scorer().score()  # type: ignore[no-any-return]


def test_the_corpus_holds_every_family_and_form() -> None:
    import yaml

    annotations = yaml.safe_load(
        (BENCH.parents[1] / "tests/data/corpus/annotations.yaml").read_text()
    )
    entries = [entry for entries in annotations.values() for entry in entries]
    assert len(entries) >= 150
    kinds = {(e["family"], e["form"]) for e in entries}
    assert kinds >= {("party", "full"), ("party", "short"), ("party", "serial-year"),
                     ("state", "full"), ("state", "short")}  # fmt: skip


@pytest.mark.parametrize("family", ["party", "state", "all"])
def test_every_citation_is_found_and_nothing_else(scores: dict[str, object], family: str) -> None:
    score = scores[family]
    assert score.recall >= 0.99, score.missed  # type: ignore[attr-defined]
    assert score.false == 0, score.wrong  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fact", "floor"),
    [("family", 1.0), ("issuer_code", 1.0), ("kind", 0.98), ("date", 0.98), ("issuer", 0.9)],
)
def test_the_facts_written_with_each_citation_are_read(
    scores: dict[str, object], fact: str, floor: float
) -> None:
    score = scores["all"]
    right, total = score.facts_right[fact], score.facts[fact]  # type: ignore[attr-defined]
    assert right / total >= floor, [w for w in score.wrong if f": {fact} " in w]  # type: ignore[attr-defined]
