"""Render lookup results and documents as plain text, JSON or TSV (tables: `tables.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from citekit.citation import date_text, vn_date
from citekit.matching import Match, Result, Status
from citekit.model import Confidence, Document
from citekit.model import Status as DocumentStatus
from citekit.relations import relation_text

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
