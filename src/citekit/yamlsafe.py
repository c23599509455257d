"""Read a YAML file into plain nodes, safely, keeping line numbers.

Only PyYAML's safe composer is used: no tag ever constructs a Python object, and aliases
are refused outright, so an alias bomb ("billion laughs") costs nothing. Errors become
`Problem`s naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from citekit.errors import CatalogueError, Problem

MAX_BYTES = 40 * 1024 * 1024
"""Largest catalogue file read; a 100,000-entry catalogue is about 25 MB."""

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)

try:  # libyaml's parser is about ten times faster; plain PyYAML when it is missing.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


def read_text(path: Path) -> str:
    """The file's text, decoded as UTF-8 (with or without BOM), or a CatalogueError."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise CatalogueError([Problem(name, None, "is a directory, not a catalogue file")])
        if size > MAX_BYTES:
            limit = MAX_BYTES // (1024 * 1024)
            message = f"file is {size:,} bytes; catalogues are limited to {limit} MiB"
            raise CatalogueError([Problem(name, None, message)])
        data = path.read_bytes()
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


def compose(text: str, name: str) -> yaml.Node | None:
    """Compose YAML text into a node tree; refuse aliases and object-building tags."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise CatalogueError([Problem(name, line, f"invalid YAML: {what}")]) from None
    except yaml.YAMLError as exc:
        raise CatalogueError([Problem(name, None, f"invalid YAML: {exc}")]) from None
    if root is not None:
        _check_tree(root, name)
    return root


def _check_tree(root: yaml.Node, name: str) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise CatalogueError([Problem(name, line, "YAML aliases are not allowed")])
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            raise CatalogueError([Problem(name, line, f"YAML tag {node.tag!r} is not allowed")])
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def line_of(node: yaml.Node) -> int:
    """The 1-based line a node starts on."""
    return int(node.start_mark.line) + 1
