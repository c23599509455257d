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
from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol

SMALL = 2000
"""Below this many titles, scoring them all is as fast as narrowing first."""


class Titles(Protocol):
    """Where folded titles and their word index come from (a `Catalogue`)."""

    def title_index(self) -> list[str]: ...

    def titles_at(self, ids: Sequence[int]) -> list[str]: ...

    def postings(self, word: str) -> array[int] | None: ...

    def __len__(self) -> int: ...


def build(titles: Sequence[str]) -> dict[str, array[int]]:
    """Word -> the sorted ids of the titles holding it."""
    postings: dict[str, array[int]] = {}
    for index, title in enumerate(titles):
        for word in set(title.split()):
            ids = postings.get(word)
            if ids is None:
                ids = postings[word] = array("I")
            ids.append(index)
    return postings


def needed(count: int) -> int:
    """How many of a query's `count` words a candidate title must hold: all but a
    quarter of them, and at least one may be mistyped: 1 of 2, 3 of 4, 6 of 8."""
    return count - max(1, count // 4) if count > 1 else 1


def _holds(ids: array[int], index: int) -> bool:
    position = bisect_left(ids, index)
    return position < len(ids) and ids[position] == index


def candidates(query: str, source: Titles) -> list[int] | None:
    """Ids of the titles holding at least `needed` of the query's words.

    A title missing every one of the `len(words) - needed + 1` rarest words holds at
    most `needed - 1` words, so every candidate is in the union of those rare postings;
    only that union is counted, by binary search in the other (sorted) postings.
    None means "score every title".
    """
    words = sorted(set(query.split()))
    need = needed(len(words))
    postings = [source.postings(word) for word in words]
    known = sorted((ids for ids in postings if ids is not None), key=len)
    spare = len(words) - need + 1
    if len(known) < need or not known:
        return None
    rare, common = known[:spare], known[spare:]
    pool = sorted(set().union(*rare))
    if len(pool) > len(source) // 2:
        return None
    chosen = []
    for index in pool:
        held = sum(_holds(ids, index) for ids in rare) + sum(_holds(ids, index) for ids in common)
        if held >= need:
            chosen.append(index)
    return chosen or None


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
