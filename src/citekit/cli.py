"""The `citekit` command: parse options, call the library, render, map errors to exit codes.

Exit codes: 0 every query found / no error-level finding; 1 a query not found or
ambiguous, or citation problems found; 2 a usage, input or catalogue error; 130
interrupted (Ctrl-C).
"""

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from citekit import __version__, cli_check
from citekit.cli_common import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_PROBLEMS,
    CatalogueOpt,
    CatalogueOptions,
    FormatOpt,
    JsonOpt,
    NoBuiltinOpt,
    choose_format,
    complete_number,
    echo,
    handled,
    iso_date,
    load,
    os_error,
)
from citekit.errors import InputError, UsageError, printable

if TYPE_CHECKING:
    from typer.models import CommandInfo

    from citekit.matching import Match, Result
    from citekit.model import Document
    from citekit.output import Format

MAX_LIMIT = 1_000_000_000
"""Most results `search --limit` takes; any catalogue is far smaller."""

app = typer.Typer(
    name="citekit",
    help="Look up and check citations of Vietnamese Party documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
catalogue_app = typer.Typer(help="Validate catalogue files.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


def _version(value: bool) -> None:
    if value:
        echo(f"citekit {__version__}")
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
            metavar="QUERY...",
            help="Numbers or title words: '148-QĐ/TW', '148 qd tw', 'Quy định 148'. "
            "'-' reads one query per line from stdin.",
            autocompletion=complete_number,
            show_default=False,
        ),
    ],
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Resolve each QUERY to a document: number, kind, date, issuer, title."""
    from citekit import matching
    from citekit.output.lookup import RESULTS
    from citekit.queries import lookup

    texts = _read_queries(queries)
    if not texts:
        raise UsageError("no query given on stdin")
    cat = load(CatalogueOptions(catalogue, builtin=not no_builtin))
    results = [_echoable(lookup(cat, query)) for query in texts]
    RESULTS[choose_format(fmt, as_json)](results, sys.stdout)
    if any(r.status is not matching.Status.FOUND for r in results):
        raise typer.Exit(EXIT_PROBLEMS)


def _echoable(result: "Result") -> "Result":
    """The result with its query printable, since every format echoes the query back:
    a control character, an escape sequence or a bidi mark typed in it is shown escaped.
    """
    if result.query.isprintable():
        return result
    return result._replace(query=printable(result.query))


def _show(items: "list[Match] | list[Document]", fmt: "Format | None", as_json: bool) -> None:
    from citekit.output.lookup import DOCUMENTS

    DOCUMENTS[choose_format(fmt, as_json)](items, sys.stdout)


@app.command()
@handled
def search(
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="Words of a title, accents optional.")
    ],
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="Most results.")
    ] = 10,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Search titles; print a ranked list with scores (0-100)."""
    from citekit import matching

    cat = load(CatalogueOptions(catalogue, builtin=not no_builtin))
    _show(matching.search(cat, text, limit), fmt, as_json)


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
    date: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="Only documents of this day."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--from", metavar="YYYY-MM-DD", help="Only from this day on.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", metavar="YYYY-MM-DD", help="Only up to this day.")
    ] = None,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
    fmt: FormatOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the catalogue, optionally filtered."""
    from citekit.listing import Filters, select

    filters = Filters(
        kind=kind,
        issuer=issuer,
        year=year,
        date=iso_date("--date", date),
        since=iso_date("--from", since),
        until=iso_date("--to", until),
    )
    cat = load(CatalogueOptions(catalogue, builtin=not no_builtin))
    _show(select(cat, filters), fmt, as_json)


@app.command()
@handled
def cite(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY", help="A number or title words.", autocompletion=complete_number
        ),
    ],
    short: Annotated[bool, typer.Option("--short", help="Leave out the title.")] = False,
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Print the citation exactly as a draft should write it."""
    from citekit import citation, matching, queries
    from citekit.output._cells import safe

    cat = load(CatalogueOptions(catalogue, builtin=not no_builtin))
    result = queries.lookup(cat, query)
    if result.status is matching.Status.FOUND:
        echo(safe(citation.cite(result.matches[0].document, short=short)))
        return
    from citekit.output.lookup import results_plain

    results_plain([_echoable(result)], sys.stdout)
    raise typer.Exit(EXIT_PROBLEMS)


