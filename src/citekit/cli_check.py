"""`citekit check` and `citekit refs`: verify the citations in drafts.

The work is the library's (`citekit.batch`); this module reads the options, reports
skipped files as they happen, renders, and picks the exit code.
"""

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from citekit.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_PROBLEMS,
    CatalogueOpt,
    NoBuiltinOpt,
    draft_path,
    echo,
    format_option,
    handled,
    iso_date,
)
from citekit.errors import UsageError, printable
from citekit.output import Format

if TYPE_CHECKING:
    import datetime as dt

    from citekit.batch import Batch, BatchStream, Skipped
    from citekit.codes import Severity
    from citekit.findings import Finding, Report

CHECK_FORMATS = (Format.plain, Format.json, Format.github)
REFS_FORMATS = (Format.table, Format.plain, Format.json, Format.tsv)

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
    """The --as-of date, today by default."""
    import datetime as dt

    return iso_date("--as-of", value) or dt.date.today()


def _tell(skipped: "Skipped") -> None:
    """A skipped file, on stderr as it happens: a binary file is a note, else an error."""
    level = "error" if skipped.error else "note"
    sys.stderr.write(f"citekit: {level}: {printable(skipped.message)}\n")


def _stream(
    paths: list[Path],
    catalogue: list[Path] | None,
    no_builtin: bool,
    *,
    changed_only: bool = False,
    base: str | None = None,
    as_of: "dt.date | None" = None,
    encoding: str | None = None,
    jobs: int | None = None,
) -> "BatchStream":
    from citekit.batch import BatchOptions, stream_paths

    if encoding is not None:
        from citekit.legacy import canonical

        encoding = canonical(encoding)
    options = BatchOptions(
        catalogues=tuple(catalogue or ()),
        builtin=not no_builtin,
        changed_only=changed_only,
        base=base,
        as_of=as_of,
        encoding=encoding,
        jobs=jobs,
    )
    return stream_paths(paths, options, on_skip=_tell)


def _fix(reports: "list[Report]", *, write: bool, track_changes: bool = False) -> int:
    """Apply (or, with write=False, print as a diff) the fixes; return how many.

    A Word draft's numbers are rewritten inside the runs that hold them, their formatting
    kept; with `track_changes`, as revisions by "citekit" for the reviewer to accept.
    """
    import dataclasses

    from citekit.drafts import Format as DraftFormat
    from citekit.fixing import fixed_text, unified_diff, write_atomic
    from citekit.output._cells import safe

    count = 0
    written: list[str] = []  # named in an error, as they were rewritten all the same
    for report in reports:
        if report.draft.format is not DraftFormat.TEXT:
            count += _fix_word(report, write=write, track_changes=track_changes)
            continue
        fixed = fixed_text(report)
        if fixed is None:
            continue
        count += sum(f.edit is not None for f in report.findings)
        if not write:
            # The headers name the file: one line each, whatever the name holds.
            named = dataclasses.replace(report.draft, path=safe(report.draft.path))
            sys.stdout.write(unified_diff(dataclasses.replace(report, draft=named), fixed))
        elif report.draft.path == "<stdin>":
            raise UsageError("--fix cannot rewrite stdin; use --diff")
        else:
            data, stamp = report.draft.encode(fixed), report.draft.stamp
            write_atomic(Path(report.draft.path), data, stamp=stamp, written=written)
    return count


def _fix_word(report: "Report", *, write: bool, track_changes: bool) -> int:
    """Fix one Word draft in place (atomically), or print its diff; how many were fixed.

    A number inside a field, a hyperlink or an existing tracked change is left alone and
    named on stderr: "not fixed: inside a field"."""
    import datetime as dt
    import tempfile

    from citekit import word
    from citekit.fixing import write_atomic
    from citekit.output._cells import safe

    if not any(f.edit is not None for f in report.findings):
        return 0
    source = Path(report.draft.path)
    if not write and source.suffix.lower() != ".docx":  # a .doc is not rewritten: every edit
        diff = word.diff_word(report)
        sys.stdout.write("".join(safe(line) + "\n" for line in diff.splitlines()))
        return sum(f.edit is not None for f in report.findings)
    if source.suffix.lower() != ".docx":
        raise UsageError(f"{report.draft.path}: --fix rewrites .docx files; save it as .docx")
    with tempfile.TemporaryDirectory(prefix="citekit-fix-") as work:
        out = Path(work) / source.name  # --diff too: it shows what this copy holds
        when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        done = word.fix_word(source, report, out, track_changes=track_changes, when=when)
        for skipped in done.skipped:
            sys.stderr.write(f"citekit: note: {safe(str(skipped))}\n")
        if not write:
            diff = word.diff_word(report, done.applied)
            sys.stdout.write("".join(safe(line) + "\n" for line in diff.splitlines()))
        elif done.fixed:
            write_atomic(source, out.read_bytes(), stamp=report.draft.stamp)
    return done.fixed


