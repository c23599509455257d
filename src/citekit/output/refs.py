"""The table of authorities of `refs`: as a Rich table, plain text, TSV or JSON.

Rendering only: the table itself comes from `citekit.authorities`. Each document shows
its status (the verdict on its citations), family (party or state) and issuer code.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from citekit.citation import date_text
from citekit.output import Format
from citekit.output._cells import table_or_plain, text, write_json_array, write_lines, write_tsv
from citekit.output.check import location_json

if TYPE_CHECKING:
    from rich.console import Console

    from citekit.authorities import Authority, Cited

TSV_COLUMNS = (
    "number",
    "kind",
    "date",
    "issuer",
    "title",
    "count",
    "lines",
    "verified",
    "status",
    "family",
    "issuer_code",
)
"""The old columns first, so that a script reading them by position keeps working."""


def _lines(entry: Authority, *, with_path: bool) -> str:
    return ", ".join(cited.text(with_path=with_path) for cited in entry.locations)


def _facts(entry: Authority) -> tuple[str, str, str]:
    """Status, family and issuer code, "" for an unknown one."""
    family = entry.family.value if entry.family else ""
    return entry.status.value, family, entry.issuer_code or ""


def _location_json(cited: Cited) -> dict[str, Any]:
    position = cited.position
    citation = cited.citation
    out: dict[str, Any] = {"path": cited.path, "line": position.line}
    if position.location is not None:
        out.update(location_json(position.location))
    out["kind_written"] = citation.kind.value if citation.kind else None
    out["date_written"] = citation.date_written
    out["issuer_written"] = citation.issuer_written
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
        "status": entry.status.value,
        "family": entry.family.value if entry.family else None,
        "issuer_code": entry.issuer_code,
    }


def refs_json(entries: Sequence[Authority], out: TextIO, *, with_path: bool = False) -> None:
    write_json_array(out, map(authority_json, entries))


def refs_tsv(entries: Sequence[Authority], out: TextIO, *, with_path: bool = False) -> None:
    rows = (
        [
            e.number,
            e.document.kind.value if e.document else "",
            e.document.date.isoformat() if e.document and e.document.date else "",
            e.document.issuer if e.document else "",
            (e.document.title or "") if e.document else "",
            str(len(e.locations)),
            _lines(e, with_path=with_path),
            e.verified,
            *_facts(e),
        ]
        for e in entries
    )
    write_tsv(out, TSV_COLUMNS, rows)


def _plain_lines(entries: Sequence[Authority], *, with_path: bool) -> Iterator[str]:
    for e in entries:
        doc = e.document
        yield f"{e.number}  " + (
            f"{doc.kind.value}  {date_text(doc)}  {doc.issuer}" if doc else "(in no catalogue)"
        )
        if doc:
            yield f"  {doc.title or '(title unknown)'}"
        status, family, code = _facts(e)
        yield (
            f"  cited {len(e.locations)}×: {_lines(e, with_path=with_path)}; "
            f"verified: {e.verified}; status: {status}; family: {family or 'unknown'}; "
            f"issuer code: {code or 'unknown'}"
        )


def refs_plain(entries: Sequence[Authority], out: TextIO, *, with_path: bool = False) -> None:
    """The table of authorities as text, one block per document."""
    write_lines(out, _plain_lines(entries, with_path=with_path))


_VERIFIED_STYLE = {"yes": "green", "low": "yellow", "no": "red"}
_STATUS_STYLE = {"verified": "green", "wrong": "red", "not-in-catalogue": "yellow"}


def _draw(entries: Sequence[Authority], screen: Console, *, with_path: bool) -> None:
    from rich.table import Table

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
        ("Status", {"no_wrap": True}),
        ("Family", {"no_wrap": True}),
        ("Code", {"no_wrap": True}),
    ):
        table.add_column(name, **opts)
    for e in entries:
        doc = e.document
        status, family, code = _facts(e)
        table.add_row(
            text(e.number),
            text(doc.kind.value if doc else ""),
            text(date_text(doc) if doc else ""),
            text(doc.issuer if doc else ""),
            text((doc.title or "(title unknown)") if doc else "(in no catalogue)"),
            str(len(e.locations)),
            text(_lines(e, with_path=with_path)),
            text(e.verified, _VERIFIED_STYLE[e.verified]),
            text(status, _STATUS_STYLE.get(status, "dim")),
            text(family),
            text(code),
        )
    screen.print(table)


def refs_table(entries: Sequence[Authority], out: TextIO, *, with_path: bool = False) -> None:
    table_or_plain(
        out,
        lambda screen: _draw(entries, screen, with_path=with_path),
        lambda o: refs_plain(entries, o, with_path=with_path),
        min_width=MIN_WIDTH,
    )


MIN_WIDTH = 120
"""Eleven columns: narrower, the table squeezes issuer and title out of sight."""


class RefsRenderer(Protocol):
    """The shape of every refs renderer."""

    def __call__(
        self, entries: Sequence[Authority], out: TextIO, *, with_path: bool = False
    ) -> None: ...


AUTHORITIES: dict[Format, RefsRenderer] = {
    Format.table: refs_table,
    Format.plain: refs_plain,
    Format.json: refs_json,
    Format.tsv: refs_tsv,
}
"""How each format prints the table of authorities: `(entries, out, *, with_path)`."""
