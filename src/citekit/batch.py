"""Check many drafts at once, as `citekit check` and `citekit refs` do.

Walk the paths (honouring `.gitignore` and each draft's configuration), load each
configuration's catalogues once, read and check every draft, then check the drafts
against each other. Unreadable files are counted and reported, not raised, so that one
bad file does not hide the findings in the others:

>>> from citekit.batch import BatchOptions, check_paths
>>> batch = check_paths(["docs/"], BatchOptions(as_of=None))   # doctest: +SKIP
>>> for finding in batch.findings():                           # doctest: +SKIP
...     print(finding.path, finding.line, finding.message)
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from citekit.errors import UsageError

if TYPE_CHECKING:
    from citekit.catalogue import Catalogue
    from citekit.codes import Verdict
    from citekit.config import Config
    from citekit.findings import Finding, Report


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

    def __post_init__(self) -> None:
        if self.base and not self.changed_only:
            raise UsageError("--base goes with --changed-only")


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
    from citekit import config as configuration
    from citekit.crosscheck import inconsistencies
    from citekit.drafts import BinaryFile, Format, read_draft
    from citekit.errors import InputError
    from citekit.findings import check_draft
    from citekit.gitlines import added_lines
    from citekit.walking import expand

    options = options or BatchOptions()
    catalogues = _Catalogues(options)
    configs: dict[str, Config] = {}
    batch = Batch()
    for path in expand([Path(p) for p in paths]):
        config = configuration.for_file(path)
        if config.excludes(path):
            continue
        try:
            draft = read_draft(path, options.encoding)
        except (BinaryFile, InputError) as exc:
            skipped = Skipped(str(path), str(exc), error=not isinstance(exc, BinaryFile))
            batch.skipped.append(skipped)
            if on_skip is not None:
                on_skip(skipped)
            continue
        configs.setdefault(draft.path, config)
        by_line = options.changed_only and draft.format is Format.TEXT and str(path) != "-"
        lines = added_lines(path, options.base) if by_line else None
        catalogue = catalogues.for_config(config)
        report = check_draft(draft, catalogue, config, lines=lines, as_of=options.as_of)
        batch.reports.append(report)

    def config_of(path: str) -> Config:
        return configs.get(path) or configuration.for_file(Path(path))

    batch.across = inconsistencies(batch.reports, config_of)
    return batch
