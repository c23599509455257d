"""`citekit check` and `citekit refs`: verify the citations in drafts."""

import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from citekit.cliopts import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    CatalogueOpt,
    NoBuiltinOpt,
    draw_table,
    echo,
    handled,
)
from citekit.drafts import draft_path
from citekit.errors import UsageError, printable

if TYPE_CHECKING:
    import datetime as dt

    from citekit.catalogue import Catalogue
    from citekit.config import Config
    from citekit.findings import Report


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class RefsFormat(str, Enum):
    table = "table"
    json = "json"
    tsv = "tsv"


PathsArg = Annotated[
    list[Path],
    typer.Argument(
        metavar="PATH...",
        help="Draft files or directories (walked, honouring .gitignore); '-' reads stdin.",
        show_default=False,
        parser=draft_path,  # only a bare '-' is stdin; no Click access check (exit 2, one line)
    ),
]


def _as_of(value: str | None) -> "dt.date":
    """The --as-of date, today by default; a clear usage error for anything else."""
    import datetime as dt

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: '{printable(value)[:40]}' is not a date (YYYY-MM-DD)") from None


class _Run:
    """One run over many drafts: catalogues cached per configuration, errors counted."""

    def __init__(self, extra: list[Path] | None, no_builtin: bool) -> None:
        self.extra = tuple(extra or ())
        self.no_builtin = no_builtin
        self.catalogues: dict[tuple[tuple[Path, ...], bool], Catalogue] = {}
        self.input_errors = 0
        self.files = 0

    def catalogue(self, config: "Config") -> "Catalogue":
        from citekit.catalogue import Sources, load_catalogue

        builtin = config.builtin and not self.no_builtin
        key = (config.catalogues + self.extra, builtin)
        if key not in self.catalogues:
            sources = Sources(paths=key[0], builtin=builtin)
            self.catalogues[key] = load_catalogue(sources.resolve())
        return self.catalogues[key]

    def reports(
        self,
        paths: list[Path],
        *,
        changed_only: bool,
        base: str | None,
        as_of: "dt.date | None" = None,
    ) -> "list[Report]":
        """A report for each draft under `paths`.

        With `changed_only`, a text draft reports only the lines git sees added; a Word
        draft, which git cannot diff by line, is checked whole.
        """
        from citekit import config as configuration
        from citekit.drafts import BinaryFile, Format, read_draft
        from citekit.errors import InputError
        from citekit.findings import check_draft
        from citekit.gitlines import added_lines
        from citekit.walking import expand

        if base and not changed_only:
            raise UsageError("--base goes with --changed-only")
        out: list[Report] = []
        for path in expand(paths):
            config = configuration.for_file(path)
            if config.excludes(path):
                continue
            try:
                draft = read_draft(path)
            except BinaryFile as exc:
                sys.stderr.write(f"citekit: note: {exc}\n")
                continue
            except InputError as exc:
                sys.stderr.write(f"citekit: error: {exc}\n")
                self.input_errors += 1
                continue
            self.files += 1
            by_line = changed_only and draft.format is Format.TEXT and str(path) != "-"
            lines = added_lines(path, base) if by_line else None
            catalogue = self.catalogue(config)
            out.append(check_draft(draft, catalogue, config, lines=lines, as_of=as_of))
        return out


def _fix(reports: "list[Report]", *, write: bool) -> int:
    """Apply (or, with write=False, print as a diff) the fixes; return how many.

    A Word draft among them refuses the lot before anything is written: rewriting
    numbers inside Word's runs without losing formatting is not done.
    """
    from citekit.drafts import Format
    from citekit.fixing import fixed_text, unified_diff, write_atomic

    flag = "--fix" if write else "--diff"
    for report in reports:
        if report.draft.format is not Format.TEXT:
            raise UsageError(
                f"{report.draft.path}: {flag} does not rewrite Word files; "
                f"correct the numbers in Word (check without {flag} lists them)"
            )
    count = 0
    written: list[str] = []  # named in an error, as they were rewritten all the same
    for report in reports:
        fixed = fixed_text(report)
        if fixed is None:
            continue
        count += sum(f.edit is not None for f in report.findings)
        if not write:
            sys.stdout.write(unified_diff(report, fixed))
        elif report.draft.path == "<stdin>":
            raise UsageError("--fix cannot rewrite stdin; use --diff")
        else:
            data, stamp = report.draft.encode(fixed), report.draft.stamp
            write_atomic(Path(report.draft.path), data, stamp=stamp, written=written)
    return count


