"""Harvest a catalogue from trusted texts: an office's archive of its own reports.

Every full citation in the texts (number, kind word, date, issuer; the title from its
"về …" clause where there is one) becomes evidence for a document. Citations of one
number within one term are one document; where they disagree, the value most of them
give is kept and every value is recorded as `contested`, with where each was seen.
Each fact's source is `harvested`, with the file:line it was read from.

    catalogue = harvest(["reports/"])
    text = to_yaml(catalogue)   # a schema-2 catalogue, ready for --catalogue
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from citekit.citation import vn_date
from citekit.drafts import read_draft
from citekit.scanning import ScanMemo, iter_scan
from citekit.terms import term_name, term_of

if TYPE_CHECKING:
    from citekit.scanning import Citation
    from citekit.units import Unit

# The title clause after a citation: "… của Bộ Chính trị về chuyên gia cao cấp." -> the
# subject, up to the end of the sentence or the next citation's kind word.
_ABOUT = re.compile(
    r"[ \t]*,?[ \t]*(?:[Vv]ề|VỀ)[ \t]+(?P<about>[^.;:\n()\[\]]{4,300}?)"
    r"(?=[.;:\n()\[\]]|,\s+[A-ZĐÂĂÊÔƠƯ]|\s+(?:và|và các)\s+[A-ZĐ]|\s+số\s+\d|\Z)"
)
_FACTS = ("number", "kind", "date", "issuer", "title")


@dataclass(frozen=True, slots=True)
class Seen:
    """One value of one fact, and where it was read."""

    value: str
    where: str


@dataclass(slots=True)
class Harvested:
    """What the texts say of one document: each fact's values, with where."""

    number: str
    term: int
    facts: dict[str, list[Seen]] = field(default_factory=dict)

    def add(self, fact: str, value: str | None, where: str) -> None:
        if value:
            self.facts.setdefault(fact, []).append(Seen(value, where))

    def value(self, fact: str) -> str | None:
        """The value most citations give (the first seen, on a tie)."""
        seen = self.facts.get(fact)
        if not seen:
            return None
        counts = Counter(s.value for s in seen)
        return max(counts, key=lambda v: (counts[v], -[s.value for s in seen].index(v)))

    def contested(self) -> dict[str, list[Seen]]:
        """The facts the texts disagree on, with every value seen (first sighting each).
        Titles vary in the wording of drafts: their variants are aliases, not a dispute."""
        out = {}
        for fact, seen in self.facts.items():
            if fact == "title":
                continue
            values = list(dict.fromkeys(s.value for s in seen))
            if len(values) > 1:
                out[fact] = [next(s for s in seen if s.value == v) for v in values]
        return out


def _title(unit: Unit, citation: Citation) -> str | None:
    """The "về …" clause right after the citation, made a title with its kind word."""
    if citation.kind is None:
        return None
    ends = [citation.span.end]
    ends += [span.end for span in (citation.date_span, citation.issuer_span) if span]
    match = _ABOUT.match(unit.text, max(ends))
    if match is None:
        return None
    about = " ".join(match["about"].split()).rstrip(" ,")
    return f"{citation.kind.value} về {about}"


class Sighting(NamedTuple):
    """A full citation read in a text: where, and the facts it states."""

    where: str
    number: str
    kind: str
    date: dt.date | None
    issuer: str | None
    title: str | None


def sightings(path: Path, memo: ScanMemo) -> Iterator[Sighting]:
    """The full citations of one text, in reading order (a long one read once)."""
    draft = read_draft(path, once=True)
    for unit in draft.units:
        for citation in iter_scan(unit.text, memo):
            number = citation.number.canonical
            if citation.bare or citation.kind is None or number is None:
                continue
            place = unit.position(citation.span.start, citation.span.end).label
            yield Sighting(
                f"{draft.path}:{place}",
                number,
                citation.kind.value,
                citation.date,
                citation.issuer,
                _title(unit, citation),
            )


def _all_sightings(paths: Iterable[Path]) -> Iterator[Sighting]:
    """The full citations of every text under `paths`, in the order walked: read by
    worker processes where that gains (`citekit.handout`), as `check` reads drafts."""
    from citekit import parallel
    from citekit.handout import read_here, workers_for
    from citekit.walking import expand

    texts = list(expand(list(paths)))
    # A long text is read here, once, as it is read: a worker would hold its citations.
    placed = [read_here(path) for path in texts]
    mine = [own for own, _ in placed]
    memo: ScanMemo = {}  # a folder of drafts repeats its citations; each worker has its own
    workers = workers_for(None, [size for own, size in placed if not own])
    if workers == 0:
        for path in texts:
            yield from sightings(path, memo)
        return
    task = partial(_listed, texts, memo)
    items = [None if own else index for index, own in enumerate(mine)]
    for path, found in zip(texts, parallel.ordered(task, items, workers=workers), strict=True):
        yield from sightings(path, memo) if found is None else found


