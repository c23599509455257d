"""Rich tables for a terminal. Imported only when the table format is chosen."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from citekit.citation import date_text
from citekit.matching import Match, Result, Status
from citekit.model import Document
from citekit.render import notes, provenance


def _table(title: Text | None = None) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    table.add_column("Number", no_wrap=True, style="bold cyan")
    table.add_column("Kind", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Issuer")
    table.add_column("Title", ratio=1)
    return table


def _row(table: Table, document: Document, match: Match | None = None) -> None:
    title = Text(document.title or "(title unknown)", style="" if document.title else "dim")
    title.append(f"\n{provenance(document)}", style="dim")
    for line in notes(document):
        title.append(f"\n{line}", style="yellow" if line.startswith("known") else "dim")
    number = Text(document.number)
    if match is not None and match.match.value != "exact":
        number.append(f"\n{match.match.value} {match.score:g}", style="dim")
    table.add_row(number, document.kind.value, date_text(document), document.issuer, title)


def results(console: Console, items: Sequence[Result]) -> None:
    parts: list[RenderableType] = []
    for r in items:
        if r.status is Status.NOT_FOUND:
            line = Text(f"{r.query}: ", style="bold")
            line.append("not found", style="red")
            if r.suggestions:
                line.append("; did you mean ")
                line.append(", ".join(m.document.number for m in r.suggestions), style="cyan")
                line.append("?")
            parts.append(line)
            continue
        label = "ambiguous" if r.status is Status.AMBIGUOUS else None
        table = _table(Text(f"{r.query}: {label}") if label else None)  # never markup
        for match in r.matches:
            _row(table, match.document, match)
        parts.append(table)
    console.print(Group(*parts))


def documents(console: Console, items: Iterable[Match | Document]) -> None:
    table = _table()
    for item in items:
        if isinstance(item, Match):
            _row(table, item.document, item)
        else:
            _row(table, item)
    console.print(table)
