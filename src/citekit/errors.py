"""citekit's error family: one base class, a few named kinds, one exit code each."""

from __future__ import annotations

from typing import NamedTuple


def printable(text: str) -> str:
    """`text` made safe to print as one line: every character that is not printable
    (line breaks, tabs, escape sequences, bidi controls, a file name's undecodable bytes)
    is written as its Python escape, so a message cannot break a line or drive a terminal.

    >>> printable("a\\tb\\x1b[31m\\u202e")
    'a\\\\tb\\\\x1b[31m\\\\u202e'
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class CitekitError(Exception):
    """Base of every error citekit raises on purpose; the CLI prints it as one line."""

    exit_code = 2

    def __str__(self) -> str:
        return printable(super().__str__())


class UsageError(CitekitError):
    """The command line asked for something impossible: an empty query, a bad option."""


class InputError(CitekitError):
    """A draft or query could not be read: missing, unreadable, undecodable."""


class Problem(NamedTuple):
    """One validation problem in a catalogue file, with the line it stands on."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return printable(f"{where}: {self.message}")


class CatalogueError(CitekitError):
    """A catalogue file is missing, unreadable, not YAML, or fails validation."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        first = str(problems[0])
        more = len(problems) - 1
        super().__init__(first if not more else f"{first} (and {more} more problem(s))")

    @classmethod
    def plain(cls, message: str) -> CatalogueError:
        """An error about the catalogue set as a whole, not one file."""
        return cls([Problem("catalogue", None, message)])
