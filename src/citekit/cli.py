"""The `citekit` command: parse options, call the library, render, map errors to exit codes.

Exit codes: 0 every query found / no error-level finding; 1 a query not found or
ambiguous, or citation problems found; 2 a usage, input or catalogue error.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from citekit import __version__
from citekit.errors import CitekitError, InputError, UsageError

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.matching import Match
    from citekit.model import Document

P = ParamSpec("P")
R = TypeVar("R")

EXIT_OK, EXIT_PROBLEMS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="citekit",
    help="Look up and check citations of Vietnamese Party documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
catalogue_app = typer.Typer(help="Validate catalogue files.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


class Format(str, Enum):
    table = "table"
    plain = "plain"
    json = "json"
    tsv = "tsv"


def _complete_number(incomplete: str) -> Iterator[str]:
    """Shell completion for QUERY: catalogue numbers starting with what was typed."""
    from citekit.folding import fold_query

    try:
        catalogue = _catalogue(CatalogueOptions())
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
        help="A catalogue file to add (repeatable). $CITEKIT_CATALOGUE adds more.",
        dir_okay=False,
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


def _catalogue(options: CatalogueOptions) -> Catalogue:
    from citekit.catalogue import Sources, load_catalogue

    return load_catalogue(Sources(paths=options.paths, builtin=options.builtin).resolve())


def _format(fmt: Format | None, as_json: bool) -> Format:
    if as_json:
        return Format.json
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.plain


def _console() -> object:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _echo(text: str) -> None:
    if text:
        sys.stdout.write(text + "\n")


def handled(func: Callable[P, R]) -> Callable[P, R]:
    """Turn citekit's own errors into one line on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except CitekitError as exc:
            sys.stderr.write(f"citekit: error: {exc}\n")
            raise typer.Exit(exc.exit_code) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        _echo(f"citekit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Look up and check citations of Vietnamese Party documents."""


def _read_queries(queries: list[str]) -> list[str]:
    if queries != ["-"]:
        return queries
    try:
        data = sys.stdin.buffer.read()
    except OSError as exc:
        raise InputError(f"cannot read stdin: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"<stdin>:{line}: not UTF-8") from None
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line]


@app.command()
@handled
def lookup(
    queries: Annotated[
        list[str],
        typer.Argument(
            help="Numbers or title words: '148-QĐ/TW', '148 qd tw', 'Quy định 148'. "
            "'-' reads one query per line from stdin.",
            autocompletion=_complete_number,
            show_default=False,
        ),
    ],
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Resolve each QUERY to a document: number, kind, date, issuer, title."""
    from citekit import matching, render

    texts = _read_queries(queries)
    if not texts:
        raise UsageError("no query given on stdin")
    cat = _catalogue(CatalogueOptions(catalogue, builtin=not no_builtin))
    results = [matching.lookup(cat, query) for query in texts]
    chosen = _format(fmt, as_json)
    if chosen is Format.json:
        _echo(render.results_json(results))
    elif chosen is Format.tsv:
        _echo(render.results_tsv(results))
    elif chosen is Format.plain:
        _echo(render.results_plain(results))
    else:
        from citekit import tables

        tables.results(_console(), results)  # type: ignore[arg-type]
    if any(r.status is not matching.Status.FOUND for r in results):
        raise typer.Exit(EXIT_PROBLEMS)


def _show(items: list[Match] | list[Document], chosen: Format) -> None:
    from citekit import render

    if chosen is Format.json:
        _echo(render.items_json(items))
    elif chosen is Format.tsv:
        _echo(render.matches_tsv(items))
    elif chosen is Format.plain:
        _echo(render.matches_plain(items))
    else:
        from citekit import tables

        tables.documents(_console(), items)  # type: ignore[arg-type]


@app.command()
@handled
def search(
    text: Annotated[str, typer.Argument(help="Words of a title, accents optional.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most results.")] = 10,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search titles; print a ranked list with scores (0-100)."""
    from citekit import matching

    cat = _catalogue(CatalogueOptions(catalogue, builtin=not no_builtin))
    _show(matching.search(cat, text, limit), _format(fmt, as_json))


@app.command("list")
@handled
def list_(
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only this kind, e.g. 'Quy định' or 'quy dinh'.")
    ] = None,
    issuer: Annotated[
        str | None, typer.Option("--issuer", help="Only this issuer, e.g. 'Ban Bí thư'.")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only documents of this year.")] = None,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the catalogue, optionally filtered."""
    from citekit.folding import fold_query

    cat = _catalogue(CatalogueOptions(catalogue, builtin=not no_builtin))
    documents = list(cat)
    if kind is not None:
        documents = [d for d in documents if fold_query(d.kind.value) == fold_query(kind)]
    if issuer is not None:
        documents = [d for d in documents if fold_query(issuer) in fold_query(d.issuer)]
    if year is not None:
        documents = [d for d in documents if d.known_year == year]
    _show(documents, _format(fmt, as_json))


@app.command()
@handled
def cite(
    query: Annotated[
        str, typer.Argument(help="A number or title words.", autocompletion=_complete_number)
    ],
    short: Annotated[bool, typer.Option("--short", help="Leave out the title.")] = False,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Print the citation exactly as a draft should write it."""
    from citekit import citation, matching

    cat = _catalogue(CatalogueOptions(catalogue, builtin=not no_builtin))
    result = matching.lookup(cat, query)
    if result.status is matching.Status.FOUND:
        _echo(citation.cite(result.matches[0].document, short=short))
        return
    from citekit import render

    _echo(render.results_plain([result]))
    raise typer.Exit(EXIT_PROBLEMS)


@catalogue_app.command("check")
@handled
def catalogue_check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Catalogue files. Default: the built-in one.", show_default=False),
    ] = None,
) -> None:
    """Validate catalogue files; print every problem as file:line: message."""
    from citekit.catalogue import builtin_path
    from citekit.errors import CatalogueError
    from citekit.loading import load_file

    failed = False
    for path in paths or [builtin_path()]:
        try:
            count = len(load_file(path))
        except CatalogueError as exc:
            failed = True
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
        else:
            _echo(f"{path}: {count} documents, valid")
    if failed:
        raise typer.Exit(EXIT_ERROR)


def main() -> None:
    """Entry point: run the app; a closed stdout (`| head -1`) ends quietly."""
    try:
        app()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_PROBLEMS)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
