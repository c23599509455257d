"""Findings of `check`: as lines (ruff's and flake8's layout), JSON, GitHub annotations.

A finding in a Word draft is placed by its paragraph's location rather than a line:
`draft.docx:table 1 row 2 cell 3 ¶1:7: code message — “quote”`. Renderers take the
findings as an iterable and write each as it comes: a draft with a million findings is
never one string, nor one list of JSON objects.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TextIO

from citekit.codes import Severity, Verdict
from citekit.output import Format
from citekit.output._cells import safe, write_json_array

if TYPE_CHECKING:
    from citekit.findings import Finding
    from citekit.wordfiles import Location

_RESET, _BOLD, _RED, _YELLOW, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[2m"


def use_colour(stream: Any) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def finding_line(finding: Finding, *, colour: bool = False) -> str:
    """`path:line:col: code message`, as ruff and flake8 print them, on one line
    whatever the file name, message or quote holds.

    In a Word draft, `path:location:col: code message — “quote”`, the location being
    the paragraph's (`body ¶12`, `footnote 2 ¶1`, `table 1 row 2 cell 3 ¶1`).
    """
    where = safe(f"{finding.path}:{finding.position.label}:{finding.column}:")
    code = finding.code.value
    message = safe(finding.message)
    quote = f" — “{safe(finding.quote)}”" if finding.quote is not None else ""
    if not colour:
        return f"{where} {code} {message}{quote}"
    tint = _RED if finding.severity is Severity.ERROR else _YELLOW
    quote = f"{_DIM}{quote}{_RESET}" if quote else ""
    return f"{_BOLD}{where}{_RESET} {tint}{code}{_RESET} {message}{quote}"


def summary(
    counts: Mapping[Severity, int],
    files: int,
    citations: int,
    unreadable: int = 0,
    verdicts: Mapping[Verdict, int] | None = None,
) -> str:
    """The closing line: what was checked, what was found, and what could not be verified.

    "Found 1 error and 0 warnings (2 files, 5 citations: 3 verified, 2 not verifiable)."
    """
    errors = counts.get(Severity.ERROR, 0)
    warnings = counts.get(Severity.WARNING, 0)
    checked = f"{files} file{'s' if files != 1 else ''}, {citations} citation" + (
        "s" if citations != 1 else ""
    )
    verdicts = verdicts or {}
    verified = verdicts.get(Verdict.VERIFIED, 0)
    unverifiable = verdicts.get(Verdict.NOT_IN_CATALOGUE, 0) + verdicts.get(Verdict.PARTIAL, 0)
    if unverifiable:
        checked += f": {verified} verified, {unverifiable} not verifiable"
    if unreadable:
        checked += f"; {unreadable} file{'s' if unreadable != 1 else ''} could not be read"
    if not errors and not warnings and not unreadable:
        if unverifiable:
            return f"No problems found ({checked})."
        return f"All citations verified ({checked})."
    return (
        f"Found {errors} error{'s' if errors != 1 else ''} and "
        f"{warnings} warning{'s' if warnings != 1 else ''} ({checked})."
    )


def location_json(where: Location) -> dict[str, Any]:
    """A Word paragraph's location: part, its number, paragraph, and table cells."""
    innermost = where.cells[-1] if where.cells else None
    return {
        "part": where.part.value,
        "part_number": where.part_number,
        "paragraph": where.paragraph,
        "table": innermost.table if innermost else None,
        "row": innermost.row if innermost else None,
        "cell": innermost.cell if innermost else None,
        "table_path": [{"table": c.table, "row": c.row, "cell": c.cell} for c in where.cells],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    """The JSON contract's finding; a Word draft's adds its location and quote."""
    word = {}
    if finding.position.location is not None:
        word = {**location_json(finding.position.location), "quote": finding.quote}
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code.value,
        "severity": finding.severity.value,
        "message": finding.message,
        "number": finding.number,
        "expected": finding.expected,
        "found": finding.found,
        **word,
    }


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    value = safe(value)
    return value.replace(":", "%3A").replace(",", "%2C") if prop else value


def github(finding: Finding) -> str:
    """A GitHub Actions workflow command that annotates the finding.

    A Word draft has no lines to annotate: the annotation is on the file, and the
    message starts with the paragraph's location and ends with the quote.
    """
    level = "error" if finding.severity is Severity.ERROR else "warning"
    title = f"title={_escape('citekit ' + finding.code.value, prop=True)}"
    file = f"file={_escape(finding.path, prop=True)}"
    if finding.position.location is not None:
        label = finding.position.label
        message = f"{label}:{finding.column}: {finding.message} — “{finding.quote}”"
        return f"::{level} {file},{title}::{_escape(message)}"
    props = ",".join(
        [
            file,
            f"line={finding.line}",
            f"col={finding.column}",
            f"endLine={finding.end_line}",
            f"endColumn={finding.end_column}",
            title,
        ]
    )
    return f"::{level} {props}::{_escape(finding.message)}"


def findings_plain(findings: Iterable[Finding], out: TextIO) -> None:
    colour = use_colour(out)
    for finding in findings:
        out.write(finding_line(finding, colour=colour) + "\n")


def findings_json(findings: Iterable[Finding], out: TextIO) -> None:
    write_json_array(out, map(finding_json, findings))


def findings_github(findings: Iterable[Finding], out: TextIO) -> None:
    for finding in findings:
        out.write(github(finding) + "\n")


FINDINGS: dict[Format, Callable[[Iterable[Finding], TextIO], None]] = {
    Format.plain: findings_plain,
    Format.json: findings_json,
    Format.github: findings_github,
}
"""How each format prints the findings of `check`."""
