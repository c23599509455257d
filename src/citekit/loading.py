"""Load and validate catalogue files into `Document`s.

Every problem names the file and line: `documents.yaml:42: 148-QĐ/TW: date '2024-02-31'
is not a real date`. All problems of a file are collected before raising, so a user
fixes them in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from citekit import regexes, yamlsafe
from citekit.docnumber import DocNumber, Form, parse_number
from citekit.errors import CatalogueError, Problem
from citekit.folding import nfc
from citekit.model import (
    FACTS,
    Contest,
    Document,
    Mention,
    Misprint,
    Origin,
    Relation,
    RelationType,
    Source,
    Status,
)
from citekit.spellings import KIND_BY_VALUE
from citekit.terms import term_name
from citekit.vocabulary import TERMS
from citekit.yamlsafe import Mapping, Node, Scalar, Sequence

T = TypeVar("T")

SCHEMA_LINE = re.compile(r"^schema:[ \t]*['\"]?(?P<schema>\d+)", re.MULTILINE)

TOP_FIELDS = frozenset({"schema", "source", "documents"})
SOURCE_FIELDS = frozenset({"conference", "date", "organiser", "report", "note"})
SCHEMAS = ("1", "2")
REQUIRED = {
    "1": ("number", "kind", "date", "issuer", "title"),
    "2": ("number", "kind", "date", "issuers", "title"),
}
OPTIONAL = {
    "1": frozenset({"year", "verified", "sources", "note", "cited", "misprints", "relations"}),
    "2": frozenset(
        {"year", "term", "announced", "aliases", "status", "sources", "contested", "note"}
        | {"cited", "misprints", "relations"}
    ),
}
_FACT_SPELLING = {"issuers": "issuer"}
"""A source may say it states the "issuers", after the field's name; the fact is "issuer"."""
SOURCE_TYPES = frozenset({"full-text", "news", "portal", "aggregator", "report", "harvested"})
MAX_PROBLEMS = 1000
"""A file with more problems than this is not read on: a 40 MB file of broken entries
would otherwise cost minutes and gigabytes to list them all. The count runs within an
entry too: one entry of 3 million unknown fields stops at the thousandth."""
MAX_SHOWN = 60
"""A value echoed in a message is cut to this many characters (a year of 100,000
digits is not printed whole)."""
_QUOTED = re.compile(rf"'([^'\n]{{{MAX_SHOWN + 1},}})'")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters a catalogue string may not hold: control characters (a tab and a line
break aside) and bidi controls, which can make a title read as something else on a
terminal or a page (the "Trojan source" trick)."""


def shown(value: str) -> str:
    """`value` cut to `MAX_SHOWN` characters for a message."""
    return value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1] + "…"


def _cut_quoted(message: str) -> str:
    return _QUOTED.sub(lambda m: f"'{shown(m[1])}'", message)


class _TooMany(Exception):
    """Raised where the problems reach MAX_PROBLEMS; `parse_catalogue` stops there."""

    def __init__(self, line: int | None) -> None:
        self.line = line


class _Entry:
    """Validation of one document mapping; collects problems instead of raising."""

    def __init__(
        self, node: Mapping, path: str, problems: list[Problem], *, clean: bool = False
    ) -> None:
        self.node = node
        self.path = path
        self.problems = problems
        self.clean = clean
        """The whole file holds no unsafe character, written or escaped (`_clean`)."""
        self.fields: dict[str, Node] = {}
        self.label = ""
        for key, value in node.items:
            name = key.value if isinstance(key, Scalar) else "?"
            if name in self.fields:
                self.fail(key, f"field '{name}' appears twice")
            self.fields[name] = value

    def sub(self, node: Mapping) -> _Entry:
        """A mapping within this entry, its problems labelled as this entry's."""
        sub = _Entry(node, self.path, self.problems, clean=self.clean)
        sub.label = self.label
        return sub

    def fail(self, node: Node, message: str) -> None:
        prefix = f"{shown(self.label)}: " if self.label else ""
        self.problems.append(Problem(self.path, node.line, prefix + _cut_quoted(message)))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _TooMany(node.line)

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
        return self.safe(node, name, value)

    def safe(self, node: Node, name: str, value: str) -> str | None:
        """`value`, or None (and a problem) when it holds a control or bidi character."""
        bad = None if self.clean else _UNSAFE.search(value)
        if bad is None:
            return value
        what = "a bidi control" if bad[0] >= "\u061c" else "a control character"
        self.fail(node, f"'{name}' holds {what}, U+{ord(bad[0]):04X}; refused")
        return None

    def texts(self, name: str) -> tuple[str, ...]:
        node = self.fields.get(name)
        if node is None:
            return ()
        if not isinstance(node, Sequence) or not all(
            isinstance(item, Scalar) for item in node.items
        ):
            self.fail(node, f"'{name}' must be a list of text")
            return ()
        values = []
        for item in node.items:
            if isinstance(item, Scalar):
                value = self.safe(item, name, nfc(item.value))
                if value is not None:
                    values.append(value)
        return tuple(values)

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
            value = build(self.sub(item))
            if value is not None:
                built.append(value)
        return tuple(built)

    def only(self, allowed: frozenset[str] | set[str]) -> None:
        for name, node in self.fields.items():
            if name not in allowed:
                self.fail(node, f"unknown field '{name}'")


