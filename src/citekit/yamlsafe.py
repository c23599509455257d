"""Read YAML safely into small plain nodes that keep their line numbers.

The nodes are built straight from libyaml's event stream: no tag ever constructs a
Python object, aliases are refused outright (so an alias bomb costs nothing), and no
implicit typing happens: every scalar stays the text it was written as, or null. This
is also several times faster than PyYAML's composer, whose tag resolver dominates on
large files, and `compose` can hand the items of one top-level list to a callback as
they complete, so a 100,000-entry catalogue is never held as a tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import yaml

from citekit.errors import CatalogueError, Problem
from citekit.opening import NotAFile, open_file

MAX_BYTES = 40 * 1024 * 1024
"""Largest catalogue file read; a 100,000-entry catalogue is about 25 MB."""
MAX_DEPTH = 50
"""Deepest nesting of YAML collections; a catalogue needs five levels."""
MAX_KEYS = 10_000
"""Most keys in one YAML mapping; a catalogue entry has about twenty. One entry of 3
million unknown fields took 44 s and 1.4 GB to compose before validation began."""

_PLAIN_TAGS = frozenset(
    {
        "!",
        *(
            f"tag:yaml.org,2002:{name}"
            for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
        ),
    }
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_NULL_TAG = "tag:yaml.org,2002:null"

try:  # libyaml's parser; plain PyYAML's when PyYAML was built without it.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


class Node:
    """A YAML node and the 1-based line it starts on."""

    __slots__ = ("line",)

    def __init__(self, line: int) -> None:
        self.line = line


class Scalar(Node):
    """A scalar as written; `null` for an unquoted empty, ~ or null."""

    __slots__ = ("null", "value")

    def __init__(self, line: int, value: str, null: bool) -> None:
        self.line = line  # as Node.__init__, without the call: there is one per scalar
        self.value = value
        self.null = null


class Sequence(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, items: list[Node]) -> None:
        super().__init__(line)
        self.items = items


class Mapping(Node):
    __slots__ = ("items",)

    def __init__(self, line: int, items: list[tuple[Node, Node]]) -> None:
        super().__init__(line)
        self.items = items


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM), or a CatalogueError."""
    name = str(path)
    limit = f"catalogues are limited to {MAX_BYTES // (1024 * 1024)} MiB"
    try:
        # Never blocks: a FIFO is refused before anything is read (citekit.opening).
        handle, info = open_file(path)
        with handle:
            if info.st_size > MAX_BYTES:
                size = f"file is {info.st_size:,} bytes; {limit}"
                raise CatalogueError([Problem(name, None, size)])
            # A device or a file still growing may hold more than stat said: read
            # one byte past the limit, never the whole of /dev/zero.
            data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise CatalogueError([Problem(name, None, f"more than {MAX_BYTES:,} bytes; {limit}")])
    except IsADirectoryError:
        message = "is a directory, not a catalogue file"
        raise CatalogueError([Problem(name, None, message)]) from None
    except NotAFile as exc:
        message = f"is {exc.kind}, not a catalogue file"
        raise CatalogueError([Problem(name, None, message)]) from None
    except FileNotFoundError:
        raise CatalogueError([Problem(name, None, "no such file")]) from None
    except OSError as exc:
        raise CatalogueError([Problem(name, None, f"cannot read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        raise CatalogueError([Problem(name, line, message)]) from None


def _line(event: yaml.Event) -> int:
    return event.start_mark.line + 1 if event.start_mark else 0


class _Composer:
    def __init__(self, events: Iterator[yaml.Event], name: str) -> None:
        self.events = events
        self.name = name
        self.depth = 0

    def fail(self, event: yaml.Event, message: str) -> CatalogueError:
        return CatalogueError([Problem(self.name, _line(event), message)])

    def safe_tag(self, event: yaml.Event) -> str | None:
        if isinstance(event, yaml.AliasEvent):
            raise self.fail(event, "YAML aliases are not allowed")
        tag: str | None = getattr(event, "tag", None)
        if tag is not None and tag not in _PLAIN_TAGS:
            raise self.fail(event, f"YAML tag {tag!r} is not allowed")
        return tag

    def node(self, event: yaml.Event) -> Node:
        if type(event) is yaml.ScalarEvent:  # most events: the fast path, no other checks
            tag = event.tag
            if tag is not None and tag not in _PLAIN_TAGS:
                raise self.fail(event, f"YAML tag {tag!r} is not allowed")
            value = event.value
            if tag is None:
                null = not event.style and event.implicit[0] and value in _NULLS
            else:
                null = tag == _NULL_TAG
            mark = event.start_mark
            return Scalar(mark.line + 1 if mark else 0, value, null)
        line = _line(event)
        self.safe_tag(event)
        if isinstance(event, yaml.SequenceStartEvent):
            return Sequence(line, self.items(event, yaml.SequenceEndEvent))
        if isinstance(event, yaml.MappingStartEvent):
            flat = self.items(event, yaml.MappingEndEvent, limit=2 * MAX_KEYS)
            return Mapping(line, list(zip(flat[::2], flat[1::2], strict=True)))
        raise self.fail(event, f"unexpected YAML event {type(event).__name__}")  # pragma: no cover

    def items(
        self, start: yaml.Event, end: type[yaml.Event], limit: int | None = None
    ) -> list[Node]:
        """The nodes up to `end`; nesting is capped well below Python's recursion limit,
        and a mapping's keys at `MAX_KEYS` (`limit` counts keys and values)."""
        if self.depth >= MAX_DEPTH:
            raise self.fail(start, f"YAML nested more than {MAX_DEPTH} levels deep")
        self.depth += 1
        out: list[Node] = []
        append, node, scalar_event, nulls = out.append, self.node, yaml.ScalarEvent, _NULLS
        cap = -1 if limit is None else limit + 1  # never reached without a limit
        for event in self.events:
            if type(event) is scalar_event and event.tag is None:  # most: `node` inline
                value = event.value
                null = not event.style and event.implicit[0] and value in nulls
                mark = event.start_mark
                append(Scalar(mark.line + 1 if mark else 0, value, null))
            elif isinstance(event, end):
                break
            else:
                append(node(event))
            if len(out) == cap:  # one past the last key (and its value) allowed
                raise self.fail(start, f"a YAML mapping of more than {MAX_KEYS:,} keys")
        self.depth -= 1
        return out

    def streamed_mapping(
        self, event: yaml.Event, key: str, on_item: Callable[[Node], None]
    ) -> Mapping:
        """The top mapping, whose `key` list is handed to `on_item` item by item."""
        self.safe_tag(event)
        line = _line(event)
        pairs: list[tuple[Node, Node]] = []
        for key_event in self.events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return Mapping(line, pairs)
            if len(pairs) >= MAX_KEYS:
                raise self.fail(event, f"a YAML mapping of more than {MAX_KEYS:,} keys")
            name = self.node(key_event)
            value_event = next(self.events)
            if (
                isinstance(name, Scalar)
                and name.value == key
                and isinstance(value_event, yaml.SequenceStartEvent)
                and self.safe_tag(value_event) is None
            ):
                self.depth += 1
                for item_event in self.events:
                    if isinstance(item_event, yaml.SequenceEndEvent):
                        break
                    on_item(self.node(item_event))
                self.depth -= 1
                pairs.append((name, Sequence(_line(value_event), [])))
            else:
                pairs.append((name, self.node(value_event)))
        raise self.fail(event, "unexpected end of YAML")  # pragma: no cover


def compose(
    text: str,
    name: str,
    *,
    stream_key: str | None = None,
    on_item: Callable[[Node], None] | None = None,
) -> Node | None:
    """Compose the single YAML document in `text`; None when it is empty.

    With `stream_key` and `on_item`, the items of the top mapping's `stream_key` list
    go to `on_item` as they are read and that list comes back empty.
    """
    events = iter(yaml.parse(text, Loader=_Loader))
    composer = _Composer(events, name)
    root: Node | None = None
    try:
        for event in events:
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.DocumentStartEvent):
                if root is not None:
                    raise composer.fail(event, "a catalogue holds one YAML document, not several")
                continue
            if stream_key and on_item and isinstance(event, yaml.MappingStartEvent):
                root = composer.streamed_mapping(event, stream_key, on_item)
            else:
                root = composer.node(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise CatalogueError([Problem(name, line, f"invalid YAML: {what}")]) from None
    except yaml.reader.ReaderError as exc:  # a NUL, U+FFFE: characters YAML forbids
        char = chr(exc.character) if isinstance(exc.character, int) else exc.character
        # The first such character is the one refused (libyaml's position counts bytes).
        index = text.find(char)
        line = text.count("\n", 0, index) + 1 if index >= 0 else None
        message = f"invalid YAML: character U+{ord(char):04X} is not allowed"
        raise CatalogueError([Problem(name, line, message)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks its errors
        raise CatalogueError([Problem(name, None, f"invalid YAML: {exc}")]) from None
    return root
