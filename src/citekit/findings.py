"""Check one draft: scan each unit, check each citation, place the problems in the draft.

One loop serves every draft: a text draft is one unit placed by line and column, a Word
draft a unit per paragraph placed by the paragraph's location (see `citekit.units`).
Suppression comments, `--changed-only` and severities work on the draft's lines, which
in a Word draft are its paragraphs.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from citekit import suppression
from citekit.checking import Problem, Resolution, check
from citekit.codes import NOT_WRONG, Code, Severity, Verdict
from citekit.config import Config
from citekit.drafts import Draft, read_draft
from citekit.scanning import ScanMemo, iter_scan
from citekit.units import Position

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Set

    from citekit.catalogue import Catalogue
    from citekit.docnumber import DocNumber
    from citekit.scanning import Citation, Span
    from citekit.units import Unit
    from citekit.vocabulary import Kind


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace raw[start:end] of the draft's unit `unit` with `text`.

    Offsets are in the unit's text as written; a text draft has one unit, number 0.
    """

    start: int
    end: int
    text: str
    unit: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A problem placed in a draft.

    `quote` is the sentence around the number in a Word draft, whose reader has no
    line numbers to go by; None in a text draft.
    """

    path: str
    position: Position
    code: Code
    severity: Severity
    message: str
    number: str
    expected: str | None = None
    found: str | None = None
    edit: Edit | None = field(default=None, compare=False)
    quote: str | None = None

    @property
    def line(self) -> int:
        return self.position.line

    @property
    def column(self) -> int:
        return self.position.column

    @property
    def end_line(self) -> int:
        return self.position.end_line

    @property
    def end_column(self) -> int:
        return self.position.end_column

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as its values, rebuilt slot by slot: a worker sends findings by the
        hundred thousand (`citekit.parallel`), which the dataclass's own state, read
        field by field, made four times slower to read back."""
        values = [slot.__get__(self) for slot in _SLOTS]
        values[_AT] = tuple(self.position)  # a plain tuple reads back faster
        return _rebuilt, tuple(values)


_SLOTS = tuple(Finding.__dict__[name] for name in Finding.__slots__)
"""Finding's slot descriptors: setting one bypasses the frozen dataclass's guard."""
_AT = Finding.__slots__.index("position")


def _rebuilt(*values: object) -> Finding:
    finding = object.__new__(Finding)
    for slot, value in zip(_SLOTS, values, strict=True):
        slot.__set__(finding, value)
    _SLOTS[_AT].__set__(finding, tuple.__new__(Position, values[_AT]))  # type: ignore[arg-type]
    return finding