def _date(entry: _Entry, name: str, *, required: bool = True) -> dt.date | None:
    raw = entry.text(name, required=required)
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
    sub = entry.sub(node)
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


_PLANS = (RelationType.AMENDMENT_PLANNED, RelationType.REVIEW_PLANNED)


def _relation(entry: _Entry) -> Relation | None:
    entry.only({"type", "target", "note", "target_date", "date", "source"})
    raw = entry.text("type")
    try:
        kind = RelationType(raw)
    except ValueError:
        names = ", ".join(t.value for t in RelationType)
        entry.fail(entry.fields.get("type", entry.node), f"relation type must be one of {names}")
        return None
    target = entry.text("target", required=kind not in _PLANS)
    problem = _number_problem(target, parse_number(target)) if target is not None else None
    if problem:
        entry.fail(entry.fields["target"], f"relation target {problem}")
    return Relation(
        kind,
        target,
        entry.text("note", required=False),
        target_date=_date(entry, "target_date", required=False),
        date=_date(entry, "date", required=False),
        source=entry.text("source", required=False),
    )


def _source(entry: _Entry) -> Source | None:
    entry.only({"url", "publisher", "type", "states", "harvested", "note"})
    url, harvested = entry.text("url", required=False), entry.text("harvested", required=False)
    publisher, kind = entry.text("publisher", required=False), entry.text("type", required=False)
    states = tuple(_FACT_SPELLING.get(f, f) for f in entry.texts("states"))
    for fact in states:
        if fact not in FACTS:
            entry.fail(entry.fields["states"], f"source states unknown fact '{fact}'")
    if kind is not None and kind not in SOURCE_TYPES:
        names = ", ".join(sorted(SOURCE_TYPES))
        entry.fail(entry.fields["type"], f"source type '{kind}' is not one of {names}")
    if url is not None and not url.startswith(("https://", "http://")):
        entry.fail(entry.fields["url"], f"source url '{url}' is not an http(s) address")
    if not (url or publisher or harvested):
        entry.fail(entry.node, "a source needs a url, a publisher or a harvested file:line")
        return None
    return Source(states, url=url, publisher=publisher, type=kind, harvested=harvested)


def _contest(entry: _Entry) -> tuple[Contest, ...]:
    node = entry.fields.get("contested")
    if node is None:
        return ()
    if not isinstance(node, Mapping):
        entry.fail(node, "'contested' must map each fact to its competing values")
        return ()
    sub = entry.sub(node)
    contests = []
    for written in sub.fields:
        values, fact = sub.texts(written), _FACT_SPELLING.get(written, written)
        if fact not in FACTS:
            sub.fail(sub.fields[written], f"contested names unknown fact '{written}'")
        elif len(values) < 2:
            sub.fail(sub.fields[written], f"contested {written} needs at least two values")
        else:
            contests.append(Contest(fact, values))
    return tuple(contests)


