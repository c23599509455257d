"""Check many drafts at once, as `citekit check` and `citekit refs` do.

Walk the paths (honouring `.gitignore` and each draft's configuration) and load each
configuration's catalogues once, up front; then read and check one draft at a time,
checking the drafts against each other as their citations pass. Unreadable files are
counted and reported, not raised, so that one bad file does not hide the findings in the
others.

`stream_paths` holds one draft at a time and none of its findings: the CLI writes each
finding as it comes. `check_paths` collects everything in a `Batch`:

>>> from citekit.batch import BatchOptions, check_paths, stream_paths
>>> batch = check_paths(["docs/"], BatchOptions(as_of=None))   # doctest: +SKIP
>>> for finding in batch.findings():                           # doctest: +SKIP
...     print(finding.path, finding.line, finding.message)
>>> stream = stream_paths(["docs/"])                           # doctest: +SKIP
>>> for finding in stream.findings():                          # doctest: +SKIP
...     print(finding.path, finding.line, finding.message)
>>> print(stream.files, stream.citations)                      # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from citekit import gitlines
from citekit.errors import InputError, UsageError

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.codes import Verdict
    from citekit.config import Config
    from citekit.crosscheck import Crosscheck
    from citekit.drafts import Draft
    from citekit.findings import Checked, Finding, Memo, Report
    from citekit.handout import Outcome
    from citekit.units import Passing


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchOptions:
    """How to check a batch of drafts.

    `catalogues` are added to each draft's configured ones; `builtin=False` leaves the
    built-in catalogue out. `changed_only` keeps, in a text draft, the findings on lines
    the git diff against `base` (default HEAD) adds; a Word draft is checked whole.
    `as_of` reports citations of documents replaced by that date (None: never).
    """

    catalogues: tuple[Path, ...] = ()
    builtin: bool = True
    changed_only: bool = False
    base: str | None = None
    as_of: dt.date | None = None
    encoding: str | None = None
    """A legacy Vietnamese encoding text drafts are in (tcvn3, vni, viscii, cp1258)."""
    jobs: int | None = None
    """Processes to check a stream's drafts with (see `BatchStream.findings`): None, one
    per CPU where that gains; 1, this process alone."""

    def __post_init__(self) -> None:
        if self.base and not self.changed_only:
            raise UsageError("--base goes with --changed-only")
        if self.jobs is not None and self.jobs < 1:
            raise UsageError(f"--jobs must be at least 1, not {self.jobs}")


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file not checked: a binary file (a note) or one that could not be read (an error)."""

    path: str
    message: str
    error: bool


@dataclass(slots=True)
class Batch:
    """What checking a batch of drafts found: a report per draft read, and the rest."""

    reports: list[Report] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    across: list[Finding] = field(default_factory=list)
    """Findings of drafts checked against each other (`citekit.crosscheck`)."""

    @property
    def files(self) -> int:
        """How many drafts were read and checked."""
        return len(self.reports)

    @property
    def unreadable(self) -> int:
        """How many files could not be read."""
        return sum(s.error for s in self.skipped)

    @property
    def citations(self) -> int:
        return sum(len(r.resolutions) for r in self.reports)

    def verdicts(self) -> Counter[Verdict]:
        """How many citations got each verdict."""
        return Counter(v for r in self.reports for v in r.verdicts)

    def findings(self) -> Iterator[Finding]:
        """Every finding, in order of file (as walked), then place in the file.

        A lazy merge: the findings of one draft already come in its reading order, and
        the few found across drafts are slotted in among them.
        """
        across: dict[str, list[Finding]] = {}
        for finding in self.across:
            across.setdefault(finding.path, []).append(finding)
        for report in self.reports:
            extra = across.pop(report.draft.path, None)
            if not extra:
                yield from report.findings
                continue
            key = _reading_order(report)
            yield from heapq.merge(report.findings, sorted(extra, key=key), key=key)


