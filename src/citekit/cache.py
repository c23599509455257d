"""A compiled cache of loaded catalogues, so start-up skips YAML and validation.

One cache file per set of catalogue files, in the user cache directory. It is keyed by
each file's path, size and modification time, citekit's version and Python's; it holds
a checksum of its payload. A cache that is stale, corrupt, truncated or written by
another version is never trusted: it is ignored and rewritten. Deleting it is always
safe. CITEKIT_CACHE_DIR moves it; CITEKIT_NO_CACHE=1 turns it off.

The payload is `marshal` data (plain tuples, lists and dicts, the fastest format Python
reads back), with documents as rows that `Catalogue` turns into `Document`s on demand,
and the index of numbers in buckets (`bucket`) decoded one at a time: an exact lookup
in 100,000 entries decodes one bucket of about 64 numbers and builds one `Document`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import mmap
import os
import stat
import sys
import tempfile
import zlib
from array import array
from pathlib import Path
from typing import Any

from citekit import __version__
from citekit.cachedir import directory
from citekit.errors import CatalogueError
from citekit.model import (
    Contest,
    Document,
    Kind,
    Mention,
    Misprint,
    Origin,
    Relation,
    RelationType,
    Source,
    Status,
)
from citekit.opening import open_file

MAGIC = b"citekit-cache-5\n"
Row = tuple[Any, ...]


def key(paths: list[Path]) -> str | None:
    """What the cache of these files is valid for; None if a file cannot be stat'ed."""
    parts = [__version__, sys.version.split()[0], str(marshal.version)]
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            return None
        parts.append(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\n".join(parts)


def _file(cache_key: str) -> Path:
    """One file per set of catalogue paths: a changed catalogue overwrites its stale cache."""
    paths = "\n".join(line.split("\0")[0] for line in cache_key.split("\n")[3:])
    data = f"{__version__}\n{paths}".encode("utf-8", "surrogatepass")
    return directory() / f"catalogue-{zlib.crc32(data):08x}{zlib.adler32(data):08x}.bin"


def _ordinal(date: dt.date | None) -> int | None:
    return date.toordinal() if date else None


def _date(ordinal: int | None) -> dt.date | None:
    return dt.date.fromordinal(ordinal) if ordinal is not None else None


def to_row(d: Document) -> Row:
    return (
        d.number,
        d.kind.value,
        _ordinal(d.date),
        d.issuers,
        d.title,
        d.serial,
        d.kind_code,
        d.issuer_code,
        d.year,
        d.term,
        _ordinal(d.announced),
        d.aliases,
        d.status.value if d.status else None,
        tuple((s.states, s.url, s.publisher, s.type, s.harvested) for s in d.sources),
        tuple((c.fact, c.values) for c in d.contested),
        d.note,
        (d.cited.by, d.cited.sentence) if d.cited else None,
        tuple((m.field, m.printed, m.where, m.note) for m in d.misprints),
        tuple(
            (r.type.value, r.target, r.note, _ordinal(r.target_date), _ordinal(r.date), r.source)
            for r in d.relations
        ),
        (d.origin.path, d.origin.line) if d.origin else None,
    )


def from_row(row: Row) -> Document:
    """The `Document` a cache row stores; a row of any other shape is `damaged`."""
    try:
        return _from_row(row)
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        raise damaged("a row") from None


def _from_row(row: Row) -> Document:
    (number, kind, date, issuers, title, serial, kind_code, issuer_code, year, term,
     announced, aliases, status, sources, contested, note, cited, misprints, relations,
     origin) = row  # fmt: skip
    return Document(
        number=number,
        kind=Kind(kind),
        date=_date(date),
        issuers=issuers,
        title=title,
        serial=serial,
        kind_code=kind_code,
        issuer_code=issuer_code,
        year=year,
        term=term,
        announced=_date(announced),
        aliases=aliases,
        status=Status(status) if status else None,
        sources=tuple(
            Source(states, url=url, publisher=pub, type=kind_, harvested=harvested)
            for states, url, pub, kind_, harvested in sources
        ),
        contested=tuple(Contest(fact, values) for fact, values in contested),
        note=note,
        cited=Mention(*cited) if cited else None,
        misprints=tuple(Misprint(*m) for m in misprints),
        relations=tuple(
            Relation(RelationType(t), target, n, _date(td), _date(on), src)
            for t, target, n, td, on, src in relations
        ),
        origin=Origin(*origin) if origin else None,
    )


PARTS = frozenset(
    {"count", "rows", "offsets", "number_buckets", "number_offsets", "serials", "dates"}
    | {"titles", "title_offsets", "vocabulary", "postings"}
)
"""The parts a cache file holds (see `Catalogue.payload` and `number_parts`)."""
NUMBERS_PER_BUCKET = 64
"""About how many numbers a bucket of the index of numbers holds: a lookup decodes one."""


def bucket(number: str, buckets: int) -> int:
    """The bucket of the number index that holds `number`: the same in every run."""
    return zlib.crc32(number.encode("utf-8", "surrogatepass")) % buckets


def number_parts(index: dict[str, tuple[int, ...]]) -> dict[str, bytes]:
    """The index of numbers (document ids by number, in catalogue order) as two parts:
    "number_buckets", one marshal dict per bucket, one after another, and
    "number_offsets", where each bucket starts and the last ends (array "Q").
    """
    buckets: list[dict[str, tuple[int, ...]]] = [
        {} for _ in range(max(1, len(index) // NUMBERS_PER_BUCKET))
    ]
    for number, ids in index.items():
        buckets[bucket(number, len(buckets))][number] = ids
    dumped = [marshal.dumps(numbers) for numbers in buckets]
    offsets = array("Q", [0])
    for data in dumped:
        offsets.append(offsets[-1] + len(data))
    return {"number_buckets": b"".join(dumped), "number_offsets": offsets.tobytes()}


_FIXED = {ord(c): n for c, n in (("i", 4), ("r", 4), ("g", 8), ("y", 16))}
_BARE = frozenset(map(ord, "NTF.S"))
_SIZED = frozenset(map(ord, "sutaA"))  # bytes and strings: a 4-byte length
_SHORT = frozenset(map(ord, "zZ"))  # short ASCII strings: a 1-byte length
_SEQUENCES = frozenset(map(ord, "([<>"))  # tuple, list, set, frozenset: a 4-byte count


def bounded(data: bytes, max_depth: int = 20) -> bool:
    """Whether marshal `data` holds only plain values (no code) and every count it
    declares fits in the bytes left, each item taking one at least.

    marshal allocates a tuple or list of the declared size before reading its items: a
    crafted count of 2 billion would allocate 16 GB. This walk reads no value.
    """
    end = len(data)
    position = 0
    frames = [1]  # objects still to read in each open container; -1: a dict, up to "0"
    while frames:
        if frames[-1] == 0:
            frames.pop()
            continue
        if position >= end:
            return False
        code = data[position] & 0x7F  # the high bit flags an object that may be referred to
        position += 1
        if frames[-1] > 0:
            frames[-1] -= 1
        elif code == 0x30:  # "0": the end of a dict
            frames.pop()
            continue
        if code in _BARE:
            continue
        if code in _FIXED:
            position += _FIXED[code]
        elif code in _SHORT:
            if position >= end:
                return False
            position += 1 + data[position]
        elif code in _SIZED or code == 0x6C or code in _SEQUENCES:  # 0x6C "l": a long
            if position + 4 > end:
                return False
            size = int.from_bytes(data[position : position + 4], "little", signed=True)
            position += 4
            if code == 0x6C:
                position += 2 * abs(size)
            elif size < 0 or size > end - position:
                return False
            elif code in _SIZED:
                position += size
            else:
                frames.append(size)
        elif code == 0x29:  # ")": a small tuple, a 1-byte count
            if position >= end:
                return False
            frames.append(data[position])
            position += 1
        elif code == 0x7B:  # "{"
            frames.append(-1)
        else:  # code objects and anything else a catalogue cache never holds
            return False
        if len(frames) > max_depth or position > end:
            return False
    return position == end


class StaleCache(Exception):
    """A cache file that cannot be what citekit wrote: read as no cache at all."""


def damaged(what: str) -> CatalogueError:
    """The error for a cache found damaged after it was loaded (a part read on demand)."""
    return CatalogueError.plain(
        f"the catalogue cache in {directory()} is damaged ({what}); delete it, or set "
        "CITEKIT_NO_CACHE=1"
    )


def decoded(data: bytes) -> Any:
    """marshal `data` decoded, if it is plain and bounded; else `StaleCache`."""
    if not bounded(data):
        raise StaleCache
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError, MemoryError):
        raise StaleCache from None


def _ids(value: Any, count: int) -> bool:
    return type(value) is tuple and all(type(i) is int and 0 <= i < count for i in value)


def _place(value: Any) -> bool:
    return (
        type(value) is tuple and len(value) == 2 and all(type(n) is int and n >= 0 for n in value)
    )


_SHAPES = {
    "number_buckets": lambda key, value, count: (
        type(key) is str and _ids(value, count) and len(value) > 0
    ),
    "serials": lambda key, value, count: type(key) is int and _ids(value, count),
    "dates": lambda key, value, count: type(key) is int and _ids(value, count),
    "vocabulary": lambda key, value, count: type(key) is str and _place(value),
}
"""What each index part maps (a bucket of "number_buckets" for that part), checked when
it is first decoded."""


class Payload:
    """The parts of a cache file, mapped read-only, each decoded when first asked for.

    What costs nothing is checked at load (the parts' places, the count against the
    offsets, the ends of the number buckets' offsets); each part is checked as it is
    decoded (`get`, each bucket `number_bucket` reads, every row `slice` hands out), so
    that a crafted cache (its checksum is no secret) is a clear error rather than a
    KeyError, a TypeError or 15 GB of memory.
    """

    __slots__ = ("_buckets", "_count", "_map", "_parts")

    def __init__(self, mapped: mmap.mmap, parts: dict[str, tuple[int, int]]) -> None:
        self._map = mapped
        self._parts = parts
        self._count = 0
        self._buckets = 1

    def check(self) -> None:
        """The checks that cost nothing; `StaleCache` when one fails."""
        count = decoded(self["count"])
        if type(count) is not int or count < 0:
            raise StaleCache
        size = self._parts["number_offsets"][1]
        if size % 8 or size < 16:
            raise StaleCache
        buckets = size // 8 - 1
        for offsets, data, items in (
            ("offsets", "rows", count),
            ("title_offsets", "titles", count),
            ("number_offsets", "number_buckets", buckets),
        ):
            if self._parts[offsets][1] != 8 * (items + 1):
                raise StaleCache
            ends = array("Q")
            ends.frombytes(self.slice(offsets, 0, 8) + self.slice(offsets, 8 * items, 8))
            if list(ends) != [0, self._parts[data][1]]:
                raise StaleCache
        if self._parts["postings"][1] % array("I").itemsize:
            raise StaleCache
        self._count = count
        self._buckets = buckets

    @property
    def buckets(self) -> int:
        """How many buckets the index of numbers has (see `bucket`)."""
        return self._buckets

    def bucket_of(self, number: str) -> int:
        """The bucket of the index of numbers that holds `number` (see `number_bucket`)."""
        return bucket(number, self._buckets)

    def __getitem__(self, name: str) -> bytes:
        start, length = self._parts[name]
        return self._map[start : start + length]

    def slice(self, name: str, start: int, length: int) -> bytes:
        """`length` bytes of a part, from `start` (a row: checked for marshal)."""
        base, size = self._parts[name]
        if start < 0 or length < 0 or start + length > size:
            raise damaged(f"{name} out of bounds")
        data = self._map[base + start : base + start + length]
        if name == "rows" and not bounded(data):
            raise damaged("a row")
        return data

    def get(self, name: str) -> Any:
        """A part decoded with marshal, checked for its shape."""
        if name == "count":
            return self._count
        return self._checked(name, self[name])

    def number_bucket(self, index: int) -> dict[str, tuple[int, ...]]:
        """One bucket of the index of numbers (see `bucket`), decoded and checked."""
        ends = array("Q")
        ends.frombytes(self.slice("number_offsets", 8 * index, 16))
        start, end = ends
        if start > end:
            raise damaged("number_offsets")
        data = self.slice("number_buckets", start, end - start)
        numbers: dict[str, tuple[int, ...]] = self._checked("number_buckets", data)
        return numbers

    def _checked(self, name: str, data: bytes) -> Any:
        """`data`, marshal data of the part `name`, decoded and checked for its shape."""
        try:
            value = decoded(data)
        except StaleCache:
            raise damaged(name) from None
        shape = _SHAPES.get(name)
        count = self._count
        if shape is not None and not (
            type(value) is dict and all(shape(k, v, count) for k, v in value.items())
        ):
            raise damaged(name)
        return value


def load(cache_key: str) -> Payload | None:
    """The payload stored for `cache_key`, or None when there is none to trust.

    The whole file is checksummed before anything in it is used (about 20 ms for a
    100,000-entry catalogue); the parts are then read from the mapping on demand.
    """
    try:
        handle, info = open_file(_file(cache_key))  # a FIFO in its place: refused at once
        with handle:
            if not stat.S_ISREG(info.st_mode):
                return None
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        header_end = len(MAGIC) + 16
        if mapped[: len(MAGIC)] != MAGIC or len(mapped) < header_end:
            return None
        checksum = int(mapped[len(MAGIC) : len(MAGIC) + 8], 16)
        header_length = int(mapped[len(MAGIC) + 8 : header_end], 16)
        if zlib.crc32(memoryview(mapped)[header_end:]) != checksum:
            return None
        stored_key, parts = decoded(mapped[header_end : header_end + header_length])
        if stored_key != cache_key:
            return None
        base = header_end + header_length
        size = len(mapped) - base
        if type(parts) is not dict or set(parts) != PARTS:
            return None
        for start, length in parts.values():
            if not (type(start) is int and type(length) is int and 0 <= start <= size):
                return None
            if not 0 <= length <= size - start:
                return None
        payload = Payload(
            mapped, {name: (base + start, length) for name, (start, length) in parts.items()}
        )
        payload.check()
    except (StaleCache, EOFError, ValueError, TypeError):
        return None
    return payload


def store(cache_key: str, parts: dict[str, bytes]) -> None:
    """Write the parts atomically; a cache that cannot be written is simply skipped.

    The parts are written one after another, never joined in memory: for 100,000
    entries that is 45 MB less at the peak of a cold load.
    """
    table: dict[str, tuple[int, int]] = {}
    position = 0
    for name, data in parts.items():
        table[name] = (position, len(data))
        position += len(data)
    header = marshal.dumps((cache_key, table))
    checksum = zlib.crc32(header)
    for data in parts.values():
        checksum = zlib.crc32(data, checksum)
    target = _file(cache_key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".catalogue-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + f"{checksum:08x}{len(header):08x}".encode())
            handle.write(header)
            for data in parts.values():
                handle.write(data)
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