@catalogue_app.command("check")
@handled
def catalogue_check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[PATH]...",
            help="Catalogue files. Default: the built-in one.",
            show_default=False,
            readable=False,  # the loader says why it cannot read one, in one line
        ),
    ] = None,
) -> None:
    """Validate catalogue files; print every problem as file:line: message.

    Each file alone (fields, numbers, dates against terms, sources), then all of them
    together: relations point at documents a catalogue holds, and agree both ways.
    """
    from citekit import consistency
    from citekit.catalogue import builtin_path
    from citekit.errors import CatalogueError
    from citekit.loading import load_file

    failed = False
    loaded = {}
    for path in paths or [builtin_path()]:
        try:
            loaded[path] = load_file(path)
        except CatalogueError as exc:
            failed = True
            for problem in exc.problems:
                sys.stderr.write(f"{problem}\n")
    context = [] if not paths or builtin_path() in paths else _quiet_builtin(builtin_path())
    documents = [d for docs in loaded.values() for d in docs]
    inconsistent = consistency.problems(documents, context)[: consistency.MAX_SHOWN]
    for problem in inconsistent:
        sys.stderr.write(f"{problem}\n")
    flawed = {problem.path for problem in inconsistent}
    for path, docs in loaded.items():
        if str(path) not in flawed:
            echo(f"{printable(str(path))}: {len(docs)} documents, valid")
    if failed or inconsistent:
        raise typer.Exit(EXIT_ERROR)


@catalogue_app.command("harvest")
@handled
def catalogue_harvest(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Trusted texts: drafts or published documents (text, Markdown, .docx), "
            "or folders of them.",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="The catalogue to write.")
    ],
    catalogue: CatalogueOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Write a catalogue of every document the texts cite in full.

    Number, kind, date and issuer from each full citation, the title from its "về …"
    clause; citations of one document merged, disagreements kept as contested and
    printed. Documents the catalogues already hold (the built-in one, unless
    --no-builtin) are left out, so the result goes beside them with --catalogue.
    """
    from citekit import harvest
    from citekit.output._cells import safe

    known = {d.key for d in load(CatalogueOptions(catalogue, builtin=not no_builtin))}
    harvested = harvest.harvest(paths)
    kept = harvest.kept(harvested, known)
    for line in harvest.report(harvested, known):
        sys.stderr.write(f"citekit: note: {safe(line)}\n")
    harvest.save(out, harvest.to_yaml(kept))
    echo(f"{printable(str(out))}: {len(kept)} documents harvested")


def _quiet_builtin(path: Path) -> "list[Document]":
    """The built-in catalogue as context for a user's relations; none if it fails to load."""
    from citekit.errors import CatalogueError
    from citekit.loading import load_file

    try:
        return load_file(path)
    except CatalogueError:
        return []


cli_check.register(app)  # check and refs, after the lookup commands in --help


def main() -> None:
    """Entry point: run the app.

    A closed stdout (`| head -1`) ends quietly, and so does Ctrl-C (exit 130); a stdout
    that cannot be written (a full disk) is one error line. Output is flushed here, not
    at exit, where Python could only complain in a message of its own.
    """
    _tolerant_stdout()
    try:
        try:
            _only_the_command_asked_for(sys.argv[1:])
            app()
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(EXIT_PROBLEMS)
    except KeyboardInterrupt:  # outside a command (handled() covers those): exit as one
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:  # writing stdout failed
        _silence_stdout()
        sys.stderr.write(f"citekit: error: {os_error(exc)}\n")
        sys.exit(EXIT_ERROR)


def _only_the_command_asked_for(args: list[str]) -> None:
    """Leave registered only the command the arguments name, when they name one.

    Typer builds a Click command for every registered command on every run, reading
    their signatures; `citekit lookup 148-QĐ/TW` needs one of them. With no command
    named (`citekit --help`, an unknown word) or while the shell completes, all stay.
    """
    if not args or args[0].startswith("-"):
        return
    if any(name.startswith("_CITEKIT_COMPLETE") for name in os.environ):
        return
    wanted = args[0]
    commands = [c for c in app.registered_commands if _command_name(c) == wanted]
    groups = [g for g in app.registered_groups if g.name == wanted]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups


def _command_name(info: "CommandInfo") -> str:
    if info.name:
        return info.name
    callback_name = info.callback.__name__ if info.callback else ""
    return callback_name.lower().replace("_", "-")


def _tolerant_stdout() -> None:
    """Never fail on a character stdout cannot encode.

    A file name that is not UTF-8 reaches Python as surrogates: to a UTF-8 stdout they
    go out as the bytes of the name, as `ls` writes them; to another encoding, any
    character it lacks goes out as a backslash escape.
    """
    import codecs

    stream = sys.stdout
    if not hasattr(stream, "reconfigure"):  # pragma: no cover - replaced by the caller
        return
    try:
        utf8 = codecs.lookup(stream.encoding).name == "utf-8"
    except LookupError:  # pragma: no cover - Python opened it with this encoding
        utf8 = False
    stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
