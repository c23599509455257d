"""What every citekit command shares: options, exit codes and the error boundary.

`handled` is the one place where citekit's errors become one line on stderr and an
exit code; the commands themselves only parse options, call the library and render.
"""

import datetime as dt
import errno
import functools
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from citekit.errors import CitekitError, UsageError, printable
from citekit.output import Format

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a command stopped by Ctrl-C."""


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


def format_parser(
    choices: Iterable[Format], aliases: Mapping[str, Format] | None = None
) -> Callable[[str | Format], Format]:
    """Read --format as one of `choices`; `aliases` are old words still accepted, unlisted."""
    allowed = {f.value: f for f in choices}
    accepted = {**allowed, **(aliases or {})}

    def parse(value: str | Format) -> Format:
        if isinstance(value, Format):
            return value
        found = accepted.get(value.lower())
        if found is None:
            listed = ", ".join(repr(name) for name in allowed)
            raise typer.BadParameter(f"{printable(value)[:40]!r} is not one of {listed}.")
        return found

    return parse


def format_metavar(choices: Iterable[Format]) -> str:
    return "[" + "|".join(f.value for f in choices) + "]"


def format_option(
    choices: Iterable[Format], help: str, aliases: Mapping[str, Format] | None = None
) -> Any:
    """The `--format`/`-f` option of a command family: its formats, listed in --help, and
    the old words still accepted (`aliases`)."""
    choices = tuple(choices)
    return typer.Option(
        "--format",
        "-f",
        parser=format_parser(choices, aliases),
        metavar=format_metavar(choices),
        help=help,
    )


_LOOKUP_FORMATS = (Format.table, Format.plain, Format.json, Format.tsv)
FormatOpt = Annotated[
    Format | None,
    format_option(_LOOKUP_FORMATS, "Output format. Default: table on a terminal, else plain."),
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


def echo(text: str) -> None:
    """One line of output (already safe to print)."""
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


def iso_date(option: str, value: str | None) -> dt.date | None:
    """An option's YYYY-MM-DD value; a clear usage error for anything else."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option}: '{printable(value)[:40]}' is not a date (YYYY-MM-DD)"
        ) from None


def draft_path(argument: str) -> Path:
    """A draft named on the command line as a `Path`: only a bare `-` means stdin.

    `Path("./-")` is `Path("-")`, so a file called "-" named as `./-` (or `.//-`) is
    given by its absolute path, which reading never mistakes for stdin.
    """
    path = Path(argument)
    if str(path) == "-" and argument != "-":
        return Path.cwd() / "-"
    return path
