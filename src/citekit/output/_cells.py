"""What every renderer shares: text safe for a terminal, TSV cells, JSON, Rich cells.

Catalogue strings, Word quotes and file names may hold escape sequences, bell, NUL,
bidi overrides or line breaks. Every format writes them so that they can neither drive a
terminal nor break a line: escaped (`\\x1b`) in text, TSV and tables, as `\\u001b` in
JSON, whose readers get the very same string back.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_HARMLESS = frozenset({"Zs", "Cs"})
"""Spaces (a no-break space is common in Word text) and a file name's undecodable
bytes, which go out as the bytes of the name, as `ls` writes them."""


def _harmful(char: str) -> bool:
    return not char.isprintable() and unicodedata.category(char) not in _HARMLESS


def safe(text: str) -> str:
    """`text` as one line a terminal shows as it is: a control character, an escape
    sequence, a bidi override or a line break is written as its Python escape.

    >>> safe("a\\x1b[31m\\u202eb\\nc")
    'a\\\\x1b[31m\\\\u202eb\\\\nc'
    """
    if text.isprintable():
        return text
    return "".join(repr(c)[1:-1] if _harmful(c) else c for c in text)


def cell(value: object) -> str:
    """A TSV cell: one line, no tab, nothing that drives a terminal."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return safe(text.replace("\t", " ").replace("\r", " ").replace("\n", " "))


def write_tsv(out: TextIO, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    """A header and rows, written as they come."""
    out.write("\t".join(header) + "\n")
    for row in rows:
        out.write("\t".join(map(cell, row)) + "\n")


def write_lines(out: TextIO, lines: Iterable[str]) -> None:
    """Each line made safe and written, as it comes."""
    for line in lines:
        out.write(safe(line) + "\n")


def dumps(value: object) -> str:
    """JSON with the real characters, not \\u escapes, except where a terminal would
    act on them: those are \\u escapes, and a JSON reader reads the same string."""
    import json  # only JSON output pays for it

    text = json.dumps(value, ensure_ascii=False, indent=2)
    if all(line.isprintable() for line in text.split("\n")):
        return text
    return "".join(_json_escape(c) if _harmful(c) and c != "\n" else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def write_json_array(out: TextIO, items: Iterable[Any]) -> None:
    """A JSON array written an element at a time, byte for byte what `dumps` would
    print for the whole list."""
    first = True
    for item in items:
        out.write("[\n  " if first else ",\n  ")
        out.write(dumps(item).replace("\n", "\n  "))
        first = False
    out.write("[]\n" if first else "\n]\n")


def text(value: str, style: str = "") -> Text:
    """A Rich cell: never markup, nothing that drives a terminal."""
    from rich.text import Text

    return Text(safe(value), style=style)


def multiline(lines: Iterable[tuple[str, str]]) -> Text:
    """A Rich cell of several lines, each `(text, style)` made safe."""
    from rich.text import Text

    out = Text()
    for index, (line, style) in enumerate(lines):
        out.append(("\n" if index else "") + safe(line), style=style)
    return out


MIN_TABLE_WIDTH = 80
"""Narrower terminals get the plain layout, wrapped: a table there squeezes its text."""


def console(out: TextIO | None = None) -> Console:
    """A Rich console on `out` (stdout). A width of nothing ($COLUMNS=0, or a terminal
    that reports no size) is taken as 80 columns rather than failing."""
    from rich.console import Console

    stream = out or sys.stdout
    screen = Console(file=stream, highlight=False, soft_wrap=False)
    if screen.width < 1:
        screen = Console(
            file=stream, highlight=False, soft_wrap=False, width=_terminal_width(stream)
        )
    return screen


def _terminal_width(out: TextIO) -> int:
    """The terminal's own width, or 80 when it reports none."""
    import os

    try:
        columns = os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError, AttributeError):  # not a terminal, or no file number
        return 80
    return columns if columns > 0 else 80


def table_or_plain(
    out: TextIO,
    draw: Callable[[Console], None],
    plain: Callable[[TextIO], None],
    *,
    min_width: int = MIN_TABLE_WIDTH,
) -> None:
    """Draw a table, or on a terminal narrower than `min_width` the plain layout,
    wrapped between words."""
    screen = console(out)
    if screen.width >= min_width:
        draw(screen)
        return
    import io

    from rich.text import Text

    buffer = io.StringIO()
    plain(buffer)
    # Rich measures in cells and folds only a word longer than a line, so a letter and
    # its marks stay together.
    width = max(screen.width, 1)
    for line in Text(buffer.getvalue().rstrip("\n"), overflow="fold").wrap(screen, width):
        line.rstrip()
        screen.print(line)


def lines_of(blocks: Iterable[list[str]], gap: bool) -> Iterator[str]:
    """The lines of blocks, a blank line between two when `gap`."""
    for index, block in enumerate(blocks):
        if gap and index:
            yield ""
        yield from block