def _annotate(reports: "list[Report]", out: Path | None, folder: Path | None) -> None:
    """Write a copy of each Word draft with a review comment per finding."""
    import datetime as dt

    from citekit import word
    from citekit.drafts import Format as DraftFormat
    from citekit.output._cells import safe

    if out is not None and len(reports) > 1:
        raise UsageError("--annotate FILE takes one draft; with several, use --annotate-dir")
    when = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for report in reports:
        source = Path(report.draft.path)
        if report.draft.format is not DraftFormat.WORD or source.suffix.lower() != ".docx":
            raise UsageError(
                f"{report.draft.path}: --annotate writes Word comments into a .docx copy; "
                "for a text draft, read the findings"
            )
        target = out or (folder or source.parent) / f"{source.stem}.citekit.docx"
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        count = word.annotate(source, report, target, when=when)
        sys.stderr.write(f"citekit: note: {safe(str(target))}: {count} comments\n")


class _Tally:
    """Findings passed on as they come, counted by severity and by whether they fail."""

    def __init__(self, *, strict: bool, diff: bool) -> None:
        self.strict = strict
        self.diff = diff
        self.severities: Counter[Severity] = Counter()
        self.failing = 0

    def count(self, findings: Iterable["Finding"]) -> Iterator["Finding"]:
        from citekit.codes import Severity

        for finding in findings:
            self.severities[finding.severity] += 1
            if finding.severity is Severity.ERROR or (
                self.strict and not (self.diff and finding.edit)
            ):
                self.failing += 1
            yield finding


def register(app: typer.Typer) -> None:
    """Add `check` and `refs` to the app."""

    @app.command()
    @handled
    def check(
        paths: PathsArg,
        fmt: Annotated[
            Format, format_option(CHECK_FORMATS, "Output format.", {"text": Format.plain})
        ] = Format.plain,
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
        track_changes: Annotated[
            bool,
            typer.Option("--track-changes", help="With --fix: record Word fixes as revisions."),
        ] = False,
        annotate: Annotated[
            Path | None,
            typer.Option(
                "--annotate",
                metavar="OUT.docx",
                help="Write a copy of the Word draft with a review comment per finding.",
            ),
        ] = None,
        annotate_dir: Annotated[
            Path | None,
            typer.Option(
                "--annotate-dir",
                metavar="DIR",
                help="Annotated copies of several Word drafts go here (name.citekit.docx).",
            ),
        ] = None,
        encoding: Annotated[
            str | None,
            typer.Option(
                "--encoding",
                metavar="tcvn3|vni|viscii|cp1258",
                help="Text drafts typed in a legacy Vietnamese encoding.",
            ),
        ] = None,
        jobs: Annotated[
            int | None,
            typer.Option(
                "--jobs",
                "-j",
                metavar="N",
                help="Processes to check drafts with. Default: one per CPU for a large batch.",
                show_default=False,
            ),
        ] = None,
    ) -> None:
        """Verify every citation in drafts: number, kind, date and issuer."""
        from citekit.batch import collect
        from citekit.output.check import FINDINGS, summary

        if fix and diff:
            raise UsageError("--fix and --diff exclude each other")
        if track_changes and not fix:
            raise UsageError("--track-changes goes with --fix")
        stream = _stream(
            paths,
            catalogue,
            no_builtin,
            changed_only=changed_only,
            base=base,
            as_of=_as_of(as_of),
            encoding=encoding,
            jobs=jobs,
        )
        batch: Batch | BatchStream = stream
        fixed = 0
        annotating = annotate is not None or annotate_dir is not None
        if fix or diff or annotating:  # these need every draft's findings first
            batch = collect(stream)
            if fix or diff:
                fixed = _fix(batch.reports, write=fix, track_changes=track_changes)
            if annotating:
                _annotate(batch.reports, annotate, annotate_dir)
        findings: Iterable[Finding] = batch.findings()  # else streamed as checked
        if fix:  # what was fixed is no longer a problem
            findings = (f for f in findings if f.edit is None)
        tally = _Tally(strict=strict, diff=diff)
        findings = tally.count(findings)
        if fmt is Format.plain and diff:  # the diff is the output
            for _ in findings:
                pass
        else:
            FINDINGS[fmt](findings, sys.stdout)
        if fmt is Format.plain and not diff:
            if fix:
                echo(f"Fixed {fixed} number{'s' if fixed != 1 else ''}.")
            echo(
                summary(
                    tally.severities,
                    batch.files,
                    batch.citations,
                    batch.unreadable,
                    batch.verdicts(),
                )
            )
        if batch.unreadable:
            raise typer.Exit(EXIT_ERROR)
        raise typer.Exit(EXIT_PROBLEMS if tally.failing else EXIT_OK)

    @app.command()
    @handled
    def refs(
        paths: PathsArg,
        fmt: Annotated[
            Format | None, format_option(REFS_FORMATS, "Default: table on a terminal, else tsv.")
        ] = None,
        catalogue: CatalogueOpt = None,
        no_builtin: NoBuiltinOpt = False,
    ) -> None:
        """Print the table of authorities: every document a draft cites, and where."""
        from citekit.authorities import Authorities
        from citekit.output.refs import AUTHORITIES

        batch = _stream(paths, catalogue, no_builtin)
        table = Authorities()
        for one in batch.drafts():
            table.add_draft(one.draft, one.checked)
        entries = table.entries()
        chosen = fmt or (Format.table if sys.stdout.isatty() else Format.tsv)
        AUTHORITIES[chosen](entries, sys.stdout, with_path=batch.files > 1)
        if batch.unreadable:
            raise typer.Exit(EXIT_ERROR)