def _status(entry: _Entry) -> Status | None:
    raw = entry.text("status", required=False)
    if raw is None:
        return None
    try:
        return Status(raw)
    except ValueError:
        names = ", ".join(s.value for s in Status)
        entry.fail(entry.fields["status"], f"status '{raw}' is not one of {names}")
        return None


def _term(entry: _Entry, date: dt.date | None) -> str | None:
    term = entry.text("term", required=False)
    if term is None:
        return None
    names = [t.name for t in TERMS]
    if term not in names:
        entry.fail(entry.fields["term"], f"term '{term}' is not one of {', '.join(names)}")
    elif date is not None and term_name(date) != term:
        entry.fail(
            entry.fields["term"],
            f"date {date.isoformat()} falls in term {term_name(date)}, not {term}",
        )
    return term


def _number_problem(number: str, parsed: DocNumber | None) -> str | None:
    """Why `number` (`parsed` as `parse_number` reads it) is not a full number in
    canonical form, or None."""
    if parsed is None or parsed.form is Form.PARTIAL:
        return f"'{number}' is not a document number"
    if parsed.canonical != number:
        return f"'{number}' is not in canonical form; write '{parsed.canonical}'"
    return None


def _v1_sources(entry: _Entry) -> tuple[Source, ...]:
    """Schema 1's `verified` facts and `sources` names, as schema 2 sources."""
    verified = entry.texts("verified")
    for fact in verified:
        if fact not in FACTS:
            entry.fail(entry.fields["verified"], f"verified names unknown fact '{fact}'")
    states = verified
    names = entry.texts("sources")
    if states and not names:  # checked against a source the catalogue does not name
        return (Source(states, type="unnamed"),)
    return tuple(Source(states, publisher=name) for name in names)


_SERIAL_FIRST = re.compile("([0-9]{1,6})([^0-9].*)", re.DOTALL)

Shapes = dict[tuple[int, str], DocNumber | None]
"""`parse_number` of a number, by its shape: how many digits its serial has, and the rest."""


def _parsed_number(number: str, shapes: Shapes) -> DocNumber | None:
    """`parse_number(number)`, each shape of number ("NN-CT/TW", "NNN/2024/NĐ-CP") parsed
    once: how a number parses does not depend on its serial's digits, only on how many
    there are (tested). A catalogue of 100,000 entries has a few hundred shapes."""
    match = _SERIAL_FIRST.fullmatch(number)
    if match is None:
        return parse_number(number)
    digits, rest = match.groups()
    key = (len(digits), rest)
    if key not in shapes:
        shapes[key] = parse_number(number)
    shape = shapes[key]
    if shape is None:
        return None
    return DocNumber(int(digits), shape.code, shape.issuer, shape.kind, shape.year, shape.form)


