"""Documents and lookup results: `lookup`, `search`, `list` and `cite` (when not found).

Two families of renderers, each a table from format to function: `RESULTS` for the
answers to queries, `DOCUMENTS` for a list of documents or scored matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from citekit.citation import date_text, vn_date
from citekit.matching import Match, Result, Status
from citekit.model import Confidence, Document
from citekit.model import Status as DocumentStatus
from citekit.output import Format
from citekit.output._cells import (
    multiline,
    table_or_plain,
    text,
    write_json_array,
    write_lines,
    write_tsv,
)
from citekit.relations import relation_text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

Item = Match | Document
"""What `search` (a scored match) and `list` (a document) print."""

TSV_COLUMNS = ("number", "kind", "date", "issuer", "title", "score", "match")


def document_json(document: Document, match: Match | None = None) -> dict[str, Any]:
    """The JSON contract's Document object."""
    return {
        "number": document.number,
        "kind": document.kind.value,
        "date": document.date.isoformat() if document.date else None,
        "issuer": document.issuer,
        "title": document.title,
        "score": round(match.score, 1) if match else None,
        "match": match.match.value if match else None,
        "year": document.known_year,
        "verified": list(document.verified),
        "sources": list(dict.fromkeys(s.name for s in document.sources)),
        "relations": [
            {
                "type": r.type.value,
                "target": r.target,
                "note": r.note,
                "target_date": _iso(r.target_date),
                "date": _iso(r.date),
                "source": r.source,
            }
            for r in document.relations
        ],
        "issuers": list(document.issuers),
        "term": document.term,
        "status": document.status.value if document.status else None,
        "aliases": list(document.aliases),
        "announced": _iso(document.announced),
        "facts": {f: document.confidence(f).value for f in SHOWN_FACTS},
        "contested": {c.fact: list(c.values) for c in document.contested},
        "evidence": [
            {
                "url": s.url,
                "publisher": s.publisher,
                "type": s.type,
                "harvested": s.harvested,
                "states": list(s.states),
            }
            for s in document.sources
        ],
        "misprints": [
            {"field": m.field, "printed": m.printed, "where": m.where} for m in document.misprints
        ],
    }


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


SHOWN_FACTS = ("number", "kind", "date", "issuer", "title")
_SURE = (Confidence.TWO_SOURCES, Confidence.ONE_SOURCE)


def provenance(document: Document) -> str:
    """Which facts public sources confirm, how well, and which rest on less.

    Example: "checked: number, kind, date, issuer (a.vn, b.vn); two sources: number, date;
    unchecked: title".
    """
    facts = [
        "year" if f == "date" and document.date is None and document.year else f
        for f in SHOWN_FACTS
    ]
    levels = {f: document.confidence(f) for f in facts}
    checked = [f for f in facts if levels[f] in _SURE]
    two = [f for f in checked if levels[f] is Confidence.TWO_SOURCES]
    harvested = [f for f in facts if levels[f] is Confidence.HARVESTED]
    contested = [c for c in document.contested if c.fact in facts]
    disputed = {c.fact for c in contested}
    unchecked = [f for f in facts if f not in checked and f not in harvested and f not in disputed]
    parts = []
    if checked:
        names = dict.fromkeys(
            s.name
            for s in document.sources
            if set(s.states) & set(checked) and s.public and (s.publisher or s.url)
        )
        sources = f" ({', '.join(names)})" if names else ""
        parts.append(f"checked: {', '.join(checked)}{sources}")
        if two and two != checked:
            parts.append(f"two sources: {', '.join(two)}")
        elif two:
            parts.append("each by two sources")
    if harvested:
        parts.append(f"harvested: {', '.join(harvested)}")
    for contest in contested:
        parts.append(f"contested {contest.fact}: {' | '.join(contest.values)}")
    if unchecked:
        parts.append(f"unchecked: {', '.join(unchecked)}")
    return "; ".join(parts)


def notes(document: Document) -> list[str]:
    """Relations and known misprints, one line each."""
    lines = []
    if document.status is not None and document.status is not DocumentStatus.IN_FORCE:
        lines.append(f"status: {document.status.value}")
    for relation in document.relations:
        lines.append(relation_text(relation))
    for misprint in document.misprints:
        printed = misprint.printed
        if misprint.field == "date" and len(printed) == 10:
            printed = vn_date(dt.date.fromisoformat(printed))
        lines.append(f"known misprint: {misprint.where} prints the {misprint.field} {printed}")
    return lines


def _pair(item: Item) -> tuple[Document, Match | None]:
    return (item.document, item) if isinstance(item, Match) else (item, None)


# --- JSON --------------------------------------------------------------------------------


def results_json(results: Sequence[Result], out: TextIO) -> None:
    write_json_array(
        out,
        (
            {
                "query": r.query,
                "status": r.status.value,
                "matches": [document_json(m.document, m) for m in r.matches],
                "suggestions": [document_json(m.document, m) for m in r.suggestions],
            }
            for r in results
        ),
    )


def items_json(items: Iterable[Item], out: TextIO) -> None:
    """A JSON array of Documents, scored where the items are matches."""
    write_json_array(out, (document_json(*_pair(item)) for item in items))


# --- TSV ---------------------------------------------------------------------------------


