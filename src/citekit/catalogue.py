"""The catalogue: documents from the built-in file and the user's, indexed for lookup."""

from __future__ import annotations

import datetime as dt
import os
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from citekit.errors import CatalogueError
from citekit.folding import fold_words
from citekit.model import Document

if TYPE_CHECKING:
    from citekit.cache import Payload

ENV_VAR = "CITEKIT_CATALOGUE"


def builtin_path() -> Path:
    """The shipped catalogue: inside the installed package, or data/ in a checkout."""
    installed = Path(__file__).parent / "data" / "documents.yaml"
    if installed.is_file():
        return installed
    return Path(__file__).resolve().parents[2] / "data" / "documents.yaml"


def env_paths(value: str | None = None) -> list[Path]:
    """Catalogue paths named by CITEKIT_CATALOGUE (separated by os.pathsep)."""
    raw = os.environ.get(ENV_VAR, "") if value is None else value
    return [Path(part) for part in raw.split(os.pathsep) if part.strip()]


class Sources(NamedTuple):
    """Which catalogue files to read: the built-in one and the user's, in order."""

    paths: tuple[Path, ...] = ()
    builtin: bool = True
    use_env: bool = True

    def resolve(self) -> list[Path]:
        chosen = [builtin_path()] if self.builtin else []
        chosen += env_paths() if self.use_env else []
        chosen += self.paths
        return chosen


_KEYS: dict[str, Callable[[Document], Hashable | None]] = {
    "numbers": lambda d: d.number,
    "serials": lambda d: d.serial,
    "dates": lambda d: d.date.toordinal() if d.date else None,
}
"""The catalogue's indexes, each by its key; undated documents are not in "dates"."""


