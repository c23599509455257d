"""Title search over many titles: an inverted index of words narrows, rapidfuzz ranks.

Scoring every title with rapidfuzz costs about 0.3 s per scorer for 100,000 titles.
A title worth ranking holds nearly all of the query's words (see `needed`), so an
inverted index (word -> ids of titles holding it, built once ahead of time and
stored in the catalogue cache) picks the candidates, and rapidfuzz's batch `extract`
scores only those. Words in more than half of all titles carry no information and are
left out of the count; a query made only of such words, or whose words the index has
never seen (every word mistyped), falls back to scoring every title.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

SMALL = 2000
"""Below this many titles, scoring them all is as fast as narrowing first."""


def build(titles: Sequence[str]) -> dict[str, bytes]:
    """Word -> the ids of the titles holding it, as packed unsigned ints."""
    postings: dict[str, array[int]] = {}
    for index, title in enumerate(titles):
        for word in set(title.split()):
            ids = postings.get(word)
            if ids is None:
                ids = postings[word] = array("I")
            ids.append(index)
    return {word: ids.tobytes() for word, ids in postings.items()}


def needed(count: int) -> int:
    """How many of a query's `count` words a candidate title must hold: all but a
    quarter of them (at least one may be mistyped), so 1 of 2, 3 of 4, 6 of 8."""
    return count - max(1, count // 4) if count > 1 else 1


def candidates(query: str, words: dict[str, bytes], total: int) -> list[int] | None:
    """Ids of the titles holding enough of the query's words (see `needed`).

    None means "score every title": the query has no informative word the index knows.
    """
    common = total // 2
    found: list[array[int] | None] = []
    for word in set(query.split()):
        packed = words.get(word)
        if packed is None:
            found.append(None)
            continue
        ids = array("I")
        ids.frombytes(packed)
        if len(ids) <= common:
            found.append(ids)
    informative = [ids for ids in found if ids is not None]
    if not informative:
        return None
    need = needed(len(found))
    counts: Counter[int] = Counter()
    for ids in informative:
        counts.update(ids)
    chosen = sorted(i for i, n in counts.items() if n >= need)
    return chosen or None


class Titles(Protocol):
    """Where folded titles come from: all of them, or those with the given ids."""

    def title_index(self) -> list[str]: ...

    def titles_at(self, ids: Sequence[int]) -> list[str]: ...

    def word_index(self) -> dict[str, bytes]: ...

    def __len__(self) -> int: ...


def rank(query: str, source: Titles, limit: int) -> list[tuple[int, float]]:
    """(title id, score 0-100) of the best titles for a folded query, best first.

    Two scorers, a title keeping the better score: `partial_ratio` finds the query as a
    run of the title even with a typo in it; `token_set_ratio` finds it when its words
    are all in the title but not side by side.
    """
    from rapidfuzz import fuzz, process

    ids = None
    if len(source) >= SMALL:
        ids = candidates(query, source.word_index(), len(source))
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