def _listed(texts: list[Path], memo: ScanMemo, index: int) -> list[Sighting]:
    return list(sightings(texts[index], memo))


def harvest(paths: Iterable[Path]) -> list[Harvested]:
    """Documents the texts under `paths` cite in full, in order of first citation."""
    documents: dict[tuple[str, int], Harvested] = {}
    undated: dict[str, list[Harvested]] = {}
    for where, number, kind, date, issuer, title in _all_sightings(paths):
        term = term_of(date) if date else -1
        key = (number, term)
        entry = documents.get(key)
        if entry is None and term == -1 and undated.get(number):
            entry = undated[number][0]  # an undated citation joins the number's document
        if entry is None:
            entry = documents[key] = Harvested(number, term)
            undated.setdefault(number, []).append(entry)
        entry.add("number", number, where)
        entry.add("kind", kind, where)
        entry.add("date", date.isoformat() if date else None, where)
        entry.add("issuer", issuer, where)
        entry.add("title", title, where)
    return list(documents.values())


def _entry(document: Harvested) -> dict[str, object]:
    date = document.value("date")
    entry: dict[str, object] = {
        "number": document.number,
        "kind": document.value("kind"),
        "date": date,
    }
    if date:
        name = term_name(dt.date.fromisoformat(date))
        if name:
            entry["term"] = name
    entry["issuers"] = [document.value("issuer")] if document.value("issuer") else None
    entry["title"] = title = document.value("title")
    aliases = [s.value for s in document.facts.get("title", []) if s.value != title]
    if aliases:
        entry["aliases"] = list(dict.fromkeys(aliases))
    by_place: dict[str, list[str]] = {}
    for fact in _FACTS:
        for seen in document.facts.get(fact, []):
            by_place.setdefault(seen.where, []).append(fact)
    entry["sources"] = [{"harvested": where, "states": facts} for where, facts in by_place.items()]
    contested = document.contested()
    if contested:
        entry["contested"] = {
            ("issuers" if fact == "issuer" else fact): [s.value for s in seen]
            for fact, seen in contested.items()
        }
        entry["note"] = "; ".join(
            f"{fact}: " + ", ".join(f"{s.value} at {s.where}" for s in seen)
            for fact, seen in contested.items()
        )
    return entry


def kept(documents: list[Harvested], known: Set[tuple[str, dt.date | None]]) -> list[Harvested]:
    """The documents a catalogue needs: with an issuer, and not already `known` by
    number and date (the built-in catalogue's, which a harvested one must not repeat)."""
    return [d for d in documents if d.value("issuer") and _key(d) not in known]


def _key(document: Harvested) -> tuple[str, dt.date | None]:
    date = document.value("date")
    return (document.number, dt.date.fromisoformat(date) if date else None)


def to_yaml(documents: list[Harvested]) -> str:
    """A schema-2 catalogue of the harvested documents (those `kept` chose)."""
    import yaml

    entries = [_entry(d) for d in documents]
    head = (
        "# Harvested by `citekit catalogue harvest` from trusted texts: every fact's source\n"
        "# is the file:line it was read from. Check the contested facts before relying on it.\n"
    )
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's emitter, in C
    body = yaml.dump(
        {"schema": 2, "documents": entries},
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return head + body


def report(
    documents: list[Harvested], known: Set[tuple[str, dt.date | None]] = frozenset()
) -> list[str]:
    """One line per disagreement, and per document left out (no issuer, or known)."""
    lines = []
    for document in documents:
        if _key(document) in known:
            lines.append(f"{document.number}: already in the catalogue; left out")
            continue
        for fact, seen in document.contested().items():
            values = ", ".join(
                f"{vn_date(dt.date.fromisoformat(s.value)) if fact == 'date' else s.value}"
                f" ({s.where})"
                for s in seen
            )
            lines.append(f"{document.number}: {fact} contested: {values}")
        if not document.value("issuer"):
            where = document.facts["number"][0].where
            lines.append(f"{document.number}: no issuer written with it ({where}); left out")
    return lines


def save(path: Path, text: str) -> None:
    """Write the catalogue atomically: a new file, or an existing one replaced whole."""
    from citekit.fixing import write_atomic

    created = not path.exists()
    if created:
        path.touch()  # made with the user's umask; write_atomic keeps its mode
    try:
        write_atomic(path, text.encode("utf-8"))
    except BaseException:
        if created:
            path.unlink(missing_ok=True)
        raise
