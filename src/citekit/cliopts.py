"""What every citekit command shares: options, output helpers, the error boundary."""

import errno
import functools
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from citekit.errors import CitekitError, printable

if TYPE_CHECKING:
    from rich.console import Console

    from citekit.catalogue import Catalogue

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a command stopped by Ctrl-C."""


class Format(str, Enum):
    table = "table"
    plain = "plain"
    json = "json"
    tsv = "tsv"


def complete_number(incomplete: str) -> Iterator[str]:
    """Shell completion for QUERY: catalogue numbers starting with what was typed."""
    from citekit.folding import fold_query

    try:
        catalogue = load(CatalogueOptions())
    except CitekitError:
        return
    typed = fold_query(incomplete)
    for number in catalogue.numbers():
        if fold_query(number).startswith(typed):
            yield number


CatalogueOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--catalogue",
        "-c",
        metavar="PATH",
        help="A catalogue file to add (repeatable). $CITEKIT_CATALOGUE adds more.",
        readable=False,  # the loader says why it cannot read one, in one line
    ),
]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Use only the user's catalogues.")]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format. Default: table on a terminal, else plain."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Short for --format json.")]


class CatalogueOptions:
    """Which catalogues a command reads."""

    __slots__ = ("builtin", "paths")

    def __init__(self, paths: list[Path] | None = None, *, builtin: bool = True) -> None:
        self.paths = tuple(paths or ())
        self.builtin = builtin


def load(options: "CatalogueOptions") -> "Catalogue":
    from citekit.catalogue import Sources, load_catalogue

    return load_catalogue(Sources(paths=options.paths, builtin=options.builtin).resolve())


def choose_format(fmt: Format | None, as_json: bool) -> Format:
    if as_json:
        return Format.json
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.plain


def console() -> "Console":
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


MIN_TABLE_WIDTH = 80
"""Narrower terminals get the plain layout, wrapped: a table there squeezes its text."""


def draw_table(draw: "Callable[[Console], None]", plain: Callable[[], str]) -> None:
    """Draw a table, or on a narrow terminal the plain layout, wrapped between words."""
    out = console()
    if out.width >= MIN_TABLE_WIDTH:
        draw(out)
        return
    from rich.text import Text

    # Rich measures in cells and folds only a word longer than a line, so a letter and
    # its marks stay together.
    for line in Text(plain(), overflow="fold").wrap(out, out.width):
        line.rstrip()
        out.print(line)


def echo(text: str) -> None:
    if text:
        sys.stdout.write(text + "\n")


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """The error boundary: citekit's own errors, and any error the library let through
    about a named file, become one line on stderr and exit code 2; Ctrl-C exits 130,
    quietly.
    """

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CitekitError as exc:
            sys.stderr.write(f"citekit: error: {exc}\n")
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE or exc.filename is None:
                raise  # writing stdout failed: `main` deals with that, once
            sys.stderr.write(f"citekit: error: {os_error(exc)}\n")
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_INTERRUPTED) from None

    return wrapper


def os_error(exc: OSError) -> str:
    """An OSError as citekit words errors: `path: reason`, on one line."""
    reason = exc.strerror or str(exc)
    return printable(f"{exc.filename}: {reason}" if exc.filename is not None else reason)
