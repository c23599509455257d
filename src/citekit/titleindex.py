"""Title search over many titles: an inverted index of words narrows, rapidfuzz ranks.

Scoring every title with rapidfuzz costs about 0.3 s per scorer for 100,000 titles.
A title worth ranking holds nearly all of the query's words (see `needed`), so an
inverted index (word -> ids of the titles holding it, built once ahead of time and
stored in the catalogue cache) picks the candidates, and rapidfuzz's batch `extract`
scores only those. A query none of whose words the index knows (every word mistyped),
or one that narrows nothing, falls back to scoring every title.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Protocol

SMALL = 2000
"""Below this many titles, scoring them all is as fast as narrowing first."""
POOL = 500
"""Enough candidates: once this many titles hold k query words, those holding fewer
are not scored (a title holding more of the words always scores at least as high)."""


class Titles(Protocol):
    """Where folded titles and their word index come from (a `Catalogue`)."""

    def title_index(self) -> list[str]: ...

    def titles_at(self, ids: Sequence[int]) -> list[str]: ...

    def postings(self, word: str) -> array[int] | None: ...

    def __len__(self) -> int: ...


def build(titles: Sequence[str]) -> dict[str, array[int]]:
    """Word -> the sorted ids of the titles holding it."""
    lists: defaultdict[str, list[int]] = defaultdict(list)  # a list grows faster than an array
    for index, title in enumerate(titles):
        for word in set(title.split()):
            lists[word].append(index)
    return {word: array("I", ids) for word, ids in lists.items()}


def needed(count: int) -> int:
    """How many of a query's `count` words a candidate title must hold: all but a
    quarter of them, and at least one may be mistyped: 1 of 2, 3 of 4, 6 of 8."""
    return count - max(1, count // 4) if count > 1 else 1


def candidates(query: str, source: Titles) -> list[int] | None:
    """Ids of the titles holding the most of the query's words, and at least `needed`.

    The postings of the query's words are counted together (`Counter.update` runs in C);
    None means "score every title": no word of the query is in the index, or the
    candidates would be most of the titles anyway.
    """
    words = set(query.split())
    postings = [ids for ids in map(source.postings, words) if ids is not None]
    if not postings:
        return None
    need = needed(len(words))
    # A word in most titles says nothing: count it as held by all, without counting.
    common = [ids for ids in postings if len(ids) > len(source) // 2]
    postings = [ids for ids in postings if len(ids) <= len(source) // 2]
    need -= len(common)
    if need <= 0 or not postings:
        return None
    counts: Counter[int] = Counter()
    for ids in postings:
        counts.update(ids)
    by_count: dict[int, list[int]] = {}
    for index, count in counts.items():
        if count >= need:
            by_count.setdefault(count, []).append(index)
    chosen: list[int] = []
    for count in sorted(by_count, reverse=True):  # titles holding the most words first
        chosen += by_count[count]
        if len(chosen) >= POOL:
            break
    if not chosen or len(chosen) > len(source) // 2:
        return None
    return sorted(chosen)


def rank(query: str, source: Titles, limit: int) -> list[tuple[int, float]]:
    """(title id, score 0-100) of the best titles for a folded query, best first.

    Two scorers, a title keeping the better score: `partial_ratio` finds the query as a
    run of the title even with a typo in it; `token_set_ratio` finds it when its words
    are all in the title but not side by side.
    """
    from rapidfuzz import fuzz, process

    ids = candidates(query, source) if len(source) >= SMALL else None
    choices = source.title_index() if ids is None else source.titles_at(ids)
    best: dict[int, float] = {}
    for scorer in (fuzz.partial_ratio, fuzz.token_set_ratio):
        hits = process.extract(
            query, choices, scorer=scorer, processor=None, limit=max(limit, 10), score_cutoff=1
        )
        for _, score, position in hits:
            index = position if ids is None else ids[position]
            best[index] = max(best.get(index, 0.0), float(score))
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
