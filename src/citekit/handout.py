"""What a batch hands to worker processes (`citekit.parallel`), and takes back in order.

A batch of drafts hands whole drafts out (`check_one`): each comes back as an
`Outcome`, the records of the citations the batch must see. A long draft's
pieces are handed out too (`check_pieces`), as this explains.

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

import os
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, NamedTuple

from citekit import parallel
from citekit.suppression import Suppressions
from citekit.units import Piece, Unit

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from citekit.batch import BatchOptions, Planned, Skipped
    from citekit.catalogue import Catalogue
    from citekit.checking import Resolution
    from citekit.codes import Verdict
    from citekit.config import Config
    from citekit.crosscheck import Crosscheck, Placing
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


@dataclass(frozen=True, slots=True)
class Outcome:
    """A planned draft, read and checked by a worker: what the batch yields and counts."""

    path: str
    skipped: Skipped | None = None
    """Why the draft was not read (a binary file, a file that cannot be read)."""
    records: tuple[Record, ...] = ()
    """The citations that give findings or name no catalogue document, in reading order."""
    citations: int = 0
    verdicts: Counter[Verdict] = field(default_factory=Counter)


MIN_BYTES = 2 * 1024 * 1024
"""Drafts for workers smaller than this in all are checked by the batch: starting two
workers costs about what checking 200 kB does."""


def workers_for(jobs: int | None, sizes: Sequence[int] | None = None) -> int:
    """How many workers to hand drafts of these `sizes` to (None: a long draft's pieces),
    the calling process checking beside them: `jobs` processes in all if given (1: no
    worker), else one per CPU if the drafts come to `MIN_BYTES`; none but on Linux, or
    for one draft."""
    if not parallel.available() or (sizes is not None and len(sizes) < 2):
        return 0
    if jobs is not None:
        return jobs - 1
    count = parallel.cpus()
    return count - 1 if sizes is None or sum(sizes) >= MIN_BYTES else 0


def handed_on(
    records: Iterable[Record], path: str, config: Config, crosscheck: Crosscheck
) -> Iterator[Finding]:
    """The findings of citations checked elsewhere, each followed by those of checking it
    against the drafts before it (the crosscheck places it where the worker found it)."""
    compare = crosscheck.compare
    for findings, resolution, place in records:
        if findings:
            yield from findings
        if resolution is not None and place is not None:
            yield from compare(path, place, resolution, config)


def check_one(planned: Planned, options: BatchOptions, memos: dict[int, Memo]) -> Outcome:
    """Read and check one planned draft, whole, as a worker does for the batch."""
    from citekit.batch import Skipped, draft_checks, read

    draft = read(planned.path, options, once=False)
    if isinstance(draft, Skipped):
        return Outcome(str(planned.path), skipped=draft)
    verdicts: Counter[Verdict] = Counter()
    records = []
    citations = 0
    units = draft.units
    for checked in draft_checks(draft, planned, options, memos):
        citations += 1
        verdicts[checked.verdict] += 1
        resolution = checked.resolution
        if resolution.document is None:  # the crosscheck may place it
            span = resolution.citation.span
            place = Placed(units[checked.unit].position(span.start, span.end))
            records.append(Record(checked.findings, resolution, place))
        elif checked.findings:
            records.append(Record(checked.findings))
    return Outcome(draft.path, None, tuple(records), citations, verdicts)


def read_here(path: Path) -> tuple[bool, int]:
    """Whether a draft is read by this process, not a worker (stdin; a long text file,
    read a piece at a time; a file it cannot stat, whose reading says why), and the
    bytes a worker would read."""
    from citekit.drafts import BLOCK, WORD_SUFFIXES

    if str(path) == "-":
        return True, 0
    try:
        size = os.stat(path).st_size
    except OSError:
        return True, 0
    return size >= BLOCK and path.suffix.lower() not in WORD_SUFFIXES, size


def outcomes(plans: Sequence[Planned], options: BatchOptions) -> Iterator[Outcome | None]:
    """For each planned draft in order, its `Outcome` from a worker, or None where the
    batch checks it itself; no worker at all where they would not gain."""
    placed = [read_here(planned.path) for planned in plans]
    mine = [own for own, _ in placed]
    workers = workers_for(options.jobs, [size for own, size in placed if not own])
    if workers == 0:
        return iter([None] * len(plans))
    memos: dict[int, Memo] = {}  # a worker's own, once forked
    task = partial(_check_index, plans, options, memos)
    items = [None if own else index for index, own in enumerate(mine)]
    return parallel.ordered(task, items, workers=workers)


def _check_index(
    plans: Sequence[Planned], options: BatchOptions, memos: dict[int, Memo], index: int
) -> Outcome:
    return check_one(plans[index], options, memos)


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


_HEAVY = _Done((), Counter(), (), heavy=True)


@dataclass(frozen=True, slots=True)
class Work:
    """What every piece of one draft is checked against (shared with the workers by fork)."""

    path: str
    catalogue: Catalogue
    config: Config
    as_of: dt.date | None
    memo: Memo


HEAVY = 100
"""A piece that would send back more than one citation for each this many characters
of it (a draft of nothing but citations no catalogue holds) costs more to send and read
back than to check: the worker sends none, and that piece and the rest of its draft are
checked here."""


_JUDGED = 256
"""Records a worker gathers between two looks at whether its piece is `HEAVY`."""


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
        else:
            continue
        if len(order) % _JUDGED == 0 and len(order) * HEAVY > found.span.end:
            return _HEAVY  # judged on what is read so far: little is checked in vain
    if len(order) * HEAVY > len(piece.raw):
        return _HEAVY
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


def check_pieces(
    units: Passing, work: Work, *, lines: Set[int] | None, workers: int, tally: Counter[Verdict]
) -> Iterator[Record]:
    """What the stream must see of each citation of a long draft, in order, checked by
    `workers` processes as one pass (`citekit.findings.iter_checks`) would check it;
    `tally` counts every citation's verdict as its piece passes. Once a piece proves
    `HEAVY`, the workers end and this process checks the rest; a draft of one piece is
    checked here. An error reading the draft part way is raised after the pieces before
    it."""
    from citekit.findings import DraftChecker

    here = DraftChecker(
        work.path, work.catalogue, work.config, lines=lines, as_of=work.as_of, memo=work.memo
    )
    reading = _read(units)
    held: deque[tuple[Piece, Suppressions] | Exception] = deque()  # read, not yet yielded

    def items() -> Iterator[tuple[int, Piece] | None]:
        try:
            for index, piece, silenced in reading:
                held.append((piece, silenced))
                yield index, piece
        except Exception as exc:  # a byte that does not decode: raised in its turn
            held.append(exc)
            yield None

    source = items()
    ahead = list(islice(source, 2))
    index = -1
    if len(ahead) == 2 and ahead[1] is not None:  # one piece alone (a 1 MB line) is not shared
        task = partial(_check_piece, work)
        window = 2 * (workers + 1)
        results = parallel.ordered(task, chain(ahead, source), workers=workers, window=window)
        try:
            for index, done in enumerate(results):
                entry = held.popleft()
                if isinstance(entry, Exception):
                    raise entry
                piece, here.silenced = entry
                if done is None or done.heavy:
                    yield from _checked_here(here, index, piece, tally)
                    break
                yield from _settle(here, index, piece, done, tally)
            else:
                return
        finally:
            results.close()  # the workers end, having nothing left to do
    for entry in held:  # read ahead for the workers: checked here, then the rest
        index += 1
        if isinstance(entry, Exception):
            raise entry
        piece, here.silenced = entry
        yield from _checked_here(here, index, piece, tally)
    for index, piece, here.silenced in reading:
        yield from _checked_here(here, index, piece, tally)


def _read(units: Passing) -> Iterator[tuple[int, Piece, Suppressions]]:
    """A long draft's pieces, numbered, each with the suppression comments that reach its
    lines: its own, and those of earlier pieces that silence a line it holds."""
    carry: dict[int, frozenset[str]] = {}
    for index, piece in enumerate(units.pieces()):
        own = Suppressions()
        own.add(piece.raw, piece.line)
        reach = {line: codes for line, codes in carry.items() if line >= piece.line}
        for line, codes in own.by_line.items():
            reach[line] = reach.get(line, frozenset()) | codes
        carry = reach
        yield index, piece, Suppressions(reach)


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