def _reading_order(report: Report) -> Callable[[Finding], tuple[int, int, int]]:
    """A finding's place in its draft: unit (a Word paragraph), line, column."""
    units = {unit.location: index for index, unit in enumerate(report.draft.units)}

    def key(finding: Finding) -> tuple[int, int, int]:
        unit = units.get(finding.position.location, 0)
        return unit, finding.line, finding.column

    return key


class _Catalogues:
    """Catalogues loaded once per set of configured paths."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.loaded: dict[tuple[tuple[Path, ...], bool], Catalogue] = {}

    def for_config(self, config: Config) -> Catalogue:
        from citekit.catalogue import Sources, load_catalogue

        builtin = config.builtin and self.options.builtin
        key = (config.catalogues + self.options.catalogues, builtin)
        if key not in self.loaded:
            sources = Sources(paths=key[0], builtin=builtin)
            self.loaded[key] = load_catalogue(sources.resolve())
        return self.loaded[key]


@dataclass(frozen=True, slots=True)
class DraftChecks:
    """One draft of a stream, its citations checked as `checked` is iterated.

    Each citation's findings against the drafts before it (`citekit.crosscheck`) are in
    its `across`. The stream moves on to the next draft only when asked for it, and
    finishes this one's `checked` first if the caller did not.
    """

    draft: Draft
    config: Config
    checked: Iterator[Checked]


@dataclass(frozen=True, slots=True)
class Planned:
    """A draft to read, with its configuration and catalogue."""

    path: Path
    config: Config
    catalogue: Catalogue


class BatchStream:
    """A batch checked as it is iterated, one draft at a time, holding no findings.

    Iterate `drafts()` or `findings()` once. `files`, `citations`, `verdicts()` and
    `skipped` count what has passed so far: read them when the iteration is done.
    """

    def __init__(
        self,
        paths: Iterable[str | Path],
        options: BatchOptions | None = None,
        *,
        on_skip: Callable[[Skipped], None] | None = None,
    ) -> None:
        self.options = options or BatchOptions()
        self.on_skip = on_skip
        self.files = 0
        self.citations = 0
        self.skipped: list[Skipped] = []
        self._verdicts: Counter[Verdict] = Counter()
        self._memos: dict[int, Memo] = {}  # what checks against each catalogue remember
        gitlines.forget()  # the work tree may have changed since the last batch
        self._planned = iter(_plan(paths, self.options))

    @property
    def unreadable(self) -> int:
        """How many files could not be read."""
        return sum(s.error for s in self.skipped)

    def verdicts(self) -> Counter[Verdict]:
        """How many citations got each verdict."""
        return Counter(self._verdicts)

    def drafts(self, *, whole: bool = False) -> Iterator[DraftChecks]:
        """Each draft read, in the order walked; a file not read goes to `skipped`.

        A long text draft is read as its citations are checked, one piece at a time
        (`citekit.units.Passing`), unless `whole` asks for every draft held whole, as
        fixing it or reporting on it afterwards needs. A byte found not to decode that
        late ends the draft's checks and puts it in `skipped`.
        """
        from citekit.crosscheck import Crosscheck

        crosscheck = Crosscheck()
        for planned in self._planned:
            draft = self._read(planned.path, once=not whole)
            if draft is None:
                continue
            self.files += 1
            checked = self._checked(draft, planned, crosscheck)
            yield DraftChecks(draft, planned.config, checked)
            for _ in checked:  # what the caller left: counted, and seen by the crosscheck
                pass
            del draft, checked  # the next draft is read without this one held

    def findings(self) -> Iterator[Finding]:
        """Every finding, in order of file (as walked), then place in the file: those of
        checking against the catalogue and, after them, against the other drafts.

        Where it gains, worker processes check the drafts (`citekit.parallel`), this
        process the long ones (read a piece at a time) and stdin; the findings, their
        order and the counts are the same.
        """
        from citekit.crosscheck import Crosscheck

        crosscheck = Crosscheck()
        from citekit.handout import outcomes

        plans = list(self._planned)
        for planned, outcome in zip(plans, outcomes(plans, self.options), strict=True):
            if outcome is None:
                yield from self._findings_here(planned, crosscheck)
            else:
                yield from self._findings_of(outcome, planned.config, crosscheck)

    def _findings_here(self, planned: Planned, crosscheck: Crosscheck) -> Iterator[Finding]:
        """The findings of a draft this process reads (once) and checks: a long one's
        pieces by workers, where they gain (`citekit.handout`)."""
        from citekit.handout import workers_for
        from citekit.units import Passing

        draft = self._read(planned.path, once=True)
        if draft is None:
            return
        self.files += 1
        workers = workers_for(self.options.jobs)
        if isinstance(draft.units, Passing) and workers:
            yield from self._pieces(draft, draft.units, planned, crosscheck, workers)
            return
        for _, _, _, findings, across in self._checked(draft, planned, crosscheck):
            if findings:
                yield from findings
            if across:
                yield from across

    def _pieces(
        self,
        draft: Draft,
        units: Passing,
        planned: Planned,
        crosscheck: Crosscheck,
        workers: int,
    ) -> Iterator[Finding]:
        """The findings of a long draft whose pieces workers check."""
        from citekit.findings import Memo
        from citekit.handout import Work, check_pieces, handed_on

        memo = self._memos.setdefault(id(planned.catalogue), Memo())
        options = self.options
        work = Work(draft.path, planned.catalogue, planned.config, options.as_of, memo)
        lines = _lines(draft, planned.path, options)
        tally: Counter[Verdict] = Counter()
        records = check_pieces(units, work, lines=lines, workers=workers, tally=tally)
        try:
            yield from handed_on(records, draft.path, planned.config, crosscheck)
        except InputError as exc:  # a byte that does not decode, found part way
            self.files -= 1
            self._skip(Skipped(draft.path, str(exc), error=True))
        finally:
            self.citations += sum(tally.values())
            self._verdicts.update(tally)

    def _findings_of(
        self, outcome: Outcome, config: Config, crosscheck: Crosscheck
    ) -> Iterator[Finding]:
        """The findings of a draft a worker checked, checked against the drafts before it."""
        from citekit.handout import handed_on

        if outcome.skipped is not None:
            self._skip(outcome.skipped)
            return
        self.files += 1
        self.citations += outcome.citations
        self._verdicts.update(outcome.verdicts)
        yield from handed_on(outcome.records, outcome.path, config, crosscheck)

    def _read(self, path: Path, *, once: bool) -> Draft | None:
        draft = read(path, self.options, once=once)
        if isinstance(draft, Skipped):
            self._skip(draft)
            return None
        return draft

    def _skip(self, skipped: Skipped) -> None:
        self.skipped.append(skipped)
        if self.on_skip is not None:
            self.on_skip(skipped)

    def _checked(self, draft: Draft, planned: Planned, crosscheck: Crosscheck) -> Iterator[Checked]:
        checks = draft_checks(draft, planned, self.options, self._memos)
        config = planned.config
        name, units, compare = draft.path, draft.units, crosscheck.compare
        verdicts = self._verdicts
        try:
            for checked in checks:
                self.citations += 1
                verdicts[checked.verdict] += 1
                resolution = checked.resolution
                if resolution.document is None and (  # only these are compared
                    across := compare(name, units[checked.unit], resolution, config)
                ):
                    yield checked._replace(across=across)
                else:
                    yield checked
        except InputError as exc:  # a draft read once, found unreadable part way
            self.files -= 1
            self._skip(Skipped(name, str(exc), error=True))


def read(path: Path, options: BatchOptions, *, once: bool) -> Draft | Skipped:
    """A planned draft read, or why it was skipped: a binary file (a note), or one that
    could not be read (an error)."""
    from citekit.drafts import BinaryFile, read_draft

    try:
        return read_draft(path, options.encoding, once=once)
    except (BinaryFile, InputError) as exc:
        return Skipped(str(path), str(exc), error=not isinstance(exc, BinaryFile))


def draft_checks(
    draft: Draft, planned: Planned, options: BatchOptions, memos: dict[int, Memo]
) -> Iterator[Checked]:
    """The citations of a planned draft, checked against its catalogue (`iter_checks`):
    with --changed-only, findings on the lines git adds; `memos` keeps one `Memo` per
    catalogue, shared by the drafts checked against it."""
    from citekit.findings import Memo, iter_checks

    lines = _lines(draft, planned.path, options)
    memo = memos.setdefault(id(planned.catalogue), Memo())
    config = planned.config
    return iter_checks(
        draft, planned.catalogue, config, lines=lines, as_of=options.as_of, memo=memo
    )


def _lines(draft: Draft, path: Path, options: BatchOptions) -> frozenset[int] | None:
    """With --changed-only, the lines of a text draft git's diff adds."""
    from citekit.drafts import Format
    from citekit.gitlines import added_lines

    by_line = options.changed_only and draft.format is Format.TEXT and str(path) != "-"
    return added_lines(path, options.base) if by_line else None


