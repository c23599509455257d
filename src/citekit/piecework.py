"""Check a long text draft's pieces in worker processes, with the findings of one pass.

A long draft is read a piece at a time (`citekit.units.Passing`); scanning and checking
its citations is nearly all the work, and each piece can be done on its own but for
what one pass carries from piece to piece: the suppression comments read so far, and the
full citations a short form ("Quy định 148") may name. So a worker checks a piece with
neither (`DraftChecker.scan`), and sends back, for each citation that gives findings,
names no catalogue document, or is a short form whose antecedent it could not see: its
findings, unfiltered by comments and `--changed-only`, and where it stands. The stream,
taking the pieces in order, filters the findings by the comments and lines it knows,
checks again here each short form an earlier piece gives an antecedent to, and hands on
the rest: the same findings and counts as one pass (tested against it).

The stream reads the draft once and holds only the pieces the workers have in hand.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterator, Set
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from citekit import parallel
from citekit.suppression import Suppressions
from citekit.units import Piece, Unit

if TYPE_CHECKING:
    import datetime as dt

    from citekit.catalogue import Catalogue
    from citekit.checking import Resolution
    from citekit.codes import Verdict
    from citekit.config import Config
    from citekit.crosscheck import Placing
    from citekit.findings import DraftChecker, Finding, Memo
    from citekit.scanning import Citation
    from citekit.units import Passing, Position


class Record(NamedTuple):
    """One citation, as a stream must see it: its findings and, when no catalogue holds
    its document, its resolution and what places it (for the crosscheck)."""

    findings: tuple[Finding, ...]
    resolution: Resolution | None = None
    place: Placing | None = None


@dataclass(frozen=True, slots=True)
class Placed:
    """A citation's position, where the crosscheck asks its unit for one."""

    at: Position

    def position(self, start: int, end: int) -> Position:
        return self.at


class _Short(NamedTuple):
    """A short form a worker read with no antecedent in its piece, as it read it."""

    found: Citation
    verdict: Verdict
    record: Record | None


@dataclass(frozen=True, slots=True)
class _Done:
    """A piece as a worker checked it: each citation to hand on (a `Record`) or to see
    again (a `_Short`), in reading order; the counts; the full citations it met."""

    order: tuple[Record | _Short, ...]
    verdicts: Counter[Verdict]
    cited: tuple[Citation, ...]
    heavy: bool = False
    """Too many citations to send back (`HEAVY`): none is, and the stream checks it."""


@dataclass(frozen=True, slots=True)
class Work:
    """What every piece of one draft is checked against (shared with the workers by fork)."""

    path: str
    catalogue: Catalogue
    config: Config
    as_of: dt.date | None
    memo: Memo


def _check_piece(work: Work, item: tuple[int, Piece]) -> _Done:
    """A worker's part: one piece checked with no comments, lines or antecedents."""
    from citekit.findings import DraftChecker

    index, piece = item
    unit = Unit.lines(*piece)
    checker = DraftChecker(work.path, work.catalogue, work.config, as_of=work.as_of, memo=work.memo)
    order: list[Record | _Short] = []
    verdicts: Counter[Verdict] = Counter()
    for checked in checker.scan(index, unit):
        verdicts[checked.verdict] += 1
        found = checked.resolution.citation
        record = _record(checked.findings, checked.resolution, unit, sent=True)
        if found.bare and found.kind is not None and not checker.knows(found):
            order.append(_Short(found, checked.verdict, record))
        elif record is not None:
            order.append(record)
    if len(order) * HEAVY > len(piece.raw):
        return _Done((), Counter(), (), heavy=True)
    return _Done(tuple(order), verdicts, tuple(checker.antecedents.cited()))


