"""Load and validate catalogue files into `Document`s.

Every problem names the file and line: `documents.yaml:42: 148-QĐ/TW: date '2024-02-31'
is not a real date`. All problems of a file are collected before raising, so a user
fixes them in one pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from citekit import regexes, yamlsafe
from citekit.docnumber import Form, parse_number
from citekit.errors import CatalogueError, Problem
from citekit.folding import nfc
from citekit.model import FACTS, Document, Mention, Misprint, Origin, Relation, RelationType
from citekit.spellings import KIND_BY_VALUE
from citekit.yamlsafe import Mapping, Node, Scalar, Sequence

T = TypeVar("T")

TOP_FIELDS = frozenset({"schema", "source", "documents"})
SOURCE_FIELDS = frozenset({"conference", "date", "organiser", "report", "note"})
REQUIRED = ("number", "kind", "date", "issuer", "title")
OPTIONAL = frozenset({"year", "verified", "sources", "note", "cited", "misprints", "relations"})
MAX_PROBLEMS = 1000
"""A file with more problems than this is not read on: a 40 MB file of broken entries
would otherwise cost minutes and gigabytes to list them all."""


class _Entry:
    """Validation of one document mapping; collects problems instead of raising."""

    def __init__(self, node: Mapping, path: str, problems: list[Problem]) -> None:
        self.node = node
        self.path = path
        self.problems = problems
        self.fields: dict[str, Node] = {}
        self.label = ""
        for key, value in node.items:
            name = key.value if isinstance(key, Scalar) else "?"
            if name in self.fields:
                self.fail(key, f"field '{name}' appears twice")
            self.fields[name] = value

    def fail(self, node: Node, message: str) -> None:
        prefix = f"{self.label}: " if self.label else ""
        self.problems.append(Problem(self.path, node.line, prefix + message))

    def text(self, name: str, *, required: bool = True) -> str | None:
        node = self.fields.get(name)
        if node is None:
            if required:
                self.fail(self.node, f"missing field '{name}'")
            return None
        if not isinstance(node, Scalar):
            self.fail(node, f"'{name}' must be text")
            return None
        if node.null:
            return None
        value = nfc(node.value.strip())
        if not value:
            self.fail(node, f"'{name}' is empty; write null if it is unknown")
            return None
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        node = self.fields.get(name)
        if node is None:
            return ()
        if not isinstance(node, Sequence) or not all(
            isinstance(item, Scalar) for item in node.items
        ):
            self.fail(node, f"'{name}' must be a list of text")
            return ()
        return tuple(nfc(item.value) for item in node.items if isinstance(item, Scalar))

    def mappings(self, name: str, build: Callable[[_Entry], T | None]) -> tuple[T, ...]:
        node = self.fields.get(name)
        if node is None:
            return ()
        items = node.items if isinstance(node, Sequence) else []
        maps = [item for item in items if isinstance(item, Mapping)]
        if not isinstance(node, Sequence) or len(maps) != len(items):
            self.fail(node, f"'{name}' must be a list of mappings")
            return ()
        built = []
        for item in maps:
            sub = _Entry(item, self.path, self.problems)
            sub.label = self.label
            value = build(sub)
            if value is not None:
                built.append(value)
        return tuple(built)

    def only(self, allowed: frozenset[str] | set[str]) -> None:
        for name, node in self.fields.items():
            if name not in allowed:
                self.fail(node, f"unknown field '{name}'")


def _date(entry: _Entry, name: str) -> dt.date | None:
    raw = entry.text(name)
    if raw is None:
        return None
    if not (raw.isascii() and regexes.ISO_DATE.fullmatch(raw)):  # \d admits "٢٠٢٤"
        entry.fail(entry.fields[name], f"{name} '{raw}' is not an ISO date (yyyy-mm-dd)")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        entry.fail(entry.fields[name], f"{name} '{raw}' is not a real date")
        return None


def _year(entry: _Entry) -> int | None:
    raw = entry.text("year", required=False)
    if raw is None:
        return None
    # ASCII digits, four at most: str.isdigit() admits "²⁰²⁴", which int() refuses.
    digits = raw.isascii() and raw.isdigit() and len(raw) <= 4
    if not digits or not 1930 <= int(raw) <= 2100:
        entry.fail(entry.fields["year"], f"year '{raw}' is not a year between 1930 and 2100")
        return None
    return int(raw)


def _mention(entry: _Entry) -> Mention | None:
    node = entry.fields.get("cited")
    if node is None:
        return None
    if not isinstance(node, Mapping):
        entry.fail(node, "'cited' must be a mapping with 'by' and 'sentence'")
        return None
    sub = _Entry(node, entry.path, entry.problems)
    sub.label = entry.label
    sub.only({"by", "sentence"})
    by, sentence = sub.text("by"), sub.text("sentence")
    return Mention(by, sentence) if by and sentence else None


def _misprint(entry: _Entry) -> Misprint | None:
    entry.only({"field", "printed", "where", "note"})
    field, printed, where = entry.text("field"), entry.text("printed"), entry.text("where")
    if field is not None and field not in FACTS:
        entry.fail(entry.fields["field"], f"misprint field '{field}' is not one of {FACTS}")
        return None
    if field == "date" and printed is not None and _date(entry, "printed") is None:
        return None  # a misprinted date is still written yyyy-mm-dd, and real
    if field and printed and where:
        return Misprint(field, printed, where, entry.text("note", required=False))
    return None


def _relation(entry: _Entry) -> Relation | None:
    entry.only({"type", "target", "note"})
    raw = entry.text("type")
    try:
        kind = RelationType(raw)
    except ValueError:
        names = ", ".join(t.value for t in RelationType)
        entry.fail(entry.fields.get("type", entry.node), f"relation type must be one of {names}")
        return None
    target = entry.text("target", required=kind is RelationType.GUIDES)
    return Relation(kind, target, entry.text("note", required=False))


def _document(entry: _Entry) -> Document | None:
    number = entry.text("number")
    entry.label = number or f"entry at line {entry.node.line}"
    entry.only(set(REQUIRED) | OPTIONAL)
    parsed = parse_number(number) if number else None
    if number and (parsed is None or parsed.form is Form.PARTIAL):
        entry.fail(entry.fields["number"], f"'{number}' is not a document number")
    elif number and parsed and parsed.canonical != number:
        entry.fail(
            entry.fields["number"], f"number is not in canonical form; write '{parsed.canonical}'"
        )
    raw_kind = entry.text("kind")
    kind = KIND_BY_VALUE.get(raw_kind) if raw_kind else None
    if raw_kind and kind is None:
        entry.fail(
            entry.fields["kind"], f"unknown kind '{raw_kind}'; known: {', '.join(KIND_BY_VALUE)}"
        )
    if kind and parsed and parsed.form is Form.PARTY and parsed.code not in kind.codes:
        entry.fail(entry.fields["kind"], f"a {kind.value} does not carry code {parsed.code}")
    date, year = _date(entry, "date"), _year(entry)
    if date and year and date.year != year:
        entry.fail(entry.fields["year"], f"year {year} differs from the date's year")
    issuer, title = entry.text("issuer"), entry.text("title")
    if "title" not in entry.fields:
        title = None
    verified = entry.texts("verified")
    for fact in verified:
        if fact not in FACTS:
            entry.fail(entry.fields["verified"], f"verified names unknown fact '{fact}'")
    cited = _mention(entry)
    misprints = entry.mappings("misprints", _misprint)
    relations = entry.mappings("relations", _relation)
    if not (number and parsed and parsed.code and parsed.issuer and kind and issuer):
        return None
    return Document(
        number=number,
        kind=kind,
        date=date,
        issuer=issuer,
        title=title,
        serial=parsed.serial,
        kind_code=parsed.code,
        issuer_code=parsed.issuer,
        year=year,
        verified=verified,
        sources=entry.texts("sources"),
        note=entry.text("note", required=False),
        cited=cited,
        misprints=misprints,
        relations=relations,
        origin=Origin(entry.path, entry.node.line),
    )


def _refuse(problems: list[Problem]) -> CatalogueError:
    return CatalogueError(sorted(problems, key=lambda p: p.line or 0))


def parse_catalogue(text: str, name: str) -> list[Document]:
    """Validate catalogue YAML text; raise CatalogueError listing every problem (up to
    MAX_PROBLEMS: past that, reading stops)."""
    problems: list[Problem] = []
    documents: list[Document] = []

    def take(item: Node) -> None:
        if not isinstance(item, Mapping):
            problems.append(Problem(name, item.line, "each document must be a mapping"))
        else:
            document = _document(_Entry(item, name, problems))
            if document is not None:
                documents.append(document)
        if len(problems) >= MAX_PROBLEMS:
            stop = f"more than {MAX_PROBLEMS} problems: reading stopped here"
            raise _refuse([*problems, Problem(name, item.line, stop)])

    root = yamlsafe.compose(text, name, stream_key="documents", on_item=take)
    if root is None:
        raise CatalogueError([Problem(name, None, "file is empty; expected 'documents:'")])
    if not isinstance(root, Mapping):
        message = "top level must be a mapping with a 'documents' list"
        raise CatalogueError([Problem(name, root.line, message)])
    top = _Entry(root, name, problems)
    top.only(TOP_FIELDS)
    schema = top.text("schema", required=False)
    if schema is not None and schema != "1":
        top.fail(top.fields["schema"], f"schema {schema} is not supported (this citekit reads 1)")
    source = top.fields.get("source")
    if isinstance(source, Mapping):
        _Entry(source, name, problems).only(SOURCE_FIELDS)
    elif source is not None:
        top.fail(source, "'source' must be a mapping")
    node = top.fields.get("documents")
    if not isinstance(node, Sequence):
        where = node or root
        problems.append(Problem(name, where.line, "'documents' must be a list"))
    else:
        # A streamed list comes back empty; one the composer did not stream (a tagged
        # `!!seq`) still holds its items, which must be validated all the same.
        for item in node.items:
            take(item)
    problems.extend(duplicates(documents))
    if problems:
        raise _refuse(problems[:MAX_PROBLEMS])
    return documents


def duplicates(documents: list[Document]) -> list[Problem]:
    """A problem for each entry whose key (number and date) an earlier entry has."""
    first: dict[tuple[str, dt.date | None], Document] = {}
    problems = []
    for document in documents:
        earlier = first.setdefault(document.key, document)
        if earlier is not document and document.origin and earlier.origin:
            when = document.date.isoformat() if document.date else "no date"
            problems.append(
                Problem(
                    document.origin.path,
                    document.origin.line,
                    f"{document.number} ({when}) duplicates the entry at "
                    f"{earlier.origin.path}:{earlier.origin.line}",
                )
            )
    return problems


def load_file(path: Path) -> list[Document]:
    """Read and validate one catalogue file."""
    return parse_catalogue(yamlsafe.read_text(path), str(path))