def _plan(paths: Iterable[str | Path], options: BatchOptions) -> list[Planned]:
    """The drafts to read, each with its configuration and catalogue: a catalogue that
    fails to load raises here, before any draft is checked."""
    from citekit import config as configuration
    from citekit.walking import expand

    catalogues = _Catalogues(options)
    planned = []
    keeping = partial(_changed_under, base=options.base) if options.changed_only else None
    for path in expand([Path(p) for p in paths], keeping):
        if options.changed_only and _unchanged(path, options.base):
            continue  # git sees no line added: not configured, not read
        config = configuration.for_file(path)
        if not config.excludes(path):
            planned.append(Planned(path, config, catalogues.for_config(config)))
    return planned


def _changed_under(folder: Path, base: str | None) -> Callable[[str], bool]:
    """With --changed-only, which drafts a walk of `folder` keeps: those git's diff
    adds lines to, and every Word draft (checked whole)."""
    from citekit.drafts import WORD_SUFFIXES

    adds = gitlines.adds_under(folder, base)
    word = tuple(WORD_SUFFIXES)
    return lambda name: name.lower().endswith(word) or adds(name)


def _unchanged(path: Path, base: str | None) -> bool:
    """With --changed-only, whether git says a text draft adds no line."""
    if str(path) == "-":
        return False
    from citekit.drafts import WORD_SUFFIXES

    if path.suffix.lower() in WORD_SUFFIXES:
        return False  # a Word draft is checked whole
    return gitlines.added_lines(path, base) == frozenset()


