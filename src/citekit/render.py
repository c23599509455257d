"""Render lookup results and documents as plain text, JSON or TSV (tables: `tables.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from citekit.citation import date_text, vn_date
from citekit.matching import Match, Result, Status
from citekit.model import Document

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
        "sources": list(document.sources),
        "relations": [
            {"type": r.type.value, "target": r.target, "note": r.note} for r in document.relations
        ],
        "misprints": [
            {"field": m.field, "printed": m.printed, "where": m.where} for m in document.misprints
        ],
    }


def dumps(value: object) -> str:
    """JSON with the real characters, not \\u escapes."""
    import json  # only JSON output pays for it

    return json.dumps(value, ensure_ascii=False, indent=2)


def results_json(results: Sequence[Result]) -> str:
    return dumps(
        [
            {
                "query": r.query,
                "status": r.status.value,
                "matches": [document_json(m.document, m) for m in r.matches],
                "suggestions": [document_json(m.document, m) for m in r.suggestions],
            }
            for r in results
        ]
    )


def items_json(items: Iterable[Match | Document]) -> str:
    """A JSON array of Documents, scored where the items are matches."""
    return dumps(
        [
            document_json(item.document, item) if isinstance(item, Match) else document_json(item)
            for item in items
        ]
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


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


def results_tsv(results: Sequence[Result]) -> str:
    lines = ["\t".join(("query", "status", *TSV_COLUMNS))]
    for r in results:
        rows = [_tsv_row(m.document, m) for m in r.matches] or [_tsv_row(None, None)]
        lines += ["\t".join(map(_cell, (r.query, r.status.value, *row))) for row in rows]
    return "\n".join(lines)


def matches_tsv(matches: Iterable[Match | Document]) -> str:
    lines = ["\t".join(TSV_COLUMNS)]
    for item in matches:
        match = item if isinstance(item, Match) else None
        document = item.document if isinstance(item, Match) else item
        lines.append("\t".join(map(_cell, _tsv_row(document, match))))
    return "\n".join(lines)


SHOWN_FACTS = ("number", "kind", "date", "issuer", "title")


def provenance(document: Document) -> str:
    """Which facts a public source confirms, and which rest on the catalogue's source alone.

    Example: "checked: number, kind, date, title (source); unchecked: issuer".
    """
    facts = [
        "year" if f == "date" and document.date is None and document.year else f
        for f in SHOWN_FACTS
    ]
    checked = [f for f in facts if f in document.verified]
    unchecked = [f for f in facts if f not in checked]
    parts = []
    if checked:
        sources = f" ({', '.join(document.sources)})" if document.sources else ""
        parts.append(f"checked: {', '.join(checked)}{sources}")
    if unchecked:
        parts.append(f"unchecked: {', '.join(unchecked)}")
    return "; ".join(parts)


def document_plain(document: Document, match: Match | None = None) -> str:
    head = f"{document.number}  {document.kind.value}  {date_text(document)}  {document.issuer}"
    if match and match.match.value != "exact":
        head += f"  [{match.match.value} {match.score:g}]"
    lines = [head, f"  {document.title or '(title unknown)'}", f"  {provenance(document)}"]
    lines += [f"  {line}" for line in notes(document)]
    return "\n".join(lines)


def notes(document: Document) -> list[str]:
    """Relations and known misprints, one line each."""
    lines = []
    for relation in document.relations:
        about = relation.target or (relation.note or "")
        lines.append(f"{relation.type.value}: {about}" if about else relation.type.value)
    for misprint in document.misprints:
        printed = misprint.printed
        if misprint.field == "date" and len(printed) == 10:
            printed = vn_date(dt.date.fromisoformat(printed))
        lines.append(f"known misprint: {misprint.where} prints the {misprint.field} {printed}")
    return lines


def _suggest(result: Result) -> str:
    if not result.suggestions:
        return ""
    return "; did you mean " + ", ".join(m.document.number for m in result.suggestions) + "?"


def results_plain(results: Sequence[Result]) -> str:
    blocks = []
    for r in results:
        if r.status is Status.NOT_FOUND:
            blocks.append(f"{r.query}: not found{_suggest(r)}")
            continue
        body = "\n".join(document_plain(m.document, m) for m in r.matches)
        if r.status is Status.AMBIGUOUS:
            body = f"{r.query}: ambiguous, {len(r.matches)} documents:\n{body}"
        blocks.append(body)
    return "\n\n".join(blocks)


def matches_plain(items: Iterable[Match | Document]) -> str:
    lines = []
    for item in items:
        if isinstance(item, Match):
            doc = item.document
            lines.append(f"{item.score:5.1f}  {doc.number}  {doc.title or '(title unknown)'}")
        else:
            lines.append(
                f"{item.number}  {item.kind.value}  {date_text(item)}  {item.issuer}  "
                f"{item.title or '(title unknown)'}"
            )
    return "\n".join(lines)