def _document(entry: _Entry, schema: str, shapes: Shapes) -> Document | None:
    number = entry.text("number")
    entry.label = number or f"entry at line {entry.node.line}"
    entry.only(set(REQUIRED[schema]) | OPTIONAL[schema])
    parsed = _parsed_number(number, shapes) if number else None
    problem = _number_problem(number, parsed) if number else None
    if problem:
        entry.fail(
            entry.fields["number"], problem.replace(f"'{number}' is not in", "number is not in")
        )
    raw_kind = entry.text("kind")
    kind = KIND_BY_VALUE.get(raw_kind) if raw_kind else None
    if raw_kind and kind is None:
        known = ", ".join(KIND_BY_VALUE)
        entry.fail(entry.fields["kind"], f"unknown kind '{raw_kind}'; known: {known}")
    if kind and parsed and parsed.form is Form.PARTY and parsed.code not in kind.codes:
        entry.fail(entry.fields["kind"], f"a {kind.value} does not carry code {parsed.code}")
    date, year = _date(entry, "date"), _year(entry)
    if date and year and date.year != year:
        entry.fail(entry.fields["year"], f"year {year} differs from the date's year")
    if schema == "1":
        issuer = entry.text("issuer")
        issuers: tuple[str, ...] = (issuer,) if issuer else ()
        sources = _v1_sources(entry)
    else:
        issuers = entry.texts("issuers")
        if "issuers" in entry.fields and not issuers:
            entry.fail(entry.fields["issuers"], "'issuers' must name at least one body")
        sources = entry.mappings("sources", _source)
    title = entry.text("title")
    aliases = entry.texts("aliases")
    cited = _mention(entry)
    misprints = entry.mappings("misprints", _misprint)
    relations = entry.mappings("relations", _relation)
    term, status = _term(entry, date), _status(entry)
    contested = _contest(entry)
    announced = _date(entry, "announced", required=False)
    if problem or not (number and parsed and parsed.issuer and kind and issuers):
        return None
    return Document(
        number=number,
        kind=kind,
        date=date,
        issuers=issuers,
        title=title,
        serial=parsed.serial,
        kind_code=parsed.code or "",  # a law (57/2014/QH13) carries none
        issuer_code=parsed.issuer,
        year=year,
        term=term,
        announced=announced,
        aliases=aliases,
        status=status,
        sources=sources,
        contested=contested,
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
    schema = _schema_of(text)
    clean = _clean(text)
    shapes: Shapes = {}

    stop = f"more than {MAX_PROBLEMS} problems: reading stopped here"

    def take(item: Node) -> None:
        if not isinstance(item, Mapping):
            problems.append(Problem(name, item.line, "each document must be a mapping"))
        else:
            try:
                document = _document(_Entry(item, name, problems, clean=clean), schema, shapes)
            except _TooMany as exc:
                raise _refuse([*problems, Problem(name, exc.line, stop)]) from None
            if document is not None:
                documents.append(document)
        if len(problems) >= MAX_PROBLEMS:
            raise _refuse([*problems, Problem(name, item.line, stop)])

    root = yamlsafe.compose(text, name, stream_key="documents", on_item=take)
    if root is None:
        raise CatalogueError([Problem(name, None, "file is empty; expected 'documents:'")])
    if not isinstance(root, Mapping):
        message = "top level must be a mapping with a 'documents' list"
        raise CatalogueError([Problem(name, root.line, message)])
    try:
        _check_top(root, name, problems, schema, take)
    except _TooMany as exc:
        raise _refuse([*problems, Problem(name, exc.line, stop)]) from None
    problems.extend(duplicates(documents))
    if problems:
        raise _refuse(problems[:MAX_PROBLEMS])
    return documents


def _check_top(
    root: Mapping, name: str, problems: list[Problem], schema: str, take: Callable[[Node], None]
) -> None:
    """The top mapping's own fields, and the documents the composer did not stream."""
    top = _Entry(root, name, problems)
    top.only(TOP_FIELDS)
    declared = top.text("schema", required=False)
    if declared is not None and declared in SCHEMAS and declared != schema:
        top.fail(top.fields["schema"], "'schema' must come before 'documents'")
    if declared is not None and declared not in SCHEMAS:
        supported = " and ".join(SCHEMAS)
        top.fail(
            top.fields["schema"],
            f"schema {declared} is not supported (this citekit reads {supported})",
        )
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


def _clean(text: str) -> bool:
    """Whether no value the file holds can hold an unsafe character: none is written in
    it, and no backslash could escape one (a double-quoted scalar's "\\u202e"). Then
    one search of the file stands for a search of each of its values."""
    return "\\" not in text and _UNSAFE.search(text) is None


def _schema_of(text: str) -> str:
    """The schema a catalogue declares at its top ("schema: 2"); 1 when it declares none.

    Read before the documents stream past, since they are validated as they arrive.
    """
    end = text.find("\ndocuments:")
    match = SCHEMA_LINE.search(text, 0, end if end >= 0 else len(text))
    return match["schema"] if match and match["schema"] in SCHEMAS else "1"


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