class Catalogue:
    """An immutable set of documents with indexes by number, serial and title word.

    Built from `Document`s, or from a cache payload (`from_payload`) whose parts are
    decoded only when first needed: an exact lookup in 100,000 entries decodes one
    bucket of the number index and builds one `Document`, never the titles, the rest of
    the number index or the other rows.
    """

    __slots__ = (
        "_buckets",
        "_docs",
        "_indexes",
        "_joined_titles",
        "_payload",
        "_title_offsets",
        "_titles",
        "_vocabulary",
        "_words",
    )

    def __init__(self, documents: Iterable[Document] = ()) -> None:
        self._docs: list[Document | None] = list(documents)
        self._payload: Payload | None = None
        self._indexes: dict[str, dict[Hashable, tuple[int, ...]]] = {}
        self._buckets: dict[int, dict[str, tuple[int, ...]]] = {}  # decoded by by_number
        self._titles: list[str] | None = None
        self._words: dict[str, array[int]] | None = None
        self._vocabulary: dict[str, tuple[int, int]] | None = None
        self._joined_titles: bytes | None = None
        self._title_offsets = array("Q")

    @classmethod
    def from_payload(cls, payload: Payload) -> Catalogue:
        """A catalogue over a cache payload (see `payload`)."""
        catalogue = cls()
        catalogue._docs = [None] * payload.get("count")
        catalogue._payload = payload
        return catalogue

    def payload(self) -> dict[str, bytes]:
        """What the cache stores: each part packed on its own, to decode on demand."""
        import marshal

        from citekit import titleindex
        from citekit.cache import number_parts, to_row

        rows = [marshal.dumps(to_row(d)) for d in self.documents]
        encoded = [title.encode("utf-8") for title in self.title_index()]
        title_offsets = array("Q", [0])
        for title in encoded:
            title_offsets.append(title_offsets[-1] + len(title))
        vocabulary: dict[str, tuple[int, int]] = {}
        blobs = []
        position = 0
        for word, ids in titleindex.build(self.title_index()).items():
            blob = ids.tobytes()
            vocabulary[word] = (position, len(ids))
            blobs.append(blob)
            position += len(blob)
        offsets = array("Q", [0])
        for row in rows:
            offsets.append(offsets[-1] + len(row))
        return {
            "count": marshal.dumps(len(rows)),
            "rows": b"".join(rows),
            "offsets": offsets.tobytes(),
            **number_parts(cast("dict[str, tuple[int, ...]]", self._index("numbers"))),
            **{part: marshal.dumps(self._index(part)) for part in ("serials", "dates")},
            "titles": b"".join(encoded),
            "title_offsets": title_offsets.tobytes(),
            "vocabulary": marshal.dumps(vocabulary),
            "postings": b"".join(blobs),
        }

    def _index(self, part: str) -> dict[Hashable, tuple[int, ...]]:
        """Document ids by one key (`_KEYS`): read from the cache payload (the numbers:
        every bucket, merged), or built."""
        index = self._indexes.get(part)
        if index is None:
            if self._payload is not None and part == "numbers":
                index = self._numbers_merged(self._payload)
            elif self._payload is not None:
                index = self._payload.get(part)
            else:
                key = _KEYS[part]
                built: dict[Hashable, list[int]] = {}
                for i, d in enumerate(self.documents):
                    value = key(d)
                    if value is not None:
                        built.setdefault(value, []).append(i)
                index = {k: tuple(v) for k, v in built.items()}
            self._indexes[part] = index
        return index

    def _numbers_merged(self, payload: Payload) -> dict[Hashable, tuple[int, ...]]:
        """The index of numbers, every bucket decoded, in catalogue order as if built."""
        merged: dict[Hashable, tuple[int, ...]] = {}
        for bucket in range(payload.buckets):
            decoded = self._buckets.get(bucket)
            merged.update(payload.number_bucket(bucket) if decoded is None else decoded)
        return dict(sorted(merged.items(), key=lambda item: item[1][0]))

    def _bucket(self, number: str) -> dict[str, tuple[int, ...]]:
        """The bucket of the payload's number index that holds `number`, decoded once."""
        payload = self._payload
        assert payload is not None
        index = payload.bucket_of(number)
        numbers = self._buckets.get(index)
        if numbers is None:
            numbers = self._buckets[index] = payload.number_bucket(index)
        return numbers

    def __len__(self) -> int:
        return len(self._docs)

    def __iter__(self) -> Iterator[Document]:
        return iter(self.documents)

    def document(self, index: int) -> Document:
        """The document at `index`, in catalogue order."""
        document = self._docs[index]
        if document is None:
            import marshal

            from citekit.cache import from_row

            assert self._payload is not None  # only a catalogue over a payload has gaps
            offsets = array("Q")
            offsets.frombytes(self._payload.slice("offsets", index * 8, 16))
            start, end = offsets
            row = marshal.loads(self._payload.slice("rows", start, end - start))
            document = self._docs[index] = from_row(row)
        return document

    @property
    def documents(self) -> tuple[Document, ...]:
        """Every document, in catalogue order."""
        return tuple(self.document(i) for i in range(len(self._docs)))

    def by_number(self, number: str) -> list[Document]:
        """Documents with exactly this canonical number (several across terms)."""
        if self._payload is None:
            ids = self._index("numbers").get(number, ())
        else:
            ids = self._bucket(number).get(number, ())
        return [self.document(i) for i in ids]

    def by_serial(self, serial: int) -> list[Document]:
        """Documents whose serial is `serial`, whatever their code and issuer."""
        return [self.document(i) for i in self._index("serials").get(serial, ())]

    def by_date(self, date: dt.date) -> list[Document]:
        """Documents dated `date`."""
        return [self.document(i) for i in self._index("dates").get(date.toordinal(), ())]

    def title_index(self) -> list[str]:
        """Folded titles, one per document in order, prepared once for fuzzy search."""
        if self._titles is None:
            if self._payload is not None:
                self._titles = self.titles_at(range(len(self)))
            else:
                self._titles = [fold_words(_searchable(d)) for d in self.documents]
        return self._titles

    def titles_at(self, ids: Sequence[int]) -> list[str]:
        """The folded titles of the documents with these ids, in that order."""
        if self._payload is None:
            titles = self.title_index()
            return [titles[i] for i in ids]
        if self._joined_titles is None:
            self._joined_titles = self._payload["titles"]
            self._title_offsets.frombytes(self._payload["title_offsets"])
        joined, offsets = self._joined_titles, self._title_offsets
        return [joined[offsets[i] : offsets[i + 1]].decode("utf-8") for i in ids]

    def postings(self, word: str) -> array[int] | None:
        """Sorted ids of the documents whose folded title holds `word`."""
        if self._payload is None:
            if self._words is None:
                from citekit import titleindex

                self._words = titleindex.build(self.title_index())
            return self._words.get(word)
        if self._vocabulary is None:
            self._vocabulary = self._payload.get("vocabulary")
        entry = self._vocabulary.get(word)
        if entry is None:
            return None
        start, count = entry
        ids = array("I")
        ids.frombytes(self._payload.slice("postings", start, count * ids.itemsize))
        return ids

    def numbers(self) -> list[str]:
        """Every distinct number, in catalogue order."""
        return [str(number) for number in self._index("numbers")]


def _searchable(document: Document) -> str:
    """What title search reads of a document: its title and the variants drafts use."""
    return " ".join([document.title or "", *document.aliases])


def load_catalogue(paths: Sequence[Path], *, use_cache: bool = True) -> Catalogue:
    """Load catalogue files into one catalogue; duplicates across files fail.

    A compiled cache (see `citekit.cache`) makes a repeat load skip YAML entirely.
    """
    if not paths:
        raise CatalogueError.plain("no catalogue: --no-builtin needs --catalogue or $" + ENV_VAR)
    from citekit import cache, cachedir

    cache_key = cache.key(list(paths)) if use_cache and cachedir.enabled() else None
    if cache_key is not None:
        payload = cache.load(cache_key)
        if payload is not None:
            return Catalogue.from_payload(payload)
    from citekit.loading import duplicates, load_file

    with _cycles_uncollected():
        documents: list[Document] = []
        for path in paths:
            documents.extend(load_file(path))
        problems = duplicates(documents)
        if problems:
            raise CatalogueError(problems)
        catalogue = Catalogue(documents)
        if cache_key is not None:
            cache.store(cache_key, catalogue.payload())
    return catalogue


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused: a cold load builds millions of small objects,
    none of them in a cycle, and the collector's passes over all that survived took
    0.8 s of a 13.7 s load of 100,000 entries (733 passes). What the load drops is
    freed as it is dropped; a collector that was paused before stays paused."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
