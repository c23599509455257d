"""Regular expressions compiled once per machine, not once per run.

The scanner's four large patterns (a kind word, a number and the facts around it, each
letter matched with or without its diacritics) take Python's `re` about 130 ms to
compile, more than the rest of a `check` of a few drafts. `re` cannot save a compiled
pattern, but what it compiles is a list of integers (the engine's code) handed to
`_sre.compile`, which checks that code before it accepts it. This module keeps those
lists in the cache directory (`citekit.cachedir`), one file for this citekit and this
Python, and hands them back to `_sre.compile` on the next run: a few milliseconds.

It relies on CPython's private compiler modules, whose shape is stable since 3.7 but not
promised; so every step falls back to `re.compile` on any failure, and a cached pattern
is used only where its pattern text, flags, Python version and engine version (`MAGIC`)
all match. A damaged file is ignored and rewritten.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import marshal
import os
import re
import stat
import sys
import zlib
from typing import Any

from citekit import __version__, cachedir
from citekit.opening import open_file

_NEW = sys.version_info >= (3, 11)  # re's compiler moved into the re package in 3.11
try:  # the engine and its compiler: CPython's own, untyped, modules
    _sre: Any = importlib.import_module("_sre")
    _compiler: Any = importlib.import_module("re._compiler" if _NEW else "sre_compile")
    _parser: Any = importlib.import_module("re._parser" if _NEW else "sre_parse")
except ImportError:  # pragma: no cover - another Python: compile as usual
    _sre = None

WORTH_KEEPING = 2000
"""Patterns shorter than this (every one but the scanner's four) compile in well under a
millisecond: they are compiled as usual, so a `lookup` never reads the kept file."""
HEADER = b"citekit-patterns-1\n"
MAX_BYTES = 16 * 1024 * 1024
"""A patterns file larger than this is not read (they hold about 1 MB)."""

Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
"""What `_sre.compile` takes after the pattern: flags, code, groups, their names."""


class _Kept:
    """The entries of this run: read on first use, written at exit if any was added."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], Entry] | None = None
        self._pending = False

    def entries(self) -> dict[tuple[str, int], Entry]:
        if self._entries is None:
            self._entries = _read()
        return self._entries

    def add(self, key: tuple[str, int], entry: Entry) -> None:
        self.entries()[key] = entry
        if not self._pending:  # once, however many patterns are added
            self._pending = True
            atexit.register(_write, self.entries())


_KEPT = _Kept()


def _name() -> str:
    version = "-".join(str(n) for n in sys.version_info[:3])
    magic = getattr(_sre, "MAGIC", 0)
    return f"patterns-{__version__}-py{version}-{magic}.bin"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the compiled code kept since an earlier run
    when there is some; else compiled here, and kept when the run ends."""
    if _sre is None or len(pattern) < WORTH_KEEPING or not cachedir.enabled():
        return re.compile(pattern, flags)
    key = (pattern, int(flags))  # an int, not a RegexFlag: marshal writes only ints
    entry = _KEPT.entries().get(key)
    if entry is not None:
        with contextlib.suppress(Exception):  # a code the engine refuses: compile anew
            return _sre.compile(pattern, *entry)  # type: ignore[no-any-return]
    try:
        entry = _compiled(pattern, flags)
        compiled = _sre.compile(pattern, *entry)
    except Exception:  # the private modules changed shape: the public way
        return re.compile(pattern, flags)
    _KEPT.add(key, entry)
    return compiled  # type: ignore[no-any-return]


def _compiled(pattern: str, flags: int) -> Entry:
    """What re's own `compile` hands the engine (re/_compiler.py, `compile`)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    ops = [int(op) for op in code]  # plain ints: the compiler's are named constants
    return (
        int(flags | parsed.state.flags),
        ops,
        parsed.state.groups - 1,
        groupindex,
        tuple(indexgroup),
    )


def _read() -> dict[tuple[str, int], Entry]:
    """The entries kept, or none: a missing, damaged or foreign file is ignored."""
    try:
        handle, info = open_file(cachedir.directory() / _name())  # a FIFO: refused at once
        with handle:
            if not stat.S_ISREG(info.st_mode):
                return {}
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return {}
    if len(data) > MAX_BYTES or not data.startswith(HEADER):
        return {}
    body = data[len(HEADER) + 8 :]
    try:
        if int(data[len(HEADER) : len(HEADER) + 8], 16) != zlib.crc32(body):
            return {}
        entries = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return {}
    return entries if _well_formed(entries) else {}


def _well_formed(entries: Any) -> bool:
    """Whether `entries` has the shape `_write` writes (the engine checks the code)."""
    if type(entries) is not dict:
        return False
    for key, entry in entries.items():
        if not (type(key) is tuple and len(key) == 2 and type(key[0]) is str):
            return False
        if not (type(entry) is tuple and len(entry) == 5):
            return False
        flags, code, groups, groupindex, indexgroup = entry
        if not (type(flags) is int and type(code) is list and type(groups) is int):
            return False
        if not (type(groupindex) is dict and type(indexgroup) is tuple):
            return False
    return True


def _write(entries: dict[tuple[str, int], Entry]) -> None:
    """Write the entries atomically; a cache that cannot be written is skipped, and
    none is written if caches were turned off since."""
    if not cachedir.enabled():
        return
    import tempfile  # only a run that compiled something writes

    try:
        body = marshal.dumps(entries)
    except ValueError:  # pragma: no cover - a value marshal cannot write
        return
    folder = cachedir.directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".patterns-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(HEADER + f"{zlib.crc32(body):08x}".encode() + body)
        os.replace(temp, folder / _name())
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
