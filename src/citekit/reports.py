"""Render `check` findings (text, JSON, GitHub annotations) and `refs` tables.

Rendering only: the findings come from `citekit.findings`, the table of authorities
from `citekit.authorities`. A finding in a Word draft is placed by its paragraph's
location rather than a line: `draft.docx:table 1 row 2 cell 3 ¶1:7: code message — “quote”`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from citekit.citation import date_text
from citekit.codes import Severity, Verdict
from citekit.render import dumps

if TYPE_CHECKING:
    from citekit.authorities import Authority, Cited
    from citekit.findings import Finding
    from citekit.wordfiles import Location

_RESET, _BOLD, _RED, _YELLOW, _DIM = "\033[0m", "\033[1m", "\033[31m", "\033[33m", "\033[2m"


def use_colour(stream: Any) -> bool:
    """Colour on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def finding_line(finding: Finding, *, colour: bool = False) -> str:
    """`path:line:col: code message`, as ruff and flake8 print them.

    In a Word draft, `path:location:col: code message — “quote”`, the location being
    the paragraph's (`body ¶12`, `footnote 2 ¶1`, `table 1 row 2 cell 3 ¶1`).
    """
    where = f"{finding.path}:{finding.position.label}:{finding.column}:"
    code = finding.code.value
    quote = f" — “{finding.quote}”" if finding.quote is not None else ""
    if not colour:
        return f"{where} {code} {finding.message}{quote}"
    tint = _RED if finding.severity is Severity.ERROR else _YELLOW
    quote = f"{_DIM}{quote}{_RESET}" if quote else ""
    return f"{_BOLD}{where}{_RESET} {tint}{code}{_RESET} {finding.message}{quote}"


def summary(
    findings: Sequence[Finding],
    files: int,
    citations: int,
    unreadable: int = 0,
    verdicts: Mapping[Verdict, int] | None = None,
) -> str:
    """The closing line: what was checked, what was found, and what could not be verified.

    "Found 1 error and 0 warnings (2 files, 5 citations: 3 verified, 2 not verifiable)."
    """
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
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
    if not findings and not unreadable:
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


def findings_json(findings: Sequence[Finding]) -> str:
    return dumps([finding_json(f) for f in findings])


def _escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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


# --- refs: the table of authorities ------------------------------------------------------


def _lines(entry: Authority, *, with_path: bool) -> str:
    return ", ".join(cited.text(with_path=with_path) for cited in entry.locations)


def _location_json(cited: Cited) -> dict[str, Any]:
    position = cited.position
    out: dict[str, Any] = {"path": cited.path, "line": position.line}
    if position.location is not None:
        out.update(location_json(position.location))
    return out


def authority_json(entry: Authority) -> dict[str, Any]:
    doc = entry.document
    return {
        "number": entry.number,
        "kind": doc.kind.value if doc else None,
        "date": doc.date.isoformat() if doc and doc.date else None,
        "issuer": doc.issuer if doc else None,
        "title": doc.title if doc else None,
        "count": len(entry.locations),
        "locations": [_location_json(cited) for cited in entry.locations],
        "verified": entry.verified,
    }


def refs_json(entries: Sequence[Authority]) -> str:
    return dumps([authority_json(e) for e in entries])


def refs_tsv(entries: Sequence[Authority], *, with_path: bool) -> str:
    rows = ["\t".join(("number", "kind", "date", "issuer", "title", "count", "lines", "verified"))]
    for e in entries:
        doc = e.document
        cells = [
            e.number,
            doc.kind.value if doc else "",
            doc.date.isoformat() if doc and doc.date else "",
            doc.issuer if doc else "",
            (doc.title or "") if doc else "",
            str(len(e.locations)),
            _lines(e, with_path=with_path),
            e.verified,
        ]
        rows.append("\t".join(c.replace("\t", " ").replace("\n", " ") for c in cells))
    return "\n".join(rows)


def refs_plain(entries: Sequence[Authority], *, with_path: bool) -> str:
    """The table of authorities as text, one block per document."""
    blocks = []
    for e in entries:
        doc = e.document
        head = f"{e.number}  " + (
            f"{doc.kind.value}  {date_text(doc)}  {doc.issuer}" if doc else "(in no catalogue)"
        )
        cited = f"cited {len(e.locations)}×: {_lines(e, with_path=with_path)}"
        lines = [head]
        if doc:
            lines.append(f"  {doc.title or '(title unknown)'}")
        lines.append(f"  {cited}; verified: {e.verified}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def refs_rich(entries: Sequence[Authority], *, with_path: bool) -> Any:
    """A Rich table of authorities."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Table of authorities", title_justify="left")
    for name, opts in (
        ("Number", {"no_wrap": True, "style": "bold cyan"}),
        ("Kind", {"no_wrap": True}),
        ("Date", {"no_wrap": True}),
        ("Issuer", {}),
        ("Title", {"ratio": 1}),
        ("Cited", {"no_wrap": True}),
        ("Lines", {}),
        ("Verified", {"no_wrap": True}),
    ):
        table.add_column(name, **opts)
    style = {"yes": "green", "low": "yellow", "no": "red"}
    for e in entries:
        doc = e.document
        table.add_row(
            e.number,
            doc.kind.value if doc else "",
            date_text(doc) if doc else "",
            doc.issuer if doc else "",
            (doc.title or "(title unknown)") if doc else "(in no catalogue)",
            str(len(e.locations)),
            _lines(e, with_path=with_path),
            Text(e.verified, style=style[e.verified]),
        )
    return table
