"""Checks across a catalogue's documents, for `citekit catalogue check`.

Loading validates each entry alone (fields, numbers, dates against its term). Here the
documents are checked together: every relation's target exists (with the date it names,
when it names one), a replaced document says by what, and aliases differ from the title
and from each other. A relation need not be written on both sides: a user's catalogue
may say that its rule replaces a built-in one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from citekit.errors import Problem
from citekit.model import Document, Relation, RelationType, Status

MAX_SHOWN = 1000
"""At most this many problems are printed, as for a single file."""


def _problem(document: Document, message: str) -> Problem:
    origin = document.origin
    return Problem(origin.path if origin else "?", origin.line if origin else None,
                   f"{document.number}: {message}")  # fmt: skip


def _targets(index: dict[str, list[Document]], relation: Relation) -> list[Document]:
    found = index.get(relation.target or "", [])
    if relation.target_date is not None:
        found = [d for d in found if d.date == relation.target_date]
    return found


_LATER = {RelationType.REPLACED_BY, RelationType.AMENDED_BY, RelationType.GUIDED_BY}
_EARLIER = {RelationType.REPLACES, RelationType.AMENDS, RelationType.GUIDES}


def _in_order(document: Document, relation: Relation, target: Document) -> bool:
    """A document is replaced, amended or guided by a later one, never an earlier one."""
    if document.date is None or target.date is None:
        return True
    if relation.type in _LATER:
        return target.date >= document.date
    if relation.type in _EARLIER:
        return target.date <= document.date
    return True


def problems(documents: Sequence[Document], context: Iterable[Document] = ()) -> list[Problem]:
    """What is inconsistent among `documents`; `context` holds other documents their
    relations may point at (the built-in catalogue, for a user's own)."""
    index: dict[str, list[Document]] = {}
    keys = {document.key for document in documents}
    for document in (*documents, *(d for d in context if d.key not in keys)):
        index.setdefault(document.number, []).append(document)
    found = []
    for document in documents:
        for relation in document.relations:
            if relation.target is None:
                continue
            targets = _targets(index, relation)
            when = f" of {relation.target_date.isoformat()}" if relation.target_date else ""
            said = f"{relation.type.value} {relation.target}{when}"
            if not targets:
                found.append(_problem(document, f"{said}, which no catalogue holds"))
            elif len(targets) > 1:
                message = f"{said}: several documents have that number; add target_date"
                found.append(_problem(document, message))
            elif not _in_order(document, relation, targets[0]):
                found.append(_problem(document, f"{said}, which is dated the wrong side of it"))
        if document.status is Status.REPLACED and not document.related(RelationType.REPLACED_BY):
            found.append(_problem(document, "status is replaced, but no replaced_by says by what"))
        seen = {document.title}
        for alias in document.aliases:
            if alias in seen:
                found.append(
                    _problem(document, f"alias repeats the title or another alias: {alias}")
                )
            seen.add(alias)
    return found