class Checked(NamedTuple):
    """One citation of a draft, checked: how it resolved, the index of the unit it was
    cited in, what checking made of it, and the findings it gives (after suppression
    comments, `ignore` and `lines`).

    `across` holds the findings of checking it against the other drafts checked with it
    (`citekit.crosscheck`), which only a batch fills. A tuple: one is made per citation.
    """

    resolution: Resolution
    unit: int
    verdict: Verdict
    findings: tuple[Finding, ...] = ()
    across: tuple[Finding, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """Everything `check` and `refs` learn from one draft.

    `cited_in[i]` is the index of the unit `resolutions[i]` was cited in, `verdicts[i]`
    what checking made of it.
    """

    draft: Draft
    findings: tuple[Finding, ...]
    resolutions: tuple[Resolution, ...]
    cited_in: tuple[int, ...]
    verdicts: tuple[Verdict, ...] = ()

    @classmethod
    def collect(cls, draft: Draft, checked: Iterable[Checked]) -> Report:
        """The report of `draft` from its citations checked (`iter_checks`), all held."""
        findings: list[Finding] = []
        resolutions = []
        cited_in = []
        verdicts = []
        for one in checked:
            resolutions.append(one.resolution)
            cited_in.append(one.unit)
            verdicts.append(one.verdict)
            findings.extend(one.findings)
        return cls(draft, tuple(findings), tuple(resolutions), tuple(cited_in), tuple(verdicts))

    def counts(self) -> dict[Verdict, int]:
        """How many citations got each verdict."""
        counted = dict.fromkeys(Verdict, 0)
        for verdict in self.verdicts:
            counted[verdict] += 1
        return counted

    def places(self) -> Iterator[tuple[Resolution, Position]]:
        """Each of `resolutions`, and where it was cited."""
        units = self.draft.units
        for resolution, index in zip(self.resolutions, self.cited_in, strict=True):
            span = resolution.citation.span
            yield resolution, units[index].position(span.start, span.end)


_Verdict = tuple["Citation", Resolution, list[Problem]]

_MEMO_LIMIT = 20_000
"""Distinct citation texts whose checks are remembered per draft: a long draft repeats its
citations, and a hostile one of distinct citations must not be remembered whole."""


def _respan(first: Citation, citation: Citation, span: Span) -> Span:
    """The span in `citation` that plays the part `span` played in `first`."""
    if span == first.date_span and citation.date_span is not None:
        return citation.date_span
    if span == first.issuer_span and citation.issuer_span is not None:
        return citation.issuer_span
    return citation.span


def _checked(
    catalogue: Catalogue,
    citation: Citation,
    seen: dict[tuple[object, ...], _Verdict],
    as_of: dt.date | None,
) -> tuple[Resolution, list[Problem], Citation]:
    """`check`, once per distinct citation text: a long draft repeats its citations. The
    problems' spans are those of the citation returned with them, the first with that
    text; `_respan` moves them to a repeat."""
    key = (
        citation.written,
        citation.kind,
        citation.number,
        citation.date_written,
        citation.issuer_written,
    )
    verdict = seen.get(key)
    if verdict is None:
        resolution, problems = check(catalogue, citation, as_of)
        if len(seen) < _MEMO_LIMIT:
            seen[key] = (citation, resolution, problems)
        return resolution, problems, citation
    first, resolution, problems = verdict
    return Resolution(citation, resolution.document, resolution.confident), problems, first


class _Antecedents:
    """The full citations a draft gave so far, by kind word and serial, so that a short
    form written later ("Quy định 144", "Nghị định 178") means the same document, as
    eyecite resolves short citations."""

    __slots__ = ("_full",)

    def __init__(self) -> None:
        self._full: dict[tuple[Kind, int], tuple[DocNumber, Resolution]] = {}

    def remember(self, citation: Citation, resolution: Resolution) -> None:
        if citation.kind is not None and not citation.bare:
            self._full[citation.kind, citation.number.serial] = (citation.number, resolution)

    def knows(self, citation: Citation) -> bool:
        """Whether a full citation of the short form's kind and serial was met."""
        return (citation.kind, citation.number.serial) in self._full

    def cited(self) -> list[Citation]:
        """The last full citation met of each kind and serial, in the order first met."""
        return [resolution.citation for _, resolution in self._full.values()]

    def resolve(self, citation: Citation) -> tuple[Citation, Resolution | None]:
        """The short form read as its antecedent's number, and that citation's resolution."""
        if citation.kind is None:
            return citation, None
        found = self._full.get((citation.kind, citation.number.serial))
        if found is None:
            return citation, None
        number, resolution = found
        year = citation.number.year
        if year is not None and number.year is not None and year != number.year:
            return citation, None  # "Quy định 69/2022" after a 69 of another year
        return citation._replace(number=number), resolution


_BATCH = 2048
"""Citations scanned before they are checked: scanning two thousand, then checking them,
ran 10-15% faster on a 20 MB draft than taking turns one by one (each loop keeps its own
data in the CPU's caches), and holds about a megabyte."""


def _in_batches(citations: Iterator[Citation]) -> Iterator[Citation]:
    """`citations`, drawn `_BATCH` at a time."""
    while batch := list(islice(citations, _BATCH)):
        yield from batch


def _edit(unit: Unit, index: int, span: Span, text: str) -> Edit:
    if unit.is_nfd:
        text = unicodedata.normalize("NFD", text)
    return Edit(unit.raw_offset(span.start), unit.raw_offset(span.end), text, index)


def check_draft(
    draft: Draft,
    catalogue: Catalogue,
    config: Config | None = None,
    *,
    lines: Set[int] | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """Findings for one draft, and every citation's resolution: `iter_checks`, collected.

    `lines`, when given, keeps only findings on those lines; `as_of` (default: none)
    reports citations of documents replaced by then.
    """
    return Report.collect(draft, iter_checks(draft, catalogue, config, lines=lines, as_of=as_of))


@dataclass(slots=True)
class Memo:
    """What checking remembers of the citations it met: each distinct citation text read
    once (`parsed`) and checked once (`checked`). A long draft repeats its citations, and
    so do the drafts of one folder: a batch shares one memo among the drafts it checks
    against the same catalogue on the same date. Each holds at most `_MEMO_LIMIT`."""

    parsed: ScanMemo = field(default_factory=dict)
    checked: dict[tuple[object, ...], _Verdict] = field(default_factory=dict)


def iter_checks(
    draft: Draft,
    catalogue: Catalogue,
    config: Config | None = None,
    *,
    lines: Set[int] | None = None,
    as_of: dt.date | None = None,
    memo: Memo | None = None,
) -> Iterator[Checked]:
    """Each citation of one draft, checked, in reading order, as the scan finds it.

    Nothing of the draft's citations is held but what short forms and repeats need, so a
    caller that keeps only the findings checks a draft of any length in the memory the
    draft takes. `lines`, when given, keeps only findings on those lines; `as_of`
    (default: none) reports citations of documents replaced by then.

    A citation never runs from one unit into the next (a long text draft is cut into
    pieces at blank lines, see `citekit.units.text_units`). `lines` and suppression comments
    count the draft's lines: a text file's lines, a Word file's paragraphs. A short form
    ("Quy định 144") names the document the draft cited in full before it; failing that,
    the one catalogue document of that kind and serial; else it stays partial.
    """
    checker = DraftChecker(draft.path, catalogue, config, lines=lines, as_of=as_of, memo=memo)
    for index, unit in enumerate(draft.units):
        yield from checker.unit(index, unit)


class DraftChecker:
    """What checking one draft's citations in reading order carries from one to the
    next: the suppression comments read so far, and the full citations a short form
    may name (`_Antecedents`). `iter_checks` runs one over a draft's units.

    A worker checking a piece of a long draft on its own (`citekit.handout`) runs one
    with neither: `scan` leaves the comments out, `knows` tells the short forms an
    earlier piece may have named, and `lines` is left to the stream.
    """

    __slots__ = ("antecedents", "as_of", "catalogue", "config", "lines", "memo", "path", "silenced")

    def __init__(
        self,
        path: str,
        catalogue: Catalogue,
        config: Config | None = None,
        *,
        lines: Set[int] | None = None,
        as_of: dt.date | None = None,
        memo: Memo | None = None,
    ) -> None:
        self.path = path
        self.catalogue = catalogue
        self.config = config or Config()
        self.lines = lines
        self.as_of = as_of
        self.memo = memo if memo is not None else Memo()  # a shared one: same catalogue, date
        self.silenced = suppression.Suppressions()
        self.antecedents = _Antecedents()

    def unit(self, index: int, unit: Unit) -> Iterator[Checked]:
        """Each citation of the draft's unit `index`, checked, its comments read first."""
        self.silenced.add(unit.as_lines(), unit.first_line)
        return self.scan(index, unit)

    def scan(self, index: int, unit: Unit) -> Iterator[Checked]:
        """Each citation of the unit, checked, as the scan finds it."""
        check = self.citation
        for found in _in_batches(iter_scan(unit.text, self.memo.parsed)):
            yield check(found, unit, index)

    def knows(self, found: Citation) -> bool:
        """Whether a short form's antecedent is among the full citations met so far."""
        return self.antecedents.knows(found)

    def learn(self, cited: Iterable[Citation]) -> None:
        """Take full citations met elsewhere (in a piece a worker checked) as antecedents."""
        for citation in cited:
            resolution, _, _ = _checked(self.catalogue, citation, self.memo.checked, self.as_of)
            self.antecedents.remember(citation, resolution)

    def kept(self, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
        """Findings a worker placed, less those the comments or `lines` leave out."""
        if not findings:
            return findings
        lines, silences = self.lines, self.silenced.silences
        return tuple(
            f
            for f in findings
            if not silences(f.line, f.code.value) and (lines is None or f.line in lines)
        )

    def citation(self, found: Citation, unit: Unit, index: int) -> Checked:
        """One citation found in the unit, checked, and its findings placed."""
        antecedents = self.antecedents
        citation, earlier = antecedents.resolve(found) if found.bare else (found, None)
        resolution, problems, first = _checked(
            self.catalogue, citation, self.memo.checked, self.as_of
        )
        if earlier is not None:
            resolution = Resolution(found, earlier.document, earlier.confident)
        elif citation.bare:
            resolution = Resolution(found, resolution.document, resolution.confident)
        else:
            antecedents.remember(citation, resolution)
        if not problems:  # most citations: verified, or not verifiable
            if resolution.document is not None:
                return Checked(resolution, index, Verdict.VERIFIED)
            return Checked(resolution, index, _UNVERIFIABLE[found.bare])
        verdict = _verdict(resolution, problems)
        findings = []
        config, lines, silenced = self.config, self.lines, self.silenced
        for problem in problems:
            line = unit.line_of(citation.span.start)
            if problem.code in config.ignore or silenced.silences(line, problem.code.value):
                continue
            if lines is not None and line not in lines:
                continue
            # The position starts at the number and ends after the part that is wrong.
            wrong = problem.span if first is citation else _respan(first, citation, problem.span)
            start, end = citation.span.start, max(wrong.end, citation.span.end)
            edit = None
            if problem.code is Code.NON_CANONICAL_NUMBER and problem.expected:
                edit = _edit(unit, index, citation.span, problem.expected)
            findings.append(
                Finding(
                    path=self.path,
                    position=unit.position(start, end),
                    code=problem.code,
                    severity=config.severity_of(problem.code),
                    message=problem.message,
                    number=problem.number,
                    expected=problem.expected,
                    found=problem.found,
                    edit=edit,
                    quote=unit.quote(start, end),
                )
            )
        return Checked(resolution, index, verdict, tuple(findings))


_UNVERIFIABLE = {True: Verdict.PARTIAL, False: Verdict.NOT_IN_CATALOGUE}
"""The verdict on a citation with no problem that names no catalogue document: a short
form ("Quy định 144") is partial, a full number not in the catalogue."""


def _verdict(resolution: Resolution, problems: list[Problem]) -> Verdict:
    if any(problem.code not in NOT_WRONG for problem in problems):
        return Verdict.WRONG
    if resolution.document is not None:
        return Verdict.VERIFIED
    return Verdict.PARTIAL if resolution.citation.bare else Verdict.NOT_IN_CATALOGUE


def _or_builtin(catalogue: Catalogue | None) -> Catalogue:
    if catalogue is not None:
        return catalogue
    from citekit.catalogue import builtin_path, load_catalogue

    return load_catalogue([builtin_path()])


def check_text(
    text: str,
    catalogue: Catalogue | None = None,
    *,
    path: str = "<text>",
    config: Config | None = None,
) -> Report:
    """Check the citations in `text`, a draft's text, as `citekit check` would.

    `catalogue` defaults to the built-in one, `config` to no configuration; `path`
    names the draft in findings.

    >>> [f.code.value for f in check_text("Theo Quy định số 148-QD/TW").findings]
    ['non-canonical-number']
    """
    return check_draft(Draft.from_text(path, text), _or_builtin(catalogue), config)


def check_path(
    path: str | Path, catalogue: Catalogue | None = None, *, config: Config | None = None
) -> Report:
    """Check the citations in a draft file: text (UTF-8 or UTF-16) or Word (.docx).

    `catalogue` defaults to the built-in one, `config` to no configuration. A file that
    cannot be read is an `InputError`.
    """
    return check_draft(read_draft(Path(path)), _or_builtin(catalogue), config)