def _tsv_row(document: Document | None, match: Match | None) -> list[str]:
    if document is None:
        return [""] * len(TSV_COLUMNS)
    return [
        document.number,
        document.kind.value,
        document.date.isoformat() if document.date else "",
        document.issuer,
        document.title or "",
        f"{match.score:g}" if match else "",
        match.match.value if match else "",
    ]


def results_tsv(results: Sequence[Result], out: TextIO) -> None:
    rows = (
        [r.query, r.status.value, *row]
        for r in results
        for row in ([_tsv_row(m.document, m) for m in r.matches] or [_tsv_row(None, None)])
    )
    write_tsv(out, ("query", "status", *TSV_COLUMNS), rows)


def items_tsv(items: Iterable[Item], out: TextIO) -> None:
    write_tsv(out, TSV_COLUMNS, (_tsv_row(*_pair(item)) for item in items))


# --- plain -------------------------------------------------------------------------------


def document_lines(document: Document, match: Match | None = None) -> list[str]:
    head = f"{document.number}  {document.kind.value}  {date_text(document)}  {document.issuer}"
    if match and match.match.value != "exact":
        head += f"  [{match.match.value} {match.score:g}]"
    lines = [head, f"  {document.title or '(title unknown)'}", f"  {provenance(document)}"]
    return lines + [f"  {line}" for line in notes(document)]


def _suggest(result: Result) -> str:
    if not result.suggestions:
        return ""
    return "; did you mean " + ", ".join(m.document.number for m in result.suggestions) + "?"


def _result_lines(results: Sequence[Result]) -> Iterator[str]:
    for index, r in enumerate(results):
        if index:
            yield ""
        if r.status is Status.NOT_FOUND:
            yield f"{r.query}: not found{_suggest(r)}"
            continue
        if r.status is Status.AMBIGUOUS:
            yield f"{r.query}: ambiguous, {len(r.matches)} documents:"
        for m in r.matches:
            yield from document_lines(m.document, m)


def results_plain(results: Sequence[Result], out: TextIO) -> None:
    write_lines(out, _result_lines(results))


def _item_line(item: Item) -> str:
    if isinstance(item, Match):
        doc = item.document
        return f"{item.score:5.1f}  {doc.number}  {doc.title or '(title unknown)'}"
    return (
        f"{item.number}  {item.kind.value}  {date_text(item)}  {item.issuer}  "
        f"{item.title or '(title unknown)'}"
    )


def items_plain(items: Iterable[Item], out: TextIO) -> None:
    write_lines(out, map(_item_line, items))


# --- table -------------------------------------------------------------------------------


def _table(title: str | None = None) -> Table:
    from rich.table import Table

    table = Table(
        title=text(title) if title else None, title_justify="left", show_lines=False, expand=False
    )
    table.add_column("Number", no_wrap=True, style="bold cyan")
    table.add_column("Kind", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Issuer")
    table.add_column("Title", ratio=1)
    return table


def _row(table: Table, document: Document, match: Match | None = None) -> None:
    title = [(document.title or "(title unknown)", "" if document.title else "dim")]
    title.append((provenance(document), "dim"))
    title += [(line, "yellow" if line.startswith("known") else "dim") for line in notes(document)]
    number = [(document.number, "")]
    if match is not None and match.match.value != "exact":
        number.append((f"{match.match.value} {match.score:g}", "dim"))
    table.add_row(
        multiline(number),
        text(document.kind.value),
        text(date_text(document)),
        text(document.issuer),
        multiline(title),
    )


def _draw_results(results: Sequence[Result], screen: Console) -> None:
    from rich.console import Group, RenderableType

    parts: list[RenderableType] = []
    for r in results:
        if r.status is Status.NOT_FOUND:
            line = text(f"{r.query}: ", style="bold")
            line.append("not found", style="red")
            if r.suggestions:
                line.append("; did you mean ")
                line.append_text(text(", ".join(m.document.number for m in r.suggestions), "cyan"))
                line.append("?")
            parts.append(line)
            continue
        label = "ambiguous" if r.status is Status.AMBIGUOUS else None
        table = _table(f"{r.query}: {label}" if label else None)
        for match in r.matches:
            _row(table, match.document, match)
        parts.append(table)
    screen.print(Group(*parts))


def results_table(results: Sequence[Result], out: TextIO) -> None:
    table_or_plain(
        out, lambda screen: _draw_results(results, screen), lambda o: results_plain(results, o)
    )


def items_table(items: Iterable[Item], out: TextIO) -> None:
    shown = list(items)

    def draw(screen: Console) -> None:
        table = _table()
        for item in shown:
            _row(table, *_pair(item))
        screen.print(table)

    table_or_plain(out, draw, lambda o: items_plain(shown, o))


RESULTS: dict[Format, Callable[[Sequence[Result], TextIO], None]] = {
    Format.table: results_table,
    Format.plain: results_plain,
    Format.json: results_json,
    Format.tsv: results_tsv,
}
"""How each format prints the results of `lookup`."""

DOCUMENTS: dict[Format, Callable[[Iterable[Item], TextIO], None]] = {
    Format.table: items_table,
    Format.plain: items_plain,
    Format.json: items_json,
    Format.tsv: items_tsv,
}
"""How each format prints the documents of `list` and the matches of `search`."""