def _record(
    findings: tuple[Finding, ...], resolution: Resolution, unit: Unit, *, sent: bool
) -> Record | None:
    """What the stream must see of a citation; None if nothing. A record `sent` from a
    worker carries the citation's position, found there; else the unit, which the
    crosscheck asks only if it has to."""
    if resolution.document is None:  # the crosscheck may place it
        if not sent:
            return Record(findings, resolution, unit)
        span = resolution.citation.span
        return Record(findings, resolution, Placed(unit.position(span.start, span.end)))
    return Record(findings) if findings else None


HEAVY = 100
"""A piece that would send back more than one citation for each this many characters
of it (a draft of nothing but citations no catalogue holds) costs more to send and read
back than to check: the worker sends none, and that piece and the rest of its draft are
checked here."""


def check_pieces(
    units: Passing, work: Work, *, lines: Set[int] | None, workers: int, tally: Counter[Verdict]
) -> Iterator[Record]:
    """What the stream must see of each citation of a long draft, in order, checked by
    `workers` processes (by this one once the pieces prove `HEAVY`) as one pass
    (`citekit.findings.iter_checks`) would check it; `tally` counts every citation's
    verdict as its piece passes. An error reading the draft part way is raised after
    the pieces before it."""
    from citekit.findings import DraftChecker

    here = DraftChecker(
        work.path, work.catalogue, work.config, lines=lines, as_of=work.as_of, memo=work.memo
    )
    held: deque[tuple[Piece, Suppressions] | Exception] = deque()  # read, not yet yielded
    heavy = False

    def items() -> Iterator[tuple[int, Piece] | None]:
        carry: dict[int, frozenset[str]] = {}  # the comments that reach a piece's lines
        try:
            for index, piece in enumerate(units.pieces()):
                own = Suppressions()
                own.add(piece.raw, piece.line)
                reach = {line: codes for line, codes in carry.items() if line >= piece.line}
                for line, codes in own.by_line.items():
                    reach[line] = reach.get(line, frozenset()) | codes
                carry = reach
                held.append((piece, Suppressions(reach)))
                yield None if heavy else (index, piece)
        except Exception as exc:  # a byte that does not decode: raised in its turn
            held.append(exc)
            yield None

    task = partial(_check_piece, work)
    done: _Done | None
    for index, done in enumerate(
        parallel.ordered(task, items(), workers=workers, window=2 * workers)
    ):
        entry = held.popleft()
        if isinstance(entry, Exception):
            raise entry
        piece, here.silenced = entry
        if done is None or done.heavy:
            heavy = True
            yield from _checked_here(here, index, piece, tally)
        else:
            yield from _settle(here, index, piece, done, tally)


def _checked_here(
    here: DraftChecker, index: int, piece: Piece, tally: Counter[Verdict]
) -> Iterator[Record]:
    """A piece checked by this process, as one pass checks it."""
    unit = Unit.lines(*piece)
    for checked in here.scan(index, unit):
        tally[checked.verdict] += 1
        record = _record(checked.findings, checked.resolution, unit, sent=False)
        if record is not None:
            yield record


def _settle(
    here: DraftChecker, index: int, piece: Piece, done: _Done, tally: Counter[Verdict]
) -> Iterator[Record]:
    """A piece's checks as one pass makes them: its findings filtered by the comments and
    lines the stream knows, its short forms that an earlier piece names checked again."""
    tally.update(done.verdicts)
    unit = None
    for entry in done.order:
        if isinstance(entry, _Short):
            if here.knows(entry.found):  # its antecedent is in an earlier piece
                unit = unit or Unit.lines(*piece)
                checked = here.citation(entry.found, unit, index)
                tally[entry.verdict] -= 1
                tally[checked.verdict] += 1
                again = _record(checked.findings, checked.resolution, unit, sent=False)
                if again is not None:
                    yield again
                continue
            if entry.record is None:
                continue
            record = entry.record
        else:
            record = entry
        kept = here.kept(record.findings)
        if kept or record.resolution is not None:
            yield record._replace(findings=kept)
    here.learn(done.cited)
