"""A compiled cache of loaded catalogues, so start-up skips YAML and validation.

One cache file per set of catalogue files, in the user cache directory. It is keyed by
each file's path, size and modification time, citekit's version and Python's; it holds
a checksum of its payload. A cache that is stale, corrupt, truncated or written by
another version is never trusted: it is ignored and rewritten. Deleting it is always
safe. CITEKIT_CACHE_DIR moves it; CITEKIT_NO_CACHE=1 turns it off.

The payload is `marshal` data (plain tuples, lists and dicts, the fastest format Python
reads back), with documents as rows that `Catalogue` turns into `Document`s on demand:
an exact lookup in 100,000 entries builds one.
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
from pathlib import Path
from typing import Any

from citekit import __version__
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

MAGIC = b"citekit-cache-4\n"
Row = tuple[Any, ...]


def directory() -> Path:
    """Where caches live: $CITEKIT_CACHE_DIR, else the platform's user cache dir."""
    configured = os.environ.get("CITEKIT_CACHE_DIR")
    if configured:
        return Path(configured)
    if sys.platform.startswith("linux"):  # the XDG rule, without importing platformdirs
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "citekit"
    import platformdirs

    return Path(platformdirs.user_cache_dir("citekit", appauthor=False))


def enabled() -> bool:
    return os.environ.get("CITEKIT_NO_CACHE", "") in ("", "0")


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


class Payload:
    """The parts of a cache file, mapped read-only, each decoded when first asked for."""

    __slots__ = ("_map", "_parts")

    def __init__(self, mapped: mmap.mmap, parts: dict[str, tuple[int, int]]) -> None:
        self._map = mapped
        self._parts = parts

    def __getitem__(self, name: str) -> bytes:
        start, length = self._parts[name]
        return self._map[start : start + length]

    def slice(self, name: str, start: int, length: int) -> bytes:
        """`length` bytes of a part, from `start`."""
        base, _ = self._parts[name]
        return self._map[base + start : base + start + length]

    def get(self, name: str) -> Any:
        """A part decoded with marshal."""
        return marshal.loads(self[name])


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
        stored_key, parts = marshal.loads(mapped[header_end : header_end + header_length])
    except (EOFError, ValueError, TypeError):
        return None
    if stored_key != cache_key:
        return None
    base = header_end + header_length
    return Payload(
        mapped, {name: (base + start, length) for name, (start, length) in parts.items()}
    )


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