def register(app: typer.Typer) -> None:
    """Add `check` and `refs` to the app."""

    @app.command()
    @handled
    def check(
        paths: PathsArg,
        fmt: Annotated[
            CheckFormat, typer.Option("--format", "-f", help="Output format.")
        ] = CheckFormat.text,
        strict: Annotated[bool, typer.Option("--strict", help="Warnings count as errors.")] = False,
        changed_only: Annotated[
            bool, typer.Option("--changed-only", help="Only lines the git diff adds.")
        ] = False,
        base: Annotated[
            str | None,
            typer.Option("--base", metavar="REV", help="Diff base for --changed-only (HEAD)."),
        ] = None,
        fix: Annotated[
            bool, typer.Option("--fix", help="Rewrite non-canonical numbers in place.")
        ] = False,
        diff: Annotated[
            bool, typer.Option("--diff", help="Print what --fix would change; write nothing.")
        ] = False,
        catalogue: CatalogueOpt = None,
        no_builtin: NoBuiltinOpt = False,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                metavar="YYYY-MM-DD",
                help="Report citations of documents replaced by this date. Default: today.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Verify every citation in drafts: number, kind, date and issuer."""
        from citekit import reports as out
        from citekit.codes import Severity

        if fix and diff:
            raise UsageError("--fix and --diff exclude each other")
        from citekit import config as configuration
        from citekit.crosscheck import inconsistencies

        run = _Run(catalogue, no_builtin)
        reports = run.reports(paths, changed_only=changed_only, base=base, as_of=_as_of(as_of))
        fixed = _fix(reports, write=fix) if fix or diff else 0
        findings = [f for r in reports for f in r.findings if not (fix and f.edit is not None)]
        findings += inconsistencies(reports, lambda p: configuration.for_file(Path(p)))
        citations = sum(len(r.resolutions) for r in reports)
        if fmt is CheckFormat.json:
            echo(out.findings_json(findings))
        elif fmt is CheckFormat.github:
            echo("\n".join(out.github(f) for f in findings))
        elif not diff:
            colour = out.use_colour(sys.stdout)
            echo("\n".join(out.finding_line(f, colour=colour) for f in findings))
            if fix:
                echo(f"Fixed {fixed} number{'s' if fixed != 1 else ''}.")
            counts = Counter(v for r in reports for v in r.verdicts)
            echo(out.summary(findings, run.files, citations, run.input_errors, counts))
        failing = [
            f
            for f in findings
            if f.severity is Severity.ERROR or (strict and not (diff and f.edit))
        ]
        if run.input_errors:
            raise typer.Exit(EXIT_ERROR)
        raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)

    @app.command()
    @handled
    def refs(
        paths: PathsArg,
        fmt: Annotated[
            RefsFormat | None,
            typer.Option("--format", "-f", help="Default: table on a terminal, else tsv."),
        ] = None,
        catalogue: CatalogueOpt = None,
        no_builtin: NoBuiltinOpt = False,
    ) -> None:
        """Print the table of authorities: every document a draft cites, and where."""
        from citekit import reports as out
        from citekit.authorities import authorities

        run = _Run(catalogue, no_builtin)
        entries = authorities(run.reports(paths, changed_only=False, base=None))
        with_path = run.files > 1
        chosen = fmt or (RefsFormat.table if sys.stdout.isatty() else RefsFormat.tsv)
        if chosen is RefsFormat.json:
            echo(out.refs_json(entries))
        elif chosen is RefsFormat.tsv:
            echo(out.refs_tsv(entries, with_path=with_path))
        else:
            draw_table(
                lambda screen: screen.print(out.refs_rich(entries, with_path=with_path)),
                lambda: out.refs_plain(entries, with_path=with_path),
            )
        if run.input_errors:
            raise typer.Exit(EXIT_ERROR)