def stream_paths(
    paths: Iterable[str | Path],
    options: BatchOptions | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
) -> BatchStream:
    """Check every draft under `paths` ('-' reads stdin) as the stream is iterated.

    The paths are walked and the catalogues loaded now (one that fails to load raises);
    each draft is read and checked when the iteration reaches it. `on_skip` hears of
    each file skipped as it happens.
    """
    return BatchStream(paths, options, on_skip=on_skip)


def check_paths(
    paths: Iterable[str | Path],
    options: BatchOptions | None = None,
    *,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Batch:
    """Check every draft under `paths` ('-' reads stdin): one report per draft read.

    `on_skip` hears of each file skipped as it happens (the CLI prints it at once); the
    batch keeps them all in `skipped`. A catalogue that fails to load raises.
    """
    return collect(stream_paths(paths, options, on_skip=on_skip))


def collect(stream: BatchStream) -> Batch:
    """Everything a stream finds, held: a report per draft, and the findings across them."""
    from citekit.findings import Report

    batch = Batch(skipped=stream.skipped)

    def noting_across(checked: Iterator[Checked]) -> Iterator[Checked]:
        for one in checked:
            batch.across.extend(one.across)
            yield one

    for one in stream.drafts(whole=True):
        batch.reports.append(Report.collect(one.draft, noting_across(one.checked)))
    return batch
