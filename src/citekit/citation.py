"""How a draft should write a citation: "Quy định số 148-QĐ/TW ngày 23-5-2024 của …"."""

from __future__ import annotations

import datetime as dt

from citekit.folding import fold_query
from citekit.model import Document


def vn_date(date: dt.date) -> str:
    """A date as Vietnamese documents write it: 23-5-2024, no leading zeros."""
    return f"{date.day}-{date.month}-{date.year}"


def date_text(document: Document) -> str:
    """The document's date for people: '23-5-2024', '2022 (day unknown)' or 'unknown'."""
    if document.date:
        return vn_date(document.date)
    if document.year:
        return f"{document.year} (day unknown)"
    return "unknown"


def subject(document: Document) -> str | None:
    """The title's "về …" phrase: the title less its leading kind word."""
    title = document.title
    if not title:
        return None
    kind = document.kind.value
    if fold_query(title[: len(kind)]) == fold_query(kind):
        title = title[len(kind) :].strip()
    if not fold_query(title).startswith("ve "):
        title = f"về {title}"
    return title


def cite(document: Document, *, short: bool = False) -> str:
    """The citation a draft should write for `document`."""
    parts = [f"{document.kind.value} số {document.number}"]
    if document.date:
        parts.append(f"ngày {vn_date(document.date)}")
    elif document.year:
        parts.append(f"năm {document.year}")
    parts.append(f"của {document.issuer}")
    about = None if short else subject(document)
    if about:
        parts.append(about)
    return " ".join(parts)
